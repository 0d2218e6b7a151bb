//! The transport against a misbehaving server (the demo's scripted faults): a hung server costs
//! one deadline, retries included; an answer over the size cap (a gzip bomb expands to 64 MB) is
//! cut off and said so; redirects never take a write or the token elsewhere; no error carries the
//! token, even when a redirect puts it in a URL.
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::demo_client;
use plannr_tui::api::models::MailboxUpdate;
use plannr_tui::api::{ApiError, Client};
use plannr_tui::demo::{DemoOptions, DemoServer, Fault, Scripted};

async fn setup(
    tweak: impl FnOnce(&mut plannr_tui::api::ClientConfig),
) -> (DemoServer, Arc<Client>) {
    let s = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server");
    let c = demo_client(&s, |cfg| {
        cfg.http.backoff_base = Duration::from_millis(5);
        tweak(cfg)
    });
    (s, c)
}

#[tokio::test]
async fn a_hung_server_costs_one_deadline_for_the_whole_call_retries_included() {
    let (s, c) = setup(|cfg| {
        cfg.http.call_deadline = Duration::from_millis(400);
        cfg.http.request_timeout = Duration::from_secs(60);
    })
    .await;
    for _ in 0..4 {
        s.script(
            Scripted::status(Some("GET"), Some("/api/v1/mailboxes"), 503).with_delay_ms(3_000),
        );
    }
    let err = c.mailboxes().await.expect_err("hung");
    assert_eq!(err, ApiError::Timeout, "{err}");
    assert_eq!(s.requests().len(), 1, "no retry after the deadline");
}

#[tokio::test]
async fn a_gzip_bomb_is_cut_at_the_cap_and_said_so() {
    let (s, c) = setup(|_| {}).await;
    s.script(Scripted::fault(
        Some("GET"),
        Some("/api/v1/mailboxes"),
        Fault::GzipBomb { megabytes: 64 },
    ));
    let err = c.mailboxes().await.expect_err("too large");
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("(the mailbox list) was larger than the 4 MB allowed for it")
            && text.contains("cut off"),
        "{text}"
    );
    assert_eq!(s.requests().len(), 1, "not retried");

    s.script(Scripted::fault(
        Some("GET"),
        Some("/api/v1/mailboxes"),
        Fault::Oversized { megabytes: 12 },
    ));
    let err = c.mailboxes().await.expect_err("too large");
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");
    // The next call is fine.
    assert!(c.mailboxes().await.is_ok());
}

#[tokio::test]
async fn a_reset_mid_answer_is_a_network_error_and_retried() {
    let (s, c) = setup(|_| {}).await;
    s.script(Scripted::fault(
        Some("GET"),
        Some("/api/v1/mailboxes"),
        Fault::Reset,
    ));
    let boxes = c.mailboxes().await.expect("the retry succeeds");
    assert!(!boxes.is_empty());
    assert_eq!(s.requests().len(), 2);
}

#[tokio::test]
async fn a_write_is_never_redirected_to_another_origin() {
    let (s, c) = setup(|_| {}).await;
    let other = DemoServer::start(DemoOptions::default())
        .await
        .expect("second server");
    let uuid = s.fixtures().first_mailbox_uuid.clone();
    let path = format!("/api/v1/mailboxes/{uuid}");
    for status in [301, 302, 307, 308] {
        s.script(
            Scripted::status(Some("PUT"), Some(&path), status)
                .with_header("Location", &format!("{}{path}", other.base_url)),
        );
        let update = MailboxUpdate {
            name: Some("Renamed".into()),
            ..MailboxUpdate::default()
        };
        let err = c.update_mailbox(&uuid, &update).await.expect_err("refused");
        let text = err.to_string();
        assert!(
            text.contains("another site") && text.contains("not sent there"),
            "{status}: {text}"
        );
        assert!(!text.contains("401"), "{text}");
    }
    assert!(
        other.requests().is_empty(),
        "nothing reached the other origin: {:?}",
        other.requests()
    );
    // A same-origin 307 keeps method and body.
    s.clear_requests();
    s.script(
        Scripted::status(Some("PUT"), Some(&path), 307)
            .with_header("Location", &format!("{}{path}", s.base_url)),
    );
    let update = MailboxUpdate {
        name: Some("Renamed here".into()),
        ..MailboxUpdate::default()
    };
    let m = c.update_mailbox(&uuid, &update).await.expect("followed");
    assert_eq!(m.name, "Renamed here");
    let log = s.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].method, "PUT");
    assert!(log[1].body.is_some());
}

