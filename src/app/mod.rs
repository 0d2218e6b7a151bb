//! All application state and the pure `update(state, msg) -> commands`. Knows state and rules,
//! nothing of HTTP or terminals: the worker turns `Command`s into I/O and answers with `Msg`s.
pub mod client_picker;
pub mod contacts;
pub mod conversations;
pub mod editor;
pub mod list;
pub mod mail;
pub mod mailboxes;
pub mod paged;
pub mod rename;

use std::collections::HashMap;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::api::models::*;
use crate::api::{ApiError, Page};

pub type RequestId = u64;

/// Every API call the app can ask for. The worker maps each to one `api::Client` method.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Logins,
    Mailboxes,
    UpdateMailbox {
        uuid: String,
        update: MailboxUpdate,
    },
    Thread {
        uuid: String,
        query: ThreadQuery,
    },
    ClientEmails {
        client_uuid: String,
        query: EmailQuery,
    },
    Conversations {
        archived: Archived,
        page: u32,
        per_page: u32,
    },
    Conversation {
        uuid: String,
    },
    RenameConversation {
        uuid: String,
        name: String,
    },
    PinConversation {
        uuid: String,
        pin: bool,
    },
    ConversationMessages {
        uuid: String,
        page: u32,
        per_page: u32,
    },
    Clients {
        name: Option<String>,
        page: u32,
        per_page: u32,
    },
    ContactDetails {
        account_uuids: Vec<String>,
        page: u32,
        per_page: u32,
    },
    ContactDetail {
        uuid: String,
    },
    CreateContactDetail {
        body: ContactDetailWrite,
    },
    UpdateContactDetail {
        uuid: String,
        body: ContactDetailWrite,
    },
}

impl Call {
    /// Writes to the same resource are sent one after another, in the order asked, so the last
    /// one asked is the last one the server applies.
    pub fn write_key(&self) -> Option<String> {
        match self {
            Call::UpdateMailbox { uuid, .. } => Some(format!("mailbox/{uuid}")),
            Call::RenameConversation { uuid, .. } | Call::PinConversation { uuid, .. } => {
                Some(format!("conversation/{uuid}"))
            }
            Call::UpdateContactDetail { uuid, .. } => Some(format!("contact-detail/{uuid}")),
            _ => None,
        }
    }
}

/// The typed answer to a `Call`.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Logins(Logins),
    Mailboxes(Vec<Mailbox>),
    Mailbox(Mailbox),
    Email(Box<EmailMessage>),
    Emails(Page<EmailMessage>),
    Conversations(Page<Conversation>),
    Conversation(Box<Conversation>),
    Done,
    ConversationMessages(Page<ConversationMessage>),
    Clients(Page<Account>),
    ContactDetails(Page<ContactDetail>),
    ContactDetail(Option<Box<ContactDetail>>),
    /// A converted email body (answer to `Command::RenderHtml`).
    Body(Box<crate::render::html::Body>),
    /// A download finished (answer to `Command::Download`): where it was saved, bytes written.
    Saved {
        path: std::path::PathBuf,
        bytes: u64,
    },
}

