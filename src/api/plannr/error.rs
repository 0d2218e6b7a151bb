//! Plannr's (Laravel's) error bodies: `{message}` and, for a 422, `{message, errors: {field: [..]}}`.
use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use crate::api::error::{ApiError, excerpt, is_html, scrub, status_text};

impl ApiError {
    /// Build the error for a non-success status from its body. `token` is scrubbed from anything
    /// copied out of the body.
    pub fn from_status(
        status: u16,
        retry_after: Option<Duration>,
        body: &str,
        token: &str,
    ) -> ApiError {
        let json: Option<Value> = serde_json::from_str(body).ok();
        let clean = |s: &str| scrub(s, &[token]);
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
        // Nor is a body that says nothing: "null", "{}", "\"\"" (issue 17.8: "503: null").
        let says_nothing = match &json {
            Some(Value::Null) => true,
            Some(Value::Object(o)) => o.is_empty(),
            Some(Value::String(s)) => s.trim().is_empty(),
            _ => false,
        };
        let body_text = || {
            if html || says_nothing || body.trim().is_empty() {
                None
            } else {
                Some(excerpt(body, &[token]))
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
                let message = json
                    .as_ref()
                    .and_then(|v| v.get("message"))
                    .and_then(|m| m.as_str())
                    .map(clean)
                    .filter(|m| !m.trim().is_empty())
                    .or_else(|| errors.values().flatten().next().cloned())
                    // Callers end the sentence themselves: no trailing full stop (Laravel's
                    // messages have one, which made "…required.. Ctrl-S tries again").
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 17.8: an empty 503 read "Plannr server error 503: null".
    #[test]
    fn a_body_that_says_nothing_gives_the_status_in_words() {
        for body in ["", "null", "  ", "{}", "\"\""] {
            let e = ApiError::from_status(503, None, body, "tok");
            assert_eq!(
                e.to_string(),
                "Plannr is unavailable (503 Service Unavailable)",
                "body {body:?}"
            );
        }
        // The reason phrase again adds nothing.
        let e = ApiError::from_status(503, None, r#"{"message":"Service Unavailable"}"#, "tok");
        assert_eq!(
            e.to_string(),
            "Plannr is unavailable (503 Service Unavailable)"
        );
        let e = ApiError::from_status(418, None, "null", "tok");
        assert_eq!(e.to_string(), "request refused (418): 418 I'm a teapot");
    }

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
