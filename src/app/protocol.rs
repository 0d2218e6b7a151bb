//! The messages between the pure app and the worker: what comes in (`Msg`), what goes out
//! (`Command`), the API calls and their typed answers (`Call`/`Reply`, one variant per backend:
//! `PlannrCall`/`PlannrReply` here, `OutreachCall`/`OutreachReply` in `outreach`), and where answers
//! go (`Route`).
use std::time::Duration;

use crossterm::event::KeyEvent;

use super::contacts;
use super::{Backend, Tab};
use crate::api::models::*;
use crate::api::{ApiError, Page};

pub type RequestId = u64;

/// What a request comes back with.
pub type ApiResult = Result<Reply, ApiError>;

/// Every API call the app can ask for: one variant per backend, wrapping that backend's own
/// calls. The worker sends each to that backend's client.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// A call to Plannr (the worker's `api::Client`).
    Plannr(PlannrCall),
    /// A call to Outreach (the worker's `OutreachClient`).
    Outreach(super::outreach::OutreachCall),
}

/// Plannr's calls. The worker maps each to one `api::Client` method.
#[derive(Debug, Clone, PartialEq)]
pub enum PlannrCall {
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
    /// The clients linked to `client` (offered as owners in the contact form).
    LinkedClients {
        client: String,
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
    /// The backend that answers this call (the worker sends it to that backend's client).
    pub fn backend(&self) -> Backend {
        match self {
            Call::Plannr(_) => Backend::Plannr,
            Call::Outreach(_) => Backend::Outreach,
        }
    }

    /// Whether the call changes something on the server (a save, a pin, a switch).
    pub fn is_write(&self) -> bool {
        match self {
            Call::Plannr(c) => c.is_write(),
            Call::Outreach(c) => matches!(
                c,
                super::outreach::OutreachCall::Toggle { .. }
                    | super::outreach::OutreachCall::TestSend { .. }
                    | super::outreach::OutreachCall::TestSync { .. }
            ),
        }
    }

    /// Writes to the same resource are sent one after another, in the order asked, so the last
    /// one asked is the last one the server applies.
    pub fn write_key(&self) -> Option<String> {
        match self {
            Call::Plannr(c) => c.write_key(),
            Call::Outreach(c) => c.write_key(),
        }
    }
}

impl PlannrCall {
    /// Whether the call changes something on the server (a save, a pin, a switch).
    pub fn is_write(&self) -> bool {
        matches!(
            self,
            PlannrCall::UpdateMailbox { .. }
                | PlannrCall::RenameConversation { .. }
                | PlannrCall::PinConversation { .. }
                | PlannrCall::CreateContactDetail { .. }
                | PlannrCall::UpdateContactDetail { .. }
        )
    }

    /// The resource a write changes (see `Call::write_key`).
    pub fn write_key(&self) -> Option<String> {
        match self {
            PlannrCall::UpdateMailbox { uuid, .. } => Some(format!("mailbox/{uuid}")),
            PlannrCall::RenameConversation { uuid, .. }
            | PlannrCall::PinConversation { uuid, .. } => Some(format!("conversation/{uuid}")),
            PlannrCall::UpdateContactDetail { uuid, .. } => Some(format!("contact-detail/{uuid}")),
            _ => None,
        }
    }
}

/// The typed answer to a `Call` (one variant per backend), or to a worker job that is not a
/// call (an HTML conversion, a download).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// An answer from Plannr.
    Plannr(PlannrReply),
    /// An answer from Outreach.
    Outreach(super::outreach::OutreachReply),
    /// A converted email body (answer to `Command::RenderHtml`).
    Body(Box<crate::render::html::Body>),
    /// A download finished (answer to `Command::Download`): where it was saved, bytes written.
    Saved {
        path: std::path::PathBuf,
        bytes: u64,
    },
}

/// The typed answer to a `PlannrCall`.
#[derive(Debug, Clone, PartialEq)]
pub enum PlannrReply {
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
    /// The answer to `PlannrCall::LinkedClients`.
    LinkedClients(Page<Account>),
    ContactDetails(Page<ContactDetail>),
    ContactDetail(Option<Box<ContactDetail>>),
}

/// Timers exist only while something needs them (no periodic tick when idle).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Timer {
    /// Clear the status message if it is still message number `seq`.
    StatusFade(u64),
    /// Advance the spinner (armed only while requests are in flight).
    Spinner,
    /// Redraw the deadline countdown: once a second, only while a user call is in flight.
    Countdown,
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
    /// The process was asked to stop (SIGTERM, SIGHUP, SIGINT, SIGQUIT): flush what must survive
    /// and quit now, without asking about unsaved text (there is nobody to answer).
    Terminate,
    /// A mouse event, with when it happened (milliseconds on a monotonic clock, for double-clicks).
    Mouse {
        event: crossterm::event::MouseEvent,
        at_ms: u64,
    },
    /// The answer to `Command::ReadToken`: the token was read again (and is now in use), or the
    /// sentence saying why it could not be.
    TokenRead(Result<TokenRead, String>),
    /// A service asked to wait (429) and the transport waits that long before trying the call
    /// again: said in the status bar, so the wait is not a silent one.
    RateLimited {
        service: &'static str,
        wait: std::time::Duration,
    },
}

/// What reading the Plannr token again found (the 401 screen's `R`).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRead {
    /// Where it came from, as the user set it: "--token", "PLANNR_TOKEN", "token in PATH",
    /// "token_command in PATH".
    pub from: String,
    /// Whether it differs from the token in use before.
    pub changed: bool,
    /// Whether that place can change while the app runs (a file or a command can; the command
    /// line and the environment of a running process cannot).
    pub can_change: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Api {
        id: RequestId,
        call: Call,
        /// Work nobody asked for directly (prefetch, paging behind a filter): it waits behind
        /// the user's reads and keeps to a small budget of its own (`worker::slots`).
        background: bool,
    },
    /// The answer to request `id` is no longer wanted (a newer request for the same view
    /// superseded it): stop it and free its slot. Only reads are ever cancelled.
    Cancel(RequestId),
    Timer {
        after: Duration,
        timer: Timer,
    },
    /// Act as this account from now on (`X-PLANNR-ACCOUNT-UUID`).
    SetAccount(String),
    /// Plannr refused the token: read it again from where it came from (config file, its
    /// `token_command`, the environment) off the UI thread, use it from now on, and answer with
    /// `Msg::TokenRead`.
    ReadToken,
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
    /// Clear the terminal and draw every cell again (Ctrl-L), for a screen another program or an
    /// unusual character left in disorder. Handled by the main loop, which owns the terminal.
    Redraw,
    /// Give the terminal back and stop the process (Ctrl-Z outside a text field); the main loop
    /// restores the screen when the shell resumes it.
    Suspend,
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
