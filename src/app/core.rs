//! `Core`: what every pane may use while handling a message (request ids, the status bar,
//! commands out, navigation) and the `Settings` the panes read.
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use crossterm::event::KeyEvent;

use super::{Backend, Call, Command, Nav, PlannrCall, RequestId, Route, Settings, Tab, Timer};
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
    /// The key that asked (pressing it again quits), for the question's box.
    pub quit_key: String,
    /// Plannr refused the token (401): one full-screen explanation until R reads it again and
    /// asks again.
    pub unauthorized: bool,
    /// The 401 screen's reading of the token (see `app::auth`).
    pub token_check: super::TokenCheck,
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
    /// Per view (`view_key`), the latest read asked for it: a newer one cancels the older.
    pub(in crate::app) views: HashMap<String, RequestId>,
    /// The calls the user waits for (not background work), by id: when each was asked for
    /// (`now`) and which backend answers it. The status bar counts down the oldest one's deadline.
    pub(in crate::app) waited: HashMap<RequestId, (i64, Backend)>,
    /// A `Timer::Countdown` is on its way (one a second, only while a user call is in flight).
    pub(in crate::app) countdown_armed: bool,
}

/// How long a call is waited for before the status bar starts counting down its deadline.
pub const COUNTDOWN_AFTER_SECS: i64 = 2;

/// The view a read fills, when a newer read for it makes an older one's answer useless: the
/// same call again to the same place (R pressed twice), or any page of a list that a search box
/// refills (each letter typed starts the list again; the list keeps only its latest request).
/// Writes are never superseded: each one is sent, in order.
fn view_key(route: &Route, call: &Call) -> Option<String> {
    if call.is_write() {
        return None;
    }
    Some(match call {
        Call::Plannr(PlannrCall::Clients { .. } | PlannrCall::ClientEmails { .. }) => {
            format!("{route:?}")
        }
        _ => format!("{route:?} {call:?}"),
    })
}

impl Core {
    /// Ask the worker for `call`; its answer comes back to `route`.
    pub fn request(&mut self, route: Route, call: Call) -> RequestId {
        self.send(route, call, false)
    }

    /// Like `request`, for a read nobody asked for directly (a page fetched ahead, paging behind
    /// a filter): it goes after every user request and keeps to the background budget.
    pub fn request_background(&mut self, route: Route, call: Call) -> RequestId {
        let background = !call.is_write();
        self.send(route, call, background)
    }

    fn send(&mut self, route: Route, call: Call, background: bool) -> RequestId {
        // A new change replaces the last one's success message: "Saved …" must not stay up
        // while the next save runs (and perhaps fails where the status bar does not show it).
        if call.is_write() && self.status.as_ref().is_some_and(|s| s.level == Level::Info) {
            self.status = None;
        }
        let key = view_key(&route, &call);
        let id = self.track(route);
        if let Some(key) = key
            && let Some(old) = self.views.insert(key, id)
            && self.pending.remove(&old).is_some()
        {
            // Superseded: its slot is freed now and its answer, if it still comes, is dropped.
            self.out.push(Command::Cancel(old));
        }
        if self.views.len() > 256 {
            let pending = &self.pending;
            self.views.retain(|_, id| pending.contains_key(id));
        }
        if !background {
            self.waited.insert(id, (self.now, call.backend()));
            self.arm_countdown();
        }
        self.out.push(Command::Api {
            id,
            call,
            background,
        });
        id
    }

    /// The user left a view: cancel every read still in flight whose route `left` matches (its
    /// slot is freed at once and its answer, if it still comes, is dropped). Only reads are
    /// cancelled (the requests `view_key` tracks); writes, downloads and HTML conversions run
    /// on. Returns how many were cancelled.
    pub fn cancel_reads(&mut self, left: impl Fn(&Route) -> bool) -> usize {
        let mut ids: Vec<RequestId> = self
            .views
            .values()
            .copied()
            .filter(|id| self.pending.get(id).is_some_and(&left))
            .collect();
        ids.sort_unstable();
        for id in &ids {
            self.pending.remove(id);
            self.waited.remove(id);
            self.out.push(Command::Cancel(*id));
        }
        let pending = &self.pending;
        self.views.retain(|_, id| pending.contains_key(id));
        ids.len()
    }

