//! The client picker shared by the Mail and Contacts panes: a paged list of clients with a name
//! search (`filter[name]`) that is sent after the debounce, so only the latest keystroke's search
//! goes out and answers to superseded requests are dropped.
use crossterm::event::KeyEvent;

use super::editor::{EditorEvent, InlineEditor, remember_query};
use super::list::ListNav;
use super::paged::Paged;
use super::{Call, Core, PlannrCall, PlannrReply, Reply, RequestId, Route, Tab};
use crate::api::ApiError;
use crate::api::models::{Account, ContactDetail};
use crate::keymap::{Action, view};

/// What a key meant to the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerEvent {
    /// The picker used the key.
    Handled,
    /// Enter on a client: the pane opens it.
    Open(Account),
    /// Not a picker key: the pane may use it.
    NotMine,
}

#[derive(Debug)]
pub struct ClientPicker {
    pub clients: Paged<Account>,
    pub nav: ListNav,
    /// The search box while it is open.
    pub search: Option<InlineEditor>,
    /// The (trimmed) name filter of the list shown.
    pub filter: String,
    /// The last query typed into the search box (↑ brings it back into a new one).
    pub last_search: String,
    /// The debounce timer of the latest keystroke in the search box.
    debounce: Option<u64>,
    /// Where the answers go (the owning pane's clients route).
    route: Route,
    /// The pane whose debounce timers these are.
    tab: Tab,
    /// The end of the status-bar message when a page fails ("Press R to try again.").
    retry_hint: &'static str,
}

impl ClientPicker {
    pub fn new(per_page: u32, route: Route, tab: Tab, retry_hint: &'static str) -> ClientPicker {
        ClientPicker {
            clients: Paged::new(per_page).with_identity(|a: &Account| a.uuid.clone()),
            nav: ListNav::default(),
            search: None,
            filter: String::new(),
            last_search: String::new(),
            debounce: None,
            route,
            tab,
            retry_hint,
        }
    }

    /// Rows of the list on screen: the pane body less the header, the table header and the footer.
    pub fn rows(core: &Core) -> usize {
        core.pane_rows().saturating_sub(3).max(1)
    }

    pub fn searching(&self) -> bool {
        self.search.is_some()
    }

    pub fn selected(&self) -> Option<&Account> {
        self.clients.items.get(self.nav.selected)
    }

    /// The cursor is on the last client and the next page failed.
    pub fn failed_at_end(&self) -> bool {
        self.clients.failed().is_some() && self.nav.selected + 1 >= self.clients.items.len()
    }

    /// Keep the cursor inside the list and on screen (after a resize).
    pub fn clamp(&mut self, core: &Core) {
        self.nav.clamp(self.clients.items.len(), Self::rows(core));
    }

    /// Request the next page while the cursor is within two screens of the end of what is loaded.
    pub fn load(&mut self, core: &mut Core) {
        let needed = self.nav.selected + 2 * Self::rows(core);
        if let Some(page) = self.clients.want(needed) {
            self.request(page, core);
        }
    }

    fn request(&mut self, page: u32, core: &mut Core) {
        let name = Some(self.filter.clone()).filter(|n| !n.trim().is_empty());
        let call = Call::Plannr(PlannrCall::Clients {
            name,
            page,
            per_page: self.clients.per_page,
        });
        // Later pages are fetched ahead of the screen: background work (a retry is the user's).
        let id = if page > 1 && self.clients.retry().is_none() {
            core.request_background(self.route.clone(), call)
        } else {
            core.request(self.route.clone(), call)
        };
        self.clients.mark_loading(page, id);
    }

    /// Ask again for the page that failed. False when none did.
    pub fn retry(&mut self, core: &mut Core) -> bool {
        match self.clients.retry() {
            Some(page) => {
                self.request(page, core);
                true
            }
            None => false,
        }
    }

    /// Start again from the first page.
    pub fn reload(&mut self, core: &mut Core) {
        self.clients.reset();
        self.load(core);
    }

