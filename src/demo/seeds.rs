//! The vendors' own example answers (`../shared/seeds/`), served byte for byte for the request
//! each page documents, on the record uuid the example carries. The demo is written from the
//! documents: a client that decodes these decodes what Plannr's docs say it sends (see
//! `tests/decode.rs`, which decodes the same files, and `tests/README.md`).

/// Seed 000: `PUT /api/v1/mailboxes/{uuid}` (note `message_count`, and `created_by` printed as a
/// schema blob).
pub const MAILBOX_PUT: &str = include_str!("seeds/mailbox_put.json");
pub const MAILBOX_UUID: &str = "611bdddf-34b3-4e02-8c77-d3c4870e49fe";
/// Seed 001: `GET /api/v1/mailboxes/message/{uuid}` (ancestors/descendants printed as strings).
pub const MESSAGE_SHOW: &str = include_str!("seeds/message_show.json");
pub const MESSAGE_UUID: &str = "cfa5a710-2d2b-4a7b-9f4d-45f3dea260da";
/// Seed 002: `PUT /api/v1/conversation/{uuid}` (tags, case, `is_admin: false`).
pub const CONVERSATION_PUT: &str = include_str!("seeds/conversation_put.json");
pub const CONVERSATION_UUID: &str = "36b8523d-2736-4864-ac6c-ef9839888e75";
/// Seed 004: `PUT /api/v2/contact-details/{uuid}` (`accounts` an object, no `primary_accounts`).
pub const CONTACT_DETAIL_PUT: &str = include_str!("seeds/contact_detail_put.json");
pub const CONTACT_DETAIL_UUID: &str = "dba3e759-bab7-4ce4-8370-d661a492992b";

/// The seed example answering `method` on path segments `rest` (after `/api/`), if any.
pub(super) fn answer(method: &str, rest: &[&str]) -> Option<&'static str> {
    match (method, rest) {
        ("PUT", ["v1", "mailboxes", u]) if *u == MAILBOX_UUID => Some(MAILBOX_PUT),
        ("GET", ["v1", "mailboxes", "message", u]) if *u == MESSAGE_UUID => Some(MESSAGE_SHOW),
        ("PUT", ["v1", "conversation", u]) if *u == CONVERSATION_UUID => Some(CONVERSATION_PUT),
        ("PUT", ["v2", "contact-details", u]) if *u == CONTACT_DETAIL_UUID => {
            Some(CONTACT_DETAIL_PUT)
        }
        _ => None,
    }
}
