//! Outreach pane: the sending mailboxes with their health, sync/send switches (optimistic, rolled
//! back on failure, only where Outreach says `editable`), the send/sync tests, and each mailbox's
//! mailings (cursor-paged on scroll) with the open one rendered like Plannr mail.
pub mod health;
mod views;

use views::body_width;
pub use views::{CursorList, MailingsView, OpenMailing};

use crossterm::event::KeyEvent;

use super::{
    ApiResult, Backend, Call, Command, Core, Pane, Reply, RequestId, Route as AppRoute, Tab, Timer,
};
use crate::api::ApiError;
use crate::api::outreach::{CursorPage, Known, Mailbox, MailboxToggle, Mailing, OutreachError};
use crate::keymap::{Action, Scope, Views, view};
use crate::render::html::text_to_body;

/// What the pane asks the worker for (one `OutreachClient` method each).
#[derive(Debug, Clone, PartialEq)]
pub enum OutreachCall {
    /// The first page (`next: None`) or the page at `links.next`, verbatim.
    Mailboxes {
        next: Option<String>,
        page_size: u32,
    },
    Toggle {
        id: i64,
        toggle: MailboxToggle,
    },
    TestSend {
        id: i64,
    },
    TestSync {
        id: i64,
    },
    /// One mailbox as it is now (after a test, so its health and times are current).
    Mailbox {
        id: i64,
    },
    Mailings {
        mailbox_id: i64,
        next: Option<String>,
        page_size: u32,
    },
    Mailing {
        id: i64,
    },
}

