//! Contacts pane drawing: the client picker, one client's contact details, and the inline form
//! (drawn in place of its row), with the conflict choice as a popup.
use crate::keymap::{Action, Keymap, Scope};
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, TableState};

use super::client_picker;
use super::columns::{self, Col, Text};
use super::overlay::{self, Anchor};
use super::widgets;
use crate::api::models::{Account, ContactDetail};
use crate::app::Core;
use crate::app::contacts::form::{Field, Focus, Form, Linked, Phase};
use crate::app::contacts::validate::Kind;
use crate::app::contacts::{ContactsPane, View};
use crate::app::editor::InlineEditor;

pub fn draw(pane: &ContactsPane, core: &Core, area: Rect, frame: &mut Frame) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [header, body, footer] = widgets::header_body_footer(area);
    match pane.view {
        View::Clients => draw_clients(pane, &core.settings.keys, header, body, footer, frame),
        View::Details => draw_details(pane, &core.settings.keys, header, body, footer, frame),
    }
    let _ = core;
}

fn hint_line(text: &str) -> Line<'static> {
    Line::from(text.to_string()).fg(th().dim)
}

fn ask_line(text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), th().prompt()))
}

fn draw_clients(
    pane: &ContactsPane,
    keys: &Keymap,
    header: Rect,
    body: Rect,
    footer: Rect,
    frame: &mut Frame,
) {
    let drafts: &[Action] = if pane.drafts.is_empty() {
        &[]
    } else {
        &[Action::Drafts]
    };
    let hint = keys.hints(
        Scope::Contacts,
        &[
            (&[Action::Open], "open"),
            (&[Action::Search], "search"),
            (drafts, "open a draft's client"),
            (&[Action::Refresh], "refresh"),
            (&[Action::Help], "help"),
        ],
    );
    let look = client_picker::Look {
        title: " Clients",
        note: String::new(),
        hint: &hint,
        draft: &|c: &Account| pane.has_draft_for_client(&c.uuid),
    };
    client_picker::draw(&pane.picker, &look, header, body, footer, frame);
}

/// The value and its label first; who else owns it gives way first.
const DETAIL_COLUMNS: [Col; 5] = [
    Col::fixed("Type", 5, 6, 4),
    Col::text("Label", 8, 20, 2, 9),
    Col::text("Value", 12, 32, 3, 10).middle(),
    // "★ yes" is never cut to "★…".
    Col::fixed("Primary", 5, 8, 6),
    Col::text("Also owned by", 8, 30, 2, 2),
];

fn detail_row(pane: &ContactsPane, d: &ContactDetail, client: &str) -> Vec<Text> {
    let kind = Kind::from_api(&d.kind).label();
    let mut label = Text::plain(d.name.clone());
    if pane.has_draft_for_detail(&d.uuid) {
        label = label.mark(Span::styled(" ✎", Style::new().fg(th().highlight)));
    }
    let primary = if d.is_primary_for(client) {
        Text::styled("★ yes", Style::new().fg(th().ok))
    } else if d.primary_accounts.is_none() {
        // Plannr's answer did not say: unknown, not "no".
        Text::styled("?", Style::new().fg(th().dim))
    } else if pane
        .making_primary
        .as_ref()
        .is_some_and(|(u, _)| *u == d.uuid)
    {
        Text::styled("…", Style::new().fg(th().highlight))
    } else {
        Text::plain("")
    };
    let others: Vec<String> = d
        .owners()
        .iter()
        .filter(|a| a.uuid != client)
        .map(Account::display_name)
        .collect();
    vec![
        Text::plain(kind),
        label,
        Text::plain(d.display_value().to_string()),
        primary,
        Text::styled(others.join(", "), Style::new().fg(th().accent)),
    ]
}

