//! Wrapping by terminal display width (unicode-width over grapheme clusters, the same measure
//! ratatui uses when it puts a string into a buffer).
//!
//! `width` is the number of columns available for the *text*; quote depth is carried along for the
//! UI to show as bars, the first standing in the body's indent and each further level taking two
//! columns of `width` (`quote_room`).
use std::collections::HashMap;
use std::hash::Hash;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::html::Body;

/// One screen line of a wrapped body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedLine {
    pub text: String,
    pub quote_depth: u8,
}

/// Quote levels drawn as bars ("│ ") before a quoted line: one per level, at most this many.
pub const MAX_QUOTE_BARS: u8 = 6;

/// The bars drawn before a line quoted `depth` levels deep in a body `width` columns wide: one
/// per level, at most [`MAX_QUOTE_BARS`], and never so many that the text keeps less than half.
pub fn quote_bars(depth: u8, width: usize) -> usize {
    if depth == 0 {
        return 0;
    }
    usize::from(depth.min(MAX_QUOTE_BARS)).min(1 + width / 4)
}

/// Columns for the text of a line quoted `depth` deep in a body `width` wide: the first bar
/// stands in the body's indent, each further one takes two columns.
pub fn quote_room(depth: u8, width: usize) -> usize {
    width
        .saturating_sub(2 * quote_bars(depth, width).saturating_sub(1))
        .max(1)
}

/// Display width in terminal columns: the sum of the widths of the grapheme clusters.
pub fn display_width(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Word-wrap every line of `body` to `width` columns. Words longer than a line (URLs) are broken
/// at grapheme boundaries; a wide character is never split across the edge. Spaces at a break are
/// dropped, leading indentation is kept. Blank lines are kept. Width 0 is treated as 1; a single
/// grapheme wider than the width (a CJK character at width 1) gets a line of its own.
///
/// A line that is only a box-drawing horizontal rule (`─`, `━`, `═`, as html2text draws `<hr>`)
/// is cut to the width instead of being wrapped onto several lines.
pub fn wrap_body(body: &Body, width: u16) -> Vec<WrappedLine> {
    let width = usize::from(width.max(1));
    let mut out = Vec::with_capacity(body.lines.len());
    for line in &body.lines {
        let depth = line.quote_depth;
        wrap_line(&line.text, quote_room(depth, width), &mut |text| {
            out.push(WrappedLine {
                text,
                quote_depth: depth,
            })
        });
    }
    out
}

fn is_rule(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c @ ('─' | '━' | '═')) => chars.all(|d| d == c),
        _ => false,
    }
}

/// Wrap one line (no `\n` inside) and hand every output line to `emit`.
pub fn wrap_line(text: &str, width: usize, emit: &mut impl FnMut(String)) {
    let width = width.max(1);
    // Fast path: fits already (ASCII fast inside display_width).
    if text.len() <= width || display_width(text) <= width {
        emit(text.to_string());
        return;
    }
    if is_rule(text) {
        emit(truncate_plain(text, width));
        return;
    }

    let mut cur = String::new();
    let mut cur_w = 0usize;
    // Whitespace seen since the last word, not yet placed (kept only if the next word fits).
    let mut gap = "";
    let mut gap_w = 0usize;
    let mut at_line_start = true; // the very first line keeps its indentation

    for (is_space, tok) in tokens(text) {
        if is_space {
            gap = tok;
            gap_w = display_width(tok);
            continue;
        }
        let word_w = display_width(tok);
        let first_on_line = cur.is_empty() && !at_line_start;
        let gap_used = if first_on_line { 0 } else { gap_w };
        if cur_w + gap_used + word_w <= width {
            if !first_on_line {
                cur.push_str(gap);
            }
            cur.push_str(tok);
            cur_w += gap_used + word_w;
        } else if word_w <= width {
            // (Indentation that cannot fit with its word is dropped, not emitted as a line.)
            if !cur.is_empty() {
                emit(std::mem::take(&mut cur));
            }
            cur.push_str(tok);
            cur_w = word_w;
        } else {
            // Longer than a whole line: start it on a fresh line, break by graphemes.
            if !cur.is_empty() {
                emit(std::mem::take(&mut cur));
                cur_w = 0;
            }
            for g in tok.graphemes(true) {
                let gw = g.width();
                if cur_w + gw > width && !cur.is_empty() {
                    emit(std::mem::take(&mut cur));
                    cur_w = 0;
                }
                cur.push_str(g);
                cur_w += gw;
            }
        }
        at_line_start = false;
        gap = "";
        gap_w = 0;
    }
    // Trailing whitespace at the end of the line is dropped; an all-space line becomes empty.
    emit(cur);
}

