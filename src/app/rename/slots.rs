//! The rename slot shared by every pane that renames things (mailboxes, conversations): one slot
//! per renamed thing, holding its editor (at most one open at a time: it has the keyboard), the
//! text of a failed or refused save (offered back by `r`, kept on disk), a save in flight, and
//! what the last successful save left on the server. The panes decide what to send and what an
//! answer means; the slots keep the text and its drafts.
use std::collections::HashMap;

use crossterm::event::KeyEvent;

use super::{Rename, RenameDraft, RenameOutcome, delete_draft, quit_drafts, unsaved_drafts};
use crate::app::editor::SaveState;
use crate::app::{Core, RequestId};

/// Everything about renaming one thing.
#[derive(Debug, Clone, Default)]
pub struct RenameSlot {
    /// The editor (open), or the text of a failed save waiting for `r`.
    pub rename: Option<Rename>,
    /// The latest save sent and its name: shown until the server answers it.
    pub saving: Option<(RequestId, String)>,
    /// The newest save whose success was applied (older answers are not applied over it).
    pub applied: RequestId,
    /// What that save left on the server, for list pages that were read before it.
    pub saved: Option<SavedName>,
}

/// A name the server accepted, kept so that a list page read before the save cannot put the old
/// name back (issue 17.1: `a a` or `R` right after Enter).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedName {
    pub name: String,
    /// The answer's `updated_at` (may be empty: then `seen_at` decides).
    pub updated_at: String,
    /// The last request id issued when the answer arrived: pages asked for up to then may
    /// predate the save.
    pub seen_at: RequestId,
}

/// The rename slots of one pane, by uuid; `what` names the kind in draft files.
#[derive(Debug, Clone)]
pub struct Renames {
    what: &'static str,
    slots: HashMap<String, RenameSlot>,
}

impl Renames {
    pub fn new(what: &'static str) -> Renames {
        Renames {
            what,
            slots: HashMap::new(),
        }
    }

