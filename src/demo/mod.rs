//! The fake Plannr server (axum) and its dataset.
//!
//! [`DemoServer::start`] binds `127.0.0.1` and serves a stateful, in-memory imitation of the Plannr
//! API described in `shared/plannr-api.md` (auth, tenant header, Laravel paging, 422 bodies, the
//! mailbox/email/conversation/account/contact-detail routes). Writes change the state. Every
//! request is recorded ([`DemoServer::requests`]) and one-shot faults can be queued
//! ([`DemoServer::script`], or `POST /__demo/script` over HTTP; `GET /__demo/requests` lists the
//! log, `GET /__demo/fixtures` the well-known uuids). `GET /__demo/files/{uuid}` serves attachment bytes (bearer token required).
//!
//! The dataset is generated deterministically from [`DemoOptions::seed`]; [`Fixtures`] names the
//! interesting records (huge threads, hostile messages, joint clients…) for tests.

mod accounts;
mod contact;
mod contact_details;
mod control;
mod conversations;
mod dataset;
mod emails;
mod faults;
mod fixtures;
mod identity;
mod invisible;
mod mailboxes;
pub mod outreach;
mod pipeline;
mod query;
mod routes;
pub mod seeds;
mod server;
mod words;

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

/// Sizes of the generated big threads.
pub use dataset::{BIG_THREAD_LEN, HUGE_THREAD_LEN, MEDIUM_THREAD_LEN};

/// The bearer token the demo server accepts.
pub const DEMO_TOKEN: &str = "demo-token";

/// How to run the demo server.
#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Sleep this long before answering every request.
    pub latency_ms: u64,
    /// Probability (0..=1) of answering a request with a random 500 or 503.
    pub fail_rate: f64,
    /// Seed of the generated dataset (same seed ⇒ same data).
    pub seed: u64,
    /// Which end of the ancestors page 1 of the message endpoint holds (the docs do not say):
    /// `NewestFirst` (default) is the messages just before the opened one, `OldestFirst` the
    /// thread's start.
    pub ancestor_pages: PageOrder,
    /// The same for descendants: `OldestFirst` (default) is the messages just after the opened
    /// one, `NewestFirst` the thread's end.
    pub descendant_pages: PageOrder,
    /// Misbehave: ignore `page`/`page[...]` (every list answers its first page).
    pub ignore_paging: bool,
    /// Misbehave: answer every paginated list with a bare array of its items (the message
    /// endpoint: its `ancestors` and `descendants`).
    pub bare_arrays: bool,
    /// Put the invisible-character corpus into every shown name, subject and value
    /// (`demo::invisible`).
    pub invisible: bool,
}

/// The order of a thread half's pages (and of the messages in each page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageOrder {
    OldestFirst,
    NewestFirst,
}

impl std::str::FromStr for PageOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<PageOrder, String> {
        match s {
            "oldest-first" => Ok(PageOrder::OldestFirst),
            "newest-first" => Ok(PageOrder::NewestFirst),
            other => Err(format!(
                "“{other}” is not a page order: say oldest-first or newest-first"
            )),
        }
    }
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            port: 0,
            latency_ms: 0,
            fail_rate: 0.0,
            seed: 42,
            ancestor_pages: PageOrder::NewestFirst,
            descendant_pages: PageOrder::OldestFirst,
            ignore_paging: false,
            bare_arrays: false,
            invisible: false,
        }
    }
}

/// One request as received by the demo server.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// Percent-decoded key/value pairs in order, e.g. `("filter[type]", "client")`.
    pub query: Vec<(String, String)>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body parsed as JSON, if it was JSON.
    pub body: Option<serde_json::Value>,
}

impl RecordedRequest {
    /// Last value of query key `k` (Laravel semantics for repeated keys).
    pub fn query_get(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }

    /// First value of header `k` (case-insensitive).
    pub fn header(&self, k: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    }
}

/// A one-shot canned response. It is consumed by the first request (FIFO among queued scripts)
/// whose method and path match; the request is still recorded. Requests under `/__demo/` are
/// never matched. Scripts take precedence over auth checks, `fail_rate` and normal routing.
/// A string `body` with a non-JSON `Content-Type` header is sent verbatim (see [`Scripted::raw`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scripted {
    /// e.g. `Some("PUT")`; `None` matches any method.
    #[serde(default)]
    pub method: Option<String>,
    /// e.g. `Some("/api/v1/mailboxes")`; `None` matches any path.
    #[serde(default)]
    pub path_prefix: Option<String>,
    pub status: u16,
    #[serde(default)]
    pub body: serde_json::Value,
    /// Extra response headers, e.g. `("Retry-After", "2")`.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Wait this long before answering (a hung server: longer than the client's deadline).
    #[serde(default)]
    pub delay_ms: u64,
    /// A transport-level fault instead of `status`/`body` (see [`Fault`]).
    #[serde(default)]
    pub fault: Option<Fault>,
}

