use super::*;
use crate::api::models::{Account, PhoneMeta};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn k(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}
fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}
fn type_str(f: &mut Form, s: &str) {
    for c in s.chars() {
        f.on_key(k(KeyCode::Char(c)));
    }
}
fn acc(u: &str, n: &str) -> Account {
    Account {
        uuid: u.into(),
        name: n.into(),
        ..Account::default()
    }
}
pub fn phone() -> ContactDetail {
    ContactDetail {
        uuid: "d1".into(),
        kind: "phone_number".into(),
        name: "Mobile".into(),
        value: "+447700900123".into(),
        phone_number_meta: Some(PhoneMeta {
            country: "GB".into(),
            formatted: "07700 900123".into(),
        }),
        accounts: Some(vec![acc("c1", "Gareth"), acc("c2", "Jo")]),
        primary_accounts: Some(vec![acc("c2", "Jo")]),
        updated_at: "t1".into(),
        ..ContactDetail::default()
    }
}

#[test]
fn edit_keeps_owners_and_primaries_in_body() {
    let mut f = Form::edit("c1", "Gareth", &phone(), &[]);
    assert!(!f.changed());
    f.on_key(ctrl('u'));
    assert_eq!(f.on_key(k(KeyCode::Char('W'))), FormOutcome::Edited);
    type_str(&mut f, "ork");
    assert!(f.changed());
    let FormOutcome::Save(body) = f.on_key(ctrl('s')) else {
        panic!("expected save")
    };
    assert_eq!(body.name, "Work");
    assert_eq!(body.account_uuids, vec!["c1".to_string(), "c2".to_string()]);
    assert_eq!(body.primary_account_uuids, Some(vec!["c2".to_string()]));
    assert_eq!(body.kind, None);
}

