//! Request handling of the Outreach demo: record, latency and scripts (`demo::server`, shared
//! with the Plannr demo), random faults, then the checks every `/api/v2` call meets (media type
//! → token → scope) and the routes.
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::oauth::oauth;
use super::query::Query;
use super::resources::{
    mailbox_action, mailbox_json, mailboxes, mailing_json, mailings, patch_mailbox, prospects_json,
    users_json,
};
use super::{RecordedRequest, Scripted, Shared, lock};
use crate::demo::server::{self, Style, before_routing, read_request};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

pub(crate) const MEDIA: &str = "application/vnd.api+json";

pub(super) struct Out {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(String, String)>,
}

pub(super) fn out(status: u16, body: Value) -> Out {
    Out {
        status,
        body,
        headers: Vec::new(),
    }
}

/// A JSON:API error document with one error.
pub(super) fn err(status: u16, id: &str, title: &str, detail: &str) -> Out {
    out(
        status,
        json!({ "errors": [ { "id": id, "title": title, "detail": detail } ] }),
    )
}

pub(super) fn invalid(detail: &str, pointer: Option<&str>, parameter: Option<&str>) -> Out {
    let mut e = json!({ "id": "validationError", "title": "Validation Error", "detail": detail });
    if let Some(p) = pointer {
        e["source"] = json!({ "pointer": p });
    } else if let Some(p) = parameter {
        e["source"] = json!({ "parameter": p });
    }
    out(422, json!({ "errors": [e] }))
}

pub(super) fn not_found(kind: &str, id: &str) -> Out {
    err(
        404,
        "resourceNotFound",
        "Resource Not Found",
        &format!("Could not find '{kind}' with ID '{id}'."),
    )
}

/// Outreach's answers: JSON:API, a 10,000-an-hour limit.
const STYLE: Style = Style {
    json_type: MEDIA,
    rate_limit: ("10000", "9999"),
};

pub(super) fn respond(o: Out, content_type: &str) -> Response {
    let body = serde_json::to_string(&o.body)
        .unwrap_or_else(|_| "{}".into())
        .into_bytes();
    server::respond(&STYLE, o.status, content_type, body, &o.headers)
}

async fn handle(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let (rec, unparsable) = read_request(req, 4 * 1024 * 1024, true).await;
    s.rec.record(rec.clone());
    if let Some(resp) = before_routing(&rec, s.opts.latency_ms, &s.rec, &STYLE).await {
        return resp;
    }
    if s.opts.fail_rate > 0.0 && rec.path.starts_with("/api/") {
        let mut rng = lock(&s.rng);
        if rng.f64() < s.opts.fail_rate {
            let o = if rng.bool() {
                err(
                    500,
                    "internalServerError",
                    "Internal Server Error",
                    "Something went wrong.",
                )
            } else {
                let mut o = err(
                    503,
                    "scheduledServerMaintenance",
                    "Scheduled Server Maintenance",
                    "Outreach is down for scheduled maintenance.",
                );
                o.headers.push(("Retry-After".into(), "1".into()));
                o
            };
            return respond(o, MEDIA);
        }
    }
    if rec.path.starts_with("/oauth/") {
        return oauth(&s, &rec);
    }
    respond(route(&s, &rec, unparsable), MEDIA)
}

// ---- API -----------------------------------------------------------------------------------

fn media_ok(v: Option<&str>) -> bool {
    v.is_some_and(|v| {
        v.split(',').any(|part| {
            part.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case(MEDIA))
        })
    })
}

