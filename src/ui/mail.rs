//! Mail pane drawing: client picker, email list, thread view. Only slices what update prepared.
use crate::keymap::{Action, Keymap, Scope};
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState};

use super::client_picker;
use super::columns::{self, Col, Text};
use super::widgets;
use super::widgets::{EdgeTail, edge_note};
use crate::api::models::EmailMessage;
use crate::app::Core;
use crate::app::mail::body::{BodyMode, LineKind, ViewLine};
use crate::app::mail::side::Half;
use crate::app::mail::thread::{Gap, GapState, Row as TRow, Thread};
use crate::app::mail::{MailPane, View};
use crate::clock;
use crate::render::wrap::truncate_to_width;

pub fn draw(pane: &MailPane, core: &Core, area: Rect, frame: &mut Frame) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [header, body, footer] = widgets::header_body_footer(area);
    let keys = &core.settings.keys;
    match pane.view {
        View::Clients => clients(pane, keys, header, body, footer, frame),
        View::Emails => emails(pane, keys, core.now, header, body, footer, frame),
        View::Thread => match &pane.thread {
            Some(t) => thread(t, keys, core.now, header, body, footer, frame),
            None => widgets::hint(" No thread open.", body, frame.buffer_mut()),
        },
    }
}

fn title(text: String, width: u16) -> Paragraph<'static> {
    Paragraph::new(Span::styled(
        truncate_to_width(&text, usize::from(width)),
        Style::new().bold(),
    ))
}

fn mailbox_note(pane: &MailPane) -> String {
    match &pane.mailbox {
        Some((_, name)) => format!(" · mailbox: {name} (m clears)"),
        None => String::new(),
    }
}

fn clients(
    pane: &MailPane,
    keys: &Keymap,
    header: Rect,
    body: Rect,
    footer: Rect,
    frame: &mut Frame,
) {
    let hint = keys.hints(
        Scope::Mail,
        &[
            (&[Action::Open], "open"),
            (&[Action::Search], "search by name"),
            (&[Action::Refresh], "reload"),
            (&[Action::Help], "help"),
            (&[Action::Quit], "quit"),
        ],
    );
    let look = client_picker::Look {
        title: " Mail — choose a client",
        note: mailbox_note(pane),
        hint: &hint,
        draft: &|_| false,
    };
    client_picker::draw(&pane.picker, &look, header, body, footer, frame);
}

fn direction(m: &EmailMessage) -> Span<'static> {
    match m.incoming {
        Some(true) => Span::styled("in", Style::new().fg(th().incoming)),
        Some(false) => Span::styled("out", Style::new().fg(th().outgoing)),
        None => Span::raw(""),
    }
}

fn sender(m: &EmailMessage) -> String {
    match m.from() {
        Some(p) if !p.name.trim().is_empty() => p.name.clone(),
        Some(p) => p.email.clone(),
        None => String::new(),
    }
}

/// Subject, date and sender keep their room; Files and Mailbox give way first.
const EMAIL_COLUMNS: [Col; 7] = [
    // "12 Mar 2025", the longest short form: a date is never cut.
    Col::fixed("Date", 11, 11, 9),
    Col::fixed("Dir", 3, 3, 3),
    Col::text("From", 10, 20, 2, 8),
    Col::text("Subject", 12, 40, 4, 10),
    Col::text("Mailbox", 6, 14, 1, 2),
    Col::fixed("Files", 5, 5, 1).right(),
    Col::fixed("In thread", 9, 9, 4).right(),
];

