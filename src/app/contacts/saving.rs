//! The answers of a save: the conflict check before it, the saved record, and `p` (make primary).
use super::*;

impl ContactsPane {
    /// Whether `id` is the answer the `p` in flight for detail `uuid` waits for; if so it is no
    /// longer in flight.
    pub(super) fn take_primary(&mut self, uuid: &str, id: RequestId) -> bool {
        let mine = self
            .making_primary
            .as_ref()
            .is_some_and(|(u, i)| u == uuid && *i == id);
        if mine {
            self.making_primary = None;
        }
        mine
    }

    /// The open form with draft key `key`, if it is waiting in `phase` (for that answer).
    pub(super) fn form_awaiting(&mut self, key: &str, phase: Phase) -> Option<&mut Form> {
        self.form
            .as_mut()
            .filter(|f| f.key == key && f.phase == phase)
    }

    pub(super) fn on_check(
        &mut self,
        key: String,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) {
        let Some(form) = self.form_awaiting(&key, Phase::Checking { id }) else {
            return;
        };
        match result {
            Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(theirs)))) => {
                // The freshest server copy becomes the base; per-field three-way merge.
                // Two writes in the same second keep `updated_at`: the fields the form sends
                // decide too (issue 14).
                let moved = theirs.updated_at != form.base_updated_at || form.differs_from(&theirs);
                let both = form.rebase(&theirs);
                if !both.is_empty() {
                    let names: Vec<&str> = both.iter().map(|f| f.label()).collect();
                    form.phase = Phase::Conflict {
                        theirs,
                        fields: both,
                    };
                    self.write_draft(core);
                    core.error(format!(
                        "Someone else changed {} too since you opened it: m keeps yours, t keeps theirs (the rest is merged).",
                        names.join(", ")
                    ));
                } else if !form.changed() {
                    // Nothing of mine differs from the server copy any more.
                    let key = form.key.clone();
                    let label = theirs.name.clone();
                    self.form = None;
                    self.form_on_disk = false;
                    core.out.push(Command::DeleteDraft {
                        dir: core.settings.drafts_dir.clone(),
                        key,
                    });
                    self.replace_detail(*theirs);
                    core.info(format!("“{label}” on the server already has your changes."));
                } else {
                    match form.validate() {
                        Some(body) => self.send_save(body, core),
                        None => form.phase = Phase::Editing,
                    }
                    // After the request: a write clears the previous info message.
                    if moved {
                        core.info(
                            "Someone else changed other fields meanwhile: merged with yours.",
                        );
                    }
                }
            }
            Ok(Reply::Plannr(PlannrReply::ContactDetail(None))) => {
                form.phase = Phase::Editing;
                form.general_error =
                    Some("This detail was deleted on the server. Esc discards your draft.".into());
                self.write_draft(core);
                core.error("This detail no longer exists on the server; your text is kept.");
            }
            Ok(_) => form.phase = Phase::Editing,
            Err(e) => {
                form.phase = Phase::Editing;
                form.general_error = Some(format!("Not saved: {e}. Ctrl-S tries again."));
                self.write_draft(core);
                core.error(format!("Could not check the server copy before saving: {e}. Your text is kept as a draft."));
            }
        }
    }

    pub(super) fn on_saved(
        &mut self,
        key: String,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) {
        let Some(form) = self.form_awaiting(&key, Phase::Saving { id }) else {
            // Not waited for any more (the user stopped waiting). Still show what the server has.
            if let Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(d)))) = result
                && self.details.items.iter().any(|x| x.uuid == d.uuid)
            {
                self.replace_detail(*d);
            }
            return;
        };
        match result {
            Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(mut d)))) => {
                let created = form.is_new();
                // What the answer left out is what was just sent (Plannr took it): the PUT answer
                // of seed 004 carries `accounts` and no `primary_accounts`.
                let sent = form.fields();
                let named = |uuids: &[String]| -> Vec<Account> {
                    uuids
                        .iter()
                        .map(|u| Account {
                            uuid: u.clone(),
                            name: form.name_of(u),
                            ..Account::default()
                        })
                        .collect()
                };
                if d.accounts.is_none() {
                    d.accounts = Some(named(&sent.owners));
                }
                if d.primary_accounts.is_none() && !sent.primaries_unknown {
                    d.primary_accounts = Some(named(&sent.primaries));
                }
                self.form = None;
                self.form_on_disk = false;
                core.out.push(Command::DeleteDraft {
                    dir: core.settings.drafts_dir.clone(),
                    key,
                });
                core.info(format!(
                    "{} “{}”.",
                    if created { "Added" } else { "Saved" },
                    d.name
                ));
                let reread = !d.primaries().is_empty() || d.primary_accounts.is_none();
                self.on_detail_saved(&d, core);
                self.replace_detail(*d);
                if reread {
                    // The server may have unset another detail's primary, or not said: show its
                    // view (the list asks with include=accounts,primary_accounts).
                    self.reload_details(core);
                }
            }
            Ok(_) => form.phase = Phase::Editing,
            Err(ApiError::Validation { message, errors }) => {
                form.phase = Phase::Editing;
                let fields = map_server_errors(&errors, &message);
                form.show_errors(&fields);
                self.write_draft(core);
                core.error(format!("Plannr refused the change: {message}"));
            }
            Err(e @ ApiError::Forbidden { .. }) => {
                // Never offered as retryable: trying again cannot help.
                form.phase = Phase::Editing;
                form.general_error = Some(format!(
                    "Not saved: Plannr does not let this account change it ({e}). Esc discards."
                ));
                self.write_draft(core);
                core.error(format!(
                    "Plannr refused ({e}): ask someone who may edit this client's details. Your text is kept as a draft."
                ));
            }
            Err(e) => {
                form.phase = Phase::Editing;
                form.general_error = Some(format!("Not saved: {e}. Ctrl-S tries again."));
                self.write_draft(core);
                core.error(format!(
                    "Could not save ({e}). Your text is kept as a draft; Ctrl-S tries again."
                ));
            }
        }
    }
}
