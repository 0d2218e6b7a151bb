//! Mailboxes pane: list, state, enable/disable (optimistic, confirmed by the server's copy,
//! rolled back on failure), inline rename.
use crossterm::event::{KeyCode, KeyEvent};

use super::list::ListNav;
use crate::keymap::{ALL_VIEWS, Action, Scope};

use super::rename::{Rename, RenameDraft, Renames};
use super::{Call, Core, Nav, PlannrCall, PlannrReply, Reply, RequestId, Route as AppRoute};
use crate::api::ApiError;
use crate::api::models::{Mailbox, MailboxUpdate};

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    List,
    Toggle { uuid: String },
    Rename { uuid: String },
}

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

#[derive(Debug)]
pub struct MailboxesPane {
    pub rows: Vec<Row>,
    pub nav: ListNav,
    /// The list request in flight.
    pub loading: Option<RequestId>,
    pub loaded: bool,
    pub error: Option<String>,
    /// Asking "disable this mailbox?" for this uuid.
    pub confirm_disable: Option<String>,
    /// Renames by mailbox (the slot shared with conversations): the one being edited or saved,
    /// and the unsaved text of others (a failed save, or a draft from last time) that `r` on
    /// that mailbox reopens; opening another rename never overwrites them.
    pub renames: Renames,
}

impl Default for MailboxesPane {
    fn default() -> MailboxesPane {
        MailboxesPane {
            rows: Vec::new(),
            nav: ListNav::default(),
            loading: None,
            loaded: false,
            error: None,
            confirm_disable: None,
            renames: Renames::new(WHAT),
        }
    }
}

/// The draft-file kind of a mailbox rename.
const WHAT: &str = "mailbox";