fn emails(
    pane: &MailPane,
    keys: &Keymap,
    now: i64,
    header: Rect,
    body: Rect,
    footer: Rect,
    frame: &mut Frame,
) {
    let who = pane
        .client
        .as_ref()
        .map(|c| c.display_name())
        .unwrap_or_default();
    let search = if pane.search.is_empty() {
        String::new()
    } else {
        format!(" · search “{}”", pane.search)
    };
    let dir = match pane.incoming {
        None => "",
        Some(true) => " · incoming only",
        Some(false) => " · outgoing only",
    };
    let count = format!(
        " ({})",
        widgets::count_text(
            pane.mailbox.is_some().then_some(pane.shown.len()),
            pane.emails.items.len(),
            pane.emails.total,
            pane.emails.is_complete(),
        )
    );
    let text = format!(
        " {who} — emails{count}{search}{dir}{}{}",
        mailbox_note(pane),
        edge_note(&pane.emails, 'r', EdgeTail::MoreBelow)
    );
    frame.render_widget(title(text, header.width), header);

    if pane.shown.is_empty() && pane.emails.is_complete() {
        let msg = match (&pane.mailbox, pane.search.is_empty()) {
            (Some((_, name)), _) => {
                format!(" None of {who}'s emails are in {name}. m shows every mailbox.")
            }
            (None, false) => format!(" No email of {who} matches “{}”.", pane.search),
            (None, true) => format!(" {who} has no emails{dir}."),
        };
        widgets::hint(&msg, body, frame.buffer_mut());
    } else {
        // Only the rows on screen: the list grows as pages load.
        let nav = &pane.emails_nav;
        let window = widgets::visible_rows(pane.shown.len(), nav.offset, nav.selected, body.height);
        let first = window.start;
        let rows: Vec<Vec<Text>> = pane.shown[window]
            .iter()
            .filter_map(|&i| pane.emails.items.get(i))
            .map(|m| {
                let mailbox = m
                    .mailbox
                    .as_ref()
                    .map(|b| b.name.clone())
                    .unwrap_or_default();
                let att = if m.attachments.is_empty() {
                    String::new()
                } else {
                    m.attachments.len().to_string()
                };
                let thr = match m.thread_count {
                    Some(n) if n > 1 => n.to_string(),
                    _ => String::new(),
                };
                let dir = direction(m);
                vec![
                    Text::plain(clock::short_of(m.sort_key(), now)),
                    Text::styled(dir.content.into_owned(), dir.style),
                    Text::plain(sender(m)),
                    Text::plain(if m.subject.is_empty() {
                        "(no subject)".to_string()
                    } else {
                        m.subject.clone()
                    }),
                    Text::plain(mailbox),
                    Text::plain(att),
                    Text::plain(thr),
                ]
            })
            .collect();
        let (table, _) = columns::table(&EMAIL_COLUMNS, rows, body.width);
        let table = table.row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let mut st = TableState::default()
            .with_selected((!pane.shown.is_empty()).then_some(nav.selected - first));
        frame.render_stateful_widget(table, body, &mut st);
    }

    if let Some(e) = &pane.email_search {
        widgets::labelled_editor(" Search emails: ", e, footer, frame);
    } else {
        widgets::hint(
            &keys.hints(
                Scope::Mail,
                &[
                    (&[Action::Open], "read thread"),
                    (&[Action::Search], "search"),
                    (&[Action::Incoming], "in/out/all"),
                    (&[Action::ClearMailbox], "mailbox filter"),
                    (&[Action::Refresh], "reload"),
                    (&[Action::Back], "clients"),
                ],
            ),
            footer,
            frame.buffer_mut(),
        );
    }
}

