//! Boxes drawn over a pane in a rectangle of their own: confirm prompts, inline editors, and any
//! later popup (the command palette). A box is sized to its content, clamped to the area it may
//! cover, cleared before drawing, and placed where it does not hide the row it is about: an
//! editor or a question about a table row opens just under that row (or just above it when the
//! row is near the bottom), never over half of it. Any area down to 1×1 draws without panicking.
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::app::editor::InlineEditor;
use crate::render::wrap::{display_width, wrap_line};
use crate::ui::columns::cut;
use crate::ui::theme::th;

/// Where a box goes in its area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// In the middle.
    Center,
    /// Left edge at `x`, just under the row at `y` (which stays visible); above it when there is
    /// no room under it; over it only when the area has no room either side.
    Row { x: u16, y: u16 },
}

/// The rectangle of a `w`×`h` box (borders included) at `anchor` in `area`: never larger than
/// `area`, never outside it.
pub fn place(area: Rect, anchor: Anchor, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let (x, y) = match anchor {
        Anchor::Center => (
            area.x + (area.width - w) / 2,
            area.y + (area.height - h) / 2,
        ),
        Anchor::Row { x, y } => {
            let x = x.clamp(area.x, area.right() - w);
            let y = if y.saturating_add(1).saturating_add(h) <= area.bottom() && y >= area.y {
                y + 1
            } else if y >= area.y.saturating_add(h) && y <= area.bottom() {
                y - h
            } else {
                area.bottom() - h
            };
            (x, y)
        }
    };
    Rect::new(x, y, w, h)
}

/// A box's frame: its title on the top border, the keys it answers on the bottom border.
pub struct Boxed<'a> {
    pub title: &'a str,
    pub keys: &'a str,
    pub border: Style,
}

impl Boxed<'_> {
    /// Outer width of a box whose content is `content_w` wide: room for both titles too.
    fn width(&self, content_w: usize) -> u16 {
        let titles = display_width(self.title).max(display_width(self.keys)) + 2;
        u16::try_from(content_w.max(titles).saturating_add(2)).unwrap_or(u16::MAX)
    }

    /// Clear `rect` and draw the frame; the inside to draw the content in. A rectangle too small
    /// for borders is drawn without them (all of it is content).
    pub fn draw(&self, rect: Rect, buf: &mut Buffer) -> Rect {
        Clear.render(rect, buf);
        if rect.width < 3 || rect.height < 3 {
            return rect;
        }
        let room = usize::from(rect.width - 2);
        let mut block = Block::bordered().border_style(self.border);
        if !self.title.is_empty() {
            block = block.title(Span::styled(
                cut(&format!(" {} ", self.title), room),
                Style::new().bold(),
            ));
        }
        if !self.keys.is_empty() {
            block = block.title_bottom(Span::styled(
                cut(&format!(" {} ", self.keys), room),
                Style::new().fg(th().dim),
            ));
        }
        let inner = block.inner(rect);
        block.render(rect, buf);
        inner
    }
}

/// `text` wrapped to `width` columns (at least one line).
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    wrap_line(text, width.max(1), &mut |l| out.push(l));
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// The one wording of "you pressed Esc with changes" (rename editors, the contact form).
pub const DISCARD_QUESTION: &str = "Discard your changes?";
/// What the discard question answers to (the same keys everywhere: see `app::editor`).
pub const DISCARD_KEYS: &str = "y/Esc discards · any other key keeps editing";

/// A question waiting for a key: `question` in bold, `detail` under it, the answering keys on
/// the bottom line; each wrapped to the room there is.
pub fn confirm(
    area: Rect,
    anchor: Anchor,
    question: &str,
    detail: &str,
    keys: &str,
    buf: &mut Buffer,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    // Content is padded one column each side inside the border.
    let room = usize::from(area.width.saturating_sub(4)).max(1);
    let mut lines: Vec<Line> = wrapped(question, room)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, Style::new().bold())))
        .collect();
    if !detail.is_empty() {
        lines.extend(wrapped(detail, room).into_iter().map(Line::from));
    }
    lines.extend(
        wrapped(keys, room)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, Style::new().fg(th().highlight)))),
    );
    let content_w = lines.iter().map(Line::width).max().unwrap_or(0) + 2;
    let frame = Boxed {
        title: "",
        keys: "",
        border: Style::new().fg(th().highlight),
    };
    let h = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let rect = place(area, anchor, frame.width(content_w), h);
    let inner = frame.draw(rect, buf);
    let inner = pad(inner);
    Paragraph::new(lines).render(inner, buf);
}

/// One column of padding left and right when there is room for it.
fn pad(r: Rect) -> Rect {
    if r.width > 2 {
        Rect::new(r.x + 1, r.y, r.width - 2, r.height)
    } else {
        r
    }
}

/// Narrowest editor box (content columns) when the area allows: room to type a name.
const EDITOR_MIN: usize = 40;

