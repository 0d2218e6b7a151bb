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
    /// Why paging stopped before the server said it was the end (it ignored the page asked for,
    /// sent a bare array, or a page with nothing new): shown in the view. No request loop,
    /// whatever the server does.
    pub note: Option<String>,
    /// How two items are told apart, when the list knows (a uuid): a page adding no new item
    /// ends paging.
    pub identity: Option<fn(&T) -> String>,
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
            note: None,
            identity: None,
        }
    }

    /// Tell items apart by `f` (their uuid): a page that adds nothing new ends paging.
    pub fn with_identity(mut self, f: fn(&T) -> String) -> Paged<T> {
        self.identity = Some(f);
        self
    }

    /// Forget everything (new search, refresh). In-flight results are recognised as stale by id.
    pub fn reset(&mut self) {
        let identity = self.identity;
        *self = Paged::new(self.per_page);
        self.identity = identity;
    }

    /// Why this page must end paging although the server did not say it is the last, if it must.
    fn runaway(&self, n: u32, page: &Page<T>) -> Option<String> {
        if let Some(c) = page.current_page.filter(|&c| c != n) {
            return Some(format!(
                "the server answered page {c} when asked for page {n} (it ignores paging); stopped asking"
            ));
        }
        if page.bare && page.items.len() + page.skipped >= self.per_page as usize {
            return Some(
                "the server sent a plain list, not pages: showing what it sent; more may exist"
                    .into(),
            );
        }
        if n > 1 && page.items.is_empty() && page.skipped == 0 {
            return Some(format!("page {n} came back empty; stopped asking"));
        }
        if let Some(id) = self.identity
            && n > 1
            && page
                .items
                .iter()
                .all(|x| self.items.iter().any(|y| id(y) == id(x)))
        {
            return Some(format!(
                "page {n} held nothing new (the server may ignore paging); stopped asking"
            ));
        }
        None
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
        let stop = if self.next.is_some() {
            self.runaway(n, &page)
        } else {
            None
        };
        let repeated = stop.is_some() && n > 1 && page.current_page.is_some_and(|c| c != n);
        if stop.is_some() {
            self.next = None;
            self.note = stop;
        }
        match self.identity {
            // Never the same item twice (a server that repeats pages).
            Some(id) => {
                let fresh: Vec<T> = page
                    .items
                    .into_iter()
                    .filter(|x| !self.items.iter().any(|y| id(y) == id(x)))
                    .collect();
                self.items.extend(fresh);
            }
            None if repeated => {} // the same page again: nothing to add
            None => self.items.extend(page.items),
        }
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

    /// Issue 10: paging that cannot run away. Each way a server can keep "more" coming without
    /// adding anything ends paging for that list with a note, and no further request.
    #[test]
    fn a_server_that_ignores_paging_cannot_make_a_request_loop() {
        // The page parameter ignored: page 2 says it is page 1.
        let mut p: Paged<u32> = Paged::new(10);
        p.mark_loading(1, 1);
        assert!(p.on_loaded(1, page(10, true)));
        p.mark_loading(2, 2);
        let again = Page {
            current_page: Some(1),
            ..page(10, true)
        };
        assert!(p.on_loaded(2, again));
        assert!(p.is_complete() && p.want(1000).is_none());
        assert!(p.note.as_deref().unwrap_or("").contains("ignores paging"));
        assert_eq!(p.items.len(), 10, "the repeated page is not added again");
        // A bare array where a paginator was expected (full: it would be asked again forever).
        let mut p: Paged<u32> = Paged::new(10);
        p.mark_loading(1, 1);
        let bare = Page {
            items: (0..10).collect(),
            bare: true,
            ..Page::default()
        };
        assert!(p.on_loaded(1, bare));
        assert!(p.is_complete() && p.want(1000).is_none());
        assert!(p.note.as_deref().unwrap_or("").contains("plain list"));
        // A page adding nothing new (identity known), and an empty page claiming more.
        let mut p: Paged<u32> = Paged::new(10).with_identity(|x| x.to_string());
        p.mark_loading(1, 1);
        assert!(p.on_loaded(1, page(10, true)));
        p.mark_loading(2, 2);
        assert!(p.on_loaded(2, page(10, true)));
        assert!(p.is_complete() && p.want(1000).is_none());
        assert!(p.note.as_deref().unwrap_or("").contains("nothing new"));
        p.reset();
        assert!(
            p.identity.is_some() && p.note.is_none(),
            "reset keeps the identity"
        );
        let mut p: Paged<u32> = Paged::new(10);
        p.mark_loading(1, 1);
        assert!(p.on_loaded(1, page(10, true)));
        p.mark_loading(2, 2);
        assert!(p.on_loaded(2, page(0, true)));
        assert!(p.is_complete());
        assert!(p.note.is_some());
        // A well-behaved server is unaffected.
        let mut p: Paged<u32> = Paged::new(10).with_identity(|x| x.to_string());
        p.mark_loading(1, 1);
        assert!(p.on_loaded(1, page(10, true)));
        p.mark_loading(2, 2);
        let second = Page {
            items: (10..20).collect(),
            current_page: Some(2),
            has_next: Some(false),
            ..Page::default()
        };
        assert!(p.on_loaded(2, second));
        assert_eq!((p.items.len(), p.note.clone()), (20, None));
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
