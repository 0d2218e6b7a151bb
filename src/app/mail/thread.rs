//! The thread view: one continuous, scrollable list of a thread's messages in thread order,
//! ancestors above the opened message and descendants below. Each half is a `Side`, paged in
//! whichever order the server uses (decided from what it sends), so any page can be asked for
//! on its own: `g`/`G` bring the thread's ends in at most two requests and the pages between
//! load as their "N messages not loaded yet" row comes on screen. Every message carries its
//! *slot* (its place relative to the opened message), so a missing run of messages is always
//! shown as a gap row, never silently skipped.
//!
//! The scroll position is an anchor (message uuid + signed line offset from that message's
//! header), so a page arriving above never moves what the user is reading. Layout is lazy: only
//! messages on or near the screen are wrapped (in update, once per width); the others carry an
//! estimated height until they come near, so whole-thread keys and resizes cost the same on a
//! 10,000-message thread as on a short one.
mod gaps;
mod index;
mod layout;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::body::{self, BodyMode, ViewLine};
use super::side::{Half, Order, Side};
use crate::api::Page;
use crate::api::models::{EmailMessage, Participant, ThreadQuery};
use crate::app::RequestId;

pub use gaps::{Gap, GapState};
pub use layout::is_move;

/// At most this many message slots are reserved ahead of those placed (see `Thread::place`).
const RESERVE_STEP: usize = 20_000;

/// Which half of the thread a request is for. `First` loads the message and page 1 of both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    First,
    Ancestors,
    Descendants,
}

/// The line at the top of the viewport: `offset` lines below the header of message `uuid`
/// (negative: above it, i.e. a gap row or the previous message's tail).
pub use crate::app::viewport::Anchor;

/// Keep the viewport pinned to one end while pages arrive (after `g` / `G`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    Top,
    Bottom,
}

/// The converted body of a message in one mode.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyState {
    /// Not asked for yet (collapsed, or the mode changed).
    None,
    /// HTML conversion running in the worker (request id).
    Converting(RequestId),
    Ready(crate::render::html::Body),
}

/// Fetching the message on its own, for the `html` that thread pages leave out.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetch {
    /// Not asked for yet (fetched when it is expanded and on screen).
    NotYet,
    Loading(RequestId),
    /// The last attempt failed; expanding it again retries.
    Failed,
    /// Have the full message (with `html`, if it has any).
    Done,
}

#[derive(Debug, Clone)]
pub struct TMsg {
    /// Boxed: the message is most of a `TMsg`'s size (its thread halves and mailbox are inline),
    /// and `Thread::msgs` is a `Vec` that grows by doubling, so 10,000 inline messages kept up to
    /// 12 MB of mostly empty slots.
    pub m: Box<EmailMessage>,
    /// Place in the thread relative to the opened message (0; ancestors negative).
    pub slot: i64,
    pub expanded: bool,
    pub mode: BodyMode,
    /// Quoted lines folded into one line.
    pub fold_quotes: bool,
    pub body: BodyState,
    /// Expanded content (everything under the header), wrapped at `wrapped_width`; valid only
    /// while `laid` (otherwise `est` stands in for its length).
    pub lines: Vec<ViewLine>,
    pub wrapped_width: u16,
    pub laid: bool,
    /// Estimated content lines while not laid out.
    pub est: usize,
    /// Line breaks in the text, counted once (for estimates).
    breaks: usize,
    /// Which attachment `s` saves.
    pub attachment: usize,
    pub fetch: Fetch,
    /// A conversion at the current width is running (request id); the body laid out at the old
    /// width is shown, re-wrapped, until it comes.
    pub relayout: Option<RequestId>,
}

impl TMsg {
    pub(crate) fn new(mut m: EmailMessage, slot: i64) -> TMsg {
        // Decoding grows this list by doubling (no length is known up front); a thread keeps
        // thousands of them for as long as it is open.
        m.attachments.shrink_to_fit();
        let breaks = m
            .text
            .as_deref()
            .map(|t| t.bytes().filter(|&b| b == b'\n').count())
            .unwrap_or(0);
        TMsg {
            slot,
            expanded: false,
            mode: BodyMode::Html,
            fold_quotes: false,
            body: BodyState::None,
            lines: Vec::new(),
            wrapped_width: 0,
            laid: true,
            est: 0,
            breaks,
            attachment: 0,
            relayout: None,
            fetch: if m.html.is_some() {
                Fetch::Done
            } else {
                Fetch::NotYet
            },
            m: Box::new(m),
        }
    }

