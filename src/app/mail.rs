//! Mail pane: pick a client (searchable, paged), list the client's emails (newest first, paged,
//! searchable, incoming/outgoing filter, mailbox filter applied client-side), and read a thread
//! (see `thread`).
mod actions;
pub mod body;
mod osc52;
pub mod side;
pub mod thread;

pub use osc52::base64;

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use self::thread::{Part, Thread};
use super::client_picker::{ClientPicker, PickerEvent};
use super::editor::{EditorEvent, InlineEditor, remember_query};
use super::list::ListNav;
use super::paged::Paged;
use super::{
    Call, Command, Core, PlannrCall, PlannrReply, Reply, RequestId, Route as AppRoute, Settings,
    Tab,
};
use crate::api::ApiError;
use crate::api::models::{Account, EmailMessage, EmailQuery, ThreadQuery};
use crate::keymap::{Action, Scope, view};

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Clients,
    Emails,
    Thread(Part),
    /// An HTML conversion of this message's body.
    Render {
        uuid: String,
    },
    /// Saving an attachment.
    Download {
        name: String,
    },
    /// Fetching one message of the open thread on its own, for its `html`.
    Full {
        uuid: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Clients,
    Emails,
    Thread,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    pub id: RequestId,
    pub name: String,
    pub done: u64,
    pub total: Option<u64>,
}

/// OSC 52 payloads larger than this are refused by many terminals.
pub const OSC52_MAX: usize = 100_000;

#[derive(Debug)]
pub struct MailPane {
    pub view: View,
    list_page: u32,
    thread_page: u32,
    // ---- clients
    pub picker: ClientPicker,
    // ---- emails
    pub client: Option<Account>,
    pub emails: Paged<EmailMessage>,
    /// Indexes into `emails.items` that pass the mailbox filter.
    pub shown: Vec<usize>,
    pub emails_nav: ListNav,
    pub email_search: Option<InlineEditor>,
    pub search: String,
    /// The last query typed into the email search box (↑ brings it back into a new one).
    pub last_search: String,
    /// `filter[incoming]`: None = all.
    pub incoming: Option<bool>,
    /// (uuid, name) of the mailbox chosen in the Mailboxes pane.
    pub mailbox: Option<(String, String)>,
    // ---- thread
    pub thread: Option<Thread>,
    pub download: Option<Download>,
    /// Where `s` saves (None: the user's download directory, decided by the worker).
    pub download_dir: Option<PathBuf>,
    /// The debounce timer of the latest keystroke in the email search box.
    email_debounce: Option<u64>,
    /// Movement keys (and Enter / Space) pressed before the opened message came, or while
    /// `g`/`G` waits for its end of the thread: replayed once it is there (typing `g j` ahead of
    /// a slow server lands one line below the top; `g Enter` opens the first message).
    after_end: Vec<Action>,
}

impl MailPane {
    pub fn new(settings: &Settings) -> MailPane {
        MailPane {
            view: View::Clients,
            list_page: settings.list_page_size.clamp(1, 500),
            thread_page: settings.thread_page_size.clamp(1, 500),
            picker: ClientPicker::new(
                settings.list_page_size.clamp(1, 500),
                AppRoute::Mail(Route::Clients),
                Tab::Mail,
                "Press r (or Enter at the end) to retry.",
            ),
            client: None,
            emails: Paged::new(settings.list_page_size.clamp(1, 500))
                .with_identity(|m: &EmailMessage| m.uuid.clone()),
            shown: Vec::new(),
            emails_nav: ListNav::default(),
            email_search: None,
            search: String::new(),
            last_search: String::new(),
            incoming: None,
            mailbox: None,
            thread: None,
            download: None,
            download_dir: settings.download_dir.clone(),
            email_debounce: None,
            after_end: Vec::new(),
        }
    }

    /// Rows of a list (header, table header and hint take three).
    pub fn list_rows(core: &Core) -> usize {
        core.pane_rows().saturating_sub(3).max(1)
    }

