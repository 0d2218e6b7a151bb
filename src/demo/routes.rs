//! Request handling: one fallback handler records the request, applies latency, scripted
//! responses and random failures, then dispatches on `(method, path segments)`.
//!
//! Query strings are decoded with `url::form_urlencoded` on the raw query, so `filter[type]` and
//! `filter%5Btype%5D` are the same key.

use super::contact;
use super::dataset::{Dataset, LONE_SURROGATE_MARKER, MsgIncludes, mime_for, slugify, ts};
use super::{DEMO_TOKEN, Fixtures, RecordedRequest, Scripted, Shared};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::sync::Arc;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// What a route produces.
pub(crate) enum Out {
    Json(u16, Value),
    Bytes(u16, &'static str, Vec<u8>),
}

fn msg(status: u16, m: &str) -> Out {
    Out::Json(status, json!({ "message": m }))
}
fn not_found() -> Out {
    msg(404, "Not found.")
}
fn forbidden() -> Out {
    msg(403, "This action is unauthorized.")
}

/// 422 with Laravel's shape: message = first error, errors grouped by field in insertion order.
fn invalid(errors: Vec<(String, String)>) -> Out {
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
fn finish_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    if s.contains(LONE_SURROGATE_MARKER) {
        s.replace(LONE_SURROGATE_MARKER, "\\ud800")
    } else {
        s
    }
}

fn respond(out: Out, extra: &[(String, String)]) -> Response {
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

async fn handle(State(s): State<Arc<Shared>>, req: Request) -> Response {
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
    if !rec.path.starts_with("/__demo/") {
        if let Some(sc) = s.take_script(&rec.method, &rec.path) {
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

fn authed(r: &RecordedRequest) -> bool {
    r.header("authorization")
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .is_some_and(|t| t.trim() == DEMO_TOKEN)
}

fn route(s: &Shared, r: &RecordedRequest, body_unparsable: bool) -> Out {
    let segs: Vec<&str> = r.path.trim_matches('/').split('/').collect();
    let m = r.method.as_str();
    if segs.first() == Some(&"__demo") {
        return demo_route(s, r, m, &segs[1..]);
    }
    if segs.first() != Some(&"api") {
        return not_found();
    }
    if !authed(r) {
        return msg(401, "Unauthenticated.");
    }
    if body_unparsable && matches!(m, "POST" | "PUT" | "PATCH") {
        return msg(400, "The request body is not valid JSON.");
    }
    let rest = &segs[1..];
    // Routes that do not need the tenant header.
    match (m, rest) {
        ("GET", ["v1", "me"]) => return me(&s.data.read().unwrap_or_else(|e| e.into_inner())),
        ("GET", ["v1", "logins"]) => {
            return logins(&s.data.read().unwrap_or_else(|e| e.into_inner()));
        }
        _ => {}
    }
    let tenant = {
        let d = s.data.read().unwrap_or_else(|e| e.into_inner());
        match r.header("x-plannr-account-uuid").map(str::trim) {
            None | Some("") => return forbidden(),
            Some(u) if u == d.accounts[d.me].uuid => Tenant::Employee,
            Some(u) if u == d.accounts[d.client_login].uuid => Tenant::ClientLogin,
            Some(_) => return forbidden(),
        }
    };
    if tenant == Tenant::ClientLogin {
        // The client account in the other firm may only look at itself.
        let d = s.data.read().unwrap_or_else(|e| e.into_inner());
        return match (m, rest) {
            ("GET", ["v1", "account", u]) if *u == d.accounts[d.client_login].uuid => {
                Out::Json(200, account_json(&d, d.client_login, &HashSet::new()))
            }
            _ => forbidden(),
        };
    }
    let base = s.base_url.as_str();
    let body = r.body.as_ref();
    let write = matches!(m, "POST" | "PUT" | "PATCH" | "DELETE");
    if write {
        let mut d = s.data.write().unwrap_or_else(|e| e.into_inner());
        let mut rng = s.rng.lock().unwrap_or_else(|e| e.into_inner());
        return match (m, rest) {
            ("PUT", ["v1", "mailboxes", u]) => put_mailbox(&mut d, u, body),
            ("PUT", ["v1", "conversation", u]) => put_conversation(&mut d, u, body, base),
            ("POST", ["v1", "conversation", u, "pin"]) => pin_conversation(&mut d, u, body, base),
            ("POST", ["v2", "contact-details"]) => save_detail(&mut d, None, body, &mut rng),
            ("PUT", ["v2", "contact-details", u]) => save_detail(&mut d, Some(u), body, &mut rng),
            _ => route_not_found(r),
        };
    }
    let d = s.data.read().unwrap_or_else(|e| e.into_inner());
    let res = match (m, rest) {
        ("GET", ["v1", "mailboxes"]) => Ok(Out::Json(
            200,
            json!({ "data": (0..d.mailboxes.len()).map(|i| d.render_mailbox(i)).collect::<Vec<_>>() }),
        )),
        ("GET", ["v1", "mailboxes", "message", u]) => show_message(&d, r, u, base),
        ("GET", ["v1", "client", u, "emails"]) => client_emails(&d, r, u, base),
        ("GET", ["v1", "conversation"]) => list_conversations(&d, r, base),
        ("GET", ["v1", "conversation", u]) => show_conversation(&d, r, u, base),
        ("GET", ["v1", "conversation", u, "messages"]) => conversation_messages(&d, r, u, base),
        ("GET", ["v1", "conversation", u, "messages", mu]) => {
            Ok(conversation_message(&d, u, mu, base))
        }
        ("GET", ["v1", "account"]) => list_accounts(&d, r, base),
        ("GET", ["v1", "account", u]) => show_account(&d, r, u),
        ("GET", ["v2", "contact-details"]) => list_details(&d, r, base),
        _ => Ok(route_not_found(r)),
    };
    res.unwrap_or_else(|e| e)
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Tenant {
    Employee,
    ClientLogin,
}

fn route_not_found(r: &RecordedRequest) -> Out {
    msg(
        404,
        &format!(
            "The route {} could not be found.",
            r.path.trim_start_matches('/')
        ),
    )
}

// ---------------------------------------------------------------- /__demo

fn demo_route(s: &Shared, r: &RecordedRequest, m: &str, rest: &[&str]) -> Out {
    match (m, rest) {
        ("POST", ["script"]) => match r.body.clone().map(serde_json::from_value::<Scripted>) {
            Some(Ok(sc)) => {
                let mut q = s.scripts.lock().unwrap_or_else(|e| e.into_inner());
                q.push_back(sc);
                Out::Json(201, json!({ "queued": q.len() }))
            }
            Some(Err(e)) => invalid(vec![("body".into(), e.to_string())]),
            None => invalid(vec![(
                "body".into(),
                "A Scripted JSON body is required.".into(),
            )]),
        },
        ("GET", ["fixtures"]) => Out::Json(
            200,
            serde_json::to_value(fixtures(&s.data.read().unwrap_or_else(|e| e.into_inner())))
                .unwrap_or_default(),
        ),
        ("GET", ["requests"]) => {
            let log = s.log.lock().unwrap_or_else(|e| e.into_inner());
            Out::Json(200, serde_json::to_value(&*log).unwrap_or_default())
        }
        ("DELETE", ["requests"]) => {
            s.log.lock().unwrap_or_else(|e| e.into_inner()).clear();
            Out::Json(200, json!({ "cleared": true }))
        }
        ("GET", ["files", u]) => {
            if !authed(r) {
                return msg(401, "Unauthenticated.");
            }
            let d = s.data.read().unwrap_or_else(|e| e.into_inner());
            match d.find_file(u) {
                Some((name, size)) => {
                    let ext = name.rsplit('.').next().unwrap_or("");
                    Out::Bytes(200, mime_for(ext), file_bytes(ext, size))
                }
                None => not_found(),
            }
        }
        _ => not_found(),
    }
}

fn file_bytes(ext: &str, size: usize) -> Vec<u8> {
    let head: &[u8] = match ext {
        "pdf" => b"%PDF-1.4\n% demo file\n",
        "jpg" => b"\xFF\xD8\xFF\xE0demo",
        "docx" | "xlsx" => b"PK\x03\x04demo",
        _ => b"demo",
    };
    let mut v = Vec::with_capacity(size);
    v.extend_from_slice(&head[..head.len().min(size)]);
    let filler = b"Harbour Wealth demo attachment. ";
    while v.len() < size {
        let n = (size - v.len()).min(filler.len());
        v.extend_from_slice(&filler[..n]);
    }
    v
}

// ---------------------------------------------------------------- query helpers

type Res = Result<Out, Out>;

fn includes(r: &RecordedRequest, allowed: &[&str]) -> Result<HashSet<String>, Out> {
    let list = csv(r.query_get("include").unwrap_or(""));
    let bad: Vec<&String> = list
        .iter()
        .filter(|i| !allowed.contains(&i.as_str()))
        .collect();
    if !bad.is_empty() {
        return Err(msg(
            400,
            &format!(
                "Requested include(s) `{}` are not allowed. Allowed include(s) are `{}`.",
                bad.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                allowed.join(", ")
            ),
        ));
    }
    Ok(list.into_iter().collect())
}

fn check_filters(r: &RecordedRequest, allowed: &[&str]) -> Result<(), Out> {
    let bad: Vec<&str> = r
        .query
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("filter[")?.strip_suffix(']'))
        .filter(|f| !allowed.contains(f) && !f.starts_with("custom_field:"))
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(msg(
            400,
            &format!(
                "Requested filter(s) `{}` are not allowed. Allowed filter(s) are `{}`.",
                bad.join(", "),
                allowed.join(", ")
            ),
        ))
    }
}

/// Parses `sort` (single field, `-` = descending) against an allow-list.
fn sort_arg(r: &RecordedRequest, allowed: &[&str], default: &str) -> Result<(String, bool), Out> {
    let raw = r
        .query_get("sort")
        .filter(|s| !s.is_empty())
        .unwrap_or(default);
    let first = raw.split(',').next().unwrap_or(default).trim();
    let (field, desc) = match first.strip_prefix('-') {
        Some(f) => (f, true),
        None => (first, false),
    };
    if !allowed.contains(&field) {
        return Err(msg(
            400,
            &format!(
                "Requested sort(s) `{raw}` is not allowed. Allowed sort(s) are `{}`.",
                allowed.join(", ")
            ),
        ));
    }
    Ok((field.to_string(), desc))
}

fn filter<'a>(r: &'a RecordedRequest, name: &str) -> Option<&'a str> {
    r.query_get(&format!("filter[{name}]"))
}

fn csv(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// `(page, per_page)`: per_page clamped to 1..=500, page ≥ 1; garbage falls back to defaults.
fn page_args(r: &RecordedRequest, page_key: &str, default_pp: usize) -> (usize, usize) {
    let pp = r
        .query_get("per_page")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(|v| v.clamp(1, 500) as usize)
        .unwrap_or(default_pp);
    let page = r
        .query_get(page_key)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(|v| v.max(1) as usize)
        .unwrap_or(1);
    (page, pp)
}

fn page_range(page: usize, pp: usize, total: usize) -> std::ops::Range<usize> {
    let start = (page - 1).saturating_mul(pp).min(total);
    start..(start + pp).min(total)
}

/// The tail every `?page=&per_page=` list shares: order (`desc` reverses), cut the requested page,
/// render its rows and wrap them in the Laravel paginator for `path`.
fn paged_list<T: Copy>(
    r: &RecordedRequest,
    base: &str,
    path: &str,
    mut rows: Vec<T>,
    desc: bool,
    render: impl Fn(T) -> Value,
) -> Res {
    if desc {
        rows.reverse();
    }
    let (page, pp) = page_args(r, "page", 15);
    let data = rows[page_range(page, pp, rows.len())]
        .iter()
        .map(|&row| render(row))
        .collect();
    Ok(Out::Json(
        200,
        paginator(base, path, "page", page, pp, rows.len(), data),
    ))
}

/// Laravel `LengthAwarePaginator` JSON. `page_key` is `page`, `page[ancestors]`, …
fn paginator(
    base: &str,
    path: &str,
    page_key: &str,
    page: usize,
    pp: usize,
    total: usize,
    data: Vec<Value>,
) -> Value {
    let last = total.div_ceil(pp).max(1);
    let key: String = url::form_urlencoded::byte_serialize(page_key.as_bytes()).collect();
    let url = |p: usize| format!("{base}{path}?{key}={p}");
    let range = page_range(page, pp, total);
    let (from, to) = if range.is_empty() {
        (Value::Null, Value::Null)
    } else {
        (json!(range.start + 1), json!(range.end))
    };
    let mut links = vec![
        json!({"url": (page > 1).then(|| url(page - 1)), "label": "&laquo; Previous", "active": false}),
    ];
    let mut push_page =
        |p: usize| links.push(json!({"url": url(p), "label": p.to_string(), "active": p == page}));
    if last <= 13 {
        (1..=last).for_each(&mut push_page);
    } else {
        let window: Vec<usize> = (1..=2)
            .chain(page.saturating_sub(3).max(1)..=(page + 3).min(last))
            .chain(last - 1..=last)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut prev = 0;
        for p in window {
            if p > prev + 1 {
                links.push(json!({"url": null, "label": "...", "active": false}));
            }
            links.push(json!({"url": url(p), "label": p.to_string(), "active": p == page}));
            prev = p;
        }
    }
    links.push(json!({"url": (page < last).then(|| url(page + 1)), "label": "Next &raquo;", "active": false}));
    json!({
        "data": data,
        "links": {
            "first": url(1),
            "last": url(last),
            "prev": (page > 1).then(|| url(page - 1)),
            "next": (page < last).then(|| url(page + 1)),
        },
        "meta": {
            "current_page": page, "from": from, "last_page": last, "links": links,
            "path": format!("{base}{path}"), "per_page": pp, "to": to, "total": total,
        }
    })
}

// ---------------------------------------------------------------- identity

fn login_json(d: &Dataset, k: usize) -> Value {
    let (acc, firm) = if k == 0 {
        (d.me, 0)
    } else {
        (d.client_login, 1)
    };
    let a = &d.accounts[acc];
    let mut v = json!({
        "uuid": d.login_uuids[k], "created_at": ts(a.created_at), "updated_at": ts(a.updated_at),
        "expires_at": null, "has_write_permission": true, "has_delete_permission": k == 0,
        "primary": k == 0, "receives_unread_notifications_email": true, "wealth_enabled": true,
        "goals_enabled": k == 0, "factfind_enabled": true, "tasks_enabled": k == 0, "welcome_enabled": false,
        "first_name": a.first_name, "last_name": a.last_name, "email": a.email,
        "account": d.render_slim_account(acc), "firm": d.render_firm(firm),
    });
    if k == 0 {
        v["preferred_account_uuid"] = json!(a.uuid);
    }
    v
}

fn me(d: &Dataset) -> Out {
    let a = &d.accounts[d.me];
    Out::Json(
        200,
        json!({
            "uuid": d.user_uuid, "created_at": ts(a.created_at), "updated_at": ts(a.updated_at),
            "type": "standard", "first_name": a.first_name, "last_name": a.last_name, "name": a.name(),
            "email": a.email, "photo_url": format!("https://eu.ui-avatars.com/api/?name={}+{}", a.first_name, a.last_name),
            "otp_pending": false, "two_factor_type": null, "two_factor_enabled": false, "sms_two_factor_enabled": false,
            "current_login": login_json(d, 0), "current_account": d.render_slim_account(d.me),
        }),
    )
}

fn logins(d: &Dataset) -> Out {
    Out::Json(
        200,
        json!({
            "data": [login_json(d, 0), login_json(d, 1)],
            "preferred_account_uuid": d.accounts[d.me].uuid,
        }),
    )
}

// ---------------------------------------------------------------- mailboxes

fn put_mailbox(d: &mut Dataset, u: &str, body: Option<&Value>) -> Out {
    let Some(m) = d.mailboxes.iter().position(|mb| mb.uuid == u) else {
        return not_found();
    };
    let empty = Map::new();
    let b = body.and_then(Value::as_object).unwrap_or(&empty);
    let mut errs = Vec::new();
    let mut enabled = None;
    let mut name = None;
    match b.get("enabled") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(v)) => enabled = Some(*v),
        Some(_) => errs.push((
            "enabled".into(),
            "The enabled field must be true or false.".into(),
        )),
    }
    match b.get("name") {
        None => {}
        Some(Value::String(s)) if s.trim().is_empty() => {
            errs.push(("name".into(), "The name field is required.".into()))
        }
        Some(Value::String(s)) if s.trim().chars().count() > 255 => errs.push((
            "name".into(),
            "The name field must not be greater than 255 characters.".into(),
        )),
        Some(Value::String(s)) => name = Some(s.trim().to_string()),
        Some(Value::Null) => errs.push(("name".into(), "The name field is required.".into())),
        Some(_) => errs.push(("name".into(), "The name field must be a string.".into())),
    }
    if errs.is_empty() && enabled.is_none() && name.is_none() {
        errs.push((
            "enabled".into(),
            "The enabled field is required when name is not present.".into(),
        ));
    }
    if !errs.is_empty() {
        return invalid(errs);
    }
    let mb = &mut d.mailboxes[m];
    if let Some(e) = enabled {
        mb.enabled = e;
    }
    if let Some(n) = name {
        mb.name = n;
    }
    mb.updated_at = bump(mb.updated_at);
    Out::Json(200, d.render_mailbox(m))
}

fn bump(prev: i64) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    now.max(prev + 1)
}

