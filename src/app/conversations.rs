//! Conversations pane: the list (paged, newest activity first, client-side filter, archived
//! toggle, pin), the open conversation (messages newest at the bottom, older pages loaded while
//! scrolling up, anchored so nothing jumps) and rename from the keyboard.
//!
//! Renames are kept per conversation (`renames: uuid → RenameSlot`), so several can be in flight
//! at once. Each slot remembers the latest save sent: the list shows that name at once (marked as
//! saving), older answers never overwrite a newer one, and whatever was typed stays in the slot
//! until the server accepts it or the user discards it.
use std::collections::HashMap;

use crossterm::event::KeyEvent;

use super::editor::{EditorEvent, InlineEditor, SaveState, remember_query};
use super::list::ListNav;
use super::paged::Paged;
use super::rename::{Rename, RenameDraft, Renames};
use super::{Call, Core, PlannrCall, PlannrReply, Reply, RequestId, Route as AppRoute, Settings};
use crate::api::models::Archived;
use crate::api::{ApiError, Page};
use crate::keymap::{Action, Scope, view as kv};

pub mod facts;
mod renaming;
mod row;
pub mod view;
use renaming::{RENAME_WHAT, keep_saved_name};
pub use renaming::{RenameSlot, SavedName};
use row::dedup;
pub use row::{Row, looks_like_html, parse_time, strip_tags};
pub use view::ConvView;

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// A page of the conversation list.
    List,
    Pin {
        uuid: String,
    },
    /// Saving this name.
    Rename {
        uuid: String,
        name: String,
    },
    /// A page of messages of the open conversation.
    Messages {
        uuid: String,
    },
    /// An HTML body converted off the UI thread.
    Html {
        conv: String,
        msg: String,
    },
}

/// Rows of the list body that are not conversations: pane header, table header, footer hint.
const LIST_CHROME: usize = 3;

/// What the list shows next to a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMark {
    None,
    /// A rename is in flight: the name shown is the one being saved.
    Saving,
    /// The last save failed; the typed text is kept (r reopens it).
    Unsaved,
}

/// The `/` filter over loaded rows.
#[derive(Debug, Clone)]
pub struct Filter {
    pub editor: InlineEditor,
    /// The field has focus (typing filters live); false once Enter kept it.
    pub editing: bool,
}

#[derive(Debug)]
pub struct ConversationsPane {
    pub list: Paged<Row>,
    /// Indices into `list.items` that pass the filter, in list order.
    pub view: Vec<usize>,
    pub nav: ListNav,
    pub archived: Archived,
    pub filter: Option<Filter>,
    /// The last filter typed (↑ brings it back into a new one).
    pub last_filter: String,
    pub renames: Renames,
    /// Pin changes in flight: uuid → (value shown, request id).
    pub pins: HashMap<String, (bool, RequestId)>,
    /// The open conversation.
    pub open: Option<ConvView>,
    /// Select this conversation again when a refreshed list brings it back.
    restore: Option<String>,
    pub thread_page_size: u32,
    /// The pane has been shown (before that nothing is loaded, not even on resize).
    shown: bool,
    /// A refresh in flight: its first page replaces `list` when it arrives.
    pub refreshing: Option<Paged<Row>>,
}

impl ConversationsPane {
    pub fn new(settings: &Settings) -> ConversationsPane {
        ConversationsPane {
            list: Paged::new(settings.list_page_size).with_identity(|r: &Row| r.conv.uuid.clone()),
            view: Vec::new(),
            nav: ListNav::default(),
            archived: Archived::Active,
            filter: None,
            last_filter: String::new(),
            renames: Renames::new(RENAME_WHAT),
            pins: HashMap::new(),
            open: None,
            restore: None,
            thread_page_size: settings.thread_page_size.clamp(1, 500),
            shown: false,
            refreshing: None,
        }
    }

    pub fn rows_visible(core: &Core) -> usize {
        core.pane_rows().saturating_sub(LIST_CHROME).max(1)
    }

    pub fn on_show(&mut self, core: &mut Core) {
        self.shown = true;
        if self.list.loaded == 0 && !self.list.is_loading() && self.list.failed().is_none() {
            self.ensure_loaded(core);
        }
    }

