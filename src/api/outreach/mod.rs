//! The Outreach API v2 client (mailboxes and their mailings), following seed 003 and
//! `shared/outreach-api.md`: JSON:API media type on every request, cursor paging by `links.next`
//! verbatim, errors from `errors[]`, OAuth access tokens refreshed before expiry or once on a 401.
pub mod client;
pub mod error;
pub mod login;
pub mod models;
pub mod token;

pub use client::{OAuthApp, OutreachClient, OutreachConfig};
pub use error::OutreachError;
pub use models::{CursorPage, Known, Mailbox, MailboxToggle, Mailing};

/// Outreach's API base.
pub const DEFAULT_OUTREACH_URL: &str = "https://api.outreach.io/api/v2";
/// Sent as `Content-Type` and `Accept` on every request (Outreach answers 415 without).
pub const MEDIA_TYPE: &str = "application/vnd.api+json";
/// What the pane needs: mailboxes read + write (toggles, tests), mailings, owners.
pub const LOGIN_SCOPES: &str = "mailboxes.all mailings.read users.read";

pub use crate::api::http::{human_wait, parse_retry_after};

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn retry_after_in_every_form() {
        let now = 1_700_000_000;
        assert_eq!(parse_retry_after("12", now), Some(Duration::from_secs(12)));
        assert_eq!(
            parse_retry_after("1700000090", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("2023-11-14T22:13:27Z", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:13:30 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("2000-01-01T00:00:00", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(human_wait(Duration::from_secs(90)), "1m 30s");
        assert_eq!(human_wait(Duration::from_secs(7260)), "2h 1m");
    }
}
