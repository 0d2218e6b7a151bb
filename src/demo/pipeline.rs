//! The request pipeline of the Plannr demo: one fallback handler records the request, applies
//! latency, scripted responses (`server`, shared with the Outreach demo) and random failures,
//! then hands it to `routes::route`; and the response helpers every resource uses (`Out`,
//! Laravel-shaped errors).
//!
//! Query strings are decoded with `url::form_urlencoded` on the raw query, so `filter[type]` and
//! `filter%5Btype%5D` are the same key.

use super::routes::route;
use super::server::{self, Style, before_routing, lock, read_request, respond_json};
use super::{DEMO_TOKEN, RecordedRequest, Shared};
use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
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

/// Plannr's answers: plain JSON, a 500-a-minute limit.
const STYLE: Style = Style {
    json_type: "application/json",
    rate_limit: ("500", "499"),
};

pub(super) fn respond(out: Out, extra: &[(String, String)]) -> Response {
    match out {
        Out::Json(st, v) => respond_json(&STYLE, st, &v, extra),
        Out::Bytes(st, ct, b) => server::respond(&STYLE, st, ct, b, extra),
    }
}

pub(super) async fn handle(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let (rec, body_unparsable) = read_request(req, 32 * 1024 * 1024, false).await;
    s.rec.record(rec.clone());
    if let Some(resp) = before_routing(&rec, s.opts.latency_ms, &s.rec, &STYLE).await {
        return resp;
    }
    if s.opts.fail_rate > 0.0 && !rec.path.starts_with("/__demo/") {
        let mut rng = lock(&s.rng);
        if rng.f64() < s.opts.fail_rate {
            let out = if rng.bool() {
                msg(500, "Server Error")
            } else {
                msg(503, "Service Unavailable")
            };
            return respond(out, &[]);
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
