//! The Outreach client against the Outreach demo on loopback: what goes on the wire (media type,
//! cursor links followed verbatim, PATCH bodies, actions, the token refresh) and how every error
//! is explained.
use std::sync::Arc;
use std::time::Duration;

use plannr_tui::api::Secret;
use plannr_tui::api::outreach::login::{LoginOptions, login};
use plannr_tui::api::outreach::token::{self, StoredTokens};
use plannr_tui::api::outreach::{
    Known, MailboxToggle, OAuthApp, OutreachClient, OutreachConfig, OutreachError,
};
use plannr_tui::demo::RecordedRequest;
use plannr_tui::demo::outreach::{
    HEALTHY_MAILINGS, OUTREACH_DEMO_CLIENT_ID, OUTREACH_DEMO_CLIENT_SECRET,
    OUTREACH_DEMO_REFRESH_TOKEN, OutreachDemo, OutreachOptions, fault, ids, rate_limited,
};
use serde_json::json;

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

async fn demo() -> OutreachDemo {
    OutreachDemo::start(OutreachOptions {
        now: Some(NOW),
        ..OutreachOptions::default()
    })
    .await
    .expect("demo starts")
}

fn config(demo: &OutreachDemo, token: Option<&str>) -> OutreachConfig {
    let mut cfg = OutreachConfig::new(demo.base_url.clone(), token.map(Secret::new));
    cfg.request_timeout = Duration::from_secs(5);
    cfg.backoff_base = Duration::from_millis(5);
    cfg
}

fn client(demo: &OutreachDemo) -> Arc<OutreachClient> {
    OutreachClient::new(config(demo, Some(&demo.token))).expect("client")
}

/// A client that can refresh: the app's credentials and a token file holding the demo's
/// refresh token.
fn refreshing_client(
    demo: &OutreachDemo,
    dir: &std::path::Path,
    token: Option<&str>,
    expires_at: Option<i64>,
) -> Arc<OutreachClient> {
    let file = dir.join("outreach-tokens.json");
    token::store(
        &file,
        &StoredTokens {
            access_token: token.map(str::to_string),
            expires_at,
            refresh_token: Some(OUTREACH_DEMO_REFRESH_TOKEN.into()),
            ..StoredTokens::default()
        },
    )
    .expect("token file");
    let mut cfg = config(demo, None);
    cfg.app = Some(OAuthApp {
        client_id: OUTREACH_DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(OUTREACH_DEMO_CLIENT_SECRET),
        token_file: file,
    });
    OutreachClient::new(cfg).expect("client")
}

fn take(demo: &OutreachDemo) -> Vec<RecordedRequest> {
    let r = demo.requests();
    demo.clear_requests();
    r
}

fn media_type_everywhere(reqs: &[RecordedRequest]) {
    for r in reqs.iter().filter(|r| r.path.starts_with("/api/v2")) {
        assert_eq!(
            r.header("content-type"),
            Some("application/vnd.api+json"),
            "{} {}",
            r.method,
            r.path
        );
        assert_eq!(
            r.header("accept"),
            Some("application/vnd.api+json"),
            "{} {}",
            r.method,
            r.path
        );
    }
}

/// The decoded query pairs of an absolute URL, in order.
fn pairs_of(url: &str) -> (String, Vec<(String, String)>) {
    let u = url::Url::parse(url).expect("url");
    (u.path().to_string(), u.query_pairs().into_owned().collect())
}

#[tokio::test]
async fn every_request_carries_the_json_api_media_type() {
    let demo = demo().await;
    let c = client(&demo);
    let page = c.mailboxes(None, 50).await.expect("mailboxes");
    assert_eq!(page.items.len(), 6);
    c.update_mailbox(ids::HEALTHY, MailboxToggle::SyncDisabled(true))
        .await
        .expect("patch");
    c.test_send(ids::HEALTHY).await.expect("testSend");
    c.test_sync(ids::HEALTHY).await.expect("testSync");
    let mailings = c.mailings(ids::HEALTHY, None, 10).await.expect("mailings");
    c.mailing(mailings.items[0].id).await.expect("mailing");
    let reqs = take(&demo);
    assert_eq!(reqs.len(), 6);
    media_type_everywhere(&reqs);
    for r in &reqs {
        assert_eq!(
            r.header("authorization"),
            Some("Bearer outreach-demo-token")
        );
    }
}

