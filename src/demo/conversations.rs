//! Conversations: list, show, rename, pin, and their (virtual) messages.

use super::RecordedRequest;
use super::dataset::*;
use super::mailboxes::bump;
use super::pipeline::*;
use super::query::*;
use super::words::*;
use serde_json::{Value, json};
use std::collections::HashSet;

pub(super) const CONV_INCLUDES: &[&str] = &[
    "participants",
    "participants_count",
    "latest_message",
    "messages_count",
    "files_count",
    "case",
    "tags",
];

pub(super) fn conv_json(d: &Dataset, c: usize, inc: &HashSet<String>, base: &str) -> Value {
    let conv = &d.conversations[c];
    let mut v = json!({
        "uuid": conv.uuid, "created_at": ts(conv.created_at), "updated_at": ts(conv.updated_at),
        "name": conv.name, "slug": slugify(&conv.name), "belongs_to_case": false,
    });
    if inc.contains("case") {
        v["case"] = Value::Null;
    }
    if inc.contains("participants") {
        v["participants"] = Value::Array(
            conv.participants
                .iter()
                .map(|&a| d.render_slim_account(a))
                .collect(),
        );
        v["pinned"] = json!(conv.pinned);
        v["is_admin"] = json!(conv.is_admin);
    }
    if inc.contains("participants_count") {
        v["participants_count"] = json!(conv.participants.len());
    }
    if inc.contains("latest_message") {
        v["latest_message"] = if conv.messages == 0 {
            Value::Null
        } else {
            d.render_conv_message(c, conv.messages - 1, base)
        };
    }
    if inc.contains("messages_count") {
        v["messages_count"] = json!(conv.messages);
    }
    if inc.contains("files_count") {
        let n = (0..conv.messages)
            .filter(|&i| d.conv_file_spec(c, i).is_some())
            .count();
        v["files_count"] = json!(n);
    }
    if inc.contains("tags") {
        v["tags"] = Value::Array(
            conv.tags
                .iter()
                .map(|&t| {
                    let tag = &d.tags[t];
                    json!({"uuid": tag.uuid, "name": tag.name, "slug": slugify(&tag.name), "colour": tag.colour,
                           "created_at": ts(conv.created_at), "updated_at": ts(conv.created_at)})
                })
                .collect(),
        );
    }
    v
}

pub(super) fn list_conversations(d: &Dataset, r: &RecordedRequest, base: &str) -> Res {
    let inc = includes(r, CONV_INCLUDES)?;
    check_filters(r, &["uuid", "archived", "circle_uuids"])?;
    let (field, desc) = sort_arg(
        r,
        &[
            "created_at",
            "updated_at",
            "latest_message",
            "pinned_conversations",
        ],
        "latest_message",
    )?;
    let archived = filter(r, "archived")
        .unwrap_or("false")
        .to_ascii_lowercase();
    let uuids = filter(r, "uuid").map(csv);
    let mut idx: Vec<usize> = (0..d.conversations.len())
        .filter(|&c| {
            let conv = &d.conversations[c];
            let arch_ok = match archived.as_str() {
                "only" => conv.archived,
                "with" => true,
                _ => !conv.archived,
            };
            arch_ok && uuids.as_ref().is_none_or(|u| u.contains(&conv.uuid))
        })
        .collect();
    let key = |c: usize| -> (i64, i64) {
        let conv = &d.conversations[c];
        match field.as_str() {
            "created_at" => (0, conv.created_at),
            "updated_at" => (0, conv.updated_at),
            // `pinned_conversations`: pinned first (ascending), then most recent activity.
            "pinned_conversations" => (if conv.pinned { 0 } else { 1 }, -conv.latest_ts()),
            _ => (0, conv.latest_ts()),
        }
    };
    idx.sort_by_key(|&c| (key(c), c));
    paged_list(r, base, "/api/v1/conversation", idx, desc, |c| {
        conv_json(d, c, &inc, base)
    })
}

pub(super) fn find_conv(d: &Dataset, u: &str) -> Result<usize, Out> {
    d.conversations
        .iter()
        .position(|c| c.uuid == u)
        .ok_or_else(not_found)
}

pub(super) fn show_conversation(d: &Dataset, r: &RecordedRequest, u: &str, base: &str) -> Res {
    let c = find_conv(d, u)?;
    let inc = includes(r, CONV_INCLUDES)?;
    Ok(Out::Json(200, conv_json(d, c, &inc, base)))
}

