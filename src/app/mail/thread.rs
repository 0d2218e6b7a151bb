//! The thread view: one continuous, scrollable list of a thread's messages ordered by
//! `message_created_at`, ancestors above the opened message and descendants below, each half
//! paged independently (`Paged`) as the viewport nears its loaded edge.
//!
//! The scroll position is an anchor (message uuid + signed line offset from that message's
//! header), so prepending a page of ancestors never moves what the user is reading. Every
//! expanded message's lines are wrapped here, in update, once per width; drawing slices them.
use std::collections::HashMap;

use super::body::{self, BodyMode, TLine};
use crate::api::Page;
use crate::api::models::{EmailMessage, ThreadQuery};
use crate::app::RequestId;
use crate::app::paged::{Edge, Paged};

/// Which half of the thread a request is for. `First` loads the message and page 1 of both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    First,
    Ancestors,
    Descendants,
}

/// The line at the top of the viewport: `offset` lines below the header of message `uuid`
/// (negative: above it, i.e. the edge line or the previous message's tail).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Anchor {
    pub uuid: String,
    pub offset: isize,
}

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
    pub m: EmailMessage,
    pub expanded: bool,
    pub mode: BodyMode,
    /// Quoted lines folded into one line.
    pub fold_quotes: bool,
    pub body: BodyState,
    /// Expanded content (everything under the header), wrapped at `wrapped_width`.
    pub lines: Vec<TLine>,
    pub wrapped_width: u16,
    /// Which attachment `s` saves.
    pub attachment: usize,
    pub fetch: Fetch,
    /// A conversion at the current width is running (request id); the body laid out at the old
    /// width is shown, re-wrapped, until it comes.
    pub relayout: Option<RequestId>,
}

impl TMsg {
    fn new(m: EmailMessage) -> TMsg {
        TMsg {
            expanded: false,
            mode: BodyMode::Html,
            fold_quotes: false,
            body: BodyState::None,
            lines: Vec::new(),
            wrapped_width: 0,
            attachment: 0,
            relayout: None,
            fetch: if m.html.is_some() {
                Fetch::Done
            } else {
                Fetch::NotYet
            },
            m,
        }
    }

