//! The HTTP transport every backend shares: one reqwest client, a client-side rate limiter,
//! retries (with `Retry-After`), timeouts, token scrubbing, and the origin rule for the token.
//! It knows HTTP and JSON and nothing of any vendor: a backend hands it a [`Dialect`] (media type,
//! error decoder) and adds its own per-request headers.
use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::Mutex;

use super::error::{ApiError, excerpt};

/// A secret that never shows itself in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Parsed from a flag (clap uses `FromStr`) as is.
impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret::new(s))
    }
}

/// Read from a config file as a plain string.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

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
    /// The error for a non-success answer: `(status, retry_after, body, token)`. The token is
    /// passed so the decoder can scrub it from anything it copies out of the body.
    pub error: fn(u16, Option<Duration>, &str, &str) -> ApiError,
}

/// Sliding-window limiter: at most `max` requests started in any 60 s.
#[derive(Debug)]
struct Limiter {
    max: usize,
    started: VecDeque<Instant>,
}

impl Limiter {
    /// How long to wait before the next request may start (and record it when zero).
    fn acquire(&mut self, now: Instant) -> Duration {
        let window = Duration::from_secs(60);
        while self
            .started
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            self.started.pop_front();
        }
        if self.started.len() < self.max.max(1) {
            self.started.push_back(now);
            return Duration::ZERO;
        }
        let oldest = self.started.front().copied().unwrap_or(now);
        window
            .saturating_sub(now.duration_since(oldest))
            .max(Duration::from_millis(1))
    }
}

/// One backend's connection: base URL, token, limiter and dialect.
pub struct Http {
    /// API calls: redirects are followed by hand (`send`), so the origin rule can be applied.
    http: reqwest::Client,
    /// Downloads: reqwest's own redirect policy (it drops the token on a change of host).
    download_http: reqwest::Client,
    cfg: HttpConfig,
    /// The token, swapped in place when it is read again after a 401 (`set_token`); `cfg.token`
    /// is emptied so there is only this one.
    token: std::sync::RwLock<Secret>,
    base: String,
    limiter: Mutex<Limiter>,
    dialect: Dialect,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("base", &self.base)
            .field("token", &self.token())
            .finish()
    }
}

