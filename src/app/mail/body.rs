//! An expanded message's lines: participants, mailbox, attachments, the body (in one of three
//! modes), folded quotes and numbered link references, wrapped to the pane's width. Built in
//! update when the body arrives or the width changes; drawing only slices these lines.
use crate::api::models::EmailMessage;
use crate::render::html::{Body, raw_to_body, text_to_body};
use crate::render::wrap::{truncate_to_width, wrap_body, wrap_line};

use super::thread::{BodyState, Fetch, TMsg};

/// Columns every content line is indented by (quote bars are drawn there).
pub const INDENT: u16 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyMode {
    /// HTML rendered to text (falls back to the plain-text part when there is no HTML).
    Html,
    Text,
    /// The source as sent (HTML markup, or the text part).
    Raw,
}

impl BodyMode {
    pub fn next(self, _has_html: bool) -> BodyMode {
        match self {
            BodyMode::Html => BodyMode::Text,
            BodyMode::Text => BodyMode::Raw,
            BodyMode::Raw => BodyMode::Html,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BodyMode::Html => "rendered",
            BodyMode::Text => "plain text",
            BodyMode::Raw => "source",
        }
    }
}

pub use crate::app::viewport::{LineKind, ViewLine};

/// The columns a body gets in a pane `width` wide (what HTML is laid out at).
pub fn content_width(width: u16) -> u16 {
    width.saturating_sub(INDENT).max(1)
}

/// An expanded HTML body laid out at another width than a pane `width` wide gives it, and not
/// yet asked for again: the HTML to convert at that width.
pub fn wants_relayout(t: &TMsg, width: u16) -> Option<&str> {
    match (&t.body, t.m.html.as_deref()) {
        (BodyState::Ready(b), Some(h))
            if t.expanded
                && t.mode == BodyMode::Html
                && t.relayout.is_none()
                && b.width != 0
                && b.width != content_width(width) =>
        {
            Some(h)
        }
        _ => None,
    }
}

/// The body for modes that are cheap to convert (everything but HTML rendering).
pub fn convert_inline(m: &EmailMessage, mode: BodyMode) -> Body {
    let text = m.text.as_deref().unwrap_or("");
    match mode {
        BodyMode::Html | BodyMode::Text => text_to_body(text),
        BodyMode::Raw => raw_to_body(m.html.as_deref().filter(|h| !h.is_empty()).unwrap_or(text)),
    }
}

/// Human size: 980 B, 12.3 KB, 4.1 MB.
pub fn human_size(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} KB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.1} GB", n as f64 / 1e9),
    }
}

