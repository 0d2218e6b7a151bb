//! Pure drawing: reads the state, never mutates it, never computes anything expensive.
pub mod client_picker;
pub mod columns;
pub mod contacts;
pub mod conversations;
pub mod mail;
pub mod mailboxes;
pub mod outreach;
pub mod overlay;
pub mod palette;
pub mod theme;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::mail::View as MailView;
use crate::app::{State, Tab};

pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    widgets::tab_bar(state, tabs, frame.buffer_mut());
    draw_pane(state, body, frame);
    widgets::status_bar(&state.core, state.tab, status, frame.buffer_mut());
    if let Some(picker) = &state.login_picker {
        widgets::login_picker(picker, area, frame.buffer_mut());
    }
    if state.help {
        widgets::help(
            state.tab.title(),
            &state.help_lines(),
            state.help_scroll,
            area,
            frame.buffer_mut(),
        );
    }
    if let Some(up) = state.log {
        widgets::message_log(&state.core, up, area, frame.buffer_mut());
    }
    if let Some(p) = &state.palette {
        palette::draw(state, p, area, frame);
    }
    if state.core.quit_armed {
        // Asked in a box as well as in the status bar: the status line is easy to miss.
        overlay::confirm(
            area,
            overlay::Anchor::Center,
            "Quit with unsaved text?",
            "It is kept as a draft and offered back next time.",
            &format!("{} again quits · any other key stays", state.core.quit_key),
            frame.buffer_mut(),
        );
    }
    if state.core.unauthorized {
        unauthorized(&state.core.token_check, area, frame);
    }
}

/// The one full-screen explanation of a 401: what happened, where the token comes from, what to
/// do, and what the last `R` found.
fn unauthorized(check: &crate::app::TokenCheck, area: ratatui::layout::Rect, frame: &mut Frame) {
    use ratatui::style::{Style, Stylize};
    use ratatui::text::Line;
    use ratatui::widgets::{Clear, Paragraph, Wrap};
    let mut lines = vec![
        Line::from(" Plannr refused the token (401)".bold()),
        Line::from(""),
        Line::from(
            " It is wrong, expired or revoked, so nothing can be loaded or saved. Nothing you typed was sent, and unsaved text is kept as drafts.",
        ),
        Line::from(""),
        Line::from(
            " The token comes from, first found: --token, the PLANNR_TOKEN environment variable, or token / token_command in config.toml.",
        ),
        Line::from(
            " Make a new personal access token in Plannr and put it there, then press R: the app reads config.toml again and runs token_command again, no restart needed (--token and PLANNR_TOKEN cannot change while it runs).",
        ),
        Line::from(""),
    ];
    if check.reading {
        lines.push(Line::from(" Reading the token again…".bold()));
        lines.push(Line::from(""));
    } else if let Some(note) = &check.note {
        lines.push(Line::from(format!(" {note}").bold()));
        lines.push(Line::from(""));
    }
    lines.push(Line::from(" R  read the token again and ask Plannr again"));
    lines.push(Line::from(" q  quit"));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .style(Style::new()),
        area,
    );
}

/// Whether the screen shows a time that reads differently as the clock moves on (today's `14:02`
/// becomes `Tue 14:02` at midnight). The main loop wakes at each new minute only while this holds,
/// so an idle app on any other screen has no timer at all.
pub fn shows_time(state: &State) -> bool {
    if state.help || state.log.is_some() || state.login_picker.is_some() {
        return false;
    }
    match state.tab {
        Tab::Mail => match state.mail.view {
            MailView::Emails => !state.mail.shown.is_empty(),
            MailView::Thread => state.mail.thread.is_some(),
            MailView::Clients => false,
        },
        Tab::Conversations => {
            state.conversations.open.is_none() && !state.conversations.list.items.is_empty()
        }
        _ => false,
    }
}

fn draw_pane(state: &State, area: Rect, frame: &mut Frame) {
    match state.tab {
        Tab::Mailboxes => mailboxes::draw(&state.mailboxes, &state.core, area, frame),
        Tab::Mail => mail::draw(&state.mail, &state.core, area, frame),
        Tab::Conversations => conversations::draw(&state.conversations, &state.core, area, frame),
        Tab::Contacts => contacts::draw(&state.contacts, &state.core, area, frame),
        Tab::Outreach => outreach::draw(&state.outreach, &state.core, area, frame),
    }
}