    pub fn captures_input(&self) -> bool {
        self.editing_uuid().is_some() || self.filter.as_ref().is_some_and(|f| f.editing)
    }

    /// Text that would be lost on quit: an open editor with changes, a save in flight, or the
    /// kept text of a failed save.
    pub fn has_unsaved(&self) -> bool {
        self.renames.slots().any(|(_, s)| {
            s.saving.is_some()
                || s.rename.as_ref().is_some_and(|r| {
                    (r.open && r.editor.changed())
                        || matches!(
                            r.state,
                            SaveState::Failed { .. } | SaveState::Rejected { .. }
                        )
                })
        })
    }

    /// Every unsaved rename as (draft key, json): written at quit, or by the crash handler.
    pub fn unsaved_drafts(&self) -> Vec<(String, String)> {
        self.renames.unsaved_drafts()
    }

    pub fn on_quit(&mut self, core: &mut Core) {
        self.renames.on_quit(core);
    }

    /// Rename drafts from last time: kept like a failed save (`r` on the conversation reopens).
    pub fn on_drafts_loaded(&mut self, drafts: &[RenameDraft], core: &mut Core) {
        self.renames.offer_drafts(drafts, "", core);
    }

    pub fn on_resize(&mut self, core: &mut Core) {
        self.nav.clamp(self.view.len(), Self::rows_visible(core));
        if let Some(v) = &mut self.open {
            v.on_resize(core);
        }
        if self.shown && self.list.loaded > 0 {
            // A taller screen may need the next page; never the first one from a resize.
            self.ensure_loaded(core);
        }
    }

    pub fn on_debounce(&mut self, _seq: u64, _core: &mut Core) {}

    pub fn on_paste(&mut self, text: &str, core: &mut Core) {
        if !self.renames.paste(text)
            && let Some(f) = self.filter.as_mut().filter(|f| f.editing)
        {
            f.editor.paste(text);
            self.apply_filter(core);
        }
    }

    // ---- what the list shows ---------------------------------------------------------------

    pub fn selected(&self) -> Option<&Row> {
        self.view
            .get(self.nav.selected)
            .and_then(|&i| self.list.items.get(i))
    }

    pub fn row(&self, uuid: &str) -> Option<&Row> {
        self.list.items.iter().find(|r| r.conv.uuid == uuid)
    }

    /// The conversation whose rename editor is open (at most one: it has the keyboard).
    pub fn editing_uuid(&self) -> Option<String> {
        self.renames.editing()
    }

    pub fn editor_for(&self, uuid: &str) -> Option<&Rename> {
        self.renames.editor_for(uuid)
    }

    /// The name to show for a conversation whose server copy says `confirmed`: the latest save in
    /// flight if any (optimistic), else the server's.
    pub fn shown_name(&self, uuid: &str, confirmed: &str) -> (String, NameMark) {
        match self.renames.get(uuid) {
            Some(RenameSlot {
                saving: Some((_, name)),
                ..
            }) => (name.clone(), NameMark::Saving),
            Some(RenameSlot {
                rename: Some(r), ..
            }) if !r.open
                && matches!(
                    r.state,
                    SaveState::Failed { .. } | SaveState::Rejected { .. }
                ) =>
            {
                (confirmed.to_string(), NameMark::Unsaved)
            }
            _ => (confirmed.to_string(), NameMark::None),
        }
    }

    pub fn shown_pinned(&self, row: &Row) -> bool {
        self.pins
            .get(&row.conv.uuid)
            .map(|(v, _)| *v)
            .unwrap_or(row.conv.pinned.unwrap_or(false))
    }

    /// The filter text in force (lower-cased), if any.
    pub fn filter_query(&self) -> Option<String> {
        self.filter
            .as_ref()
            .map(|f| f.editor.text().trim().to_lowercase())
            .filter(|q| !q.is_empty())
    }

