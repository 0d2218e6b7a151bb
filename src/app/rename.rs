//! The rename flow shared by mailboxes and conversations: edit → validate → save (optimistic) →
//! saved | rejected (422: editor reopens with the message) | failed (text kept, retry offered);
//! `slots`: the per-thing slots both panes keep their renames in.
use crossterm::event::{KeyCode, KeyEvent};

mod slots;
pub use slots::{RenameSlot, Renames, SavedName};

use super::editor::{EditorEvent, InlineEditor, SaveState, validate_name};
use crate::api::ApiError;

#[derive(Debug, Clone)]
pub struct Rename {
    /// The uuid of what is being renamed.
    pub target: String,
    pub editor: InlineEditor,
    pub state: SaveState,
    /// The editor is on screen (false while saving, or after a failure until reopened).
    pub open: bool,
    /// Esc was pressed with changes: the next Esc or `y` discards, anything else keeps editing.
    pub confirm_discard: bool,
}

/// A rename's typed text kept on disk (a failed save, or any unsaved text at quit or crash), so it
/// is offered back after a restart. One file per renamed thing: `rename-<what>-<uuid>`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RenameDraft {
    pub version: u32,
    pub key: String,
    /// `mailbox` or `conversation`.
    pub what: String,
    pub target: String,
    /// The name when the editor opened.
    pub original: String,
    pub typed: String,
}

pub const RENAME_DRAFT_VERSION: u32 = 1;

/// The draft key of a rename of `what` (`mailbox`, `conversation`) `uuid`.
pub fn draft_key(what: &str, uuid: &str) -> String {
    format!("rename-{what}-{uuid}")
}

impl RenameDraft {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
    /// Decode a rename draft file (strings sanitised like anything read from outside).
    pub fn from_json(s: &str) -> Result<RenameDraft, String> {
        let mut d: RenameDraft = serde_json::from_str(s).map_err(|e| e.to_string())?;
        if d.version != RENAME_DRAFT_VERSION {
            return Err(format!("unknown draft version {}", d.version));
        }
        let clean = crate::render::sanitize::line;
        d.original = clean(&d.original);
        d.typed = clean(&d.typed);
        d.target = clean(&d.target);
        Ok(d)
    }
}

/// Ask the worker to keep `r` (a rename of `what`) on disk.
pub fn write_draft(r: &Rename, what: &str, core: &mut super::Core) {
    let d = r.to_draft(what);
    core.out.push(super::Command::WriteDraft {
        dir: core.settings.drafts_dir.clone(),
        key: d.key.clone(),
        json: d.to_json(),
    });
}

/// Ask the worker to drop the draft of a rename of `what` `uuid` (saved, or discarded).
pub fn delete_draft(what: &str, uuid: &str, core: &mut super::Core) {
    core.out.push(super::Command::DeleteDraft {
        dir: core.settings.drafts_dir.clone(),
        key: draft_key(what, uuid),
    });
}

/// The unsaved ones of `renames` as (draft key, json), sorted by key.
pub fn unsaved_drafts<'a>(
    renames: impl Iterator<Item = &'a Rename>,
    what: &str,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = renames
        .filter(|r| r.is_unsaved())
        .map(|r| {
            let d = r.to_draft(what);
            (d.key.clone(), d.to_json())
        })
        .collect();
    out.sort();
    out
}

