//! The message log overlay's layout (`L`), computed in one place for `update` (how far k may
//! scroll back) and for drawing, so scrolling stops when the oldest message reaches the top of
//! the box instead of running on into an empty one (the help overlay's bug, issue 17.6).
use super::{Core, Level, Tab};

/// One row of the log as drawn: the time and pane on a message's first row, its text wrapped.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRow {
    /// "12:04:31 Conversations: " on the first row of a message; None on the rows after it.
    pub head: Option<String>,
    /// Columns the text is indented by on the rows after the first.
    pub indent: usize,
    pub text: String,
    pub level: Level,
}

/// Outer size of the box in a terminal of `size`: up to 100 columns, the height less two rows.
pub fn box_size(size: (u16, u16)) -> (u16, u16) {
    (size.0.min(100), size.1.saturating_sub(2).max(3).min(size.1))
}

/// Every message's rows at `width` columns inside the box, oldest first.
pub fn rows(core: &Core, width: usize) -> Vec<LogRow> {
    let mut out = Vec::new();
    for e in &core.log {
        let when = crate::clock::log_time(e.time, core.now);
        let from = e.tab.map(Tab::title).unwrap_or("app");
        let head = format!("{when} {from}: ");
        let indent = head.chars().count().min(width / 2);
        let mut head = Some(head);
        crate::render::wrap::wrap_line(&e.text, width.saturating_sub(indent).max(1), &mut |l| {
            out.push(LogRow {
                head: head.take(),
                indent,
                text: l,
                level: e.level,
            });
        });
    }
    out
}

/// The furthest `k` may scroll back in a terminal of `size` (0 when everything fits).
pub fn max_scroll(core: &Core, size: (u16, u16)) -> u16 {
    let (w, h) = box_size(size);
    if w < 4 || h < 3 {
        return 0;
    }
    let n = rows(core, usize::from(w - 2)).len();
    u16::try_from(n.saturating_sub(usize::from(h - 2))).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolls_only_as_far_as_the_oldest_row() {
        let mut core = Core::default();
        assert_eq!(max_scroll(&core, (60, 12)), 0, "empty");
        core.info("one");
        core.info("two");
        assert_eq!(max_scroll(&core, (60, 12)), 0, "two rows fit in eight");
        for i in 0..20 {
            core.info(format!("message {i}"));
        }
        // 22 rows, 8 inside a 60×12 box (10 rows high less its borders).
        assert_eq!(max_scroll(&core, (60, 12)), 14);
        for (w, h) in [(0, 0), (1, 1), (3, 2), (4, 3), (10, 4)] {
            let _ = max_scroll(&core, (w, h));
        }
    }
}
