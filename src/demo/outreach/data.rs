//! The Outreach demo's records: users, mailboxes, prospects and mailings, generated from a fixed
//! "now" so tests and snapshots are stable. Attribute names and shapes follow seed 003 (Mailbox)
//! and `shared/outreach-api.md` §6–7; write-only attributes (`password`, `smtpPassword`,
//! `sendgridApiKey`, `validateSend`, `validateSync`) are stored but never returned.
use serde_json::{Map, Value, json};

/// Outreach writes date-times as ISO 8601 UTC with milliseconds.
pub(crate) fn iso(secs: i64) -> String {
    crate::demo::server::utc(secs, ".000Z")
}

pub(crate) struct User {
    pub id: i64,
    pub first: &'static str,
    pub last: &'static str,
    pub email: &'static str,
}

pub(crate) struct Prospect {
    pub id: i64,
    pub first: String,
    pub last: String,
}

/// A mailbox: readable attributes in `attrs` (JSON, as served), owner in `user_id`.
pub(crate) struct Mailbox {
    pub id: i64,
    pub user_id: i64,
    pub attrs: Map<String, Value>,
    /// Write-only attributes set by PATCH (kept, never served).
    pub secrets: Map<String, Value>,
    /// What `actions/testSend` / `actions/testSync` answer: `None` = works, `Some(detail)` = 422.
    pub send_fault: Option<&'static str>,
    pub sync_fault: Option<&'static str>,
}

pub(crate) struct Mailing {
    pub id: i64,
    pub mailbox_id: i64,
    pub prospect_id: i64,
    pub attrs: Map<String, Value>,
}

pub(crate) struct Data {
    pub users: Vec<User>,
    pub mailboxes: Vec<Mailbox>,
    pub prospects: Vec<Prospect>,
    pub mailings: Vec<Mailing>,
}

/// Attributes the API sets itself (digest §6.1 flags R); a PATCH naming one is refused with 422.
pub(crate) const READ_ONLY: &[&str] = &[
    "createdAt",
    "editable",
    "providerId",
    "providerType",
    "sendErroredAt",
    "sendSuccessAt",
    "sendgridWebhookUrl",
    "syncErroredAt",
    "syncFinishedAt",
    "syncSuccessAt",
    "updatedAt",
    "userId",
];

/// Accepted on write, never returned.
pub(crate) const WRITE_ONLY: &[&str] = &[
    "password",
    "smtpPassword",
    "sendgridApiKey",
    "validateSend",
    "validateSync",
];

/// The JSON type a writable attribute must have: 'b' boolean, 'i' integer, 's' string.
pub(crate) fn attr_kind(name: &str) -> Option<char> {
    Some(match name {
        "imapSsl" | "sendDisabled" | "sendRequiresSync" | "smtpSsl" | "syncDisabled"
        | "syncOutreachFolder" | "validateSend" | "validateSync" => 'b',
        "authId"
        | "ewsSslVerifyMode"
        | "imapPort"
        | "maxEmailsPerDay"
        | "maxMailingsPerDay"
        | "maxMailingsPerWeek"
        | "sendMaxRetries"
        | "sendPeriod"
        | "sendThreshold"
        | "smtpPort"
        | "syncActiveFrequency"
        | "syncPassiveFrequency" => 'i',
        "email"
        | "emailHash"
        | "emailProvider"
        | "emailSignature"
        | "ewsEndpoint"
        | "exchangeVersion"
        | "imapHost"
        | "optOutMessage"
        | "optOutSignature"
        | "password"
        | "prospectEmailExclusions"
        | "sendMethod"
        | "sendgridApiKey"
        | "smtpHost"
        | "smtpPassword"
        | "smtpUsername"
        | "syncMethod"
        | "username" => 's',
        _ => return None,
    })
}

/// Mailbox ids with a story (for tests and the README).
pub mod ids {
    /// Sends and syncs fine; 130 mailings (several pages).
    pub const HEALTHY: i64 = 101;
    /// Its last send failed after its last success; `testSend` answers 422.
    pub const SEND_ERROR: i64 = 102;
    /// Its last sync failed; `testSync` answers 422.
    pub const SYNC_ERROR: i64 = 103;
    /// Send and sync disabled, `editable: false` (another user's mailbox).
    pub const LOCKED: i64 = 104;
    /// Never sent nor synced (all health timestamps null).
    pub const NEW: i64 = 105;
    /// Mailings with hostile subjects and bodies (escape sequences, scripts, many links).
    pub const HOSTILE: i64 = 106;
}

