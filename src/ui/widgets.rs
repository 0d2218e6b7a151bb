//! Shared widgets: tab bar, status bar, help overlay, inline editor, popups.
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, List, ListItem, ListState, Paragraph, StatefulWidget, Widget,
};

use crate::app::editor::InlineEditor;
use crate::app::help::layout as help_layout;
use crate::app::log_view;
use crate::app::paged::{Edge, Paged};
use crate::app::{Core, Level, LoginPicker, State, Tab};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn tab_bar(state: &State, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::styled(
        " plannr ",
        Style::new().bold().fg(th().accent),
    )];
    for (i, t) in Tab::ALL.iter().enumerate() {
        if !state.shown(*t) {
            continue;
        }
        // The active tab is marked by a symbol as well as colour (NO_COLOR, colour-blind users).
        let (label, style) = if *t == state.tab {
            (format!("▸{} {} ", i + 1, t.title()), th().tab_active())
        } else {
            (
                format!(" {} {} ", i + 1, t.title()),
                Style::new().fg(th().muted),
            )
        };
        spans.push(Span::styled(label, style));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

/// The status bar while `tab` is on screen: another pane's message waits in the log (`L`).
pub fn status_bar(core: &Core, tab: Tab, area: Rect, buf: &mut Buffer) {
    let mut spans = Vec::new();
    if core.in_flight() > 0 {
        spans.push(Span::styled(
            format!(
                " {} {} ",
                SPINNER[core.spinner % SPINNER.len()],
                core.in_flight()
            ),
            Style::new().fg(th().highlight),
        ));
    }
    if let Some((backend, left)) = core.waiting_for() {
        let who = match backend {
            crate::app::Backend::Plannr => "Plannr",
            crate::app::Backend::Outreach => "Outreach",
        };
        spans.push(Span::styled(
            format!(" Waiting for {who}… {left} s "),
            Style::new().fg(th().highlight),
        ));
    }
    match core.status_for(tab) {
        Some(s) => {
            let style = match s.level {
                Level::Info => Style::new().fg(th().ok),
                Level::Error => th().alert(),
            };
            spans.push(Span::styled(format!(" {} ", s.text), style));
        }
        None => {
            let keys = &core.settings.keys;
            let hint = keys.hints(
                crate::keymap::Scope::Global,
                &[
                    (&[crate::keymap::Action::Help], "help"),
                    (&[crate::keymap::Action::Quit], "quit"),
                ],
            );
            spans.push(Span::styled(format!("{hint} "), Style::new().fg(th().dim)))
        }
    }
    let left = Line::from(spans);
    let account = if core.account_label.is_empty() && !core.settings.plannr {
        // Only Outreach: there is no Plannr account to choose.
        String::new()
    } else if core.account_label.is_empty() {
        "choosing account…".to_string()
    } else {
        core.account_label.clone()
    };
    // The account label gives way to a message that needs the room.
    // Widths can exceed u16 (a message quoting a long name from the server): saturate, don't wrap.
    let left_w = u16::try_from(left.width()).unwrap_or(u16::MAX);
    let label_w = u16::try_from(account.chars().count())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let right_w = if left_w.saturating_add(label_w) <= area.width {
        label_w
    } else {
        0
    };
    let left_area = Rect {
        width: area.width.saturating_sub(right_w),
        ..area
    };
    let right_area = Rect {
        x: area.x + left_area.width,
        width: area.width - left_area.width,
        ..area
    };
    Paragraph::new(left).render(left_area, buf);
    Paragraph::new(Line::from(Span::styled(
        format!(" {account} "),
        Style::new().fg(th().accent),
    )))
    .right_aligned()
    .render(right_area, buf);
}

/// The message log (`L`): every status message with when it was shown and which pane it came
/// from, newest at the bottom, long ones wrapped; `up` lines scrolled back from the end.
pub fn message_log(core: &Core, up: u16, area: Rect, buf: &mut Buffer) {
    let (w, h) = log_view::box_size((area.width, area.height));
    let rect = centered(area, w, h);
    if rect.width < 4 || rect.height < 3 {
        return;
    }
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(" Messages ")
        .title_bottom(" j/k scroll · any other key closes ");
    let inner = block.inner(rect);
    block.render(rect, buf);
    let mut lines: Vec<Line> = Vec::new();
    if core.log.is_empty() {
        lines.push(Line::from(Span::styled(
            " No messages yet.",
            Style::new().fg(th().dim),
        )));
    }
    for r in log_view::rows(core, usize::from(inner.width)) {
        let style = match r.level {
            Level::Info => Style::new(),
            Level::Error => Style::new().fg(th().error),
        };
        let lead = match r.head {
            Some(head) => Span::styled(head, Style::new().fg(th().dim)),
            None => Span::raw(" ".repeat(r.indent)),
        };
        lines.push(Line::from(vec![lead, Span::styled(r.text, style)]));
    }
    let height = usize::from(inner.height);
    // Never further back than the oldest row at the top (the terminal may have grown since).
    let up = usize::from(up).min(lines.len().saturating_sub(height));
    let end = lines.len() - up;
    let start = end.saturating_sub(height);
    let shown: Vec<Line> = lines.drain(start..end).collect();
    Paragraph::new(shown).render(inner, buf);
}

/// A rectangle of at most `w`×`h` centred in `area` (never larger than `area`).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn help<K: AsRef<str>>(
    title: &str,
    lines: &[(K, &str)],
    scroll: u16,
    area: Rect,
    buf: &mut Buffer,
) {
    let l = help_layout(lines, (area.width, area.height));
    let key_w = l.key_w;
    // Past the end (the terminal grew since j was pressed): show the last screenful.
    let first = usize::from(scroll.min(l.max_scroll));
    let text: Vec<Line> = l
        .rows
        .iter()
        .skip(first)
        .take(usize::from(l.height))
        .map(|(k, d)| {
            Line::from(vec![
                Span::styled(
                    format!(" {k:<key_w$} "),
                    Style::new().fg(th().highlight).bold(),
                ),
                Span::raw(format!(" {d}")),
            ])
        })
        .collect();
    let rect = centered(area, l.width, l.height);
    Clear.render(rect, buf);
    Paragraph::new(text)
        .block(
            Block::bordered()
                .title(format!(" Keys: {title} "))
                .title_bottom(" j/k scroll · any other key closes "),
        )
        .render(rect, buf);
}