/// Lay out an expanded message at `width` columns.
pub fn layout(t: &TMsg, width: u16) -> Vec<ViewLine> {
    let w = usize::from(content_width(width));
    let mut out = Vec::new();
    let m = &t.m;
    for (label, kind) in [
        ("From", "from"),
        ("To", "to"),
        ("Cc", "cc"),
        ("Bcc", "bcc"),
        ("Reply-To", "reply_to"),
    ] {
        let who: Vec<String> = m
            .participants
            .iter()
            .filter(|p| p.kind.eq_ignore_ascii_case(kind))
            .map(|p| p.display())
            .collect();
        if !who.is_empty() {
            let text = format!("{label}: {}", who.join(", "));
            push_wrapped(&mut out, &text, w, LineKind::Meta(label.len() as u8 + 1));
        }
    }
    // Participant types the docs do not list are shown under their own name, never hidden.
    let known = ["from", "to", "cc", "bcc", "reply_to"];
    let mut others: Vec<&str> = Vec::new();
    for p in m.participants.iter() {
        let k = p.kind.as_str();
        if !known.iter().any(|x| k.eq_ignore_ascii_case(x)) && !others.contains(&k) {
            others.push(k);
        }
    }
    for kind in others {
        let who: Vec<String> = m
            .participants
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.display())
            .collect();
        let label = if kind.is_empty() { "(no type)" } else { kind };
        let text = format!("{label}: {}", who.join(", "));
        let indent = u8::try_from(label.chars().count() + 1).unwrap_or(u8::MAX);
        push_wrapped(&mut out, &text, w, LineKind::Meta(indent));
    }
    // In or out (seed 001's `incoming`).
    if let Some(incoming) = m.incoming {
        let text = if incoming {
            "Direction: incoming (received)"
        } else {
            "Direction: outgoing (sent)"
        };
        out.push(ViewLine::new(
            truncate_to_width(text, w),
            LineKind::Meta(10),
        ));
    }
    // The full date, time and zone (the list shows only a short form).
    if let Some(ts) = crate::clock::parse(m.sort_key()) {
        let text = format!("Date: {}", crate::clock::full(ts));
        out.push(ViewLine::new(
            truncate_to_width(&text, w),
            LineKind::Meta(5),
        ));
    }
    if let Some(mb) = &m.mailbox {
        let text = if mb.email.is_empty() {
            format!("Mailbox: {}", mb.name)
        } else {
            format!("Mailbox: {} <{}>", mb.name, mb.email)
        };
        out.push(ViewLine::new(
            truncate_to_width(&text, w),
            LineKind::Meta(8),
        ));
    }
    for (index, a) in m.attachments.iter().enumerate() {
        let size = a
            .size
            .map(|s| format!(" ({})", human_size(s)))
            .unwrap_or_default();
        let kind = if a.kind.is_empty() {
            String::new()
        } else {
            format!(" {}", a.kind)
        };
        let ready = if a.is_ready() {
            String::new()
        } else {
            format!(" — not ready ({})", a.status.as_deref().unwrap_or(""))
        };
        let text = format!("Attachment: {}{size}{kind}{ready}", a.display_name());
        out.push(ViewLine::new(
            truncate_to_width(&text, w),
            LineKind::Attachment { index },
        ));
    }
    out.push(ViewLine::new(String::new(), LineKind::Blank));
    // While the full message is fetched or its HTML converted, the plain text stands in.
    let pending =
        matches!(t.fetch, Fetch::Loading(_)) || matches!(t.body, BodyState::Converting(_));
    let note = match t.mode {
        BodyMode::Html => Some("loading formatted version…"),
        BodyMode::Raw => Some("loading the HTML source…"),
        BodyMode::Text => None,
    };
    if let Some(note) = note.filter(|_| pending) {
        out.push(ViewLine::new(truncate_to_width(note, w), LineKind::Notice));
    }
    match &t.body {
        BodyState::None => out.push(ViewLine::new("(no body)".into(), LineKind::Notice)),
        BodyState::Converting(_) => {
            let text = convert_inline(&t.m, BodyMode::Text);
            body_lines(&mut out, &text, t.fold_quotes, w);
        }
        BodyState::Ready(body) => body_lines(&mut out, body, t.fold_quotes, w),
    }
    out.push(ViewLine::new(String::new(), LineKind::Blank));
    out
}

fn push_wrapped(out: &mut Vec<ViewLine>, text: &str, w: usize, kind: LineKind) {
    let mut first = true;
    wrap_line(text, w, &mut |s| {
        let k = if first { kind } else { LineKind::Meta(0) };
        first = false;
        out.push(ViewLine::new(s, k));
    });
}

fn body_lines(out: &mut Vec<ViewLine>, body: &Body, fold: bool, w: usize) {
    if body.lines.iter().all(|l| l.text.trim().is_empty()) {
        out.push(ViewLine::new("(empty message)".into(), LineKind::Notice));
    }
    let wrapped = wrap_body(body, w as u16);
    let mut folded = 0usize;
    for l in wrapped {
        if l.quote_depth > 0 && fold {
            folded += 1;
            continue;
        }
        if folded > 0 {
            out.push(folded_line(folded));
            folded = 0;
        }
        out.push(ViewLine::new(l.text, LineKind::body(l.quote_depth)));
    }
    if folded > 0 {
        out.push(folded_line(folded));
    }
    if !body.links.is_empty() {
        out.push(ViewLine::new(String::new(), LineKind::Blank));
        for (n, link) in body.links.iter().enumerate() {
            push_wrapped(out, &format!("[{}] {link}", n + 1), w, LineKind::Link);
        }
    }
}

