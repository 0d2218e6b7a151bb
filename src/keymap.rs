//! Key bindings: one table per pane plus a global one (the tables are in `keymap/tables.rs`).
//!
//! Each entry names an [`Action`], its default keys, the views of the pane it works in and what
//! it does. Key handlers ask the [`Keymap`] which action a key is and dispatch on the action,
//! never on the raw key; the `?` overlay, the command palette, the footers and the README key
//! tables read the same tables, so none of them can drift from what the keys do. `[keys]` in
//! config.toml replaces an action's keys (`config/keys.rs` reads it and reports mistakes).
//!
//! Plain data, like `settings.rs`: `config` fills it and `app`/`ui` read it without depending on
//! each other. Text typed into an editor or filter never comes here: the field takes it first.
use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod tables;
pub use tables::view;

/// A key as bindings name it: a code and the Ctrl/Alt (and, for non-characters, Shift) held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub const fn plain(code: KeyCode) -> Chord {
        Chord {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    /// The chord a key press is. Shift is part of a character (`G` is Shift-g), Ctrl-letters are
    /// the same whichever case the terminal reports, and Shift-Tab is `BackTab`.
    pub fn of(key: &KeyEvent) -> Chord {
        let mut mods =
            key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match key.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            c => c,
        };
        Chord { code, mods }
    }

    /// A key the way people write it: `q`, `G`, `Enter`, `Esc`, `Space`, `F5`, `PageDown`,
    /// `Ctrl-d`, `C-d`, `Ctrl+d`, `Alt-x`, `M-x`, `Shift-Tab`, `↑`. The error is a sentence.
    pub fn parse(text: &str) -> Result<Chord, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("an empty key name".into());
        }
        let mut mods = KeyModifiers::NONE;
        let mut rest = t;
        // Modifier prefixes: "Ctrl-", "C-", "Control+", "Alt-", "A-", "M-", "Meta-", "Shift-", "S-".
        while let Some((head, tail)) = split_modifier(rest) {
            let m = match head.to_ascii_lowercase().as_str() {
                "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
                "alt" | "meta" | "m" | "a" | "opt" | "option" => KeyModifiers::ALT,
                "shift" | "s" => KeyModifiers::SHIFT,
                _ => {
                    return Err(format!(
                        "“{t}” is not a key: “{head}” is not Ctrl, Alt or Shift"
                    ));
                }
            };
            mods |= m;
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "ret" | "cr" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "space" | "spc" => KeyCode::Char(' '),
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" | "bksp" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" | "page-up" | "page_up" => KeyCode::PageUp,
                "pagedown" | "pgdn" | "pgdown" | "page-down" | "page_down" => KeyCode::PageDown,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "minus" => KeyCode::Char('-'),
                "plus" => KeyCode::Char('+'),
                "lt" => KeyCode::Char('<'),
                "gt" => KeyCode::Char('>'),
                f if f.starts_with('f') && f.len() <= 3 => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=24) => KeyCode::F(n),
                    _ => return Err(format!("“{t}” is not a key (function keys are F1 to F24)")),
                },
                _ => {
                    return Err(format!(
                        "“{t}” is not a key: write one character (q, G, /), a name (Enter, Esc, Space, Tab, Backspace, Up, PageDown, Home, F5) or a modifier and a key (Ctrl-d, Alt-x, Shift-Tab)"
                    ));
                }
            },
        };
        let mut chord = Chord { code, mods };
        if let KeyCode::Char(c) = chord.code
            && chord.mods.contains(KeyModifiers::SHIFT)
        {
            // Shift-g is G; Shift-/ is whatever the keyboard makes of it, so say so.
            if !c.is_alphabetic() {
                return Err(format!(
                    "“{t}”: Shift with a symbol depends on the keyboard; write the symbol itself (e.g. ? rather than Shift-/)"
                ));
            }
            chord.mods.remove(KeyModifiers::SHIFT);
            chord.code = KeyCode::Char(c.to_uppercase().next().unwrap_or(c));
        }
        if chord.code == KeyCode::Tab && chord.mods.contains(KeyModifiers::SHIFT) {
            chord = Chord::plain(KeyCode::BackTab);
        }
        if let KeyCode::Char(c) = chord.code
            && chord.mods.contains(KeyModifiers::CONTROL)
        {
            chord.code = KeyCode::Char(c.to_ascii_lowercase());
        }
        Ok(chord)
    }

    /// How help, footers and the palette write it: `Enter`, `Space`, `Ctrl-D`, `↑`, `PgDn`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            s.push_str("Shift-");
        }
        s.push_str(&base);
        s
    }

    /// A key event for this chord (the command palette runs an action as its key would).
    pub fn event(&self) -> KeyEvent {
        KeyEvent::new(self.code, self.mods)
    }
}

