//! What the server checks, checked first: label, value (email / phone), owners and primaries; the
//! request body built from a form; and a 422's `errors` mapped back onto the form's fields.
//!
//! Phones: a UK number is typed as-is, international (`+44 7700 900123`) or national
//! (`07700 900123`), and sent as a string (the server assumes GB). A number from another country is
//! typed with its two-letter ISO country code first — `AU +61 2 3456 7890` — and sent as the
//! `{country, number}` object the API asks for. A number in international format from any country
//! (`+61 2 3456 7890`) is accepted as typed and sent as a string, as the docs say; the
//! `{country, number}` form is what a national number of another country (`AU 02 3456 7890`) needs.
use std::collections::BTreeMap;

use crate::api::models::{ContactDetail, ContactDetailWrite, ContactValue};
use crate::app::editor::MAX_NAME;

/// The two kinds of contact detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Email,
    Phone,
}

impl Kind {
    /// From the API's `type` (anything not `email` is treated as a phone, the only other value).
    pub fn from_api(s: &str) -> Kind {
        if s == "email" {
            Kind::Email
        } else {
            Kind::Phone
        }
    }
    pub fn api(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone_number",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
        }
    }
}

/// A problem per form field (`general` for anything that belongs to no field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    pub label: Option<String>,
    pub value: Option<String>,
    pub owners: Option<String>,
    pub primary: Option<String>,
    pub general: Option<String>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        *self == FieldErrors::default()
    }
    pub fn count(&self) -> usize {
        [
            &self.label,
            &self.value,
            &self.owners,
            &self.primary,
            &self.general,
        ]
        .iter()
        .filter(|e| e.is_some())
        .count()
    }
}

pub fn validate_label(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("The label cannot be blank (e.g. Work, Personal).".into());
    }
    let n = t.chars().count();
    if n > MAX_NAME {
        return Err(format!(
            "The label is {n} characters; the most Plannr accepts is {MAX_NAME}."
        ));
    }
    Ok(t.to_string())
}

/// A practical check of an address: one `@`, something before it, a dotted domain of sensible
/// labels after it, no spaces, at most 254 characters.
pub fn validate_email(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("The email address cannot be blank.".into());
    }
    let bad = || {
        Err(format!(
            "“{t}” is not an email address (expected name@example.com)."
        ))
    };
    if t.chars().count() > 254 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad();
    }
    let Some((local, domain)) = t.rsplit_once('@') else {
        return bad();
    };
    if local.is_empty()
        || local.contains('@')
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return bad();
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    {
        return bad();
    }
    Ok(t.to_string())
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Only digits, spaces, `-`, `.`, `(`, `)` and one leading `+`.
fn phone_chars_ok(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
}

/// Parse a typed phone number into what the API takes (see the module notes).
pub fn parse_phone(text: &str) -> Result<ContactValue, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("The phone number cannot be blank.".into());
    }
    // "AU +61 2 3456 7890": a country code, then the number.
    if let Some((cc, rest)) = t.split_once(char::is_whitespace)
        && cc.len() == 2
        && cc.chars().all(|c| c.is_ascii_alphabetic())
    {
        let country = cc.to_ascii_uppercase();
        let number = rest.trim();
        if !phone_chars_ok(number) {
            return Err(format!(
                "“{number}” is not a phone number (digits, spaces and a leading + only)."
            ));
        }
        let n = digits(number).len();
        if !(5..=15).contains(&n) {
            return Err(format!(
                "A phone number has 5 to 15 digits; “{number}” has {n}."
            ));
        }
        if country == "GB" {
            return parse_uk(number);
        }
        return Ok(ContactValue::Intl {
            country,
            number: number.to_string(),
        });
    }
    if !phone_chars_ok(t) {
        return Err(format!(
            "“{t}” is not a phone number. Type +44…, 07…, any number in international format (+61 2 3456 7890), or a country code before a national number (AU 02 3456 7890)."
        ));
    }
    parse_uk(t)
}