fn route(s: &Shared, r: &RecordedRequest, unparsable: bool) -> Out {
    let segs: Vec<&str> = r.path.trim_matches('/').split('/').collect();
    if segs.first() == Some(&"__demo") {
        return match (r.method.as_str(), &segs[1..]) {
            ("GET", ["requests"]) => out(200, json!(s.rec.requests())),
            ("POST", ["script"]) => match r
                .body
                .clone()
                .and_then(|b| serde_json::from_value::<Scripted>(b).ok())
            {
                Some(sc) => out(200, json!({ "queued": s.rec.script(sc) })),
                None => invalid("expected a Scripted JSON object", None, None),
            },
            _ => not_found("route", &r.path),
        };
    }
    let ["api", "v2", rest @ ..] = segs.as_slice() else {
        return not_found("route", &r.path);
    };
    // Outreach requires the JSON:API media type on every request, GETs included.
    if !media_ok(r.header("content-type")) {
        return out(
            415,
            json!({ "errors": [ {
                "id": "unsupportedMediaType",
                "title": "Unsupported Media Type",
                "details": "Expected Content-Type header to be application/vnd.api+json"
            } ] }),
        );
    }
    if let Some(accept) = r.header("accept")
        && !media_ok(Some(accept))
        && !accept.contains("*/*")
    {
        return out(
            415,
            json!({ "errors": [ {
                "id": "unsupportedMediaType",
                "title": "Unsupported Media Type",
                "details": "Expected Accept header to include application/vnd.api+json"
            } ] }),
        );
    }
    let token = r
        .header("authorization")
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .unwrap_or_default();
    let granted: Vec<String> = {
        let t = lock(&s.tokens);
        match t.access.get(token) {
            Some(g) if g.expires > Instant::now() => g.scopes.clone(),
            _ => {
                return err(
                    401,
                    "unauthorized",
                    "Unauthorized",
                    "The access token is invalid or has expired.",
                );
            }
        }
    };
    let m = r.method.as_str();
    let (resource, level) = match (m, rest.first()) {
        (_, Some(&"mailings")) => ("mailings", "read"),
        ("GET", _) => ("mailboxes", "read"),
        _ => ("mailboxes", "write"),
    };
    let needed = format!("{resource}.{level}");
    if !granted
        .iter()
        .any(|g| *g == needed || *g == format!("{resource}.all"))
    {
        return err(
            403,
            "unauthorizedOauthScope",
            "Unauthorized OAuth Scope",
            &format!("The access token does not include the scope {needed}."),
        );
    }
    if unparsable {
        return err(
            400,
            "badRequest",
            "Bad Request",
            "The request body is not valid JSON.",
        );
    }
    let mut d = lock(&s.data);
    let base = format!("{}/api/v2", s.origin);
    match (m, rest) {
        ("GET", ["mailboxes"]) => mailboxes(&d, r, &base),
        ("GET", ["mailboxes", id]) => with_id(id, "mailbox", |id| {
            let q = Query::parse(r)?;
            let mb = d
                .mailboxes
                .iter()
                .find(|b| b.id == id)
                .ok_or_else(|| not_found("mailbox", &id.to_string()))?;
            let mut doc = json!({ "data": mailbox_json(mb, &q, &base) });
            if q.include.contains("user") {
                doc["included"] = json!(users_json(&d, &[mb.user_id], &q));
            }
            Ok(out(200, doc))
        }),
        ("PATCH", ["mailboxes", id]) => with_id(id, "mailbox", |id| {
            patch_mailbox(&mut d, id, r, s.now_live(), &base)
        }),
        ("POST", ["mailboxes", id, "actions", action]) => with_id(id, "mailbox", |id| {
            mailbox_action(&mut d, id, action, r, s.now_live(), &base)
        }),
        ("GET", ["mailings"]) => mailings(&d, r, &base),
        ("GET", ["mailings", id]) => with_id(id, "mailing", |id| {
            let q = Query::parse(r)?;
            let ml = d
                .mailings
                .iter()
                .find(|m| m.id == id)
                .ok_or_else(|| not_found("mailing", &id.to_string()))?;
            let mut doc = json!({ "data": mailing_json(ml, &q, &base) });
            if q.include.contains("prospect") {
                doc["included"] = json!(prospects_json(&d, &[ml.prospect_id], &q));
            }
            Ok(out(200, doc))
        }),
        _ => not_found("route", &r.path),
    }
}

impl Shared {
    /// Timestamps written by actions: the dataset's clock moved on by the time since start.
    fn now_live(&self) -> i64 {
        self.now + self.started.elapsed().as_secs() as i64
    }
}

pub(super) fn with_id(id: &str, kind: &str, f: impl FnOnce(i64) -> Result<Out, Out>) -> Out {
    match id.parse::<i64>() {
        Ok(id) => f(id).unwrap_or_else(|e| e),
        Err(_) => not_found(kind, id),
    }
}
