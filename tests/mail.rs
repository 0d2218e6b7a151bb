//! The Mail pane against the demo server: real `api::Client`, `worker::call_api`, `app::update`.
//! Opens the 1,500-message thread in the middle, scrolls to both ends, and checks from the
//! server's request log exactly which pages were fetched.
mod common;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use common::{Drive, demo_client};
use plannr_tui::api::Client;
use plannr_tui::app::{self, Command, Msg, Settings, State, Tab};
use plannr_tui::demo::{DemoOptions, DemoServer, RecordedRequest};

async fn setup(per_page: u32) -> (DemoServer, Arc<Client>, State) {
    let server = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server");
    let client = demo_client(&server, |_| {});
    let settings = Settings {
        thread_page_size: per_page,
        ..Settings::default()
    };
    let mut state = State::new(settings, Some(server.account_uuid.clone()), (100, 30));
    let cmds = state.init();
    state.tab = Tab::Mail;
    state.core.out.extend(cmds);
    (server, client, state)
}

/// Run commands through the real pieces until nothing is left to do.
async fn settle(client: &Client, state: &mut State, cmds: Vec<Command>) {
    let how = Drive {
        max_rounds: Some((10_000, "never settled")),
        ..Drive::default()
    };
    common::drive(client, state, cmds, how).await;
}

