//! The fake Outreach API v2 (axum), written from seed 003 (Mailbox) and `shared/outreach-api.md`.
//!
//! [`OutreachDemo::start`] binds `127.0.0.1` and serves, under `/api/v2`, JSON:API documents for
//! `mailboxes` (list with cursor paging by `links.next`, `page[size]`, `count`, sparse
//! `fields[…]`, `include=user`, `filter[…]`, `sort`; show; PATCH; `actions/testSend` and
//! `actions/testSync`) and `mailings` (list filtered by `filter[mailbox][id]`, sorted; show with
//! `include=prospect`). Every `/api/v2` request must carry `Content-Type` and accept
//! `application/vnd.api+json` (else 415 `unsupportedMediaType`, spelled `details` as in the
//! published example) and a live bearer token (else 401); a token without the scope a call needs
//! gets 403 `unauthorizedOauthScope`. `POST /oauth/token` (form-encoded) implements the
//! `authorization_code` and `refresh_token` grants with rotating refresh tokens; `GET
//! /oauth/authorize` approves at once and redirects to `redirect_uri` with `code` and `state`.
//! Requests are recorded and one-shot faults can be queued, as with the Plannr demo
//! ([`OutreachDemo::script`], `POST /__demo/script`, `GET /__demo/requests`).

mod data;
mod oauth;
mod query;
mod resources;
mod routes;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

pub use data::{HEALTHY_MAILINGS, ids};

use super::server::{Recorder, Running, lock};
use super::{RecordedRequest, Scripted};

/// The access token a fresh demo accepts (scopes: [`DEFAULT_SCOPES`]).
pub const OUTREACH_DEMO_TOKEN: &str = "outreach-demo-token";
/// The refresh token a fresh demo accepts once (refresh tokens rotate).
pub const OUTREACH_DEMO_REFRESH_TOKEN: &str = "outreach-demo-refresh";
pub const OUTREACH_DEMO_CLIENT_ID: &str = "outreach-demo-client";
pub const OUTREACH_DEMO_CLIENT_SECRET: &str = "outreach-demo-secret";
/// What the demo's tokens may do unless a narrower scope was asked for.
pub const DEFAULT_SCOPES: &str = "mailboxes.all mailings.read users.read";

#[derive(Clone, Debug)]
pub struct OutreachOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Sleep this long before answering every request.
    pub latency_ms: u64,
    /// Probability (0..=1) of answering an API request with a random 500 or 503.
    pub fail_rate: f64,
    /// Unix seconds the dataset's timestamps count back from (None: the clock at start).
    pub now: Option<i64>,
    /// `expires_in` of issued access tokens.
    pub token_lifetime: Duration,
}

impl Default for OutreachOptions {
    fn default() -> Self {
        OutreachOptions {
            port: 0,
            latency_ms: 0,
            fail_rate: 0.0,
            now: None,
            token_lifetime: Duration::from_secs(7200),
        }
    }
}

pub(crate) struct Grant {
    pub scopes: Vec<String>,
    pub expires: Instant,
}

#[derive(Default)]
pub(crate) struct Tokens {
    pub access: HashMap<String, Grant>,
    pub refresh: HashMap<String, Vec<String>>,
    /// Authorization codes: code → (redirect_uri, scopes).
    pub codes: HashMap<String, (String, Vec<String>)>,
    pub minted: u64,
}

pub(crate) struct Shared {
    pub opts: OutreachOptions,
    /// `http://127.0.0.1:PORT` (the API lives under `/api/v2`).
    pub origin: String,
    pub now: i64,
    pub started: Instant,
    pub data: Mutex<data::Data>,
    pub tokens: Mutex<Tokens>,
    pub rec: Recorder,
    pub rng: Mutex<fastrand::Rng>,
}

impl Shared {
    /// A new access token (and refresh token) for `scopes`.
    fn mint(&self, scopes: Vec<String>) -> (String, String) {
        let mut t = lock(&self.tokens);
        t.minted += 1;
        let access = format!("outreach-demo-access-{}", t.minted);
        let refresh = format!("outreach-demo-refresh-{}", t.minted);
        t.access.insert(
            access.clone(),
            Grant {
                scopes: scopes.clone(),
                expires: Instant::now() + self.opts.token_lifetime,
            },
        );
        t.refresh.insert(refresh.clone(), scopes);
        (access, refresh)
    }
}