fn thread(
    t: &Thread,
    keys: &Keymap,
    now: i64,
    header: Rect,
    body: Rect,
    footer: Rect,
    frame: &mut Frame,
) {
    let subject = t
        .index_of(&t.uuid)
        .map(|i| t.msgs[i].m.subject.clone())
        .unwrap_or_default();
    let text = if let Some(e) = &t.first_error {
        format!(" Could not open the message: {e}")
    } else if t.first_loading() {
        " Opening the message…".to_string()
    } else {
        let (n, count) = t.position();
        let of = count
            .map(|c| format!(" — {n} of {c}"))
            .unwrap_or_else(|| format!(" — message {n}"));
        let (up, down) = t.loading_edges();
        let busy = match (up, down) {
            (true, true) => " · loading earlier and later…",
            (true, false) => " · loading earlier…",
            (false, true) => " · loading later…",
            _ => "",
        };
        let loaded = match count {
            Some(c) if (t.loaded() as u64) < c => format!(" · loaded {} of {c}", t.loaded()),
            _ => String::new(),
        };
        // The subject gives way: where the reader is and what is coming stay whole.
        let tail = format!("{of}{loaded}{busy}");
        let room = usize::from(header.width)
            .saturating_sub(1 + crate::render::wrap::display_width(&tail))
            .max(12);
        let subject = if subject.is_empty() {
            "(no subject)".to_string()
        } else {
            truncate_to_width(&subject, room)
        };
        format!(" {subject}{tail}")
    };
    frame.render_widget(title(text, header.width), header);

    if let Some(e) = &t.first_error {
        let msg = format!(" ⚠ {e}\n Press Enter to try again, Esc to go back.");
        frame.render_widget(Paragraph::new(msg).fg(th().error), body);
    } else if t.first_loading() {
        widgets::hint(" loading…", body, frame.buffer_mut());
    } else {
        let focus = t.focus_index();
        let width = usize::from(body.width);
        let lines: Vec<Line> = t
            .visible()
            .into_iter()
            .take(usize::from(body.height))
            .map(|row| match row {
                TRow::Gap(g) => gap_line(&g, width),
                TRow::Header(i) => header_line(t, i, focus == Some(i), now, width),
                TRow::Line(i, l) => content_line(t, i, l, focus == Some(i), width),
                TRow::Blank => Line::default(),
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
    }

    widgets::hint(
        &keys.hints(
            Scope::Mail,
            &[
                (&[Action::Open, Action::Toggle], "open"),
                (&[Action::ToggleAll], "all"),
                (&[Action::Next, Action::Prev], "next/prev"),
                (&[Action::ViewMode], "view"),
                (&[Action::Quotes], "quotes"),
                (&[Action::Attachment, Action::Save], "attachment"),
                (&[Action::Copy], "copy"),
                (&[Action::Back], "back"),
            ],
        ),
        footer,
        frame.buffer_mut(),
    );
}

fn gap_line(g: &Gap, width: usize) -> Line<'static> {
    let (which, arrow) = match g.half {
        Half::Ancestors => ("earlier", "↑"),
        Half::Descendants => ("later", "↓"),
    };
    let what = match g.count {
        Some(1) => "1 message".to_string(),
        Some(n) => format!("{n} messages"),
        None => format!("{which} messages"),
    };
    let mark = if g.edge { arrow } else { "⋯" };
    let (text, style) = match &g.state {
        GapState::Idle => (
            format!("  {mark} {what} not loaded yet (they load as they come on screen)"),
            Style::new().fg(th().dim),
        ),
        GapState::Loading => (
            format!("  {mark} {what} not loaded yet — loading…"),
            Style::new().fg(th().highlight),
        ),
        GapState::Failed(message) => (
            format!("  ⚠ could not load {what}: {message} — Enter retries"),
            Style::new().fg(th().error).bold(),
        ),
        GapState::Stopped(note) => (
            format!("  {mark} {what} not shown: {note}"),
            Style::new().fg(th().error),
        ),
        GapState::Unreadable => (
            format!("  {mark} {what} missing from what Plannr sent"),
            Style::new().fg(th().error),
        ),
    };
    Line::from(Span::styled(truncate_to_width(&text, width), style))
}

/// Columns of the sender in a thread row: names are cut (with …) or padded to this, so subjects
/// line up whatever the names' lengths.
pub const SENDER_COLS: usize = 20;

/// `s` cut to `cols` display columns (ending in … when cut) and padded to exactly `cols`.
pub fn fixed_width(s: &str, cols: usize) -> String {
    let mut out = truncate_to_width(s, cols);
    let w = crate::render::wrap::display_width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// A thread header in `width` columns: the subject gives way first, then the attachment count,
/// then the view tag; a tag is shown whole or not at all (never "[pla…").
fn header_text(head: &str, subject: &str, att: &str, mode: &str, width: usize) -> String {
    use crate::render::wrap::display_width;
    let hw = display_width(head);
    // At least a few columns of subject, so the line still says which message it is.
    let fits = |tail: &str| hw + 4 + display_width(tail) <= width;
    let both = format!("{att}{mode}");
    let tail = if fits(&both) {
        both
    } else if fits(mode) {
        mode.to_string()
    } else {
        String::new()
    };
    let room = width.saturating_sub(hw + display_width(&tail));
    let text = format!("{head}{}{tail}", truncate_to_width(subject, room));
    truncate_to_width(&text, width)
}

fn header_line(t: &Thread, i: usize, focused: bool, now: i64, width: usize) -> Line<'static> {
    let m = &t.msgs[i];
    let marker = if m.expanded { "▾ " } else { "▸ " };
    let att = if m.m.attachments.is_empty() {
        String::new()
    } else {
        format!("  +{} att", m.m.attachments.len())
    };
    let mode = match m.mode {
        BodyMode::Html => String::new(),
        other if m.expanded => format!("  [{}]", other.label()),
        _ => String::new(),
    };
    let subject = if m.m.subject.is_empty() {
        "(no subject)".to_string()
    } else {
        m.m.subject.clone()
    };
    let from = fixed_width(&sender(&m.m), SENDER_COLS);
    let head = format!("{marker}{}  {from}  ", clock::short_of(m.m.sort_key(), now));
    let text = header_text(&head, &subject, &att, &mode, width);
    let mut style = if m.m.uuid == t.uuid {
        Style::new().bold()
    } else {
        Style::new()
    };
    if focused {
        style = style.add_modifier(Modifier::REVERSED);
    }
    let text = truncate_to_width(&text, width);
    // A focused header fills the row so the highlight reads as a bar.
    let pad = width.saturating_sub(crate::render::wrap::display_width(&text));
    let text = if focused {
        format!("{text}{}", " ".repeat(pad))
    } else {
        text
    };
    Line::from(Span::styled(text, style))
}

fn content_line(t: &Thread, i: usize, l: &ViewLine, focused: bool, width: usize) -> Line<'static> {
    let m = &t.msgs[i];
    let (prefix, style) = match l.kind {
        LineKind::Meta(_) => ("  ", Style::new().fg(th().muted)),
        LineKind::Attachment { index } if focused && index == m.attachment => {
            ("› ", Style::new().fg(th().highlight))
        }
        LineKind::Attachment { .. } => ("  ", Style::new().fg(th().highlight)),
        LineKind::Body | LineKind::Header => ("  ", Style::new()),
        LineKind::Quote(d) => (
            "│ ",
            Style::new()
                .fg(if d > 1 { th().dim } else { th().muted })
                .add_modifier(Modifier::DIM),
        ),
        LineKind::Folded => ("  ", Style::new().fg(th().dim).italic()),
        LineKind::Link => ("  ", Style::new().fg(th().link)),
        LineKind::Notice => ("  ", Style::new().fg(th().dim).italic()),
        LineKind::Blank => ("", Style::new()),
    };
    // One bar per quote level (the text was laid out with room for them).
    let bars = match l.kind {
        LineKind::Quote(d) => crate::render::wrap::quote_bars(d, width.saturating_sub(2)),
        _ => 1,
    };
    let prefix = prefix.repeat(bars);
    let bar = if focused {
        Span::styled(prefix, style.fg(th().accent))
    } else {
        Span::styled(prefix, style)
    };
    let body = truncate_to_width(&l.text, width.saturating_sub(2 * bars));
    Line::from(vec![bar, Span::styled(body, style)])
}

