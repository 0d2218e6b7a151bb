//! Outreach's errors, read from JSON:API `errors[]` (`id`, `title`, `detail` or `details`,
//! `source.pointer`), each explained in one sentence. Never carries a token or secret.
use std::time::Duration;

use serde_json::Value;

use crate::api::error::{excerpt, scrub};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OutreachError {
    /// 401 (after the one refresh, when refreshing is set up).
    #[error(
        "Outreach refused the access token (401): it has expired or was revoked{}. Run `plannr-tui outreach-login` (or set OUTREACH_TOKEN)",
        if *.refreshed { " and a refreshed one was refused too" } else { "" }
    )]
    Unauthenticated { refreshed: bool },
    /// The token endpoint refused the refresh token or the app credentials.
    #[error(
        "could not refresh the Outreach token: {message}. Run `plannr-tui outreach-login` again"
    )]
    Refresh { message: String },
    /// 403 `unauthorizedOauthScope`: `scope` is the one this call needs.
    #[error(
        "the Outreach token lacks the scope {scope} (403). Run `plannr-tui outreach-login` to grant it"
    )]
    MissingScope { scope: String, detail: String },
    /// 403 otherwise (`unauthorizedRequest`: Outreach's roles or governance forbid it).
    #[error("Outreach does not allow this (403): {message}")]
    Forbidden { message: String },
    #[error("not found in Outreach (404): {message}")]
    NotFound { message: String },
    /// 415 `unsupportedMediaType`.
    #[error("Outreach refused the request format (415): {message}")]
    MediaType { message: String },
    /// 422: the first error's detail; `field` from `source.pointer` (`/data/attributes/x` → `x`)
    /// or `source.parameter`.
    #[error("{message}{}", field.as_ref().map(|f| format!(" ({f})")).unwrap_or_default())]
    Validation {
        message: String,
        field: Option<String>,
    },
    /// 429 `rateLimitExceeded`; `wait` from `Retry-After` (seconds, epoch or a date).
    #[error("Outreach rate limit reached (429){}", wait_words(*.wait))]
    RateLimited { wait: Option<Duration> },
    /// 503 (scheduled maintenance), with its `Retry-After`.
    #[error("Outreach is unavailable (503): {message}{}", wait_words(*.wait))]
    Unavailable {
        message: String,
        wait: Option<Duration>,
    },
    #[error("Outreach server error {status}: {message}")]
    Server { status: u16, message: String },
    #[error("Outreach refused the request ({status}): {message}")]
    Http { status: u16, message: String },
    #[error("timed out waiting for Outreach")]
    Timeout,
    #[error("network error: {0}")]
    Network(String),
    #[error("unexpected response from Outreach ({detail}): {excerpt}")]
    Decode { detail: String, excerpt: String },
    #[error("{0}")]
    Other(String),
}

fn wait_words(wait: Option<Duration>) -> String {
    match wait {
        Some(d) => format!(
            "; Outreach asks to wait {}",
            crate::api::outreach::human_wait(d)
        ),
        None => String::new(),
    }
}

impl OutreachError {
    /// Worth trying again later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            OutreachError::RateLimited { .. }
                | OutreachError::Unavailable { .. }
                | OutreachError::Server { .. }
                | OutreachError::Timeout
                | OutreachError::Network(_)
        )
    }

    /// What the transport does next after this error (a 503 is Outreach's maintenance window,
    /// waited out like a rate limit).
    pub fn failure(&self) -> crate::api::error::Failure {
        use crate::api::error::Failure;
        match self {
            OutreachError::Unauthenticated { .. } => Failure::Unauthenticated,
            OutreachError::RateLimited { wait } | OutreachError::Unavailable { wait, .. } => {
                Failure::RateLimited(*wait)
            }
            OutreachError::Server { .. } | OutreachError::Timeout | OutreachError::Network(_) => {
                Failure::Transient
            }
            _ => Failure::Final,
        }
    }

    /// How long the server asked to wait (429/503 `Retry-After`).
    pub fn wait(&self) -> Option<Duration> {
        match self {
            OutreachError::RateLimited { wait } | OutreachError::Unavailable { wait, .. } => *wait,
            _ => None,
        }
    }

    /// The error for a non-success `status`. `scope` is what the call needs (named on a 403
    /// `unauthorizedOauthScope`); everything in `secrets` is scrubbed from text copied out.
    pub fn from_status(
        status: u16,
        wait: Option<Duration>,
        body: &str,
        scope: &str,
        secrets: &[&str],
    ) -> OutreachError {
        let first = first_error(body, secrets);
        let message = |default: &str| {
            first
                .as_ref()
                .and_then(|e| e.text())
                .unwrap_or_else(|| default.to_string())
        };
        match status {
            401 => OutreachError::Unauthenticated { refreshed: false },
            403 if first.as_ref().and_then(|e| e.id.as_deref())
                == Some("unauthorizedOauthScope") =>
            {
                OutreachError::MissingScope {
                    scope: scope.to_string(),
                    detail: message(""),
                }
            }
            403 => OutreachError::Forbidden {
                message: message("your Outreach role does not allow it"),
            },
            404 => OutreachError::NotFound {
                message: message("no such record"),
            },
            415 => OutreachError::MediaType {
                message: message("the Content-Type must be application/vnd.api+json"),
            },
            400 | 409 | 422 => {
                let field = first.as_ref().and_then(|e| e.field.clone());
                let m = message("Outreach refused the change");
                if status == 422 {
                    OutreachError::Validation { message: m, field }
                } else {
                    OutreachError::Http { status, message: m }
                }
            }
            429 => OutreachError::RateLimited { wait },
            503 => OutreachError::Unavailable {
                message: message("down for maintenance"),
                wait,
            },
            500..=599 => OutreachError::Server {
                status,
                message: message(&excerpt(body, secrets)),
            },
            _ => OutreachError::Http {
                status,
                message: message(&excerpt(body, secrets)),
            },
        }
    }
}

