//! `State` (the panes, the active tab, help and the login picker) and the pure
//! `update(state, msg) -> commands` that routes each message to its pane.
use crossterm::event::KeyEventKind;
#[cfg(test)]
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::keymap::{Action, Entry, Keymap, Scope};

#[cfg(test)]
use super::Reply;
use super::login::{self, LoginPicker};
use super::{
    ApiResult, Backend, Call, Command, Core, Msg, Nav, PlannrCall, RequestId, Route, Settings, Tab,
    Timer, contacts, conversations, mail, mailboxes, outreach,
};
use crate::api::ApiError;
#[cfg(test)]
use crate::api::models::*;

#[derive(Debug)]
pub struct State {
    pub tab: Tab,
    pub core: Core,
    pub mailboxes: mailboxes::MailboxesPane,
    pub mail: mail::MailPane,
    pub conversations: conversations::ConversationsPane,
    pub contacts: contacts::ContactsPane,
    pub outreach: outreach::OutreachPane,
    pub help: bool,
    /// The command palette (`:` / Ctrl-P) is open.
    pub palette: Option<super::palette::Palette>,
    /// First help line shown (the overlay scrolls with j/k when the terminal is short).
    pub help_scroll: u16,
    /// The message log (`L`) is open; the number of lines scrolled up from its end.
    pub log: Option<u16>,
    /// The last left click (column, row, milliseconds), to tell a double-click.
    pub last_click: Option<(u16, u16, u64)>,
    pub login_picker: Option<LoginPicker>,
    pub quit: bool,
}

impl State {
    pub fn new(settings: Settings, account_uuid: Option<String>, size: (u16, u16)) -> State {
        let shown = |t: Tab| backend_set_up(&settings, t);
        let tab = Tab::ALL
            .into_iter()
            .find(|t| shown(*t))
            .unwrap_or(Tab::Mailboxes);
        State {
            tab,
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
            outreach: outreach::OutreachPane::default(),
            help: false,
            palette: None,
            help_scroll: 0,
            log: None,
            last_click: None,
            login_picker: None,
            quit: false,
        }
    }

    /// The first commands: who am I (for the account label, and to pick an account), and the
    /// first pane's data if the account is already known.
    pub fn init(&mut self) -> Vec<Command> {
        if !self.core.settings.plannr {
            // Only Outreach: no accounts to list, the first pane loads at once.
            self.activate(self.tab);
            return std::mem::take(&mut self.core.out);
        }
        self.core
            .request(Route::Logins, Call::Plannr(PlannrCall::Logins));
        self.core.out.push(Command::LoadDrafts {
            dir: self.core.settings.drafts_dir.clone(),
        });
        if let Some(acc) = self.core.account_uuid.clone() {
            self.core.out.push(Command::SetAccount(acc));
            self.activate(self.tab);
        }
        std::mem::take(&mut self.core.out)
    }

    pub(super) fn activate(&mut self, tab: Tab) {
        self.tab = tab;
        let (pane, core) = self.pane_mut(tab);
        // The account gate: a Plannr pane has nothing to load until an account is chosen.
        if pane.backend() == Backend::Plannr && core.account_uuid.is_none() {
            return;
        }
        pane.on_show(core);
    }

    /// Whether `tab` is shown: its backend is set up.
    pub fn shown(&self, tab: Tab) -> bool {
        backend_set_up(&self.core.settings, tab)
    }

    /// Whether the active pane is taking text input (so `q`, digits and `?` are typed, not keys).
    pub fn captures_input(&self) -> bool {
        self.palette.is_some() || self.pane(self.tab).captures_input()
    }

    /// Every unsaved text as (draft key, json): what must reach the drafts directory if the
    /// process dies now. The binary hands it to `drafts_guard` after each batch of messages.
    pub fn unsaved_drafts(&self) -> Vec<(String, String)> {
        let mut out = self.contacts.unsaved_drafts();
        out.extend(self.mailboxes.unsaved_drafts());
        out.extend(self.conversations.unsaved_drafts());
        out
    }

    fn has_unsaved(&self) -> bool {
        Tab::ALL.iter().any(|t| self.pane(*t).has_unsaved())
    }

