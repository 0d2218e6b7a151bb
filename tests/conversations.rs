//! Conversations pane against the demo server: the real `api::Client`, `worker::call_api` and
//! `app::update`, driven with keys; the server's request log is the witness.
mod common;

use std::time::Duration;

use common::{Drive, demo_client};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use plannr_tui::api::Client;
use plannr_tui::app::conversations::NameMark;
use plannr_tui::app::{Command, Msg, Settings, State, update};
use plannr_tui::demo::{DemoOptions, DemoServer, RecordedRequest, Scripted};
use serde_json::json;

struct Harness {
    server: DemoServer,
    client: std::sync::Arc<Client>,
    state: State,
}

impl Harness {
    async fn start(max_retries: u32) -> Harness {
        let server = DemoServer::start(DemoOptions::default())
            .await
            .expect("demo server");
        let client = demo_client(&server, |cfg| {
            cfg.max_retries = max_retries;
            cfg.backoff_base = Duration::from_millis(1);
        });
        let state = State::new(
            Settings::default(),
            Some(server.account_uuid.clone()),
            (120, 30),
        );
        let mut h = Harness {
            server,
            client,
            state,
        };
        h.key(KeyCode::Char('3')).await;
        h
    }

    /// Run commands until none are left: API calls through the real client, HTML conversions as
    /// the worker would, timers dropped (nothing here waits for one).
    async fn drive(&mut self, cmds: Vec<Command>) {
        let how = Drive {
            max_rounds: Some((499, "runaway request loop")),
            ..Drive::default()
        };
        common::drive(&self.client, &mut self.state, cmds, how).await;
    }

    async fn key_mod(&mut self, code: KeyCode, m: KeyModifiers) {
        let cmds = update(&mut self.state, Msg::Key(KeyEvent::new(code, m)));
        self.drive(cmds).await;
    }

    async fn key(&mut self, code: KeyCode) {
        self.key_mod(code, KeyModifiers::NONE).await;
    }

    async fn type_str(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c)).await;
        }
    }

    /// Open the editor on the selected conversation, replace the name with `name`, press Enter.
    async fn rename_selected(&mut self, name: &str) {
        self.key(KeyCode::Char('r')).await;
        self.key_mod(KeyCode::Char('u'), KeyModifiers::CONTROL)
            .await;
        self.type_str(name).await;
        self.key(KeyCode::Enter).await;
    }

    fn selected(&self) -> (String, String) {
        let row = self
            .state
            .conversations
            .selected()
            .expect("a selected conversation");
        (row.conv.uuid.clone(), row.conv.name.clone())
    }

    fn puts(&self) -> Vec<RecordedRequest> {
        self.server
            .requests()
            .into_iter()
            .filter(|r| r.method == "PUT")
            .collect()
    }

    fn status(&self) -> String {
        self.state
            .core
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }
}

fn assert_put(h: &Harness, r: &RecordedRequest, uuid: &str, name: &str) {
    assert_eq!(r.path, format!("/api/v1/conversation/{uuid}"));
    assert_eq!(r.body, Some(json!({ "name": name })));
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {}", h.server.token).as_str())
    );
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(
        r.header("x-plannr-account-uuid"),
        Some(h.server.account_uuid.as_str())
    );
}

#[tokio::test]
async fn list_loads_with_the_documented_query_and_pages_ahead() {
    let h = Harness::start(0).await;
    let gets: Vec<RecordedRequest> = h
        .server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v1/conversation")
        .collect();
    assert!(!gets.is_empty());
    let first = &gets[0];
    assert_eq!(first.query_get("page"), Some("1"));
    assert_eq!(first.query_get("sort"), Some("-latest_message"));
    assert_eq!(first.query_get("filter[archived]"), Some("false"));
    assert!(
        first
            .query_get("include")
            .is_some_and(|i| i.contains("participants")
                && i.contains("latest_message")
                && i.contains("messages_count"))
    );
    let pane = &h.state.conversations;
    assert!(!pane.list.items.is_empty());
    // Sorted by latest activity, newest first.
    let acts: Vec<i64> = pane.list.items.iter().filter_map(|r| r.activity).collect();
    assert!(
        acts.windows(2).all(|w| w[0] >= w[1]),
        "newest activity first"
    );
}

#[tokio::test]
async fn rename_then_reload_shows_the_new_name_with_exactly_one_put() {
    let mut h = Harness::start(3).await;
    let (uuid, old) = h.selected();
    h.server.clear_requests();
    h.rename_selected("Annual review — 2025").await;
    let puts = h.puts();
    assert_eq!(puts.len(), 1, "one PUT per save: {puts:?}");
    assert_put(&h, &puts[0], &uuid, "Annual review — 2025");
    assert!(h.status().contains("Renamed"), "{}", h.status());
    // Reload the list from the server: the new name is the server's.
    h.key(KeyCode::Char('R')).await;
    let row = h.state.conversations.row(&uuid).expect("still listed");
    assert_eq!(row.conv.name, "Annual review — 2025");
    assert_ne!(old, row.conv.name);
    assert_eq!(
        h.state.conversations.shown_name(&uuid, &row.conv.name).1,
        NameMark::None
    );
    // Renaming to the same name sends nothing.
    h.server.clear_requests();
    h.key(KeyCode::Char('r')).await;
    h.key(KeyCode::Enter).await;
    assert!(h.puts().is_empty());
}

