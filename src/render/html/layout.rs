//! The DOM laid out as lines of text at a given width: paragraphs wrapped (lists with hanging
//! indents), `<blockquote>` as quote depth, links numbered, layout tables read top to bottom as
//! blocks, data tables as aligned grids (see [`table`](super::table)).
use std::collections::HashMap;

use super::dom::{Dom, Id, Kind, Node};
use super::{BodyLine, split_quote};
use crate::render::sanitize;
use crate::render::wrap::{display_width, quote_room, wrap_line};

/// Deeper than this, an element's text is collected without layout (its structure dropped), so
/// that recursion stays shallow on a small thread stack.
const MAX_DEPTH: usize = 200;
/// Horizontal rules are drawn at most this wide.
const RULE_WIDTH: usize = 200;

/// The numbered link targets: `[1]` is `list[0]`; the same target keeps its number.
#[derive(Default)]
pub struct Links {
    pub list: Vec<String>,
    numbers: HashMap<String, usize>,
}

impl Links {
    fn number(&mut self, href: &str) -> usize {
        if let Some(&n) = self.numbers.get(href) {
            return n;
        }
        self.list.push(sanitize::line(href));
        let n = self.list.len();
        self.numbers.insert(href.to_string(), n);
        n
    }
}

/// Lay out the document at `width` columns (at least 1).
pub fn render(dom: &Dom, width: usize) -> (Vec<BodyLine>, Vec<String>) {
    let mut links = Links::default();
    let mut b = Builder::new(dom, &mut links, Some(width.max(1)));
    b.node(0);
    b.flush();
    let mut lines = b.lines;
    while lines.last().is_some_and(|l| l.text.is_empty()) {
        lines.pop();
    }
    (lines, links.list)
}

enum ListKind {
    Bullet,
    Ordered(u64),
}

pub struct Builder<'a> {
    pub dom: &'a Dom,
    pub links: &'a mut Links,
    /// Columns to wrap at; None for table cells (the grid wraps them).
    pub width: Option<usize>,
    pub lines: Vec<BodyLine>,
    /// The paragraph being built; `\n` marks a `<br>`.
    cur: String,
    /// Collapsible whitespace seen since the last word.
    space: bool,
    /// Hanging indent (lists, `<dd>`), in columns.
    indent: usize,
    /// A list marker waiting for its item's first line.
    bullet: Option<String>,
    pub quote: u8,
    pre: u32,
    lists: Vec<ListKind>,
    /// A blank line is due before the next content.
    blank: bool,
    depth: usize,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// `hidden`, or an inline style with `display:none`.
fn hidden(n: &Node) -> bool {
    if n.attr("hidden").is_some() {
        return true;
    }
    n.attr("style").is_some_and(|s| {
        let b = s.as_bytes();
        b.windows(4).any(|w| w.eq_ignore_ascii_case(b"none")) && {
            let squeezed: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            squeezed.contains("display:none")
        }
    })
}

impl<'a> Builder<'a> {
    pub fn new(dom: &'a Dom, links: &'a mut Links, width: Option<usize>) -> Self {
        Builder {
            dom,
            links,
            width,
            lines: Vec::new(),
            cur: String::new(),
            space: false,
            indent: 0,
            bullet: None,
            quote: 0,
            pre: 0,
            lists: Vec::new(),
            blank: false,
            depth: 0,
        }
    }

    pub fn node(&mut self, id: Id) {
        let dom = self.dom;
        match &dom.nodes[id].kind {
            Kind::Text(t) => self.text(t),
            Kind::Document => self.children(id),
            Kind::Element { .. } => {
                if self.depth >= MAX_DEPTH {
                    self.flat_text(id);
                } else {
                    self.depth += 1;
                    self.element(id);
                    self.depth -= 1;
                }
            }
            Kind::Other => {}
        }
    }

    pub fn children(&mut self, id: Id) {
        let dom = self.dom;
        for &c in &dom.nodes[id].children {
            self.node(c);
        }
    }

    /// All the text under `id`, without recursion and without layout.
    fn flat_text(&mut self, id: Id) {
        let dom = self.dom;
        let mut stack = vec![id];
        while let Some(i) = stack.pop() {
            let n = &dom.nodes[i];
            match &n.kind {
                Kind::Text(t) => self.text(t),
                Kind::Element { .. } if skipped(n.name()) => {}
                _ => stack.extend(n.children.iter().rev()),
            }
        }
    }

