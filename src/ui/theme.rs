//! The named palette every pane draws with: a dark and a light preset, overridable colour by
//! colour from a theme file or `[colors]` in config.toml, and a no-colour form for `NO_COLOR`.
//!
//! Rules the presets keep: no background is painted behind ordinary text (the terminal's own
//! background shows), and no text is white or bright grey on that background; only the 16 ANSI
//! colours (dark) or fixed 256-colour shades dark enough for a white background (light) are used.
//! Under `NO_COLOR` every colour is the terminal's default; what colour told apart is then told by
//! bold, reverse and symbols (the active tab is marked with `▸` in every theme).
use std::cell::Cell;

use ratatui::style::{Color, Modifier, Style};

macro_rules! palette {
    ($($(#[doc = $doc:literal])* $name:ident: $dark:expr, $light:expr;)*) => {
        /// Colours by role. Field names are the keys of a theme file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Theme {
            /// False under `NO_COLOR`: every colour is the terminal's default.
            pub color: bool,
            $($(#[doc = $doc])* pub $name: Color,)*
        }

        impl Theme {
            /// The theme-file keys, in the order of the table in the README.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($name)),*];

            pub fn dark() -> Theme {
                Theme { color: true, $($name: $dark,)* }
            }

            pub fn light() -> Theme {
                Theme { color: true, $($name: $light,)* }
            }

            /// Set one colour by its key. False when there is no such key.
            pub fn set(&mut self, key: &str, c: Color) -> bool {
                match key {
                    $(stringify!($name) => self.$name = c,)*
                    _ => return false,
                }
                true
            }

            /// The same theme with every colour the terminal's default.
            pub fn without_color(self) -> Theme {
                Theme { color: false, $($name: Color::Reset,)* }
            }
        }
    };
}

palette! {
    /// The app's name, focused bars, participants, the account label.
    accent: Color::Cyan, Color::Indexed(25);
    /// Keys in help, field labels, search labels, work in progress ("saving…").
    highlight: Color::Yellow, Color::Indexed(130);
    /// Success and "yes".
    ok: Color::Green, Color::Indexed(28);
    /// Errors and validation messages.
    error: Color::Red, Color::Indexed(160);
    /// Hints, footers and other secondary text.
    dim: Color::DarkGray, Color::Indexed(242);
    /// Body text of secondary importance (previews, header fields).
    muted: Color::Reset, Color::Reset;
    /// Links in message bodies.
    link: Color::Blue, Color::Indexed(25);
    /// Incoming mail marker.
    incoming: Color::Cyan, Color::Indexed(30);
    /// Outgoing mail marker.
    outgoing: Color::Magenta, Color::Indexed(90);
    /// Text of the active tab.
    tab_fg: Color::Black, Color::Indexed(231);
    /// Background of the active tab.
    tab_bg: Color::Cyan, Color::Indexed(25);
    /// Text of an error in the status bar.
    alert_fg: Color::Black, Color::Indexed(231);
    /// Background of an error in the status bar.
    alert_bg: Color::Red, Color::Indexed(160);
    /// Text of a question that waits for an answer (discard? delete?).
    prompt_fg: Color::Black, Color::Black;
    /// Background of such a question.
    prompt_bg: Color::Yellow, Color::Indexed(222);
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::dark()
    }
}

impl Theme {
    /// A preset by name ("dark", "light").
    pub fn preset(name: &str) -> Option<Theme> {
        match name.trim().to_ascii_lowercase().as_str() {
            "dark" => Some(Theme::dark()),
            "light" => Some(Theme::light()),
            _ => None,
        }
    }

    /// Text in one of the theme's colours.
    pub fn fg(&self, c: Color) -> Style {
        Style::new().fg(c)
    }

    /// The active tab: coloured, and bold and reversed without colour.
    pub fn tab_active(&self) -> Style {
        if self.color {
            Style::new().fg(self.tab_fg).bg(self.tab_bg).bold()
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }

    /// An error in the status bar.
    pub fn alert(&self) -> Style {
        if self.color {
            Style::new().fg(self.alert_fg).bg(self.alert_bg).bold()
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }

    /// A question waiting for an answer.
    pub fn prompt(&self) -> Style {
        if self.color {
            Style::new().fg(self.prompt_fg).bg(self.prompt_bg)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
}

/// A colour as a theme file writes it: a name ("cyan", "darkgray", "lightred"), `#rrggbb`, a
/// 256-colour index ("130"), or "default" for the terminal's own.
pub fn parse_color(s: &str) -> Option<Color> {
    let t = s.trim().to_ascii_lowercase();
    if matches!(t.as_str(), "default" | "reset" | "none") {
        return Some(Color::Reset);
    }
    if let Ok(i) = t.parse::<u8>() {
        return Some(Color::Indexed(i));
    }
    t.parse::<Color>().ok()
}

thread_local! {
    static CURRENT: Cell<Theme> = Cell::new(Theme::dark());
}

/// The theme of the frame being drawn on this thread (`ui::draw` sets it from the settings; the
/// dark preset until then). Drawing functions read it here rather than each taking a parameter.
pub fn th() -> Theme {
    CURRENT.with(Cell::get)
}

/// Draw with `theme` on this thread from now on.
pub fn set(theme: Theme) {
    CURRENT.with(|c| c.set(theme));
}

/// Draw with `theme` until the guard is dropped (tests that compare themes).
pub fn scoped(theme: Theme) -> Scoped {
    let previous = th();
    set(theme);
    Scoped(previous)
}

/// Puts the previous theme back when dropped.
pub struct Scoped(Theme);

impl Drop for Scoped {
    fn drop(&mut self) {
        set(self.0);
    }
}

/// A screen as text with its styles, for snapshot tests of the themes: each row, then the runs
/// of cells that are not plain (`3-9 fg=Cyan bg=Reset +BOLD`).
pub fn styled_screen(buf: &ratatui::buffer::Buffer) -> String {
    use std::fmt::Write;
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut text = String::new();
        let mut runs: Vec<(u16, u16, String)> = Vec::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            let cell = &buf[(x, y)];
            if skip == 0 {
                text.push_str(cell.symbol());
                skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).max(1);
            }
            skip -= 1;
            let mut d = String::new();
            if cell.fg != Color::Reset {
                let _ = write!(d, " fg={:?}", cell.fg);
            }
            if cell.bg != Color::Reset {
                let _ = write!(d, " bg={:?}", cell.bg);
            }
            if !cell.modifier.is_empty() {
                let _ = write!(d, " +{:?}", cell.modifier);
            }
            match runs.last_mut() {
                Some((_, end, last)) if *last == d && *end + 1 == x => *end = x,
                _ => runs.push((x, x, d)),
            }
        }
        let _ = writeln!(out, "{:?}", text.trim_end());
        let styled: Vec<String> = runs
            .into_iter()
            .filter(|(_, _, d)| !d.is_empty())
            .map(|(a, b, d)| format!("{a}-{b}{d}"))
            .collect();
        if !styled.is_empty() {
            let _ = writeln!(out, "    {}", styled.join(";"));
        }
    }
    out
}

/// What a screen drawn with `theme` must not do, as a list of complaints (empty when fine): paint
/// an RGB background, put white or pale grey text on the terminal's background, or (without
/// colour) use any colour at all.
pub fn lint(buf: &ratatui::buffer::Buffer, theme: &Theme) -> Vec<String> {
    let mut bad = Vec::new();
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let c = &buf[(x, y)];
            if c.symbol().trim().is_empty() {
                continue;
            }
            if !theme.color && (c.fg != Color::Reset || c.bg != Color::Reset) {
                bad.push(format!(
                    "({x},{y}) {:?} has colour {:?}/{:?}",
                    c.symbol(),
                    c.fg,
                    c.bg
                ));
            }
            if matches!(c.bg, Color::Rgb(..)) {
                bad.push(format!("({x},{y}) RGB background {:?}", c.bg));
            }
            let pale = matches!(
                c.fg,
                Color::White | Color::Gray | Color::Indexed(7 | 15 | 231 | 248..=255)
            );
            if c.bg == Color::Reset && pale {
                bad.push(format!(
                    "({x},{y}) {:?} is pale {:?} text",
                    c.symbol(),
                    c.fg
                ));
            }
        }
    }
    bad
}

/// The three looks every pane is snapshot-tested in.
pub fn looks() -> [(&'static str, Theme); 3] {
    [
        ("dark", Theme::dark()),
        ("light", Theme::light()),
        ("no_color", Theme::dark().without_color()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_as_a_theme_file_writes_them() {
        assert_eq!(parse_color("Cyan"), Some(Color::Cyan));
        assert_eq!(parse_color("darkgray"), Some(Color::DarkGray));
        assert_eq!(parse_color("#af8700"), Some(Color::Rgb(0xaf, 0x87, 0)));
        assert_eq!(parse_color("130"), Some(Color::Indexed(130)));
        assert_eq!(parse_color("default"), Some(Color::Reset));
        assert_eq!(parse_color("blurple"), None);
    }

    #[test]
    fn presets_paint_no_background_and_no_pale_text() {
        for t in [Theme::dark(), Theme::light()] {
            for c in [
                t.accent,
                t.highlight,
                t.ok,
                t.error,
                t.dim,
                t.muted,
                t.link,
                t.incoming,
                t.outgoing,
            ] {
                assert!(
                    !matches!(
                        c,
                        Color::White
                            | Color::Gray
                            | Color::Rgb(..)
                            | Color::Indexed(7 | 15 | 188..=195 | 231 | 248..=255)
                    ),
                    "{c:?} is too pale for text on the terminal's background"
                );
            }
        }
        let light = Theme::light();
        for c in [light.accent, light.highlight, light.ok, light.dim] {
            assert!(
                !matches!(
                    c,
                    Color::Yellow | Color::LightYellow | Color::Cyan | Color::LightCyan
                ),
                "{c:?} cannot be read on white"
            );
        }
    }

    #[test]
    fn no_color_keeps_bold_and_reverse() {
        let t = Theme::dark().without_color();
        assert!(!t.color && t.accent == Color::Reset && t.tab_bg == Color::Reset);
        assert!(t.tab_active().add_modifier.contains(Modifier::REVERSED));
        assert!(t.alert().add_modifier.contains(Modifier::BOLD));
        assert_eq!(t.alert().bg, None);
    }

    #[test]
    fn every_key_can_be_set() {
        let mut t = Theme::dark();
        for k in Theme::KEYS {
            assert!(t.set(k, Color::Indexed(1)), "{k}");
        }
        assert!(!t.set("nope", Color::Red));
        assert_eq!(t.prompt_bg, Color::Indexed(1));
    }
}