/// Number of mailings of the healthy mailbox.
pub const HEALTHY_MAILINGS: i64 = 130;

const STATES: &[&str] = &[
    "delivered",
    "opened",
    "replied",
    "delivered",
    "bounced",
    "opened",
    "queued",
    "failed",
];
const FIRST: &[&str] = &[
    "Alice", "Bruno", "Chidi", "Dana", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jun",
];
const LAST: &[&str] = &[
    "Moreau", "Silva", "Okoro", "Kim", "Yilmaz", "Haddad", "Novak", "Sato", "Petrov", "Li",
];
const SUBJECTS: &[&str] = &[
    "Your annual review",
    "Pension transfer: next steps",
    "ISA allowance before April",
    "Following up on our call",
    "Documents for your protection policy",
    "Quick question about your mortgage",
];

impl Data {
    pub(crate) fn generate(now: i64) -> Data {
        let users = vec![
            User {
                id: 1,
                first: "Ann",
                last: "Hale",
                email: "ann.hale@harbourwealth.example",
            },
            User {
                id: 2,
                first: "Ben",
                last: "Okafor",
                email: "ben.okafor@harbourwealth.example",
            },
            User {
                id: 3,
                first: "Carla",
                last: "Mendes",
                email: "carla.mendes@harbourwealth.example",
            },
        ];
        let h = 3600;
        let d = 86_400;
        let mut mailboxes = Vec::new();
        let mut mk = |id: i64,
                      user_id: i64,
                      email: &str,
                      provider: &str,
                      times: [Option<i64>; 5],
                      disabled: (bool, bool),
                      editable: bool,
                      per_day: i64| {
            let t = |o: Option<i64>| o.map(|ago| json!(iso(now - ago))).unwrap_or(Value::Null);
            let (send_ok, send_err, sync_ok, sync_err, sync_fin) =
                (times[0], times[1], times[2], times[3], times[4]);
            let imap = provider.starts_with("gmail") || provider == "rackspace";
            let attrs = json!({
                "authId": 9000 + id,
                "createdAt": iso(now - 400 * d - id * h),
                "editable": editable,
                "email": email,
                "emailHash": format!("{:016x}", (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
                "emailProvider": provider,
                "emailSignature": format!("<p>Kind regards,<br>{email}</p>"),
                "ewsEndpoint": if imap { Value::Null } else { json!("https://outlook.office365.com/EWS/Exchange.asmx") },
                "ewsSslVerifyMode": if imap { Value::Null } else { json!(1) },
                "exchangeVersion": if imap { Value::Null } else { json!("Exchange2013_SP1") },
                "imapHost": if imap { json!("imap.gmail.com") } else { Value::Null },
                "imapPort": if imap { json!(993) } else { Value::Null },
                "imapSsl": imap,
                "maxEmailsPerDay": 2000,
                "maxMailingsPerDay": per_day,
                "maxMailingsPerWeek": per_day * 10,
            });
            let rest = json!({
                "optOutMessage": "To unsubscribe, click the button below.",
                "optOutSignature": "If you'd like me to stop sending you emails, please <a href='%unsubscribe_url%'>click here</a>",
                "prospectEmailExclusions": "*@harbourwealth.example",
                "providerId": 500 + id,
                "providerType": if imap { "imap" } else { "ews" },
                "sendDisabled": disabled.0,
                "sendErroredAt": t(send_err),
                "sendMaxRetries": 3,
                "sendMethod": if imap { "smtp" } else { "ews" },
                "sendPeriod": 60,
                "sendRequiresSync": false,
                "sendSuccessAt": t(send_ok),
                "sendThreshold": 2,
                "sendgridWebhookUrl": Value::Null,
                "smtpHost": if imap { json!("smtp.gmail.com") } else { Value::Null },
                "smtpPort": if imap { json!(587) } else { Value::Null },
                "smtpSsl": imap,
                "smtpUsername": Value::Null,
                "syncActiveFrequency": 60,
                "syncDisabled": disabled.1,
                "syncErroredAt": t(sync_err),
                "syncFinishedAt": t(sync_fin),
                "syncMethod": if imap { "imap" } else { "ews" },
                "syncOutreachFolder": false,
                "syncPassiveFrequency": 600,
                "syncSuccessAt": t(sync_ok),
                "updatedAt": iso(now - 3 * d - id * h),
                "userId": user_id,
                "username": email,
            });
            let mut attrs = match attrs {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            if let Value::Object(m) = rest {
                attrs.extend(m);
            }
            mailboxes.push(Mailbox {
                id,
                user_id,
                attrs,
                secrets: Map::new(),
                send_fault: None,
                sync_fault: None,
            });
        };
        let m = 60;
        mk(
            ids::HEALTHY,
            1,
            "ann.hale@harbourwealth.example",
            "gmail_api",
            [
                Some(12 * m),
                Some(20 * d),
                Some(3 * m),
                Some(9 * d),
                Some(3 * m),
            ],
            (false, false),
            true,
            500,
        );
        mk(
            ids::SEND_ERROR,
            2,
            "ben.okafor@harbourwealth.example",
            "office365_oauth2",
            [Some(2 * d), Some(40 * m), Some(5 * m), None, Some(5 * m)],
            (false, false),
            true,
            300,
        );
        mk(
            ids::SYNC_ERROR,
            3,
            "carla.mendes@harbourwealth.example",
            "exchange_online",
            [Some(2 * h), None, Some(6 * d), Some(15 * m), Some(15 * m)],
            (false, false),
            true,
            250,
        );
        mk(
            ids::LOCKED,
            2,
            "ben.okafor@okafor-family.example",
            "gmail",
            [
                Some(90 * d),
                Some(60 * d),
                Some(60 * d),
                Some(59 * d),
                Some(59 * d),
            ],
            (true, true),
            false,
            100,
        );
        mk(
            ids::NEW,
            1,
            "ann.hale+events@harbourwealth.example",
            "google_oauth2",
            [None, None, None, None, None],
            (false, true),
            true,
            50,
        );
        mk(
            ids::HOSTILE,
            3,
            "\u{1b}[31mred\u{1b}[0m\u{202e}moc.elpmaxe@liame",
            "rackspace",
            [Some(h), None, Some(h), None, Some(h)],
            (false, false),
            true,
            500,
        );
        for mb in &mut mailboxes {
            match mb.id {
                ids::SEND_ERROR => {
                    mb.send_fault = Some(
                        "SMTP authentication failed: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
                    )
                }
                ids::SYNC_ERROR => {
                    mb.sync_fault = Some(
                        "Exchange Web Services refused the credentials (401). Reconnect the mailbox in Outreach.",
                    )
                }
                ids::LOCKED => {
                    mb.send_fault = Some("Sending is disabled for this mailbox.");
                    mb.sync_fault = Some("Syncing is disabled for this mailbox.");
                }
                _ => {}
            }
        }

        let mut prospects = Vec::new();
        for i in 0..40i64 {
            prospects.push(Prospect {
                id: 7000 + i,
                first: FIRST[(i as usize) % FIRST.len()].to_string(),
                last: LAST[(i as usize * 7 / 3) % LAST.len()].to_string(),
            });
        }
        prospects.push(Prospect {
            id: 7999,
            first: "\u{1b}]0;pwned\u{7}Mallory".into(),
            last: "\u{202e}reggaB".into(),
        });

        let mut mailings = Vec::new();
        let mut next_id = 50_000i64;
        let counts = [
            (ids::HEALTHY, HEALTHY_MAILINGS),
            (ids::SEND_ERROR, 12),
            (ids::SYNC_ERROR, 7),
            (ids::LOCKED, 3),
            (ids::NEW, 0),
            (ids::HOSTILE, 4),
        ];
        for (mailbox_id, n) in counts {
            let address = mailboxes
                .iter()
                .find(|b| b.id == mailbox_id)
                .and_then(|b| b.attrs.get("email").cloned())
                .unwrap_or(Value::Null);
            for k in 0..n {
                next_id += 1;
                let created = now - 30 * m - k * 7 * h - mailbox_id % 7 * m;
                let hostile = mailbox_id == ids::HOSTILE;
                let prospect = if hostile {
                    7999
                } else {
                    7000 + (k * 3 + mailbox_id) % 40
                };
                let state = if mailbox_id == ids::SEND_ERROR && k < 3 {
                    "failed"
                } else {
                    STATES[(k as usize + mailbox_id as usize) % STATES.len()]
                };
                let p = &prospects[prospects.iter().position(|p| p.id == prospect).unwrap_or(0)];
                let (subject, html) = if hostile {
                    hostile_mailing(k)
                } else {
                    let subject = SUBJECTS[(k as usize) % SUBJECTS.len()].to_string();
                    let html = format!(
                        "<p>Hi {},</p><p>I hope you are well. {}</p><p>You can book a time on \
                         <a href=\"https://calendar.example/ann\">my calendar</a> or read \
                         <a href=\"https://harbourwealth.example/guides/{}\">our guide</a>.</p>\
                         <p>Kind regards,<br>Ann</p>",
                        p.first,
                        "Following on from our last conversation, here are the next steps we discussed.",
                        k
                    );
                    (subject, html)
                };
                let text = html.replace("</p>", "\n\n");
                let at = |delay: i64| json!(iso(created + delay));
                let delivered = !matches!(state, "queued" | "failed" | "bounced");
                let attrs = json!({
                    "bodyHtml": html,
                    "bodyText": strip_tags(&text),
                    "bouncedAt": if state == "bounced" { at(90) } else { Value::Null },
                    "clickCount": if state == "replied" { 1 } else { 0 },
                    "clickedAt": if state == "replied" { at(40 * m) } else { Value::Null },
                    "createdAt": iso(created),
                    "deliveredAt": if delivered { at(60) } else { Value::Null },
                    "errorBacktrace": Value::Null,
                    "errorReason": if state == "failed" { json!("535 5.7.139 Authentication unsuccessful") } else { Value::Null },
                    "mailboxAddress": address,
                    "mailingType": if k % 5 == 0 { "single" } else { "sequence" },
                    "markedAsSpamAt": Value::Null,
                    "messageId": format!("<{next_id}.outreach@harbourwealth.example>"),
                    "openCount": match state { "opened" => 2, "replied" => 3, _ => 0 },
                    "openedAt": if matches!(state, "opened" | "replied") { at(20 * m) } else { Value::Null },
                    "repliedAt": if state == "replied" { at(3 * h) } else { Value::Null },
                    "scheduledAt": Value::Null,
                    "state": state,
                    "stateChangedAt": at(60),
                    "subject": subject,
                    "trackLinks": true,
                    "trackOpens": true,
                    "unsubscribedAt": Value::Null,
                    "updatedAt": at(3 * h),
                });
                mailings.push(Mailing {
                    id: next_id,
                    mailbox_id,
                    prospect_id: prospect,
                    attrs: match attrs {
                        Value::Object(m) => m,
                        _ => Map::new(),
                    },
                });
            }
        }
        Data {
            users,
            mailboxes,
            prospects,
            mailings,
        }
    }
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn hostile_mailing(k: i64) -> (String, String) {
    match k {
        0 => (
            "\u{1b}[2J\u{1b}[HCleared your screen?".into(),
            "<p>Escape: \u{1b}[31mred\u{1b}[0m and OSC \u{1b}]52;c;aGk=\u{7} clipboard.</p>".into(),
        ),
        1 => (
            "\u{202e}txt.exe".into(),
            "<script>alert(1)</script><style>p{}</style><p onclick=\"x\">Click <a href=\"javascript:alert(1)\">here</a></p>".into(),
        ),
        2 => ("Many links".into(), {
            let mut s = String::from("<p>");
            for i in 0..30 {
                s.push_str(&format!("<a href=\"https://l{i}.example/\">link {i}</a> "));
            }
            s.push_str("</p>");
            s
        }),
        _ => (
            "Nested".into(),
            format!("{}deep{}", "<div>".repeat(400), "</div>".repeat(400)),
        ),
    }
}
