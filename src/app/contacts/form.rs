//! The inline contact-detail form: label and value (`InlineEditor`s), owners and primary-for
//! (multi-selects over the offered accounts), `type` read-only. Tab/Shift-Tab move between fields,
//! Enter or Ctrl-S saves, Esc leaves (asking first when something changed). The save itself —
//! conflict check, PUT/POST, 422 — is driven by the pane; this is the state and its keys.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::drafts::{DRAFT_VERSION, Draft, Fields, key_for_detail, key_for_new};
use super::validate::{FieldErrors, Kind, build_body};
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
    /// The server's copy moved since the form opened and these fields were changed both there and
    /// here (everything changed on one side only is already merged): keep mine (m) or theirs (t)?
    Conflict {
        theirs: Box<ContactDetail>,
        fields: Vec<Field>,
    },
    /// The PUT/POST is in flight.
    Saving {
        id: u64,
    },
}

/// A field of the form, as the three-way merge names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Label,
    Value,
    Owners,
    Primaries,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Label, Field::Value, Field::Owners, Field::Primaries];
    pub fn label(self) -> &'static str {
        match self {
            Field::Label => "Label",
            Field::Value => "Value",
            Field::Owners => "Owners",
            Field::Primaries => "Primary for",
        }
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// Whether `a` and `b` hold the same value of field `f`.
fn same(f: Field, a: &Fields, b: &Fields) -> bool {
    match f {
        Field::Label => a.label == b.label,
        Field::Value => a.value == b.value,
        Field::Owners => same_set(&a.owners, &b.owners),
        Field::Primaries => same_set(&a.primaries, &b.primaries),
    }
}

/// Copy field `f` from `from` into `to`.
fn take(f: Field, to: &mut Fields, from: &Fields) {
    match f {
        Field::Label => to.label = from.label.clone(),
        Field::Value => to.value = from.value.clone(),
        Field::Owners => to.owners = from.owners.clone(),
        Field::Primaries => {
            to.primaries = from.primaries.clone();
            to.primaries_unknown = from.primaries_unknown;
        }
    }
}

