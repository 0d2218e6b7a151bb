//! Figures for the thread view on the demo's 10,000-message thread: requests and time to open it
//! in the middle and to reach its ends with g / G (also at 300 ms latency), per update+draw
//! cost of every whole-thread key and of resizes with all 10,000 messages loaded and expanded
//! (issue 13's target: p99 < 8 ms), the frame cost of 10,000 messages against 10 of the same
//! content (checked to show the same rows), and heap in use. Run: `cargo bench --bench mail_thread
//! [-- --quick]` (quick: no g/G part, fewer keys). Prints figures; asserts
//! nothing.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use plannr_tui::api::Client;
use plannr_tui::app::mail::thread::{Part, Thread};
use plannr_tui::app::{self, Command, Msg, Settings, State};
use plannr_tui::demo::{DemoOptions, DemoServer};
use plannr_tui::ui;

#[path = "../tests/common/mod.rs"]
mod common;

struct Counting;
static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        IN_USE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static A: Counting = Counting;

fn mb(n: usize) -> f64 {
    n as f64 / 1e6
}

async fn settle(client: &Client, state: &mut State, cmds: Vec<Command>) {
    common::drive(client, state, cmds, common::Drive::default()).await;
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// Wall-clock time of `f`.
fn timed(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

/// CPU time this thread has used: unlike wall-clock time it does not grow while the thread waits
/// for a core, so it shows what a key costs on a machine shared with other work.
#[cfg(unix)]
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec it is given and nothing else.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_cpu() -> Duration {
    Duration::ZERO
}

/// Wall-clock and CPU time of `f`.
fn timed_cpu(f: impl FnOnce()) -> (Duration, Duration) {
    let c = thread_cpu();
    let d = timed(f);
    (d, thread_cpu().saturating_sub(c))
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * p) as usize]
}

fn new_state(server: &DemoServer, per_page: u32, w: u16, h: u16) -> State {
    let settings = Settings {
        thread_page_size: per_page,
        ..Settings::default()
    };
    let mut state = State::new(settings, Some(server.account_uuid.clone()), (w, h));
    let _ = state.init();
    state.core.out.clear();
    state.core.pending.clear();
    state.tab = app::Tab::Mail;
    state
}

fn thread_requests(server: &DemoServer, uuid: &str) -> usize {
    let path = format!("/api/v1/mailboxes/message/{uuid}");
    server.requests().iter().filter(|r| r.path == path).count()
}

fn first_on_screen(state: &State) -> bool {
    state.mail.thread.as_ref().is_some_and(|t| {
        t.ancestors.is_loaded(1)
            && matches!(
                t.visible().first(),
                Some(plannr_tui::app::mail::thread::Row::Header(0))
            )
            && t.position().0 == 1
    })
}

fn last_on_screen(state: &State) -> bool {
    state.mail.thread.as_ref().is_some_and(|t| {
        let n = t.msgs.len();
        n > 0
            && matches!(t.visible().last(), Some(plannr_tui::app::mail::thread::Row::Header(i)) if *i == n - 1)
            && t.size().is_some_and(|s| t.position().0 as u64 == s)
    })
}

/// Open the middle of the 10,000 thread, then g, then G: requests and time of each.
async fn ends(latency_ms: u64) {
    let server = DemoServer::start(DemoOptions {
        latency_ms,
        ..DemoOptions::default()
    })
    .await
    .expect("demo");
    let client = common::demo_client(&server, |cfg| cfg.requests_per_minute = 100_000);
    let uuid = server.fixtures().huge_thread_middle_message_uuid.clone();
    let mut state = new_state(&server, 25, 120, 40);
    server.clear_requests();
    let t0 = Instant::now();
    state.mail.open_thread(&uuid, &mut state.core);
    settle(&client, &mut state, Vec::new()).await;
    let open = t0.elapsed();
    let open_reqs = thread_requests(&server, &uuid);
    let mut line = format!(
        "10,000-message thread at {latency_ms} ms latency (per_page 25, 120x40): open in the middle {open:.0?} ({open_reqs} requests: the message, then each half's last page)"
    );
    let (mut worst_ms, mut worst_reqs) = (0f64, 0usize);
    for (name, k, check) in [
        (
            "g",
            KeyCode::Char('g'),
            first_on_screen as fn(&State) -> bool,
        ),
        ("G", KeyCode::Char('G'), last_on_screen),
    ] {
        let before = thread_requests(&server, &uuid);
        let t0 = Instant::now();
        let cmds = app::update(&mut state, key(k));
        // The end message on screen (often at once: the look-ahead brought it), then settled.
        let mut shown = check(&state).then(|| t0.elapsed());
        // Each command with what follows from it, checking after each.
        for cmd in cmds {
            settle(&client, &mut state, vec![cmd]).await;
            if shown.is_none() && check(&state) {
                shown = Some(t0.elapsed());
            }
        }
        settle(&client, &mut state, Vec::new()).await;
        let all = t0.elapsed();
        let shown = shown.unwrap_or(all);
        let reqs = thread_requests(&server, &uuid) - before;
        line += &format!(
            "; {name}: end message on screen in {shown:.0?}, settled {all:.0?}, {reqs} request(s)"
        );
        worst_ms = worst_ms.max(all.as_secs_f64() * 1e3);
        worst_reqs = worst_reqs.max(reqs);
    }
    println!("{line}");
    if latency_ms == 300 {
        println!("FIGURE thread_g_ms {worst_ms:.0}");
        println!("FIGURE thread_g_requests {worst_reqs}");
    }
}

