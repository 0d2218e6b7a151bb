//! Request handling of the Outreach demo: record, latency, scripts, random faults, then the
//! checks every `/api/v2` call meets (media type → token → scope) and the routes.
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::data::{self, Data, READ_ONLY, WRITE_ONLY, attr_kind, iso};
use super::{RecordedRequest, Scripted, Shared, lock, scopes};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

pub(crate) const MEDIA: &str = "application/vnd.api+json";

struct Out {
    status: u16,
    body: Value,
    headers: Vec<(String, String)>,
}

fn out(status: u16, body: Value) -> Out {
    Out {
        status,
        body,
        headers: Vec::new(),
    }
}

/// A JSON:API error document with one error.
fn err(status: u16, id: &str, title: &str, detail: &str) -> Out {
    out(
        status,
        json!({ "errors": [ { "id": id, "title": title, "detail": detail } ] }),
    )
}

fn invalid(detail: &str, pointer: Option<&str>, parameter: Option<&str>) -> Out {
    let mut e = json!({ "id": "validationError", "title": "Validation Error", "detail": detail });
    if let Some(p) = pointer {
        e["source"] = json!({ "pointer": p });
    } else if let Some(p) = parameter {
        e["source"] = json!({ "parameter": p });
    }
    out(422, json!({ "errors": [e] }))
}

fn not_found(kind: &str, id: &str) -> Out {
    err(
        404,
        "resourceNotFound",
        "Resource Not Found",
        &format!("Could not find '{kind}' with ID '{id}'."),
    )
}

fn respond(o: Out, content_type: &str) -> Response {
    let body = serde_json::to_string(&o.body).unwrap_or_else(|_| "{}".into());
    let status = StatusCode::from_u16(o.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = if o.status == 204 {
        status.into_response()
    } else {
        (status, body).into_response()
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert("x-ratelimit-limit", HeaderValue::from_static("10000"));
    h.insert("x-ratelimit-remaining", HeaderValue::from_static("9999"));
    for (k, v) in &o.headers {
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
    let bytes = axum::body::to_bytes(body, 4 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let form = headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
    let body_json: Option<Value> = if bytes.is_empty() {
        None
    } else if form {
        let map: Map<String, Value> = url::form_urlencoded::parse(&bytes)
            .into_owned()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        Some(Value::Object(map))
    } else {
        serde_json::from_slice(&bytes).ok()
    };
    let unparsable = !bytes.is_empty() && body_json.is_none();
    let rec = RecordedRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query,
        headers,
        body: body_json,
    };
    lock(&s.log).push(rec.clone());
    if s.opts.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(s.opts.latency_ms)).await;
    }
    if !rec.path.starts_with("/__demo/") {
        if let Some(sc) = s.take_script(&rec.method, &rec.path) {
            return scripted(sc);
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
    }
    if rec.path.starts_with("/oauth/") {
        return oauth(&s, &rec);
    }
    respond(route(&s, &rec, unparsable), MEDIA)
}

fn scripted(sc: Scripted) -> Response {
    if let Some(raw) = sc.raw_body() {
        let ctype = sc
            .headers
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| "text/plain".into());
        let mut resp = (
            StatusCode::from_u16(sc.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            raw.to_string(),
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&ctype) {
            resp.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        return resp;
    }
    let o = Out {
        status: sc.status,
        body: sc.body,
        headers: sc.headers,
    };
    respond(o, MEDIA)
}

// ---- OAuth ---------------------------------------------------------------------------------

fn oauth_error(status: u16, code: &str, description: &str) -> Response {
    respond(
        out(
            status,
            json!({ "error": code, "error_description": description }),
        ),
        "application/json",
    )
}

fn oauth(s: &Shared, r: &RecordedRequest) -> Response {
    match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/oauth/token") => token(s, r),
        ("GET", "/oauth/authorize") => authorize(s, r),
        _ => respond(not_found("route", &r.path), MEDIA),
    }
}

fn form<'a>(r: &'a RecordedRequest, k: &str) -> Option<&'a str> {
    r.body.as_ref()?.get(k)?.as_str()
}