#[tokio::test]
async fn without_the_media_type_outreach_answers_415_and_it_is_explained() {
    let demo = demo().await;
    let resp = reqwest::Client::new()
        .get(format!("{}/mailboxes", demo.base_url))
        .bearer_auth(&demo.token)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 415);
    let body = resp.text().await.unwrap_or_default();
    let e = OutreachError::from_status(415, None, &body, "mailboxes.read", &[]);
    assert_eq!(
        e.to_string(),
        "Outreach refused the request format (415): Expected Content-Type header to be application/vnd.api+json"
    );
}

#[tokio::test]
async fn cursor_links_are_followed_verbatim_until_there_is_no_next() {
    let demo = demo().await;
    let c = client(&demo);
    let mut page = c.mailboxes(None, 2).await.expect("first page");
    let first = take(&demo).remove(0);
    assert_eq!(first.query_get("page[size]"), Some("2"));
    assert_eq!(first.query_get("count"), Some("false"));
    assert_eq!(first.query_get("include"), Some("user"));
    assert_eq!(first.query_get("page[after]"), None);
    let fields = first.query_get("fields[mailbox]").unwrap_or_default();
    for f in [
        "email",
        "emailProvider",
        "sendSuccessAt",
        "syncFinishedAt",
        "user",
    ] {
        assert!(fields.split(',').any(|x| x == f), "{f} in {fields}");
    }
    let mut emails: Vec<String> = Vec::new();
    let mut pages = 1;
    loop {
        emails.extend(page.items.iter().filter_map(|m| m.email.get().cloned()));
        assert!(
            page.items.iter().all(|m| m.owner.is_some()),
            "include=user names every owner"
        );
        let Some(next) = page.next.clone() else { break };
        page = c.mailboxes(Some(&next), 2).await.expect("next page");
        pages += 1;
        let r = take(&demo).remove(0);
        let (path, query) = pairs_of(&next);
        assert_eq!(r.path, path);
        assert_eq!(r.query, query, "the link is used as sent");
    }
    assert_eq!(pages, 3);
    assert_eq!(emails.len(), 6);
    // Outreach sorts by the address as stored (the hostile one starts with an escape sequence).
    let plain: Vec<&String> = emails
        .iter()
        .filter(|e| e.starts_with("ann") || e.starts_with("b") || e.starts_with("c"))
        .collect();
    let mut sorted = plain.clone();
    sorted.sort();
    assert_eq!(plain.len(), 5);
    assert_eq!(plain, sorted, "sort=email");

    let mut seen = 0;
    let mut next = None;
    loop {
        let p = c
            .mailings(ids::HEALTHY, next.as_deref(), 50)
            .await
            .expect("mailings");
        seen += p.items.len() as i64;
        next = p.next;
        if next.is_none() {
            break;
        }
    }
    assert_eq!(seen, HEALTHY_MAILINGS);
    let reqs = take(&demo);
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[0].query_get("filter[mailbox][id]"), Some("101"));
    assert_eq!(reqs[0].query_get("sort"), Some("-createdAt"));
    assert!(
        reqs[1..]
            .iter()
            .all(|r| r.query_get("page[after]").is_some())
    );
}

#[tokio::test]
async fn a_next_link_to_another_host_never_gets_the_token() {
    let demo = demo().await;
    let c = client(&demo);
    let e = c
        .mailboxes(Some("http://127.0.0.2:9/api/v2/mailboxes?page[after]=x"), 2)
        .await
        .expect_err("refused");
    assert!(e.to_string().contains("another host"), "{e}");
    assert!(take(&demo).is_empty());
}