    /// Help lines for the current pane with the effective keys: (keys, what they do). Only the
    /// bindings of the view on screen, then the global ones.
    pub fn help_lines(&self) -> Vec<(String, &'static str)> {
        let keys = &self.core.settings.keys;
        let scope = self.tab.scope();
        let views = self.pane(self.tab).view();
        // R is listed once: the global R (list the accounts again) only matters before an
        // account is chosen; after that R is the pane's.
        let chosen =
            self.core.account_uuid.is_some() || self.pane(self.tab).backend() != Backend::Plannr;
        let accounts = keys.keys(Scope::Global, Action::Accounts);
        let mut lines: Vec<(String, &'static str)> = scope
            .table()
            .iter()
            .filter_map(|e| match e {
                Entry::Key(b) if b.views & views == 0 => None,
                Entry::Key(b)
                    if !chosen
                        && keys
                            .keys(scope, b.action)
                            .iter()
                            .any(|c| accounts.contains(c)) =>
                {
                    None
                }
                Entry::Key(b) => Some((keys.label(scope, b.action), b.help)),
                Entry::Note(k, d) => Some((k.to_string(), *d)),
            })
            .collect();
        // The digits name only the panes whose backend is set up, as the tab bar does.
        lines.extend(
            global_rows(keys, Tab::help_row_for(|t| self.shown(t)))
                .into_iter()
                .filter(|(a, _)| chosen.then_some(*a) != Some(Some(Action::Accounts)))
                .map(|(_, row)| row),
        );
        lines
    }
}

/// Whether the backend of `tab`'s pane is set up (the registry lists every pane; the tab bar,
/// digits and Tab/Shift-Tab show and reach only these).
fn backend_set_up(settings: &Settings, tab: Tab) -> bool {
    match tab {
        Tab::Outreach => settings.outreach,
        _ => settings.plannr,
    }
}

/// The keys that work in every pane: the tab digits of every pane in the registry (the README's
/// table; the `?` help lists only the panes set up), then the global table with the effective
/// keys.
pub fn global_help(keys: &Keymap) -> Vec<(String, &'static str)> {
    global_rows(keys, Tab::help_row())
        .into_iter()
        .map(|(_, row)| row)
        .collect()
}

fn global_rows(
    keys: &Keymap,
    (digits, titles): (&'static str, &'static str),
) -> Vec<(Option<Action>, (String, &'static str))> {
    let mut rows = vec![(None, (digits.to_string(), titles))];
    for e in Scope::Global.table() {
        rows.push(match e {
            Entry::Key(b) => (
                Some(b.action),
                (keys.label(Scope::Global, b.action), b.help),
            ),
            Entry::Note(k, d) => (None, (k.to_string(), *d)),
        });
    }
    rows
}

/// The pure update: apply one message, return what should be done.
pub fn update(state: &mut State, msg: Msg) -> Vec<Command> {
    state.core.owner = None;
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => super::keys::on_key(state, key),
        Msg::Key(_) => {}
        Msg::Terminate => quit(state),
        Msg::TokenRead(result) => super::auth::on_token_read(state, result),
        Msg::RateLimited { service, wait } => state.core.info(format!(
            "{service} asked to slow down: trying again in {}",
            crate::api::http::human_wait(wait)
        )),
        Msg::Mouse { event, at_ms } => super::mouse::on_mouse(state, event, at_ms),
        Msg::Paste(text) => {
            let (pane, core) = state.pane_mut(state.tab);
            pane.on_paste(&text, core);
        }
        Msg::Resize(w, h) => {
            state.core.size = (w, h);
            for tab in Tab::ALL {
                let (pane, core) = state.pane_mut(tab);
                pane.on_resize(core);
            }
        }
        Msg::Api { id, result } => on_result(state, id, result),
        Msg::Timer(t) => on_timer(state, t),
        Msg::Progress { id, done, total } => {
            let route = state.core.pending.get(&id).cloned();
            if let Some((tab, route)) = route.and_then(|r| Some((r.tab()?, r))) {
                let (pane, core) = state.pane_mut(tab);
                pane.on_progress(route, id, done, total, core);
            }
        }
        Msg::Draft(ev) => {
            if let contacts::drafts::DraftEvent::Loaded { renames, .. } = &ev {
                state.mailboxes.on_drafts_loaded(renames, &mut state.core);
                state
                    .conversations
                    .on_drafts_loaded(renames, &mut state.core);
            }
            state.contacts.on_draft_event(ev, &mut state.core)
        }
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
        Timer::Spinner => state.core.on_spinner(),
        Timer::Countdown => state.core.on_countdown(),
        Timer::Debounce { tab, seq } => {
            let (pane, core) = state.pane_mut(tab);
            pane.on_tick(seq, core);
        }
    }
}

fn on_result(state: &mut State, id: RequestId, result: ApiResult) {
    let Some(route) = state.core.pending.remove(&id) else {
        return; // nobody waits for it any more
    };
    if matches!(result, Err(ApiError::Unauthenticated)) {
        // One full-screen explanation (ui::unauthorized), not a status line per failed call.
        state.core.unauthorized = true;
    } else if result.is_ok() {
        state.core.unauthorized = false;
        state.core.token_check.note = None;
    }
    match route.tab() {
        None => login::on_logins(state, result),
        Some(tab) => {
            let (pane, core) = state.pane_mut(tab);
            pane.on_result(route, id, result, core);
        }
    }
    // The Mail pane lists the same clients as Contacts: its email and phone columns follow the
    // primaries a contacts answer changed.
    for (client, email, d) in std::mem::take(&mut state.contacts.primary_changes) {
        state.mail.picker.set_primary(&client, email, d.as_ref());
    }
}

/// Quit, but with unsaved text (an open edit, a failed rename, a draft) ask first: the same key
/// again quits (everything unsaved is kept as a draft and offered back next time).
pub(super) fn ask_then_quit(state: &mut State, armed: bool, key: &str) {
    if state.has_unsaved() && !armed {
        state.core.quit_armed = true;
        state.core.quit_key = key.to_string();
        state.core.error(format!(
            "You have unsaved text. Press {key} again to quit (it is kept as a draft and offered back next time); any other key stays."
        ));
    } else {
        quit(state);
    }
}

/// Quit: first let panes flush what must survive (contact drafts), then stop the worker, which
/// finishes those writes before it exits.
pub(super) fn quit(state: &mut State) {
    for tab in Tab::ALL {
        let (pane, core) = state.pane_mut(tab);
        pane.on_quit(core);
    }
    state.quit = true;
    state.core.out.push(Command::Quit);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{PlannrReply, TokenRead};

    fn key(c: KeyCode) -> Msg {
        Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
    }

    fn api_ids(cmds: &[Command]) -> Vec<(RequestId, Call)> {
        cmds.iter()
            .filter_map(|c| match c {
                Command::Api { id, call, .. } => Some((*id, call.clone())),
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
    fn status_messages_belong_to_their_pane_and_all_go_to_the_log() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        s.core.now = 1_780_000_000;
        // A Conversations answer reports while the user is in Contacts.
        s.tab = Tab::Contacts;
        let (_, core) = s.pane_mut(Tab::Conversations);
        core.error("Could not rename “Pension”: offline");
        assert!(
            s.core.status_for(Tab::Contacts).is_none(),
            "not shown in Contacts"
        );
        assert!(s.core.status_for(Tab::Conversations).is_some());
        // The app's own messages show everywhere.
        update(&mut s, key(KeyCode::Char('4')));
        s.core.owner = None;
        s.core.info("Signed in");
        assert!(s.core.status_for(Tab::Mail).is_some());
        // Both are in the log, with their time and pane.
        assert_eq!(s.core.log.len(), 2);
        assert_eq!(s.core.log[0].tab, Some(Tab::Conversations));
        assert_eq!(s.core.log[0].time, 1_780_000_000);
        assert_eq!(s.core.log[1].tab, None);
        // L opens the log, j/k scroll it, any other key closes it (and does nothing else).
        update(&mut s, key(KeyCode::Char('L')));
        assert_eq!(s.log, Some(0));
        update(&mut s, key(KeyCode::Char('k')));
        assert_eq!(s.log, Some(0), "both fit: k has nothing to scroll back to");
        update(&mut s, key(KeyCode::Char('2')));
        assert_eq!((s.log, s.tab), (None, Tab::Contacts));
    }

    #[test]
    fn a_new_save_takes_down_the_last_success_message() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        s.core.info("Saved “Pension”");
        // Paging does not (the message is about the last change, still true).
        s.core
            .request(Route::Logins, Call::Plannr(PlannrCall::Mailboxes));
        assert!(s.core.status.is_some());
        s.core.request(
            Route::Logins,
            Call::Plannr(PlannrCall::PinConversation {
                uuid: "c1".into(),
                pin: true,
            }),
        );
        assert!(s.core.status.is_none(), "the next save replaces “Saved …”");
        // An error stays until something replaces it.
        s.core.error("Could not pin: offline");
        s.core.request(
            Route::Logins,
            Call::Plannr(PlannrCall::PinConversation {
                uuid: "c1".into(),
                pin: false,
            }),
        );
        assert!(s.core.status.is_some());
    }

    #[test]
    fn ctrl_l_redraws_ctrl_z_suspends_outside_text_and_terminate_quits_at_once() {
        let ctrl = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        s.init();
        assert_eq!(update(&mut s, ctrl('l')), vec![Command::Redraw]);
        assert_eq!(update(&mut s, ctrl('z')), vec![Command::Suspend]);
        // In a text field Ctrl-Z is the editor's undo.
        s.tab = Tab::Conversations;
        update(&mut s, key(KeyCode::Char('/')));
        assert!(s.captures_input());
        assert!(!update(&mut s, ctrl('z')).contains(&Command::Suspend));
        // A signal quits even with unsaved text open (nobody is there to answer "quit anyway?").
        let out = update(&mut s, Msg::Terminate);
        assert!(s.quit && out.contains(&Command::Quit), "{out:?}");
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
                result: Ok(Reply::Plannr(PlannrReply::Logins(logins(
                    &["a", "b"],
                    None,
                )))),
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
        assert!(
            api_ids(&out)
                .iter()
                .any(|(_, c)| *c == Call::Plannr(PlannrCall::Mailboxes))
        );
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
        let status = s.core.status_text();
        assert!(status.contains("R to try again"), "{status}");
        let out = update(&mut s, key(KeyCode::Char('R')));
        let calls = api_ids(&out);
        assert_eq!(calls.len(), 1, "{out:?}");
        assert_eq!(calls[0].1, Call::Plannr(PlannrCall::Logins));
        // A second R while that one is on its way does not ask twice.
        assert!(api_ids(&update(&mut s, key(KeyCode::Char('R')))).is_empty());
        update(
            &mut s,
            Msg::Api {
                id: calls[0].0,
                result: Ok(Reply::Plannr(PlannrReply::Logins(logins(
                    &["a", "b"],
                    None,
                )))),
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
                result: Ok(Reply::Plannr(PlannrReply::Logins(logins(
                    &["a", "b"],
                    Some("a"),
                )))),
            },
        );
        assert!(s.login_picker.is_none());
        assert!(out.contains(&Command::SetAccount("a".into())));
    }

    use crate::ui::screen_text as screen_of;

    /// A 401 at start: one full-screen explanation (not empty panes and "choosing account…"),
    /// R reads the token again (the worker re-reads config.toml / token_command) and only then
    /// asks Plannr again, other keys do nothing, a success clears it.
    #[test]
    fn a_rejected_token_gets_one_screen_and_r_retries() {
        let mut s = State::new(Settings::default(), None, (100, 30));
        let out = s.init();
        let id = out
            .iter()
            .find_map(|c| match c {
                Command::Api {
                    id,
                    call: Call::Plannr(PlannrCall::Logins),
                    ..
                } => Some(*id),
                _ => None,
            })
            .expect("logins asked for");
        update(
            &mut s,
            Msg::Api {
                id,
                result: Err(ApiError::Unauthenticated),
            },
        );
        assert!(s.core.unauthorized);
        let screen = screen_of(&s, 100, 30);
        assert!(
            screen.contains("Plannr refused the token (401)"),
            "{screen}"
        );
        assert!(screen.contains("PLANNR_TOKEN"), "{screen}");
        assert!(
            update(&mut s, key(KeyCode::Char('2'))).is_empty(),
            "nothing else"
        );
        let out = update(&mut s, key(KeyCode::Char('R')));
        assert_eq!(
            out,
            vec![Command::ReadToken],
            "the token is read again first"
        );
        assert!(screen_of(&s, 100, 30).contains("Reading the token again…"));
        assert!(
            update(&mut s, key(KeyCode::Char('R'))).is_empty(),
            "one read at a time"
        );
        let out = update(
            &mut s,
            Msg::TokenRead(Ok(TokenRead {
                from: "token in /home/u/.config/plannr-tui/config.toml".into(),
                changed: true,
                can_change: true,
            })),
        );
        assert!(!s.core.unauthorized);
        assert!(out.iter().any(|c| matches!(
            c,
            Command::Api {
                call: Call::Plannr(PlannrCall::Logins),
                ..
            }
        )));
        assert!(
            s.core
                .status
                .as_ref()
                .is_some_and(|m| m.text.contains("Read a new token from token in")),
            "{:?}",
            s.core.status
        );
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
        let max = super::super::help::layout(&s.help_lines(), s.core.size).max_scroll;
        assert!(max > 0);
        assert_eq!(
            s.help_scroll, max,
            "stops when the last line reaches the bottom of the box"
        );
        update(&mut s, key(KeyCode::Char('k')));
        assert_eq!(s.help_scroll, max - 1, "one k scrolls back at once");
        update(&mut s, key(KeyCode::Char('x')));
        assert!(!s.help);
        assert_eq!(s.help_scroll, 0, "reopens at the top");
    }

    /// Issue 17.6: every pane's help listed R twice (the pane's refresh and the global "list
    /// your accounts again").
    #[test]
    fn help_lists_r_once() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        s.init();
        for tab in Tab::ALL {
            s.tab = tab;
            let rs: Vec<_> = s.help_lines().into_iter().filter(|l| l.0 == "R").collect();
            assert_eq!(rs.len(), 1, "{tab:?}: {rs:?}");
            assert!(!rs[0].1.contains("accounts"), "{tab:?}: the pane's R");
        }
        let mut s = State::new(Settings::default(), None, (80, 24));
        s.init();
        let rs: Vec<_> = s.help_lines().into_iter().filter(|l| l.0 == "R").collect();
        assert_eq!(rs.len(), 1);
        assert!(rs[0].1.contains("accounts"), "before an account is chosen");
    }
}
