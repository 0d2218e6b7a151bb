//! Mail pane.
use crossterm::event::KeyEvent;

use super::{Core, Reply, RequestId, Settings};
use crate::api::ApiError;

#[derive(Debug, Clone, PartialEq)]
pub enum Route {}

pub const HELP: &[(&str, &str)] = &[];

#[derive(Debug, Default)]
pub struct MailPane {}

impl MailPane {
    pub fn new(_settings: &Settings) -> MailPane {
        MailPane {}
    }
    pub fn on_show(&mut self, _core: &mut Core) {}
    pub fn captures_input(&self) -> bool {
        false
    }
    pub fn has_unsaved(&self) -> bool {
        false
    }
    pub fn on_resize(&mut self, _core: &mut Core) {}
    pub fn on_debounce(&mut self, _seq: u64, _core: &mut Core) {}
    pub fn on_paste(&mut self, _text: &str, _core: &mut Core) {}
    pub fn on_key(&mut self, _key: KeyEvent, _core: &mut Core) -> bool {
        false
    }
    pub fn on_result(
        &mut self,
        route: Route,
        _id: RequestId,
        _result: Result<Reply, ApiError>,
        _core: &mut Core,
    ) {
        match route {}
    }
}

impl MailPane {
    pub fn set_mailbox_filter(&mut self, _filter: Option<(String, String)>, _core: &mut Core) {}
}