/// Timers exist only while something needs them (no periodic tick when idle).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Timer {
    /// Clear the status message if it is still message number `seq`.
    StatusFade(u64),
    /// Advance the spinner (armed only while requests are in flight).
    Spinner,
    /// A debounced search of a pane fires if `seq` is still the latest keystroke.
    Debounce { tab: Tab, seq: u64 },
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Api {
        id: RequestId,
        result: Result<Reply, ApiError>,
    },
    Timer(Timer),
    /// A long job (download) reports progress; routed like its request, which stays pending.
    Progress {
        id: RequestId,
        done: u64,
        total: Option<u64>,
    },
    /// The worker's answer about contact-form drafts on disk (loaded at start, or a failed write).
    Draft(contacts::drafts::DraftEvent),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Api {
        id: RequestId,
        call: Call,
    },
    Timer {
        after: Duration,
        timer: Timer,
    },
    /// Act as this account from now on (`X-PLANNR-ACCOUNT-UUID`).
    SetAccount(String),
    Quit,
    /// Convert an HTML body off the UI thread (worker: spawn_blocking, cached by content and
    /// width), laid out at `width` columns; answered with
    /// `Msg::Api { id, result: Ok(Reply::Body(..)) }`.
    RenderHtml {
        id: RequestId,
        html: String,
        width: u16,
    },
    /// Stream `url` (with auth) into a new file in `dir` (None: the user's download directory, else
    /// the data directory) named like `name`, never overwriting
    /// (`name (1).ext` …); `Msg::Progress` while it runs, then `Reply::Saved` or an error.
    Download {
        id: RequestId,
        url: String,
        dir: Option<std::path::PathBuf>,
        name: String,
    },
    /// Write an OSC 52 clipboard sequence (already base64-encoded payload) to the terminal.
    Osc52(String),
    /// Write a contact-form draft atomically in `dir` (None: the platform data dir). Runs off the
    /// UI thread, in order; the worker finishes pending draft writes before it exits.
    WriteDraft {
        dir: Option<std::path::PathBuf>,
        key: String,
        json: String,
    },
    /// Delete a draft (saved by the server or discarded by the user).
    DeleteDraft {
        dir: Option<std::path::PathBuf>,
        key: String,
    },
    /// Read every draft in `dir`; answered with `Msg::Draft(DraftEvent::Loaded{..})`.
    LoadDrafts {
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Mailboxes,
    Mail,
    Conversations,
    Contacts,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Mailboxes, Tab::Mail, Tab::Conversations, Tab::Contacts];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Mailboxes => "Mailboxes",
            Tab::Mail => "Mail",
            Tab::Conversations => "Conversations",
            Tab::Contacts => "Contacts",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// Where an API answer goes. Each pane defines its own route type.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Logins,
    Mailboxes(mailboxes::Route),
    Mail(mail::Route),
    Conversations(conversations::Route),
    Contacts(contacts::Route),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusMessage {
    pub level: Level,
    pub text: String,
    pub seq: u64,
}

/// Settings the panes need (from config and flags).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Thread page size (`per_page` of the thread view), 1..=500.
    pub thread_page_size: u32,
    /// Page size of the other lists.
    pub list_page_size: u32,
    /// How long an info/error message stays in the status bar.
    pub status_fade: Duration,
    pub search_debounce: Duration,
    /// `y` copies via OSC 52 only when this is on.
    pub osc52_copy: bool,
    /// Where contact-form drafts live. None: the platform data dir + `drafts/`. Tests set a tempdir.
    pub drafts_dir: Option<std::path::PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            thread_page_size: 25,
            list_page_size: 50,
            status_fade: Duration::from_secs(8),
            search_debounce: Duration::from_millis(300),
            osc52_copy: false,
            drafts_dir: None,
        }
    }
}

/// What every pane may use while handling a message: request ids, the status bar, commands out,
/// and navigation to another pane.
#[derive(Debug, Default)]
pub struct Core {
    next_id: RequestId,
    pub pending: HashMap<RequestId, Route>,
    pub out: Vec<Command>,
    pub nav: Vec<Nav>,
    pub status: Option<StatusMessage>,
    status_seq: u64,
    pub settings: Settings,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub spinner: usize,
    spinner_armed: bool,
    /// "Account name · Firm" once known.
    pub account_label: String,
    pub account_uuid: Option<String>,
    /// Ctrl-C was pressed once while something unsaved was open.
    pub quit_armed: bool,
    pub seq: u64,
    /// Wall-clock time (unix seconds) as of the message being handled, set by the main loop before
    /// each batch (0 = unknown). `update` reads it instead of the clock, so it stays pure and tests
    /// pick their own "now" (relative times like "5m ago").
    pub now: i64,
}

/// Cross-pane navigation asked for by a pane.
#[derive(Debug, Clone, PartialEq)]
pub enum Nav {
    /// Open the Mail pane limited to this mailbox.
    MailForMailbox {
        uuid: String,
        name: String,
    },
    Tab(Tab),
}

impl Core {
    /// Ask the worker for `call`; its answer comes back to `route`.
    pub fn request(&mut self, route: Route, call: Call) -> RequestId {
        let id = self.track(route);
        self.out.push(Command::Api { id, call });
        id
    }