    /// Rows of the thread viewport (header and hint take two).
    pub fn thread_rows(core: &Core) -> usize {
        core.pane_rows().saturating_sub(2).max(1)
    }

    pub fn on_show(&mut self, core: &mut Core) {
        match self.view {
            View::Clients => self.picker.load(core),
            View::Emails => self.load_emails(core),
            View::Thread => self.thread_follow_up(core),
        }
    }

    pub fn captures_input(&self) -> bool {
        self.picker.searching() || self.email_search.is_some()
    }

    pub fn has_unsaved(&self) -> bool {
        false
    }

    pub fn on_resize(&mut self, core: &mut Core) {
        let rows = Self::list_rows(core);
        self.picker.clamp(core);
        self.emails_nav.clamp(self.shown.len(), rows);
        let (w, h) = (core.size.0, Self::thread_rows(core));
        if let Some(t) = &mut self.thread {
            t.resize(w, h);
        }
        if self.view == View::Thread {
            self.thread_follow_up(core);
        }
    }

    pub fn on_debounce(&mut self, seq: u64, core: &mut Core) {
        if self.picker.on_debounce(seq, core) || self.email_debounce != Some(seq) {
            return; // the picker's, or a later keystroke restarted the timer
        }
        self.email_debounce = None;
        if let Some(e) = &self.email_search {
            self.apply_email_search(e.text(), core);
        }
    }

    pub fn on_paste(&mut self, text: &str, core: &mut Core) {
        if self.picker.on_paste(text, core) {
            return;
        }
        if let Some(e) = &mut self.email_search {
            e.paste(text);
            self.email_debounce = Some(core.debounce(Tab::Mail));
        }
    }

    /// Limit the email list to one mailbox (from the Mailboxes pane), or clear the limit.
    pub fn set_mailbox_filter(&mut self, filter: Option<(String, String)>, core: &mut Core) {
        self.mailbox = filter;
        self.refilter(core);
        if self.client.is_none() {
            self.view = View::Clients;
            if let Some((_, name)) = &self.mailbox {
                core.info(format!(
                    "Mail of {name}: choose a client (Plannr lists email by client)."
                ));
            }
        } else if self.view == View::Thread {
            self.leave_thread(core);
            self.view = View::Emails;
        }
    }

    // ---------------------------------------------------------------- clients