/// `"Ctrl-d"` → `("Ctrl", "d")`; a lone `-` or `+` (or one after a modifier) is a key.
fn split_modifier(s: &str) -> Option<(&str, &str)> {
    let i = s.find(['-', '+'])?;
    if i == 0 {
        return None;
    }
    let tail = &s[i + 1..];
    if tail.is_empty() {
        return None;
    }
    Some((&s[..i], tail))
}

macro_rules! actions {
    ($($variant:ident => $name:literal,)+) => {
        /// Everything a key can do. Each pane's table says which of them it has and their keys.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($variant),+
        }

        impl Action {
            pub const ALL: &[Action] = &[$(Action::$variant),+];

            /// The name `[keys]` in config.toml uses.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name),+
                }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                Action::ALL.iter().copied().find(|a| a.name() == name)
            }
        }
    };
}

actions! {
    // Moving in lists and views.
    Down => "down",
    Up => "up",
    PageDown => "page_down",
    PageUp => "page_up",
    HalfDown => "half_page_down",
    HalfUp => "half_page_up",
    Top => "top",
    Bottom => "bottom",
    Forward => "forward",
    Backward => "backward",
    // What panes share.
    Open => "open",
    Back => "back",
    Search => "search",
    Refresh => "refresh",
    Retry => "retry",
    Rename => "rename",
    Toggle => "toggle",
    // Mail.
    ToggleAll => "toggle_all",
    Next => "next",
    Prev => "previous",
    ViewMode => "view_mode",
    Quotes => "quotes",
    Attachment => "attachment",
    Save => "save",
    Copy => "copy",
    Incoming => "direction",
    ClearMailbox => "clear_mailbox",
    // Conversations.
    Archived => "archived",
    Pin => "pin",
    // Contacts.
    Edit => "edit",
    Add => "add",
    Primary => "primary",
    Drafts => "drafts",
    // Outreach.
    ToggleSend => "toggle_send",
    TestSend => "test_send",
    TestSync => "test_sync",
    // Everywhere.
    NextPane => "next_pane",
    PrevPane => "previous_pane",
    Help => "help",
    Log => "log",
    Palette => "palette",
    Quit => "quit",
    QuitNow => "quit_now",
    Accounts => "accounts",
    Redraw => "redraw",
    Suspend => "suspend",
}

/// A table of keys: the global one, or one pane's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Mailboxes,
    Mail,
    Conversations,
    Contacts,
    Outreach,
}

impl Scope {
    pub const ALL: [Scope; 6] = [
        Scope::Global,
        Scope::Mailboxes,
        Scope::Mail,
        Scope::Conversations,
        Scope::Contacts,
        Scope::Outreach,
    ];

    /// The name of its `[keys.<name>]` section.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Mailboxes => "mailboxes",
            Scope::Mail => "mail",
            Scope::Conversations => "conversations",
            Scope::Contacts => "contacts",
            Scope::Outreach => "outreach",
        }
    }

    pub fn from_name(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Its table of defaults, in help order.
    pub fn table(self) -> &'static [Entry] {
        tables::table(self)
    }
}

/// Which views of a pane a binding works in (a bit per view; each pane names its own).
pub type Views = u8;
pub const ALL_VIEWS: Views = u8::MAX;

/// One binding of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub action: Action,
    /// Default keys, as [`Chord::parse`] reads them.
    pub keys: &'static [&'static str],
    pub views: Views,
    /// What it does, for help and the palette.
    pub help: &'static str,
    /// Global bindings only: checked before the pane sees the key (a pane key on the same key
    /// would never work). False: only when the pane did not use the key (`q` quits at the top).
    pub first: bool,
}