/// Quitting: the unsaved ones of `renames` go to disk.
pub fn quit_drafts<'a>(
    renames: impl Iterator<Item = &'a Rename>,
    what: &str,
    core: &mut super::Core,
) {
    for (key, json) in unsaved_drafts(renames, what) {
        core.out.push(super::Command::WriteDraft {
            dir: core.settings.drafts_dir.clone(),
            key,
            json,
        });
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum RenameOutcome {
    /// Keep going (the key edited text, or asked for confirmation).
    Continue,
    /// Close the editor and forget the text (cancelled, or unchanged name: nothing to send).
    Close,
    /// Send this (validated, trimmed) name.
    Save(String),
}

impl Rename {
    pub fn open(target: &str, current: &str) -> Rename {
        Rename {
            target: target.to_string(),
            editor: InlineEditor::new(current),
            state: SaveState::Editing,
            open: true,
            confirm_discard: false,
        }
    }

    /// This rename as a draft file of `what` (`mailbox`, `conversation`).
    pub fn to_draft(&self, what: &str) -> RenameDraft {
        RenameDraft {
            version: RENAME_DRAFT_VERSION,
            key: draft_key(what, &self.target),
            what: what.to_string(),
            target: self.target.clone(),
            original: self.editor.original.clone(),
            typed: self.typed(),
        }
    }

    /// A draft from last time, held like a failed save: `r` on its row reopens the text.
    pub fn from_draft(d: &RenameDraft) -> Rename {
        let mut editor = InlineEditor::with_text(&d.original, &d.typed);
        editor.error = None;
        Rename {
            target: d.target.clone(),
            editor,
            state: SaveState::Failed {
                message: "not saved last time".into(),
            },
            open: false,
            confirm_discard: false,
        }
    }

    /// Whether this holds text the user would lose: changed in an open editor, or kept after a
    /// failed or refused save.
    pub fn is_unsaved(&self) -> bool {
        self.editor.changed()
            || matches!(
                self.state,
                SaveState::Failed { .. } | SaveState::Rejected { .. }
            )
    }

    /// The text the user typed (kept across failures until saved or discarded).
    pub fn typed(&self) -> String {
        self.editor.text()
    }

    pub fn is_saving(&self) -> bool {
        matches!(self.state, SaveState::Saving { .. })
    }

    pub fn on_key(&mut self, key: KeyEvent) -> RenameOutcome {
        if self.confirm_discard {
            // The one discard question (`ui::overlay::DISCARD_*`, as the contact form asks it):
            // y or Esc discards, any other key only closes the question and keeps editing.
            self.confirm_discard = false;
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('y') | KeyCode::Char('Y')
            ) {
                return RenameOutcome::Close;
            }
            return RenameOutcome::Continue;
        }
        match self.editor.on_key(key) {
            EditorEvent::Edited | EditorEvent::Ignored => RenameOutcome::Continue,
            EditorEvent::Cancel => {
                if self.editor.changed() {
                    // The question is drawn in a box of its own (ui::overlay::confirm).
                    self.confirm_discard = true;
                    RenameOutcome::Continue
                } else {
                    RenameOutcome::Close
                }
            }
            EditorEvent::Submit => match validate_name(&self.editor.text()) {
                Err(reason) => {
                    self.editor.error = Some(reason);
                    RenameOutcome::Continue
                }
                Ok(name) if name == self.editor.original.trim() => RenameOutcome::Close,
                Ok(name) => RenameOutcome::Save(name),
            },
        }
    }

    /// The save was sent with request `id`.
    pub fn saving(&mut self, id: u64) {
        self.state = SaveState::Saving { id };
        self.open = false;
        self.editor.error = None;
    }

    /// The server answered an error for request `id`. A 422 reopens the editor with the server's
    /// message; anything else keeps the text closed with a retry offered. Returns the status-bar
    /// message, or None if `id` was not the save in flight (a stale answer).
    pub fn failed(&mut self, id: u64, err: &ApiError) -> Option<String> {
        if self.state != (SaveState::Saving { id }) {
            return None;
        }
        match err {
            ApiError::Validation { message, errors } => {
                let msg = errors
                    .get("name")
                    .and_then(|m| m.first())
                    .cloned()
                    .unwrap_or_else(|| message.clone());
                self.state = SaveState::Rejected {
                    message: msg.clone(),
                };
                self.editor.error = Some(msg.clone());
                self.open = true;
                Some(format!("Plannr refused the name: {msg}"))
            }
            ApiError::Forbidden { message } => {
                // Trying again cannot help: never offered as retryable.
                let msg = format!(
                    "Plannr does not let this account rename it ({message}). Only the owner or an admin of it can; your text is kept until you discard it (r, then Esc)."
                );
                self.state = SaveState::Rejected {
                    message: msg.clone(),
                };
                self.editor.error = Some(msg.clone());
                Some(msg)
            }
            other if other.write_may_have_landed() => {
                let msg = other.to_string();
                self.state = SaveState::Failed {
                    message: msg.clone(),
                };
                Some(format!(
                    "Plannr did not confirm the name ({msg}); it may or may not be saved. Your text is kept as a draft: R re-reads to see what Plannr holds, r reopens it to retry."
                ))
            }
            other => {
                let msg = other.to_string();
                self.state = SaveState::Failed {
                    message: msg.clone(),
                };
                Some(format!(
                    "Could not save the name ({msg}). Your text is kept: press r to retry."
                ))
            }
        }
    }

    /// Reopen after a failure, with the typed text.
    pub fn reopen(&mut self) {
        self.open = true;
        self.state = SaveState::Editing;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn type_str(r: &mut Rename, s: &str) {
        for c in s.chars() {
            r.on_key(k(KeyCode::Char(c)));
        }
    }

    #[test]
    fn unchanged_sends_nothing_blank_is_refused() {
        let mut r = Rename::open("u1", "Annual review");
        assert_eq!(r.on_key(k(KeyCode::Enter)), RenameOutcome::Close);
        let mut r = Rename::open("u1", "Annual review");
        r.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_str(&mut r, "   ");
        assert_eq!(r.on_key(k(KeyCode::Enter)), RenameOutcome::Continue);
        assert!(r.editor.error.as_deref().unwrap_or("").contains("blank"));
    }

    #[test]
    fn save_reject_fail_retry_cycle_keeps_text() {
        let mut r = Rename::open("u1", "Old");
        type_str(&mut r, " name ");
        assert_eq!(
            r.on_key(k(KeyCode::Enter)),
            RenameOutcome::Save("Old name".into())
        );
        r.saving(5);
        assert!(
            r.failed(4, &ApiError::Timeout).is_none(),
            "stale answer ignored"
        );
        let err = ApiError::Validation {
            message: "bad".into(),
            errors: [("name".to_string(), vec!["Too rude".to_string()])]
                .into_iter()
                .collect(),
        };
        assert!(r.failed(5, &err).is_some());
        assert!(r.open);
        assert_eq!(r.editor.error.as_deref(), Some("Too rude"));
        assert_eq!(r.typed(), "Old name ");
        assert_eq!(
            r.on_key(k(KeyCode::Enter)),
            RenameOutcome::Save("Old name".into())
        );
        r.saving(6);
        assert!(
            r.failed(
                6,
                &ApiError::Server {
                    status: 500,
                    message: "x".into()
                }
            )
            .is_some()
        );
        assert!(!r.open);
        assert_eq!(r.typed(), "Old name ", "text kept after a network failure");
        r.reopen();
        assert!(r.open);
    }

    /// A 403 is never offered as retryable (trying again cannot help).
    #[test]
    fn forbidden_is_not_offered_as_retry() {
        let mut r = Rename::open("u1", "Old");
        type_str(&mut r, "x");
        r.on_key(k(KeyCode::Enter));
        r.saving(1);
        let msg = r
            .failed(
                1,
                &ApiError::Forbidden {
                    message: "This action is unauthorized.".into(),
                },
            )
            .unwrap();
        assert!(!msg.contains("retry"), "{msg}");
        assert!(msg.contains("Only the owner or an admin"), "{msg}");
        assert!(!r.open);
        assert!(matches!(r.state, SaveState::Rejected { .. }));
        assert!(r.is_unsaved(), "the text is still kept");
    }

    /// An unconfirmed save (the answer did not show the new name) or a lost answer may have been
    /// stored: the message must not say it failed or that nothing changed, and must say the text
    /// is kept and how to find out (R re-reads).
    #[test]
    fn unconfirmed_or_lost_answer_is_worded_truthfully() {
        for err in [
            ApiError::Unconfirmed {
                what: "the new name".into(),
            },
            ApiError::Timeout,
        ] {
            let mut r = Rename::open("u1", "Old");
            type_str(&mut r, "x");
            r.on_key(k(KeyCode::Enter));
            r.saving(1);
            let msg = r.failed(1, &err).unwrap();
            assert!(!msg.contains("Could not save"), "{msg}");
            assert!(!msg.contains("unchanged"), "{msg}");
            assert!(msg.contains("did not confirm"), "{msg}");
            assert!(msg.contains("kept as a draft"), "{msg}");
            assert!(msg.contains("R re-reads"), "{msg}");
            assert_eq!(r.typed(), "Oldx");
            assert!(r.is_unsaved());
        }
    }

    #[test]
    fn esc_with_changes_asks_first() {
        let mut r = Rename::open("u1", "Old");
        type_str(&mut r, "x");
        assert_eq!(r.on_key(k(KeyCode::Esc)), RenameOutcome::Continue);
        assert!(r.confirm_discard);
        assert_eq!(r.on_key(k(KeyCode::Char('n'))), RenameOutcome::Continue);
        assert_eq!(r.typed(), "Oldx");
        // Any other key keeps editing too, and is not typed into the name.
        r.on_key(k(KeyCode::Esc));
        assert!(r.confirm_discard);
        assert_eq!(r.on_key(k(KeyCode::Char('q'))), RenameOutcome::Continue);
        assert!(!r.confirm_discard);
        assert_eq!(r.typed(), "Oldx");
        r.on_key(k(KeyCode::Esc));
        assert_eq!(r.on_key(k(KeyCode::Esc)), RenameOutcome::Close);
    }
}