#[tokio::test]
async fn the_patch_body_holds_only_the_changed_attribute() {
    let demo = demo().await;
    let c = client(&demo);
    let m = c
        .update_mailbox(ids::HEALTHY, MailboxToggle::SyncDisabled(true))
        .await
        .expect("patch");
    assert_eq!(m.sync_disabled, Known::Set(true));
    let r = take(&demo).remove(0);
    assert_eq!(r.method, "PATCH");
    assert_eq!(r.path, "/api/v2/mailboxes/101");
    assert_eq!(
        r.body,
        Some(
            json!({ "data": { "type": "mailbox", "id": 101, "attributes": { "syncDisabled": true } } })
        )
    );
    c.update_mailbox(ids::HEALTHY, MailboxToggle::SendDisabled(true))
        .await
        .expect("patch send");
    let r = take(&demo).remove(0);
    assert_eq!(
        r.body,
        Some(
            json!({ "data": { "type": "mailbox", "id": 101, "attributes": { "sendDisabled": true } } })
        )
    );
    let page = c.mailboxes(None, 50).await.expect("list");
    let m = page
        .items
        .iter()
        .find(|m| m.id == ids::HEALTHY)
        .expect("101");
    assert_eq!(
        (m.send_disabled.clone(), m.sync_disabled.clone()),
        (Known::Set(true), Known::Set(true))
    );
    // A mailbox the user may not edit: Outreach's 403 explained.
    let e = c
        .update_mailbox(ids::LOCKED, MailboxToggle::SyncDisabled(false))
        .await
        .expect_err("locked");
    assert_eq!(
        e.to_string(),
        "Outreach does not allow this (403): You are not allowed to edit this mailbox"
    );
}

#[tokio::test]
async fn both_actions_report_success_or_the_422_detail() {
    let demo = demo().await;
    let c = client(&demo);
    let m = c.test_send(ids::HEALTHY).await.expect("testSend");
    assert!(m.send_success_at.copied().is_some_and(|t| t >= NOW));
    let m = c.test_sync(ids::HEALTHY).await.expect("testSync");
    assert!(m.sync_success_at.copied().is_some_and(|t| t >= NOW));
    let reqs = take(&demo);
    assert_eq!(
        reqs.iter()
            .map(|r| (r.method.as_str(), r.path.as_str(), r.body.is_none()))
            .collect::<Vec<_>>(),
        vec![
            ("POST", "/api/v2/mailboxes/101/actions/testSend", true),
            ("POST", "/api/v2/mailboxes/101/actions/testSync", true),
        ]
    );
    let e = c.test_send(ids::SEND_ERROR).await.expect_err("send fails");
    assert!(
        matches!(&e, OutreachError::Validation { message, .. } if message.starts_with("SMTP authentication failed")),
        "{e:?}"
    );
    let e = c.test_sync(ids::SYNC_ERROR).await.expect_err("sync fails");
    assert!(
        e.to_string().contains("Exchange Web Services refused"),
        "{e}"
    );
}

#[tokio::test]
async fn a_401_causes_exactly_one_refresh_then_the_call_is_retried() {
    let demo = demo().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let c = refreshing_client(&demo, dir.path(), Some(&demo.token), None);
    demo.expire_access_tokens();
    let page = c.mailboxes(None, 50).await.expect("after refresh");
    assert_eq!(page.items.len(), 6);
    let reqs = take(&demo);
    let steps: Vec<(&str, &str)> = reqs
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("GET", "/api/v2/mailboxes"),
            ("POST", "/oauth/token"),
            ("GET", "/api/v2/mailboxes"),
        ]
    );
    let form = reqs[1].body.clone().expect("form");
    assert_eq!(form["grant_type"], "refresh_token");
    assert_eq!(form["refresh_token"], OUTREACH_DEMO_REFRESH_TOKEN);
    assert_eq!(form["client_id"], OUTREACH_DEMO_CLIENT_ID);
    assert_eq!(reqs[0].query, reqs[2].query, "the same call again");
    assert_ne!(
        reqs[0].header("authorization"),
        reqs[2].header("authorization")
    );
    // The rotated refresh token was stored (0600); the old one is spent.
    let stored = token::load(&dir.path().join("outreach-tokens.json"))
        .expect("private file")
        .expect("exists");
    let new_refresh = stored.refresh_token.expect("refresh token");
    assert_ne!(new_refresh, OUTREACH_DEMO_REFRESH_TOKEN);
    assert!(demo.refresh_token_valid(&new_refresh));
    assert!(!demo.refresh_token_valid(OUTREACH_DEMO_REFRESH_TOKEN));
    // Later calls use the new token without refreshing again.
    c.mailboxes(None, 50).await.expect("again");
    assert_eq!(take(&demo).len(), 1);

    // Calls that meet the same 401 together share one refresh.
    demo.expire_access_tokens();
    let (a, b, d) = tokio::join!(
        c.mailboxes(None, 50),
        c.mailings(ids::HEALTHY, None, 5),
        c.mailing(50_001)
    );
    assert!(a.is_ok() && b.is_ok() && d.is_ok());
    let refreshes = take(&demo)
        .iter()
        .filter(|r| r.path == "/oauth/token")
        .count();
    assert_eq!(refreshes, 1);
}