    /// Show the clients whose name contains `text` (nothing is sent when it is the filter shown).
    pub fn set_filter(&mut self, text: String, core: &mut Core) {
        let text = text.trim().to_string();
        if text == self.filter && self.clients.loaded > 0 {
            return;
        }
        self.filter = text;
        self.clients.reset();
        self.nav = ListNav::default();
        self.load(core);
    }

    fn nav_action(&mut self, action: Option<Action>, core: &mut Core) -> bool {
        if self
            .nav
            .on_action(action, self.clients.items.len(), Self::rows(core))
        {
            self.load(core);
            return true;
        }
        false
    }

    /// The picker's keys: the search box takes `key` while it is open (its ↑/↓ still move);
    /// otherwise the action the owning pane's table makes of the key: moves, `search`,
    /// `refresh` (retry a failed page, else reload), `retry` (a failed page), `open`, `back`
    /// (clear the search).
    pub fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> PickerEvent {
        if let Some(e) = &mut self.search {
            match e.on_key(key) {
                EditorEvent::Edited => self.debounce = Some(core.debounce(self.tab)),
                EditorEvent::Submit => {
                    let text = e.text();
                    remember_query(&mut self.last_search, &text);
                    self.search = None;
                    self.debounce = None;
                    self.set_filter(text, core);
                }
                EditorEvent::Cancel => {
                    remember_query(&mut self.last_search, &e.text());
                    self.search = None;
                    self.debounce = None;
                    self.set_filter(String::new(), core);
                }
                EditorEvent::Ignored => {
                    let action = core.action(self.tab.scope(), view::LIST, &key);
                    self.nav_action(action, core);
                }
            }
            return PickerEvent::Handled;
        }
        let action = core.action(self.tab.scope(), view::LIST, &key);
        if self.nav_action(action, core) {
            return PickerEvent::Handled;
        }
        match action {
            Some(Action::Search) => self.search = Some(InlineEditor::search(&self.last_search)),
            Some(Action::Refresh) => {
                if !self.retry(core) {
                    self.reload(core);
                }
            }
            Some(Action::Retry) if self.clients.retry().is_some() => {
                self.retry(core);
            }
            Some(Action::Open) => {
                if let Some(c) = self.selected().cloned() {
                    return PickerEvent::Open(c);
                }
            }
            Some(Action::Back) if !self.filter.is_empty() => self.set_filter(String::new(), core),
            _ => return PickerEvent::NotMine,
        }
        PickerEvent::Handled
    }

    /// A debounce timer fired. True when it was the picker's (a stale one is swallowed too).
    pub fn on_debounce(&mut self, seq: u64, core: &mut Core) -> bool {
        if self.debounce != Some(seq) {
            return false;
        }
        self.debounce = None;
        if let Some(text) = self.search.as_ref().map(InlineEditor::text) {
            self.set_filter(text, core);
        }
        true
    }

    /// Paste into the search box. False when it is closed.
    pub fn on_paste(&mut self, text: &str, core: &mut Core) -> bool {
        let Some(e) = &mut self.search else {
            return false;
        };
        e.paste(text);
        self.debounce = Some(core.debounce(self.tab));
        true
    }

    /// Show `d` (or nothing) as the primary email (`email`) or phone of `client`'s row, after a
    /// contact detail was saved.
    pub fn set_primary(&mut self, client: &str, email: bool, d: Option<&ContactDetail>) {
        if let Some(row) = self.clients.items.iter_mut().find(|a| a.uuid == client) {
            let slot = if email {
                &mut row.primary_email
            } else {
                &mut row.primary_phone_number
            };
            *slot = d.map(|d| Box::new(d.clone()));
        }
    }

    /// An answer to a clients request. True when it was the page awaited and it loaded.
    pub fn on_result(
        &mut self,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) -> bool {
        match result {
            Ok(Reply::Plannr(PlannrReply::Clients(page))) => {
                if self.clients.on_loaded(id, page) {
                    self.clamp(core);
                    self.load(core);
                    return true;
                }
            }
            Ok(_) => {}
            Err(e) => {
                if self.clients.on_failed(id, e.to_string()) {
                    core.error(format!("Could not load clients: {e}. {}", self.retry_hint));
                }
            }
        }
        false
    }
}

#[cfg(test)]
pub(crate) mod tests;