    /// A request id whose answer (a `Msg::Api` with that id) is routed to `route`, for commands
    /// other than API calls (HTML conversion, downloads). The caller pushes the command.
    pub fn track(&mut self, route: Route) -> RequestId {
        self.next_id += 1;
        let id = self.next_id;
        self.pending.insert(id, route);
        if !self.spinner_armed {
            self.spinner_armed = true;
            self.out.push(Command::Timer {
                after: Duration::from_millis(120),
                timer: Timer::Spinner,
            });
        }
        id
    }

    /// Convert `html` off the UI thread, laid out at `width` columns; the `Reply::Body` comes
    /// back to `route` like an API answer.
    pub fn render_html(&mut self, route: Route, html: String, width: u16) -> RequestId {
        self.next_id += 1;
        let id = self.next_id;
        self.pending.insert(id, route);
        self.out.push(Command::RenderHtml { id, html, width });
        id
    }

    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }

    fn set_status(&mut self, level: Level, text: String) {
        self.status_seq += 1;
        self.status = Some(StatusMessage {
            level,
            text,
            seq: self.status_seq,
        });
        let after = self.settings.status_fade;
        self.out.push(Command::Timer {
            after,
            timer: Timer::StatusFade(self.status_seq),
        });
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.set_status(Level::Info, text.into());
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.set_status(Level::Error, text.into());
    }

    /// Start (or restart) a debounce timer for a pane's search box; returns its sequence number.
    pub fn debounce(&mut self, tab: Tab) -> u64 {
        self.seq += 1;
        let after = self.settings.search_debounce;
        self.out.push(Command::Timer {
            after,
            timer: Timer::Debounce { tab, seq: self.seq },
        });
        self.seq
    }

    /// Rows available to a pane's body (the screen less the tab bar and the status bar).
    pub fn pane_rows(&self) -> usize {
        self.size.1.saturating_sub(2) as usize
    }
}

/// Choosing which account to act as, when the token reaches several.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginPicker {
    pub choices: Vec<(String, String)>,
    pub nav: list::ListNav,
}

#[derive(Debug)]
pub struct State {
    pub tab: Tab,
    pub core: Core,
    pub mailboxes: mailboxes::MailboxesPane,
    pub mail: mail::MailPane,
    pub conversations: conversations::ConversationsPane,
    pub contacts: contacts::ContactsPane,
    pub help: bool,
    /// First help line shown (the overlay scrolls with j/k when the terminal is short).
    pub help_scroll: u16,
    pub login_picker: Option<LoginPicker>,
    pub quit: bool,
}

impl State {
    pub fn new(settings: Settings, account_uuid: Option<String>, size: (u16, u16)) -> State {
        State {
            tab: Tab::Mailboxes,
            core: Core {
                settings: settings.clone(),
                size,
                account_uuid,
                ..Core::default()
            },
            mailboxes: mailboxes::MailboxesPane::default(),
            mail: mail::MailPane::new(&settings),
            conversations: conversations::ConversationsPane::new(&settings),
            contacts: contacts::ContactsPane::new(&settings),
            help: false,
            help_scroll: 0,
            login_picker: None,
            quit: false,
        }
    }

    /// The first commands: who am I (for the account label, and to pick an account), and the
    /// first pane's data if the account is already known.
    pub fn init(&mut self) -> Vec<Command> {
        self.core.request(Route::Logins, Call::Logins);
        self.core.out.push(Command::LoadDrafts {
            dir: self.core.settings.drafts_dir.clone(),
        });
        if let Some(acc) = self.core.account_uuid.clone() {
            self.core.out.push(Command::SetAccount(acc));
            self.activate(self.tab);
        }
        std::mem::take(&mut self.core.out)
    }

    fn activate(&mut self, tab: Tab) {
        self.tab = tab;
        if self.core.account_uuid.is_none() {
            return;
        }
        match tab {
            Tab::Mailboxes => self.mailboxes.on_show(&mut self.core),
            Tab::Mail => self.mail.on_show(&mut self.core),
            Tab::Conversations => self.conversations.on_show(&mut self.core),
            Tab::Contacts => self.contacts.on_show(&mut self.core),
        }
    }

