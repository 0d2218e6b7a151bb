//! One half of a thread (the ancestors or the descendants of the opened message), paged by the
//! server in an order the docs leave open: page 1 may hold the messages *nearest* the opened one
//! (and later pages go further away), or the *farthest* ones (the thread's start for ancestors,
//! its end for descendants). The order is decided from what the server sends: page 1 and the
//! last page (`meta.last_page`) are compared by `message_created_at`; until that is known,
//! nothing further is loaded on that side and nothing of it is shown (a message placed at the
//! wrong distance would hide a gap). Once known, every page maps to a range of *ranks* (0 = the
//! message next to the opened one), so any page can be asked for on its own: the far end for
//! `g`/`G`, the page bordering a gap as it comes on screen.
use std::collections::BTreeMap;

use crate::api::Page;
use crate::api::models::EmailMessage;
use crate::app::RequestId;

/// Which half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    /// Before the opened message (older).
    Ancestors,
    /// After it (newer).
    Descendants,
}

impl Half {
    pub fn name(self) -> &'static str {
        match self {
            Half::Ancestors => "ancestors",
            Half::Descendants => "descendants",
        }
    }
}

/// Where page 1 of a half starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Not known yet (page 1 is held back until it is).
    Unknown,
    /// Page 1 holds the messages next to the opened one.
    NearestFirst,
    /// Page 1 holds the far end (the thread's first message, or its last).
    FarthestFirst,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PageState {
    Loading(RequestId),
    /// Loaded; the uuids it brought, nearest first, and its `message_created_at` range.
    Loaded {
        uuids: Vec<String>,
        oldest: String,
        newest: String,
    },
    Failed(String),
}

/// One half of the thread.
#[derive(Debug, Clone)]
pub struct Side {
    pub half: Half,
    pub per_page: u32,
    /// Messages in this half (`meta.total`), once known.
    pub total: Option<usize>,
    pub order: Order,
    pub pages: BTreeMap<u32, PageState>,
    /// Why paging stopped early on this side (the server repeated a page), shown in its gap row.
    pub stopped: Option<String>,
    /// Without `meta.total` the half is paged in order until a page says it is the last.
    pub ended: bool,
    /// The thread this side belongs to, for the log.
    thread: String,
    /// Messages received but not placed yet (page 1 while the order is unknown).
    held: Vec<EmailMessage>,
}

/// Where messages go: (uuid, rank), rank 0 being next to the opened message.
pub type Placed = Vec<(String, usize)>;

impl Side {
    pub fn new(half: Half, per_page: u32, thread: &str) -> Side {
        Side {
            half,
            per_page: per_page.max(1),
            total: None,
            order: Order::Unknown,
            pages: BTreeMap::new(),
            stopped: None,
            ended: false,
            thread: thread.to_string(),
            held: Vec::new(),
        }
    }

    pub fn last_page(&self) -> Option<u32> {
        self.total
            .map(|n| n.div_ceil(self.per_page as usize).max(1) as u32)
    }

    /// The ranks page `p` holds, under the decided order.
    pub fn ranks(&self, p: u32) -> std::ops::Range<usize> {
        let pp = self.per_page as usize;
        let from = (p.max(1) as usize - 1) * pp;
        match (self.order, self.total) {
            (Order::FarthestFirst, Some(n)) => n.saturating_sub(from + pp)..n.saturating_sub(from),
            _ => from..from + pp,
        }
    }

    /// The page that holds rank `r`, under the decided order.
    pub fn page_of(&self, r: usize) -> u32 {
        let pp = self.per_page as usize;
        let k = match (self.order, self.total) {
            (Order::FarthestFirst, Some(n)) => n.saturating_sub(r + 1) / pp,
            _ => r / pp,
        };
        u32::try_from(k + 1).unwrap_or(u32::MAX)
    }

    pub fn is_loaded(&self, p: u32) -> bool {
        matches!(self.pages.get(&p), Some(PageState::Loaded { .. }))
    }

    pub fn loading(&self) -> bool {
        self.pages
            .values()
            .any(|s| matches!(s, PageState::Loading(_)))
    }

    pub fn failed(&self) -> Option<(u32, &str)> {
        self.pages.iter().find_map(|(p, s)| match s {
            PageState::Failed(m) => Some((*p, m.as_str())),
            _ => None,
        })
    }

    pub fn state(&self, p: u32) -> Option<&PageState> {
        self.pages.get(&p)
    }

