//! Email bodies to lines of clean text: HTML, plain text, and raw source. One family of
//! functions: [`html_to_body`] (laid out at a width), [`text_to_body`], [`raw_to_body`], and
//! [`HtmlCache`] for the worker, which converts off the UI thread.
//!
//! HTML goes: cap the size → [`sanitize::markup`](super::sanitize::markup) (controls removed
//! *before* the parser, and an ESC can never swallow the `<` of a tag) → limit the nesting →
//! html5ever into a small arena DOM ([`dom`]) → layout at the pane's width ([`layout`], with
//! [`table`]). Text that html5ever decodes from entities (`&#27;`) is sanitised again as each
//! line is made, so nothing that leaves this module can drive the terminal.
//!
//! Layout, like a good terminal mail reader: paragraphs wrapped to the width, blank line between
//! them; `<blockquote>` as quote depth; links numbered `[n]` after their text with the targets
//! listed; `[image: alt]`; lists with hanging indents; layout tables (the columns of a
//! newsletter) read as blocks top to bottom; data tables as aligned grids.
//!
//! Bounds: inputs over [`MAX_INPUT`] bytes are cut (at a char boundary, before a partial tag) and
//! end with a "… (message truncated, N KB)" line; element nesting is limited to [`MAX_NESTING`]
//! before the parser sees it: parsing cost grows with depth (10,000 nested `<div>`s took 7 s,
//! nested lists 20 s, in a debug build; 15–40 ms with the limit), and the layout recurses, on a
//! 2 MiB `spawn_blocking` stack.
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};

use super::sanitize;
#[cfg(test)]
use super::wrap;

mod dom;
mod layout;
mod scan;
mod table;

use scan::{limit_nesting, strip_tags};

/// Inputs longer than this (bytes) are truncated.
pub const MAX_INPUT: usize = 1 << 20;
/// Element nesting deeper than this is flattened (the extra tags are dropped, their text kept).
pub const MAX_NESTING: usize = 128;

/// A rendered body: lines plus the targets of the numbered link references (`[1]` is `links[0]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub lines: Vec<BodyLine>,
    pub links: Vec<String>,
    /// The width (columns) the lines were laid out at; 0 when the layout does not depend on it
    /// (plain text: lines are logical, the wrapper wraps them).
    pub width: u16,
}

/// One line: for HTML, a line laid out at [`Body::width`]; for plain text, a logical line
/// (a paragraph), not yet wrapped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyLine {
    pub text: String,
    /// 0 for the message itself, n for text quoted n levels deep (`<blockquote>` or leading `>`).
    pub quote_depth: u8,
}

/// HTML email body to text laid out at `width` columns (a quoted line leaves room for its bars:
/// `wrap::quote_room`). Links become numbered references `[n]` after their text, with targets in
/// `links` (the same target keeps its number; a link whose text is its address gets none);
/// images with alt text show as `[image: alt]`; `<blockquote>` and lines starting with `>` are
/// quoted, depth = nesting.
pub fn html_to_body(html: &str, width: u16) -> Body {
    let width = width.max(1);
    let (html, truncated) = cap(html, true);
    let clean = sanitize::markup_cow(html);
    let flat = limit_nesting(&clean, MAX_NESTING);
    let dom = dom::parse(&flat);
    let (lines, links) = layout::render(&dom, usize::from(width));
    let mut body = if lines.is_empty() {
        // Nothing the layout could show: show the text between the tags.
        let mut b = text_to_body(&strip_tags(&flat));
        b.links.clear();
        b
    } else {
        Body {
            lines,
            links,
            width,
        }
    };
    finish(&mut body, truncated);
    body
}

/// Converted HTML bodies by (content, width), least recently used dropped first: going back to
/// a width (or a message) seen before costs a lookup, not a conversion.
pub struct HtmlCache {
    entries: VecDeque<((u64, usize, u16), Body)>,
    max: usize,
}

impl Default for HtmlCache {
    fn default() -> Self {
        HtmlCache::new(64)
    }
}

impl HtmlCache {
    pub fn new(max: usize) -> Self {
        HtmlCache {
            entries: VecDeque::new(),
            max: max.max(1),
        }
    }

    /// The key of `html` at `width` (a hash of the content, its length, the width).
    pub fn key(html: &str, width: u16) -> (u64, usize, u16) {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        html.hash(&mut h);
        (h.finish(), html.len(), width.max(1))
    }

    pub fn get(&mut self, key: (u64, usize, u16)) -> Option<Body> {
        let i = self.entries.iter().position(|(k, _)| *k == key)?;
        let e = self.entries.remove(i)?;
        let body = e.1.clone();
        self.entries.push_front(e);
        Some(body)
    }

