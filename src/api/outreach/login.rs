//! `plannr-tui outreach-login`: the OAuth authorization-code flow with a loopback redirect.
//!
//! Listens on `127.0.0.1:PORT`, prints the authorize URL (with a random `state`), waits for the
//! browser to come back to `http://127.0.0.1:PORT/callback?code=…&state=…`, checks `state`,
//! exchanges the code at `/oauth/token` and stores the tokens in the 0600 token file.
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::client::{OAuthApp, exchange, unix_now};
use super::error::OutreachError;
use super::token::{self, StoredTokens};

#[derive(Debug, Clone)]
pub struct LoginOptions {
    /// The API base (`https://api.outreach.io/api/v2`); `/oauth/...` live on its origin.
    pub base_url: String,
    pub app: OAuthApp,
    /// Loopback port for the redirect (0 picks a free one; Outreach apps usually register a
    /// fixed `http://127.0.0.1:PORT/callback`).
    pub port: u16,
    pub scope: String,
    /// How long to wait for the browser.
    pub timeout: Duration,
}

/// What a finished login reports (never the tokens).
#[derive(Debug, Clone, PartialEq)]
pub struct LoginDone {
    pub scope: Option<String>,
    pub expires_at: Option<i64>,
    pub token_file: std::path::PathBuf,
}

/// 128 random bits, hex: from the OS where it can, else from the process's generator.
fn random_state() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !from_os {
        for b in &mut bytes {
            *b = fastrand::u8(..);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn origin(base: &str) -> Result<String, OutreachError> {
    reqwest::Url::parse(base)
        .map(|u| u.origin().ascii_serialization())
        .map_err(|e| OutreachError::Other(format!("the Outreach URL is not a URL: {e}")))
}

/// The authorize URL for `redirect_uri` and `state`.
pub fn authorize_url(
    base: &str,
    client_id: &str,
    redirect_uri: &str,
    scope: &str,
    state: &str,
) -> Result<String, OutreachError> {
    let mut u = reqwest::Url::parse(&format!("{}/oauth/authorize", origin(base)?))
        .map_err(|e| OutreachError::Other(e.to_string()))?;
    u.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("response_type", "code")
        .append_pair("scope", scope)
        .append_pair("state", state);
    Ok(u.to_string())
}

/// Run the flow. `show` receives the URL to open (the caller prints it).
pub async fn login(
    opts: &LoginOptions,
    show: impl FnOnce(&str),
) -> Result<LoginDone, OutreachError> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .map_err(|e| {
            OutreachError::Other(format!(
                "cannot listen on 127.0.0.1:{} for the redirect: {e}",
                opts.port
            ))
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| OutreachError::Other(e.to_string()))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let state = random_state();
    let url = authorize_url(
        &opts.base_url,
        &opts.app.client_id,
        &redirect_uri,
        &opts.scope,
        &state,
    )?;
    show(&url);
    let code = tokio::time::timeout(opts.timeout, wait_for_code(&listener, &state))
        .await
        .map_err(|_| {
            OutreachError::Other(format!(
                "no answer from the browser in {}s; run outreach-login again",
                opts.timeout.as_secs()
            ))
        })??;
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| OutreachError::Other(e.to_string()))?;
    let form = [
        ("grant_type", "authorization_code".to_string()),
        ("code", code.clone()),
        ("redirect_uri", redirect_uri.clone()),
        ("client_id", opts.app.client_id.clone()),
        ("client_secret", opts.app.client_secret.expose().to_string()),
    ];
    let token_url = format!("{}/oauth/token", origin(&opts.base_url)?);
    let secrets = [code.as_str(), opts.app.client_secret.expose()];
    let resp = exchange(&http, &token_url, &form, &secrets)
        .await
        .map_err(|e| match e {
            OutreachError::Refresh { message } => {
                OutreachError::Other(format!("Outreach refused the login: {message}"))
            }
            e => e,
        })?;
    let base = StoredTokens {
        redirect_uri: Some(redirect_uri),
        ..StoredTokens::default()
    };
    let stored = base.after_grant(&resp, unix_now());
    token::store(&opts.app.token_file, &stored).map_err(OutreachError::Other)?;
    Ok(LoginDone {
        scope: stored.scope.clone(),
        expires_at: stored.expires_at,
        token_file: opts.app.token_file.clone(),
    })
}

/// Serve the loopback until the callback arrives; return its `code` once `state` matches.
async fn wait_for_code(
    listener: &tokio::net::TcpListener,
    state: &str,
) -> Result<String, OutreachError> {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else {
            continue;
        };
        let mut buf = Vec::with_capacity(2048);
        let mut chunk = [0u8; 2048];
        while buf.len() < 16 * 1024 && !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            match tokio::time::timeout(Duration::from_secs(5), sock.read(&mut chunk)).await {
                Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
                _ => break,
            }
        }
        let head = String::from_utf8_lossy(&buf);
        let target = head
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("GET "))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or("");
        let Ok(u) = reqwest::Url::parse(&format!("http://127.0.0.1{target}")) else {
            reply(&mut sock, 400, "Bad request.").await;
            continue;
        };
        if u.path() != "/callback" {
            reply(&mut sock, 404, "Not the callback.").await;
            continue;
        }
        let get = |k: &str| {
            u.query_pairs()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.into_owned())
        };
        if get("state").as_deref() != Some(state) {
            reply(
                &mut sock,
                400,
                "The state did not match; this login was not started here.",
            )
            .await;
            return Err(OutreachError::Other(
                "the redirect's state did not match the one sent (a stale or forged redirect); run outreach-login again".into(),
            ));
        }
        if let Some(e) = get("error") {
            reply(&mut sock, 400, "Outreach did not authorise plannr-tui.").await;
            let e = crate::render::sanitize::line(&e);
            return Err(OutreachError::Other(format!(
                "Outreach did not authorise the app: {e}"
            )));
        }
        match get("code").filter(|c| !c.is_empty()) {
            Some(code) => {
                reply(
                    &mut sock,
                    200,
                    "plannr-tui is signed in to Outreach. You can close this tab.",
                )
                .await;
                return Ok(code);
            }
            None => {
                reply(&mut sock, 400, "No code in the redirect.").await;
            }
        }
    }
}

async fn reply(sock: &mut tokio::net::TcpStream, status: u16, text: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!("<!doctype html><meta charset=utf-8><title>plannr-tui</title><p>{text}</p>");
    let resp = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = sock.write_all(resp.as_bytes()).await;
    let _ = sock.shutdown().await;
}