    /// Whether the active pane is taking text input (so `q`, digits and `?` are typed, not keys).
    pub fn captures_input(&self) -> bool {
        match self.tab {
            Tab::Mailboxes => self.mailboxes.captures_input(),
            Tab::Mail => self.mail.captures_input(),
            Tab::Conversations => self.conversations.captures_input(),
            Tab::Contacts => self.contacts.captures_input(),
        }
    }

    fn has_unsaved(&self) -> bool {
        self.mailboxes.has_unsaved()
            || self.conversations.has_unsaved()
            || self.contacts.has_unsaved()
    }

    /// Help lines for the current pane: (keys, what they do).
    pub fn help_lines(&self) -> Vec<(&'static str, &'static str)> {
        let mut lines = match self.tab {
            Tab::Mailboxes => mailboxes::HELP.to_vec(),
            Tab::Mail => mail::HELP.to_vec(),
            Tab::Conversations => conversations::HELP.to_vec(),
            Tab::Contacts => contacts::HELP.to_vec(),
        };
        lines.extend_from_slice(GLOBAL_HELP);
        lines
    }
}

pub const GLOBAL_HELP: &[(&str, &str)] = &[
    ("1 2 3 4", "Mailboxes · Mail · Conversations · Contacts"),
    ("Tab / Shift-Tab", "next / previous pane"),
    ("?", "this help (j/k scroll it, any other key closes it)"),
    ("q / Esc", "back out (q quits at the top)"),
    ("R", "before an account is chosen: list your accounts again"),
    (
        "Ctrl-C",
        "quit from anywhere (asks again while unsaved text is open)",
    ),
];

/// The pure update: apply one message, return what should be done.
pub fn update(state: &mut State, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(state, key),
        Msg::Key(_) => {}
        Msg::Paste(text) => match state.tab {
            Tab::Mailboxes => state.mailboxes.on_paste(&text, &mut state.core),
            Tab::Mail => state.mail.on_paste(&text, &mut state.core),
            Tab::Conversations => state.conversations.on_paste(&text, &mut state.core),
            Tab::Contacts => state.contacts.on_paste(&text, &mut state.core),
        },
        Msg::Resize(w, h) => {
            state.core.size = (w, h);
            state.mailboxes.on_resize(&mut state.core);
            state.mail.on_resize(&mut state.core);
            state.conversations.on_resize(&mut state.core);
            state.contacts.on_resize(&mut state.core);
        }
        Msg::Api { id, result } => on_result(state, id, result),
        Msg::Timer(t) => on_timer(state, t),
        Msg::Progress { id, done, total } => {
            if let Some(Route::Mail(r)) = state.core.pending.get(&id).cloned() {
                state.mail.on_progress(r, id, done, total, &mut state.core);
            }
        }
        Msg::Draft(ev) => state.contacts.on_draft_event(ev, &mut state.core),
    }
    apply_nav(state);
    std::mem::take(&mut state.core.out)
}

fn apply_nav(state: &mut State) {
    while !state.core.nav.is_empty() {
        for nav in std::mem::take(&mut state.core.nav) {
            match nav {
                Nav::Tab(t) => state.activate(t),
                Nav::MailForMailbox { uuid, name } => {
                    state
                        .mail
                        .set_mailbox_filter(Some((uuid, name)), &mut state.core);
                    state.activate(Tab::Mail);
                }
            }
        }
    }
}

fn on_timer(state: &mut State, t: Timer) {
    match t {
        Timer::StatusFade(seq) => {
            if state.core.status.as_ref().is_some_and(|s| s.seq == seq) {
                state.core.status = None;
            }
        }
        Timer::Spinner => {
            state.core.spinner_armed = false;
            if state.core.in_flight() > 0 {
                state.core.spinner = state.core.spinner.wrapping_add(1);
                state.core.spinner_armed = true;
                state.core.out.push(Command::Timer {
                    after: Duration::from_millis(120),
                    timer: Timer::Spinner,
                });
            }
        }
        Timer::Debounce { tab, seq } => match tab {
            Tab::Mailboxes => {}
            Tab::Mail => state.mail.on_debounce(seq, &mut state.core),
            Tab::Conversations => state.conversations.on_debounce(seq, &mut state.core),
            Tab::Contacts => state.contacts.on_debounce(seq, &mut state.core),
        },
    }
}

