//! Every example response in shared/plannr-api.md decodes, including the documentation artefacts.
use plannr_tui::api::models::*;
use plannr_tui::api::{ApiError, Page};

#[test]
fn me_example() {
    let me: Me = serde_json::from_str(r#"{
      "uuid": "9496dad5-x", "type": "standard", "name": "Gareth Thompson",
      "first_name": "Gareth", "last_name": "Thompson", "email": "gareth@codepotato.co.uk",
      "photo_url": "https://eu.ui-avatars.com/api/?name=Gareth+Thompson",
      "created_at": "2025-12-04T22:09:14+00:00", "updated_at": "2025-12-04T22:09:14+00:00",
      "otp_pending": false,
      "current_login": { "uuid": "0d275f75-x", "primary": false, "has_write_permission": false, "…": "trimmed" },
      "current_account": { "uuid": "d1bd68ee-x", "type": "client", "role": "client", "name": "Gareth Thompson", "…": "trimmed" }
    }"#).unwrap();
    assert_eq!(me.name, "Gareth Thompson");
    assert_eq!(me.current_account.unwrap().uuid, "d1bd68ee-x");
}

#[test]
fn logins_example_and_preferred_account() {
    let l: Logins = serde_json::from_str(r#"{"data": [{
      "uuid": "55412366-x", "primary": true, "has_write_permission": true, "has_delete_permission": true,
      "email": "jane@firm.example",
      "account": { "uuid": "62fc763c-x", "type": "employee", "role": "owner", "name": "Jane Doe", "…": "trimmed" },
      "firm": { "uuid": "109cba5f-x", "name": "Codepotato", "slug": "codepotato", "…": "trimmed" }
    }]}"#).unwrap();
    assert_eq!(l.logins.len(), 1);
    assert_eq!(l.automatic_choice().as_deref(), Some("62fc763c-x"));

    let two: Logins = serde_json::from_str(
        r#"{"preferred_account_uuid": "b", "data": [
      {"uuid": "l1", "account": {"uuid": "a"}, "firm": "App\\Http\\Resources\\FirmResource"},
      {"uuid": "l2", "account": {"uuid": "b"}}]}"#,
    )
    .unwrap();
    assert_eq!(two.automatic_choice().as_deref(), Some("b"));
    assert!(
        two.logins[0].firm.is_none(),
        "a PHP class name in place of an object is tolerated"
    );

    let ask: Logins = serde_json::from_str(
        r#"{"data": [{"account": {"uuid": "a"}}, {"account": {"uuid": "b"}}]}"#,
    )
    .unwrap();
    assert_eq!(
        ask.automatic_choice(),
        None,
        "several accounts and no preference: ask the user"
    );
}

#[test]
fn mailbox_list_with_schema_blob_created_by() {
    let p: Page<Mailbox> = serde_json::from_str(r#"{"data": [{
      "uuid": "c43d8df4-2eea-49b7-a546-375ff0b11a03", "name": "Test Mailbox", "type": "imap", "email": "test@example.org",
      "state": "connected", "enabled": true,
      "created_at": "2024-11-20T13:24:00+00:00", "updated_at": "2024-11-20T13:24:00+00:00",
      "created_by": { "name": { "example": "Gareth Thompson", "description": "Name", "collection": false } }
    }]}"#).unwrap();
    assert_eq!(p.items[0].kind, "imap");
    assert!(p.items[0].is_enabled());
    assert_eq!(p.has_next, None);
    assert!(
        p.is_last(1, 15),
        "a bare {{data}} list shorter than a page is the last page"
    );
}