    fn rebuild_view(&mut self, core: &Core) {
        let keep = self.selected().map(|r| r.conv.uuid.clone());
        let q = self.filter_query();
        self.view = self
            .list
            .items
            .iter()
            .enumerate()
            .filter(|(_, r)| q.as_ref().is_none_or(|q| r.haystack.contains(q.as_str())))
            .map(|(i, _)| i)
            .collect();
        let want = self.restore.clone().or(keep);
        let found = want.and_then(|uuid| {
            let pos = self
                .view
                .iter()
                .position(|&i| self.list.items[i].conv.uuid == uuid)?;
            Some((uuid, pos))
        });
        if let Some((uuid, pos)) = found {
            self.nav.selected = pos;
            if self.restore.as_deref() == Some(uuid.as_str()) {
                self.restore = None;
            }
        }
        self.nav.clamp(self.view.len(), Self::rows_visible(core));
    }

    fn apply_filter(&mut self, core: &mut Core) {
        self.rebuild_view(core);
        self.ensure_loaded(core);
    }

    // ---- loading ---------------------------------------------------------------------------

    /// Ask for the next page before the user reaches the end: one screen ahead of what is shown.
    /// While filtering, the next page is fetched when the selection reaches the last match.
    fn ensure_loaded(&mut self, core: &mut Core) {
        if self.refreshing.is_some() {
            return; // the list is about to be replaced
        }
        let h = Self::rows_visible(core);
        let needed = if self.filter_query().is_some() {
            if self.nav.selected + 1 >= self.view.len() {
                self.list.items.len() + 1
            } else {
                0
            }
        } else {
            self.nav.offset + 2 * h
        };
        if let Some(page) = self.list.want(needed) {
            self.request_page(page, core);
        }
    }

    /// Page 1 (or a retry) is what the user is waiting for; a later page is fetched ahead of the
    /// screen or for the filter, as background work (it waits behind the user's requests and
    /// keeps to the background budget, so a filter over a huge list cannot flood Plannr).
    fn request_page(&mut self, page: u32, core: &mut Core) {
        let call = Call::Plannr(PlannrCall::Conversations {
            archived: self.archived,
            page,
            per_page: self.list.per_page,
        });
        let route = AppRoute::Conversations(Route::List);
        let id = if page > 1 && self.list.retry().is_none() {
            core.request_background(route, call)
        } else {
            core.request(route, call)
        };
        self.list.mark_loading(page, id);
    }

    fn refresh(&mut self, core: &mut Core) {
        if let Some(page) = self.list.retry() {
            self.request_page(page, core);
            return;
        }
        if self.list.loaded == 0 {
            self.list.reset();
            self.ensure_loaded(core);
            return;
        }
        // The rows stay on screen until the fresh first page replaces them; if the refresh fails
        // they are still there.
        let mut fresh = Paged::new(self.list.per_page).with_identity(|r: &Row| r.conv.uuid.clone());
        let id = core.request(
            AppRoute::Conversations(Route::List),
            Call::Plannr(PlannrCall::Conversations {
                archived: self.archived,
                page: 1,
                per_page: fresh.per_page,
            }),
        );
        fresh.mark_loading(1, id);
        self.refreshing = Some(fresh);
    }

    // ---- keys ------------------------------------------------------------------------------

    /// The view its key table is in.
    pub fn key_view(&self) -> crate::keymap::Views {
        if self.open.is_some() {
            kv::CONV_OPEN
        } else {
            kv::CONV_LIST
        }
    }

