use super::*;
use crate::app::{Msg, Settings, Tab, update};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(KeyCode::Char(c)));
    }
}

fn state() -> State {
    let mut s = State::new(Settings::default(), Some("acc".into()), (100, 30));
    s.init();
    s
}

#[test]
fn colon_and_ctrl_p_open_it_with_the_panes_and_the_global_actions() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char(':')));
    assert!(s.palette.is_some());
    let all = shown(&s);
    assert!(
        all.iter()
            .any(|i| i.action == Action::Rename && i.keys == "r")
    );
    assert!(
        all.iter()
            .any(|i| i.action == Action::Log && i.scope == Scope::Global)
    );
    assert!(
        !all.iter().any(|i| i.action == Action::Palette),
        "not itself"
    );
    assert!(
        !all.iter().any(|i| i.action == Action::Pin),
        "only this pane's actions"
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(s.palette.is_none());
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)),
    );
    assert!(s.palette.is_some());
}

#[test]
fn typing_filters_and_enter_runs_the_action_as_its_key_would() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char(':')));
    // Typed, not run: q and ? are letters of the filter here.
    typed(&mut s, "message log?q");
    assert!(!s.quit && !s.help);
    for _ in 0..2 {
        update(&mut s, key(KeyCode::Backspace));
    }
    let found = shown(&s);
    assert_eq!(found[0].action, Action::Log, "{found:?}");
    update(&mut s, key(KeyCode::Enter));
    assert!(s.palette.is_none());
    assert_eq!(s.log, Some(0), "the log opened as L would");
    update(&mut s, key(KeyCode::Esc));

    // Global actions: next pane, then previous pane chosen with ↓.
    update(&mut s, key(KeyCode::Char(':')));
    typed(&mut s, "next pane");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.tab, Tab::Mail);
    update(&mut s, key(KeyCode::Char(':')));
    typed(&mut s, "pane");
    let found = shown(&s);
    assert_eq!(found[1].action, Action::PrevPane, "{found:?}");
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.tab, Tab::Mailboxes);
}

#[test]
fn a_pane_action_runs_in_the_pane_even_without_a_key() {
    let keys = crate::keymap::Keymap::with_overrides(&[crate::keymap::Override {
        scope: "mailboxes".into(),
        action: "refresh".into(),
        keys: vec![],
        line: 1,
    }])
    .expect("valid");
    let mut s = State::new(
        Settings {
            keys: std::sync::Arc::new(keys),
            ..Settings::default()
        },
        Some("acc".into()),
        (100, 30),
    );
    s.init();
    let asked = |out: &[crate::app::Command]| {
        out.iter().any(|c| {
            matches!(
                c,
                crate::app::Command::Api {
                    call: crate::app::Call::Plannr(crate::app::PlannrCall::Mailboxes),
                    ..
                }
            )
        })
    };
    let out = update(&mut s, key(KeyCode::Char('R')));
    assert!(!asked(&out), "R is unbound: {out:?}");
    update(&mut s, key(KeyCode::Char(':')));
    typed(&mut s, "refresh");
    let found = shown(&s);
    assert_eq!(
        (found[0].action, found[0].keys.as_str()),
        (Action::Refresh, "(no key)")
    );
    let out = update(&mut s, key(KeyCode::Enter));
    assert!(
        asked(&out),
        "refresh asked for the mailboxes again: {out:?}"
    );
}

#[test]
fn letters_in_order_match_after_substrings() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char(':')));
    let f = filter(items(&s), "rdrw");
    assert_eq!(f[0].action, Action::Redraw, "{f:?}");
    assert!(filter(items(&s), "zzzz").is_empty());
    // Enter with nothing matching does nothing and keeps the palette open.
    typed(&mut s, "zzzz");
    update(&mut s, key(KeyCode::Enter));
    assert!(s.palette.is_some());
}