// ---------------------------------------------------------------- emails

/// The opened message plus its thread. Ordering of the sub-lists: **closest to the opened
/// message first**. `ancestors` page 1 holds the `per_page` messages immediately before it
/// (newest→oldest), page 2 goes further back; `descendants` page 1 holds the ones immediately
/// after it (oldest→newest), page 2 goes further forward. Clients should still sort by
/// `message_created_at` (the docs do not promise an order).
fn show_message(d: &Dataset, r: &RecordedRequest, u: &str, base: &str) -> Res {
    let (t, i) = d.decode_message(u).ok_or_else(not_found)?;
    let th = &d.threads[t];
    let path = format!("/api/v1/mailboxes/message/{u}");
    let mut v = d.render_message(t, i, base, &MsgIncludes::all());
    let sub = MsgIncludes {
        participants: true,
        attachments: true,
        ..MsgIncludes::default()
    };
    let (pa, pp) = page_args(r, "page[ancestors]", 25);
    let n_anc = i as usize;
    let anc: Vec<Value> = page_range(pa, pp, n_anc)
        .map(|k| d.render_message(t, i - 1 - k as u32, base, &sub))
        .collect();
    let (pd, _) = page_args(r, "page[descendants]", 25);
    let n_desc = (th.len - 1 - i) as usize;
    let desc: Vec<Value> = page_range(pd, pp, n_desc)
        .map(|k| d.render_message(t, i + 1 + k as u32, base, &sub))
        .collect();
    v["ancestors"] = paginator(base, &path, "page[ancestors]", pa, pp, n_anc, anc);
    v["descendants"] = paginator(base, &path, "page[descendants]", pd, pp, n_desc, desc);
    Ok(Out::Json(200, v))
}