    pub fn height(&self) -> usize {
        1 + if self.expanded { self.lines.len() } else { 0 }
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

    /// An expanded HTML body laid out at another width than the current one, not yet asked for
    /// again: the HTML to convert at the current width.
    pub fn wants_relayout(&self) -> Option<&str> {
        match (&self.body, self.m.html.as_deref()) {
            (BodyState::Ready(b), Some(h))
                if self.expanded
                    && self.mode == BodyMode::Html
                    && self.relayout.is_none()
                    && b.width != 0
                    && b.width != body::content_width(self.wrapped_width) =>
            {
                Some(h)
            }
            _ => None,
        }
    }

    /// Rebuild the wrapped lines for `width` (cheap bodies are converted inline).
    pub fn rewrap(&mut self, width: u16) {
        if !self.expanded {
            self.lines.clear();
            self.wrapped_width = 0;
            return;
        }
        if matches!(self.body, BodyState::None) && self.wants_conversion().is_none() {
            self.body = BodyState::Ready(body::convert_inline(&self.m, self.mode));
        }
        self.lines = body::layout(self, width);
        self.wrapped_width = width;
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
    pub ancestors: Paged<EmailMessage>,
    pub descendants: Paged<EmailMessage>,
    /// All loaded messages, oldest first, unique by uuid.
    pub msgs: Vec<TMsg>,
    index: HashMap<String, usize>,
    /// `starts[i]`: the virtual line of message i's header (line 0 is the top edge line, if any).
    starts: Vec<usize>,
    total: usize,
    pub top: Anchor,
    /// The focused message's uuid.
    pub focus: String,
    pub width: u16,
    pub height: usize,
    pub thread_count: Option<u64>,
    pub follow: Option<Follow>,
}

impl Thread {
    /// A thread view about to load `uuid`: call `first_request` and send it.
    pub fn new(uuid: &str, per_page: u32, width: u16, height: usize) -> Thread {
        let per_page = per_page.clamp(1, 500);
        Thread {
            uuid: uuid.to_string(),
            per_page,
            first_error: None,
            ancestors: Paged::new(per_page),
            descendants: Paged::new(per_page),
            msgs: Vec::new(),
            index: HashMap::new(),
            starts: Vec::new(),
            total: 0,
            top: Anchor {
                uuid: uuid.to_string(),
                offset: 0,
            },
            focus: uuid.to_string(),
            width,
            height: height.max(1),
            thread_count: None,
            follow: None,
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
        self.ancestors.reset();
        self.descendants.reset();
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

    fn has_top_edge(&self) -> bool {
        !self.ancestors.is_complete()
    }

    fn has_bottom_edge(&self) -> bool {
        !self.descendants.is_complete()
    }

    /// The highest valid top line.
    fn max_top(&self) -> usize {
        self.total.saturating_sub(self.height)
    }

    /// The virtual line at the top of the viewport.
    pub fn top_line(&self) -> usize {
        let Some(&i) = self.index.get(&self.top.uuid) else {
            return 0;
        };
        let abs = self.starts[i] as isize + self.top.offset;
        (abs.max(0) as usize).min(self.max_top())
    }

    /// The anchor for virtual line `line`.
    fn anchor_at(&self, line: usize) -> Anchor {
        if self.msgs.is_empty() {
            return Anchor {
                uuid: self.uuid.clone(),
                offset: 0,
            };
        }
        let i = self
            .starts
            .partition_point(|&s| s <= line)
            .saturating_sub(1);
        Anchor {
            uuid: self.msgs[i].m.uuid.clone(),
            offset: line as isize - self.starts[i] as isize,
        }
    }

    /// The message shown on virtual line `line` (None for edge lines).
    pub fn msg_at(&self, line: usize) -> Option<usize> {
        if self.msgs.is_empty() || line < self.starts[0] || line >= self.content_end() {
            return None;
        }
        Some(
            self.starts
                .partition_point(|&s| s <= line)
                .saturating_sub(1),
        )
    }

    fn content_end(&self) -> usize {
        match (self.starts.last(), self.msgs.last()) {
            (Some(s), Some(m)) => s + m.height(),
            _ => 0,
        }
    }

    pub fn start_of(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(0)
    }

    pub fn focus_index(&self) -> Option<usize> {
        self.index.get(&self.focus).copied()
    }

    pub fn index_of(&self, uuid: &str) -> Option<usize> {
        self.index.get(uuid).copied()
    }

    /// What stands on each visible row, for drawing: a slice of the virtual lines.
    pub fn visible(&self) -> Vec<Row<'_>> {
        let top = self.top_line();
        let end = (top + self.height).min(self.total);
        let mut rows = Vec::with_capacity(end.saturating_sub(top));
        for line in top..end {
            rows.push(self.row(line));
        }
        rows
    }

    fn row(&self, line: usize) -> Row<'_> {
        if self.has_top_edge() && line == 0 {
            return Row::Edge {
                top: true,
                edge: &self.ancestors.edge,
            };
        }
        match self.msg_at(line) {
            Some(i) => {
                let off = line - self.starts[i];
                if off == 0 {
                    Row::Header(i)
                } else {
                    match self.msgs[i].lines.get(off - 1) {
                        Some(l) => Row::Line(i, l),
                        None => Row::Blank,
                    }
                }
            }
            None if self.has_bottom_edge() && line + 1 == self.total => Row::Edge {
                top: false,
                edge: &self.descendants.edge,
            },
            None => Row::Blank,
        }
    }

    /// Recompute line starts after heights change. O(n), run in update only.
    fn relayout(&mut self) {
        self.starts.clear();
        let mut line = usize::from(self.has_top_edge());
        for m in &self.msgs {
            self.starts.push(line);
            line += m.height();
        }
        self.total = line + usize::from(self.has_bottom_edge());
    }

    fn reindex(&mut self) {
        self.index.clear();
        for (i, m) in self.msgs.iter().enumerate() {
            self.index.insert(m.m.uuid.clone(), i);
        }
    }

    /// Add messages, keeping the list sorted by send time and unique by uuid.
    fn merge(&mut self, new: Vec<EmailMessage>) {
        let mut added = false;
        for m in new {
            if m.uuid.is_empty() || self.index.contains_key(&m.uuid) {
                continue;
            }
            self.index.insert(m.uuid.clone(), usize::MAX);
            let mut t = TMsg::new(m);
            if t.m.uuid == self.uuid {
                // Fetched directly: what it has is all there is.
                t.fetch = Fetch::Done;
                t.expanded = true;
                t.rewrap(self.width);
            }
            self.msgs.push(t);
            added = true;
        }
        if added {
            // Stable, and nearly sorted runs make this close to linear.
            self.msgs.sort_by(|a, b| a.m.sort_key().cmp(b.m.sort_key()));
            self.reindex();
        }
    }

    /// Accept the answer to a request routed as `part`. Returns false for a stale answer.
    pub fn on_loaded(&mut self, part: Part, id: RequestId, mut msg: EmailMessage) -> bool {
        let anc = msg.ancestors.take();
        let desc = msg.descendants.take();
        // A missing half is an empty, complete one.
        let page = |p: Option<Page<EmailMessage>>| {
            p.unwrap_or(Page {
                has_next: Some(false),
                ..Page::default()
            })
        };
        let mut took = false;
        if matches!(part, Part::First | Part::Ancestors) && self.ancestors.on_loaded(id, page(anc))
        {
            let items = std::mem::take(&mut self.ancestors.items);
            self.merge(items);
            took = true;
        }
        if matches!(part, Part::First | Part::Descendants)
            && self.descendants.on_loaded(id, page(desc))
        {
            let items = std::mem::take(&mut self.descendants.items);
            self.merge(items);
            took = true;
        }
        if !took {
            return false;
        }
        if msg.thread_count.is_some() {
            self.thread_count = msg.thread_count;
        }
        if part == Part::First {
            msg.ancestors = None;
            msg.descendants = None;
            self.merge(vec![msg]);
            // The opened message's header at the top, with one line of context above if there is any.
            self.top = Anchor {
                uuid: self.uuid.clone(),
                offset: 0,
            };
            self.focus = self.uuid.clone();
        }
        self.relayout();
        self.after_change();
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
            self.relayout();
        }
        took
    }

    /// Pages to request now, given the viewport: the next ancestors page when the top is within
    /// one screen of the loaded top, the next descendants page likewise at the bottom. Never a page
    /// in flight, loaded, or failed (failures wait for `retry`).
    pub fn wanted(&self) -> Vec<PageRequest> {
        let mut out = Vec::new();
        if self.msgs.is_empty() {
            return out;
        }
        let top = self.top_line();
        let content_top = self.starts[0];
        if top <= content_top + self.height
            && let Some(p) = self.ancestors.want(usize::MAX)
        {
            out.push(PageRequest {
                part: Part::Ancestors,
                query: self.query(p, 1),
            });
        }
        let bottom = top + self.height;
        if self.content_end() <= bottom + self.height
            && let Some(p) = self.descendants.want(usize::MAX)
        {
            out.push(PageRequest {
                part: Part::Descendants,
                query: self.query(1, p),
            });
        }
        out
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
    }

    /// The request that retries a failed page at the visible edge (top first), if any.
    pub fn retry(&self) -> Option<PageRequest> {
        if self.first_error.is_some() {
            return Some(self.first_request());
        }
        let top = self.top_line();
        let edge_top_visible = self.has_top_edge() && top == 0;
        let edge_bottom_visible = self.has_bottom_edge() && top + self.height >= self.total;
        if edge_top_visible && let Some(p) = self.ancestors.retry() {
            return Some(PageRequest {
                part: Part::Ancestors,
                query: self.query(p, 1),
            });
        }
        if edge_bottom_visible && let Some(p) = self.descendants.retry() {
            return Some(PageRequest {
                part: Part::Descendants,
                query: self.query(1, p),
            });
        }
        None
    }

    /// Any failed page, visible or not (the `r` key).
    pub fn retry_any(&self) -> Option<PageRequest> {
        self.retry()
            .or_else(|| {
                self.ancestors.retry().map(|p| PageRequest {
                    part: Part::Ancestors,
                    query: self.query(p, 1),
                })
            })
            .or_else(|| {
                self.descendants.retry().map(|p| PageRequest {
                    part: Part::Descendants,
                    query: self.query(1, p),
                })
            })
    }

    /// Keep the view pinned when following an end, and the focus visible.
    fn after_change(&mut self) {
        match self.follow {
            Some(Follow::Top) => {
                self.top = self.anchor_at(0);
                if self.ancestors.is_complete() {
                    self.follow = None;
                }
            }
            Some(Follow::Bottom) => {
                self.top = self.anchor_at(self.max_top());
                if self.descendants.is_complete() {
                    self.follow = None;
                }
            }
            None => {}
        }
        // Normalise the anchor so it names the message actually at the top.
        let line = self.top_line();
        if self.msg_at(line).is_some() {
            self.top = self.anchor_at(line);
        }
    }

    /// Scroll by `delta` lines (negative: up).
    pub fn scroll(&mut self, delta: isize) {
        self.follow = None;
        let line = (self.top_line() as isize + delta).clamp(0, self.max_top() as isize) as usize;
        self.top = self.anchor_at(line);
        self.focus_visible(delta < 0);
    }

    pub fn page(&mut self, down: bool) {
        let step = self.height.saturating_sub(1).max(1) as isize;
        self.scroll(if down { step } else { -step });
    }

    pub fn to_top(&mut self) {
        self.follow = (!self.ancestors.is_complete()).then_some(Follow::Top);
        self.top = self.anchor_at(0);
        if let Some(m) = self.msgs.first() {
            self.focus = m.m.uuid.clone();
        }
    }

    pub fn to_bottom(&mut self) {
        self.follow = (!self.descendants.is_complete()).then_some(Follow::Bottom);
        self.top = self.anchor_at(self.max_top());
        if let Some(m) = self.msgs.last() {
            self.focus = m.m.uuid.clone();
        }
    }

    /// If the focused message is off screen, focus the one at the top (or bottom, scrolling up).
    fn focus_visible(&mut self, up: bool) {
        let top = self.top_line();
        let bottom = top + self.height; // exclusive
        if let Some(i) = self.focus_index() {
            let (s, e) = (self.starts[i], self.starts[i] + self.msgs[i].height());
            if s < bottom && e > top {
                return;
            }
        }
        let line = if up {
            bottom
                .saturating_sub(1)
                .min(self.content_end().saturating_sub(1))
        } else {
            top
        };
        let i = self
            .msg_at(line)
            .or_else(|| self.msg_at(self.starts.first().copied().unwrap_or(0)));
        if let Some(i) = i {
            self.focus = self.msgs[i].m.uuid.clone();
        }
    }

    /// Focus the next (`+1`) or previous (`-1`) message and bring its header to the top.
    pub fn jump(&mut self, dir: isize) {
        self.follow = None;
        let Some(i) = self.focus_index() else { return };
        let j = i as isize + dir;
        if j < 0 || j as usize >= self.msgs.len() {
            return;
        }
        self.focus = self.msgs[j as usize].m.uuid.clone();
        self.reveal(j as usize);
    }

    /// Scroll so message `i`'s header is on screen (at the top when it has to move).
    fn reveal(&mut self, i: usize) {
        let s = self.starts[i];
        let top = self.top_line();
        if s < top || s >= top + self.height {
            self.top = Anchor {
                uuid: self.msgs[i].m.uuid.clone(),
                offset: 0,
            };
        }
    }

    /// Expand or collapse the focused message. Returns its index when it now needs an HTML
    /// conversion.
    pub fn toggle_focused(&mut self) -> Option<usize> {
        let i = self.focus_index()?;
        let open = !self.msgs[i].expanded;
        self.set_expanded(i, open);
        self.relayout();
        self.reveal(i);
        self.msgs[i].wants_conversion().map(|_| i)
    }

    fn set_expanded(&mut self, i: usize, open: bool) {
        let w = self.width;
        let m = &mut self.msgs[i];
        if open && m.fetch == Fetch::Failed {
            m.fetch = Fetch::NotYet; // expanding again retries
        }
        m.expanded = open;
        m.rewrap(w);
    }

    /// `o`: expand all if any is collapsed, else collapse all. Returns the indexes needing HTML
    /// conversion (only the opened message and others fetched with HTML have any).
    pub fn toggle_all(&mut self) -> Vec<usize> {
        let open = self.msgs.iter().any(|m| !m.expanded);
        let keep = self.anchor_line_for_focus();
        for i in 0..self.msgs.len() {
            self.set_expanded(i, open);
        }
        self.relayout();
        self.restore_focus_line(keep);
        (0..self.msgs.len())
            .filter(|&i| self.msgs[i].wants_conversion().is_some())
            .collect()
    }

    /// The focused message's header row on screen, to keep it there across a relayout.
    fn anchor_line_for_focus(&self) -> Option<(String, isize)> {
        let i = self.focus_index()?;
        Some((
            self.focus.clone(),
            self.starts[i] as isize - self.top_line() as isize,
        ))
    }

    fn restore_focus_line(&mut self, keep: Option<(String, isize)>) {
        if let Some((uuid, row)) = keep
            && let Some(i) = self.index_of(&uuid)
        {
            let row = row.clamp(0, self.height as isize - 1);
            let line = (self.starts[i] as isize - row).max(0) as usize;
            self.top = self.anchor_at(line.min(self.max_top()));
        }
    }

    /// `v`: cycle the focused message's body mode. Returns its index when it needs conversion.
    pub fn cycle_mode(&mut self) -> Option<(usize, BodyMode)> {
        let i = self.focus_index()?;
        let w = self.width;
        let m = &mut self.msgs[i];
        m.mode = m.mode.next(m.m.html.is_some());
        m.body = BodyState::None;
        if !m.expanded {
            m.expanded = true;
            if m.fetch == Fetch::Failed {
                m.fetch = Fetch::NotYet;
            }
        }
        m.rewrap(w);
        let mode = m.mode;
        let needs = m.wants_conversion().is_some();
        self.relayout();
        self.reveal(i);
        needs.then_some((i, mode))
    }

    /// `z`: fold or unfold the focused message's quoted lines.
    pub fn toggle_quotes(&mut self) -> bool {
        let Some(i) = self.focus_index() else {
            return false;
        };
        let w = self.width;
        let m = &mut self.msgs[i];
        m.fold_quotes = !m.fold_quotes;
        let folded = m.fold_quotes;
        m.rewrap(w);
        self.relayout();
        folded
    }

    /// Mark message `i` as converting (request `id`).
    pub fn converting(&mut self, i: usize, id: RequestId) {
        if let Some(m) = self.msgs.get_mut(i) {
            m.body = BodyState::Converting(id);
            let w = self.width;
            m.rewrap(w);
        }
        self.relayout();
    }

    /// Messages on screen whose HTML was laid out at another width (see `TMsg::wants_relayout`).
    pub fn relayouts(&self) -> Vec<usize> {
        let top = self.top_line();
        let bottom = top + self.height;
        let first = self.msg_at(top).unwrap_or(0);
        (first..self.msgs.len())
            .take_while(|&i| self.starts[i] < bottom)
            .filter(|&i| self.msgs[i].wants_relayout().is_some())
            .collect()
    }

    /// Mark message `i` as being converted again at the current width (request `id`).
    pub fn relayouting(&mut self, i: usize, id: RequestId) {
        if let Some(m) = self.msgs.get_mut(i) {
            m.relayout = Some(id);
        }
    }

    /// A finished HTML conversion. Stale ones (mode changed, thread replaced) are dropped.
    pub fn on_converted(
        &mut self,
        uuid: &str,
        id: RequestId,
        body: crate::render::html::Body,
    ) -> bool {
        let Some(i) = self.index_of(uuid) else {
            return false;
        };
        let m = &self.msgs[i];
        if m.body != BodyState::Converting(id) && m.relayout != Some(id) {
            return false;
        }
        let w = self.width;
        let m = &mut self.msgs[i];
        m.relayout = None;
        m.body = BodyState::Ready(body);
        m.rewrap(w);
        self.relayout_keeping_anchor();
        true
    }

    /// Relayout after one message's height changed, keeping the top anchor (a message uuid and
    /// a line offset into it) so nothing above or below the changed message moves on screen.
    fn relayout_keeping_anchor(&mut self) {
        self.relayout();
        if let Some(i) = self.index_of(&self.top.uuid) {
            let h = self.msgs[i].height() as isize;
            self.top.offset = self.top.offset.min(h - 1);
        }
    }

    /// The first expanded message on screen that still lacks its full form (`html`): fetch it.
    pub fn next_fetch(&self) -> Option<usize> {
        let top = self.top_line();
        let bottom = top + self.height;
        let first = self.msg_at(top).unwrap_or(0);
        (first..self.msgs.len())
            .take_while(|&i| self.starts[i] < bottom)
            .find(|&i| {
                let m = &self.msgs[i];
                m.expanded && m.fetch == Fetch::NotYet && self.starts[i] + m.height() > top
            })
    }

    /// Mark message `i` as being fetched (request `id`): it shows a "loading" line meanwhile.
    pub fn fetching(&mut self, i: usize, id: RequestId) {
        let w = self.width;
        if let Some(m) = self.msgs.get_mut(i) {
            m.fetch = Fetch::Loading(id);
            m.rewrap(w);
        }
        self.relayout_keeping_anchor();
    }

    /// The full message `uuid` arrived (request `id`). Takes its `html` (and text, if the page
    /// lacked it) and resets the body so it is converted again. Returns the message's index when
    /// it is current, None for a stale answer (thread replaced, message unknown, another id).
    pub fn on_fetched(&mut self, uuid: &str, id: RequestId, full: EmailMessage) -> Option<usize> {
        let i = self.index_of(uuid)?;
        if self.msgs[i].fetch != Fetch::Loading(id) {
            return None;
        }
        let w = self.width;
        let m = &mut self.msgs[i];
        m.fetch = Fetch::Done;
        m.m.html = full.html.filter(|h| !h.trim().is_empty());
        if m.m.text.as_deref().is_none_or(|t| t.trim().is_empty()) && full.text.is_some() {
            m.m.text = full.text;
        }
        if m.m.html.is_some() {
            m.body = BodyState::None;
        }
        m.rewrap(w);
        self.relayout_keeping_anchor();
        Some(i)
    }

    /// Fetching message `uuid` failed: it keeps its text. Returns false for a stale answer.
    pub fn on_fetch_failed(&mut self, uuid: &str, id: RequestId) -> bool {
        let Some(i) = self.index_of(uuid) else {
            return false;
        };
        if self.msgs[i].fetch != Fetch::Loading(id) {
            return false;
        }
        let w = self.width;
        let m = &mut self.msgs[i];
        m.fetch = Fetch::Failed;
        m.rewrap(w);
        self.relayout_keeping_anchor();
        true
    }

    /// Width or height changed: rewrap expanded messages (in update, not draw), keep the anchor.
    pub fn resize(&mut self, width: u16, height: usize) {
        self.height = height.max(1);
        if width != self.width {
            self.width = width;
            for m in self.msgs.iter_mut().filter(|m| m.expanded) {
                m.rewrap(width);
            }
            self.relayout();
            // The anchor's line offset may now point past a shorter message.
            if let Some(i) = self.index_of(&self.top.uuid) {
                let h = self.msgs[i].height() as isize;
                self.top.offset = self.top.offset.min(h - 1);
            }
        }
        self.after_change();
    }

    /// The focused message's place in the whole thread, and the thread's size: ("n of N").
    pub fn position(&self) -> (usize, Option<u64>) {
        let i = self.focus_index().unwrap_or(0);
        // Ancestors not loaded yet come before every loaded message.
        let unloaded_before = if self.ancestors.is_complete() {
            0
        } else {
            let loaded_anc = self.index_of(&self.uuid).unwrap_or(0);
            (self.ancestors.total.unwrap_or(0) as usize).saturating_sub(loaded_anc)
        };
        (unloaded_before + i + 1, self.thread_count)
    }

    pub fn focused(&self) -> Option<&TMsg> {
        self.focus_index().map(|i| &self.msgs[i])
    }

    pub fn focused_mut(&mut self) -> Option<&mut TMsg> {
        let i = self.focus_index()?;
        self.msgs.get_mut(i)
    }

    /// Pending edge state (for the header).
    pub fn loading_edges(&self) -> (bool, bool) {
        (
            matches!(self.ancestors.edge, Edge::Loading { .. }),
            matches!(self.descendants.edge, Edge::Loading { .. }),
        )
    }
}

/// One visible row of the thread view.
#[derive(Debug, Clone, PartialEq)]
pub enum Row<'a> {
    Edge { top: bool, edge: &'a Edge },
    Header(usize),
    Line(usize, &'a TLine),
    Blank,
}
