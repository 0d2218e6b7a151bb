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

use plannr_tui::api::outreach::{OutreachClient, OutreachConfig};
use plannr_tui::api::{Client, ClientConfig, Secret};
use plannr_tui::app::{self, Command, Msg, Settings, State};
use plannr_tui::config::{self, Cli, Sub};
use plannr_tui::demo::outreach::{OutreachDemo, OutreachOptions};
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
    if let Some(Sub::OutreachLogin { port, scope }) = &cli.command {
        return outreach_login(&cli, &runtime, *port, scope);
    }
    if let Some(Sub::DemoServer {
        port,
        latency_ms,
        fail_rate,
        ancestor_pages,
        descendant_pages,
        outreach_port,
        invisible,
    }) = cli.command
    {
        let opts = DemoOptions {
            port,
            latency_ms,
            fail_rate: fail_rate.clamp(0.0, 1.0),
            ancestor_pages,
            descendant_pages,
            invisible,
            ..DemoOptions::default()
        };
        let outreach = OutreachOptions {
            port: outreach_port,
            latency_ms,
            fail_rate: fail_rate.clamp(0.0, 1.0),
            ..OutreachOptions::default()
        };
        return match runtime.block_on(plannr_tui::demo::run_standalone(opts, outreach)) {
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
    mouse::set_wanted(file.mouse.unwrap_or(true));
    let keys = match config::keys::keymap(&file, config_path.as_deref()) {
        Ok(k) => std::sync::Arc::new(k),
        Err(e) => return refuse(e),
    };

    // The demo server (if any) must live as long as the UI.
    let mut _demo: Option<DemoServer> = None;
    let mut _outreach_demo: Option<OutreachDemo> = None;
    let (client_cfg, outreach_cfg, mut settings) = if cli.demo {
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
        let outreach = match runtime.block_on(OutreachDemo::start(OutreachOptions::default())) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("plannr-tui: cannot start the Outreach demo server: {e}");
                return ExitCode::FAILURE;
            }
        };
        let outreach_cfg = OutreachConfig::new(
            outreach.base_url.clone(),
            Some(Secret::new(outreach.token.clone())),
        );
        _outreach_demo = Some(outreach);
        // Demo drafts are kept apart from real ones.
        let drafts_dir = config::project_dirs().map(|d| d.data_dir().join("demo-drafts"));
        (
            Some(cfg),
            Some(outreach_cfg),
            Settings {
                drafts_dir,
                download_dir: file.download_dir.clone(),
                ..Settings::default()
            },
        )
    } else {
        match config::resolve(&cli, &env, &file, config_path.as_deref()) {
            Ok(r) => (r.client, r.outreach, r.settings),
            Err(e) => return refuse(e),
        }
    };
    settings.keys = keys;
    settings.plannr = client_cfg.is_some();
    settings.outreach = outreach_cfg.is_some();
    let outreach = match outreach_cfg.map(OutreachClient::new).transpose() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("plannr-tui: Outreach: {e}");
            return ExitCode::from(2);
        }
    };
    // With only Outreach set up no Plannr call is ever made (its panes are hidden); the Plannr
    // client then has no token and no account.
    let client_cfg =
        client_cfg.unwrap_or_else(|| ClientConfig::new(config::DEFAULT_BASE_URL, Secret::new("")));
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
    // After a 401, R reads the token again the way it was found (not in the demo).
    let token_reader = (!cli.demo).then(|| config::TokenReader::new(&cli, config_path.clone()));
    let result = runtime.block_on(run(client, outreach, token_reader, settings, account));
    restore_terminal();
    drop(_demo);
    drop(_outreach_demo);
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(signal)) => {
            tracing::info!(
                signal,
                "stopped by a signal; drafts flushed, terminal restored"
            );
            // The shell's convention for "ended by signal N".
            ExitCode::from(u8::try_from(128 + signal).unwrap_or(1))
        }
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

