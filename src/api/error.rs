//! One error type the UI can explain. Never carries the token.
use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

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
    #[error("unexpected response from Plannr ({detail}): {excerpt}")]
    Decode { detail: String, excerpt: String },
    #[error("{0}")]
    Other(String),
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
    if message.is_empty() {
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

    /// Per-field messages of a 422, if any.
    pub fn field_errors(&self) -> Option<&BTreeMap<String, Vec<String>>> {
        match self {
            ApiError::Validation { errors, .. } => Some(errors),
            _ => None,
        }
    }

    /// Build the error for a non-success status from its body. `token` is scrubbed from anything
    /// copied out of the body.
    pub fn from_status(
        status: u16,
        retry_after: Option<Duration>,
        body: &str,
        token: &str,
    ) -> ApiError {
        let json: Option<Value> = serde_json::from_str(body).ok();
        let clean = |s: &str| scrub(s, token);
        let message = json
            .as_ref()
            .and_then(|v| v.get("message"))
            .and_then(|m| m.as_str())
            .map(clean)
            .map(|m| m.trim().trim_end_matches('.').to_string())
            .filter(|m| !m.is_empty());
        let fallback = |default: &str| message.clone().unwrap_or_else(|| default.to_string());
        // A web page (nginx's 502, a WAF's 403) is not a message: say the status instead.
        let html = json.is_none() && is_html(body);
        let body_text = || {
            if html || body.trim().is_empty() {
                None
            } else {
                Some(excerpt(body, token))
            }
        };
        match status {
            401 => ApiError::Unauthenticated,
            403 => ApiError::Forbidden {
                message: fallback("this action is unauthorized"),
            },
            404 => ApiError::NotFound {
                message: fallback("no such record"),
            },
            409 => ApiError::Conflict {
                message: fallback("the record changed on the server"),
            },
            422 => {
                let errors = json
                    .as_ref()
                    .and_then(|v| v.get("errors"))
                    .map(|v| parse_errors(v, &clean))
                    .unwrap_or_default();
                // Callers end the sentence themselves: no trailing full stop (Laravel's
                // messages have one, which made "…required.. Ctrl-S tries again").
                let message = json
                    .as_ref()
                    .and_then(|v| v.get("message"))
                    .and_then(|m| m.as_str())
                    .map(clean)
                    .filter(|m| !m.trim().is_empty())
                    .or_else(|| errors.values().flatten().next().cloned())
                    .map(|m| m.trim().trim_end_matches('.').trim_end().to_string())
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "the server refused the change".into());
                ApiError::Validation { message, errors }
            }
            429 => ApiError::RateLimited { retry_after },
            500..=599 => ApiError::Server {
                status,
                message: message.clone().or_else(body_text).unwrap_or_default(),
            },
            _ => ApiError::Http {
                status,
                message: message
                    .clone()
                    .or_else(body_text)
                    .unwrap_or_else(|| status_text(status)),
            },
        }
    }
}

/// Longest message copied out of an error body (a status bar line, not a page).
const MAX_MESSAGE_CHARS: usize = 300;

/// A message copied out of an error body: the token scrubbed (a server may echo it), cut to
/// `MAX_MESSAGE_CHARS`, sanitised.
fn scrub(s: &str, token: &str) -> String {
    let scrubbed = if token.is_empty() {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.replace(token, "***"))
    };
    let mut cut: String = scrubbed.chars().take(MAX_MESSAGE_CHARS).collect();
    if scrubbed.chars().nth(MAX_MESSAGE_CHARS).is_some() {
        cut.push('…');
    }
    crate::render::sanitize::line(&cut)
}

