//! The worker's slots against a hung server (the demo's scripted delays): a read superseded by a
//! newer one for the same view is cancelled at once (its slot freed, its answer never applied),
//! and writes have slots of their own, so hung reads never hold up a save; leaving a Mail thread
//! or an open conversation cancels the reads still in flight for it. Nothing here measures time:
//! the tests count requests and look at which answer comes first (a bound on waiting only turns
//! a hang into a failure).
mod common;

use std::time::Duration;

use common::demo_client;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use plannr_tui::api::models::{Archived, MailboxUpdate};
use plannr_tui::app::{
    Call, Command, Core, Msg, PlannrCall, PlannrReply, Reply, Route, Settings, State, Tab,
    conversations, update,
};
use plannr_tui::demo::{DemoOptions, DemoServer, Scripted};
use plannr_tui::worker::slots::READ_SLOTS;
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
            Call::Plannr(PlannrCall::Conversations {
                archived: Archived::Active,
                page: 1,
                per_page: 50,
            }),
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
    let id = core.request(Route::Logins, Call::Plannr(PlannrCall::Mailboxes));
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
    assert!(
        matches!(result, Ok(Reply::Plannr(PlannrReply::Mailboxes(_)))),
        "{result:?}"
    );
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
            call: Call::Plannr(PlannrCall::Conversations {
                archived: Archived::Active,
                page,
                per_page: 50,
            }),
            background: false,
        });
    }
    // Every read slot is taken by a hung request (the rest wait for one).
    seen(&s, "GET", "/api/v1/conversation", 6).await;
    let uuid = s.fixtures().first_mailbox_uuid.clone();
    worker.handle(Command::Api {
        id: 100,
        call: Call::Plannr(PlannrCall::UpdateMailbox {
            uuid: uuid.clone(),
            update: MailboxUpdate {
                name: Some("Saved while reads hang".into()),
                ..MailboxUpdate::default()
            },
        }),
        background: false,
    });
    let Some(Msg::Api { id, result }) = rx.recv().await else {
        panic!("the worker hung up");
    };
    assert_eq!(id, 100, "the save is answered first");
    match result {
        Ok(Reply::Plannr(PlannrReply::Mailbox(m))) => assert_eq!(m.name, "Saved while reads hang"),
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
            call: Call::Plannr(PlannrCall::Conversations {
                archived: Archived::Active,
                page,
                per_page: 1,
            }),
            background: true,
        });
    }
    seen(&s, "GET", "/api/v1/conversation", 1).await;
    worker.handle(Command::Api {
        id: 1000,
        call: Call::Plannr(PlannrCall::Mailboxes),
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

/// The app and the real worker against a demo server, as the main loop runs them.
struct Live {
    s: DemoServer,
    worker: Worker,
    rx: tokio::sync::mpsc::UnboundedReceiver<Msg>,
    state: State,
    /// `Command::Cancel`s the app sent.
    cancels: usize,
}

impl Live {
    async fn start() -> Live {
        let (s, worker, rx) = setup().await;
        let state = State::new(Settings::default(), Some(s.account_uuid.clone()), (100, 30));
        let mut live = Live {
            s,
            worker,
            rx,
            state,
            cancels: 0,
        };
        let cmds = live.state.init();
        live.forward(cmds);
        live.until(|s| s.core.in_flight() == 0).await;
        live
    }

    /// Hand `cmds` (and whatever waits in `core.out`) to the worker; timers stay here (nothing
    /// waits for one).
    fn forward(&mut self, cmds: Vec<Command>) {
        let out = std::mem::take(&mut self.state.core.out);
        for c in cmds.into_iter().chain(out) {
            match c {
                Command::Timer { .. } => {}
                c => {
                    self.cancels += usize::from(matches!(c, Command::Cancel(_)));
                    self.worker.handle(c);
                }
            }
        }
    }

    async fn key(&mut self, code: KeyCode) {
        let cmds = update(
            &mut self.state,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        self.forward(cmds);
    }

    /// Feed the worker's answers to the app until `done`; a timer's message is skipped.
    async fn until(&mut self, done: impl Fn(&State) -> bool) {
        while !done(&self.state) {
            let msg = tokio::time::timeout(Duration::from_secs(30), self.rx.recv())
                .await
                .expect("no answer came: the reads left behind still hold every slot")
                .expect("the worker hung up");
            if matches!(msg, Msg::Timer(_)) {
                continue;
            }
            let cmds = update(&mut self.state, msg);
            self.forward(cmds);
        }
    }
}

/// Leaving a thread whose pages hang (Esc back to the list) cancels its reads, so after as many
/// hung threads as there are read slots, the next thread opened is answered at once.
#[tokio::test]
async fn leaving_a_hung_thread_cancels_its_reads_and_the_next_thread_loads() {
    let mut live = Live::start().await;
    live.state.tab = Tab::Mail;
    let fx = live.s.fixtures().clone();
    let uuids = [
        &fx.big_thread_first_message_uuid,
        &fx.big_thread_middle_message_uuid,
        &fx.big_thread_last_message_uuid,
        &fx.huge_thread_first_message_uuid,
        &fx.huge_thread_middle_message_uuid,
        &fx.huge_thread_last_message_uuid,
        &fx.medium_thread_message_uuid,
    ];
    assert!(uuids.len() > READ_SLOTS);
    let path = |uuid: &str| format!("/api/v1/mailboxes/message/{uuid}");
    for (n, uuid) in uuids[..READ_SLOTS].iter().enumerate() {
        live.s
            .script(Scripted::status(Some("GET"), Some(&path(uuid)), 200).with_delay_ms(HANG_MS));
        live.state.mail.open_thread(uuid, &mut live.state.core);
        live.forward(Vec::new());
        seen(&live.s, "GET", &path(uuid), 1).await;
        assert_eq!(
            live.worker.reads_in_flight(),
            1,
            "the thread's first page hangs"
        );
        live.key(KeyCode::Esc).await;
        assert!(live.state.mail.thread.is_none(), "back at the list");
        assert_eq!(live.cancels, n + 1, "the hung page is cancelled on leaving");
        assert_eq!(live.worker.reads_in_flight(), 0, "it holds no slot");
        assert_eq!(live.state.core.in_flight(), 0, "its late answer is dropped");
    }
    let last = uuids[READ_SLOTS];
    live.state.mail.open_thread(last, &mut live.state.core);
    live.forward(Vec::new());
    live.until(|s| s.mail.thread.as_ref().is_some_and(|t| t.is_loaded()))
        .await;
    let t = live.state.mail.thread.as_ref().expect("thread");
    assert!(t.first_error.is_none(), "{:?}", t.first_error);
    assert_eq!(&t.uuid, last);
    for uuid in &uuids[..READ_SLOTS] {
        assert_eq!(
            count(&live.s, "GET", &path(uuid)),
            1,
            "asked once, never again"
        );
    }
}

/// Closing an open conversation whose messages hang (Esc) and opening the next one cancels the
/// closed one's reads: after as many as there are read slots, the next one opened loads.
#[tokio::test]
async fn closing_a_hung_conversation_cancels_its_reads_and_the_next_one_loads() {
    let mut live = Live::start().await;
    live.key(KeyCode::Char('3')).await;
    live.until(|s| s.core.in_flight() == 0 && s.conversations.list.loaded > 0)
        .await;
    assert_eq!(live.state.tab, Tab::Conversations);
    let path = |uuid: &str| format!("/api/v1/conversation/{uuid}/messages");
    let selected = |live: &Live| {
        live.state
            .conversations
            .selected()
            .map(|r| r.conv.uuid.clone())
            .expect("a conversation selected")
    };
    let mut hung = Vec::new();
    for n in 0..READ_SLOTS {
        let uuid = selected(&live);
        live.s
            .script(Scripted::status(Some("GET"), Some(&path(&uuid)), 200).with_delay_ms(HANG_MS));
        live.key(KeyCode::Enter).await;
        seen(&live.s, "GET", &path(&uuid), 1).await;
        assert_eq!(live.worker.reads_in_flight(), 1, "its first page hangs");
        live.key(KeyCode::Esc).await;
        assert!(live.state.conversations.open.is_none(), "closed");
        assert_eq!(live.cancels, n + 1, "the hung page is cancelled on closing");
        assert_eq!(live.worker.reads_in_flight(), 0, "it holds no slot");
        hung.push(uuid);
        // The next conversation (the list may page ahead meanwhile).
        live.key(KeyCode::Char('j')).await;
        live.until(|s| s.core.in_flight() == 0).await;
    }
    let last = selected(&live);
    assert!(!hung.contains(&last));
    live.key(KeyCode::Enter).await;
    live.until(|s| {
        s.conversations
            .open
            .as_ref()
            .is_some_and(|v| v.pages.loaded > 0)
    })
    .await;
    let v = live.state.conversations.open.as_ref().expect("open");
    assert_eq!(v.conv.uuid, last);
    assert!(v.error.is_none(), "{:?}", v.error);
    for uuid in &hung {
        assert_eq!(
            count(&live.s, "GET", &path(uuid)),
            1,
            "asked once, never again"
        );
    }
}
