//! Dispatch on `(method, path segments)`: authentication, the tenant header, then one resource
//! file per Plannr resource.

use super::accounts::*;
use super::contact_details::*;
use super::control::demo_route;
use super::conversations::*;
use super::emails::*;
use super::identity::*;
use super::mailboxes::*;
use super::pipeline::*;
use super::{RecordedRequest, Shared};
use serde_json::json;
use std::collections::HashSet;

pub(super) fn route(s: &Shared, r: &RecordedRequest, body_unparsable: bool) -> Out {
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
    if let Some(bytes) = super::seeds::answer(m, rest) {
        return Out::Bytes(200, "application/json", bytes.as_bytes().to_vec());
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
    // Misbehaving-server switches (the client must not loop whatever a server does): ignore the
    // page asked for (always page 1), and/or answer bare arrays instead of paginators.
    let unpaged;
    let r = if s.opts.ignore_paging {
        let mut c = r.clone();
        c.query.retain(|(k, _)| !k.starts_with("page"));
        unpaged = c;
        &unpaged
    } else {
        r
    };
    let res = match (m, rest) {
        ("GET", ["v1", "mailboxes"]) => Ok(Out::Json(
            200,
            json!({ "data": (0..d.mailboxes.len()).map(|i| d.render_mailbox(i)).collect::<Vec<_>>() }),
        )),
        ("GET", ["v1", "mailboxes", "message", u]) => show_message(&d, r, u, base, &s.opts),
        ("GET", ["v1", "client", u, "emails"]) => client_emails(&d, r, u, base),
        ("GET", ["v1", "conversation"]) => list_conversations(&d, r, base),
        ("GET", ["v1", "conversation", u]) => show_conversation(&d, r, u, base),
        ("GET", ["v1", "conversation", u, "messages"]) => conversation_messages(&d, r, u, base),
        ("GET", ["v1", "conversation", u, "messages", mu]) => {
            Ok(conversation_message(&d, u, mu, base))
        }
        ("GET", ["v1", "account"]) => list_accounts(&d, r, base),
        ("GET", ["v1", "client"]) => list_clients(&d, r, base),
        ("GET", ["v1", "account", u]) => show_account(&d, r, u),
        ("GET", ["v2", "contact-details"]) => list_details(&d, r, base),
        _ => Ok(route_not_found(r)),
    };
    let out = res.unwrap_or_else(|e| e);
    match out {
        Out::Json(200, mut v) if s.opts.bare_arrays && v.get("meta").is_some() => {
            match v.get_mut("data").map(serde_json::Value::take) {
                Some(data @ serde_json::Value::Array(_)) => Out::Json(200, data),
                _ => Out::Json(200, v),
            }
        }
        out => out,
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
pub(super) enum Tenant {
    Employee,
    ClientLogin,
}

pub(super) fn route_not_found(r: &RecordedRequest) -> Out {
    msg(
        404,
        &format!(
            "The route {} could not be found.",
            r.path.trim_start_matches('/')
        ),
    )
}