#[test]
fn thread_example_paginated_and_bare() {
    let m: EmailMessage = serde_json::from_str(r#"{
      "uuid": "5d0c", "created_at": "2025-01-17T11:18:28+00:00", "updated_at": "2025-01-17T11:18:28+00:00",
      "message_created_at": "2025-01-17T11:15:02+00:00",
      "subject": "Re: Annual review", "incoming": true,
      "text": "Thanks, see you Tuesday.", "html": "<p>Thanks, see you Tuesday.</p>",
      "thread_count": 3,
      "mailbox": { "uuid": "c43d8df4-x", "name": "Test Mailbox", "type": "imap", "email": "test@example.org",
                   "state": "connected", "enabled": true, "created_by": { "…": "trimmed" } },
      "firm": { "uuid": "945dea32-x", "name": "Codepotato" },
      "participants": [ { "type": "from", "name": "Client Name", "email": "client@example.com" },
                        { "type": "to", "name": "Adviser", "email": "test@example.org" } ],
      "attachments": [ { "uuid": "a1", "name": "statement.pdf", "size": "120394", "status": "x", "download_url": "https://x" } ],
      "ancestors":   { "data": [ { "uuid": "p1", "subject": "Annual review", "message_created_at": "2025-01-16T10:00:00+00:00", "incoming": false } ],
                       "links": { "next": null }, "meta": { "current_page": 1, "per_page": 25, "total": 1 } },
      "descendants": { "data": [], "links": { "…": "…" }, "meta": { "current_page": 1, "per_page": 25, "total": 1 } }
    }"#).unwrap();
    assert_eq!(m.thread_count, Some(3));
    assert_eq!(
        m.attachments[0].size,
        Some(120394),
        "size as a numeric string"
    );
    assert_eq!(m.from().unwrap().email, "client@example.com");
    let anc = m.ancestors.unwrap();
    assert_eq!(anc.items.len(), 1);
    assert!(anc.is_last(1, 25));

    let bare: EmailMessage = serde_json::from_str(
        r#"{"uuid": "x", "ancestors": [{"uuid": "a"}, {"uuid": "b"}], "descendants": null}"#,
    )
    .unwrap();
    assert_eq!(bare.ancestors.unwrap().items.len(), 2);
    assert!(bare.descendants.is_none());
}

#[test]
fn conversation_example() {
    let p: Page<Conversation> = serde_json::from_str(r##"{"data": [{
      "uuid": "2f5e2ba0-26b6-403b-8411-b3c01ae2114d", "name": "Welcome to Plannr", "slug": "welcome-to-plannr",
      "belongs_to_case": false, "pinned": true, "is_admin": false,
      "messages_count": 12, "participants_count": 3,
      "tags": [ { "uuid": "613fe50c-x", "name": "Mortgage", "slug": "mortgage", "colour": "#ef4582" } ],
      "latest_message": { "uuid": "m", "contents": "See you then", "created_at": "2025-01-01T00:00:00+00:00", "author": { "name": "A", "…": "trimmed" } },
      "participants": [ { "uuid": "p", "name": "Gareth Thompson", "…": "trimmed" } ],
      "created_at": "2024-11-20T13:24:01+00:00", "updated_at": "2024-11-20T13:24:01+00:00"
    }], "links": {"first": "a", "last": "b", "prev": null, "next": "c"}, "meta": {"current_page": 1, "last_page": 4, "per_page": 15, "total": 52}}"##).unwrap();
    let c = &p.items[0];
    assert_eq!(c.pinned, Some(true));
    assert_eq!(
        c.latest_message.as_ref().unwrap().contents.as_deref(),
        Some("See you then")
    );
    assert_eq!(p.total, Some(52));
    assert!(!p.is_last(1, 15));
}

#[test]
fn contact_details_single_object_relations_and_nested_array_bug() {
    let p: Page<ContactDetail> = serde_json::from_str(r#"{"data": [[{
      "uuid": "96ce11d7-d06c-4892-900a-63090c2a9254",
      "type": "phone_number", "name": "Personal number", "value": "+443330903630",
      "phone_number_meta": { "country": "GB", "formatted": "0333 090 3630" },
      "accounts": { "uuid": "c0ebec61-x", "type": "client", "role": "client", "name": "Gareth Thompson" },
      "primary_accounts": { "uuid": "148a390a-x", "name": "Gareth Thompson" },
      "created_at": "2025-07-17T16:23:26+01:00", "updated_at": "2025-07-17T16:23:26+01:00"
    }]]}"#).unwrap();
    let d = &p.items[0];
    assert_eq!(d.display_value(), "0333 090 3630");
    assert_eq!(d.owners().len(), 1);
    assert!(d.is_primary_for("148a390a-x"));
}