    pub fn height(&self) -> usize {
        1 + match (self.expanded, self.laid) {
            (false, _) => 0,
            (true, true) => self.lines.len(),
            (true, false) => self.est,
        }
    }

    /// The HTML to convert off the UI thread, when the current mode needs it.
    pub fn wants_conversion(&self) -> Option<&str> {
        match (&self.body, self.mode, self.m.html.as_deref()) {
            (BodyState::None, BodyMode::Html, Some(h)) if self.expanded && !h.trim().is_empty() => {
                Some(h)
            }
            _ => None,
        }
    }

    /// Rebuild the wrapped lines for `width` (cheap bodies are converted inline).
    pub fn rewrap(&mut self, width: u16) {
        self.laid = true;
        if !self.expanded {
            self.lines = Vec::new();
            self.wrapped_width = 0;
            return;
        }
        if matches!(self.body, BodyState::None) && self.wants_conversion().is_none() {
            self.body = BodyState::Ready(body::convert_inline(&self.m, self.mode));
        }
        self.lines = body::layout(self, width);
        self.wrapped_width = width;
    }

    /// Leave the lines to be laid out when the message comes near the screen; until then its
    /// height is estimated (from the last layout, or from the text's size).
    fn defer(&mut self, width: u16) {
        if !self.expanded {
            self.rewrap(width);
            return;
        }
        let w = usize::from(width.saturating_sub(body::INDENT).max(1));
        self.est = if self.laid && self.wrapped_width > 0 && !self.lines.is_empty() {
            let old = usize::from(self.wrapped_width.saturating_sub(body::INDENT).max(1));
            (self.lines.len() * old).div_ceil(w).max(1)
        } else {
            let text = self.m.text.as_deref().map(str::len).unwrap_or(0);
            4 + self.breaks + text / w + self.m.attachments.len()
        };
        self.laid = false;
    }
}

/// What the view needs from outside: which page of which half to request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRequest {
    pub part: Part,
    pub query: ThreadQuery,
}

#[derive(Debug, Clone)]
pub struct Thread {
    /// The opened message.
    pub uuid: String,
    pub per_page: u32,
    /// Failure of the first call (nothing to show yet).
    pub first_error: Option<String>,
    pub ancestors: Side,
    pub descendants: Side,
    /// All placed messages, in thread order (by slot), unique by uuid.
    pub msgs: Vec<TMsg>,
    index: index::Index,
    /// Each distinct participant list once: a thread's messages go between the same few people,
    /// and a 10,000-message thread kept 10,000 copies of their names and addresses (4 MB).
    people: HashSet<Arc<[Participant]>>,
    /// `starts[i]`: the virtual line of message i's header.
    starts: Vec<usize>,
    total: usize,
    /// Missing messages before the first placed one / after the last (a gap row each).
    lead: Option<Option<usize>>,
    trail: Option<Option<usize>>,
    pub top: Anchor,
    /// The focused message's uuid.
    pub focus: String,
    pub width: u16,
    pub height: usize,
    pub thread_count: Option<u64>,
    pub follow: Option<Follow>,
    /// The reader's last direction: gaps on screen fill from the side being read from.
    heading_up: bool,
}

impl Thread {
    /// A thread view about to load `uuid`: call `first_request` and send it.
    pub fn new(uuid: &str, per_page: u32, width: u16, height: usize) -> Thread {
        let per_page = per_page.clamp(1, 500);
        Thread {
            uuid: uuid.to_string(),
            per_page,
            first_error: None,
            ancestors: Side::new(Half::Ancestors, per_page, uuid),
            descendants: Side::new(Half::Descendants, per_page, uuid),
            msgs: Vec::new(),
            index: index::Index::default(),
            people: HashSet::new(),
            starts: Vec::new(),
            total: 0,
            lead: None,
            trail: None,
            top: Anchor {
                uuid: uuid.to_string(),
                offset: 0,
            },
            focus: uuid.to_string(),
            width,
            height: height.max(1),
            thread_count: None,
            follow: None,
            heading_up: false,
        }
    }

    pub fn query(&self, page_ancestors: u32, page_descendants: u32) -> ThreadQuery {
        ThreadQuery {
            per_page: self.per_page,
            page_ancestors,
            page_descendants,
        }
    }

    /// The first call: the message with page 1 of both halves. Both halves wait for `id`.
    pub fn first_request(&self) -> PageRequest {
        PageRequest {
            part: Part::First,
            query: self.query(1, 1),
        }
    }