/// One entry of `errors[]`, sanitised and scrubbed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorEntry {
    pub id: Option<String>,
    pub title: Option<String>,
    /// `detail`, or `details` as the published 415 example spells it.
    pub detail: Option<String>,
    /// From `source.pointer` (`/data/attributes/syncDisabled` → `syncDisabled`) or
    /// `source.parameter`.
    pub field: Option<String>,
}

impl ErrorEntry {
    /// The detail, else the title.
    fn text(&self) -> Option<String> {
        self.detail
            .clone()
            .or_else(|| self.title.clone())
            .map(|t| t.trim().trim_end_matches('.').to_string())
            .filter(|t| !t.is_empty())
    }
}

/// The first entry of a JSON:API error document, if the body is one.
pub fn first_error(body: &str, secrets: &[&str]) -> Option<ErrorEntry> {
    let v: Value = serde_json::from_str(body).ok()?;
    let e = v.get("errors")?.as_array()?.first()?;
    let s = |k: &str| {
        e.get(k)
            .and_then(Value::as_str)
            .map(|t| scrub(t, secrets))
            .filter(|t| !t.trim().is_empty())
    };
    let source = e.get("source");
    let field = source
        .and_then(|s| s.get("pointer"))
        .and_then(Value::as_str)
        .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
        .or_else(|| {
            source
                .and_then(|s| s.get("parameter"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .map(|f| scrub(&f, secrets))
        .filter(|f| !f.is_empty());
    Some(ErrorEntry {
        id: s("id"),
        title: s("title"),
        detail: s("detail").or_else(|| s("details")),
        field,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_read_from_the_json_api_document() {
        let body = r#"{"errors":[{"id":"validationError","title":"Validation Error","detail":"Email can't be blank.","source":{"pointer":"/data/attributes/email"}}]}"#;
        let e = OutreachError::from_status(422, None, body, "mailboxes.write", &[]);
        assert_eq!(e.to_string(), "Email can't be blank (email)");
        let body415 = r#"{"errors":[{"id":"unsupportedMediaType","title":"Unsupported Media Type","details":"Expected Content-Type header to be application/vnd.api+json"}]}"#;
        let e = OutreachError::from_status(415, None, body415, "mailboxes.read", &[]);
        assert!(
            e.to_string().contains("Expected Content-Type header"),
            "{e}"
        );
        let scope =
            r#"{"errors":[{"id":"unauthorizedOauthScope","title":"Unauthorized OAuth Scope"}]}"#;
        let e = OutreachError::from_status(403, None, scope, "mailboxes.write", &[]);
        assert!(e.to_string().contains("mailboxes.write"), "{e}");
        let e = OutreachError::from_status(429, Some(Duration::from_secs(90)), "", "x", &[]);
        assert!(e.to_string().contains("1m 30s"), "{e}");
    }

    #[test]
    fn secrets_never_come_back_in_messages() {
        let body = r#"{"errors":[{"id":"x","title":"bad tok-SECRET","detail":"tok-SECRET is wrong","source":{"pointer":"/data/attributes/tok-SECRET"}}]}"#;
        for status in [400, 403, 404, 415, 422, 500, 503, 418] {
            let e = OutreachError::from_status(status, None, body, "s", &["tok-SECRET"]);
            assert!(
                !format!("{e} {e:?}").contains("tok-SECRET"),
                "{status}: {e:?}"
            );
        }
    }
}