#[tokio::test]
async fn a_token_about_to_expire_is_refreshed_before_the_call() {
    let demo = demo().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let soon = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
        + 30;
    let c = refreshing_client(&demo, dir.path(), Some(&demo.token), Some(soon));
    c.mailboxes(None, 50).await.expect("mailboxes");
    let paths: Vec<String> = take(&demo).into_iter().map(|r| r.path).collect();
    assert_eq!(paths, vec!["/oauth/token", "/api/v2/mailboxes"]);
}

#[tokio::test]
async fn a_refused_refresh_and_a_401_without_refresh_say_what_to_do() {
    let demo = demo().await;
    let c = client(&demo);
    demo.expire_access_tokens();
    let e = c.mailboxes(None, 50).await.expect_err("401");
    assert!(
        e.to_string().contains("(401)") && e.to_string().contains("outreach-login"),
        "{e}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let c = refreshing_client(&demo, dir.path(), Some("stale"), None);
    demo.script(plannr_tui::demo::Scripted::json(
        Some("POST"),
        Some("/oauth/token"),
        400,
        json!({ "error": "invalid_grant", "error_description": "The refresh token is revoked." }),
    ));
    let e = c.mailboxes(None, 50).await.expect_err("refresh refused");
    assert_eq!(
        e.to_string(),
        "could not refresh the Outreach token: invalid_grant: The refresh token is revoked. Run `plannr-tui outreach-login` again"
    );
}

#[tokio::test]
async fn missing_scope_validation_and_rate_limits_are_explained() {
    let demo = demo().await;
    let read_only = demo.issue_token("mailboxes.read");
    let c = OutreachClient::new(config(&demo, Some(&read_only))).expect("client");
    let e = c
        .update_mailbox(ids::HEALTHY, MailboxToggle::SyncDisabled(true))
        .await
        .expect_err("403");
    assert!(
        matches!(&e, OutreachError::MissingScope { scope, .. } if scope == "mailboxes.write"),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("lacks the scope mailboxes.write"),
        "{e}"
    );
    let e = c.mailings(ids::HEALTHY, None, 5).await.expect_err("403");
    assert!(e.to_string().contains("mailings.read"), "{e}");

    let c = client(&demo);
    demo.script(plannr_tui::demo::Scripted::json(
        Some("PATCH"),
        Some("/api/v2/mailboxes"),
        422,
        json!({ "errors": [ { "id": "validationError", "title": "Validation Error",
            "detail": "Sync cannot be enabled until the mailbox is reconnected.",
            "source": { "pointer": "/data/attributes/syncDisabled" } } ] }),
    ));
    let e = c
        .update_mailbox(ids::SYNC_ERROR, MailboxToggle::SyncDisabled(false))
        .await
        .expect_err("422");
    assert_eq!(
        e,
        OutreachError::Validation {
            message: "Sync cannot be enabled until the mailbox is reconnected".into(),
            field: Some("syncDisabled".into())
        }
    );

    demo.script(rate_limited(Some("/api/v2/mailboxes"), "90"));
    let e = c.mailboxes(None, 5).await.expect_err("429");
    assert_eq!(e.wait(), Some(Duration::from_secs(90)));
    assert_eq!(
        e.to_string(),
        "Outreach rate limit reached (429); Outreach asks to wait 1m 30s"
    );
    let later = NOW.max(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    ) + 3600;
    demo.script(rate_limited(None, &later.to_string()));
    let e = c.mailboxes(None, 5).await.expect_err("429 epoch");
    assert!(
        e.wait()
            .is_some_and(|w| w > Duration::from_secs(3500) && w <= Duration::from_secs(3600)),
        "{e:?}"
    );
    let mut s = fault(
        None,
        None,
        503,
        "scheduledServerMaintenance",
        "Scheduled Server Maintenance",
        "Down for maintenance",
    );
    s = s.with_header("Retry-After", "120");
    demo.script(s);
    let e = c.mailing(50_001).await.expect_err("503");
    assert_eq!(
        e.to_string(),
        "Outreach is unavailable (503): Down for maintenance; Outreach asks to wait 2m"
    );
    take(&demo);

    // A short wait is slept through when allowed, and the call retried.
    let mut cfg = config(&demo, Some(&demo.token));
    cfg.max_wait = Duration::from_secs(1);
    let c = OutreachClient::new(cfg).expect("client");
    demo.script(rate_limited(None, "0"));
    c.mailboxes(None, 5).await.expect("after the wait");
    assert_eq!(take(&demo).len(), 2);
}

/// The shared transport never waits out a rate limit silently: the caller's hook hears of the
/// wait first (to show it), and a wait over the limit comes back as the error with its wait.
#[tokio::test]
async fn a_rate_limit_wait_is_told_to_the_caller_before_it_is_waited_out() {
    let demo = demo().await;
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let hook_heard = heard.clone();
    let mut cfg = config(&demo, Some(&demo.token));
    cfg.max_wait = Duration::from_secs(1);
    let c = OutreachClient::with_wait_hook(
        cfg,
        Some(Arc::new(move |d| {
            if let Ok(mut h) = hook_heard.lock() {
                h.push(d)
            }
        })),
    )
    .expect("client");
    demo.script(rate_limited(Some("/api/v2/mailboxes"), "1"));
    c.mailboxes(None, 5).await.expect("after the wait");
    assert_eq!(
        heard.lock().map(|h| h.clone()).unwrap_or_default(),
        vec![Duration::from_secs(1)]
    );
    let reqs = take(&demo);
    assert_eq!(reqs.len(), 2, "the call, then once more after the wait");
    assert_eq!(reqs[0].query, reqs[1].query);
    media_type_everywhere(&reqs);

    demo.script(rate_limited(Some("/api/v2/mailboxes"), "30"));
    let e = c.mailboxes(None, 5).await.expect_err("over the limit");
    assert_eq!(e.wait(), Some(Duration::from_secs(30)));
    assert_eq!(heard.lock().map(|h| h.len()).unwrap_or(0), 1, "not waited");
    assert_eq!(take(&demo).len(), 1);
}

/// Seed 003 shows a passed test answered 200 with `{}` (no mailbox): that is a pass, with every
/// attribute unknown (the pane reads the mailbox again), not "unexpected response".
#[tokio::test]
async fn a_test_answered_with_an_empty_object_passed() {
    let demo = demo().await;
    let c = client(&demo);
    for (action, path) in [
        ("testSend", "actions/testSend"),
        ("testSync", "actions/testSync"),
    ] {
        demo.script(plannr_tui::demo::Scripted::json(
            Some("POST"),
            Some(&format!("/api/v2/mailboxes/{}/{path}", ids::HEALTHY)),
            200,
            json!({}),
        ));
        let m = if action == "testSend" {
            c.test_send(ids::HEALTHY).await
        } else {
            c.test_sync(ids::HEALTHY).await
        }
        .unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(m.id, ids::HEALTHY);
        assert_eq!(m.send_success_at, Known::Missing, "unknown, never empty");
        assert_eq!(m.email, Known::Missing);
    }
}

/// After a failed test the mailbox read again shows the error's time (what the pane re-reads
/// after T/Y), with the list's sparse fields and its owner.
#[tokio::test]
async fn one_mailbox_read_again_after_a_failed_test_shows_the_error_time() {
    let demo = demo().await;
    let c = client(&demo);
    let before = c.mailbox(ids::SEND_ERROR).await.expect("mailbox");
    c.test_send(ids::SEND_ERROR).await.expect_err("422");
    take(&demo);
    let after = c.mailbox(ids::SEND_ERROR).await.expect("mailbox");
    assert!(
        after.send_errored_at.copied().is_some_and(|t| t >= NOW),
        "{:?}",
        after.send_errored_at
    );
    assert_ne!(after.send_errored_at, before.send_errored_at);
    assert!(after.owner.is_some(), "owner from include=user");
    let reqs = take(&demo);
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        reqs[0].path,
        format!("/api/v2/mailboxes/{}", ids::SEND_ERROR)
    );
    assert_eq!(reqs[0].query_get("include"), Some("user"));
    assert!(reqs[0].query_get("fields[mailbox]").is_some());
    media_type_everywhere(&reqs);
}