fn draw_details(
    pane: &ContactsPane,
    keys: &Keymap,
    header: Rect,
    body: Rect,
    footer: Rect,
    frame: &mut Frame,
) {
    let client_uuid = pane
        .client
        .as_ref()
        .map(|c| c.uuid.clone())
        .unwrap_or_default();
    let name = pane
        .client
        .as_ref()
        .map(Account::display_name)
        .unwrap_or_default();
    let note = match &pane.refresh {
        Some(_) => " — refreshing…".to_string(),
        None => widgets::edge_note(&pane.details, 'R', widgets::EdgeTail::Count(None)),
    };
    let title = format!(" {name} — contact details{note}");
    frame.render_widget(
        Paragraph::new(Span::styled(title, Style::new().bold())),
        header,
    );
    if body.height == 0 {
        return;
    }
    let [thead, rows_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
    let items = &pane.details.items;
    // One layout for the whole list, drawn in pieces around an open form.
    let all: Vec<Vec<Text>> = items
        .iter()
        .map(|d| detail_row(pane, d, &client_uuid))
        .collect();
    let widths = columns::widths(
        &DETAIL_COLUMNS,
        &columns::measure(&DETAIL_COLUMNS, &all),
        body.width,
    );
    let mut all: Vec<Option<Vec<Text>>> = all.into_iter().map(Some).collect();
    let mut rows_of = |range: std::ops::Range<usize>| -> Table<'static> {
        let rows = all[range].iter_mut().filter_map(Option::take).collect();
        columns::table_with(&DETAIL_COLUMNS, &widths, rows, false)
    };
    frame.render_widget(
        columns::table_with(&DETAIL_COLUMNS, &widths, Vec::new(), true),
        thead,
    );
    match &pane.form {
        None => {
            if items.is_empty() && pane.details.is_complete() {
                widgets::hint(
                    " No emails or phone numbers yet: a adds one.",
                    rows_area,
                    frame.buffer_mut(),
                );
            } else {
                let table = rows_of(0..items.len())
                    .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
                let mut st = TableState::default()
                    .with_selected(Some(pane.detail_nav.selected))
                    .with_offset(pane.detail_nav.offset);
                frame.render_stateful_widget(table, rows_area, &mut st);
            }
        }
        Some(form) => {
            // The form takes the place of its row (a new detail goes after the last row).
            let at = form
                .detail_uuid
                .as_ref()
                .and_then(|u| items.iter().position(|d| &d.uuid == u))
                .unwrap_or(items.len());
            let fh = form_height(form, rows_area.width);
            let h = rows_area.height as usize;
            let start = pane
                .detail_nav
                .offset
                .min(at)
                .max((at + fh).saturating_sub(h))
                .min(at);
            let above = (at - start).min(h) as u16;
            let table = rows_of(start..at);
            frame.render_widget(
                table,
                Rect {
                    height: above,
                    ..rows_area
                },
            );
            let form_area = Rect {
                y: rows_area.y + above,
                height: rows_area.height - above,
                ..rows_area
            };
            let fh = (fh as u16).min(form_area.height);
            draw_form(
                form,
                Rect {
                    height: fh,
                    ..form_area
                },
                frame,
            );
            let below = Rect {
                y: form_area.y + fh,
                height: form_area.height - fh,
                ..form_area
            };
            let after = (at + 1).min(items.len());
            frame.render_widget(rows_of(after..items.len()), below);
            if let Phase::Conflict { theirs, fields } = &form.phase {
                draw_conflict(form, theirs, fields, body, frame);
            }
        }
    }
    let hint = match &pane.form {
        Some(f) => match &f.phase {
            Phase::Editing => {
                hint_line(" Tab/Shift-Tab field · ←/→ Space tick · Enter/Ctrl-S save · Esc leave")
            }
            Phase::ConfirmDiscard => {
                overlay::confirm(
                    body,
                    Anchor::Center,
                    overlay::DISCARD_QUESTION,
                    "",
                    overlay::DISCARD_KEYS,
                    frame.buffer_mut(),
                );
                Line::from("")
            }
            Phase::Checking { .. } => {
                hint_line(" Checking the server copy before saving… (Esc stops waiting)")
            }
            Phase::Saving { .. } => hint_line(" Saving… (Esc stops waiting)"),
            Phase::Conflict { .. } => {
                ask_line(" Changed on the server: m keeps yours, t keeps theirs, Esc goes back ")
            }
        },
        None if pane.choosing_kind => {
            overlay::confirm(
                body,
                Anchor::Center,
                "Add which?",
                "",
                "e email · p phone · any other key cancels",
                frame.buffer_mut(),
            );
            Line::from("")
        }
        None => hint_line(&keys.hints(
            Scope::Contacts,
            &[
                (&[Action::Edit, Action::Open], "edit"),
                (&[Action::Add], "add"),
                (&[Action::Primary], "make primary"),
                (&[Action::Refresh], "refresh"),
                (&[Action::Back], "clients"),
                (&[Action::Help], "help"),
            ],
        )),
    };
    frame.render_widget(Paragraph::new(hint), footer);
}