pub fn login_picker(p: &LoginPicker, area: Rect, buf: &mut Buffer) {
    let rows = u16::try_from(p.choices.len()).unwrap_or(u16::MAX);
    let rect = centered(area, 70, rows.saturating_add(4));
    Clear.render(rect, buf);
    let items: Vec<ListItem> = p
        .choices
        .iter()
        .map(|(_, label)| ListItem::new(label.as_str()))
        .collect();
    let mut st = ListState::default()
        .with_selected(Some(p.nav.selected))
        .with_offset(p.nav.offset);
    StatefulWidget::render(
        List::new(items)
            .block(
                Block::bordered()
                    .title(" Act as which account? ")
                    .title_bottom(" Enter choose · q quit "),
            )
            .highlight_style(Style::new().add_modifier(Modifier::REVERSED)),
        rect,
        buf,
        &mut st,
    );
}

/// Draw an inline one-line editor in `area` (first row) with its message under it (second row).
pub fn inline_editor(editor: &InlineEditor, area: Rect, frame: &mut Frame) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let field = Rect { height: 1, ..area };
    frame.render_widget(Clear, field);
    frame.render_widget(&editor.textarea, field);
    if let Some(previous) = editor.recall_hint()
        && field.width > 2
    {
        // After the cursor cell of the empty field: what ↑ brings back.
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(" ↑ “{previous}”"),
                Style::new().fg(th().dim),
            )),
            Rect {
                x: field.x + 1,
                width: field.width - 1,
                ..field
            },
        );
    }
    if let Some(err) = &editor.error
        && area.height > 1
    {
        let msg = Rect {
            y: area.y + 1,
            height: 1,
            ..area
        };
        frame.render_widget(Clear, msg);
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("⚠ {err}"),
                Style::new().fg(th().error),
            )),
            msg,
        );
    }
}