/// `plannr-tui outreach-login`: the browser sign-in; prints the URL and where the tokens went.
fn outreach_login(
    cli: &Cli,
    runtime: &tokio::runtime::Runtime,
    port: u16,
    scope: &str,
) -> ExitCode {
    use plannr_tui::api::outreach::login::{LoginOptions, login};
    let config_path = cli.config.clone().or_else(config::default_config_path);
    let file = match config_path.as_deref().map(config::load_file).transpose() {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => return refuse(e),
    };
    let env = |k: &str| std::env::var(k).ok();
    let base_url = match config::outreach_base_url(cli, &env, &file) {
        Ok(u) => u,
        Err(e) => return refuse(e),
    };
    let app = match config::outreach_app(&file) {
        Ok(Some(app)) => app,
        Ok(None) => {
            return refuse(config::ConfigError(format!(
                "outreach-login needs client_id and client_secret (or client_secret_command) under [outreach] in {}",
                config_path
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "config.toml".into())
            )));
        }
        Err(e) => return refuse(e),
    };
    let opts = LoginOptions {
        base_url,
        app,
        port,
        scope: scope.to_string(),
        timeout: std::time::Duration::from_secs(300),
    };
    let result = runtime.block_on(login(&opts, |url| {
        println!("Open this URL in your browser to let plannr-tui use Outreach:\n\n  {url}\n");
        println!(
            "Waiting for the redirect to http://127.0.0.1:{}/callback (5 minutes)…",
            if port == 0 {
                "PORT".to_string()
            } else {
                port.to_string()
            }
        );
    }));
    match result {
        Ok(done) => {
            println!(
                "Signed in to Outreach (scopes: {}). Tokens saved to {} (mode 600).",
                done.scope.as_deref().unwrap_or("as granted"),
                done.token_file.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("plannr-tui outreach-login: {e}");
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
        // Unsaved texts first: the terminal can wait, the user's words cannot.
        plannr_tui::drafts_guard::flush_all_drafts();
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
        // Always: a terminal left reporting the mouse prints garbage at the shell prompt.
        crossterm::event::DisableMouseCapture,
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
        Event::Mouse(event) => Some(Msg::Mouse {
            event,
            at_ms: mouse::now_ms(),
        }),
        _ => None,
    }
}

use plannr_tui::api::http::unix_now;

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

/// What the process was told by a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sig {
    /// Stop for good (SIGTERM, SIGHUP, SIGINT, SIGQUIT): flush drafts, restore the terminal, exit
    /// with 128 + the signal number.
    Exit(i32),
    /// SIGTSTP from outside (Ctrl-Z itself arrives as a key in raw mode).
    Suspend,
    /// SIGCONT: the shell resumed us; the terminal may be in any state.
    Resumed,
}

/// Forward the signals the app handles into `tx`, one task per signal. Registered only while the
/// UI owns the terminal: before and after, the default actions apply.
#[cfg(unix)]
fn watch_signals(tx: mpsc::UnboundedSender<Sig>) -> io::Result<Vec<tokio::task::JoinHandle<()>>> {
    use tokio::signal::unix::{SignalKind, signal};
    let kinds = [
        (SignalKind::terminate(), Sig::Exit(libc::SIGTERM)),
        (SignalKind::hangup(), Sig::Exit(libc::SIGHUP)),
        (SignalKind::interrupt(), Sig::Exit(libc::SIGINT)),
        (SignalKind::quit(), Sig::Exit(libc::SIGQUIT)),
        (SignalKind::from_raw(libc::SIGTSTP), Sig::Suspend),
        (SignalKind::from_raw(libc::SIGCONT), Sig::Resumed),
    ];
    let mut tasks = Vec::new();
    for (kind, sig) in kinds {
        let mut stream = signal(kind)?;
        let tx = tx.clone();
        tasks.push(tokio::spawn(async move {
            while stream.recv().await.is_some() {
                if tx.send(sig).is_err() {
                    return;
                }
            }
        }));
    }
    Ok(tasks)
}

