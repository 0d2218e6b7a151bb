//! The real binary with its bundled demo server in a pseudo-terminal; the screen is read back
//! through a vt100 parser. The host environment never leaks in: the child starts from an empty
//! environment with HOME and PATH in a temp dir.
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_plannr-tui");
pub const DEADLINE: Duration = Duration::from_secs(20);

type Shared<T> = Arc<Mutex<T>>;

pub struct Tui {
    parser: Shared<vt100::Parser>,
    writer: Shared<Box<dyn Write + Send>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    reader: Option<std::thread::JoinHandle<()>>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Tui {
    /// `plannr-tui --demo --log-file DIR/log` in a `rows`×`cols` pty, at home in `dir`.
    pub fn start(dir: &Path, rows: u16, cols: u16) -> Tui {
        let log = dir.join("log");
        Tui::start_with(
            dir,
            rows,
            cols,
            &["--demo".as_ref(), "--log-file".as_ref(), log.as_os_str()],
        )
    }

    /// `plannr-tui ARGS` in a `rows`×`cols` pty, at home in `dir`.
    pub fn start_with(dir: &Path, rows: u16, cols: u16, args: &[&std::ffi::OsStr]) -> Tui {
        let pty = native_pty_system()
            .openpty(size(rows, cols))
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.env_clear();
        cmd.env("HOME", dir);
        cmd.env("PATH", dir);
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(dir);
        cmd.args(args);
        let child = pty.slave.spawn_command(cmd).expect("spawn the binary");
        drop(pty.slave); // so the reader sees EOF once the child is gone
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let writer: Shared<Box<dyn Write + Send>> =
            Arc::new(Mutex::new(pty.master.take_writer().expect("pty writer")));
        let mut input = pty.master.try_clone_reader().expect("pty reader");
        let (p, w) = (parser.clone(), writer.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match input.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        let chunk = &buf[..n];
                        let mut parser = p.lock().unwrap_or_else(|e| e.into_inner());
                        parser.process(chunk);
                        // Answer a cursor-position query like a real terminal would.
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
            reader: Some(reader),
            master: pty.master,
        }
    }

    /// Resize the pty (the child gets SIGWINCH) and the parser's screen with it.
    pub fn resize(&self, rows: u16, cols: u16) {
        self.parser
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .screen_mut()
            .set_size(rows, cols);
        self.master
            .resize(size(rows, cols))
            .expect("resize the pty");
    }

    /// Whether the pty is in cooked mode (canonical input and echo on), as a shell expects it.
    /// `None` where termios cannot be read.
    #[cfg(unix)]
    pub fn cooked(&self) -> Option<bool> {
        let fd = self.master.as_raw_fd()?;
        // SAFETY: `fd` is the open pty master; termios is plain data that tcgetattr fills.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
            return None;
        }
        let want = libc::ICANON | libc::ECHO | libc::ISIG;
        Some(t.c_lflag & want == want)
    }

    /// Write `bytes` onto the emulated screen as if another program had drawn over the app.
    pub fn scribble(&self, bytes: &[u8]) {
        self.parser
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .process(bytes);
    }

    /// The child's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    pub fn screen(&self) -> vt100::Screen {
        self.parser
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .screen()
            .clone()
    }

    pub fn send(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        w.write_all(bytes).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    /// Poll the screen until `pred` holds; fail with the screen's text after the deadline or if
    /// the app exits first.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) -> vt100::Screen {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the app exited ({status:?}) while waiting for {what}; screen:\n{}",
                    screen.contents()
                );
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; screen:\n{}",
                screen.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `wait_for` on the screen's text; returns the text.
    pub fn wait_text(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_for(what, |s| pred(&s.contents())).contents()
    }

    /// Wait for the app to exit (killing it after the deadline) and for the last bytes it drew.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the child") {
                // The reader ends at EOF; then the parser has seen every byte.
                if let Some(r) = self.reader.take() {
                    let _ = r.join();
                }
                return status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!(
                    "the app did not exit; screen:\n{}",
                    self.screen().contents()
                );
            }
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