/// A row of a table: a binding, or keys that are not remappable (typing in a field), shown in
/// help as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Key(Binding),
    Note(&'static str, &'static str),
}

/// A change `[keys]` asks for: in `scope`, `action` gets exactly `keys`. `line` (1-based, 0 when
/// unknown) is where config.toml says it, for the messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub scope: String,
    pub action: String,
    pub keys: Vec<String>,
    pub line: usize,
}

/// The effective keys of every table: the defaults with `[keys]` applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    keys: HashMap<(Scope, Action), Vec<Chord>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut keys = HashMap::new();
        for scope in Scope::ALL {
            for b in bindings(scope) {
                let chords = b.keys.iter().filter_map(|k| Chord::parse(k).ok()).collect();
                keys.insert((scope, b.action), chords);
            }
        }
        Keymap { keys }
    }
}

/// The bindings of `scope`'s table (notes left out).
pub fn bindings(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    scope.table().iter().filter_map(|e| match e {
        Entry::Key(b) => Some(b),
        Entry::Note(..) => None,
    })
}

fn binding(scope: Scope, action: Action) -> Option<&'static Binding> {
    bindings(scope).find(|b| b.action == action)
}

impl Keymap {
    /// The defaults with `overrides` applied. Every mistake is one sentence naming its line;
    /// with any mistake there is no keymap (the caller refuses to start and lists them).
    pub fn with_overrides(overrides: &[Override]) -> Result<Keymap, Vec<String>> {
        let mut map = Keymap::default();
        let mut errors = Vec::new();
        let mut line_of: HashMap<(Scope, Action), usize> = HashMap::new();
        for o in overrides {
            let at = if o.line > 0 {
                format!("line {}: ", o.line)
            } else {
                String::new()
            };
            let Some(scope) = Scope::from_name(&o.scope) else {
                let names: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
                errors.push(format!(
                    "{at}[keys.{}] is not a section: the sections are {}.",
                    o.scope,
                    names.join(", ")
                ));
                continue;
            };
            let Some(action) =
                Action::from_name(&o.action).filter(|a| binding(scope, *a).is_some())
            else {
                let names: Vec<&str> = bindings(scope).map(|b| b.action.name()).collect();
                errors.push(format!(
                    "{at}“{}” is not an action of [keys.{}]; its actions are {}.",
                    o.action,
                    scope.name(),
                    names.join(", ")
                ));
                continue;
            };
            let mut chords = Vec::new();
            for k in &o.keys {
                match Chord::parse(k) {
                    Ok(c) if !chords.contains(&c) => chords.push(c),
                    Ok(_) => {}
                    Err(e) => {
                        errors.push(format!("{at}[keys.{}] {}: {e}.", scope.name(), o.action))
                    }
                }
            }
            map.keys.insert((scope, action), chords);
            line_of.insert((scope, action), o.line);
        }
        if errors.is_empty() {
            errors.extend(map.conflicts(&line_of));
        }
        if errors.is_empty() {
            Ok(map)
        } else {
            Err(errors)
        }
    }

