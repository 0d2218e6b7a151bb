//! Mailboxes: the list and `PUT /v1/mailboxes/{uuid}`.

use super::dataset::*;
use super::pipeline::*;
use serde_json::{Map, Value, json};

pub(super) fn put_mailbox(d: &mut Dataset, u: &str, body: Option<&Value>) -> Out {
    let Some(m) = d.mailboxes.iter().position(|mb| mb.uuid == u) else {
        return not_found();
    };
    let empty = Map::new();
    let b = body.and_then(Value::as_object).unwrap_or(&empty);
    let mut errs = Vec::new();
    let mut enabled = None;
    let mut name = None;
    match b.get("enabled") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(v)) => enabled = Some(*v),
        Some(_) => errs.push((
            "enabled".into(),
            "The enabled field must be true or false.".into(),
        )),
    }
    match b.get("name") {
        None => {}
        Some(Value::String(s)) if s.trim().is_empty() => {
            errs.push(("name".into(), "The name field is required.".into()))
        }
        Some(Value::String(s)) if s.trim().chars().count() > 255 => errs.push((
            "name".into(),
            "The name field must not be greater than 255 characters.".into(),
        )),
        Some(Value::String(s)) => name = Some(s.trim().to_string()),
        Some(Value::Null) => errs.push(("name".into(), "The name field is required.".into())),
        Some(_) => errs.push(("name".into(), "The name field must be a string.".into())),
    }
    if errs.is_empty() && enabled.is_none() && name.is_none() {
        errs.push((
            "enabled".into(),
            "The enabled field is required when name is not present.".into(),
        ));
    }
    if !errs.is_empty() {
        return invalid(errs);
    }
    let mb = &mut d.mailboxes[m];
    if let Some(e) = enabled {
        // The state follows: disabling closes the IMAP connection (seed 000), enabling opens it.
        if e != mb.enabled {
            mb.state = if e { "connected" } else { "disconnected" };
        }
        mb.enabled = e;
    }
    if let Some(n) = name {
        mb.name = n;
    }
    mb.updated_at = bump(mb.updated_at);
    Out::Json(200, d.render_mailbox(m))
}

pub(super) fn bump(prev: i64) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    now.max(prev + 1)
}

impl Dataset {
    pub fn render_mailbox(&self, m: usize) -> Value {
        let mb = &self.mailboxes[m];
        let count: u64 = self
            .threads
            .iter()
            .filter(|t| t.mailbox == m)
            .map(|t| t.len as u64)
            .sum();
        json!({
            "uuid": mb.uuid, "created_at": ts(mb.created_at), "updated_at": ts(mb.updated_at),
            "name": mb.name, "type": mb.kind, "email": mb.email, "state": mb.state, "enabled": mb.enabled,
            "created_by": self.render_slim_account(mb.owner),
            "message_count": count,
        })
    }
}