async fn press(client: &Client, state: &mut State, c: KeyCode) {
    let cmds = app::update(state, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
    settle(client, state, cmds).await;
}

fn thread_requests(log: &[RecordedRequest], uuid: &str) -> Vec<(u32, u32)> {
    let path = format!("/api/v1/mailboxes/message/{uuid}");
    log.iter()
        .filter(|r| r.path == path)
        .map(|r| {
            assert_eq!(r.query_get("per_page"), Some("25"));
            let p = |k| {
                r.query_get(k)
                    .and_then(|v| v.parse().ok())
                    .expect("page param")
            };
            (p("page[ancestors]"), p("page[descendants]"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn big_thread_pages_are_fetched_exactly_once_each() {
    let (server, client, mut state) = setup(25).await;
    settle(&client, &mut state, Vec::new()).await;
    let fx = server.fixtures().clone();
    assert_eq!(fx.big_thread_len, 1500);
    let uuid = fx.big_thread_middle_message_uuid.clone();
    server.clear_requests();

    state.mail.open_thread(&uuid, &mut state.core);
    settle(&client, &mut state, Vec::new()).await;
    {
        let t = state.mail.thread.as_ref().expect("thread");
        assert!(
            t.first_error.is_none(),
            "{:?} {:?}",
            t.first_error,
            server.requests().last()
        );
        assert_eq!(t.thread_count, Some(1500));
        assert_eq!(t.focus, uuid, "the opened message is focused");
        assert!(t.focused().is_some_and(|m| m.expanded));
    }
    // Scroll up line by line for a while, then jump to the top (which keeps loading up to it).
    for _ in 0..100 {
        press(&client, &mut state, KeyCode::Char('k')).await;
    }
    press(&client, &mut state, KeyCode::Char('g')).await;
    press(&client, &mut state, KeyCode::End).await;
    for _ in 0..20 {
        press(&client, &mut state, KeyCode::PageUp).await;
    }
    press(&client, &mut state, KeyCode::Char('G')).await;

    let t = state.mail.thread.as_ref().expect("thread");
    assert!(t.ancestors.is_complete() && t.descendants.is_complete());
    assert_eq!(t.msgs.len(), 1500, "every message once");
    let sorted = t
        .msgs
        .windows(2)
        .all(|w| w[0].m.sort_key() <= w[1].m.sort_key());
    assert!(sorted, "ordered by message_created_at");
    assert_eq!(
        t.msgs.first().map(|m| m.m.uuid.clone()),
        Some(fx.big_thread_first_message_uuid.clone())
    );
    assert_eq!(
        t.msgs.last().map(|m| m.m.uuid.clone()),
        Some(fx.big_thread_last_message_uuid.clone())
    );

    let anc_total = t.index_of(&uuid).expect("opened message loaded") as u32;
    let desc_total = 1500 - 1 - anc_total;
    let reqs = thread_requests(&server.requests(), &uuid);
    assert_eq!(
        reqs[0],
        (1, 1),
        "the first call asks for page 1 of both halves"
    );
    let anc: Vec<u32> = reqs[1..]
        .iter()
        .filter(|(a, _)| *a > 1)
        .map(|(a, d)| {
            assert_eq!(*d, 1, "fetching ancestors keeps page[descendants]=1");
            *a
        })
        .collect();
    let desc: Vec<u32> = reqs[1..]
        .iter()
        .filter(|(_, d)| *d > 1)
        .map(|(a, d)| {
            assert_eq!(*a, 1, "fetching descendants keeps page[ancestors]=1");
            *d
        })
        .collect();
    assert_eq!(anc, (2..=anc_total.div_ceil(25)).collect::<Vec<_>>());
    assert_eq!(desc, (2..=desc_total.div_ceil(25)).collect::<Vec<_>>());
    assert_eq!(
        reqs.len(),
        1 + anc.len() + desc.len(),
        "no other thread requests: {reqs:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_page_is_shown_and_retried_from_the_edge() {
    let (server, client, mut state) = setup(10).await;
    settle(&client, &mut state, Vec::new()).await;
    let uuid = server.fixtures().big_thread_middle_message_uuid.clone();
    state.mail.open_thread(&uuid, &mut state.core);
    settle(&client, &mut state, Vec::new()).await;
    server.clear_requests();
    // The next thread request fails (a 404 is not retried by the client).
    server.script(plannr_tui::demo::Scripted::status(
        Some("GET"),
        Some("/api/v1/mailboxes/message/"),
        404,
    ));
    press(&client, &mut state, KeyCode::Char('g')).await;
    let t = state.mail.thread.as_ref().expect("thread");
    let failed = t.ancestors.failed().is_some();
    assert!(failed, "the page failed and waits");
    let n = server.requests().len();
    press(&client, &mut state, KeyCode::Char('k')).await;
    assert_eq!(
        server.requests().len(),
        n,
        "scrolling does not re-request a failed page"
    );
    press(&client, &mut state, KeyCode::Char('g')).await;
    press(&client, &mut state, KeyCode::Enter).await;
    press(&client, &mut state, KeyCode::Char('g')).await;
    let t = state.mail.thread.as_ref().expect("thread");
    assert!(
        t.ancestors.is_complete(),
        "retried, then followed to the top"
    );
    let reqs = thread_requests_pp(&server.requests(), &uuid);
    let mut anc: Vec<u32> = reqs
        .iter()
        .filter(|(a, _)| *a > 1)
        .map(|(a, _)| *a)
        .collect();
    let first = anc.remove(0);
    assert_eq!(
        anc[0], first,
        "the failed page was asked again, once: {reqs:?}"
    );
    anc.remove(0);
    assert!(anc.windows(2).all(|w| w[1] == w[0] + 1));
}

fn thread_requests_pp(log: &[RecordedRequest], uuid: &str) -> Vec<(u32, u32)> {
    let path = format!("/api/v1/mailboxes/message/{uuid}");
    log.iter()
        .filter(|r| r.path == path)
        .map(|r| {
            let p = |k| r.query_get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
            (p("page[ancestors]"), p("page[descendants]"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_list_to_emails_to_thread() {
    let (server, client, mut state) = setup(25).await;
    settle(&client, &mut state, Vec::new()).await;
    let cmds = app::update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE)),
    );
    settle(&client, &mut state, cmds).await;
    assert!(!state.mail.picker.clients.items.is_empty());
    // Search for the hostile client by name, then open it.
    press(&client, &mut state, KeyCode::Char('/')).await;
    for c in "Hostile".chars() {
        press(&client, &mut state, KeyCode::Char(c)).await;
    }
    press(&client, &mut state, KeyCode::Enter).await;
    let log = server.requests();
    let searched = log
        .iter()
        .rev()
        .find(|r| r.path == "/api/v1/account")
        .expect("client search");
    assert_eq!(searched.query_get("filter[name]"), Some("Hostile"));
    let target = server.fixtures().hostile_client_uuid.clone();
    let pos = state
        .mail
        .picker
        .clients
        .items
        .iter()
        .position(|a| a.uuid == target);
    assert!(
        pos.is_some(),
        "the hostile client is found: {:?}",
        state
            .mail
            .picker
            .clients
            .items
            .iter()
            .map(|a| a.display_name())
            .collect::<Vec<_>>()
    );
    state.mail.picker.nav.selected = pos.unwrap_or(0);
    press(&client, &mut state, KeyCode::Enter).await;
    assert!(!state.mail.shown.is_empty());
    let dates: Vec<String> = state
        .mail
        .emails
        .items
        .iter()
        .map(|m| m.sort_key().to_string())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    press(&client, &mut state, KeyCode::Enter).await;
    let t = state.mail.thread.as_ref().expect("thread open");
    assert!(t.is_loaded());
    // Draw it: nothing hostile reaches the screen.
    let mut term =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).expect("term");
    term.draw(|f| plannr_tui::ui::draw(&state, f))
        .expect("draw");
    for cell in term.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "{:?}",
            cell.symbol()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expanding_an_ancestor_fetches_it_once_and_renders_its_html() {
    let (server, client, mut state) = setup(25).await;
    settle(&client, &mut state, Vec::new()).await;
    let uuid = server.fixtures().big_thread_middle_message_uuid.clone();
    state.mail.open_thread(&uuid, &mut state.core);
    settle(&client, &mut state, Vec::new()).await;
    let (opened, ancestors): (usize, Vec<String>) = {
        let t = state.mail.thread.as_ref().expect("thread");
        let i = t.index_of(&uuid).expect("opened message loaded");
        let anc = t.msgs[..i].iter().rev().map(|m| m.m.uuid.clone()).collect();
        (i, anc)
    };
    assert!(!ancestors.is_empty(), "the middle message has ancestors");
    // Pick the nearest ancestor whose html has a link (asking the server directly, as a reference).
    let query = plannr_tui::api::models::ThreadQuery {
        per_page: 1,
        page_ancestors: 1,
        page_descendants: 1,
    };
    let mut target = (ancestors[0].clone(), false);
    for a in ancestors.iter().take(20) {
        let full = client.message_thread(a, query).await.expect("full message");
        if full.html.as_deref().is_some_and(|h| h.contains("<a ")) {
            target = (a.clone(), true);
            break;
        }
    }
    let (target, has_link) = target;
    {
        let t = state.mail.thread.as_ref().expect("thread");
        let m = &t.msgs[t.index_of(&target).expect("ancestor loaded")];
        assert!(m.m.html.is_none(), "thread pages carry no html");
    }
    server.clear_requests();

    let steps = opened
        - state
            .mail
            .thread
            .as_ref()
            .and_then(|t| t.index_of(&target))
            .expect("ancestor");
    for _ in 0..steps {
        press(&client, &mut state, KeyCode::Char('p')).await;
    }
    assert_eq!(
        state.mail.thread.as_ref().map(|t| t.focus.clone()),
        Some(target.clone())
    );
    press(&client, &mut state, KeyCode::Enter).await;

    let path = format!("/api/v1/mailboxes/message/{target}");
    let log = server.requests();
    let fetches: Vec<&RecordedRequest> = log.iter().filter(|r| r.path == path).collect();
    assert_eq!(fetches.len(), 1, "exactly one fetch: {log:?}");
    let r = fetches[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.query_get("per_page"), Some("1"));
    assert_eq!(r.query_get("page[ancestors]"), Some("1"));
    assert_eq!(r.query_get("page[descendants]"), Some("1"));
    let opened_path = format!("/api/v1/mailboxes/message/{uuid}");
    assert!(
        log.iter().all(|r| r.path == path || r.path == opened_path),
        "no other message was fetched: {log:?}"
    );

    let t = state.mail.thread.as_ref().expect("thread");
    let m = t.focused().expect("focused");
    assert!(m.expanded && m.m.html.is_some(), "the full message arrived");
    assert!(
        !m.lines.iter().any(|l| l.text.contains("loading formatted")),
        "{:?}",
        m.lines
    );
    if has_link {
        assert!(
            m.lines.iter().any(|l| l.text.starts_with("[1] http")),
            "numbered link reference: {:?}",
            m.lines
        );
    }
    // Collapsing and expanding again asks nothing more.
    press(&client, &mut state, KeyCode::Char(' ')).await;
    press(&client, &mut state, KeyCode::Char(' ')).await;
    let again = server.requests();
    assert_eq!(
        again.iter().filter(|r| r.path == path).count(),
        1,
        "fetched once"
    );
}
