//! The one column layout every table uses, and the one way text is cut to a width.
//!
//! Each column has a priority and a narrowest width. When the table is narrower than the columns
//! want, the low-value columns (Enabled, Type, Files…) give up their room first, down to their
//! narrowest, and then disappear, lowest priority first; the important ones (names, subjects)
//! keep room the longest and get what is left over. Every cut ends — or, for names that differ at
//! their end ("Compliance file checks 67"), sits in the middle — with a visible `…`, so a cut
//! address never passes for a real one. Widths are display columns (wide characters count two).
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::render::wrap::{display_width, truncate_to_width};

/// `s` cut at its end to fit `width` columns, with `…` when anything was cut.
pub fn cut(s: &str, width: usize) -> String {
    truncate_to_width(s, width)
}

/// `s` cut in its middle to fit `width` columns (`Compliance…checks 67`): the start and the end
/// stay, `…` marks where text was taken out. Falls back to an end cut below 5 columns.
pub fn cut_middle(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    if width < 5 {
        return cut(s, width);
    }
    let room = width - 1;
    let tail_room = room / 2;
    let head_room = room - tail_room;
    let graphemes: Vec<&str> = s.graphemes(true).collect();
    let mut head = String::new();
    let mut used = 0;
    for g in &graphemes {
        let w = g.width();
        if used + w > head_room {
            break;
        }
        head.push_str(g);
        used += w;
    }
    let mut tail: Vec<&str> = Vec::new();
    let mut used = 0;
    for g in graphemes.iter().rev() {
        let w = g.width();
        if used + w > tail_room {
            break;
        }
        tail.push(g);
        used += w;
    }
    tail.reverse();
    let tail: String = tail.concat();
    format!("{}…{}", head.trim_end(), tail.trim_start())
}

/// Where a column's text is cut when it does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    End,
    /// Names that tell apart by their end ("Review 2024" / "Review 2025"), addresses (the domain).
    Middle,
}

/// `s` cut to `width` the way `how` says.
pub fn cut_as(s: &str, width: usize, how: Cut) -> String {
    match how {
        Cut::End => cut(s, width),
        Cut::Middle => cut_middle(s, width),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub title: &'static str,
    /// Narrowest it may be cut to before it is hidden instead.
    pub min: u16,
    /// Room it gets before lower-priority columns get theirs (never more than its widest text).
    pub ideal: u16,
    /// Share of the room left once every column has its ideal (0: never wider than its ideal).
    pub grow: u16,
    /// Higher keeps its room longer; the lowest is hidden first.
    pub priority: u8,
    pub cut: Cut,
    pub align: Align,
}

impl Col {
    /// A column of text cut at its end.
    pub const fn text(title: &'static str, min: u16, ideal: u16, grow: u16, priority: u8) -> Col {
        Col {
            title,
            min,
            ideal,
            grow,
            priority,
            cut: Cut::End,
            align: Align::Left,
        }
    }

    /// A fixed-width column (numbers, short words): never grows.
    pub const fn fixed(title: &'static str, min: u16, ideal: u16, priority: u8) -> Col {
        Col::text(title, min, ideal, 0, priority)
    }

    pub const fn middle(mut self) -> Col {
        self.cut = Cut::Middle;
        self
    }

    pub const fn right(mut self) -> Col {
        self.align = Align::Right;
        self
    }
}

/// Space between columns.
pub const SPACING: u16 = 1;

/// The width of each column in `total` columns (0: hidden), given the widest text each holds
/// (`widest`, its title included).
pub fn widths(cols: &[Col], widest: &[usize], total: u16) -> Vec<u16> {
    let n = cols.len();
    let want = |i: usize| u16::try_from(widest.get(i).copied().unwrap_or(0)).unwrap_or(u16::MAX);
    // A column never needs more than its widest text, even at its narrowest.
    let min = |i: usize| cols[i].min.min(want(i)).max(1);
    let mut shown: Vec<bool> = vec![true; n];
    let need = |shown: &[bool]| -> u32 {
        let k = shown.iter().filter(|s| **s).count() as u32;
        let mins: u32 = (0..n)
            .filter(|&i| shown[i])
            .map(|i| u32::from(min(i)))
            .sum();
        mins + k.saturating_sub(1) * u32::from(SPACING)
    };
    // Hide the least important (the rightmost among equals) until the rest fit at their narrowest.
    while need(&shown) > u32::from(total) && shown.iter().filter(|s| **s).count() > 1 {
        let drop = (0..n)
            .filter(|&i| shown[i])
            .min_by_key(|&i| (cols[i].priority, std::cmp::Reverse(i)));
        match drop {
            Some(i) => shown[i] = false,
            None => break,
        }
    }
    let mut w: Vec<u16> = (0..n).map(|i| if shown[i] { min(i) } else { 0 }).collect();
    let Some(spare) = u32::from(total).checked_sub(need(&shown)) else {
        // One column left and even it does not fit: it gets all there is.
        if let Some(i) = shown.iter().position(|s| *s) {
            w[i] = total;
        }
        return w;
    };
    let mut spare = u16::try_from(spare).unwrap_or(u16::MAX);
    // The most important first, up to their ideal.
    let mut order: Vec<usize> = (0..n).filter(|&i| shown[i]).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cols[i].priority), i));
    for &i in &order {
        let ideal = cols[i].ideal.min(want(i)).max(w[i]);
        let add = (ideal - w[i]).min(spare);
        w[i] += add;
        spare -= add;
    }
    // What is left goes to the growing columns by their share, but none wider than its text
    // while another still wants more; then by share regardless (the table fills its width).
    for capped in [true, false] {
        let growing: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| cols[i].grow > 0 && (!capped || w[i] < want(i)))
            .collect();
        let shares: u32 = growing.iter().map(|&i| u32::from(cols[i].grow)).sum();
        if shares == 0 || spare == 0 {
            continue;
        }
        let pot = u32::from(spare);
        for &i in &growing {
            let mut add = u16::try_from(pot * u32::from(cols[i].grow) / shares).unwrap_or(0);
            if capped {
                add = add.min(want(i) - w[i]);
            }
            let add = add.min(spare);
            w[i] += add;
            spare -= add;
        }
        // Rounding leftovers to the most important growing column.
        if let Some(&i) = growing.first() {
            let add = if capped {
                spare.min(want(i).saturating_sub(w[i]))
            } else {
                spare
            };
            w[i] += add;
            spare -= add;
        }
    }
    w
}