/// Three-way merge per field: what only they changed is theirs, what only I changed is mine;
/// the fields both changed (to different values) are returned for the user to decide (`merged`
/// keeps mine there).
pub fn merge3(base: &Fields, mine: &Fields, theirs: &Fields) -> (Fields, Vec<Field>) {
    let mut merged = mine.clone();
    let mut both = Vec::new();
    for f in Field::ALL {
        if same(f, mine, base) {
            take(f, &mut merged, theirs);
        } else if !same(f, theirs, base) && !same(f, mine, theirs) {
            both.push(f);
        }
    }
    (merged, both)
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
        let initial = Fields::of_detail(d, None);
        let mut names: Vec<(String, String)> = d
            .owners()
            .iter()
            .map(|a| (a.uuid.clone(), a.display_name()))
            .collect();
        names.extend(
            d.primaries()
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
            primaries_unknown: self.initial.primaries_unknown
                && same_set(&self.primaries, &self.initial.primaries),
        }
    }

    /// Whether anything differs from how the form opened (owner order does not count).
    pub fn changed(&self) -> bool {
        let f = self.fields();
        Field::ALL.iter().any(|&x| !same(x, &f, &self.initial))
    }

    /// Put `f` into the form (editors keep their undo history).
    fn set_fields(&mut self, f: &Fields) {
        if self.label.text() != f.label {
            self.label.set_text(&f.label);
        }
        if self.value.text() != f.value {
            self.value.set_text(&f.value);
        }
        self.owners = f.owners.clone();
        self.primaries = f.primaries.clone();
    }

    /// Whether the server copy `theirs` differs, in any field the form sends, from the copy the
    /// form started from (what the server did not say is taken as unchanged).
    pub fn differs_from(&self, theirs: &ContactDetail) -> bool {
        let theirs_f = Fields::of_detail(theirs, Some(&self.initial));
        Field::ALL
            .iter()
            .any(|&x| !same(x, &theirs_f, &self.initial))
    }

    /// The conflict check read `theirs`, the freshest server copy: it becomes the form's starting
    /// point (base and `updated_at`), everything only they changed is taken, everything only I
    /// changed is kept, and the fields both changed are returned (the form keeps mine there).
    pub fn rebase(&mut self, theirs: &ContactDetail) -> Vec<Field> {
        let base = self.initial.clone();
        let theirs_f = Fields::of_detail(theirs, Some(&base));
        let (merged, both) = merge3(&base, &self.fields(), &theirs_f);
        for a in theirs.owners().iter().chain(theirs.primaries()) {
            if !self.accounts.iter().any(|(u, _)| *u == a.uuid) {
                self.accounts.push((a.uuid.clone(), a.display_name()));
            }
        }
        self.set_fields(&merged);
        self.label.original = theirs_f.label.clone();
        self.value.original = theirs_f.value.clone();
        self.initial = theirs_f;
        self.base_updated_at = theirs.updated_at.clone();
        both
    }

    /// Conflict answered "theirs": the asked fields take the server's values.
    pub fn take_theirs(&mut self, fields: &[Field]) {
        let mut f = self.fields();
        for &x in fields {
            take(x, &mut f, &self.initial.clone());
        }
        self.set_fields(&f);
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
            !self.fields().primaries_unknown,
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
            Phase::Conflict { theirs, fields } => {
                return match key.code {
                    KeyCode::Char('m') | KeyCode::Char('M') => match self.validate() {
                        Some(body) => FormOutcome::KeepMine(body),
                        None => {
                            self.phase = Phase::Editing;
                            FormOutcome::Continue
                        }
                    },
                    KeyCode::Char('t') | KeyCode::Char('T') => {
                        let theirs = theirs.clone();
                        let fields = fields.clone();
                        self.take_theirs(&fields);
                        if self.changed() {
                            // My changes to the fields they did not touch still go through.
                            match self.validate() {
                                Some(body) => FormOutcome::KeepMine(body),
                                None => {
                                    self.phase = Phase::Editing;
                                    FormOutcome::Continue
                                }
                            }
                        } else {
                            FormOutcome::KeepTheirs(theirs)
                        }
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
            accounts: Some(vec![acc("c1", "Gareth"), acc("c2", "Jo")]),
            primary_accounts: Some(vec![acc("c2", "Jo")]),
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
        assert_eq!(body.primary_account_uuids, Some(vec!["c2".to_string()]));
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
        assert_eq!(body.primary_account_uuids, Some(vec![]));
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
        theirs.name = "Jo's".into();
        assert_eq!(f.rebase(&theirs), vec![Field::Label]);
        f.phase = Phase::Conflict {
            theirs: Box::new(theirs.clone()),
            fields: vec![Field::Label],
        };
        assert!(
            matches!(f.on_key(k(KeyCode::Char('m'))), FormOutcome::KeepMine(b) if b.name == "Mobile!")
        );
        assert_eq!(
            f.on_key(k(KeyCode::Char('t'))),
            FormOutcome::KeepTheirs(Box::new(theirs))
        );
        assert_eq!(f.label.text(), "Jo's");
    }

    #[test]
    fn merge3_per_field() {
        let f = |l: &str, v: &str, o: &[&str], p: &[&str]| Fields {
            label: l.into(),
            value: v.into(),
            owners: o.iter().map(|s| s.to_string()).collect(),
            primaries: p.iter().map(|s| s.to_string()).collect(),
            primaries_unknown: false,
        };
        let base = f("A", "1", &["c1", "c2"], &["c2"]);
        // Only mine changed label; only theirs changed value; owners reordered is no change.
        let mine = f("B", "1", &["c2", "c1"], &["c2"]);
        let theirs = f("A", "2", &["c1", "c2"], &["c1"]);
        let (m, both) = merge3(&base, &mine, &theirs);
        assert!(both.is_empty());
        assert_eq!(
            (m.label.as_str(), m.value.as_str(), m.primaries.clone()),
            ("B", "2", vec!["c1".to_string()])
        );
        // Both changed label differently, and both changed value to the same: only label asked.
        let mine = f("B", "2", &["c1", "c2"], &["c2"]);
        let theirs = f("C", "2", &["c1"], &["c2"]);
        let (m, both) = merge3(&base, &mine, &theirs);
        assert_eq!(both, vec![Field::Label]);
        assert_eq!(m.label, "B");
        assert_eq!(m.owners, vec!["c1".to_string()]);
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