fn token(s: &Shared, r: &RecordedRequest) -> Response {
    let client_ok = form(r, "client_id") == Some(super::OUTREACH_DEMO_CLIENT_ID)
        && form(r, "client_secret") == Some(super::OUTREACH_DEMO_CLIENT_SECRET);
    if !client_ok {
        return oauth_error(
            401,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        );
    }
    let granted = match form(r, "grant_type") {
        Some("refresh_token") => {
            let rt = form(r, "refresh_token").unwrap_or_default();
            lock(&s.tokens).refresh.remove(rt)
        }
        Some("authorization_code") => {
            let code = form(r, "code").unwrap_or_default();
            let redirect = form(r, "redirect_uri").unwrap_or_default();
            let mut t = lock(&s.tokens);
            match t.codes.remove(code) {
                Some((uri, sc)) if uri == redirect => Some(sc),
                _ => None,
            }
        }
        _ => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            );
        }
    };
    let Some(granted) = granted else {
        return oauth_error(
            400,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        );
    };
    let scope = granted.join(" ");
    let (access, refresh) = s.mint(granted);
    respond(
        out(
            200,
            json!({
                "access_token": access,
                "token_type": "bearer",
                "expires_in": s.opts.token_lifetime.as_secs(),
                "refresh_token": refresh,
                "scope": scope,
                "created_at": s.now,
            }),
        ),
        "application/json",
    )
}