    fn arm_countdown(&mut self) {
        if !self.countdown_armed {
            self.countdown_armed = true;
            self.out.push(Command::Timer {
                after: Duration::from_secs(1),
                timer: Timer::Countdown,
            });
        }
    }

    /// The countdown timer fired: forget answered calls; re-arm only while one is still waited
    /// for (an idle app has no timer at all).
    pub(super) fn on_countdown(&mut self) {
        self.countdown_armed = false;
        let pending = &self.pending;
        self.waited.retain(|id, _| pending.contains_key(id));
        if !self.waited.is_empty() {
            self.arm_countdown();
        }
    }

    /// The oldest call the user has waited on for `COUNTDOWN_AFTER_SECS` or more: which backend
    /// answers it, and the seconds left of its deadline.
    pub fn waiting_for(&self) -> Option<(Backend, u64)> {
        let (since, backend) = self
            .waited
            .iter()
            .filter(|(id, _)| self.pending.contains_key(id))
            .map(|(_, w)| *w)
            .min_by_key(|(since, _)| *since)?;
        let age = self.now.saturating_sub(since);
        if since == 0 || age < COUNTDOWN_AFTER_SECS {
            return None;
        }
        let left = self
            .settings
            .call_deadline
            .as_secs()
            .saturating_sub(u64::try_from(age).unwrap_or(u64::MAX));
        Some((backend, left))
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

    /// The status message's text ("" when there is none).
    pub fn status_text(&self) -> String {
        self.status
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::MailboxUpdate;
    use crate::app::mail;

    fn cancels(core: &mut Core) -> Vec<RequestId> {
        core.out
            .drain(..)
            .filter_map(|c| match c {
                Command::Cancel(id) => Some(id),
                _ => None,
            })
            .collect()
    }

    /// A filter typed letter by letter: each new query's request cancels the one still loading
    /// (whatever page it was); another view's request and every write are left alone.
    #[test]
    fn a_newer_request_for_the_same_view_cancels_the_older_one() {
        let mut core = Core::default();
        let clients = |name: &str, page| {
            Call::Plannr(PlannrCall::Clients {
                name: Some(name.into()),
                page,
                per_page: 50,
            })
        };
        let route = || Route::Mail(mail::Route::Clients);
        let a = core.request(route(), clients("a", 2));
        let other = core.request(Route::Logins, Call::Plannr(PlannrCall::Mailboxes));
        assert!(cancels(&mut core).is_empty());
        let ab = core.request(route(), clients("ab", 1));
        assert_eq!(cancels(&mut core), vec![a]);
        assert!(!core.pending.contains_key(&a), "its late answer is dropped");
        // An answered request is not cancelled again.
        core.pending.remove(&ab);
        core.request(route(), clients("abc", 1));
        assert!(cancels(&mut core).is_empty());
        assert!(core.pending.contains_key(&other));
        // Writes are never superseded: both saves are sent.
        let save = |name: &str| {
            Call::Plannr(PlannrCall::UpdateMailbox {
                uuid: "m1".into(),
                update: MailboxUpdate {
                    name: Some(name.into()),
                    enabled: None,
                },
            })
        };
        let route = || Route::Mailboxes(crate::app::mailboxes::Route::Rename { uuid: "m1".into() });
        let first = core.request(route(), save("One"));
        core.request(route(), save("Two"));
        assert!(cancels(&mut core).is_empty());
        assert!(core.pending.contains_key(&first));
    }

    /// Leaving a view cancels its reads in flight (background ones too) and nothing else: not
    /// another view's reads, not writes, not an HTML conversion, not an answered read.
    #[test]
    fn leaving_a_view_cancels_its_reads_only() {
        let mut core = Core::default();
        let thread = |uuid: &str| {
            Call::Plannr(PlannrCall::Thread {
                uuid: uuid.into(),
                query: crate::api::models::ThreadQuery {
                    per_page: 25,
                    page_ancestors: 1,
                    page_descendants: 1,
                },
            })
        };
        let first = core.request(
            Route::Mail(mail::Route::Thread(mail::thread::Part::First)),
            thread("a"),
        );
        let ahead = core.request_background(
            Route::Mail(mail::Route::Full { uuid: "b".into() }),
            thread("b"),
        );
        let answered = core.request(
            Route::Mail(mail::Route::Full { uuid: "c".into() }),
            thread("c"),
        );
        core.pending.remove(&answered);
        let render = core.render_html(
            Route::Mail(mail::Route::Render { uuid: "a".into() }),
            String::new(),
            80,
        );
        let other = core.request(
            Route::Mail(mail::Route::Emails),
            Call::Plannr(PlannrCall::Mailboxes),
        );
        let save = core.request(
            Route::Mailboxes(crate::app::mailboxes::Route::Rename { uuid: "m1".into() }),
            Call::Plannr(PlannrCall::UpdateMailbox {
                uuid: "m1".into(),
                update: MailboxUpdate::default(),
            }),
        );
        cancels(&mut core);
        let left = core.cancel_reads(|r| {
            matches!(
                r,
                Route::Mail(
                    mail::Route::Thread(_) | mail::Route::Full { .. } | mail::Route::Render { .. }
                )
            )
        });
        assert_eq!(left, 2);
        assert_eq!(cancels(&mut core), vec![first, ahead]);
        assert!(!core.pending.contains_key(&first) && !core.pending.contains_key(&ahead));
        assert!(!core.waited.contains_key(&first), "no longer counted down");
        for id in [render, other, save] {
            assert!(core.pending.contains_key(&id));
        }
        // Nothing is cancelled twice: only the other view's read is left.
        assert_eq!(
            core.cancel_reads(|_| true),
            1,
            "only the other view's read is left"
        );
        assert_eq!(cancels(&mut core), vec![other]);
    }

    fn countdown_timers(core: &mut Core) -> usize {
        core.out
            .drain(..)
            .filter(|c| {
                matches!(
                    c,
                    Command::Timer {
                        timer: Timer::Countdown,
                        ..
                    }
                )
            })
            .count()
    }

    /// The status bar counts down the oldest user call's deadline once it has waited two seconds;
    /// the countdown timer runs once a second only while such a call is in flight, and background
    /// work neither shows nor arms it.
    #[test]
    fn the_oldest_user_call_is_counted_down_while_in_flight_only() {
        let mut core = Core {
            now: 1_000,
            ..Core::default()
        };
        let bg = core.request_background(Route::Logins, Call::Plannr(PlannrCall::Logins));
        assert_eq!(
            countdown_timers(&mut core),
            0,
            "background work arms nothing"
        );
        core.now = 1_010;
        assert_eq!(core.waiting_for(), None);
        let first = core.request(Route::Logins, Call::Plannr(PlannrCall::Mailboxes));
        assert_eq!(countdown_timers(&mut core), 1);
        core.now = 1_011;
        let second = core.request(
            Route::Mailboxes(crate::app::mailboxes::Route::List),
            Call::Plannr(PlannrCall::Mailboxes),
        );
        assert_eq!(countdown_timers(&mut core), 0, "one timer at a time");
        assert_eq!(core.waiting_for(), None, "not before two seconds");
        core.now = 1_012;
        assert_eq!(core.waiting_for(), Some((Backend::Plannr, 28)));
        core.now = 1_016;
        core.on_countdown();
        assert_eq!(countdown_timers(&mut core), 1, "re-armed while waited for");
        assert_eq!(core.waiting_for(), Some((Backend::Plannr, 24)));
        // The oldest is answered: the next one is counted down.
        core.pending.remove(&first);
        assert_eq!(core.waiting_for(), Some((Backend::Plannr, 25)));
        core.pending.remove(&second);
        assert_eq!(core.waiting_for(), None);
        core.on_countdown();
        assert_eq!(countdown_timers(&mut core), 0, "idle: no timer");
        assert!(core.pending.contains_key(&bg));
        // A deadline from the config.
        core.settings.call_deadline = Duration::from_secs(90);
        core.request(Route::Logins, Call::Plannr(PlannrCall::Logins));
        core.now += 3;
        assert_eq!(core.waiting_for(), Some((Backend::Plannr, 87)));
    }
}