    pub fn first_sent(&mut self, id: RequestId) {
        self.first_error = None;
        self.ancestors = Side::new(Half::Ancestors, self.per_page, &self.uuid);
        self.descendants = Side::new(Half::Descendants, self.per_page, &self.uuid);
        self.ancestors.mark_loading(1, id);
        self.descendants.mark_loading(1, id);
    }

    pub fn is_loaded(&self) -> bool {
        !self.msgs.is_empty()
    }

    pub fn first_loading(&self) -> bool {
        self.msgs.is_empty() && self.first_error.is_none()
    }

    pub fn total_lines(&self) -> usize {
        self.total
    }

    pub fn side(&self, half: Half) -> &Side {
        match half {
            Half::Ancestors => &self.ancestors,
            Half::Descendants => &self.descendants,
        }
    }

    fn side_mut(&mut self, half: Half) -> &mut Side {
        match half {
            Half::Ancestors => &mut self.ancestors,
            Half::Descendants => &mut self.descendants,
        }
    }

    pub fn start_of(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(0)
    }

    pub fn focus_index(&self) -> Option<usize> {
        self.index.get(&self.msgs, &self.focus)
    }

    pub fn index_of(&self, uuid: &str) -> Option<usize> {
        self.index.get(&self.msgs, uuid)
    }

    fn reindex(&mut self) {
        self.index.rebuild(&self.msgs);
    }

    /// A message about to be kept, with its participant list shared with the thread's other
    /// messages between the same people.
    fn keep(&mut self, mut m: EmailMessage, slot: i64) -> TMsg {
        match self.people.get(&m.participants) {
            Some(same) => m.participants = same.clone(),
            None => {
                self.people.insert(m.participants.clone());
            }
        }
        TMsg::new(m, slot)
    }

    /// Put messages in their places: `placed` is (uuid, rank) on `half`; `fresh` the messages
    /// not in the thread yet. Known messages move only when the order was re-decided (`moving`);
    /// otherwise a message repeated by a later page keeps its place.
    fn place(
        &mut self,
        half: Half,
        placed: Vec<(String, usize)>,
        fresh: Vec<EmailMessage>,
        moving: bool,
    ) {
        if placed.is_empty() {
            return;
        }
        let slot = |rank: usize| {
            let r = i64::try_from(rank).unwrap_or(i64::MAX - 1) + 1;
            match half {
                Half::Ancestors => -r,
                Half::Descendants => r,
            }
        };
        // Room for the whole thread once its size is known, so thousands of messages do not sit
        // in a Vec grown by doubling. Capped per step: the size is the server's word.
        if let Some(n) = self.size().and_then(|n| usize::try_from(n).ok()) {
            let want = n.min(self.msgs.len() + fresh.len() + RESERVE_STEP);
            if want > self.msgs.capacity() {
                self.msgs.reserve_exact(want - self.msgs.len());
            }
        }
        let mut fresh: HashMap<String, EmailMessage> =
            fresh.into_iter().map(|m| (m.uuid.clone(), m)).collect();
        let before = self.msgs.len();
        for (uuid, rank) in placed {
            if let Some(i) = self.index_of(&uuid) {
                // A message this very page already placed (named twice) keeps its first place.
                if let Some(m) = self
                    .msgs
                    .get_mut(i)
                    .filter(|_| i < before && moving && uuid != self.uuid)
                {
                    m.slot = slot(rank);
                }
            } else if let Some(m) = fresh.remove(&uuid) {
                let t = self.keep(m, slot(rank));
                self.msgs.push(t);
                self.index.insert(&self.msgs, self.msgs.len() - 1);
            }
        }
        // Stable, and nearly sorted runs make this close to linear.
        self.msgs.sort_by_key(|m| m.slot);
        self.reindex();
    }

