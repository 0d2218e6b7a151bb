//! One page of a list, as every backend hands it to the app.

/// Where the next page of a list starts: a page number (Plannr's `page=N`, and the thread view's
/// random access), or an opaque cursor a backend handed out (`links.next`). `Number(1)` is the
/// first page of every list, whatever the backend.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKey {
    Number(u32),
    Cursor(String),
}

impl PageKey {
    pub fn number(&self) -> Option<u32> {
        match self {
            PageKey::Number(n) => Some(*n),
            PageKey::Cursor(_) => None,
        }
    }
}

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
    /// The key of the next page, when the backend said (None: unknown or no next page; lists
    /// then judge the end with `is_last`).
    pub next: Option<PageKey>,
    /// Items that were present but did not decode (skipped rather than failing the page).
    pub skipped: usize,
    /// The answer was a bare array where a paginator was expected: nothing says where the end is,
    /// and asking for "the next page" of it may return the same array forever.
    pub bare: bool,
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
            next: None,
            skipped: 0,
            bare: false,
        }
    }
}

impl<T> Page<T> {
    /// The same page with every item converted (the paging facts unchanged).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            current_page: self.current_page,
            last_page: self.last_page,
            per_page: self.per_page,
            total: self.total,
            has_next: self.has_next,
            next: self.next,
            skipped: self.skipped,
            bare: self.bare,
        }
    }

    /// The key of the page after this one, requested as page number `requested` of
    /// `per_page`: what the backend said, else the next number unless this is the last page.
    pub fn next_key(&self, requested: u32, per_page: u32) -> Option<PageKey> {
        if self.next.is_some() {
            return self.next.clone();
        }
        (!self.is_last(requested, per_page)).then(|| PageKey::Number(requested.saturating_add(1)))
    }

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
