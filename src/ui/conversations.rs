//! Conversations pane drawing: the list, or the open conversation. Reads state only; the columns
//! and wrapped lines were computed when the data arrived, so this copies and cuts strings.
use crate::keymap::{Action, Scope};
use crate::ui::theme::th;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState};

use super::columns::{self, Col, Text};
use super::overlay::{self, Anchor};
use super::widgets;
use crate::api::models::Archived;
use crate::app::Core;
use crate::app::conversations::facts::{case_line, tags_line};
use crate::app::conversations::view::{ConvView, INDENT, LineKind, QUOTE};
use crate::app::conversations::{ConversationsPane, NameMark};
use crate::app::paged::Edge;
use crate::clock;
use crate::render::wrap::truncate_to_width;

/// The name first, then when and the last message; the people and the count give way first.
const COLUMNS: [Col; 6] = [
    Col::fixed("", 1, 1, 10),
    Col::text("Name", 14, 24, 3, 9).middle(),
    Col::text("With", 8, 14, 2, 6),
    Col::text("Last message", 10, 20, 4, 7),
    // "12 Mar 2025", the longest short time: never cut.
    Col::fixed("When", 11, 11, 8).right(),
    Col::fixed("Msgs", 4, 5, 3).right(),
];

pub fn draw(pane: &ConversationsPane, core: &Core, area: Rect, frame: &mut Frame) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    match &pane.open {
        Some(v) => draw_view(pane, v, core, area, frame),
        None => draw_list(pane, core, area, frame),
    }
}

fn list_title(pane: &ConversationsPane) -> String {
    let which = if pane.archived == Archived::Active {
        "Conversations"
    } else {
        "Archived conversations"
    };
    let loaded = pane.list.items.len();
    let (total, complete) = (pane.list.total, pane.list.is_complete());
    let mut t = match pane.filter_query() {
        Some(q) => format!(
            " {which} — “{q}” ({}; no server search)",
            widgets::count_text(Some(pane.view.len()), loaded, total, complete)
        ),
        None if pane.list.loaded == 0 => format!(" {which}"),
        None => format!(
            " {which} ({})",
            widgets::count_text(None, loaded, total, complete)
        ),
    };
    match &pane.list.edge {
        _ if pane.refreshing.is_some() => t.push_str(" · refreshing…"),
        Edge::Loading { page, .. } if *page > 1 => t.push_str(" · loading more…"),
        Edge::Failed { page, .. } if *page > 1 => {
            t.push_str(" · a page failed to load (R retries)")
        }
        Edge::End => {
            if let Some(n) = &pane.list.note {
                t.push_str(&format!(" · {n}"));
            }
        }
        _ => {}
    }
    t
}

fn draw_list(pane: &ConversationsPane, core: &Core, area: Rect, frame: &mut Frame) {
    let [header, table_area, footer] = widgets::header_body_footer(area);
    let title = truncate_to_width(&list_title(pane), header.width as usize);
    frame.render_widget(
        Paragraph::new(Span::styled(title, Style::new().bold())),
        header,
    );

    if pane.list.items.is_empty() {
        let msg = match &pane.list.edge {
            Edge::Loading { .. } | Edge::Idle => " Loading conversations…".to_string(),
            Edge::Failed { message, .. } => {
                format!(" Could not load conversations: {message}. Press R to try again.")
            }
            Edge::End if pane.archived == Archived::Active => " No conversations.".to_string(),
            Edge::End => " No archived conversations. Press a for the active ones.".to_string(),
        };
        frame.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: false }),
            table_area,
        );
    } else if pane.view.is_empty() {
        widgets::hint(
            " Nothing loaded matches. Scroll the unfiltered list to load more, or Esc to clear.",
            table_area,
            frame.buffer_mut(),
        );
    } else {
        draw_table(pane, core, table_area, frame);
    }

    let editing_filter = pane.filter.as_ref().is_some_and(|f| f.editing);
    if let Some(f) = pane.filter.as_ref().filter(|_| editing_filter) {
        let [label, field] =
            Layout::horizontal([Constraint::Length(9), Constraint::Min(0)]).areas(footer);
        frame.render_widget(
            Paragraph::new(Span::styled(" Filter: ", Style::new().fg(th().highlight))),
            label,
        );
        widgets::inline_editor(&f.editor, field, frame);
    } else {
        let list_hint = core.settings.keys.hints(
            Scope::Conversations,
            &[
                (&[Action::Open], "open"),
                (&[Action::Rename], "rename"),
                (&[Action::Search], "filter"),
                (&[Action::Archived], "archived"),
                (&[Action::Pin], "pin"),
                (&[Action::Refresh], "refresh"),
                (&[Action::Help], "help"),
            ],
        );
        let hint = if pane.editing_uuid().is_some() {
            " Ctrl-A/E Alt-B/F move · Ctrl-W/U delete · Ctrl-Z undo"
        } else {
            &list_hint
        };
        widgets::hint(hint, footer, frame.buffer_mut());
    }
}

