//! Contact details (`/v2/contact-details`): list, create and update with Laravel-shaped validation.

use super::RecordedRequest;
use super::contact;
use super::dataset::*;
use super::mailboxes::bump;
use super::pipeline::*;
use super::query::*;
use serde_json::Map;
use serde_json::{Value, json};

pub(super) fn list_details(d: &Dataset, r: &RecordedRequest, base: &str) -> Res {
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
pub(super) fn save_detail(
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

impl Dataset {
    pub fn render_detail(
        &self,
        d: &ContactDetail,
        with_accounts: bool,
        with_primaries: bool,
    ) -> Value {
        let mut o = json!({
            "uuid": d.uuid, "created_at": ts(d.created_at), "updated_at": ts(d.updated_at),
            "type": d.kind, "name": d.name, "value": d.value,
        });
        if let Some(m) = &d.meta {
            o["phone_number_meta"] = json!({"country": m.country, "formatted": m.formatted});
        }
        let slim = |list: &Vec<String>| -> Value {
            Value::Array(
                list.iter()
                    .filter_map(|u| self.account_by_uuid(u))
                    .map(|a| self.render_slim_account(a))
                    .collect(),
            )
        };
        if with_accounts {
            o["accounts"] = slim(&d.accounts);
        }
        if with_primaries {
            o["primary_accounts"] = slim(&d.primaries);
        }
        o
    }
}