    /// Every message of this half is loaded (or no more can be).
    pub fn is_complete(&self) -> bool {
        if self.stopped.is_some() || self.ended {
            return true;
        }
        match self.last_page() {
            Some(last) => self.order != Order::Unknown && (1..=last).all(|p| self.is_loaded(p)),
            None => false,
        }
    }

    /// Every message of this half is loaded: complete, and not because paging stopped early (a
    /// half that stopped keeps a gap row at its end, saying why, even when nothing says how many
    /// messages are missing).
    pub fn reached_end(&self) -> bool {
        self.stopped.is_none() && self.is_complete()
    }

    /// Whether a request for page `p` may be sent now (not loading, loaded, failed or stopped).
    pub fn can_ask(&self, p: u32) -> bool {
        self.stopped.is_none()
            && !self.ended
            && !self.pages.contains_key(&p)
            && self.last_page().is_none_or(|l| p <= l)
    }

    /// The request that would settle the order: the last page, once page 1 is in. Without
    /// `meta.total` (a bare array): page 2, whose time range says which end page 1 was; and for
    /// a half found to be paged farthest first, the next page in order until the last one says
    /// how many there are (until then nothing of it can be placed).
    pub fn probe(&self) -> Option<u32> {
        if self.total.is_none() && !self.ended && self.stopped.is_none() {
            let next = match self.order {
                Order::Unknown if self.is_loaded(1) => Some(2),
                Order::FarthestFirst => self.pages.keys().max().map(|p| p.saturating_add(1)),
                _ => None,
            };
            return next.filter(|&p| self.can_ask(p) && !self.loading());
        }
        if self.order != Order::Unknown || !self.is_loaded(1) {
            return None;
        }
        self.last_page().filter(|&l| l > 1 && self.can_ask(l))
    }

    /// Without `meta.total` and paged farthest first, nothing can be placed until the end.
    fn unplaceable(&self) -> bool {
        self.order == Order::Unknown || (self.order == Order::FarthestFirst && self.total.is_none())
    }

    pub fn mark_loading(&mut self, p: u32, id: RequestId) {
        self.pages.insert(p, PageState::Loading(id));
    }

    /// The page request `id` is for, if this side is waiting for it.
    pub fn expects(&self, id: RequestId) -> Option<u32> {
        self.pages.iter().find_map(|(p, s)| match s {
            PageState::Loading(i) if *i == id => Some(*p),
            _ => None,
        })
    }

    pub fn on_failed(&mut self, id: RequestId, message: String) -> bool {
        match self.expects(id) {
            Some(p) => {
                self.pages.insert(p, PageState::Failed(message));
                true
            }
            None => false,
        }
    }

    /// Forget a failure so the page can be asked again (the user asked to retry).
    pub fn clear_failure(&mut self, p: u32) {
        if matches!(self.pages.get(&p), Some(PageState::Failed(_))) {
            self.pages.remove(&p);
        }
    }

    /// Nearest first: for ancestors the newest first, for descendants the oldest first.
    fn nearest_first(&self, items: &mut [EmailMessage]) {
        items.sort_by(|a, b| a.sort_key().cmp(b.sort_key()));
        if self.half == Half::Ancestors {
            items.reverse();
        }
    }

    /// Is a page with time range `a` nearer the opened message than one with range `b`?
    /// `Some(true)`/`Some(false)` when the ranges are apart, None when they overlap.
    fn nearer(&self, a: (&str, &str), b: (&str, &str)) -> Option<bool> {
        let (a_old, a_new) = a;
        let (b_old, b_new) = b;
        let a_after_b = a_old >= b_new && a_new > b_old;
        let b_after_a = b_old >= a_new && b_new > a_old;
        match (self.half, a_after_b, b_after_a) {
            (Half::Ancestors, true, false) | (Half::Descendants, false, true) => Some(true),
            (Half::Ancestors, false, true) | (Half::Descendants, true, false) => Some(false),
            _ => None,
        }
    }

    /// Accept page request `id`. Returns where messages go now, as (uuid, rank): the page's
    /// own messages, or (flagged true) every loaded page's once the order was (re)decided (page
    /// 1 is held until the order is known); the messages not yet in the thread are in `take_held`. None for a
    /// stale answer. `known` says whether a uuid is already in the thread (a page of nothing
    /// new stops paging on this side). A page contradicting the decided order re-decides it
    /// (and says so in the log).
    pub fn on_loaded(
        &mut self,
        id: RequestId,
        page: Page<EmailMessage>,
        known: &dyn Fn(&str) -> bool,
    ) -> Option<(Placed, bool)> {
        let out = self.accept(id, page, known)?;
        Some(match out {
            Loaded::Placed(v) => (v, false),
            Loaded::Replace => (self.placements(), true),
        })
    }

