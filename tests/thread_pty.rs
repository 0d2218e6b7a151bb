//! The demo's 10,000-message thread in the real binary, in a pseudo-terminal, at 300 ms API
//! latency (issue 13): `g` typed ahead of the first answer, the gap row loading as it comes on
//! screen (each page once, "loaded N of M" meanwhile), `G`, and expanding the bottom message.
//! The requests are read back from the demo server's log.

mod common;

use std::ffi::OsStr;

use common::pty::Tui;
use plannr_tui::demo::{DemoOptions, DemoServer};

const ROWS: u16 = 40;
const COLS: u16 = 120;

/// The rows drawn reversed from the first column: the focused message's header.
fn focused_rows(s: &vt100::Screen) -> Vec<u16> {
    (2..s.size().0.saturating_sub(2))
        .filter(|&r| s.cell(r, 0).is_some_and(|c| c.inverse()))
        .collect()
}

/// "k of N · loaded L of N" from the thread's title row: (k, L).
fn title_numbers(text: &str) -> Option<(usize, usize)> {
    let title = text.lines().nth(1)?;
    let (_, rest) = title.rsplit_once(" — ")?;
    let k = rest.split(" of ").next()?.trim().parse().ok()?;
    let loaded = rest.split("loaded ").nth(1)?.split(" of ").next()?;
    Some((k, loaded.trim().parse().ok()?))
}

/// (page[ancestors], page[descendants]) of every thread request for `uuid`, in order.
fn thread_pages(server: &DemoServer, uuid: &str) -> Vec<(u32, u32)> {
    let path = format!("/api/v1/mailboxes/message/{uuid}");
    server
        .requests()
        .iter()
        .filter(|r| r.path == path)
        .map(|r| {
            let p = |k| r.query_get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
            (p("page[ancestors]"), p("page[descendants]"))
        })
        .collect()
}

fn each_once(pages: &[(u32, u32)]) {
    let mut sorted = pages.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), pages.len(), "a page asked twice: {pages:?}");
}