fn client_emails(d: &Dataset, r: &RecordedRequest, u: &str, base: &str) -> Res {
    let ci = d
        .account_by_uuid(u)
        .filter(|&a| d.accounts[a].kind == "client" && d.accounts[a].firm == 0)
        .ok_or_else(not_found)?;
    let inc = includes(r, &["firm", "mailbox", "participants", "attachments"])?;
    check_filters(r, &["incoming", "uuid"])?;
    let (_, desc) = sort_arg(
        r,
        &["created_at", "updated_at", "message_created_at"],
        "-message_created_at",
    )?;
    // All three sort fields are monotonic in the send time.
    let incoming = match filter(r, "incoming") {
        None | Some("") => None,
        Some(v) => Some(parse_bool(v).ok_or_else(|| {
            invalid(vec![(
                "filter.incoming".into(),
                "The filter.incoming field must be true or false.".into(),
            )])
        })?),
    };
    let uuids: Option<HashSet<(usize, u32)>> =
        filter(r, "uuid").map(|v| csv(v).iter().filter_map(|x| d.decode_message(x)).collect());
    let search = r
        .query_get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let probe = MsgIncludes {
        participants: true,
        ..MsgIncludes::default()
    };
    let mut entries: Vec<(i64, usize, u32)> = Vec::new();
    for (t, th) in d
        .threads
        .iter()
        .enumerate()
        .filter(|(_, th)| th.client == ci)
    {
        for i in th.listed_from..th.len {
            if uuids.as_ref().is_some_and(|set| !set.contains(&(t, i))) {
                continue;
            }
            if incoming.is_some() || search.is_some() {
                let m = d.render_message(t, i, base, &probe);
                if incoming.is_some_and(|inc| m["incoming"] != json!(inc)) {
                    continue;
                }
                if search.as_ref().is_some_and(|q| !message_matches(&m, q)) {
                    continue;
                }
            }
            entries.push((th.msg_ts(i), t, i));
        }
    }
    entries.sort();
    if desc {
        entries.reverse();
    }
    let (page, pp) = page_args(r, "page", 15);
    let mi = MsgIncludes {
        html: false,
        mailbox: inc.contains("mailbox"),
        participants: inc.contains("participants"),
        attachments: inc.contains("attachments"),
        firm: inc.contains("firm"),
    };
    let data = entries[page_range(page, pp, entries.len())]
        .iter()
        .map(|&(_, t, i)| d.render_message(t, i, base, &mi))
        .collect();
    Ok(Out::Json(
        200,
        paginator(
            base,
            &format!("/api/v1/client/{u}/emails"),
            "page",
            page,
            pp,
            entries.len(),
            data,
        ),
    ))
}