    pub fn put(&mut self, key: (u64, usize, u16), body: Body) {
        self.entries.retain(|(k, _)| *k != key);
        self.entries.push_front((key, body));
        self.entries.truncate(self.max);
    }

    /// [`html_to_body`] through the cache.
    pub fn convert(&mut self, html: &str, width: u16) -> Body {
        let key = Self::key(html, width);
        if let Some(b) = self.get(key) {
            return b;
        }
        let b = html_to_body(html, width);
        self.put(key, b.clone());
        b
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
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
        width: 0,
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
pub(crate) fn split_quote(line: &str) -> (u8, &str) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_quotes_are_laid_out_inside_their_bars() {
        let words = "word ".repeat(40);
        let html = format!(
            "<p>{words}</p><blockquote><p>{words}</p><blockquote><p>{words}</p>\
             <blockquote><p>{words}</p></blockquote></blockquote></blockquote>"
        );
        let b = html_to_body(&html, 40);
        for depth in 0..=3 {
            let lines: Vec<&BodyLine> = b.lines.iter().filter(|l| l.quote_depth == depth).collect();
            assert!(!lines.is_empty(), "depth {depth}");
            let room = wrap::quote_room(depth, 40);
            for l in lines {
                assert!(wrap::display_width(&l.text) <= room, "{depth}: {l:?}");
            }
            // Filled, not merely short: the widest line uses its room.
            let widest = b.lines.iter().filter(|l| l.quote_depth == depth);
            let widest = widest.map(|l| wrap::display_width(&l.text)).max();
            assert!(widest.is_some_and(|w| w + 5 > room), "{depth}: {widest:?}");
        }
    }

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
            100,
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
        let b = html_to_body("<p>a</p><hr><p>b</p>", 100);
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
        let b = html_to_body(r#"<p>Logo: <img src="cid:1" alt="ACME logo"> end</p>"#, 100);
        assert!(texts(&b).join("\n").contains("[image: ACME logo]"), "{b:?}");
        let b = html_to_body(
            r#"<a href="https://x.example"><img src="a.png" alt="Banner"></a>"#,
            100,
        );
        assert!(texts(&b).join("\n").contains("[image: Banner][1]"), "{b:?}");
    }

    #[test]
    fn tables_render() {
        let b = html_to_body(
            "<table><tr><th>Name</th><th>Qty</th></tr><tr><td>Apples</td><td>3</td></tr></table>",
            100,
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
            100,
        );
        let depth = |t: &str| b.lines.iter().find(|l| l.text == t).map(|l| l.quote_depth);
        assert_eq!(depth("top"), Some(0), "{b:?}");
        assert_eq!(depth("one"), Some(1), "{b:?}");
        assert_eq!(depth("two"), Some(2), "{b:?}");
        // Literal `>` lines in HTML count too.
        let b = html_to_body("<p>&gt; quoted<br>&gt;&gt; deeper<br>mine</p>", 100);
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
            100,
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
            let body = std::thread::Builder::new()
                .stack_size(2 << 20) // tokio's spawn_blocking default
                .spawn(move || html_to_body(&html, 100))
                .unwrap()
                .join()
                .expect("no stack overflow");
            // (How long it takes is measured by benches/, not asserted here.)
            assert!(
                texts(&body).join("").contains("deep text"),
                "{open}: {body:?}"
            );
        }
    }

    #[test]
    fn big_body_capped() {
        let para = "<p>Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit.</p>\n";
        let html = para.repeat(2_000_000 / para.len() + 1);
        let size = html.len();
        let b = html_to_body(&html, 100);
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
        assert!(html_to_body("", 100).lines.is_empty());
        let b = html_to_body("<<>><</</a \x1b]0;x\x07 <p", 100);
        assert_clean(&b);
    }

    fn width_of(s: &str) -> usize {
        crate::render::wrap::display_width(s)
    }

    /// An HTML body as the API delivers it: through the ingestion sanitiser.
    fn ingested(html: &str) -> String {
        let json = serde_json::json!({ "uuid": "m1", "html": html });
        let m: crate::api::models::EmailMessage = serde_json::from_value(json).expect("decodes");
        m.html.unwrap_or_default()
    }

    #[test]
    fn lone_escape_never_swallows_a_tag() {
        // Through ingestion (where the old block sanitiser took `ESC <` for a two-character
        // escape sequence and ate the `<`), then conversion.
        let b = html_to_body(&ingested("<p>hello \x1b</p><p>next</p>"), 80);
        assert_eq!(texts(&b), ["hello", "", "next"], "{b:?}");
        let b = html_to_body(&ingested("<title>T\x1b</title><p>body text</p>"), 80);
        assert_eq!(texts(&b), ["body text"], "{b:?}");
        // `>` and `&` are markup too.
        let b = html_to_body(&ingested("<p class=\"x\x1b\">a \x1b&amp; b</p>"), 80);
        assert_eq!(texts(&b), ["a & b"], "{b:?}");
        // And straight into the converter, unsanitised.
        let b = html_to_body(
            "<title>T\x1b</title><p>hello \x1b</p><p>\x1b[31mred</p>",
            80,
        );
        assert_eq!(texts(&b), ["hello", "", "red"], "{b:?}");
        assert_clean(&b);
    }

