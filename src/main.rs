//! plannr-tui: CLI parsing, terminal setup/restore, and the event loop that wires state, drawing
//! and the background worker together.
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use crossterm::execute;
use futures::StreamExt;
use tokio::sync::mpsc;

use plannr_tui::api::{Client, ClientConfig, Secret};
use plannr_tui::app::{self, Command, Msg, Settings, State};
use plannr_tui::config::{self, Cli, Sub};
use plannr_tui::demo::{DemoOptions, DemoServer};
use plannr_tui::{ui, worker::Worker};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Sub::Completions { shell }) => {
            config::write_completions(shell, &mut io::stdout());
            return ExitCode::SUCCESS;
        }
        Some(Sub::Man) => {
            return match config::write_man(&mut io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("plannr-tui man: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    // Times are shown in the zone the user runs with (`TZ`, else the system's).
    plannr_tui::clock::set_zone(jiff::tz::TimeZone::system());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("plannr-tui: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(Sub::DemoServer {
        port,
        latency_ms,
        fail_rate,
    }) = cli.command
    {
        let opts = DemoOptions {
            port,
            latency_ms,
            fail_rate: fail_rate.clamp(0.0, 1.0),
            ..DemoOptions::default()
        };
        return match runtime.block_on(plannr_tui::demo::run_standalone(opts)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("plannr-tui demo-server: {e}");
                ExitCode::FAILURE
            }
        };
    }

    let log_path = cli
        .log_file
        .clone()
        .unwrap_or_else(config::default_log_path);
    init_logging(&log_path);

    // The file's look and feel (theme, colours, download folder) applies to --demo too; its
    // connection settings do not.
    let config_path = cli.config.clone().or_else(config::default_config_path);
    let file = match config_path.as_deref().map(config::load_file).transpose() {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => return refuse(e),
    };
    let env = |k: &str| std::env::var(k).ok();
    match config::resolve_theme(&cli, &env, &file, config_path.as_deref()) {
        Ok(theme) => ui::theme::set(theme),
        Err(e) => return refuse(e),
    }

    // The demo server (if any) must live as long as the UI.
    let mut _demo: Option<DemoServer> = None;
    let (client_cfg, settings) = if cli.demo {
        let server = match runtime.block_on(DemoServer::start(DemoOptions::default())) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("plannr-tui: cannot start the demo server: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut cfg = ClientConfig::new(server.base_url.clone(), Secret::new(server.token.clone()));
        cfg.account_uuid = Some(server.account_uuid.clone());
        _demo = Some(server);
        // Demo drafts are kept apart from real ones.
        let drafts_dir = config::project_dirs().map(|d| d.data_dir().join("demo-drafts"));
        (
            cfg,
            Settings {
                drafts_dir,
                download_dir: file.download_dir.clone(),
                ..Settings::default()
            },
        )
    } else {
        match config::resolve(&cli, &env, &file, config_path.as_deref()) {
            Ok(r) => (r.client, r.settings),
            Err(e) => return refuse(e),
        }
    };
    let account = client_cfg.account_uuid.clone();
    let client = match Client::new(client_cfg) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("plannr-tui: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(base = client.base_url(), "starting");

    install_panic_hook(log_path.clone());
    let result = runtime.block_on(run(client, settings, account));
    restore_terminal();
    drop(_demo);
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("terminal error: {e}");
            eprintln!(
                "plannr-tui: terminal error: {e} (log: {})",
                log_path.display()
            );
            ExitCode::FAILURE
        }
    }
}

fn refuse(e: config::ConfigError) -> ExitCode {
    eprintln!("plannr-tui: {e}");
    ExitCode::from(2)
}

/// Log to a file, never to the terminal. If the file cannot be opened, log nowhere.
fn init_logging(path: &PathBuf) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let file = match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        Ok(f) => f,
        Err(_) => return,
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PLANNR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("plannr_tui=info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
}

