//! The pieces a backend and the transport hand each other: the token ([`Secret`]) and its
//! [`Refresh`] hook, what to do about rate-limit waits, one [`Request`], and the [`Answer`] an
//! error decoder reads.
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::api::error::ApiError;

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

/// What the transport does when the service asks it to wait before trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitPolicy {
    /// Wait and try again, a wait longer than `cap` cut to `cap`. The wait hook
    /// ([`Http::on_wait`]) is told each wait first, so it can be shown.
    Sleep { cap: Duration },
    /// Wait and try again only for waits up to `max`; a longer one goes back to the caller as the
    /// error, with its wait, for the UI to show and retry (`max` zero: never wait here).
    UpTo { max: Duration },
}

/// Told of every rate-limit wait before the transport sleeps through it.
pub type WaitHook = Arc<dyn Fn(Duration) + Send + Sync>;

/// A boxed future, for the [`Refresh`] hook (trait objects cannot have `async fn`s).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A new access token, and when it stops being good (unix seconds), if known.
pub struct FreshToken {
    pub token: Secret,
    pub expires_at: Option<i64>,
}

/// A backend whose tokens expire gives the transport this hook. The transport calls `refresh`
/// when the token is missing, about to expire, or refused with a 401, and never twice at once:
/// calls that met the same refused token share one refresh.
pub trait Refresh: Send + Sync {
    /// Whether a refresh can be tried now (for example, a refresh token is held).
    fn can_refresh(&self) -> bool;
    /// Get a new token (and store what must outlive the process: that is the backend's job).
    fn refresh(&self) -> BoxFuture<'_, Result<FreshToken, ApiError>>;
    /// The backend's other secrets (refresh token, client secret): scrubbed from every text
    /// copied out of an answer, like the token.
    fn secrets(&self) -> Vec<Secret>;
}

/// The token in use: replaced by each refresh, whose `generation` it counts.
#[derive(Debug)]
pub(super) struct TokenState {
    pub(super) token: Secret,
    pub(super) expires_at: Option<i64>,
    pub(super) generation: u64,
    /// Tokens this connection sent before the one in use (swapped after a 401 or refreshed):
    /// still secrets, so still scrubbed. Bounded; the oldest go first.
    pub(super) retired: Vec<Secret>,
}

impl TokenState {
    /// How many earlier tokens are remembered for scrubbing.
    const RETIRED_MAX: usize = 16;

    /// Put `token` in place of the one in use, which is remembered as retired.
    pub(super) fn replace(&mut self, token: Secret) {
        let old = std::mem::replace(&mut self.token, token);
        if !old.expose().is_empty() && old != self.token && !self.retired.contains(&old) {
            if self.retired.len() >= Self::RETIRED_MAX {
                self.retired.remove(0);
            }
            self.retired.push(old);
        }
        self.generation += 1;
    }
}

/// What the error decoder is handed for a non-success answer.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub status: u16,
    /// From `Retry-After` (seconds, a unix time, RFC 3339 or an HTTP date).
    pub retry_after: Option<Duration>,
    pub body: &'a str,
    /// Every secret to scrub from what the decoder copies out of the body (the token first).
    pub secrets: &'a [&'a str],
    /// The permission (OAuth scope) the request said it needs; empty when it named none.
    pub scope: &'a str,
    /// Whether the token was refreshed during this call (so a 401 refused a fresh token).
    pub refreshed: bool,
}

/// Where a request goes: a path under the base URL, or a URL the service handed out (a cursor
/// link), used verbatim and only on the base URL's own origin.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Path(&'a str),
    Url(&'a str),
}

/// One request for [`Http::request`].
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub method: Method,
    pub target: Target<'a>,
    pub query: &'a [(&'a str, String)],
    pub body: Option<&'a Value>,
    pub headers: &'a [(&'a str, String)],
    /// The cap on the answer's size; `None` is `HttpConfig::max_body`.
    pub max_body: Option<usize>,
    /// The permission the call needs, handed to the error decoder (see [`Answer::scope`]).
    pub scope: &'a str,
}

impl<'a> Request<'a> {
    /// `method` on `path` under the base URL.
    pub fn new(method: Method, path: &'a str) -> Request<'a> {
        Request {
            method,
            target: Target::Path(path),
            query: &[],
            body: None,
            headers: &[],
            max_body: None,
            scope: "",
        }
    }
    /// `method` on a full URL the service handed out, used as it is.
    pub fn url(method: Method, url: &'a str) -> Request<'a> {
        Request {
            target: Target::Url(url),
            ..Request::new(method, "")
        }
    }
    pub fn query(self, query: &'a [(&'a str, String)]) -> Request<'a> {
        Request { query, ..self }
    }
    pub fn body(self, body: Option<&'a Value>) -> Request<'a> {
        Request { body, ..self }
    }
    pub fn headers(self, headers: &'a [(&'a str, String)]) -> Request<'a> {
        Request { headers, ..self }
    }
    pub fn max_body(self, max_body: usize) -> Request<'a> {
        Request {
            max_body: Some(max_body),
            ..self
        }
    }
    pub fn scope(self, scope: &'a str) -> Request<'a> {
        Request { scope, ..self }
    }
}