    #[test]
    fn laid_out_at_the_width() {
        let para = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. ";
        let html = format!(
            "<p>{}</p><ul><li>{}</li></ul><blockquote>{}</blockquote><hr>",
            para.repeat(5),
            para.repeat(3),
            para.repeat(2)
        );
        for w in [1u16, 2, 5, 20, 37, 80] {
            let b = html_to_body(&html, w);
            assert_eq!(b.width, w);
            for l in &b.lines {
                assert!(width_of(&l.text) <= usize::from(w), "{w}: {:?}", l.text);
            }
        }
        // List items wrap with a hanging indent.
        let b = html_to_body(&html, 30);
        let item = b
            .lines
            .iter()
            .position(|l| l.text.starts_with("• "))
            .expect("bullet");
        assert!(
            b.lines[item + 1].text.starts_with("  ") && !b.lines[item + 1].text.starts_with("   ")
        );
    }

    #[test]
    fn layout_tables_read_top_to_bottom() {
        // A newsletter's two columns (role=presentation, nested, no <th>): blocks, no borders.
        let html = r#"<table role="presentation" width="600"><tr><td>
            <table width="100%"><tr>
              <td width="50%"><h3>Left title</h3><p>Left text.</p></td>
              <td width="50%"><h3>Right title</h3><p>Right text.</p></td>
            </tr></table></td></tr></table>
            <table><tr><td>single</td></tr><tr><td>column</td></tr></table>
            <table><tr><td>no</td><td>header</td></tr></table>"#;
        let b = html_to_body(html, 80);
        let t = texts(&b);
        let pos = |s: &str| {
            t.iter()
                .position(|l| *l == s)
                .unwrap_or_else(|| panic!("{s}: {t:?}"))
        };
        assert!(pos("Left title") < pos("Left text."));
        assert!(pos("Left text.") < pos("Right title"));
        assert!(pos("Right title") < pos("Right text."));
        assert!(pos("single") < pos("column"));
        assert!(pos("no") < pos("header"));
        let all = t.join("\n");
        assert!(!all.contains(['│', '┌', '─', '+', '|']), "{all}");
        // A hidden preheader is not shown.
        let b = html_to_body(
            r#"<div style="display: none; max-height:0">preview</div><p>x</p>"#,
            80,
        );
        assert_eq!(texts(&b), ["x"]);
    }

    #[test]
    fn data_tables_are_aligned_grids() {
        let html = r#"<table><thead><tr><th align="left">Item</th><th align="right">Qty</th>
            <th align="right">Price</th></tr></thead>
            <tr><td>Widget Pro</td><td align="right">2</td><td align="right">£9.99</td></tr>
            <tr><td>Cable</td><td align="right">10</td><td align="right">£120.00</td></tr>
            <tfoot><tr><th colspan="2" align="right">Total</th><th align="right">£1,219.98</th></tr></tfoot>
            </table>"#;
        let b = html_to_body(html, 80);
        let t = texts(&b);
        assert_eq!(t.len(), 5, "{t:?}");
        // Header, rule under it, rows; right-aligned columns end in the same column.
        assert!(t[0].starts_with("Item") && t[1].starts_with('─'), "{t:?}");
        let ends: Vec<usize> = t
            .iter()
            .filter(|l| !l.starts_with('─'))
            .map(|l| width_of(l))
            .collect();
        assert!(ends.iter().all(|&e| e == ends[0]), "{t:?}");
        let qty = |l: &str| l.find(" 2 ").or_else(|| l.find("10 "));
        assert!(qty(t[2]).is_some() && qty(t[3]).is_some(), "{t:?}");
        assert!(t[4].ends_with("Total  £1,219.98"), "{t:?}");
        // Too narrow for a grid: one "header: value" line per cell.
        let b = html_to_body(html, 14);
        let t = texts(&b);
        assert!(t.contains(&"Item: Cable"), "{t:?}");
        assert!(t.join(" ").contains("Total £1,219.98"), "{t:?}");
        assert!(b.lines.iter().all(|l| width_of(&l.text) <= 14), "{t:?}");
    }

