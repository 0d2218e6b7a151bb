//! The real binary with its demo server in a pseudo-terminal: open Conversations, rename one from
//! the keyboard, refresh, and read the new name back off the screen. (A trimmed copy of the PTY
//! harness in e2e_pty.rs, kept here so the two files merge independently.)
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_plannr-tui");
const ROWS: u16 = 30;
const COLS: u16 = 120;
const DEADLINE: Duration = Duration::from_secs(20);

struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Tui {
    fn start(dir: &Path) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.env_clear();
        cmd.env("HOME", dir);
        cmd.env("PATH", dir);
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(dir);
        cmd.args(["--demo", "--log-file"]);
        cmd.arg(dir.join("log"));
        let child = pty.slave.spawn_command(cmd).expect("spawn the binary");
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let writer: Arc<Mutex<Box<dyn Write + Send>>> =
            Arc::new(Mutex::new(pty.master.take_writer().expect("pty writer")));
        let mut input = pty.master.try_clone_reader().expect("pty reader");
        let (p, w) = (parser.clone(), writer.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match input.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        let chunk = &buf[..n];
                        let mut parser = p.lock().unwrap_or_else(|e| e.into_inner());
                        parser.process(chunk);
                        if chunk.windows(4).any(|x| x == b"\x1b[6n") {
                            let (row, col) = parser.screen().cursor_position();
                            let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                            let _ = w
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .write_all(reply.as_bytes());
                        }
                    }
                }
            }
        });
        Tui {
            parser,
            writer,
            child,
            _master: pty.master,
        }
    }

    fn screen(&self) -> vt100::Screen {
        self.parser
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .screen()
            .clone()
    }

    fn send(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        w.write_all(bytes).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.screen().contents();
            if pred(&text) {
                return text;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the app exited ({status:?}) while waiting for {what}; screen:\n{text}");
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn rename_a_conversation_from_the_keyboard_in_the_real_binary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tui = Tui::start(dir.path());
    tui.wait_for("the app", |s| s.contains("Mailboxes"));
    tui.send(b"3");
    tui.wait_for("the conversation list", |s| {
        s.contains("Last message") && s.contains("Msgs")
    });
    // Rename the selected conversation: r, Ctrl-U (clear), type (q and digits are text), Enter.
    tui.send(b"r");
    tui.send(b"\x15");
    tui.send("Quarterly review 2025 — q3".as_bytes());
    tui.wait_for("the typed name in the editor", |s| {
        s.contains("Quarterly review 2025 — q3")
    });
    tui.send(b"\r");
    tui.wait_for("the server's confirmation", |s| {
        s.contains("Renamed to “Quarterly review 2025 — q3”")
    });
    // Reload from the server: the new name is listed.
    tui.send(b"R");
    tui.wait_for("the new name after a refresh", |s| {
        s.contains("Quarterly review 2025 — q3") && !s.contains("refreshing")
    });
    // Open it: the name is the title and messages are shown, newest at the bottom.
    tui.send(b"\r");
    let open = tui.wait_for("the open conversation", |s| {
        s.contains("Esc back") && !s.contains("Loading messages")
    });
    assert!(open.contains("Quarterly review 2025 — q3"), "{open}");
    tui.send(b"\x1b");
    tui.wait_for("back to the list", |s| s.contains("Last message"));
    tui.send(b"q");
    let start = Instant::now();
    while tui.child.try_wait().ok().flatten().is_none() {
        assert!(start.elapsed() < DEADLINE, "the app did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
}
