//! The inline contact-detail form: label and value (`InlineEditor`s), owners and primary-for
//! (multi-selects over the offered accounts), `type` read-only. Tab/Shift-Tab move between fields,
//! Enter or Ctrl-S saves, Esc leaves (asking first when something changed). The save itself —
//! conflict check, PUT/POST, 422 — is driven by the pane; this is the state and its keys.
//!
//! By concern: `merge` (fields, the three-way merge, rebasing on a fresh server copy), `keys`
//! (what each key does), `owners` (the accounts offered as owners / primaries).
use super::drafts::{DRAFT_VERSION, Draft, Fields, key_for_detail, key_for_new};
use super::validate::{FieldErrors, Kind, build_body};
use crate::api::models::{ContactDetail, ContactDetailWrite};
use crate::app::editor::InlineEditor;

mod keys;
mod merge;
mod owners;
#[cfg(test)]
mod tests;

use merge::same_set;
pub use merge::{Field, merge3};
pub use owners::Linked;
use owners::offered;

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
    /// Accounts offered as owners / primaries: (uuid, name). The client is always first; the
    /// linked clients offered only because Plannr lists them as linked (`linked_only`) last.
    pub accounts: Vec<(String, String)>,
    /// What Plannr said about the client's linked clients (see `owners::Linked`).
    pub linked: Linked,
    /// The accounts offered only as linked clients (the section after the others).
    pub linked_only: Vec<String>,
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
            linked: Linked::default(),
            linked_only: Vec::new(),
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
}
