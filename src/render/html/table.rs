//! Tables. Most tables in mail are layout (a newsletter's columns and spacers): those are read
//! as blocks, cell after cell, top to bottom. A data table (it has header cells, a border, or
//! rows of short values; no table nested in it, more than one column, not `role=presentation`)
//! becomes an aligned grid that fits the width, or, when its columns cannot fit, one
//! "header: value" line per cell.
use super::dom::{Dom, Id, Kind};
use super::layout::Builder;
use crate::render::wrap::{display_width, wrap_line};

/// Columns between two grid columns.
const GAP: usize = 2;
/// A column may be squeezed down to its longest word, but no further than this.
const MIN_COL: usize = 12;

struct Cell {
    lines: Vec<String>,
    span: usize,
    right: bool,
    header: bool,
}

/// The rows of a table (`tr` directly under it or under its `thead`/`tbody`/`tfoot`), and
/// whether a table is nested anywhere inside it.
fn rows(dom: &Dom, table: Id) -> Vec<Id> {
    let mut out = Vec::new();
    for &c in &dom.nodes[table].children {
        match dom.nodes[c].name() {
            "tr" => out.push(c),
            "thead" | "tbody" | "tfoot" => out.extend(
                dom.nodes[c]
                    .children
                    .iter()
                    .copied()
                    .filter(|&r| dom.nodes[r].name() == "tr"),
            ),
            _ => {}
        }
    }
    out
}

fn cells(dom: &Dom, row: Id) -> impl Iterator<Item = Id> + '_ {
    dom.nodes[row]
        .children
        .iter()
        .copied()
        .filter(|&c| matches!(dom.nodes[c].name(), "td" | "th"))
}

fn span(dom: &Dom, cell: Id) -> usize {
    dom.nodes[cell]
        .attr("colspan")
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 64)
}

fn has_nested_table(dom: &Dom, table: Id) -> bool {
    let mut stack: Vec<Id> = dom.nodes[table].children.clone();
    while let Some(i) = stack.pop() {
        if dom.nodes[i].name() == "table" {
            return true;
        }
        stack.extend(&dom.nodes[i].children);
    }
    false
}

/// A table that arranges the page rather than data.
pub fn is_layout(dom: &Dom, table: Id) -> bool {
    let n = &dom.nodes[table];
    if n.attr("role")
        .is_some_and(|r| r.eq_ignore_ascii_case("presentation") || r.eq_ignore_ascii_case("none"))
    {
        return true;
    }
    let rows = rows(dom, table);
    let cols = rows
        .iter()
        .map(|&r| cells(dom, r).map(|c| span(dom, c)).sum::<usize>())
        .max()
        .unwrap_or(0);
    if cols <= 1 {
        return true;
    }
    let has_th = rows
        .iter()
        .any(|&r| cells(dom, r).any(|c| dom.nodes[c].name() == "th"));
    let bordered = n
        .attr("border")
        .is_some_and(|b| b.trim().parse::<u32>().is_ok_and(|b| b > 0));
    if !has_th && !bordered {
        // (A cell holding a table is not a short value: no nested table gets through here.)
        return !short_values(dom, &rows, cols);
    }
    has_nested_table(dom, table)
}

/// Longest cell text (columns) a table without header cells or border may have to be read as
/// data: labels and values ("Sort code  01-02-03"), not a page's columns of paragraphs.
const SHORT_CELL: usize = 40;

/// Rows of short values: at least two rows, every row filling every column one cell each,
/// and every cell one short run of text (no images, lists or line breaks).
fn short_values(dom: &Dom, rows: &[Id], cols: usize) -> bool {
    rows.len() >= 2
        && rows.iter().all(|&r| {
            let mut n = 0;
            cells(dom, r).all(|c| {
                n += 1;
                span(dom, c) == 1 && short_text(dom, c)
            }) && n == cols
        })
}

/// A cell's text is one run of at most `SHORT_CELL` columns, inside inline elements only
/// (Outlook's one `<p>` a cell is allowed).
fn short_text(dom: &Dom, cell: Id) -> bool {
    let mut len = 0usize;
    let mut paras = 0;
    let mut stack: Vec<Id> = dom.nodes[cell].children.clone();
    while let Some(i) = stack.pop() {
        let n = &dom.nodes[i];
        match &n.kind {
            Kind::Text(t) => {
                let words = t.split_whitespace();
                len += words.map(|w| display_width(w) + 1).sum::<usize>();
            }
            Kind::Element { .. } => {
                match n.name() {
                    "p" | "div" => paras += 1,
                    "span" | "a" | "b" | "strong" | "i" | "em" | "u" | "font" | "small"
                    | "code" | "sup" | "sub" | "o:p" => {}
                    _ => return false,
                }
                stack.extend(&n.children);
            }
            _ => {}
        }
        if len > SHORT_CELL || paras > 1 {
            return false;
        }
    }
    true
}

