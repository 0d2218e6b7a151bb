//! Mailboxes pane: list, state, enable/disable (optimistic, confirmed by the server's copy,
//! rolled back on failure), inline rename.
use crossterm::event::{KeyCode, KeyEvent};

use super::list::ListNav;
use super::rename::{Rename, RenameOutcome};
use super::{Call, Core, Nav, Reply, RequestId, Route as AppRoute};
use crate::api::ApiError;
use crate::api::models::{Mailbox, MailboxUpdate};

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    List,
    Toggle { uuid: String },
    Rename { uuid: String },
}

pub const HELP: &[(&str, &str)] = &[
    ("j/k ↑/↓ PgUp/PgDn g/G", "move"),
    (
        "Space",
        "enable / disable the mailbox (disabling asks first)",
    ),
    (
        "r",
        "rename the mailbox; on a failed save, reopens your text",
    ),
    (
        "  Enter / Esc",
        "save / cancel (asks first if you changed it)",
    ),
    ("  Ctrl-A/E Alt-B/F", "start / end, word back / forward"),
    (
        "  Ctrl-W/U Ctrl-Z/R",
        "delete word (to a space) / to start, undo / redo",
    ),
    ("Enter", "open Mail limited to this mailbox"),
    ("R", "refresh"),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub mailbox: Mailbox,
    /// An enable/disable in flight: (the value shown, request id).
    pub pending_enabled: Option<(bool, RequestId)>,
}

impl Row {
    pub fn shown_enabled(&self) -> bool {
        self.pending_enabled
            .map(|(v, _)| v)
            .unwrap_or(self.mailbox.is_enabled())
    }
}

#[derive(Debug, Default)]
pub struct MailboxesPane {
    pub rows: Vec<Row>,
    pub nav: ListNav,
    /// The list request in flight.
    pub loading: Option<RequestId>,
    pub loaded: bool,
    pub error: Option<String>,
    /// Asking "disable this mailbox?" for this uuid.
    pub confirm_disable: Option<String>,
    /// A rename in progress (editing, saving, or failed with the text kept).
    pub rename: Option<Rename>,
}