#[cfg(not(unix))]
fn watch_signals(_tx: mpsc::UnboundedSender<Sig>) -> io::Result<Vec<tokio::task::JoinHandle<()>>> {
    Ok(Vec::new())
}

/// Take over the terminal: raw mode, alternate screen, bracketed paste.
fn enter_terminal() -> io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableBracketedPaste
    )?;
    mouse::enter()
}

/// Mouse reporting: on unless `mouse = false` in the config; `restore_terminal` always turns it
/// off again (exit, panic, signal, suspend).
mod mouse {
    use std::sync::atomic::{AtomicBool, Ordering};

    static WANTED: AtomicBool = AtomicBool::new(true);
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

    pub fn set_wanted(on: bool) {
        WANTED.store(on, Ordering::Relaxed);
    }

    pub fn enter() -> std::io::Result<()> {
        if WANTED.load(Ordering::Relaxed) {
            crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
        }
        Ok(())
    }

    /// Milliseconds since the first event (monotonic), to tell a double-click.
    pub fn now_ms() -> u64 {
        let start = START.get_or_init(std::time::Instant::now);
        u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// Give the terminal back and stop like Ctrl-Z would (the whole process group, as the terminal
/// does); when the shell resumes us, take the terminal again. The caller redraws every cell.
fn suspend() -> io::Result<()> {
    restore_terminal();
    #[cfg(unix)]
    {
        use std::io::Write;
        let _ = io::stdout().flush();
        // SIGSTOP, not SIGTSTP: our own SIGTSTP handler would only bring us back here.
        // SAFETY: kill(2) with pid 0 (our process group) and a valid signal number.
        unsafe {
            libc::kill(0, libc::SIGSTOP);
        }
    }
    enter_terminal()
}

type Term = ratatui::Terminal<ratatui::backend::CrosstermBackend<io::Stdout>>;

/// Clear the screen and draw every cell again (Ctrl-L, after a resume). Not `Terminal::clear`:
/// it asks the terminal for the cursor position, whose answer the input task reads first.
/// Instead: clear the screen, draw a blank frame (ratatui now believes the screen is blank,
/// which it is), then the real one, which therefore writes every cell that is not blank.
fn redraw_all(terminal: &mut Term, state: &State) -> io::Result<()> {
    execute!(
        terminal.backend_mut(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    terminal.draw(|_| {})?;
    terminal.draw(|f| ui::draw(state, f))?;
    Ok(())
}

/// The event loop: wait for input or a worker answer, drain everything pending, update, then draw
/// once. No periodic tick: timers exist only while something needs them. Returns the number of
/// the signal that ended it, if one did.
async fn run(
    client: Arc<Client>,
    outreach: Option<Arc<OutreachClient>>,
    token_reader: Option<config::TokenReader>,
    settings: Settings,
    account: Option<String>,
) -> io::Result<Option<i32>> {
    // Set up by hand rather than with ratatui::try_init, whose panic hook would restore the
    // terminal even for a contained panic (see `install_panic_hook`).
    enter_terminal()?;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout()))?;
    let (msg_tx, mut msg_rx) = mpsc::unbounded_channel::<Msg>();
    let input_tx = msg_tx.clone();
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel::<Command>();
    let (sig_tx, mut sig_rx) = mpsc::unbounded_channel::<Sig>();
    // Keep a sender: with no signal tasks (not unix) the channel must not read as closed.
    let signals = watch_signals(sig_tx.clone())?;
    let worker = tokio::spawn(
        Worker::new(client, msg_tx)
            .with_outreach(outreach)
            .with_token_reader(token_reader)
            .run(cmd_rx),
    );

    let size = terminal.size()?;
    let mut state = State::new(settings, account, (size.width, size.height));
    // Commands for the terminal itself are done here (it belongs to this loop); the rest go to
    // the worker. Returns (redraw everything, suspend).
    let send = |cmds: Vec<Command>| {
        let (mut redraw, mut stop) = (false, false);
        for c in cmds {
            match c {
                // Write the clipboard sequence between draws.
                Command::Osc52(payload) => {
                    use std::io::Write;
                    let mut out = io::stdout();
                    let _ = write!(out, "\x1b]52;c;{payload}\x07");
                    let _ = out.flush();
                }
                Command::Redraw => redraw = true,
                Command::Suspend => stop = true,
                c => {
                    let _ = cmd_tx.send(c);
                }
            }
        }
        (redraw, stop)
    };
    send(state.init());
    state.core.now = unix_now();
    // Terminal input is forwarded by its own task into the same channel as the worker's answers,
    // so the loop waits on one channel and can drain everything pending without polling.
    let input = tokio::spawn(forward_input(input_tx));
    terminal.draw(|f| ui::draw(&state, f))?;
    let mut ended_by = None;
    // A terminal error ends the loop like a signal does: drafts are still flushed below.
    let outcome: io::Result<()> = loop {
        // While a time that changes with the clock is on screen, wake when the minute turns.
        let tick = ui::shows_time(&state).then(|| plannr_tui::clock::until_next_minute(unix_now()));
        let first = tokio::select! {
            biased;
            sig = sig_rx.recv() => match sig {
                Some(Sig::Exit(n)) => {
                    ended_by = Some(n);
                    break Ok(());
                }
                Some(Sig::Suspend) => {
                    if let Err(e) = suspend().and_then(|()| redraw_all(&mut terminal, &state)) {
                        break Err(e);
                    }
                    continue;
                }
                Some(Sig::Resumed) => {
                    if let Err(e) = enter_terminal().and_then(|()| redraw_all(&mut terminal, &state)) {
                        break Err(e);
                    }
                    continue;
                }
                None => continue,
            },
            m = msg_rx.recv() => match m {
                Some(m) => Some(m),
                None => break Ok(()),
            },
            _ = tokio::time::sleep(std::time::Duration::from_secs(tick.unwrap_or(0))), if tick.is_some() => None,
        };
        let mut batch: Vec<Msg> = first.into_iter().collect();
        while let Ok(m) = msg_rx.try_recv() {
            batch.push(m);
        }
        state.core.now = unix_now();
        let (mut redraw, mut stop) = (false, false);
        for msg in batch {
            let (r, s) = send(app::update(&mut state, msg));
            redraw |= r;
            stop |= s;
        }
        // What a crash or a signal must still save (see `drafts_guard`).
        plannr_tui::drafts_guard::remember(
            state.core.settings.drafts_dir.clone(),
            state.unsaved_drafts(),
        );
        if state.quit {
            break Ok(());
        }
        let drawn = if stop {
            suspend().and_then(|()| redraw_all(&mut terminal, &state))
        } else if redraw {
            redraw_all(&mut terminal, &state)
        } else {
            terminal.draw(|f| ui::draw(&state, f)).map(|_| ())
        };
        if let Err(e) = drawn {
            break Err(e);
        }
    };
    if !state.quit {
        // Ended by a signal or a broken terminal: write every unsaved text now, synchronously
        // (`drafts_guard`, as the panic hook does), then also take the normal quit path so the
        // panes flush theirs through the worker; draw nothing more (after SIGHUP there is no
        // terminal).
        plannr_tui::drafts_guard::remember(
            state.core.settings.drafts_dir.clone(),
            state.unsaved_drafts(),
        );
        let written = plannr_tui::drafts_guard::flush_all_drafts();
        tracing::info!(written, "drafts written before stopping");
        send(app::update(&mut state, Msg::Terminate));
    }
    input.abort();
    for s in signals {
        s.abort();
    }
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
    outcome.map(|()| ended_by)
}
