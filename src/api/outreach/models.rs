//! Outreach resources decoded from JSON:API documents. Every attribute is nullable in Outreach's
//! schema and sparse fieldsets leave attributes out, so each one is [`Known`]: absent (unknown),
//! null, or a value. Text is sanitised here, once; `bodyHtml` stays HTML for `render::html`.
//! Write-only attributes (`password`, `smtpPassword`, `sendgridApiKey`, …) have no field at all.
use serde_json::{Map, Value};

use crate::render::sanitize;

/// An attribute as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Known<T> {
    /// Not in the answer (not asked for, or not sent): unknown, never "empty".
    #[default]
    Missing,
    /// Sent as `null`.
    Null,
    Set(T),
}

impl<T> Known<T> {
    pub fn get(&self) -> Option<&T> {
        match self {
            Known::Set(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Known::Missing)
    }

    fn from_attr(attrs: &Map<String, Value>, k: &str, f: impl Fn(&Value) -> Option<T>) -> Self {
        match attrs.get(k) {
            None => Known::Missing,
            Some(Value::Null) => Known::Null,
            // A value of the wrong type is as good as not sent.
            Some(v) => f(v).map(Known::Set).unwrap_or(Known::Missing),
        }
    }
}

impl<T: Copy> Known<T> {
    pub fn copied(&self) -> Option<T> {
        self.get().copied()
    }
}

fn line(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(sanitize::line(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An ISO 8601 date-time as unix seconds.
pub fn parse_time(s: &str) -> Option<i64> {
    crate::api::http::parse_instant(s)
}

fn when(v: &Value) -> Option<i64> {
    v.as_str().and_then(parse_time)
}

/// `id` is an integer in Outreach's schema; a numeric string is tolerated.
pub fn resource_id(v: &Value) -> Option<i64> {
    v.get("id").and_then(int)
}

fn attrs(v: &Value) -> Map<String, Value> {
    v.get("attributes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The id of a to-one relationship (`relationships.<name>.data.id`).
fn rel_id(v: &Value, name: &str) -> Option<i64> {
    v.get("relationships")?
        .get(name)?
        .get("data")
        .and_then(|d| d.get("id"))
        .and_then(int)
}

/// `included` resources of one type, by id.
fn included<'a>(doc: &'a Value, kind: &str) -> impl Iterator<Item = (i64, &'a Value)> + 'a {
    let kind = kind.to_string();
    doc.get("included")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |r| r.get("type").and_then(Value::as_str) == Some(kind.as_str()))
        .filter_map(|r| resource_id(r).map(|id| (id, r)))
}

/// "First Last" of a person resource, else its email.
fn person_name(r: &Value) -> Option<String> {
    let a = attrs(r);
    let part = |k: &str| a.get(k).and_then(line).filter(|s| !s.trim().is_empty());
    let name = [part("firstName"), part("lastName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        part("email")
    } else {
        Some(name)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mailbox {
    pub id: i64,
    pub email: Known<String>,
    pub provider: Known<String>,
    /// The owning user's id (`relationships.user`, else `userId`).
    pub owner_id: Option<i64>,
    /// The owner's name from `included` users (None: not included).
    pub owner: Option<String>,
    pub editable: Known<bool>,
    pub send_disabled: Known<bool>,
    pub sync_disabled: Known<bool>,
    pub send_success_at: Known<i64>,
    pub send_errored_at: Known<i64>,
    pub sync_success_at: Known<i64>,
    pub sync_errored_at: Known<i64>,
    pub sync_finished_at: Known<i64>,
    pub max_mailings_per_day: Known<i64>,
}

impl Mailbox {
    /// One resource object of a document whose `included` may name its owner.
    pub fn from_resource(r: &Value, doc: &Value) -> Option<Mailbox> {
        let id = resource_id(r)?;
        let a = attrs(r);
        let owner_id = rel_id(r, "user").or_else(|| a.get("userId").and_then(int));
        let owner = owner_id.and_then(|oid| {
            included(doc, "user")
                .find(|(id, _)| *id == oid)
                .and_then(|(_, u)| person_name(u))
        });
        Some(Mailbox {
            id,
            email: Known::from_attr(&a, "email", line),
            provider: Known::from_attr(&a, "emailProvider", line),
            owner_id,
            owner,
            editable: Known::from_attr(&a, "editable", boolean),
            send_disabled: Known::from_attr(&a, "sendDisabled", boolean),
            sync_disabled: Known::from_attr(&a, "syncDisabled", boolean),
            send_success_at: Known::from_attr(&a, "sendSuccessAt", when),
            send_errored_at: Known::from_attr(&a, "sendErroredAt", when),
            sync_success_at: Known::from_attr(&a, "syncSuccessAt", when),
            sync_errored_at: Known::from_attr(&a, "syncErroredAt", when),
            sync_finished_at: Known::from_attr(&a, "syncFinishedAt", when),
            max_mailings_per_day: Known::from_attr(&a, "maxMailingsPerDay", int),
        })
    }

    /// Keep what `newer` does not know (a PATCH answer has no `included` owner).
    pub fn merge_from(&mut self, newer: Mailbox) {
        let owner = self.owner.take();
        let owner_id = self.owner_id;
        macro_rules! keep {
            ($($f:ident),*) => {$(
                if !newer.$f.is_missing() { self.$f = newer.$f; }
            )*};
        }
        keep!(
            email,
            provider,
            editable,
            send_disabled,
            sync_disabled,
            send_success_at,
            send_errored_at,
            sync_success_at,
            sync_errored_at,
            sync_finished_at,
            max_mailings_per_day
        );
        self.owner_id = newer.owner_id.or(owner_id);
        self.owner = newer.owner.or(owner);
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mailing {
    pub id: i64,
    pub subject: Known<String>,
    pub state: Known<String>,
    pub mailing_type: Known<String>,
    pub mailbox_address: Known<String>,
    /// The prospect's name from `included` (None: not included or unnamed).
    pub recipient: Option<String>,
    pub prospect_id: Option<i64>,
    pub created_at: Known<i64>,
    pub delivered_at: Known<i64>,
    pub opened_at: Known<i64>,
    pub replied_at: Known<i64>,
    pub bounced_at: Known<i64>,
    pub error_reason: Known<String>,
    /// Controls removed; still HTML, converted by `render::html` like Plannr mail.
    pub body_html: Known<String>,
    pub body_text: Known<String>,
}

impl Mailing {
    pub fn from_resource(r: &Value, doc: &Value) -> Option<Mailing> {
        let id = resource_id(r)?;
        let a = attrs(r);
        let prospect_id = rel_id(r, "prospect");
        let recipient = prospect_id.and_then(|pid| {
            included(doc, "prospect")
                .find(|(id, _)| *id == pid)
                .and_then(|(_, p)| person_name(p))
        });
        let block = |v: &Value| v.as_str().map(sanitize::block);
        Some(Mailing {
            id,
            subject: Known::from_attr(&a, "subject", line),
            state: Known::from_attr(&a, "state", line),
            mailing_type: Known::from_attr(&a, "mailingType", line),
            mailbox_address: Known::from_attr(&a, "mailboxAddress", line),
            recipient,
            prospect_id,
            created_at: Known::from_attr(&a, "createdAt", when),
            delivered_at: Known::from_attr(&a, "deliveredAt", when),
            opened_at: Known::from_attr(&a, "openedAt", when),
            replied_at: Known::from_attr(&a, "repliedAt", when),
            bounced_at: Known::from_attr(&a, "bouncedAt", when),
            error_reason: Known::from_attr(&a, "errorReason", line),
            body_html: Known::from_attr(&a, "bodyHtml", block),
            body_text: Known::from_attr(&a, "bodyText", block),
        })
    }
}

/// One page of a collection: the items and `links.next` exactly as sent (None: the last page).
#[derive(Debug, Clone, PartialEq)]
pub struct CursorPage<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    /// `meta.count`, only when counting was asked for.
    pub count: Option<u64>,
}

/// Decode a collection document with `f` per resource; resources that do not decode are skipped.
pub fn collection<T>(
    doc: &Value,
    f: impl Fn(&Value, &Value) -> Option<T>,
) -> Result<CursorPage<T>, String> {
    let data = doc
        .get("data")
        .and_then(Value::as_array)
        .ok_or("no data array")?;
    let items = data.iter().filter_map(|r| f(r, doc)).collect();
    let next = doc
        .get("links")
        .and_then(|l| l.get("next"))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string);
    let count = doc
        .get("meta")
        .and_then(|m| m.get("count"))
        .and_then(Value::as_u64);
    Ok(CursorPage { items, next, count })
}

/// Decode a single-resource document.
pub fn single<T>(doc: &Value, f: impl Fn(&Value, &Value) -> Option<T>) -> Result<T, String> {
    let data = doc
        .get("data")
        .filter(|d| d.is_object())
        .ok_or("no data object")?;
    f(data, doc).ok_or_else(|| "the resource has no integer id".to_string())
}

/// The only mailbox attributes this client ever writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailboxToggle {
    SendDisabled(bool),
    SyncDisabled(bool),
}

impl MailboxToggle {
    /// `{data: {type: "mailbox", id, attributes: {<only this attribute>}}}`.
    pub fn body(self, id: i64) -> Value {
        let (k, v) = match self {
            MailboxToggle::SendDisabled(v) => ("sendDisabled", v),
            MailboxToggle::SyncDisabled(v) => ("syncDisabled", v),
        };
        serde_json::json!({ "data": { "type": "mailbox", "id": id, "attributes": { k: v } } })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attributes_are_missing_null_or_set() {
        let doc = json!({
            "data": [{ "type": "mailbox", "id": "7", "attributes": {
                "email": "a\u{1b}[31m@x", "sendSuccessAt": null, "syncSuccessAt": "2025-01-02T03:04:05.000Z",
                "sendDisabled": "yes" },
                "relationships": { "user": { "data": { "type": "user", "id": 3 } } } }],
            "included": [{ "type": "user", "id": 3, "attributes": { "firstName": "Ann", "lastName": null } }],
            "links": { "next": null }
        });
        let page = collection(&doc, Mailbox::from_resource).unwrap();
        let m = &page.items[0];
        assert_eq!(m.id, 7);
        assert_eq!(m.email, Known::Set(sanitize::line("a\u{1b}[31m@x")));
        assert_eq!(m.send_success_at, Known::Null);
        assert_eq!(m.sync_success_at, Known::Set(1_735_787_045));
        assert_eq!(m.send_errored_at, Known::Missing);
        assert_eq!(
            m.send_disabled,
            Known::Missing,
            "a wrongly typed value is unknown"
        );
        assert_eq!(m.owner.as_deref(), Some("Ann"));
        assert_eq!(page.next, None);
        assert!(!m.email.get().is_some_and(|e| e.contains('\u{1b}')));
    }

    #[test]
    fn toggle_bodies_carry_only_the_changed_attribute() {
        assert_eq!(
            MailboxToggle::SyncDisabled(true).body(42),
            json!({ "data": { "type": "mailbox", "id": 42, "attributes": { "syncDisabled": true } } })
        );
    }

    #[test]
    fn times_with_and_without_offsets() {
        assert_eq!(parse_time("2017-01-01T00:00:00"), Some(1_483_228_800));
        assert_eq!(parse_time("2017-01-01T00:00:00.000Z"), Some(1_483_228_800));
        assert_eq!(parse_time("2017-01-01T01:00:00+01:00"), Some(1_483_228_800));
        assert_eq!(parse_time("yesterday"), None);
    }
}