/// A message wrapped to the room under a field (at least one line).
fn wrap_msg(msg: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    crate::render::wrap::wrap_line(&format!("⚠ {msg}"), width.max(1), &mut |l| out.push(l));
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Width left for a message under a field of a form `width` columns wide.
fn msg_width(width: u16) -> usize {
    width.saturating_sub(2 + LABEL_W) as usize
}

/// Rows the form needs at `width`: borders, type, four fields, and the lines of each message.
pub fn form_height(f: &Form, width: u16) -> usize {
    let w = msg_width(width);
    let errors: usize = [
        &f.label.error,
        &f.value.error,
        &f.owners_error,
        &f.primary_error,
        &f.general_error,
    ]
    .iter()
    .filter_map(|e| e.as_ref())
    .map(|e| wrap_msg(e, w).len())
    .sum();
    // The owners' linked line (clients or what Plannr said), and the primaries' when any.
    let linked = 1 + usize::from(f.linked_start() < f.accounts.len());
    2 + 1 + 4 + linked + errors
}

const LABEL_W: u16 = 13;

fn field_label(text: &str, focused: bool) -> Span<'static> {
    if focused {
        Span::styled(
            format!("›{text:<w$}", w = LABEL_W as usize - 1),
            Style::new().fg(th().highlight).bold(),
        )
    } else {
        Span::styled(
            format!(" {text:<w$}", w = LABEL_W as usize - 1),
            Style::new().fg(th().muted),
        )
    }
}

fn error_lines(msg: &str, width: u16) -> Vec<Line<'static>> {
    wrap_msg(msg, msg_width(width))
        .into_iter()
        .map(|l| {
            Line::from(vec![
                Span::raw(" ".repeat(LABEL_W as usize)),
                Span::styled(l, Style::new().fg(th().error)),
            ])
        })
        .collect()
}

fn draw_form(f: &Form, area: Rect, frame: &mut Frame) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    frame.render_widget(Clear, area);
    let title = if f.is_new() {
        format!(" New {} for {} ", f.kind.label(), f.client_name)
    } else {
        format!(" Edit {} · {} ", f.kind.label(), f.label.original)
    };
    let mut block = Block::bordered()
        .border_style(Style::new().fg(th().highlight))
        .title(Span::styled(title, Style::new().bold()));
    // Where the eyes are: the save in progress shows on the form itself, not only in the footer.
    let note = match f.phase {
        Phase::Checking { .. } => Some(" checking the server copy… "),
        Phase::Saving { .. } => Some(" saving… "),
        _ if f.changed() => Some(" unsaved — kept as a draft "),
        _ => None,
    };
    if let Some(note) = note {
        block = block.title_bottom(Span::styled(note, Style::new().fg(th().highlight)));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut y = inner.y;
    let bottom = inner.bottom();
    let line = |content: Line<'static>, frame: &mut Frame, y: &mut u16| -> Option<Rect> {
        if *y >= bottom {
            return None;
        }
        let r = Rect {
            y: *y,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(content), r);
        *y += 1;
        Some(r)
    };
    let editing = f.phase == Phase::Editing;
    line(
        Line::from(vec![
            field_label("Type", false),
            Span::styled(
                format!("{} (cannot change)", f.kind.label()),
                Style::new().fg(th().dim),
            ),
        ]),
        frame,
        &mut y,
    );
    for (name, ed, focus) in [
        ("Label", &f.label, Focus::Label),
        ("Value", &f.value, Focus::Value),
    ] {
        let focused = f.focus == focus && editing;
        if let Some(r) = line(Line::from(field_label(name, focused)), frame, &mut y) {
            let field = Rect {
                x: r.x + LABEL_W,
                width: r.width.saturating_sub(LABEL_W),
                ..r
            };
            draw_editor(ed, focused, field, frame);
        }
        for l in ed.error.iter().flat_map(|e| error_lines(e, area.width)) {
            line(l, frame, &mut y);
        }
    }
    for (name, list, focus, err) in [
        ("Owners", &f.owners, Focus::Owners, &f.owners_error),
        (
            "Primary for",
            &f.primaries,
            Focus::Primary,
            &f.primary_error,
        ),
    ] {
        let focused = f.focus == focus && editing;
        let chip = |i: usize, uuid: &String, name: &String| {
            let ticked = list.contains(uuid);
            let mut style = Style::new();
            if focus == Focus::Primary && !f.owners.contains(uuid) && !ticked {
                style = style.fg(th().dim);
            }
            if focused && i == f.cursor {
                style = style.add_modifier(Modifier::REVERSED);
            }
            [
                Span::styled(
                    format!("[{}] {name}", if ticked { "x" } else { " " }),
                    style,
                ),
                Span::raw("  "),
            ]
        };
        // The accounts already tied to this client, then (own section) its linked clients.
        let start = f.linked_start();
        let mut spans = vec![field_label(name, focused)];
        for (i, (uuid, name)) in f.accounts.iter().enumerate().take(start) {
            spans.extend(chip(i, uuid, name));
        }
        line(Line::from(spans), frame, &mut y);
        let mut linked = vec![Span::styled(
            format!("  {:<w$}", "linked", w = LABEL_W as usize - 2),
            Style::new().fg(th().dim),
        )];
        for (i, (uuid, name)) in f.accounts.iter().enumerate().skip(start) {
            linked.extend(chip(i, uuid, name));
        }
        if focus == Focus::Owners {
            let said = match &f.linked {
                Linked::Asking => Some("asking Plannr for linked clients…".to_string()),
                Linked::Found(u) if u.is_empty() => Some("Plannr lists no linked clients".into()),
                Linked::Found(_) if start == f.accounts.len() => {
                    Some("the linked clients Plannr lists are offered above".into())
                }
                Linked::Found(_) => None,
                Linked::Failed(why) => Some(format!("linked clients unknown: {why}")),
            };
            if let Some(text) = said {
                linked.push(Span::styled(text, Style::new().fg(th().dim)));
            }
        }
        if linked.len() > 1 {
            line(Line::from(linked), frame, &mut y);
        }
        for l in err.iter().flat_map(|e| error_lines(e, area.width)) {
            line(l, frame, &mut y);
        }
    }
    for l in f
        .general_error
        .iter()
        .flat_map(|e| error_lines(e, area.width))
    {
        line(l, frame, &mut y);
    }
}