/// The thread's viewport rows as text (title, hint and status bar left out).
fn viewport_rows(term: &Terminal<TestBackend>) -> Vec<String> {
    let buf = term.backend().buffer();
    (2..buf.area.height.saturating_sub(2))
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

fn all_expanded(state: &State) -> bool {
    state
        .mail
        .thread
        .as_ref()
        .is_some_and(|t| t.msgs.iter().all(|m| m.expanded))
}

/// update + draw of each key in turn, `rounds` times; the commands a key caused are run
/// between keys (not timed). Returns every time and the times per key.
async fn key_rounds(
    client: &Client,
    state: &mut State,
    term: &mut Terminal<TestBackend>,
    keys: &[KeyCode],
    rounds: usize,
) -> (Vec<Duration>, Vec<Duration>, Vec<(String, Vec<Duration>)>) {
    let mut per_key: Vec<(String, Vec<Duration>)> =
        keys.iter().map(|k| (format!("{k}"), Vec::new())).collect();
    let (mut all, mut cpu) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for (i, k) in keys.iter().enumerate() {
            let mut cmds = Vec::new();
            let (d, c) = timed_cpu(|| {
                cmds = app::update(state, key(*k));
                term.draw(|f| ui::draw(state, f)).expect("draw");
            });
            per_key[i].1.push(d);
            all.push(d);
            cpu.push(c);
            settle(client, state, cmds).await;
        }
        // Wander: some paging between rounds so keys act on different places.
        if round % 3 == 0 {
            let cmds = app::update(state, key(KeyCode::PageUp));
            settle(client, state, cmds).await;
        }
    }
    (all, cpu, per_key)
}

/// Resizes through a few sizes (update + resize + draw), commands run between (not timed).
async fn resizes(
    client: &Client,
    state: &mut State,
    term: &mut Terminal<TestBackend>,
    n: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    let (mut out, mut cpu) = (Vec::new(), Vec::new());
    let sizes = [
        (100u16, 40u16),
        (120, 40),
        (90, 30),
        (160, 50),
        (80, 24),
        (120, 40),
    ];
    for i in 0..n {
        let (rw, rh) = sizes[i % sizes.len()];
        let mut cmds = Vec::new();
        let (d, c) = timed_cpu(|| {
            cmds = app::update(state, Msg::Resize(rw, rh));
            term.resize(ratatui::layout::Rect::new(0, 0, rw, rh))
                .expect("resize");
            term.draw(|f| ui::draw(state, f)).expect("draw");
        });
        out.push(d);
        cpu.push(c);
        settle(client, state, cmds).await;
    }
    (out, cpu)
}