fn message_matches(m: &Value, q: &str) -> bool {
    let has = |v: &Value| v.as_str().is_some_and(|s| s.to_lowercase().contains(q));
    has(&m["subject"])
        || has(&m["text"])
        || m["participants"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| has(&p["name"]) || has(&p["email"])))
}

// ---------------------------------------------------------------- conversations

const CONV_INCLUDES: &[&str] = &[
    "participants",
    "participants_count",
    "latest_message",
    "messages_count",
    "files_count",
    "case",
    "tags",
];

fn conv_json(d: &Dataset, c: usize, inc: &HashSet<String>, base: &str) -> Value {
    let conv = &d.conversations[c];
    let mut v = json!({
        "uuid": conv.uuid, "created_at": ts(conv.created_at), "updated_at": ts(conv.updated_at),
        "name": conv.name, "slug": slugify(&conv.name), "belongs_to_case": false,
    });
    if inc.contains("case") {
        v["case"] = Value::Null;
    }
    if inc.contains("participants") {
        v["participants"] = Value::Array(
            conv.participants
                .iter()
                .map(|&a| d.render_slim_account(a))
                .collect(),
        );
        v["pinned"] = json!(conv.pinned);
        v["is_admin"] = json!(conv.is_admin);
    }
    if inc.contains("participants_count") {
        v["participants_count"] = json!(conv.participants.len());
    }
    if inc.contains("latest_message") {
        v["latest_message"] = if conv.messages == 0 {
            Value::Null
        } else {
            d.render_conv_message(c, conv.messages - 1, base)
        };
    }
    if inc.contains("messages_count") {
        v["messages_count"] = json!(conv.messages);
    }
    if inc.contains("files_count") {
        let n = (0..conv.messages)
            .filter(|&i| d.conv_file_spec(c, i).is_some())
            .count();
        v["files_count"] = json!(n);
    }
    if inc.contains("tags") {
        v["tags"] = Value::Array(
            conv.tags
                .iter()
                .map(|&t| {
                    let tag = &d.tags[t];
                    json!({"uuid": tag.uuid, "name": tag.name, "slug": slugify(&tag.name), "colour": tag.colour,
                           "created_at": ts(conv.created_at), "updated_at": ts(conv.created_at)})
                })
                .collect(),
        );
    }
    v
}