/// The real binary against the demo server at 300 ms latency, in Mail on Henry Khan's emails
/// (his thread is the 10,000-message one). The runtime runs the server and the directory holds
/// the binary's files: both live as long as the test.
struct Session {
    server: DemoServer,
    tui: Tui,
    _rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn henrys_emails_at_300_ms() -> Session {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt
        .block_on(DemoServer::start(DemoOptions {
            latency_ms: 300,
            ..DemoOptions::default()
        }))
        .expect("demo server");
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("log");
    let mut tui = Tui::start_with(
        dir.path(),
        ROWS,
        COLS,
        &[
            OsStr::new("--base-url"),
            OsStr::new(&server.base_url),
            OsStr::new("--token"),
            OsStr::new(&server.token),
            OsStr::new("--account"),
            OsStr::new(&server.account_uuid),
            OsStr::new("--log-file"),
            log.as_os_str(),
        ],
    );
    tui.wait_text("the mailboxes", |t| t.contains("Mailboxes (5)"));
    tui.send(b"2");
    tui.wait_text("the clients", |t| t.contains("Henry Khan"));
    // Henry Khan is the 13th client by name.
    tui.send(b"jjjjjjjjjjjj\r");
    tui.wait_text("Henry Khan's emails", |t| {
        t.contains("Henry Khan — emails") && t.contains("10000")
    });
    Session {
        server,
        tui,
        _rt: rt,
        _dir: dir,
    }
}

#[test]
fn the_10000_message_thread_at_300_ms_g_typed_ahead_gaps_fill_once_and_g_reaches_the_end() {
    // Bound in this order so they are dropped as before: the binary first, the runtime last.
    let Session {
        _rt,
        server,
        _dir,
        mut tui,
    } = henrys_emails_at_300_ms();
    let fx = server.fixtures().clone();
    assert_eq!(fx.huge_thread_len, 10_000);
    // His 13th email is the thread's newest message.
    tui.send(b"jjjjjjjjjjjj");
    tui.wait_for("the thread's newest message selected", |s| {
        s.rows(0, COLS)
            .zip(0u16..)
            .any(|(row, r)| row.contains("10000") && s.cell(r, 2).is_some_and(|c| c.inverse()))
    });

    // Enter, then g and two lines down typed before the first answer (300 ms) comes.
    tui.send(b"\rgjj");
    let s = tui.wait_for("the thread's start, two lines down", |s| {
        title_numbers(&s.contents()).is_some_and(|(k, _)| k == 3)
    });
    let text = s.contents();
    assert!(text.contains(" of 10000"), "{text}");
    assert_eq!(
        focused_rows(&s),
        vec![2],
        "the cursor on the top row:\n{text}"
    );
    let opened = fx.huge_thread_last_message_uuid.clone();
    let pages = thread_pages(&server, &opened);
    // The first answer, each half's last page (the thread's start: 10000 = 400 × 25), and
    // the page bordering the gap row on screen.
    assert!(pages.len() <= 4, "{pages:?}");
    assert!(pages.contains(&(400, 1)), "{pages:?}");

    // Read down a page at a time: the gap row under what is loaded shows how many are missing
    // and loads as it comes on screen; no key skips it while it loads.
    let mut last = title_numbers(&text).unwrap_or((0, 0));
    let saw_gap = std::cell::Cell::new(false);
    for _ in 0..6 {
        tui.send(b"\x1b[6~"); // PageDown
        let s = tui.wait_for("a page further down, loaded", |s| {
            let t = s.contents();
            saw_gap.set(saw_gap.get() || t.contains("messages not loaded yet"));
            title_numbers(&t).is_some_and(|(k, l)| k > last.0 && l > last.1)
        });
        let t = s.contents();
        let now = title_numbers(&t).unwrap_or((0, 0));
        assert!(
            now.0 <= last.0 + 40,
            "no messages skipped: {last:?} -> {now:?}\n{t}"
        );
        assert!(t.contains(&format!("loaded {} of 10000", now.1)), "{t}");
        assert_eq!(focused_rows(&s).len(), 1, "one cursor, on screen:\n{t}");
        last = now;
    }
    let saw_gap = saw_gap.get();
    assert!(saw_gap, "a gap row was on screen");
    let pages = thread_pages(&server, &opened);
    each_once(&pages);
    let anc: Vec<u32> = pages.iter().map(|p| p.0).filter(|&p| p > 1).collect();
    assert!(
        anc.len() >= 6 && anc.iter().all(|&p| p >= 390),
        "the start's pages, read down in order: {pages:?}"
    );

    // G: the newest message, focused, with no request (it was opened there).
    let before = pages.len();
    tui.send(b"G");
    let s = tui.wait_for("the thread's last message", |s| {
        title_numbers(&s.contents()).is_some_and(|(k, _)| k == 10_000)
    });
    assert!(thread_pages(&server, &opened).len() - before <= 2);
    // The opened (last) message is expanded: its body ends the screen, its header the cursor.
    let text = s.contents();
    assert!(text.contains("From: Sarah Mitchell"), "{text}");
    assert_eq!(focused_rows(&s).len(), 1, "{text}");

    // Collapse it (the bottom row), then expand it again: its body scrolls into view.
    tui.send(b"\r");
    tui.wait_text("the last message collapsed", |t| !t.contains("From: Sarah"));
    tui.send(b"\r");
    let s = tui.wait_text("the last message's body", |t| t.contains("From: Sarah"));
    assert!(s.contains("Kind regards"), "its body is on screen:\n{s}");

    // Read back up from the end through the gap above it: its pages load as the gap row
    // reaches the top, nearest first, each once, and no key jumps over it.
    let mut last = title_numbers(&s).unwrap_or((0, 0));
    let first_back = thread_pages(&server, &opened).len();
    for _ in 0..8 {
        tui.send(b"\x1b[5~"); // PageUp
        let s = tui.wait_for("a page further up, or the page above loaded", |s| {
            title_numbers(&s.contents()).is_some_and(|(k, l)| k < last.0 || l > last.1)
        });
        let t = s.contents();
        let now = title_numbers(&t).unwrap_or((0, 0));
        assert!(
            now.0 + 40 >= last.0,
            "no messages skipped: {last:?} -> {now:?}\n{t}"
        );
        last = now;
    }
    let pages = thread_pages(&server, &opened);
    each_once(&pages);
    let back: Vec<u32> = pages[first_back..].iter().map(|p| p.0).collect();
    assert!(!back.is_empty(), "the gap above the end loaded");
    assert!(
        back.iter().zip(2u32..).all(|(&p, want)| p == want),
        "nearest first, in order: {back:?}"
    );

    tui.send(b"\x03");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn opened_in_the_middle_at_300_ms_g_and_capital_g_each_reach_their_end_in_two_requests() {
    // Bound in this order so they are dropped as before: the binary first, the runtime last.
    let Session {
        _rt,
        server,
        _dir,
        mut tui,
    } = henrys_emails_at_300_ms();
    let middle = server.fixtures().huge_thread_middle_message_uuid.clone();
    // His oldest listed email is the thread's middle message.
    tui.send(b"G");
    tui.wait_for("the oldest email selected", |s| {
        s.rows(0, COLS)
            .zip(0u16..)
            .any(|(row, r)| row.contains("10000") && s.cell(r, 2).is_some_and(|c| c.inverse()))
    });
    tui.send(b"\r");
    let s = tui.wait_for("the thread opened in the middle", |s| {
        title_numbers(&s.contents()).is_some_and(|(k, _)| k == 5001)
    });
    assert!(s.contents().contains(" of 10000"), "{}", s.contents());

    // g as soon as it shows (each half's last page may still be on the way).
    let before = thread_pages(&server, &middle).len();
    tui.send(b"g");
    let s = tui.wait_for("the thread's first message", |s| {
        title_numbers(&s.contents()).is_some_and(|(k, _)| k == 1)
    });
    let g = thread_pages(&server, &middle)[before..].to_vec();
    assert_eq!(focused_rows(&s), vec![2], "the cursor on the top row");
    assert!(g.len() <= 2, "{g:?}");

    let before = thread_pages(&server, &middle).len();
    tui.send(b"G");
    let s = tui.wait_for("the thread's last message", |s| {
        title_numbers(&s.contents()).is_some_and(|(k, _)| k == 10_000)
    });
    let g = thread_pages(&server, &middle)[before..].to_vec();
    assert!(g.len() <= 2, "{g:?}");
    let rows = focused_rows(&s);
    assert_eq!(rows.len(), 1, "{}", s.contents());
    assert_eq!(rows[0], ROWS - 3, "the last message on the last row");
    each_once(&thread_pages(&server, &middle));

    tui.send(b"\x03");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}