/// Approves at once: redirects to `redirect_uri?code=…&state=…`.
fn authorize(s: &Shared, r: &RecordedRequest) -> Response {
    let q = |k: &str| r.query_get(k).unwrap_or_default().to_string();
    if q("client_id") != super::OUTREACH_DEMO_CLIENT_ID || q("response_type") != "code" {
        return oauth_error(400, "invalid_request", "Unknown client or response_type.");
    }
    let Ok(mut target) = url::Url::parse(&q("redirect_uri")) else {
        return oauth_error(400, "invalid_request", "redirect_uri is not a URL.");
    };
    let requested = scopes(&q("scope"));
    let granted = if requested.is_empty() {
        scopes(super::DEFAULT_SCOPES)
    } else {
        requested
    };
    let code = {
        let n = lock(&s.rng).u64(..);
        let mut t = lock(&s.tokens);
        let code = format!("demo-code-{n:016x}");
        t.codes.insert(code.clone(), (q("redirect_uri"), granted));
        code
    };
    target.query_pairs_mut().append_pair("code", &code);
    if let Some(state) = r.query_get("state") {
        target.query_pairs_mut().append_pair("state", state);
    }
    let mut resp = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(target.as_str()) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
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
            ("GET", ["requests"]) => out(200, json!(*lock(&s.log))),
            ("POST", ["script"]) => match r
                .body
                .clone()
                .and_then(|b| serde_json::from_value::<Scripted>(b).ok())
            {
                Some(sc) => {
                    lock(&s.scripts).push_back(sc);
                    out(200, json!({ "queued": lock(&s.scripts).len() }))
                }
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

fn with_id(id: &str, kind: &str, f: impl FnOnce(i64) -> Result<Out, Out>) -> Out {
    match id.parse::<i64>() {
        Ok(id) => f(id).unwrap_or_else(|e| e),
        Err(_) => not_found(kind, id),
    }
}

/// The collection parameters of a request.
struct Query {
    size: usize,
    after: usize,
    count: bool,
    include: HashSet<String>,
    fields: Vec<(String, HashSet<String>)>,
    sort: Vec<(String, bool)>,
    auth_meta: bool,
}

impl Query {
    fn parse(r: &RecordedRequest) -> Result<Query, Out> {
        let size = match r.query_get("page[size]") {
            None => 50,
            Some(v) => match v.parse::<usize>() {
                Ok(n @ 1..=1000) => n,
                _ => {
                    return Err(invalid(
                        "page[size] must be an integer between 1 and 1000.",
                        None,
                        Some("page[size]"),
                    ));
                }
            },
        };
        let after = match r.query_get("page[after]") {
            None => 0,
            Some(c) => decode_cursor(c).ok_or_else(|| {
                invalid(
                    "The page[after] cursor is not valid.",
                    None,
                    Some("page[after]"),
                )
            })?,
        };
        let mut fields = Vec::new();
        for (k, v) in &r.query {
            if let Some(t) = k.strip_prefix("fields[").and_then(|k| k.strip_suffix(']')) {
                fields.push((
                    t.to_string(),
                    v.split(',').map(|f| f.trim().to_string()).collect(),
                ));
            }
        }
        let include = r
            .query_get("include")
            .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
            .unwrap_or_default();
        let sort = r
            .query_get("sort")
            .map(|v| {
                v.split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| match s.strip_prefix('-') {
                        Some(k) => (k.to_string(), true),
                        None => (s.to_string(), false),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Query {
            size,
            after,
            count: r.query_get("count") == Some("true"),
            include,
            fields,
            sort,
            auth_meta: r
                .query_get("provideAuthorizationMeta")
                .is_some_and(|v| v != "false"),
        })
    }

    fn wants(&self, kind: &str, field: &str) -> bool {
        match self.fields.iter().rev().find(|(t, _)| t == kind) {
            Some((_, set)) => set.contains(field),
            None => true,
        }
    }
}

const CURSOR_SALT: u64 = 0x5DEE_CE66_D1CE_4E5B;

fn encode_cursor(index: usize) -> String {
    format!("{:016x}", (index as u64) ^ CURSOR_SALT)
}

fn decode_cursor(c: &str) -> Option<usize> {
    u64::from_str_radix(c, 16)
        .ok()
        .map(|v| (v ^ CURSOR_SALT) as usize)
}

/// One page of `items` with JSON:API `links` (next = same query with the cursor moved on).
fn page(
    items: Vec<Value>,
    q: &Query,
    r: &RecordedRequest,
    base: &str,
    path: &str,
) -> Result<(Vec<Value>, Value, Option<Value>), Out> {
    let total = items.len();
    if q.after > total {
        return Err(invalid(
            "The page[after] cursor is not valid.",
            None,
            Some("page[after]"),
        ));
    }
    let end = (q.after + q.size).min(total);
    let slice: Vec<Value> = items.into_iter().skip(q.after).take(q.size).collect();
    let link = |after: Option<usize>| {
        let mut u = url::Url::parse(&format!("{base}{path}")).ok()?;
        {
            let mut qp = u.query_pairs_mut();
            for (k, v) in &r.query {
                if k != "page[after]" && k != "page[size]" {
                    qp.append_pair(k, v);
                }
            }
            if let Some(a) = after {
                qp.append_pair("page[after]", &encode_cursor(a));
            }
            qp.append_pair("page[size]", &q.size.to_string());
        }
        Some(Value::String(u.to_string()))
    };
    let mut links = json!({ "first": link(None) });
    if end < total {
        links["next"] = link(Some(end)).unwrap_or(Value::Null);
    }
    let meta = q
        .count
        .then(|| json!({ "count": total, "count_truncated": false }));
    Ok((slice, links, meta))
}

fn sort_values(items: &mut [(Value, Map<String, Value>, i64)], sort: &[(String, bool)]) {
    items.sort_by(|a, b| {
        for (k, desc) in sort {
            let (x, y) = if k == "id" {
                (json!(a.2), json!(b.2))
            } else {
                (
                    a.1.get(k).cloned().unwrap_or(Value::Null),
                    b.1.get(k).cloned().unwrap_or(Value::Null),
                )
            };
            let ord = match (&x, &y) {
                (Value::Number(x), Value::Number(y)) => x
                    .as_f64()
                    .partial_cmp(&y.as_f64())
                    .unwrap_or(std::cmp::Ordering::Equal),
                (Value::String(x), Value::String(y)) => x.cmp(y),
                (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
                (Value::Null, _) => std::cmp::Ordering::Less,
                (_, Value::Null) => std::cmp::Ordering::Greater,
                _ => std::cmp::Ordering::Equal,
            };
            let ord = if *desc { ord.reverse() } else { ord };
            if ord != std::cmp::Ordering::Equal {
                return ord;
            }
        }
        a.2.cmp(&b.2)
    });
}

fn check_params(
    r: &RecordedRequest,
    q: &Query,
    filters: &[&str],
    sorts: &[&str],
    includes: &[&str],
) -> Result<(), Out> {
    for (k, _) in &r.query {
        if k.starts_with("filter[") && !filters.contains(&k.as_str()) {
            return Err(invalid(
                &format!("{k} is not a valid filter."),
                None,
                Some(k),
            ));
        }
    }
    for (k, _) in &q.sort {
        if !sorts.contains(&k.as_str()) {
            return Err(invalid(
                &format!("'{k}' is not a valid sort."),
                None,
                Some("sort"),
            ));
        }
    }
    for i in &q.include {
        if !includes.contains(&i.as_str()) {
            return Err(invalid(
                &format!("'{i}' is not a valid include."),
                None,
                Some("include"),
            ));
        }
    }
    Ok(())
}

fn id_filter(r: &RecordedRequest, key: &str) -> Option<Vec<i64>> {
    r.query_get(key)
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
}

fn mailboxes(d: &Data, r: &RecordedRequest, base: &str) -> Out {
    let run = || -> Result<Out, Out> {
        let q = Query::parse(r)?;
        check_params(
            r,
            &q,
            &[
                "filter[id]",
                "filter[email]",
                "filter[userId]",
                "filter[user][id]",
            ],
            &["createdAt", "email", "updatedAt", "userId", "id"],
            &["user"],
        )?;
        let ids = id_filter(r, "filter[id]");
        let users = id_filter(r, "filter[user][id]").or_else(|| id_filter(r, "filter[userId]"));
        let email = r.query_get("filter[email]");
        let mut rows: Vec<(Value, Map<String, Value>, i64)> = d
            .mailboxes
            .iter()
            .filter(|b| ids.as_ref().is_none_or(|i| i.contains(&b.id)))
            .filter(|b| users.as_ref().is_none_or(|u| u.contains(&b.user_id)))
            .filter(|b| {
                email.is_none_or(|e| b.attrs.get("email").and_then(Value::as_str) == Some(e))
            })
            .map(|b| (mailbox_json(b, &q, base), b.attrs.clone(), b.id))
            .collect();
        sort_values(&mut rows, &q.sort);
        let (data, links, meta) = page(
            rows.into_iter().map(|r| r.0).collect(),
            &q,
            r,
            base,
            "/mailboxes",
        )?;
        let mut doc = json!({ "data": data, "links": links });
        if q.include.contains("user") {
            let owners: Vec<i64> = d
                .mailboxes
                .iter()
                .filter(|b| {
                    doc["data"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|m| m["id"] == json!(b.id)))
                })
                .map(|b| b.user_id)
                .collect();
            doc["included"] = json!(users_json(d, &owners, &q));
        }
        if let Some(m) = meta {
            doc["meta"] = m;
        }
        Ok(out(200, doc))
    };
    run().unwrap_or_else(|e| e)
}

fn mailbox_json(b: &data::Mailbox, q: &Query, base: &str) -> Value {
    let attrs: Map<String, Value> = b
        .attrs
        .iter()
        .filter(|(k, _)| q.wants("mailbox", k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut rels = Map::new();
    let user = json!({ "data": { "type": "user", "id": b.user_id } });
    for (name, rel) in [
        ("creator", user.clone()),
        (
            "mailAliases",
            json!({ "links": { "related": format!("{base}/mailAliases?filter%5Bmailbox%5D%5Bid%5D={}", b.id) } }),
        ),
        (
            "mailings",
            json!({ "links": { "related": format!("{base}/mailings?filter%5Bmailbox%5D%5Bid%5D={}", b.id) } }),
        ),
        ("updater", user.clone()),
        ("user", user),
    ] {
        if q.wants("mailbox", name) {
            rels.insert(name.into(), rel);
        }
    }
    let mut v = json!({
        "type": "mailbox",
        "id": b.id,
        "attributes": attrs,
        "relationships": rels,
        "links": { "self": format!("{base}/mailboxes/{}", b.id) },
    });
    if q.auth_meta {
        let editable = b
            .attrs
            .get("editable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        v["meta"] = json!({ "canWrite": editable, "canDelete": false });
    }
    v
}

fn users_json(d: &Data, ids: &[i64], q: &Query) -> Vec<Value> {
    let mut seen = HashSet::new();
    ids.iter()
        .filter(|id| seen.insert(**id))
        .filter_map(|id| d.users.iter().find(|u| u.id == *id))
        .map(|u| {
            let all = json!({ "email": u.email, "firstName": u.first, "lastName": u.last });
            let attrs: Map<String, Value> = all
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| q.wants("user", k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            json!({ "type": "user", "id": u.id, "attributes": attrs })
        })
        .collect()
}

fn prospects_json(d: &Data, ids: &[i64], q: &Query) -> Vec<Value> {
    let mut seen = HashSet::new();
    ids.iter()
        .filter(|id| seen.insert(**id))
        .filter_map(|id| d.prospects.iter().find(|p| p.id == *id))
        .map(|p| {
            let all = json!({ "firstName": p.first, "lastName": p.last });
            let attrs: Map<String, Value> = all
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| q.wants("prospect", k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            json!({ "type": "prospect", "id": p.id, "attributes": attrs })
        })
        .collect()
}

fn patch_mailbox(
    d: &mut Data,
    id: i64,
    r: &RecordedRequest,
    now: i64,
    base: &str,
) -> Result<Out, Out> {
    let idx = d
        .mailboxes
        .iter()
        .position(|b| b.id == id)
        .ok_or_else(|| not_found("mailbox", &id.to_string()))?;
    let data = r
        .body
        .as_ref()
        .and_then(|b| b.get("data"))
        .ok_or_else(|| invalid("The request must carry a data object.", Some("/data"), None))?;
    if data.get("type").and_then(Value::as_str) != Some("mailbox") {
        return Err(err(
            409,
            "typeMismatch",
            "Type Mismatch",
            "data.type must be \"mailbox\".",
        ));
    }
    let body_id = match data.get("id") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    if body_id != Some(id) {
        return Err(err(
            409,
            "idMismatch",
            "ID Mismatch",
            "data.id must be present and match the ID in the URL.",
        ));
    }
    let mb = &mut d.mailboxes[idx];
    if mb.attrs.get("editable") != Some(&Value::Bool(true)) {
        return Err(err(
            403,
            "unauthorizedRequest",
            "Unauthorized Request",
            "You are not allowed to edit this mailbox.",
        ));
    }
    let empty = Map::new();
    let attrs = data
        .get("attributes")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (k, v) in attrs {
        let pointer = format!("/data/attributes/{k}");
        if READ_ONLY.contains(&k.as_str()) {
            return Err(invalid(&format!("{k} is read-only."), Some(&pointer), None));
        }
        let ok = match attr_kind(k) {
            Some('b') => v.is_boolean() || v.is_null(),
            Some('i') => v.is_i64() || v.is_null(),
            Some(_) => v.is_string() || v.is_null(),
            None => {
                return Err(invalid(
                    &format!("{k} is not a mailbox attribute."),
                    Some(&pointer),
                    None,
                ));
            }
        };
        if !ok {
            return Err(invalid(
                &format!("{k} has the wrong type."),
                Some(&pointer),
                None,
            ));
        }
        if k == "maxMailingsPerDay" && v.as_i64().is_some_and(|n| n < 0) {
            return Err(invalid(
                "Max mailings per day must be greater than or equal to 0.",
                Some(&pointer),
                None,
            ));
        }
    }
    for (k, v) in attrs {
        if WRITE_ONLY.contains(&k.as_str()) {
            mb.secrets.insert(k.clone(), v.clone());
        } else {
            mb.attrs.insert(k.clone(), v.clone());
        }
    }
    mb.attrs.insert("updatedAt".into(), json!(iso(now)));
    let q = Query::parse(r)?;
    Ok(out(200, json!({ "data": mailbox_json(mb, &q, base) })))
}

fn mailbox_action(
    d: &mut Data,
    id: i64,
    action: &str,
    r: &RecordedRequest,
    now: i64,
    base: &str,
) -> Result<Out, Out> {
    if let Some((k, _)) = r.query.iter().find(|(k, _)| k.starts_with("actionParams[")) {
        return Err(err(
            400,
            "badRequest",
            "Bad Request",
            &format!("Unknown action parameter {k}."),
        ));
    }
    let mb = d
        .mailboxes
        .iter_mut()
        .find(|b| b.id == id)
        .ok_or_else(|| not_found("mailbox", &id.to_string()))?;
    let (fault, ok_at, err_at) = match action {
        "testSend" => (mb.send_fault, "sendSuccessAt", "sendErroredAt"),
        "testSync" => (mb.sync_fault, "syncSuccessAt", "syncErroredAt"),
        "linkEwsMasterAccount" | "unlinkEwsMasterAccount" => return Ok(out(200, json!({}))),
        _ => return Err(not_found("action", action)),
    };
    if let Some(detail) = fault {
        mb.attrs.insert(err_at.into(), json!(iso(now)));
        return Err(invalid(detail, None, None));
    }
    mb.attrs.insert(ok_at.into(), json!(iso(now)));
    if action == "testSync" {
        mb.attrs.insert("syncFinishedAt".into(), json!(iso(now)));
    }
    let q = Query::parse(r)?;
    Ok(out(200, json!({ "data": mailbox_json(mb, &q, base) })))
}

fn mailings(d: &Data, r: &RecordedRequest, base: &str) -> Out {
    let run = || -> Result<Out, Out> {
        let q = Query::parse(r)?;
        check_params(
            r,
            &q,
            &[
                "filter[mailbox][id]",
                "filter[prospect][id]",
                "filter[state]",
                "filter[id]",
            ],
            &[
                "createdAt",
                "deliveredAt",
                "openedAt",
                "repliedAt",
                "bouncedAt",
                "state",
                "updatedAt",
                "id",
            ],
            &["prospect", "mailbox"],
        )?;
        let boxes = id_filter(r, "filter[mailbox][id]");
        let prospects = id_filter(r, "filter[prospect][id]");
        let ids = id_filter(r, "filter[id]");
        let states: Option<Vec<&str>> =
            r.query_get("filter[state]").map(|s| s.split(',').collect());
        let mut rows: Vec<(Value, Map<String, Value>, i64)> = d
            .mailings
            .iter()
            .filter(|m| boxes.as_ref().is_none_or(|b| b.contains(&m.mailbox_id)))
            .filter(|m| {
                prospects
                    .as_ref()
                    .is_none_or(|p| p.contains(&m.prospect_id))
            })
            .filter(|m| ids.as_ref().is_none_or(|i| i.contains(&m.id)))
            .filter(|m| {
                states.as_ref().is_none_or(|s| {
                    m.attrs
                        .get("state")
                        .and_then(Value::as_str)
                        .is_some_and(|v| s.contains(&v))
                })
            })
            .map(|m| (mailing_json(m, &q, base), m.attrs.clone(), m.id))
            .collect();
        sort_values(&mut rows, &q.sort);
        let (data, links, meta) = page(
            rows.into_iter().map(|r| r.0).collect(),
            &q,
            r,
            base,
            "/mailings",
        )?;
        let mut doc = json!({ "data": data, "links": links });
        if q.include.contains("prospect") {
            let pids: Vec<i64> = doc["data"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["relationships"]["prospect"]["data"]["id"].as_i64())
                .collect();
            doc["included"] = json!(prospects_json(d, &pids, &q));
        }
        if let Some(m) = meta {
            doc["meta"] = m;
        }
        Ok(out(200, doc))
    };
    run().unwrap_or_else(|e| e)
}

fn mailing_json(m: &data::Mailing, q: &Query, base: &str) -> Value {
    let attrs: Map<String, Value> = m
        .attrs
        .iter()
        .filter(|(k, _)| q.wants("mailing", k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut rels = Map::new();
    for (name, rel) in [
        (
            "mailbox",
            json!({ "data": { "type": "mailbox", "id": m.mailbox_id } }),
        ),
        (
            "prospect",
            json!({ "data": { "type": "prospect", "id": m.prospect_id } }),
        ),
    ] {
        if q.wants("mailing", name) {
            rels.insert(name.into(), rel);
        }
    }
    json!({
        "type": "mailing",
        "id": m.id,
        "attributes": attrs,
        "relationships": rels,
        "links": { "self": format!("{base}/mailings/{}", m.id) },
    })
}