fn scopes(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// A running Outreach demo; dropping it stops the server.
pub struct OutreachDemo {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT/api/v2`, what `--outreach-url` takes.
    pub base_url: String,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    /// [`OUTREACH_DEMO_TOKEN`].
    pub token: String,
    /// The dataset's "now" (unix seconds).
    pub now: i64,
    shared: Arc<Shared>,
    running: Running,
}

impl OutreachDemo {
    /// Starts serving on `127.0.0.1:opts.port`. Must be called inside a tokio runtime.
    pub async fn start(opts: OutreachOptions) -> std::io::Result<OutreachDemo> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port)).await?;
        let addr = listener.local_addr()?;
        let origin = format!("http://127.0.0.1:{}", addr.port());
        let now = opts.now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
        let mut tokens = Tokens::default();
        tokens.access.insert(
            OUTREACH_DEMO_TOKEN.into(),
            Grant {
                scopes: scopes(DEFAULT_SCOPES),
                expires: Instant::now() + opts.token_lifetime,
            },
        );
        tokens
            .refresh
            .insert(OUTREACH_DEMO_REFRESH_TOKEN.into(), scopes(DEFAULT_SCOPES));
        let shared = Arc::new(Shared {
            rng: Mutex::new(fastrand::Rng::with_seed(0x0A7E)),
            opts,
            origin: origin.clone(),
            now,
            started: Instant::now(),
            data: Mutex::new(data::Data::generate(now)),
            tokens: Mutex::new(tokens),
            rec: Recorder::default(),
        });
        let running = Running::spawn(listener, routes::router(shared.clone()));
        Ok(OutreachDemo {
            addr,
            base_url: format!("{origin}/api/v2"),
            origin,
            token: OUTREACH_DEMO_TOKEN.into(),
            now,
            shared,
            running,
        })
    }

    /// Every request received so far, in order (form bodies of `/oauth/token` as JSON objects).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.rec.requests()
    }

    pub fn clear_requests(&self) {
        self.shared.rec.clear_requests();
    }

    /// Queues a one-shot scripted response (FIFO); see [`fault`] for JSON:API error bodies.
    pub fn script(&self, s: Scripted) {
        self.shared.rec.script(s);
    }

    /// Every access token issued so far stops working (as if two hours had passed).
    pub fn expire_access_tokens(&self) {
        lock(&self.shared.tokens).access.clear();
    }

    /// Issue an access token with these (space-separated) scopes, e.g. `"mailboxes.read"`.
    pub fn issue_token(&self, scope: &str) -> String {
        self.shared.mint(scopes(scope)).0
    }

    /// How many token pairs `/oauth/token` (or [`OutreachDemo::issue_token`]) minted.
    pub fn minted(&self) -> u64 {
        lock(&self.shared.tokens).minted
    }

    /// Whether `refresh` would be accepted now.
    pub fn refresh_token_valid(&self, refresh: &str) -> bool {
        lock(&self.shared.tokens).refresh.contains_key(refresh)
    }

    /// Stops the server (also done on drop).
    pub fn shutdown(mut self) {
        self.running.stop();
    }
}

/// A JSON:API error document `{errors: [{id, title, detail}]}` with `status`, for scripts.
/// 429 and 503 carry `Retry-After: retry_after` when given.
pub fn fault(
    method: Option<&str>,
    path_prefix: Option<&str>,
    status: u16,
    id: &str,
    title: &str,
    detail: &str,
) -> Scripted {
    Scripted::json(
        method,
        path_prefix,
        status,
        json!({ "errors": [ { "id": id, "title": title, "detail": detail } ] }),
    )
    .with_header("Content-Type", "application/vnd.api+json")
}

/// 429 `rateLimitExceeded` with `Retry-After` (any value form: seconds, epoch or a date).
pub fn rate_limited(path_prefix: Option<&str>, retry_after: &str) -> Scripted {
    fault(
        None,
        path_prefix,
        429,
        "rateLimitExceeded",
        "Rate Limit Exceeded",
        "You have exceeded your permitted rate limit of 10,000; please try again later.",
    )
    .with_header("Retry-After", retry_after)
    .with_header("X-RateLimit-Remaining", "0")
}

/// Print how to reach a running demo (for `demo-server`).
pub fn describe(demo: &OutreachDemo) -> String {
    format!(
        "OUTREACH_BASE_URL={}\nOUTREACH_TOKEN={}\n# refresh: client_id={} client_secret={} refresh_token={} (token endpoint {}/oauth/token)\n# try: curl -s -H 'Authorization: Bearer {}' -H 'Content-Type: application/vnd.api+json' '{}/mailboxes?include=user'",
        demo.base_url,
        demo.token,
        OUTREACH_DEMO_CLIENT_ID,
        OUTREACH_DEMO_CLIENT_SECRET,
        OUTREACH_DEMO_REFRESH_TOKEN,
        demo.origin,
        demo.token,
        demo.base_url
    )
}
