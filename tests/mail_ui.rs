//! Snapshots of the Mailboxes pane and the Mail pane (client list, email list, thread view) at
//! 80×24 and 120×40, driven through `app::update` with decoded JSON answers (so the sanitiser runs
//! exactly as it does on network data), including a hostile message.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

use plannr_tui::api::Page;
use plannr_tui::api::models::{EmailMessage, Mailbox};
use plannr_tui::app::{
    self, Call, Command, Msg, PlannrCall, PlannrReply, Reply, Settings, State, Tab,
};
use plannr_tui::ui;

fn new_state(w: u16, h: u16) -> State {
    let settings = Settings {
        thread_page_size: 5,
        ..Settings::default()
    };
    let mut s = State::new(settings, Some("acc-1".into()), (w, h));
    s.core.account_label = "Ada Adviser · Example Firm".into();
    s
}

fn screen(state: &State, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| ui::draw(state, f)).expect("draw");
    t
}

fn key(state: &mut State, c: KeyCode) -> Vec<Command> {
    app::update(state, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

/// Answer every API/render command with `answer`, until nothing is left.
fn run(state: &mut State, mut cmds: Vec<Command>, answer: &dyn Fn(&Call) -> Reply) {
    for _ in 0..100 {
        let mut next = Vec::new();
        for c in cmds {
            match c {
                Command::Api { id, call, .. } => {
                    next.extend(app::update(
                        state,
                        Msg::Api {
                            id,
                            result: Ok(answer(&call)),
                        },
                    ));
                }
                Command::RenderHtml { id, html, width } => {
                    let body = plannr_tui::render::html::html_to_body(&html, width);
                    next.extend(app::update(
                        state,
                        Msg::Api {
                            id,
                            result: Ok(Reply::Body(Box::new(body))),
                        },
                    ));
                }
                _ => {}
            }
        }
        if next.is_empty() {
            return;
        }
        cmds = next;
    }
    panic!("requests never settled");
}

fn mailbox(uuid: &str, name: &str, state: &str, enabled: bool, count: u64) -> Value {
    json!({"uuid": uuid, "name": name, "type": "imap", "email": format!("{uuid}@example.org"), "state": state, "enabled": enabled, "messages_count": count})
}

fn message(i: u32, subject: &str, text: &str) -> Value {
    json!({
        "uuid": format!("msg-{i:03}"),
        "message_created_at": format!("2025-01-{:02}T09:{:02}:00+00:00", 1 + i / 60, i % 60),
        "subject": subject,
        "incoming": i.is_multiple_of(2),
        "text": text,
        "thread_count": 9,
        "mailbox": {"uuid": if i.is_multiple_of(3) { "mb-2" } else { "mb-1" }, "name": if i.is_multiple_of(3) { "Sales" } else { "Advice" }},
        "participants": [
            {"type": "from", "name": format!("Sender {i}"), "email": format!("s{i}@example.com")},
            {"type": "to", "name": "Ada Adviser", "email": "ada@example.org"},
            {"type": "cc", "name": "", "email": "office@example.org"}
        ],
        "attachments": if i.is_multiple_of(4) { json!([{"uuid": "att-1", "name": "statement.pdf", "size": "120394", "download_url": "http://127.0.0.1:1/a"}]) } else { json!([]) }
    })
}

fn decode<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("decodes")
}

const HOSTILE: &str =
    "Pay now\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]52;c;ZXZpbA==\u{7} \u{202e}gnp.exe\u{9b}31m";

fn answer(call: &Call) -> Reply {
    match call {
        Call::Plannr(PlannrCall::Clients { .. }) => {
            Reply::Plannr(PlannrReply::Clients(decode(json!({
                "data": [
                    {"uuid": "c-1", "type": "client", "role": "individual", "name": "Gareth Thompson", "primary_email": {"value": "gareth@example.com"}},
                    {"uuid": "c-2", "type": "client", "role": "joint", "name": "Hostile\u{1b}[31m Client\u{1b}]0;x\u{7}"}
                ],
                "links": {"next": null}, "meta": {"current_page": 1, "last_page": 1, "total": 2}
            }))))
        }
        Call::Plannr(PlannrCall::ClientEmails { .. }) => {
            let mut data: Vec<Value> = (1..=12)
                .rev()
                .map(|i| message(i, &format!("Annual review part {i}"), "short"))
                .collect();
            data.insert(0, message(13, HOSTILE, HOSTILE));
            Reply::Plannr(PlannrReply::Emails(decode(
                json!({"data": data, "links": {"next": null}, "meta": {"current_page": 1, "last_page": 1, "total": 13}}),
            )))
        }
        // A message of the thread fetched on its own (for its html) when it is expanded.
        Call::Plannr(PlannrCall::Thread { uuid, .. }) if uuid != "msg-013" => {
            let i: u32 = uuid
                .trim_start_matches("msg-")
                .parse()
                .expect("a thread message");
            let mut m = message(i, &format!("Re: Annual review {i}"), "Earlier text");
            m["html"] = json!(format!(
                "<p>Earlier <b>text</b></p><p>See <a href=\"https://example.com/r{i}\">review {i}</a>.</p>"
            ));
            Reply::Plannr(PlannrReply::Email(Box::new(decode::<EmailMessage>(m))))
        }
        Call::Plannr(PlannrCall::Thread { query, .. }) => {
            let mut m = message(
                13,
                HOSTILE,
                &format!("{HOSTILE}\nSecond line of the body.\n> quoted reply\n>> deeper"),
            );
            m["html"] = json!(format!(
                "<p>Dear Ada,</p><p>{HOSTILE}</p><p>See <a href=\"https://example.com/x\">the report</a>.</p><blockquote>Earlier words</blockquote>"
            ));
            m["attachments"] = json!([{"uuid": "att-9", "name": "evil\u{1b}[5m.pdf", "size": 2048, "download_url": "http://127.0.0.1:1/e"}]);
            let anc: Vec<Value> = if query.page_ancestors == 1 {
                (8..=12)
                    .rev()
                    .map(|i| message(i, &format!("Re: Annual review {i}"), "Earlier text"))
                    .collect()
            } else {
                (5..=7)
                    .rev()
                    .map(|i| message(i, &format!("Re: Annual review {i}"), "Earlier text"))
                    .collect()
            };
            m["ancestors"] = json!({"data": anc, "links": {"next": if query.page_ancestors == 1 { json!("http://x?page[ancestors]=2") } else { Value::Null }}, "meta": {"current_page": query.page_ancestors, "last_page": 2, "total": 8}});
            m["descendants"] = json!({"data": [message(14, "Re: Pay now", "Thanks")], "links": {"next": null}, "meta": {"current_page": 1, "last_page": 1, "total": 1}});
            Reply::Plannr(PlannrReply::Email(Box::new(decode::<EmailMessage>(m))))
        }
        Call::Plannr(PlannrCall::Mailboxes) => {
            let page: Page<Mailbox> = decode(json!({"data": [
                mailbox("mb-1", "Advice", "connected", true, 1204),
                mailbox("mb-2", "Sales", "syncing", true, 88),
                mailbox("mb-3", "Old inbox", "authenticationError", false, 5),
                mailbox("mb-4", "Evil\u{1b}[31m box\u{1b}]0;t\u{7}", "weird", true, 0)
            ]}));
            Reply::Plannr(PlannrReply::Mailboxes(page.items))
        }
        other => panic!("unexpected call {other:?}"),
    }
}

fn assert_inert(t: &Terminal<TestBackend>) {
    for cell in t.backend().buffer().content() {
        let s = cell.symbol();
        assert!(
            !s.chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "control char drawn: {s:?}"
        );
    }
}

fn mailboxes_state(w: u16, h: u16) -> State {
    let mut s = new_state(w, h);
    let cmds = s.init();
    run(
        &mut s,
        cmds.into_iter()
            .filter(|c| {
                !matches!(
                    c,
                    Command::Api {
                        call: Call::Plannr(PlannrCall::Logins),
                        ..
                    }
                )
            })
            .collect(),
        &answer,
    );
    // The logins call is left unanswered (it would relabel the account): forget it.
    s.core.pending.clear();
    s
}

#[test]
fn mailboxes_pane() {
    for (w, h) in [(40, 12), (80, 24), (120, 40)] {
        let mut s = mailboxes_state(w, h);
        key(&mut s, KeyCode::Char('j'));
        let t = screen(&s, w, h);
        assert_inert(&t);
        insta::assert_snapshot!(format!("mailboxes_{w}x{h}"), t.backend());
        // The confirm line for disabling.
        key(&mut s, KeyCode::Char(' '));
        let t = screen(&s, w, h);
        insta::assert_snapshot!(format!("mailboxes_confirm_{w}x{h}"), t.backend());
    }
}

fn mail_state(w: u16, h: u16) -> State {
    let mut s = mailboxes_state(w, h);
    let cmds = key(&mut s, KeyCode::Char('2'));
    run(&mut s, cmds, &answer);
    assert_eq!(s.tab, Tab::Mail);
    s
}

#[test]
fn client_list() {
    for (w, h) in [(40, 12), (80, 24), (120, 40)] {
        let s = mail_state(w, h);
        let t = screen(&s, w, h);
        assert_inert(&t);
        insta::assert_snapshot!(format!("mail_clients_{w}x{h}"), t.backend());
    }
}

#[test]
fn email_list_with_mailbox_filter() {
    for (w, h) in [(40, 12), (80, 24), (120, 40)] {
        let mut s = mail_state(w, h);
        let cmds = key(&mut s, KeyCode::Enter);
        run(&mut s, cmds, &answer);
        let t = screen(&s, w, h);
        assert_inert(&t);
        insta::assert_snapshot!(format!("mail_emails_{w}x{h}"), t.backend());
        // From the Mailboxes pane: Enter on "Advice" limits the list client-side.
        let cmds = key(&mut s, KeyCode::Char('1'));
        run(&mut s, cmds, &answer);
        let cmds = key(&mut s, KeyCode::Enter);
        run(&mut s, cmds, &answer);
        assert_eq!(s.tab, Tab::Mail);
        let t = screen(&s, w, h);
        insta::assert_snapshot!(format!("mail_emails_mailbox_{w}x{h}"), t.backend());
    }
}

#[test]
fn thread_view_with_hostile_message() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = mail_state(w, h);
        let cmds = key(&mut s, KeyCode::Enter);
        run(&mut s, cmds, &answer);
        let cmds = key(&mut s, KeyCode::Enter);
        run(&mut s, cmds, &answer);
        let t = screen(&s, w, h);
        assert_inert(&t);
        let text = format!("{:?}", t.backend());
        assert!(text.contains("Dear Ada"), "HTML body rendered");
        assert!(!text.contains("pwned") || !text.contains('\u{1b}'));
        insta::assert_snapshot!(format!("mail_thread_{w}x{h}"), t.backend());
        // Expand everything and go to the top (the failed/loading edge lines are covered in unit tests).
        let cmds = key(&mut s, KeyCode::Char('o'));
        run(&mut s, cmds, &answer);
        let cmds = key(&mut s, KeyCode::Char('g'));
        run(&mut s, cmds, &answer);
        let t = screen(&s, w, h);
        assert_inert(&t);
        insta::assert_snapshot!(format!("mail_thread_top_{w}x{h}"), t.backend());
    }
}