/// Split into alternating runs of whitespace and non-whitespace.
fn tokens(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let space = first.is_whitespace();
        let end = rest
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() != space)
            .map_or(rest.len(), |(i, _)| i);
        let (tok, tail) = rest.split_at(end);
        rest = tail;
        Some((space, tok))
    })
}

/// Cut to at most `width` columns without an ellipsis.
fn truncate_plain(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for g in s.graphemes(true) {
        let gw = g.width();
        if w + gw > width {
            break;
        }
        out.push_str(g);
        w += gw;
    }
    out
}

/// For table cells: `s` unchanged if it fits in `width` columns, else cut so that the result plus
/// a final `…` fits (trailing spaces before the `…` are trimmed). Width 0 gives "".
pub fn truncate_to_width(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = truncate_plain(s, width - 1);
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Wrapped lines cached per (key, width, mode): key names the message (or anything else whose text
/// does not change under that key), mode tells apart renderings of the same message (HTML, plain,
/// source). Bounded by entry count and by total cached lines; the least recently used entries go
/// first.
pub struct WrapCache<K = u64> {
    map: HashMap<(K, u16, u8), Entry>,
    tick: u64,
    max_entries: usize,
    max_lines: usize,
    lines: usize,
    hits: u64,
    misses: u64,
}

struct Entry {
    lines: Vec<WrappedLine>,
    used: u64,
}

impl<K: Hash + Eq + Clone> Default for WrapCache<K> {
    fn default() -> Self {
        Self::new(256, 500_000)
    }
}

impl<K: Hash + Eq + Clone> WrapCache<K> {
    /// A cache holding at most `max_entries` wrapped bodies and about `max_lines` lines in total
    /// (a single body larger than that is still returned, and evicted on the next insert).
    pub fn new(max_entries: usize, max_lines: usize) -> Self {
        Self {
            map: HashMap::new(),
            tick: 0,
            max_entries: max_entries.max(1),
            max_lines,
            lines: 0,
            hits: 0,
            misses: 0,
        }
    }

    /// The wrapped lines of `body` at `width`, computed on the first call for this
    /// (key, width, mode) and taken from the cache afterwards.
    pub fn get_or_wrap(&mut self, key: K, width: u16, mode: u8, body: &Body) -> &[WrappedLine] {
        self.tick += 1;
        let k = (key, width, mode);
        if self.map.contains_key(&k) {
            self.hits += 1;
        } else {
            self.misses += 1;
            let lines = wrap_body(body, width);
            self.make_room(lines.len());
            self.lines += lines.len();
            self.map.insert(k.clone(), Entry { lines, used: 0 });
        }
        let e = self
            .map
            .get_mut(&k)
            .expect("present: just checked or inserted");
        e.used = self.tick;
        &e.lines
    }

    fn make_room(&mut self, incoming: usize) {
        while !self.map.is_empty()
            && (self.map.len() >= self.max_entries || self.lines + incoming > self.max_lines)
        {
            let oldest = self
                .map
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
                .expect("non-empty");
            if let Some(e) = self.map.remove(&oldest) {
                self.lines -= e.lines.len();
            }
        }
    }

    /// Forget every width and mode of `key` (its text changed).
    pub fn invalidate(&mut self, key: &K) {
        let lines = &mut self.lines;
        self.map.retain(|(k, _, _), e| {
            let keep = k != key;
            if !keep {
                *lines -= e.lines.len();
            }
            keep
        });
    }

    pub fn clear(&mut self) {
        self.map.clear();
        self.lines = 0;
    }

    /// Number of cached (key, width, mode) entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// (hits, misses) since creation.
    pub fn stats(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::html::{Body, BodyLine};

    fn body(lines: &[&str]) -> Body {
        Body {
            lines: lines
                .iter()
                .map(|t| BodyLine {
                    text: t.to_string(),
                    quote_depth: 0,
                })
                .collect(),
            links: vec![],
            width: 0,
        }
    }

    fn texts(b: &Body, w: u16) -> Vec<String> {
        wrap_body(b, w).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn word_wrap() {
        assert_eq!(
            texts(&body(&["the quick brown fox jumps"]), 10),
            ["the quick", "brown fox", "jumps"]
        );
        assert_eq!(texts(&body(&["", "a"]), 10), ["", "a"]);
        assert_eq!(
            texts(&body(&["  indented text here"]), 12),
            ["  indented", "text here"]
        );
    }

    #[test]
    fn long_words_hard_broken() {
        assert_eq!(
            texts(&body(&["see https://example.com/abcdef now"]), 8),
            ["see", "https://", "example.", "com/abcd", "ef now"]
        );
    }

    #[test]
    fn wide_chars_never_straddle() {
        // 5 CJK chars = 10 columns, width 5: two per line.
        assert_eq!(texts(&body(&["日本語日本"]), 5), ["日本", "語日", "本"]);
        for l in texts(&body(&["a日本語日本 😀😀😀 x"]), 3) {
            assert!(display_width(&l) <= 3, "{l:?}");
        }
    }

    #[test]
    fn tiny_widths_terminate() {
        let b = body(&["日本 abc 😀 longword", "   "]);
        for w in [0, 1, 2] {
            let out = texts(&b, w);
            assert!(!out.is_empty());
            let joined: String = out
                .concat()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            assert_eq!(joined, "日本abc😀longword");
        }
    }

    #[test]
    fn rules_cut_not_wrapped() {
        let rule = "─".repeat(200);
        assert_eq!(texts(&body(&[&rule]), 20), ["─".repeat(20)]);
    }

    #[test]
    fn quote_depth_carried() {
        let mut b = body(&["aaa bbb"]);
        b.lines[0].quote_depth = 2;
        assert!(wrap_body(&b, 4).iter().all(|l| l.quote_depth == 2));
    }

    #[test]
    fn deeper_quotes_leave_room_for_their_bars() {
        // A reply quoted three deep is drawn behind three bars ("│ │ │ "), the first in the
        // body's indent: its text gets four columns fewer, or the bars push it off the edge.
        let mut b = body(&["word ".repeat(40).trim()]);
        b.lines[0].quote_depth = 3;
        let lines = wrap_body(&b, 40);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(display_width(&l.text) <= 36, "{l:?}");
        }
        assert_eq!(quote_bars(3, 40), 3);
        assert_eq!(quote_room(1, 40), 40, "the first bar stands in the indent");
        assert_eq!(quote_room(0, 40), 40);
        // Past MAX_QUOTE_BARS levels, and on narrow screens, the text keeps its room.
        assert_eq!(quote_bars(40, 200), usize::from(MAX_QUOTE_BARS));
        assert!(quote_room(40, 12) >= 6);
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate_to_width("hello", 5), "hello");
        assert_eq!(truncate_to_width("hello world", 7), "hello…");
        assert_eq!(truncate_to_width("hello", 0), "");
        assert_eq!(truncate_to_width("hello", 1), "…");
        assert_eq!(truncate_to_width("日本語", 4), "日…");
        assert_eq!(truncate_to_width("日本語", 5), "日本…");
        assert!(display_width(&truncate_to_width("😀😀😀", 3)) <= 3);
    }

    #[test]
    fn cache_hits_and_bounds() {
        let b = body(&["some words to wrap here"]);
        let mut c: WrapCache = WrapCache::new(2, 1000);
        let first = c.get_or_wrap(1, 10, 0, &b).to_vec();
        assert_eq!(first, wrap_body(&b, 10));
        // A different body under the same key is NOT rewrapped: the key says it is the same text.
        let other = body(&["x"]);
        assert_eq!(c.get_or_wrap(1, 10, 0, &other), &first[..]);
        assert_eq!(c.stats(), (1, 1));
        c.get_or_wrap(1, 20, 0, &b);
        c.get_or_wrap(1, 10, 0, &b); // touch (1,10)
        c.get_or_wrap(2, 10, 0, &b); // evicts (1,20), the least recently used
        assert_eq!(c.len(), 2);
        assert_eq!(c.stats(), (2, 3));
        c.get_or_wrap(1, 10, 0, &b);
        assert_eq!(c.stats(), (3, 3));
        c.invalidate(&1);
        assert_eq!(c.len(), 1);
        // Line budget.
        let mut c: WrapCache<String> = WrapCache::new(100, 3);
        let two = body(&["a", "b"]);
        c.get_or_wrap("x".into(), 10, 0, &two);
        c.get_or_wrap("y".into(), 10, 0, &two);
        assert_eq!(c.len(), 1);
    }
}
