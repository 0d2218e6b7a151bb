//! Figures for the thread view on the demo's 10,000-message thread: time to open it, to load it
//! all (g then G through the real client), and per update+draw frame while scrolling; heap in use.
//! Run: `cargo bench --bench mail_thread`. Prints numbers; asserts nothing.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use plannr_tui::api::Client;
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

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let server = DemoServer::start(DemoOptions::default()).await.expect("demo");
        let client = common::demo_client(&server, |cfg| cfg.requests_per_minute = 100_000);
        let uuid = server.fixtures().huge_thread_middle_message_uuid.clone();
        for per_page in [25u32, 100, 500] {
            let (w, h) = (120u16, 40u16);
            let settings = Settings { thread_page_size: per_page, ..Settings::default() };
            let mut state = State::new(settings, Some(server.account_uuid.clone()), (w, h));
            let _ = state.init();
            state.core.out.clear();
            state.core.pending.clear();
            state.tab = app::Tab::Mail;
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            let base = IN_USE.load(Ordering::Relaxed);

            let t0 = Instant::now();
            state.mail.open_thread(&uuid, &mut state.core);
            settle(&client, &mut state, Vec::new()).await;
            term.draw(|f| ui::draw(&state, f)).expect("draw");
            let open = t0.elapsed();

            let t0 = Instant::now();
            let cmds = app::update(&mut state, key(KeyCode::Char('g')));
            settle(&client, &mut state, cmds).await;
            let cmds = app::update(&mut state, key(KeyCode::Char('G')));
            settle(&client, &mut state, cmds).await;
            let all = t0.elapsed();
            let n = state.mail.thread.as_ref().map(|t| t.msgs.len()).unwrap_or(0);
            let loaded_heap = IN_USE.load(Ordering::Relaxed).saturating_sub(base);

            // Frames: scroll through the loaded thread (no network: everything is loaded).
            let mut frames: Vec<Duration> = Vec::new();
            let keys = [KeyCode::PageUp, KeyCode::Char('k'), KeyCode::Char('p'), KeyCode::Char('j')];
            for i in 0..2000 {
                let t = Instant::now();
                let _ = app::update(&mut state, key(keys[i % keys.len()]));
                term.draw(|f| ui::draw(&state, f)).expect("draw");
                frames.push(t.elapsed());
            }
            // Expanding everything (10,000 wraps) is the heaviest single update.
            let t = Instant::now();
            let _ = app::update(&mut state, key(KeyCode::Char('o')));
            term.draw(|f| ui::draw(&state, f)).expect("draw");
            let expand_all = t.elapsed();
            let expanded_heap = IN_USE.load(Ordering::Relaxed).saturating_sub(base);
            let t = Instant::now();
            let _ = app::update(&mut state, Msg::Resize(100, 40));
            term.resize(ratatui::layout::Rect::new(0, 0, 100, 40)).expect("resize");
            term.draw(|f| ui::draw(&state, f)).expect("draw");
            let rewrap = t.elapsed();

            frames.sort();
            let pct = |p: f64| frames[((frames.len() - 1) as f64 * p) as usize];
            println!(
                "thread of {n} (per_page {per_page}, {w}x{h}): open {open:.1?}, load all {all:.1?}; \
                 frame p50 {:.1?} p99 {:.1?} max {:.1?}; expand all {expand_all:.1?}; rewrap on resize {rewrap:.1?}; \
                 heap {:.1} MB loaded, {:.1} MB all expanded (peak {:.1} MB)",
                pct(0.5),
                pct(0.99),
                frames[frames.len() - 1],
                mb(loaded_heap),
                mb(expanded_heap),
                mb(PEAK.load(Ordering::Relaxed)),
            );
            drop(state);
        }
    });
}
