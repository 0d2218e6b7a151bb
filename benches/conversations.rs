//! Conversations pane figures, not pass/fail. Run with `cargo bench --bench conversations`.
//! Medians of several runs timed with `std::time::Instant`.
use std::hint::black_box;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use plannr_tui::api::Page;
use plannr_tui::api::models::{Account, Conversation, ConversationMessage};
use plannr_tui::app::{Command, Msg, PlannrReply, Reply, Settings, State, update};
use plannr_tui::demo::{DemoOptions, DemoServer};
use plannr_tui::worker::call_api;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../tests/common/mod.rs"]
mod common;

fn median(iters: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..iters)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[t.len() / 2]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn conv(i: usize) -> Conversation {
    Conversation {
        uuid: format!("c{i}"),
        name: format!("Conversation number {i} about a pension transfer"),
        participants: (0..4)
            .map(|j| Account {
                uuid: format!("a{j}"),
                name: format!("Person {j}"),
                ..Account::default()
            })
            .collect(),
        participants_count: Some(6),
        messages_count: Some(i as u64),
        latest_message: Some(ConversationMessage {
            contents: Some("<p>Can we move the meeting to Thursday afternoon?</p>".into()),
            created_at: "2025-06-15T14:00:00+00:00".into(),
            author: Some(Account {
                name: "Priya Shah".into(),
                ..Account::default()
            }),
            ..ConversationMessage::default()
        }),
        ..Conversation::default()
    }
}

fn key(s: &mut State, c: KeyCode) -> Vec<Command> {
    update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

fn first_api(cmds: &[Command]) -> Option<u64> {
    cmds.iter().find_map(|c| match c {
        Command::Api { id, .. } => Some(*id),
        _ => None,
    })
}

/// A state on the Conversations pane with `n` rows loaded (one big page).
fn loaded(n: usize, size: (u16, u16)) -> State {
    let mut s = State::new(
        Settings {
            list_page_size: n as u32,
            ..Settings::default()
        },
        Some("me".into()),
        size,
    );
    s.core.now = 1_750_000_000;
    let cmds = key(&mut s, KeyCode::Char('3'));
    let id = first_api(&cmds).expect("page 1");
    let page = Page {
        items: (0..n).map(conv).collect(),
        has_next: Some(false),
        ..Page::default()
    };
    update(
        &mut s,
        Msg::Api {
            id,
            result: Ok(Reply::Plannr(PlannrReply::Conversations(page))),
        },
    );
    s
}

fn main() {
    let n = 5_000;
    let t = Instant::now();
    let mut s = loaded(n, (120, 40));
    println!(
        "list: ingest one page of {n} conversations (rows computed once): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let d = median(2_000, || {
        black_box(key(&mut s, KeyCode::Char('j')));
    });
    println!("list: update for j over {n} rows: {} ns", d.as_nanos());
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("backend");
    let d = median(200, || {
        term.draw(|f| plannr_tui::ui::draw(&s, f)).expect("draw");
    });
    println!("list: draw 120x40 with {n} rows loaded: {:.1} µs", us(d));
    key(&mut s, KeyCode::Char('/'));
    let d = median(50, || {
        key(&mut s, KeyCode::Char('x'));
        key(&mut s, KeyCode::Backspace);
    });
    println!(
        "list: filter keystroke (type + erase) over {n} rows: {:.1} µs",
        us(d) / 2.0
    );
    key(&mut s, KeyCode::Esc);

    // Rename typing cost: one key into the inline editor.
    key(&mut s, KeyCode::Char('r'));
    let d = median(2_000, || {
        key(&mut s, KeyCode::Char('a'));
    });
    println!("rename: update for one typed character: {:.1} µs", us(d));

    // Open conversation with 500 messages: ingest 10 pages, resize (rewrap), draw.
    let mut s = loaded(10, (120, 40));
    let cmds = key(&mut s, KeyCode::Enter);
    let mut id = first_api(&cmds);
    let mut pages = 0;
    let t = Instant::now();
    while let (Some(i), true) = (id, pages < 10) {
        let items = (0..50)
            .map(|k| ConversationMessage {
                uuid: format!("m{pages}-{k}"),
                contents: Some("A message of some length that wraps onto a couple of lines at eighty columns, with a second sentence.\n> quoted".into()),
                created_at: "2025-06-15T14:00:00+00:00".into(),
                author: Some(Account { name: "Priya Shah".into(), ..Account::default() }),
                ..ConversationMessage::default()
            })
            .collect();
        let out = update(
            &mut s,
            Msg::Api {
                id: i,
                result: Ok(Reply::Plannr(PlannrReply::ConversationMessages(Page {
                    items,
                    has_next: Some(true),
                    ..Page::default()
                }))),
            },
        );
        pages += 1;
        // Scroll to the top so the next older page is asked for.
        let more = update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE)),
        );
        id = first_api(&out).or_else(|| first_api(&more));
    }
    println!(
        "view: ingest {pages} pages × 50 messages (wrap once each): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut w = 120;
    let d = median(20, || {
        w = if w == 120 { 80 } else { 120 };
        update(&mut s, Msg::Resize(w, 40));
    });
    println!(
        "view: resize (rewrap 500 messages): {:.2} ms",
        d.as_secs_f64() * 1e3
    );
    let d = median(200, || {
        term.draw(|f| plannr_tui::ui::draw(&s, f)).expect("draw");
    });
    println!(
        "view: draw 120x40 (slice of wrapped lines): {:.1} µs",
        us(d)
    );

    // Rename round trip through the real client against the demo server on loopback.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let server = DemoServer::start(DemoOptions::default())
            .await
            .expect("demo");
        let client = common::demo_client(&server, |_| {});
        let mut s = State::new(
            Settings::default(),
            Some(server.account_uuid.clone()),
            (120, 40),
        );
        let cmds = key(&mut s, KeyCode::Char('3'));
        common::drive(&client, &mut s, cmds, common::Drive::default()).await;
        let mut times = Vec::new();
        for i in 0..30 {
            key(&mut s, KeyCode::Char('r'));
            update(
                &mut s,
                Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
            );
            for c in format!("Name {i}").chars() {
                key(&mut s, KeyCode::Char(c));
            }
            let t = Instant::now();
            let cmds = key(&mut s, KeyCode::Enter);
            for c in cmds {
                if let Command::Api { id, call, .. } = c {
                    let result = call_api(&client, call).await;
                    update(&mut s, Msg::Api { id, result });
                }
            }
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "rename: Enter → server answer applied (loopback demo, median of 30): {:.2} ms",
            times[15].as_secs_f64() * 1e3
        );
    });
}
