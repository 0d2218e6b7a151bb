//! Every call kind the app makes (and saving an attachment) × every fault a misbehaving server or proxy commits, against the
//! demo server's scripted faults. For each pair: the call returns (alive), a failure is one clear
//! sentence (one line, no token, no raw HTML, no "..", not too long), requests stay bounded, and
//! no write is ever taken as saved when the answer is not the record with the values sent (so the
//! app keeps what was typed). The outcome table is written into `tests/README.md` between the
//! fault-matrix markers by this test.
mod common;

use std::time::Duration;

use common::demo_client;
use plannr_tui::api::ApiError;
use plannr_tui::api::models::*;
use plannr_tui::app::{Call, PlannrCall, PlannrReply, Reply};
use plannr_tui::demo::{DemoOptions, DemoServer, Fault, Scripted};
use plannr_tui::worker::{DOWNLOAD_LIMIT, call_api, download};
use serde_json::json;

/// What one column of the matrix does: an API call, or saving an attachment (`s` in a thread).
#[derive(Debug, Clone)]
enum Op {
    Api(Call),
    Download(String),
}

impl From<Call> for Op {
    fn from(c: Call) -> Op {
        Op::Api(c)
    }
}

/// (short name, method, path prefix, what is done, is a write)
fn calls(s: &DemoServer) -> Vec<(&'static str, &'static str, String, Op, bool)> {
    let f = s.fixtures();
    let mailbox = f.first_mailbox_uuid.clone();
    let conv = f.busiest_conversation_uuid.clone();
    let client = f.client_with_contact_details_uuid.clone();
    let detail = f
        .contact_detail_uuids_of_that_client
        .first()
        .cloned()
        .unwrap_or_default();
    let msg = f.medium_thread_message_uuid.clone();
    let write = ContactDetailWrite {
        kind: Some("email".into()),
        name: "Work email".into(),
        value: ContactValue::Text("new.address@example.com".into()),
        is_primary: None,
        account_uuids: vec![client.clone()],
        primary_account_uuids: Some(vec![]),
    };
    vec![
        (
            "logins",
            "GET",
            "/api/v1/logins".into(),
            Call::Plannr(PlannrCall::Logins).into(),
            false,
        ),
        (
            "mailboxes",
            "GET",
            "/api/v1/mailboxes".into(),
            Call::Plannr(PlannrCall::Mailboxes).into(),
            false,
        ),
        (
            "mailbox PUT",
            "PUT",
            format!("/api/v1/mailboxes/{mailbox}"),
            Call::Plannr(PlannrCall::UpdateMailbox {
                uuid: mailbox.clone(),
                update: MailboxUpdate {
                    name: Some("Renamed box".into()),
                    ..MailboxUpdate::default()
                },
            })
            .into(),
            true,
        ),
        (
            "thread",
            "GET",
            format!("/api/v1/mailboxes/message/{msg}"),
            Call::Plannr(PlannrCall::Thread {
                uuid: msg.clone(),
                query: ThreadQuery {
                    per_page: 25,
                    page_ancestors: 1,
                    page_descendants: 1,
                },
            })
            .into(),
            false,
        ),
        (
            "emails",
            "GET",
            format!("/api/v1/client/{client}/emails"),
            Call::Plannr(PlannrCall::ClientEmails {
                client_uuid: client.clone(),
                query: EmailQuery {
                    search: None,
                    incoming: None,
                    page: 1,
                    per_page: 50,
                },
            })
            .into(),
            false,
        ),
        (
            "conversations",
            "GET",
            "/api/v1/conversation".into(),
            Call::Plannr(PlannrCall::Conversations {
                archived: Archived::Active,
                page: 1,
                per_page: 50,
            })
            .into(),
            false,
        ),
        (
            "conversation",
            "GET",
            format!("/api/v1/conversation/{conv}"),
            Call::Plannr(PlannrCall::Conversation { uuid: conv.clone() }).into(),
            false,
        ),
        (
            "rename PUT",
            "PUT",
            format!("/api/v1/conversation/{conv}"),
            Call::Plannr(PlannrCall::RenameConversation {
                uuid: conv.clone(),
                name: "Renamed conversation".into(),
            })
            .into(),
            true,
        ),
        (
            "messages",
            "GET",
            format!("/api/v1/conversation/{conv}/messages"),
            Call::Plannr(PlannrCall::ConversationMessages {
                uuid: conv.clone(),
                page: 1,
                per_page: 50,
            })
            .into(),
            false,
        ),
        (
            "clients",
            "GET",
            "/api/v1/account".into(),
            Call::Plannr(PlannrCall::Clients {
                name: None,
                page: 1,
                per_page: 50,
            })
            .into(),
            false,
        ),
        (
            "details",
            "GET",
            "/api/v2/contact-details".into(),
            Call::Plannr(PlannrCall::ContactDetails {
                account_uuids: vec![client.clone()],
                page: 1,
                per_page: 50,
            })
            .into(),
            false,
        ),
        (
            "pre-save check",
            "GET",
            "/api/v2/contact-details".into(),
            Call::Plannr(PlannrCall::ContactDetail {
                uuid: detail.clone(),
            })
            .into(),
            false,
        ),
        (
            "detail POST",
            "POST",
            "/api/v2/contact-details".into(),
            Call::Plannr(PlannrCall::CreateContactDetail {
                body: write.clone(),
            })
            .into(),
            true,
        ),
        (
            "detail PUT",
            "PUT",
            format!("/api/v2/contact-details/{detail}"),
            Call::Plannr(PlannrCall::UpdateContactDetail {
                uuid: detail.clone(),
                body: ContactDetailWrite {
                    kind: None,
                    ..write
                },
            })
            .into(),
            true,
        ),
        (
            "pin",
            "POST",
            format!("/api/v1/conversation/{conv}/pin"),
            Call::Plannr(PlannrCall::PinConversation {
                uuid: conv.clone(),
                pin: true,
            })
            .into(),
            true,
        ),
        (
            "download",
            "GET",
            format!("/__demo/files/{}", f.attachment_uuid),
            Op::Download(format!("/__demo/files/{}", f.attachment_uuid)),
            false,
        ),
    ]
}