#[test]
fn fields_tab_and_multiselect() {
    let mut f = Form::edit("c1", "Gareth", &phone(), &[("c3".into(), "Sam".into())]);
    assert_eq!(
        f.accounts.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(),
        ["c1", "c2", "c3"]
    );
    f.on_key(k(KeyCode::Tab));
    assert_eq!(f.focus, Focus::Value);
    f.on_key(k(KeyCode::Tab));
    assert_eq!(f.focus, Focus::Owners);
    // Untick c1 and c2: no owners, and c2 primary but not an owner.
    f.on_key(k(KeyCode::Char(' ')));
    f.on_key(k(KeyCode::Right));
    f.on_key(k(KeyCode::Char(' ')));
    assert!(f.owners.is_empty());
    assert_eq!(f.on_key(ctrl('s')), FormOutcome::Continue);
    assert!(f.owners_error.is_some() && f.primary_error.is_some());
    assert_eq!(f.focus, Focus::Owners, "focus goes to the first problem");
    f.on_key(k(KeyCode::Right));
    f.on_key(k(KeyCode::Char(' '))); // c3 owner
    f.on_key(k(KeyCode::BackTab));
    f.on_key(k(KeyCode::BackTab));
    assert_eq!(f.focus, Focus::Label);
    f.on_key(k(KeyCode::BackTab));
    assert_eq!(f.focus, Focus::Primary, "Shift-Tab wraps");
    f.on_key(k(KeyCode::Left)); // cursor c2
    f.on_key(k(KeyCode::Char(' '))); // c2 no longer primary
    let FormOutcome::Save(body) = f.on_key(k(KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!(body.account_uuids, vec!["c3".to_string()]);
    assert_eq!(body.primary_account_uuids, Some(vec![]));
}

#[test]
fn esc_asks_when_changed_and_unchanged_save_just_closes() {
    let mut f = Form::edit("c1", "Gareth", &phone(), &[]);
    assert_eq!(
        f.on_key(k(KeyCode::Enter)),
        FormOutcome::Close { discard: true }
    );
    assert_eq!(
        f.on_key(k(KeyCode::Esc)),
        FormOutcome::Close { discard: false }
    );
    type_str(&mut f, "!");
    assert_eq!(f.on_key(k(KeyCode::Esc)), FormOutcome::Continue);
    assert_eq!(f.phase, Phase::ConfirmDiscard);
    assert_eq!(f.on_key(k(KeyCode::Char('n'))), FormOutcome::Continue);
    assert_eq!(f.label.text(), "Mobile!");
    f.on_key(k(KeyCode::Esc));
    assert_eq!(
        f.on_key(k(KeyCode::Char('y'))),
        FormOutcome::Close { discard: true }
    );
}

#[test]
fn conflict_choices_and_busy() {
    let mut f = Form::edit("c1", "Gareth", &phone(), &[]);
    type_str(&mut f, "!");
    f.phase = Phase::Saving { id: 3 };
    assert_eq!(f.on_key(k(KeyCode::Char('x'))), FormOutcome::Continue);
    assert_eq!(f.label.text(), "Mobile!", "no edits while saving");
    assert_eq!(f.on_key(k(KeyCode::Esc)), FormOutcome::StopWaiting);
    let mut theirs = phone();
    theirs.updated_at = "t2".into();
    theirs.name = "Jo's".into();
    assert_eq!(f.rebase(&theirs), vec![Field::Label]);
    f.phase = Phase::Conflict {
        theirs: Box::new(theirs.clone()),
        fields: vec![Field::Label],
    };
    assert!(
        matches!(f.on_key(k(KeyCode::Char('m'))), FormOutcome::KeepMine(b) if b.name == "Mobile!")
    );
    assert_eq!(
        f.on_key(k(KeyCode::Char('t'))),
        FormOutcome::KeepTheirs(Box::new(theirs))
    );
    assert_eq!(f.label.text(), "Jo's");
}

#[test]
fn merge3_per_field() {
    let f = |l: &str, v: &str, o: &[&str], p: &[&str]| Fields {
        label: l.into(),
        value: v.into(),
        owners: o.iter().map(|s| s.to_string()).collect(),
        primaries: p.iter().map(|s| s.to_string()).collect(),
        primaries_unknown: false,
    };
    let base = f("A", "1", &["c1", "c2"], &["c2"]);
    // Only mine changed label; only theirs changed value; owners reordered is no change.
    let mine = f("B", "1", &["c2", "c1"], &["c2"]);
    let theirs = f("A", "2", &["c1", "c2"], &["c1"]);
    let (m, both) = merge3(&base, &mine, &theirs);
    assert!(both.is_empty());
    assert_eq!(
        (m.label.as_str(), m.value.as_str(), m.primaries.clone()),
        ("B", "2", vec!["c1".to_string()])
    );
    // Both changed label differently, and both changed value to the same: only label asked.
    let mine = f("B", "2", &["c1", "c2"], &["c2"]);
    let theirs = f("C", "2", &["c1"], &["c2"]);
    let (m, both) = merge3(&base, &mine, &theirs);
    assert_eq!(both, vec![Field::Label]);
    assert_eq!(m.label, "B");
    assert_eq!(m.owners, vec!["c1".to_string()]);
}

#[test]
fn draft_round_trip_reopens_exactly() {
    let mut f = Form::edit("c1", "Gareth", &phone(), &[]);
    f.on_key(ctrl('u'));
    type_str(&mut f, "Work");
    f.on_key(k(KeyCode::Tab));
    f.on_key(ctrl('u'));
    type_str(&mut f, "07700 900999");
    let d = f.to_draft();
    let back = Form::from_draft(&Draft::from_json(&d.to_json()).unwrap());
    assert_eq!(back.fields(), f.fields());
    assert_eq!(back.initial, f.initial);
    assert!(back.changed());
    assert_eq!(back.base_updated_at, "t1");
    assert_eq!(back.detail_uuid.as_deref(), Some("d1"));
    assert_eq!(back.name_of("c2"), "Jo");
    let n = Form::new_detail("c1", "Gareth", Kind::Email, &[]);
    assert_eq!(n.owners, vec!["c1".to_string()]);
    let nb = Form::from_draft(&n.to_draft());
    assert!(nb.is_new() && nb.base_updated_at.is_empty());
}
