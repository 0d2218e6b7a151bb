//! Outreach pane drawing: the mailbox table, a mailbox's mailings, an open mailing.
use crate::keymap::{Action, Scope};
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState};

use super::columns::{self, Col, Text};
use super::widgets;
use crate::api::outreach::{Known, Mailing};
use crate::app::Core;
use crate::app::outreach::health::{Tone, send_health, sync_health};
use crate::app::outreach::{CursorList, MailingsView, Note, OpenMailing, OutreachPane};
use crate::render::wrap::truncate_to_width;

fn tone_colour(t: Tone) -> Color {
    match t {
        Tone::Good => th().ok,
        Tone::Stale => th().highlight,
        Tone::Bad => th().error,
        Tone::Muted => th().dim,
    }
}

/// A tone's style: what is failing is bold as well as red, so it still stands out without colour
/// (NO_COLOR).
fn tone_style(t: Tone) -> Style {
    let s = Style::new().fg(tone_colour(t));
    if t == Tone::Bad { s.bold() } else { s }
}

/// Unknown (not in the answer) is "?", null is "—".
fn text<T: ToString>(k: &Known<T>) -> String {
    match k {
        Known::Set(v) => v.to_string(),
        Known::Null => "—".into(),
        Known::Missing => "?".into(),
    }
}

fn when(k: &Known<i64>, now: i64) -> String {
    match k {
        Known::Set(t) => crate::clock::short(*t, now),
        Known::Null => "—".into(),
        Known::Missing => "?".into(),
    }
}

fn title_line<T>(label: &str, list: &CursorList<T>) -> String {
    let more = if list.next.is_some() { "+" } else { "" };
    match (&list.error, list.loading.is_some()) {
        (Some(e), _) if list.items.is_empty() => {
            format!(" {label} — could not load: {e} (R retries)")
        }
        (_, true) if list.items.is_empty() => format!(" {label} — loading…"),
        (Some(e), _) => format!(
            " {label} ({}{more}) — more failed: {e} (R reloads)",
            list.items.len()
        ),
        _ => format!(" {label} ({}{more})", list.items.len()),
    }
}

/// The rows of `list` its table (a header, then rows) in `area` shows.
fn shown_rows<T>(list: &CursorList<T>, area: Rect) -> std::ops::Range<usize> {
    widgets::visible_rows(
        list.items.len(),
        list.nav.offset,
        list.nav.selected,
        area.height.saturating_sub(1),
    )
}

pub fn draw(pane: &OutreachPane, core: &Core, area: Rect, frame: &mut Frame) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    if let Some(why) = &pane.unavailable {
        let p = Paragraph::new(vec![
            Line::from(Span::styled(" Outreach", Style::new().bold())),
            Line::from(format!(" {why}")).fg(th().dim),
        ]);
        frame.render_widget(p, area);
        return;
    }
    if let Some(open) = &pane.open {
        draw_open(open, core, area, frame);
    } else if let Some(v) = &pane.mailings {
        draw_mailings(v, core, area, frame);
    } else {
        draw_boxes(pane, core, area, frame);
    }
}

