//! Pure drawing: reads the state, never mutates it, never computes anything expensive.
pub mod client_picker;
pub mod contacts;
pub mod conversations;
pub mod mail;
pub mod mailboxes;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

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
    widgets::status_bar(&state.core, status, frame.buffer_mut());
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
}

fn draw_pane(state: &State, area: Rect, frame: &mut Frame) {
    match state.tab {
        Tab::Mailboxes => mailboxes::draw(&state.mailboxes, &state.core, area, frame),
        Tab::Mail => mail::draw(&state.mail, &state.core, area, frame),
        Tab::Conversations => conversations::draw(&state.conversations, &state.core, area, frame),
        Tab::Contacts => contacts::draw(&state.contacts, &state.core, area, frame),
    }
}