/// Reads go through the shared transport's retries: a 5xx on a GET is tried again (with the
/// media type each time); a write that met one is not repeated.
#[tokio::test]
async fn a_server_error_is_retried_on_reads_only() {
    let demo = demo().await;
    let c = client(&demo);
    demo.script(fault(
        Some("GET"),
        None,
        500,
        "internalServerError",
        "Internal Server Error",
        "boom",
    ));
    c.mailboxes(None, 5).await.expect("retried");
    let reqs = take(&demo);
    assert_eq!(reqs.len(), 2);
    media_type_everywhere(&reqs);
    demo.script(fault(
        Some("POST"),
        None,
        500,
        "internalServerError",
        "Internal Server Error",
        "boom",
    ));
    let e = c.test_send(ids::HEALTHY).await.expect_err("not repeated");
    assert!(
        matches!(e, OutreachError::Server { status: 500, .. }),
        "{e:?}"
    );
    assert_eq!(take(&demo).len(), 1);
}

#[tokio::test]
async fn tokens_and_secrets_never_appear_in_debug_or_errors() {
    let demo = demo().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let c = refreshing_client(&demo, dir.path(), Some(&demo.token), None);
    let dbg = format!("{c:?}");
    assert!(
        !dbg.contains(&demo.token) && !dbg.contains(OUTREACH_DEMO_CLIENT_SECRET),
        "{dbg}"
    );
    for status in [400, 403, 404, 415, 422] {
        demo.script(fault(
            None,
            None,
            status,
            "x",
            &format!("echo {}", demo.token),
            &format!(
                "{} {OUTREACH_DEMO_REFRESH_TOKEN} {OUTREACH_DEMO_CLIENT_SECRET}",
                demo.token
            ),
        ));
        let e = c.mailing(50_001).await.expect_err("scripted");
        let text = format!("{e} {e:?}");
        for secret in [
            demo.token.as_str(),
            OUTREACH_DEMO_REFRESH_TOKEN,
            OUTREACH_DEMO_CLIENT_SECRET,
        ] {
            assert!(!text.contains(secret), "{status}: {text}");
        }
    }
}

