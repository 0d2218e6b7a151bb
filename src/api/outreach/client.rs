//! The typed Outreach client: one async method per call, one token state shared by all of them.
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use super::error::OutreachError;
use super::models::{self, CursorPage, Mailbox, MailboxToggle, Mailing};
use super::token::{self, StoredTokens, TokenResponse};
use super::{MEDIA_TYPE, parse_retry_after};
use crate::api::Secret;
use crate::api::error::{ApiError, excerpt};
use crate::api::http::{
    Answer, BoxFuture, Dialect, FreshToken, Http, HttpConfig, Refresh, Request, WaitHook,
    WaitPolicy,
};

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
    /// One call's whole budget, retries and waits included (`call_deadline_secs`).
    pub call_deadline: Duration,
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
            call_deadline: Duration::from_secs(30),
        }
    }
}

pub struct OutreachClient {
    http: Http,
    base: String,
    refresh: Arc<TokenRefresh>,
}

impl fmt::Debug for OutreachClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutreachClient")
            .field("base", &self.base)
            .field("refresh", &self.refresh.app.is_some())
            .finish_non_exhaustive()
    }
}

pub(crate) use crate::api::http::unix_now;

/// The fields the mailbox list shows (and `user`, so the owner relationship comes back).
const MAILBOX_FIELDS: &str = "email,emailProvider,editable,sendDisabled,syncDisabled,sendSuccessAt,sendErroredAt,syncSuccessAt,syncErroredAt,syncFinishedAt,maxMailingsPerDay,userId,user";
const MAILING_FIELDS: &str = "subject,state,mailingType,mailboxAddress,createdAt,deliveredAt,openedAt,repliedAt,bouncedAt,errorReason,prospect";

/// Outreach's wire format for the shared transport: JSON:API on every request (GETs and
/// bodiless POSTs too: Outreach answers 415 without), errors from `errors[]`.
const DIALECT: Dialect = Dialect {
    service: "Outreach",
    media_type: MEDIA_TYPE,
    content_type_always: true,
    error: decode_error,
};

fn decode_error(a: &Answer<'_>) -> ApiError {
    let e = match OutreachError::from_status(a.status, a.retry_after, a.body, a.scope, a.secrets) {
        OutreachError::Unauthenticated { .. } => OutreachError::Unauthenticated {
            refreshed: a.refreshed,
        },
        e => e,
    };
    ApiError::Outreach(e)
}

/// The transport's error as Outreach's: its own decoded errors as they are, the transport's
/// (timeouts, network, size, refused links) in Outreach's words.
fn outreach_error(e: ApiError) -> OutreachError {
    match e {
        ApiError::Outreach(e) => e,
        ApiError::Timeout => OutreachError::Timeout,
        ApiError::Network(m) => OutreachError::Network(m),
        ApiError::Decode { detail, excerpt } => OutreachError::Decode { detail, excerpt },
        ApiError::TooLarge { limit, .. } => OutreachError::Other(format!(
            "Outreach's answer was larger than {} MB, so it was cut off there and nothing of it is shown",
            limit.div_ceil(1024 * 1024)
        )),
        ApiError::Other(m) => OutreachError::Other(m),
        e => OutreachError::Other(e.to_string()),
    }
}

/// The refresh hook the transport calls: `POST /oauth/token` with `grant_type=refresh_token`,
/// the rotated refresh token stored atomically. The transport never runs two at once.
struct TokenRefresh {
    /// A plain client for the token endpoint (form-encoded, plain JSON answers).
    http: reqwest::Client,
    token_url: String,
    app: Option<OAuthApp>,
    stored: std::sync::Mutex<StoredTokens>,
}

impl TokenRefresh {
    fn stored(&self) -> StoredTokens {
        self.stored.lock().map(|s| s.clone()).unwrap_or_default()
    }

