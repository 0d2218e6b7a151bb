//! The command palette (`:` or `Ctrl-P`): every action of the pane on screen (in its current view)
//! and every global one, with its effective key, filtered as you type (words of the description
//! or the action name: a substring first, then the letters in order). ↑/↓ choose, Enter runs the
//! action exactly as its key would (even one left without a key), Esc closes.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::State;
use super::editor::{EditorEvent, InlineEditor};
use crate::keymap::{Action, Entry, Scope};

/// One line of the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub scope: Scope,
    pub action: Action,
    /// The effective keys ("(no key)" when unbound).
    pub keys: String,
    pub help: &'static str,
}

#[derive(Debug)]
pub struct Palette {
    pub query: InlineEditor,
    /// Index into the filtered items.
    pub selected: usize,
}

impl Palette {
    pub fn new() -> Palette {
        Palette {
            query: InlineEditor::new(""),
            selected: 0,
        }
    }
}

impl Default for Palette {
    fn default() -> Self {
        Palette::new()
    }
}

/// Every action available now: the pane's (its view's) then the global ones, the palette itself
/// left out.
pub fn items(state: &State) -> Vec<Item> {
    let keys = &state.core.settings.keys;
    let scope = state.tab.scope();
    let views = state.pane(state.tab).view();
    // As in help: listing the accounts again only matters before one is chosen.
    let chosen = state.core.account_uuid.is_some()
        || state.pane(state.tab).backend() != super::Backend::Plannr;
    let mut out = Vec::new();
    for (s, table) in [
        (scope, scope.table()),
        (Scope::Global, Scope::Global.table()),
    ] {
        for e in table {
            let Entry::Key(b) = e else { continue };
            if b.views & views == 0 && s != Scope::Global {
                continue;
            }
            if b.action == Action::Palette || (chosen && b.action == Action::Accounts) {
                continue;
            }
            out.push(Item {
                scope: s,
                action: b.action,
                keys: keys.label(s, b.action),
                help: b.help,
            });
        }
    }
    out
}

/// The items matching `query`: those containing it (in the description or the action name,
/// ignoring case) first, then those with its letters in order; an empty query matches all.
pub fn filter(items: Vec<Item>, query: &str) -> Vec<Item> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return items;
    }
    let hay = |i: &Item| format!("{} {}", i.help, i.action.name().replace('_', " ")).to_lowercase();
    let (mut first, mut rest): (Vec<Item>, Vec<Item>) = (Vec::new(), Vec::new());
    for i in items {
        let h = hay(&i);
        if h.contains(&q) {
            first.push(i);
        } else if in_order(&h, &q) {
            rest.push(i);
        }
    }
    first.extend(rest);
    first
}

/// Whether the letters of `q` (spaces ignored) appear in `h` in order.
fn in_order(h: &str, q: &str) -> bool {
    let mut chars = h.chars();
    q.chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| chars.any(|x| x == c))
}

/// The palette's items as shown now.
pub fn shown(state: &State) -> Vec<Item> {
    let query = state
        .palette
        .as_ref()
        .map(|p| p.query.text())
        .unwrap_or_default();
    filter(items(state), &query)
}

/// What a key in the open palette did: nothing more to do, or run this item.
pub enum Outcome {
    Stay,
    Close,
    Run(Item),
}

/// A key while the palette is open: it is a text field (every character is typed), ↑/↓ and
/// Ctrl-N/Ctrl-P choose, Enter runs, Esc closes.
pub fn on_key(state: &mut State, key: KeyEvent) -> Outcome {
    let shown = shown(state);
    let Some(p) = state.palette.as_mut() else {
        return Outcome::Close;
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let last = shown.len().saturating_sub(1);
    match key.code {
        KeyCode::Down => p.selected = (p.selected + 1).min(last),
        KeyCode::Char('n') if ctrl => p.selected = (p.selected + 1).min(last),
        KeyCode::Up => p.selected = p.selected.saturating_sub(1),
        KeyCode::Char('p') if ctrl => p.selected = p.selected.saturating_sub(1),
        KeyCode::PageDown => p.selected = (p.selected + 10).min(last),
        KeyCode::PageUp => p.selected = p.selected.saturating_sub(10),
        _ => match p.query.on_key(key) {
            EditorEvent::Submit => {
                return match shown.get(p.selected.min(last)) {
                    Some(item) => Outcome::Run(item.clone()),
                    None => Outcome::Stay,
                };
            }
            EditorEvent::Cancel => return Outcome::Close,
            EditorEvent::Edited => p.selected = 0,
            EditorEvent::Ignored => {}
        },
    }
    Outcome::Stay
}

#[cfg(test)]
mod tests;