#[tokio::test]
async fn a_scripted_422_reopens_the_editor_with_the_typed_text_and_the_message() {
    let mut h = Harness::start(3).await;
    let (uuid, old) = h.selected();
    h.server.clear_requests();
    h.server.script(Scripted::validation(
        Some("PUT"),
        Some("/api/v1/conversation/"),
        "name",
        "That name is reserved.",
    ));
    h.rename_selected("Reserved name").await;
    let puts = h.puts();
    assert_eq!(puts.len(), 1, "a 422 is not retried");
    assert_put(&h, &puts[0], &uuid, "Reserved name");
    let pane = &h.state.conversations;
    let r = pane.editor_for(&uuid).expect("editor reopened");
    assert_eq!(r.typed(), "Reserved name");
    assert_eq!(r.editor.error.as_deref(), Some("That name is reserved."));
    assert_eq!(pane.row(&uuid).map(|r| r.conv.name.clone()), Some(old));
    // Fix the text and save: accepted.
    h.type_str(" 2").await;
    h.key(KeyCode::Enter).await;
    let puts = h.puts();
    assert_eq!(puts.len(), 2);
    assert_put(&h, &puts[1], &uuid, "Reserved name 2");
    assert_eq!(
        h.state
            .conversations
            .row(&uuid)
            .map(|r| r.conv.name.clone()),
        Some("Reserved name 2".into())
    );
}

#[tokio::test]
async fn a_scripted_500_without_retries_keeps_the_text_and_offers_a_retry() {
    let mut h = Harness::start(0).await;
    let (uuid, old) = h.selected();
    h.server.clear_requests();
    h.server.script(Scripted::status(
        Some("PUT"),
        Some("/api/v1/conversation/"),
        500,
    ));
    h.rename_selected("Pension transfer").await;
    let puts = h.puts();
    assert_eq!(puts.len(), 1, "max_retries = 0: exactly one PUT");
    assert_put(&h, &puts[0], &uuid, "Pension transfer");
    let pane = &h.state.conversations;
    assert_eq!(
        pane.shown_name(&uuid, &old),
        (old.clone(), NameMark::Unsaved),
        "the old name is back"
    );
    assert!(h.status().contains("retry"), "{}", h.status());
    assert!(!h.state.captures_input(), "the list stays usable");
    // r brings the text back; Enter retries, and this time the server takes it.
    h.key(KeyCode::Char('r')).await;
    assert_eq!(
        h.state.conversations.editor_for(&uuid).map(|r| r.typed()),
        Some("Pension transfer".into())
    );
    h.key(KeyCode::Enter).await;
    let puts = h.puts();
    assert_eq!(puts.len(), 2);
    assert_put(&h, &puts[1], &uuid, "Pension transfer");
    assert_eq!(
        h.state
            .conversations
            .row(&uuid)
            .map(|r| r.conv.name.clone()),
        Some("Pension transfer".into())
    );
}

#[tokio::test]
async fn a_500_the_client_retries_is_one_save_and_two_puts_on_the_wire() {
    // With retries on, the client sends the same PUT again after a 5xx. Each save is still one
    // request from the app; the log honestly shows the retry.
    let mut h = Harness::start(3).await;
    let (uuid, _) = h.selected();
    h.server.clear_requests();
    h.server.script(Scripted::status(
        Some("PUT"),
        Some("/api/v1/conversation/"),
        500,
    ));
    h.rename_selected("Retried").await;
    let puts = h.puts();
    assert_eq!(puts.len(), 2, "{puts:?}");
    for p in &puts {
        assert_put(&h, p, &uuid, "Retried");
    }
    assert_eq!(
        h.state
            .conversations
            .row(&uuid)
            .map(|r| r.conv.name.clone()),
        Some("Retried".into())
    );
    // Enough 500s to exhaust the retries: the text is kept.
    for _ in 0..4 {
        h.server.script(Scripted::status(
            Some("PUT"),
            Some("/api/v1/conversation/"),
            500,
        ));
    }
    h.server.clear_requests();
    h.rename_selected("Given up").await;
    assert_eq!(h.puts().len(), 4, "1 + max_retries");
    assert_eq!(
        h.state.conversations.shown_name(&uuid, "Retried"),
        ("Retried".into(), NameMark::Unsaved)
    );
    h.key(KeyCode::Char('r')).await;
    assert_eq!(
        h.state.conversations.editor_for(&uuid).map(|r| r.typed()),
        Some("Given up".into())
    );
}

