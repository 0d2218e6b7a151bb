//! Email bodies to lines of clean text: HTML (via html2text), plain text, and raw source.
//!
//! Every string that leaves this module has been through [`sanitize`](super::sanitize): html2text
//! decodes entities, so `&#27;[2J` in a mail would otherwise become a real escape sequence.
//!
//! Bounds: inputs over [`MAX_INPUT`] bytes are cut (at a char boundary, before a partial tag) and
//! end with a "… (message truncated, N KB)" line; HTML element nesting is limited to
//! [`MAX_NESTING`] before html2text sees it: parsing cost grows with depth (10,000 nested `<div>`s
//! took 7 s, nested lists 20 s, in a debug build; 15–40 ms with the limit) and parts of html2text's
//! layout recurse, and this runs on a 2 MiB `spawn_blocking` stack.
//!
//! Layout: html2text renders at [`RENDER_WIDTH`] columns, i.e. paragraphs stay one line each and
//! [`wrap`](super::wrap) does the wrapping at the pane's width. Tables are laid out at their
//! natural width; rows wider than the pane get wrapped like any other line.
use std::collections::HashMap;

use html2text::render::{RichAnnotation, TaggedLine, TaggedLineElement};

use super::sanitize;

/// Inputs longer than this (bytes) are truncated.
pub const MAX_INPUT: usize = 1 << 20;
/// Element nesting deeper than this is flattened (the extra tags are dropped, their text kept).
pub const MAX_NESTING: usize = 128;
/// Width html2text lays out at; wrapping to the screen happens later.
pub const RENDER_WIDTH: usize = 10_000;
/// Horizontal rules are rendered at most this wide (the wrapper cuts them to the pane).
const RULE_WIDTH: usize = 200;

/// A rendered body: lines plus the targets of the numbered link references (`[1]` is `links[0]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub lines: Vec<BodyLine>,
    pub links: Vec<String>,
}

/// One logical line (a paragraph, a table row …), not yet wrapped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyLine {
    pub text: String,
    /// 0 for the message itself, n for text quoted n levels deep (`<blockquote>` or leading `>`).
    pub quote_depth: u8,
}

/// HTML email body to text. Links become numbered references `[n]` after their text, with targets
/// in `links` (the same target keeps its number); images with alt text show as `[image: alt]`;
/// `<blockquote>` and lines starting with `>` are quoted, depth = nesting.
pub fn html_to_body(html: &str) -> Body {
    let (html, truncated) = cap(html, true);
    let flat = limit_nesting(html, MAX_NESTING);
    let mut body = match render_html(&flat) {
        Some(body) => body,
        // html2text found nothing to render (or failed): show the text between the tags.
        None => text_to_body(&strip_tags(&flat)),
    };
    finish(&mut body, truncated);
    body
}

/// Plain-text body: lines kept, quote depth from leading `>` (`>>`, `> >` …), markers removed.
pub fn text_to_body(text: &str) -> Body {
    split_to_body(text, |l| {
        let (quote_depth, rest) = split_quote(l);
        BodyLine {
            text: rest.to_string(),
            quote_depth,
        }
    })
}

/// Raw source view: every line as it is (sanitised), no quote detection.
pub fn raw_to_body(src: &str) -> Body {
    split_to_body(src, |l| BodyLine {
        text: l.to_string(),
        quote_depth: 0,
    })
}

/// A body of one `BodyLine` per line of `text` (capped and sanitised first; no trailing empty
/// line for a final newline).
fn split_to_body(text: &str, line: impl Fn(&str) -> BodyLine) -> Body {
    let (text, truncated) = cap(text, false);
    let clean = sanitize::block_cow(text);
    let mut lines: Vec<BodyLine> = clean.split('\n').map(line).collect();
    if clean.is_empty() || clean.ends_with('\n') {
        lines.pop();
    }
    let mut body = Body {
        lines,
        links: Vec::new(),
    };
    finish(&mut body, truncated);
    body
}

/// Append the truncation notice. `truncated` is the original size in bytes when it was cut.
fn finish(body: &mut Body, truncated: Option<usize>) {
    if let Some(size) = truncated {
        body.lines.push(BodyLine {
            text: format!("… (message truncated, {} KB)", size.div_ceil(1024)),
            quote_depth: 0,
        });
    }
}