/// A one-line hint/footer in dim text.
pub fn hint(text: &str, area: Rect, buf: &mut Buffer) {
    let text = fit_hints(text, usize::from(area.width));
    Paragraph::new(Span::styled(text, Style::new().fg(th().dim))).render(area, buf);
}

/// A footer of hints (" a · b · c", most important first) in `width` columns: whole hints are
/// dropped from the end, with `…` saying more exist (`?` lists them all), never a word cut in half.
/// Only a first hint wider than the line is itself cut (with `…`).
pub fn fit_hints(text: &str, width: usize) -> String {
    use crate::render::wrap::{display_width, truncate_to_width};
    if display_width(text) <= width {
        return text.to_string();
    }
    let parts: Vec<&str> = text.split(" · ").collect();
    for n in (1..parts.len()).rev() {
        let kept = format!("{} · …", parts[..n].join(" · "));
        if display_width(&kept) <= width {
            return kept;
        }
    }
    truncate_to_width(text, width)
}

/// A bordered block titled for a pane.
pub fn pane_block(title: String) -> Block<'static> {
    Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(title, Style::new().bold()))
}

/// A one-line editor after a yellow label (search boxes in footers).
pub fn labelled_editor(label: &str, editor: &InlineEditor, area: Rect, frame: &mut Frame) {
    let w = (label.chars().count() as u16).min(area.width);
    frame.render_widget(
        Paragraph::new(Span::styled(
            label.to_string(),
            Style::new().fg(th().highlight),
        )),
        Rect { width: w, ..area },
    );
    let field = Rect {
        x: area.x + w,
        width: area.width - w,
        ..area
    };
    inline_editor(editor, field, frame);
}

/// The rows of a `len`-row list a table `height` rows tall can show, from the kept `offset`
/// (the selection included even if it lies past the bottom), so drawing builds only those rows.
/// Draw them with `TableState` offset 0 and the selection minus `range.start`.
pub fn visible_rows(
    len: usize,
    offset: usize,
    selected: usize,
    height: u16,
) -> std::ops::Range<usize> {
    let start = offset.min(selected).min(len);
    let end = (start + usize::from(height)).max(selected + 1).min(len);
    start..end
}

/// What an idle or finished paged list says after its state: "more below" (lists that load as
/// they scroll), or its count (`total` as the pane knows it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EdgeTail {
    MoreBelow,
    Count(Option<u64>),
}

/// The loading edge of a paged list, as its title says it: loading (the first page, or more),
/// failed (with the key that retries), ended early with the reason (`Paged::note`), or `tail`.
/// The one wording every paged list uses.
pub fn edge_note<T>(p: &Paged<T>, retry: char, tail: EdgeTail) -> String {
    let shown = p.items.len();
    match (&p.edge, tail) {
        // Paging ended early because the server would have kept "more" coming: say why.
        (Edge::End, _) if p.note.is_some() => format!(" — {}", p.note.as_deref().unwrap_or("")),
        (Edge::Loading { .. }, _) if shown == 0 => " — loading…".into(),
        (Edge::Loading { .. }, _) => " — loading more…".into(),
        (Edge::Failed { message, .. }, _) => {
            format!(" — could not load: {message} ({retry} retries)")
        }
        (Edge::End, EdgeTail::Count(total)) => {
            format!(" ({})", count_text(None, shown, total, true))
        }
        (Edge::Idle, EdgeTail::Count(total)) => {
            format!(" ({})", count_text(None, shown, total, false))
        }
        (Edge::Idle, EdgeTail::MoreBelow) if p.loaded > 0 => " — more below".into(),
        _ => String::new(),
    }
}