/// The scripts that commit a fault for (method, path prefix, the other origin's base URL).
type Scripts = Box<dyn Fn(&str, &str, &str) -> Vec<Scripted>>;

/// A fault: its name, and the scripts that commit it for (method, path).
struct FaultCase {
    name: &'static str,
    scripts: Scripts,
    /// The call kinds that may still succeed (a reset once, then a good retry; `[]` is an empty
    /// list in the tolerant list decoder).
    may_succeed: fn(&str) -> bool,
}

fn faults() -> Vec<FaultCase> {
    let times = |n: usize, s: Scripted| vec![s; n];
    let status = |code: u16| -> Scripts {
        Box::new(move |m: &str, p: &str, _: &str| vec![Scripted::status(Some(m), Some(p), code); 4])
    };
    let body = |v: serde_json::Value| -> Scripts {
        Box::new(move |m: &str, p: &str, _: &str| {
            vec![Scripted::json(Some(m), Some(p), 200, v.clone())]
        })
    };
    let raw = |ctype: &'static str, text: &'static str| -> Scripts {
        Box::new(move |m: &str, p: &str, _: &str| {
            vec![Scripted::raw(Some(m), Some(p), 200, ctype, text)]
        })
    };
    const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let mut v = vec![
        FaultCase {
            name: "401",
            scripts: status(401),
            may_succeed: never,
        },
        FaultCase {
            name: "403",
            scripts: status(403),
            may_succeed: never,
        },
        FaultCase {
            name: "404",
            scripts: status(404),
            may_succeed: never,
        },
        FaultCase {
            name: "409",
            scripts: status(409),
            may_succeed: never,
        },
        FaultCase {
            name: "422",
            scripts: status(422),
            may_succeed: never,
        },
        FaultCase {
            name: "429 ×4",
            scripts: Box::new(move |m, p, _| {
                times(
                    4,
                    Scripted::status(Some(m), Some(p), 429).with_header("Retry-After", "0"),
                )
            }),
            may_succeed: never,
        },
        FaultCase {
            name: "500 ×4",
            scripts: status(500),
            may_succeed: never,
        },
        FaultCase {
            name: "502 nginx page ×4",
            scripts: Box::new(move |m, p, _| {
                times(
                    4,
                    Scripted::raw(Some(m), Some(p), 502, "text/html", NGINX_502),
                )
            }),
            may_succeed: never,
        },
        FaultCase {
            name: "503 empty ×4",
            scripts: Box::new(move |m, p, _| {
                times(4, Scripted::raw(Some(m), Some(p), 503, "text/plain", ""))
            }),
            may_succeed: never,
        },
        FaultCase {
            name: "hang",
            scripts: Box::new(move |m, p, _| {
                times(
                    4,
                    Scripted::status(Some(m), Some(p), 200).with_delay_ms(120_000),
                )
            }),
            may_succeed: never,
        },
        FaultCase {
            name: "reset once",
            scripts: Box::new(move |m, p, _| vec![Scripted::fault(Some(m), Some(p), Fault::Reset)]),
            may_succeed: always,
        },
        FaultCase {
            name: "reset ×4",
            scripts: Box::new(move |m, p, _| {
                times(4, Scripted::fault(Some(m), Some(p), Fault::Reset))
            }),
            may_succeed: never,
        },
        FaultCase {
            name: "200 empty body",
            scripts: raw("application/json", ""),
            may_succeed: pin_or_download,
        },
        FaultCase {
            name: "200 {}",
            scripts: body(json!({})),
            may_succeed: pin_or_download,
        },
        FaultCase {
            name: "200 []",
            scripts: body(json!([])),
            may_succeed: list_pin_or_download,
        },
        FaultCase {
            name: "200 {\"data\":{}}",
            scripts: body(json!({"data": {}})),
            may_succeed: pin_or_download,
        },
        FaultCase {
            name: "200 \"text\"",
            scripts: body(json!("text")),
            may_succeed: pin_or_download,
        },
        FaultCase {
            name: "200 [1,2,3]",
            scripts: body(json!({"data": [1, 2, 3]})),
            may_succeed: pin_or_download,
        },
        FaultCase {
            name: "200 HTML page",
            scripts: raw("text/html", NGINX_502),
            may_succeed: is_download,
        },
        FaultCase {
            name: "200 12 MB",
            scripts: Box::new(move |m, p, _| {
                vec![Scripted::fault(
                    Some(m),
                    Some(p),
                    Fault::Oversized { megabytes: 12 },
                )]
            }),
            may_succeed: is_download,
        },
        FaultCase {
            name: "gzip bomb 16 MB",
            scripts: Box::new(move |m, p, _| {
                vec![Scripted::fault(
                    Some(m),
                    Some(p),
                    Fault::GzipBomb { megabytes: 16 },
                )]
            }),
            may_succeed: is_download,
        },
        FaultCase {
            name: "307 other origin",
            scripts: Box::new(move |m, p, other| {
                vec![
                    Scripted::status(Some(m), Some(p), 307)
                        .with_header("Location", &format!("{other}{p}")),
                ]
            }),
            may_succeed: never,
        },
        FaultCase {
            name: "302 loop",
            scripts: Box::new(move |m, p, _| {
                times(
                    8,
                    Scripted::status(Some(m), Some(p), 302)
                        .with_header("Location", &format!("{p}?t=demo-token")),
                )
            }),
            may_succeed: never,
        },
    ];
    v.shrink_to_fit();
    v
}