/// A cell's content: its text (cut as the column says) in one style, then marks after it
/// (" ✎", " saving…") that stay whole while the text still has a few columns.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub text: String,
    pub style: Style,
    pub marks: Vec<Span<'static>>,
    /// Cut this cell at its end whatever its column says (a note in a name column).
    pub end_cut: bool,
    /// Dim extras after the text and its marks (a conversation's tags) that give way to the
    /// text: they get only the room the text leaves.
    pub tail: Option<Span<'static>>,
}

impl Text {
    pub fn plain(text: impl Into<String>) -> Text {
        Text {
            text: text.into(),
            ..Text::default()
        }
    }

    pub fn styled(text: impl Into<String>, style: Style) -> Text {
        Text {
            text: text.into(),
            style,
            ..Text::default()
        }
    }

    pub fn mark(mut self, span: Span<'static>) -> Text {
        self.marks.push(span);
        self
    }

    pub fn tail(mut self, span: Span<'static>) -> Text {
        self.tail = Some(span).filter(|s| !s.content.is_empty());
        self
    }

    /// The full width it would take uncut.
    pub fn width(&self) -> usize {
        display_width(&self.text)
            + self.marks.iter().map(Span::width).sum::<usize>()
            + self.tail.as_ref().map(Span::width).unwrap_or(0)
    }

    /// The cell in `width` columns.
    pub fn fit(&self, width: usize, how: Cut, align: Align) -> Line<'static> {
        let Some(tail) = &self.tail else {
            return self.fit_head(width, how, align);
        };
        // The tail takes only what the text leaves.
        let mut line = self.fit_head(width, how, Align::Left);
        let left = width.saturating_sub(line.width());
        // A sliver of a tail (" …") says nothing: it needs a few columns or none.
        let t = if left >= 4 {
            cut(&tail.content, left)
        } else {
            String::new()
        };
        if !t.is_empty() {
            line.spans.push(Span::styled(t, tail.style));
        }
        match align {
            Align::Left => line,
            Align::Right => line.right_aligned(),
        }
    }

    fn fit_head(&self, width: usize, how: Cut, align: Align) -> Line<'static> {
        let how = if self.end_cut { Cut::End } else { how };
        let marks_w: usize = self.marks.iter().map(Span::width).sum();
        let mut spans = Vec::new();
        if self.marks.is_empty() || marks_w + 3 > width {
            // No marks, or no room for them beside the text: one cut over both.
            if self.marks.is_empty() {
                spans.push(Span::styled(cut_as(&self.text, width, how), self.style));
            } else {
                let mut left = width;
                let text = cut_as(&self.text, left, how);
                left -= display_width(&text);
                spans.push(Span::styled(text, self.style));
                for m in &self.marks {
                    let t = cut(&m.content, left);
                    left -= display_width(&t);
                    spans.push(Span::styled(t, m.style));
                }
            }
        } else {
            spans.push(Span::styled(
                cut_as(&self.text, width - marks_w, how),
                self.style,
            ));
            spans.extend(self.marks.iter().cloned());
        }
        let line = Line::from(spans);
        match align {
            Align::Left => line,
            Align::Right => line.right_aligned(),
        }
    }
}

