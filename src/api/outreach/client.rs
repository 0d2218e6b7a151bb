//! The typed Outreach client: one async method per call, one token state shared by all of them.
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;
use tokio::sync::Mutex;

use super::error::{OutreachError, excerpt};
use super::models::{self, CursorPage, Mailbox, MailboxToggle, Mailing};
use super::token::{self, StoredTokens, TokenResponse};
use super::{MEDIA_TYPE, parse_retry_after};
use crate::api::Secret;

/// An Outreach OAuth app (for refreshing, and for `outreach-login`).
#[derive(Debug, Clone)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: Secret,
    /// The 0600 file holding the refresh token (state dir `outreach-tokens.json` by default).
    pub token_file: PathBuf,
}

#[derive(Debug, Clone)]
pub struct OutreachConfig {
    /// e.g. `https://api.outreach.io/api/v2`; the token endpoint is `/oauth/token` on its origin.
    pub base_url: String,
    /// An access token given directly (flag, environment, config); else the token file's.
    pub token: Option<Secret>,
    pub app: Option<OAuthApp>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Extra attempts after a 5xx/timeout/network error (GETs), or a 429/503 whose wait is at
    /// most `max_wait`.
    pub max_retries: u32,
    pub backoff_base: Duration,
    /// The longest `Retry-After` the client sleeps through itself; a longer one is returned as
    /// the error (with the wait) for the UI to show and retry.
    pub max_wait: Duration,
    /// Refresh this long before the access token expires.
    pub refresh_margin: Duration,
}

impl OutreachConfig {
    pub fn new(base_url: impl Into<String>, token: Option<Secret>) -> OutreachConfig {
        OutreachConfig {
            base_url: base_url.into(),
            token,
            app: None,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            max_retries: 2,
            backoff_base: Duration::from_millis(500),
            max_wait: Duration::ZERO,
            refresh_margin: Duration::from_secs(120),
        }
    }
}

struct TokenState {
    access: Option<Secret>,
    expires_at: Option<i64>,
    stored: StoredTokens,
    /// Bumped by every refresh, so callers that saw the same 401 refresh only once.
    generation: u64,
}

pub struct OutreachClient {
    http: reqwest::Client,
    cfg: OutreachConfig,
    base: String,
    origin: String,
    tokens: Mutex<TokenState>,
}

impl fmt::Debug for OutreachClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutreachClient")
            .field("base", &self.base)
            .field("refresh", &self.cfg.app.is_some())
            .finish_non_exhaustive()
    }
}

pub(crate) use crate::api::http::unix_now;

/// The fields the mailbox list shows (and `user`, so the owner relationship comes back).
const MAILBOX_FIELDS: &str = "email,emailProvider,editable,sendDisabled,syncDisabled,sendSuccessAt,sendErroredAt,syncSuccessAt,syncErroredAt,syncFinishedAt,maxMailingsPerDay,userId,user";
const MAILING_FIELDS: &str = "subject,state,mailingType,mailboxAddress,createdAt,deliveredAt,openedAt,repliedAt,bouncedAt,errorReason,prospect";