/// A person's words for a mailbox state (all nine of seed 000), and whether it is healthy. A value
/// the docs do not list is shown as itself, never hidden.
pub fn describe_state(state: &str) -> (std::borrow::Cow<'_, str>, StateTone) {
    let (words, tone) = match state {
        "init" => ("starting up…", StateTone::Busy),
        "connected" => ("connected", StateTone::Good),
        "syncing" => ("syncing…", StateTone::Busy),
        "connecting" => ("connecting…", StateTone::Busy),
        "authenticationError" => ("sign-in failed — reconnect in Plannr", StateTone::Bad),
        "connectError" => ("cannot reach the mail server", StateTone::Bad),
        "disconnected" => ("disconnected", StateTone::Muted),
        "deleting" => ("being deleted", StateTone::Muted),
        "unset" => ("not set up", StateTone::Muted),
        "" => ("—", StateTone::Muted),
        other => return (std::borrow::Cow::Borrowed(other), StateTone::Muted),
    };
    (std::borrow::Cow::Borrowed(words), tone)
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
        self.loading = Some(core.request(
            AppRoute::Mailboxes(Route::List),
            Call::Plannr(PlannrCall::Mailboxes),
        ));
    }

    pub fn captures_input(&self) -> bool {
        self.renames.open_editor().is_some()
    }

    pub fn has_unsaved(&self) -> bool {
        self.renames
            .slots()
            .any(|(_, s)| s.rename.as_ref().is_some_and(Rename::is_unsaved))
    }

    /// Whether a mailbox has unsaved rename text (the ✎ mark).
    pub fn has_draft(&self, uuid: &str) -> bool {
        self.renames.kept(uuid)
    }

    /// The rename being edited or saved, if any (one at a time here).
    pub fn rename(&self) -> Option<&Rename> {
        self.renames
            .slots()
            .filter_map(|(_, s)| s.rename.as_ref())
            .find(|r| r.open || r.is_saving())
    }

    /// Every unsaved rename as (draft key, json): written at quit, or by the crash handler.
    pub fn unsaved_drafts(&self) -> Vec<(String, String)> {
        self.renames.unsaved_drafts()
    }

    pub fn on_quit(&mut self, core: &mut Core) {
        self.renames.on_quit(core);
    }

    /// Rename drafts from last time: held until `r` on their mailbox.
    pub fn on_drafts_loaded(&mut self, drafts: &[RenameDraft], core: &mut Core) {
        self.renames.offer_drafts(drafts, " ✎", core);
    }

    pub fn on_resize(&mut self, core: &mut Core) {
        self.nav.clamp(self.rows.len(), Self::rows_visible(core));
    }

    pub fn on_debounce(&mut self, _seq: u64, _core: &mut Core) {}

    pub fn on_paste(&mut self, text: &str, _core: &mut Core) {
        self.renames.paste(text);
    }

    pub fn selected(&self) -> Option<&Row> {
        self.rows.get(self.nav.selected)
    }

    /// The view its key table is in (one view).
    pub fn key_view(&self) -> crate::keymap::Views {
        ALL_VIEWS
    }

    pub fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        if let Some(uuid) = self.renames.editing() {
            self.renames.on_key(&uuid, key, core, |name, core| {
                core.request(
                    AppRoute::Mailboxes(Route::Rename { uuid: uuid.clone() }),
                    Call::Plannr(PlannrCall::UpdateMailbox {
                        uuid: uuid.clone(),
                        update: MailboxUpdate {
                            enabled: None,
                            name: Some(name),
                        },
                    }),
                )
            });
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
        let action = core.action(Scope::Mailboxes, ALL_VIEWS, &key);
        let height = Self::rows_visible(core);
        if self.nav.on_action(action, self.rows.len(), height) {
            return true;
        }
        let Some(action) = action else { return false };
        match action {
            Action::Refresh => {
                self.refresh(core);
                true
            }
            Action::Toggle => {
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
            Action::Rename => {
                let Some(row) = self.selected() else {
                    return true;
                };
                let (uuid, name) = (row.mailbox.uuid.clone(), row.mailbox.name.clone());
                let own_kept = self
                    .renames
                    .get(&uuid)
                    .and_then(|s| s.rename.as_ref())
                    .is_some_and(|r| !r.is_saving());
                if self.renames.any_saving() && !own_kept {
                    core.info("A rename is still being saved.");
                } else {
                    // Reopens this mailbox's kept text, if any; another's is never overwritten.
                    self.renames.start(&uuid, &name, core);
                }
                true
            }
            Action::Open => {
                if let Some(row) = self.selected() {
                    core.nav.push(Nav::MailForMailbox {
                        uuid: row.mailbox.uuid.clone(),
                        name: row.mailbox.name.clone(),
                    });
                }
                true
            }
            _ => false,
        }
    }

    fn send_toggle(&mut self, uuid: &str, enabled: bool, core: &mut Core) {
        let id = core.request(
            AppRoute::Mailboxes(Route::Toggle {
                uuid: uuid.to_string(),
            }),
            Call::Plannr(PlannrCall::UpdateMailbox {
                uuid: uuid.to_string(),
                update: MailboxUpdate {
                    enabled: Some(enabled),
                    name: None,
                },
            }),
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
                    Ok(Reply::Plannr(PlannrReply::Mailboxes(list))) => {
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
                    Ok(Reply::Plannr(PlannrReply::Mailbox(m))) => {
                        let name = m.name.clone();
                        row.mailbox = m;
                        core.info(format!(
                            "{name}: {}",
                            if wanted { "enabled" } else { "disabled" }
                        ));
                    }
                    Ok(_) => {}
                    Err(e) if e.write_may_have_landed() => core.error(format!(
                        "Plannr did not confirm that {} is {} ({e}); it may or may not be. R re-reads to see what Plannr holds.",
                        row.mailbox.name,
                        if wanted { "enabled" } else { "disabled" },
                    )),
                    Err(e) => core.error(format!(
                        "Could not {} {}: {e}. It is unchanged.",
                        if wanted { "enable" } else { "disable" },
                        row.mailbox.name
                    )),
                }
            }
            Route::Rename { uuid } => {
                let slot = self.renames.slot(&uuid);
                if slot.saving.as_ref().is_some_and(|(sid, _)| *sid == id) {
                    slot.saving = None;
                }
                match result {
                    Ok(Reply::Plannr(PlannrReply::Mailbox(m))) => {
                        if slot
                            .rename
                            .as_ref()
                            .is_some_and(|r| r.state == (super::editor::SaveState::Saving { id }))
                        {
                            slot.rename = None;
                            super::rename::delete_draft(WHAT, &uuid, core);
                            core.info(format!("Renamed to “{}”.", m.name));
                        }
                        self.replace(m);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        if let Some(r) = slot.rename.as_mut()
                            && let Some(msg) = r.failed(id, &e)
                        {
                            // Kept on disk too: it survives a quit or a crash.
                            super::rename::write_draft(r, WHAT, core);
                            core.error(msg);
                        }
                    }
                }
            }
        }
    }

    /// The name shown for a row: the name being saved, if any (optimistic).
    pub fn shown_name<'a>(&'a self, row: &'a Row) -> (String, bool) {
        match self
            .renames
            .get(&row.mailbox.uuid)
            .and_then(|s| s.rename.as_ref())
        {
            Some(r) if r.is_saving() => (
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
    use crossterm::event::{KeyEvent, KeyModifiers};

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
                result: Ok(Reply::Plannr(PlannrReply::Mailboxes(vec![
                    mailbox("m1", true),
                    mailbox("m2", false),
                ]))),
            },
        );
        s
    }

    fn sent(cmds: &[Command]) -> Vec<(RequestId, Call)> {
        cmds.iter()
            .filter_map(|c| {
                if let Command::Api { id, call, .. } = c {
                    Some((*id, call.clone()))
                } else {
                    None
                }
            })
            .collect()
    }

    fn drafts_written(cmds: &[Command]) -> Vec<(String, String)> {
        cmds.iter()
            .filter_map(|c| match c {
                Command::WriteDraft { key, json, .. } => Some((key.clone(), json.clone())),
                _ => None,
            })
            .collect()
    }

    fn many(settings: Settings) -> State {
        let mut s = State::new(settings, Some("acc".into()), (100, 30));
        s.init();
        let id = s.mailboxes.loading.unwrap();
        let boxes = (0..60).map(|i| mailbox(&format!("m{i}"), true)).collect();
        update(
            &mut s,
            Msg::Api {
                id,
                result: Ok(Reply::Plannr(PlannrReply::Mailboxes(boxes))),
            },
        );
        s
    }

    /// Ctrl-D / Ctrl-U move half the rows on screen (30 rows: 25 list rows → 12).
    #[test]
    fn ctrl_d_and_ctrl_u_move_half_a_page() {
        let mut s = many(Settings::default());
        let ctrl = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        update(&mut s, ctrl('d'));
        assert_eq!(s.mailboxes.nav.selected, 12);
        update(&mut s, ctrl('d'));
        assert_eq!(s.mailboxes.nav.selected, 24);
        update(&mut s, ctrl('u'));
        assert_eq!(s.mailboxes.nav.selected, 12);
    }

    /// A remapped key does the action; the key it replaced no longer does.
    #[test]
    fn remapped_keys_drive_the_pane() {
        let keys = crate::keymap::Keymap::with_overrides(&[
            crate::keymap::Override {
                scope: "mailboxes".into(),
                action: "down".into(),
                keys: vec!["n".into()],
                line: 1,
            },
            crate::keymap::Override {
                scope: "mailboxes".into(),
                action: "open".into(),
                keys: vec!["l".into()],
                line: 2,
            },
        ])
        .expect("valid");
        let settings = Settings {
            keys: std::sync::Arc::new(keys),
            ..Settings::default()
        };
        let mut s = many(settings);
        update(&mut s, key(KeyCode::Char('j')));
        assert_eq!(s.mailboxes.nav.selected, 0, "j is no longer down");
        update(&mut s, key(KeyCode::Char('n')));
        assert_eq!(s.mailboxes.nav.selected, 1);
        update(&mut s, key(KeyCode::Enter));
        assert_eq!(s.tab, crate::app::Tab::Mailboxes, "Enter no longer opens");
        assert!(
            s.help_lines()
                .iter()
                .any(|(k, d)| k == "l" && d.starts_with("open Mail")),
            "help shows the effective key"
        );
        update(&mut s, key(KeyCode::Char('l')));
        assert_eq!(s.tab, crate::app::Tab::Mail);
    }

    /// A toggle whose answer did not confirm it (or never came) may have been applied: the status
    /// never claims "It is unchanged" then, only for a refusal.
    #[test]
    fn unconfirmed_toggle_is_not_called_unchanged() {
        let cases = [
            (
                ApiError::Unconfirmed {
                    what: "the mailbox enabled".into(),
                },
                false,
            ),
            (ApiError::Timeout, false),
            (
                ApiError::Forbidden {
                    message: "no".into(),
                },
                true,
            ),
        ];
        for (err, refused) in cases {
            let mut s = loaded_state();
            update(&mut s, key(KeyCode::Down));
            let (id, call) = sent(&update(&mut s, key(KeyCode::Char(' '))))
                .pop()
                .unwrap();
            assert!(
                matches!(call, Call::Plannr(PlannrCall::UpdateMailbox { .. })),
                "{call:?}"
            );
            update(
                &mut s,
                Msg::Api {
                    id,
                    result: Err(err),
                },
            );
            let text = s
                .core
                .status
                .as_ref()
                .map(|m| m.text.clone())
                .unwrap_or_default();
            assert_eq!(text.contains("It is unchanged"), refused, "{text}");
            if !refused {
                assert!(text.contains("did not confirm"), "{text}");
                assert!(text.contains("R re-reads"), "{text}");
            }
        }
    }

    /// A failed rename is kept on disk; `r` on another mailbox never overwrites it; quitting asks
    /// first and keeps it; after a restart it is offered back.
    #[test]
    fn failed_rename_survives_other_renames_quit_and_restart() {
        let mut s = loaded_state();
        update(&mut s, key(KeyCode::Char('r')));
        update(&mut s, key(KeyCode::Char('!')));
        let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).pop().unwrap();
        let out = update(
            &mut s,
            Msg::Api {
                id,
                result: Err(ApiError::Timeout),
            },
        );
        let written = drafts_written(&out);
        assert_eq!(written.len(), 1, "the failed text goes to disk");
        assert_eq!(written[0].0, "rename-mailbox-m1");
        // r on m2: its own editor; m1's text is held, not overwritten.
        update(&mut s, key(KeyCode::Down));
        update(&mut s, key(KeyCode::Char('r')));
        assert_eq!(s.mailboxes.rename().unwrap().target, "m2");
        assert!(s.mailboxes.has_draft("m1"));
        update(&mut s, key(KeyCode::Esc));
        update(&mut s, key(KeyCode::Up));
        update(&mut s, key(KeyCode::Char('r')));
        assert_eq!(s.mailboxes.rename().unwrap().typed(), "Box m1!");
        // Discarding it (Esc asks, Esc again discards) drops the draft file.
        update(&mut s, key(KeyCode::Esc));
        let out = update(&mut s, key(KeyCode::Esc));
        assert!(
            out.iter().any(
                |c| matches!(c, Command::DeleteDraft { key, .. } if key == "rename-mailbox-m1")
            )
        );
        assert!(!s.mailboxes.has_draft("m1"));
        // Quit asks first, then keeps the text as a draft.
        let mut s = loaded_state();
        update(&mut s, key(KeyCode::Char('r')));
        update(&mut s, key(KeyCode::Char('!')));
        let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).pop().unwrap();
        update(
            &mut s,
            Msg::Api {
                id,
                result: Err(ApiError::Timeout),
            },
        );
        let out = update(&mut s, key(KeyCode::Char('q')));
        assert!(!s.quit && !out.contains(&Command::Quit), "q asks first");
        let out = update(&mut s, key(KeyCode::Char('q')));
        assert!(s.quit && out.contains(&Command::Quit));
        let written = drafts_written(&out);
        assert_eq!(written.len(), 1);
        let q = out.iter().position(|c| *c == Command::Quit).unwrap();
        assert!(
            out.iter()
                .position(|c| matches!(c, Command::WriteDraft { .. }))
                .unwrap()
                < q
        );
        // Restart: the draft is offered back.
        let draft = RenameDraft::from_json(&written[0].1).unwrap();
        let mut s = loaded_state();
        update(
            &mut s,
            Msg::Draft(crate::app::contacts::drafts::DraftEvent::Loaded {
                drafts: vec![],
                renames: vec![draft],
                problems: vec![],
            }),
        );
        assert!(s.mailboxes.has_draft("m1"));
        assert!(
            s.core
                .status
                .as_ref()
                .is_some_and(|st| st.text.contains("from last time"))
        );
        update(&mut s, key(KeyCode::Char('r')));
        assert_eq!(s.mailboxes.rename().unwrap().typed(), "Box m1!");
        assert!(s.captures_input());
    }

    /// All nine states of seed 000 in plain words; anything else shown as itself.
    #[test]
    fn every_documented_state_has_words() {
        for st in [
            "init",
            "syncing",
            "connecting",
            "connected",
            "authenticationError",
            "connectError",
            "unset",
            "disconnected",
            "deleting",
        ] {
            let (words, _) = describe_state(st);
            assert!(!words.is_empty() && words != "unknown state", "{st}");
        }
        assert_eq!(describe_state("init").0, "starting up…");
        assert_eq!(describe_state("unset").0, "not set up");
        assert_eq!(describe_state("quarantined").0, "quarantined");
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
            Call::Plannr(PlannrCall::UpdateMailbox {
                uuid: "m1".into(),
                update: MailboxUpdate {
                    enabled: Some(false),
                    name: None
                }
            })
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
                result: Ok(Reply::Plannr(PlannrReply::Mailbox(server))),
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
            Call::Plannr(PlannrCall::UpdateMailbox {
                uuid: "m1".into(),
                update: MailboxUpdate {
                    enabled: None,
                    name: Some("Box m1!".into())
                }
            })
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
            s.mailboxes.rename().unwrap().typed(),
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