    fn element(&mut self, id: Id) {
        let dom = self.dom;
        let n = &dom.nodes[id];
        let name = n.name();
        if skipped(name) || hidden(n) {
            return;
        }
        match name {
            "br" => self.br(),
            "hr" => {
                self.flush();
                let w = self.width.unwrap_or(RULE_WIDTH).min(RULE_WIDTH);
                let w = w.saturating_sub(self.indent).max(1);
                self.push_line("─".repeat(w));
            }
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dl" | "figure" | "address" => {
                self.para();
                self.children(id);
                self.para();
            }
            "pre" | "xmp" | "listing" | "plaintext" => {
                self.para();
                self.pre += 1;
                self.children(id);
                self.flush();
                self.pre -= 1;
                self.para();
            }
            "blockquote" => {
                self.para();
                self.quote = self.quote.saturating_add(1);
                self.children(id);
                self.flush();
                self.quote -= 1;
                self.blank = true;
            }
            "ul" | "ol" | "menu" | "dir" => {
                let nested = !self.lists.is_empty();
                if nested {
                    self.flush();
                } else {
                    self.para();
                }
                let start = n
                    .attr("start")
                    .and_then(|s| s.trim().parse::<u64>().ok())
                    .unwrap_or(1);
                self.lists.push(if name == "ol" {
                    ListKind::Ordered(start)
                } else {
                    ListKind::Bullet
                });
                self.children(id);
                self.flush();
                self.lists.pop();
                if !nested {
                    self.para();
                }
            }
            "li" => {
                self.flush();
                let depth = self.lists.len();
                let marker = match self.lists.last_mut() {
                    Some(ListKind::Ordered(k)) => {
                        let m = format!("{k}. ");
                        *k += 1;
                        m
                    }
                    _ => ["• ", "◦ ", "▪ "][depth.saturating_sub(1) % 3].to_string(),
                };
                let w = display_width(&marker);
                self.indent += w;
                self.bullet = Some(marker);
                self.children(id);
                self.flush();
                self.bullet = None;
                self.indent -= w;
            }
            "dd" => {
                self.flush();
                self.indent += 4;
                self.children(id);
                self.flush();
                self.indent -= 4;
            }
            "table" => super::table::table(self, id),
            "a" => self.link(id),
            "img" => {
                let alt = n.attr("alt").map(str::trim).unwrap_or("");
                if !alt.is_empty() {
                    self.word("[image:");
                    self.space = true;
                    self.text(alt);
                    self.cur.push(']');
                    self.space = false;
                }
            }
            // Cells of layout tables (data tables lay out their own): blocks a blank line apart,
            // so a newsletter's columns and a receipt's address boxes read as paragraphs.
            "td" | "th" => {
                self.para();
                self.children(id);
                self.para();
            }
            "div" | "section" | "article" | "header" | "footer" | "main" | "nav" | "aside"
            | "center" | "form" | "fieldset" | "legend" | "details" | "summary" | "caption"
            | "tr" | "tbody" | "thead" | "tfoot" | "dt" | "body" | "html" | "figcaption"
            | "hgroup" | "option" => {
                self.flush();
                self.children(id);
                self.flush();
            }
            _ => self.children(id),
        }
    }

    fn link(&mut self, id: Id) {
        let dom = self.dom;
        let n = &dom.nodes[id];
        let href = n.attr("href").map(str::trim).filter(|h| {
            !h.is_empty()
                && !h.starts_with('#')
                && !h
                    .get(..11)
                    .is_some_and(|p| p.eq_ignore_ascii_case("javascript:"))
        });
        let (lines_before, start) = (self.lines.len(), self.cur.len());
        self.children(id);
        let Some(href) = href else { return };
        let flushed = self.lines.len() != lines_before;
        if !flushed {
            let text = self.cur.get(start..).unwrap_or("").trim();
            // Nothing visible (an image without alt text): no number for nothing.
            if text.is_empty() {
                return;
            }
            // The address is the text already: no need to repeat it.
            let bare = href.strip_prefix("mailto:").unwrap_or(href);
            if text == href || text == bare {
                return;
            }
        }
        let marker = format!("[{}]", self.links.number(href));
        if self.cur.trim().is_empty() {
            if let Some(last) = self.lines.last_mut().filter(|l| !l.text.is_empty()) {
                last.text.push_str(&marker);
                return;
            }
            if flushed {
                return;
            }
        }
        self.cur.push_str(&marker);
    }

    /// Text of a text node: whitespace collapsed (kept in `<pre>`).
    pub fn text(&mut self, t: &str) {
        if self.pre > 0 {
            self.cur.extend(t.chars().filter(|&c| c != '\r'));
            return;
        }
        let mut first = true;
        for piece in t.split(is_space) {
            if !first {
                self.space = true;
            }
            first = false;
            if !piece.is_empty() {
                self.word(piece);
            }
        }
    }

    fn word(&mut self, w: &str) {
        if self.space && !self.cur.is_empty() && !self.cur.ends_with(['\n', ' ']) {
            self.cur.push(' ');
        }
        self.space = false;
        self.cur.push_str(w);
    }

    fn br(&mut self) {
        self.cur.push('\n');
        self.space = false;
    }

    /// End a paragraph: what follows starts after a blank line.
    pub fn para(&mut self) {
        self.flush();
        self.blank = true;
    }

    /// End the current block: what follows starts on a new line.
    pub fn flush(&mut self) {
        self.space = false;
        if self.cur.is_empty() {
            return;
        }
        let cur = std::mem::take(&mut self.cur);
        // `<div><br></div>`: a line of its own that is empty, i.e. a blank line.
        if cur.trim_matches(|c: char| c == ' ' || c == '\u{a0}') == "\n" {
            self.blank = true;
            return;
        }
        let mut lines: Vec<&str> = cur.split('\n').collect();
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        let mut started = false;
        for raw in lines {
            let clean = sanitize::line_cow(raw);
            let clean = if clean.contains('\u{a0}') {
                std::borrow::Cow::Owned(clean.replace('\u{a0}', " "))
            } else {
                clean
            };
            let line = if self.pre > 0 {
                clean.trim_end()
            } else {
                clean.trim()
            };
            if line.is_empty() {
                if started {
                    self.blank = true;
                }
                continue;
            }
            started = true;
            let (extra, rest) = split_quote(line);
            let depth = self.quote.saturating_add(extra);
            if self.pre > 0 || self.width.is_none() {
                let prefix = self.prefix();
                self.push_at(format!("{prefix}{rest}"), depth);
                continue;
            }
            let width = self.width.map_or(usize::MAX, |w| quote_room(depth, w));
            let indent = if self.indent < width { self.indent } else { 0 };
            let first = self.prefix();
            let mut first = Some(first);
            let mut out = Vec::new();
            wrap_line(rest, (width - indent).max(1), &mut |s| {
                let p = first.take().unwrap_or_else(|| " ".repeat(indent));
                out.push(format!("{p}{s}"));
            });
            for l in out {
                self.push_at(l, depth);
            }
        }
    }

    /// Columns of indentation lines get now (lists, `<dd>`).
    pub fn indent(&self) -> usize {
        self.indent
    }

    /// The first-line prefix: indentation, ending in the list marker if one is due.
    fn prefix(&mut self) -> String {
        let indent = self.indent;
        if self.width.is_some_and(|w| indent >= w) {
            // No room for indentation or markers on so narrow a pane: text only.
            self.bullet = None;
            return String::new();
        }
        match self.bullet.take() {
            Some(b) => {
                let bw = display_width(&b);
                format!("{}{b}", " ".repeat(indent.saturating_sub(bw)))
            }
            None => " ".repeat(indent),
        }
    }

    /// A finished line at the current quote depth, with the current indent.
    pub fn push_line(&mut self, text: String) {
        let prefix = self.prefix();
        let text = if prefix.is_empty() {
            text
        } else {
            format!("{prefix}{text}")
        };
        self.push_at(text, self.quote);
    }

    fn push_at(&mut self, text: String, quote_depth: u8) {
        if self.blank {
            self.blank = false;
            if let Some(last) = self.lines.last()
                && !last.text.is_empty()
            {
                let d = last.quote_depth.min(quote_depth);
                self.lines.push(BodyLine {
                    text: String::new(),
                    quote_depth: d,
                });
            }
        }
        self.lines.push(BodyLine { text, quote_depth });
    }
}

/// Elements whose content is never shown.
pub fn skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "title"
            | "template"
            | "svg"
            | "math"
            | "object"
            | "iframe"
            | "select"
            | "textarea"
            | "input"
            | "button"
            | "map"
            | "audio"
            | "video"
            | "canvas"
    )
}