/// update + draw of j j k k (net zero: the same lines over and over, never stopped by an end).
fn frame_cost(
    state: &mut State,
    term: &mut Terminal<TestBackend>,
) -> (Duration, Duration, Duration) {
    let keys = [
        KeyCode::Char('j'),
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::Char('k'),
    ];
    let (mut v, mut u) = (Vec::new(), Vec::new());
    for i in 0..2000 {
        let mut du = Duration::ZERO;
        v.push(timed(|| {
            du = timed(|| {
                let _ = app::update(state, key(keys[i % keys.len()]));
            });
            term.draw(|f| ui::draw(state, f)).expect("draw");
        }));
        u.push(du);
    }
    (pct(&mut v, 0.5), pct(&mut v, 0.99), pct(&mut u, 0.5))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        if !quick {
            ends(0).await;
            ends(300).await;
        }

        // Everything loaded (per_page 500) and expanded: the whole-thread keys and resizes.
        let server = DemoServer::start(DemoOptions::default()).await.expect("demo");
        let client = common::demo_client(&server, |cfg| cfg.requests_per_minute = 100_000);
        let uuid = server.fixtures().huge_thread_middle_message_uuid.clone();
        let (w, h) = (120u16, 40u16);
        let mut state = new_state(&server, 500, w, h);
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        // The client's heap only: what was in use before opening (the in-process demo server's
        // data set among it) is left out of every heap figure, the peak included.
        let base = IN_USE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t0 = Instant::now();
        state.mail.open_thread(&uuid, &mut state.core);
        settle(&client, &mut state, Vec::new()).await;
        let cmds = app::update(&mut state, key(KeyCode::Char('g')));
        settle(&client, &mut state, cmds).await;
        for _ in 0..100_000 {
            if state.mail.thread.as_ref().is_some_and(|t| t.loaded() == 10_000) {
                break;
            }
            let cmds = app::update(&mut state, key(KeyCode::PageDown));
            settle(&client, &mut state, cmds).await;
        }
        let load_all = t0.elapsed();
        let n = state.mail.thread.as_ref().map(|t| t.loaded()).unwrap_or(0);
        let loaded_heap = IN_USE.load(Ordering::Relaxed).saturating_sub(base);
        let cmds = app::update(&mut state, key(KeyCode::Char('G')));
        settle(&client, &mut state, cmds).await;
        for _ in 0..50 {
            let cmds = app::update(&mut state, key(KeyCode::PageUp));
            settle(&client, &mut state, cmds).await;
        }
        // Expand all (10,000 messages): the first press measured on its own.
        let t = Instant::now();
        let cmds = app::update(&mut state, key(KeyCode::Char('o')));
        term.draw(|f| ui::draw(&state, f)).expect("draw");
        let expand_all = t.elapsed();
        settle(&client, &mut state, cmds).await;
        let expanded = state
            .mail
            .thread
            .as_ref()
            .map(|t| t.msgs.iter().filter(|m| m.expanded).count())
            .unwrap_or(0);
        let expanded_heap = IN_USE.load(Ordering::Relaxed).saturating_sub(base);
        let peak_heap = PEAK.load(Ordering::Relaxed).saturating_sub(base);

        // The 10-message thread: the ten messages from the top of the big one's screen, in the
        // same state (fetched, converted, expanded), so both screens show the same content.
        let (msgs, top_uuid) = {
            let t = state.mail.thread.as_ref().expect("thread");
            let i0 = t.msg_at(t.top_line()).unwrap_or(0).min(t.msgs.len() - 10);
            let msgs: Vec<_> = t.msgs[i0..i0 + 10].iter().map(|m| (*m.m).clone()).collect();
            (msgs, t.msgs[i0].m.uuid.clone())
        };
        if let Some(t) = state.mail.thread.as_mut() {
            t.top = plannr_tui::app::mail::thread::Anchor {
                uuid: top_uuid.clone(),
                offset: 0,
            };
            t.focus = top_uuid;
        }
        let mut small = new_state(&server, 25, w, h);
        let mut opened = msgs[5].clone();
        opened.ancestors = Some(Box::new(plannr_tui::api::Page {
            items: msgs[..5].to_vec(),
            total: Some(5),
            last_page: Some(1),
            current_page: Some(1),
            ..plannr_tui::api::Page::default()
        }));
        opened.descendants = Some(Box::new(plannr_tui::api::Page {
            items: msgs[6..10].to_vec(),
            total: Some(4),
            last_page: Some(1),
            current_page: Some(1),
            ..plannr_tui::api::Page::default()
        }));
        let mut t10 = Thread::new(&opened.uuid.clone(), 25, w, usize::from(h) - 4);
        t10.first_sent(1);
        t10.on_loaded(Part::First, 1, opened);
        small.mail.thread = Some(t10);
        small.mail.view = plannr_tui::app::mail::View::Thread;
        let cmds = app::update(&mut small, Msg::Resize(w, h));
        settle(&client, &mut small, cmds).await;
        let cmds = app::update(&mut small, key(KeyCode::Char('o')));
        settle(&client, &mut small, cmds).await;
        let cmds = app::update(&mut small, key(KeyCode::Char('g')));
        settle(&client, &mut small, cmds).await;
        // Both at the same first message, every message on the way fetched and converted.
        for s in [&mut state, &mut small] {
            for k in [KeyCode::Char('j'), KeyCode::Char('j'), KeyCode::Char('k'), KeyCode::Char('k')] {
                let cmds = app::update(s, key(k));
                settle(&client, s, cmds).await;
            }
        }
        // Frame cost: 10,000 messages against 10 of the same content (checked: the viewports
        // show the same rows), the same scrolling keys, update + draw.
        term.draw(|f| ui::draw(&state, f)).expect("draw");
        let big_rows = viewport_rows(&term);
        let mut small_term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        small_term.draw(|f| ui::draw(&small, f)).expect("draw");
        let small_rows = viewport_rows(&small_term);
        let differ = big_rows.iter().zip(&small_rows).filter(|(a, b)| a != b).count();
        let load = load_average();
        let (big50, big99, bigu) = frame_cost(&mut state, &mut term);
        let (small50, small99, smallu) = frame_cost(&mut small, &mut small_term);
        let ratio = big50.as_secs_f64() / small50.as_secs_f64().max(1e-9);
        println!(
            "frame cost (update+draw of j j k k over the same lines, all expanded, 120x40, load average {load}): \
             10,000 messages p50 {big50:.1?} (update {bigu:.1?}) p99 {big99:.1?}; 10 messages p50 {small50:.1?} \
             (update {smallu:.1?}) p99 {small99:.1?}; ratio p50 {ratio:.2}x (target ≤ 1.2x); viewport rows that differ: {differ} of {}",
            big_rows.len()
        );
        println!("FIGURE thread_frame_ratio {ratio:.3}");
        println!("FIGURE thread_frame_rows_differ {differ}");

        // Every whole-thread key, fully expanded, on both threads in the same run (the machine's
        // load shows in both): `o` twice and Space twice, so everything stays expanded.
        let keys = [
            KeyCode::Char('j'),
            KeyCode::Char('k'),
            KeyCode::PageDown,
            KeyCode::PageUp,
            KeyCode::Char('n'),
            KeyCode::Char('p'),
            KeyCode::Char('G'),
            KeyCode::Char('g'),
            KeyCode::Char('o'),
            KeyCode::Char('o'),
            KeyCode::Char('z'),
            KeyCode::Char('v'),
            KeyCode::Char(' '),
            KeyCode::Char(' '),
        ];
        let rounds = if quick { 20 } else { 60 };
        let mut line = String::new();
        let mut worst_p99 = Duration::ZERO;
        let mut fig = Vec::new();
        for (name, s) in [("10,000", &mut state), ("10", &mut small)] {
            let t = &mut Terminal::new(TestBackend::new(w, h)).expect("terminal");
            let load = load_average();
            let (mut all, mut cpu, mut per_key) = key_rounds(&client, s, t, &keys, rounds).await;
            let still = all_expanded(s);
            let (mut rs, mut rcpu) = resizes(&client, s, t, if quick { 60 } else { 120 }).await;
            let cpu99 = pct(&mut cpu, 0.99).max(pct(&mut rcpu, 0.99));
            let worst = per_key
                .iter_mut()
                .map(|(k, v)| (pct(v, 0.99), k.clone()))
                .max()
                .map(|(d, k)| format!("{k} {d:.2?}"))
                .unwrap_or_default();
            let (p50, p99, max) = (pct(&mut all, 0.5), pct(&mut all, 0.99), pct(&mut all, 1.0));
            let (r50, r99, rmax) = (pct(&mut rs, 0.5), pct(&mut rs, 0.99), pct(&mut rs, 1.0));
            if name == "10,000" {
                worst_p99 = p99.max(r99);
                println!("FIGURE thread_key_cpu_p99_ms {:.3}", cpu99.as_secs_f64() * 1e3);
            }
            fig.push((name, p99.max(r99)));
            line += &format!(
                "{name} messages (load average {load}): every key (update+draw, {} presses of {} keys, all expanded after: {still}) \
                 p50 {p50:.2?} p99 {p99:.2?} max {max:.2?} (worst key p99: {worst}); resize p50 {r50:.2?} p99 {r99:.2?} max {rmax:.2?}; \
                 CPU time p99 of keys and resizes {cpu99:.2?}\n",
                all.len(),
                keys.len(),
            );
        }
        println!(
            "10,000-message thread, all {n} loaded ({load_all:.1?} by paging down, per_page 500) and {expanded} expanded, 120x40: \
             expand all {expand_all:.2?}; heap {:.1} MB loaded, {:.1} MB expanded, peak {:.1} MB (the client's, above the heap before opening)",
            mb(loaded_heap),
            mb(expanded_heap),
            mb(peak_heap),
        );
        print!("{line}");
        println!("FIGURE thread_key_p99_ms {:.3}", worst_p99.as_secs_f64() * 1e3);
        if let Some((_, d)) = fig.iter().find(|(n, _)| *n == "10") {
            println!("FIGURE thread_key_p99_small_ms {:.3}", d.as_secs_f64() * 1e3);
        }
        println!("FIGURE thread_expand_all_ms {:.3}", expand_all.as_secs_f64() * 1e3);
        println!("FIGURE thread_heap_mb {:.1}", mb(loaded_heap));
        println!("FIGURE thread_peak_heap_mb {:.1}", mb(peak_heap));
    });
}