/// Right-aligned: said so, or a number / amount.
fn right_aligned(dom: &Dom, cell: Id, lines: &[String]) -> bool {
    let n = &dom.nodes[cell];
    if let Some(a) = n.attr("align") {
        return a.eq_ignore_ascii_case("right");
    }
    if n.attr("style").is_some_and(|s| {
        let s = s.to_ascii_lowercase();
        s.contains("text-align:right") || s.contains("text-align: right")
    }) {
        return true;
    }
    let t = lines.join(" ");
    let t = t.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || " .,:%+-−–()×x/$€£¥".contains(c)
                || c.is_alphabetic() && c.len_utf8() > 1
        })
}

pub fn table(b: &mut Builder<'_>, id: Id) {
    let dom = b.dom;
    if is_layout(dom, id) {
        b.flush();
        b.children(id);
        b.flush();
        return;
    }
    b.para();
    for &c in &dom.nodes[id].children {
        if dom.nodes[c].name() == "caption" {
            b.node(c);
            b.flush();
        }
    }
    let mut grid: Vec<Vec<Cell>> = Vec::new();
    for r in rows(dom, id) {
        let mut row = Vec::new();
        for c in cells(dom, r) {
            let mut sub = Builder::new(dom, &mut *b.links, None);
            sub.children(c);
            sub.flush();
            let lines: Vec<String> = sub
                .lines
                .into_iter()
                .map(|l| l.text)
                .filter(|t| !t.is_empty())
                .collect();
            let right = right_aligned(dom, c, &lines);
            row.push(Cell {
                lines,
                span: span(dom, c),
                right,
                header: dom.nodes[c].name() == "th",
            });
        }
        if row.iter().any(|c| !c.lines.is_empty()) {
            grid.push(row);
        }
    }
    let width = b
        .width
        .unwrap_or(usize::MAX)
        .saturating_sub(b.indent())
        .max(1);
    match column_widths(&grid, width) {
        Some(widths) => draw_grid(b, &grid, &widths),
        None => draw_records(b, &grid),
    }
    b.para();
}

/// Widths of the columns (0 for a column that is empty throughout), or None when they cannot
/// fit `width`.
fn column_widths(grid: &[Vec<Cell>], width: usize) -> Option<Vec<usize>> {
    let ncols = grid
        .iter()
        .map(|r| r.iter().map(|c| c.span).sum::<usize>())
        .max()
        .unwrap_or(0);
    let mut natural = vec![0usize; ncols];
    let mut min = vec![0usize; ncols];
    for row in grid {
        let mut col = 0;
        for c in row {
            if c.span == 1 && col < ncols {
                for l in &c.lines {
                    natural[col] = natural[col].max(display_width(l));
                    let word = l.split(' ').map(display_width).max().unwrap_or(0);
                    min[col] = min[col].max(word.min(MIN_COL));
                }
            }
            col += c.span;
        }
    }
    // A cell spanning columns would like them as wide as its text, together: what it lacks is
    // shared among them (or, if only spanned cells have text there, the last one takes it).
    for row in grid {
        let mut col = 0;
        for c in row {
            let end = (col + c.span).min(ncols);
            if c.span > 1 && !c.lines.is_empty() && end > col {
                let w = c.lines.iter().map(|l| display_width(l)).max().unwrap_or(0);
                let live: Vec<usize> = (col..end).filter(|&i| natural[i] > 0).collect();
                if live.is_empty() {
                    natural[end - 1] = w.min(width);
                    min[end - 1] = w.min(MIN_COL);
                } else {
                    let have: usize =
                        live.iter().map(|&i| natural[i]).sum::<usize>() + GAP * (live.len() - 1);
                    let lack = w.min(width).saturating_sub(have);
                    for (k, &i) in live.iter().enumerate() {
                        natural[i] += lack / live.len() + usize::from(k < lack % live.len());
                    }
                }
            }
            col += c.span;
        }
    }
    let used = natural.iter().filter(|&&w| w > 0).count();
    let gaps = GAP * used.saturating_sub(1);
    let avail = width.checked_sub(gaps)?;
    let total: usize = natural.iter().sum();
    if total <= avail {
        return Some(natural);
    }
    let floor: usize = min.iter().sum();
    if floor > avail || used == 0 {
        return None;
    }
    // Squeeze: every column gets its minimum, the rest is shared in proportion to what each
    // column would like beyond it.
    let spare = avail - floor;
    let want: usize = natural.iter().zip(&min).map(|(n, m)| n - m).sum();
    let mut widths: Vec<usize> = natural
        .iter()
        .zip(&min)
        .map(|(n, m)| m + (n - m) * spare / want.max(1))
        .collect();
    // Hand out what rounding left over, widest wish first.
    let mut left = avail - widths.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..ncols).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(natural[i] - widths[i]));
    for i in order {
        if left == 0 {
            break;
        }
        if natural[i] > widths[i] {
            widths[i] += 1;
            left -= 1;
        }
    }
    Some(widths)
}