    /// The messages received and not yet handed to the thread (none while the order is unknown).
    pub fn take_held(&mut self) -> Vec<EmailMessage> {
        if self.unplaceable() {
            return Vec::new();
        }
        std::mem::take(&mut self.held)
    }

    fn accept(
        &mut self,
        id: RequestId,
        page: Page<EmailMessage>,
        known: &dyn Fn(&str) -> bool,
    ) -> Option<Loaded> {
        let p = self.expects(id)?;
        if page.total.is_some() {
            self.total = page.total.and_then(|t| usize::try_from(t).ok());
        } else if self.total.is_none() && page.last_page.is_some_and(|l| l <= 1) {
            // One page only: its length is the total.
            self.total = Some(page.items.len());
        }
        let short = page.is_last(p, self.per_page);
        let mut items: Vec<EmailMessage> = page.items;
        items.retain(|m| !m.uuid.is_empty());
        self.nearest_first(&mut items);
        let range = (
            items
                .iter()
                .map(|m| m.sort_key().to_string())
                .min()
                .unwrap_or_default(),
            items
                .iter()
                .map(|m| m.sort_key().to_string())
                .max()
                .unwrap_or_default(),
        );
        let nothing_new = p > 1 && !items.is_empty() && items.iter().all(|m| known(&m.uuid));
        let repeats_page_one = p > 1
            && !items.is_empty()
            && matches!(self.pages.get(&1), Some(PageState::Loaded { uuids, .. })
                if !uuids.is_empty() && items.iter().all(|m| uuids.contains(&m.uuid)));
        self.pages.insert(
            p,
            PageState::Loaded {
                uuids: items.iter().map(|m| m.uuid.clone()).collect(),
                oldest: range.0.clone(),
                newest: range.1.clone(),
            },
        );
        let page_placed = |s: &Side, items: &[EmailMessage]| -> Placed {
            let base = s.ranks(p).start;
            items
                .iter()
                .enumerate()
                .map(|(k, m)| (m.uuid.clone(), base + k))
                .collect()
        };
        if nothing_new || repeats_page_one {
            let note = format!(
                "Plannr sent page {p} of the {} again without new messages, so paging stopped here",
                self.half.name()
            );
            tracing::warn!("thread {}: {note}", self.thread);
            self.stopped = Some(note);
            // Its messages are the ones already placed: they keep their places.
            if let Some(PageState::Loaded { uuids, .. }) = self.pages.get_mut(&p) {
                uuids.clear();
            }
            if self.order == Order::Unknown {
                self.order = Order::NearestFirst;
                return Some(Loaded::Replace);
            }
            return Some(Loaded::Placed(Vec::new()));
        }
        if self.total.is_none() {
            return Some(self.accept_unnumbered(p, items, short, page_placed));
        }
        if self.order == Order::Unknown {
            self.held.extend(items.iter().cloned());
        }
        if self.order == Order::Unknown {
            if self.last_page().is_some_and(|l| l <= 1) {
                // A single page is both ends.
                self.order = Order::NearestFirst;
                return Some(Loaded::Replace);
            }
            let (
                Some(PageState::Loaded {
                    oldest: o1,
                    newest: n1,
                    ..
                }),
                Some(last),
            ) = (self.pages.get(&1), self.last_page())
            else {
                return Some(Loaded::Placed(Vec::new()));
            };
            let Some(PageState::Loaded {
                oldest: ol,
                newest: nl,
                ..
            }) = self.pages.get(&last)
            else {
                // Page 1 alone: wait for the probe of the last page.
                return Some(Loaded::Placed(Vec::new()));
            };
            let either_empty = o1.is_empty() || ol.is_empty();
            self.order = match self.nearer((o1, n1), (ol, nl)).filter(|_| !either_empty) {
                Some(true) => Order::NearestFirst,
                Some(false) => Order::FarthestFirst,
                None if either_empty => {
                    tracing::warn!(
                        "thread {}: page 1 or {last} of the {} came empty; assuming nearest first",
                        self.thread,
                        self.half.name()
                    );
                    Order::NearestFirst
                }
                None => {
                    tracing::warn!(
                        "thread {}: pages 1 and {last} of the {} overlap in time; assuming nearest first",
                        self.thread,
                        self.half.name()
                    );
                    Order::NearestFirst
                }
            };
            tracing::info!(
                "thread {}: the server pages the {} {:?}",
                self.thread,
                self.half.name(),
                self.order
            );
            return Some(Loaded::Replace);
        }
        if let Some(q) = self.contradiction(p) {
            self.held.extend(items);
            let was = self.order;
            self.order = match was {
                Order::NearestFirst => Order::FarthestFirst,
                _ => Order::NearestFirst,
            };
            tracing::warn!(
                "thread {}: page {p} of the {} contradicts page {q} under {was:?}; now assuming {:?}",
                self.thread,
                self.half.name(),
                self.order
            );
            return Some(Loaded::Replace);
        }
        let placed = page_placed(self, &items);
        self.held.extend(items);
        Some(Loaded::Placed(placed))
    }

