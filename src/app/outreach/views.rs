//! The Outreach pane's views: a cursor-paged list, a mailbox's mailings, an open mailing.
use super::super::list::ListNav;
use super::RequestId;
use crate::api::outreach::Mailing;
use crate::render::html::Body;
use crate::render::wrap::wrap_line;

/// A cursor-paged list: what arrived, and the `links.next` to ask for more.
#[derive(Debug, Clone, PartialEq)]
pub struct CursorList<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    pub loading: Option<RequestId>,
    pub loaded: bool,
    pub error: Option<String>,
    /// Bumped on reload; answers for an older generation are dropped.
    pub generation: u64,
    pub nav: ListNav,
    /// A wait asked for by a 429/503: (retry at unix second, timer seq).
    pub retry_at: Option<(i64, u64)>,
}

impl<T> Default for CursorList<T> {
    fn default() -> Self {
        CursorList {
            items: Vec::new(),
            next: None,
            loading: None,
            loaded: false,
            error: None,
            generation: 0,
            nav: ListNav::default(),
            retry_at: None,
        }
    }
}

impl<T> CursorList<T> {
    /// Whether the next page should be asked for: the cursor is within `lookahead` of the end.
    pub(super) fn wants_more(&self, lookahead: usize) -> bool {
        self.next.is_some()
            && self.loading.is_none()
            && self.retry_at.is_none()
            && self.error.is_none()
            && self.nav.selected + lookahead >= self.items.len()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MailingsView {
    pub mailbox_id: i64,
    pub mailbox_label: String,
    pub list: CursorList<Mailing>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenMailing {
    pub id: i64,
    pub mailing: Option<Mailing>,
    pub body: Option<Body>,
    /// The HTML body, kept to lay it out again when the width changes.
    pub html: Option<String>,
    pub loading: bool,
    pub error: Option<String>,
    /// Wrapped body lines at `width` (rebuilt on body arrival and resize).
    pub lines: Vec<String>,
    pub width: u16,
    pub scroll: usize,
}

/// Columns an open mailing's body is laid out at (the pane less its one-column margins).
pub(super) fn body_width(pane: u16) -> u16 {
    pane.saturating_sub(2).max(1)
}

impl OpenMailing {
    /// Wrap the body to the pane's width, links listed as `[n] url` after it (as in Mail).
    pub fn rewrap(&mut self, width: u16, rows: usize) {
        self.width = width;
        let w = usize::from(body_width(width));
        let mut lines = Vec::new();
        if let Some(body) = &self.body {
            for l in &body.lines {
                let prefix = "│ ".repeat(usize::from(l.quote_depth));
                wrap_line(&format!("{prefix}{}", l.text), w, &mut |t| lines.push(t));
            }
            if !body.links.is_empty() {
                lines.push(String::new());
                for (n, link) in body.links.iter().enumerate() {
                    wrap_line(&format!("[{}] {link}", n + 1), w, &mut |t| lines.push(t));
                }
            }
        }
        self.lines = lines;
        self.scroll = self.scroll.min(self.lines.len().saturating_sub(rows));
    }
}