    /// Accept the answer to a request routed as `part`. Returns false for a stale answer.
    pub fn on_loaded(&mut self, part: Part, id: RequestId, mut msg: EmailMessage) -> bool {
        let anc = msg.ancestors.take().map(|p| *p);
        let desc = msg.descendants.take().map(|p| *p);
        // A missing half is an empty, complete one.
        let page = |p: Option<Page<EmailMessage>>| {
            p.unwrap_or(Page {
                has_next: Some(false),
                total: Some(0),
                ..Page::default()
            })
        };
        let mut took = false;
        let first = part == Part::First && self.ancestors.expects(id).is_some();
        if first {
            msg.ancestors = None;
            msg.descendants = None;
            self.msgs.clear();
            self.index.clear();
            self.people.clear();
            let mut opened = self.keep(msg.clone(), 0);
            // Fetched directly: what it has is all there is.
            opened.fetch = Fetch::Done;
            opened.expanded = true;
            opened.rewrap(self.width);
            if opened.m.uuid != self.uuid {
                tracing::warn!("thread: asked for one message, Plannr answered with another");
                self.uuid = opened.m.uuid.clone();
            }
            self.msgs.push(opened);
            self.index.insert(&self.msgs, 0);
        }
        for (half, p) in [(Half::Ancestors, anc), (Half::Descendants, desc)] {
            let wanted = match half {
                Half::Ancestors => matches!(part, Part::First | Part::Ancestors),
                Half::Descendants => matches!(part, Part::First | Part::Descendants),
            };
            if !wanted || self.side(half).expects(id).is_none() {
                continue;
            }
            let (index, msgs) = (&self.index, &self.msgs);
            let known = |u: &str| index.get(msgs, u).is_some();
            let side = match half {
                Half::Ancestors => &mut self.ancestors,
                Half::Descendants => &mut self.descendants,
            };
            if let Some((placed, moving)) = side.on_loaded(id, page(p), &known) {
                let fresh = side.take_held();
                self.place(half, placed, fresh, moving);
                took = true;
            }
        }
        if !took {
            return false;
        }
        if msg.thread_count.is_some() {
            self.thread_count = msg.thread_count;
        }
        if first {
            // The opened message's header at the top.
            self.top = Anchor {
                uuid: self.uuid.clone(),
                offset: 0,
            };
            self.focus = self.uuid.clone();
        }
        self.settle();
        true
    }

    /// Record a failed request. Returns false for a stale answer.
    pub fn on_failed(&mut self, part: Part, id: RequestId, message: String) -> bool {
        let mut took = false;
        if matches!(part, Part::First | Part::Ancestors) {
            took |= self.ancestors.on_failed(id, message.clone());
        }
        if matches!(part, Part::First | Part::Descendants) {
            took |= self.descendants.on_failed(id, message.clone());
        }
        if took && part == Part::First {
            self.first_error = Some(message);
        }
        if took {
            self.settle();
        }
        took
    }

    fn request(&self, half: Half, page: u32) -> PageRequest {
        match half {
            Half::Ancestors => PageRequest {
                part: Part::Ancestors,
                query: self.query(page, 1),
            },
            Half::Descendants => PageRequest {
                part: Part::Descendants,
                query: self.query(1, page),
            },
        }
    }

    /// Pages to request now: the last page of a half whose order is not known yet (it settles
    /// the order), the far end a `g`/`G` is waiting for, and the page bordering each gap row on
    /// screen. Never a page in flight, loaded, or failed (failures wait for `retry`).
    pub fn wanted(&self) -> Vec<PageRequest> {
        let mut out: Vec<PageRequest> = Vec::new();
        if self.msgs.is_empty() {
            return out;
        }
        let mut push = |r: PageRequest| {
            if !out.contains(&r) {
                out.push(r);
            }
        };
        for half in [Half::Ancestors, Half::Descendants] {
            if let Some(p) = self.side(half).probe() {
                push(self.request(half, p));
            }
        }
        let end = match self.follow {
            Some(Follow::Top) => Some(Half::Ancestors),
            Some(Follow::Bottom) => Some(Half::Descendants),
            None => None,
        };
        if let Some(half) = end
            && let Some(p) = self.far_page(half)
        {
            push(self.request(half, p))
        }
        for (half, p) in self.gap_pages_on_screen() {
            push(self.request(half, p));
        }
        out
    }

    /// The page holding the far end of `half`, when it can be asked for now.
    fn far_page(&self, half: Half) -> Option<u32> {
        let s = self.side(half);
        if s.order == Order::Unknown {
            return None; // the probe brings it
        }
        let n = s.total?;
        let p = s.page_of(n.checked_sub(1)?);
        s.can_ask(p).then_some(p)
    }

    /// Mark a page request as sent.
    pub fn sent(&mut self, req: PageRequest, id: RequestId) {
        match req.part {
            Part::First => self.first_sent(id),
            Part::Ancestors => self.ancestors.mark_loading(req.query.page_ancestors, id),
            Part::Descendants => self
                .descendants
                .mark_loading(req.query.page_descendants, id),
        }
        self.relayout();
    }