    /// A page of a half that came without `meta.total` (a bare array, or no meta): pages are
    /// asked in order. A full page 1 is held until page 2 says which end it was (a single short
    /// page is both ends); nearest first, each page is placed as it comes; farthest first,
    /// nothing can be placed until the last page says how many there are, so pages are held
    /// and asked on in order (`probe`) until then.
    fn accept_unnumbered(
        &mut self,
        p: u32,
        items: Vec<EmailMessage>,
        short: bool,
        page_placed: impl Fn(&Side, &[EmailMessage]) -> Placed,
    ) -> Loaded {
        if short || items.is_empty() {
            self.ended = true;
        }
        let deciding = self.order == Order::Unknown;
        if deciding {
            if p == 1 && !self.ended {
                self.held.extend(items);
                return Loaded::Placed(Vec::new());
            }
            let range = |q: u32| match self.pages.get(&q) {
                Some(PageState::Loaded { oldest, newest, .. }) if !oldest.is_empty() => {
                    Some((oldest.clone(), newest.clone()))
                }
                _ => None,
            };
            self.order = match (range(1).filter(|_| p > 1), range(p)) {
                (Some((o1, n1)), Some((op, np))) => match self.nearer((&o1, &n1), (&op, &np)) {
                    Some(false) => Order::FarthestFirst,
                    _ => Order::NearestFirst,
                },
                _ => Order::NearestFirst,
            };
            tracing::info!(
                "thread {}: the {} came without meta.total; the server pages them {:?}",
                self.thread,
                self.half.name(),
                self.order
            );
        }
        if self.order == Order::FarthestFirst {
            self.held.extend(items);
            if !self.ended {
                return Loaded::Placed(Vec::new());
            }
            // The last page: now the count is known and every page has its ranks.
            let n: usize = self
                .pages
                .values()
                .map(|s| match s {
                    PageState::Loaded { uuids, .. } => uuids.len(),
                    _ => 0,
                })
                .sum();
            self.total = Some(n);
            return Loaded::Replace;
        }
        if deciding {
            self.held.extend(items);
            return Loaded::Replace;
        }
        let placed = page_placed(self, &items);
        self.held.extend(items);
        Loaded::Placed(placed)
    }

    /// A loaded page whose time range disagrees with page `p`'s place under the decided order.
    fn contradiction(&self, p: u32) -> Option<u32> {
        let Some(PageState::Loaded {
            oldest: po,
            newest: pn,
            uuids,
        }) = self.pages.get(&p)
        else {
            return None;
        };
        if uuids.is_empty() {
            return None;
        }
        let pr = self.ranks(p).start;
        self.pages.iter().find_map(|(q, s)| match s {
            PageState::Loaded {
                oldest,
                newest,
                uuids,
            } if *q != p && !uuids.is_empty() => {
                let expect = pr < self.ranks(*q).start;
                match self.nearer((po, pn), (oldest, newest)) {
                    Some(got) if got != expect => Some(*q),
                    _ => None,
                }
            }
            _ => None,
        })
    }

    /// Every loaded page's uuids with their ranks under the current order (after a decision).
    pub fn placements(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for (p, s) in &self.pages {
            if let PageState::Loaded { uuids, .. } = s {
                let base = self.ranks(*p).start;
                out.extend(uuids.iter().enumerate().map(|(k, u)| (u.clone(), base + k)));
            }
        }
        out
    }
}

/// What a loaded page means for the thread.
#[derive(Debug)]
enum Loaded {
    /// Place these messages (rank from the opened one).
    Placed(Placed),
    /// The order was (re)decided: place every loaded page of this side again (`placements`).
    Replace,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(i: usize) -> EmailMessage {
        EmailMessage {
            uuid: format!("m{i:04}"),
            message_created_at: format!("2025-01-01T{i:08}"),
            ..EmailMessage::default()
        }
    }

