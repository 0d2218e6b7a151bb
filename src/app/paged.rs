//! One paging component for every list: pages are requested in order, at most one in flight, a page
//! is requested at most once unless it failed, and the end is known from `links`/`meta` or a short
//! page. Used by email lists, client lists, conversation lists, conversation messages and both
//! halves of a thread.
use crate::api::{Page, PageKey};

#[derive(Debug, Clone, PartialEq)]
pub enum Edge {
    /// Nothing loading; more pages may exist.
    Idle,
    Loading {
        page: u32,
        id: u64,
    },
    Failed {
        page: u32,
        message: String,
    },
    /// Every page is loaded.
    End,
}

#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub per_page: u32,
    /// Pages loaded so far (1..=loaded).
    pub loaded: u32,
    /// Where the next page starts, as the last page said (a number or a cursor); None at the end.
    pub next: Option<PageKey>,
    pub edge: Edge,
    /// The total the server reported, if any.
    pub total: Option<u64>,
}

impl<T> Paged<T> {
    pub fn new(per_page: u32) -> Paged<T> {
        Paged {
            items: Vec::new(),
            per_page: per_page.max(1),
            loaded: 0,
            next: Some(PageKey::Number(1)),
            edge: Edge::Idle,
            total: None,
        }
    }

    /// Forget everything (new search, refresh). In-flight results are recognised as stale by id.
    pub fn reset(&mut self) {
        *self = Paged::new(self.per_page);
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.edge, Edge::Loading { .. })
    }

    pub fn is_complete(&self) -> bool {
        self.edge == Edge::End
    }

    pub fn failed(&self) -> Option<&str> {
        match &self.edge {
            Edge::Failed { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The page to request so that `needed` items exist, or None (enough loaded, one in flight,
    /// the end reached, or the last attempt failed: failures wait for an explicit `retry`).
    /// For numbered lists (a cursor list uses `want_key`).
    pub fn want(&self, needed: usize) -> Option<u32> {
        self.want_key(needed).and_then(|k| k.number())
    }

    /// The key of the page to request so that `needed` items exist (see `want`).
    pub fn want_key(&self, needed: usize) -> Option<PageKey> {
        match self.edge {
            Edge::Idle if self.loaded == 0 || self.items.len() < needed => self.next.clone(),
            _ => None,
        }
    }

    /// The key a failed page is asked again with (the key of the page after those loaded).
    pub fn retry_key(&self) -> Option<PageKey> {
        match self.edge {
            Edge::Failed { .. } => self.next.clone(),
            _ => None,
        }
    }

    /// The failed page, to request again (the user asked to retry).
    pub fn retry(&self) -> Option<u32> {
        match self.edge {
            Edge::Failed { page, .. } => Some(page),
            _ => None,
        }
    }

    /// `page` is the ordinal of the page asked for (its number, for a numbered list).
    pub fn mark_loading(&mut self, page: u32, id: u64) {
        self.edge = Edge::Loading { page, id };
    }

    /// The next page (by key) was asked for with request `id`.
    pub fn mark_loading_next(&mut self, id: u64) {
        self.mark_loading(self.loaded.saturating_add(1), id);
    }

    /// Whether `id` is the request this list is waiting for.
    pub fn expects(&self, id: u64) -> bool {
        matches!(self.edge, Edge::Loading { id: i, .. } if i == id)
    }

    /// Accept a page. Returns false (and changes nothing) for a stale or unexpected answer.
    pub fn on_loaded(&mut self, id: u64, page: Page<T>) -> bool {
        let Edge::Loading { page: n, id: want } = self.edge else {
            return false;
        };
        if want != id {
            return false;
        }
        self.next = page.next_key(n, self.per_page);
        if page.total.is_some() {
            self.total = page.total;
        }
        self.items.extend(page.items);
        self.loaded = n;
        self.edge = if self.next.is_none() {
            Edge::End
        } else {
            Edge::Idle
        };
        true
    }

    /// Record a failure for the page in flight. Returns false for a stale answer.
    pub fn on_failed(&mut self, id: u64, message: String) -> bool {
        let Edge::Loading { page, id: want } = self.edge else {
            return false;
        };
        if want != id {
            return false;
        }
        self.edge = Edge::Failed { page, message };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize, next: bool) -> Page<u32> {
        Page {
            items: (0..n as u32).collect(),
            has_next: Some(next),
            ..Page::default()
        }
    }

    #[test]
    fn requests_in_order_once_and_stops_at_end() {
        let mut p: Paged<u32> = Paged::new(10);
        assert_eq!(p.want(0), Some(1));
        p.mark_loading(1, 7);
        assert_eq!(p.want(100), None, "never two in flight");
        assert!(!p.on_loaded(8, page(10, true)), "stale id ignored");
        assert!(p.on_loaded(7, page(10, true)));
        assert_eq!(p.want(5), None, "enough loaded");
        assert_eq!(p.want(15), Some(2));
        p.mark_loading(2, 9);
        assert!(p.on_loaded(9, page(3, false)));
        assert!(p.is_complete());
        assert_eq!(p.want(1000), None);
        assert_eq!(p.items.len(), 13);
    }

    #[test]
    fn failure_waits_for_retry() {
        let mut p: Paged<u32> = Paged::new(10);
        p.mark_loading(1, 1);
        assert!(p.on_failed(1, "boom".into()));
        assert_eq!(
            p.want(100),
            None,
            "a failed page is not re-requested by scrolling"
        );
        assert_eq!(p.retry(), Some(1));
        p.mark_loading(1, 2);
        assert!(p.on_loaded(
            2,
            Page {
                items: vec![1, 2],
                ..Page::default()
            }
        ));
        assert!(p.is_complete(), "a short page is the end");
    }

    /// A cursor list: the next key is what the page said (`links.next`), never loaded + 1.
    #[test]
    fn follows_the_cursor_the_page_hands_out() {
        let mut p: Paged<u32> = Paged::new(10);
        assert_eq!(p.want_key(0), Some(PageKey::Number(1)), "the first page");
        p.mark_loading_next(1);
        let first = Page {
            next: Some(PageKey::Cursor("after=abc".into())),
            ..page(10, true)
        };
        assert!(p.on_loaded(1, first));
        assert_eq!(p.want(100), None, "no page number to compute");
        assert_eq!(p.want_key(100), Some(PageKey::Cursor("after=abc".into())));
        p.mark_loading_next(2);
        assert!(p.on_failed(2, "boom".into()));
        assert_eq!(
            p.retry_key(),
            Some(PageKey::Cursor("after=abc".into())),
            "a retry asks for the same cursor"
        );
        p.mark_loading_next(3);
        assert!(p.on_loaded(3, page(4, false)));
        assert!(p.is_complete());
        assert_eq!(p.items.len(), 14);
    }
}