impl OutreachClient {
    /// Reads the token file when an OAuth app is configured (a readable-by-others file is refused).
    pub fn new(cfg: OutreachConfig) -> Result<Arc<OutreachClient>, OutreachError> {
        let http = reqwest::Client::builder()
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.request_timeout)
            .user_agent(concat!("plannr-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| OutreachError::Other(format!("cannot build the HTTP client: {e}")))?;
        let base = cfg.base_url.trim_end_matches('/').to_string();
        let origin = reqwest::Url::parse(&base)
            .map(|u| u.origin().ascii_serialization())
            .map_err(|e| OutreachError::Other(format!("the Outreach URL is not a URL: {e}")))?;
        let stored = match &cfg.app {
            Some(app) => token::load(&app.token_file)
                .map_err(OutreachError::Other)?
                .unwrap_or_default(),
            None => StoredTokens::default(),
        };
        let (access, expires_at) = match &cfg.token {
            Some(t) => (Some(t.clone()), None),
            None => (
                stored.access_token.clone().map(Secret::new),
                stored.expires_at,
            ),
        };
        if access.is_none() && stored.refresh_token.is_none() {
            return Err(OutreachError::Unauthenticated { refreshed: false });
        }
        Ok(Arc::new(OutreachClient {
            http,
            base,
            origin,
            tokens: Mutex::new(TokenState {
                access,
                expires_at,
                stored,
                generation: 0,
            }),
            cfg,
        }))
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// `POST /oauth/token` on the API's origin.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.origin)
    }

    async fn secrets(&self) -> Vec<String> {
        let t = self.tokens.lock().await;
        let mut v: Vec<String> = [
            t.access.as_ref().map(|s| s.expose().to_string()),
            t.stored.refresh_token.clone(),
            self.cfg.token.as_ref().map(|s| s.expose().to_string()),
            self.cfg
                .app
                .as_ref()
                .map(|a| a.client_secret.expose().to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        v.retain(|s| !s.is_empty());
        v
    }

    /// The access token to use now (refreshed first when it is about to expire), and the
    /// generation it belongs to.
    async fn access(&self) -> Result<(Secret, u64), OutreachError> {
        let (needs, generation) = {
            let t = self.tokens.lock().await;
            let expiring = t
                .expires_at
                .is_some_and(|e| unix_now() + self.cfg.refresh_margin.as_secs() as i64 >= e);
            let can = self.cfg.app.is_some() && t.stored.refresh_token.is_some();
            match &t.access {
                Some(a) if !(expiring && can) => return Ok((a.clone(), t.generation)),
                _ => (can, t.generation),
            }
        };
        if !needs {
            return Err(OutreachError::Unauthenticated { refreshed: false });
        }
        self.refresh(generation).await?;
        let t = self.tokens.lock().await;
        t.access
            .clone()
            .map(|a| (a, t.generation))
            .ok_or(OutreachError::Unauthenticated { refreshed: true })
    }

    async fn can_refresh(&self) -> bool {
        self.cfg.app.is_some() && self.tokens.lock().await.stored.refresh_token.is_some()
    }

    /// Refresh the access token unless another call already did since `seen` (one refresh for
    /// many calls that met the same 401). Stores the rotated refresh token atomically.
    async fn refresh(&self, seen: u64) -> Result<(), OutreachError> {
        let Some(app) = &self.cfg.app else {
            return Err(OutreachError::Unauthenticated { refreshed: false });
        };
        let mut t = self.tokens.lock().await;
        if t.generation != seen {
            return Ok(());
        }
        let Some(refresh) = t.stored.refresh() else {
            return Err(OutreachError::Unauthenticated { refreshed: false });
        };
        let mut form = vec![
            ("grant_type", "refresh_token".to_string()),
            ("refresh_token", refresh.expose().to_string()),
            ("client_id", app.client_id.clone()),
            ("client_secret", app.client_secret.expose().to_string()),
        ];
        if let Some(r) = &t.stored.redirect_uri {
            form.push(("redirect_uri", r.clone()));
        }
        let secrets = [refresh.expose(), app.client_secret.expose()];
        tracing::info!("refreshing the Outreach access token");
        let resp = exchange(&self.http, &self.token_url(), &form, &secrets).await?;
        let stored = t.stored.after_grant(&resp, unix_now());
        if let Err(e) = token::store(&app.token_file, &stored) {
            // The session goes on with the new tokens in memory; the next start needs a login.
            tracing::warn!("could not store the refreshed Outreach tokens: {e}");
        }
        t.access = stored.access_token.clone().map(Secret::new);
        t.expires_at = stored.expires_at;
        t.stored = stored;
        t.generation += 1;
        Ok(())
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.cfg.backoff_base.as_millis() as u64;
        let ms = base.saturating_mul(1 << attempt.min(10)).min(30_000);
        Duration::from_millis(ms + fastrand::u64(0..=ms / 4 + 1))
    }

    /// Only URLs on the API's own origin get the token (a `links.next` elsewhere is refused).
    fn check_url(&self, url: &str) -> Result<(), OutreachError> {
        let same = reqwest::Url::parse(url)
            .map(|u| u.origin().ascii_serialization() == self.origin)
            .unwrap_or(false);
        if same {
            Ok(())
        } else {
            Err(OutreachError::Other(
                "refusing to follow a link to another host with the Outreach token".into(),
            ))
        }
    }

    /// One call: media type and token on every attempt, one refresh on a 401, retries where safe.
    /// `scope` is what the call needs, named if Outreach says the token lacks it.
    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
        scope: &str,
    ) -> Result<Value, OutreachError> {
        self.check_url(url)?;
        let safe = method == Method::GET;
        let mut refreshed = false;
        let mut attempt = 0u32;
        loop {
            let (token, generation) = self.access().await?;
            let mut req = self
                .http
                .request(method.clone(), url)
                .bearer_auth(token.expose())
                .header(reqwest::header::CONTENT_TYPE, MEDIA_TYPE)
                .header(reqwest::header::ACCEPT, MEDIA_TYPE);
            if let Some(b) = body {
                let bytes = serde_json::to_vec(b)
                    .map_err(|e| OutreachError::Other(format!("cannot encode the request: {e}")))?;
                req = req.body(bytes);
            }
            let path = reqwest::Url::parse(url)
                .map(|u| u.path().to_string())
                .unwrap_or_default();
            tracing::debug!(%method, path, attempt, "outreach request");
            let result = match req.send().await {
                Ok(resp) => self.read(resp, scope).await,
                Err(e) if e.is_timeout() => Err(OutreachError::Timeout),
                Err(e) => Err(OutreachError::Network(network_message(&e))),
            };
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            if matches!(err, OutreachError::Unauthenticated { .. }) {
                if !refreshed && self.can_refresh().await {
                    self.refresh(generation).await?;
                    refreshed = true;
                    continue;
                }
                return Err(OutreachError::Unauthenticated { refreshed });
            }
            let wait = match &err {
                OutreachError::RateLimited { wait } | OutreachError::Unavailable { wait, .. } => {
                    match wait {
                        Some(w) if *w <= self.cfg.max_wait => Some(*w),
                        _ => None,
                    }
                }
                OutreachError::Server { .. }
                | OutreachError::Timeout
                | OutreachError::Network(_)
                    if safe =>
                {
                    Some(self.backoff(attempt))
                }
                _ => None,
            };
            match wait {
                Some(w) if attempt < self.cfg.max_retries => {
                    tracing::info!(%method, path, "retrying in {w:?} after: {err}");
                    tokio::time::sleep(w).await;
                    attempt += 1;
                }
                _ => {
                    tracing::info!(%method, path, "outreach request failed: {err}");
                    return Err(err);
                }
            }
        }
    }

    async fn read(&self, resp: reqwest::Response, scope: &str) -> Result<Value, OutreachError> {
        let status = resp.status();
        let wait = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, unix_now()));
        let bytes = match resp.bytes().await {
            Ok(b) => b,
            Err(e) if e.is_timeout() => return Err(OutreachError::Timeout),
            Err(e) => return Err(OutreachError::Network(network_message(&e))),
        };
        let text = String::from_utf8_lossy(&bytes);
        let secrets = self.secrets().await;
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        if !status.is_success() {
            return Err(OutreachError::from_status(
                status.as_u16(),
                wait,
                &text,
                scope,
                &secrets,
            ));
        }
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        let fixed = crate::api::http::replace_lone_surrogates(&text);
        serde_json::from_str(&fixed).map_err(|e| OutreachError::Decode {
            detail: format!("not JSON: {}", e.classify_words()),
            excerpt: excerpt(&text, &secrets),
        })
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> Result<String, OutreachError> {
        let mut u = reqwest::Url::parse(&format!("{}{path}", self.base))
            .map_err(|e| OutreachError::Other(format!("bad URL: {e}")))?;
        if !query.is_empty() {
            let mut q = u.query_pairs_mut();
            for (k, v) in query {
                q.append_pair(k, v);
            }
        }
        Ok(u.to_string())
    }

    fn decode_err(e: String) -> OutreachError {
        OutreachError::Decode {
            detail: e,
            excerpt: String::new(),
        }
    }

    // ---- mailboxes -------------------------------------------------------------------------

    /// A page of mailboxes: the first (`next: None`) or the one at `links.next`, used verbatim.
    pub async fn mailboxes(
        &self,
        next: Option<&str>,
        page_size: u32,
    ) -> Result<CursorPage<Mailbox>, OutreachError> {
        let url = match next {
            Some(n) => n.to_string(),
            None => self.url(
                "/mailboxes",
                &[
                    ("page[size]", page_size.clamp(1, 1000).to_string()),
                    ("count", "false".into()),
                    ("sort", "email".into()),
                    ("fields[mailbox]", MAILBOX_FIELDS.into()),
                    ("include", "user".into()),
                    ("fields[user]", "firstName,lastName,email".into()),
                ],
            )?,
        };
        let doc = self.send(Method::GET, &url, None, "mailboxes.read").await?;
        models::collection(&doc, Mailbox::from_resource).map_err(Self::decode_err)
    }

    /// `PATCH /mailboxes/{id}` with only the toggled attribute.
    pub async fn update_mailbox(
        &self,
        id: i64,
        toggle: MailboxToggle,
    ) -> Result<Mailbox, OutreachError> {
        let url = self.url(&format!("/mailboxes/{id}"), &[])?;
        let doc = self
            .send(
                Method::PATCH,
                &url,
                Some(&toggle.body(id)),
                "mailboxes.write",
            )
            .await?;
        models::single(&doc, Mailbox::from_resource).map_err(Self::decode_err)
    }

    /// `POST /mailboxes/{id}/actions/testSend`: the mailbox as it is after the test.
    pub async fn test_send(&self, id: i64) -> Result<Mailbox, OutreachError> {
        self.action(id, "testSend").await
    }

    /// `POST /mailboxes/{id}/actions/testSync`.
    pub async fn test_sync(&self, id: i64) -> Result<Mailbox, OutreachError> {
        self.action(id, "testSync").await
    }

    async fn action(&self, id: i64, name: &str) -> Result<Mailbox, OutreachError> {
        let url = self.url(&format!("/mailboxes/{id}/actions/{name}"), &[])?;
        let doc = self
            .send(Method::POST, &url, None, "mailboxes.write")
            .await?;
        models::single(&doc, Mailbox::from_resource).map_err(Self::decode_err)
    }

    // ---- mailings --------------------------------------------------------------------------

    /// A page of one mailbox's mailings, newest first.
    pub async fn mailings(
        &self,
        mailbox_id: i64,
        next: Option<&str>,
        page_size: u32,
    ) -> Result<CursorPage<Mailing>, OutreachError> {
        let url = match next {
            Some(n) => n.to_string(),
            None => self.url(
                "/mailings",
                &[
                    ("filter[mailbox][id]", mailbox_id.to_string()),
                    ("sort", "-createdAt".into()),
                    ("page[size]", page_size.clamp(1, 1000).to_string()),
                    ("count", "false".into()),
                    ("fields[mailing]", MAILING_FIELDS.into()),
                    ("include", "prospect".into()),
                    ("fields[prospect]", "firstName,lastName".into()),
                ],
            )?,
        };
        let doc = self.send(Method::GET, &url, None, "mailings.read").await?;
        models::collection(&doc, Mailing::from_resource).map_err(Self::decode_err)
    }

    /// One mailing with its body.
    pub async fn mailing(&self, id: i64) -> Result<Mailing, OutreachError> {
        let url = self.url(
            &format!("/mailings/{id}"),
            &[
                ("include", "prospect".into()),
                ("fields[prospect]", "firstName,lastName".into()),
            ],
        )?;
        let doc = self.send(Method::GET, &url, None, "mailings.read").await?;
        models::single(&doc, Mailing::from_resource).map_err(Self::decode_err)
    }
}

trait Classify {
    fn classify_words(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_words(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "cut short",
        }
    }
}

/// `POST` a grant to the token endpoint (form-encoded) and read the tokens.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    token_url: &str,
    form: &[(&str, String)],
    secrets: &[&str],
) -> Result<TokenResponse, OutreachError> {
    let resp = http
        .post(token_url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                OutreachError::Timeout
            } else {
                OutreachError::Network(network_message(&e))
            }
        })?;
    let status = resp.status();
    let wait = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, unix_now()));
    let text = resp.text().await.unwrap_or_default();
    if status.as_u16() == 429 {
        return Err(OutreachError::RateLimited { wait });
    }
    if !status.is_success() {
        let v: Option<Value> = serde_json::from_str(&text).ok();
        let field = |k: &str| {
            v.as_ref()
                .and_then(|v| v.get(k))
                .and_then(Value::as_str)
                .map(|s| super::error::scrub(s, secrets))
        };
        let field = |k: &str| field(k).map(|s| s.trim().trim_end_matches('.').to_string());
        let message = match (field("error"), field("error_description")) {
            (Some(e), Some(d)) => format!("{e}: {d}"),
            (Some(e), None) => e,
            _ => format!(
                "the token endpoint answered {}: {}",
                status.as_u16(),
                excerpt(&text, secrets)
            ),
        };
        return Err(OutreachError::Refresh { message });
    }
    serde_json::from_str::<TokenResponse>(&text).map_err(|e| OutreachError::Decode {
        detail: format!("token answer: {}", e.classify_words()),
        excerpt: String::new(),
    })
}

fn network_message(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    crate::render::sanitize::line(&msg)
}
