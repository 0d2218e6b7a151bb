//! The demo's OAuth endpoints: `POST /oauth/token` (authorization_code and refresh_token
//! grants, rotating refresh tokens) and `GET /oauth/authorize` (approves at once).
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::routes::{MEDIA, not_found, out, respond};
use super::{RecordedRequest, Shared, lock, scopes};

fn oauth_error(status: u16, code: &str, description: &str) -> Response {
    respond(
        out(
            status,
            json!({ "error": code, "error_description": description }),
        ),
        "application/json",
    )
}

pub(super) fn oauth(s: &Shared, r: &RecordedRequest) -> Response {
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
