//! Drafts of contact forms, kept on disk so nothing typed is lost (quit, crash, network failure).
//! One JSON file per record (`detail-<uuid>`) or per client's new detail (`new-<client uuid>`), in
//! the platform data dir (`drafts/`) unless `Settings::drafts_dir` says otherwise. This file holds
//! the draft format only: the pure `update` never touches files, it emits `Command::WriteDraft` /
//! `DeleteDraft` / `LoadDrafts`, which the worker runs (`worker::drafts`, off the UI thread).

use serde::{Deserialize, Serialize};

use super::validate::Kind;
use crate::app::rename::RenameDraft;

pub const DRAFT_VERSION: u32 = 1;

/// A form's fields, as typed or as the server had them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fields {
    pub label: String,
    pub value: String,
    pub owners: Vec<String>,
    pub primaries: Vec<String>,
    /// The server never said who has it as primary (the answer left `primary_accounts` out) and
    /// the user has not ticked any: `primaries` is "unknown", not "none".
    pub primaries_unknown: bool,
}

impl Fields {
    /// The fields of a server copy. What the copy leaves out (owners, primaries not included) is
    /// taken from `fallback`: a field missing from an answer is unknown, never empty.
    pub fn of_detail(d: &crate::api::models::ContactDetail, fallback: Option<&Fields>) -> Fields {
        let uuids = |l: &[crate::api::models::Account]| -> Vec<String> {
            l.iter().map(|a| a.uuid.clone()).collect()
        };
        let (owners, (primaries, primaries_unknown)) = (
            match (&d.accounts, fallback) {
                (Some(a), _) => uuids(a),
                (None, Some(f)) => f.owners.clone(),
                (None, None) => Vec::new(),
            },
            match (&d.primary_accounts, fallback) {
                (Some(p), _) => (uuids(p), false),
                (None, Some(f)) => (f.primaries.clone(), f.primaries_unknown),
                (None, None) => (Vec::new(), true),
            },
        );
        Fields {
            label: d.name.clone(),
            value: super::validate::value_for_editing(d),
            owners,
            primaries,
            primaries_unknown,
        }
    }
}

/// Everything needed to reopen a form exactly where it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub version: u32,
    pub key: String,
    pub client_uuid: String,
    pub client_name: String,
    /// None for a detail not created yet.
    pub detail_uuid: Option<String>,
    pub kind: Kind,
    /// What the user typed.
    pub fields: Fields,
    /// The server's copy when the form opened (None for a new detail).
    pub base: Option<Fields>,
    /// `updated_at` of the server's copy when the form opened (the conflict check compares it).
    pub base_updated_at: String,
    /// Names of the accounts offered as owners: (uuid, name).
    pub accounts: Vec<(String, String)>,
}

impl Draft {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Decode a draft file; strings are sanitised like anything else read from outside.
    pub fn from_json(s: &str) -> Result<Draft, String> {
        let mut d: Draft = serde_json::from_str(s).map_err(|e| e.to_string())?;
        if d.version != DRAFT_VERSION {
            return Err(format!("unknown draft version {}", d.version));
        }
        let clean = crate::render::sanitize::line;
        let clean_fields = |f: &mut Fields| {
            f.label = clean(&f.label);
            f.value = clean(&f.value);
        };
        clean_fields(&mut d.fields);
        if let Some(b) = d.base.as_mut() {
            clean_fields(b);
        }
        d.client_name = clean(&d.client_name);
        for (_, name) in d.accounts.iter_mut() {
            *name = clean(name);
        }
        Ok(d)
    }
}

pub fn key_for_detail(uuid: &str) -> String {
    format!("detail-{uuid}")
}

pub fn key_for_new(client_uuid: &str) -> String {
    format!("new-{client_uuid}")
}

/// A file name that is safe whatever the key holds: `[A-Za-z0-9-]` kept, anything else `_xx` hex.
pub fn file_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 5);
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    out.truncate(200);
    out.push_str(".json");
    out
}

/// What the worker reports back about drafts.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftEvent {
    /// The drafts found at start.
    Loaded {
        drafts: Vec<Draft>,
        /// Rename drafts (failed or unsaved renames from last time), for the mailbox and
        /// conversation panes.
        renames: Vec<RenameDraft>,
        problems: Vec<String>,
    },
    /// A write or delete failed: the draft is only in memory.
    Failed { key: String, message: String },
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample(key: &str) -> Draft {
        Draft {
            version: DRAFT_VERSION,
            key: key.into(),
            client_uuid: "c1".into(),
            client_name: "Gareth Thompson".into(),
            detail_uuid: Some("d1".into()),
            kind: Kind::Phone,
            fields: Fields {
                label: "Mobile ✓".into(),
                value: "07700 900123".into(),
                owners: vec!["c1".into(), "c2".into()],
                primaries: vec!["c2".into()],
                primaries_unknown: false,
            },
            base: Some(Fields {
                label: "Mobile".into(),
                value: "+447700900000".into(),
                ..Fields::default()
            }),
            base_updated_at: "2025-07-17T16:23:26+01:00".into(),
            accounts: vec![
                ("c1".into(), "Gareth Thompson".into()),
                ("c2".into(), "Jo Thompson".into()),
            ],
        }
    }

    #[test]
    fn hostile_keys_and_contents_are_tamed() {
        assert_eq!(file_name("detail-abc-123"), "detail-abc-123.json");
        assert_eq!(file_name("../x/y"), "_2e_2e_2fx_2fy.json");
        let mut d = sample("detail-d1");
        d.fields.label = "evil\u{1b}[31mred".into();
        let back = Draft::from_json(&d.to_json()).unwrap();
        assert_eq!(back.fields.label, "evilred");
        let mut v = d.clone();
        v.version = 99;
        assert!(Draft::from_json(&v.to_json()).is_err());
    }
}
