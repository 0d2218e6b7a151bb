//! Key→frame under a slow API: the demo server answers every request after 300 ms, the real
//! worker runs the requests, and a loop shaped like `main.rs::run` (one channel for input and
//! answers, drain what is pending, update each, draw once into a 120×40 buffer) reads the
//! 10,000-message thread while its pages, full messages and HTML conversions come in. Keys are
//! pressed every 25 ms; each key's time runs from the moment it is sent to the end of the draw
//! of the batch that held it. Keys must never wait on the network: the figures should be those
//! of a frame (about a millisecond), not of a request (300 ms).
//! Run: `cargo bench --bench slow_api [-- --latency-ms N --keys N]`. Prints figures; asserts
//! nothing.
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;

use plannr_tui::app::{self, Command, Msg, Settings, State};
use plannr_tui::demo::{DemoOptions, DemoServer};
use plannr_tui::ui;
use plannr_tui::worker::Worker;

#[path = "../tests/common/mod.rs"]
mod common;

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * p) as usize]
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the loop's one channel carries: input stamped with when it was sent, or a worker answer.
enum In {
    Key(Instant, Msg),
    Worker(Msg),
}

fn main() {
    let latency_ms = arg("--latency-ms", 300);
    let presses = arg("--keys", 400) as usize;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let server = DemoServer::start(DemoOptions {
            latency_ms,
            ..DemoOptions::default()
        })
        .await
        .expect("demo");
        let client = common::demo_client(&server, |cfg| cfg.requests_per_minute = 100_000);
        let uuid = server.fixtures().huge_thread_middle_message_uuid.clone();
        let (w, h) = (120u16, 40u16);
        let settings = Settings {
            thread_page_size: 25,
            ..Settings::default()
        };
        let mut state = State::new(settings, Some(server.account_uuid.clone()), (w, h));
        let _ = state.init();
        state.core.out.clear();
        state.core.pending.clear();
        state.tab = app::Tab::Mail;
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");

        // The worker answers into its own channel; a task forwards into the loop's one channel,
        // as `main.rs` has input and answers share one.
        let (in_tx, mut in_rx) = mpsc::unbounded_channel::<In>();
        let (msg_tx, mut msg_rx) = mpsc::unbounded_channel::<Msg>();
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel::<Command>();
        let fwd = in_tx.clone();
        tokio::spawn(async move {
            while let Some(m) = msg_rx.recv().await {
                if fwd.send(In::Worker(m)).is_err() {
                    break;
                }
            }
        });
        let worker = tokio::spawn(Worker::new(Arc::clone(&client), msg_tx).run(cmd_rx));
        let send = |cmds: Vec<Command>| {
            for c in cmds {
                let _ = cmd_tx.send(c);
            }
        };

        state.mail.open_thread(&uuid, &mut state.core);
        send(std::mem::take(&mut state.core.out));
        term.draw(|f| ui::draw(&state, f)).expect("draw");

        // A reader: lines, pages, messages, both ends, expanding, all while pages load.
        let keys = [
            KeyCode::Char('j'),
            KeyCode::Char('j'),
            KeyCode::Char('k'),
            KeyCode::PageDown,
            KeyCode::Char('n'),
            KeyCode::Char(' '),
            KeyCode::PageUp,
            KeyCode::Char('p'),
            KeyCode::Char('G'),
            KeyCode::PageUp,
            KeyCode::Char('g'),
            KeyCode::PageDown,
            KeyCode::Char('o'),
            KeyCode::Char('j'),
            KeyCode::Char('o'),
        ];
        let key_tx = in_tx.clone();
        let presser = tokio::spawn(async move {
            // Let the first screen come in, then press keys at a brisk reading pace.
            tokio::time::sleep(Duration::from_millis(latency_ms + 100)).await;
            for i in 0..presses {
                let k = KeyEvent::new(keys[i % keys.len()], KeyModifiers::NONE);
                if key_tx.send(In::Key(Instant::now(), Msg::Key(k))).is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        });
        drop(in_tx);

        let mut key_frames: Vec<Duration> = Vec::new();
        let mut in_flight_at_key = 0usize;
        let mut answers = 0usize;
        let mut frames = 0usize;
        let t0 = Instant::now();
        while key_frames.len() < presses {
            let Ok(Some(first)) = tokio::time::timeout(Duration::from_secs(30), in_rx.recv()).await
            else {
                break;
            };
            let mut batch = vec![first];
            while let Ok(m) = in_rx.try_recv() {
                batch.push(m);
            }
            let mut stamps = Vec::new();
            for item in batch {
                let msg = match item {
                    In::Key(at, m) => {
                        stamps.push(at);
                        if state.core.in_flight() > 0 {
                            in_flight_at_key += 1;
                        }
                        m
                    }
                    In::Worker(m) => {
                        answers += 1;
                        m
                    }
                };
                send(app::update(&mut state, msg));
            }
            term.draw(|f| ui::draw(&state, f)).expect("draw");
            frames += 1;
            key_frames.extend(stamps.iter().map(|at| at.elapsed()));
        }
        let wall = t0.elapsed();
        presser.abort();
        drop(cmd_tx);
        worker.abort();
        let requests = server.requests().len();
        let loaded = state.mail.thread.as_ref().map(|t| t.loaded()).unwrap_or(0);
        let n = key_frames.len();
        let (p50, p99, max) = (
            pct(&mut key_frames, 0.5),
            pct(&mut key_frames, 0.99),
            pct(&mut key_frames, 1.0),
        );
        let load = std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|s| s.split_whitespace().next().map(str::to_string))
            .unwrap_or_else(|| "unknown".into());
        println!(
            "key→frame at {latency_ms} ms API latency (load average {load}; 10,000-message thread opened in the middle, per_page 25, 120x40, \
             a key every 25 ms): {n} keys, {in_flight_at_key} of them pressed while requests were in flight; \
             p50 {p50:.2?} p99 {p99:.2?} max {max:.2?}; {answers} answers and {frames} frames in {wall:.1?}, \
             {requests} requests, {loaded} messages loaded"
        );
        println!("FIGURE slow_api_key_frame_p50_ms {:.3}", p50.as_secs_f64() * 1e3);
        println!("FIGURE slow_api_key_frame_p99_ms {:.3}", p99.as_secs_f64() * 1e3);
    });
}