/// What a misbehaving server or proxy does to a connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// Start a 200 JSON answer, then drop the connection mid-body.
    Reset,
    /// A 200 whose gzip-encoded body (`Content-Encoding: gzip`, about 1/1000 of the size on the
    /// wire) expands to `megabytes` of zeros.
    GzipBomb { megabytes: u32 },
    /// A 200 JSON answer of `megabytes` (a list of `megabytes` × 1 MB strings), streamed in
    /// chunks without a `Content-Length` (as a server that does not know the size sends it).
    Oversized { megabytes: u32 },
    /// A 200 answer of `chunks` × 1 KB, one chunk every `every_ms` (a slow but steady transfer).
    Trickle { chunks: u32, every_ms: u64 },
}

impl Scripted {
    /// A response with `status` and a Laravel-style `{"message": …}` body.
    pub fn status(method: Option<&str>, path_prefix: Option<&str>, status: u16) -> Scripted {
        let message = match status {
            401 => "Unauthenticated.",
            403 => "This action is unauthorized.",
            404 => "Not found.",
            409 => "Conflict.",
            422 => "The given data was invalid.",
            429 => "Too Many Attempts.",
            500 => "Server Error",
            503 => "Service Unavailable",
            _ => "Scripted response.",
        };
        Scripted {
            method: method.map(str::to_string),
            path_prefix: path_prefix.map(str::to_string),
            status,
            body: serde_json::json!({ "message": message }),
            headers: Vec::new(),
            delay_ms: 0,
            fault: None,
        }
    }

    /// A response with an explicit JSON body.
    pub fn json(
        method: Option<&str>,
        path_prefix: Option<&str>,
        status: u16,
        body: serde_json::Value,
    ) -> Scripted {
        Scripted {
            body,
            ..Scripted::status(method, path_prefix, status)
        }
    }

    /// A non-JSON response: `body` is sent verbatim with this `Content-Type` (e.g. an HTML error
    /// page from a proxy, to test decode errors).
    pub fn raw(
        method: Option<&str>,
        path_prefix: Option<&str>,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> Scripted {
        Scripted::json(method, path_prefix, status, serde_json::Value::from(body))
            .with_header("Content-Type", content_type)
    }

    /// 429 with `Retry-After: secs` for any request.
    pub fn rate_limited(retry_after_secs: u64) -> Scripted {
        Scripted::status(None, None, 429)
            .with_header("Retry-After", &retry_after_secs.to_string())
            .with_header("X-RateLimit-Remaining", "0")
    }

    /// 422 `{"message": msg, "errors": {field: [msg]}}`.
    pub fn validation(
        method: Option<&str>,
        path_prefix: Option<&str>,
        field: &str,
        msg: &str,
    ) -> Scripted {
        Scripted::json(
            method,
            path_prefix,
            422,
            serde_json::json!({ "message": msg, "errors": { field: [msg] } }),
        )
    }

    /// A transport fault for requests matching `method` and `path_prefix`.
    pub fn fault(method: Option<&str>, path_prefix: Option<&str>, fault: Fault) -> Scripted {
        Scripted {
            fault: Some(fault),
            ..Scripted::status(method, path_prefix, 200)
        }
    }

    /// Answer only after `ms` milliseconds.
    pub fn with_delay_ms(mut self, ms: u64) -> Scripted {
        self.delay_ms = ms;
        self
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Scripted {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn with_body(mut self, body: serde_json::Value) -> Scripted {
        self.body = body;
        self
    }

    /// The verbatim body, when the script asks for a non-JSON `Content-Type` with a string body.
    pub(crate) fn raw_body(&self) -> Option<&str> {
        let ctype = self
            .headers
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))?;
        if ctype.1.to_ascii_lowercase().contains("json") {
            return None;
        }
        self.body.as_str()
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p))
    }
}

