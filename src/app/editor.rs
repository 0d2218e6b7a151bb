//! The one inline editor (mailbox rename, conversation rename, contact-form fields): a one-line
//! ratatui-textarea with readline keys and undo, plus a message line for validation errors.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

/// Longest name Plannr accepts (characters).
pub const MAX_NAME: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorEvent {
    /// The key changed or moved within the text.
    Edited,
    /// Enter.
    Submit,
    /// Esc.
    Cancel,
    /// A key the editor does not use (Tab, Ctrl-S…): the owner may act on it.
    Ignored,
}

#[derive(Debug, Clone)]
pub struct InlineEditor {
    pub textarea: TextArea<'static>,
    /// The value the editor opened with (to tell "changed" and "unchanged").
    pub original: String,
    /// Shown under the field: a validation problem or the server's message.
    pub error: Option<String>,
    /// A search box's previous query: ↑ on the empty field brings it back (as in less and vim).
    pub recall: Option<String>,
}

impl InlineEditor {
    pub fn new(text: &str) -> InlineEditor {
        let mut textarea = TextArea::new(vec![one_line(text)]);
        textarea.move_cursor(CursorMove::End);
        textarea.set_cursor_line_style(ratatui::style::Style::default());
        textarea.set_max_histories(200);
        InlineEditor {
            textarea,
            original: text.to_string(),
            error: None,
            recall: None,
        }
    }

    /// A new search box: empty, with the previous query (if any) one ↑ away.
    pub fn search(previous: &str) -> InlineEditor {
        let mut e = InlineEditor::new("");
        e.recall = Some(previous.trim().to_string()).filter(|p| !p.is_empty());
        e
    }

    /// The previous query ↑ would bring back now (the field is empty), for the hint.
    pub fn recall_hint(&self) -> Option<&str> {
        self.recall.as_deref().filter(|_| self.text().is_empty())
    }

    /// Reopen with text the user had typed (after a failed save), keeping the original value.
    pub fn with_text(original: &str, typed: &str) -> InlineEditor {
        let mut e = InlineEditor::new(original);
        e.set_text(typed);
        e
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join(" ")
    }

    pub fn set_text(&mut self, text: &str) {
        self.textarea.select_all();
        self.textarea.cut();
        self.textarea.insert_str(one_line(text));
    }

    pub fn changed(&self) -> bool {
        self.text() != self.original
    }

    /// Handle a key. Newlines never enter the text; the usual readline keys work (Ctrl-A/E/W/U/K,
    /// Alt-B/F, Home/End, Ctrl-Z / Ctrl-R for undo and redo).
    pub fn on_key(&mut self, key: KeyEvent) -> EditorEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => return EditorEvent::Submit,
            KeyCode::Esc => return EditorEvent::Cancel,
            KeyCode::Up if self.recall_hint().is_some() => {
                let previous = self.recall.clone().unwrap_or_default();
                self.set_text(&previous);
            }
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                return EditorEvent::Ignored;
            }
            KeyCode::Char('s') if ctrl => return EditorEvent::Ignored,
            KeyCode::Char('m' | 'j') if ctrl => return EditorEvent::Submit,
            KeyCode::Char('z') if ctrl => {
                self.textarea.undo();
            }
            KeyCode::Char('r') if ctrl => {
                self.textarea.redo();
            }
            KeyCode::Char('u') if ctrl => {
                self.textarea.delete_line_by_head();
            }
            KeyCode::Char('w') if ctrl => self.rubout_word(),
            _ => {
                self.textarea.input(key);
            }
        }
        // Any edit clears a stale validation message; it is recomputed on submit.
        self.error = None;
        EditorEvent::Edited
    }

    /// Ctrl-W as readline's unix-word-rubout: delete back over spaces, then back to the previous
    /// space, so punctuation belongs to the word ("(main)" goes whole). Alt-Backspace keeps the
    /// finer backward-kill-word.
    fn rubout_word(&mut self) {
        let cursor = self.textarea.cursor();
        let Some(line) = self.textarea.lines().get(cursor.0) else {
            return;
        };
        let before: Vec<char> = line.chars().take(cursor.1).collect();
        let mut start = before.len();
        while start > 0 && before[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !before[start - 1].is_whitespace() {
            start -= 1;
        }
        let n = before.len() - start;
        for _ in 0..n {
            self.textarea.move_cursor(CursorMove::Back);
        }
        self.textarea.delete_str(n);
    }

    /// Bracketed paste: inserted as one line.
    pub fn paste(&mut self, s: &str) {
        self.textarea
            .insert_str(one_line(&crate::render::sanitize::line(s)));
        self.error = None;
    }
}

