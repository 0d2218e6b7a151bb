//! Mailboxes pane drawing.
use crate::keymap::{Action, Scope};
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, TableState};

use super::columns::{self, Col, Text};
use super::overlay::{self, Anchor};
use super::widgets;
use crate::app::Core;
use crate::app::mailboxes::{MailboxesPane, StateTone, describe_state};

/// Name and address matter most (they keep 12 and 14 columns while anything else is shown);
/// Type, Enabled and Owner give way first.
const COLUMNS: [Col; 7] = [
    Col::text("Name", 12, 30, 3, 10).middle(),
    Col::text("Address", 14, 32, 2, 9).middle(),
    Col::fixed("Type", 4, 7, 1),
    Col::text("State", 9, 16, 1, 8),
    Col::fixed("Enabled", 3, 10, 2),
    Col::fixed("Messages", 5, 8, 4).right(),
    Col::text("Owner", 5, 16, 1, 3),
];

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

    let rows: Vec<Vec<Text>> = pane
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
                Text::plain(name).mark(Span::styled(" (saving…)", Style::new().fg(th().highlight)))
            } else if pane.has_draft(&m.uuid) {
                // Unsaved rename text is held for this mailbox: r reopens it.
                Text::plain(name).mark(Span::raw(" ✎"))
            } else {
                Text::plain(name)
            };
            let enabled = match row.pending_enabled {
                Some((true, _)) => Text::styled("enabling…", Style::new().fg(th().highlight)),
                Some((false, _)) => Text::styled("disabling…", Style::new().fg(th().highlight)),
                None if m.is_enabled() => Text::styled("yes", Style::new().fg(th().ok)),
                None => Text::styled("no", Style::new().fg(th().dim)),
            };
            let count = m
                .message_count
                .map(|c| c.to_string())
                .unwrap_or_else(|| "—".into());
            vec![
                name,
                Text::plain(m.email.clone()),
                Text::plain(m.kind.clone()),
                Text::styled(words, Style::new().fg(colour)),
                enabled,
                Text::plain(count),
                Text::plain(m.owner_name().unwrap_or_else(|| "—".into())),
            ]
        })
        .collect();
    let (table, _) = columns::table(&COLUMNS, rows, table_area.width);
    let table = table.row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
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
    if let Some(r) = pane.renames.open_editor() {
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

    let hints = core.settings.keys.hints(
        Scope::Mailboxes,
        &[
            (&[Action::Toggle], "enable/disable"),
            (&[Action::Rename], "rename"),
            (&[Action::Open], "open mail"),
            (&[Action::Refresh], "refresh"),
            (&[Action::Help], "help"),
        ],
    );
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
        ""
    } else if pane.renames.open_editor().is_some() {
        " Ctrl-A/E/W/U, Alt-B/F move and delete · Ctrl-Z undo"
    } else {
        &hints
    };
    widgets::hint(hint, footer, frame.buffer_mut());
}