#[tokio::test]
async fn outreach_login_checks_state_and_stores_the_tokens() {
    let demo = demo().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("state/outreach-tokens.json");
    let opts = LoginOptions {
        base_url: demo.base_url.clone(),
        app: OAuthApp {
            client_id: OUTREACH_DEMO_CLIENT_ID.into(),
            client_secret: Secret::new(OUTREACH_DEMO_CLIENT_SECRET),
            token_file: file.clone(),
        },
        port: 0,
        scope: "mailboxes.all mailings.read".into(),
        timeout: Duration::from_secs(10),
    };
    // The "browser": follows the authorize URL, which the demo redirects to the callback.
    let done = login(&opts, |url| {
        let url = url.to_string();
        tokio::spawn(async move {
            let _ = reqwest::get(url).await;
        });
    })
    .await
    .expect("login");
    assert_eq!(done.scope.as_deref(), Some("mailboxes.all mailings.read"));
    let stored = token::load(&file).expect("private").expect("stored");
    assert!(stored.refresh_token.is_some() && stored.access_token.is_some());
    let redirect = stored.redirect_uri.clone().unwrap_or_default();
    assert!(
        redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"),
        "{redirect}"
    );
    let reqs = take(&demo);
    let authorize = reqs
        .iter()
        .find(|r| r.path == "/oauth/authorize")
        .expect("authorize");
    assert_eq!(authorize.query_get("response_type"), Some("code"));
    assert_eq!(authorize.query_get("redirect_uri"), Some(redirect.as_str()));
    assert_eq!(authorize.query_get("state").map(str::len), Some(32));
    let exchange = reqs
        .iter()
        .find(|r| r.path == "/oauth/token")
        .expect("token");
    let form = exchange.body.clone().expect("form");
    assert_eq!(form["grant_type"], "authorization_code");
    assert_eq!(form["redirect_uri"], redirect.as_str());

    // A redirect whose state does not match is refused.
    let e = login(&opts, |url| {
        let u = url::Url::parse(url).expect("url");
        let redirect = u
            .query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        tokio::spawn(async move {
            let _ = reqwest::get(format!("{redirect}?code=stolen&state=forged")).await;
        });
    })
    .await
    .expect_err("forged state");
    assert!(e.to_string().contains("state did not match"), "{e}");
}