fn never(_: &str) -> bool {
    false
}
fn always(_: &str) -> bool {
    true
}
/// A pin is documented with no answer body (any 2xx is success, per the digest's reading of the
/// docs); a download saves whatever bytes a 200 brings, up to its own limit.
fn pin_or_download(call: &str) -> bool {
    matches!(call, "pin" | "download")
}
fn is_download(call: &str) -> bool {
    call == "download"
}
fn list_pin_or_download(call: &str) -> bool {
    is_list(call) || pin_or_download(call)
}
/// Calls whose answer is a list (a bare `[]` is a genuinely empty one).
fn is_list(call: &str) -> bool {
    matches!(
        call,
        "logins" | "mailboxes" | "emails" | "conversations" | "messages" | "clients" | "details"
    )
}

/// What is wrong with a failure's sentence, if anything.
fn sentence_problems(text: &str, token: &str) -> Vec<String> {
    let mut p = Vec::new();
    if text.trim().is_empty() {
        p.push("empty".into());
    }
    if text.contains('\n') || text.contains('\r') {
        p.push("more than one line".into());
    }
    if text.contains(token) {
        p.push("carries the token".into());
    }
    if text.to_ascii_lowercase().contains("<html") || text.contains("</") {
        p.push("raw HTML".into());
    }
    if text.trim_end().ends_with('.') {
        p.push("ends in a full stop (callers add one: \"..\")".into());
    }
    if text.chars().count() > 400 {
        p.push(format!("{} characters", text.chars().count()));
    }
    p
}

