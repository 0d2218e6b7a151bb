//! The request pipeline of the demo server: one fallback handler records the request, applies
//! latency, scripted responses and random failures, then hands it to `routes::route`; and the
//! response helpers every resource uses (`Out`, Laravel-shaped errors, raw-JSON splicing).
//!
//! Query strings are decoded with `url::form_urlencoded` on the raw query, so `filter[type]` and
//! `filter%5Btype%5D` are the same key.

use super::dataset::LONE_SURROGATE_MARKER;
use super::routes::route;
use super::{DEMO_TOKEN, RecordedRequest, Shared};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// What a route produces.
pub(crate) enum Out {
    Json(u16, Value),
    Bytes(u16, &'static str, Vec<u8>),
}

pub(super) fn msg(status: u16, m: &str) -> Out {
    Out::Json(status, json!({ "message": m }))
}
pub(super) fn not_found() -> Out {
    msg(404, "Not found.")
}
pub(super) fn forbidden() -> Out {
    msg(403, "This action is unauthorized.")
}

/// 422 with Laravel's shape: message = first error, errors grouped by field in insertion order.
pub(super) fn invalid(errors: Vec<(String, String)>) -> Out {
    let mut map = Map::new();
    for (field, m) in &errors {
        let entry = map.entry(field.clone()).or_insert_with(|| json!([]));
        if let Value::Array(a) = entry {
            a.push(json!(m));
        }
    }
    let first = errors.first().map(|e| e.1.clone()).unwrap_or_default();
    Out::Json(422, json!({ "message": first, "errors": map }))
}

/// Serialises, then splices raw JSON escapes serde_json cannot emit (lone surrogates).
pub(super) fn finish_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    if s.contains(LONE_SURROGATE_MARKER) {
        s.replace(LONE_SURROGATE_MARKER, "\\ud800")
    } else {
        s
    }
}

pub(super) fn respond(out: Out, extra: &[(String, String)]) -> Response {
    let (status, ctype, body) = match out {
        Out::Json(st, v) => (st, "application/json", finish_json(&v).into_bytes()),
        Out::Bytes(st, ct, b) => (st, ct, b),
    };
    let mut resp = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        body,
    )
        .into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert("x-ratelimit-limit", HeaderValue::from_static("500"));
    h.insert("x-ratelimit-remaining", HeaderValue::from_static("499"));
    for (k, v) in extra {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            h.insert(k, v);
        }
    }
    resp
}

pub(super) async fn handle(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 32 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let query = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body_json: Option<Value> = if bytes.is_empty() {
        None
    } else {
        serde_json::from_slice(&bytes).ok()
    };
    let body_unparsable = !bytes.is_empty() && body_json.is_none();
    let rec = RecordedRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query,
        headers,
        body: body_json,
    };
    s.log
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(rec.clone());

    if s.opts.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(s.opts.latency_ms)).await;
    }
    // Attachment downloads are the API's too (the fault matrix scripts them); the other
    // `/__demo/` routes only control the server.
    if !rec.path.starts_with("/__demo/") || rec.path.starts_with("/__demo/files/") {
        if let Some(sc) = s.take_script(&rec.method, &rec.path) {
            if sc.delay_ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(sc.delay_ms)).await;
            }
            if let Some(f) = &sc.fault {
                return super::faults::respond(f);
            }
            if let Some(raw) = sc.raw_body() {
                let out = Out::Bytes(sc.status, "text/plain", raw.as_bytes().to_vec());
                return respond(out, &sc.headers);
            }
            return respond(Out::Json(sc.status, sc.body), &sc.headers);
        }
        if s.opts.fail_rate > 0.0 {
            let mut rng = s.rng.lock().unwrap_or_else(|e| e.into_inner());
            if rng.f64() < s.opts.fail_rate {
                let out = if rng.bool() {
                    msg(500, "Server Error")
                } else {
                    msg(503, "Service Unavailable")
                };
                return respond(out, &[]);
            }
        }
    }
    let out = route(&s, &rec, body_unparsable);
    respond(out, &[])
}

pub(super) fn authed(r: &RecordedRequest) -> bool {
    r.header("authorization")
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .is_some_and(|t| t.trim() == DEMO_TOKEN)
}