#[tokio::test]
async fn a_read_redirected_elsewhere_goes_without_token_or_tenant_and_says_why_it_failed() {
    let (s, c) = setup(|_| {}).await;
    let other = DemoServer::start(DemoOptions::default())
        .await
        .expect("second server");
    s.script(
        Scripted::status(Some("GET"), Some("/api/v1/mailboxes"), 302)
            .with_header("Location", &format!("{}/api/v1/mailboxes", other.base_url)),
    );
    let err = c.mailboxes().await.expect_err("the other site refuses");
    let text = err.to_string();
    assert!(
        text.contains("another site") && text.contains("127.0.0.1") && text.contains("401"),
        "{text}"
    );
    let there = other.requests();
    assert_eq!(there.len(), 1);
    assert_eq!(there[0].header("authorization"), None, "token stripped");
    assert_eq!(
        there[0].header("x-plannr-account-uuid"),
        None,
        "tenant stripped"
    );
}

#[tokio::test]
async fn no_error_carries_the_token_even_in_a_redirected_url() {
    let (s, c) = setup(|_| {}).await;
    let token = s.token.clone();
    // A redirect loop whose URL carries the token.
    for _ in 0..8 {
        s.script(
            Scripted::status(Some("GET"), Some("/api/v1/mailboxes"), 302)
                .with_header("Location", &format!("/api/v1/mailboxes?t={token}")),
        );
    }
    let err = c.mailboxes().await.expect_err("loop");
    let text = format!("{err} {err:?}");
    assert!(text.contains("redirected"), "{text}");
    assert!(!text.contains(&token), "{text}");
    // A redirect elsewhere, to a closed port, with the token in the query: a network error.
    s.clear_requests();
    for _ in 0..4 {
        s.script(
            Scripted::status(Some("GET"), Some("/api/v1/mailboxes"), 302).with_header(
                "Location",
                &format!("http://127.0.0.1:9/x?t={token}&auth=Bearer%20{token}"),
            ),
        );
    }
    let err = c.mailboxes().await.expect_err("refused");
    let text = format!("{err} {err:?}");
    assert!(matches!(err, ApiError::Network(_)), "{text}");
    assert!(!text.contains(&token), "{text}");
}

#[test]
fn scrubbing_covers_encodings_and_bearer_values() {
    use plannr_tui::api::http::scrub_secrets;
    let t = "tok/en+1=";
    let s = scrub_secrets(
        "a tok/en+1= b tok%2Fen%2B1%3D c tok%2Fen%2B1%3D d Authorization: Bearer xyz.abc e",
        t,
    );
    assert!(!s.contains("tok"), "{s}");
    assert!(!s.contains("xyz"), "{s}");
    assert!(s.contains("Bearer ***"), "{s}");
}

/// Each kind of answer has its own cap: a page of a thread a few megabytes, one record one; the
/// error names what was cut and the cap.
#[tokio::test]
async fn caps_are_per_kind_of_answer_and_the_error_says_which() {
    use plannr_tui::api::models::ThreadQuery;
    let (s, c) = setup(|_| {}).await;
    let f = s.fixtures().clone();
    let thread = format!("/api/v1/mailboxes/message/{}", f.medium_thread_message_uuid);
    s.script(Scripted::fault(
        Some("GET"),
        Some(&thread),
        Fault::Oversized { megabytes: 5 },
    ));
    let q = ThreadQuery {
        per_page: 25,
        page_ancestors: 1,
        page_descendants: 1,
    };
    let err = c
        .message_thread(&f.medium_thread_message_uuid, q)
        .await
        .expect_err("5 MB thread page");
    assert_eq!(
        err,
        ApiError::TooLarge {
            limit: 4 * 1024 * 1024,
            what: "a page of the thread"
        }
    );
    let conv = f.busiest_conversation_uuid.clone();
    s.script(Scripted::fault(
        Some("GET"),
        Some(&format!("/api/v1/conversation/{conv}")),
        Fault::GzipBomb { megabytes: 2 },
    ));
    let text = c
        .conversation(&conv)
        .await
        .expect_err("2 MB record")
        .to_string();
    assert!(
        text.contains("(the conversation) was larger than the 1 MB allowed for it"),
        "{text}"
    );
    // Under the cap a page is read as usual.
    assert!(
        c.message_thread(&f.medium_thread_message_uuid, q)
            .await
            .is_ok()
    );
}