fn on_result(state: &mut State, id: RequestId, result: Result<Reply, ApiError>) {
    let Some(route) = state.core.pending.remove(&id) else {
        return; // nobody waits for it any more
    };
    if matches!(result, Err(ApiError::Unauthenticated)) {
        state.core.error("Plannr refused the token (401). Get a new token and restart; nothing you typed was sent.");
    }
    match route {
        Route::Logins => on_logins(state, result),
        Route::Mailboxes(r) => state.mailboxes.on_result(r, id, result, &mut state.core),
        Route::Mail(r) => state.mail.on_result(r, id, result, &mut state.core),
        Route::Conversations(r) => state
            .conversations
            .on_result(r, id, result, &mut state.core),
        Route::Contacts(r) => state.contacts.on_result(r, id, result, &mut state.core),
    }
}

fn on_logins(state: &mut State, result: Result<Reply, ApiError>) {
    let logins = match result {
        Ok(Reply::Logins(l)) => l,
        Ok(_) => return,
        Err(e) => {
            if state.core.account_uuid.is_none() {
                state.core.error(format!(
                    "Could not list your Plannr accounts: {e}. Press R to try again."
                ));
            }
            return;
        }
    };
    let label = |uuid: &str| {
        logins
            .logins
            .iter()
            .find(|l| l.account.as_ref().is_some_and(|a| a.uuid == uuid))
            .map(|l| {
                let name = l
                    .account
                    .as_ref()
                    .map(Account::display_name)
                    .unwrap_or_default();
                match &l.firm {
                    Some(f) if !f.name.is_empty() => format!("{name} · {}", f.name),
                    _ => name,
                }
            })
    };
    if let Some(acc) = state.core.account_uuid.clone() {
        state.core.account_label = label(&acc).unwrap_or(acc);
        return;
    }
    if let Some(acc) = logins.automatic_choice() {
        choose_account(state, acc.clone(), label(&acc).unwrap_or(acc));
        return;
    }
    let choices: Vec<(String, String)> = logins
        .logins
        .iter()
        .filter_map(|l| l.account.as_ref().map(|a| a.uuid.clone()))
        .map(|uuid| (uuid.clone(), label(&uuid).unwrap_or_else(|| uuid.clone())))
        .collect();
    if choices.is_empty() {
        state
            .core
            .error("This token has no Plannr accounts to act as. Pass --account UUID.");
    } else {
        state.login_picker = Some(LoginPicker {
            choices,
            nav: list::ListNav::default(),
        });
    }
}

fn choose_account(state: &mut State, uuid: String, label: String) {
    state.core.account_uuid = Some(uuid.clone());
    state.core.account_label = label;
    state.core.out.push(Command::SetAccount(uuid));
    state.activate(state.tab);
}

