//! Contacts pane drawing.
use ratatui::layout::Rect;
use ratatui::Frame;

use super::widgets;
use crate::app::contacts::ContactsPane;
use crate::app::Core;

pub fn draw(_pane: &ContactsPane, _core: &Core, area: Rect, frame: &mut Frame) {
    widgets::hint(" loading…", area, frame.buffer_mut());
}
