//! What each key does in the form.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Focus, Form, FormOutcome, Phase};
use crate::app::editor::EditorEvent;

impl Form {
    fn toggle(list: &mut Vec<String>, uuid: &str) {
        if let Some(i) = list.iter().position(|u| u == uuid) {
            list.remove(i);
        } else {
            list.push(uuid.to_string());
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match &self.phase {
            Phase::Checking { .. } | Phase::Saving { .. } => {
                return if key.code == KeyCode::Esc {
                    FormOutcome::StopWaiting
                } else {
                    FormOutcome::Continue
                };
            }
            Phase::Conflict { theirs, fields } => {
                return match key.code {
                    KeyCode::Char('m') | KeyCode::Char('M') => match self.validate() {
                        Some(body) => FormOutcome::KeepMine(body),
                        None => {
                            self.phase = Phase::Editing;
                            FormOutcome::Continue
                        }
                    },
                    KeyCode::Char('t') | KeyCode::Char('T') => {
                        let theirs = theirs.clone();
                        let fields = fields.clone();
                        self.take_theirs(&fields);
                        if self.changed() {
                            // My changes to the fields they did not touch still go through.
                            match self.validate() {
                                Some(body) => FormOutcome::KeepMine(body),
                                None => {
                                    self.phase = Phase::Editing;
                                    FormOutcome::Continue
                                }
                            }
                        } else {
                            FormOutcome::KeepTheirs(theirs)
                        }
                    }
                    KeyCode::Esc => {
                        self.phase = Phase::Editing;
                        FormOutcome::Continue
                    }
                    _ => FormOutcome::Continue,
                };
            }
            Phase::ConfirmDiscard => {
                self.phase = Phase::Editing;
                self.general_error = None;
                if matches!(
                    key.code,
                    KeyCode::Esc | KeyCode::Char('y') | KeyCode::Char('Y')
                ) {
                    return FormOutcome::Close { discard: true };
                }
                return FormOutcome::Continue;
            }
            Phase::Editing => {}
        }
        if ctrl && key.code == KeyCode::Char('s') {
            return self.submit();
        }
        match key.code {
            KeyCode::Tab => {
                self.focus = self.focus.step(true);
                return FormOutcome::Continue;
            }
            KeyCode::BackTab => {
                self.focus = self.focus.step(false);
                return FormOutcome::Continue;
            }
            KeyCode::Esc => {
                return if self.changed() {
                    self.phase = Phase::ConfirmDiscard;
                    FormOutcome::Continue
                } else {
                    FormOutcome::Close { discard: false }
                };
            }
            _ => {}
        }
        match self.focus {
            Focus::Label | Focus::Value => {
                let ed = if self.focus == Focus::Label {
                    &mut self.label
                } else {
                    &mut self.value
                };
                let before = ed.text();
                match ed.on_key(key) {
                    EditorEvent::Submit => self.submit(),
                    EditorEvent::Edited if ed.text() != before => FormOutcome::Edited,
                    EditorEvent::Ignored if matches!(key.code, KeyCode::Down) => {
                        self.focus = self.focus.step(true);
                        FormOutcome::Continue
                    }
                    EditorEvent::Ignored if matches!(key.code, KeyCode::Up) => {
                        self.focus = self.focus.step(false);
                        FormOutcome::Continue
                    }
                    _ => FormOutcome::Continue,
                }
            }
            Focus::Owners | Focus::Primary => {
                let n = self.accounts.len().max(1);
                match key.code {
                    KeyCode::Enter => self.submit(),
                    KeyCode::Left | KeyCode::Char('h') => {
                        self.cursor = (self.cursor + n - 1) % n;
                        FormOutcome::Continue
                    }
                    KeyCode::Right | KeyCode::Char('l') => {
                        self.cursor = (self.cursor + 1) % n;
                        FormOutcome::Continue
                    }
                    KeyCode::Down => {
                        self.focus = self.focus.step(true);
                        FormOutcome::Continue
                    }
                    KeyCode::Up => {
                        self.focus = self.focus.step(false);
                        FormOutcome::Continue
                    }
                    KeyCode::Char(' ') | KeyCode::Char('x') => {
                        let Some((uuid, _)) = self.accounts.get(self.cursor.min(n - 1)).cloned()
                        else {
                            return FormOutcome::Continue;
                        };
                        if self.focus == Focus::Owners {
                            Self::toggle(&mut self.owners, &uuid);
                            self.owners_error = None;
                        } else {
                            Self::toggle(&mut self.primaries, &uuid);
                        }
                        self.primary_error = None;
                        FormOutcome::Edited
                    }
                    _ => FormOutcome::Continue,
                }
            }
        }
    }

    fn submit(&mut self) -> FormOutcome {
        if !self.is_new() && !self.changed() {
            return FormOutcome::Close { discard: true };
        }
        match self.validate() {
            Some(body) => FormOutcome::Save(body),
            None => FormOutcome::Continue,
        }
    }
}
