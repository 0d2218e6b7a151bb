//! The real binary in a pseudo-terminal with `[keys]` in its config.toml: the remapped keys do
//! the actions, the keys they replaced no longer do, the footer and `?` name the new keys, and a
//! mistake in `[keys]` stops the start with the line to fix.

mod common;

use common::pty::Tui;

const ROWS: u16 = 30;
const COLS: u16 = 100;

/// The screen row whose cells are drawn reversed (the selected list row).
fn selected_row(s: &vt100::Screen) -> Option<u16> {
    (2..s.size().0).find(|&r| s.cell(r, 2).is_some_and(|c| c.inverse()))
}

fn with_config(dir: &std::path::Path, text: &str) {
    let cfg = dir.join(".config/plannr-tui");
    std::fs::create_dir_all(&cfg).expect("config dir");
    std::fs::write(cfg.join("config.toml"), text).expect("config");
}

#[test]
fn remapped_keys_drive_the_app_and_the_old_keys_do_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    with_config(
        dir.path(),
        "[keys.mailboxes]\ndown = \"n\"\nopen = [\"l\"]\n\n[keys.global]\nquit = \"Q\"\n",
    );
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    let s = tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)") && selected_row(s) == Some(3)
    });
    assert!(
        s.contents().contains("l open mail"),
        "the footer names the new key:\n{}",
        s.contents()
    );

    // j is no longer down: after j then n the selection is one row down, not two.
    tui.send(b"j");
    tui.send(b"n");
    tui.wait_for("one row down", |s| selected_row(s) == Some(4));

    // Enter no longer opens; q no longer quits (keys are handled in order: the n after them
    // moves the selection on the Mailboxes pane of a running app).
    tui.send(b"\r");
    tui.send(b"q");
    tui.send(b"n");
    tui.wait_for("still on Mailboxes, one more row down", |s| {
        s.contents().contains("▸1 Mailboxes") && selected_row(s) == Some(5)
    });

    // ? lists the effective keys.
    tui.send(b"?");
    tui.wait_text("help with the new keys", |t| {
        t.contains("open Mail limited to this mailbox") && t.contains(" l ")
    });
    tui.send(b"x");
    tui.wait_text("help closed", |t| !t.contains("Keys: "));

    // l opens Mail for the selected mailbox.
    tui.send(b"l");
    tui.wait_for("Mail for that mailbox", |s| {
        s.contents().contains("▸2 Mail") && s.contents().contains("mailbox:")
    });

    // The palette lists the actions with their effective keys and runs the one chosen.
    tui.send(b":");
    tui.wait_text("the palette", |t| {
        t.contains("Commands") && t.contains("quit")
    });
    tui.send(b"previous pane");
    tui.wait_text("filtered to it", |t| t.contains("Shift-Tab"));
    tui.send(b"\r");
    tui.wait_for("back on Mailboxes", |s| {
        s.contents().contains("▸1 Mailboxes") && !s.contents().contains("Commands")
    });

    // Q quits.
    tui.send(b"Q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn a_mistake_in_keys_stops_the_start_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    with_config(dir.path(), "mouse = true\n\n[keys.mail]\nopen = \"Entr\"\n");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 2, "refused: {status:?}");
    let text = tui.screen().contents();
    assert!(
        text.contains("line 4: [keys.mail] open: “Entr” is not a key"),
        "{text}"
    );
}
