//! Where everything stands: line starts, the viewport anchor, lazy layout of the messages near
//! the screen, scrolling, focus, and the per-message actions that change heights.
use super::super::body::BodyMode;
use super::{Anchor, BodyState, Fetch, Follow, Row, TMsg, Thread};
use crate::app::RequestId;
use crate::app::viewport::item_at;
use crate::keymap::Action;

/// Whether `a` moves the thread view (other than `g`/`G`).
pub fn is_move(a: Action) -> bool {
    use Action::*;
    matches!(
        a,
        Down | Up | PageDown | Forward | PageUp | Backward | HalfDown | HalfUp | Next | Prev
    )
}

/// Messages within this many screens above and below the viewport are laid out exactly.
const NEAR: usize = 1;

impl Thread {
    /// Recompute line starts (gap rows included) after heights or places changed. O(n) integer
    /// work: no wrapping happens here.
    pub(super) fn relayout(&mut self) {
        self.edge_gaps();
        self.starts.clear();
        self.starts.reserve(self.msgs.len());
        let mut line = 0;
        for i in 0..self.msgs.len() {
            if self.gap_before(i) {
                line += 1;
            }
            self.starts.push(line);
            line += self.msgs[i].height();
        }
        self.total = line + usize::from(self.trail.is_some() && !self.msgs.is_empty());
    }

    /// Lay out the messages on or near the screen, keep a followed end pinned and the anchor
    /// normalised. Run after every change of heights or places.
    pub(super) fn settle(&mut self) {
        self.settle_with(true);
    }

    /// After a move of the viewport only (heights and places unchanged): the line starts are
    /// recomputed only if laying out what came near changed a height, so a key costs the same
    /// on a 10,000-message thread as on a short one.
    pub(super) fn settle_view(&mut self) {
        self.settle_with(false);
    }

    fn settle_with(&mut self, mut dirty: bool) {
        let pin = self.follow;
        for _ in 0..6 {
            if dirty {
                self.relayout();
                dirty = false;
            }
            self.pin(pin);
            let top = self.top_line();
            let lo = top.saturating_sub(NEAR * self.height);
            let hi = top + (NEAR + 1) * self.height;
            let first = item_at(&self.starts, lo);
            let w = self.width;
            let mut changes: Vec<(usize, isize)> = Vec::new();
            for i in first..self.msgs.len() {
                if self.starts[i] >= hi {
                    break;
                }
                let m = &mut self.msgs[i];
                if m.expanded && !m.laid {
                    let old = m.height() as isize;
                    m.rewrap(w);
                    changes.push((i, m.height() as isize - old));
                }
            }
            if changes.is_empty() {
                break;
            }
            self.shift(&changes);
        }
        // The followed end stays pinned (pages filling gaps near it arrive after the end did)
        // until the reader moves.
        if dirty {
            self.relayout();
        }
        self.pin(pin);
        // Normalise the anchor so it names the message actually at the top (unless the view is
        // held at the bottom because there is too little below: it still wants that line).
        let line = self.top_line();
        if self.msg_at(line).is_some() && !self.clamped() {
            self.top = self.anchor_at(line);
        }
        self.keep_anchor_inside();
    }

    /// Heights of single messages changed by `changes` (index, lines added; sorted by index):
    /// move the line starts after each by what changed above it. Touches only the compact
    /// `starts` array, not the messages (a full `relayout` walks 10,000 large structs).
    fn shift(&mut self, changes: &[(usize, isize)]) {
        let Some(&(first, _)) = changes.first() else {
            return;
        };
        let mut acc = 0isize;
        let mut k = 0;
        for j in first + 1..self.starts.len() {
            while k < changes.len() && changes[k].0 < j {
                acc += changes[k].1;
                k += 1;
            }
            self.starts[j] = (self.starts[j] as isize + acc).max(0) as usize;
        }
        let all: isize = changes.iter().map(|c| c.1).sum();
        self.total = (self.total as isize + all).max(0) as usize;
    }

