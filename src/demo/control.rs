//! `/__demo/...`: the test-control routes (scripted answers, the request log, fixtures) and the
//! downloadable files attachments link to.

use super::emails::mime_for;
use super::fixtures::fixtures;
use super::pipeline::*;
use super::{RecordedRequest, Scripted, Shared};
use serde_json::json;

pub(super) fn demo_route(s: &Shared, r: &RecordedRequest, m: &str, rest: &[&str]) -> Out {
    match (m, rest) {
        ("POST", ["script"]) => match r.body.clone().map(serde_json::from_value::<Scripted>) {
            Some(Ok(sc)) => Out::Json(201, json!({ "queued": s.rec.script(sc) })),
            Some(Err(e)) => invalid(vec![("body".into(), e.to_string())]),
            None => invalid(vec![(
                "body".into(),
                "A Scripted JSON body is required.".into(),
            )]),
        },
        ("GET", ["fixtures"]) => Out::Json(
            200,
            serde_json::to_value(fixtures(&s.data.read().unwrap_or_else(|e| e.into_inner())))
                .unwrap_or_default(),
        ),
        ("GET", ["requests"]) => Out::Json(
            200,
            serde_json::to_value(s.rec.requests()).unwrap_or_default(),
        ),
        ("DELETE", ["requests"]) => {
            s.rec.clear_requests();
            Out::Json(200, json!({ "cleared": true }))
        }
        ("GET", ["files", u]) => {
            if !authed(r) {
                return msg(401, "Unauthenticated.");
            }
            let d = s.data.read().unwrap_or_else(|e| e.into_inner());
            match d.find_file(u) {
                Some((name, size)) => {
                    let ext = name.rsplit('.').next().unwrap_or("");
                    Out::Bytes(200, mime_for(ext), file_bytes(ext, size))
                }
                None => not_found(),
            }
        }
        _ => not_found(),
    }
}

pub(super) fn file_bytes(ext: &str, size: usize) -> Vec<u8> {
    let head: &[u8] = match ext {
        "pdf" => b"%PDF-1.4\n% demo file\n",
        "jpg" => b"\xFF\xD8\xFF\xE0demo",
        "docx" | "xlsx" => b"PK\x03\x04demo",
        _ => b"demo",
    };
    let mut v = Vec::with_capacity(size);
    v.extend_from_slice(&head[..head.len().min(size)]);
    let filler = b"Harbour Wealth demo attachment. ";
    while v.len() < size {
        let n = (size - v.len()).min(filler.len());
        v.extend_from_slice(&filler[..n]);
    }
    v
}