fn on_key(state: &mut State, key: KeyEvent) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        if state.has_unsaved() && !state.core.quit_armed {
            state.core.quit_armed = true;
            state
                .core
                .error("You have unsaved text open. Press Ctrl-C again to quit anyway.");
        } else {
            quit(state);
        }
        return;
    }
    state.core.quit_armed = false;
    if state.help {
        let last = state.help_lines().len().saturating_sub(1) as u16;
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => {
                state.help_scroll = (state.help_scroll + 1).min(last);
                return;
            }
            KeyCode::Up | KeyCode::Char('k') => {
                state.help_scroll = state.help_scroll.saturating_sub(1);
                return;
            }
            _ => {}
        }
        state.help = false;
        state.help_scroll = 0;
        return;
    }
    if let Some(picker) = &mut state.login_picker {
        let rows = state.core.pane_rows();
        let len = picker.choices.len();
        if picker.nav.on_key(&key, len, rows) {
            return;
        }
        match key.code {
            KeyCode::Enter => {
                if let Some((uuid, label)) = picker.choices.get(picker.nav.selected).cloned() {
                    state.login_picker = None;
                    choose_account(state, uuid, label);
                }
            }
            KeyCode::Char('q') | KeyCode::Esc => quit(state),
            _ => {}
        }
        return;
    }
    // No account yet and no picker: listing the accounts failed (or found none). R asks again;
    // the panes have nothing to load until an account is chosen.
    if state.core.account_uuid.is_none()
        && key.code == KeyCode::Char('R')
        && !state.captures_input()
    {
        if !state.core.pending.values().any(|r| *r == Route::Logins) {
            state.core.request(Route::Logins, Call::Logins);
            state.core.info("Asking Plannr for your accounts again…");
        }
        return;
    }
    if !state.captures_input() {
        let tab = match key.code {
            KeyCode::Char('1') => Some(Tab::Mailboxes),
            KeyCode::Char('2') => Some(Tab::Mail),
            KeyCode::Char('3') => Some(Tab::Conversations),
            KeyCode::Char('4') => Some(Tab::Contacts),
            KeyCode::Tab => Some(Tab::ALL[(state.tab.index() + 1) % 4]),
            KeyCode::BackTab => Some(Tab::ALL[(state.tab.index() + 3) % 4]),
            _ => None,
        };
        if let Some(t) = tab {
            state.activate(t);
            return;
        }
        if key.code == KeyCode::Char('?') {
            state.help = true;
            return;
        }
    }
    let handled = match state.tab {
        Tab::Mailboxes => state.mailboxes.on_key(key, &mut state.core),
        Tab::Mail => state.mail.on_key(key, &mut state.core),
        Tab::Conversations => state.conversations.on_key(key, &mut state.core),
        Tab::Contacts => state.contacts.on_key(key, &mut state.core),
    };
    if !handled && key.code == KeyCode::Char('q') && !state.captures_input() {
        quit(state);
    }
}

