//! The real binary in a pseudo-terminal driven by the mouse (SGR reports, as xterm sends them):
//! the wheel moves the selection, a click switches tab or selects a row, a double-click opens,
//! and the terminal's mouse mode is off again after exit. `mouse = false` leaves it off.

mod common;

use common::pty::Tui;

const ROWS: u16 = 30;
const COLS: u16 = 100;

/// An SGR mouse report: `button` as xterm numbers it, at 0-based (`x`, `y`).
fn sgr(button: u8, x: u16, y: u16, press: bool) -> Vec<u8> {
    format!(
        "\x1b[<{button};{};{}{}",
        x + 1,
        y + 1,
        if press { 'M' } else { 'm' }
    )
    .into_bytes()
}

fn click(tui: &Tui, x: u16, y: u16) {
    tui.send(&sgr(0, x, y, true));
    tui.send(&sgr(0, x, y, false));
}

/// The screen row whose cells are drawn reversed (the selected list row).
fn selected_row(s: &vt100::Screen) -> Option<u16> {
    (2..s.size().0).find(|&r| s.cell(r, 2).is_some_and(|c| c.inverse()))
}

#[test]
fn wheel_click_and_double_click_drive_the_app_and_the_mouse_mode_is_restored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    let s = tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)") && selected_row(s) == Some(3)
    });
    assert_ne!(
        s.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting is on while running"
    );

    // One wheel notch down over the list: three rows.
    tui.send(&sgr(65, 10, 8, true));
    tui.wait_for("the selection three rows down", |s| {
        selected_row(s) == Some(6)
    });
    tui.send(&sgr(64, 10, 8, true));
    tui.wait_for("and back up", |s| selected_row(s) == Some(3));

    // A click on a row selects it.
    click(&tui, 10, 5);
    tui.wait_for("the clicked row selected", |s| selected_row(s) == Some(5));

    // A click on a tab label switches pane.
    click(&tui, 33, 0);
    tui.wait_for("the Conversations tab", |s| {
        s.contents().contains("▸3 Conversations")
    });
    click(&tui, 12, 0);
    tui.wait_for("back on Mailboxes", |s| {
        s.contents().contains("▸1 Mailboxes")
    });

    // A double-click on a mailbox opens its mail.
    click(&tui, 10, 4);
    click(&tui, 10, 4);
    tui.wait_for("Mail for that mailbox", |s| {
        s.contents().contains("▸2 Mail") && s.contents().contains("mailbox:")
    });

    tui.send(b"\x03");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_eq!(
        tui.screen().mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting is off again after exit"
    );
}

#[test]
fn mouse_false_in_the_config_leaves_the_mouse_to_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = dir.path().join(".config/plannr-tui");
    std::fs::create_dir_all(&cfg).expect("config dir");
    std::fs::write(cfg.join("config.toml"), "mouse = false\n").expect("config");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    let s = tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)")
    });
    assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
    tui.send(b"\x03");
    assert!(tui.wait_exit().success());
}

/// The Outreach pane's lists answer the mouse too: its tab label switches to it, the wheel and a
/// click move the selection, a double-click opens a mailbox's mailings and then a mailing.
#[test]
fn the_outreach_lists_answer_the_mouse() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    tui.wait_for("the mailbox list", |s| {
        s.contents().contains("Mailboxes (5)")
    });
    // " plannr " then " 1 Mailboxes  2 Mail  3 Conversations  4 Contacts  5 Outreach ".
    click(&tui, 61, 0);
    tui.wait_for("the Outreach mailboxes", |s| {
        s.contents().contains("▸5 Outreach")
            && s.contents().contains("Outreach mailboxes (6)")
            && selected_row(s) == Some(3)
    });
    tui.send(&sgr(65, 10, 6, true));
    tui.wait_for("the selection three rows down", |s| {
        selected_row(s) == Some(6)
    });
    click(&tui, 10, 5);
    tui.wait_for("the clicked row selected", |s| selected_row(s) == Some(5));
    click(&tui, 10, 3);
    click(&tui, 10, 3);
    tui.wait_for("that mailbox's mailings", |s| {
        s.contents().contains("Mailings of") && selected_row(s) == Some(3)
    });
    click(&tui, 10, 4);
    tui.wait_for("a mailing selected", |s| selected_row(s) == Some(4));
    click(&tui, 10, 4);
    tui.wait_for("the mailing open", |s| {
        s.contents().contains(" From ") && s.contents().contains(" State ")
    });
    tui.send(b"\x03");
    assert!(tui.wait_exit().success());
}
