//! Text on the wire: `Retry-After` and times, path segments, scrubbing secrets, JSON with lone
//! surrogates. Pure functions.
use std::time::Duration;

use crate::api::error::ApiError;

/// A wait in words: "45s", "1m 30s", "2h 5m".
pub fn human_wait(d: Duration) -> String {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0 && d.as_secs() == 0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 if s.is_multiple_of(60) => format!("{}m", s / 60),
        60..=3599 => format!("{}m {}s", s / 60, s % 60),
        _ => format!("{}h {}m", s / 3600, s % 3600 / 60),
    }
}

/// Seconds since the epoch (0 if the clock is before it).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `Retry-After` as a wait from unix time `now`: delta seconds, epoch seconds (a number too large
/// to be a delta), an RFC 3339 time, or an HTTP date. A time in the past is no wait.
pub fn parse_retry_after(v: &str, now: i64) -> Option<Duration> {
    let v = v.trim();
    if let Ok(n) = v.parse::<i64>() {
        let secs = if n > 1_000_000_000 { n - now } else { n };
        return Some(Duration::from_secs(secs.max(0) as u64));
    }
    let at = parse_instant(v).or_else(|| {
        // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): RFC 2822 with a numeric zone.
        let fixed = v.strip_suffix("GMT").map(|p| format!("{p}+0000"));
        time::OffsetDateTime::parse(
            fixed.as_deref().unwrap_or(v),
            &time::format_description::well_known::Rfc2822,
        )
        .ok()
        .map(|t| t.unix_timestamp())
    })?;
    Some(Duration::from_secs((at - now).max(0) as u64))
}

/// An RFC 3339 time, or one without an offset (taken as UTC), as unix seconds.
pub fn parse_instant(s: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    time::PrimitiveDateTime::parse(s, &fmt)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

/// Percent-encode one path segment (uuids should never need it; hostile data might). An empty or
/// dots-only id is refused: URL parsing would turn `..` (even as `%2E%2E`) into a step up the path.
pub fn seg(s: &str) -> Result<String, ApiError> {
    if s.is_empty() || s.chars().all(|c| c == '.') {
        return Err(ApiError::Other(format!("refusing an invalid id {s:?}")));
    }
    // Everything but RFC 3986 "unreserved" characters is escaped.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    Ok(percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
}

/// `text` with the token (as is, percent-encoded, or form-encoded) and any `Bearer …` value
/// replaced by `***`.
pub fn scrub_secrets(text: &str, token: &str) -> String {
    let mut out = text.to_string();
    if !token.is_empty() {
        let encoded =
            percent_encoding::utf8_percent_encode(token, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let form: String = url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
        for t in [token, encoded.as_str(), form.as_str()] {
            out = out.replace(t, "***");
        }
    }
    let mut scrubbed = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.to_ascii_lowercase().find("bearer ") {
        scrubbed.push_str(&rest[..i + 7]);
        let after = &rest[i + 7..];
        let end = after
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ')'))
            .unwrap_or(after.len());
        scrubbed.push_str("***");
        rest = &after[end..];
    }
    scrubbed.push_str(rest);
    scrubbed
}

/// JSON may carry lone UTF-16 surrogates as escapes (`\ud800`), which serde_json rejects. Replace
/// each unpaired one with U+FFFD so one bad string cannot fail a whole response.
pub fn replace_lone_surrogates(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("\\u") && !s.contains("\\U") {
        return std::borrow::Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let hex4 = |i: usize| -> Option<u16> {
        if i + 6 <= b.len() && b[i] == b'\\' && (b[i + 1] == b'u') {
            std::str::from_utf8(&b[i + 2..i + 6])
                .ok()
                .and_then(|h| u16::from_str_radix(h, 16).ok())
        } else {
            None
        }
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut last = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if !in_string {
            if c == b'"' {
                in_string = true;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_string = false;
                i += 1;
            }
            b'\\' => match hex4(i) {
                Some(hi @ 0xD800..=0xDBFF) => {
                    if matches!(hex4(i + 6), Some(0xDC00..=0xDFFF)) {
                        i += 12;
                    } else {
                        out.push_str(&s[last..i]);
                        out.push_str("\\ufffd");
                        i += 6;
                        last = i;
                        let _ = hi;
                    }
                }
                Some(0xDC00..=0xDFFF) => {
                    out.push_str(&s[last..i]);
                    out.push_str("\\ufffd");
                    i += 6;
                    last = i;
                }
                Some(_) => i += 6,
                None => i += 2,
            },
            _ => i += 1,
        }
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(s);
    }
    out.push_str(&s[last..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn lone_surrogates_become_replacement_chars() {
        let raw = r#"{"a":"x\ud800y","b":"\ud83d\ude00","c":"\\ud800","d":"\udc00"}"#;
        let fixed = replace_lone_surrogates(raw);
        let v: Value = serde_json::from_str(&fixed).expect("valid after fixing");
        assert_eq!(v["a"], "x\u{fffd}y");
        assert_eq!(v["b"], "😀");
        assert_eq!(v["c"], "\\ud800");
        assert_eq!(v["d"], "\u{fffd}");
        assert!(
            serde_json::from_str::<Value>(raw).is_err(),
            "serde_json must reject the raw form"
        );
    }

    #[test]
    fn path_segments_keep_uuids_readable_and_escape_the_rest() {
        assert_eq!(
            seg("c43d8df4-2eea-49b7-a546-375ff0b11a03").ok().as_deref(),
            Some("c43d8df4-2eea-49b7-a546-375ff0b11a03")
        );
        assert_eq!(seg("../x y/").ok().as_deref(), Some("..%2Fx%20y%2F"));
        for bad in ["", ".", "..", "..."] {
            assert!(seg(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