fn short(e: &ApiError) -> String {
    match e {
        ApiError::Unauthenticated => "401".to_string(),
        ApiError::Forbidden { .. } => "403".into(),
        ApiError::NotFound { .. } => "404".into(),
        ApiError::Validation { .. } => "422".into(),
        ApiError::RateLimited { .. } => "429".into(),
        ApiError::Conflict { .. } => "409".into(),
        ApiError::Server { status, .. } => status.to_string(),
        ApiError::Http { status, .. } => status.to_string(),
        ApiError::Timeout => "deadline".into(),
        ApiError::Network(_) => "network".into(),
        ApiError::Decode { .. } => "malformed".into(),
        ApiError::Unconfirmed { .. } => "unconfirmed".into(),
        ApiError::TooLarge { .. } => "too large".into(),
        ApiError::Other(m) if m.contains("redirected") => "redirect".into(),
        ApiError::Other(m) if m.contains("a download may be") => "too large".into(),
        ApiError::Other(_) => "other".into(),
        ApiError::Outreach(_) => "outreach".into(),
    }
}

fn is_write_saved(reply: &Reply) -> bool {
    !matches!(reply, Reply::Plannr(PlannrReply::Done))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_kind_survives_every_fault_with_one_clear_sentence() {
    let s = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo");
    let other = DemoServer::start(DemoOptions::default())
        .await
        .expect("other origin");
    // The hang row needs a deadline shorter than the hang; every other row a generous one, so a
    // slow (debug, loaded) machine never turns a fault into a timeout.
    let hung = demo_client(&s, |cfg| {
        cfg.http.backoff_base = Duration::from_millis(2);
        cfg.http.call_deadline = Duration::from_millis(500);
    });
    let patient = demo_client(&s, |cfg| {
        cfg.http.backoff_base = Duration::from_millis(2);
        cfg.http.call_deadline = Duration::from_secs(60);
    });
    let calls = calls(&s);
    let faults = faults();
    let files = tempfile::tempdir().expect("download folder");
    let mut problems = Vec::new();
    let mut table = vec![vec![String::new(); calls.len()]; faults.len()];
    let mut examples: Vec<(String, String)> = Vec::new();
    for (fi, fault) in faults.iter().enumerate() {
        for (ci, (name, method, path, call, write)) in calls.iter().enumerate() {
            s.clear_scripts();
            s.clear_requests();
            for sc in (fault.scripts)(method, path, &other.base_url) {
                s.script(sc);
            }
            let c = if fault.name == "hang" {
                &hung
            } else {
                &patient
            };
            let result = match call {
                Op::Api(call) => call_api(c, call.clone()).await,
                Op::Download(url) => download(
                    c,
                    url,
                    Some(files.path().to_path_buf()),
                    "attachment.pdf",
                    DOWNLOAD_LIMIT,
                    &mut |_, _| {},
                )
                .await
                .map(|(path, bytes)| Reply::Saved { path, bytes }),
            };
            let sent = s
                .requests()
                .iter()
                .filter(|r| r.method == *method && r.path.starts_with(path.as_str()))
                .count();
            let at = format!("{name} × {}", fault.name);
            // 1 + 3 retries; a redirect loop is given up after 5 hops.
            let bound = if fault.name.contains("loop") { 6 } else { 4 };
            if sent > bound {
                problems.push(format!("{at}: {sent} requests"));
            }
            table[fi][ci] = match &result {
                Ok(reply) => {
                    if !(fault.may_succeed)(name) {
                        problems.push(format!("{at}: taken as a good answer: {reply:?}"));
                    }
                    if *write && !(fault.may_succeed)(name) && is_write_saved(reply) {
                        problems.push(format!("{at}: a write taken as saved"));
                    }
                    "ok".into()
                }
                Err(e) => {
                    let text = e.to_string();
                    for p in sentence_problems(&text, &s.token) {
                        problems.push(format!("{at}: {p}: {text:?}"));
                    }
                    let debug = format!("{e:?}");
                    if debug.contains(&s.token) {
                        problems.push(format!("{at}: the token in Debug"));
                    }
                    if !examples.iter().any(|(f, _)| f == fault.name) {
                        examples.push((fault.name.to_string(), text));
                    }
                    short(e)
                }
            };
        }
        // Nothing reached the other origin except reads (without the token).
        for r in other.requests() {
            if r.method != "GET" || r.header("authorization").is_some() {
                problems.push(format!(
                    "{}: {} {} reached the other origin{}",
                    fault.name,
                    r.method,
                    r.path,
                    if r.header("authorization").is_some() {
                        " with the token"
                    } else {
                        ""
                    }
                ));
            }
        }
        other.clear_requests();
    }
    s.clear_scripts();

    let mut md = String::new();
    md.push_str("| fault | ");
    md.push_str(&calls.iter().map(|c| c.0).collect::<Vec<_>>().join(" | "));
    md.push_str(" |\n|---|");
    md.push_str(&"---|".repeat(calls.len()));
    md.push('\n');
    for (fi, fault) in faults.iter().enumerate() {
        md.push_str(&format!(
            "| {} | {} |\n",
            fault.name.replace('|', "\\|"),
            table[fi].join(" | ")
        ));
    }
    md.push_str(
        "\nOne sentence per fault, as the user reads it (first call kind that failed):\n\n",
    );
    for (f, text) in &examples {
        md.push_str(&format!("- {f}: {text}\n"));
    }
    write_section(&md);

    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

const START: &str = "<!-- fault-matrix:start (generated by tests/fault_matrix.rs; do not edit) -->";
const END: &str = "<!-- fault-matrix:end -->";

/// Replace (or append) this test's section of tests/README.md; other sections are left alone.
fn write_section(table: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/README.md");
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let section = format!(
        "{START}\n## Fault matrix\n\nEvery call kind × every scripted fault of the demo server \
         (`cargo test --test fault_matrix`). A cell is `ok` (a good answer) or the kind of error \
         the user is told about; every error is one clear sentence without the token, requests \
         stay within 1 + 3 retries (1 + 5 hops for a redirect loop), and a write is never taken as saved.\n\n{table}{END}\n"
    );
    let new = match (old.find(START), old.find(END)) {
        (Some(a), Some(b)) if b > a => {
            format!(
                "{}{}{}",
                &old[..a],
                section,
                old[b + END.len()..].trim_start_matches('\n')
            )
        }
        _ if old.is_empty() => format!("# Tests\n\n{section}"),
        _ => format!("{}\n{section}", old.trim_end()),
    };
    if new != old {
        let _ = std::fs::write(path, new);
    }
}
