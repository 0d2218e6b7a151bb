//! Cursor and scroll offset of a list, kept in the state so drawing never has to mutate.
use crate::keymap::Action;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListNav {
    pub selected: usize,
    pub offset: usize,
}

impl ListNav {
    /// Keep `selected` inside `len` and visible in a viewport of `height` rows.
    pub fn clamp(&mut self, len: usize, height: usize) {
        if len == 0 {
            *self = ListNav::default();
            return;
        }
        self.selected = self.selected.min(len - 1);
        let h = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        self.offset = self.offset.min(len.saturating_sub(h)).min(self.selected);
    }

    pub fn down(&mut self, n: usize, len: usize, height: usize) {
        self.selected = self.selected.saturating_add(n);
        self.clamp(len, height);
    }

    pub fn up(&mut self, n: usize, len: usize, height: usize) {
        self.selected = self.selected.saturating_sub(n);
        self.clamp(len, height);
    }

    pub fn home(&mut self, len: usize, height: usize) {
        self.selected = 0;
        self.clamp(len, height);
    }

    pub fn end(&mut self, len: usize, height: usize) {
        self.selected = len.saturating_sub(1);
        self.clamp(len, height);
    }

    /// Apply a movement action (down, up, pages, half pages, top, bottom). Returns true if it
    /// was one.
    pub fn on_action(&mut self, action: Option<Action>, len: usize, height: usize) -> bool {
        let page = height.max(1);
        match action {
            Some(Action::Down) => self.down(1, len, height),
            Some(Action::Up) => self.up(1, len, height),
            Some(Action::PageDown | Action::Forward) => self.down(page, len, height),
            Some(Action::PageUp | Action::Backward) => self.up(page, len, height),
            Some(Action::HalfDown) => self.down(half(height), len, height),
            Some(Action::HalfUp) => self.up(half(height), len, height),
            Some(Action::Top) => self.home(len, height),
            Some(Action::Bottom) => self.end(len, height),
            _ => return false,
        }
        true
    }
}

/// Half a page of `height` rows (Ctrl-D / Ctrl-U), at least one.
pub fn half(height: usize) -> usize {
    (height / 2).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_selection_visible() {
        let mut n = ListNav::default();
        n.down(15, 100, 10);
        assert_eq!((n.selected, n.offset), (15, 6));
        n.up(10, 100, 10);
        assert_eq!((n.selected, n.offset), (5, 5));
        n.end(100, 10);
        assert_eq!((n.selected, n.offset), (99, 90));
        n.clamp(3, 10);
        assert_eq!((n.selected, n.offset), (2, 0));
        n.clamp(0, 0);
        assert_eq!(n, ListNav::default());
    }

    #[test]
    fn half_pages_move_half_the_rows() {
        let mut n = ListNav::default();
        assert!(n.on_action(Some(Action::HalfDown), 100, 10));
        assert_eq!(n.selected, 5);
        n.on_action(Some(Action::HalfDown), 100, 10);
        n.on_action(Some(Action::HalfUp), 100, 10);
        assert_eq!(n.selected, 5);
        n.on_action(Some(Action::HalfUp), 100, 1);
        assert_eq!(n.selected, 4);
        assert!(!n.on_action(Some(Action::Open), 100, 10));
        assert!(!n.on_action(None, 100, 10));
    }
}
