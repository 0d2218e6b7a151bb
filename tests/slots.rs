//! The worker's slots against a hung server (the demo's scripted delays): a read superseded by a
//! newer one for the same view is cancelled at once (its slot freed, its answer never applied),
//! and writes have slots of their own, so hung reads never hold up a save. Nothing here measures
//! time: the tests count requests and look at which answer comes first.
mod common;

use std::time::Duration;

use common::demo_client;
use plannr_tui::api::models::{Archived, MailboxUpdate};
use plannr_tui::app::{Call, Command, Core, Msg, Reply, Route, conversations};
use plannr_tui::demo::{DemoOptions, DemoServer, Scripted};
use plannr_tui::worker::{Slots, Worker};

/// Longer than any test here runs: a hung request is never given up on its own.
const HANG_MS: u64 = 600_000;

async fn setup() -> (
    DemoServer,
    Worker,
    tokio::sync::mpsc::UnboundedReceiver<Msg>,
) {
    let s = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server");
    // A deadline long enough that no hung request fails before the test is over: without
    // cancellation (or write slots) the hung reads would hold every slot all that time.
    let c = demo_client(&s, |cfg| cfg.http.call_deadline = Duration::from_secs(90));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    (s, Worker::new(c, tx), rx)
}

fn count(s: &DemoServer, method: &str, prefix: &str) -> usize {
    s.requests()
        .iter()
        .filter(|r| r.method == method && r.path.starts_with(prefix))
        .count()
}

/// Wait until the demo server has seen `n` requests matching.
async fn seen(s: &DemoServer, method: &str, prefix: &str, n: usize) {
    while count(s, method, prefix) < n {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn repeated_refreshes_of_a_hung_view_cancel_the_older_requests_and_free_their_slots() {
    let (s, mut worker, mut rx) = setup().await;
    const REFRESHES: usize = 8;
    for _ in 0..REFRESHES {
        s.script(
            Scripted::status(Some("GET"), Some("/api/v1/conversation"), 200).with_delay_ms(HANG_MS),
        );
    }
    let mut core = Core::default();
    let list = || Route::Conversations(conversations::Route::List);
    let mut cancels = 0;
    let mut ids = Vec::new();
    // R pressed eight times on the conversation list while the server hangs: each request reaches
    // the server before the next R.
    for n in 1..=REFRESHES {
        ids.push(core.request(
            list(),
            Call::Conversations {
                archived: Archived::Active,
                page: 1,
                per_page: 50,
            },
        ));
        for c in core.out.drain(..) {
            cancels += usize::from(matches!(c, Command::Cancel(_)));
            worker.handle(c);
        }
        seen(&s, "GET", "/api/v1/conversation", n).await;
    }
    assert_eq!(cancels, REFRESHES - 1, "every older refresh cancelled");
    assert_eq!(
        core.pending.keys().copied().collect::<Vec<_>>(),
        vec![*ids.last().unwrap_or(&0)],
        "only the latest is waited for"
    );
    assert_eq!(
        worker.reads_in_flight(),
        1,
        "the cancelled ones hold no slot"
    );
    // Another view's call goes through at once, although more hung requests were made than there
    // are read slots.
    let id = core.request(Route::Logins, Call::Mailboxes);
    for c in core.out.drain(..) {
        worker.handle(c);
    }
    // The core's timers (spinner, countdown) went to the worker too: on a slow machine one may
    // fire before the answer comes; only answers count here.
    let (got, result) = loop {
        match rx.recv().await {
            Some(Msg::Api { id, result }) => break (id, result),
            Some(_) => {}
            None => panic!("the worker hung up"),
        }
    };
    assert_eq!(
        got, id,
        "the mailboxes answer comes first (no cancelled answer ever comes)"
    );
    assert!(matches!(result, Ok(Reply::Mailboxes(_))), "{result:?}");
    assert_eq!(count(&s, "GET", "/api/v1/mailboxes"), 1);
}

#[tokio::test]
async fn a_save_goes_through_while_every_read_slot_is_hung() {
    let (s, mut worker, mut rx) = setup().await;
    const READS: u32 = 10; // more than there are read slots
    for _ in 0..READS {
        s.script(
            Scripted::status(Some("GET"), Some("/api/v1/conversation"), 200).with_delay_ms(HANG_MS),
        );
    }
    for page in 1..=READS {
        worker.handle(Command::Api {
            id: u64::from(page),
            call: Call::Conversations {
                archived: Archived::Active,
                page,
                per_page: 50,
            },
            background: false,
        });
    }
    // Every read slot is taken by a hung request (the rest wait for one).
    seen(&s, "GET", "/api/v1/conversation", 6).await;
    let uuid = s.fixtures().first_mailbox_uuid.clone();
    worker.handle(Command::Api {
        id: 100,
        call: Call::UpdateMailbox {
            uuid: uuid.clone(),
            update: MailboxUpdate {
                name: Some("Saved while reads hang".into()),
                ..MailboxUpdate::default()
            },
        },
        background: false,
    });
    let Some(Msg::Api { id, result }) = rx.recv().await else {
        panic!("the worker hung up");
    };
    assert_eq!(id, 100, "the save is answered first");
    match result {
        Ok(Reply::Mailbox(m)) => assert_eq!(m.name, "Saved while reads hang"),
        other => panic!("the save failed: {other:?}"),
    }
    assert_eq!(count(&s, "PUT", &format!("/api/v1/mailboxes/{uuid}")), 1);
}

/// Background paging (what the `/` filter over a big list does) keeps to its budget however many
/// pages it wants, and a user's call queued behind it runs before the next background page.
#[tokio::test]
async fn background_paging_keeps_to_its_budget_and_a_user_call_goes_first() {
    let (s, worker, mut rx) = setup().await;
    const BUDGET: usize = 10;
    // One read slot, so the user's call has to queue; a budget window far longer than the test.
    let mut worker = worker
        .with_slots(Slots::new(1, 1).with_background_budget(BUDGET, Duration::from_secs(3600)));
    // The first page is slow, so the user's call arrives while background pages wait.
    s.script(Scripted::status(Some("GET"), Some("/api/v1/conversation"), 200).with_delay_ms(300));
    const PAGES: u32 = 40;
    for page in 1..=PAGES {
        worker.handle(Command::Api {
            id: u64::from(page),
            call: Call::Conversations {
                archived: Archived::Active,
                page,
                per_page: 1,
            },
            background: true,
        });
    }
    seen(&s, "GET", "/api/v1/conversation", 1).await;
    worker.handle(Command::Api {
        id: 1000,
        call: Call::Mailboxes,
        background: false,
    });
    let mut answered = Vec::new();
    while answered.len() < BUDGET + 1 {
        match rx.recv().await {
            Some(Msg::Api { id, .. }) => answered.push(id),
            Some(_) => {}
            None => panic!("the worker hung up"),
        }
    }
    assert_eq!(
        answered[1], 1000,
        "the user's call ran right after the page in flight: {answered:?}"
    );
    let order: Vec<String> = s.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        order.get(1).map(String::as_str),
        Some("/api/v1/mailboxes"),
        "{order:?}"
    );
    assert_eq!(
        count(&s, "GET", "/api/v1/conversation"),
        BUDGET,
        "no more background pages than the budget"
    );
}
