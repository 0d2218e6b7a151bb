//! Tolerant deserialisers. Every untrusted string is sanitised here, once, as it is decoded.
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

use crate::render::sanitize;

fn value_to_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        // Documentation artefacts (`{example, description}` blobs) and nulls carry no text.
        _ => None,
    }
}

/// A one-line text field (name, subject, address). Null, objects and arrays become "".
pub fn line<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(value_to_string(Value::deserialize(d)?)
        .map(|s| sanitize::line(&s))
        .unwrap_or_default())
}

/// An optional one-line text field.
pub fn opt_line<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_to_string(Value::deserialize(d)?).map(|s| sanitize::line(&s)))
}

/// An optional multi-line text field (bodies).
pub fn opt_block<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_to_string(Value::deserialize(d)?).map(|s| sanitize::block(&s)))
}

/// An optional field that may hold HTML (a body): as [`opt_block`], but an escape sequence never
/// swallows markup (a lone ESC before `</p>` loses only the ESC; see `sanitize::markup`).
pub fn opt_markup<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_to_string(Value::deserialize(d)?).map(|s| sanitize::markup(&s)))
}

/// A boolean that may arrive as a bool, 0/1, "true"/"false", or null.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A count or size that may arrive as a number or a numeric string ("120394").
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// An object, or an array of objects, or null: always a Vec. Elements that do not decode are
/// skipped instead of failing the whole response (docs show schema blobs in their place).
pub fn one_or_many<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .flat_map(|v| match v {
                // `[[{…}]]` (a rendering bug seen in the docs) is flattened.
                Value::Array(inner) => inner,
                v => vec![v],
            })
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        Value::Null => Vec::new(),
        v => serde_json::from_value(v).ok().into_iter().collect(),
    })
}

/// `one_or_many`, as a shared list (one allocation, cloned by reference).
pub fn one_or_many_shared<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<std::sync::Arc<[T]>, D::Error> {
    one_or_many(d).map(Into::into)
}

/// An optional nested object that must not fail its parent when it is malformed.
pub fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        v => serde_json::from_value(v).ok(),
    })
}

/// Like `one_or_many`, but keeps "present" apart from "absent": a present field (object, array,
/// even `[]`) is `Some`; `null` is `None` (unknown). Use with `#[serde(default)]` so an absent
/// field is `None` too.
pub fn opt_many<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    Ok(Some(one_or_many(v).unwrap_or_default()))
}
