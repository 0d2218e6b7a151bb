//! Plannr resources as the client uses them. Unknown fields are ignored, optional fields are
//! optional, and every string is sanitised as it is decoded (see `de`).
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::api::de;
use crate::api::page::Page;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Firm {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
}

/// An account (client, employee, external). Used for clients, owners, participants and authors.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Account {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(rename = "type", deserialize_with = "de::line")]
    pub kind: String,
    #[serde(deserialize_with = "de::line")]
    pub role: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
    #[serde(deserialize_with = "de::line")]
    pub first_name: String,
    #[serde(deserialize_with = "de::line")]
    pub last_name: String,
    #[serde(deserialize_with = "de::line")]
    pub email: String,
    #[serde(deserialize_with = "de::lenient")]
    pub primary_email: Option<Box<ContactDetail>>,
    #[serde(deserialize_with = "de::lenient")]
    pub primary_phone_number: Option<Box<ContactDetail>>,
}

impl Account {
    /// The best name to show: `name`, else first + last, else the uuid.
    pub fn display_name(&self) -> String {
        if !self.name.trim().is_empty() {
            return self.name.clone();
        }
        let joined = format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string();
        if joined.is_empty() {
            self.uuid.clone()
        } else {
            joined
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Login {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::opt_bool")]
    pub primary: Option<bool>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub has_write_permission: Option<bool>,
    #[serde(deserialize_with = "de::line")]
    pub email: String,
    #[serde(deserialize_with = "de::lenient")]
    pub account: Option<Account>,
    #[serde(deserialize_with = "de::lenient")]
    pub firm: Option<Firm>,
    #[serde(deserialize_with = "de::opt_line")]
    pub preferred_account_uuid: Option<String>,
}

/// `GET /api/v1/logins`: the logins plus `preferred_account_uuid` wherever it was found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Logins {
    pub logins: Vec<Login>,
    pub preferred_account_uuid: Option<String>,
}

impl<'de> Deserialize<'de> for Logins {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let top_pref = v
            .get("preferred_account_uuid")
            .and_then(|p| p.as_str())
            .map(crate::render::sanitize::line);
        let page: Page<Login> = Page::try_from_value(v).map_err(serde::de::Error::custom)?;
        let preferred_account_uuid = top_pref.or_else(|| {
            page.items
                .iter()
                .find_map(|l| l.preferred_account_uuid.clone())
        });
        Ok(Logins {
            logins: page.items,
            preferred_account_uuid,
        })
    }
}

impl Logins {
    /// The account to act as without asking: the preferred one, or the only one.
    pub fn automatic_choice(&self) -> Option<String> {
        let accounts: Vec<&Account> = self
            .logins
            .iter()
            .filter_map(|l| l.account.as_ref())
            .collect();
        if let Some(p) = &self.preferred_account_uuid
            && accounts.iter().any(|a| &a.uuid == p)
        {
            return Some(p.clone());
        }
        match accounts.as_slice() {
            [only] => Some(only.uuid.clone()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Me {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
    #[serde(deserialize_with = "de::line")]
    pub email: String,
    #[serde(deserialize_with = "de::lenient")]
    pub current_account: Option<Account>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Mailbox {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
    #[serde(rename = "type", deserialize_with = "de::line")]
    pub kind: String,
    #[serde(deserialize_with = "de::line")]
    pub email: String,
    #[serde(deserialize_with = "de::line")]
    pub state: String,
    #[serde(deserialize_with = "de::opt_bool")]
    pub enabled: Option<bool>,
    /// The number of messages synced by this mailbox (`message_count`, singular, in seed 000;
    /// `messages_count` is accepted too).
    #[serde(alias = "messages_count", deserialize_with = "de::opt_u64")]
    pub message_count: Option<u64>,
    #[serde(deserialize_with = "de::line")]
    pub updated_at: String,
    /// The account that created the mailbox (firm owners see every mailbox: this says whose).
    /// `None` when absent, or when it carries no name or uuid (the docs print a schema blob).
    #[serde(deserialize_with = "de::lenient")]
    pub created_by: Option<Box<Account>>,
}

impl Mailbox {
    pub fn is_enabled(&self) -> bool {
        self.enabled.unwrap_or(true)
    }
    /// Who created it, as a person reads it; `None` when the answer did not say.
    pub fn owner_name(&self) -> Option<String> {
        self.created_by
            .as_ref()
            .map(|a| a.display_name())
            .filter(|n| !n.trim().is_empty())
    }
}

/// Body of `PUT /api/v1/mailboxes/{uuid}`: only the changed fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MailboxUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(default)]
pub struct Participant {
    /// from / to / cc / bcc / reply_to / anything else the server invents.
    #[serde(rename = "type", deserialize_with = "de::line")]
    pub kind: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
    #[serde(deserialize_with = "de::line")]
    pub email: String,
}

impl Participant {
    pub fn display(&self) -> String {
        match (self.name.trim().is_empty(), self.email.trim().is_empty()) {
            (false, false) => format!("{} <{}>", self.name, self.email),
            (false, true) => self.name.clone(),
            _ => self.email.clone(),
        }
    }
}

/// An email attachment or a conversation file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Attachment {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
    #[serde(deserialize_with = "de::line")]
    pub filename: String,
    #[serde(deserialize_with = "de::line")]
    pub extension: String,
    #[serde(deserialize_with = "de::opt_u64")]
    pub size: Option<u64>,
    #[serde(deserialize_with = "de::opt_line")]
    pub download_url: Option<String>,
    /// The MIME type (`application/pdf` in seed 001).
    #[serde(rename = "type", deserialize_with = "de::line")]
    pub kind: String,
    /// Where the file stands on Plannr's side (`uploaded` in seed 001). `None`: not said.
    #[serde(deserialize_with = "de::opt_line")]
    pub status: Option<String>,
}

impl Attachment {
    /// Whether the file can be downloaded: no status said, or one that means it is stored.
    /// Anything else (`pending`, `uploading`, `failed`, …) is not fetched.
    pub fn is_ready(&self) -> bool {
        match self.status.as_deref().map(str::trim) {
            None | Some("") => true,
            Some(s) => [
                "uploaded",
                "ready",
                "complete",
                "completed",
                "available",
                "stored",
            ]
            .iter()
            .any(|ok| s.eq_ignore_ascii_case(ok)),
        }
    }
    pub fn display_name(&self) -> &str {
        if !self.name.is_empty() {
            &self.name
        } else if !self.filename.is_empty() {
            &self.filename
        } else {
            &self.uuid
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct EmailMessage {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::line")]
    pub created_at: String,
    #[serde(deserialize_with = "de::line")]
    pub message_created_at: String,
    #[serde(deserialize_with = "de::line")]
    pub subject: String,
    #[serde(deserialize_with = "de::opt_bool")]
    pub incoming: Option<bool>,
    #[serde(deserialize_with = "de::opt_block")]
    pub text: Option<String>,
    /// Sanitised of controls like every string; still HTML, converted by `render::html`.
    #[serde(deserialize_with = "de::opt_markup")]
    pub html: Option<String>,
    #[serde(deserialize_with = "de::opt_u64")]
    pub thread_count: Option<u64>,
    /// Boxed: 176 bytes inline in every message a long thread keeps, present or not.
    #[serde(deserialize_with = "de::lenient")]
    pub mailbox: Option<Box<Mailbox>>,
    /// Shared: a thread keeps one copy of each distinct list (`Thread::keep`).
    #[serde(deserialize_with = "de::one_or_many_shared")]
    pub participants: Arc<[Participant]>,
    #[serde(deserialize_with = "de::one_or_many")]
    pub attachments: Vec<Attachment>,
    /// Boxed (only the opened message has them): inline, the two pages were a third of every
    /// message a long thread keeps.
    #[serde(deserialize_with = "half_page")]
    pub ancestors: Option<Box<Page<EmailMessage>>>,
    #[serde(deserialize_with = "half_page")]
    pub descendants: Option<Box<Page<EmailMessage>>>,
}

impl EmailMessage {
    /// The sender: the first `from` participant.
    pub fn from(&self) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.kind.eq_ignore_ascii_case("from"))
    }
    /// Sort key: when the mail was sent, falling back to when Plannr stored it.
    pub fn sort_key(&self) -> &str {
        if self.message_created_at.is_empty() {
            &self.created_at
        } else {
            &self.message_created_at
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Tag {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
    #[serde(deserialize_with = "de::line")]
    pub colour: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ConversationMessage {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    /// Plain text or HTML (converted by `render::html` when it looks like HTML).
    #[serde(deserialize_with = "de::opt_markup")]
    pub contents: Option<String>,
    #[serde(deserialize_with = "de::line")]
    pub created_at: String,
    #[serde(deserialize_with = "de::opt_bool")]
    pub edited: Option<bool>,
    #[serde(deserialize_with = "de::lenient")]
    pub author: Option<Account>,
    #[serde(deserialize_with = "de::one_or_many")]
    pub files: Vec<Attachment>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Conversation {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
    #[serde(deserialize_with = "de::line")]
    pub created_at: String,
    #[serde(deserialize_with = "de::line")]
    pub updated_at: String,
    #[serde(deserialize_with = "de::opt_bool")]
    pub pinned: Option<bool>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub is_admin: Option<bool>,
    #[serde(deserialize_with = "de::one_or_many")]
    pub participants: Vec<Account>,
    #[serde(deserialize_with = "de::opt_u64")]
    pub participants_count: Option<u64>,
    #[serde(deserialize_with = "de::lenient")]
    pub latest_message: Option<ConversationMessage>,
    #[serde(deserialize_with = "de::opt_u64")]
    pub messages_count: Option<u64>,
    #[serde(deserialize_with = "de::one_or_many")]
    pub tags: Vec<Tag>,
    /// Whether the conversation belongs to a case (seed 002).
    #[serde(deserialize_with = "de::opt_bool")]
    pub belongs_to_case: Option<bool>,
    /// The case, when included (seed 002 prints one).
    #[serde(deserialize_with = "de::lenient")]
    pub case: Option<Case>,
}

/// A case a conversation belongs to (only what the client shows).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Case {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    #[serde(deserialize_with = "de::line")]
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct PhoneMeta {
    #[serde(deserialize_with = "de::line")]
    pub country: String,
    #[serde(deserialize_with = "de::line")]
    pub formatted: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ContactDetail {
    #[serde(deserialize_with = "de::line")]
    pub uuid: String,
    /// `email` or `phone_number`.
    #[serde(rename = "type", deserialize_with = "de::line")]
    pub kind: String,
    /// The label, e.g. "Work phone".
    #[serde(deserialize_with = "de::line")]
    pub name: String,
    #[serde(deserialize_with = "de::line")]
    pub value: String,
    #[serde(deserialize_with = "de::lenient")]
    pub phone_number_meta: Option<PhoneMeta>,
    /// Owners. `None`: the answer did not carry them (not `include`d) — unknown, never "none".
    /// Plannr prints an object for a single owner (seed 004) or an array.
    #[serde(deserialize_with = "de::opt_many")]
    pub accounts: Option<Vec<Account>>,
    /// Accounts that have this as their primary. `None`: unknown (absent from the answer, as in
    /// seed 004's PUT answer) — must never be read as "no primaries".
    #[serde(deserialize_with = "de::opt_many")]
    pub primary_accounts: Option<Vec<Account>>,
    #[serde(deserialize_with = "de::line")]
    pub created_at: String,
    #[serde(deserialize_with = "de::line")]
    pub updated_at: String,
}

impl ContactDetail {
    pub fn is_email(&self) -> bool {
        self.kind == "email"
    }
    /// The value as a person reads it (phones formatted when the server formatted them).
    pub fn display_value(&self) -> &str {
        match &self.phone_number_meta {
            Some(m) if !m.formatted.is_empty() => &m.formatted,
            _ => &self.value,
        }
    }
    pub fn is_primary_for(&self, account_uuid: &str) -> bool {
        self.primaries().iter().any(|a| a.uuid == account_uuid)
    }
    /// The owners as far as known (empty when unknown: check `accounts.is_some()` first).
    pub fn owners(&self) -> &[Account] {
        self.accounts.as_deref().unwrap_or(&[])
    }
    /// The primaries as far as known (empty when unknown: check `primary_accounts.is_some()`).
    pub fn primaries(&self) -> &[Account] {
        self.primary_accounts.as_deref().unwrap_or(&[])
    }
    /// This answer laid over the copy held before: every field the answer left out (unknown)
    /// keeps the held value. A field missing from an answer never blanks what the user has.
    pub fn over(mut self, held: &ContactDetail) -> ContactDetail {
        if self.accounts.is_none() {
            self.accounts = held.accounts.clone();
        }
        if self.primary_accounts.is_none() {
            self.primary_accounts = held.primary_accounts.clone();
        }
        if self.phone_number_meta.is_none() && self.value == held.value {
            self.phone_number_meta = held.phone_number_meta.clone();
        }
        for (mine, old) in [
            (&mut self.kind, &held.kind),
            (&mut self.name, &held.name),
            (&mut self.value, &held.value),
            (&mut self.created_at, &held.created_at),
            (&mut self.updated_at, &held.updated_at),
        ] {
            if mine.is_empty() {
                *mine = old.clone();
            }
        }
        self
    }
}

/// A contact-detail value: a plain string, or `{country, number}` for non-UK phones.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ContactValue {
    Text(String),
    Intl { country: String, number: String },
}

/// Body of `POST /api/v2/contact-details` (with `kind`) and `PUT /api/v2/contact-details/{uuid}`
/// (without: the type cannot change). Owners are always sent in full; primaries in full whenever
/// they are known — `None` (field left out, Plannr keeps what it has) only when the client never
/// learnt them, so an unknown list is never sent as "no primaries".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactDetailWrite {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub name: String,
    pub value: ContactValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_primary: Option<bool>,
    pub account_uuids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_account_uuids: Option<Vec<String>>,
}

/// Query of `GET /api/v1/client/{uuid}/emails`.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailQuery {
    pub search: Option<String>,
    pub incoming: Option<bool>,
    pub page: u32,
    pub per_page: u32,
}

/// Query of `GET /api/v1/mailboxes/message/{uuid}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreadQuery {
    pub per_page: u32,
    pub page_ancestors: u32,
    pub page_descendants: u32,
}

/// `filter[archived]` of the conversation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Archived {
    #[default]
    Active,
    Only,
    With,
}

impl Archived {
    pub fn as_param(self) -> &'static str {
        match self {
            Archived::Active => "false",
            Archived::Only => "only",
            Archived::With => "with",
        }
    }
}

/// A half of a thread: absent or null is unknown (`None`); anything else is decoded as tolerantly
/// as a page can be (the documented answer shows a schema blob here, which is an empty, complete
/// half). The message itself is what must be well-formed; see `Client::message_thread`.
fn half_page<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Box<Page<EmailMessage>>>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => None,
        v => Some(Box::new(Page::from_value(v))),
    })
}