    /// Ancestors of message `open` in a thread, paged `order`, page `p` of `per`.
    fn anc_page(open: usize, per: usize, p: usize, far_first: bool) -> Page<EmailMessage> {
        let mut all: Vec<usize> = (0..open).rev().collect(); // nearest first
        if far_first {
            all.reverse();
        }
        let items: Vec<EmailMessage> = all
            .iter()
            .skip((p - 1) * per)
            .take(per)
            .map(|&i| msg(i))
            .collect();
        Page {
            items,
            current_page: Some(p as u32),
            last_page: Some(open.div_ceil(per).max(1) as u32),
            per_page: Some(per as u32),
            total: Some(open as u64),
            has_next: None,
            next: None,
            skipped: 0,
            ..Page::default()
        }
    }

    fn decide(far_first: bool) -> Side {
        let mut s = Side::new(Half::Ancestors, 10, "t");
        s.mark_loading(1, 1);
        let r = s.accept(1, anc_page(95, 10, 1, far_first), &|_| false);
        assert!(
            matches!(r, Some(Loaded::Placed(ref v)) if v.is_empty()),
            "page 1 is held"
        );
        assert_eq!(s.order, Order::Unknown);
        assert_eq!(s.probe(), Some(10), "the last page settles the order");
        s.mark_loading(10, 2);
        let r = s.accept(2, anc_page(95, 10, 10, far_first), &|_| false);
        assert!(matches!(r, Some(Loaded::Replace)));
        s
    }

    #[test]
    fn the_order_is_decided_from_page_one_and_the_last_page() {
        let s = decide(false);
        assert_eq!(s.order, Order::NearestFirst);
        assert_eq!(s.ranks(10), 90..100);
        assert_eq!(s.page_of(94), 10);
        let mut pl = s.placements();
        pl.sort_by_key(|(_, r)| *r);
        assert_eq!(pl.first(), Some(&("m0094".to_string(), 0)));
        assert_eq!(pl.last(), Some(&("m0000".to_string(), 94)));

        let s = decide(true);
        assert_eq!(s.order, Order::FarthestFirst);
        assert_eq!(s.ranks(1), 85..95, "page 1 is the thread's start");
        assert_eq!(
            s.ranks(10),
            0..5,
            "the last page is next to the opened message"
        );
        assert_eq!(s.page_of(0), 10);
        assert_eq!(s.page_of(94), 1);
        let mut pl = s.placements();
        pl.sort_by_key(|(_, r)| *r);
        assert_eq!(pl.first(), Some(&("m0094".to_string(), 0)));
        assert_eq!(pl.last(), Some(&("m0000".to_string(), 94)));
        assert_eq!(pl.len(), 15);
    }

    #[test]
    fn a_contradicting_page_flips_the_order() {
        // A far-first server, wrongly taken for nearest first (as after an ambiguous probe).
        let mut s = decide(true);
        s.order = Order::NearestFirst;
        s.mark_loading(2, 3);
        let r = s.accept(3, anc_page(95, 10, 2, true), &|_| false);
        assert!(matches!(r, Some(Loaded::Replace)), "re-decided");
        assert_eq!(s.order, Order::FarthestFirst);
        // Consistent pages change nothing.
        s.mark_loading(3, 4);
        let r = s.accept(4, anc_page(95, 10, 3, true), &|_| false);
        assert!(matches!(r, Some(Loaded::Placed(ref v)) if v.len() == 10));
        assert_eq!(s.order, Order::FarthestFirst);
    }

    #[test]
    fn a_repeated_page_stops_paging_on_that_side() {
        let mut s = Side::new(Half::Ancestors, 10, "t");
        s.mark_loading(1, 1);
        s.on_loaded(1, anc_page(95, 10, 1, false), &|_| false);
        s.mark_loading(10, 2);
        // A server ignoring page[ancestors] answers page 1 again.
        let r = s.accept(2, anc_page(95, 10, 1, false), &|_| false);
        assert!(r.is_some());
        assert!(s.stopped.is_some());
        assert!(s.is_complete());
        assert!(!s.can_ask(2));
    }

    #[test]
    fn a_single_page_needs_no_probe() {
        let mut s = Side::new(Half::Ancestors, 10, "t");
        s.mark_loading(1, 1);
        let r = s.accept(1, anc_page(7, 10, 1, false), &|_| false);
        assert!(matches!(r, Some(Loaded::Replace)));
        assert!(s.is_complete());
        assert_eq!(s.probe(), None);
    }
}
