use super::*;

fn ov(scope: &str, action: &str, keys: &[&str], line: usize) -> Override {
    Override {
        scope: scope.into(),
        action: action.into(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
        line,
    }
}

fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

#[test]
fn key_names_are_read_the_way_people_write_them() {
    let ctrl_d = Chord {
        code: KeyCode::Char('d'),
        mods: KeyModifiers::CONTROL,
    };
    for s in ["Ctrl-d", "C-d", "ctrl+d", "Ctrl-D", "control-d"] {
        assert_eq!(Chord::parse(s), Ok(ctrl_d), "{s}");
    }
    assert_eq!(Chord::parse("Enter"), Ok(Chord::plain(KeyCode::Enter)));
    assert_eq!(Chord::parse("return"), Ok(Chord::plain(KeyCode::Enter)));
    assert_eq!(Chord::parse("Esc"), Ok(Chord::plain(KeyCode::Esc)));
    assert_eq!(Chord::parse("F5"), Ok(Chord::plain(KeyCode::F(5))));
    assert_eq!(
        Chord::parse("PageDown"),
        Ok(Chord::plain(KeyCode::PageDown))
    );
    assert_eq!(Chord::parse("PgUp"), Ok(Chord::plain(KeyCode::PageUp)));
    assert_eq!(Chord::parse("Space"), Ok(Chord::plain(KeyCode::Char(' '))));
    assert_eq!(Chord::parse("l"), Ok(Chord::plain(KeyCode::Char('l'))));
    assert_eq!(Chord::parse("G"), Ok(Chord::plain(KeyCode::Char('G'))));
    assert_eq!(
        Chord::parse("Shift-g"),
        Ok(Chord::plain(KeyCode::Char('G')))
    );
    assert_eq!(Chord::parse("-"), Ok(Chord::plain(KeyCode::Char('-'))));
    assert_eq!(
        Chord::parse("Shift-Tab"),
        Ok(Chord::plain(KeyCode::BackTab))
    );
    assert_eq!(
        Chord::parse("M-x"),
        Ok(Chord {
            code: KeyCode::Char('x'),
            mods: KeyModifiers::ALT
        })
    );
    assert_eq!(
        Chord::parse("C--"),
        Ok(Chord {
            code: KeyCode::Char('-'),
            mods: KeyModifiers::CONTROL
        })
    );
    for bad in ["", "Entr", "F99", "Hyper-x", "Shift-/"] {
        let e = Chord::parse(bad).unwrap_err();
        assert!(e.contains('“') || e.contains("empty"), "{bad}: {e}");
    }
}

#[test]
fn labels_read_back_as_the_same_key() {
    for s in [
        "Ctrl-d",
        "Enter",
        "Space",
        "G",
        "Shift-Tab",
        "PgDn",
        "F5",
        "Alt-x",
        "↑",
    ] {
        let c = Chord::parse(s).unwrap_or_else(|_| Chord::plain(KeyCode::Up));
        let again = Chord::parse(&c.label()).unwrap_or(Chord::plain(KeyCode::Up));
        assert_eq!(c, again, "{s} → {}", c.label());
    }
    assert_eq!(Chord::parse("C-d").map(|c| c.label()), Ok("Ctrl-D".into()));
}

#[test]
fn key_events_match_their_chords() {
    let m = Keymap::default();
    let shift_g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(
        m.action(Scope::Mail, ALL_VIEWS, &shift_g),
        Some(Action::Bottom)
    );
    // Terminals report Ctrl-d as 'd' or 'D' with CONTROL.
    for c in ['d', 'D'] {
        assert_eq!(
            m.action(
                Scope::Mail,
                ALL_VIEWS,
                &ev(KeyCode::Char(c), KeyModifiers::CONTROL)
            ),
            Some(Action::HalfDown)
        );
    }
    // A modifier makes another key: Ctrl-r is not r.
    assert_eq!(
        m.action(
            Scope::Mailboxes,
            ALL_VIEWS,
            &ev(KeyCode::Char('r'), KeyModifiers::CONTROL)
        ),
        None
    );
    assert_eq!(
        m.action(
            Scope::Global,
            ALL_VIEWS,
            &ev(KeyCode::BackTab, KeyModifiers::SHIFT)
        ),
        Some(Action::PrevPane)
    );
    // Views: Space toggles sync in the Outreach list and pages in an open mailing.
    let space = ev(KeyCode::Char(' '), KeyModifiers::NONE);
    assert_eq!(
        m.action(Scope::Outreach, view::OUTREACH_BOXES, &space),
        Some(Action::Toggle)
    );
    assert_eq!(
        m.action(Scope::Outreach, view::OUTREACH_OPEN, &space),
        Some(Action::Forward)
    );
}

#[test]
fn the_default_tables_have_no_conflicts_and_every_default_key_parses() {
    for scope in Scope::ALL {
        for b in bindings(scope) {
            for k in b.keys {
                assert!(
                    Chord::parse(k).is_ok(),
                    "{} {}: {k}",
                    scope.name(),
                    b.action.name()
                );
            }
            assert_eq!(
                bindings(scope).filter(|o| o.action == b.action).count(),
                1,
                "{} is in [keys.{}] once",
                b.action.name(),
                scope.name()
            );
        }
    }
    assert_eq!(Keymap::with_overrides(&[]), Ok(Keymap::default()));
}

#[test]
fn overrides_replace_an_actions_keys() {
    let m = Keymap::with_overrides(&[
        ov("mail", "open", &["Enter", "l"], 3),
        ov("global", "quit", &["Q"], 4),
    ])
    .expect("valid");
    let l = ev(KeyCode::Char('l'), KeyModifiers::NONE);
    assert_eq!(m.action(Scope::Mail, ALL_VIEWS, &l), Some(Action::Open));
    assert_eq!(m.label(Scope::Mail, Action::Open), "Enter / l");
    let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(m.action(Scope::Global, ALL_VIEWS, &q), None);
    assert_eq!(m.label(Scope::Global, Action::Quit), "Q");
    // An empty list unbinds.
    let m = Keymap::with_overrides(&[ov("mail", "copy", &[], 1)]).expect("valid");
    assert_eq!(m.label(Scope::Mail, Action::Copy), "(no key)");
}

#[test]
fn mistakes_are_sentences_with_their_line() {
    let errs = Keymap::with_overrides(&[
        ov("mial", "open", &["l"], 2),
        ov("mail", "opne", &["l"], 3),
        ov("mail", "open", &["Entr"], 4),
    ])
    .unwrap_err();
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(
        errs[0].starts_with("line 2: [keys.mial] is not a section"),
        "{}",
        errs[0]
    );
    assert!(errs[0].contains("mailboxes, mail"), "{}", errs[0]);
    assert!(
        errs[1].starts_with("line 3: “opne” is not an action of [keys.mail]"),
        "{}",
        errs[1]
    );
    assert!(errs[1].contains("open"), "{}", errs[1]);
    assert!(
        errs[2].starts_with("line 4: [keys.mail] open: “Entr” is not a key"),
        "{}",
        errs[2]
    );
    // An action of another pane is not one of this pane's.
    let errs = Keymap::with_overrides(&[ov("mailboxes", "pin", &["x"], 7)]).unwrap_err();
    assert!(errs[0].starts_with("line 7: “pin” is not an action of [keys.mailboxes]"));
}

#[test]
fn conflicts_are_reported_with_the_line_that_made_them() {
    // Two actions on one key in one view.
    let errs = Keymap::with_overrides(&[ov("mail", "copy", &["n"], 5)]).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].starts_with("line 5: n is bound to both “next” and “copy” in [keys.mail]"),
        "{}",
        errs[0]
    );
    // The same key in views that never meet is fine (Space: sync in the list, page in a mailing).
    assert!(Keymap::with_overrides(&[ov("outreach", "test_send", &["Enter"], 1)]).is_err());
    assert!(Keymap::with_overrides(&[ov("mail", "incoming", &[], 1)]).is_err());
    assert!(Keymap::with_overrides(&[ov("mail", "direction", &["o"], 1)]).is_ok());
    // A pane key that a global key takes first would never work.
    let errs = Keymap::with_overrides(&[ov("contacts", "edit", &["L"], 9)]).unwrap_err();
    assert!(
        errs[0].starts_with(
            "line 9: L is the global “log” key, so “edit” in [keys.contacts] would never see it"
        ),
        "{}",
        errs[0]
    );
    // ... and the other way round.
    let errs = Keymap::with_overrides(&[ov("global", "help", &["e"], 11)]).unwrap_err();
    assert!(
        errs[0].starts_with("line 11: e is the global “help” key"),
        "{}",
        errs[0]
    );
    // q in a pane (back) before the global quit is how q works: no conflict.
    assert!(Keymap::with_overrides(&[ov("global", "quit", &["q", "Q"], 1)]).is_ok());
}