    /// The draft-file kind (`mailbox`, `conversation`).
    pub fn what(&self) -> &'static str {
        self.what
    }

    pub fn get(&self, uuid: &str) -> Option<&RenameSlot> {
        self.slots.get(uuid)
    }

    pub fn get_mut(&mut self, uuid: &str) -> Option<&mut RenameSlot> {
        self.slots.get_mut(uuid)
    }

    /// The slot of `uuid`, made when missing.
    pub fn slot(&mut self, uuid: &str) -> &mut RenameSlot {
        self.slots.entry(uuid.to_string()).or_default()
    }

    pub fn slots(&self) -> impl Iterator<Item = (&String, &RenameSlot)> {
        self.slots.iter()
    }

    fn renames(&self) -> impl Iterator<Item = &Rename> {
        self.slots.values().filter_map(|s| s.rename.as_ref())
    }

    /// The thing whose rename editor is open (at most one: it has the keyboard).
    pub fn editing(&self) -> Option<String> {
        self.slots
            .iter()
            .find(|(_, s)| s.rename.as_ref().is_some_and(|r| r.open))
            .map(|(u, _)| u.clone())
    }

    /// The open editor, if any.
    pub fn open_editor(&self) -> Option<&Rename> {
        self.renames().find(|r| r.open)
    }

    /// The open editor of `uuid`, if that is the one open.
    pub fn editor_for(&self, uuid: &str) -> Option<&Rename> {
        self.get(uuid)
            .and_then(|s| s.rename.as_ref())
            .filter(|r| r.open)
    }

    /// Whether a save is in flight for anything.
    pub fn any_saving(&self) -> bool {
        self.renames().any(Rename::is_saving)
    }

    /// Whether `uuid` has unsaved text kept with its editor closed (the ✎ mark).
    pub fn kept(&self, uuid: &str) -> bool {
        self.get(uuid)
            .and_then(|s| s.rename.as_ref())
            .is_some_and(|r| !r.open && !r.is_saving() && r.is_unsaved())
    }

    /// Text pasted into the open editor. Returns whether one was open.
    pub fn paste(&mut self, text: &str) -> bool {
        match self
            .slots
            .values_mut()
            .filter_map(|s| s.rename.as_mut())
            .find(|r| r.open)
        {
            Some(r) => {
                r.editor.paste(text);
                true
            }
            None => false,
        }
    }

    /// Every unsaved rename as (draft key, json): written at quit, or by the crash handler.
    pub fn unsaved_drafts(&self) -> Vec<(String, String)> {
        unsaved_drafts(self.renames(), self.what)
    }

    /// Quitting: every unsaved rename goes to disk.
    pub fn on_quit(&self, core: &mut Core) {
        quit_drafts(self.renames(), self.what, core);
    }

    /// Rename drafts from last time (of this kind) are kept like failed saves (`r` reopens them);
    /// what is open now is newer and stays. Returns how many were taken.
    pub fn load_drafts(&mut self, drafts: &[RenameDraft]) -> usize {
        let (mut n, what) = (0, self.what);
        for d in drafts.iter().filter(|d| d.what == what) {
            let slot = self.slot(&d.target);
            if slot.rename.is_none() {
                slot.rename = Some(Rename::from_draft(d));
                n += 1;
            }
        }
        n
    }

    /// `load_drafts`, and say how many came back and how to reopen them (`mark`: how their rows
    /// are marked).
    pub fn offer_drafts(&mut self, drafts: &[RenameDraft], mark: &str, core: &mut Core) {
        let n = self.load_drafts(drafts);
        if n > 0 {
            core.info(format!(
                "{n} unsaved {what} rename{s} from last time (marked{mark}): r on the {what} reopens it.",
                what = self.what,
                s = if n == 1 { "" } else { "s" }
            ));
        }
    }

    /// `r` on `uuid`: reopen its kept text (a failed save, a draft from last time), or open the
    /// editor prefilled with `shown`. Any other editor still open is closed first with its text
    /// kept (on disk too), never overwritten.
    pub fn start(&mut self, uuid: &str, shown: &str, core: &mut Core) {
        let what = self.what;
        for (_, s) in self.slots.iter_mut().filter(|(u, _)| u.as_str() != uuid) {
            if let Some(r) = s.rename.as_mut().filter(|r| r.open) {
                r.open = false;
                if r.is_unsaved() {
                    super::write_draft(r, what, core);
                } else {
                    s.rename = None;
                }
            }
        }
        let slot = self.slot(uuid);
        match &mut slot.rename {
            Some(r) if !r.is_saving() => {
                if !matches!(r.state, SaveState::Editing) {
                    core.info(
                        "Your text is back: Enter saves it again; Esc asks before discarding it.",
                    );
                }
                r.reopen();
            }
            _ => slot.rename = Some(Rename::open(uuid, shown)),
        }
    }

    /// A key for the open editor of `uuid`: Esc/unchanged closes it (its draft dropped), Enter
    /// sends the name with `send` (which makes the request and returns its id).
    pub fn on_key(
        &mut self,
        uuid: &str,
        key: KeyEvent,
        core: &mut Core,
        send: impl FnOnce(String, &mut Core) -> RequestId,
    ) {
        let what = self.what;
        let Some(slot) = self.slots.get_mut(uuid) else {
            return;
        };
        let Some(r) = slot.rename.as_mut() else {
            return;
        };
        match r.on_key(key) {
            RenameOutcome::Continue => {}
            RenameOutcome::Close => {
                let was_kept = !matches!(r.state, SaveState::Editing) || r.editor.changed();
                slot.rename = None;
                if was_kept {
                    delete_draft(what, uuid, core);
                }
            }
            RenameOutcome::Save(name) => {
                let id = send(name.clone(), core);
                r.saving(id);
                slot.saving = Some((id, name));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Command;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// Drafts of the slot's own kind only; `r` on kept text brings it back (and says so); an
    /// editor still open elsewhere is closed with its text kept on disk, never overwritten.
    #[test]
    fn one_slot_per_thing_keeps_every_text() {
        let mut core = Core::default();
        let mut r = Renames::new("mailbox");
        let draft = |what: &str, target: &str| RenameDraft {
            version: super::super::RENAME_DRAFT_VERSION,
            key: super::super::draft_key(what, target),
            what: what.into(),
            target: target.into(),
            original: "Old".into(),
            typed: "Typed".into(),
        };
        assert_eq!(
            r.load_drafts(&[draft("mailbox", "a"), draft("conversation", "b")]),
            1
        );
        assert!(r.kept("a") && r.get("b").is_none());
        r.start("a", "Old", &mut core);
        assert_eq!(
            r.editor_for("a").map(Rename::typed).as_deref(),
            Some("Typed")
        );
        assert!(
            core.status
                .as_ref()
                .is_some_and(|s| s.text.contains("Your text is back")
                    && s.text.contains("Esc asks before discarding"))
        );
        r.start("c", "Other", &mut core);
        assert_eq!(r.editing().as_deref(), Some("c"));
        assert!(r.kept("a"), "a's text is kept, not overwritten");
        assert!(
            core.out
                .iter()
                .any(|c| matches!(c, Command::WriteDraft { key, .. } if key == "rename-mailbox-a"))
        );
        // Typing then Enter sends through the pane's closure; the slot records the save.
        r.on_key("c", key('!'), &mut core, |_, _| unreachable!("not yet"));
        r.on_key(
            "c",
            KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            &mut core,
            |name, _| {
                assert_eq!(name, "Other!");
                7
            },
        );
        assert!(r.any_saving());
        assert_eq!(
            r.get("c").and_then(|s| s.saving.clone()),
            Some((7, "Other!".into()))
        );
        assert_eq!(r.unsaved_drafts().len(), 2);
    }
}
