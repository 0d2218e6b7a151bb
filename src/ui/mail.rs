//! Mail pane drawing.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::widgets;
use crate::app::Core;
use crate::app::mail::MailPane;

pub fn draw(_pane: &MailPane, _core: &Core, area: Rect, frame: &mut Frame) {
    widgets::hint(" loading…", area, frame.buffer_mut());
}