/// Cut `s` to at most [`MAX_INPUT`] bytes at a char boundary; for HTML, also before a tag that the
/// cut would leave half open. Returns the original length when it cut.
fn cap(s: &str, html: bool) -> (&str, Option<usize>) {
    if s.len() <= MAX_INPUT {
        return (s, None);
    }
    let mut end = MAX_INPUT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut head = &s[..end];
    // Only a tag cut in half is dropped (a `<` with no `>` after it, near the end).
    if html
        && let Some(lt) = head.rfind('<')
        && !head[lt..].contains('>')
        && lt + 4096 >= end
    {
        head = &head[..lt];
    }
    (head, Some(s.len()))
}

/// Leading quote markers: `>`, `>>`, `> > ` … Returns (depth, text after the markers and one
/// following space).
fn split_quote(line: &str) -> (u8, &str) {
    let mut depth = 0u8;
    let mut rest = line;
    loop {
        let t = rest.trim_start_matches(' ');
        match t.strip_prefix('>') {
            Some(after) => {
                depth = depth.saturating_add(1);
                rest = after;
            }
            None => break,
        }
    }
    if depth > 0 {
        rest = rest.strip_prefix(' ').unwrap_or(rest);
    }
    (depth, rest)
}

fn render_html(html: &str) -> Option<Body> {
    if html.trim().is_empty() {
        return None;
    }
    let lines = html2text::config::rich()
        .allow_width_overflow()
        .lines_from_read(html.as_bytes(), RENDER_WIDTH)
        .ok()?;
    Some(lines_to_body(&lines))
}

/// Tagged lines to body lines: link references and image markers added, text sanitised, quote
/// prefixes turned into depth, horizontal rules shortened, trailing blank lines dropped.
fn lines_to_body(lines: &[TaggedLine<Vec<RichAnnotation>>]) -> Body {
    let mut links: Vec<String> = Vec::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<BodyLine> = Vec::with_capacity(lines.len());

    // The link currently open (its number), carried across lines for links that wrap.
    let mut open_link: Option<(&str, usize)> = None;
    for (i, line) in lines.iter().enumerate() {
        let mut text = String::new();
        let mut open_image: Option<&str> = None;
        for ts in line.tagged_strings() {
            let link = ts.tag.iter().find_map(|a| match a {
                RichAnnotation::Link(u) => Some(u.as_str()),
                _ => None,
            });
            let image = ts.tag.iter().find_map(|a| match a {
                RichAnnotation::Image(src) => Some(src.as_str()),
                _ => None,
            });
            if open_image.is_some() && image != open_image {
                text.push(']');
                open_image = None;
            }
            if let Some((url, n)) = open_link
                && link != Some(url)
            {
                text.push_str(&format!("[{n}]"));
                open_link = None;
            }
            if let Some(url) = link
                && open_link.is_none()
            {
                let n = *numbers.entry(url.to_string()).or_insert_with(|| {
                    links.push(sanitize::line(url));
                    links.len()
                });
                open_link = Some((url, n));
            }
            if image.is_some() && open_image.is_none() {
                text.push_str("[image: ");
                open_image = image;
            }
            text.push_str(&ts.s);
        }
        if open_image.is_some() {
            text.push(']');
        }
        // A link still open at the end of the line continues only if the next line starts in it.
        if let Some((url, n)) = open_link {
            let continues = lines.get(i + 1).is_some_and(|next| {
                next.iter()
                    .find_map(|e| match e {
                        TaggedLineElement::Str(ts) if !ts.s.is_empty() => Some(ts),
                        _ => None,
                    })
                    .is_some_and(|ts| {
                        ts.tag
                            .iter()
                            .any(|a| matches!(a, RichAnnotation::Link(u) if u == url))
                    })
            });
            if !continues {
                text.push_str(&format!("[{n}]"));
                open_link = None;
            }
        }

        let clean = sanitize::line_cow(&text);
        let (quote_depth, rest) = split_quote(&clean);
        let rest = rest.trim_end();
        let text = if is_long_rule(rest) {
            rest.chars().take(RULE_WIDTH).collect()
        } else {
            rest.to_string()
        };
        out.push(BodyLine { text, quote_depth });
    }
    while out.last().is_some_and(|l| l.text.is_empty()) {
        out.pop();
    }
    Body { lines: out, links }
}

fn is_long_rule(s: &str) -> bool {
    s.len() > RULE_WIDTH && s.chars().all(|c| c == '─')
}

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
    Start(&'a str, String, bool),
    End(&'a str, String),
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
        let name = rest[name_start..name_end].to_ascii_lowercase();
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
                self.raw = Some(name.clone());
            }
            Some(Tok::Start(raw, name, self_closing))
        }
    }
}

