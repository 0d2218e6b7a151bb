//! One page of a list, as every backend hands it to the app.

/// One page of a list, with whatever the server said about where the end is.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub current_page: Option<u32>,
    pub last_page: Option<u32>,
    pub per_page: Option<u32>,
    pub total: Option<u64>,
    /// `links.next` was present: `Some(true)` if it was a URL, `Some(false)` if null.
    pub has_next: Option<bool>,
    /// Items that were present but did not decode (skipped rather than failing the page).
    pub skipped: usize,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            items: Vec::new(),
            current_page: None,
            last_page: None,
            per_page: None,
            total: None,
            has_next: None,
            skipped: 0,
        }
    }
}

impl<T> Page<T> {
    /// Whether this is the last page, judged from `links.next`, then `meta`, then a short page.
    pub fn is_last(&self, requested_page: u32, requested_per_page: u32) -> bool {
        if let Some(next) = self.has_next {
            return !next;
        }
        if let (Some(cur), Some(last)) = (self.current_page, self.last_page) {
            return cur >= last;
        }
        if let Some(last) = self.last_page {
            return requested_page >= last;
        }
        if let Some(total) = self.total {
            let per = self.per_page.unwrap_or(requested_per_page).max(1) as u64;
            return requested_page as u64 * per >= total;
        }
        (self.items.len() + self.skipped) < requested_per_page as usize
    }
}
