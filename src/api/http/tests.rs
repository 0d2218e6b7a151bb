//! Unit tests of the shared transport.
use super::*;

#[test]
fn limiter_caps_requests_per_window() {
    let mut l = Window::new(3, Duration::from_secs(60));
    let t0 = Instant::now();
    assert!(l.wait(t0).is_zero());
    assert!(l.wait(t0).is_zero());
    assert!(l.wait(t0).is_zero());
    let wait = l.wait(t0 + Duration::from_secs(10));
    assert!(
        wait > Duration::from_secs(49) && wait <= Duration::from_secs(50),
        "{wait:?}"
    );
    assert!(l.wait(t0 + Duration::from_secs(60)).is_zero());
}

#[test]
fn secret_never_prints() {
    let s = Secret::new("tok-123");
    assert!(!format!("{s:?} {s}").contains("tok-123"));
    let cfg = HttpConfig::new("http://127.0.0.1:1", s);
    assert!(!format!("{cfg:?}").contains("tok-123"));
}

/// A token swapped in after the first (the 401 screen's R) and then swapped again stays a secret:
/// errors copied from answers are scrubbed of every token this connection has sent.
#[test]
fn every_token_ever_used_is_scrubbed() {
    let dialect = crate::api::plannr::DIALECT;
    let http = Http::new(
        HttpConfig::new("http://127.0.0.1:1", Secret::new("first-token-aaaa")),
        dialect,
    )
    .expect("client");
    http.set_token(Secret::new("second-token-bbbb"));
    http.set_token(Secret::new("third-token-cccc"));
    let secrets: Vec<String> = http
        .secrets()
        .iter()
        .map(|s| s.expose().to_string())
        .collect();
    for t in ["first-token-aaaa", "second-token-bbbb", "third-token-cccc"] {
        assert!(
            secrets.iter().any(|s| s == t),
            "{t} is not scrubbed: only {} secrets",
            secrets.len()
        );
    }
}
