//! Is an answer really the record asked for, and does a write's answer show what was sent? A 200
//! of `{}`, `[]` or `{"data":{}}` decodes to an empty record; taking it as the record (or as a
//! saved write) showed nothing forever, or said "Saved" while the server stored nothing.
use crate::api::error::ApiError;
use crate::render::sanitize;

use super::models::{ContactDetail, ContactDetailWrite, ContactValue, Mailbox, MailboxUpdate};

/// The answer to a read of one record must carry a uuid (`want`: that one).
pub(super) fn record(uuid: &str, want: Option<&str>, what: &str) -> Result<(), ApiError> {
    let ok = !uuid.is_empty() && want.is_none_or(|w| w == uuid);
    if ok {
        Ok(())
    } else {
        Err(ApiError::Decode {
            detail: format!("the answer is not the {what} asked for"),
            excerpt: String::new(),
        })
    }
}

/// Text as the server will show it back: sanitised, trimmed, spaces collapsed.
fn norm(s: &str) -> String {
    sanitize::line(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn unconfirmed(what: &str) -> ApiError {
    ApiError::Unconfirmed {
        what: what.to_string(),
    }
}

/// A rename is saved when the answer is the conversation, with the new name.
pub(super) fn renamed(uuid: &str, want_uuid: &str, name: &str, sent: &str) -> Result<(), ApiError> {
    if uuid != want_uuid || norm(name) != norm(sent) {
        return Err(unconfirmed("the new name"));
    }
    Ok(())
}

/// A mailbox update is saved when the answer is the mailbox with every field that was sent.
pub(super) fn mailbox(m: &Mailbox, uuid: &str, sent: &MailboxUpdate) -> Result<(), ApiError> {
    if m.uuid != uuid {
        return Err(unconfirmed("the mailbox"));
    }
    if let Some(name) = &sent.name
        && norm(&m.name) != norm(name)
    {
        return Err(unconfirmed("the new name"));
    }
    if let Some(enabled) = sent.enabled
        && m.enabled != Some(enabled)
    {
        return Err(unconfirmed(if enabled {
            "the mailbox enabled"
        } else {
            "the mailbox disabled"
        }));
    }
    Ok(())
}

/// Letters and digits only, lower case: how an email or phone compares after the server has
/// formatted it (`07700 900553` = `07700900553`, `A@B.com` = `a@b.com`).
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || *c == '@' || *c == '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A contact detail write is saved when the answer is the detail (`uuid`: that one) with the
/// label and value sent.
pub(super) fn contact_detail(
    d: &ContactDetail,
    uuid: Option<&str>,
    sent: &ContactDetailWrite,
) -> Result<(), ApiError> {
    if d.uuid.is_empty() || uuid.is_some_and(|u| u != d.uuid) {
        return Err(unconfirmed("the contact detail"));
    }
    if norm(&d.name) != norm(&sent.name) {
        return Err(unconfirmed("the new label"));
    }
    // A phone number is shown back formatted, maybe with its country code in front of the
    // national number: the digits sent, less a trunk 0, end the digits shown.
    let same_phone = |sent: &str| {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let want = digits(sent);
        let want = want.trim_start_matches('0');
        !want.is_empty() && digits(&d.value).ends_with(want)
    };
    let value_ok = match &sent.value {
        ContactValue::Text(t) if t.contains('@') => key(&d.value) == key(t),
        ContactValue::Text(t) => key(&d.value) == key(t) || same_phone(t),
        ContactValue::Intl { number, .. } => same_phone(number),
    };
    if !value_ok {
        return Err(unconfirmed("the new value"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_or_other_records_are_not_the_answer() {
        assert!(record("", None, "message").is_err());
        assert!(record("b", Some("a"), "message").is_err());
        assert!(record("a", Some("a"), "message").is_ok());
        assert!(renamed("c", "c", " New  name ", "New name").is_ok());
        assert!(renamed("c", "c", "Old name", "New name").is_err());
        assert!(renamed("", "c", "New name", "New name").is_err());
    }

    #[test]
    fn contact_values_compare_as_the_server_formats_them() {
        let sent = ContactDetailWrite {
            kind: None,
            name: "Mobile".into(),
            value: ContactValue::Text("07700900553".into()),
            is_primary: None,
            account_uuids: vec![],
            primary_account_uuids: None,
        };
        let mut d = ContactDetail {
            uuid: "u".into(),
            name: "Mobile".into(),
            value: "07700 900553".into(),
            ..ContactDetail::default()
        };
        assert!(contact_detail(&d, Some("u"), &sent).is_ok());
        d.value = "07700 900554".into();
        assert!(contact_detail(&d, Some("u"), &sent).is_err());
        let intl = ContactDetailWrite {
            value: ContactValue::Intl {
                country: "AU".into(),
                number: "02 3456 7890".into(),
            },
            ..sent.clone()
        };
        d.value = "+61 2 3456 7890".into();
        assert!(contact_detail(&d, Some("u"), &intl).is_ok());
        assert!(contact_detail(&ContactDetail::default(), None, &sent).is_err());
    }
}
