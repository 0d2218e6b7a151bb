//! A forgiving, linear HTML scanner used before the real parser: it limits element nesting
//! (html5ever's cost grows with depth) and strips tags when there is nothing else to show.
use std::borrow::Cow;
/// Elements that never have content or an end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "frame"
            | "basefont"
            | "image"
    )
}

/// Elements whose content is text up to their own end tag.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
    )
}

/// Elements whose end tag is optional: a new one closes the open one of the same kind.
fn closes_same(name: &str) -> bool {
    matches!(
        name,
        "p" | "li" | "dt" | "dd" | "tr" | "td" | "th" | "option" | "optgroup" | "rt" | "rp"
    )
}

/// One token of the lightweight HTML scanner.
enum Tok<'a> {
    Text(&'a str),
    /// Comment, doctype, processing instruction: passed through untouched.
    Other(&'a str),
    /// A start tag: (raw source, lower-case name, self-closing).
    Start(&'a str, Cow<'a, str>, bool),
    End(&'a str, Cow<'a, str>),
}

/// A forgiving tokenizer, just enough to count nesting: quoted attribute values may contain `>`,
/// comments and raw-text elements (`<script>`, `<style>` …) are skipped whole.
struct Scanner<'a> {
    s: &'a str,
    pos: usize,
    /// Inside a raw-text element: its name; the next token is its text up to `</name`.
    raw: Option<String>,
}

impl<'a> Scanner<'a> {
    fn new(s: &'a str) -> Self {
        Self {
            s,
            pos: 0,
            raw: None,
        }
    }
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Tok<'a>;

    fn next(&mut self) -> Option<Tok<'a>> {
        let rest = &self.s[self.pos..];
        if rest.is_empty() {
            return None;
        }
        if let Some(name) = self.raw.take() {
            let end = find_ci(rest, &format!("</{name}")).unwrap_or(rest.len());
            self.pos += end;
            if end > 0 {
                return Some(Tok::Text(&rest[..end]));
            }
            return self.next();
        }
        let b = rest.as_bytes();
        if b[0] != b'<' {
            let end = rest.find('<').unwrap_or(rest.len());
            // `find` gives at least 1 here unless `<` is first, which it is not.
            self.pos += end;
            return Some(Tok::Text(&rest[..end]));
        }
        let next = b.get(1).copied().unwrap_or(0);
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").map_or(rest.len(), |i| i + 4 + 3);
            self.pos += end;
            return Some(Tok::Other(&rest[..end]));
        }
        if next == b'!' || next == b'?' {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            self.pos += end;
            return Some(Tok::Other(&rest[..end]));
        }
        let is_end = next == b'/';
        let name_start = if is_end { 2 } else { 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            // A lone `<` is text.
            self.pos += 1;
            return Some(Tok::Text(&rest[..1]));
        }
        let name_end = b[name_start..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
            .map_or(b.len(), |i| i + name_start);
        // Lower case without a copy for the usual all-lower-case tag.
        let raw_name = &rest[name_start..name_end];
        let name: Cow<'a, str> = if raw_name.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(raw_name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw_name)
        };
        // Find the closing `>`, skipping quoted attribute values.
        let mut i = name_end;
        let mut quote = 0u8;
        while i < b.len() {
            let c = b[i];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                quote = c;
            } else if c == b'>' {
                break;
            }
            i += 1;
        }
        let end = (i + 1).min(b.len());
        let raw = &rest[..end];
        self.pos += end;
        if is_end {
            Some(Tok::End(raw, name))
        } else {
            let self_closing = raw.ends_with("/>");
            if is_raw_text(&name) && !self_closing {
                self.raw = Some(name.to_string());
            }
            Some(Tok::Start(raw, name, self_closing))
        }
    }
}

/// Drop start/end tags nested deeper than `max` (replaced by a space so words stay apart); text,
/// comments and shallower tags pass through unchanged; `<hr>` becomes a line of `─`. Cheap and
/// linear in the input.
pub fn limit_nesting(html: &str, max: usize) -> String {
    let mut out = String::with_capacity(html.len());
    let mut stack: Vec<Cow<'_, str>> = Vec::new();
    let mut overflow = 0usize; // start tags dropped and not yet closed
    for tok in Scanner::new(html) {
        match tok {
            Tok::Text(t) | Tok::Other(t) => out.push_str(t),
            Tok::Start(raw, name, self_closing) => {
                if self_closing || is_void(&name) {
                    out.push_str(raw);
                    continue;
                }
                if overflow == 0 && closes_same(&name) && stack.last() == Some(&name) {
                    stack.pop();
                }
                if overflow > 0 || stack.len() >= max {
                    overflow += 1;
                    out.push(' ');
                } else {
                    stack.push(name);
                    out.push_str(raw);
                }
            }
            Tok::End(raw, name) => {
                if overflow > 0 {
                    overflow -= 1;
                    out.push(' ');
                    continue;
                }
                // Pop up to the matching element (look only a little way down: a stray end tag
                // must not unwind the whole stack).
                if let Some(pos) = stack.iter().rev().take(16).position(|n| *n == name) {
                    let keep = stack.len() - pos - 1;
                    stack.truncate(keep);
                }
                out.push_str(raw);
            }
        }
    }
    out
}

/// The text between tags, for when html2text gives up.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_raw = false;
    for tok in Scanner::new(html) {
        match tok {
            Tok::Text(t) if !in_raw => out.push_str(t),
            Tok::Start(_, name, sc) => in_raw = is_raw_text(&name) && !sc,
            Tok::End(..) => in_raw = false,
            _ => {}
        }
    }
    out
}