    async fn run(&self) -> Result<FreshToken, ApiError> {
        let not_set_up = || ApiError::Outreach(OutreachError::Unauthenticated { refreshed: false });
        let Some(app) = &self.app else {
            return Err(not_set_up());
        };
        let stored = self.stored();
        let Some(refresh) = stored.refresh() else {
            return Err(not_set_up());
        };
        let mut form = vec![
            ("grant_type", "refresh_token".to_string()),
            ("refresh_token", refresh.expose().to_string()),
            ("client_id", app.client_id.clone()),
            ("client_secret", app.client_secret.expose().to_string()),
        ];
        if let Some(r) = &stored.redirect_uri {
            form.push(("redirect_uri", r.clone()));
        }
        let secrets = [refresh.expose(), app.client_secret.expose()];
        let resp = exchange(&self.http, &self.token_url, &form, &secrets)
            .await
            .map_err(ApiError::Outreach)?;
        let next = stored.after_grant(&resp, unix_now());
        if let Err(e) = token::store(&app.token_file, &next) {
            // The session goes on with the new tokens in memory; the next start needs a login.
            tracing::warn!("could not store the refreshed Outreach tokens: {e}");
        }
        let fresh = FreshToken {
            token: Secret::new(next.access_token.clone().unwrap_or_default()),
            expires_at: next.expires_at,
        };
        if let Ok(mut s) = self.stored.lock() {
            *s = next;
        }
        Ok(fresh)
    }
}

impl Refresh for TokenRefresh {
    fn can_refresh(&self) -> bool {
        self.app.is_some() && self.stored().refresh_token.is_some()
    }

    fn refresh(&self) -> BoxFuture<'_, Result<FreshToken, ApiError>> {
        Box::pin(self.run())
    }

    fn secrets(&self) -> Vec<Secret> {
        let mut v: Vec<Secret> = self.stored().refresh().into_iter().collect();
        if let Some(app) = &self.app {
            v.push(app.client_secret.clone());
        }
        v
    }
}

impl OutreachClient {
    /// Reads the token file when an OAuth app is configured (a readable-by-others file is refused).
    pub fn new(cfg: OutreachConfig) -> Result<Arc<OutreachClient>, OutreachError> {
        OutreachClient::with_wait_hook(cfg, None)
    }