fn parse_uk(t: &str) -> Result<ContactValue, String> {
    let d = digits(t);
    if t.starts_with('+') {
        if let Some(rest) = d.strip_prefix("44") {
            let rest = rest.strip_prefix('0').unwrap_or(rest); // "+44 (0)20…"
            if (9..=10).contains(&rest.len()) {
                return Ok(ContactValue::Text(t.to_string()));
            }
            return Err(format!(
                "A UK number has 9 or 10 digits after +44; “{t}” has {}.",
                rest.len()
            ));
        }
        // Another country's international format: the country code says where it is.
        let n = d.len();
        if d.starts_with('0') || !(7..=15).contains(&n) {
            return Err(format!(
                "“{t}” is not an international number: + then the country code and 7 to 15 digits in all (it has {n})."
            ));
        }
        return Ok(ContactValue::Text(t.to_string()));
    }
    if d.starts_with('0') && (10..=11).contains(&d.len()) {
        return Ok(ContactValue::Text(t.to_string()));
    }
    Err(format!(
        "“{t}” is not a UK number (07… or 01…/02…, 10 or 11 digits), nor international (+44…)."
    ))
}

pub fn validate_value(kind: Kind, text: &str) -> Result<ContactValue, String> {
    match kind {
        Kind::Email => validate_email(text).map(ContactValue::Text),
        Kind::Phone => parse_phone(text),
    }
}

/// The text to put in the value field when editing an existing detail: a non-UK phone gets its
/// country code in front, so saving it unchanged sends the same number back.
pub fn value_for_editing(d: &ContactDetail) -> String {
    match &d.phone_number_meta {
        Some(m)
            if !d.is_email() && m.country.len() == 2 && !m.country.eq_ignore_ascii_case("GB") =>
        {
            format!("{} {}", m.country.to_ascii_uppercase(), d.value)
        }
        _ => d.value.clone(),
    }
}

/// Check everything and build the request body. `kind` is sent only on create.
pub fn build_body(
    kind: Kind,
    create: bool,
    label: &str,
    value: &str,
    owners: &[String],
    primaries: &[String],
    primaries_known: bool,
) -> Result<ContactDetailWrite, FieldErrors> {
    let mut errs = FieldErrors::default();
    let name = validate_label(label).map_err(|e| errs.label = Some(e)).ok();
    let value = validate_value(kind, value)
        .map_err(|e| errs.value = Some(e))
        .ok();
    if owners.is_empty() {
        errs.owners = Some("Choose at least one owner (Space ticks one).".into());
    }
    let stray = primaries.iter().filter(|p| !owners.contains(p)).count();
    if stray > 0 {
        errs.primary = Some(format!(
            "{stray} account{} marked primary but not an owner: tick them as owners or untick primary.",
            if stray == 1 { " is" } else { "s are" }
        ));
    }
    match (name, value) {
        (Some(name), Some(value)) if errs.is_empty() => Ok(ContactDetailWrite {
            kind: create.then(|| kind.api().to_string()),
            name,
            value,
            is_primary: None,
            account_uuids: dedup(owners),
            // Unknown and untouched: leave the field out so Plannr keeps what it has.
            primary_account_uuids: (primaries_known || !primaries.is_empty())
                .then(|| dedup(primaries)),
        }),
        _ => Err(errs),
    }
}

