//! The HTTP transport every backend shares: one reqwest client, a client-side rate limiter,
//! retries (with `Retry-After`), timeouts, token scrubbing, and the origin rule for the token.
//! It knows HTTP and JSON and nothing of any vendor: a backend hands it a [`Dialect`] (media type,
//! error decoder), adds its own per-request headers and, if its tokens expire, a [`Refresh`] hook.
mod parts;
mod window;
mod wire;

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::Mutex;

use super::error::{ApiError, Failure, excerpt};
use parts::TokenState;
pub use parts::{
    Answer, BoxFuture, FreshToken, Refresh, Request, Secret, Target, WaitHook, WaitPolicy,
};
pub use window::Window;
pub use wire::{
    human_wait, parse_instant, parse_retry_after, replace_lone_surrogates, scrub_secrets, seg,
    unix_now,
};

/// Transport settings (from config and flags); the same for every backend.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub base_url: String,
    pub token: Secret,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Extra attempts for GET/PUT after a 429, 5xx, timeout or network error.
    pub max_retries: u32,
    /// Client-side cap on requests started per minute (kept under the service's own limit).
    pub requests_per_minute: usize,
    /// First backoff step; doubles each retry (capped at 60 s). Tests shrink it.
    pub backoff_base: Duration,
    /// One call's whole budget, retries and rate-limit waits included: a hung server costs the
    /// user this long at most, then the call fails with a clear sentence.
    pub call_deadline: Duration,
    /// Largest answer read (after decompression) for a call that does not say otherwise.
    pub max_body: usize,
    /// What to do when the service asks to wait (429, `Retry-After`).
    pub rate_limit: WaitPolicy,
    /// With a [`Refresh`] hook: refresh this long before the token's known expiry.
    pub refresh_margin: Duration,
}

/// Answers larger than this are cut off unread: a page of a list or of a thread is far smaller
/// (a 500-item page of emails with bodies is about 2 MB).
pub const DEFAULT_MAX_BODY: usize = 8 * 1024 * 1024;

/// How many redirects one request may follow (all on the API's own origin, or reads only).
const MAX_REDIRECTS: usize = 5;

impl HttpConfig {
    pub fn new(base_url: impl Into<String>, token: Secret) -> HttpConfig {
        HttpConfig {
            base_url: base_url.into(),
            token,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            max_retries: 3,
            requests_per_minute: 480,
            backoff_base: Duration::from_millis(500),
            call_deadline: Duration::from_secs(30),
            max_body: DEFAULT_MAX_BODY,
            rate_limit: WaitPolicy::Sleep {
                cap: Duration::from_secs(60),
            },
            refresh_margin: Duration::from_secs(120),
        }
    }
}

/// What a backend tells the transport about its wire format.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    /// The service's name as users know it, for messages ("… redirected the request …").
    pub service: &'static str,
    /// Sent as `Accept`, and as `Content-Type` of request bodies.
    pub media_type: &'static str,
    /// Send `Content-Type` on every request, bodiless GETs and POSTs too (some services refuse
    /// a request without it).
    pub content_type_always: bool,
    /// The error for a non-success answer.
    pub error: fn(&Answer<'_>) -> ApiError,
}

/// One backend's connection: base URL, token, limiter and dialect.
pub struct Http {
    /// API calls: redirects are followed by hand (`send`), so the origin rule can be applied.
    http: reqwest::Client,
    /// Downloads: reqwest's own redirect policy (it drops the token on a change of host).
    download_http: reqwest::Client,
    cfg: HttpConfig,
    base: String,
    /// At most `requests_per_minute` requests started in any 60 s.
    limiter: Mutex<Window<Instant>>,
    dialect: Dialect,
    token: RwLock<TokenState>,
    refresher: Option<Arc<dyn Refresh>>,
    /// Held while a refresh runs, so concurrent calls wait for it instead of refreshing again.
    refreshing: Mutex<()>,
    wait_hook: RwLock<Option<WaitHook>>,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("base", &self.base)
            .field("token", &self.cfg.token)
            .field("refreshes", &self.refresher.is_some())
            .finish()
    }
}