    /// The request that retries a failed page whose gap row is on screen, if any (Enter).
    pub fn retry(&mut self) -> Option<PageRequest> {
        if self.first_error.is_some() {
            return Some(self.first_request());
        }
        let (half, p) = self.failed_on_screen()?;
        self.side_mut(half).clear_failure(p);
        Some(self.request(half, p))
    }

    /// Any failed page, on screen or not (the `r` key).
    pub fn retry_any(&mut self) -> Option<PageRequest> {
        if let Some(r) = self.retry() {
            return Some(r);
        }
        for half in [Half::Ancestors, Half::Descendants] {
            if let Some((p, _)) = self.side(half).failed() {
                self.side_mut(half).clear_failure(p);
                return Some(self.request(half, p));
            }
        }
        None
    }

    /// The focused message's place in the whole thread, and the thread's size: ("n of N").
    pub fn position(&self) -> (usize, Option<u64>) {
        let slot = self.focused().map(|m| m.slot).unwrap_or(0);
        let before = match self.ancestors.total {
            Some(n) => n as i64,
            None => -self.msgs.first().map(|m| m.slot).unwrap_or(0),
        };
        ((before + slot + 1).max(1) as usize, self.size())
    }

    /// Messages in the thread: both halves and the opened one, else what Plannr counted.
    pub fn size(&self) -> Option<u64> {
        match (self.ancestors.total, self.descendants.total) {
            (Some(a), Some(d)) => Some(a as u64 + d as u64 + 1),
            _ => self.thread_count,
        }
    }

    /// Messages placed so far (for "loaded N of M").
    pub fn loaded(&self) -> usize {
        self.msgs.len()
    }

    pub fn focused(&self) -> Option<&TMsg> {
        self.focus_index().map(|i| &self.msgs[i])
    }

    pub fn focused_mut(&mut self) -> Option<&mut TMsg> {
        let i = self.focus_index()?;
        self.msgs.get_mut(i)
    }

    /// Pending loads (for the header): earlier, later.
    pub fn loading_edges(&self) -> (bool, bool) {
        (self.ancestors.loading(), self.descendants.loading())
    }
}

/// One visible row of the thread view.
#[derive(Debug, Clone, PartialEq)]
pub enum Row<'a> {
    /// Messages not loaded yet (or that cannot be), between two loaded ones or at an end.
    Gap(Gap),
    Header(usize),
    Line(usize, &'a ViewLine),
    Blank,
}

#[cfg(test)]
mod place_tests {
    use super::*;

    fn msg(uuid: &str) -> EmailMessage {
        EmailMessage {
            uuid: uuid.to_string(),
            ..EmailMessage::default()
        }
    }

    #[test]
    fn messages_between_the_same_people_share_one_participant_list() {
        let people = |n: &str| -> Arc<[Participant]> {
            vec![Participant {
                kind: "from".into(),
                name: n.into(),
                email: format!("{n}@example.com"),
            }]
            .into()
        };
        let with = |u: &str, n: &str| EmailMessage {
            participants: people(n),
            ..msg(u)
        };
        let mut t = Thread::new("m0", 25, 80, 24);
        t.place(
            Half::Descendants,
            vec![("a".into(), 0), ("b".into(), 1)],
            vec![with("a", "Ann"), with("b", "Bob")],
            false,
        );
        // A later page: the same people again.
        t.place(
            Half::Descendants,
            vec![("c".into(), 2)],
            vec![with("c", "Ann")],
            false,
        );
        let p = |u: &str| {
            let i = t.index_of(u).expect("placed");
            t.msgs[i].m.participants.clone()
        };
        assert!(Arc::ptr_eq(&p("a"), &p("c")), "one list for Ann's messages");
        assert!(!Arc::ptr_eq(&p("a"), &p("b")));
        assert_eq!(p("c")[0].name, "Ann");
        assert_eq!(p("b")[0].name, "Bob");
    }

    #[test]
    fn a_page_that_names_a_new_message_twice_places_it_once_without_panicking() {
        // A misbehaving server can repeat a message inside one page; while the order is being
        // re-decided (`moving`) the second mention found the placeholder index and indexed past
        // the end of the message list.
        let mut t = Thread::new("m0", 25, 80, 24);
        t.place(
            Half::Descendants,
            vec![("a".into(), 0), ("a".into(), 1), ("b".into(), 2)],
            vec![msg("a"), msg("b")],
            true,
        );
        let uuids: Vec<&str> = t.msgs.iter().map(|m| m.m.uuid.as_str()).collect();
        assert_eq!(uuids, ["a", "b"]);
        assert_eq!(t.index_of("b"), Some(1));
    }
}
