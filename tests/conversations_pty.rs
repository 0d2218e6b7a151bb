//! The real binary with its demo server in a pseudo-terminal: open Conversations, rename one from
//! the keyboard, refresh, and read the new name back off the screen (the PTY harness is the one
//! in tests/common/pty.rs).
mod common;

use std::time::{Duration, Instant};

use common::pty::{DEADLINE, Tui};

const ROWS: u16 = 30;
const COLS: u16 = 120;

#[test]
fn rename_a_conversation_from_the_keyboard_in_the_real_binary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = Tui::start(dir.path(), ROWS, COLS);
    tui.wait_text("the app", |s| s.contains("Mailboxes"));
    tui.send(b"3");
    tui.wait_text("the conversation list", |s| {
        s.contains("Last message") && s.contains("Msgs")
    });
    // Rename the selected conversation: r, Ctrl-U (clear), type (q and digits are text), Enter.
    tui.send(b"r");
    tui.send(b"\x15");
    tui.send("Quarterly review 2025 — q3".as_bytes());
    tui.wait_text("the typed name in the editor", |s| {
        s.contains("Quarterly review 2025 — q3")
    });
    tui.send(b"\r");
    tui.wait_text("the server's confirmation", |s| {
        s.contains("Renamed to “Quarterly review 2025 — q3”")
    });
    // Reload from the server: the new name is listed.
    tui.send(b"R");
    tui.wait_text("the new name after a refresh", |s| {
        s.contains("Quarterly review 2025 — q3") && !s.contains("refreshing")
    });
    // Open it: the name is the title and messages are shown, newest at the bottom.
    tui.send(b"\r");
    let open = tui.wait_text("the open conversation", |s| {
        s.contains("Esc back") && !s.contains("Loading messages")
    });
    assert!(open.contains("Quarterly review 2025 — q3"), "{open}");
    tui.send(b"\x1b");
    tui.wait_text("back to the list", |s| s.contains("Last message"));
    tui.send(b"q");
    let start = Instant::now();
    while tui.child.try_wait().ok().flatten().is_none() {
        assert!(start.elapsed() < DEADLINE, "the app did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
}