/// Header, table, one detail line, footer.
fn areas(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The mailbox and its health first; the provider and the daily limit give way first.
const BOX_COLUMNS: [Col; 7] = [
    Col::text("Mailbox", 20, 40, 3, 10).middle(),
    Col::text("Owner", 8, 18, 1, 3),
    Col::fixed("Provider", 10, 16, 1),
    Col::text("Send", 12, 18, 1, 8),
    Col::text("Sync", 12, 18, 1, 7),
    Col::fixed("/day", 4, 6, 2).right(),
    Col::text("Last action", 10, 20, 2, 5),
];

/// When, state, recipient and subject first; the later times give way, Bounced last.
const MAILING_COLUMNS: [Col; 8] = [
    Col::fixed("Created", 9, 11, 8),
    Col::fixed("State", 7, 12, 9),
    Col::text("Recipient", 12, 30, 2, 10).middle(),
    Col::text("Subject", 12, 40, 4, 7),
    Col::fixed("Delivered", 9, 11, 3),
    Col::fixed("Opened", 9, 11, 4),
    Col::fixed("Replied", 9, 11, 5),
    Col::fixed("Bounced", 9, 11, 2),
];

fn draw_boxes(pane: &OutreachPane, core: &Core, area: Rect, frame: &mut Frame) {
    let [header, table_area, detail, footer] = areas(area);
    let list = &pane.boxes;
    frame.render_widget(
        Paragraph::new(Span::styled(
            title_line("Outreach mailboxes", list),
            Style::new().bold(),
        )),
        header,
    );
    let range = shown_rows(list, table_area);
    let start = range.start;
    let rows: Vec<Vec<Text>> = list.items[range]
        .iter()
        .map(|row| {
            let m = &row.mailbox;
            let (send, send_tone) = send_health(m, core.now);
            let (sync, sync_tone) = sync_health(m, core.now);
            let saving = |attr| row.pending.iter().any(|(a, _, _)| *a == attr);
            let send = if saving(crate::app::outreach::Attr::Send) {
                format!("{send} (saving…)")
            } else {
                send
            };
            let sync = if saving(crate::app::outreach::Attr::Sync) {
                format!("{sync} (saving…)")
            } else {
                sync
            };
            let email = text(&m.email);
            let (note, note_style) = match &row.note {
                Some(Note::Busy(t)) => (t.clone(), Style::new().fg(th().highlight)),
                Some(Note::Done(t)) => (t.clone(), Style::new().fg(th().ok)),
                Some(Note::Failed(t)) => (t.clone(), tone_style(Tone::Bad)),
                None if m.editable.get() == Some(&false) => (
                    "read-only: you may not edit it".to_string(),
                    Style::new().fg(th().dim),
                ),
                None => (String::new(), Style::new()),
            };
            vec![
                Text::plain(email),
                Text::plain(m.owner.clone().unwrap_or_else(|| "?".into())),
                Text::plain(text(&m.provider)),
                Text::styled(send, tone_style(send_tone)),
                Text::styled(sync, tone_style(sync_tone)),
                Text::plain(text(&m.max_mailings_per_day)),
                Text::styled(note, note_style),
            ]
        })
        .collect();
    let (table, _) = columns::table(&BOX_COLUMNS, rows, table_area.width);
    let table = table.row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut st = TableState::default().with_selected(Some(list.nav.selected.saturating_sub(start)));
    frame.render_stateful_widget(table, table_area, &mut st);
    // The selected row's last action in full (a 422's detail can be long).
    if let Some(Note::Failed(t) | Note::Done(t)) = pane.selected().and_then(|r| r.note.as_ref()) {
        let w = usize::from(detail.width.saturating_sub(1));
        frame.render_widget(
            Paragraph::new(format!(" {}", truncate_to_width(t, w))),
            detail,
        );
    }
    widgets::hint(
        &core.settings.keys.hints(
            Scope::Outreach,
            &[
                (&[Action::Toggle], "sync on/off"),
                (&[Action::ToggleSend], "send on/off"),
                (&[Action::TestSend], "test send"),
                (&[Action::TestSync], "test sync"),
                (&[Action::Open], "mailings"),
                (&[Action::Refresh], "reload"),
                (&[Action::Help], "help"),
            ],
        ),
        footer,
        frame.buffer_mut(),
    );
}

fn draw_mailings(v: &MailingsView, core: &Core, area: Rect, frame: &mut Frame) {
    let [header, table_area, _detail, footer] = areas(area);
    let list = &v.list;
    let label = format!("Mailings of {}", v.mailbox_label);
    frame.render_widget(
        Paragraph::new(Span::styled(title_line(&label, list), Style::new().bold())),
        header,
    );
    let range = shown_rows(list, table_area);
    let start = range.start;
    let now = core.now;
    let rows: Vec<Vec<Text>> = list.items[range]
        .iter()
        .map(|m: &Mailing| {
            let state = text(&m.state);
            let colour = match state.as_str() {
                "bounced" | "failed" => th().error,
                "replied" | "opened" => th().ok,
                "delivered" => Color::Reset,
                _ => th().highlight,
            };
            vec![
                Text::plain(when(&m.created_at, now)),
                Text::styled(state, Style::new().fg(colour)),
                Text::plain(m.recipient.clone().unwrap_or_else(|| "?".into())),
                Text::plain(text(&m.subject)),
                Text::plain(when(&m.delivered_at, now)),
                Text::plain(when(&m.opened_at, now)),
                Text::plain(when(&m.replied_at, now)),
                Text::plain(when(&m.bounced_at, now)),
            ]
        })
        .collect();
    let (table, _) = columns::table(&MAILING_COLUMNS, rows, table_area.width);
    let table = table.row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut st = TableState::default().with_selected(Some(list.nav.selected.saturating_sub(start)));
    frame.render_stateful_widget(table, table_area, &mut st);
    let keys = &core.settings.keys;
    let hint = if list.loading.is_some() && !list.items.is_empty() {
        let h = keys.hints(
            Scope::Outreach,
            &[
                (&[Action::Open], "open"),
                (&[Action::Back], "back"),
                (&[Action::Refresh], "reload"),
            ],
        );
        format!(" loading more… ·{h}")
    } else {
        keys.hints(
            Scope::Outreach,
            &[
                (&[Action::Open], "open"),
                (&[Action::Back], "back"),
                (&[Action::Refresh], "reload"),
                (&[Action::Help], "help"),
            ],
        )
    };
    widgets::hint(&hint, footer, frame.buffer_mut());
}

fn draw_open(o: &OpenMailing, core: &Core, area: Rect, frame: &mut Frame) {
    let [header, body, footer] = widgets::header_body_footer(area);
    let now = core.now;
    let m = o.mailing.as_ref();
    let subject = m.map(|m| text(&m.subject)).unwrap_or_default();
    frame.render_widget(
        Paragraph::new(Span::styled(
            truncate_to_width(&format!(" {subject}"), usize::from(area.width)),
            Style::new().bold(),
        )),
        header,
    );
    let label = Style::new().fg(th().dim);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(m) = m {
        let meta = [
            ("From", text(&m.mailbox_address)),
            ("To", m.recipient.clone().unwrap_or_else(|| "?".into())),
            ("State", text(&m.state)),
            (
                "Times",
                format!(
                    "created {} · delivered {} · opened {} · replied {} · bounced {}",
                    when(&m.created_at, now),
                    when(&m.delivered_at, now),
                    when(&m.opened_at, now),
                    when(&m.replied_at, now),
                    when(&m.bounced_at, now)
                ),
            ),
        ];
        for (k, v) in meta {
            let v = truncate_to_width(&v, usize::from(body.width.saturating_sub(9)));
            lines.push(Line::from(vec![
                Span::styled(format!(" {k:<7} "), label),
                Span::raw(v),
            ]));
        }
        if let Some(e) = m.error_reason.get() {
            lines.push(Line::from(Span::styled(
                truncate_to_width(&format!(" Error   {e}"), usize::from(body.width)),
                Style::new().fg(th().error),
            )));
        }
        lines.push(Line::from(""));
    }
    if let Some(e) = &o.error {
        lines.push(Line::from(Span::styled(
            format!(" Could not load the mailing: {e}"),
            Style::new().fg(th().error),
        )));
    } else if o.loading {
        lines.push(Line::from(" loading…").fg(th().dim));
    }
    let head = lines.len();
    let room = usize::from(body.height).saturating_sub(head);
    for l in o.lines.iter().skip(o.scroll).take(room) {
        let style = if l.starts_with('[') {
            Style::new().fg(th().accent)
        } else if l.starts_with('│') {
            Style::new().fg(th().dim)
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(format!(" {l}"), style)));
    }
    frame.render_widget(Paragraph::new(lines), body);
    let pos = if o.lines.is_empty() {
        String::new()
    } else {
        format!(
            " {}/{} ·",
            (o.scroll + room).min(o.lines.len()),
            o.lines.len()
        )
    };
    widgets::hint(
        &format!(
            "{pos}{}",
            core.settings.keys.hints(
                Scope::Outreach,
                &[
                    (&[Action::Down, Action::Up], "scroll"),
                    (&[Action::Forward, Action::PageDown], "page"),
                    (&[Action::Back], "back"),
                    (&[Action::Help], "help"),
                ],
            )
        ),
        footer,
        frame.buffer_mut(),
    );
}