    #[test]
    fn a_cell_spanning_columns_widens_them_rather_than_wrapping_word_by_word() {
        // The bug: a colspan cell was wrapped to the width its columns got from the other
        // rows ("Name  Value": 11 columns), one word a line, with 60 columns to spare.
        let html = r#"<table border="1"><tr><th>Name</th><th>Value</th></tr>
            <tr><td colspan="2">Spanning both columns here</td></tr>
            <tr><td>a</td><td>1</td></tr></table>"#;
        let b = html_to_body(html, 60);
        let t = texts(&b);
        assert!(t.contains(&"Spanning both columns here"), "{t:?}");
        assert_eq!(
            t.len(),
            4,
            "header, rule, the spanning row, the last row: {t:?}"
        );
        // Still within a narrow width.
        let b = html_to_body(html, 16);
        assert!(
            b.lines.iter().all(|l| width_of(&l.text) <= 16),
            "{:?}",
            texts(&b)
        );
    }

    #[test]
    fn a_table_of_short_values_is_a_grid_even_without_header_cells() {
        // Key/value tables (account details, an Outlook signature) have no <th> and no border;
        // read as blocks, every label lost its value: "Account", "12345678" on lines of their own.
        let html = r#"<table><tr><td>Account</td><td>12345678</td></tr>
            <tr><td><p class="MsoNormal">Sort code</p></td><td>01-02-03</td></tr>
            <tr><td>Balance</td><td>£1,000.00</td></tr></table>"#;
        let b = html_to_body(html, 80);
        let t = texts(&b);
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(
            t[0].starts_with("Account") && t[0].ends_with("12345678"),
            "{t:?}"
        );
        assert!(
            t[1].starts_with("Sort code") && t[1].ends_with("01-02-03"),
            "{t:?}"
        );
        assert!(
            t.iter().all(|l| width_of(l) == width_of(t[0])),
            "aligned: {t:?}"
        );
        // Columns of paragraphs, or images, stay blocks read top to bottom.
        let para = "words that run on for a while ".repeat(4);
        let html = format!(
            "<table><tr><td><p>{para}</p></td><td><p>{para}</p></td></tr>\
             <tr><td><p>{para}</p></td><td><p>{para}</p></td></tr></table>\
             <table><tr><td><img alt=\"Logo\"></td><td>Ann</td></tr>\
             <tr><td><img alt=\"Icon\"></td><td>Bob</td></tr></table>"
        );
        let b = html_to_body(&html, 80);
        let t = texts(&b);
        assert!(t.contains(&"[image: Logo]") && t.contains(&"Ann"), "{t:?}");
        assert!(t.iter().all(|l| width_of(l) <= 80), "{t:?}");
        assert!(!t.iter().any(|l| l.starts_with('─')), "{t:?}");
    }

    #[test]
    fn links_numbered_once_and_not_when_the_text_is_the_address() {
        let b = html_to_body(
            r##"<p><a href="https://x.example/a">one</a> <a href="https://x.example/a">again</a>
            <a href="https://y.example/">https://y.example/</a> <a href="mailto:a@b.example">a@b.example</a>
            <a href="https://z.example"><img src="t.gif"></a> <a href="#top">top</a></p>"##,
            80,
        );
        assert_eq!(
            texts(&b),
            ["one[1] again[1] https://y.example/ a@b.example top"]
        );
        assert_eq!(b.links, ["https://x.example/a"]);
    }

    #[test]
    fn gmail_reply_chain_nests() {
        let html = r#"<div dir="ltr">Mine<br><div class="gmail_quote"><div class="gmail_attr">On Mon, A wrote:<br></div>
            <blockquote class="gmail_quote"><div>Theirs</div><div><br></div>
            <div class="gmail_quote">On Sun, B wrote:<blockquote><div>Oldest</div></blockquote></div>
            </blockquote></div></div>"#;
        let b = html_to_body(html, 80);
        let d: Vec<(&str, u8)> = b
            .lines
            .iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| (l.text.as_str(), l.quote_depth))
            .collect();
        assert_eq!(
            d,
            [
                ("Mine", 0),
                ("On Mon, A wrote:", 0),
                ("Theirs", 1),
                ("On Sun, B wrote:", 1),
                ("Oldest", 2)
            ]
        );
    }

    #[test]
    fn cache_by_content_and_width() {
        let mut c = HtmlCache::new(2);
        let a = c.convert("<p>one two three four</p>", 8);
        assert_eq!(texts(&a), ["one two", "three", "four"]);
        assert_eq!(c.convert("<p>one two three four</p>", 8), a);
        let wide = c.convert("<p>one two three four</p>", 80);
        assert_eq!(texts(&wide), ["one two three four"]);
        assert_eq!(c.len(), 2);
        c.convert("<p>other</p>", 80);
        assert_eq!(c.len(), 2, "bounded");
        let key = HtmlCache::key("<p>one two three four</p>", 8);
        assert!(c.get(key).is_none(), "least recently used went first");
    }
}
