//! Contacts pane drawing.
use ratatui::Frame;
use ratatui::layout::Rect;

use super::widgets;
use crate::app::Core;
use crate::app::contacts::ContactsPane;

pub fn draw(_pane: &ContactsPane, _core: &Core, area: Rect, frame: &mut Frame) {
    widgets::hint(" loading…", area, frame.buffer_mut());
}
