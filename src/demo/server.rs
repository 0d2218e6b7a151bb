//! What every demo server shares, whatever API it imitates: the request log and the queue of
//! scripted answers ([`Recorder`]), reading a request into a [`RecordedRequest`], the steps taken
//! before routing (latency, a scripted answer), dressing an answer ([`Style`], [`respond`]) and the
//! server task ([`Running`]). Each server keeps only its own wire format and routes.
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::dataset::LONE_SURROGATE_MARKER;
use super::{RecordedRequest, Scripted};

/// Unix `secs` as `YYYY-MM-DDTHH:MM:SS` in UTC followed by `zone` (`+00:00`, `.000Z`): each
/// demo writes times the way its vendor's documents show them.
pub(crate) fn utc(secs: i64, zone: &str) -> String {
    let dt =
        time::OffsetDateTime::from_unix_timestamp(secs).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
        dt.year(),
        dt.month() as u8,
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// A poisoned lock still holds good data for a demo: take it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every request received, and the one-shot answers queued by tests.
#[derive(Default)]
pub(crate) struct Recorder {
    pub log: Mutex<Vec<RecordedRequest>>,
    pub scripts: Mutex<VecDeque<Scripted>>,
}

impl Recorder {
    pub fn record(&self, r: RecordedRequest) {
        lock(&self.log).push(r);
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.log).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.log).clear();
    }

    pub fn clear_scripts(&self) {
        lock(&self.scripts).clear();
    }

    /// Queue a script (FIFO); how many are queued now.
    pub fn script(&self, s: Scripted) -> usize {
        let mut q = lock(&self.scripts);
        q.push_back(s);
        q.len()
    }

    /// The first queued script matching this request, taken off the queue.
    pub fn take_script(&self, method: &str, path: &str) -> Option<Scripted> {
        let mut q = lock(&self.scripts);
        let pos = q.iter().position(|s| s.matches(method, path))?;
        q.remove(pos)
    }
}

/// How a server dresses its answers: the media type of its JSON and its rate-limit headers.
pub(crate) struct Style {
    pub json_type: &'static str,
    /// `X-RateLimit-Limit` and `X-RateLimit-Remaining` of an ordinary answer.
    pub rate_limit: (&'static str, &'static str),
}

/// An answer: `status`, `body` as `content_type`, the style's rate-limit headers, then `extra`
/// headers (which replace any of the same name). A 204 has no body.
pub(crate) fn respond(
    style: &Style,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(String, String)],
) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = if status == 204 {
        code.into_response()
    } else {
        (code, body).into_response()
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        "x-ratelimit-limit",
        HeaderValue::from_static(style.rate_limit.0),
    );
    h.insert(
        "x-ratelimit-remaining",
        HeaderValue::from_static(style.rate_limit.1),
    );
    for (k, v) in extra {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            h.insert(k, v);
        }
    }
    resp
}

/// A JSON answer in the style's media type.
pub(crate) fn respond_json(
    style: &Style,
    status: u16,
    v: &Value,
    extra: &[(String, String)],
) -> Response {
    respond(
        style,
        status,
        style.json_type,
        finish_json(v).into_bytes(),
        extra,
    )
}

/// Serialises, then splices raw JSON escapes serde_json cannot emit (lone surrogates).
pub(crate) fn finish_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    if s.contains(LONE_SURROGATE_MARKER) {
        s.replace(LONE_SURROGATE_MARKER, "\\ud800")
    } else {
        s
    }
}

/// Read a request: the query percent-decoded (so `filter[type]` and `filter%5Btype%5D` are the
/// same key), header names in lower case, the body as JSON, or with `forms` a form-encoded body
/// as an object of strings. Also says whether a body came that could not be read.
pub(crate) async fn read_request(
    req: Request,
    limit: usize,
    forms: bool,
) -> (RecordedRequest, bool) {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit).await.unwrap_or_default();
    let query = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let form = forms
        && headers.iter().any(|(k, v)| {
            k == "content-type" && v.starts_with("application/x-www-form-urlencoded")
        });
    let body: Option<Value> = if bytes.is_empty() {
        None
    } else if form {
        let map: Map<String, Value> = url::form_urlencoded::parse(&bytes)
            .into_owned()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        Some(Value::Object(map))
    } else {
        serde_json::from_slice(&bytes).ok()
    };
    let unparsable = !bytes.is_empty() && body.is_none();
    let rec = RecordedRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query,
        headers,
        body,
    };
    (rec, unparsable)
}

/// What every server does before routing a recorded request: the configured latency, then
/// (outside `/__demo/`) the first matching scripted answer, if one is queued.
pub(crate) async fn before_routing(
    rec: &RecordedRequest,
    latency_ms: u64,
    recorder: &Recorder,
    style: &Style,
) -> Option<Response> {
    if latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency_ms)).await;
    }
    // Attachment downloads are the API's too (the fault matrix scripts them); the other
    // `/__demo/` routes only control the server.
    if rec.path.starts_with("/__demo/") && !rec.path.starts_with("/__demo/files/") {
        return None;
    }
    let sc = recorder.take_script(&rec.method, &rec.path)?;
    Some(scripted(sc, style).await)
}

/// A scripted answer: after its delay, a transport fault, a verbatim body, or JSON.
async fn scripted(sc: Scripted, style: &Style) -> Response {
    if sc.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(sc.delay_ms)).await;
    }
    if let Some(f) = &sc.fault {
        return super::faults::respond(f);
    }
    if let Some(raw) = sc.raw_body() {
        return respond(
            style,
            sc.status,
            "text/plain",
            raw.as_bytes().to_vec(),
            &sc.headers,
        );
    }
    respond_json(style, sc.status, &sc.body, &sc.headers)
}

/// A server task serving `app` until stopped or dropped.
pub(crate) struct Running {
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Running {
    pub fn spawn(listener: tokio::net::TcpListener, app: Router) -> Running {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Running {
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    pub fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Keep-alive connections would hold a graceful shutdown open; abort the accept loop.
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}