fn pad(s: &str, w: usize, right: bool, out: &mut String) {
    let fill = w.saturating_sub(display_width(s));
    if right {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(s);
    } else {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', fill));
    }
}

fn draw_grid(b: &mut Builder<'_>, grid: &[Vec<Cell>], widths: &[usize]) {
    let mut header_done = false;
    for row in grid {
        // Each cell wrapped to the width of the columns it spans.
        let mut placed: Vec<(usize, usize, bool, Vec<String>)> = Vec::new();
        let mut col = 0;
        for c in row {
            let end = (col + c.span).min(widths.len());
            let spanned: Vec<usize> = widths[col.min(end)..end]
                .iter()
                .copied()
                .filter(|&w| w > 0)
                .collect();
            let w = spanned.iter().sum::<usize>() + GAP * spanned.len().saturating_sub(1);
            let mut lines = Vec::new();
            if w > 0 {
                for l in &c.lines {
                    wrap_line(l, w, &mut |s| lines.push(s));
                }
            }
            placed.push((col, end, c.right, lines));
            col += c.span;
        }
        let height = placed.iter().map(|p| p.3.len()).max().unwrap_or(0);
        for k in 0..height {
            let mut line = String::new();
            let mut first = true;
            let mut col = 0;
            for (start, end, right, lines) in &placed {
                // Columns no cell of this row reaches stay blank.
                while col < *start {
                    if widths[col] > 0 {
                        if !first {
                            line.push_str("  ");
                        }
                        first = false;
                        pad("", widths[col], false, &mut line);
                    }
                    col += 1;
                }
                let spanned: Vec<usize> = widths[*start..*end]
                    .iter()
                    .copied()
                    .filter(|&w| w > 0)
                    .collect();
                col = *end;
                if spanned.is_empty() {
                    continue;
                }
                let w = spanned.iter().sum::<usize>() + GAP * (spanned.len() - 1);
                if !first {
                    line.push_str("  ");
                }
                first = false;
                pad(
                    lines.get(k).map_or("", String::as_str),
                    w,
                    *right,
                    &mut line,
                );
            }
            line.truncate(line.trim_end().len());
            b.push_line(line);
        }
        if !header_done && !row.is_empty() && row.iter().all(|c| c.header) {
            let rule: Vec<String> = widths
                .iter()
                .filter(|&&w| w > 0)
                .map(|&w| "─".repeat(w))
                .collect();
            b.push_line(rule.join("  "));
        }
        header_done = true;
    }
}

/// Too narrow for a grid: each row as "header: value" lines, rows apart by a blank line. A row
/// with header cells of its own ("Order total") reads "header: values".
fn draw_records(b: &mut Builder<'_>, grid: &[Vec<Cell>]) {
    let heads: Vec<String> = match grid.first() {
        Some(r) if r.iter().all(|c| c.header) => r.iter().map(|c| c.lines.join(" ")).collect(),
        _ => Vec::new(),
    };
    let skip = usize::from(!heads.is_empty());
    for row in grid.iter().skip(skip) {
        let text = |c: &Cell| c.lines.join(" ");
        if row.iter().any(|c| c.header) {
            let label: Vec<String> = row.iter().filter(|c| c.header).map(text).collect();
            let values: Vec<String> = row.iter().filter(|c| !c.header).map(text).collect();
            let line = match (label.join(" "), values.join(" · ")) {
                (l, v) if v.is_empty() => l,
                (l, v) if l.is_empty() => v,
                (l, v) => format!("{l}: {v}"),
            };
            b.text(&line);
            b.flush();
        } else {
            let mut col = 0;
            for c in row {
                let value = text(c);
                if !value.is_empty() {
                    let line = match heads.get(col).filter(|h| !h.is_empty()) {
                        Some(h) => format!("{h}: {value}"),
                        None => value,
                    };
                    b.text(&line);
                    b.flush();
                }
                col += c.span;
            }
        }
        b.para();
    }
}
