//! One error type the UI can explain. Never carries the token.
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in: the token was refused (401). Check PLANNR_TOKEN or your config")]
    Unauthenticated,
    #[error("not allowed: {message}")]
    Forbidden { message: String },
    #[error("not found: {message}")]
    NotFound { message: String },
    #[error("{message}")]
    Validation {
        message: String,
        errors: BTreeMap<String, Vec<String>>,
    },
    #[error("rate limited by Plannr{}", retry_after.map(|d| format!(", retry in {}s", d.as_secs())).unwrap_or_default())]
    RateLimited { retry_after: Option<Duration> },
    #[error("conflict: {message}")]
    Conflict { message: String },
    /// A 5xx. `message` is empty when the body said nothing usable (an upstream proxy's HTML
    /// page, an empty body): then the status alone is shown.
    #[error("{}", server_text(*status, message))]
    Server { status: u16, message: String },
    #[error("request refused ({status}): {message}")]
    Http { status: u16, message: String },
    #[error("timed out waiting for Plannr")]
    Timeout,
    #[error("network error: {0}")]
    Network(String),
    #[error("unexpected response from Plannr ({detail}){}", if excerpt.is_empty() { String::new() } else { format!(": {excerpt}") })]
    Decode { detail: String, excerpt: String },
    /// A write was answered, but the answer is not the record with the values sent: the save may
    /// or may not have happened (the user's text is kept; a retry or a re-read settles it).
    #[error("Plannr's answer did not show {what}, so the save is unconfirmed")]
    Unconfirmed { what: String },
    /// The answer (after decompression) was over the call's cap and was not read further.
    /// `what` names the answer ("a page of the thread"; empty when the caller did not say).
    #[error("{}", too_large_text(what, *limit))]
    TooLarge { limit: usize, what: &'static str },
    #[error("{0}")]
    Other(String),
    /// An Outreach call's error (its own explanations).
    #[error("{0}")]
    Outreach(crate::api::outreach::OutreachError),
}

/// How the transport treats an error when it decides what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The token was refused (401): refresh it once, if the backend can, and try again.
    Unauthenticated,
    /// The service asked to slow down (429, or a 503 with a wait), for this long if it said.
    RateLimited(Option<Duration>),
    /// Worth another try for a request that is safe to repeat (5xx, timeout, network).
    Transient,
    /// Trying again would not help.
    Final,
}

/// "502 Bad Gateway": the status with its standard reason phrase, if it has one.
pub fn status_text(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

fn server_text(status: u16, message: &str) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    if message.is_empty() || reason.is_some_and(|r| message.eq_ignore_ascii_case(r)) {
        format!("Plannr is unavailable ({})", status_text(status))
    } else {
        format!("Plannr server error ({}): {message}", status_text(status))
    }
}

/// Whether a body is a web page (an upstream proxy's or gateway's error page) rather than data.
pub fn is_html(body: &str) -> bool {
    let head: String = body
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || head.starts_with("<body")
        || head.contains("<html")
        || (head.starts_with('<') && head.contains("</"))
}

/// The visible text of a web page, for a one-line excerpt: tags, scripts and styles dropped,
/// whitespace collapsed, cut to `max` characters.
pub fn page_text(html: &str, max: usize) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        let tag = rest[i..].to_ascii_lowercase();
        let skip_to = ["script", "style"]
            .iter()
            .find(|t| tag.starts_with(&format!("<{t}")))
            .and_then(|t| tag.find(&format!("</{t}")));
        let from = skip_to.unwrap_or(0);
        match rest[i + from..].find('>') {
            Some(j) => rest = &rest[i + from + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        cut.push('…');
    }
    cut
}

/// "Plannr's answer (a page of the thread) was larger than the 4 MB allowed for it, …".
fn too_large_text(what: &str, limit: usize) -> String {
    let mb = limit.div_ceil(1024 * 1024);
    if what.is_empty() {
        format!(
            "Plannr's answer was larger than {mb} MB, so it was cut off there and nothing of it is shown"
        )
    } else {
        format!(
            "Plannr's answer ({what}) was larger than the {mb} MB allowed for it, so it was cut off there and nothing of it is shown"
        )
    }
}