fn dedup(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for s in v {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// The body that makes `client` a primary of `d` while keeping everything else as the server has
/// it (owners and other primaries resent; the client is added as an owner if it was not one).
/// `None` when the server's copy did not say who owns it or has it as primary: sending only the
/// client would drop the others.
pub fn make_primary_body(d: &ContactDetail, client: &str) -> Option<ContactDetailWrite> {
    let mut owners: Vec<String> = d
        .accounts
        .as_ref()?
        .iter()
        .map(|a| a.uuid.clone())
        .collect();
    let mut primaries: Vec<String> = d
        .primary_accounts
        .as_ref()?
        .iter()
        .map(|a| a.uuid.clone())
        .collect();
    for list in [&mut owners, &mut primaries] {
        if !list.iter().any(|u| u == client) {
            list.push(client.to_string());
        }
    }
    let value = match validate_value(Kind::from_api(&d.kind), &value_for_editing(d)) {
        Ok(ContactValue::Intl { country, number }) => ContactValue::Intl { country, number },
        _ => ContactValue::Text(d.value.clone()),
    };
    Some(ContactDetailWrite {
        kind: None,
        name: d.name.clone(),
        value,
        is_primary: None,
        account_uuids: dedup(&owners),
        primary_account_uuids: Some(dedup(&primaries)),
    })
}

/// Put each entry of a 422's `errors` under its field. Dotted keys (`account_uuids.0`,
/// `value.number`) belong to their first segment; unknown keys and a bare message go to `general`.
pub fn map_server_errors(errors: &BTreeMap<String, Vec<String>>, message: &str) -> FieldErrors {
    let mut out = FieldErrors::default();
    let add = |slot: &mut Option<String>, msg: &str| match slot {
        Some(s) if !s.contains(msg) => {
            s.push(' ');
            s.push_str(msg);
        }
        Some(_) => {}
        None => *slot = Some(msg.to_string()),
    };
    for (key, msgs) in errors {
        let root = key.split('.').next().unwrap_or("");
        let slot = match root {
            "name" => &mut out.label,
            "value" | "number" | "country" | "type" => &mut out.value,
            "account_uuids" | "accounts" => &mut out.owners,
            "primary_account_uuids" | "primary_accounts" | "is_primary" => &mut out.primary,
            _ => &mut out.general,
        };
        for m in msgs.iter().filter(|m| !m.trim().is_empty()) {
            add(slot, m);
        }
    }
    if out.is_empty() {
        out.general = Some(if message.trim().is_empty() {
            "Plannr refused the change.".into()
        } else {
            message.to_string()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::{Account, PhoneMeta};

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn labels() {
        assert_eq!(validate_label("  Work "), Ok("Work".into()));
        assert!(validate_label(" \t ").unwrap_err().contains("blank"));
        assert!(validate_label(&"é".repeat(255)).is_ok());
        assert!(
            validate_label(&"x".repeat(256))
                .unwrap_err()
                .contains("256")
        );
    }

    #[test]
    fn emails() {
        for ok in [
            "a@b.co",
            "gareth@codepotato.co.uk",
            "first.last+tag@sub.example.org",
            " a@b.io ",
        ] {
            assert!(validate_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "plain",
            "@b.com",
            "a@",
            "a@b",
            "a b@c.com",
            "a@b..com",
            "a@@b.com",
            "a@-b.com",
            ".a@b.com",
            "a..b@c.com",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        let text = |v: &str| ContactValue::Text(v.into());
        assert_eq!(parse_phone("+44 7700 900123"), Ok(text("+44 7700 900123")));
        assert_eq!(parse_phone("+443330903630"), Ok(text("+443330903630")));
        assert_eq!(
            parse_phone("+44 (0)20 7946 0018"),
            Ok(text("+44 (0)20 7946 0018"))
        );
        assert_eq!(parse_phone("07700 900123"), Ok(text("07700 900123")));
        assert_eq!(parse_phone("0333 090 3630"), Ok(text("0333 090 3630")));
        assert_eq!(
            parse_phone("au +61 2 3456 7890"),
            Ok(ContactValue::Intl {
                country: "AU".into(),
                number: "+61 2 3456 7890".into()
            })
        );
        assert_eq!(parse_phone("GB 07700 900123"), Ok(text("07700 900123")));
        // International format from any country is accepted as typed (the docs' own example).
        assert_eq!(parse_phone("+61 2 3456 7890"), Ok(text("+61 2 3456 7890")));
        assert_eq!(parse_phone("+1 212 555 0100"), Ok(text("+1 212 555 0100")));
        assert!(parse_phone("+0 123 4567").is_err());
        assert!(parse_phone("+61 2").is_err());
        // A national number of another country needs its country code first.
        assert_eq!(
            parse_phone("AU 02 3456 7890"),
            Ok(ContactValue::Intl {
                country: "AU".into(),
                number: "02 3456 7890".into()
            })
        );
        assert!(parse_phone("").is_err());
        assert!(parse_phone("0770").is_err());
        assert!(parse_phone("+44 7700").is_err());
        assert!(parse_phone("call me").is_err());
        assert!(parse_phone("07700 9001234567").is_err());
        assert!(parse_phone("AU 12").is_err());
        assert!(parse_phone("AU abc").is_err());
    }

    #[test]
    fn body_preserves_owners_and_primaries() {
        let owners = s(&["c1", "c2", "c1"]);
        let primaries = s(&["c2"]);
        let b = build_body(
            Kind::Phone,
            false,
            " Home ",
            "07700 900123",
            &owners,
            &primaries,
            true,
        )
        .unwrap();
        assert_eq!(b.kind, None);
        assert_eq!(b.name, "Home");
        assert_eq!(b.account_uuids, s(&["c1", "c2"]));
        assert_eq!(b.primary_account_uuids, Some(s(&["c2"])));
        let json = serde_json::to_value(&b).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name":"Home","value":"07700 900123","account_uuids":["c1","c2"],"primary_account_uuids":["c2"]})
        );
        let c = build_body(Kind::Email, true, "Work", "a@b.com", &s(&["c1"]), &[], true).unwrap();
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["type"], "email");
        assert_eq!(json["primary_account_uuids"], serde_json::json!([]));
        // Primaries never learnt (the answer left them out) and untouched: not sent at all, so
        // Plannr keeps them — never `[]`, which would drop every primary.
        let u = build_body(
            Kind::Email,
            false,
            "Work",
            "a@b.com",
            &s(&["c1"]),
            &[],
            false,
        )
        .unwrap();
        let json = serde_json::to_value(&u).unwrap();
        assert!(json.get("primary_account_uuids").is_none(), "{json}");
        let intl = build_body(
            Kind::Phone,
            false,
            "Sydney",
            "AU +61 2 3456 7890",
            &s(&["c1"]),
            &[],
            true,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&intl).unwrap()["value"],
            serde_json::json!({"country":"AU","number":"+61 2 3456 7890"})
        );
    }

    #[test]
    fn body_errors_per_field() {
        let e = build_body(Kind::Email, false, "", "nope", &[], &s(&["c9"]), true).unwrap_err();
        assert!(
            e.label.is_some() && e.value.is_some() && e.owners.is_some() && e.primary.is_some()
        );
        assert_eq!(e.count(), 4);
        let e = build_body(
            Kind::Email,
            false,
            "Work",
            "a@b.com",
            &s(&["c1"]),
            &s(&["c2"]),
            true,
        )
        .unwrap_err();
        assert_eq!(e.count(), 1);
        assert!(e.primary.is_some());
    }

    #[test]
    fn primary_body_adds_client_keeps_rest() {
        let acc = |u: &str| Account {
            uuid: u.into(),
            ..Account::default()
        };
        let d = ContactDetail {
            uuid: "d1".into(),
            kind: "phone_number".into(),
            name: "Home".into(),
            value: "+61234567890".into(),
            phone_number_meta: Some(PhoneMeta {
                country: "AU".into(),
                formatted: "02 3456 7890".into(),
            }),
            accounts: Some(vec![acc("c1"), acc("c2")]),
            primary_accounts: Some(vec![acc("c2")]),
            ..ContactDetail::default()
        };
        let b = make_primary_body(&d, "c1").unwrap();
        assert_eq!(b.account_uuids, s(&["c1", "c2"]));
        assert_eq!(b.primary_account_uuids, Some(s(&["c2", "c1"])));
        assert_eq!(
            b.value,
            ContactValue::Intl {
                country: "AU".into(),
                number: "+61234567890".into()
            }
        );
        assert_eq!(value_for_editing(&d), "AU +61234567890");
        let b = make_primary_body(&d, "c3").unwrap();
        assert_eq!(b.account_uuids, s(&["c1", "c2", "c3"]));
        // Who has it as primary unknown: no body (sending only the client would drop the rest).
        let unknown = ContactDetail {
            primary_accounts: None,
            ..d
        };
        assert_eq!(make_primary_body(&unknown, "c1"), None);
    }

    #[test]
    fn server_errors_land_on_fields() {
        let errors: BTreeMap<String, Vec<String>> = [
            (
                "name",
                vec!["The name may not be greater than 255 characters."],
            ),
            ("value", vec!["Please enter a valid phone number."]),
            (
                "account_uuids.0",
                vec!["The selected account is not a client."],
            ),
            (
                "account_uuids.1",
                vec!["The selected account is not a client."],
            ),
            ("primary_account_uuids", vec!["Bad primary."]),
            ("weird", vec!["Something else."]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        let f = map_server_errors(&errors, "The name may not…");
        assert_eq!(
            f.label.as_deref(),
            Some("The name may not be greater than 255 characters.")
        );
        assert_eq!(
            f.value.as_deref(),
            Some("Please enter a valid phone number.")
        );
        assert_eq!(
            f.owners.as_deref(),
            Some("The selected account is not a client."),
            "duplicates merged"
        );
        assert_eq!(f.primary.as_deref(), Some("Bad primary."));
        assert_eq!(f.general.as_deref(), Some("Something else."));
        let f = map_server_errors(&BTreeMap::new(), "Nope.");
        assert_eq!(f.general.as_deref(), Some("Nope."));
    }
}