pub(super) fn all_conv_includes() -> HashSet<String> {
    [
        "participants",
        "participants_count",
        "messages_count",
        "tags",
        "latest_message",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

pub(super) fn put_conversation(d: &mut Dataset, u: &str, body: Option<&Value>, base: &str) -> Out {
    let c = match find_conv(d, u) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let name = match body.and_then(|b| b.get("name")) {
        None | Some(Value::Null) => {
            return invalid(vec![("name".into(), "The name field is required.".into())]);
        }
        Some(Value::String(s)) => s.trim().to_string(),
        Some(_) => {
            return invalid(vec![(
                "name".into(),
                "The name field must be a string.".into(),
            )]);
        }
    };
    if name.is_empty() {
        return invalid(vec![("name".into(), "The name field is required.".into())]);
    }
    if name.chars().count() > 255 {
        return invalid(vec![(
            "name".into(),
            "The name field must not be greater than 255 characters.".into(),
        )]);
    }
    let conv = &mut d.conversations[c];
    conv.name = name;
    conv.updated_at = bump(conv.updated_at);
    Out::Json(200, conv_json(d, c, &all_conv_includes(), base))
}

pub(super) fn pin_conversation(d: &mut Dataset, u: &str, body: Option<&Value>, base: &str) -> Out {
    let c = match find_conv(d, u) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let pin = match body.and_then(|b| b.get("pin")) {
        None | Some(Value::Null) => {
            return invalid(vec![("pin".into(), "The pin field is required.".into())]);
        }
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return invalid(vec![(
                "pin".into(),
                "The pin field must be true or false.".into(),
            )]);
        }
    };
    d.conversations[c].pinned = pin;
    Out::Json(200, conv_json(d, c, &all_conv_includes(), base))
}

pub(super) fn conversation_messages(d: &Dataset, r: &RecordedRequest, u: &str, base: &str) -> Res {
    let c = find_conv(d, u)?;
    let (_, desc) = sort_arg(r, &["created_at"], "-created_at")?;
    let n = d.conversations[c].messages as usize;
    let (page, pp) = page_args(r, "page", 30);
    let data = page_range(page, pp, n)
        .map(|k| {
            let i = if desc { n - 1 - k } else { k };
            d.render_conv_message(c, i as u32, base)
        })
        .collect();
    Ok(Out::Json(
        200,
        paginator(
            base,
            &format!("/api/v1/conversation/{u}/messages"),
            "page",
            page,
            pp,
            n,
            data,
        ),
    ))
}

pub(super) fn conversation_message(d: &Dataset, u: &str, mu: &str, base: &str) -> Out {
    let Ok(c) = find_conv(d, u) else {
        return not_found();
    };
    (0..d.conversations[c].messages)
        .find(|&i| d.conv_message_uuid(c, i) == mu)
        .map(|i| Out::Json(200, d.render_conv_message(c, i, base)))
        .unwrap_or_else(not_found)
}

impl Dataset {
    pub fn conv_file_spec(&self, c: usize, i: u32) -> Option<(String, usize)> {
        let mut rng = fastrand::Rng::with_seed(mix4(self.seed, TAG_CFILE, c as u64, i as u64));
        (rng.u8(0..15) == 0).then(|| (format!("File note {}.pdf", i + 1), rng.usize(1_000..80_000)))
    }

    pub fn render_conv_message(&self, c: usize, i: u32, base_url: &str) -> Value {
        let conv = &self.conversations[c];
        let mut rng = fastrand::Rng::with_seed(mix4(self.seed, TAG_CMSG, c as u64, i as u64));
        let author = conv.participants[rng.usize(0..conv.participants.len())];
        let contents = if conv.hostile {
            let (n, body) = HOSTILE_CORPUS[i as usize % HOSTILE_CORPUS.len()];
            format!("[{n}] {body}")
        } else {
            pick(&mut rng, CHAT).to_string()
        };
        let at = conv.msg_ts(i);
        let edited = rng.u8(0..12) == 0;
        let files: Vec<Value> = self
            .conv_file_spec(c, i)
            .map(|(name, size)| {
                let u = self.conv_file_uuid(c, i);
                vec![json!({
                    "uuid": u, "created_at": ts(at), "updated_at": ts(at), "uploaded_at": ts(at),
                    "status": "uploaded", "filename": name, "name": name, "extension": "pdf",
                    "type": "application/pdf", "size": size.to_string(),
                    "download_url": format!("{base_url}/__demo/files/{u}"),
                })]
            })
            .unwrap_or_default();
        let reactions: Vec<Value> = if rng.u8(0..6) == 0 {
            let reaction = ["like", "love", "laughing", "surprised"][rng.usize(0..4)];
            vec![json!({"reaction": reaction,
                        "account": self.render_slim_account(conv.participants[0])})]
        } else {
            vec![]
        };
        let a = &self.accounts[author];
        json!({
            "uuid": self.conv_message_uuid(c, i),
            "created_at": ts(at), "updated_at": ts(if edited { at + 120 } else { at }), "deleted_at": null,
            "contents": contents, "edited": edited, "files": files,
            "author": self.render_slim_account(author),
            "user": {"uuid": format!("{}", self.user_uuid), "name": a.name(), "type": "standard", "email": a.email},
            "reactions": reactions,
        })
    }
}