impl ApiError {
    /// Worth trying again later (the user may press retry).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Server { .. }
                | ApiError::Timeout
                | ApiError::Network(_)
        )
    }

    /// What the transport does next after this error.
    pub fn failure(&self) -> Failure {
        match self {
            ApiError::Unauthenticated => Failure::Unauthenticated,
            ApiError::RateLimited { retry_after } => Failure::RateLimited(*retry_after),
            ApiError::Server { .. } | ApiError::Timeout | ApiError::Network(_) => {
                Failure::Transient
            }
            ApiError::Outreach(e) => e.failure(),
            _ => Failure::Final,
        }
    }

    /// Whether a failed write may still have been applied: no answer came (a timeout, a broken
    /// connection, a 502/504 from a proxy in front of the service), or the answer did not show what was
    /// sent. Only a refusal (4xx) or a request never sent says for sure that nothing changed.
    pub fn write_may_have_landed(&self) -> bool {
        matches!(
            self,
            ApiError::Unconfirmed { .. }
                | ApiError::Timeout
                | ApiError::Network(_)
                | ApiError::Server {
                    status: 502 | 504,
                    ..
                }
                | ApiError::Decode { .. }
                | ApiError::TooLarge { .. }
        )
    }

    /// Per-field messages of a 422, if any.
    pub fn field_errors(&self) -> Option<&BTreeMap<String, Vec<String>>> {
        match self {
            ApiError::Validation { errors, .. } => Some(errors),
            _ => None,
        }
    }
}

/// Longest message copied out of an error body (a status bar line, not a page).
const MAX_MESSAGE_CHARS: usize = 300;
/// Longest excerpt of a body shown in an error.
const MAX_EXCERPT_CHARS: usize = 160;

/// The first `max` characters of `s` with every secret in `secrets` replaced by `***`, and `…`
/// where it was cut. Secrets are scrubbed before cutting, so one straddling the cut cannot leave a
/// prefix behind (and the shorter `***` cannot pull a later one into view).
fn scrub_and_cut(s: &str, secrets: &[&str], max: usize) -> String {
    let mut head = std::borrow::Cow::Borrowed(s);
    for secret in secrets.iter().filter(|t| !t.is_empty()) {
        if head.contains(secret) {
            head = std::borrow::Cow::Owned(head.replace(secret, "***"));
        }
    }
    let mut cut: String = head.chars().take(max).collect();
    if head.chars().nth(max).is_some() {
        cut.push('…');
    }
    cut
}

/// A message copied out of an error body: every secret scrubbed (a server may echo the token),
/// cut to `MAX_MESSAGE_CHARS` (marked `…`), sanitised.
pub fn scrub(s: &str, secrets: &[&str]) -> String {
    crate::render::sanitize::line(&scrub_and_cut(s, secrets, MAX_MESSAGE_CHARS))
}

/// A short, sanitised excerpt of a response body for error messages, every secret scrubbed
/// (before the cut) and the cut marked `…`; "(empty body)" when nothing visible is left.
pub fn excerpt(body: &str, secrets: &[&str]) -> String {
    let s = crate::render::sanitize::line(&scrub_and_cut(body, secrets, MAX_EXCERPT_CHARS));
    if s.trim().is_empty() {
        "(empty body)".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_scrubs_a_token_cut_by_the_length_limit() {
        let token = "tok-0123456789abcdef";
        let body = format!("{}{token}{}", "x".repeat(150), " tail".repeat(5));
        let e = excerpt(&body, &[token]);
        assert!(!e.contains("tok-0123"), "token prefix leaked: {e}");
        assert!(e.ends_with('…'), "{e}");
        assert_eq!(excerpt(" \u{1b}[2J ", &[token]), "(empty body)");
    }

    #[test]
    fn excerpt_scrubs_every_secret_even_far_into_a_long_body() {
        let secrets = ["rt-refresh-secret", "cs-client-secret", "", "at-access"];
        let body = format!(
            "{}rt-refresh-secret cs-client-secret at-access{}",
            "y".repeat(140),
            "z".repeat(5000)
        );
        let e = excerpt(&body, &secrets);
        for s in ["rt-refr", "cs-cli", "at-acc"] {
            assert!(!e.contains(s), "{s} leaked: {e}");
        }
        assert!(e.ends_with('…'), "{e}");
        assert_eq!(excerpt("short at-access", &secrets), "short ***");
        let long = "m".repeat(400);
        let m = scrub(&long, &secrets);
        assert_eq!(m.chars().count(), 301, "300 and the mark");
        assert!(m.ends_with('…'));
    }
}