/// The widest text of each column in `rows`, titles included.
pub fn measure(cols: &[Col], rows: &[Vec<Text>]) -> Vec<usize> {
    let mut widest: Vec<usize> = cols.iter().map(|c| display_width(c.title)).collect();
    for r in rows {
        for (i, t) in r.iter().enumerate() {
            if let Some(w) = widest.get_mut(i) {
                *w = (*w).max(t.width());
            }
        }
    }
    widest
}

/// A table laid out by `cols` in `total` columns: hidden columns left out, every cell cut to its
/// column with `…`. Also returns each column's width (0: hidden) to place editors by.
pub fn table(cols: &[Col], rows: Vec<Vec<Text>>, total: u16) -> (Table<'static>, Vec<u16>) {
    let w = widths(cols, &measure(cols, &rows), total);
    (table_with(cols, &w, rows, true), w)
}

/// `rows` in columns of widths `w` (from `widths`), with or without the header row: tables drawn
/// in pieces (around a form) share one layout.
pub fn table_with(cols: &[Col], w: &[u16], rows: Vec<Vec<Text>>, header: bool) -> Table<'static> {
    let shown = |i: usize| w.get(i).copied().unwrap_or(0);
    let visible: Vec<usize> = (0..cols.len()).filter(|&i| shown(i) > 0).collect();
    let body: Vec<Row> = rows
        .into_iter()
        .map(|r| {
            let mut r: Vec<Option<Text>> = r.into_iter().map(Some).collect();
            Row::new(
                visible
                    .iter()
                    .map(|&i| {
                        let c = &cols[i];
                        let t = r.get_mut(i).and_then(Option::take).unwrap_or_default();
                        Cell::from(t.fit(usize::from(shown(i)), c.cut, c.align))
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let constraints: Vec<Constraint> = visible
        .iter()
        .map(|&i| Constraint::Length(shown(i)))
        .collect();
    let mut t = Table::new(body, constraints).column_spacing(SPACING);
    if header {
        let titles = Row::new(
            visible
                .iter()
                .map(|&i| {
                    let c = &cols[i];
                    Cell::from(Text::plain(c.title).fit(usize::from(shown(i)), Cut::End, c.align))
                })
                .collect::<Vec<_>>(),
        )
        .style(Style::new().bold().underlined());
        t = t.header(titles);
    }
    t
}

/// The x offset of column `i` within the table (hidden columns take no room).
pub fn offset(widths: &[u16], i: usize) -> u16 {
    widths[..i.min(widths.len())]
        .iter()
        .filter(|w| **w > 0)
        .map(|w| w + SPACING)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_show_an_ellipsis_and_count_display_width() {
        assert_eq!(
            cut("amelia.lloyd@virginmedia.co.uk", 25),
            "amelia.lloyd@virginmedia…"
        );
        assert_eq!(
            display_width(&cut("amelia.lloyd@virginmedia.co.uk", 25)),
            25
        );
        assert_eq!(cut("short", 5), "short");
        assert_eq!(cut("short", 4), "sho…");
        assert_eq!(cut("abc", 0), "");
        // Wide characters take two columns: never half of one, never past the width.
        assert_eq!(cut("日本語のテキスト", 7), "日本語…");
        assert_eq!(cut("日本語のテキスト", 8), "日本語…");
        assert!(display_width(&cut("日本語のテキスト", 8)) <= 8);
        assert_eq!(cut("a日本", 4), "a日…");
    }

    #[test]
    fn names_that_differ_at_the_end_are_cut_in_the_middle() {
        let a = cut_middle("Compliance file checks 67", 15);
        let b = cut_middle("Compliance file checks 68", 15);
        assert_eq!(a, "Complia…ecks 67");
        assert_ne!(a, b, "still told apart");
        assert_eq!(display_width(&a), 15);
        assert_eq!(
            cut_middle("Compliance file checks 67", 40),
            "Compliance file checks 67"
        );
        // Spaces next to the cut are dropped, not shown as a gap before the …
        assert_eq!(cut_middle("Annual review 2025", 12), "Annual…2025");
        // Wide characters on either side.
        let w = cut_middle("日本語のテキスト文書", 9);
        assert!(display_width(&w) <= 9, "{w}");
        assert!(
            w.starts_with("日本") && w.ends_with("文書") && w.contains('…'),
            "{w}"
        );
        // Too narrow for both ends: an end cut.
        assert_eq!(cut_middle("Compliance", 4), "Com…");
        assert_eq!(cut_middle("Compliance", 0), "");
    }

    const COLS: [Col; 4] = [
        Col::text("Name", 8, 30, 2, 9).middle(),
        Col::text("Address", 10, 30, 2, 8),
        Col::fixed("Type", 4, 7, 2),
        Col::fixed("Enabled", 3, 10, 1),
    ];

    #[test]
    fn low_priority_columns_shrink_then_hide_first() {
        let widest = [25, 30, 7, 10];
        // Everyone fits at their widest text; the growing columns share the rest.
        let w = widths(&COLS, &widest, 120);
        assert_eq!((w[2], w[3]), (7, 10));
        assert!(w[0] >= 25 && w[1] >= 30);
        assert_eq!(w.iter().sum::<u16>() + 3, 120, "the table fills its width");
        // 60: Name and Address get their room first; Type and Enabled stay at their narrowest.
        let w = widths(&COLS, &widest, 60);
        assert_eq!(w, vec![25, 25, 4, 3], "{w:?}");
        // 26: not even every column at its narrowest fits, so Enabled is gone.
        let w = widths(&COLS, &widest, 26);
        assert_eq!(w, vec![10, 10, 4, 0], "{w:?}");
        // 20: only the two that matter most, at their narrowest or more.
        let w = widths(&COLS, &widest, 20);
        assert_eq!((w[2], w[3]), (0, 0), "{w:?}");
        assert!(w[0] >= 8 && w[1] >= 10);
        // 5: only the name, cut.
        assert_eq!(widths(&COLS, &widest, 5), vec![5, 0, 0, 0]);
        assert_eq!(widths(&COLS, &widest, 0), vec![0, 0, 0, 0]);
    }

    #[test]
    fn a_column_never_takes_more_than_its_text_needs_before_others_have_theirs() {
        // Type holds "imap" (4): it does not hold 7 columns while Name is cut.
        let w = widths(&COLS, &[25, 30, 4, 3], 50);
        assert_eq!(w[2], 4);
        assert_eq!(w[3], 3);
    }

    #[test]
    fn a_cell_keeps_its_marks_and_cuts_its_text() {
        let t = Text::plain("Compliance file checks 67").mark(Span::raw(" ✎"));
        let l = t.fit(14, Cut::Middle, Align::Left);
        assert_eq!(l.to_string(), "Compli…ks 67 ✎");
        assert_eq!(l.width(), 14);
        // No room for the mark beside any text: one cut over both.
        let l = t.fit(3, Cut::Middle, Align::Left);
        assert_eq!(l.to_string(), "Co…");
        let l = Text::plain("42").fit(5, Cut::End, Align::Right);
        assert_eq!(l.alignment, Some(ratatui::layout::Alignment::Right));
    }

    #[test]
    fn a_tail_gives_way_to_the_text() {
        let t = Text::plain("Pension transfer — Hughes").tail(Span::raw(" #Mortgage #Pension"));
        let l = t.fit(20, Cut::Middle, Align::Left);
        assert!(l.width() <= 20);
        // The space before "—" was trimmed at the cut: no sliver of tail in the one column left.
        assert_eq!(l.to_string(), "Pension tr…— Hughes");
        let l = t.fit(30, Cut::Middle, Align::Left);
        assert_eq!(l.to_string(), "Pension transfer — Hughes #Mo…");
        // A short name leaves the rest to the tail.
        let l = Text::plain("ISA")
            .tail(Span::raw(" #Mortgage #Pension"))
            .fit(12, Cut::End, Align::Left);
        assert_eq!(l.to_string(), "ISA #Mortga…");
        // Room for both: nothing cut.
        let l = t.fit(60, Cut::Middle, Align::Left);
        assert_eq!(
            l.to_string(),
            "Pension transfer — Hughes #Mortgage #Pension"
        );
    }

    #[test]
    fn the_table_leaves_hidden_columns_out_and_cuts_headers_with_an_ellipsis() {
        let rows = vec![vec![
            Text::plain("Compliance file checks 67"),
            Text::plain("amelia.lloyd@virginmedia.co.uk"),
            Text::plain("imap"),
            Text::plain("yes"),
        ]];
        let (_, w) = table(&COLS, rows, 20);
        assert_eq!(w.iter().filter(|w| **w > 0).count(), 2, "{w:?}");
        assert_eq!(offset(&w, 1), w[0] + 1);
    }
}
