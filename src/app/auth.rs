//! The 401 screen: Plannr refused the token. `R` asks the worker to read the token again from
//! where it came from (the config file afresh, its `token_command` run again, the environment)
//! and, once it is in use, asks Plannr again; a user who fixed the token need not restart.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::protocol::TokenRead;
use super::{Call, Command, PlannrCall, Route, State};

/// Where the 401 screen stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenCheck {
    /// `Command::ReadToken` is out (R again does nothing until it answers).
    pub reading: bool,
    /// What the last read found, in a sentence (shown on the screen, and in the status bar once
    /// the token works).
    pub note: Option<String>,
}

/// `R` on the 401 screen.
pub(super) fn read_again(state: &mut State) {
    let check = &mut state.core.token_check;
    if check.reading {
        return;
    }
    check.reading = true;
    check.note = None;
    state.core.out.push(Command::ReadToken);
}

/// The worker read the token again (it is in use now), or says why it could not.
pub(super) fn on_token_read(state: &mut State, result: Result<TokenRead, String>) {
    state.core.token_check.reading = false;
    let read = match result {
        Ok(r) => r,
        Err(why) => {
            // Still refused: the screen stays, saying what went wrong.
            state.core.token_check.note = Some(format!("Could not read the token again: {why}."));
            return;
        }
    };
    let note = if read.changed {
        format!("Read a new token from {}; asking Plannr again.", read.from)
    } else if read.can_change {
        format!(
            "Read the token again from {}: it is the same as before; asking Plannr again.",
            read.from
        )
    } else {
        format!(
            "The token comes from {}, which cannot change while the app runs: quit and start again with the new one. Asking Plannr again.",
            read.from
        )
    };
    state.core.token_check.note = Some(note.clone());
    state.core.unauthorized = false;
    state.core.info(note);
    if state.core.account_uuid.is_none() {
        if !state.core.pending.values().any(|r| *r == Route::Logins) {
            state
                .core
                .request(Route::Logins, Call::Plannr(PlannrCall::Logins));
        }
        return;
    }
    // As before the token could be read again: the pane's own refresh reloads what it shows
    // (unless it is taking text, where a key would be typed).
    if !state.captures_input() {
        state.core.forced = Some(crate::keymap::Action::Refresh);
        super::keys::on_key(state, KeyEvent::new(KeyCode::Null, KeyModifiers::NONE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiError;
    use crate::app::{Msg, Settings, update};

    fn key(c: KeyCode) -> Msg {
        Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
    }

    use crate::ui::screen_text as screen_of;

    /// R on the 401 screen when the token cannot be read again (config.toml broken, the
    /// token_command failing): the screen stays and says why; nothing is asked of Plannr.
    /// A token from the command line or environment is said to be unchangeable while running.
    #[test]
    fn a_token_that_cannot_be_read_again_keeps_the_screen_and_says_why() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (100, 30));
        s.init();
        let id = s
            .core
            .request(Route::Logins, Call::Plannr(PlannrCall::Logins));
        update(
            &mut s,
            Msg::Api {
                id,
                result: Err(ApiError::Unauthenticated),
            },
        );
        assert_eq!(
            update(&mut s, key(KeyCode::Char('R'))),
            vec![Command::ReadToken]
        );
        let out = update(
            &mut s,
            Msg::TokenRead(Err(
                "token_command in config.toml failed (exit status: 3)".into()
            )),
        );
        assert!(out.is_empty(), "{out:?}");
        assert!(s.core.unauthorized);
        let screen = screen_of(&s, 100, 30);
        assert!(
            screen.contains("Could not read the token again: token_command in config.toml failed"),
            "{screen}"
        );
        // Tried again: the token comes from the environment, which cannot change.
        assert_eq!(
            update(&mut s, key(KeyCode::Char('R'))),
            vec![Command::ReadToken]
        );
        let out = update(
            &mut s,
            Msg::TokenRead(Ok(TokenRead {
                from: "PLANNR_TOKEN".into(),
                changed: false,
                can_change: false,
            })),
        );
        assert!(!s.core.unauthorized);
        assert!(!out.is_empty(), "asked Plannr again: {out:?}");
        let id = match out.iter().find_map(|c| match c {
            Command::Api { id, .. } => Some(*id),
            _ => None,
        }) {
            Some(id) => id,
            None => panic!("an API call: {out:?}"),
        };
        update(
            &mut s,
            Msg::Api {
                id,
                result: Err(ApiError::Unauthenticated),
            },
        );
        let screen = screen_of(&s, 100, 30);
        assert!(
            screen.contains("PLANNR_TOKEN, which cannot change while the app runs"),
            "{screen}"
        );
    }
}