impl Http {
    pub fn new(cfg: HttpConfig, dialect: Dialect) -> Result<Http, ApiError> {
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(cfg.connect_timeout)
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
        };
        let built = |b: reqwest::ClientBuilder| {
            b.build()
                .map_err(|e| ApiError::Other(format!("cannot build the HTTP client: {e}")))
        };
        let api = builder().timeout(cfg.request_timeout);
        let http = built(api.redirect(reqwest::redirect::Policy::none()))?;
        // Downloads: no total timeout (the worker gives one the deadline to start and per stall).
        let download_http =
            built(builder().redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS)))?;
        let base = cfg.base_url.trim_end_matches('/').to_string();
        Ok(Http {
            http,
            download_http,
            limiter: Mutex::new(Window::new(
                cfg.requests_per_minute,
                Duration::from_secs(60),
            )),
            base,
            token: RwLock::new(TokenState {
                token: cfg.token.clone(),
                expires_at: None,
                generation: 0,
                retired: Vec::new(),
            }),
            cfg,
            dialect,
            refresher: None,
            refreshing: Mutex::new(()),
            wait_hook: RwLock::new(None),
        })
    }

    /// Let `refresher` replace the token when it is missing (empty), within
    /// `HttpConfig::refresh_margin` of `expires_at`, or refused with a 401 (once per call).
    pub fn with_refresh(mut self, refresher: Arc<dyn Refresh>, expires_at: Option<i64>) -> Http {
        if let Ok(mut t) = self.token.write() {
            t.expires_at = expires_at;
        }
        self.refresher = Some(refresher);
        self
    }

    /// Tell `hook` of every rate-limit wait the transport sleeps through, before it sleeps.
    pub fn on_wait(self, hook: WaitHook) -> Http {
        self.set_wait_hook(hook);
        self
    }

    /// [`Http::on_wait`] on a transport already shared (the worker installs its hook).
    pub fn set_wait_hook(&self, hook: WaitHook) {
        if let Ok(mut h) = self.wait_hook.write() {
            *h = Some(hook);
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// One call's whole budget (`HttpConfig::call_deadline`).
    pub fn call_deadline(&self) -> Duration {
        self.cfg.call_deadline
    }

    /// The token in use, for scrubbing it out of text copied from answers. Never log it.
    pub fn token(&self) -> Secret {
        self.token
            .read()
            .map(|t| t.token.clone())
            .unwrap_or_else(|_| self.cfg.token.clone())
    }

    /// Use `token` from now on (it was read again after the service refused the old one);
    /// requests already sent keep the old one. Returns whether it differs from the one in use.
    pub fn set_token(&self, token: Secret) -> bool {
        let mut held = match self.token.write() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        let changed = held.token != token;
        held.replace(token);
        held.expires_at = None;
        changed
    }

    /// Every secret to scrub from text copied out of answers: the token in use, the one first
    /// configured, the ones used in between, and the refresh hook's.
    pub fn secrets(&self) -> Vec<Secret> {
        let mut v = vec![self.token(), self.cfg.token.clone()];
        if let Ok(t) = self.token.read() {
            v.extend(t.retired.iter().cloned());
        }
        if let Some(r) = &self.refresher {
            v.extend(r.secrets());
        }
        v.retain(|s| !s.expose().is_empty());
        v.dedup();
        v
    }

    /// The token to send now and its generation: refreshed first when it is missing or about
    /// to expire and the backend can refresh. With no token and no way to get one, the error is
    /// the one the service gives a request without a valid token.
    async fn current_token(&self) -> Result<(Secret, u64), ApiError> {
        let (token, expires_at, generation) = self.token_now();
        let can = self.can_refresh();
        let expiring = expires_at.is_some_and(|e| {
            unix_now().saturating_add(self.cfg.refresh_margin.as_secs() as i64) >= e
        });
        let present = !token.expose().is_empty();
        if present && !(expiring && can) {
            return Ok((token, generation));
        }
        if !can {
            if present {
                return Ok((token, generation));
            }
            return Err(self.decode_error(401, None, "", "", false));
        }
        self.refresh_after(generation).await?;
        let (token, _, generation) = self.token_now();
        if token.expose().is_empty() {
            return Err(self.decode_error(401, None, "", "", true));
        }
        Ok((token, generation))
    }

    fn token_now(&self) -> (Secret, Option<i64>, u64) {
        match self.token.read() {
            Ok(t) => (t.token.clone(), t.expires_at, t.generation),
            Err(_) => (self.cfg.token.clone(), None, 0),
        }
    }

    fn can_refresh(&self) -> bool {
        self.refresher.as_ref().is_some_and(|r| r.can_refresh())
    }

    /// Refresh the token unless another call already did since generation `seen`: many calls
    /// that met the same refused token cause one refresh.
    async fn refresh_after(&self, seen: u64) -> Result<(), ApiError> {
        let Some(refresher) = &self.refresher else {
            return Ok(());
        };
        let _one_at_a_time = self.refreshing.lock().await;
        if self.token_now().2 != seen {
            return Ok(());
        }
        tracing::info!(
            service = self.dialect.service,
            "refreshing the access token"
        );
        let fresh = refresher.refresh().await?;
        if let Ok(mut t) = self.token.write() {
            t.replace(fresh.token);
            t.expires_at = fresh.expires_at;
        }
        Ok(())
    }

    /// The dialect's error for an answer, with every secret to scrub.
    fn decode_error(
        &self,
        status: u16,
        retry_after: Option<Duration>,
        body: &str,
        scope: &str,
        refreshed: bool,
    ) -> ApiError {
        let secrets = self.secrets();
        let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
        (self.dialect.error)(&Answer {
            status,
            retry_after,
            body,
            secrets: &secrets,
            scope,
            refreshed,
        })
    }

    /// Scrub every secret out of a network error's text.
    fn network_error(&self, e: reqwest::Error) -> ApiError {
        if e.is_timeout() {
            return ApiError::Timeout;
        }
        let secrets = self.secrets();
        let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
        ApiError::Network(network_message(e, &secrets))
    }

    /// Whether `url` has the scheme, host and port of the base URL.
    fn is_own_origin(&self, url: &str) -> bool {
        match (reqwest::Url::parse(url), reqwest::Url::parse(&self.base)) {
            (Ok(u), Ok(b)) => u.origin() == b.origin(),
            _ => false,
        }
    }

    async fn wait_turn(&self) {
        loop {
            let wait = self.limiter.lock().await.wait(Instant::now());
            if wait.is_zero() {
                return;
            }
            tracing::debug!("client-side rate limit: waiting {wait:?}");
            tokio::time::sleep(wait).await;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.cfg.backoff_base.as_millis() as u64;
        let ms = base.saturating_mul(1 << attempt.min(10)).min(60_000);
        Duration::from_millis(ms + fastrand::u64(0..=ms / 4 + 1))
    }

    /// Send one request with the bearer token and the backend's `headers`, retrying what is safe
    /// to retry, and decode the JSON answer (`Value::Null` for an empty one). The answer is read
    /// up to `HttpConfig::max_body`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        headers: &[(&str, String)],
    ) -> Result<Value, ApiError> {
        self.request(
            Request::new(method, path)
                .query(query)
                .body(body)
                .headers(headers),
        )
        .await
    }

    /// [`Http::send`] with its own cap on the answer's size (after decompression).
    pub async fn send_capped(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        headers: &[(&str, String)],
        max_body: usize,
    ) -> Result<Value, ApiError> {
        self.request(
            Request::new(method, path)
                .query(query)
                .body(body)
                .headers(headers)
                .max_body(max_body),
        )
        .await
    }

    /// The request's URL. A full URL (a cursor link) is used as the service wrote it, and only
    /// on the base URL's own origin: the token never goes anywhere else.
    fn target_url(&self, req: &Request<'_>) -> Result<reqwest::Url, ApiError> {
        let mut url = match req.target {
            Target::Path(path) => reqwest::Url::parse(&format!("{}{}", self.base, path))
                .map_err(|e| ApiError::Other(format!("cannot build the request URL: {e}")))?,
            Target::Url(link) => {
                let url = reqwest::Url::parse(link).map_err(|_| {
                    ApiError::Other(format!(
                        "{} handed out a link that is not a URL; it was not followed",
                        self.dialect.service
                    ))
                })?;
                if !self.is_own_origin(url.as_str()) {
                    let host = crate::render::sanitize::line(url.host_str().unwrap_or("?"));
                    tracing::warn!(%host, "refused a link to another origin");
                    return Err(ApiError::Other(format!(
                        "{} handed out a link to another host ({host}); it was not followed, so your token was not sent there",
                        self.dialect.service
                    )));
                }
                url
            }
        };
        if !req.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(req.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    /// Send one request: the token (refreshed when the backend can: before it expires, and once
    /// after a 401, shared with every call that met the same 401), the rate limiter, retries of
    /// what is safe to repeat, rate-limit waits as [`WaitPolicy`] says, all within the call's
    /// deadline. Decodes the JSON answer (`Value::Null` for an empty one).
    pub async fn request(&self, req: Request<'_>) -> Result<Value, ApiError> {
        let url = self.target_url(&req)?;
        let method = req.method.clone();
        let path = url.path().to_string();
        let max_body = req.max_body.unwrap_or(self.cfg.max_body);
        let body = req
            .body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ApiError::Other(format!("cannot encode the request: {e}")))?;
        let idempotent = method == Method::GET || method == Method::PUT;
        let deadline = tokio::time::Instant::now() + self.cfg.call_deadline;
        let out_of_time = || {
            tracing::info!(%method, path, "no answer within the call's deadline");
            ApiError::Timeout
        };
        let mut attempt = 0u32;
        let mut refreshed = false;
        loop {
            let once = async {
                let (token, generation) = self
                    .current_token()
                    .await
                    .map_err(|e| (e, self.token_now().2))?;
                self.wait_turn().await;
                tracing::debug!(%method, path, attempt, "request");
                let call = Call {
                    method: &method,
                    body: body.as_deref(),
                    headers: req.headers,
                    token: &token,
                    max_body,
                    scope: req.scope,
                    refreshed,
                };
                self.exchange(call, url.clone())
                    .await
                    .map_err(|e| (e, generation))
            };
            let (err, generation) = match tokio::time::timeout_at(deadline, once).await {
                Ok(Ok(v)) => return Ok(v),
                Ok(Err(e)) => e,
                Err(_) => return Err(out_of_time()),
            };
            let wait = match err.failure() {
                Failure::Unauthenticated if !refreshed && self.can_refresh() => {
                    match tokio::time::timeout_at(deadline, self.refresh_after(generation)).await {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => return Err(e),
                        Err(_) => return Err(out_of_time()),
                    }
                    refreshed = true;
                    continue;
                }
                Failure::RateLimited(asked) => {
                    let wait = asked.unwrap_or_else(|| self.backoff(attempt));
                    match self.cfg.rate_limit {
                        WaitPolicy::Sleep { cap } => Some(wait.min(cap)),
                        WaitPolicy::UpTo { max } if wait <= max => Some(wait),
                        WaitPolicy::UpTo { .. } => None,
                    }
                }
                Failure::Transient if idempotent => Some(self.backoff(attempt)),
                _ => None,
            };
            let Some(wait) = wait.filter(|_| attempt < self.cfg.max_retries) else {
                tracing::info!(%method, path, "request failed: {err}");
                return Err(err);
            };
            if tokio::time::Instant::now() + wait >= deadline {
                // No time left for another try: the last failure is the answer.
                tracing::info!(%method, path, "request failed (no time to retry): {err}");
                return Err(err);
            }
            if matches!(err.failure(), Failure::RateLimited(_))
                && let Some(hook) = self.wait_hook.read().ok().and_then(|h| h.clone())
            {
                hook(wait);
            }
            tracing::info!(%method, path, "retrying in {wait:?} after: {err}");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One request and the redirects it is answered with. The token and the backend's headers
    /// (the tenant) go only to the API's own origin. A write is never sent anywhere else, and is
    /// only repeated on its own origin for a 307/308 (which keep method and body); a read may
    /// follow a redirect elsewhere, without the token, and says so if it is then refused.
    async fn exchange(&self, call: Call<'_>, mut url: reqwest::Url) -> Result<Value, ApiError> {
        let media = self.dialect.media_type;
        let is_read = *call.method == Method::GET;
        let mut method = call.method.clone();
        let mut left_origin: Option<String> = None;
        for _ in 0..=MAX_REDIRECTS {
            let own = self.is_own_origin(url.as_str());
            let mut req = self
                .http
                .request(method.clone(), url.clone())
                .header("Accept", media);
            if own {
                if !call.token.expose().is_empty() {
                    req = req.bearer_auth(call.token.expose());
                }
                for (name, value) in call.headers {
                    req = req.header(*name, value);
                }
            }
            let body = call.body.filter(|_| method != Method::GET);
            if body.is_some() || self.dialect.content_type_always {
                req = req.header("Content-Type", media);
            }
            if let Some(b) = body {
                req = req.body(b.to_vec());
            }
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e) => return Err(self.network_error(e)),
            };
            let status = resp.status();
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                let result = self.read(resp, &call).await;
                return match (result, &left_origin) {
                    (Err(e), Some(host))
                        if matches!(e.failure(), Failure::Unauthenticated)
                            || matches!(e, ApiError::Forbidden { .. }) =>
                    {
                        Err(ApiError::Other(format!(
                            "{} redirected the request to another site ({host}), which refused it without your token ({}); the token was not sent there",
                            self.dialect.service,
                            status.as_u16()
                        )))
                    }
                    (r, _) => r,
                };
            }
            let next = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|loc| url.join(loc).ok());
            let Some(next) = next else {
                return Err(ApiError::Other(format!(
                    "{} answered with a redirect ({}) to nowhere",
                    self.dialect.service,
                    super::error::status_text(status.as_u16())
                )));
            };
            let host = next.host_str().unwrap_or("an unknown host").to_string();
            let next_own = self.is_own_origin(next.as_str());
            if !is_read {
                let keeps_body = matches!(status.as_u16(), 307 | 308);
                if !next_own {
                    tracing::warn!(%host, "refused to follow a write's redirect to another origin");
                    return Err(ApiError::Other(format!(
                        "{} redirected the change to another site ({host}); it was not sent there, so nothing is saved",
                        self.dialect.service
                    )));
                }
                if !keeps_body {
                    return Err(ApiError::Other(format!(
                        "{} redirected the change ({}) instead of applying it; nothing is confirmed saved",
                        self.dialect.service,
                        super::error::status_text(status.as_u16())
                    )));
                }
            } else if !next_own && left_origin.is_none() {
                tracing::warn!(%host, "following a read's redirect to another origin without the token");
                left_origin = Some(host);
            }
            if status == StatusCode::SEE_OTHER {
                method = Method::GET;
            }
            url = next;
        }
        Err(ApiError::Other(format!(
            "{} redirected the request more than {MAX_REDIRECTS} times; it was given up",
            self.dialect.service
        )))
    }

    async fn read(&self, resp: reqwest::Response, call: &Call<'_>) -> Result<Value, ApiError> {
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, unix_now()));
        // An error page is read only as far as a message can matter.
        let cap = if status.is_success() {
            call.max_body
        } else {
            64 * 1024
        };
        let secrets = self.secrets();
        let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
        let (bytes, cut) = read_capped(resp, cap, &secrets).await?;
        if cut && status.is_success() {
            tracing::warn!(call.max_body, "answer over the size cap, not read further");
            return Err(ApiError::TooLarge {
                what: "",
                limit: call.max_body,
            });
        }
        let text = String::from_utf8_lossy(&bytes);
        if !status.is_success() {
            return Err(self.decode_error(
                status.as_u16(),
                retry_after,
                &text,
                call.scope,
                call.refreshed,
            ));
        }
        if status == StatusCode::NO_CONTENT || text.trim().is_empty() {
            return Ok(Value::Null);
        }
        let fixed = replace_lone_surrogates(&text);
        serde_json::from_str(&fixed).map_err(|e| {
            if super::error::is_html(&text) {
                ApiError::Decode {
                    detail: format!(
                        "a web page instead of data, {}",
                        super::error::status_text(status.as_u16())
                    ),
                    excerpt: excerpt(&super::error::page_text(&text, 120), &secrets),
                }
            } else {
                ApiError::Decode {
                    detail: format!("not JSON: {e}"),
                    excerpt: excerpt(&text, &secrets),
                }
            }
        })
    }

    /// Stream a download. The token goes only to the base URL's own origin: a link elsewhere (a
    /// pre-signed storage link, or any host the data names) is fetched without it.
    pub async fn download(&self, url: &str) -> Result<reqwest::Response, ApiError> {
        let (token, _) = self.current_token().await?;
        self.wait_turn().await;
        let mut req = self.download_http.get(url);
        if self.is_own_origin(url) {
            req = req.bearer_auth(token.expose());
        }
        let resp = req.send().await.map_err(|e| self.network_error(e))?;
        let status = resp.status().as_u16();
        if matches!(status, 401 | 403) && !self.is_own_origin(resp.url().as_str()) {
            let host = resp.url().host_str().unwrap_or("?").to_string();
            let how = ["points", "redirected"][usize::from(self.is_own_origin(url))];
            return Err(ApiError::Other(format!(
                "the download link {how} to another site ({host}), which refused it without your token ({status}); the token was not sent there"
            )));
        }
        if !resp.status().is_success() {
            let text = resp.text().await.unwrap_or_default();
            return Err(self.decode_error(status, None, &text, "", false));
        }
        Ok(resp)
    }
}

