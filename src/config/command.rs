//! Running a `*_command` setting (`token_command`, `client_secret_command`): it must answer in
//! time with one printable line, and a slow one says so on stderr instead of hanging silently.
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::ConfigError;

/// How long a `*_command` may take unless `token_command_timeout_secs` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// After this long without an answer, "waiting for …" is printed to stderr.
pub const NOTICE_AFTER: Duration = Duration::from_secs(1);
/// The longest token (in characters) taken from a command.
pub const MAX_TOKEN_CHARS: usize = 4096;
/// Bytes of output kept (the rest is read and dropped so the command never blocks on the pipe).
const KEEP_BYTES: usize = MAX_TOKEN_CHARS * 4 + 2;

/// Run `cmd` through the shell (named `what` in messages) and take its one line of output.
/// `notice` is called once if it has not answered after `notice_after`.
pub fn run(
    what: &str,
    cmd: &str,
    timeout: Duration,
    notice_after: Duration,
    notice: &mut dyn FnMut(),
) -> Result<String, ConfigError> {
    run_in(what, cmd, timeout, notice_after, notice, false)
}

/// `run` while the app owns the terminal: the command's stderr goes nowhere (it would be drawn
/// over the screen) and nothing is noticed.
pub fn run_quiet(what: &str, cmd: &str, timeout: Duration) -> Result<String, ConfigError> {
    run_in(what, cmd, timeout, timeout, &mut || {}, true)
}

fn run_in(
    what: &str,
    cmd: &str,
    timeout: Duration,
    notice_after: Duration,
    notice: &mut dyn FnMut(),
    quiet: bool,
) -> Result<String, ConfigError> {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    if quiet {
        command.stderr(Stdio::null());
    }
    #[cfg(unix)]
    {
        // Its own process group, so a timeout ends whatever the shell started too.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .spawn()
        .map_err(|e| ConfigError(format!("{what} could not start: {e}")))?;
    let Some(mut stdout) = child.stdout.take() else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(ConfigError(format!(
            "{what} could not start: no output pipe"
        )));
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = KEEP_BYTES.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        let _ = tx.send(kept);
    });
    let start = Instant::now();
    let mut noticed = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(ConfigError(format!("{what} could not be waited for: {e}"))),
        }
        let waited = start.elapsed();
        if waited >= timeout {
            kill(&mut child);
            return Err(ConfigError(format!(
                "{what} did not answer within {} s and was stopped (token_command_timeout_secs in config.toml sets how long to wait)",
                timeout.as_secs_f64().ceil() as u64
            )));
        }
        if !noticed && waited >= notice_after {
            noticed = true;
            notice();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if !status.success() {
        return Err(ConfigError(format!("{what} failed ({status})")));
    }
    // The shell is gone; its output follows (a background child still holding the pipe is
    // given what is left of the timeout).
    let left = timeout.saturating_sub(start.elapsed());
    let out = rx.recv_timeout(left).map_err(|_| {
        ConfigError(format!(
            "{what} exited but its output did not end within {} s",
            timeout.as_secs_f64().ceil() as u64
        ))
    })?;
    token_of(what, &out)
}

fn kill(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        if let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: kill(2) on the process group we created for this child.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The token in a command's output: one printable line (its trailing newline and surrounding
/// spaces removed). The output itself never appears in an error.
pub fn token_of(what: &str, out: &[u8]) -> Result<String, ConfigError> {
    let not_a_token = || {
        ConfigError(format!(
            "the {what}'s output is not a token (it must print one line of at most {MAX_TOKEN_CHARS} printable characters)"
        ))
    };
    let text = std::str::from_utf8(out).map_err(|_| not_a_token())?;
    let line = text
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(text);
    if line.chars().any(char::is_control) || line.chars().count() > MAX_TOKEN_CHARS {
        return Err(not_a_token());
    }
    let token = line.trim();
    if token.is_empty() {
        return Err(ConfigError(format!("{what} printed nothing")));
    }
    Ok(token.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_sh(cmd: &str, timeout: Duration) -> (Result<String, ConfigError>, u32) {
        let mut notices = 0;
        let r = run(
            "token_command",
            cmd,
            timeout,
            Duration::from_millis(100),
            &mut || notices += 1,
        );
        (r, notices)
    }

    #[test]
    fn a_hanging_command_is_announced_then_stopped() {
        let (r, notices) = run_sh("sleep 60", Duration::from_millis(600));
        let e = r.unwrap_err().0;
        assert!(e.contains("did not answer within 1 s"), "{e}");
        assert_eq!(notices, 1, "\"waiting for token_command…\" said once");
    }

    #[test]
    fn one_printable_line_is_the_token() {
        let (r, notices) = run_sh("printf ' tok-123 \\n'", DEFAULT_TIMEOUT);
        assert_eq!(r.unwrap(), "tok-123");
        assert_eq!(notices, 0);
        assert_eq!(token_of("t", b"abc\r\n").unwrap(), "abc");
    }

    #[test]
    fn two_lines_control_characters_or_huge_output_are_not_a_token() {
        for cmd in [
            "printf 'line-one\\nline-two\\n'",
            "printf 'SECRETX\\033[31m\\n'",
            "printf 'SECRETX\\tx'",
            "head -c 5000 /dev/zero | tr '\\0' a",
            "printf '\\377\\376'",
        ] {
            let e = run_sh(cmd, DEFAULT_TIMEOUT).0.unwrap_err().0;
            assert!(
                e.contains("the token_command's output is not a token"),
                "{cmd}: {e}"
            );
            assert!(
                !e.contains("line-one") && !e.contains("SECRETX") && !e.contains("aaaa"),
                "{e}"
            );
        }
    }
}