impl OutreachCall {
    /// Writes to one mailbox go out in the order asked.
    pub fn write_key(&self) -> Option<String> {
        match self {
            OutreachCall::Toggle { id, .. } => Some(format!("outreach-mailbox/{id}")),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum OutreachReply {
    Mailboxes(CursorPage<Mailbox>),
    Mailbox(Box<Mailbox>),
    Mailings(CursorPage<Mailing>),
    Mailing(Box<Mailing>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Send,
    Sync,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    Send,
    Sync,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Mailboxes { generation: u64 },
    Toggle { mailbox: i64, attr: Attr },
    Test { mailbox: i64, kind: Test },
    Reread { mailbox: i64 },
    Mailings { mailbox: i64, generation: u64 },
    Mailing { id: i64 },
    Body { id: i64 },
}

/// What a row says about its last action (shown on the row).
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    Busy(String),
    Done(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub mailbox: Mailbox,
    /// Toggles in flight: (attribute, the value before, request id).
    pub pending: Vec<(Attr, Known<bool>, RequestId)>,
    pub note: Option<Note>,
}

#[derive(Debug, Default)]
pub struct OutreachPane {
    pub boxes: CursorList<Row>,
    pub mailings: Option<MailingsView>,
    pub open: Option<OpenMailing>,
    /// Set when Outreach is not configured (the pane explains how).
    pub unavailable: Option<String>,
}

/// One sentence for an error the pane met.
pub fn explain(e: &ApiError) -> String {
    match e {
        ApiError::Outreach(o) => o.to_string(),
        other => other.to_string(),
    }
}

fn outreach_err(e: &ApiError) -> Option<&OutreachError> {
    match e {
        ApiError::Outreach(o) => Some(o),
        _ => None,
    }
}

impl OutreachPane {
    fn page_size(core: &Core) -> u32 {
        core.settings.list_page_size.clamp(1, 1000)
    }

    /// Rows for a list body: the pane less its title, table header, detail line and hint.
    pub fn list_rows(core: &Core) -> usize {
        core.pane_rows().saturating_sub(4).max(1)
    }

    /// Rows for an open mailing's body (title, five header lines and the hint).
    pub fn body_rows(core: &Core) -> usize {
        core.pane_rows().saturating_sub(8).max(1)
    }

    pub fn on_show(&mut self, core: &mut Core) {
        if self.unavailable.is_none() && !self.boxes.loaded && self.boxes.loading.is_none() {
            self.reload(core);
        }
    }

    pub fn on_resize(&mut self, core: &mut Core) {
        let h = Self::list_rows(core);
        self.boxes.nav.clamp(self.boxes.items.len(), h);
        if let Some(v) = &mut self.mailings {
            v.list.nav.clamp(v.list.items.len(), h);
        }
        let width = core.size.0;
        let rows = Self::body_rows(core);
        if let Some(o) = &mut self.open {
            if o.width != width
                && let Some(html) = o.html.clone()
            {
                // Laid out again at the new width; the old layout shows meanwhile.
                core.render_html(
                    AppRoute::Outreach(Route::Body { id: o.id }),
                    html,
                    body_width(width),
                );
            }
            o.rewrap(width, rows);
        }
    }

    fn reload(&mut self, core: &mut Core) {
        self.boxes.generation += 1;
        self.boxes.retry_at = None;
        self.boxes.error = None;
        self.boxes.next = None;
        self.boxes.loaded = false;
        self.request_boxes(None, core);
    }

    fn request_boxes(&mut self, next: Option<String>, core: &mut Core) {
        let call = OutreachCall::Mailboxes {
            next,
            page_size: Self::page_size(core),
        };
        let route = Route::Mailboxes {
            generation: self.boxes.generation,
        };
        self.boxes.loading = Some(core.request(AppRoute::Outreach(route), Call::Outreach(call)));
    }

    fn request_mailings(&mut self, next: Option<String>, core: &mut Core) {
        let size = Self::page_size(core);
        let Some(v) = &mut self.mailings else { return };
        let call = OutreachCall::Mailings {
            mailbox_id: v.mailbox_id,
            next,
            page_size: size,
        };
        let route = Route::Mailings {
            mailbox: v.mailbox_id,
            generation: v.list.generation,
        };
        v.list.loading = Some(core.request(AppRoute::Outreach(route), Call::Outreach(call)));
    }

    /// Ask for the next page of whatever list is showing when the cursor nears its end.
    fn load_more(&mut self, core: &mut Core) {
        let lookahead = Self::list_rows(core);
        if self.open.is_some() {
            return;
        }
        if let Some(v) = &self.mailings {
            if v.list.wants_more(lookahead) {
                let next = v.list.next.clone();
                self.request_mailings(next, core);
            }
        } else if self.boxes.wants_more(lookahead) {
            let next = self.boxes.next.clone();
            self.request_boxes(next, core);
        }
    }

    fn row_mut(&mut self, mailbox: i64) -> Option<&mut Row> {
        self.boxes
            .items
            .iter_mut()
            .find(|r| r.mailbox.id == mailbox)
    }

    pub fn selected(&self) -> Option<&Row> {
        self.boxes.items.get(self.boxes.nav.selected)
    }

    pub fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        if self.unavailable.is_some() {
            return false;
        }
        if self.open.is_some() {
            return self.on_key_open(key, core);
        }
        if self.mailings.is_some() {
            return self.on_key_mailings(key, core);
        }
        let action = core.action(Scope::Outreach, view::OUTREACH_BOXES, &key);
        let h = Self::list_rows(core);
        if self.boxes.nav.on_action(action, self.boxes.items.len(), h) {
            self.load_more(core);
            return true;
        }
        let Some(action) = action else { return false };
        match action {
            Action::Toggle => self.toggle(Attr::Sync, core),
            Action::ToggleSend => self.toggle(Attr::Send, core),
            Action::TestSend => self.test(Test::Send, core),
            Action::TestSync => self.test(Test::Sync, core),
            Action::Refresh => self.reload(core),
            Action::Open => {
                if let Some(row) = self.selected() {
                    let label = row
                        .mailbox
                        .email
                        .get()
                        .cloned()
                        .unwrap_or_else(|| format!("mailbox {}", row.mailbox.id));
                    self.mailings = Some(MailingsView {
                        mailbox_id: row.mailbox.id,
                        mailbox_label: label,
                        list: CursorList::default(),
                    });
                    self.request_mailings(None, core);
                }
            }
            _ => return false,
        }
        true
    }

    fn on_key_mailings(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        let action = core.action(Scope::Outreach, view::OUTREACH_MAILINGS, &key);
        let h = Self::list_rows(core);
        let Some(v) = &mut self.mailings else {
            return false;
        };
        if v.list.nav.on_action(action, v.list.items.len(), h) {
            self.load_more(core);
            return true;
        }
        let Some(action) = action else { return false };
        match action {
            Action::Back => self.mailings = None,
            Action::Refresh => {
                v.list = CursorList {
                    generation: v.list.generation + 1,
                    ..CursorList::default()
                };
                self.request_mailings(None, core);
            }
            Action::Open => {
                let Some(m) = v.list.items.get(v.list.nav.selected) else {
                    return true;
                };
                let id = m.id;
                self.open = Some(OpenMailing {
                    id,
                    mailing: Some(m.clone()),
                    body: None,
                    html: None,
                    loading: true,
                    error: None,
                    lines: Vec::new(),
                    width: core.size.0,
                    scroll: 0,
                });
                core.request(
                    AppRoute::Outreach(Route::Mailing { id }),
                    Call::Outreach(OutreachCall::Mailing { id }),
                );
            }
            _ => return false,
        }
        true
    }

    fn on_key_open(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        let action = core.action(Scope::Outreach, view::OUTREACH_OPEN, &key);
        let rows = Self::body_rows(core);
        let Some(o) = &mut self.open else {
            return false;
        };
        let max = o.lines.len().saturating_sub(rows);
        let half = crate::app::list::half(rows);
        let Some(action) = action else { return false };
        match action {
            Action::Back => self.open = None,
            Action::Down => o.scroll = (o.scroll + 1).min(max),
            Action::Up => o.scroll = o.scroll.saturating_sub(1),
            Action::PageDown | Action::Forward => o.scroll = (o.scroll + rows).min(max),
            Action::PageUp | Action::Backward => o.scroll = o.scroll.saturating_sub(rows),
            Action::HalfDown => o.scroll = (o.scroll + half).min(max),
            Action::HalfUp => o.scroll = o.scroll.saturating_sub(half),
            Action::Top => o.scroll = 0,
            Action::Bottom => o.scroll = max,
            _ => return false,
        }
        true
    }

    fn toggle(&mut self, attr: Attr, core: &mut Core) {
        let Some(row) = self.boxes.items.get_mut(self.boxes.nav.selected) else {
            return;
        };
        let m = &mut row.mailbox;
        let what = match attr {
            Attr::Send => "sending",
            Attr::Sync => "syncing",
        };
        if m.editable.get() != Some(&true) {
            let why = if m.editable.get() == Some(&false) {
                "Outreach says you may not edit it"
            } else {
                "Outreach did not say whether you may edit it (press R to reload)"
            };
            core.error(format!("Cannot change {what} of this mailbox: {why}."));
            return;
        }
        if row.pending.iter().any(|(a, _, _)| *a == attr) {
            core.info(format!("Still saving the last {what} change…"));
            return;
        }
        let field = match attr {
            Attr::Send => &mut m.send_disabled,
            Attr::Sync => &mut m.sync_disabled,
        };
        let Some(disabled) = field.copied() else {
            core.error(format!(
                "The {what} switch of this mailbox is unknown; press R to reload."
            ));
            return;
        };
        let before = field.clone();
        *field = Known::Set(!disabled);
        let toggle = match attr {
            Attr::Send => MailboxToggle::SendDisabled(!disabled),
            Attr::Sync => MailboxToggle::SyncDisabled(!disabled),
        };
        let mailbox = m.id;
        let id = core.request(
            AppRoute::Outreach(Route::Toggle { mailbox, attr }),
            Call::Outreach(OutreachCall::Toggle {
                id: mailbox,
                toggle,
            }),
        );
        row.pending.push((attr, before, id));
        let verb = if disabled { "on" } else { "off" };
        row.note = Some(Note::Busy(format!("turning {what} {verb}…")));
    }

    fn test(&mut self, kind: Test, core: &mut Core) {
        let Some(row) = self.boxes.items.get_mut(self.boxes.nav.selected) else {
            return;
        };
        let id = row.mailbox.id;
        let call = match kind {
            Test::Send => OutreachCall::TestSend { id },
            Test::Sync => OutreachCall::TestSync { id },
        };
        core.request(
            AppRoute::Outreach(Route::Test { mailbox: id, kind }),
            Call::Outreach(call),
        );
        row.note = Some(Note::Busy(match kind {
            Test::Send => "testing sending…".into(),
            Test::Sync => "testing syncing…".into(),
        }));
    }

    /// A retry timer armed after a 429/503 fired.
    pub fn on_retry(&mut self, seq: u64, core: &mut Core) {
        if self.boxes.retry_at.is_some_and(|(_, s)| s == seq) {
            self.boxes.retry_at = None;
            let next = self.boxes.next.clone();
            self.request_boxes(next, core);
        }
        if let Some(v) = &mut self.mailings
            && v.list.retry_at.is_some_and(|(_, s)| s == seq)
        {
            v.list.retry_at = None;
            let next = v.list.next.clone();
            self.request_mailings(next, core);
        }
    }

    /// After a 429/503 with a wait on a list load: say so, and try again when it is over.
    fn wait_then_retry<T>(list: &mut CursorList<T>, e: &OutreachError, core: &mut Core) -> bool {
        let Some(wait) = e.wait() else { return false };
        core.seq += 1;
        let seq = core.seq;
        list.retry_at = Some((core.now + wait.as_secs() as i64, seq));
        core.out.push(Command::Timer {
            after: wait,
            timer: Timer::Debounce {
                tab: Tab::Outreach,
                seq,
            },
        });
        core.info(format!(
            "{e}; trying again in {}",
            crate::api::outreach::human_wait(wait)
        ));
        true
    }

    /// An answer routed to this pane (the registry hands it only `Route::Outreach` ones).
    fn answer(&mut self, route: AppRoute, id: RequestId, result: ApiResult, core: &mut Core) {
        let AppRoute::Outreach(route) = route else {
            return;
        };
        match route {
            Route::Mailboxes { generation } => {
                if generation != self.boxes.generation || self.boxes.loading != Some(id) {
                    return;
                }
                self.boxes.loading = None;
                match result {
                    Ok(Reply::Outreach(OutreachReply::Mailboxes(page))) => {
                        self.boxes.loaded = true;
                        if self.boxes.next.is_none() {
                            // First page of a (re)load: replaces what was there, keeps notes.
                            let old = std::mem::take(&mut self.boxes.items);
                            self.boxes.items = page
                                .items
                                .into_iter()
                                .map(|mailbox| {
                                    let note = old
                                        .iter()
                                        .find(|r| r.mailbox.id == mailbox.id)
                                        .and_then(|r| r.note.clone());
                                    Row {
                                        mailbox,
                                        pending: Vec::new(),
                                        note,
                                    }
                                })
                                .collect();
                        } else {
                            self.boxes
                                .items
                                .extend(page.items.into_iter().map(|mailbox| Row {
                                    mailbox,
                                    pending: Vec::new(),
                                    note: None,
                                }));
                        }
                        self.boxes.next = page.next;
                        let h = Self::list_rows(core);
                        self.boxes.nav.clamp(self.boxes.items.len(), h);
                        self.load_more(core);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        if let Some(o) = outreach_err(&e)
                            && Self::wait_then_retry(&mut self.boxes, o, core)
                        {
                            return;
                        }
                        self.boxes.error = Some(explain(&e));
                    }
                }
            }
            Route::Toggle { mailbox, attr } => {
                let Some(row) = self.row_mut(mailbox) else {
                    return;
                };
                let Some(pos) = row.pending.iter().position(|(_, _, rid)| *rid == id) else {
                    return;
                };
                let (_, before, _) = row.pending.remove(pos);
                let what = match attr {
                    Attr::Send => "sending",
                    Attr::Sync => "syncing",
                };
                match result {
                    Ok(Reply::Outreach(OutreachReply::Mailbox(m))) => {
                        row.mailbox.merge_from(*m);
                        let now_off = match attr {
                            Attr::Send => row.mailbox.send_disabled.get() == Some(&true),
                            Attr::Sync => row.mailbox.sync_disabled.get() == Some(&true),
                        };
                        let state = if now_off { "off" } else { "on" };
                        row.note = Some(Note::Done(format!("{what} turned {state}")));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        match attr {
                            Attr::Send => row.mailbox.send_disabled = before,
                            Attr::Sync => row.mailbox.sync_disabled = before,
                        }
                        let why = explain(&e);
                        row.note = Some(Note::Failed(format!("{what} not changed: {why}")));
                        core.error(format!("Could not change {what}: {why}"));
                    }
                }
            }
            Route::Test { mailbox, kind } => {
                let Some(row) = self.row_mut(mailbox) else {
                    return;
                };
                let what = match kind {
                    Test::Send => "send test",
                    Test::Sync => "sync test",
                };
                match result {
                    Ok(Reply::Outreach(OutreachReply::Mailbox(m))) => {
                        row.mailbox.merge_from(*m);
                        row.note = Some(Note::Done(format!("{what} passed")));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let why = explain(&e);
                        row.note = Some(Note::Failed(format!("{what} failed: {why}")));
                    }
                }
                // Passed or failed, Outreach has written the test's time (and the error's):
                // read the mailbox again so its health is current without R.
                core.request(
                    AppRoute::Outreach(Route::Reread { mailbox }),
                    Call::Outreach(OutreachCall::Mailbox { id: mailbox }),
                );
            }
            Route::Reread { mailbox } => {
                let Some(row) = self.row_mut(mailbox) else {
                    return;
                };
                match result {
                    // A switch saved meanwhile is in the answer too; one still in flight keeps
                    // its optimistic value (its own answer settles it).
                    Ok(Reply::Outreach(OutreachReply::Mailbox(mut m))) => {
                        for (attr, _, _) in &row.pending {
                            match attr {
                                Attr::Send => m.send_disabled = row.mailbox.send_disabled.clone(),
                                Attr::Sync => m.sync_disabled = row.mailbox.sync_disabled.clone(),
                            }
                        }
                        row.mailbox.merge_from(*m);
                    }
                    Ok(_) => {}
                    // The test's outcome stays on the row; the times are as the test left them.
                    Err(e) => core.info(format!(
                        "Could not read the mailbox again after its test ({}); R reloads",
                        explain(&e)
                    )),
                }
            }
            Route::Mailings {
                mailbox,
                generation,
            } => {
                let lookahead = Self::list_rows(core);
                let Some(v) = &mut self.mailings else { return };
                if v.mailbox_id != mailbox
                    || v.list.generation != generation
                    || v.list.loading != Some(id)
                {
                    return;
                }
                v.list.loading = None;
                match result {
                    Ok(Reply::Outreach(OutreachReply::Mailings(page))) => {
                        v.list.loaded = true;
                        v.list.items.extend(page.items);
                        v.list.next = page.next;
                        v.list.nav.clamp(v.list.items.len(), lookahead);
                        self.load_more(core);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        if let Some(o) = outreach_err(&e)
                            && Self::wait_then_retry(&mut v.list, o, core)
                        {
                            return;
                        }
                        v.list.error = Some(explain(&e));
                    }
                }
            }
            Route::Mailing { id: mid } => {
                let Some(o) = self.open.as_mut().filter(|o| o.id == mid) else {
                    return;
                };
                match result {
                    Ok(Reply::Outreach(OutreachReply::Mailing(m))) => {
                        let html = m.body_html.get().filter(|h| !h.trim().is_empty()).cloned();
                        let text = m.body_text.get().cloned();
                        o.mailing = Some(*m);
                        match html {
                            Some(html) => {
                                o.html = Some(html.clone());
                                o.width = core.size.0;
                                core.render_html(
                                    AppRoute::Outreach(Route::Body { id: mid }),
                                    html,
                                    body_width(core.size.0),
                                );
                            }
                            None => {
                                o.loading = false;
                                o.body = Some(text_to_body(text.as_deref().unwrap_or("")));
                                o.rewrap(core.size.0, Self::body_rows(core));
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        o.loading = false;
                        o.error = Some(explain(&e));
                    }
                }
            }
            Route::Body { id: mid } => {
                let Some(o) = self.open.as_mut().filter(|o| o.id == mid) else {
                    return;
                };
                o.loading = false;
                if let Ok(Reply::Body(b)) = result {
                    o.body = Some(*b);
                    o.rewrap(core.size.0, Self::body_rows(core));
                }
            }
        }
    }
}

impl Pane for OutreachPane {
    fn view(&self) -> Views {
        if self.open.is_some() {
            view::OUTREACH_OPEN
        } else if self.mailings.is_some() {
            view::OUTREACH_MAILINGS
        } else {
            view::OUTREACH_BOXES
        }
    }

    fn on_show(&mut self, core: &mut Core) {
        OutreachPane::on_show(self, core)
    }

    fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        OutreachPane::on_key(self, key, core)
    }

    fn on_result(&mut self, route: AppRoute, id: RequestId, result: ApiResult, core: &mut Core) {
        self.answer(route, id, result, core)
    }

    fn backend(&self) -> Backend {
        Backend::Outreach
    }

    fn on_resize(&mut self, core: &mut Core) {
        OutreachPane::on_resize(self, core)
    }

    fn on_tick(&mut self, seq: u64, core: &mut Core) {
        self.on_retry(seq, core)
    }
}

#[cfg(test)]
mod tests;
