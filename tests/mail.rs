//! The Mail pane against the demo server: real `api::Client`, `worker::call_api`, `app::update`.
//! Opens the 1,500-message thread in the middle, scrolls to both ends, and checks from the
//! server's request log exactly which pages were fetched.
mod common;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use common::{Drive, demo_client};
use plannr_tui::api::Client;
use plannr_tui::app::mail::thread::{Row, Thread};
use plannr_tui::app::{self, Command, Msg, Settings, State, Tab};
use plannr_tui::demo::{DemoOptions, DemoServer, PageOrder, RecordedRequest};

async fn setup(per_page: u32) -> (DemoServer, Arc<Client>, State) {
    setup_with(per_page, DemoOptions::default()).await
}

async fn setup_with(per_page: u32, opts: DemoOptions) -> (DemoServer, Arc<Client>, State) {
    let server = DemoServer::start(opts).await.expect("demo server");
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

/// Every virtual line of the thread: messages in thread order, and wherever messages are
/// missing between two shown ones (or at an end) a gap row saying how many.
fn check_gaps(t: &Thread) {
    let mut prev: Option<i64> = None;
    let mut gap: usize = 0;
    let mut counted = 0;
    let first = -(t.ancestors.total.expect("ancestors total") as i64);
    for line in 0..t.total_lines() {
        match t.row_at(line) {
            Row::Gap(g) => {
                gap = g.count.expect("known count");
                counted += gap;
            }
            Row::Header(i) => {
                let slot = t.msgs[i].slot;
                let expect = prev.map_or(first, |p| p + 1);
                assert_eq!(
                    gap as i64,
                    slot - expect,
                    "messages missing before slot {slot} without a gap row"
                );
                gap = 0;
                prev = Some(slot);
            }
            _ => {}
        }
    }
    assert_eq!(counted + t.loaded(), t.size().expect("size") as usize);
}

/// The 1,500-message thread opened in the middle, read the way a user does; the number of
/// thread requests after each step is the same whichever end of each half the server pages
/// from first.
async fn read_the_big_thread(opts: DemoOptions) -> Vec<usize> {
    let (server, client, mut state) = setup_with(25, opts).await;
    settle(&client, &mut state, Vec::new()).await;
    let fx = server.fixtures().clone();
    assert_eq!(fx.big_thread_len, 1500);
    let uuid = fx.big_thread_middle_message_uuid.clone();
    server.clear_requests();
    let count = |server: &DemoServer| thread_requests(&server.requests(), &uuid).len();
    let mut steps = Vec::new();

    state.mail.open_thread(&uuid, &mut state.core);
    settle(&client, &mut state, Vec::new()).await;
    {
        let t = state.mail.thread.as_ref().expect("thread");
        assert!(t.first_error.is_none(), "{:?}", t.first_error);
        assert_eq!(t.thread_count, Some(1500));
        assert_eq!(t.focus, uuid, "the opened message is focused");
        assert!(t.focused().is_some_and(|m| m.expanded));
        check_gaps(t);
    }
    steps.push(count(&server));
    // Scroll up line by line for a while: gap rows fill as they come on screen.
    for _ in 0..100 {
        press(&client, &mut state, KeyCode::Char('k')).await;
        check_gaps(state.mail.thread.as_ref().expect("thread"));
    }
    steps.push(count(&server));
    // g: the thread's first message at the top, focused.
    press(&client, &mut state, KeyCode::Char('g')).await;
    {
        let t = state.mail.thread.as_ref().expect("thread");
        assert_eq!(t.msgs[0].m.uuid, fx.big_thread_first_message_uuid);
        assert_eq!(t.visible()[0], Row::Header(0));
        assert_eq!(t.focus, fx.big_thread_first_message_uuid);
        check_gaps(t);
    }
    steps.push(count(&server));
    // G (End): the last message at the bottom, focused.
    press(&client, &mut state, KeyCode::End).await;
    {
        let t = state.mail.thread.as_ref().expect("thread");
        let last = t.msgs.len() - 1;
        assert_eq!(t.msgs[last].m.uuid, fx.big_thread_last_message_uuid);
        assert_eq!(t.visible().last(), Some(&Row::Header(last)));
        assert_eq!(t.focus, fx.big_thread_last_message_uuid);
        check_gaps(t);
    }
    steps.push(count(&server));
    // From the top, page down through the whole thread: every page loads, once.
    press(&client, &mut state, KeyCode::Char('g')).await;
    for _ in 0..2000 {
        press(&client, &mut state, KeyCode::PageDown).await;
        if state
            .mail
            .thread
            .as_ref()
            .is_some_and(|t| t.loaded() == 1500)
        {
            break;
        }
    }
    steps.push(count(&server));

    let t = state.mail.thread.as_ref().expect("thread");
    check_gaps(t);
    assert!(t.ancestors.is_complete() && t.descendants.is_complete());
    assert_eq!(t.msgs.len(), 1500, "every message once");
    let sorted = t
        .msgs
        .windows(2)
        .all(|w| w[0].m.sort_key() <= w[1].m.sort_key());
    assert!(sorted, "ordered by message_created_at");
    let reqs = thread_requests(&server.requests(), &uuid);
    assert_eq!(
        reqs[0],
        (1, 1),
        "the first call asks for page 1 of both halves"
    );
    let mut anc: Vec<u32> = reqs[1..]
        .iter()
        .filter(|(a, _)| *a > 1)
        .map(|(a, d)| {
            assert_eq!(*d, 1, "fetching ancestors keeps page[descendants]=1");
            *a
        })
        .collect();
    let mut desc: Vec<u32> = reqs[1..]
        .iter()
        .filter(|(_, d)| *d > 1)
        .map(|(a, d)| {
            assert_eq!(*a, 1, "fetching descendants keeps page[ancestors]=1");
            *d
        })
        .collect();
    // The first two after the first call settle each half's order: its last page.
    assert_eq!(&reqs[1..3], &[(30, 1), (1, 30)]);
    anc.sort();
    desc.sort();
    assert_eq!(
        anc,
        (2..=30).collect::<Vec<_>>(),
        "each ancestors page once"
    );
    assert_eq!(
        desc,
        (2..=30).collect::<Vec<_>>(),
        "each descendants page once"
    );
    assert_eq!(
        reqs.len(),
        1 + anc.len() + desc.len(),
        "no other thread requests: {reqs:?}"
    );
    steps
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn big_thread_pages_are_fetched_exactly_once_each_in_either_order() {
    // Thread requests after: opening (1 + one look-ahead per half: the last page, which
    // settles the order), 100 × k (three gap rows came on screen), g (the start came with the
    // look-ahead; the gap row under it on screen: 1), G (likewise: 1), reading everything
    // (1 + 29 + 29).
    let expected = vec![3, 6, 7, 8, 59];
    let nearest = read_the_big_thread(DemoOptions::default()).await;
    assert_eq!(nearest, expected, "pages nearest the opened message first");
    let farthest = read_the_big_thread(DemoOptions {
        ancestor_pages: PageOrder::OldestFirst,
        descendant_pages: PageOrder::NewestFirst,
        ..DemoOptions::default()
    })
    .await;
    assert_eq!(farthest, expected, "page 1 at the thread's ends");
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
    let t = state.mail.thread.as_ref().expect("thread");
    assert!(t.ancestors.failed().is_none(), "retried and loaded");
    let reqs = thread_requests_pp(&server.requests(), &uuid);
    let anc: Vec<u32> = reqs
        .iter()
        .filter(|(a, _)| *a > 1)
        .map(|(a, _)| *a)
        .collect();
    assert!(anc.len() >= 2, "the failed page, then its retry: {reqs:?}");
    assert_eq!(anc[0], anc[1], "the failed page was asked again: {reqs:?}");
    assert!(
        !anc[2..].contains(&anc[0]),
        "and only once: {reqs:?} (then the gap row below it, still on screen, loads on)"
    );
    assert!(t.ancestors.is_loaded(anc[0]));
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