    /// For tests: whether the incremental line starts equal a full recomputation.
    #[cfg(test)]
    pub fn layout_is_consistent(&self) -> bool {
        let mut fresh = self.clone();
        fresh.relayout();
        fresh.starts == self.starts && fresh.total == self.total
    }

    /// Keep the view at the followed end, the focus on the end message.
    fn pin(&mut self, pin: Option<Follow>) {
        match pin {
            Some(Follow::Top) => {
                self.top = self.anchor_at(0);
                if let Some(m) = self.msgs.first() {
                    self.focus = m.m.uuid.clone();
                }
            }
            Some(Follow::Bottom) => {
                self.top = self.anchor_at(self.max_top());
                if let Some(m) = self.msgs.last() {
                    self.focus = m.m.uuid.clone();
                }
            }
            None => {}
        }
    }

    fn keep_anchor_inside(&mut self) {
        if let Some(i) = self.index_of(&self.top.uuid) {
            let h = self.msgs[i].height() as isize;
            self.top.offset = self.top.offset.min(h - 1);
        }
    }

    /// Whether the anchor's line is below the highest valid top line.
    fn clamped(&self) -> bool {
        let Some(i) = self.index_of(&self.top.uuid) else {
            return false;
        };
        let abs = self.starts.get(i).copied().unwrap_or(0) as isize + self.top.offset;
        abs > self.max_top() as isize
    }

    /// The highest valid top line.
    fn max_top(&self) -> usize {
        self.total.saturating_sub(self.height)
    }

    /// The virtual line at the top of the viewport.
    pub fn top_line(&self) -> usize {
        let Some(i) = self.index_of(&self.top.uuid) else {
            return 0;
        };
        let abs = self.starts.get(i).copied().unwrap_or(0) as isize + self.top.offset;
        (abs.max(0) as usize).min(self.max_top())
    }

    /// The anchor for virtual line `line`: the message on it, or the next one for a gap row.
    fn anchor_at(&self, line: usize) -> Anchor {
        if self.msgs.is_empty() {
            return Anchor {
                uuid: self.uuid.clone(),
                offset: 0,
            };
        }
        let mut i = item_at(&self.starts, line);
        // A gap row belongs to the message below it (so it stays put when the gap fills from above).
        if line >= self.starts[i] + self.msgs[i].height() && i + 1 < self.msgs.len() {
            i += 1;
        }
        Anchor {
            uuid: self.msgs[i].m.uuid.clone(),
            offset: line as isize - self.starts[i] as isize,
        }
    }

    /// The message shown on virtual line `line` (None for gap rows).
    pub fn msg_at(&self, line: usize) -> Option<usize> {
        if self.msgs.is_empty() || line < self.starts[0] {
            return None;
        }
        let i = item_at(&self.starts, line);
        (line < self.starts[i] + self.msgs[i].height()).then_some(i)
    }

    fn content_end(&self) -> usize {
        match (self.starts.last(), self.msgs.last()) {
            (Some(s), Some(m)) => s + m.height(),
            _ => 0,
        }
    }