impl Http {
    pub fn new(mut cfg: HttpConfig, dialect: Dialect) -> Result<Http, ApiError> {
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(cfg.connect_timeout)
                .timeout(cfg.request_timeout)
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
        let http = built(builder().redirect(reqwest::redirect::Policy::none()))?;
        let download_http = built(builder())?;
        let base = cfg.base_url.trim_end_matches('/').to_string();
        let token = std::mem::replace(&mut cfg.token, Secret::new(""));
        Ok(Http {
            token: std::sync::RwLock::new(token),
            http,
            download_http,
            limiter: Mutex::new(Limiter {
                max: cfg.requests_per_minute,
                started: VecDeque::new(),
            }),
            base,
            cfg,
            dialect,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// One call's whole budget (`HttpConfig::call_deadline`).
    pub fn call_deadline(&self) -> Duration {
        self.cfg.call_deadline
    }

    /// The token, for sending and for scrubbing it out of text copied from answers. Never log it.
    pub fn token(&self) -> Secret {
        match self.token.read() {
            Ok(t) => t.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Use `token` from now on (it was read again after Plannr refused the old one); requests
    /// already sent keep the old one. Returns whether it differs from the one in use.
    pub fn set_token(&self, token: Secret) -> bool {
        let mut held = match self.token.write() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        let changed = *held != token;
        *held = token;
        changed
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
            let wait = self.limiter.lock().await.acquire(Instant::now());
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
        self.send_capped(method, path, query, body, headers, self.cfg.max_body)
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
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base, path))
            .map_err(|e| ApiError::Other(format!("cannot build the request URL: {e}")))?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let body = body
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
        loop {
            let once = async {
                self.wait_turn().await;
                tracing::debug!(%method, path, attempt, "request");
                self.exchange(&method, url.clone(), body.as_deref(), headers, max_body)
                    .await
            };
            let err = match tokio::time::timeout_at(deadline, once).await {
                Ok(Ok(v)) => return Ok(v),
                Ok(Err(e)) => e,
                Err(_) => return Err(out_of_time()),
            };
            let retry = match &err {
                ApiError::RateLimited { .. } => true,
                ApiError::Server { .. } | ApiError::Timeout | ApiError::Network(_) => idempotent,
                _ => false,
            };
            if !retry || attempt >= self.cfg.max_retries {
                tracing::info!(%method, path, "request failed: {err}");
                return Err(err);
            }
            let wait = match &err {
                ApiError::RateLimited {
                    retry_after: Some(d),
                } => (*d).min(Duration::from_secs(60)),
                _ => self.backoff(attempt),
            };
            if tokio::time::Instant::now() + wait >= deadline {
                // No time left for another try: the last failure is the answer.
                tracing::info!(%method, path, "request failed (no time to retry): {err}");
                return Err(err);
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
    async fn exchange(
        &self,
        method: &Method,
        mut url: reqwest::Url,
        body: Option<&[u8]>,
        headers: &[(&str, String)],
        max_body: usize,
    ) -> Result<Value, ApiError> {
        let media = self.dialect.media_type;
        let is_read = *method == Method::GET;
        let mut method = method.clone();
        let mut left_origin: Option<String> = None;
        for _ in 0..=MAX_REDIRECTS {
            let own = self.is_own_origin(url.as_str());
            let mut req = self
                .http
                .request(method.clone(), url.clone())
                .header("Accept", media);
            if own {
                req = req.bearer_auth(self.token().expose());
                for (name, value) in headers {
                    req = req.header(*name, value);
                }
            }
            if let Some(b) = body.filter(|_| method != Method::GET) {
                req = req.header("Content-Type", media).body(b.to_vec());
            }
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e) if e.is_timeout() => return Err(ApiError::Timeout),
                Err(e) => return Err(ApiError::Network(network_message(e, self.token().expose()))),
            };
            let status = resp.status();
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                let result = self.read(resp, max_body).await;
                return match (result, &left_origin) {
                    (Err(ApiError::Unauthenticated | ApiError::Forbidden { .. }), Some(host)) => {
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

    async fn read(&self, resp: reqwest::Response, max_body: usize) -> Result<Value, ApiError> {
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, unix_now()));
        // An error page is read only as far as a message can matter.
        let cap = if status.is_success() {
            max_body
        } else {
            64 * 1024
        };
        let (bytes, cut) = read_capped(resp, cap, self.token().expose()).await?;
        if cut && status.is_success() {
            tracing::warn!(max_body, "answer over the size cap, not read further");
            return Err(ApiError::TooLarge { limit: max_body });
        }
        let text = String::from_utf8_lossy(&bytes);
        if !status.is_success() {
            return Err((self.dialect.error)(
                status.as_u16(),
                retry_after,
                &text,
                self.token().expose(),
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
                    excerpt: excerpt(&super::error::page_text(&text, 120), self.token().expose()),
                }
            } else {
                ApiError::Decode {
                    detail: format!("not JSON: {e}"),
                    excerpt: excerpt(&text, self.token().expose()),
                }
            }
        })
    }

    /// Stream a download. The token goes only to the base URL's own origin: a link elsewhere (a
    /// pre-signed storage link, or any host the data names) is fetched without it.
    pub async fn download(&self, url: &str) -> Result<reqwest::Response, ApiError> {
        self.wait_turn().await;
        let mut req = self.download_http.get(url);
        if self.is_own_origin(url) {
            req = req.bearer_auth(self.token().expose());
        }
        let resp = req.send().await.map_err(|e| {
            if e.is_timeout() {
                ApiError::Timeout
            } else {
                ApiError::Network(network_message(e, self.token().expose()))
            }
        })?;
        if !resp.status().is_success() {
            let status = resp.status().as_u16();
            let text = resp.text().await.unwrap_or_default();
            return Err((self.dialect.error)(
                status,
                None,
                &text,
                self.token().expose(),
            ));
        }
        Ok(resp)
    }
}

/// Seconds since the epoch (0 if the clock is before it).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `Retry-After` as a wait from unix time `now`: delta seconds, epoch seconds (a number too large
/// to be a delta), an RFC 3339 time, or an HTTP date. A time in the past is no wait.
pub fn parse_retry_after(v: &str, now: i64) -> Option<Duration> {
    let v = v.trim();
    if let Ok(n) = v.parse::<i64>() {
        let secs = if n > 1_000_000_000 { n - now } else { n };
        return Some(Duration::from_secs(secs.max(0) as u64));
    }
    let at = parse_instant(v).or_else(|| {
        // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): RFC 2822 with a numeric zone.
        let fixed = v.strip_suffix("GMT").map(|p| format!("{p}+0000"));
        time::OffsetDateTime::parse(
            fixed.as_deref().unwrap_or(v),
            &time::format_description::well_known::Rfc2822,
        )
        .ok()
        .map(|t| t.unix_timestamp())
    })?;
    Some(Duration::from_secs((at - now).max(0) as u64))
}

/// An RFC 3339 time, or one without an offset (taken as UTC), as unix seconds.
pub fn parse_instant(s: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    time::PrimitiveDateTime::parse(s, &fmt)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

/// Percent-encode one path segment (uuids should never need it; hostile data might). An empty or
/// dots-only id is refused: URL parsing would turn `..` (even as `%2E%2E`) into a step up the path.
pub fn seg(s: &str) -> Result<String, ApiError> {
    if s.is_empty() || s.chars().all(|c| c == '.') {
        return Err(ApiError::Other(format!("refusing an invalid id {s:?}")));
    }
    // Everything but RFC 3986 "unreserved" characters is escaped.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    Ok(percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
}

/// Read a body (decompressed, as reqwest streams it) up to `cap` bytes. Returns the bytes and
/// whether there was more: the rest is never read, so a gzip bomb costs `cap` of memory at most.
async fn read_capped(
    mut resp: reqwest::Response,
    cap: usize,
    token: &str,
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
            Err(e) => return Err(ApiError::Network(network_message(e, token))),
        }
    }
}

/// A network error as one line: reqwest's message without its URL (a redirect can put anything
/// in a URL's query, the token included), then only the host and path, then the causes; the
/// token, in any encoding, and any `Bearer` value scrubbed.
fn network_message(e: reqwest::Error, token: &str) -> String {
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
    crate::render::sanitize::line(&scrub_secrets(&msg, token))
}

/// `text` with the token (as is, percent-encoded, or form-encoded) and any `Bearer …` value
/// replaced by `***`.
pub fn scrub_secrets(text: &str, token: &str) -> String {
    let mut out = text.to_string();
    if !token.is_empty() {
        let encoded =
            percent_encoding::utf8_percent_encode(token, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let form: String = url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
        for t in [token, encoded.as_str(), form.as_str()] {
            out = out.replace(t, "***");
        }
    }
    let mut scrubbed = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.to_ascii_lowercase().find("bearer ") {
        scrubbed.push_str(&rest[..i + 7]);
        let after = &rest[i + 7..];
        let end = after
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ')'))
            .unwrap_or(after.len());
        scrubbed.push_str("***");
        rest = &after[end..];
    }
    scrubbed.push_str(rest);
    scrubbed
}

/// JSON may carry lone UTF-16 surrogates as escapes (`\ud800`), which serde_json rejects. Replace
/// each unpaired one with U+FFFD so one bad string cannot fail a whole response.
pub fn replace_lone_surrogates(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("\\u") && !s.contains("\\U") {
        return std::borrow::Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let hex4 = |i: usize| -> Option<u16> {
        if i + 6 <= b.len() && b[i] == b'\\' && (b[i + 1] == b'u') {
            std::str::from_utf8(&b[i + 2..i + 6])
                .ok()
                .and_then(|h| u16::from_str_radix(h, 16).ok())
        } else {
            None
        }
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut last = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if !in_string {
            if c == b'"' {
                in_string = true;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_string = false;
                i += 1;
            }
            b'\\' => match hex4(i) {
                Some(hi @ 0xD800..=0xDBFF) => {
                    if matches!(hex4(i + 6), Some(0xDC00..=0xDFFF)) {
                        i += 12;
                    } else {
                        out.push_str(&s[last..i]);
                        out.push_str("\\ufffd");
                        i += 6;
                        last = i;
                        let _ = hi;
                    }
                }
                Some(0xDC00..=0xDFFF) => {
                    out.push_str(&s[last..i]);
                    out.push_str("\\ufffd");
                    i += 6;
                    last = i;
                }
                Some(_) => i += 6,
                None => i += 2,
            },
            _ => i += 1,
        }
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(s);
    }
    out.push_str(&s[last..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_become_replacement_chars() {
        let raw = r#"{"a":"x\ud800y","b":"\ud83d\ude00","c":"\\ud800","d":"\udc00"}"#;
        let fixed = replace_lone_surrogates(raw);
        let v: Value = serde_json::from_str(&fixed).expect("valid after fixing");
        assert_eq!(v["a"], "x\u{fffd}y");
        assert_eq!(v["b"], "😀");
        assert_eq!(v["c"], "\\ud800");
        assert_eq!(v["d"], "\u{fffd}");
        assert!(
            serde_json::from_str::<Value>(raw).is_err(),
            "serde_json must reject the raw form"
        );
    }

    #[test]
    fn limiter_caps_requests_per_window() {
        let mut l = Limiter {
            max: 3,
            started: VecDeque::new(),
        };
        let t0 = Instant::now();
        assert!(l.acquire(t0).is_zero());
        assert!(l.acquire(t0).is_zero());
        assert!(l.acquire(t0).is_zero());
        let wait = l.acquire(t0 + Duration::from_secs(10));
        assert!(
            wait > Duration::from_secs(49) && wait <= Duration::from_secs(50),
            "{wait:?}"
        );
        assert!(l.acquire(t0 + Duration::from_secs(60)).is_zero());
    }

    #[test]
    fn path_segments_keep_uuids_readable_and_escape_the_rest() {
        assert_eq!(
            seg("c43d8df4-2eea-49b7-a546-375ff0b11a03").ok().as_deref(),
            Some("c43d8df4-2eea-49b7-a546-375ff0b11a03")
        );
        assert_eq!(seg("../x y/").ok().as_deref(), Some("..%2Fx%20y%2F"));
        for bad in ["", ".", "..", "..."] {
            assert!(seg(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("tok-123");
        assert!(!format!("{s:?} {s}").contains("tok-123"));
        let cfg = HttpConfig::new("http://127.0.0.1:1", s);
        assert!(!format!("{cfg:?}").contains("tok-123"));
    }
}