/// The whole screen `state` draws at `w`×`h`, as one string (tests search it for sentences).
#[cfg(test)]
pub(crate) fn screen_text(state: &State, w: u16, h: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(w, h);
    let Ok(mut t) = ratatui::Terminal::new(backend);
    if t.draw(|f| draw(state, f)).is_err() {
        return String::new();
    }
    t.backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::EmailMessage;
    use crate::app::Settings;

    #[test]
    fn the_minute_timer_runs_only_while_a_time_is_on_screen() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        s.tab = Tab::Mailboxes;
        assert!(!shows_time(&s), "mailboxes show no times: no timer");
        s.tab = Tab::Mail;
        s.mail.view = MailView::Emails;
        assert!(!shows_time(&s), "an empty list shows no times");
        s.mail.emails.items.push(EmailMessage::default());
        s.mail.shown = vec![0];
        assert!(shows_time(&s));
        s.help = true;
        assert!(!shows_time(&s), "help covers the list");
        s.help = false;
        s.tab = Tab::Contacts;
        assert!(!shows_time(&s));
    }
}

#[cfg(test)]
mod log_tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::{Msg, Settings, update};

    fn screen(s: &State, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| draw(s, f)).unwrap();
        let buf = t.backend().buffer();
        (0..buf.area.height)
            .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
            .map(|p| buf[p].symbol().to_string())
            .collect()
    }

    /// Review finding (the help overlay's 17.6 bug again): k scrolled the log back once per
    /// message whether or not anything was hidden, so with a few messages it scrolled them out
    /// of the box and left it empty. It stops when the oldest row is at the top.
    #[test]
    fn k_never_scrolls_the_message_log_into_an_empty_box() {
        let key = |c| Msg::Key(KeyEvent::new(c, KeyModifiers::NONE));
        let mut s = State::new(Settings::default(), Some("acc".into()), (60, 12));
        s.core.info("First message");
        s.core.info("Second message");
        update(&mut s, key(KeyCode::Char('L')));
        for _ in 0..3 {
            update(&mut s, key(KeyCode::Char('k')));
        }
        assert_eq!(s.log, Some(0), "everything fits: nothing to scroll");
        let text = screen(&s, 60, 12);
        assert!(text.contains("First message") && text.contains("Second message"));
        for i in 0..20 {
            s.core.info(format!("Later message {i}"));
        }
        for _ in 0..100 {
            update(&mut s, key(KeyCode::Char('k')));
        }
        let text = screen(&s, 60, 12);
        assert!(text.contains("First message"), "the oldest at the top");
        assert!(
            text.contains("Later message 5"),
            "and the box full below it"
        );
        update(&mut s, key(KeyCode::Char('j')));
        assert!(
            !screen(&s, 60, 12).contains("First message"),
            "one j scrolls forward at once"
        );
    }

    /// Issue 15: the quit question was only a status-bar line (cut at 80 columns); it is a box
    /// of its own, naming the key that asked.
    #[test]
    fn quitting_with_unsaved_text_asks_in_a_box() {
        let key = |c| Msg::Key(KeyEvent::new(c, KeyModifiers::NONE));
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        let mut r = crate::app::rename::Rename::open("m1", "Advice");
        r.editor.set_text("Advice team");
        r.open = false;
        s.mailboxes.renames.slot("m1").rename = Some(r);
        update(&mut s, key(KeyCode::Char('q')));
        assert!(s.core.quit_armed);
        let text = screen(&s, 80, 24);
        assert!(text.contains("Quit with unsaved text?"), "{text}");
        assert!(
            text.contains("q again quits · any other key stays"),
            "{text}"
        );
        update(&mut s, key(KeyCode::Char('x')));
        assert!(!screen(&s, 80, 24).contains("Quit with unsaved text?"));
        for (w, h) in [(1, 1), (10, 3)] {
            s.core.quit_armed = true;
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| draw(&s, f)).unwrap();
        }
    }

    #[test]
    fn the_message_log_shows_every_message_with_its_time_and_pane() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (60, 12));
        s.core.now = 1_780_000_000; // 2026-05-28 20:26:40 UTC
        s.core.owner = Some(Tab::Conversations);
        s.core.error("Could not rename “Pension transfer — Hughes”: the server did not answer in 30 s. Press r to try again.");
        s.core.now += 75;
        s.core.owner = Some(Tab::Mailboxes);
        s.core.info("Saved “Advice”");
        s.tab = Tab::Contacts;
        s.log = Some(0);
        let mut t = Terminal::new(TestBackend::new(60, 12)).unwrap();
        t.draw(|f| draw(&s, f)).unwrap();
        insta::assert_snapshot!(t.backend());
        // Tiny terminals draw nothing rather than panic.
        for (w, h) in [(1, 1), (3, 2), (10, 4)] {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| draw(&s, f)).unwrap();
        }
    }
}
