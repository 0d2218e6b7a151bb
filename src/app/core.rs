//! `Core`: what every pane may use while handling a message (request ids, the status bar,
//! commands out, navigation) and the `Settings` the panes read.
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use crossterm::event::KeyEvent;

use super::{Call, Command, Nav, RequestId, Route, Settings, Tab, Timer};
use crate::keymap::{Action, Scope, Views};

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
    /// The pane whose action it reports (shown only there); None for the whole app.
    pub tab: Option<Tab>,
}

/// One status message as the message log (`L`) keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Unix seconds when it was shown (0 = clock unknown).
    pub time: i64,
    pub level: Level,
    pub text: String,
    pub tab: Option<Tab>,
}

/// How many status messages the log keeps (the oldest go first).
pub const LOG_LIMIT: usize = 500;

/// What every pane may use while handling a message: request ids, the status bar, commands out,
/// and navigation to another pane.
#[derive(Debug, Default)]
pub struct Core {
    pub(in crate::app) next_id: RequestId,
    pub pending: HashMap<RequestId, Route>,
    pub out: Vec<Command>,
    pub nav: Vec<Nav>,
    pub status: Option<StatusMessage>,
    pub(in crate::app) status_seq: u64,
    pub settings: Settings,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub spinner: usize,
    pub(in crate::app) spinner_armed: bool,
    /// "Account name · Firm" once known.
    pub account_label: String,
    pub account_uuid: Option<String>,
    /// Ctrl-C was pressed once while something unsaved was open.
    pub quit_armed: bool,
    /// Plannr refused the token (401): one full-screen explanation until R asks again.
    pub unauthorized: bool,
    pub seq: u64,
    /// Wall-clock time (unix seconds) as of the message being handled, set by the main loop before
    /// each batch (0 = unknown). `update` reads it instead of the clock, so it stays pure and tests
    /// pick their own "now" (relative times like "5m ago").
    pub now: i64,
    /// The pane whose message is being handled (`State::pane_mut` sets it): status messages set
    /// meanwhile belong to it. None while the app itself speaks.
    pub owner: Option<Tab>,
    /// Every status message shown, oldest first (at most `LOG_LIMIT`).
    pub log: VecDeque<LogEntry>,
    /// An action handed in directly (the command palette, the mouse): the next pane asking what
    /// a key is gets this instead, so it runs exactly as its key would.
    pub forced: Option<Action>,
}

impl Core {
    /// Ask the worker for `call`; its answer comes back to `route`.
    pub fn request(&mut self, route: Route, call: Call) -> RequestId {
        // A new change replaces the last one's success message: "Saved …" must not stay up
        // while the next save runs (and perhaps fails where the status bar does not show it).
        if call.is_write() && self.status.as_ref().is_some_and(|s| s.level == Level::Info) {
            self.status = None;
        }
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

    /// The spinner timer fired: advance it and re-arm only while requests are in flight.
    pub(super) fn on_spinner(&mut self) {
        self.spinner_armed = false;
        if self.in_flight() > 0 {
            self.spinner = self.spinner.wrapping_add(1);
            self.spinner_armed = true;
            self.out.push(Command::Timer {
                after: Duration::from_millis(120),
                timer: Timer::Spinner,
            });
        }
    }

    /// The id of the newest request made so far (0 before any).
    pub fn last_request_id(&self) -> RequestId {
        self.next_id
    }

    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }

    fn set_status(&mut self, level: Level, text: String) {
        self.status_seq += 1;
        if self.log.len() >= LOG_LIMIT {
            self.log.pop_front();
        }
        self.log.push_back(LogEntry {
            time: self.now,
            level,
            text: text.clone(),
            tab: self.owner,
        });
        self.status = Some(StatusMessage {
            level,
            text,
            seq: self.status_seq,
            tab: self.owner,
        });
        let after = self.settings.status_fade;
        self.out.push(Command::Timer {
            after,
            timer: Timer::StatusFade(self.status_seq),
        });
    }

    /// The status message to show while `tab` is on screen: its own or the app's.
    pub fn status_for(&self, tab: Tab) -> Option<&StatusMessage> {
        self.status
            .as_ref()
            .filter(|s| s.tab.is_none() || s.tab == Some(tab))
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

    /// Which action of `scope` `key` is in a view of `views` (from the effective keymap), or
    /// the action the palette or the mouse handed in. Panes dispatch on this, never on the key.
    pub fn action(&mut self, scope: Scope, views: Views, key: &KeyEvent) -> Option<Action> {
        if let Some(a) = self.forced.take() {
            return Some(a);
        }
        self.settings.keys.action(scope, views, key)
    }

    /// Like [`Core::action`], leaving a handed-in action in place (to look before passing the key
    /// on to a component that asks again).
    pub fn peek_action(&self, scope: Scope, views: Views, key: &KeyEvent) -> Option<Action> {
        self.forced
            .or_else(|| self.settings.keys.action(scope, views, key))
    }

    /// The keys of `action` in `scope` as a footer names them (the first one).
    pub fn key(&self, scope: Scope, action: Action) -> String {
        self.settings.keys.first(scope, action)
    }

    /// Rows available to a pane's body (the screen less the tab bar and the status bar).
    pub fn pane_rows(&self) -> usize {
        self.size.1.saturating_sub(2) as usize
    }
}