fn list_conversations(d: &Dataset, r: &RecordedRequest, base: &str) -> Res {
    let inc = includes(r, CONV_INCLUDES)?;
    check_filters(r, &["uuid", "archived", "circle_uuids"])?;
    let (field, desc) = sort_arg(
        r,
        &[
            "created_at",
            "updated_at",
            "latest_message",
            "pinned_conversations",
        ],
        "latest_message",
    )?;
    let archived = filter(r, "archived")
        .unwrap_or("false")
        .to_ascii_lowercase();
    let uuids = filter(r, "uuid").map(csv);
    let mut idx: Vec<usize> = (0..d.conversations.len())
        .filter(|&c| {
            let conv = &d.conversations[c];
            let arch_ok = match archived.as_str() {
                "only" => conv.archived,
                "with" => true,
                _ => !conv.archived,
            };
            arch_ok && uuids.as_ref().is_none_or(|u| u.contains(&conv.uuid))
        })
        .collect();
    let key = |c: usize| -> (i64, i64) {
        let conv = &d.conversations[c];
        match field.as_str() {
            "created_at" => (0, conv.created_at),
            "updated_at" => (0, conv.updated_at),
            // `pinned_conversations`: pinned first (ascending), then most recent activity.
            "pinned_conversations" => (if conv.pinned { 0 } else { 1 }, -conv.latest_ts()),
            _ => (0, conv.latest_ts()),
        }
    };
    idx.sort_by_key(|&c| (key(c), c));
    paged_list(r, base, "/api/v1/conversation", idx, desc, |c| {
        conv_json(d, c, &inc, base)
    })
}

fn find_conv(d: &Dataset, u: &str) -> Result<usize, Out> {
    d.conversations
        .iter()
        .position(|c| c.uuid == u)
        .ok_or_else(not_found)
}

fn show_conversation(d: &Dataset, r: &RecordedRequest, u: &str, base: &str) -> Res {
    let c = find_conv(d, u)?;
    let inc = includes(r, CONV_INCLUDES)?;
    Ok(Out::Json(200, conv_json(d, c, &inc, base)))
}

