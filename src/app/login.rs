//! Choosing which Plannr account to act as: the answer to `PlannrCall::Logins`, the picker shown when
//! the token reaches several accounts, and asking again after a failure.
use crossterm::event::{KeyCode, KeyEvent};

use super::{Call, Command, PlannrCall, PlannrReply, Reply, Route, State, list};
use crate::api::ApiError;
use crate::api::models::*;
use crate::keymap::Action;

/// Choosing which account to act as, when the token reaches several.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginPicker {
    pub choices: Vec<(String, String)>,
    pub nav: list::ListNav,
}

pub(super) fn on_logins(state: &mut State, result: Result<Reply, ApiError>) {
    let logins = match result {
        Ok(Reply::Plannr(PlannrReply::Logins(l))) => l,
        Ok(_) => return,
        Err(e) => {
            if state.core.account_uuid.is_none() {
                state.core.error(format!(
                    "Could not list your Plannr accounts: {e}. Press R to try again."
                ));
            }
            return;
        }
    };
    let label = |uuid: &str| {
        logins
            .logins
            .iter()
            .find(|l| l.account.as_ref().is_some_and(|a| a.uuid == uuid))
            .map(|l| {
                let name = l
                    .account
                    .as_ref()
                    .map(Account::display_name)
                    .unwrap_or_default();
                match &l.firm {
                    Some(f) if !f.name.is_empty() => format!("{name} · {}", f.name),
                    _ => name,
                }
            })
    };
    if let Some(acc) = state.core.account_uuid.clone() {
        state.core.account_label = label(&acc).unwrap_or(acc);
        return;
    }
    if let Some(acc) = logins.automatic_choice() {
        choose_account(state, acc.clone(), label(&acc).unwrap_or(acc));
        return;
    }
    let choices: Vec<(String, String)> = logins
        .logins
        .iter()
        .filter_map(|l| l.account.as_ref().map(|a| a.uuid.clone()))
        .map(|uuid| (uuid.clone(), label(&uuid).unwrap_or_else(|| uuid.clone())))
        .collect();
    if choices.is_empty() {
        state
            .core
            .error("This token has no Plannr accounts to act as. Pass --account UUID.");
    } else {
        state.login_picker = Some(LoginPicker {
            choices,
            nav: list::ListNav::default(),
        });
    }
}

fn choose_account(state: &mut State, uuid: String, label: String) {
    state.core.account_uuid = Some(uuid.clone());
    state.core.account_label = label;
    state.core.out.push(Command::SetAccount(uuid));
    state.activate(state.tab);
}

/// Keys for the login picker, and `R` (list the accounts again) while no account is chosen.
/// Returns whether the key was taken.
pub(super) fn on_key(state: &mut State, key: &KeyEvent, global: Option<Action>) -> bool {
    // The picker reads the keys as the active pane's table does (moves, open, back).
    let action = state
        .core
        .peek_action(state.tab.scope(), crate::keymap::ALL_VIEWS, key);
    if let Some(picker) = &mut state.login_picker {
        let rows = state.core.pane_rows();
        let len = picker.choices.len();
        if picker.nav.on_action(action, len, rows) {
            return true;
        }
        if global == Some(Action::Quit) {
            super::state::quit(state);
            return true;
        }
        match action {
            Some(Action::Open) => {
                if let Some((uuid, label)) = picker.choices.get(picker.nav.selected).cloned() {
                    state.login_picker = None;
                    choose_account(state, uuid, label);
                }
            }
            // A prompt: Esc always leaves it, as in every prompt.
            _ if action == Some(Action::Back) || key.code == KeyCode::Esc => {
                super::state::quit(state)
            }
            _ => {}
        }
        return true;
    }
    // No account yet and no picker: listing the accounts failed (or found none). R asks again;
    // the panes have nothing to load until an account is chosen.
    if state.core.account_uuid.is_none()
        && state.pane(state.tab).backend() == super::Backend::Plannr
        && global == Some(Action::Accounts)
        && !state.captures_input()
    {
        if !state.core.pending.values().any(|r| *r == Route::Logins) {
            state
                .core
                .request(Route::Logins, Call::Plannr(PlannrCall::Logins));
            state.core.info("Asking Plannr for your accounts again…");
        }
        return true;
    }
    false
}
