//! Accounts (clients, employees): list with filters and includes, show; the firm and slim
//! account renderings other resources embed.

use super::RecordedRequest;
use super::dataset::*;
use super::pipeline::*;
use super::query::*;
use serde_json::{Value, json};
use std::collections::HashSet;

pub(super) fn primary_of(d: &Dataset, a: usize, kind: &str) -> Value {
    let u = &d.accounts[a].uuid;
    d.details
        .iter()
        .find(|cd| cd.kind == kind && cd.primaries.contains(u))
        .map(|cd| d.render_detail(cd, false, false))
        .unwrap_or(Value::Null)
}

pub(super) fn account_json(d: &Dataset, a: usize, inc: &HashSet<String>) -> Value {
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

pub(super) const ACCOUNT_INCLUDES: &[&str] = &[
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

pub(super) fn list_accounts(d: &Dataset, r: &RecordedRequest, base: &str) -> Res {
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

pub(super) fn show_account(d: &Dataset, r: &RecordedRequest, u: &str) -> Res {
    let a = d
        .account_by_uuid(u)
        .filter(|&a| d.accounts[a].firm == 0)
        .ok_or_else(not_found)?;
    let inc = includes(r, ACCOUNT_INCLUDES)?;
    let mut v = account_json(d, a, &inc);
    v["firm"] = d.render_firm(0);
    Ok(Out::Json(200, v))
}

impl Dataset {
    pub fn render_firm(&self, f: usize) -> Value {
        let firm = &self.firms[f];
        json!({"uuid": firm.uuid, "name": firm.name, "slug": firm.slug,
               "brand_colours": {"primary": "#0b3d91", "secondary": "#f2a900"}})
    }

    pub fn render_slim_account(&self, a: usize) -> Value {
        let acc = &self.accounts[a];
        let name = acc.name();
        json!({
            "uuid": acc.uuid, "created_at": ts(acc.created_at), "updated_at": ts(acc.updated_at),
            "type": acc.kind, "role": acc.role, "first_name": acc.first_name, "last_name": acc.last_name,
            "name": name, "email": acc.email,
            "photo_url": format!("https://eu.ui-avatars.com/api/?name={}", name.replace(' ', "+")),
            "external_references": [],
        })
    }
}

/// `include` values `GET /api/v1/client` takes (digest §8.6).
const CLIENT_INCLUDES: &[&str] = &[
    "primary_phone_number",
    "primary_email",
    "assigned_adviser",
    "assigned_administrator",
    "groups",
    "tags",
    "owners",
    "external_references",
];

/// The deprecated `GET /api/v1/client` ("use account route"): the same account resource for
/// clients. `filter[linked_to]` (client uuids) lists the clients linked to those: in the demo,
/// the partner of each joint household (clients 0–9 in pairs), and family members with accounts
/// of their own (clients 10–19 in pairs, who share no contact detail).
pub(super) fn list_clients(d: &Dataset, r: &RecordedRequest, base: &str) -> Res {
    let inc = includes(r, CLIENT_INCLUDES)?;
    check_filters(r, &["uuid", "name", "linked_to"])?;
    let linked_to = filter(r, "linked_to").map(csv);
    let uuids = filter(r, "uuid").map(csv);
    let name = filter(r, "name")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let partner = |k: usize| (k < 20).then(|| d.clients.get(k ^ 1).copied()).flatten();
    let mut idx: Vec<usize> = d
        .clients
        .iter()
        .enumerate()
        .filter(|&(k, &a)| {
            let acc = &d.accounts[a];
            acc.firm == 0
                && uuids.as_ref().is_none_or(|t| t.contains(&acc.uuid))
                && linked_to
                    .as_ref()
                    .is_none_or(|t| partner(k).is_some_and(|p| t.contains(&d.accounts[p].uuid)))
                && name
                    .as_ref()
                    .is_none_or(|q| acc.name().to_lowercase().contains(q))
        })
        .map(|(_, &a)| a)
        .collect();
    idx.sort_by(|&x, &y| {
        let (a, b) = (&d.accounts[x], &d.accounts[y]);
        a.first_name
            .to_lowercase()
            .cmp(&b.first_name.to_lowercase())
            .then(x.cmp(&y))
    });
    paged_list(r, base, "/api/v1/client", idx, false, |a| {
        account_json(d, a, &inc)
    })
}