/// Well-known records of the generated dataset, for tests and manual exploration
/// (also served as JSON at `GET /__demo/fixtures`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fixtures {
    pub user_uuid: String,
    /// The caller's employee account in "Harbour Wealth" (use as `X-PLANNR-ACCOUNT-UUID`).
    pub employee_account_uuid: String,
    /// The caller's client account in another firm (a valid tenant that may see almost nothing).
    pub client_login_account_uuid: String,
    pub firm_uuid: String,
    /// All mailboxes in list order; states connected, syncing, authenticationError, disabled, connectError.
    pub mailbox_uuids: Vec<String>,
    pub first_mailbox_uuid: String,
    /// The mailbox with `enabled: false`.
    pub disabled_mailbox_uuid: String,
    /// Other employee accounts (conversation participants), excluding the caller.
    pub employee_uuids: Vec<String>,
    /// The 25 regular clients followed by the hostile client.
    pub client_uuids: Vec<String>,
    /// Two clients of one joint household sharing `shared_contact_detail_uuid`.
    pub joint_client_uuids: (String, String),
    pub shared_contact_detail_uuid: String,
    /// A client with several contact details (emails and phones).
    pub client_with_contact_details_uuid: String,
    pub contact_detail_uuids_of_that_client: Vec<String>,
    /// Client owning the 10,000-message thread.
    pub huge_thread_client_uuid: String,
    pub huge_thread_len: u32,
    pub huge_thread_first_message_uuid: String,
    pub huge_thread_middle_message_uuid: String,
    pub huge_thread_last_message_uuid: String,
    /// Client owning the 1,500-message thread.
    pub big_thread_client_uuid: String,
    pub big_thread_len: u32,
    pub big_thread_first_message_uuid: String,
    /// Index `len / 2` of the 1,500 thread.
    pub big_thread_middle_message_uuid: String,
    pub big_thread_last_message_uuid: String,
    /// A message in a 50-message thread.
    pub medium_thread_message_uuid: String,
    /// A message alone in its thread (`thread_count == 1`).
    pub single_message_uuid: String,
    /// A message with at least one attachment, and that attachment's uuid.
    pub message_with_attachment_uuid: String,
    pub attachment_uuid: String,
    pub hostile_client_uuid: String,
    /// First message of every hostile thread (corpus files, huge HTML, nested HTML, lone surrogate).
    pub hostile_message_uuids: Vec<String>,
    /// The ANSI CSI message.
    pub hostile_message_uuid: String,
    pub huge_html_message_uuid: String,
    pub nested_html_message_uuid: String,
    /// Its `text` contains a raw `\ud800` JSON escape.
    pub lone_surrogate_message_uuid: String,
    pub hostile_conversation_uuid: String,
    pub conversation_uuids: Vec<String>,
    /// 200 messages.
    pub busiest_conversation_uuid: String,
    /// 0 messages.
    pub empty_conversation_uuid: String,
    pub pinned_conversation_uuid: String,
    pub archived_conversation_uuid: String,
}

pub(crate) struct Shared {
    pub opts: DemoOptions,
    pub base_url: String,
    pub data: RwLock<dataset::Dataset>,
    pub rec: server::Recorder,
    pub rng: Mutex<fastrand::Rng>,
}

/// A running demo server; dropping it stops the server.
pub struct DemoServer {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    /// Always [`DEMO_TOKEN`].
    pub token: String,
    /// The employee account to send as `X-PLANNR-ACCOUNT-UUID`.
    pub account_uuid: String,
    shared: Arc<Shared>,
    fixtures: Fixtures,
    running: server::Running,
}

impl DemoServer {
    /// Generates the dataset and starts serving on `127.0.0.1:opts.port`. Must be called inside
    /// a tokio runtime.
    pub async fn start(opts: DemoOptions) -> std::io::Result<DemoServer> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port)).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://127.0.0.1:{}", addr.port());
        let mut data = dataset::Dataset::generate(opts.seed);
        if opts.invisible {
            invisible::apply(&mut data);
        }
        let fixtures = fixtures::fixtures(&data);
        let shared = Arc::new(Shared {
            rng: Mutex::new(fastrand::Rng::with_seed(opts.seed ^ 0xFA11)),
            opts,
            base_url: base_url.clone(),
            data: RwLock::new(data),
            rec: server::Recorder::default(),
        });
        let running = server::Running::spawn(listener, pipeline::router(shared.clone()));
        Ok(DemoServer {
            addr,
            base_url,
            token: DEMO_TOKEN.to_string(),
            account_uuid: fixtures.employee_account_uuid.clone(),
            shared,
            fixtures,
            running,
        })
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.rec.requests()
    }

    pub fn clear_requests(&self) {
        self.shared.rec.clear_requests();
    }

    /// Drops every scripted response not yet used.
    pub fn clear_scripts(&self) {
        self.shared.rec.clear_scripts();
    }

    /// Queues a one-shot scripted response (FIFO).
    pub fn script(&self, s: Scripted) {
        self.shared.rec.script(s);
    }

    /// Well-known records of the dataset (fixed at start; writes do not change uuids).
    pub fn dataset(&self) -> Fixtures {
        self.fixtures.clone()
    }

    /// Same as [`DemoServer::dataset`].
    pub fn fixtures(&self) -> &Fixtures {
        &self.fixtures
    }

    /// Stops the server (also done on drop).
    pub fn shutdown(mut self) {
        self.running.stop();
    }
}

