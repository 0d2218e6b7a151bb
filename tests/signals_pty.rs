//! The real binary in a pseudo-terminal, stopped by SIGTERM and SIGHUP while a contact form holds
//! typed text: the terminal must be handed back (main screen, cursor shown, cooked mode), the
//! typed text must be on disk as a draft, and the exit status must be 128 + the signal number.
#![cfg(unix)]

mod common;

use std::path::Path;

use common::pty::Tui;

const ROWS: u16 = 30;
const COLS: u16 = 110;

/// Every file under `dir`, recursively, with its contents.
fn files(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            out.push((p, text));
        }
    }
    out
}

/// Start the demo, open the first client's first contact detail in the form and type `typed`.
fn with_typed_draft(dir: &Path, typed: &str) -> Tui {
    let mut tui = Tui::start(dir, ROWS, COLS);
    tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)")
    });
    tui.send(b"4");
    tui.wait_for("the client list", |s| s.contents().contains("Clients ("));
    tui.send(b"\r");
    tui.wait_for("the client's contact details", |s| {
        s.contents().contains("@") && !s.contents().contains("loading")
    });
    // `e` may arrive while the list is still being settled: ask until the form is open.
    let start = std::time::Instant::now();
    while !tui.screen().contents().contains("Ctrl-S save") {
        assert!(
            start.elapsed() < common::pty::DEADLINE,
            "the form never opened:\n{}",
            tui.screen().contents()
        );
        tui.send(b"e");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    tui.send(typed.as_bytes());
    tui.wait_for("the typed text", |s| s.contents().contains(typed));
    tui
}

fn stopped_by(signal: i32, typed: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = with_typed_draft(dir.path(), typed);
    let pid = tui.pid().expect("child pid");
    // SAFETY: kill(2) on our own child's pid with a valid signal number.
    let rc = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(rc, 0, "signal sent");
    let status = tui.wait_exit();
    assert_eq!(
        status.exit_code(),
        128 + signal as u32,
        "exit status after signal {signal}: {status:?}"
    );
    let screen = tui.screen();
    assert!(!screen.alternate_screen(), "back on the main screen");
    assert!(!screen.hide_cursor(), "the cursor is visible again");
    assert!(!screen.bracketed_paste(), "bracketed paste is off again");
    assert_eq!(
        tui.cooked(),
        Some(true),
        "the terminal is back in cooked mode"
    );
    let drafts: Vec<_> = files(dir.path())
        .into_iter()
        .filter(|(p, text)| p.to_string_lossy().contains("drafts") && text.contains(typed))
        .collect();
    assert_eq!(
        drafts.len(),
        1,
        "one draft with the typed text on disk; files: {:?}",
        files(dir.path()).iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
}

#[test]
fn sigterm_flushes_the_draft_restores_the_terminal_and_exits_143() {
    stopped_by(libc::SIGTERM, "zqterm");
}

#[test]
fn sighup_flushes_the_draft_restores_the_terminal_and_exits_129() {
    stopped_by(libc::SIGHUP, "zqhup");
}

/// The process state letter from /proc (T = stopped), where there is a /proc.
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim().chars().next()
}

#[test]
fn ctrl_z_suspends_and_the_app_comes_back_whole_on_resume() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)")
    });
    let pid = tui.pid().expect("child pid");
    tui.send(b"\x1a");
    let screen = tui.wait_for("the shell's screen", |s| !s.alternate_screen());
    assert!(
        !screen.hide_cursor(),
        "the cursor is visible while suspended"
    );
    assert_eq!(tui.cooked(), Some(true), "cooked mode while suspended");
    let start = std::time::Instant::now();
    while proc_state(pid).is_some_and(|c| c != 'T') && start.elapsed() < common::pty::DEADLINE {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    if std::path::Path::new("/proc/self/stat").exists() {
        assert_eq!(proc_state(pid), Some('T'), "the process is stopped");
    }
    // The shell's `fg`.
    // SAFETY: kill(2) on our own child's pid with a valid signal number.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, libc::SIGCONT) }, 0);
    let screen = tui.wait_for("the app again", |s| {
        s.alternate_screen() && s.contents().contains("Mailboxes (5)")
    });
    assert!(screen.hide_cursor());
    assert_eq!(tui.cooked(), Some(false), "raw mode again");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn ctrl_l_repaints_a_screen_another_program_scribbled_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    let clean = tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)") && s.contents().contains("Harbour Wealth")
    });
    tui.scribble(b"\x1b[2J\x1b[5;5Hwall: system going down");
    assert!(tui.screen().contents().contains("going down"));
    tui.send(b"\x0c");
    let want: Vec<String> = clean
        .rows(0, COLS)
        .map(|r| r.trim_end().to_string())
        .filter(|r| r.contains("mailbox") || r.contains("Harbour"))
        .collect();
    assert!(want.len() >= 3, "{want:?}");
    tui.wait_for("the full repaint", |s| {
        let text = s.contents();
        !text.contains("going down") && want.iter().all(|r| text.contains(r.as_str()))
    });
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}
