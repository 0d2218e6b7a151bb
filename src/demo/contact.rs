//! Contact-detail value rules: email syntax, phone parsing/normalisation to E.164.

use super::dataset::PhoneMeta;

/// (ISO country, calling code) — enough for the demo.
const COUNTRIES: &[(&str, &str)] = &[
    ("GB", "44"),
    ("IE", "353"),
    ("AU", "61"),
    ("NZ", "64"),
    ("US", "1"),
    ("FR", "33"),
    ("DE", "49"),
    ("ES", "34"),
    ("IN", "91"),
];

pub(crate) fn valid_email(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 255 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// The digits of a number written with the separators people use (spaces, `-`, `.`, brackets);
/// `None` for anything else. A trunk prefix written `(0)` ("+44 (0)20 …") is dropped.
fn digits_only(s: &str) -> Option<String> {
    let s = s.replace("(0)", "");
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Normalises a phone string to E.164. Accepts `+` followed by 7–15 digits, or a UK national
/// number `0` + 10 digits (spaces allowed). `country` (ISO code) selects the national prefix.
pub(crate) fn normalise_phone(raw: &str, country: Option<&str>) -> Option<String> {
    let s = raw.trim();
    if let Some(rest) = s.strip_prefix('+') {
        let d = digits_only(rest)?;
        return ((7..=15).contains(&d.len()) && !d.starts_with('0')).then(|| format!("+{d}"));
    }
    let d = digits_only(s)?;
    let country = country.unwrap_or("GB").to_ascii_uppercase();
    let code = COUNTRIES.iter().find(|(c, _)| *c == country)?.1;
    if country == "GB" {
        return ((10..=11).contains(&d.len()) && d.starts_with('0'))
            .then(|| format!("+44{}", &d[1..]));
    }
    let national = d.strip_prefix('0').unwrap_or(&d);
    let total = code.len() + national.len();
    (!national.is_empty() && (7..=15).contains(&total)).then(|| format!("+{code}{national}"))
}

pub(crate) fn country_known(c: &str) -> bool {
    COUNTRIES.iter().any(|(k, _)| k.eq_ignore_ascii_case(c))
}

/// Country and display format of an E.164 number.
pub(crate) fn phone_meta(e164: &str) -> Option<PhoneMeta> {
    let d = e164.strip_prefix('+')?;
    let (country, code) = COUNTRIES
        .iter()
        .filter(|(_, code)| d.starts_with(code))
        .max_by_key(|(_, code)| code.len())
        .copied()
        .unwrap_or(("ZZ", ""));
    let rest = &d[code.len()..];
    let formatted = if country == "GB" && rest.len() == 10 {
        let n = format!("0{rest}");
        if n.starts_with("02") {
            format!("{} {} {}", &n[..3], &n[3..7], &n[7..])
        } else if n.starts_with("07") || n.starts_with("01") {
            format!("{} {}", &n[..5], &n[5..])
        } else {
            format!("{} {} {}", &n[..4], &n[4..7], &n[7..])
        }
    } else if code.is_empty() {
        e164.to_string()
    } else {
        format!("+{code} {rest}")
    };
    Some(PhoneMeta {
        country: country.to_string(),
        formatted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(
            normalise_phone("07700 900123", None).as_deref(),
            Some("+447700900123")
        );
        assert_eq!(
            normalise_phone("+44 333 090 3630", None).as_deref(),
            Some("+443330903630")
        );
        assert_eq!(normalise_phone("077009001", None), None);
        assert_eq!(normalise_phone("+12345", None), None);
        assert_eq!(normalise_phone("07700 90012x", None), None);
        assert_eq!(
            normalise_phone("02 3456 7890", Some("AU")).as_deref(),
            Some("+61234567890")
        );
        let m = phone_meta("+443330903630").unwrap();
        assert_eq!(
            (m.country.as_str(), m.formatted.as_str()),
            ("GB", "0333 090 3630")
        );
        assert_eq!(
            phone_meta("+447700900123").unwrap().formatted,
            "07700 900123"
        );
        assert_eq!(
            phone_meta("+442079460123").unwrap().formatted,
            "020 7946 0123"
        );
        assert_eq!(phone_meta("+61234567890").unwrap().country, "AU");
    }

    /// App and demo follow the same documented rules: every phone example of the seeds and the
    /// digest is accepted by both, and what the app refuses the demo refuses too.
    #[test]
    fn app_and_demo_agree_on_documented_phones() {
        use crate::api::models::ContactValue;
        use crate::app::contacts::validate::parse_phone;
        let demo = |v: &ContactValue| match v {
            ContactValue::Text(t) => normalise_phone(t, None),
            ContactValue::Intl { country, number } => normalise_phone(number, Some(country)),
        };
        for ok in [
            "+44751488454",       // seed 004's request example
            "+443330903630",      // seed 004's answer, digest §8.1
            "07700 900123",       // digest §8.4
            "+61 2 3456 7890",    // digest §8.3: international format is accepted
            "AU +61 2 3456 7890", // digest §8.3's object form
            "AU 02 3456 7890",    // a national number of another country
            "+44 (0)20 7946 0018",
            "07700-900123",
            "0333 090 3630",
        ] {
            let v = parse_phone(ok).unwrap_or_else(|e| panic!("app refused {ok}: {e}"));
            assert!(demo(&v).is_some(), "demo refused {ok} sent as {v:?}");
        }
        for bad in [
            "0770",
            "+44 7700",
            "call me",
            "+0 123 4567",
            "07700 9001234567",
        ] {
            assert!(parse_phone(bad).is_err(), "app took {bad}");
            assert_eq!(normalise_phone(bad, None), None, "demo took {bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(valid_email("a.b@example.co.uk"));
        assert!(!valid_email("a b@example.com"));
        assert!(!valid_email("nobody"));
        assert!(!valid_email("x@localhost"));
    }
}
