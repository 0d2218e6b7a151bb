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
    #[error("Plannr server error {status}: {message}")]
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
        let message = json
            .as_ref()
            .and_then(|v| v.get("message"))
            .and_then(|m| m.as_str())
            .map(crate::render::sanitize::line)
            .map(|m| m.trim().trim_end_matches('.').to_string())
            .filter(|m| !m.is_empty());
        let fallback = |default: &str| message.clone().unwrap_or_else(|| default.to_string());
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
                    .map(parse_errors)
                    .unwrap_or_default();
                let message = json
                    .as_ref()
                    .and_then(|v| v.get("message"))
                    .and_then(|m| m.as_str())
                    .map(crate::render::sanitize::line)
                    .filter(|m| !m.trim().is_empty())
                    .or_else(|| errors.values().flatten().next().cloned())
                    .unwrap_or_else(|| "the server refused the change".into());
                ApiError::Validation { message, errors }
            }
            429 => ApiError::RateLimited { retry_after },
            500..=599 => ApiError::Server {
                status,
                message: fallback(&excerpt(body, token)),
            },
            _ => ApiError::Http {
                status,
                message: fallback(&excerpt(body, token)),
            },
        }
    }
}

/// `errors` may be `{field: [msgs]}`, `{field: "msg"}`, a bare string or a list.
fn parse_errors(v: &Value) -> BTreeMap<String, Vec<String>> {
    let clean = crate::render::sanitize::line;
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
    fn excerpt_scrubs_a_token_cut_by_the_length_limit() {
        let token = "tok-0123456789abcdef";
        let body = format!("{}{token}{}", "x".repeat(150), " tail".repeat(5));
        let e = excerpt(&body, token);
        assert!(!e.contains("tok-0123"), "token prefix leaked: {e}");
        assert!(e.ends_with('…'), "{e}");
        assert_eq!(excerpt(" \u{1b}[2J ", token), "(empty body)");
    }
}