#[tokio::test]
async fn two_quick_renames_through_the_worker_last_one_wins_on_the_server() {
    use plannr_tui::worker::Worker;
    let mut h = Harness::start(0).await;
    let (uuid, _) = h.selected();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut worker = Worker::new(h.client.clone(), tx);
    h.server.clear_requests();
    // Both saves go to the worker before either answer arrives.
    let mut sent = 0;
    for name in ["First", "Second"] {
        for (code, m) in [
            (KeyCode::Char('r'), KeyModifiers::NONE),
            (KeyCode::Char('u'), KeyModifiers::CONTROL),
        ] {
            update(&mut h.state, Msg::Key(KeyEvent::new(code, m)));
        }
        for c in name.chars() {
            update(
                &mut h.state,
                Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
        }
        for c in update(
            &mut h.state,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        ) {
            if matches!(c, Command::Api { .. }) {
                sent += 1;
            }
            worker.handle(c);
        }
    }
    assert_eq!(sent, 2);
    assert_eq!(
        h.state.conversations.shown_name(&uuid, "x"),
        ("Second".into(), NameMark::Saving)
    );
    let mut answered = 0;
    while answered < 2 {
        let msg = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("answer")
            .expect("open");
        if matches!(msg, Msg::Api { .. }) {
            answered += 1;
        }
        update(&mut h.state, msg);
    }
    let names: Vec<_> = h.puts().iter().filter_map(|r| r.body.clone()).collect();
    assert_eq!(
        names,
        vec![json!({"name": "First"}), json!({"name": "Second"})],
        "sent in order"
    );
    assert_eq!(
        h.state
            .conversations
            .row(&uuid)
            .map(|r| r.conv.name.clone()),
        Some("Second".into())
    );
    assert_eq!(
        h.client.conversation(&uuid).await.map(|c| c.name).ok(),
        Some("Second".into())
    );
}

/// Select the busiest conversation (200 messages) in the list and open it, with the server's
/// request log cleared just before.
async fn open_busiest(h: &mut Harness) {
    let busiest = h.server.fixtures().busiest_conversation_uuid.clone();
    let pos = h
        .state
        .conversations
        .view
        .iter()
        .position(|&i| h.state.conversations.list.items[i].conv.uuid == busiest);
    let Some(pos) = pos else {
        panic!("busiest conversation not on the first page")
    };
    for _ in 0..pos {
        h.key(KeyCode::Char('j')).await;
    }
    h.server.clear_requests();
    h.key(KeyCode::Enter).await;
}

fn message_pages(h: &Harness) -> Vec<u32> {
    h.server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/messages"))
        .filter_map(|r| r.query_get("page").and_then(|p| p.parse().ok()))
        .collect()
}

/// `g` asks for the older pages together (the paginator says how many there are); against the
/// demo each comes once and the view ends at the oldest message with all 200 in order.
#[tokio::test]
async fn g_in_the_busiest_conversation_loads_each_older_page_once_and_shows_the_oldest() {
    let mut h = Harness::start(0).await;
    open_busiest(&mut h).await;
    let mut asked = message_pages(&h);
    h.key(KeyCode::Char('g')).await;
    asked.extend(message_pages(&h).into_iter().skip(asked.len()));
    let v = h.state.conversations.open.as_ref().expect("open");
    let mut sorted = asked.clone();
    sorted.sort_unstable();
    let pages: Vec<u32> = (1..=200u32.div_ceil(v.pages.per_page)).collect();
    assert_eq!(sorted, pages, "each page once: {asked:?}");
    assert!(v.pages.is_complete());
    let mut times: Vec<&str> = v
        .pages
        .items
        .iter()
        .map(|e| e.msg.created_at.as_str())
        .collect();
    assert_eq!(times.len(), 200);
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first, in order"
    );
    times.dedup();
    let rows = plannr_tui::app::conversations::ConvView::rows(&h.state.core);
    assert_eq!(v.top(rows), 0, "at the oldest message");
}

#[tokio::test]
async fn open_conversation_loads_newest_first_pages_and_shows_newest_at_bottom() {
    let mut h = Harness::start(0).await;
    open_busiest(&mut h).await;
    let gets: Vec<RecordedRequest> = h
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/messages"))
        .collect();
    assert_eq!(gets[0].query_get("page"), Some("1"));
    let v = h.state.conversations.open.as_ref().expect("open");
    assert!(v.anchor.is_none(), "following the newest");
    let newest = v.pages.items.first().map(|e| e.msg.uuid.clone());
    let rows = plannr_tui::app::conversations::ConvView::rows(&h.state.core);
    let bottom = v.slice(v.top(rows), rows);
    let last_header = bottom
        .iter()
        .rev()
        .find(|l| l.kind == plannr_tui::app::conversations::view::LineKind::Header);
    assert!(last_header.is_some());
    assert!(newest.is_some());
    // Scroll to the top repeatedly: older pages come in, in order, one at a time.
    h.server.clear_requests();
    for _ in 0..40 {
        h.key(KeyCode::PageUp).await;
    }
    let pages: Vec<u32> = h
        .server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/messages"))
        .filter_map(|r| r.query_get("page").and_then(|p| p.parse().ok()))
        .collect();
    assert!(
        pages.windows(2).all(|w| w[1] == w[0] + 1),
        "in order, each once: {pages:?}"
    );
    assert!(
        h.state
            .conversations
            .open
            .as_ref()
            .is_some_and(|v| v.pages.items.len() > 25)
    );
}
