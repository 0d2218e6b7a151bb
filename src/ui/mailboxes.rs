//! Mailboxes pane drawing.
use crate::keymap::{Action, Scope};
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::overlay::{self, Anchor};
use super::widgets;
use crate::app::Core;
use crate::app::mailboxes::{MailboxesPane, StateTone, describe_state};
use crate::render::wrap::truncate_to_width;

pub fn draw(pane: &MailboxesPane, core: &Core, area: Rect, frame: &mut Frame) {
    let [header, table_area, footer] = widgets::header_body_footer(area);
    let title = match (&pane.error, pane.loading.is_some()) {
        (_, true) if pane.rows.is_empty() => " Mailboxes — loading…".to_string(),
        (Some(e), _) if pane.rows.is_empty() => {
            format!(" Mailboxes — could not load: {e} (R retries)")
        }
        _ => format!(" Mailboxes ({})", pane.rows.len()),
    };
    frame.render_widget(
        Paragraph::new(Span::styled(title, Style::new().bold())),
        header,
    );

    let widths = [
        Constraint::Fill(2),
        Constraint::Fill(2),
        Constraint::Length(7),
        Constraint::Fill(2),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Fill(1),
    ];
    // The same split the table makes, so long cells end in "…" instead of being clipped.
    let cols: Vec<usize> = Layout::horizontal(widths)
        .spacing(1)
        .split(table_area)
        .iter()
        .map(|r| r.width as usize)
        .collect();
    let fit = |s: &str, col: usize| truncate_to_width(s, cols.get(col).copied().unwrap_or(0));
    let rows: Vec<Row> = pane
        .rows
        .iter()
        .map(|row| {
            let m = &row.mailbox;
            let (words, tone) = describe_state(&m.state);
            let colour = match tone {
                StateTone::Good => th().ok,
                StateTone::Busy => th().highlight,
                StateTone::Bad => th().error,
                StateTone::Muted => th().dim,
            };
            let (name, saving) = pane.shown_name(row);
            let name = if saving {
                format!("{name} (saving…)")
            } else if pane.has_draft(&m.uuid) {
                // Unsaved rename text is held for this mailbox: r reopens it.
                format!("{name} ✎")
            } else {
                name
            };
            let enabled = match row.pending_enabled {
                Some((true, _)) => Span::styled("enabling…", Style::new().fg(th().highlight)),
                Some((false, _)) => Span::styled("disabling…", Style::new().fg(th().highlight)),
                None if m.is_enabled() => Span::styled("yes", Style::new().fg(th().ok)),
                None => Span::styled("no", Style::new().fg(th().dim)),
            };
            let count = m
                .message_count
                .map(|c| c.to_string())
                .unwrap_or_else(|| "—".into());
            Row::new(vec![
                Cell::from(fit(&name, 0)),
                Cell::from(fit(&m.email, 1)),
                Cell::from(fit(&m.kind, 2)),
                Cell::from(Span::styled(fit(&words, 3), Style::new().fg(colour))),
                Cell::from(enabled),
                Cell::from(Line::from(count).right_aligned()),
                Cell::from(fit(&m.owner_name().unwrap_or_else(|| "—".into()), 6)),
            ])
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(
            Row::new([
                "Name", "Address", "Type", "State", "Enabled", "Messages", "Owner",
            ])
            .style(Style::new().bold().underlined()),
        )
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut st = TableState::default()
        .with_selected(Some(pane.nav.selected))
        .with_offset(pane.nav.offset);
    frame.render_stateful_widget(table, table_area, &mut st);

    // The row being renamed (or asked about) stays in view; the box opens under it.
    let row_y = table_area.y + 1 + pane.nav.selected.saturating_sub(pane.nav.offset) as u16;
    let anchor = Anchor::Row {
        x: table_area.x,
        y: row_y,
    };
    if let Some(r) = pane.rename.as_ref().filter(|r| r.open) {
        overlay::editor(
            table_area,
            anchor,
            "Rename mailbox",
            "Enter save · Esc cancel",
            &r.editor,
            frame,
        );
        if r.confirm_discard {
            overlay::confirm(
                table_area,
                Anchor::Center,
                overlay::DISCARD_QUESTION,
                "",
                overlay::DISCARD_KEYS,
                frame.buffer_mut(),
            );
        }
    }

    let hint = if let Some(uuid) = &pane.confirm_disable {
        let name = pane
            .rows
            .iter()
            .find(|r| &r.mailbox.uuid == uuid)
            .map(|r| r.mailbox.name.as_str())
            .unwrap_or("");
        overlay::confirm(
            table_area,
            anchor,
            &format!("Disable {name}?"),
            "It stops syncing new mail.",
            "y/Enter disables · any other key keeps it",
            frame.buffer_mut(),
        );
        Line::from("")
    } else if pane.rename.as_ref().is_some_and(|r| r.open) {
        Line::from(" Ctrl-A/E/W/U, Alt-B/F move and delete · Ctrl-Z undo").fg(th().dim)
    } else {
        Line::from(core.settings.keys.hints(
            Scope::Mailboxes,
            &[
                (&[Action::Toggle], "enable/disable"),
                (&[Action::Rename], "rename"),
                (&[Action::Open], "open mail"),
                (&[Action::Refresh], "refresh"),
                (&[Action::Help], "help"),
            ],
        ))
        .fg(th().dim)
    };
    frame.render_widget(Paragraph::new(hint), footer);
    let _ = core;
}
