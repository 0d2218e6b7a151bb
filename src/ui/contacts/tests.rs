use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::api::ApiError;
use crate::app::contacts::fixtures::*;
use crate::app::contacts::form::Form;
use crate::app::contacts::validate::map_server_errors;
use crate::app::{Settings, State, Tab};

fn state(w: u16, h: u16) -> State {
    let mut s = State::new(Settings::default(), Some("acc".into()), (w, h));
    s.tab = Tab::Contacts;
    s.core.account_label = "Sam Adviser · Harbour Wealth".into();
    s
}

fn render(s: &State, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| crate::ui::draw(s, f)).unwrap();
    t
}

const SIZES: [(u16, u16); 3] = [(40, 16), (80, 24), (120, 40)];

#[test]
fn client_list() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        s.contacts = pane_with_clients(&mut s.core);
        s.contacts.picker.nav.selected = 1;
        insta::assert_snapshot!(format!("client_list_{w}x{h}"), render(&s, w, h).backend());
    }
}

#[test]
fn detail_list() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        s.contacts = pane_with_details(&mut s.core);
        s.contacts.detail_nav.selected = 1;
        insta::assert_snapshot!(format!("detail_list_{w}x{h}"), render(&s, w, h).backend());
    }
}

fn form_errors_state(w: u16, h: u16) -> State {
    let mut s = state(w, h);
    s.contacts = pane_with_details(&mut s.core);
    let d = details()[2].clone();
    let linked = vec![("c2".to_string(), "Jo Thompson".to_string())];
    let mut f = Form::edit("c1", "Gareth Thompson", &d, &linked);
    f.label.set_text("");
    f.value.set_text("+61 2");
    f.owners.clear();
    f.validate();
    // And what the server said about the owners field.
    let errors: BTreeMap<String, Vec<String>> = [(
        "account_uuids.0".to_string(),
        vec!["The selected account is not a client.".to_string()],
    )]
    .into();
    let mut e = map_server_errors(&errors, "");
    e.label = f.label.error.clone();
    e.value = f.value.error.clone();
    e.primary = f.primary_error.clone();
    f.show_errors(&e);
    s.contacts.form = Some(f);
    s.contacts.detail_nav.selected = 2;
    s
}

#[test]
fn form_with_field_errors() {
    for (w, h) in SIZES {
        let s = form_errors_state(w, h);
        insta::assert_snapshot!(format!("form_errors_{w}x{h}"), render(&s, w, h).backend());
    }
}

fn conflict_state() -> State {
    let mut s = state(100, 30);
    s.contacts = pane_with_details(&mut s.core);
    let d = details()[2].clone();
    let mut f = Form::edit("c1", "Gareth Thompson", &d, &[]);
    f.label.set_text("Mobile (new)");
    let mut theirs = d.clone();
    theirs.name = "Jo's old mobile".into();
    theirs.updated_at = "2025-08-01T09:00:00+01:00".into();
    let fields = f.rebase(&theirs);
    f.phase = crate::app::contacts::form::Phase::Conflict {
        theirs: Box::new(theirs),
        fields,
    };
    s.contacts.form = Some(f);
    s
}

#[test]
fn conflict_popup() {
    let s = conflict_state();
    insta::assert_snapshot!(render(&s, 100, 30).backend());
}

/// Every Contacts screen in the dark and light presets and without colour.
#[test]
fn every_screen_in_every_look() {
    use crate::ui::theme;
    let (w, h) = (80, 24);
    let mut clients = state(w, h);
    clients.contacts = pane_with_clients(&mut clients.core);
    clients.contacts.picker.nav.selected = 1;
    let mut detail = state(w, h);
    detail.contacts = pane_with_details(&mut detail.core);
    detail.contacts.detail_nav.selected = 1;
    let screens = [
        ("clients", clients, (w, h)),
        ("details", detail, (w, h)),
        ("form_errors", form_errors_state(w, h), (w, h)),
        ("conflict", conflict_state(), (100, 30)),
    ];
    for (look, t) in theme::looks() {
        let _g = theme::scoped(t);
        for (name, s, (w, h)) in &screens {
            let term = render(s, *w, *h);
            let buf = term.backend().buffer();
            let bad = theme::lint(buf, &t);
            assert!(bad.is_empty(), "{name} in {look}: {bad:?}");
            insta::assert_snapshot!(
                format!("look_{look}_contacts_{name}"),
                theme::styled_screen(buf)
            );
        }
    }
}

fn screen_rows(t: &Terminal<TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// Issue 17.2: the save in progress shows on the form itself (only the dim footer said
/// so), and a reload keeps the rows with "refreshing…" in the header.
#[test]
fn the_form_shows_its_save_and_a_reload_keeps_the_rows() {
    let mut s = state(100, 30);
    s.contacts = pane_with_details(&mut s.core);
    let d = details()[2].clone();
    let mut f = Form::edit("c1", "Gareth Thompson", &d, &[]);
    f.label.set_text("Mobile (new)");
    use crate::app::contacts::form::Phase;
    for (phase, note) in [
        (Phase::Checking { id: 7 }, "checking the server copy…"),
        (Phase::Saving { id: 8 }, "saving…"),
    ] {
        f.phase = phase;
        s.contacts.form = Some(f.clone());
        let rows = screen_rows(&render(&s, 100, 30));
        assert!(
            rows.iter().any(|r| r.contains('└') && r.contains(note)),
            "{note} on the form's border: {rows:#?}"
        );
    }
    s.contacts.form = None;
    let mut fresh = crate::app::paged::Paged::new(100);
    fresh.mark_loading(1, 9);
    s.contacts.refresh = Some(fresh);
    let rows = screen_rows(&render(&s, 100, 30));
    assert!(
        rows.iter()
            .any(|r| r.contains("contact details — refreshing…"))
    );
    assert!(
        rows.iter().any(|r| r.contains("thompsons@example.co.uk")),
        "the rows stay: {rows:#?}"
    );
}

/// Issue 15: the contact form asks the same discard question, in the same box, as renames.
#[test]
fn the_form_asks_the_one_discard_question() {
    use crate::ui::overlay::{DISCARD_KEYS, DISCARD_QUESTION};
    let mut s = state(80, 24);
    s.contacts = pane_with_details(&mut s.core);
    let d = details()[2].clone();
    let mut f = Form::edit("c1", "Gareth Thompson", &d, &[]);
    f.label.set_text("Mobile (new)");
    f.phase = crate::app::contacts::form::Phase::ConfirmDiscard;
    s.contacts.form = Some(f);
    let text = screen_rows(&render(&s, 80, 24)).join("\n");
    assert!(
        text.contains(DISCARD_QUESTION) && text.contains(DISCARD_KEYS),
        "{text}"
    );
}

#[test]
fn never_panics_at_any_size() {
    let mut s = state(80, 24);
    s.contacts = pane_with_details(&mut s.core);
    let d = details()[3].clone();
    s.contacts.form = Some(Form::edit("c1", "Gareth Thompson", &d, &[]));
    let _ = s
        .contacts
        .form
        .as_mut()
        .map(|f| f.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    let _ = ApiError::Timeout;
    for w in 0..40 {
        for h in 0..14 {
            s.core.size = (w, h);
            let _ = render(&s, w.max(1), h.max(1));
        }
    }
    s.contacts.view = crate::app::contacts::View::Clients;
    s.contacts.picker.search = Some(crate::app::editor::InlineEditor::new("tho"));
    for (w, h) in [(1, 1), (5, 3), (20, 4)] {
        let _ = render(&s, w, h);
    }
}