#[test]
fn account_picker_example() {
    let p: Page<Account> = serde_json::from_str(r#"{"data": [{
      "uuid": "7294f8cb-b319-4fe1-936f-1311bd58b430", "type": "client", "role": "individual",
      "first_name": "Gareth", "last_name": "Thompson", "name": "Gareth Thompson",
      "primary_email": { "uuid": "e", "type": "email", "name": "Personal", "value": "gareth@codepotato.co.uk" },
      "primary_phone_number": { "uuid": "p", "type": "phone_number", "value": "+443330903630",
                                "phone_number_meta": { "country": "GB", "formatted": "0333 090 3630" } }
    }], "links": {"next": null}, "meta": {}}"#).unwrap();
    let a = &p.items[0];
    assert_eq!(
        a.primary_email.as_ref().unwrap().value,
        "gareth@codepotato.co.uk"
    );
    assert_eq!(
        a.primary_phone_number.as_ref().unwrap().display_value(),
        "0333 090 3630"
    );
}

#[test]
fn hostile_strings_are_sanitised_at_decode() {
    let m: EmailMessage = serde_json::from_str(
        r#"{"uuid": "x", "subject": "Hi\u001b]0;pwned\u0007 \u202egnp.exe\u001b[31m red\tend", "text": "a\tb\r\nc\u009b31m"}"#,
    )
    .unwrap();
    assert!(
        !m.subject.contains('\u{1b}')
            && !m.subject.contains('\u{202e}')
            && !m.subject.contains('\t'),
        "{:?}",
        m.subject
    );
    assert!(!m.subject.contains("pwned"));
    let text = m.text.unwrap();
    assert!(
        !text.contains('\r') && !text.contains('\u{9b}') && !text.contains('\t'),
        "{text:?}"
    );
}

#[test]
fn unknown_and_wrong_typed_fields_do_not_fail_the_page() {
    let p: Page<Mailbox> = serde_json::from_str(r#"{"data": [{"uuid": "a", "enabled": "1", "brand_new": {"x": 1}}, 42, {"uuid": "b", "enabled": 0}]}"#).unwrap();
    assert_eq!(
        p.items.len(),
        2,
        "42 is skipped, the rest decode: {:?}",
        p.items
    );
    assert_eq!(p.skipped, 1);
    assert_eq!(p.items[0].enabled, Some(true));
    assert_eq!(p.items[1].enabled, Some(false));
}

#[test]
fn error_bodies_map_to_typed_errors() {
    let e = ApiError::from_status(
        422,
        None,
        r#"{"message": "The name field is required.", "errors": {"name": ["The name field is required."], "value": "Bad value", "account_uuids.0": ["The selected account_uuids.0 is invalid."]}}"#,
        "tok",
    );
    let f = e.field_errors().unwrap();
    assert_eq!(f["value"], vec!["Bad value".to_string()]);
    assert_eq!(f["account_uuids.0"].len(), 1);
    assert_eq!(
        ApiError::from_status(401, None, r#"{"message":"Unauthenticated."}"#, "t"),
        ApiError::Unauthenticated
    );
    assert!(matches!(
        ApiError::from_status(403, None, "", "t"),
        ApiError::Forbidden { .. }
    ));
    assert!(matches!(
        ApiError::from_status(404, None, "<html>", "t"),
        ApiError::NotFound { .. }
    ));
    let e = ApiError::from_status(
        500,
        None,
        "oops secret-token-123 leaked",
        "secret-token-123",
    );
    assert!(!e.to_string().contains("secret-token-123"), "{e}");
    assert_eq!(
        ApiError::from_status(429, Some(std::time::Duration::from_secs(2)), "", "t"),
        ApiError::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(2))
        }
    );
}

// ---- the vendors' own example answers (../shared/seeds), as the demo serves them byte for byte

use plannr_tui::api::models::{Conversation, EmailMessage, Mailbox};
use plannr_tui::demo::seeds;

/// Seed 000: `message_count` (singular) is read; `created_by` printed as a schema blob gives no
/// owner rather than a garbage one.
#[test]
fn seed_000_mailbox_put_answer() {
    let m: Mailbox = serde_json::from_str(seeds::MAILBOX_PUT).unwrap();
    assert_eq!(m.uuid, seeds::MAILBOX_UUID);
    assert_eq!(m.message_count, Some(1));
    assert_eq!((m.state.as_str(), m.enabled), ("connected", Some(true)));
    assert_eq!((m.kind.as_str(), m.name.as_str()), ("imap", "Test Mailbox"));
    assert_eq!(m.owner_name(), None);
    // A real owner object names the owner.
    let m: Mailbox = serde_json::from_str(
        r#"{"uuid":"m","state":"init","created_by":{"uuid":"a","name":"Gareth Thompson"}}"#,
    )
    .unwrap();
    assert_eq!(m.owner_name().as_deref(), Some("Gareth Thompson"));
}