    /// [`OutreachClient::new`], telling `hook` of every rate-limit wait (up to
    /// `OutreachConfig::max_wait`) before the transport sleeps through it.
    pub fn with_wait_hook(
        cfg: OutreachConfig,
        hook: Option<WaitHook>,
    ) -> Result<Arc<OutreachClient>, OutreachError> {
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
        let token_client = reqwest::Client::builder()
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.request_timeout)
            .user_agent(concat!("plannr-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| OutreachError::Other(format!("cannot build the HTTP client: {e}")))?;
        let refresh = Arc::new(TokenRefresh {
            http: token_client,
            token_url: format!("{origin}/oauth/token"),
            app: cfg.app.clone(),
            stored: std::sync::Mutex::new(stored),
        });
        let mut http_cfg = HttpConfig::new(base.clone(), access.unwrap_or_else(|| Secret::new("")));
        http_cfg.connect_timeout = cfg.connect_timeout;
        http_cfg.request_timeout = cfg.request_timeout;
        http_cfg.max_retries = cfg.max_retries;
        http_cfg.backoff_base = cfg.backoff_base;
        http_cfg.refresh_margin = cfg.refresh_margin;
        http_cfg.call_deadline = cfg.call_deadline;
        http_cfg.rate_limit = WaitPolicy::UpTo { max: cfg.max_wait };
        let mut http = Http::new(http_cfg, DIALECT)
            .map_err(outreach_error)?
            .with_refresh(refresh.clone(), expires_at);
        if let Some(hook) = hook {
            http = http.on_wait(hook);
        }
        Ok(Arc::new(OutreachClient {
            http,
            base,
            refresh,
        }))
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Tell `hook` of each rate-limit wait (up to `OutreachConfig::max_wait`) before the
    /// transport sleeps through it.
    pub fn set_wait_hook(&self, hook: WaitHook) {
        self.http.set_wait_hook(hook);
    }

    /// `POST /oauth/token` on the API's origin.
    pub fn token_url(&self) -> String {
        self.refresh.token_url.clone()
    }

    /// One call through the shared transport. `scope` is what the call needs, named if
    /// Outreach says the token lacks it.
    async fn send(&self, req: Request<'_>) -> Result<Value, OutreachError> {
        self.http.request(req).await.map_err(outreach_error)
    }

    async fn get(
        &self,
        target: Page<'_>,
        query: &[(&str, String)],
        scope: &str,
    ) -> Result<Value, OutreachError> {
        let req = match target {
            // A cursor link is used verbatim: its query is already the one Outreach wants.
            Page::Next(link) => Request::url(Method::GET, link),
            Page::First(path) => Request::new(Method::GET, path).query(query),
        };
        self.send(req.scope(scope)).await
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
        let query = [
            ("page[size]", page_size.clamp(1, 1000).to_string()),
            ("count", "false".into()),
            ("sort", "email".into()),
            ("fields[mailbox]", MAILBOX_FIELDS.into()),
            ("include", "user".into()),
            ("fields[user]", "firstName,lastName,email".into()),
        ];
        let target = next.map_or(Page::First("/mailboxes"), Page::Next);
        let doc = self.get(target, &query, "mailboxes.read").await?;
        models::collection(&doc, Mailbox::from_resource).map_err(Self::decode_err)
    }

    /// `GET /mailboxes/{id}`: one mailbox as it is now, with the list's fields and owner.
    pub async fn mailbox(&self, id: i64) -> Result<Mailbox, OutreachError> {
        let path = format!("/mailboxes/{id}");
        let query = [
            ("fields[mailbox]", MAILBOX_FIELDS.to_string()),
            ("include", "user".into()),
            ("fields[user]", "firstName,lastName,email".into()),
        ];
        let doc = self
            .get(Page::First(&path), &query, "mailboxes.read")
            .await?;
        models::single(&doc, Mailbox::from_resource).map_err(Self::decode_err)
    }

    /// `PATCH /mailboxes/{id}` with only the toggled attribute.
    pub async fn update_mailbox(
        &self,
        id: i64,
        toggle: MailboxToggle,
    ) -> Result<Mailbox, OutreachError> {
        let path = format!("/mailboxes/{id}");
        let body = toggle.body(id);
        let doc = self
            .send(
                Request::new(Method::PATCH, &path)
                    .body(Some(&body))
                    .scope("mailboxes.write"),
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
        let path = format!("/mailboxes/{id}/actions/{name}");
        let doc = self
            .send(Request::new(Method::POST, &path).scope("mailboxes.write"))
            .await?;
        // Seed 003 shows the 200 as `{}`: the test passed, and the answer says nothing of the
        // mailbox (every attribute unknown; the pane reads it again).
        let empty = match &doc {
            Value::Null => true,
            Value::Object(o) => o.get("data").is_none_or(Value::is_null),
            _ => false,
        };
        if empty {
            return Ok(Mailbox {
                id,
                ..Mailbox::default()
            });
        }
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
        let query = [
            ("filter[mailbox][id]", mailbox_id.to_string()),
            ("sort", "-createdAt".into()),
            ("page[size]", page_size.clamp(1, 1000).to_string()),
            ("count", "false".into()),
            ("fields[mailing]", MAILING_FIELDS.into()),
            ("include", "prospect".into()),
            ("fields[prospect]", "firstName,lastName".into()),
        ];
        let target = next.map_or(Page::First("/mailings"), Page::Next);
        let doc = self.get(target, &query, "mailings.read").await?;
        models::collection(&doc, Mailing::from_resource).map_err(Self::decode_err)
    }

    /// One mailing with its body.
    pub async fn mailing(&self, id: i64) -> Result<Mailing, OutreachError> {
        let path = format!("/mailings/{id}");
        let query = [
            ("include", "prospect".into()),
            ("fields[prospect]", "firstName,lastName".into()),
        ];
        let doc = self
            .get(Page::First(&path), &query, "mailings.read")
            .await?;
        models::single(&doc, Mailing::from_resource).map_err(Self::decode_err)
    }
}

/// The first page of a list (a path and the query), or the next one (Outreach's `links.next`).
#[derive(Clone, Copy)]
enum Page<'a> {
    First(&'a str),
    Next(&'a str),
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
                .map(|s| crate::api::error::scrub(s, secrets))
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