fn all_conv_includes() -> HashSet<String> {
    [
        "participants",
        "participants_count",
        "messages_count",
        "tags",
        "latest_message",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn put_conversation(d: &mut Dataset, u: &str, body: Option<&Value>, base: &str) -> Out {
    let c = match find_conv(d, u) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let name = match body.and_then(|b| b.get("name")) {
        None | Some(Value::Null) => {
            return invalid(vec![("name".into(), "The name field is required.".into())]);
        }
        Some(Value::String(s)) => s.trim().to_string(),
        Some(_) => {
            return invalid(vec![(
                "name".into(),
                "The name field must be a string.".into(),
            )]);
        }
    };
    if name.is_empty() {
        return invalid(vec![("name".into(), "The name field is required.".into())]);
    }
    if name.chars().count() > 255 {
        return invalid(vec![(
            "name".into(),
            "The name field must not be greater than 255 characters.".into(),
        )]);
    }
    let conv = &mut d.conversations[c];
    conv.name = name;
    conv.updated_at = bump(conv.updated_at);
    Out::Json(200, conv_json(d, c, &all_conv_includes(), base))
}

fn pin_conversation(d: &mut Dataset, u: &str, body: Option<&Value>, base: &str) -> Out {
    let c = match find_conv(d, u) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let pin = match body.and_then(|b| b.get("pin")) {
        None | Some(Value::Null) => {
            return invalid(vec![("pin".into(), "The pin field is required.".into())]);
        }
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return invalid(vec![(
                "pin".into(),
                "The pin field must be true or false.".into(),
            )]);
        }
    };
    d.conversations[c].pinned = pin;
    Out::Json(200, conv_json(d, c, &all_conv_includes(), base))
}

fn conversation_messages(d: &Dataset, r: &RecordedRequest, u: &str, base: &str) -> Res {
    let c = find_conv(d, u)?;
    let (_, desc) = sort_arg(r, &["created_at"], "-created_at")?;
    let n = d.conversations[c].messages as usize;
    let (page, pp) = page_args(r, "page", 30);
    let data = page_range(page, pp, n)
        .map(|k| {
            let i = if desc { n - 1 - k } else { k };
            d.render_conv_message(c, i as u32, base)
        })
        .collect();
    Ok(Out::Json(
        200,
        paginator(
            base,
            &format!("/api/v1/conversation/{u}/messages"),
            "page",
            page,
            pp,
            n,
            data,
        ),
    ))
}

fn conversation_message(d: &Dataset, u: &str, mu: &str, base: &str) -> Out {
    let Ok(c) = find_conv(d, u) else {
        return not_found();
    };
    (0..d.conversations[c].messages)
        .find(|&i| d.conv_message_uuid(c, i) == mu)
        .map(|i| Out::Json(200, d.render_conv_message(c, i, base)))
        .unwrap_or_else(not_found)
}

// ---------------------------------------------------------------- accounts

fn primary_of(d: &Dataset, a: usize, kind: &str) -> Value {
    let u = &d.accounts[a].uuid;
    d.details
        .iter()
        .find(|cd| cd.kind == kind && cd.primaries.contains(u))
        .map(|cd| d.render_detail(cd, false, false))
        .unwrap_or(Value::Null)
}

fn account_json(d: &Dataset, a: usize, inc: &HashSet<String>) -> Value {
    let mut v = d.render_slim_account(a);
    if inc.contains("primary_email") {
        v["primary_email"] = primary_of(d, a, "email");
    }
    if inc.contains("primary_phone_number") {
        v["primary_phone_number"] = primary_of(d, a, "phone_number");
    }
    let acc = &d.accounts[a];
    v["has_joint_account"] = json!(acc.role == "joint");
    v["with_login"] = json!(acc.kind == "employee");
    v["can_be_deleted"] = json!(false);
    v
}

const ACCOUNT_INCLUDES: &[&str] = &[
    "primary_phone_number",
    "primary_email",
    "primary_address",
    "assigned_adviser",
    "assigned_administrator",
    "assigned_paraplanner",
    "groups",
    "tags",
    "owners",
    "custom_fields",
    "external_references",
    "charge_split_schema",
];

fn list_accounts(d: &Dataset, r: &RecordedRequest, base: &str) -> Res {
    let inc = includes(r, ACCOUNT_INCLUDES)?;
    let (field, desc) = sort_arg(
        r,
        &[
            "created_at",
            "updated_at",
            "first_name",
            "last_name",
            "email",
            "next_review_date",
            "previous_review_date",
            "anniversary_review_date",
        ],
        "first_name",
    )?;
    let types = filter(r, "type").map(csv);
    let roles = filter(r, "role").map(csv);
    let uuids = filter(r, "uuid").map(csv);
    let name = filter(r, "name")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let mut idx: Vec<usize> = (0..d.accounts.len())
        .filter(|&a| {
            let acc = &d.accounts[a];
            acc.firm == 0
                && types
                    .as_ref()
                    .is_none_or(|t| t.iter().any(|x| x == acc.kind))
                && roles
                    .as_ref()
                    .is_none_or(|t| t.iter().any(|x| x == acc.role))
                && uuids.as_ref().is_none_or(|t| t.contains(&acc.uuid))
                && name.as_ref().is_none_or(|q| {
                    acc.first_name.to_lowercase().contains(q)
                        || acc.last_name.to_lowercase().contains(q)
                        || acc.name().to_lowercase().contains(q)
                })
        })
        .collect();
    idx.sort_by(|&x, &y| {
        let (a, b) = (&d.accounts[x], &d.accounts[y]);
        let o = match field.as_str() {
            "last_name" => a.last_name.to_lowercase().cmp(&b.last_name.to_lowercase()),
            "email" => a.email.cmp(&b.email),
            "created_at" => a.created_at.cmp(&b.created_at),
            "updated_at" => a.updated_at.cmp(&b.updated_at),
            "first_name" => a
                .first_name
                .to_lowercase()
                .cmp(&b.first_name.to_lowercase()),
            _ => a.created_at.cmp(&b.created_at),
        };
        o.then(x.cmp(&y))
    });
    paged_list(r, base, "/api/v1/account", idx, desc, |a| {
        account_json(d, a, &inc)
    })
}

fn show_account(d: &Dataset, r: &RecordedRequest, u: &str) -> Res {
    let a = d
        .account_by_uuid(u)
        .filter(|&a| d.accounts[a].firm == 0)
        .ok_or_else(not_found)?;
    let inc = includes(r, ACCOUNT_INCLUDES)?;
    let mut v = account_json(d, a, &inc);
    v["firm"] = d.render_firm(0);
    Ok(Out::Json(200, v))
}

// ---------------------------------------------------------------- contact details

fn list_details(d: &Dataset, r: &RecordedRequest, base: &str) -> Res {
    let inc = includes(r, &["accounts", "primary_accounts"])?;
    check_filters(
        r,
        &["uuid", "account_uuids", "circle_uuids", "type", "value"],
    )?;
    let (field, desc) = sort_arg(
        r,
        &["created_at", "updated_at", "name", "value"],
        "created_at",
    )?;
    let uuids = filter(r, "uuid").map(csv);
    let owners = filter(r, "account_uuids").map(csv);
    let types = filter(r, "type").map(csv);
    let values: Option<Vec<String>> =
        filter(r, "value").map(|v| csv(v).into_iter().map(|x| x.to_lowercase()).collect());
    let mut idx: Vec<usize> = (0..d.details.len())
        .filter(|&k| {
            let cd = &d.details[k];
            uuids.as_ref().is_none_or(|u| u.contains(&cd.uuid))
                && owners
                    .as_ref()
                    .is_none_or(|o| o.iter().any(|x| cd.accounts.contains(x)))
                && types
                    .as_ref()
                    .is_none_or(|t| t.iter().any(|x| x == cd.kind))
                && values
                    .as_ref()
                    .is_none_or(|vs| vs.iter().any(|x| cd.value.to_lowercase().contains(x)))
        })
        .collect();
    idx.sort_by(|&x, &y| {
        let (a, b) = (&d.details[x], &d.details[y]);
        let o = match field.as_str() {
            "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            "value" => a.value.cmp(&b.value),
            "updated_at" => a.updated_at.cmp(&b.updated_at),
            _ => a.created_at.cmp(&b.created_at),
        };
        o.then(x.cmp(&y))
    });
    paged_list(r, base, "/api/v2/contact-details", idx, desc, |k| {
        d.render_detail(
            &d.details[k],
            inc.contains("accounts"),
            inc.contains("primary_accounts"),
        )
    })
}

/// POST (`existing == None`) or PUT a contact detail, with Laravel-style validation.
fn save_detail(
    d: &mut Dataset,
    existing: Option<&str>,
    body: Option<&Value>,
    rng: &mut fastrand::Rng,
) -> Out {
    let pos = match existing {
        Some(u) => match d.details.iter().position(|cd| cd.uuid == u) {
            Some(p) => Some(p),
            None => return not_found(),
        },
        None => None,
    };
    let empty = Map::new();
    let b = body.and_then(Value::as_object).unwrap_or(&empty);
    let mut errs: Vec<(String, String)> = Vec::new();
    let mut e = |f: &str, m: &str| errs.push((f.to_string(), m.to_string()));

    // type (create only; ignored on update)
    let kind: Option<&'static str> = match pos {
        Some(p) => Some(d.details[p].kind),
        None => match b.get("type") {
            None | Some(Value::Null) => {
                e("type", "The type field is required.");
                None
            }
            Some(Value::String(s)) if s == "email" => Some("email"),
            Some(Value::String(s)) if s == "phone_number" => Some("phone_number"),
            Some(_) => {
                e("type", "The selected type is invalid.");
                None
            }
        },
    };
    // name
    let name = match b.get("name") {
        None | Some(Value::Null) => {
            e("name", "The name field is required.");
            None
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            e("name", "The name field is required.");
            None
        }
        Some(Value::String(s)) if s.chars().count() > 255 => {
            e(
                "name",
                "The name field must not be greater than 255 characters.",
            );
            None
        }
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(_) => {
            e("name", "The name field must be a string.");
            None
        }
    };
    // value
    let value: Option<String> = match (b.get("value"), kind) {
        (None | Some(Value::Null), _) => {
            e("value", "The value field is required.");
            None
        }
        (Some(Value::String(s)), _) if s.trim().is_empty() => {
            e("value", "The value field is required.");
            None
        }
        (Some(_), None) => None,
        (Some(Value::String(s)), Some("email")) => {
            if contact::valid_email(s) {
                Some(s.trim().to_string())
            } else {
                e("value", "The value field must be a valid email address.");
                None
            }
        }
        (Some(_), Some("email")) => {
            e("value", "The value field must be a string.");
            None
        }
        (Some(Value::String(s)), Some(_)) => {
            let p = contact::normalise_phone(s, None);
            if p.is_none() {
                e("value", "The value field must be a valid phone number.");
            }
            p
        }
        (Some(Value::Object(o)), Some(_)) => {
            let country = o.get("country").and_then(Value::as_str);
            let number = o.get("number").and_then(Value::as_str);
            match (country, number) {
                (Some(c), _) if !contact::country_known(c) => {
                    e("value.country", "The selected value.country is invalid.");
                    None
                }
                (_, None) => {
                    e("value.number", "The value.number field is required.");
                    None
                }
                (c, Some(n)) => {
                    let p = contact::normalise_phone(n, c);
                    if p.is_none() {
                        e("value", "The value field must be a valid phone number.");
                    }
                    p
                }
            }
        }
        (Some(_), Some(_)) => {
            e("value", "The value field must be a valid phone number.");
            None
        }
    };
    // account_uuids
    let is_client = |u: &str| {
        d.account_by_uuid(u)
            .is_some_and(|a| d.accounts[a].kind == "client" && d.accounts[a].firm == 0)
    };
    let mut owners: Vec<String> = Vec::new();
    match b.get("account_uuids") {
        None | Some(Value::Null) => e("account_uuids", "The account_uuids field is required."),
        Some(Value::Array(a)) if a.is_empty() => {
            e("account_uuids", "The account_uuids field is required.")
        }
        Some(Value::Array(a)) => {
            for (k, x) in a.iter().enumerate() {
                match x.as_str() {
                    Some(u) if is_client(u) => {
                        if !owners.iter().any(|o| o == u) {
                            owners.push(u.to_string());
                        }
                    }
                    _ => {
                        let f = format!("account_uuids.{k}");
                        e(&f, &format!("The selected {f} is invalid."));
                    }
                }
            }
        }
        Some(_) => e("account_uuids", "The account_uuids field must be an array."),
    }
    let mut primaries: Vec<String> = Vec::new();
    match b.get("primary_account_uuids") {
        // Optional: left out of a PUT, the primaries stay as they are (those still owners).
        None | Some(Value::Null) => {
            if let Some(p) = pos {
                primaries = d.details[p]
                    .primaries
                    .iter()
                    .filter(|u| owners.contains(u))
                    .cloned()
                    .collect();
            }
        }
        Some(Value::Array(a)) => {
            for (k, x) in a.iter().enumerate() {
                match x.as_str() {
                    Some(u) if owners.iter().any(|o| o == u) => {
                        if !primaries.iter().any(|p| p == u) {
                            primaries.push(u.to_string());
                        }
                    }
                    _ => {
                        let f = format!("primary_account_uuids.{k}");
                        e(&f, &format!("The selected {f} is invalid."));
                    }
                }
            }
        }
        Some(_) => e(
            "primary_account_uuids",
            "The primary_account_uuids field must be an array.",
        ),
    }
    if pos.is_none() {
        match b.get("is_primary") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(true)) => {
                for o in &owners {
                    if !primaries.contains(o) {
                        primaries.push(o.clone());
                    }
                }
            }
            Some(Value::Bool(false)) => {}
            Some(_) => e("is_primary", "The is_primary field must be true or false."),
        }
    }
    if !errs.is_empty() {
        return invalid(errs);
    }
    let (Some(kind), Some(name), Some(value)) = (kind, name, value) else {
        return invalid(vec![("value".into(), "The value field is invalid.".into())]);
    };
    let meta = if kind == "phone_number" {
        contact::phone_meta(&value)
    } else {
        None
    };
    let idx = match pos {
        Some(p) => {
            let cd = &mut d.details[p];
            cd.name = name;
            cd.value = value;
            cd.meta = meta;
            cd.accounts = owners;
            cd.primaries = primaries.clone();
            cd.updated_at = bump(cd.updated_at);
            p
        }
        None => {
            let now = bump(0);
            d.details.push(super::dataset::ContactDetail {
                uuid: super::dataset::random_uuid(rng),
                kind,
                name,
                value,
                meta,
                accounts: owners,
                primaries: primaries.clone(),
                created_at: now,
                updated_at: now,
            });
            d.details.len() - 1
        }
    };
    // An account has at most one primary detail of each type.
    for (k, other) in d.details.iter_mut().enumerate() {
        if k != idx && other.kind == kind {
            other.primaries.retain(|p| !primaries.contains(p));
        }
    }
    if pos.is_none() {
        return Out::Json(201, d.render_detail(&d.details[idx], true, true));
    }
    // The PUT answer as seed 004 prints it: `accounts` (an object for a single owner) and no
    // `primary_accounts`.
    let mut o = d.render_detail(&d.details[idx], true, false);
    if let Some(Value::Array(a)) = o.get_mut("accounts")
        && a.len() == 1
    {
        let one = a.remove(0);
        o["accounts"] = one;
    }
    Out::Json(200, o)
}