    fn clients_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        let action = core.peek_action(Scope::Mail, view::MAIL_CLIENTS, &key);
        if !self.picker.searching() && self.picker.failed_at_end() && action == Some(Action::Open) {
            core.forced = None;
            self.picker.retry(core);
            return true;
        }
        match self.picker.on_key(key, core) {
            PickerEvent::Handled => true,
            PickerEvent::Open(c) => {
                self.open_client(c, core);
                true
            }
            PickerEvent::NotMine => match action {
                Some(Action::ClearMailbox) if self.mailbox.is_some() => {
                    self.set_mailbox_filter(None, core);
                    core.info("Showing every mailbox.");
                    true
                }
                _ => false,
            },
        }
    }

    fn open_client(&mut self, c: Account, core: &mut Core) {
        self.leave_thread(core);
        let same = self.client.as_ref().is_some_and(|old| old.uuid == c.uuid);
        self.client = Some(c);
        self.view = View::Emails;
        if !same {
            self.search.clear();
            self.incoming = None;
            self.emails.reset();
            self.shown.clear();
            self.emails_nav = ListNav::default();
        }
        self.load_emails(core);
    }

    // ---------------------------------------------------------------- emails

    fn email_query(&self, page: u32) -> EmailQuery {
        EmailQuery {
            search: Some(self.search.clone()).filter(|s| !s.trim().is_empty()),
            incoming: self.incoming,
            page,
            per_page: self.list_page,
        }
    }

    /// Request the next page when the cursor is within two screens of the end of what is shown.
    fn load_emails(&mut self, core: &mut Core) {
        let Some(client) = &self.client else { return };
        let rows = Self::list_rows(core);
        let near_end = self.shown.len() <= self.emails_nav.selected + 2 * rows;
        let needed = if near_end {
            self.emails.items.len() + 1
        } else {
            0
        };
        if let Some(page) = self.emails.want(needed) {
            let call = Call::Plannr(PlannrCall::ClientEmails {
                client_uuid: client.uuid.clone(),
                query: self.email_query(page),
            });
            // Later pages are fetched ahead of the screen: background work.
            let route = AppRoute::Mail(Route::Emails);
            let id = if page > 1 {
                core.request_background(route, call)
            } else {
                core.request(route, call)
            };
            self.emails.mark_loading(page, id);
        }
    }

    fn reload_emails(&mut self, core: &mut Core) {
        self.emails.reset();
        self.shown.clear();
        self.emails_nav = ListNav::default();
        self.load_emails(core);
    }

    fn refilter(&mut self, core: &mut Core) {
        let selected = self.shown.get(self.emails_nav.selected).copied();
        self.shown = match &self.mailbox {
            Some((uuid, _)) => (0..self.emails.items.len())
                .filter(|&i| {
                    self.emails.items[i]
                        .mailbox
                        .as_ref()
                        .is_some_and(|m| &m.uuid == uuid)
                })
                .collect(),
            None => (0..self.emails.items.len()).collect(),
        };
        if let Some(sel) = selected {
            self.emails_nav.selected = self
                .shown
                .iter()
                .position(|&i| i >= sel)
                .unwrap_or(self.shown.len());
        }
        self.emails_nav
            .clamp(self.shown.len(), Self::list_rows(core));
    }

    fn apply_email_search(&mut self, text: String, core: &mut Core) {
        let text = text.trim().to_string();
        if text == self.search && self.emails.loaded > 0 {
            return;
        }
        self.search = text;
        self.reload_emails(core);
    }

    pub fn selected_email(&self) -> Option<&EmailMessage> {
        self.shown
            .get(self.emails_nav.selected)
            .and_then(|&i| self.emails.items.get(i))
    }

    fn emails_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        if let Some(e) = &mut self.email_search {
            match e.on_key(key) {
                EditorEvent::Edited => self.email_debounce = Some(core.debounce(Tab::Mail)),
                EditorEvent::Submit => {
                    let text = e.text();
                    remember_query(&mut self.last_search, &text);
                    self.email_search = None;
                    self.email_debounce = None;
                    self.apply_email_search(text, core);
                }
                EditorEvent::Cancel => {
                    remember_query(&mut self.last_search, &e.text());
                    self.email_search = None;
                    self.email_debounce = None;
                    self.apply_email_search(String::new(), core);
                }
                EditorEvent::Ignored => {
                    let rows = Self::list_rows(core);
                    let action = core.action(Scope::Mail, view::MAIL_EMAILS, &key);
                    if self.emails_nav.on_action(action, self.shown.len(), rows) {
                        self.load_emails(core);
                    }
                }
            }
            return true;
        }
        let action = core.action(Scope::Mail, view::MAIL_EMAILS, &key);
        self.emails_action(action, core)
    }

    fn emails_action(&mut self, action: Option<Action>, core: &mut Core) -> bool {
        let rows = Self::list_rows(core);
        if self.emails_nav.on_action(action, self.shown.len(), rows) {
            self.load_emails(core);
            return true;
        }
        let Some(action) = action else { return false };
        match action {
            Action::Search => self.email_search = Some(InlineEditor::search(&self.last_search)),
            Action::Incoming => {
                self.incoming = match self.incoming {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                };
                self.reload_emails(core);
            }
            Action::ClearMailbox => {
                if self.mailbox.is_some() {
                    self.mailbox = None;
                    self.refilter(core);
                    core.info("Showing every mailbox.");
                } else {
                    core.info("No mailbox filter. Choose a mailbox in the Mailboxes pane (1) and press Enter.");
                }
            }
            Action::Refresh => self.reload_emails(core),
            Action::Retry => {
                if let (Some(page), Some(client)) = (self.emails.retry(), &self.client) {
                    let call = Call::Plannr(PlannrCall::ClientEmails {
                        client_uuid: client.uuid.clone(),
                        query: self.email_query(page),
                    });
                    let id = core.request(AppRoute::Mail(Route::Emails), call);
                    self.emails.mark_loading(page, id);
                }
            }
            Action::Open => {
                if let Some(m) = self.selected_email() {
                    let uuid = m.uuid.clone();
                    self.open_thread(&uuid, core);
                } else if self.emails.retry().is_some() {
                    return self.emails_action(Some(Action::Retry), core);
                }
            }
            Action::Back => {
                self.view = View::Clients;
                self.picker.load(core);
            }
            _ => return false,
        }
        true
    }

    // ---------------------------------------------------------------- thread

    pub fn open_thread(&mut self, uuid: &str, core: &mut Core) {
        self.leave_thread(core);
        let t = Thread::new(uuid, self.thread_page, core.size.0, Self::thread_rows(core));
        self.thread = Some(t);
        self.view = View::Thread;
        self.send_thread_request(core, None);
    }

    /// Close the open thread, cancelling its reads still in flight (pages, gap pages, pages
    /// fetched ahead, full messages): on a slow or hung server they would keep read slots that
    /// the next view needs. Its HTML conversions and a download run on.
    fn leave_thread(&mut self, core: &mut Core) {
        self.thread = None;
        self.after_end.clear();
        core.cancel_reads(|r| {
            matches!(
                r,
                AppRoute::Mail(Route::Thread(_)) | AppRoute::Mail(Route::Full { .. })
            )
        });
    }

    /// Send `req` (or the first request when None) for the open thread.
    fn send_thread_request(&mut self, core: &mut Core, req: Option<thread::PageRequest>) {
        let Some(t) = &mut self.thread else { return };
        let req = req.unwrap_or_else(|| t.first_request());
        let id = core.request(
            AppRoute::Mail(Route::Thread(req.part)),
            Call::Plannr(PlannrCall::Thread {
                uuid: t.uuid.clone(),
                query: req.query,
            }),
        );
        t.sent(req, id);
    }

    /// After anything that moves the viewport: request pages the viewport now needs, the full
    /// form (with `html`) of expanded messages on screen that thread pages left without it, and
    /// the HTML conversions of the expanded messages on screen.
    fn thread_follow_up(&mut self, core: &mut Core) {
        self.relayout_on_screen(core);
        let Some(t) = &self.thread else { return };
        for req in t.wanted() {
            self.send_thread_request(core, Some(req));
        }
        // The opened message, or the end `g`/`G` waited for, is there: the keys typed meanwhile
        // (a failed one drops them).
        if let Some(t) = &mut self.thread
            && !self.after_end.is_empty()
            && !t.holds_keys()
        {
            for a in std::mem::take(&mut self.after_end) {
                if !t.apply_move(a) {
                    t.toggle_focused(); // Enter / Space, the only others kept
                }
            }
            return self.thread_follow_up(core);
        }
        let Some(t) = &mut self.thread else { return };
        // One at a time: each "loading" line can push the next message off screen.
        while let Some(i) = t.next_fetch() {
            let uuid = t.msgs[i].m.uuid.clone();
            // The smallest request the endpoint allows; its thread halves are ignored.
            let call = Call::Plannr(PlannrCall::Thread {
                uuid: uuid.clone(),
                query: ThreadQuery {
                    per_page: 1,
                    page_ancestors: 1,
                    page_descendants: 1,
                },
            });
            let id = core.request(AppRoute::Mail(Route::Full { uuid }), call);
            t.fetching(i, id);
        }
        while let Some(i) = self
            .thread
            .as_ref()
            .and_then(|t| t.conversions_on_screen().first().copied())
        {
            self.convert(i, core);
        }
    }

    fn convert(&mut self, i: usize, core: &mut Core) {
        let Some(t) = &mut self.thread else { return };
        let Some(html) = t
            .msgs
            .get(i)
            .and_then(|m| m.wants_conversion())
            .map(str::to_string)
        else {
            return;
        };
        let uuid = t.msgs[i].m.uuid.clone();
        let id = core.track(AppRoute::Mail(Route::Render { uuid }));
        let width = body::content_width(t.width);
        core.out.push(Command::RenderHtml { id, html, width });
        t.converting(i, id);
    }

    /// Convert again, at the current width, the HTML bodies on screen laid out at another one
    /// (after a resize, or when such a message scrolls into view).
    fn relayout_on_screen(&mut self, core: &mut Core) {
        let Some(t) = &mut self.thread else { return };
        for i in t.relayouts() {
            let Some(html) = body::wants_relayout(&t.msgs[i], t.width).map(str::to_string) else {
                continue;
            };
            let uuid = t.msgs[i].m.uuid.clone();
            let id = core.track(AppRoute::Mail(Route::Render { uuid }));
            let width = body::content_width(t.width);
            core.out.push(Command::RenderHtml { id, html, width });
            t.relayouting(i, id);
        }
    }

    fn thread_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        let Some(t) = &mut self.thread else {
            self.view = View::Emails;
            return true;
        };
        let Some(action) = core.action(Scope::Mail, view::MAIL_THREAD, &key) else {
            return false;
        };
        if matches!(action, Action::Top | Action::Bottom) {
            self.after_end.clear();
        }
        let kept = thread::is_move(action) || matches!(action, Action::Open | Action::Toggle);
        if t.holds_keys() && kept {
            // Bounded: a held key cannot grow it without end.
            if self.after_end.len() < 200 {
                self.after_end.push(action);
            }
            return true;
        }
        if t.apply_move(action) {
            self.thread_follow_up(core);
            return true;
        }
        match action {
            Action::Open | Action::Toggle => {
                let retry = if action == Action::Open {
                    t.retry()
                } else {
                    None
                };
                match retry {
                    Some(req) => self.send_thread_request(core, Some(req)),
                    None => t.toggle_focused(),
                }
            }
            Action::Retry => match t.retry_any() {
                Some(req) => self.send_thread_request(core, Some(req)),
                None => core.info("Nothing to retry."),
            },
            Action::ToggleAll => t.toggle_all(),
            Action::ViewMode => {
                if let Some((_, mode)) = t.cycle_mode() {
                    core.info(format!("Showing the {} body.", mode.label()));
                } else if let Some(m) = t.focused() {
                    let note = if matches!(m.fetch, thread::Fetch::Loading(_)) {
                        " (the full message is loading)"
                    } else if m.mode == body::BodyMode::Html && m.m.html.is_none() {
                        " (this message has no HTML part: showing its text)"
                    } else {
                        ""
                    };
                    core.info(format!("Showing the {} body{note}.", m.mode.label()));
                }
            }
            Action::Quotes => {
                let folded = t.toggle_quotes();
                core.info(if folded {
                    "Quoted text folded."
                } else {
                    "Quoted text shown."
                });
            }
            Action::Attachment => {
                if let Some(m) = t.focused_mut() {
                    let n = m.m.attachments.len();
                    if n == 0 {
                        core.info("This message has no attachments.");
                    } else {
                        m.attachment = (m.attachment + 1) % n;
                        let a = &m.m.attachments[m.attachment];
                        core.info(format!(
                            "Attachment {} of {n}: {} (s saves it)",
                            m.attachment + 1,
                            a.display_name()
                        ));
                        if let Some(i) = t.focus_index() {
                            t.rewrap_one(i);
                        }
                    }
                }
            }
            Action::Save => self.save_attachment(core),
            Action::Copy => self.copy(core),
            Action::Back => {
                self.view = View::Emails;
                self.leave_thread(core);
                return true;
            }
            _ => return false,
        }
        self.thread_follow_up(core);
        true
    }

    /// The view its key table is in.
    pub fn key_view(&self) -> crate::keymap::Views {
        match self.view {
            View::Clients => view::MAIL_CLIENTS,
            View::Emails => view::MAIL_EMAILS,
            View::Thread => view::MAIL_THREAD,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        match self.view {
            View::Clients => self.clients_key(key, core),
            View::Emails => self.emails_key(key, core),
            View::Thread => self.thread_key(key, core),
        }
    }

    pub fn on_progress(
        &mut self,
        _route: Route,
        id: RequestId,
        done: u64,
        total: Option<u64>,
        core: &mut Core,
    ) {
        if let Some(d) = self.download.as_mut().filter(|d| d.id == id) {
            d.done = done;
            d.total = total.or(d.total);
            let pct = d
                .total
                .filter(|t| *t > 0)
                .map(|t| format!(" {}%", (done.min(t) * 100 / t)))
                .unwrap_or_default();
            core.info(format!(
                "Saving {}…{pct} ({})",
                d.name,
                body::human_size(done)
            ));
        }
    }

    pub fn on_result(
        &mut self,
        route: Route,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) {
        match route {
            Route::Clients => {
                self.picker.on_result(id, result, core);
            }
            Route::Emails => match result {
                Ok(Reply::Plannr(PlannrReply::Emails(page))) => {
                    if self.emails.on_loaded(id, page) {
                        self.refilter(core);
                        self.load_emails(core);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    if self.emails.on_failed(id, e.to_string()) {
                        core.error(format!("Could not load emails: {e}. Press r to retry."));
                    }
                }
            },
            Route::Thread(part) => {
                let Some(t) = &mut self.thread else { return };
                match result {
                    Ok(Reply::Plannr(PlannrReply::Email(m))) => {
                        if t.on_loaded(part, id, *m) {
                            self.thread_follow_up(core);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let what = match part {
                            Part::First => "the message",
                            Part::Ancestors => "earlier messages",
                            Part::Descendants => "later messages",
                        };
                        if t.on_failed(part, id, e.to_string()) {
                            // What the kept keys waited for will not come: they are not made
                            // from somewhere else.
                            if !t.holds_keys() {
                                self.after_end.clear();
                            }
                            core.error(format!("Could not load {what}: {e}. Press Enter on the error line (or r) to retry."));
                        }
                    }
                }
            }
            Route::Render { uuid } => {
                let Some(t) = &mut self.thread else { return };
                match result {
                    Ok(Reply::Body(b)) => {
                        t.on_converted(&uuid, id, *b);
                        self.thread_follow_up(core);
                    }
                    Ok(_) => {}
                    Err(e) => core.error(format!(
                        "Could not render the HTML body: {e}. Press v for the plain text."
                    )),
                }
            }
            Route::Full { uuid } => {
                let Some(t) = &mut self.thread else { return };
                let subject = t
                    .index_of(&uuid)
                    .map(|i| t.msgs[i].m.subject.clone())
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| "(no subject)".into());
                let result = match result {
                    Ok(Reply::Plannr(PlannrReply::Email(m))) if m.uuid == uuid => Ok(*m),
                    Ok(_) => Err("Plannr answered with another message".to_string()),
                    Err(e) => Err(e.to_string()),
                };
                match result {
                    Ok(m) => {
                        if let Some(i) = t.on_fetched(&uuid, id, m) {
                            self.convert(i, core);
                        }
                        self.thread_follow_up(core);
                    }
                    Err(e) => {
                        if t.on_fetch_failed(&uuid, id) {
                            core.error(format!(
                                "Could not load the formatted version of “{subject}”: {e}. Showing its text; expand it again to retry."
                            ));
                        }
                    }
                }
            }
            Route::Download { name } => {
                if self.download.as_ref().is_some_and(|d| d.id == id) {
                    self.download = None;
                }
                match result {
                    Ok(Reply::Saved { path, bytes }) => core.info(format!(
                        "Saved {name} ({}) to {}",
                        body::human_size(bytes),
                        path.display()
                    )),
                    Ok(_) => {}
                    Err(e) => core.error(format!("Could not save {name}: {e}")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