/// The one way list headers count (issue 17.8: "(5 of 17 loaded)" and "(17/17)" side by side):
/// "40" when everything is here, "12 of 40" with more on the server, "12+" with more of an
/// unknown number; with a filter over what is loaded (`matches`), "3 of the 40 loaded".
pub fn count_text(
    matches: Option<usize>,
    loaded: usize,
    total: Option<u64>,
    complete: bool,
) -> String {
    match (matches, total) {
        (Some(m), _) => format!("{m} of the {loaded} loaded"),
        (None, Some(t)) if t > loaded as u64 => format!("{loaded} of {t}"),
        (None, None) if !complete && loaded > 0 => format!("{loaded}+"),
        _ => loaded.to_string(),
    }
}

/// A pane's areas: a one-line header, the body, a one-line footer.
pub fn header_body_footer(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one loading edge: every paged list says loading, failure, an early end and what
    /// follows the same way; an idle list says "more below" or its count.
    #[test]
    fn every_paged_list_says_its_edge_the_same_way() {
        use crate::api::Page;
        let mut p: Paged<u32> = Paged::new(2);
        p.mark_loading(1, 1);
        assert_eq!(edge_note(&p, 'R', EdgeTail::MoreBelow), " — loading…");
        let page = |items: Vec<u32>, total| Page {
            items,
            total: Some(total),
            ..Page::default()
        };
        assert!(p.on_loaded(1, page(vec![1, 2], 5)));
        assert_eq!(edge_note(&p, 'R', EdgeTail::MoreBelow), " — more below");
        assert_eq!(edge_note(&p, 'R', EdgeTail::Count(Some(5))), " (2 of 5)");
        p.mark_loading(2, 2);
        assert_eq!(edge_note(&p, 'r', EdgeTail::MoreBelow), " — loading more…");
        assert!(p.on_failed(2, "Plannr is unavailable".into()));
        assert_eq!(
            edge_note(&p, 'r', EdgeTail::Count(None)),
            " — could not load: Plannr is unavailable (r retries)"
        );
    }
    use crate::app::StatusMessage;

    fn row_text(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect()
    }

    /// The tab bar and the `?` help name key 5 and the Outreach tab only when Outreach is set up;
    /// with only Outreach set up they name nothing but 5 Outreach.
    #[test]
    fn tab_bar_and_help_name_outreach_only_when_it_is_set_up() {
        let area = Rect::new(0, 0, 120, 1);
        let bar = |plannr: bool, outreach: bool| {
            let settings = crate::app::Settings {
                plannr,
                outreach,
                ..crate::app::Settings::default()
            };
            let mut state = State::new(settings, Some("acc".into()), (120, 30));
            state.init();
            let mut buf = Buffer::empty(area);
            tab_bar(&state, area, &mut buf);
            let digits = state
                .help_lines()
                .iter()
                .find(|(_, d)| d.contains("Mailboxes") || d.contains("Outreach"))
                .map(|(k, d)| format!("{k} | {d}"))
                .unwrap_or_default();
            (row_text(&buf, 0), digits)
        };
        let (tabs, help) = bar(true, false);
        assert!(!tabs.contains("Outreach") && !tabs.contains('5'), "{tabs}");
        assert_eq!(
            help,
            "1 2 3 4 | Mailboxes · Mail · Conversations · Contacts"
        );
        let (tabs, help) = bar(true, true);
        assert!(tabs.contains(" 5 Outreach"), "{tabs}");
        assert_eq!(
            help,
            "1 2 3 4 5 | Mailboxes · Mail · Conversations · Contacts · Outreach"
        );
        let (tabs, help) = bar(false, true);
        assert!(
            tabs.contains("5 Outreach") && !tabs.contains("Mailboxes"),
            "{tabs}"
        );
        assert_eq!(help, "5 | Outreach");
    }

    /// A call waited for two seconds or more shows its deadline counting down; none when idle.
    #[test]
    fn status_bar_counts_down_the_oldest_waited_call() {
        let mut core = Core::default();
        core.now = 500;
        core.request(
            crate::app::Route::Logins,
            crate::app::Call::Plannr(crate::app::PlannrCall::Logins),
        );
        let area = Rect::new(0, 0, 80, 1);
        let draw = |core: &Core| {
            let mut buf = Buffer::empty(area);
            status_bar(core, Tab::Mailboxes, area, &mut buf);
            row_text(&buf, 0)
        };
        assert!(!draw(&core).contains("Waiting"));
        core.now = 506;
        let text = draw(&core);
        assert!(text.contains("Waiting for Plannr… 24 s"), "{text}");
        core.pending.clear();
        assert!(!draw(&core).contains("Waiting"));
    }

    /// Issue 17.6: j scrolled on until only the last line was left at the top of an otherwise
    /// empty box. At the furthest scroll the last line sits on the box's last row.
    #[test]
    fn help_scrolled_to_the_end_fills_the_box() {
        let lines = &crate::keymap::Keymap::default().help(crate::keymap::Scope::Conversations);
        let area = Rect::new(0, 0, 80, 10);
        let max = help_layout(lines, (80, 10)).max_scroll;
        assert!(max > 0, "the list is longer than 8 rows");
        for scroll in [max, max + 1, u16::MAX] {
            let mut buf = Buffer::empty(area);
            help("Conversations", lines, scroll, area, &mut buf);
            let inner_rows: Vec<String> = (1..9).map(|y| row_text(&buf, y)).collect();
            assert!(
                inner_rows
                    .iter()
                    .all(|r| r.trim().trim_matches('│').trim() != ""),
                "no empty row inside the box at scroll {scroll}: {inner_rows:#?}"
            );
            assert!(
                inner_rows[7].contains("Esc / q"),
                "the last entry is on the last row: {inner_rows:#?}"
            );
        }
    }

    #[test]
    fn one_count_form_everywhere() {
        assert_eq!(count_text(None, 17, Some(17), true), "17");
        assert_eq!(count_text(None, 17, Some(40), false), "17 of 40");
        assert_eq!(count_text(None, 17, None, false), "17+");
        assert_eq!(count_text(None, 17, None, true), "17");
        assert_eq!(count_text(None, 0, None, false), "0");
        assert_eq!(
            count_text(Some(5), 17, Some(40), false),
            "5 of the 17 loaded"
        );
    }

    #[test]
    fn footer_hints_drop_whole_hints_from_the_end() {
        let h = " Enter open · / search · i in/out/all · R reload · Esc clients";
        assert_eq!(fit_hints(h, 80), h);
        assert_eq!(fit_hints(h, 40), " Enter open · / search · …");
        assert_eq!(fit_hints(h, 26), " Enter open · / search · …");
        assert_eq!(fit_hints(h, 25), " Enter open · …");
        assert_eq!(fit_hints(h, 8), " Enter…");
        assert_eq!(fit_hints(h, 0), "");
    }

    #[test]
    fn status_bar_survives_a_message_wider_than_u16() {
        let mut core = Core::default();
        core.account_label = "Ada".into();
        // 65 534 columns: `as u16` keeps it, and adding the label's width overflowed.
        for n in [65_534, 65_536 + 65_534, 200_000] {
            core.status = Some(StatusMessage {
                level: Level::Error,
                text: "x".repeat(n),
                seq: 1,
                tab: None,
            });
            let area = Rect::new(0, 0, 40, 1);
            let mut buf = Buffer::empty(area);
            status_bar(&core, Tab::Mail, area, &mut buf);
        }
    }
}