/// Runs the demo servers (Plannr and Outreach) until Ctrl-C, printing how to reach them (for
/// `plannr-tui demo-server`).
pub async fn run_standalone(
    opts: DemoOptions,
    outreach_opts: outreach::OutreachOptions,
) -> std::io::Result<()> {
    let started = std::time::Instant::now();
    let server = DemoServer::start(opts).await?;
    let outreach = outreach::OutreachDemo::start(outreach_opts).await?;
    let elapsed = started.elapsed();
    println!("PLANNR_BASE_URL={}", server.base_url);
    println!("PLANNR_TOKEN={}", server.token);
    println!("PLANNR_ACCOUNT_UUID={}", server.account_uuid);
    println!(
        "# started in {:.1} ms; try:\n# curl -s -H 'Authorization: Bearer {}' -H 'X-PLANNR-ACCOUNT-UUID: {}' -H 'Accept: application/json' '{}/api/v1/mailboxes'",
        elapsed.as_secs_f64() * 1000.0,
        server.token,
        server.account_uuid,
        server.base_url
    );
    println!(
        "# faults: curl -s -X POST -d '{{\"status\":503,\"path_prefix\":\"/api/v1/mailboxes\"}}' '{}/__demo/script'; log: '{}/__demo/requests'",
        server.base_url, server.base_url
    );
    println!("\n# Outreach demo (JSON:API, cursor paging, OAuth token endpoint):");
    println!("{}", outreach::describe(&outreach));
    tokio::signal::ctrl_c().await?;
    server.shutdown();
    outreach.shutdown();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rss_kib() -> u64 {
        std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map(|pages| pages * 4)
            .unwrap_or(0)
    }

    /// Prints (does not assert on) start-up time and memory; run with `--nocapture`.
    #[tokio::test]
    async fn demo_startup_is_cheap() {
        let before = rss_kib();
        let t = std::time::Instant::now();
        let s = DemoServer::start(DemoOptions::default()).await.unwrap();
        let took = t.elapsed();
        let after = rss_kib();
        {
            let d = s.shared.data.read().unwrap();
            let messages: u64 = d.threads.iter().map(|t| t.len as u64).sum();
            println!(
                "demo start: {:.1} ms, rss +{} KiB, {} threads / {} messages, {} conversations",
                took.as_secs_f64() * 1000.0,
                after.saturating_sub(before),
                d.threads.len(),
                messages,
                d.conversations.len()
            );
            assert!(messages > 11_500);
            assert_eq!(d.conversations.len(), 80);
            assert!(d.mailboxes.len() >= 4);
            assert_eq!(s.dataset().huge_thread_len, HUGE_THREAD_LEN);
        }
        let f = s.dataset();
        let http = reqwest::Client::new();
        for (label, path) in [
            (
                "10k thread, per_page=500",
                format!(
                    "/api/v1/mailboxes/message/{}?per_page=500",
                    f.huge_thread_middle_message_uuid
                ),
            ),
            (
                "2 MB html",
                format!("/api/v1/mailboxes/message/{}", f.huge_html_message_uuid),
            ),
        ] {
            let t = std::time::Instant::now();
            let body = http
                .get(format!("{}{path}", s.base_url))
                .bearer_auth(DEMO_TOKEN)
                .header("X-PLANNR-ACCOUNT-UUID", &s.account_uuid)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            println!(
                "{label}: {} bytes in {:.1} ms",
                body.len(),
                t.elapsed().as_secs_f64() * 1000.0
            );
            assert!(body.len() > 100_000);
        }
    }

    #[test]
    fn recorded_request_lookups() {
        let r = RecordedRequest {
            method: "GET".into(),
            path: "/x".into(),
            query: vec![("a".into(), "1".into()), ("a".into(), "2".into())],
            headers: vec![("x-plannr-account-uuid".into(), "u".into())],
            body: None,
        };
        assert_eq!(r.query_get("a"), Some("2"));
        assert_eq!(r.query_get("b"), None);
        assert_eq!(r.header("X-PLANNR-ACCOUNT-UUID"), Some("u"));
        let s = Scripted::status(Some("put"), Some("/api/v1/mailboxes"), 503);
        assert!(s.matches("PUT", "/api/v1/mailboxes/abc"));
        assert!(!s.matches("GET", "/api/v1/mailboxes/abc"));
        assert!(!s.matches("PUT", "/api/v1/conversation"));
        let raw = Scripted::raw(None, None, 200, "text/html", "<html>oops</html>");
        assert_eq!(raw.raw_body(), Some("<html>oops</html>"));
        let json_string = Scripted::json(None, None, 200, serde_json::json!("just a string"));
        assert_eq!(json_string.raw_body(), None, "a JSON string stays JSON");
    }
}