/// Every screen of the Mailboxes and Mail panes in the dark and light presets and without colour:
/// the styles are part of the snapshot, and no look paints RGB backgrounds or pale text.
#[test]
fn every_screen_in_every_look() {
    use plannr_tui::ui::theme;
    let (w, h) = (80, 24);
    let mut confirm = mailboxes_state(w, h);
    key(&mut confirm, KeyCode::Char(' '));
    let mut emails = mail_state(w, h);
    let cmds = key(&mut emails, KeyCode::Enter);
    run(&mut emails, cmds, &answer);
    let mut thread = mail_state(w, h);
    for _ in 0..2 {
        let cmds = key(&mut thread, KeyCode::Enter);
        run(&mut thread, cmds, &answer);
    }
    let screens = [
        ("mailboxes", mailboxes_state(w, h)),
        ("mailboxes_confirm", confirm),
        ("mail_clients", mail_state(w, h)),
        ("mail_emails", emails),
        ("mail_thread", thread),
    ];
    for (look, t) in theme::looks() {
        let _g = theme::scoped(t);
        for (name, state) in &screens {
            let term = screen(state, w, h);
            let buf = term.backend().buffer();
            let bad = theme::lint(buf, &t);
            assert!(bad.is_empty(), "{name} in {look}: {bad:?}");
            insta::assert_snapshot!(format!("look_{look}_{name}"), theme::styled_screen(buf));
        }
    }
}

