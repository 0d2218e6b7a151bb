//! The 401 screen's R reads the token again: the real binary against a demo server, started with
//! a wrong token in its config file; the user fixes config.toml and presses R, and the panes load
//! without a restart.

mod common;

use std::ffi::OsStr;

use common::pty::Tui;
use plannr_tui::demo::{DemoOptions, DemoServer};

#[test]
fn a_token_fixed_in_config_toml_is_used_after_r_without_a_restart() {
    use std::os::unix::fs::PermissionsExt;
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt
        .block_on(DemoServer::start(DemoOptions::default()))
        .expect("demo server");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    let write = |token: &str| {
        std::fs::write(
            &config,
            format!(
                "base_url = \"{}\"\naccount_uuid = \"{}\"\ntoken = \"{token}\"\n",
                server.base_url, server.account_uuid
            ),
        )
        .expect("write config");
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600))
            .expect("chmod 600");
    };
    write("a-revoked-token");
    let log = dir.path().join("log");
    let mut tui = Tui::start_with(
        dir.path(),
        30,
        100,
        &[
            OsStr::new("--config"),
            config.as_os_str(),
            OsStr::new("--log-file"),
            log.as_os_str(),
        ],
    );
    tui.wait_text("the 401 screen", |t| {
        t.contains("Plannr refused the token (401)")
    });

    // R with the file unchanged: read again, still refused, and the screen says so.
    tui.send(b"R");
    tui.wait_text("the unchanged token noted", |t| {
        t.contains("Plannr refused the token (401)") && t.contains("same as before")
    });

    write(&server.token);
    tui.send(b"R");
    tui.wait_text("the mailboxes, loaded with the fixed token", |t| {
        t.contains("Mailboxes (5)") && !t.contains("refused the token")
    });

    tui.send(b"\x03");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(logged.contains("read the Plannr token again"), "{logged}");
    assert!(
        !logged.contains(&server.token) && !logged.contains("a-revoked-token"),
        "no token in the log"
    );
}