    /// What stands on each visible row, for drawing: a slice of the virtual lines.
    pub fn visible(&self) -> Vec<Row<'_>> {
        let top = self.top_line();
        let end = (top + self.height).min(self.total);
        (top..end).map(|line| self.row_at(line)).collect()
    }

    /// What stands on virtual line `line`.
    pub fn row_at(&self, line: usize) -> Row<'_> {
        if self.msgs.is_empty() {
            return Row::Blank;
        }
        if line < self.starts[0] {
            return if self.lead.is_some() && line + 1 == self.starts[0] {
                Row::Gap(self.gap(0))
            } else {
                Row::Blank
            };
        }
        let i = item_at(&self.starts, line);
        let off = line - self.starts[i];
        if off < self.msgs[i].height() {
            if off == 0 {
                return Row::Header(i);
            }
            return match self.msgs[i].lines.get(off - 1) {
                Some(l) if self.msgs[i].laid => Row::Line(i, l),
                _ => Row::Blank,
            };
        }
        let n = self.msgs.len();
        if i + 1 < n && line + 1 == self.starts[i + 1] {
            return Row::Gap(self.gap(i + 1));
        }
        if i + 1 == n && self.trail.is_some() && line == self.content_end() {
            return Row::Gap(self.gap(n));
        }
        Row::Blank
    }

    /// Scroll by `delta` lines (negative: up).
    pub fn scroll(&mut self, delta: isize) {
        self.follow = None;
        if delta != 0 {
            self.heading_up = delta < 0;
        }
        let from = self.top_line();
        let line = (from as isize + delta).clamp(0, self.max_top() as isize) as usize;
        let line = self.stop_at_gap(from, line);
        self.top = self.anchor_at(line);
        self.settle_view();
        self.focus_visible(delta < 0);
    }

    /// A gap row still to load is a wall for scrolling: going down the view stops with it on the
    /// second row (its page comes in right under what was read), going up with it on the top
    /// row (the page comes in above, where the reader goes next). So no key skips the messages
    /// a gap stands for while they load. A gap that failed, stopped or cannot be asked for is no
    /// wall, and `g`/`G` jump. With a single row the gap stops on that row (a second row would
    /// be off screen, and a gap off screen is never asked for).
    fn stop_at_gap(&self, from: usize, to: usize) -> usize {
        let wall = |line: usize| matches!(self.row_at(line), Row::Gap(g) if self.will_load(&g));
        if to > from && self.height <= 1 {
            (from..=to).find(|&g| wall(g)).unwrap_or(to)
        } else if to > from {
            (from + 1..=to).find(|&g| wall(g)).map_or(to, |g| g - 1)
        } else if to < from {
            (to..=from).rev().find(|&g| wall(g)).unwrap_or(to)
        } else {
            to
        }
    }

    pub fn page(&mut self, down: bool) {
        let step = self.height.saturating_sub(1).max(1) as isize;
        self.scroll(if down { step } else { -step });
    }

    /// `g`: the thread's first message at the top, focused (its page is asked for if needed;
    /// the view follows the top until it is there).
    pub fn to_top(&mut self) {
        self.follow = Some(Follow::Top);
        // Read down from the start: gaps fill from above.
        self.heading_up = false;
        self.settle_view();
    }

    /// `G`: the thread's last message at the bottom, focused.
    pub fn to_bottom(&mut self) {
        self.follow = Some(Follow::Bottom);
        self.heading_up = true;
        self.settle_view();
    }

    /// Apply a movement key; false when `a` is not one.
    pub fn apply_move(&mut self, a: Action) -> bool {
        let half = crate::app::list::half(self.height) as isize;
        match a {
            Action::Down => self.scroll(1),
            Action::Up => self.scroll(-1),
            Action::PageDown | Action::Forward => self.page(true),
            Action::PageUp | Action::Backward => self.page(false),
            Action::HalfDown => self.scroll(half),
            Action::HalfUp => self.scroll(-half),
            Action::Top => self.to_top(),
            Action::Bottom => self.to_bottom(),
            Action::Next => self.jump(1),
            Action::Prev => self.jump(-1),
            _ => return false,
        }
        true
    }

    /// `g`/`G` is still waiting for its end of the thread: the first answer, or a page of that
    /// half, is in flight while the end is not placed yet. (A failed page is not waited for.)
    /// Whether movement keys wait rather than move now: the opened message has not come yet,
    /// or `g`/`G` wait for their end (`awaiting_end`).
    pub fn holds_keys(&self) -> bool {
        self.first_loading() || self.awaiting_end()
    }

    pub fn awaiting_end(&self) -> bool {
        let Some(f) = self.follow else { return false };
        if self.msgs.is_empty() {
            return self.first_loading();
        }
        let (missing, side) = match f {
            Follow::Top => (self.lead.is_some(), &self.ancestors),
            Follow::Bottom => (self.trail.is_some(), &self.descendants),
        };
        missing && side.loading()
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
        let lines: Vec<usize> = if up {
            (top..bottom.min(self.total)).rev().collect()
        } else {
            (top..bottom.min(self.total)).collect()
        };
        if let Some(i) = lines.into_iter().find_map(|l| self.msg_at(l)) {
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
        self.heading_up = dir < 0;
        self.focus = self.msgs[j as usize].m.uuid.clone();
        self.reveal(j as usize);
        self.settle_view();
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

    /// Scroll so as much of message `i` as fits is on screen, its header first.
    fn reveal_whole(&mut self, i: usize) {
        self.reveal(i);
        let top = self.top_line();
        let (s, e) = (self.starts[i], self.starts[i] + self.msgs[i].height());
        if e > top + self.height {
            let line = s.max(e.saturating_sub(self.height));
            self.top = Anchor {
                uuid: self.msgs[i].m.uuid.clone(),
                offset: line as isize - s as isize,
            };
        }
    }

    /// Expand or collapse the focused message (expanding brings its body on screen).
    pub fn toggle_focused(&mut self) {
        let Some(i) = self.focus_index() else { return };
        self.follow = None;
        let open = !self.msgs[i].expanded;
        self.set_expanded(i, open);
        self.msgs[i].rewrap(self.width);
        self.relayout();
        if open {
            self.reveal_whole(i);
        } else {
            self.reveal(i);
        }
        self.settle();
    }

    fn set_expanded(&mut self, i: usize, open: bool) {
        let w = self.width;
        let m = &mut self.msgs[i];
        if open && m.fetch == Fetch::Failed {
            m.fetch = Fetch::NotYet; // expanding again retries
        }
        if m.expanded != open {
            m.expanded = open;
            m.defer(w);
        }
    }

    /// `o`: expand all if any is collapsed, else collapse all. Only the messages near the
    /// screen are laid out now; the others when they come near.
    pub fn toggle_all(&mut self) {
        let open = self.msgs.iter().any(|m| !m.expanded);
        let keep = self.anchor_line_for_focus();
        for i in 0..self.msgs.len() {
            self.set_expanded(i, open);
        }
        self.relayout();
        self.restore_focus_line(keep);
        self.settle();
    }

    /// The focused message's header row on screen, to keep it there across a relayout.
    fn anchor_line_for_focus(&self) -> Option<(String, isize)> {
        let i = self.focus_index()?;
        Some((
            self.focus.clone(),
            self.starts[i] as isize - self.top_line() as isize,
        ))
    }

    /// Anchor the view on the focused message's header at screen row `row`, so laying out the
    /// messages above it (estimates becoming exact) does not move it.
    fn restore_focus_line(&mut self, keep: Option<(String, isize)>) {
        if let Some((uuid, row)) = keep
            && self.index_of(&uuid).is_some()
        {
            let row = row.clamp(0, self.height as isize - 1);
            self.top = Anchor { uuid, offset: -row };
        }
    }

    /// Messages on screen that are expanded and need their HTML converted.
    pub fn conversions_on_screen(&self) -> Vec<usize> {
        self.on_screen()
            .filter(|&i| self.msgs[i].wants_conversion().is_some())
            .collect()
    }

    /// Indexes of the messages with a line on screen.
    fn on_screen(&self) -> impl Iterator<Item = usize> + '_ {
        let top = self.top_line();
        let bottom = top + self.height;
        let first = item_at(&self.starts, top);
        (first..self.msgs.len())
            .take_while(move |&i| self.starts[i] < bottom)
            .filter(move |&i| self.starts[i] + self.msgs[i].height() > top)
    }

    /// `v`: cycle the focused message's body mode. Returns its mode when it needs conversion.
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
        self.settle();
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
        self.settle();
        folded
    }

    /// Re-lay out one message after its content changed, keeping the top anchor.
    pub fn rewrap_one(&mut self, i: usize) {
        let w = self.width;
        if let Some(m) = self.msgs.get_mut(i) {
            let old = m.height() as isize;
            m.rewrap(w);
            let d = m.height() as isize - old;
            if self.starts.len() == self.msgs.len() {
                self.shift(&[(i, d)]);
                self.settle_view();
                return;
            }
        }
        self.settle();
    }

    /// Mark message `i` as converting (request `id`).
    pub fn converting(&mut self, i: usize, id: RequestId) {
        if let Some(m) = self.msgs.get_mut(i) {
            m.body = BodyState::Converting(id);
        }
        self.rewrap_one(i);
    }

    /// Messages on screen whose HTML was laid out at another width (`body::wants_relayout`).
    pub fn relayouts(&self) -> Vec<usize> {
        self.on_screen()
            .filter(|&i| super::body::wants_relayout(&self.msgs[i], self.width).is_some())
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
        let m = &mut self.msgs[i];
        // A new layout of the body shown, unless the mode changed meanwhile.
        let relaid = m.relayout == Some(id)
            && matches!(m.body, BodyState::Ready(_))
            && m.mode == BodyMode::Html;
        if m.relayout == Some(id) {
            m.relayout = None;
        }
        if m.body != BodyState::Converting(id) && !relaid {
            return false;
        }
        m.body = BodyState::Ready(body);
        self.rewrap_one(i);
        true
    }

    /// The first expanded message on screen that still lacks its full form (`html`): fetch it.
    pub fn next_fetch(&self) -> Option<usize> {
        self.on_screen().find(|&i| {
            let m = &self.msgs[i];
            m.expanded && m.fetch == Fetch::NotYet
        })
    }

    /// Mark message `i` as being fetched (request `id`): it shows a "loading" line meanwhile.
    pub fn fetching(&mut self, i: usize, id: RequestId) {
        if let Some(m) = self.msgs.get_mut(i) {
            m.fetch = Fetch::Loading(id);
        }
        self.rewrap_one(i);
    }

    /// The full message `uuid` arrived (request `id`). Takes its `html` (and text, if the page
    /// lacked it) and resets the body so it is converted again. Returns the message's index when
    /// it is current, None for a stale answer (thread replaced, message unknown, another id).
    pub fn on_fetched(
        &mut self,
        uuid: &str,
        id: RequestId,
        full: crate::api::models::EmailMessage,
    ) -> Option<usize> {
        let i = self.index_of(uuid)?;
        if self.msgs[i].fetch != Fetch::Loading(id) {
            return None;
        }
        let m = &mut self.msgs[i];
        m.fetch = Fetch::Done;
        m.m.html = full.html.filter(|h| !h.trim().is_empty());
        if m.m.text.as_deref().is_none_or(|t| t.trim().is_empty()) && full.text.is_some() {
            m.m.text = full.text;
        }
        if m.m.html.is_some() {
            m.body = BodyState::None;
        }
        self.rewrap_one(i);
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
        self.msgs[i].fetch = Fetch::Failed;
        self.rewrap_one(i);
        true
    }

    /// Width or height changed: messages near the screen are re-wrapped now, the others get an
    /// estimated height until they come near; the anchor keeps the reading position.
    pub fn resize(&mut self, width: u16, height: usize) {
        self.height = height.max(1);
        if width != self.width {
            self.width = width;
            for m in self.msgs.iter_mut().filter(|m| m.expanded) {
                m.defer(width);
            }
        }
        self.settle();
    }
}

impl TMsg {
    /// For tests and benches: whether its lines are laid out at the current width.
    pub fn is_laid(&self) -> bool {
        self.laid || !self.expanded
    }
}