/// Keep `text` as the query a new search box recalls (an empty one keeps the older query).
pub fn remember_query(last: &mut String, text: &str) {
    let t = text.trim();
    if !t.is_empty() {
        *last = t.to_string();
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// Rules shared by every rename: trimmed, not blank, at most 255 characters.
pub fn validate_name(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("The name cannot be blank.".into());
    }
    let n = t.chars().count();
    if n > MAX_NAME {
        return Err(format!(
            "The name is {n} characters; the most Plannr accepts is {MAX_NAME}."
        ));
    }
    Ok(t.to_string())
}

/// Where a save stands. The typed text stays in the owner's state until `Saved` or a discard.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    Editing,
    /// Sent; the UI shows the new value marked as saving.
    Saving {
        id: u64,
    },
    /// The server refused it (422): reopen the editor with the message.
    Rejected {
        message: String,
    },
    /// Network/5xx/timeout: old value back, text kept, retry offered.
    Failed {
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn readline_keys_and_undo() {
        let mut e = InlineEditor::new("Annual review");
        assert!(!e.changed());
        e.on_key(key(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(e.text(), "Annual ");
        e.on_key(key(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert_eq!(e.text(), "Annual review");
        e.on_key(key(KeyCode::Char('a'), KeyModifiers::CONTROL));
        e.on_key(key(KeyCode::Char('X'), KeyModifiers::SHIFT));
        assert_eq!(e.text(), "XAnnual review");
        e.on_key(key(KeyCode::Char('e'), KeyModifiers::CONTROL));
        e.on_key(key(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(e.text(), "");
        assert!(e.changed());
        assert_eq!(
            e.on_key(key(KeyCode::Enter, KeyModifiers::NONE)),
            EditorEvent::Submit
        );
        assert_eq!(
            e.on_key(key(KeyCode::Esc, KeyModifiers::NONE)),
            EditorEvent::Cancel
        );
    }

    /// Ctrl-W is readline's unix-word-rubout: back to the previous whitespace, so punctuation
    /// belongs to the word ("(main)" goes in one press, not ")" alone).
    #[test]
    fn ctrl_w_deletes_back_to_whitespace_like_readline() {
        let ctrl_w = key(KeyCode::Char('w'), KeyModifiers::CONTROL);
        let mut e = InlineEditor::new("git log (main)");
        e.on_key(ctrl_w);
        assert_eq!(e.text(), "git log ");
        e.on_key(ctrl_w);
        assert_eq!(e.text(), "git ");
        let mut e = InlineEditor::new("a.b-c/d  ");
        e.on_key(ctrl_w);
        assert_eq!(e.text(), "", "trailing spaces go with the word before them");
        // In the middle of the text: only what is before the cursor goes.
        let mut e = InlineEditor::new("Ann (home) x");
        e.on_key(key(KeyCode::Left, KeyModifiers::NONE));
        e.on_key(key(KeyCode::Left, KeyModifiers::NONE));
        e.on_key(ctrl_w);
        assert_eq!(e.text(), "Ann  x");
        e.on_key(key(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert_eq!(e.text(), "Ann (home) x", "one undo brings it back");
        let mut e = InlineEditor::new("");
        assert_eq!(e.on_key(ctrl_w), EditorEvent::Edited);
        assert_eq!(e.text(), "");
        let mut e = InlineEditor::new("café «déjà»");
        e.on_key(ctrl_w);
        assert_eq!(e.text(), "café ");
    }

    #[test]
    fn a_search_box_opens_empty_with_the_previous_query_one_up_away() {
        let up = key(KeyCode::Up, KeyModifiers::NONE);
        let mut e = InlineEditor::search(" thom ");
        assert_eq!(e.text(), "");
        assert_eq!(e.recall_hint(), Some("thom"));
        assert_eq!(e.on_key(up), EditorEvent::Edited);
        assert_eq!(e.text(), "thom");
        assert_eq!(e.recall_hint(), None);
        assert_eq!(
            e.on_key(up),
            EditorEvent::Ignored,
            "with text, ↑ is the owner's (moves the list)"
        );
        let mut e = InlineEditor::search("");
        assert_eq!(e.on_key(up), EditorEvent::Ignored, "nothing to recall");
        assert_eq!(e.text(), "");
    }

    #[test]
    fn paste_stays_on_one_line() {
        let mut e = InlineEditor::new("");
        e.paste("a\nb\x1b[31mc");
        assert_eq!(e.text(), "a bc");
    }

    #[test]
    fn name_rules() {
        assert_eq!(validate_name("  Review  "), Ok("Review".into()));
        assert!(validate_name("   ").is_err());
        assert!(validate_name(&"x".repeat(256)).is_err());
        assert!(validate_name(&"é".repeat(255)).is_ok());
    }
}
