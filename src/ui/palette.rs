//! The command palette: its own box (cleared, bordered) centred near the top, the filter line,
//! then one row per action — what it does on the left, its keys on the right — the chosen one
//! reversed. Sized to what it lists, never larger than the terminal; below 3 rows or 10 columns
//! it draws only what fits.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::th;
use super::widgets;
use crate::app::State;
use crate::app::palette::{self, Palette};
use crate::render::wrap::{display_width, truncate_to_width};

/// The widest the box grows.
const MAX_WIDTH: u16 = 76;

pub fn draw(state: &State, p: &Palette, area: Rect, frame: &mut Frame) {
    let items = palette::shown(state);
    let width = MAX_WIDTH.min(area.width);
    // Borders, the filter line, the rows (at least one, for "nothing matches").
    let want = u16::try_from(items.len().max(1))
        .unwrap_or(u16::MAX)
        .saturating_add(3);
    // Below the tab bar and above the status bar when there is room for both.
    let (top, room) = if area.height >= 5 {
        (1, area.height - 2)
    } else {
        (0, area.height)
    };
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + top,
        width,
        height: want.min(room),
    };
    frame.render_widget(Clear, rect);
    if rect.width < 3 || rect.height < 3 {
        return;
    }
    let block = Block::bordered()
        .border_style(Style::new().fg(th().accent))
        .title(Span::styled(
            " Commands ",
            Style::new().fg(th().accent).bold(),
        ))
        .title_bottom(" ↑/↓ choose · Enter run · Esc close ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let filter = Rect { height: 1, ..inner };
    widgets::labelled_editor(" : ", &p.query, filter, frame);
    let list = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    if list.height == 0 {
        return;
    }
    let w = usize::from(list.width);
    if items.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                truncate_to_width(" Nothing matches.", w),
                Style::new().fg(th().dim),
            )),
            list,
        );
        return;
    }
    let rows = usize::from(list.height);
    let selected = p.selected.min(items.len() - 1);
    // Keep the chosen row on screen.
    let first = selected.saturating_sub(rows - 1);
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, item)| {
            let keys = truncate_to_width(&item.keys, (w / 3).max(1));
            let room = w.saturating_sub(display_width(&keys) + 3);
            let help = truncate_to_width(item.help, room);
            let gap = w.saturating_sub(display_width(&help) + display_width(&keys) + 2);
            let mut line = Line::from(vec![
                Span::raw(format!(" {help}{} ", " ".repeat(gap))),
                Span::styled(keys, Style::new().fg(th().highlight).bold()),
            ]);
            if i == selected {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::app::{Msg, Settings, State, update};
    use crate::ui::theme;

    fn open(filter: &str) -> State {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        s.init();
        let key = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        update(&mut s, key(':'));
        for c in filter.chars() {
            update(&mut s, key(c));
        }
        s
    }

    #[test]
    fn the_palette_in_every_look() {
        let mut s = open("");
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
        );
        let filtered = open("pane");
        for (look, t) in theme::looks() {
            let _g = theme::scoped(t);
            for (name, state) in [("palette", &s), ("palette_filtered", &filtered)] {
                let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
                term.draw(|f| crate::ui::draw(state, f)).expect("draw");
                let buf = term.backend().buffer();
                let bad = theme::lint(buf, &t);
                assert!(bad.is_empty(), "{name} in {look}: {bad:?}");
                insta::assert_snapshot!(format!("look_{look}_{name}"), theme::styled_screen(buf));
            }
        }
    }

    #[test]
    fn tiny_terminals_never_panic() {
        let s = open("re");
        for w in 0..24 {
            for h in 0..12 {
                let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
                term.draw(|f| crate::ui::draw(&s, f)).expect("draw");
            }
        }
        let none = open("zzzz");
        let text = crate::ui::screen_text(&none, 40, 8);
        assert!(text.contains("Nothing matches."), "{text}");
    }
}
