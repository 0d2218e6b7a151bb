//! The inline contact-detail form: label and value (`InlineEditor`s), owners and primary-for
//! (multi-selects over the offered accounts), `type` read-only. Tab/Shift-Tab move between fields,
//! Enter or Ctrl-S saves, Esc leaves (asking first when something changed). The save itself —
//! conflict check, PUT/POST, 422 — is driven by the pane; this is the state and its keys.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::drafts::{DRAFT_VERSION, Draft, Fields, key_for_detail, key_for_new};
use super::validate::{FieldErrors, Kind, build_body, value_for_editing};
use crate::api::models::{ContactDetail, ContactDetailWrite};
use crate::app::editor::{EditorEvent, InlineEditor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Label,
    Value,
    Owners,
    Primary,
}

impl Focus {
    const ORDER: [Focus; 4] = [Focus::Label, Focus::Value, Focus::Owners, Focus::Primary];
    fn step(self, forward: bool) -> Focus {
        let i = Focus::ORDER.iter().position(|f| *f == self).unwrap_or(0);
        let n = Focus::ORDER.len();
        Focus::ORDER[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// Where the form stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Editing,
    /// Esc with changes: y/Esc discards, anything else goes back to editing.
    ConfirmDiscard,
    /// Re-fetching the record to see whether someone else changed it (request id).
    Checking {
        id: u64,
    },
    /// The server's copy moved since the form opened: keep mine (m) or theirs (t)?
    Conflict {
        theirs: Box<ContactDetail>,
    },
    /// The PUT/POST is in flight.
    Saving {
        id: u64,
    },
}

/// What a key asks the pane to do.
#[derive(Debug, Clone, PartialEq)]
pub enum FormOutcome {
    /// Nothing to do (moved, asked something, busy).
    Continue,
    /// The content changed: schedule a draft write.
    Edited,
    /// Leave the form. `discard`: the user threw changes away (delete the draft).
    Close { discard: bool },
    /// Validated; send this (conflict check first for an existing record).
    Save(ContactDetailWrite),
    /// Conflict answered: save mine over theirs.
    KeepMine(ContactDetailWrite),
    /// Conflict answered: drop the draft, show the server's copy.
    KeepTheirs(Box<ContactDetail>),
    /// Esc while waiting for the server: stop waiting (the draft stays).
    StopWaiting,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub key: String,
    pub client_uuid: String,
    pub client_name: String,
    pub detail_uuid: Option<String>,
    pub kind: Kind,
    pub label: InlineEditor,
    pub value: InlineEditor,
    /// Accounts offered as owners / primaries: (uuid, name). The client is always first.
    pub accounts: Vec<(String, String)>,
    pub owners: Vec<String>,
    pub primaries: Vec<String>,
    /// The chip under the cursor in the owners and primary fields.
    pub cursor: usize,
    pub focus: Focus,
    pub owners_error: Option<String>,
    pub primary_error: Option<String>,
    /// A problem that belongs to no field (server message, network failure, record gone).
    pub general_error: Option<String>,
    /// The fields as they were when the form opened (the server's copy, or an empty new detail).
    pub initial: Fields,
    /// `updated_at` of the server's copy when the form opened.
    pub base_updated_at: String,
    pub phase: Phase,
}

fn offered(
    client_uuid: &str,
    client_name: &str,
    others: &[(String, String)],
    must: &[&[String]],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(client_uuid.to_string(), client_name.to_string())];
    for (u, n) in others {
        if !out.iter().any(|(o, _)| o == u) {
            out.push((u.clone(), n.clone()));
        }
    }
    // Anything already an owner or primary is offered, so it can never vanish unseen.
    for u in must.iter().flat_map(|l| l.iter()) {
        if !out.iter().any(|(o, _)| o == u) {
            out.push((u.clone(), u.clone()));
        }
    }
    out
}

impl Form {
    /// Edit an existing detail. `others`: accounts linked to this client's details.
    pub fn edit(
        client_uuid: &str,
        client_name: &str,
        d: &ContactDetail,
        others: &[(String, String)],
    ) -> Form {
        let initial = Fields {
            label: d.name.clone(),
            value: value_for_editing(d),
            owners: d.accounts.iter().map(|a| a.uuid.clone()).collect(),
            primaries: d.primary_accounts.iter().map(|a| a.uuid.clone()).collect(),
        };
        let mut names: Vec<(String, String)> = d
            .accounts
            .iter()
            .map(|a| (a.uuid.clone(), a.display_name()))
            .collect();
        names.extend(
            d.primary_accounts
                .iter()
                .map(|a| (a.uuid.clone(), a.display_name())),
        );
        names.extend_from_slice(others);
        let accounts = offered(
            client_uuid,
            client_name,
            &names,
            &[&initial.owners, &initial.primaries],
        );
        Form::build(
            key_for_detail(&d.uuid),
            client_uuid,
            client_name,
            Some(d.uuid.clone()),
            Kind::from_api(&d.kind),
            accounts,
            initial.clone(),
            initial,
            d.updated_at.clone(),
        )
    }