/// Drop start/end tags nested deeper than `max` (replaced by a space so words stay apart); text,
/// comments and shallower tags pass through unchanged; `<hr>` becomes a line of `─`. Cheap and
/// linear in the input.
fn limit_nesting(html: &str, max: usize) -> String {
    let mut out = String::with_capacity(html.len());
    let mut stack: Vec<String> = Vec::new();
    let mut overflow = 0usize; // start tags dropped and not yet closed
    for tok in Scanner::new(html) {
        match tok {
            Tok::Text(t) | Tok::Other(t) => out.push_str(t),
            Tok::Start(raw, name, self_closing) => {
                if name == "hr" {
                    // html2text's rich mode drops <hr>; draw a rule (cut to the pane by wrap).
                    out.push_str("<div>");
                    out.extend(std::iter::repeat_n('─', RULE_WIDTH));
                    out.push_str("</div>");
                    continue;
                }
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
fn strip_tags(html: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(b: &Body) -> Vec<&str> {
        b.lines.iter().map(|l| l.text.as_str()).collect()
    }

    fn assert_clean(b: &Body) {
        for s in b.lines.iter().map(|l| &l.text).chain(&b.links) {
            assert!(
                !s.chars()
                    .any(|c| c.is_control() || sanitize::is_bidi_control(c)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn paragraphs_and_links() {
        let b = html_to_body(
            r#"<p>Hello <a href="https://a.example/x">there</a>, see
            <a href="https://b.example">docs</a> and <a href="https://a.example/x">again</a>.</p>"#,
        );
        let all = texts(&b).join("\n");
        assert!(
            all.contains("Hello there[1], see docs[2] and again[1]."),
            "{all}"
        );
        assert_eq!(b.links, ["https://a.example/x", "https://b.example"]);
    }

    #[test]
    fn horizontal_rule() {
        let b = html_to_body("<p>a</p><hr><p>b</p>");
        let rule = b
            .lines
            .iter()
            .find(|l| l.text.starts_with('─'))
            .expect("rule line");
        assert!(rule.text.chars().all(|c| c == '─'), "{b:?}");
        let wrapped = crate::render::wrap::wrap_body(&b, 30);
        assert!(
            wrapped.iter().any(|l| l.text == "─".repeat(30)),
            "{wrapped:?}"
        );
    }

    #[test]
    fn images() {
        let b = html_to_body(r#"<p>Logo: <img src="cid:1" alt="ACME logo"> end</p>"#);
        assert!(texts(&b).join("\n").contains("[image: ACME logo]"), "{b:?}");
        let b = html_to_body(r#"<a href="https://x.example"><img src="a.png" alt="Banner"></a>"#);
        assert!(texts(&b).join("\n").contains("[image: Banner][1]"), "{b:?}");
    }

    #[test]
    fn tables_render() {
        let b = html_to_body(
            "<table><tr><th>Name</th><th>Qty</th></tr><tr><td>Apples</td><td>3</td></tr></table>",
        );
        let all = texts(&b).join("\n");
        assert!(all.contains("Name"), "{all}");
        let row = b
            .lines
            .iter()
            .find(|l| l.text.contains("Apples"))
            .expect(&all);
        assert!(row.text.contains('3'), "{all}");
        assert!(b.lines.len() >= 2);
    }

    #[test]
    fn blockquote_depth() {
        let b = html_to_body(
            "<p>top</p><blockquote><p>one</p><blockquote><p>two</p></blockquote></blockquote>",
        );
        let depth = |t: &str| b.lines.iter().find(|l| l.text == t).map(|l| l.quote_depth);
        assert_eq!(depth("top"), Some(0), "{b:?}");
        assert_eq!(depth("one"), Some(1), "{b:?}");
        assert_eq!(depth("two"), Some(2), "{b:?}");
        // Literal `>` lines in HTML count too.
        let b = html_to_body("<p>&gt; quoted<br>&gt;&gt; deeper<br>mine</p>");
        let d: Vec<_> = b
            .lines
            .iter()
            .map(|l| (l.text.as_str(), l.quote_depth))
            .collect();
        assert_eq!(d, [("quoted", 1), ("deeper", 2), ("mine", 0)]);
    }

    #[test]
    fn entity_encoded_escapes_removed() {
        let b = html_to_body(
            "<p>a&#27;[2J&#x1b;]0;pwned&#7;b&#155;31mc&#x202e;d</p><a href=\"x&#27;[31m\">l</a>",
        );
        // html5ever decodes these references (&#x9b; to '›' per the HTML spec's C1 remapping);
        // whatever they decode to, nothing that reaches the screen may be a control.
        assert_clean(&b);
        let all = texts(&b).join("");
        assert!(all.starts_with('a') && all.contains("cd"), "{b:?}");
        assert!(!all.contains("pwned\u{7}"), "{b:?}");
        assert_eq!(b.links, ["x"]);
    }

    #[test]
    fn plain_text_quotes() {
        let b = text_to_body("hi\r\n> one\n>> two\n> > two too\n>three\nend\n");
        let d: Vec<_> = b
            .lines
            .iter()
            .map(|l| (l.text.as_str(), l.quote_depth))
            .collect();
        assert_eq!(
            d,
            [
                ("hi", 0),
                ("one", 1),
                ("two", 2),
                ("two too", 2),
                ("three", 1),
                ("end", 0)
            ]
        );
    }

    #[test]
    fn raw_is_verbatim_but_clean() {
        let b = raw_to_body("<p>\x1b[31mx</p>\r\n> q\n");
        assert_eq!(texts(&b), ["<p>x</p>", "> q"]);
        assert!(b.lines.iter().all(|l| l.quote_depth == 0));
    }

    #[test]
    fn nesting_limited() {
        let deep = format!("{}x{}", "<div>".repeat(1000), "</div>".repeat(1000));
        let flat = limit_nesting(&deep, 10);
        assert_eq!(flat.matches("<div>").count(), 10);
        assert_eq!(flat.matches("</div>").count(), 10);
        // Unclosed <p>/<li> do not count as nesting.
        let ps = "<p>a".repeat(500);
        assert_eq!(limit_nesting(&ps, 10).matches("<p>").count(), 500);
        // Attributes with '>' and comments and scripts do not confuse it.
        let s = r#"<div title="a>b"><!-- <div> --><script>if (a<b) "<div>"</script></div>"#;
        assert_eq!(limit_nesting(s, 10), s);
    }

    #[test]
    fn deep_nesting_on_small_stack() {
        // Without the nesting limit these take 6–20 s each in a debug build (html5ever's scope
        // checks walk the open-element stack); with it, tens of milliseconds.
        let n = 10_000;
        for (open, close) in [
            ("<div>", "</div>"),
            ("<div>", ""),
            ("<blockquote>", "</blockquote>"),
            ("<ul><li>", "</li></ul>"),
            ("<table><tr><td>", "</td></tr></table>"),
        ] {
            let html = format!("{}deep text{}", open.repeat(n), close.repeat(n));
            let t = std::time::Instant::now();
            let body = std::thread::Builder::new()
                .stack_size(2 << 20) // tokio's spawn_blocking default
                .spawn(move || html_to_body(&html))
                .unwrap()
                .join()
                .expect("no stack overflow");
            let elapsed = t.elapsed();
            assert!(
                texts(&body).join("").contains("deep text"),
                "{open}: {body:?}"
            );
            assert!(elapsed.as_secs_f64() < 2.0, "{open}: took {elapsed:?}");
        }
    }

    #[test]
    fn big_body_capped() {
        let para = "<p>Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit.</p>\n";
        let html = para.repeat(2_000_000 / para.len() + 1);
        let size = html.len();
        let b = html_to_body(&html);
        let last = &b.lines.last().unwrap().text;
        assert_eq!(
            *last,
            format!("… (message truncated, {} KB)", size.div_ceil(1024))
        );
        assert!(b.lines.len() < 40_000);
        // Text and raw bodies are capped the same way.
        let t = text_to_body(&"x".repeat(MAX_INPUT + 10));
        assert!(
            t.lines
                .last()
                .unwrap()
                .text
                .starts_with("… (message truncated")
        );
        // The cut never lands inside a multi-byte char.
        let accents = "é".repeat(MAX_INPUT);
        let (head, cut) = cap(&accents, false);
        assert!(cut.is_some() && head.len() <= MAX_INPUT);
    }

    #[test]
    fn cap_avoids_partial_tag() {
        let mut s = "a".repeat(MAX_INPUT - 3);
        s.push_str("<a href=\"https://example.com\">x</a>");
        let (head, cut) = cap(&s, true);
        assert!(cut.is_some());
        assert!(!head.contains('<'));
    }

    #[test]
    fn empty_and_garbage() {
        assert!(html_to_body("").lines.is_empty());
        let b = html_to_body("<<>><</</a \x1b]0;x\x07 <p");
        assert_clean(&b);
    }
}
