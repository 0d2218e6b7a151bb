//! Mail pane drawing: client picker, email list, thread view. Only slices what update prepared.
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::client_picker::{self, edge_note};
use super::widgets;
use crate::api::models::EmailMessage;
use crate::app::Core;
use crate::app::mail::body::{BodyMode, LineKind, TLine};
use crate::app::mail::thread::{Row as TRow, Thread};
use crate::app::mail::{MailPane, View};
use crate::app::paged::Edge;
use crate::clock;
use crate::render::wrap::truncate_to_width;

pub fn draw(pane: &MailPane, core: &Core, area: Rect, frame: &mut Frame) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [header, body, footer] = widgets::header_body_footer(area);
    match pane.view {
        View::Clients => clients(pane, header, body, footer, frame),
        View::Emails => emails(pane, core.now, header, body, footer, frame),
        View::Thread => match &pane.thread {
            Some(t) => thread(t, core.now, header, body, footer, frame),
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

fn clients(pane: &MailPane, header: Rect, body: Rect, footer: Rect, frame: &mut Frame) {
    let look = client_picker::Look {
        title: " Mail — choose a client",
        note: mailbox_note(pane),
        hint: " Enter open · / search by name · R reload · ? help · q quit",
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

fn emails(pane: &MailPane, now: i64, header: Rect, body: Rect, footer: Rect, frame: &mut Frame) {
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
        edge_note(&pane.emails, 'r')
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
        let rows: Vec<Row> = pane.shown[window]
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
                Row::new(vec![
                    Cell::from(clock::short_of(m.sort_key(), now)),
                    Cell::from(direction(m)),
                    Cell::from(sender(m)),
                    Cell::from(if m.subject.is_empty() {
                        "(no subject)".to_string()
                    } else {
                        m.subject.clone()
                    }),
                    Cell::from(mailbox),
                    Cell::from(Line::from(att).right_aligned()),
                    Cell::from(Line::from(thr).right_aligned()),
                ])
            })
            .collect();
        let widths = [
            // "12 Mar 2025", the longest short form.
            Constraint::Length(11),
            Constraint::Length(3),
            Constraint::Fill(2),
            Constraint::Fill(4),
            Constraint::Fill(1),
            Constraint::Length(5),
            Constraint::Length(9),
        ];
        let table = Table::new(rows, widths)
            .header(
                Row::new(vec![
                    Cell::from("Date"),
                    Cell::from("Dir"),
                    Cell::from("From"),
                    Cell::from("Subject"),
                    Cell::from("Mailbox"),
                    Cell::from(Line::from("Files").right_aligned()),
                    Cell::from(Line::from("In thread").right_aligned()),
                ])
                .style(Style::new().bold().underlined()),
            )
            .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let mut st = TableState::default()
            .with_selected((!pane.shown.is_empty()).then_some(nav.selected - first));
        frame.render_stateful_widget(table, body, &mut st);
    }

    if let Some(e) = &pane.email_search {
        widgets::labelled_editor(" Search emails: ", e, footer, frame);
    } else {
        widgets::hint(
            " Enter read thread · / search · i in/out/all · m mailbox filter · R reload · Esc clients",
            footer,
            frame.buffer_mut(),
        );
    }
}

fn thread(t: &Thread, now: i64, header: Rect, body: Rect, footer: Rect, frame: &mut Frame) {
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
        format!(
            " {}{of}{busy}",
            if subject.is_empty() {
                "(no subject)"
            } else {
                &subject
            }
        )
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
                TRow::Edge { top, edge } => edge_line(top, edge, width),
                TRow::Header(i) => header_line(t, i, focus == Some(i), now, width),
                TRow::Line(i, l) => content_line(t, i, l, focus == Some(i), width),
                TRow::Blank => Line::default(),
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
    }

    widgets::hint(
        " Enter/Space open · o all · n/p next/prev · v view · z quotes · a/s attachment · y copy · Esc back",
        footer,
        frame.buffer_mut(),
    );
}

fn edge_line(top: bool, edge: &Edge, width: usize) -> Line<'static> {
    let which = if top { "earlier" } else { "later" };
    let arrow = if top { "↑" } else { "↓" };
    let (text, style) = match edge {
        Edge::Idle => (
            format!("  {arrow} {which} messages load as you scroll"),
            Style::new().fg(th().dim),
        ),
        Edge::Loading { .. } => (
            format!("  {arrow} loading {which} messages…"),
            Style::new().fg(th().highlight),
        ),
        Edge::Failed { message, .. } => (
            format!("  ⚠ could not load {which} messages: {message} — Enter retries"),
            Style::new().fg(th().error).bold(),
        ),
        Edge::End => (String::new(), Style::new()),
    };
    Line::from(Span::styled(truncate_to_width(&text, width), style))
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
    let from = sender(&m.m);
    let text = format!(
        "{marker}{}  {from:<20}  {subject}{att}{mode}",
        clock::short_of(m.m.sort_key(), now)
    );
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

fn content_line(t: &Thread, i: usize, l: &TLine, focused: bool, width: usize) -> Line<'static> {
    let m = &t.msgs[i];
    let (prefix, style) = match l.kind {
        LineKind::Meta(_) => ("  ", Style::new().fg(th().muted)),
        LineKind::Attachment { index } if focused && index == m.attachment => {
            ("› ", Style::new().fg(th().highlight))
        }
        LineKind::Attachment { .. } => ("  ", Style::new().fg(th().highlight)),
        LineKind::Body => ("  ", Style::new()),
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
    let bar = if focused {
        Span::styled(prefix.to_string(), style.fg(th().accent))
    } else {
        Span::styled(prefix.to_string(), style)
    };
    let body = truncate_to_width(&l.text, width.saturating_sub(2));
    Line::from(vec![bar, Span::styled(body, style)])
}
