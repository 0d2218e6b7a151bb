//! The help overlay's layout, computed in one place for `update` (how far j may scroll) and for
//! drawing (what shows), so scrolling stops when the last line reaches the bottom of the box
//! instead of running on into an empty box.
use crate::render::wrap::{display_width, wrap_line};

/// The help box for a list of (keys, what they do) in a terminal of `size` (columns, rows).
#[derive(Debug, Clone, PartialEq)]
pub struct HelpLayout {
    /// Outer size of the box, borders included (never larger than the terminal).
    pub width: u16,
    pub height: u16,
    /// Width of the keys column.
    pub key_w: usize,
    /// One entry per row: the keys (on the first row of an entry only) and its text, already
    /// wrapped to the box.
    pub rows: Vec<(String, String)>,
    /// The furthest scroll that still fills the box (0 when everything fits).
    pub max_scroll: u16,
}

/// Borders (2) plus the spaces around the keys (" k ") and before the text (" ").
const CHROME: usize = 2 + 2 + 1;

pub fn layout<K: AsRef<str>>(lines: &[(K, &str)], size: (u16, u16)) -> HelpLayout {
    let key_w = lines
        .iter()
        .map(|(k, _)| display_width(k.as_ref()))
        .max()
        .unwrap_or(0);
    let want = lines
        .iter()
        .map(|(_, d)| key_w + display_width(d) + CHROME)
        .max()
        .unwrap_or(0)
        .max(30);
    let width = u16::try_from(want).unwrap_or(u16::MAX).min(size.0);
    let text_w = usize::from(width).saturating_sub(key_w + CHROME).max(1);
    let mut rows = Vec::new();
    for (k, d) in lines {
        let mut first = true;
        wrap_line(d, text_w, &mut |l| {
            rows.push((if first { k.as_ref() } else { "" }.to_string(), l));
            first = false;
        });
    }
    let height = u16::try_from(rows.len().saturating_add(2))
        .unwrap_or(u16::MAX)
        .min(size.1);
    let inner = usize::from(height.saturating_sub(2));
    let max_scroll = u16::try_from(rows.len().saturating_sub(inner)).unwrap_or(u16::MAX);
    HelpLayout {
        width,
        height,
        key_w,
        rows,
        max_scroll,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: &[(&str, &str)] = &[
        ("j/k", "move"),
        (
            "r",
            "rename (in the list or the open conversation); on a failed save, reopens",
        ),
        ("R", "refresh"),
    ];

    #[test]
    fn everything_fits_no_scroll() {
        let l = layout(LINES, (200, 50));
        assert_eq!(l.rows.len(), 3);
        assert_eq!(l.height, 5);
        assert_eq!(l.max_scroll, 0);
    }

    #[test]
    fn narrow_terminals_wrap_and_scroll_only_until_the_last_row_shows() {
        let l = layout(LINES, (30, 6));
        assert_eq!(l.width, 30);
        assert!(l.rows.len() > 3, "the long line wraps: {:?}", l.rows);
        assert_eq!(l.rows[1].0, "r");
        assert_eq!(l.rows[2].0, "", "continuation rows have no key");
        assert_eq!(l.height, 6);
        assert_eq!(usize::from(l.max_scroll), l.rows.len() - 4);
        for r in &l.rows {
            assert!(display_width(&r.1) <= 30 - l.key_w - CHROME);
        }
    }

    #[test]
    fn tiny_terminals_do_not_panic() {
        for w in 0..4 {
            for h in 0..4 {
                let l = layout(LINES, (w, h));
                assert!(l.width <= w && l.height <= h);
            }
        }
        let l = layout::<&str>(&[], (80, 24));
        assert_eq!(l.max_scroll, 0);
    }
}