/// A person's words for a mailbox state, and whether it is healthy.
pub fn describe_state(state: &str) -> (&'static str, StateTone) {
    match state {
        "connected" => ("connected", StateTone::Good),
        "syncing" => ("syncing…", StateTone::Busy),
        "connecting" => ("connecting…", StateTone::Busy),
        "authenticationError" => ("sign-in failed — reconnect in Plannr", StateTone::Bad),
        "connectError" => ("cannot reach the mail server", StateTone::Bad),
        "disconnected" => ("disconnected", StateTone::Muted),
        "disabled" => ("disabled", StateTone::Muted),
        "deleting" => ("being deleted", StateTone::Muted),
        "" | "unset" => ("not set up", StateTone::Muted),
        _ => ("unknown state", StateTone::Muted),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateTone {
    Good,
    Busy,
    Bad,
    Muted,
}

impl MailboxesPane {
    fn rows_visible(core: &Core) -> usize {
        core.pane_rows().saturating_sub(3) // header + table header + hint
    }

    pub fn on_show(&mut self, core: &mut Core) {
        if !self.loaded && self.loading.is_none() {
            self.refresh(core);
        }
    }

    fn refresh(&mut self, core: &mut Core) {
        self.loading = Some(core.request(AppRoute::Mailboxes(Route::List), Call::Mailboxes));
    }

    pub fn captures_input(&self) -> bool {
        self.rename.as_ref().is_some_and(|r| r.open)
    }

    pub fn has_unsaved(&self) -> bool {
        self.rename.as_ref().is_some_and(|r| r.editor.changed())
    }

    pub fn on_resize(&mut self, core: &mut Core) {
        self.nav.clamp(self.rows.len(), Self::rows_visible(core));
    }

    pub fn on_debounce(&mut self, _seq: u64, _core: &mut Core) {}

    pub fn on_paste(&mut self, text: &str, _core: &mut Core) {
        if let Some(r) = self.rename.as_mut().filter(|r| r.open) {
            r.editor.paste(text);
        }
    }

    pub fn selected(&self) -> Option<&Row> {
        self.rows.get(self.nav.selected)
    }

    pub fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        if let Some(r) = self.rename.as_mut().filter(|r| r.open) {
            match r.on_key(key) {
                RenameOutcome::Continue => {}
                RenameOutcome::Close => self.rename = None,
                RenameOutcome::Save(name) => {
                    let uuid = r.target.clone();
                    let id = core.request(
                        AppRoute::Mailboxes(Route::Rename { uuid: uuid.clone() }),
                        Call::UpdateMailbox {
                            uuid,
                            update: MailboxUpdate {
                                enabled: None,
                                name: Some(name),
                            },
                        },
                    );
                    r.saving(id);
                }
            }
            return true;
        }
        if let Some(uuid) = self.confirm_disable.take() {
            if matches!(
                key.code,
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter
            ) {
                self.send_toggle(&uuid, false, core);
            } else {
                core.info("Left enabled.");
            }
            return true;
        }
        let height = Self::rows_visible(core);
        if self.nav.on_key(&key, self.rows.len(), height) {
            return true;
        }
        match key.code {
            KeyCode::Char('R') => {
                self.refresh(core);
                true
            }
            KeyCode::Char(' ') => {
                let Some(row) = self.selected() else {
                    return true;
                };
                let uuid = row.mailbox.uuid.clone();
                if row.shown_enabled() {
                    self.confirm_disable = Some(uuid);
                } else {
                    self.send_toggle(&uuid, true, core);
                }
                true
            }
            KeyCode::Char('r') => {
                let Some(row) = self.selected() else {
                    return true;
                };
                let (uuid, name) = (row.mailbox.uuid.clone(), row.mailbox.name.clone());
                match &mut self.rename {
                    // Reopen a failed rename of this mailbox with the text that was typed.
                    Some(r) if r.target == uuid && !r.is_saving() => r.reopen(),
                    Some(r) if r.is_saving() => core.info("A rename is still being saved."),
                    _ => self.rename = Some(Rename::open(&uuid, &name)),
                }
                true
            }
            KeyCode::Enter => {
                if let Some(row) = self.selected() {
                    core.nav.push(Nav::MailForMailbox {
                        uuid: row.mailbox.uuid.clone(),
                        name: row.mailbox.name.clone(),
                    });
                }
                true
            }
            KeyCode::Esc => true,
            _ => false,
        }
    }

    fn send_toggle(&mut self, uuid: &str, enabled: bool, core: &mut Core) {
        let id = core.request(
            AppRoute::Mailboxes(Route::Toggle {
                uuid: uuid.to_string(),
            }),
            Call::UpdateMailbox {
                uuid: uuid.to_string(),
                update: MailboxUpdate {
                    enabled: Some(enabled),
                    name: None,
                },
            },
        );
        if let Some(row) = self.rows.iter_mut().find(|r| r.mailbox.uuid == uuid) {
            row.pending_enabled = Some((enabled, id));
        }
    }

    fn replace(&mut self, mailbox: Mailbox) {
        if let Some(row) = self
            .rows
            .iter_mut()
            .find(|r| r.mailbox.uuid == mailbox.uuid)
        {
            row.mailbox = mailbox;
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
            Route::List => {
                if self.loading != Some(id) {
                    return; // an older refresh
                }
                self.loading = None;
                match result {
                    Ok(Reply::Mailboxes(list)) => {
                        self.loaded = true;
                        self.error = None;
                        let pending: Vec<(String, (bool, RequestId))> = self
                            .rows
                            .iter()
                            .filter_map(|r| r.pending_enabled.map(|p| (r.mailbox.uuid.clone(), p)))
                            .collect();
                        self.rows = list
                            .into_iter()
                            .map(|m| {
                                let p = pending.iter().find(|(u, _)| *u == m.uuid).map(|(_, p)| *p);
                                Row {
                                    mailbox: m,
                                    pending_enabled: p,
                                }
                            })
                            .collect();
                        self.nav.clamp(self.rows.len(), Self::rows_visible(core));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.error = Some(e.to_string());
                        core.error(format!(
                            "Could not load mailboxes: {e}. Press R to try again."
                        ));
                    }
                }
            }
            Route::Toggle { uuid } => {
                let Some(row) = self.rows.iter_mut().find(|r| r.mailbox.uuid == uuid) else {
                    return;
                };
                let Some((wanted, pid)) = row.pending_enabled else {
                    return;
                };
                if pid != id {
                    return; // a newer toggle is in flight; its answer decides
                }
                row.pending_enabled = None;
                match result {
                    Ok(Reply::Mailbox(m)) => {
                        let name = m.name.clone();
                        row.mailbox = m;
                        core.info(format!(
                            "{name}: {}",
                            if wanted { "enabled" } else { "disabled" }
                        ));
                    }
                    Ok(_) => {}
                    Err(e) => core.error(format!(
                        "Could not {} {}: {e}. It is unchanged.",
                        if wanted { "enable" } else { "disable" },
                        row.mailbox.name
                    )),
                }
            }
            Route::Rename { uuid } => match result {
                Ok(Reply::Mailbox(m)) => {
                    if self.rename.as_ref().is_some_and(|r| {
                        r.target == uuid && r.state == (super::editor::SaveState::Saving { id })
                    }) {
                        self.rename = None;
                        core.info(format!("Renamed to “{}”.", m.name));
                    }
                    self.replace(m);
                }
                Ok(_) => {}
                Err(e) => {
                    if let Some(msg) = self
                        .rename
                        .as_mut()
                        .filter(|r| r.target == uuid)
                        .and_then(|r| r.failed(id, &e))
                    {
                        core.error(msg);
                    }
                }
            },
        }
    }

    /// The name shown for a row: the name being saved, if any (optimistic).
    pub fn shown_name<'a>(&'a self, row: &'a Row) -> (String, bool) {
        match &self.rename {
            Some(r) if r.target == row.mailbox.uuid && r.is_saving() => (
                super::editor::validate_name(&r.typed()).unwrap_or_else(|_| r.typed()),
                true,
            ),
            _ => (row.mailbox.name.clone(), false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Command, Msg, Settings, State, update};
    use crossterm::event::KeyModifiers;

    fn key(c: KeyCode) -> Msg {
        Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
    }

    fn mailbox(uuid: &str, enabled: bool) -> Mailbox {
        Mailbox {
            uuid: uuid.into(),
            name: format!("Box {uuid}"),
            enabled: Some(enabled),
            state: "connected".into(),
            ..Mailbox::default()
        }
    }

    fn loaded_state() -> State {
        let mut s = State::new(Settings::default(), Some("acc".into()), (100, 30));
        s.init();
        let id = s.mailboxes.loading.unwrap();
        update(
            &mut s,
            Msg::Api {
                id,
                result: Ok(Reply::Mailboxes(vec![
                    mailbox("m1", true),
                    mailbox("m2", false),
                ])),
            },
        );
        s
    }

    fn sent(cmds: &[Command]) -> Vec<(RequestId, Call)> {
        cmds.iter()
            .filter_map(|c| {
                if let Command::Api { id, call } = c {
                    Some((*id, call.clone()))
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn disabling_asks_then_is_optimistic_and_rolls_back() {
        let mut s = loaded_state();
        assert!(
            sent(&update(&mut s, key(KeyCode::Char(' ')))).is_empty(),
            "asks first"
        );
        assert!(s.mailboxes.confirm_disable.is_some());
        let out = update(&mut s, key(KeyCode::Char('y')));
        let (id, call) = sent(&out).pop().unwrap();
        assert_eq!(
            call,
            Call::UpdateMailbox {
                uuid: "m1".into(),
                update: MailboxUpdate {
                    enabled: Some(false),
                    name: None
                }
            }
        );
        assert!(
            !s.mailboxes.rows[0].shown_enabled(),
            "shown as disabled at once"
        );
        update(
            &mut s,
            Msg::Api {
                id,
                result: Err(ApiError::Server {
                    status: 503,
                    message: "down".into(),
                }),
            },
        );
        assert!(s.mailboxes.rows[0].shown_enabled(), "rolled back");
        assert!(
            s.core
                .status
                .as_ref()
                .unwrap()
                .text
                .contains("Could not disable")
        );
    }

    #[test]
    fn enabling_needs_no_confirmation_and_takes_the_server_copy() {
        let mut s = loaded_state();
        update(&mut s, key(KeyCode::Down));
        let (id, _) = sent(&update(&mut s, key(KeyCode::Char(' '))))
            .pop()
            .unwrap();
        let mut server = mailbox("m2", true);
        server.state = "syncing".into();
        update(
            &mut s,
            Msg::Api {
                id,
                result: Ok(Reply::Mailbox(server)),
            },
        );
        assert!(s.mailboxes.rows[1].shown_enabled());
        assert_eq!(s.mailboxes.rows[1].mailbox.state, "syncing");
    }

    #[test]
    fn rename_sends_only_the_name_and_keeps_text_on_failure() {
        let mut s = loaded_state();
        update(&mut s, key(KeyCode::Char('r')));
        assert!(s.captures_input());
        update(&mut s, key(KeyCode::Char('!')));
        let (id, call) = sent(&update(&mut s, key(KeyCode::Enter))).pop().unwrap();
        assert_eq!(
            call,
            Call::UpdateMailbox {
                uuid: "m1".into(),
                update: MailboxUpdate {
                    enabled: None,
                    name: Some("Box m1!".into())
                }
            }
        );
        assert_eq!(
            s.mailboxes.shown_name(&s.mailboxes.rows[0]),
            ("Box m1!".into(), true)
        );
        update(
            &mut s,
            Msg::Api {
                id,
                result: Err(ApiError::Timeout),
            },
        );
        assert_eq!(
            s.mailboxes.shown_name(&s.mailboxes.rows[0]).0,
            "Box m1",
            "old name back"
        );
        update(&mut s, key(KeyCode::Char('r')));
        assert_eq!(
            s.mailboxes.rename.as_ref().unwrap().typed(),
            "Box m1!",
            "typed text reopened"
        );
    }

    #[test]
    fn enter_opens_mail_for_the_mailbox() {
        let mut s = loaded_state();
        update(&mut s, key(KeyCode::Enter));
        assert_eq!(s.tab, crate::app::Tab::Mail);
    }
}