/// Quit: first let panes flush what must survive (contact drafts), then stop the worker, which
/// finishes those writes before it exits.
fn quit(state: &mut State) {
    state.contacts.on_quit(&mut state.core);
    state.quit = true;
    state.core.out.push(Command::Quit);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> Msg {
        Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
    }

    fn api_ids(cmds: &[Command]) -> Vec<(RequestId, Call)> {
        cmds.iter()
            .filter_map(|c| match c {
                Command::Api { id, call } => Some((*id, call.clone())),
                _ => None,
            })
            .collect()
    }

    fn logins(accounts: &[&str], preferred: Option<&str>) -> Logins {
        Logins {
            logins: accounts
                .iter()
                .map(|a| Login {
                    account: Some(Account {
                        uuid: a.to_string(),
                        name: format!("Name {a}"),
                        ..Account::default()
                    }),
                    ..Login::default()
                })
                .collect(),
            preferred_account_uuid: preferred.map(String::from),
        }
    }

    #[test]
    fn several_logins_ask_which_account_then_load_mailboxes() {
        let mut s = State::new(Settings::default(), None, (80, 24));
        let cmds = s.init();
        let calls = api_ids(&cmds);
        assert_eq!(
            calls.len(),
            1,
            "only logins until an account is chosen: {cmds:?}"
        );
        let out = update(
            &mut s,
            Msg::Api {
                id: calls[0].0,
                result: Ok(Reply::Logins(logins(&["a", "b"], None))),
            },
        );
        assert!(s.login_picker.is_some());
        assert!(api_ids(&out).is_empty());
        update(&mut s, key(KeyCode::Down));
        let out = update(&mut s, key(KeyCode::Enter));
        assert_eq!(
            out.first(),
            Some(&Command::SetAccount("b".into())),
            "account set before any tenant call"
        );
        assert!(api_ids(&out).iter().any(|(_, c)| *c == Call::Mailboxes));
        assert_eq!(s.core.account_label, "Name b");
    }

    #[test]
    fn a_failed_account_list_says_so_and_r_asks_again() {
        let mut s = State::new(Settings::default(), None, (80, 24));
        let id = api_ids(&s.init())[0].0;
        update(
            &mut s,
            Msg::Api {
                id,
                result: Err(ApiError::Timeout),
            },
        );
        let status = s
            .core
            .status
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default();
        assert!(status.contains("R to try again"), "{status}");
        let out = update(&mut s, key(KeyCode::Char('R')));
        let calls = api_ids(&out);
        assert_eq!(calls.len(), 1, "{out:?}");
        assert_eq!(calls[0].1, Call::Logins);
        // A second R while that one is on its way does not ask twice.
        assert!(api_ids(&update(&mut s, key(KeyCode::Char('R')))).is_empty());
        update(
            &mut s,
            Msg::Api {
                id: calls[0].0,
                result: Ok(Reply::Logins(logins(&["a", "b"], None))),
            },
        );
        assert!(s.login_picker.is_some());
    }

    #[test]
    fn preferred_account_is_used_without_asking() {
        let mut s = State::new(Settings::default(), None, (80, 24));
        let id = api_ids(&s.init())[0].0;
        let out = update(
            &mut s,
            Msg::Api {
                id,
                result: Ok(Reply::Logins(logins(&["a", "b"], Some("a")))),
            },
        );
        assert!(s.login_picker.is_none());
        assert!(out.contains(&Command::SetAccount("a".into())));
    }

    #[test]
    fn tabs_help_and_quit() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        s.init();
        update(&mut s, key(KeyCode::Char('3')));
        assert_eq!(s.tab, Tab::Conversations);
        update(&mut s, key(KeyCode::Tab));
        assert_eq!(s.tab, Tab::Contacts);
        update(&mut s, key(KeyCode::BackTab));
        update(&mut s, key(KeyCode::BackTab));
        assert_eq!(s.tab, Tab::Mail);
        update(&mut s, key(KeyCode::Char('?')));
        assert!(s.help);
        update(&mut s, key(KeyCode::Char('q')));
        assert!(
            !s.help && !s.quit,
            "a key closes help and does nothing else"
        );
        let out = update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        );
        assert!(s.quit && out.contains(&Command::Quit));
    }

    #[test]
    fn stale_and_unknown_results_are_dropped_and_status_fades() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        s.init();
        assert!(
            update(
                &mut s,
                Msg::Api {
                    id: 999,
                    result: Err(ApiError::Timeout)
                }
            )
            .is_empty()
        );
        s.core.error("boom");
        let seq = s.core.status.as_ref().unwrap().seq;
        s.core.info("newer");
        update(&mut s, Msg::Timer(Timer::StatusFade(seq)));
        assert_eq!(
            s.core.status.as_ref().map(|m| m.text.as_str()),
            Some("newer"),
            "an older fade leaves a newer message"
        );
        let seq = s.core.status.as_ref().unwrap().seq;
        update(&mut s, Msg::Timer(Timer::StatusFade(seq)));
        assert!(s.core.status.is_none());
    }

    #[test]
    fn spinner_ticks_only_while_requests_are_in_flight() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        let cmds = s.init();
        let spinners = cmds
            .iter()
            .filter(|c| {
                matches!(
                    c,
                    Command::Timer {
                        timer: Timer::Spinner,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(spinners, 1, "one spinner timer however many requests");
        let out = update(&mut s, Msg::Timer(Timer::Spinner));
        assert!(out.iter().any(|c| matches!(
            c,
            Command::Timer {
                timer: Timer::Spinner,
                ..
            }
        )));
        for (id, _) in api_ids(&cmds) {
            update(
                &mut s,
                Msg::Api {
                    id,
                    result: Err(ApiError::Timeout),
                },
            );
        }
        let out = update(&mut s, Msg::Timer(Timer::Spinner));
        assert!(out.is_empty(), "idle: no timer re-armed: {out:?}");
    }
}

#[cfg(test)]
mod help_tests {
    use super::*;

    #[test]
    fn help_scrolls_with_j_k_and_closes_on_any_other_key() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 10));
        s.init();
        let key = |c| Msg::Key(KeyEvent::new(c, KeyModifiers::NONE));
        update(&mut s, key(KeyCode::Char('?')));
        update(&mut s, key(KeyCode::Char('j')));
        update(&mut s, key(KeyCode::Down));
        assert!(s.help);
        assert_eq!(s.help_scroll, 2);
        update(&mut s, key(KeyCode::Char('k')));
        assert_eq!(s.help_scroll, 1);
        for _ in 0..100 {
            update(&mut s, key(KeyCode::Char('j')));
        }
        assert_eq!(
            s.help_scroll as usize,
            s.help_lines().len() - 1,
            "stops at the last line"
        );
        update(&mut s, key(KeyCode::Char('x')));
        assert!(!s.help);
        assert_eq!(s.help_scroll, 0, "reopens at the top");
    }
}
