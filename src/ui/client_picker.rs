//! Drawing of the client picker shared by the Mail and Contacts panes (`app::client_picker`).
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, TableState};

use super::columns::{self, Col, Text};
use super::widgets;
use crate::api::models::{Account, ContactDetail};
use crate::app::client_picker::ClientPicker;
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

use super::widgets::{EdgeTail, edge_note};

fn value(d: Option<&ContactDetail>, fallback: &str) -> String {
    let v = d.map(|d| d.display_value()).unwrap_or_default();
    let v = if v.is_empty() { fallback } else { v };
    if v.is_empty() { "—".into() } else { v.into() }
}

/// The name first; the phone and the role give way before the address.
const COLUMNS: [Col; 4] = [
    Col::text("Name", 12, 28, 3, 10).middle(),
    Col::text("Email", 12, 30, 3, 8).middle(),
    Col::text("Phone", 8, 16, 1, 5),
    Col::fixed("Role", 4, 10, 2),
];

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
        edge_note(&p.clients, 'R', EdgeTail::MoreBelow)
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
        let rows: Vec<Vec<Text>> = p.clients.items[window]
            .iter()
            .map(|a| {
                let mut name = Text::plain(a.display_name());
                if (look.draft)(a) {
                    name = name.mark(Span::styled(" ✎ draft", Style::new().fg(th().highlight)));
                }
                let mut cells = vec![
                    name,
                    Text::plain(value(a.primary_email.as_deref(), &a.email)),
                    Text::plain(value(a.primary_phone_number.as_deref(), "")),
                ];
                if roles {
                    cells.push(Text::plain(a.role.clone()));
                }
                cells
            })
            .collect();
        let columns = if roles { 4 } else { 3 };
        let (table, _) = columns::table(&COLUMNS[..columns], rows, body.width);
        let table = table.row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
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

    /// Issue 15: a long address was clipped by the table with no mark ("amelia.lloyd@virginmedia."
    /// looked like a real address). Every width shows it whole or cut with `…`.
    #[test]
    fn a_cut_address_always_shows_the_ellipsis() {
        let mut p = ClientPicker::new(
            25,
            Route::Mail(crate::app::mail::Route::Clients),
            Tab::Mail,
            "R",
        );
        let email = "amelia.lloyd@virginmedia.co.uk";
        p.clients.items = vec![Account {
            uuid: "c1".into(),
            name: "Amelia Lloyd".into(),
            email: email.into(),
            ..Account::default()
        }];
        p.clients.edge = Edge::End;
        let look = Look {
            title: " Clients",
            note: String::new(),
            hint: "",
            draft: &|_| false,
        };
        for w in 20..=100 {
            let mut t = Terminal::new(TestBackend::new(w, 6)).expect("terminal");
            t.draw(|f| {
                let [header, body, footer] = widgets::header_body_footer(f.area());
                draw(&p, &look, header, body, footer, f);
            })
            .expect("draw");
            let buf = t.backend().buffer();
            let row: String = (0..w).map(|x| buf[(x, 2)].symbol().to_string()).collect();
            let cells: Vec<&str> = row.split_whitespace().collect();
            let shown = cells
                .iter()
                .find(|c| c.contains('@') || c.starts_with("amelia"))
                .copied();
            if let Some(shown) = shown {
                assert!(
                    shown == email || shown.contains('…'),
                    "at {w} columns the address reads {shown:?}: {row:?}"
                );
            }
        }
    }
}
