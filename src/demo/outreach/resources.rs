//! The resources: mailboxes (list, show, PATCH, member actions) and mailings (list, show),
//! rendered as JSON:API resource objects honouring sparse fieldsets.
use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::RecordedRequest;
use super::data::{self, Data, READ_ONLY, WRITE_ONLY, attr_kind, iso};
use super::query::{Query, check_params, id_filter, page, sort_values};
use super::routes::{Out, err, invalid, not_found, out};

pub(super) fn mailboxes(d: &Data, r: &RecordedRequest, base: &str) -> Out {
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

pub(super) fn mailbox_json(b: &data::Mailbox, q: &Query, base: &str) -> Value {
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

pub(super) fn users_json(d: &Data, ids: &[i64], q: &Query) -> Vec<Value> {
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

pub(super) fn prospects_json(d: &Data, ids: &[i64], q: &Query) -> Vec<Value> {
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

pub(super) fn patch_mailbox(
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

pub(super) fn mailbox_action(
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

pub(super) fn mailings(d: &Data, r: &RecordedRequest, base: &str) -> Out {
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

pub(super) fn mailing_json(m: &data::Mailing, q: &Query, base: &str) -> Value {
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
