//! Cursor and scroll offset of a list, kept in the state so drawing never has to mutate.

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

    /// Apply a navigation key (j/k, arrows, PgUp/PgDn, g/G, Home/End). Returns true if it was one.
    pub fn on_key(&mut self, key: &crossterm::event::KeyEvent, len: usize, height: usize) -> bool {
        use crossterm::event::KeyCode::*;
        match key.code {
            Down | Char('j') => self.down(1, len, height),
            Up | Char('k') => self.up(1, len, height),
            PageDown => self.down(height.max(1), len, height),
            PageUp => self.up(height.max(1), len, height),
            Home | Char('g') => self.home(len, height),
            End | Char('G') => self.end(len, height),
            _ => return false,
        }
        true
    }
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
}