/// "┄ 1 quoted line (z shows it)", "┄ 12 quoted lines (z shows them)".
fn folded_line(n: usize) -> ViewLine {
    let text = if n == 1 {
        "┄ 1 quoted line (z shows it)".to_string()
    } else {
        format!("┄ {n} quoted lines (z shows them)")
    };
    ViewLine::new(text, LineKind::Folded)
}

/// The text `y` copies: the body as shown (quotes with `>` markers), links listed.
pub fn copy_text(t: &TMsg) -> String {
    let body = match &t.body {
        BodyState::Ready(b) => b.clone(),
        _ => convert_inline(&t.m, BodyMode::Text),
    };
    let mut s = String::new();
    for l in &body.lines {
        for _ in 0..l.quote_depth {
            s.push_str("> ");
        }
        s.push_str(&l.text);
        s.push('\n');
    }
    if !body.links.is_empty() {
        s.push('\n');
        for (n, link) in body.links.iter().enumerate() {
            s.push_str(&format!("[{}] {link}\n", n + 1));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        let m = EmailMessage {
            text: Some(text.into()),
            ..EmailMessage::default()
        };
        let mut out = Vec::new();
        body_lines(&mut out, &convert_inline(&m, BodyMode::Text), true, 60);
        out.into_iter()
            .filter(|l| l.kind == LineKind::Folded)
            .map(|l| l.text)
            .collect()
    }

    /// Issue 17.8: "┄ 1 quoted lines".
    #[test]
    fn folded_quotes_count_in_the_singular_and_plural() {
        assert_eq!(
            folded("Thanks\n> one line\nBye"),
            ["┄ 1 quoted line (z shows it)"]
        );
        assert_eq!(
            folded("Thanks\n> one\n> two\n> three"),
            ["┄ 3 quoted lines (z shows them)"]
        );
    }

    /// Seed 001: the direction, every participant type (an unknown one shown, not hidden), and an
    /// attachment's type, size and a status that is not ready.
    #[test]
    fn header_shows_direction_participant_types_and_attachment_facts() {
        let m: EmailMessage =
            serde_json::from_str(crate::demo::seeds::MESSAGE_SHOW).expect("seed 001 decodes");
        let mut m2 = m.clone();
        let mut people = m2.participants.to_vec();
        people.push(crate::api::models::Participant {
            kind: "delivered_to".into(),
            name: "Archive".into(),
            email: "archive@example.org".into(),
        });
        m2.participants = people.into();
        m2.attachments[0].status = Some("pending".into());
        let t = TMsg::new(m2, 0);
        let text: Vec<String> = layout(&t, 100).into_iter().map(|l| l.text).collect();
        let all = text.join("\n");
        assert!(all.contains("Cc: John Doe <john.doe@example.com>"), "{all}");
        assert!(
            all.contains("delivered_to: Archive <archive@example.org>"),
            "{all}"
        );
        assert!(all.contains("Direction: incoming"), "{all}");
        assert!(
            all.contains(
                "Attachment: example.pdf (123.5 KB) application/pdf — not ready (pending)"
            ),
            "{all}"
        );
        let t = TMsg::new(m, 0);
        let all = layout(&t, 100)
            .into_iter()
            .map(|l| l.text)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            all.contains("Attachment: example.pdf (123.5 KB) application/pdf\n"),
            "{all}"
        );
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(980), "980 B");
        assert_eq!(human_size(120_394), "120.4 KB");
        assert_eq!(human_size(4_100_000), "4.1 MB");
    }
}
