//! Drawing of the client picker shared by the Mail and Contacts panes (`app::client_picker`).
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::widgets;
use crate::api::models::{Account, ContactDetail};
use crate::app::client_picker::ClientPicker;
use crate::app::paged::{Edge, Paged};
use crate::render::wrap::truncate_to_width;

/// Where the two panes' pickers differ.
pub struct Look<'a> {
    /// The start of the header (" Mail — choose a client").
    pub title: &'a str,
    /// Appended to the header after the search (e.g. the mailbox filter).
    pub note: String,
    /// The footer while the search box is closed (the pane's keys).
    pub hint: &'a str,
    /// Clients marked "✎ draft" (an unsaved draft waits for them).
    pub draft: &'a dyn Fn(&Account) -> bool,
}

/// What the end of a list looks like: loading, failed (`retry` is the key), or more to come.
pub fn edge_note<T>(p: &Paged<T>, retry: char) -> String {
    match &p.edge {
        // Paging ended early because the server would have kept "more" coming: say why.
        Edge::End if p.note.is_some() => format!(" — {}", p.note.as_deref().unwrap_or("")),
        Edge::Loading { .. } if p.items.is_empty() => " — loading…".into(),
        Edge::Loading { .. } => " — loading more…".into(),
        Edge::Failed { message, .. } => format!(" — could not load: {message} ({retry} retries)"),
        Edge::Idle if p.loaded > 0 => " — more below".into(),
        _ => String::new(),
    }
}

fn value(d: Option<&ContactDetail>, fallback: &str) -> String {
    let v = d.map(|d| d.display_value()).unwrap_or_default();
    let v = if v.is_empty() { fallback } else { v };
    if v.is_empty() { "—".into() } else { v.into() }
}

pub fn draw(
    p: &ClientPicker,
    look: &Look,
    header: Rect,
    body: Rect,
    footer: Rect,
    frame: &mut Frame,
) {
    let search = if p.filter.is_empty() {
        String::new()
    } else {
        format!(" · name contains “{}”", p.filter)
    };
    let shown = p.clients.items.len();
    let count = format!(
        " ({})",
        widgets::count_text(None, shown, p.clients.total, p.clients.is_complete())
    );
    let text = format!(
        "{}{count}{search}{}{}",
        look.title,
        look.note,
        edge_note(&p.clients, 'R')
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            truncate_to_width(&text, usize::from(header.width)),
            Style::new().bold(),
        )),
        header,
    );

    if p.clients.items.is_empty() && p.clients.is_complete() {
        let msg = if p.filter.is_empty() {
            " No clients in this account.".to_string()
        } else {
            format!(
                " No client's name contains “{}”. / to change the search, Esc to clear it.",
                p.filter
            )
        };
        widgets::hint(&msg, body, frame.buffer_mut());
    } else {
        // The Role column only when some client has one (it would be a blank strip otherwise).
        let roles = p.clients.items.iter().any(|a| !a.role.is_empty());
        // Only the rows on screen: the list grows as pages load.
        let window = widgets::visible_rows(shown, p.nav.offset, p.nav.selected, body.height);
        let first = window.start;
        let rows: Vec<Row> = p.clients.items[window]
            .iter()
            .map(|a| {
                let mut name = vec![Span::raw(a.display_name())];
                if (look.draft)(a) {
                    name.push(Span::styled(" ✎ draft", Style::new().fg(th().highlight)));
                }
                let mut cells = vec![
                    Cell::from(Line::from(name)),
                    Cell::from(value(a.primary_email.as_deref(), &a.email)),
                    Cell::from(value(a.primary_phone_number.as_deref(), "")),
                ];
                if roles {
                    cells.push(Cell::from(a.role.clone()));
                }
                Row::new(cells)
            })
            .collect();
        let widths = [
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(10),
        ];
        let titles = ["Name", "Email", "Phone", "Role"];
        let columns = if roles { 4 } else { 3 };
        let table = Table::new(rows, &widths[..columns])
            .header(
                Row::new(titles[..columns].iter().copied()).style(Style::new().bold().underlined()),
            )
            .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let mut st = TableState::default()
            .with_selected((!p.clients.items.is_empty()).then_some(p.nav.selected - first));
        frame.render_stateful_widget(table, body, &mut st);
    }

    match &p.search {
        Some(e) => widgets::labelled_editor(" Client name: ", e, footer, frame),
        None => widgets::hint(look.hint, footer, frame.buffer_mut()),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::paged::Edge;
    use crate::app::{Route, Tab};

    #[test]
    fn draws_only_the_rows_on_screen_of_a_long_list() {
        let mut p = ClientPicker::new(
            25,
            Route::Mail(crate::app::mail::Route::Clients),
            Tab::Mail,
            "R",
        );
        p.clients.items = (0..5000)
            .map(|i| Account {
                uuid: format!("c{i}"),
                name: format!("Client {i}"),
                ..Account::default()
            })
            .collect();
        p.clients.edge = Edge::End;
        p.nav.selected = 2500;
        p.nav.offset = 2490;
        let asked = Cell::new(0usize);
        let draft = |_: &Account| {
            asked.set(asked.get() + 1);
            false
        };
        let look = Look {
            title: " Clients",
            note: String::new(),
            hint: "",
            draft: &draft,
        };
        let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        t.draw(|f| {
            let [header, body, footer] = widgets::header_body_footer(f.area());
            draw(&p, &look, header, body, footer, f);
        })
        .expect("draw");
        assert!(
            asked.get() <= 24,
            "built {} rows for 22 on screen",
            asked.get()
        );
        let screen = format!("{:?}", t.backend());
        assert!(screen.contains("Client 2490"), "{screen}");
        assert!(screen.contains("Client 2500"), "{screen}");
    }
}