/// What one attempt of a request sends and how its answer is read.
struct Call<'a> {
    method: &'a Method,
    body: Option<&'a [u8]>,
    headers: &'a [(&'a str, String)],
    token: &'a Secret,
    max_body: usize,
    scope: &'a str,
    refreshed: bool,
}

/// Read a body (decompressed, as reqwest streams it) up to `cap` bytes. Returns the bytes and
/// whether there was more: the rest is never read, so a gzip bomb costs `cap` of memory at most.
async fn read_capped(
    mut resp: reqwest::Response,
    cap: usize,
    secrets: &[&str],
) -> Result<(Vec<u8>, bool), ApiError> {
    let mut out = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > cap {
                    let room = cap - out.len();
                    out.extend_from_slice(&chunk[..room]);
                    return Ok((out, true));
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok((out, false)),
            Err(e) if e.is_timeout() => return Err(ApiError::Timeout),
            Err(e) => return Err(ApiError::Network(network_message(e, secrets))),
        }
    }
}

/// A network error as one line: reqwest's message without its URL (a redirect can put anything
/// in a URL's query, the token included), then only the host and path, then the causes; the
/// secrets, in any encoding, and any `Bearer` value scrubbed.
fn network_message(e: reqwest::Error, secrets: &[&str]) -> String {
    let place = e
        .url()
        .map(|u| format!(" ({}{})", u.host_str().unwrap_or(""), u.path()));
    let e = e.without_url();
    let mut msg = e.to_string();
    if let Some(p) = place {
        msg.push_str(&p);
    }
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    for secret in secrets {
        msg = scrub_secrets(&msg, secret);
    }
    crate::render::sanitize::line(&scrub_secrets(&msg, ""))
}

#[cfg(test)]
mod tests;