    /// A new detail of `kind`, owned by the client.
    pub fn new_detail(
        client_uuid: &str,
        client_name: &str,
        kind: Kind,
        others: &[(String, String)],
    ) -> Form {
        let initial = Fields {
            owners: vec![client_uuid.to_string()],
            ..Fields::default()
        };
        let accounts = offered(client_uuid, client_name, others, &[]);
        Form::build(
            key_for_new(client_uuid),
            client_uuid,
            client_name,
            None,
            kind,
            accounts,
            initial.clone(),
            initial,
            String::new(),
        )
    }

    /// Reopen a saved draft exactly as it was typed.
    pub fn from_draft(d: &Draft) -> Form {
        let initial = d.base.clone().unwrap_or_else(|| Fields {
            owners: vec![d.client_uuid.clone()],
            ..Fields::default()
        });
        let accounts = offered(
            &d.client_uuid,
            &d.client_name,
            &d.accounts,
            &[&d.fields.owners, &d.fields.primaries],
        );
        Form::build(
            d.key.clone(),
            &d.client_uuid,
            &d.client_name,
            d.detail_uuid.clone(),
            d.kind,
            accounts,
            initial,
            d.fields.clone(),
            d.base_updated_at.clone(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        key: String,
        client_uuid: &str,
        client_name: &str,
        detail_uuid: Option<String>,
        kind: Kind,
        accounts: Vec<(String, String)>,
        initial: Fields,
        typed: Fields,
        base_updated_at: String,
    ) -> Form {
        Form {
            key,
            client_uuid: client_uuid.to_string(),
            client_name: client_name.to_string(),
            detail_uuid,
            kind,
            label: InlineEditor::with_text(&initial.label, &typed.label),
            value: InlineEditor::with_text(&initial.value, &typed.value),
            accounts,
            owners: typed.owners,
            primaries: typed.primaries,
            cursor: 0,
            focus: Focus::Label,
            owners_error: None,
            primary_error: None,
            general_error: None,
            initial,
            base_updated_at,
            phase: Phase::Editing,
        }
    }

    pub fn is_new(&self) -> bool {
        self.detail_uuid.is_none()
    }

    pub fn fields(&self) -> Fields {
        Fields {
            label: self.label.text(),
            value: self.value.text(),
            owners: self.owners.clone(),
            primaries: self.primaries.clone(),
        }
    }

    /// Whether anything differs from how the form opened (owner order does not count).
    pub fn changed(&self) -> bool {
        let f = self.fields();
        let same_set =
            |a: &[String], b: &[String]| a.len() == b.len() && a.iter().all(|x| b.contains(x));
        f.label != self.initial.label
            || f.value != self.initial.value
            || !same_set(&f.owners, &self.initial.owners)
            || !same_set(&f.primaries, &self.initial.primaries)
    }

    pub fn is_busy(&self) -> bool {
        matches!(self.phase, Phase::Checking { .. } | Phase::Saving { .. })
    }

    pub fn to_draft(&self) -> Draft {
        Draft {
            version: DRAFT_VERSION,
            key: self.key.clone(),
            client_uuid: self.client_uuid.clone(),
            client_name: self.client_name.clone(),
            detail_uuid: self.detail_uuid.clone(),
            kind: self.kind,
            fields: self.fields(),
            base: (!self.is_new()).then(|| self.initial.clone()),
            base_updated_at: self.base_updated_at.clone(),
            accounts: self.accounts.clone(),
        }
    }

    pub fn name_of(&self, uuid: &str) -> String {
        self.accounts
            .iter()
            .find(|(u, _)| u == uuid)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| uuid.to_string())
    }

    /// Show problems under their fields (clearing the old ones).
    pub fn show_errors(&mut self, e: &FieldErrors) {
        self.label.error = e.label.clone();
        self.value.error = e.value.clone();
        self.owners_error = e.owners.clone();
        self.primary_error = e.primary.clone();
        self.general_error = e.general.clone();
        let first = [
            (e.label.is_some(), Focus::Label),
            (e.value.is_some(), Focus::Value),
            (e.owners.is_some(), Focus::Owners),
            (e.primary.is_some(), Focus::Primary),
        ]
        .into_iter()
        .find(|(has, _)| *has);
        if let Some((_, f)) = first {
            self.focus = f;
        }
    }

    /// Validate and build the body; problems go under their fields.
    pub fn validate(&mut self) -> Option<ContactDetailWrite> {
        match build_body(
            self.kind,
            self.is_new(),
            &self.label.text(),
            &self.value.text(),
            &self.owners,
            &self.primaries,
        ) {
            Ok(b) => {
                self.show_errors(&FieldErrors::default());
                Some(b)
            }
            Err(e) => {
                self.show_errors(&e);
                None
            }
        }
    }

    fn toggle(list: &mut Vec<String>, uuid: &str) {
        if let Some(i) = list.iter().position(|u| u == uuid) {
            list.remove(i);
        } else {
            list.push(uuid.to_string());
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match &self.phase {
            Phase::Checking { .. } | Phase::Saving { .. } => {
                return if key.code == KeyCode::Esc {
                    FormOutcome::StopWaiting
                } else {
                    FormOutcome::Continue
                };
            }
            Phase::Conflict { theirs } => {
                return match key.code {
                    KeyCode::Char('m') | KeyCode::Char('M') => match self.validate() {
                        Some(body) => FormOutcome::KeepMine(body),
                        None => {
                            self.phase = Phase::Editing;
                            FormOutcome::Continue
                        }
                    },
                    KeyCode::Char('t') | KeyCode::Char('T') => {
                        FormOutcome::KeepTheirs(theirs.clone())
                    }
                    KeyCode::Esc => {
                        self.phase = Phase::Editing;
                        FormOutcome::Continue
                    }
                    _ => FormOutcome::Continue,
                };
            }
            Phase::ConfirmDiscard => {
                self.phase = Phase::Editing;
                self.general_error = None;
                if matches!(
                    key.code,
                    KeyCode::Esc | KeyCode::Char('y') | KeyCode::Char('Y')
                ) {
                    return FormOutcome::Close { discard: true };
                }
                return FormOutcome::Continue;
            }
            Phase::Editing => {}
        }
        if ctrl && key.code == KeyCode::Char('s') {
            return self.submit();
        }
        match key.code {
            KeyCode::Tab => {
                self.focus = self.focus.step(true);
                return FormOutcome::Continue;
            }
            KeyCode::BackTab => {
                self.focus = self.focus.step(false);
                return FormOutcome::Continue;
            }
            KeyCode::Esc => {
                return if self.changed() {
                    self.phase = Phase::ConfirmDiscard;
                    FormOutcome::Continue
                } else {
                    FormOutcome::Close { discard: false }
                };
            }
            _ => {}
        }
        match self.focus {
            Focus::Label | Focus::Value => {
                let ed = if self.focus == Focus::Label {
                    &mut self.label
                } else {
                    &mut self.value
                };
                let before = ed.text();
                match ed.on_key(key) {
                    EditorEvent::Submit => self.submit(),
                    EditorEvent::Edited if ed.text() != before => FormOutcome::Edited,
                    EditorEvent::Ignored if matches!(key.code, KeyCode::Down) => {
                        self.focus = self.focus.step(true);
                        FormOutcome::Continue
                    }
                    EditorEvent::Ignored if matches!(key.code, KeyCode::Up) => {
                        self.focus = self.focus.step(false);
                        FormOutcome::Continue
                    }
                    _ => FormOutcome::Continue,
                }
            }
            Focus::Owners | Focus::Primary => {
                let n = self.accounts.len().max(1);
                match key.code {
                    KeyCode::Enter => self.submit(),
                    KeyCode::Left | KeyCode::Char('h') => {
                        self.cursor = (self.cursor + n - 1) % n;
                        FormOutcome::Continue
                    }
                    KeyCode::Right | KeyCode::Char('l') => {
                        self.cursor = (self.cursor + 1) % n;
                        FormOutcome::Continue
                    }
                    KeyCode::Down => {
                        self.focus = self.focus.step(true);
                        FormOutcome::Continue
                    }
                    KeyCode::Up => {
                        self.focus = self.focus.step(false);
                        FormOutcome::Continue
                    }
                    KeyCode::Char(' ') | KeyCode::Char('x') => {
                        let Some((uuid, _)) = self.accounts.get(self.cursor.min(n - 1)).cloned()
                        else {
                            return FormOutcome::Continue;
                        };
                        if self.focus == Focus::Owners {
                            Self::toggle(&mut self.owners, &uuid);
                            self.owners_error = None;
                        } else {
                            Self::toggle(&mut self.primaries, &uuid);
                        }
                        self.primary_error = None;
                        FormOutcome::Edited
                    }
                    _ => FormOutcome::Continue,
                }
            }
        }
    }

    fn submit(&mut self) -> FormOutcome {
        if !self.is_new() && !self.changed() {
            return FormOutcome::Close { discard: true };
        }
        match self.validate() {
            Some(body) => FormOutcome::Save(body),
            None => FormOutcome::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::{Account, PhoneMeta};

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }
    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }
    fn type_str(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.on_key(k(KeyCode::Char(c)));
        }
    }
    fn acc(u: &str, n: &str) -> Account {
        Account {
            uuid: u.into(),
            name: n.into(),
            ..Account::default()
        }
    }
    pub fn phone() -> ContactDetail {
        ContactDetail {
            uuid: "d1".into(),
            kind: "phone_number".into(),
            name: "Mobile".into(),
            value: "+447700900123".into(),
            phone_number_meta: Some(PhoneMeta {
                country: "GB".into(),
                formatted: "07700 900123".into(),
            }),
            accounts: vec![acc("c1", "Gareth"), acc("c2", "Jo")],
            primary_accounts: vec![acc("c2", "Jo")],
            updated_at: "t1".into(),
            ..ContactDetail::default()
        }
    }

    #[test]
    fn edit_keeps_owners_and_primaries_in_body() {
        let mut f = Form::edit("c1", "Gareth", &phone(), &[]);
        assert!(!f.changed());
        f.on_key(ctrl('u'));
        assert_eq!(f.on_key(k(KeyCode::Char('W'))), FormOutcome::Edited);
        type_str(&mut f, "ork");
        assert!(f.changed());
        let FormOutcome::Save(body) = f.on_key(ctrl('s')) else {
            panic!("expected save")
        };
        assert_eq!(body.name, "Work");
        assert_eq!(body.account_uuids, vec!["c1".to_string(), "c2".to_string()]);
        assert_eq!(body.primary_account_uuids, vec!["c2".to_string()]);
        assert_eq!(body.kind, None);
    }

    #[test]
    fn fields_tab_and_multiselect() {
        let mut f = Form::edit("c1", "Gareth", &phone(), &[("c3".into(), "Sam".into())]);
        assert_eq!(
            f.accounts.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(),
            ["c1", "c2", "c3"]
        );
        f.on_key(k(KeyCode::Tab));
        assert_eq!(f.focus, Focus::Value);
        f.on_key(k(KeyCode::Tab));
        assert_eq!(f.focus, Focus::Owners);
        // Untick c1 and c2: no owners, and c2 primary but not an owner.
        f.on_key(k(KeyCode::Char(' ')));
        f.on_key(k(KeyCode::Right));
        f.on_key(k(KeyCode::Char(' ')));
        assert!(f.owners.is_empty());
        assert_eq!(f.on_key(ctrl('s')), FormOutcome::Continue);
        assert!(f.owners_error.is_some() && f.primary_error.is_some());
        assert_eq!(f.focus, Focus::Owners, "focus goes to the first problem");
        f.on_key(k(KeyCode::Right));
        f.on_key(k(KeyCode::Char(' '))); // c3 owner
        f.on_key(k(KeyCode::BackTab));
        f.on_key(k(KeyCode::BackTab));
        assert_eq!(f.focus, Focus::Label);
        f.on_key(k(KeyCode::BackTab));
        assert_eq!(f.focus, Focus::Primary, "Shift-Tab wraps");
        f.on_key(k(KeyCode::Left)); // cursor c2
        f.on_key(k(KeyCode::Char(' '))); // c2 no longer primary
        let FormOutcome::Save(body) = f.on_key(k(KeyCode::Enter)) else {
            panic!()
        };
        assert_eq!(body.account_uuids, vec!["c3".to_string()]);
        assert!(body.primary_account_uuids.is_empty());
    }

    #[test]
    fn esc_asks_when_changed_and_unchanged_save_just_closes() {
        let mut f = Form::edit("c1", "Gareth", &phone(), &[]);
        assert_eq!(
            f.on_key(k(KeyCode::Enter)),
            FormOutcome::Close { discard: true }
        );
        assert_eq!(
            f.on_key(k(KeyCode::Esc)),
            FormOutcome::Close { discard: false }
        );
        type_str(&mut f, "!");
        assert_eq!(f.on_key(k(KeyCode::Esc)), FormOutcome::Continue);
        assert_eq!(f.phase, Phase::ConfirmDiscard);
        assert_eq!(f.on_key(k(KeyCode::Char('n'))), FormOutcome::Continue);
        assert_eq!(f.label.text(), "Mobile!");
        f.on_key(k(KeyCode::Esc));
        assert_eq!(
            f.on_key(k(KeyCode::Char('y'))),
            FormOutcome::Close { discard: true }
        );
    }

    #[test]
    fn conflict_choices_and_busy() {
        let mut f = Form::edit("c1", "Gareth", &phone(), &[]);
        type_str(&mut f, "!");
        f.phase = Phase::Saving { id: 3 };
        assert_eq!(f.on_key(k(KeyCode::Char('x'))), FormOutcome::Continue);
        assert_eq!(f.label.text(), "Mobile!", "no edits while saving");
        assert_eq!(f.on_key(k(KeyCode::Esc)), FormOutcome::StopWaiting);
        let mut theirs = phone();
        theirs.updated_at = "t2".into();
        f.phase = Phase::Conflict {
            theirs: Box::new(theirs.clone()),
        };
        assert!(
            matches!(f.on_key(k(KeyCode::Char('m'))), FormOutcome::KeepMine(b) if b.name == "Mobile!")
        );
        assert_eq!(
            f.on_key(k(KeyCode::Char('t'))),
            FormOutcome::KeepTheirs(Box::new(theirs))
        );
    }

    #[test]
    fn draft_round_trip_reopens_exactly() {
        let mut f = Form::edit("c1", "Gareth", &phone(), &[]);
        f.on_key(ctrl('u'));
        type_str(&mut f, "Work");
        f.on_key(k(KeyCode::Tab));
        f.on_key(ctrl('u'));
        type_str(&mut f, "07700 900999");
        let d = f.to_draft();
        let back = Form::from_draft(&Draft::from_json(&d.to_json()).unwrap());
        assert_eq!(back.fields(), f.fields());
        assert_eq!(back.initial, f.initial);
        assert!(back.changed());
        assert_eq!(back.base_updated_at, "t1");
        assert_eq!(back.detail_uuid.as_deref(), Some("d1"));
        assert_eq!(back.name_of("c2"), "Jo");
        let n = Form::new_detail("c1", "Gareth", Kind::Email, &[]);
        assert_eq!(n.owners, vec!["c1".to_string()]);
        let nb = Form::from_draft(&n.to_draft());
        assert!(nb.is_new() && nb.base_updated_at.is_empty());
    }
}
