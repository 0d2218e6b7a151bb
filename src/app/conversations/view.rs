//! The open conversation: messages oldest at the top, newest at the bottom. The API pages newest
//! first, so page 1 is the bottom of the screen and later pages grow upward; they are asked for
//! one screen before the top is reached. The scroll position is an anchor (a message and a line
//! inside it), so a page arriving above never moves what is being read. Bodies are wrapped here,
//! once per width, and drawing slices the lines.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::super::list::half;
use super::super::paged::Paged;
use super::super::{Call, Core, PlannrCall, PlannrReply, Reply, RequestId, Route as AppRoute};
use super::{Route, looks_like_html, map_page, parse_time};
use crate::api::models::{Conversation, ConversationMessage};
use crate::api::{ApiError, Page};
use crate::keymap::Action;
use crate::render::html::{Body, text_to_body};
use crate::render::wrap::wrap_body;

use crate::app::viewport::item_at;
pub use crate::app::viewport::{Anchor, LineKind, ViewLine};

/// Rows of the view body that are not messages: the title line and the footer hint.
pub const VIEW_CHROME: usize = 2;
/// Columns left of a message body.
pub const INDENT: u16 = 2;
/// Older pages asked for at once while `g` goes to the oldest message (the worker's read slots
/// bound how many are on the wire).
const READ_AHEAD: usize = 8;

/// Columns kept for the quote bar ("│ ") of quoted lines.
pub const QUOTE: u16 = 2;

/// One message with its lines wrapped at the view's width.
#[derive(Debug, Clone)]
pub struct Entry {
    pub msg: ConversationMessage,
    /// None while an HTML body is being converted.
    pub body: Option<Body>,
    pub lines: Vec<ViewLine>,
}

#[derive(Debug)]
pub struct ConvView {
    pub conv: Conversation,
    /// Newest first, as the API pages them.
    pub pages: Paged<Entry>,
    /// Message uuid → index in `pages.items`.
    index: HashMap<String, usize>,
    /// First screen line of each message, in display order (oldest first), plus the total at
    /// the end.
    starts: Vec<usize>,
    /// Text width the lines are wrapped at.
    pub width: u16,
    /// Where the reader is (the top screen line is `offset` lines into message `uuid`, never
    /// negative here); None: follow the newest message (the bottom).
    pub anchor: Option<Anchor>,
    /// HTML conversions in flight: request id → message uuid.
    html: HashMap<RequestId, String>,
    pub error: Option<String>,
    /// After `g`: keep the oldest message at the top while older pages arrive (one press
    /// reaches the start), until another key moves the view.
    follow_top: bool,
    /// Lines moved (keys pressed) while `g` was still paging to the start: applied from the
    /// start once it is there.
    after_top: isize,
    /// The number of the oldest page, once an answer said (its `last_page`, or its total).
    last_page: Option<u32>,
    /// While `g` goes to the start: older pages asked for ahead of their turn (page → request),
    /// so the start is a few round trips away rather than one per page.
    ahead: BTreeMap<u32, RequestId>,
    /// Pages that came before their turn, taken in order when it comes.
    early: BTreeMap<u32, (RequestId, Page<ConversationMessage>)>,
    /// Pages whose request ahead of their turn failed: not asked ahead again, but in their turn.
    failed_ahead: BTreeSet<u32>,
}

impl ConvView {
    pub fn open(conv: Conversation, per_page: u32, core: &mut Core) -> ConvView {
        let mut v = ConvView {
            conv,
            pages: Paged::new(per_page),
            index: HashMap::new(),
            starts: vec![0],
            width: text_width(core),
            anchor: None,
            html: HashMap::new(),
            error: None,
            follow_top: false,
            after_top: 0,
            last_page: None,
            ahead: BTreeMap::new(),
            early: BTreeMap::new(),
            failed_ahead: BTreeSet::new(),
        };
        v.ensure_loaded(core);
        v
    }

    pub fn rows(core: &Core) -> usize {
        core.pane_rows().saturating_sub(VIEW_CHROME).max(1)
    }

