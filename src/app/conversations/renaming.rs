//! Renaming conversations: one slot per conversation (several saves can be in flight), the
//! answers applied in order, and the saved name kept against list pages read before the save.
use crossterm::event::KeyEvent;

use super::{ConversationsPane, Route, Row, parse_time};
use crate::api::ApiError;
use crate::api::models::Conversation;
use crate::app::editor::SaveState;
use crate::app::rename::{Rename, Renames};
use crate::app::{Call, Core, PlannrCall, PlannrReply, Reply, RequestId, Route as AppRoute};

/// The draft-file kind of a conversation rename.
pub(super) const RENAME_WHAT: &str = "conversation";

pub use crate::app::rename::{RenameSlot, SavedName};

impl ConversationsPane {
    pub(super) fn rename_key(&mut self, uuid: &str, key: KeyEvent, core: &mut Core) {
        self.renames.on_key(uuid, key, core, |name, core| {
            core.request(
                AppRoute::Conversations(Route::Rename {
                    uuid: uuid.to_string(),
                    name: name.clone(),
                }),
                Call::Plannr(PlannrCall::RenameConversation {
                    uuid: uuid.to_string(),
                    name,
                }),
            )
        });
    }

    /// Whether a rename editor for `uuid` could be drawn now (so a 422 may reopen it by itself).
    fn can_show_editor(&self, uuid: &str) -> bool {
        if self.editing_uuid().is_some() {
            return false;
        }
        match &self.open {
            Some(v) => v.conv.uuid == uuid,
            None => self
                .view
                .iter()
                .any(|&i| self.list.items[i].conv.uuid == uuid),
        }
    }

    pub(super) fn on_rename_result(
        &mut self,
        uuid: String,
        sent: String,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) {
        let confirmed = self.confirmed_name(&uuid);
        let can_show = self.can_show_editor(&uuid);
        let slot = self.renames.slot(&uuid);
        let latest = slot.saving.as_ref().is_some_and(|(sid, _)| *sid == id);
        match result {
            Ok(reply) => {
                if latest {
                    slot.saving = None;
                }
                if slot
                    .rename
                    .as_ref()
                    .is_some_and(|r| r.state == (SaveState::Saving { id }))
                {
                    slot.rename = None;
                    crate::app::rename::delete_draft(RENAME_WHAT, &uuid, core);
                }
                // Answers to one conversation's writes come in the order sent; never apply an
                // older one over a newer.
                if id < slot.applied {
                    return;
                }
                slot.applied = id;
                let (name, updated_at) = match reply {
                    Reply::Plannr(PlannrReply::Conversation(c)) if !c.name.is_empty() => {
                        let saved = (c.name.clone(), c.updated_at.clone());
                        self.replace(*c, core);
                        saved
                    }
                    // A server that answers without the record: the name sent is the name.
                    _ => {
                        self.set_name(&uuid, &sent);
                        (sent, String::new())
                    }
                };
                if let Some(slot) = self.renames.get_mut(&uuid) {
                    slot.saved = Some(SavedName {
                        name: name.clone(),
                        updated_at,
                        seen_at: core.last_request_id(),
                    });
                }
                if latest {
                    core.info(format!("Renamed to “{name}”."));
                }
            }
            Err(e) => {
                if !latest {
                    // A newer save of this conversation was sent after this one; its answer decides.
                    return;
                }
                slot.saving = None;
                let tracked = slot
                    .rename
                    .as_ref()
                    .is_some_and(|r| r.state == (SaveState::Saving { id }));
                if slot.rename.is_none() {
                    // The editor was closed since (e.g. reopened and left unchanged): keep the text.
                    let mut r = Rename::open(&uuid, &confirmed);
                    r.editor.set_text(&sent);
                    r.saving(id);
                    slot.rename = Some(r);
                } else if !tracked {
                    // Another edit of this name is open with newer text; it is what the user has.
                    core.error(if e.write_may_have_landed() {
                        format!(
                            "Plannr did not confirm “{sent}” ({e}); it may or may not be saved. Your newer text is still open; R re-reads."
                        )
                    } else {
                        format!("Could not save “{sent}” ({e}). Your newer text is still open.")
                    });
                    return;
                }
                let Some(r) = slot.rename.as_mut() else {
                    return;
                };
                let msg = r.failed(id, &e).unwrap_or_else(|| e.to_string());
                // Kept on disk too: it survives a quit or a crash.
                crate::app::rename::write_draft(r, RENAME_WHAT, core);
                if r.open && !can_show {
                    r.open = false;
                    core.error(format!("{msg} Press r on “{confirmed}” to fix it."));
                } else {
                    core.error(msg);
                }
            }
        }
    }

    fn replace(&mut self, conv: Conversation, core: &Core) {
        if let Some(v) = self.open.as_mut().filter(|v| v.conv.uuid == conv.uuid) {
            v.conv.name = conv.name.clone();
            v.conv.updated_at = conv.updated_at.clone();
        }
        let me = core.account_uuid.clone();
        if let Some(row) = self
            .list
            .items
            .iter_mut()
            .find(|r| r.conv.uuid == conv.uuid)
        {
            // The PUT answer may carry fewer includes than the list: keep what it lacks.
            let mut merged = row.conv.clone();
            merged.name = conv.name;
            merged.updated_at = conv.updated_at;
            *row = Row::new(merged, me.as_deref());
        }
    }

    fn set_name(&mut self, uuid: &str, name: &str) {
        if let Some(v) = self.open.as_mut().filter(|v| v.conv.uuid == uuid) {
            v.conv.name = name.to_string();
        }
        if let Some(row) = self.list.items.iter_mut().find(|r| r.conv.uuid == uuid) {
            row.conv.name = name.to_string();
        }
    }
}

/// A conversation of list page `page_id` with the name a save of ours left on the server, when
/// the page was read before that save: its `updated_at` is older, or (when either side has none)
/// the page was asked for before the save's answer arrived.
pub(super) fn keep_saved_name(
    renames: &Renames,
    mut c: Conversation,
    page_id: RequestId,
) -> Conversation {
    let Some(saved) = renames.get(&c.uuid).and_then(|s| s.saved.as_ref()) else {
        return c;
    };
    if c.name == saved.name {
        return c;
    }
    let older = match (parse_time(&c.updated_at), parse_time(&saved.updated_at)) {
        (Some(row), Some(ours)) => row < ours,
        _ => page_id <= saved.seen_at,
    };
    if older {
        c.name = saved.name.clone();
        if !saved.updated_at.is_empty() {
            c.updated_at = saved.updated_at.clone();
        }
    }
    c
}
