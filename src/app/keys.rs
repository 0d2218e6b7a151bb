//! Key dispatch: what a key press does, from the global table and then the active pane's
//! (`keymap`). Global keys checked first (Ctrl-C, Ctrl-L, Ctrl-Z, Tab, `?`, `L`, the palette), the
//! overlays (help, log, palette, login picker), the tab digits, then the pane; an unused `quit`
//! key quits. The palette and the mouse hand actions in through `core.forced`.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::palette::{Item, Outcome};
use super::state::{State, ask_then_quit};
use super::{Command, Tab, help, login};
use crate::keymap::{ALL_VIEWS, Action, Chord, Scope};

pub(super) fn on_key(state: &mut State, key: KeyEvent) {
    let armed = std::mem::take(&mut state.core.quit_armed);
    // What the key is in the global table (an action handed in by the palette or the mouse is
    // always the pane's).
    let global = match state.core.forced {
        Some(_) => None,
        None => state
            .core
            .settings
            .keys
            .action(Scope::Global, ALL_VIEWS, &key),
    };
    let named = Chord::of(&key).label();
    dispatch(state, key, global, armed, &named);
    // A handed-in action no pane asked for (an overlay took the key) is dropped.
    state.core.forced = None;
}

fn dispatch(state: &mut State, key: KeyEvent, global: Option<Action>, armed: bool, named: &str) {
    if global == Some(Action::QuitNow) {
        ask_then_quit(state, armed, named);
        return;
    }
    let scope = state.tab.scope();
    // What the key would be in the pane, for the overlays' scrolling and the 401 screen.
    let in_pane = state
        .core
        .peek_action(scope, state.pane(state.tab).view(), &key);
    if state.core.unauthorized {
        // The 401 screen: R reads the token again and then asks Plannr again (`app::auth`),
        // q quits; nothing else.
        if global == Some(Action::Quit) {
            ask_then_quit(state, armed, named);
        } else if global == Some(Action::Accounts) || in_pane == Some(Action::Refresh) {
            super::auth::read_again(state);
        }
        return;
    }
    if global == Some(Action::Redraw) {
        state.core.out.push(Command::Redraw);
        return;
    }
    if global == Some(Action::Suspend) && !state.captures_input() {
        state.core.out.push(Command::Suspend);
        return;
    }
    if state.palette.is_some() {
        match super::palette::on_key(state, key) {
            Outcome::Stay => {}
            Outcome::Close => state.palette = None,
            Outcome::Run(item) => {
                state.palette = None;
                run(state, item, armed);
            }
        }
        return;
    }
    let scroll = match in_pane {
        Some(Action::Down) => Some(1i32),
        Some(Action::Up) => Some(-1),
        _ => None,
    };
    if state.help {
        let last = help::layout(&state.help_lines(), state.core.size).max_scroll;
        match scroll {
            Some(1) => state.help_scroll = state.help_scroll.saturating_add(1).min(last),
            Some(_) => state.help_scroll = state.help_scroll.min(last).saturating_sub(1),
            None => {
                state.help = false;
                state.help_scroll = 0;
            }
        }
        return;
    }
    if let Some(up) = state.log {
        let last = super::log_view::max_scroll(&state.core, state.core.size);
        let up = up.min(last);
        state.log = match scroll {
            Some(-1) => Some(up.saturating_add(1).min(last)),
            Some(_) => Some(up.saturating_sub(1)),
            None => None,
        };
        return;
    }
    if login::on_key(state, &key, global) {
        return;
    }
    if !state.captures_input() {
        // The digits follow the registry (tab order), not the table.
        let tab = match (global, key.code) {
            (None, KeyCode::Char(c))
                if key.modifiers.difference(KeyModifiers::SHIFT).is_empty() =>
            {
                Tab::from_digit(c).filter(|t| state.shown(*t))
            }
            (Some(Action::NextPane), _) => Some(state.tab.cycle_shown(1, |t| state.shown(t))),
            (Some(Action::PrevPane), _) => Some(state.tab.cycle_shown(-1, |t| state.shown(t))),
            _ => None,
        };
        if let Some(t) = tab {
            state.activate(t);
            return;
        }
        match global {
            Some(Action::Help) => {
                state.help = true;
                return;
            }
            Some(Action::Log) => {
                state.log = Some(0);
                return;
            }
            Some(Action::Palette) => {
                state.palette = Some(super::palette::Palette::new());
                return;
            }
            _ => {}
        }
    }
    let (pane, core) = state.pane_mut(state.tab);
    let handled = pane.on_key(key, core);
    if !handled && global == Some(Action::Quit) && !state.captures_input() {
        ask_then_quit(state, armed, named);
    }
}

/// Run an action the palette chose, exactly as its key would (even one left without a key).
fn run(state: &mut State, item: Item, armed: bool) {
    let none = KeyEvent::new(KeyCode::Null, KeyModifiers::NONE);
    if item.scope == Scope::Global {
        let named = match state.core.settings.keys.first(Scope::Global, item.action) {
            k if k.is_empty() => item.action.name().to_string(),
            k => k,
        };
        dispatch(state, none, Some(item.action), armed, &named);
    } else {
        state.core.forced = Some(item.action);
        dispatch(state, none, None, armed, "");
        state.core.forced = None;
    }
}
