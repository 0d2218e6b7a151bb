//! The real binary: in a pseudo-terminal against its bundled demo server (screen read back through
//! a vt100 parser), and its refusal paths as a plain child process. The host environment never
//! leaks in: every child starts from an empty environment with HOME and PATH in a temp dir.

mod common;

use std::path::Path;
use std::process::Command;

use common::pty::{BIN, Tui};

const ROWS: u16 = 30;
const COLS: u16 = 100;

/// Row `row` of the screen as text.
fn row_text(screen: &vt100::Screen, row: u16) -> String {
    screen
        .rows(0, screen.size().1)
        .nth(row as usize)
        .unwrap_or_default()
}

/// Background colour of the first cell of `label` on the tab bar (row 0).
fn tab_bg(screen: &vt100::Screen, label: &str) -> Option<vt100::Color> {
    let text = row_text(screen, 0);
    let byte = text.find(label)?;
    let col = text[..byte].chars().count() as u16;
    screen.cell(0, col).map(|c| c.bgcolor())
}

#[test]
fn demo_session_in_a_pty_draws_navigates_and_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);

    // At 100 columns the names get their room first (issue 15): the 24-character name is whole.
    let screen = tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)") && s.contents().contains("Harbour Wealth enquiries")
    });
    assert!(
        screen.alternate_screen(),
        "the UI runs on the alternate screen"
    );
    assert!(screen.hide_cursor(), "the cursor is hidden while drawing");
    assert!(
        screen.bracketed_paste(),
        "bracketed paste is on while running"
    );
    assert!(row_text(&screen, 0).contains("1 Mailboxes"));
    let selected = tab_bg(&screen, "1 Mailboxes");
    assert_ne!(selected, tab_bg(&screen, "3 Conversations"));

    // Wider terminal: the app redraws on SIGWINCH and the whole name fits.
    tui.resize(ROWS, 120);
    tui.wait_for("the full name after a resize", |s| {
        s.contents().contains("Harbour Wealth enquiries")
    });

    tui.send(b"?");
    let help = tui.wait_for("the help overlay", |s| {
        s.contents().contains("Keys: Mailboxes") && s.contents().contains("any other key closes")
    });
    assert!(
        help.contents().contains("rename the mailbox"),
        "pane keys listed"
    );
    assert!(
        help.contents().contains("quit from anywhere"),
        "global keys listed"
    );

    tui.send(b"x");
    tui.wait_for("the help overlay to close", |s| {
        !s.contents().contains("any other key closes")
            && s.contents().contains("Harbour Wealth enquiries")
    });

    tui.send(b"3");
    let conv = tui.wait_for("the Conversations tab", |s| {
        tab_bg(s, "3 Conversations") == selected
            && !s.contents().contains("Harbour Wealth enquiries")
    });
    assert_ne!(
        tab_bg(&conv, "1 Mailboxes"),
        selected,
        "only one tab is highlighted"
    );

    tui.send(b"?");
    tui.wait_for("the Conversations help", |s| {
        s.contents().contains("Keys: Conversations")
    });
    tui.send(b"q"); // closes help, does not quit
    tui.wait_for("help closed", |s| {
        !s.contents().contains("any other key closes")
    });

    tui.send(b"1");
    tui.wait_for("back on Mailboxes", |s| {
        tab_bg(s, "1 Mailboxes") == selected && s.contents().contains("Harbour Wealth enquiries")
    });

    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let screen = tui.screen();
    assert!(!screen.alternate_screen(), "back on the main screen");
    assert!(!screen.hide_cursor(), "the cursor is visible again");
    assert!(!screen.bracketed_paste(), "bracketed paste is off again");
    let log = std::fs::read_to_string(dir.path().join("log")).unwrap_or_default();
    assert!(log.contains("starting"), "logged to --log-file: {log:?}");
    assert!(!log.contains("demo-token"), "the token is never logged");
}

#[test]
fn ctrl_c_quits_and_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)")
    });
    tui.send(b"2"); // a pane where `q` would not be the first thing pressed
    tui.send(b"\x03");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let screen = tui.screen();
    assert!(!screen.alternate_screen() && !screen.hide_cursor() && !screen.bracketed_paste());
}

/// The binary with an empty environment (HOME and PATH in a temp dir) and these arguments.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("HOME", dir)
        .env("PATH", dir)
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run the binary")
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn configuration_refusals_exit_2_with_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let log = d.join("log");
    let log = log.to_str().expect("utf-8 temp path");
    let missing = d.join("nope/config.toml");
    let missing = missing.to_str().expect("utf-8 temp path");

    let out = run(d, &["--config", missing, "--log-file", log], &[]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "no token: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    assert!(
        err.contains("--demo") && err.contains("PLANNR_TOKEN"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing drawn: {:?}", out.stdout);

    // The same refusal comes from the environment alone: PLANNR_TOKEN set but empty.
    let out = run(
        d,
        &["--config", missing, "--log-file", log],
        &[("PLANNR_TOKEN", "  ")],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));

    let out = run(
        d,
        &[
            "--base-url",
            "http://example.com",
            "--token",
            "x-secret",
            "--config",
            missing,
            "--log-file",
            log,
        ],
        &[],
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "plain http: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
    assert!(
        err.contains("https") && err.contains("example.com"),
        "{err}"
    );
    assert!(!err.contains("x-secret"), "the token is not echoed: {err}");

    // A config file holding a token must not be readable by others.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let cfg = d.join("config.toml");
        std::fs::write(&cfg, "token = \"file-secret\"\n").expect("write config");
        std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let cfg = cfg.to_str().expect("utf-8 temp path");
        let out = run(d, &["--config", cfg, "--log-file", log], &[]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("chmod 600") && !err.contains("file-secret"),
            "{err}"
        );
    }

    let out = run(d, &["--version"], &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let version = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        version.trim(),
        format!("plannr-tui {}", env!("CARGO_PKG_VERSION"))
    );

    let out = run(d, &["--no-such-flag"], &[]);
    assert_eq!(out.status.code(), Some(2), "clap usage errors exit 2 too");
}
