//! Laravel paging envelopes, decoded tolerantly: a bare array, `{data}`, or `{data, links, meta}`.
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

/// One page of a list, with whatever the server said about where the end is.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub current_page: Option<u32>,
    pub last_page: Option<u32>,
    pub per_page: Option<u32>,
    pub total: Option<u64>,
    /// `links.next` was present: `Some(true)` if it was a URL, `Some(false)` if null.
    pub has_next: Option<bool>,
    /// Items that were present but did not decode (skipped rather than failing the page).
    pub skipped: usize,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            items: Vec::new(),
            current_page: None,
            last_page: None,
            per_page: None,
            total: None,
            has_next: None,
            skipped: 0,
        }
    }
}

impl<T> Page<T> {
    /// Whether this is the last page, judged from `links.next`, then `meta`, then a short page.
    pub fn is_last(&self, requested_page: u32, requested_per_page: u32) -> bool {
        if let Some(next) = self.has_next {
            return !next;
        }
        if let (Some(cur), Some(last)) = (self.current_page, self.last_page) {
            return cur >= last;
        }
        if let Some(last) = self.last_page {
            return requested_page >= last;
        }
        if let Some(total) = self.total {
            let per = self.per_page.unwrap_or(requested_per_page).max(1) as u64;
            return requested_page as u64 * per >= total;
        }
        (self.items.len() + self.skipped) < requested_per_page as usize
    }
}

fn get_u32(v: Option<&Value>) -> Option<u32> {
    match v? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl<T: DeserializeOwned> Page<T> {
    pub fn from_value(v: Value) -> Page<T> {
        let mut page = Page::default();
        let data = match v {
            Value::Array(a) => a,
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
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
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
        page
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Page::from_value(Value::deserialize(d)?))
    }
}
