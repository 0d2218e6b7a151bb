//! Query-string helpers shared by the resources: `include`, `filter[..]`, `sort`, paging and the
//! Laravel paginator envelope.

use super::RecordedRequest;
use super::pipeline::*;
use serde_json::{Value, json};
use std::collections::HashSet;

pub(super) type Res = Result<Out, Out>;

pub(super) fn includes(r: &RecordedRequest, allowed: &[&str]) -> Result<HashSet<String>, Out> {
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

pub(super) fn check_filters(r: &RecordedRequest, allowed: &[&str]) -> Result<(), Out> {
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
pub(super) fn sort_arg(
    r: &RecordedRequest,
    allowed: &[&str],
    default: &str,
) -> Result<(String, bool), Out> {
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

pub(super) fn filter<'a>(r: &'a RecordedRequest, name: &str) -> Option<&'a str> {
    r.query_get(&format!("filter[{name}]"))
}

pub(super) fn csv(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// `(page, per_page)`: per_page clamped to 1..=500, page ≥ 1; garbage falls back to defaults.
pub(super) fn page_args(r: &RecordedRequest, page_key: &str, default_pp: usize) -> (usize, usize) {
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

pub(super) fn page_range(page: usize, pp: usize, total: usize) -> std::ops::Range<usize> {
    let start = (page - 1).saturating_mul(pp).min(total);
    start..(start + pp).min(total)
}

/// The tail every `?page=&per_page=` list shares: order (`desc` reverses), cut the requested page,
/// render its rows and wrap them in the Laravel paginator for `path`.
pub(super) fn paged_list<T: Copy>(
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
pub(super) fn paginator(
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