/// `errors` may be `{field: [msgs]}`, `{field: "msg"}`, a bare string or a list.
fn parse_errors(v: &Value, clean: &dyn Fn(&str) -> String) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let msgs: Vec<String> = match v {
                    Value::String(s) => vec![clean(s)],
                    Value::Array(a) => a.iter().filter_map(|m| m.as_str()).map(clean).collect(),
                    other => vec![clean(&other.to_string())],
                };
                out.insert(clean(k), msgs);
            }
        }
        Value::String(s) => {
            out.insert(String::new(), vec![clean(s)]);
        }
        Value::Array(a) => {
            out.insert(
                String::new(),
                a.iter().filter_map(|m| m.as_str()).map(clean).collect(),
            );
        }
        _ => {}
    }
    out
}

/// A short, sanitised excerpt of a response body for error messages, with the token scrubbed.
pub fn excerpt(body: &str, token: &str) -> String {
    // Scrub before cutting, so a token straddling the cut cannot leave a prefix behind.
    let scrubbed = if token.is_empty() {
        std::borrow::Cow::Borrowed(body)
    } else {
        std::borrow::Cow::Owned(body.replace(token, "***"))
    };
    let mut s: String = scrubbed.chars().take(160).collect();
    if scrubbed.chars().nth(160).is_some() {
        s.push('…');
    }
    let s = crate::render::sanitize::line(&s);
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
    fn upstream_html_error_pages_are_summarised_by_status() {
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
        let e = ApiError::from_status(502, None, page, "tok");
        assert_eq!(e.to_string(), "Plannr is unavailable (502 Bad Gateway)");
        assert!(e.is_retryable());
        let e = ApiError::from_status(503, None, "", "tok");
        assert_eq!(
            e.to_string(),
            "Plannr is unavailable (503 Service Unavailable)"
        );
        let e = ApiError::from_status(
            418,
            None,
            "<!DOCTYPE html><html><body>teapot</body></html>",
            "tok",
        );
        assert_eq!(e.to_string(), "request refused (418): 418 I'm a teapot");
        // A JSON message still wins.
        let e = ApiError::from_status(500, None, r#"{"message":"Server Error"}"#, "tok");
        assert_eq!(
            e.to_string(),
            "Plannr server error (500 Internal Server Error): Server Error"
        );
    }

    #[test]
    fn validation_messages_do_not_end_in_a_full_stop() {
        // Callers append ". Ctrl-S tries again": a message ending in "." made "..".
        let body = r#"{"message":"The name field is required.","errors":{"name":["The name field is required."]}}"#;
        let e = ApiError::from_status(422, None, body, "tok");
        assert_eq!(e.to_string(), "The name field is required");
        let body = r#"{"errors":{"value":["The value must be a valid email address."]}}"#;
        let e = ApiError::from_status(422, None, body, "tok");
        assert_eq!(e.to_string(), "The value must be a valid email address");
        assert!(!format!("Not saved: {e}.").contains(".."));
    }

    #[test]
    fn excerpt_scrubs_a_token_cut_by_the_length_limit() {
        let token = "tok-0123456789abcdef";
        let body = format!("{}{token}{}", "x".repeat(150), " tail".repeat(5));
        let e = excerpt(&body, token);
        assert!(!e.contains("tok-0123"), "token prefix leaked: {e}");
        assert!(e.ends_with('…'), "{e}");
        assert_eq!(excerpt(" \u{1b}[2J ", token), "(empty body)");
    }

    #[test]
    fn messages_and_field_errors_from_the_body_never_carry_the_token() {
        let token = "tok-0123456789abcdef";
        for status in [403, 404, 409, 422, 500, 418] {
            let body = format!(
                r#"{{"message":"token {token} lacks a scope","errors":{{"name":["{token} is bad"],"{token}":"x"}}}}"#
            );
            let e = ApiError::from_status(status, None, &body, token);
            assert!(!e.to_string().contains(token), "{status}: {e}");
            assert!(!format!("{e:?}").contains(token), "{status}: {e:?}");
        }
        let long = format!(r#"{{"message":"{}"}}"#, "x".repeat(5000));
        let e = ApiError::from_status(403, None, &long, token);
        assert!(e.to_string().chars().count() < 400, "{e}");
    }
}
