//! Collection parameters (`page[size]`, `page[after]`, `count`, `include`, `fields[…]`, `sort`,
//! `filter[…]`) and one page of a collection with its JSON:API `links`.
use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::RecordedRequest;
use super::routes::{Out, invalid};

/// The collection parameters of a request.
pub(super) struct Query {
    pub size: usize,
    pub after: usize,
    pub count: bool,
    pub include: HashSet<String>,
    pub fields: Vec<(String, HashSet<String>)>,
    pub sort: Vec<(String, bool)>,
    pub auth_meta: bool,
}

impl Query {
    pub fn parse(r: &RecordedRequest) -> Result<Query, Out> {
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

    pub fn wants(&self, kind: &str, field: &str) -> bool {
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
pub(super) fn page(
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

pub(super) fn sort_values(items: &mut [(Value, Map<String, Value>, i64)], sort: &[(String, bool)]) {
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

pub(super) fn check_params(
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

pub(super) fn id_filter(r: &RecordedRequest, key: &str) -> Option<Vec<i64>> {
    r.query_get(key)
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
}