/// Seed 001: direction, a `cc` participant, an attachment with type, size and status; the
/// ancestors/descendants printed as strings decode to empty pages that say they are the last.
#[test]
fn seed_001_message_show_answer() {
    let m: EmailMessage = serde_json::from_str(seeds::MESSAGE_SHOW).unwrap();
    assert_eq!(m.uuid, seeds::MESSAGE_UUID);
    assert_eq!(m.incoming, Some(true));
    assert_eq!(m.thread_count, Some(0));
    assert_eq!(m.participants.len(), 1);
    assert_eq!(m.participants[0].kind, "cc");
    let a = &m.attachments[0];
    assert_eq!(
        (
            a.name.as_str(),
            a.kind.as_str(),
            a.size,
            a.status.as_deref()
        ),
        (
            "example.pdf",
            "application/pdf",
            Some(123456),
            Some("uploaded")
        )
    );
    assert!(a.is_ready());
    assert_eq!(m.mailbox.as_ref().unwrap().message_count, Some(1));
    for side in [&m.ancestors, &m.descendants] {
        let p = side.as_ref().expect("an object, decoded leniently");
        assert!(p.items.is_empty());
        assert!(p.is_last(1, 25), "no page loop on a non-paginator");
    }
    assert_eq!(m.html.as_deref(), Some("<p>Message body here in HTML</p>"));
}

/// Seed 002: tags, the case, `is_admin: false`, counts.
#[test]
fn seed_002_conversation_put_answer() {
    let c: Conversation = serde_json::from_str(seeds::CONVERSATION_PUT).unwrap();
    assert_eq!(c.uuid, seeds::CONVERSATION_UUID);
    assert_eq!(c.name, "Welcome to Plannr");
    assert_eq!(c.is_admin, Some(false));
    assert_eq!(c.pinned, Some(true));
    assert_eq!(c.tags.len(), 1);
    assert_eq!(
        (c.tags[0].name.as_str(), c.tags[0].colour.as_str()),
        ("Mortgage", "#ef4582")
    );
    assert_eq!(c.belongs_to_case, Some(true));
    assert_eq!(c.case.as_ref().map(|k| k.name.as_str()), Some("finance"));
    assert_eq!(c.messages_count, Some(30));
    assert_eq!(c.participants_count, Some(3));
    assert_eq!(c.participants[0].name, "Gareth Thompson");
    assert_eq!(
        c.latest_message.as_ref().unwrap().contents.as_deref(),
        Some("Welcome to Plannr!")
    );
}

/// Seed 004: `accounts` is an object (one owner), `primary_accounts` is absent: unknown, not
/// empty — laid over the held copy it keeps the primaries.
#[test]
fn seed_004_contact_detail_put_answer() {
    let d: ContactDetail = serde_json::from_str(seeds::CONTACT_DETAIL_PUT).unwrap();
    assert_eq!(d.uuid, seeds::CONTACT_DETAIL_UUID);
    assert_eq!(d.display_value(), "0333 090 3630");
    assert_eq!(d.owners().len(), 1);
    assert_eq!(d.owners()[0].name, "Gareth Thompson");
    assert_eq!(d.primary_accounts, None);
    let held: ContactDetail = serde_json::from_str(
        r#"{"uuid":"dba3e759-bab7-4ce4-8370-d661a492992b","type":"phone_number","name":"Old",
            "value":"+443330903630","accounts":[{"uuid":"73b5cb71-6779-40a9-9ddc-33b16ada4da6"}],
            "primary_accounts":[{"uuid":"73b5cb71-6779-40a9-9ddc-33b16ada4da6"}]}"#,
    )
    .unwrap();
    let merged = d.over(&held);
    assert_eq!(merged.name, "Work number");
    assert!(merged.is_primary_for("73b5cb71-6779-40a9-9ddc-33b16ada4da6"));
    // An explicit empty list is an answer ("none"), not unknown.
    let none: ContactDetail =
        serde_json::from_str(r#"{"uuid":"x","primary_accounts":[]}"#).unwrap();
    assert_eq!(none.primary_accounts, Some(vec![]));
}