/// " #Mortgage #Pension ⚑finance": a list row's tags and case, or "".
fn conv_facts(c: &crate::api::models::Conversation) -> String {
    let mut out = String::new();
    for t in c.tags.iter().filter(|t| !t.name.is_empty()) {
        out.push_str(" #");
        out.push_str(&t.name);
    }
    if let Some(case) = case_line(c) {
        out.push_str(" ⚑");
        out.push_str(&case);
    }
    out
}

fn draw_table(pane: &ConversationsPane, core: &Core, area: Rect, frame: &mut Frame) {
    let h = area.height.saturating_sub(1) as usize;
    let rows: Vec<Vec<Text>> = pane
        .view
        .iter()
        .skip(pane.nav.offset)
        .take(h)
        .filter_map(|&i| pane.list.items.get(i))
        .map(|row| {
            let (name, mark) = pane.shown_name(&row.conv.uuid, &row.conv.name);
            let name_cell = match mark {
                // Tags and the case after the name, dimmed (seed 002); they give way to the name.
                NameMark::None => Text::plain(name).tail(Span::styled(
                    conv_facts(&row.conv),
                    Style::new().fg(th().dim),
                )),
                NameMark::Saving => Text::plain(name)
                    .mark(Span::styled(" saving…", Style::new().fg(th().highlight))),
                NameMark::Unsaved => Text::plain(name).mark(Span::styled(
                    " ⚠ not saved (r)",
                    Style::new().fg(th().error),
                )),
            };
            let pin = match (
                pane.shown_pinned(row),
                pane.pins.contains_key(&row.conv.uuid),
            ) {
                (true, false) => Text::styled("★", Style::new().fg(th().highlight)),
                (true, true) => Text::styled("☆", Style::new().fg(th().highlight)),
                (false, true) => Text::styled("·", Style::new().fg(th().dim)),
                (false, false) => Text::plain(" "),
            };
            let when = row
                .activity
                .map(|t| clock::short(t, core.now))
                .unwrap_or_default();
            let count = row
                .conv
                .messages_count
                .map(|c| c.to_string())
                .unwrap_or_default();
            vec![
                pin,
                name_cell,
                Text::styled(row.participants.clone(), Style::new().fg(th().accent)),
                Text::styled(row.preview.clone(), Style::new().fg(th().muted)),
                Text::plain(when),
                Text::plain(count),
            ]
        })
        .collect();
    let (table, widths) = columns::table(&COLUMNS, rows, area.width);
    let table = table.row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut st = TableState::default()
        .with_selected(Some(pane.nav.selected.saturating_sub(pane.nav.offset)));
    frame.render_stateful_widget(table, area, &mut st);

    // The rename editor opens in a box under the selected row, which stays in view.
    if let Some(r) = pane
        .selected()
        .and_then(|row| pane.editor_for(&row.conv.uuid))
    {
        let y = area.y + 1 + pane.nav.selected.saturating_sub(pane.nav.offset) as u16;
        let x = area.x + columns::offset(&widths, 1);
        rename_box(r, area, Anchor::Row { x, y }, frame);
    }
}

/// The rename editor in its box, and the discard question over it when Esc asked.
fn rename_box(r: &crate::app::rename::Rename, area: Rect, anchor: Anchor, frame: &mut Frame) {
    overlay::editor(
        area,
        anchor,
        "Rename conversation",
        "Enter save · Esc cancel",
        &r.editor,
        frame,
    );
    if r.confirm_discard {
        overlay::confirm(
            area,
            Anchor::Center,
            overlay::DISCARD_QUESTION,
            "",
            overlay::DISCARD_KEYS,
            frame.buffer_mut(),
        );
    }
}