    /// Two actions on one key where both could answer it: in one table in a view they share, or
    /// a pane key that a global key checked first would take.
    fn conflicts(&self, line_of: &HashMap<(Scope, Action), usize>) -> Vec<String> {
        let at = |scope: Scope, a: Action, b: Action| {
            let la = line_of.get(&(scope, a)).copied().unwrap_or(0);
            let lb = line_of.get(&(scope, b)).copied().unwrap_or(0);
            match la.max(lb) {
                0 => String::new(),
                l => format!("line {l}: "),
            }
        };
        let mut out = Vec::new();
        for scope in Scope::ALL {
            let bs: Vec<&Binding> = bindings(scope).collect();
            for (i, a) in bs.iter().enumerate() {
                for b in &bs[i + 1..] {
                    if a.views & b.views == 0 {
                        continue;
                    }
                    for k in self.keys(scope, a.action) {
                        if self.keys(scope, b.action).contains(k) {
                            out.push(format!(
                                "{}{} is bound to both “{}” and “{}” in [keys.{}]; give one of them another key.",
                                at(scope, a.action, b.action),
                                k.label(),
                                a.action.name(),
                                b.action.name(),
                                scope.name()
                            ));
                        }
                    }
                }
            }
            if scope == Scope::Global {
                continue;
            }
            for g in bindings(Scope::Global).filter(|g| g.first) {
                for b in &bs {
                    for k in self.keys(scope, b.action) {
                        if self.keys(Scope::Global, g.action).contains(k) {
                            let la = line_of.get(&(scope, b.action)).copied().unwrap_or(0);
                            let lg = line_of
                                .get(&(Scope::Global, g.action))
                                .copied()
                                .unwrap_or(0);
                            let at = match la.max(lg) {
                                0 => String::new(),
                                l => format!("line {l}: "),
                            };
                            out.push(format!(
                                "{at}{} is the global “{}” key, so “{}” in [keys.{}] would never see it; give one of them another key.",
                                k.label(),
                                g.action.name(),
                                b.action.name(),
                                scope.name()
                            ));
                        }
                    }
                }
            }
        }
        out
    }

    /// The effective keys of `action` in `scope` (empty: unbound).
    pub fn keys(&self, scope: Scope, action: Action) -> &[Chord] {
        self.keys.get(&(scope, action)).map_or(&[], Vec::as_slice)
    }

    /// Which action of `scope`, in a view of `views`, the key is.
    pub fn action(&self, scope: Scope, views: Views, key: &KeyEvent) -> Option<Action> {
        let chord = Chord::of(key);
        bindings(scope)
            .filter(|b| b.views & views != 0)
            .map(|b| b.action)
            .find(|a| self.keys(scope, *a).contains(&chord))
    }

    /// The keys of `action` as help writes them: `j / ↓`; "(no key)" when unbound.
    pub fn label(&self, scope: Scope, action: Action) -> String {
        let keys = self.keys(scope, action);
        if keys.is_empty() {
            return "(no key)".into();
        }
        keys.iter()
            .map(Chord::label)
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// The first key of `action` (footers name one key); "" when unbound.
    pub fn first(&self, scope: Scope, action: Action) -> String {
        self.keys(scope, action)
            .first()
            .map(Chord::label)
            .unwrap_or_default()
    }

    /// A footer of hints, " Enter open · / search · ? help", most important first: each item is
    /// the actions (their first keys joined by `/`) and a short label. An action that is not in
    /// `scope`'s table is looked up in the global one; an item whose keys are all unbound is left
    /// out (the footer never names a key that does not do it).
    pub fn hints(&self, scope: Scope, items: &[(&[Action], &str)]) -> String {
        let mut out = String::new();
        for (actions, label) in items {
            let keys: Vec<String> = actions
                .iter()
                .map(|a| {
                    let s = if binding(scope, *a).is_some() {
                        scope
                    } else {
                        Scope::Global
                    };
                    self.first(s, *a)
                })
                .filter(|k| !k.is_empty())
                .collect();
            if keys.is_empty() {
                continue;
            }
            out.push_str(if out.is_empty() { " " } else { " · " });
            out.push_str(&keys.join("/"));
            out.push(' ');
            out.push_str(label);
        }
        out
    }

    /// Every row of `scope`'s table for the README: (keys, action name or "" for a note, what
    /// it does).
    pub fn rows(&self, scope: Scope) -> Vec<(String, &'static str, &'static str)> {
        scope
            .table()
            .iter()
            .map(|e| match e {
                Entry::Key(b) => (self.label(scope, b.action), b.action.name(), b.help),
                Entry::Note(k, d) => (k.to_string(), "", *d),
            })
            .collect()
    }

    /// The help rows of `scope` with the effective keys: (keys, what it does).
    pub fn help(&self, scope: Scope) -> Vec<(String, &'static str)> {
        scope
            .table()
            .iter()
            .map(|e| match e {
                Entry::Key(b) => (self.label(scope, b.action), b.help),
                Entry::Note(k, d) => (k.to_string(), *d),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
