//! One conversation as the list shows it, computed once when its page arrives, and the text
//! helpers that computation shares with the open conversation.
use crate::api::models::Conversation;

/// One conversation as the list shows it. Everything the table needs is computed once here, when
/// the page arrives, so drawing only copies strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub conv: Conversation,
    /// Latest activity (last message, else last update), unix seconds.
    pub activity: Option<i64>,
    /// "Ann Lee, Bob Ray +3" (the caller left out).
    pub participants: String,
    /// Last message on one line: "Ann: See you then".
    pub preview: String,
    /// Lower-cased name, participants and preview, for the filter.
    pub(super) haystack: String,
}

impl Row {
    pub fn new(conv: Conversation, me: Option<&str>) -> Row {
        let others: Vec<String> = conv
            .participants
            .iter()
            .filter(|a| me.is_none_or(|m| a.uuid != m))
            .map(|a| a.display_name())
            .collect();
        let total = conv
            .participants_count
            .map(|n| n as usize)
            .unwrap_or(conv.participants.len());
        let total_others = total
            .saturating_sub(conv.participants.len() - others.len())
            .max(others.len());
        let shown: Vec<&str> = others.iter().take(2).map(String::as_str).collect();
        let mut participants = shown.join(", ");
        if total_others > shown.len() {
            participants.push_str(&format!(" +{}", total_others - shown.len()));
        }
        let (preview, activity) = match &conv.latest_message {
            Some(m) => {
                let text = one_line(&strip_tags(m.contents.as_deref().unwrap_or("")));
                let who = m
                    .author
                    .as_ref()
                    .map(|a| a.display_name())
                    .unwrap_or_default();
                let who = who.split_whitespace().next().unwrap_or("").to_string();
                let preview = match (who.is_empty(), text.is_empty()) {
                    (_, true) if !m.files.is_empty() => {
                        format!("{who}: [{} file(s)]", m.files.len())
                    }
                    (true, _) => text,
                    (false, _) => format!("{who}: {text}"),
                };
                (
                    preview,
                    parse_time(&m.created_at).or_else(|| parse_time(&conv.updated_at)),
                )
            }
            None => (
                String::new(),
                parse_time(&conv.updated_at).or_else(|| parse_time(&conv.created_at)),
            ),
        };
        let haystack = format!("{}\n{}\n{}", conv.name, participants, preview).to_lowercase();
        Row {
            conv,
            activity,
            participants,
            preview,
            haystack,
        }
    }
}

/// Drop rows whose conversation already appeared on an earlier page (activity moved it while
/// paging).
pub(super) fn dedup(rows: &mut Vec<Row>) {
    let mut seen = std::collections::HashSet::new();
    rows.retain(|r| seen.insert(r.conv.uuid.clone()));
}

/// RFC 3339 (with its offset) to unix seconds.
pub fn parse_time(s: &str) -> Option<i64> {
    crate::clock::parse(s)
}

/// Remove HTML tags (cheaply, for one-line previews; bodies go through `render::html`).
pub fn strip_tags(s: &str) -> String {
    if !looks_like_html(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Whether a message body is HTML (Plannr's editor sends `<p>…</p>`; plain text rarely has tags).
pub fn looks_like_html(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    [
        "</", "<br", "<p>", "<p ", "<div", "<img", "<a ", "<ul", "<ol", "<span", "<b>", "<i>",
        "<strong", "<em>",
    ]
    .iter()
    .any(|t| l.contains(t))
}

/// Whitespace (newlines included) collapsed to single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