/// An inline editor in a box of its own: the field on the first line, its message (a validation
/// error or the server's) wrapped under it; `title` on the top border, `keys` on the bottom.
pub fn editor(
    area: Rect,
    anchor: Anchor,
    title: &str,
    keys: &str,
    ed: &InlineEditor,
    frame: &mut Frame,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let boxed = Boxed {
        title,
        keys,
        border: Style::new().fg(th().highlight),
    };
    let max_content = usize::from(area.width.saturating_sub(2)).max(1);
    let text_w = display_width(&ed.text()) + 2;
    let err = ed.error.as_deref().map(|e| format!("⚠ {e}"));
    let err_w = err.as_deref().map(display_width).unwrap_or(0);
    let content_w = text_w.max(err_w).max(EDITOR_MIN).min(max_content);
    let outer_w = boxed.width(content_w).min(area.width);
    let inner_w = usize::from(outer_w.saturating_sub(2)).max(1);
    let err_lines = err.map(|e| wrapped(&e, inner_w)).unwrap_or_default();
    let h = u16::try_from(err_lines.len() + 1)
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let rect = place(area, anchor, outer_w, h);
    let inner = boxed.draw(rect, frame.buffer_mut());
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let field = Rect { height: 1, ..inner };
    super::widgets::inline_editor(ed, field, frame);
    let msgs = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    let lines: Vec<Line> = err_lines
        .into_iter()
        .map(|l| Line::from(Span::styled(l, Style::new().fg(th().error))))
        .collect();
    frame.render_widget(Paragraph::new(lines), msgs);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn rows(buf: &Buffer) -> Vec<String> {
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_box_under_a_row_leaves_the_row_visible() {
        let area = Rect::new(0, 2, 80, 20);
        // Room under row 5: the box starts on row 6.
        assert_eq!(
            place(area, Anchor::Row { x: 3, y: 5 }, 30, 4),
            Rect::new(3, 6, 30, 4)
        );
        // Row 19 of 2..22: no room under (20..24 > 22), so above it, ending on row 18.
        assert_eq!(
            place(area, Anchor::Row { x: 3, y: 19 }, 30, 4),
            Rect::new(3, 15, 30, 4)
        );
        // Too far right: pulled back inside.
        assert_eq!(place(area, Anchor::Row { x: 70, y: 5 }, 30, 4).right(), 80);
        // Larger than the area: clamped to it.
        assert_eq!(place(area, Anchor::Row { x: 0, y: 5 }, 200, 50), area);
        assert_eq!(place(area, Anchor::Center, 20, 4), Rect::new(30, 10, 20, 4));
    }

    #[test]
    fn every_size_down_to_one_cell_draws_without_panicking() {
        let ed = InlineEditor::with_text("Advice", "Compliance file checks 67");
        let mut with_err = ed.clone();
        with_err.error = Some("The name has already been taken.".into());
        for w in 1..30 {
            for h in 1..8 {
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| {
                    let a = f.area();
                    confirm(
                        a,
                        Anchor::Center,
                        DISCARD_QUESTION,
                        "",
                        DISCARD_KEYS,
                        f.buffer_mut(),
                    );
                    confirm(
                        a,
                        Anchor::Row { x: 0, y: h - 1 },
                        "Disable it?",
                        "More.",
                        "y",
                        f.buffer_mut(),
                    );
                    editor(
                        a,
                        Anchor::Row { x: 0, y: 0 },
                        "Rename",
                        "Enter save",
                        &ed,
                        f,
                    );
                    editor(
                        a,
                        Anchor::Row { x: 5, y: 3 },
                        "Rename",
                        "Enter",
                        &with_err,
                        f,
                    );
                })
                .unwrap();
            }
        }
    }

    #[test]
    fn a_confirm_box_is_sized_to_its_words_and_wraps_when_narrow() {
        let mut t = Terminal::new(TestBackend::new(80, 10)).unwrap();
        t.draw(|f| {
            confirm(
                f.area(),
                Anchor::Center,
                DISCARD_QUESTION,
                "",
                DISCARD_KEYS,
                f.buffer_mut(),
            )
        })
        .unwrap();
        let r = rows(t.backend().buffer());
        let top = r.iter().position(|l| l.contains('┌')).expect("a box");
        assert!(
            r[top + 1].contains(&format!("│ {DISCARD_QUESTION}")),
            "{r:#?}"
        );
        assert!(r[top + 2].contains(DISCARD_KEYS), "{r:#?}");
        let width = r[top].trim().chars().count();
        assert_eq!(
            width,
            DISCARD_KEYS.chars().count() + 4,
            "sized to the longest line"
        );
        // 30 columns: every word still there, wrapped inside the box.
        let mut t = Terminal::new(TestBackend::new(30, 10)).unwrap();
        t.draw(|f| {
            confirm(
                f.area(),
                Anchor::Center,
                DISCARD_QUESTION,
                "",
                DISCARD_KEYS,
                f.buffer_mut(),
            )
        })
        .unwrap();
        let text: String = rows(t.backend().buffer())
            .iter()
            .map(|l| l.trim_matches(|c| c == ' ' || c == '│').to_string() + " ")
            .collect();
        for word in [
            "Discard", "changes?", "y/Esc", "discards", "keeps", "editing",
        ] {
            assert!(text.contains(word), "{word} in {text}");
        }
    }

    #[test]
    fn an_editor_box_shows_its_message_under_the_field_in_the_box() {
        let mut ed = InlineEditor::with_text("Advice", "Advice team");
        ed.error = Some("The name has already been taken.".into());
        let mut t = Terminal::new(TestBackend::new(60, 12)).unwrap();
        t.draw(|f| {
            editor(
                f.area(),
                Anchor::Row { x: 0, y: 3 },
                "Rename mailbox",
                "Enter save · Esc cancel",
                &ed,
                f,
            )
        })
        .unwrap();
        let r = rows(t.backend().buffer());
        assert!(
            r[3].trim().is_empty(),
            "row 3 (the edited row) is not covered: {r:#?}"
        );
        assert!(r[4].starts_with("┌ Rename mailbox "), "{r:#?}");
        assert!(r[5].starts_with("│Advice team"), "{r:#?}");
        assert!(
            r[6].contains("⚠ The name has already been taken."),
            "{r:#?}"
        );
        assert!(r[7].starts_with("└ Enter save · Esc cancel "), "{r:#?}");
    }
}