fn draw_view(pane: &ConversationsPane, v: &ConvView, core: &Core, area: Rect, frame: &mut Frame) {
    let [header, body, footer] = widgets::header_body_footer(area);
    let (name, mark) = pane.shown_name(&v.conv.uuid, &v.conv.name);
    let row = pane.row(&v.conv.uuid);
    let pinned = row
        .map(|r| pane.shown_pinned(r))
        .unwrap_or(v.conv.pinned.unwrap_or(false));
    let mut spans = vec![Span::styled(
        format!(" {}{name}", if pinned { "★ " } else { "" }),
        Style::new().bold(),
    )];
    match mark {
        NameMark::Saving => spans.push(Span::styled(" saving…", Style::new().fg(th().highlight))),
        NameMark::Unsaved => spans.push(Span::styled(
            " ⚠ not saved (r)",
            Style::new().fg(th().error),
        )),
        NameMark::None => {}
    }
    let mut facts = Vec::new();
    // The load state first: the other facts may not all fit, and `g` pages to the start.
    let loaded = v.pages.items.len();
    match (&v.pages.edge, v.conv.messages_count) {
        (Edge::Loading { page: 1, .. }, _) => facts.push("loading…".into()),
        (Edge::Loading { .. }, n) => {
            // The count is Plannr's word: shown only when it is not below what came.
            let n = n
                .and_then(|n| usize::try_from(n).ok())
                .filter(|&n| n >= loaded);
            facts.push(match n {
                Some(n) => format!("loading older… {loaded} of {n}"),
                None => "loading older…".into(),
            })
        }
        (Edge::Failed { .. }, _) => facts.push("could not load (R retries)".into()),
        (Edge::End, _) if v.top(ConvView::rows(core)) == 0 => facts.push("from the start".into()),
        _ => {}
    }
    let tags = tags_line(&v.conv);
    if !tags.is_empty() {
        facts.push(format!("tags: {tags}"));
    }
    if let Some(case) = case_line(&v.conv) {
        facts.push(format!("case: {case}"));
    }
    if v.conv.is_admin == Some(false) {
        facts.push("only its admins can rename it".into());
    }
    if let Some(p) = row
        .map(|r| r.participants.clone())
        .filter(|p| !p.is_empty())
    {
        facts.push(format!("with {p}"));
    }
    if let Some(n) = v.conv.messages_count {
        facts.push(format!("{n} message{}", if n == 1 { "" } else { "s" }));
    }
    if !facts.is_empty() {
        spans.push(Span::styled(
            format!(" · {}", facts.join(" · ")),
            Style::new().fg(th().dim),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), header);

    let h = body.height as usize;
    if v.pages.items.is_empty() {
        let msg = match (&v.pages.edge, &v.error) {
            (Edge::End, _) => " No messages yet.".to_string(),
            (Edge::Failed { message, .. }, _) => {
                format!(" Could not load the messages: {message}. Press R to try again.")
            }
            _ => " Loading messages…".to_string(),
        };
        frame.render_widget(Paragraph::new(msg), body);
    } else {
        let lines: Vec<Line> = v
            .slice(v.top(h), h)
            .into_iter()
            .map(|l| {
                let room = (body.width as usize).saturating_sub(INDENT as usize);
                match l.kind {
                    LineKind::Header => Line::from(Span::styled(
                        truncate_to_width(&l.text, body.width as usize),
                        Style::new().fg(th().accent).bold(),
                    )),
                    LineKind::Body
                    | LineKind::Meta(_)
                    | LineKind::Attachment { .. }
                    | LineKind::Link => {
                        Line::from(format!("  {}", truncate_to_width(&l.text, room)))
                    }
                    LineKind::Quote(d) => {
                        // One bar per level; the text was wrapped with room for them.
                        let bars = crate::render::wrap::quote_bars(d, usize::from(v.width));
                        let room = room.saturating_sub(QUOTE as usize * bars);
                        Line::from(Span::styled(
                            format!(
                                "  {}{}",
                                "│ ".repeat(bars),
                                truncate_to_width(&l.text, room)
                            ),
                            Style::new().fg(th().dim),
                        ))
                    }
                    LineKind::Notice | LineKind::Folded => Line::from(Span::styled(
                        format!("  {}", truncate_to_width(&l.text, room)),
                        Style::new().fg(th().dim).italic(),
                    )),
                    LineKind::Blank => Line::from(""),
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
    }

    if let Some(r) = pane.editor_for(&v.conv.uuid) {
        // Under the title it renames.
        let anchor = Anchor::Row {
            x: header.x,
            y: header.y,
        };
        rename_box(r, area, anchor, frame);
    }

    let hint = if pane.editor_for(&v.conv.uuid).is_some() {
        " Ctrl-A/E Alt-B/F move · Ctrl-W/U delete · Ctrl-Z undo".to_string()
    } else {
        let total = v.total_lines();
        let pos = ((v.top(h) + h).min(total) * 100)
            .checked_div(total)
            .map(|p| format!(" · {p}%"))
            .unwrap_or_default();
        let keys = core.settings.keys.hints(
            Scope::Conversations,
            &[
                (&[Action::Down, Action::Up], "scroll"),
                (&[Action::Top, Action::Bottom], "oldest/newest"),
                (&[Action::Rename], "rename"),
                (&[Action::Refresh], "retry"),
                (&[Action::Back], "back"),
            ],
        );
        format!("{keys}{pos}")
    };
    widgets::hint(&hint, footer, frame.buffer_mut());
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::api::models::{Account, Conversation, ConversationMessage};
    use crate::api::{ApiError, Page};
    use crate::app::{Call, Command, Msg, PlannrCall, PlannrReply, Reply, Settings, State, update};

    const NOW: i64 = 1_750_000_000; // 2025-06-15 15:06:40 UTC

    fn ts(ago: i64) -> String {
        let t = time::OffsetDateTime::from_unix_timestamp(NOW - ago)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }

    fn person(uuid: &str, name: &str) -> Account {
        Account {
            uuid: uuid.into(),
            name: name.into(),
            ..Account::default()
        }
    }

    fn conv(i: usize) -> Conversation {
        let names = [
            "Annual review",
            "Pension transfer — Hughes",
            "Welcome to Plannr",
            "Mortgage 2025",
            "Compliance checks",
            "ISA top-up",
        ];
        let people = [
            person("me", "Me"),
            person("a", "Gareth Thompson"),
            person("b", "Priya Shah"),
            person("c", "Tom Okafor"),
        ];
        Conversation {
            uuid: format!("c{i}"),
            name: format!("{} {}", names[i % names.len()], i),
            pinned: Some(i == 0),
            participants: people[..(2 + i % 3).min(4)].to_vec(),
            participants_count: Some(2 + (i % 3) as u64 + (i % 2) as u64 * 3),
            messages_count: Some((i * 7 % 40) as u64),
            latest_message: Some(ConversationMessage {
                uuid: format!("l{i}"),
                contents: Some(format!(
                    "<p>Can we move the meeting to Thursday? Item {i}</p>"
                )),
                created_at: ts(i as i64 * 5_000),
                author: Some(person("b", "Priya Shah")),
                ..ConversationMessage::default()
            }),
            ..Conversation::default()
        }
    }

    fn new_state(w: u16, h: u16) -> State {
        let mut s = State::new(
            Settings {
                list_page_size: 30,
                thread_page_size: 10,
                ..Settings::default()
            },
            Some("me".into()),
            (w, h),
        );
        s.core.now = NOW;
        s.core.account_label = "Me · Harbour Wealth".into();
        s
    }

    fn key(s: &mut State, code: KeyCode) -> Vec<Command> {
        update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn api_ids(cmds: &[Command]) -> Vec<(u64, Call)> {
        cmds.iter()
            .filter_map(|c| match c {
                Command::Api { id, call, .. } => Some((*id, call.clone())),
                _ => None,
            })
            .collect()
    }

    fn answer_last(
        s: &mut State,
        cmds: &[Command],
        result: Result<Reply, ApiError>,
    ) -> Vec<Command> {
        let (id, _) = api_ids(cmds).pop().expect("a request");
        update(s, Msg::Api { id, result })
    }

    fn list_state(w: u16, h: u16) -> State {
        let mut s = new_state(w, h);
        let cmds = key(&mut s, KeyCode::Char('3'));
        answer_last(
            &mut s,
            &cmds,
            Ok(Reply::Plannr(PlannrReply::Conversations(Page {
                items: (0..30).map(conv).collect(),
                total: Some(137),
                has_next: Some(true),
                ..Page::default()
            }))),
        );
        s.core.status = None;
        s
    }

    fn render(s: &State) -> Terminal<TestBackend> {
        let (w, h) = s.core.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        t.draw(|f| crate::ui::draw(s, f)).expect("draw");
        t
    }

    #[test]
    fn list_snapshots() {
        for (w, h) in [(40, 12), (80, 24), (120, 40)] {
            let mut s = list_state(w, h);
            key(&mut s, KeyCode::Char('j'));
            insta::assert_snapshot!(format!("list_{w}x{h}"), render(&s).backend());
        }
    }

    fn text_of(t: &Terminal<TestBackend>) -> Vec<String> {
        let buf = t.backend().buffer();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect()
            })
            .collect()
    }

    /// Issue 15: the rename editor covered the selected row (and the next); now it opens in a
    /// box under the row, and Esc with changes asks the one discard question, in the list and
    /// in an open conversation.
    #[test]
    fn rename_box_under_the_row_and_the_one_discard_question() {
        use crate::ui::overlay::{DISCARD_KEYS, DISCARD_QUESTION};
        let mut s = list_state(80, 24);
        key(&mut s, KeyCode::Char('j'));
        key(&mut s, KeyCode::Char('r'));
        key(&mut s, KeyCode::Char('!'));
        let rows = text_of(&render(&s));
        let row = rows
            .iter()
            .position(|r| r.contains("Hughes 1") && r.contains("13:43"))
            .expect("the row stays on screen");
        assert!(rows[row + 1].contains("┌ Rename conversation"), "{rows:#?}");
        assert!(rows[row + 2].contains("Hughes 1!"), "{rows:#?}");
        key(&mut s, KeyCode::Esc);
        let text = text_of(&render(&s)).join("\n");
        assert!(
            text.contains(DISCARD_QUESTION) && text.contains(DISCARD_KEYS),
            "{text}"
        );
        let mut s = open_state(80, 24);
        key(&mut s, KeyCode::Char('r'));
        key(&mut s, KeyCode::Char('!'));
        key(&mut s, KeyCode::Esc);
        let rows = text_of(&render(&s));
        assert!(
            rows[1].contains("Annual review 0"),
            "the title stays: {rows:#?}"
        );
        let text = rows.join("\n");
        assert!(
            text.contains(DISCARD_QUESTION) && text.contains(DISCARD_KEYS),
            "{text}"
        );
    }

    #[test]
    fn filter_snapshot() {
        let mut s = list_state(80, 24);
        key(&mut s, KeyCode::Char('/'));
        for c in "pension".chars() {
            key(&mut s, KeyCode::Char(c));
        }
        insta::assert_snapshot!("filter_80x24", render(&s).backend());
    }

    fn open_state(w: u16, h: u16) -> State {
        let mut s = list_state(w, h);
        let cmds = key(&mut s, KeyCode::Enter);
        let msgs: Vec<ConversationMessage> = (0..10)
            .map(|i| ConversationMessage {
                uuid: format!("m{i}"),
                contents: Some(match i % 3 {
                    0 => format!("Message {i}: the valuation came back, see attached.\n> earlier quote"),
                    1 => format!("Short reply {i}"),
                    _ => format!("A longer message {i} that goes on for a while so that it has to wrap onto a second line at 80 columns at least."),
                }),
                created_at: ts(i * 3600),
                author: Some(if i % 2 == 0 { person("b", "Priya Shah") } else { person("a", "Gareth Thompson") }),
                edited: Some(i == 1),
                ..ConversationMessage::default()
            })
            .collect();
        let more = answer_last(
            &mut s,
            &cmds,
            Ok(Reply::Plannr(PlannrReply::ConversationMessages(Page {
                items: msgs,
                has_next: Some(true),
                ..Page::default()
            }))),
        );
        if h >= 24 {
            assert!(
                api_ids(&more).iter().any(|(_, c)| matches!(
                    c,
                    Call::Plannr(PlannrCall::ConversationMessages { page: 2, .. })
                )),
                "older page asked ahead"
            );
        }
        s.core.status = None;
        s
    }

    #[test]
    fn loading_older_messages_shows_in_a_full_title_with_the_count() {
        // The bug: the load state came last among the title's facts, so with tags and people
        // it was cut off and `g` (which pages to the start) showed no progress at all.
        let mut s = open_state(80, 24);
        let v = s.conversations.open.as_mut().expect("open");
        v.conv.tags = ["Mortgage", "Pension", "Protection", "Urgent", "Compliance"]
            .iter()
            .map(|t| crate::api::models::Tag {
                name: t.to_string(),
                ..Default::default()
            })
            .collect();
        v.conv.messages_count = Some(198);
        let rows = text_of(&render(&s));
        assert!(
            rows[1].contains("loading older… 10 of 198"),
            "{:?}",
            rows[1]
        );
    }

    #[test]
    fn open_conversation_snapshots() {
        for (w, h) in [(80, 24), (120, 40)] {
            let s = open_state(w, h);
            insta::assert_snapshot!(format!("open_{w}x{h}"), render(&s).backend());
        }
    }

    fn rename_422_state(w: u16, h: u16) -> State {
        let mut s = list_state(w, h);
        key(&mut s, KeyCode::Char('j'));
        key(&mut s, KeyCode::Char('r'));
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        );
        for c in "Pension — do not use".chars() {
            key(&mut s, KeyCode::Char(c));
        }
        let cmds = key(&mut s, KeyCode::Enter);
        let mut errors = BTreeMap::new();
        errors.insert(
            "name".to_string(),
            vec!["The name has already been taken.".to_string()],
        );
        answer_last(
            &mut s,
            &cmds,
            Err(ApiError::Validation {
                message: "The given data was invalid.".into(),
                errors,
            }),
        );
        s
    }

    #[test]
    fn editor_with_validation_error_snapshots() {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut s = rename_422_state(w, h);
            insta::assert_snapshot!(format!("rename_422_{w}x{h}"), render(&s).backend());
            // The same error in the open conversation's title.
            key(&mut s, KeyCode::Esc);
            key(&mut s, KeyCode::Char('y'));
            let mut s2 = open_state(w, h);
            key(&mut s2, KeyCode::Char('r'));
            update(
                &mut s2,
                Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
            );
            let cmds = key(&mut s2, KeyCode::Enter);
            assert!(api_ids(&cmds).is_empty(), "blank is refused in the editor");
            insta::assert_snapshot!(format!("rename_blank_open_{w}x{h}"), render(&s2).backend());
        }
    }

    /// Every Conversations screen in the dark and light presets and without colour.
    #[test]
    fn every_screen_in_every_look() {
        use crate::ui::theme;
        let mut filter = list_state(80, 24);
        key(&mut filter, KeyCode::Char('/'));
        for c in "pension".chars() {
            key(&mut filter, KeyCode::Char(c));
        }
        let screens = [
            ("list", list_state(80, 24)),
            ("filter", filter),
            ("open", open_state(80, 24)),
            ("rename_error", rename_422_state(80, 24)),
        ];
        for (look, t) in theme::looks() {
            let _g = theme::scoped(t);
            for (name, s) in &screens {
                let term = render(s);
                let buf = term.backend().buffer();
                let bad = theme::lint(buf, &t);
                assert!(bad.is_empty(), "{name} in {look}: {bad:?}");
                insta::assert_snapshot!(
                    format!("look_{look}_conversations_{name}"),
                    theme::styled_screen(buf)
                );
            }
        }
    }

    #[test]
    fn tiny_and_odd_sizes_never_panic() {
        for (w, h) in [(1, 1), (2, 3), (10, 4), (30, 6), (200, 3)] {
            let mut s = list_state(w, h);
            render(&s);
            key(&mut s, KeyCode::Char('r'));
            render(&s);
            key(&mut s, KeyCode::Esc);
            let mut s = open_state(w, h);
            render(&s);
            update(&mut s, Msg::Resize(1, 1));
            s.core.size = (1, 1);
            render(&s);
        }
    }
}