    pub fn total_lines(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    /// Entry at display position `d` (0 = oldest loaded).
    pub fn entry_at(&self, d: usize) -> Option<&Entry> {
        let n = self.pages.items.len();
        if d >= n {
            None
        } else {
            self.pages.items.get(n - 1 - d)
        }
    }

    fn display_pos(&self, uuid: &str) -> Option<usize> {
        self.index
            .get(uuid)
            .map(|&i| self.pages.items.len() - 1 - i)
    }

    /// The first screen line shown, for a viewport of `h` rows.
    pub fn top(&self, h: usize) -> usize {
        let bottom = self.total_lines().saturating_sub(h);
        match &self.anchor {
            None => bottom,
            Some(a) => match self.display_pos(&a.uuid) {
                Some(d) => {
                    let len = self.starts[d + 1] - self.starts[d];
                    let line = usize::try_from(a.offset).unwrap_or(0);
                    (self.starts[d] + line.min(len.saturating_sub(1))).min(bottom)
                }
                None => bottom,
            },
        }
    }

    /// The screen lines `from..from+h` (drawing only slices what was wrapped in update).
    pub fn slice(&self, from: usize, h: usize) -> Vec<&ViewLine> {
        let mut out = Vec::with_capacity(h);
        if self.pages.items.is_empty() {
            return out;
        }
        // The message holding line `from`: the last start <= from.
        let mut d = item_at(&self.starts, from);
        let mut skip = from.saturating_sub(self.starts.get(d).copied().unwrap_or(0));
        while out.len() < h {
            let Some(e) = self.entry_at(d) else { break };
            out.extend(e.lines.iter().skip(skip).take(h - out.len()));
            skip = 0;
            d += 1;
        }
        out
    }

    fn set_top(&mut self, top: usize, h: usize) {
        let bottom = self.total_lines().saturating_sub(h);
        if top >= bottom {
            self.anchor = None;
            return;
        }
        let d = item_at(&self.starts, top);
        if let Some(e) = self.entry_at(d) {
            self.anchor = Some(Anchor {
                uuid: e.msg.uuid.clone(),
                offset: isize::try_from(top - self.starts[d]).unwrap_or(isize::MAX),
            });
        }
    }

    /// A movement action in the open conversation (anything else is ignored).
    pub fn on_action(&mut self, action: Option<Action>, core: &mut Core) {
        let h = Self::rows(core);
        let top = self.top(h);
        let page = h.saturating_sub(1).max(1);
        let lines = |n: usize| isize::try_from(n).unwrap_or(isize::MAX);
        let moved = match action {
            Some(Action::Down) => Some(1),
            Some(Action::Up) => Some(-1),
            Some(Action::PageDown | Action::Forward) => Some(lines(page)),
            Some(Action::PageUp | Action::Backward) => Some(-lines(page)),
            Some(Action::HalfDown) => Some(lines(half(h))),
            Some(Action::HalfUp) => Some(-lines(half(h))),
            _ => None,
        };
        // Keys that do not move the view change nothing here (not even a `g` under way).
        if moved.is_none() && !matches!(action, Some(Action::Top | Action::Bottom)) {
            return;
        }
        // `g` still paging to the start: a movement waits and is made from the start, each in
        // turn (one up at the start is no move).
        if let Some(d) = moved
            && self.follow_top
            && !self.pages.is_complete()
            && self.pages.failed().is_none()
        {
            self.after_top = self.after_top.saturating_add(d).max(0);
            return;
        }
        self.follow_top = action == Some(Action::Top);
        self.after_top = 0;
        match action {
            Some(Action::Down) => self.set_top(top + 1, h),
            Some(Action::Up) => self.set_top(top.saturating_sub(1), h),
            Some(Action::PageDown | Action::Forward) => self.set_top(top + page, h),
            Some(Action::PageUp | Action::Backward) => self.set_top(top.saturating_sub(page), h),
            Some(Action::HalfDown) => self.set_top(top + half(h), h),
            Some(Action::HalfUp) => self.set_top(top.saturating_sub(half(h)), h),
            Some(Action::Top) => self.set_top(0, h),
            Some(Action::Bottom) => self.anchor = None,
            _ => return,
        }
        self.ensure_loaded(core);
    }

    /// Ask for the next older page when the top of what is shown is within a screen of the
    /// oldest loaded line.
    pub fn ensure_loaded(&mut self, core: &mut Core) {
        let h = Self::rows(core);
        let needed = |v: &ConvView| {
            if v.pages.loaded == 0 || v.top(h) < h || v.follow_top {
                v.pages.items.len() + 1
            } else {
                0
            }
        };
        // A page that came ahead of its turn is taken at once (and may make room for the next).
        while let Some(page) = self.pages.want(needed(self)) {
            if let Some((id, early)) = self.early.remove(&page) {
                self.pages.mark_loading(page, id);
                self.absorb(id, early, core);
                continue;
            }
            match self.ahead.remove(&page) {
                // Already on its way: its answer is the one waited for.
                Some(id) => self.pages.mark_loading(page, id),
                None => {
                    self.failed_ahead.remove(&page);
                    self.request_page(page, core);
                }
            }
            break;
        }
        self.read_ahead(core);
    }

    /// While `g` goes to the start and the oldest page's number is known: ask for the older
    /// pages after the one in flight too (up to `READ_AHEAD` at a time).
    fn read_ahead(&mut self, core: &mut Core) {
        let Some(last) = self.last_page else { return };
        if !self.follow_top || self.pages.note.is_some() || self.pages.next.is_none() {
            return;
        }
        let from = self.pages.loaded.saturating_add(2);
        for page in from..=last {
            if self.ahead.len() + self.early.len() >= READ_AHEAD {
                break;
            }
            if self.ahead.contains_key(&page)
                || self.early.contains_key(&page)
                || self.failed_ahead.contains(&page)
            {
                continue;
            }
            let id = self.send_page(page, core);
            self.ahead.insert(page, id);
        }
    }

    fn request_page(&mut self, page: u32, core: &mut Core) {
        let id = self.send_page(page, core);
        self.pages.mark_loading(page, id);
    }

    fn send_page(&self, page: u32, core: &mut Core) -> RequestId {
        let uuid = self.conv.uuid.clone();
        core.request(
            AppRoute::Conversations(Route::Messages { uuid: uuid.clone() }),
            Call::Plannr(PlannrCall::ConversationMessages {
                uuid,
                page,
                per_page: self.pages.per_page,
            }),
        )
    }

    pub fn retry(&mut self, core: &mut Core) {
        if let Some(page) = self.pages.retry() {
            self.error = None;
            self.request_page(page, core);
        }
    }

    pub fn on_resize(&mut self, core: &mut Core) {
        let w = text_width(core);
        if w != self.width {
            self.width = w;
            let mut again = Vec::new();
            for e in &mut self.pages.items {
                e.lines = layout(&e.msg, e.body.as_ref(), w);
                // HTML laid out at the old width: shown re-wrapped until the new layout comes.
                if let Some(b) = &e.body
                    && b.width != 0
                    && b.width != w
                {
                    again.push((
                        e.msg.uuid.clone(),
                        e.msg.contents.clone().unwrap_or_default(),
                    ));
                }
            }
            self.restart();
            for (msg, html) in again {
                self.convert(msg, html, core);
            }
        }
        self.ensure_loaded(core);
    }

    /// Convert message `msg`'s HTML at the current width, off the UI thread.
    fn convert(&mut self, msg: String, html: String, core: &mut Core) {
        // A conversion of the same message at an older width is superseded.
        self.html.retain(|_, m| *m != msg);
        let route = AppRoute::Conversations(Route::Html {
            conv: self.conv.uuid.clone(),
            msg: msg.clone(),
        });
        let rid = core.render_html(route, html, self.width);
        self.html.insert(rid, msg);
    }

    /// Recompute the index and the line starts after entries were added or re-laid-out.
    fn restart(&mut self) {
        self.index = self
            .pages
            .items
            .iter()
            .enumerate()
            .map(|(i, e)| (e.msg.uuid.clone(), i))
            .collect();
        let mut starts = Vec::with_capacity(self.pages.items.len() + 1);
        let mut at = 0;
        starts.push(0);
        for e in self.pages.items.iter().rev() {
            at += e.lines.len();
            starts.push(at);
        }
        self.starts = starts;
    }

    pub fn on_result(&mut self, id: RequestId, result: Result<Reply, ApiError>, core: &mut Core) {
        if let Some(uuid) = self.html.remove(&id) {
            let Some(&i) = self.index.get(&uuid) else {
                return;
            };
            let e = &mut self.pages.items[i];
            // If the conversion failed, show the text between the tags rather than nothing.
            let body = match result {
                Ok(Reply::Body(body)) => *body,
                _ => text_to_body(&super::strip_tags(e.msg.contents.as_deref().unwrap_or(""))),
            };
            e.lines = layout(&e.msg, Some(&body), self.width);
            // Laid out for a width the pane no longer has (resized meanwhile): again.
            let again = (body.width != 0 && body.width != self.width)
                .then(|| (uuid.clone(), e.msg.contents.clone().unwrap_or_default()));
            e.body = Some(body);
            self.restart();
            if let Some((msg, html)) = again {
                self.convert(msg, html, core);
            }
            return;
        }
        if let Some(&n) = self.ahead.iter().find_map(|(n, i)| (*i == id).then_some(n)) {
            self.ahead.remove(&n);
            // A failed one is asked again in its turn (and its failure said then).
            match result {
                Ok(Reply::Plannr(PlannrReply::ConversationMessages(page))) => {
                    self.early.insert(n, (id, page));
                    self.ensure_loaded(core);
                }
                _ => {
                    self.failed_ahead.insert(n);
                }
            }
            return;
        }
        if !self.pages.expects(id) {
            return;
        }
        match result {
            Ok(Reply::Plannr(PlannrReply::ConversationMessages(page))) => {
                self.absorb(id, page, core);
                self.ensure_loaded(core);
            }
            Ok(_) => {
                self.pages.on_failed(id, "unexpected answer".into());
            }
            Err(e) => {
                self.pages.on_failed(id, e.to_string());
                self.error = Some(e.to_string());
                core.error(format!(
                    "Could not load messages: {e}. Press R to try again."
                ));
            }
        }
    }

    /// Take the page the list waits for (request `id`): lay it out and place it above.
    fn absorb(&mut self, id: RequestId, page: Page<ConversationMessage>, core: &mut Core) {
        if !page.bare {
            let per_page = page.per_page.unwrap_or(self.pages.per_page).max(1);
            let last = page.last_page.or_else(|| {
                page.total
                    .and_then(|t| u32::try_from(t.div_ceil(u64::from(per_page))).ok())
            });
            if last.is_some() {
                self.last_page = last;
            }
        }
        let width = self.width;
        let mut to_convert = Vec::new();
        let page = map_page(page, |msg| {
            let contents = msg.contents.clone().unwrap_or_default();
            let body = if looks_like_html(&contents) {
                to_convert.push((msg.uuid.clone(), contents));
                None
            } else {
                Some(text_to_body(&contents))
            };
            let lines = layout(&msg, body.as_ref(), width);
            Entry { msg, body, lines }
        });
        self.pages.on_loaded(id, page);
        let mut seen = std::collections::HashSet::new();
        self.pages.items.retain(|e| seen.insert(e.msg.uuid.clone()));
        self.restart();
        if self.follow_top {
            let h = Self::rows(core);
            self.set_top(0, h);
            if self.pages.is_complete() && self.after_top != 0 {
                // At the start: the keys pressed meanwhile, from there.
                let to = usize::try_from(self.after_top).unwrap_or(0);
                self.set_top(to, h);
                self.follow_top = false;
                self.after_top = 0;
            }
        }
        self.error = None;
        for (msg, html) in to_convert {
            self.convert(msg, html, core);
        }
    }
}

fn text_width(core: &Core) -> u16 {
    core.size.0.saturating_sub(INDENT + QUOTE + 1).max(1)
}

/// A message as screen lines: a header, the body wrapped at `width`, files, a blank line.
pub fn layout(msg: &ConversationMessage, body: Option<&Body>, width: u16) -> Vec<ViewLine> {
    let mut lines = Vec::new();
    let author = msg
        .author
        .as_ref()
        .map(|a| a.display_name())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Someone".into());
    let when = parse_time(&msg.created_at)
        .map(crate::clock::full)
        .unwrap_or_default();
    let mut header = if when.is_empty() {
        author
    } else {
        format!("{author} · {when}")
    };
    if msg.edited == Some(true) {
        header.push_str(" (edited)");
    }
    lines.push(ViewLine {
        text: header,
        kind: LineKind::Header,
    });
    match body {
        None => lines.push(ViewLine {
            text: "(formatting…)".into(),
            kind: LineKind::Notice,
        }),
        Some(b) => {
            let wrapped = wrap_body(b, width);
            // Leading and trailing blank lines carry nothing.
            let first = wrapped.iter().position(|l| !l.text.trim().is_empty());
            let last = wrapped.iter().rposition(|l| !l.text.trim().is_empty());
            match (first, last) {
                (Some(f), Some(l)) => lines.extend(wrapped[f..=l].iter().map(|w| ViewLine {
                    text: w.text.clone(),
                    kind: LineKind::body(w.quote_depth),
                })),
                _ if msg.files.is_empty() => lines.push(ViewLine {
                    text: "(no text)".into(),
                    kind: LineKind::Notice,
                }),
                _ => {}
            }
        }
    }
    for f in &msg.files {
        lines.push(ViewLine {
            text: format!("📎 {}", f.display_name()),
            kind: LineKind::Notice,
        });
    }
    lines.push(ViewLine {
        text: String::new(),
        kind: LineKind::Blank,
    });
    lines
}
