//! Laravel paging envelopes, decoded tolerantly: a bare array, `{data}`, or `{data, links, meta}`.
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

use crate::api::page::Page;

/// Plannr pages by number: the page after `page` (of `per_page`) is `page + 1` unless `links`,
/// `meta` or a short page say this was the last.
pub fn numbered<T>(mut p: Page<T>, page: u32, per_page: u32) -> Page<T> {
    p.next = p.next_key(page, per_page);
    p
}

fn get_u32(v: Option<&Value>) -> Option<u32> {
    match v? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl<T: DeserializeOwned> Page<T> {
    /// Decode a list answer, tolerating anything shaped like a list (see [`Page::try_from_value`]);
    /// an answer that is not one becomes an empty page.
    pub fn from_value(v: Value) -> Page<T> {
        Page::try_from_value(v).unwrap_or_default()
    }

    /// Decode a list answer: a bare array, or an object with a `data` array (plus `meta`,
    /// `links`). Anything else (an empty body, `{}`, `{"data":{}}`, a string) is not a list, and
    /// neither is a page none of whose items could be read: both are errors, never "empty".
    pub fn try_from_value(v: Value) -> Result<Page<T>, String> {
        let mut page = Page::default();
        let data = match v {
            Value::Array(a) => {
                page.bare = true;
                a
            }
            Value::Null => return Err("an empty answer where a list was expected".into()),
            Value::Object(mut o) => {
                if let Some(Value::Object(meta)) = o.get("meta") {
                    page.current_page = get_u32(meta.get("current_page"));
                    page.last_page = get_u32(meta.get("last_page"));
                    page.per_page = get_u32(meta.get("per_page"));
                    page.total = match meta.get("total") {
                        Some(Value::Number(n)) => n.as_u64(),
                        _ => None,
                    };
                }
                if let Some(Value::Object(links)) = o.get("links")
                    && let Some(next) = links.get("next")
                {
                    page.has_next = Some(!next.is_null());
                }
                match o.remove("data") {
                    Some(Value::Array(a)) => a,
                    Some(_) => return Err("its `data` is not a list".into()),
                    None => return Err("an answer without the `data` list".into()),
                }
            }
            _ => return Err("an answer that is not a list".into()),
        };
        for item in data.into_iter().flat_map(|v| match v {
            Value::Array(inner) => inner,
            v => vec![v],
        }) {
            match serde_json::from_value(item) {
                Ok(t) => page.items.push(t),
                Err(e) => {
                    // serde quotes the offending value: sanitise and cut it before it reaches
                    // the log (a file the user may `cat` in a terminal).
                    let why: String = crate::render::sanitize::line(&e.to_string())
                        .chars()
                        .take(200)
                        .collect();
                    tracing::warn!("skipping an item that did not decode: {why}");
                    page.skipped += 1;
                }
            }
        }
        if page.items.is_empty() && page.skipped > 0 {
            return Err(format!(
                "none of the {} items in the list could be read",
                page.skipped
            ));
        }
        Ok(page)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Page::try_from_value(Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}