fn draw_editor(ed: &InlineEditor, focused: bool, area: Rect, frame: &mut Frame) {
    if area.width == 0 {
        return;
    }
    if focused {
        frame.render_widget(&ed.textarea, area);
    } else {
        frame.render_widget(Paragraph::new(ed.text()), area);
    }
}

/// Only the fields changed both here and on the server, side by side: what it was when the form
/// opened, yours, theirs (marked ≠). Everything changed on one side only is already merged.
fn draw_conflict(
    f: &Form,
    theirs: &ContactDetail,
    fields: &[Field],
    area: Rect,
    frame: &mut Frame,
) {
    let rect = widgets::centered(area, 100, (fields.len() as u16).saturating_add(3));
    if rect.width < 4 || rect.height < 3 {
        return;
    }
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(Style::new().fg(th().error))
        .title(Span::styled(
            " Changed both here and on the server ",
            Style::new().bold(),
        ))
        .title_bottom(" m keep mine · t keep theirs · Esc back (the rest is merged) ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let names = |uuids: &[String]| {
        if uuids.is_empty() {
            "—".to_string()
        } else {
            uuids
                .iter()
                .map(|u| f.name_of(u))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mine = f.fields();
    // After the conflict check the form's base is the server copy just read.
    let t = &f.initial;
    let cell = |x: Field, v: &crate::app::contacts::drafts::Fields| match x {
        Field::Label => v.label.clone(),
        Field::Value => v.value.clone(),
        Field::Owners => names(&v.owners),
        Field::Primaries => names(&v.primaries),
    };
    let mark = Style::new().fg(th().highlight).bold();
    let rows: Vec<Row> = fields
        .iter()
        .map(|&x| {
            Row::new(vec![
                Cell::from(Span::styled(format!("≠ {}", x.label()), mark)),
                Cell::from(Span::styled(cell(x, &mine), mark)),
                Cell::from(Span::styled(cell(x, t), mark)),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(14),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ],
    )
    .header(
        Row::new(vec![
            "".to_string(),
            "Yours".to_string(),
            format!("Theirs ({})", crate::clock::full_of(&theirs.updated_at)),
        ])
        .style(Style::new().bold().underlined()),
    );
    frame.render_widget(table, inner);
}

#[cfg(test)]
mod tests;