/// On panic: restore the terminal first, then print the message and where the log is, and exit
/// (a UI whose terminal was restored cannot go on). A panic inside `worker::contain` (conversion
/// of untrusted content, caught by its caller) is only logged.
fn install_panic_hook(log_path: PathBuf) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if plannr_tui::worker::panic_is_contained() {
            tracing::error!("contained panic: {info}");
            return;
        }
        restore_terminal();
        previous(info);
        tracing::error!("panic: {info}");
        eprintln!("plannr-tui crashed. The log is at {}", log_path.display());
        std::process::exit(101);
    }));
}

/// Leave raw mode and the alternate screen, turn bracketed paste off and show the cursor. Safe to
/// call more than once.
fn restore_terminal() {
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Paste(s) => Some(Msg::Paste(s)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it).
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Read terminal events and forward them as messages until the app hangs up.
async fn forward_input(tx: mpsc::UnboundedSender<Msg>) {
    let mut events = EventStream::new();
    let mut errors = 0;
    while let Some(ev) = events.next().await {
        match ev {
            Ok(ev) => {
                errors = 0;
                if let Some(m) = to_msg(ev)
                    && tx.send(m).is_err()
                {
                    return;
                }
            }
            Err(e) => {
                tracing::warn!("terminal input error: {e}");
                errors += 1;
                if errors > 100 {
                    return;
                }
            }
        }
    }
}

/// The event loop: wait for input or a worker answer, drain everything pending, update, then draw
/// once. No periodic tick: timers exist only while something needs them.
async fn run(client: Arc<Client>, settings: Settings, account: Option<String>) -> io::Result<()> {
    // Set up by hand rather than with ratatui::try_init, whose panic hook would restore the
    // terminal even for a contained panic (see `install_panic_hook`).
    crossterm::terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableBracketedPaste
    )?;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout()))?;
    let (msg_tx, mut msg_rx) = mpsc::unbounded_channel::<Msg>();
    let input_tx = msg_tx.clone();
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel::<Command>();
    let worker = tokio::spawn(Worker::new(client, msg_tx).run(cmd_rx));

    let size = terminal.size()?;
    let mut state = State::new(settings, account, (size.width, size.height));
    let send = |cmds: Vec<Command>| {
        for c in cmds {
            match c {
                // The terminal belongs to this loop: write the clipboard sequence here, between draws.
                Command::Osc52(payload) => {
                    use std::io::Write;
                    let mut out = io::stdout();
                    let _ = write!(out, "\x1b]52;c;{payload}\x07");
                    let _ = out.flush();
                }
                c => {
                    let _ = cmd_tx.send(c);
                }
            }
        }
    };
    send(state.init());
    state.core.now = unix_now();
    // Terminal input is forwarded by its own task into the same channel as the worker's answers,
    // so the loop waits on one channel and can drain everything pending without polling.
    let input = tokio::spawn(forward_input(input_tx));
    terminal.draw(|f| ui::draw(&state, f))?;
    loop {
        // While a time that changes with the clock is on screen, wake when the minute turns.
        let tick = ui::shows_time(&state).then(|| plannr_tui::clock::until_next_minute(unix_now()));
        let first = tokio::select! {
            m = msg_rx.recv() => match m {
                Some(m) => Some(m),
                None => break,
            },
            _ = tokio::time::sleep(std::time::Duration::from_secs(tick.unwrap_or(0))), if tick.is_some() => None,
        };
        let mut batch: Vec<Msg> = first.into_iter().collect();
        while let Ok(m) = msg_rx.try_recv() {
            batch.push(m);
        }
        state.core.now = unix_now();
        for msg in batch {
            send(app::update(&mut state, msg));
        }
        if state.quit {
            break;
        }
        terminal.draw(|f| ui::draw(&state, f))?;
    }
    input.abort();
    // Let the worker drain what update asked for last (a quit flushes contact drafts) and finish
    // draft writes; API calls still in flight are abandoned.
    drop(cmd_tx);
    let mut worker = worker;
    if tokio::time::timeout(std::time::Duration::from_secs(3), &mut worker)
        .await
        .is_err()
    {
        tracing::warn!("the worker did not finish in 3 s; some draft writes may be lost");
        worker.abort();
    }
    Ok(())
}