#[test]
fn tiny_terminals_never_panic() {
    let mut s = mail_state(80, 24);
    let cmds = key(&mut s, KeyCode::Enter);
    run(&mut s, cmds, &answer);
    let cmds = key(&mut s, KeyCode::Enter);
    run(&mut s, cmds, &answer);
    for (w, h) in [(1, 1), (2, 2), (10, 3), (0, 5), (5, 0), (40, 8)] {
        let cmds = app::update(&mut s, Msg::Resize(w, h));
        run(&mut s, cmds, &answer);
        if w > 0 && h > 0 {
            let _ = screen(&s, w, h);
        }
    }
}

fn rows_of(t: &Terminal<TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// Issue 15: the rename editor was drawn over the selected row and half of the next one. It
/// opens in a box of its own under the row, which stays readable; Esc with changes asks the one
/// discard question (the contact form and conversation renames ask it in the same words).
#[test]
fn rename_opens_in_its_own_box_and_asks_the_one_discard_question() {
    use plannr_tui::ui::overlay::{DISCARD_KEYS, DISCARD_QUESTION};
    let (w, h) = (80, 24);
    let mut s = mailboxes_state(w, h);
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Char('r'));
    for c in " team".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    let t = screen(&s, w, h);
    let rows = rows_of(&t);
    let sales = rows
        .iter()
        .position(|r| r.contains("mb-2@"))
        .expect("the renamed row is still on screen");
    assert!(rows[sales].contains("Sales"), "{rows:#?}");
    assert!(
        rows[sales + 1].contains("┌ Rename mailbox"),
        "the box opens under the row: {rows:#?}"
    );
    assert!(rows[sales + 2].contains("Sales team"), "{rows:#?}");
    insta::assert_snapshot!("mailboxes_rename_80x24", t.backend());
    key(&mut s, KeyCode::Esc);
    let rows = rows_of(&screen(&s, w, h));
    let text = rows.join("\n");
    assert!(
        text.contains(DISCARD_QUESTION) && text.contains(DISCARD_KEYS),
        "{text}"
    );
    // Any other key closes the question and keeps the text.
    key(&mut s, KeyCode::Char('x'));
    let text = rows_of(&screen(&s, w, h)).join("\n");
    assert!(
        !text.contains(DISCARD_QUESTION) && text.contains("Sales team"),
        "{text}"
    );
}