#[cfg(test)]
mod header_tests {
    use super::header_text;

    #[test]
    fn the_view_tag_is_whole_or_absent() {
        let head = "▾ 12:02  Ann Other             ";
        let line = header_text(
            head,
            "Re: Annual review of the pension",
            "  +2 att",
            "  [plain]",
            80,
        );
        assert!(
            line.ends_with("Re: Annual review of the pension  +2 att  [plain]"),
            "{line}"
        );
        for w in 0..80 {
            let line = header_text(
                head,
                "Re: Annual review of the pension",
                "  +2 att",
                "  [plain]",
                w,
            );
            assert!(
                !line.contains("[pla…") && !line.contains("[plain…"),
                "{w}: {line}"
            );
            assert!(
                crate::render::wrap::display_width(&line) <= w,
                "{w}: {line}"
            );
        }
        // Narrow: the subject is cut (with …) before the tags go.
        let line = header_text(
            head,
            "Re: Annual review of the pension",
            "  +2 att",
            "  [plain]",
            54,
        );
        assert!(
            line.contains('…') && line.ends_with("+2 att  [plain]"),
            "{line}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Page;
    use crate::api::models::Participant;
    use crate::render::wrap::display_width;

    fn msg(i: usize, from: &str) -> EmailMessage {
        EmailMessage {
            uuid: format!("m{i}"),
            message_created_at: format!("2025-01-01T09:0{i}:00+00:00"),
            subject: "Quarterly review".into(),
            participants: vec![Participant {
                kind: "from".into(),
                name: from.into(),
                email: "x@example.com".into(),
            }]
            .into(),
            ..EmailMessage::default()
        }
    }

    #[test]
    fn the_thread_title_cuts_the_subject_not_the_position_and_progress() {
        // The bug: at 80 columns a long subject pushed "loaded N of M" off the title.
        let mut opened = msg(1, "Opened Person");
        opened.subject =
            "Re: Portfolio rebalancing – running thread, and a long subject too".into();
        let half = |items, total| {
            Some(Box::new(Page {
                items,
                total: Some(total),
                last_page: Some(40),
                current_page: Some(1),
                ..Page::default()
            }))
        };
        opened.ancestors = half(vec![msg(0, "Ann")], 999);
        opened.descendants = half(vec![], 0);
        let mut t = Thread::new(&opened.uuid.clone(), 25, 80, 20);
        t.first_sent(1);
        assert!(t.on_loaded(crate::app::mail::thread::Part::First, 1, opened));
        let mut s = crate::app::State::new(Default::default(), Some("a".into()), (80, 24));
        s.tab = crate::app::Tab::Mail;
        s.mail.view = crate::app::mail::View::Thread;
        s.mail.thread = Some(t);
        let text = crate::ui::screen_text(&s, 80, 24);
        let title: String = text.chars().skip(80).take(80).collect();
        assert!(
            title.contains("— 1000 of 1000 · loaded 1 of 1000"),
            "{title}"
        );
        assert!(title.contains("Re: Portfolio rebalancing"), "{title}");
    }

    #[test]
    fn thread_rows_line_up_whatever_the_senders_names() {
        let names = [
            "Al",
            "Bartholomew Fitzgerald-Worthington III",
            "张伟张伟张伟张伟张伟张伟",
            "Zoë Ångström",
        ];
        let mut opened = msg(names.len(), "Opened Person");
        opened.ancestors = Some(Box::new(Page {
            items: names.iter().enumerate().map(|(i, n)| msg(i, n)).collect(),
            total: Some(names.len() as u64),
            last_page: Some(1),
            current_page: Some(1),
            ..Page::default()
        }));
        let mut t = Thread::new(&opened.uuid.clone(), 25, 100, 30);
        t.first_sent(1);
        assert!(t.on_loaded(crate::app::mail::thread::Part::First, 1, opened));
        let mut columns = Vec::new();
        for i in 0..t.msgs.len() {
            let line = header_line(&t, i, false, 0, 100);
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let at = text.find("Quarterly review").expect("subject shown");
            columns.push(display_width(&text[..at]));
            if names.iter().any(|n| display_width(n) > SENDER_COLS) {
                assert!(!text.contains("Fitzgerald-Worthington III"), "cut: {text}");
            }
        }
        assert!(
            columns.windows(2).all(|w| w[0] == w[1]),
            "subjects start in one column: {columns:?}"
        );
        assert_eq!(
            fixed_width("Bartholomew Fitzgerald-Worthington III", 10),
            "Bartholom…"
        );
        assert_eq!(display_width(&fixed_width("张伟张伟张伟", 7)), 7);
    }
}

#[cfg(test)]
mod quote_tests {
    use super::content_line;
    use crate::app::mail::thread::{TMsg, Thread};
    use crate::app::viewport::{LineKind, ViewLine};

    fn drawn(depth: u8, width: usize) -> String {
        let mut t = Thread::new("m", 25, width as u16, 24);
        t.msgs.push(TMsg::new(Default::default(), 0));
        let l = ViewLine::new("quoted text".into(), LineKind::body(depth));
        let line = content_line(&t, 0, &l, false, width);
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn each_quote_level_gets_its_bar() {
        // Nested replies (Gmail, Outlook chains) read like w3m's indents: one bar per level;
        // before, every level drew the same single bar and only colour told them apart.
        assert_eq!(drawn(0, 80), "  quoted text");
        assert_eq!(drawn(1, 80), "│ quoted text");
        assert_eq!(drawn(3, 80), "│ │ │ quoted text");
        for w in 0..20 {
            assert!(
                crate::render::wrap::display_width(&drawn(9, w)) <= w.max(2),
                "{w}"
            );
        }
    }
}