    pub fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        if let Some(uuid) = self.editing_uuid() {
            self.rename_key(&uuid, key, core);
            return true;
        }
        if self.filter.as_ref().is_some_and(|f| f.editing) {
            self.filter_key(key, core);
            return true;
        }
        if self.open.is_some() {
            return self.view_key(key, core);
        }
        let action = core.action(Scope::Conversations, kv::CONV_LIST, &key);
        let h = Self::rows_visible(core);
        if self.nav.on_action(action, self.view.len(), h) {
            self.ensure_loaded(core);
            return true;
        }
        let Some(action) = action else { return false };
        match action {
            Action::Open => {
                if let Some(row) = self.selected() {
                    let conv = row.conv.clone();
                    self.close_open(core);
                    self.open = Some(ConvView::open(conv, self.thread_page_size, core));
                }
                true
            }
            Action::Rename => {
                if let Some(uuid) = self.selected().map(|r| r.conv.uuid.clone()) {
                    self.start_rename(&uuid, core);
                }
                true
            }
            Action::Search => {
                // A new filter starts empty; the last one is one ↑ away (as in less and vim).
                self.filter = Some(Filter {
                    editor: InlineEditor::search(&self.last_filter),
                    editing: true,
                });
                self.apply_filter(core);
                true
            }
            Action::Archived => {
                self.archived = match self.archived {
                    Archived::Active => Archived::Only,
                    _ => Archived::Active,
                };
                self.refreshing = None;
                self.list.reset();
                self.view.clear();
                self.nav = ListNav::default();
                self.ensure_loaded(core);
                core.info(match self.archived {
                    Archived::Active => "Showing active conversations.",
                    _ => "Showing archived conversations (a goes back).",
                });
                true
            }
            Action::Refresh => {
                self.refresh(core);
                true
            }
            Action::Pin => {
                if let Some(row) = self.selected() {
                    let (uuid, pin) = (row.conv.uuid.clone(), !self.shown_pinned(row));
                    self.send_pin(&uuid, pin, core);
                }
                true
            }
            Action::Back => {
                // Clears the filter; with none, an unused q quits as at the top of any pane.
                if self.filter.take().is_some() {
                    self.rebuild_view(core);
                    return true;
                }
                false
            }
            _ => false,
        }
    }

    fn filter_key(&mut self, key: KeyEvent, core: &mut Core) {
        let Some(f) = self.filter.as_mut() else {
            return;
        };
        match f.editor.on_key(key) {
            EditorEvent::Submit => {
                remember_query(&mut self.last_filter, &f.editor.text());
                f.editing = false;
                if f.editor.text().trim().is_empty() {
                    self.filter = None;
                }
            }
            EditorEvent::Cancel => {
                remember_query(&mut self.last_filter, &f.editor.text());
                self.filter = None;
            }
            EditorEvent::Edited => {}
            EditorEvent::Ignored => {
                // ↑/↓ move through the matches without leaving the field.
                let h = Self::rows_visible(core);
                match core.action(Scope::Conversations, kv::CONV_LIST, &key) {
                    Some(Action::Down) => self.nav.down(1, self.view.len(), h),
                    Some(Action::Up) => self.nav.up(1, self.view.len(), h),
                    _ => {}
                }
            }
        }
        self.apply_filter(core);
    }

    /// Close the open conversation, cancelling its reads still in flight (pages of messages): on
    /// a slow or hung server they would keep read slots the next view needs. Its HTML conversions
    /// and any rename or pin save run on.
    fn close_open(&mut self, core: &mut Core) {
        if self.open.take().is_some() {
            core.cancel_reads(|r| matches!(r, AppRoute::Conversations(Route::Messages { .. })));
        }
    }

    fn view_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        let Some(v) = self.open.as_mut() else {
            return false;
        };
        let action = core.action(Scope::Conversations, kv::CONV_OPEN, &key);
        match action {
            Some(Action::Back) => {
                self.close_open(core);
                true
            }
            Some(Action::Rename) => {
                let uuid = v.conv.uuid.clone();
                self.start_rename(&uuid, core);
                true
            }
            Some(Action::Refresh) => {
                v.retry(core);
                true
            }
            _ => {
                v.on_action(action, core);
                true
            }
        }
    }

    // ---- rename ----------------------------------------------------------------------------

    /// `r`: reopen a failed rename with the text typed, or open the editor prefilled with the name
    /// shown (which is the name being saved, if one is in flight: renaming again is allowed and the
    /// last one wins).
    pub fn start_rename(&mut self, uuid: &str, core: &mut Core) {
        if let Some(why) = self.rename_not_allowed(uuid) {
            core.info(why);
            return;
        }
        let confirmed = self.confirmed_name(uuid);
        let (shown, _) = self.shown_name(uuid, &confirmed);
        self.renames.start(uuid, &shown, core);
    }

    /// The server's name of a conversation as far as this pane knows.
    fn confirmed_name(&self, uuid: &str) -> String {
        self.row(uuid)
            .map(|r| r.conv.name.clone())
            .or_else(|| {
                self.open
                    .as_ref()
                    .filter(|v| v.conv.uuid == uuid)
                    .map(|v| v.conv.name.clone())
            })
            .unwrap_or_default()
    }

    // ---- pin -------------------------------------------------------------------------------

    fn send_pin(&mut self, uuid: &str, pin: bool, core: &mut Core) {
        let id = core.request(
            AppRoute::Conversations(Route::Pin {
                uuid: uuid.to_string(),
            }),
            Call::Plannr(PlannrCall::PinConversation {
                uuid: uuid.to_string(),
                pin,
            }),
        );
        self.pins.insert(uuid.to_string(), (pin, id));
    }

    fn on_pin_result(
        &mut self,
        uuid: String,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) {
        let Some(&(wanted, pid)) = self.pins.get(&uuid) else {
            return;
        };
        if pid != id {
            return; // a newer pin/unpin is in flight; its answer decides
        }
        self.pins.remove(&uuid);
        let name = self.confirmed_name(&uuid);
        match result {
            Ok(_) => {
                if let Some(row) = self.list.items.iter_mut().find(|r| r.conv.uuid == uuid) {
                    row.conv.pinned = Some(wanted);
                }
                core.info(format!(
                    "{} “{name}”.",
                    if wanted { "Pinned" } else { "Unpinned" }
                ));
            }
            Err(e) if e.write_may_have_landed() => core.error(format!(
                "Plannr did not confirm that “{name}” is {} ({e}); it may or may not be. R re-reads to see what Plannr holds.",
                if wanted { "pinned" } else { "unpinned" }
            )),
            Err(e) => core.error(format!(
                "Could not {} “{name}”: {e}. It is unchanged.",
                if wanted { "pin" } else { "unpin" }
            )),
        }
    }

    // ---- answers ---------------------------------------------------------------------------

    pub fn on_result(
        &mut self,
        route: Route,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) {
        match route {
            Route::List if self.refreshing.as_ref().is_some_and(|r| r.expects(id)) => {
                let Some(mut fresh) = self.refreshing.take() else {
                    return;
                };
                match result {
                    Ok(Reply::Plannr(PlannrReply::Conversations(page))) => {
                        let me = core.account_uuid.clone();
                        let renames = &self.renames;
                        fresh.on_loaded(
                            id,
                            map_page(page, |c| {
                                Row::new(keep_saved_name(renames, c, id), me.as_deref())
                            }),
                        );
                        dedup(&mut fresh.items);
                        self.restore = self.selected().map(|r| r.conv.uuid.clone());
                        self.list = fresh;
                        self.rebuild_view(core);
                        self.restore = None;
                        self.ensure_loaded(core);
                    }
                    Ok(_) => {}
                    Err(e) => core.error(format!(
                        "Could not refresh conversations: {e}. The list shown is from before; R tries again."
                    )),
                }
            }
            Route::List => {
                if !self.list.expects(id) {
                    return; // an older refresh or the other archive filter
                }
                match result {
                    Ok(Reply::Plannr(PlannrReply::Conversations(page))) => {
                        let me = core.account_uuid.clone();
                        let renames = &self.renames;
                        let page = map_page(page, |c| {
                            Row::new(keep_saved_name(renames, c, id), me.as_deref())
                        });
                        self.list.on_loaded(id, page);
                        dedup(&mut self.list.items);
                        self.rebuild_view(core);
                        self.ensure_loaded(core);
                    }
                    Ok(_) => {
                        self.list.on_failed(id, "unexpected answer".into());
                    }
                    Err(e) => {
                        self.list.on_failed(id, e.to_string());
                        core.error(format!(
                            "Could not load conversations: {e}. Press R to try again."
                        ));
                    }
                }
            }
            Route::Pin { uuid } => self.on_pin_result(uuid, id, result, core),
            Route::Rename { uuid, name } => self.on_rename_result(uuid, name, id, result, core),
            Route::Messages { uuid } | Route::Html { conv: uuid, .. } => {
                if let Some(v) = self.open.as_mut().filter(|v| v.conv.uuid == uuid) {
                    v.on_result(id, result, core);
                }
            }
        }
    }
}

/// A page of one type as a page of another (same paging facts).
pub fn map_page<T, U>(p: Page<T>, f: impl FnMut(T) -> U) -> Page<U> {
    p.map(f)
}

#[cfg(test)]
mod tests;