// ---------------------------------------------------------------- fixtures

pub(crate) fn fixtures(d: &Dataset) -> Fixtures {
    let acc = |i: usize| d.accounts[i].uuid.clone();
    let find_thread = |len: u32| {
        d.threads
            .iter()
            .position(|t| t.len == len && t.hostile.is_none())
            .unwrap_or(0)
    };
    let huge = find_thread(super::HUGE_THREAD_LEN);
    let big = find_thread(super::BIG_THREAD_LEN);
    let medium = find_thread(super::MEDIUM_THREAD_LEN);
    let single = d
        .threads
        .iter()
        .position(|t| t.len == 1 && t.hostile.is_none())
        .unwrap_or(0);
    let (att_msg, att) = d
        .threads
        .iter()
        .enumerate()
        .filter(|(_, t)| t.hostile.is_none() && t.len < 60)
        .flat_map(|(t, th)| (0..th.len).map(move |i| (t, i)))
        .find_map(|(t, i)| {
            let v = d.render_message(
                t,
                i,
                "",
                &MsgIncludes {
                    attachments: true,
                    ..Default::default()
                },
            );
            v["attachments"][0]["uuid"]
                .as_str()
                .map(|a| (d.message_uuid(t, i), a.to_string()))
        })
        .unwrap_or_default();
    let hostile_threads: Vec<usize> = (0..d.threads.len())
        .filter(|&t| d.threads[t].hostile.is_some())
        .collect();
    let hostile_of = |h: super::dataset::Hostile| {
        d.threads
            .iter()
            .position(|t| t.hostile == Some(h))
            .map(|t| d.message_uuid(t, 0))
            .unwrap_or_default()
    };
    let joint = (acc(d.clients[0]), acc(d.clients[1]));
    let shared = d
        .details
        .iter()
        .find(|cd| cd.accounts.len() > 1)
        .map(|cd| cd.uuid.clone())
        .unwrap_or_default();
    let rich_client = d.clients[0];
    let conv = |k: usize| d.conversations[k].uuid.clone();
    Fixtures {
        user_uuid: d.user_uuid.clone(),
        employee_account_uuid: acc(d.me),
        client_login_account_uuid: acc(d.client_login),
        firm_uuid: d.firms[0].uuid.clone(),
        mailbox_uuids: d.mailboxes.iter().map(|m| m.uuid.clone()).collect(),
        first_mailbox_uuid: d.mailboxes[0].uuid.clone(),
        disabled_mailbox_uuid: d
            .mailboxes
            .iter()
            .find(|m| !m.enabled)
            .map(|m| m.uuid.clone())
            .unwrap_or_default(),
        employee_uuids: d
            .employees
            .iter()
            .filter(|&&e| e != d.me)
            .map(|&e| acc(e))
            .collect(),
        client_uuids: d.clients.iter().map(|&c| acc(c)).collect(),
        joint_client_uuids: joint,
        shared_contact_detail_uuid: shared,
        client_with_contact_details_uuid: acc(rich_client),
        contact_detail_uuids_of_that_client: d
            .details
            .iter()
            .filter(|cd| cd.accounts.contains(&d.accounts[rich_client].uuid))
            .map(|cd| cd.uuid.clone())
            .collect(),
        huge_thread_client_uuid: acc(d.threads[huge].client),
        huge_thread_len: d.threads[huge].len,
        huge_thread_first_message_uuid: d.message_uuid(huge, 0),
        huge_thread_middle_message_uuid: d.message_uuid(huge, d.threads[huge].len / 2),
        huge_thread_last_message_uuid: d.message_uuid(huge, d.threads[huge].len - 1),
        big_thread_client_uuid: acc(d.threads[big].client),
        big_thread_len: d.threads[big].len,
        big_thread_first_message_uuid: d.message_uuid(big, 0),
        big_thread_middle_message_uuid: d.message_uuid(big, d.threads[big].len / 2),
        big_thread_last_message_uuid: d.message_uuid(big, d.threads[big].len - 1),
        medium_thread_message_uuid: d.message_uuid(medium, d.threads[medium].len / 2),
        single_message_uuid: d.message_uuid(single, 0),
        message_with_attachment_uuid: att_msg,
        attachment_uuid: att,
        hostile_client_uuid: acc(d.hostile_client),
        hostile_message_uuids: hostile_threads
            .iter()
            .map(|&t| d.message_uuid(t, 0))
            .collect(),
        hostile_message_uuid: hostile_of(super::dataset::Hostile::Corpus(0)),
        huge_html_message_uuid: hostile_of(super::dataset::Hostile::HugeHtml),
        nested_html_message_uuid: hostile_of(super::dataset::Hostile::NestedHtml),
        lone_surrogate_message_uuid: hostile_of(super::dataset::Hostile::LoneSurrogate),
        hostile_conversation_uuid: d
            .conversations
            .iter()
            .find(|c| c.hostile)
            .map(|c| c.uuid.clone())
            .unwrap_or_default(),
        conversation_uuids: d.conversations.iter().map(|c| c.uuid.clone()).collect(),
        busiest_conversation_uuid: conv(0),
        empty_conversation_uuid: conv(1),
        pinned_conversation_uuid: conv(2),
        archived_conversation_uuid: conv(3),
    }
}