/// Attachments stream to disk with a limit of their own: one that grows past it is stopped and
/// its part removed.
#[tokio::test]
async fn a_download_over_its_limit_is_stopped_and_nothing_is_left_on_disk() {
    use plannr_tui::worker::download;
    let (s, c) = setup(|_| {}).await;
    let f = s.fixtures().clone();
    let path = format!("/__demo/files/{}", f.attachment_uuid);
    let dir = tempfile::tempdir().expect("tempdir");
    let limit = 1024 * 1024;
    // Streamed without a size (a server that announces one too large is refused up front).
    for says in ["passed the 1 MB a download may be"] {
        s.script(Scripted::fault(
            Some("GET"),
            Some(&path),
            Fault::Oversized { megabytes: 3 },
        ));
        let err = download(
            &c,
            &path,
            Some(dir.path().to_path_buf()),
            "a.pdf",
            limit,
            &mut |_, _| {},
        )
        .await
        .expect_err("over the limit");
        assert!(err.to_string().contains(says), "{err}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert!(left.is_empty(), "nothing left on disk: {left:?}");
    }
    // Within the limit it is saved.
    let (saved, bytes) = download(
        &c,
        &path,
        Some(dir.path().to_path_buf()),
        "a.pdf",
        limit,
        &mut |_, _| {},
    )
    .await
    .expect("saved");
    assert!(bytes > 0 && saved.exists());
}

/// An attachment whose announced size (`Content-Length`) is over the limit is refused before a
/// file is made or a byte is read.
#[tokio::test]
async fn a_download_announced_over_its_limit_is_refused_before_a_file_is_made() {
    use plannr_tui::worker::download;
    let (s, c) = setup(|_| {}).await;
    let f = s.fixtures().clone();
    let path = format!("/__demo/files/{}", f.attachment_uuid);
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "x".repeat(2 * 1024 * 1024);
    s.script(Scripted::raw(
        Some("GET"),
        Some(&path),
        200,
        "application/pdf",
        &body,
    ));
    let mut progress = 0;
    let err = download(
        &c,
        &path,
        Some(dir.path().to_path_buf()),
        "a.pdf",
        1024 * 1024,
        &mut |_, _| progress += 1,
    )
    .await
    .expect_err("announced over the limit");
    assert!(
        err.to_string().contains(
            "the attachment is 2 MB, more than the 1 MB a download may be; nothing was saved"
        ),
        "{err}"
    );
    assert_eq!(
        progress, 0,
        "no progress is reported for a refused download"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "nothing made on disk: {left:?}");
}

/// A download slower than the per-request timeout but never stalled is saved: only a stall (no
/// data for the call deadline) gives it up.
#[tokio::test]
async fn a_slow_but_steady_download_outlasts_the_request_timeout() {
    use plannr_tui::worker::{DOWNLOAD_LIMIT, download};
    let (s, c) = setup(|cfg| {
        cfg.http.request_timeout = Duration::from_millis(200);
        cfg.http.call_deadline = Duration::from_secs(5);
    })
    .await;
    let path = format!("/__demo/files/{}", s.fixtures().attachment_uuid);
    s.script(Scripted::fault(
        Some("GET"),
        Some(&path),
        Fault::Trickle {
            chunks: 8,
            every_ms: 100,
        },
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, bytes) = download(
        &c,
        &path,
        Some(dir.path().to_path_buf()),
        "slow.bin",
        DOWNLOAD_LIMIT,
        &mut |_, _| {},
    )
    .await
    .expect("saved although it took longer than request_timeout");
    assert_eq!(bytes, 8 * 1024);
}

/// A 429 the transport waits out is not a silent sleep: the worker tells the app the wait (the
/// status bar says "Plannr asked to slow down: trying again in 1s") before the answer comes.
#[tokio::test]
async fn a_rate_limit_wait_reaches_the_status_bar_before_the_answer() {
    use plannr_tui::app::{Call, Command, Msg, PlannrCall, Settings, State, update};
    let (s, c) = setup(|_| {}).await;
    s.script(Scripted::rate_limited(1));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut worker = plannr_tui::worker::Worker::new(c, tx);
    worker.handle(Command::Api {
        id: 1,
        call: Call::Plannr(PlannrCall::Logins),
        background: false,
    });
    let first = rx.recv().await.expect("a message");
    assert!(
        matches!(
            first,
            Msg::RateLimited {
                service: "Plannr",
                wait
            } if wait == Duration::from_secs(1)
        ),
        "{first:?}"
    );
    let mut state = State::new(Settings::default(), None, (80, 24));
    update(&mut state, first);
    assert_eq!(
        state.core.status_text(),
        "Plannr asked to slow down: trying again in 1s"
    );
    let answer = rx.recv().await.expect("the answer");
    assert!(
        matches!(
            answer,
            Msg::Api {
                id: 1,
                result: Ok(_)
            }
        ),
        "{answer:?}"
    );
    assert_eq!(
        s.requests().len(),
        2,
        "the call, then once more after the wait"
    );
}
