//! The pane's state machine, driven with keys and answers as the app would.
use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::api::Page;
use crate::api::models::PhoneMeta;
use crate::app::{Msg, State, Timer};

pub use super::fixtures::acc;

pub fn phone(uuid: &str, label: &str, updated: &str) -> ContactDetail {
    ContactDetail {
        uuid: uuid.into(),
        kind: "phone_number".into(),
        name: label.into(),
        value: "+447700900123".into(),
        phone_number_meta: Some(PhoneMeta {
            country: "GB".into(),
            formatted: "07700 900123".into(),
        }),
        accounts: Some(vec![acc("c1", "Gareth Thompson"), acc("c2", "Jo Thompson")]),
        primary_accounts: Some(vec![acc("c2", "Jo Thompson")]),
        updated_at: updated.into(),
        ..ContactDetail::default()
    }
}

pub fn email(uuid: &str) -> ContactDetail {
    ContactDetail {
        uuid: uuid.into(),
        kind: "email".into(),
        name: "Personal".into(),
        value: "gareth@example.com".into(),
        accounts: Some(vec![acc("c1", "Gareth Thompson")]),
        primary_accounts: Some(vec![acc("c1", "Gareth Thompson")]),
        updated_at: "t0".into(),
        ..ContactDetail::default()
    }
}

fn k(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}
fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

struct T {
    pane: ContactsPane,
    core: Core,
}

impl T {
    fn new() -> T {
        let settings = Settings {
            drafts_dir: Some("/tmp/never-written".into()),
            ..Settings::default()
        };
        let core = Core {
            settings: settings.clone(),
            size: (100, 30),
            ..Core::default()
        };
        T {
            pane: ContactsPane::new(&settings),
            core,
        }
    }
    fn key(&mut self, key: KeyEvent) {
        self.pane.on_key(key, &mut self.core);
    }
    fn type_str(&mut self, s: &str) {
        for c in s.chars() {
            self.key(k(KeyCode::Char(c)));
        }
    }
    fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.core.out)
    }
    /// The last API call asked for, with its id and route.
    fn last_call(&mut self) -> (RequestId, Call, Route) {
        let (id, call) = self
            .core
            .out
            .iter()
            .rev()
            .find_map(|c| match c {
                Command::Api { id, call, .. } => Some((*id, call.clone())),
                _ => None,
            })
            .expect("a call");
        let route = match self.core.pending.remove(&id) {
            Some(AppRoute::Contacts(r)) => r,
            other => panic!("route {other:?}"),
        };
        self.core.out.clear();
        (id, call, route)
    }
    fn answer(&mut self, result: Result<Reply, ApiError>) {
        let (id, _, route) = self.last_call();
        self.pane.on_result(route, id, result, &mut self.core);
    }
    /// Clients loaded, c1 opened, its details loaded.
    fn opened(details: Vec<ContactDetail>) -> T {
        let mut t = T::new();
        t.pane.on_show(&mut t.core);
        let (_, call, _) = {
            let (id, call, route) = t.last_call();
            let page = Page {
                items: vec![acc("c1", "Gareth Thompson"), acc("c9", "Ann Other")],
                has_next: Some(false),
                ..Page::default()
            };
            t.pane.on_result(
                route,
                id,
                Ok(Reply::Plannr(PlannrReply::Clients(page))),
                &mut t.core,
            );
            (id, call, ())
        };
        assert!(matches!(
            call,
            Call::Plannr(PlannrCall::Clients { page: 1, .. })
        ));
        t.key(k(KeyCode::Enter));
        let (id, call, route) = t.last_call();
        assert_eq!(
            call,
            Call::Plannr(PlannrCall::ContactDetails {
                account_uuids: vec!["c1".into()],
                page: 1,
                per_page: DETAILS_PER_PAGE
            })
        );
        let page = Page {
            items: details,
            has_next: Some(false),
            ..Page::default()
        };
        t.pane.on_result(
            route,
            id,
            Ok(Reply::Plannr(PlannrReply::ContactDetails(page))),
            &mut t.core,
        );
        t
    }
}

/// The server's copy of d1 when nobody else changed it (`updated_at` still "t1").
fn unchanged_d1() -> Result<Reply, ApiError> {
    Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(Box::new(
        phone("d1", "Mobile", "t1"),
    )))))
}

#[test]
fn search_is_debounced_and_filters_by_name() {
    let mut t = T::new();
    t.pane.on_show(&mut t.core);
    let _ = t.last_call();
    t.key(k(KeyCode::Char('/')));
    assert!(t.pane.captures_input());
    t.type_str("thom");
    let seqs: Vec<u64> = t
        .take()
        .iter()
        .filter_map(|c| match c {
            Command::Timer {
                timer:
                    Timer::Debounce {
                        tab: Tab::Contacts,
                        seq,
                    },
                ..
            } => Some(*seq),
            _ => None,
        })
        .collect();
    assert_eq!(seqs.len(), 4);
    t.pane.on_debounce(seqs[1], &mut t.core);
    assert!(t.core.out.is_empty(), "a stale keystroke does not search");
    t.pane.on_debounce(seqs[3], &mut t.core);
    let (_, call, _) = t.last_call();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::Clients {
            name: Some("thom".into()),
            page: 1,
            per_page: 50
        })
    );
}

#[test]
fn edit_checks_then_saves_full_body_and_deletes_draft() {
    let mut t = T::opened(vec![email("d0"), phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Down));
    t.key(k(KeyCode::Char('e')));
    assert!(t.pane.captures_input());
    t.key(ctrl('u'));
    t.type_str("Work mobile");
    t.key(k(KeyCode::Tab));
    t.key(ctrl('u'));
    t.type_str("07700 900999");
    t.key(ctrl('s'));
    let (id, call, route) = t.last_call();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::ContactDetail { uuid: "d1".into() }),
        "the record is re-fetched first"
    );
    t.pane.on_result(route, id, unchanged_d1(), &mut t.core);
    let (id, call, route) = t.last_call();
    let Call::Plannr(PlannrCall::UpdateContactDetail { uuid, body }) = call else {
        panic!("{call:?}")
    };
    assert_eq!(uuid, "d1");
    assert_eq!(body.name, "Work mobile");
    assert_eq!(
        body.value,
        crate::api::models::ContactValue::Text("07700 900999".into())
    );
    assert_eq!(
        body.account_uuids,
        vec!["c1".to_string(), "c2".to_string()],
        "owners resent"
    );
    assert_eq!(
        body.primary_account_uuids,
        Some(vec!["c2".to_string()]),
        "primaries resent"
    );
    // Plannr's documented PUT answer (seed 004) carries `accounts` and no `primary_accounts`.
    let mut saved = phone("d1", "Work mobile", "t2");
    saved.primary_accounts = None;
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(Box::new(
            saved,
        ))))),
        &mut t.core,
    );
    assert!(t.pane.form.is_none());
    // Plannr did not say who has it as primary: the list is read again (with include).
    assert!(
        t.core.out.iter().any(|c| matches!(
            c,
            Command::Api {
                call: Call::Plannr(PlannrCall::ContactDetails { .. }),
                ..
            }
        )),
        "re-read after an answer without primaries"
    );
    assert!(
        t.core
            .out
            .iter()
            .any(|c| matches!(c, Command::DeleteDraft { key, .. } if key == "detail-d1"))
    );
}

#[test]
fn conflict_shows_both_and_lets_the_user_choose() {
    for keep_mine in [true, false] {
        let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
        t.key(k(KeyCode::Enter));
        t.type_str("!");
        t.key(k(KeyCode::Enter));
        let theirs = phone("d1", "Mobile (Jo's)", "t5");
        t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
            Box::new(theirs.clone()),
        )))));
        assert!(
            matches!(&t.pane.form.as_ref().unwrap().phase, Phase::Conflict { theirs, fields } if theirs.name == "Mobile (Jo's)" && fields == &[form::Field::Label])
        );
        assert!(
            t.core
                .out
                .iter()
                .any(|c| matches!(c, Command::WriteDraft { .. })),
            "draft kept while deciding"
        );
        t.core.out.clear();
        if keep_mine {
            t.key(k(KeyCode::Char('m')));
            let (_, call, _) = t.last_call();
            assert!(
                matches!(call, Call::Plannr(PlannrCall::UpdateContactDetail { ref body, .. }) if body.name == "Mobile!")
            );
            assert_eq!(t.pane.form.as_ref().unwrap().base_updated_at, "t5");
        } else {
            t.key(k(KeyCode::Char('t')));
            assert!(t.pane.form.is_none());
            assert!(
                t.core
                    .out
                    .iter()
                    .any(|c| matches!(c, Command::DeleteDraft { .. }))
            );
            assert_eq!(t.pane.details.items[0].name, "Mobile (Jo's)");
        }
    }
}

#[test]
fn rejection_422_lands_under_fields_and_keeps_text() {
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.type_str(" x");
    t.key(ctrl('s'));
    t.answer(unchanged_d1());
    let errors: BTreeMap<String, Vec<String>> = [
        (
            "value".to_string(),
            vec!["Please enter a valid phone number.".to_string()],
        ),
        (
            "account_uuids.1".to_string(),
            vec!["The selected account_uuids.1 is invalid.".to_string()],
        ),
    ]
    .into_iter()
    .collect();
    t.answer(Err(ApiError::Validation {
        message: "Please enter a valid phone number.".into(),
        errors,
    }));
    let f = t.pane.form.as_ref().expect("form stays open");
    assert_eq!(f.phase, Phase::Editing);
    assert_eq!(
        f.value.error.as_deref(),
        Some("Please enter a valid phone number.")
    );
    assert_eq!(
        f.owners_error.as_deref(),
        Some("The selected account_uuids.1 is invalid.")
    );
    assert_eq!(f.label.text(), "Mobile x");
    assert_eq!(f.focus, form::Focus::Value);
    assert!(
        t.core
            .out
            .iter()
            .any(|c| matches!(c, Command::WriteDraft { key, .. } if key == "detail-d1"))
    );
}

#[test]
fn network_failure_keeps_form_and_writes_draft() {
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.type_str("!");
    t.key(ctrl('s'));
    t.answer(Err(ApiError::Timeout));
    let f = t.pane.form.as_ref().unwrap();
    assert!(
        f.general_error
            .as_deref()
            .unwrap_or("")
            .contains("timed out")
    );
    assert!(
        t.core
            .out
            .iter()
            .any(|c| matches!(c, Command::WriteDraft { .. }))
    );
    assert_eq!(
        t.core.status.as_ref().map(|s| s.level),
        Some(crate::app::Level::Error)
    );
}

#[test]
fn edits_write_a_debounced_draft_and_esc_discard_deletes_it() {
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.type_str("ab");
    let seqs: Vec<u64> = t
        .take()
        .iter()
        .filter_map(|c| match c {
            Command::Timer {
                timer: Timer::Debounce { seq, .. },
                ..
            } => Some(*seq),
            _ => None,
        })
        .collect();
    t.pane.on_debounce(seqs[0], &mut t.core);
    assert!(t.core.out.is_empty());
    t.pane.on_debounce(seqs[1], &mut t.core);
    let Some(Command::WriteDraft { key, json, dir }) = t.take().pop() else {
        panic!()
    };
    assert_eq!(key, "detail-d1");
    assert_eq!(
        dir.as_deref(),
        Some(std::path::Path::new("/tmp/never-written"))
    );
    assert_eq!(
        drafts::Draft::from_json(&json).unwrap().fields.label,
        "Mobileab"
    );
    t.key(k(KeyCode::Esc));
    assert!(t.pane.form.is_some(), "asks first");
    t.key(k(KeyCode::Char('y')));
    assert!(t.pane.form.is_none());
    assert!(matches!(
        t.take().as_slice(),
        [Command::DeleteDraft { .. }, ..]
    ));
}

#[test]
fn drafts_from_last_time_reopen_when_the_client_opens() {
    let mut f = Form::edit("c1", "Gareth Thompson", &phone("d1", "Mobile", "t1"), &[]);
    f.label.set_text("Typed before the crash");
    let draft = f.to_draft();
    let mut t = T::new();
    t.pane.on_draft_event(
        DraftEvent::Loaded {
            drafts: vec![draft],
            renames: vec![],
            problems: vec![],
        },
        &mut t.core,
    );
    assert!(
        t.core
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("1 unsaved contact draft")
    );
    assert!(t.pane.has_draft_for_client("c1"));
    t.core.out.clear();
    let t2 = {
        let mut t2 = T::opened(vec![phone("d1", "Mobile", "t1")]);
        t2.pane.drafts = t.pane.drafts.clone();
        t2.pane.reopen_drafts(&mut t2.core);
        t2
    };
    let f = t2.pane.form.as_ref().expect("reopened");
    assert_eq!(f.label.text(), "Typed before the crash");
    assert!(f.changed());
    assert!(t2.pane.drafts.is_empty());
}

#[test]
fn add_and_make_primary() {
    let mut t = T::opened(vec![email("d0"), phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Char('a')));
    assert!(t.pane.captures_input());
    t.key(k(KeyCode::Char('e')));
    t.type_str("Work");
    t.key(k(KeyCode::Tab));
    t.type_str("g@work.example");
    t.key(ctrl('s'));
    let (_, call, _) = t.last_call();
    let Call::Plannr(PlannrCall::CreateContactDetail { body }) = call else {
        panic!("{call:?}")
    };
    assert_eq!(body.kind.as_deref(), Some("email"));
    assert_eq!(body.account_uuids, vec!["c1".to_string()]);
    t.pane.form = None;
    t.key(k(KeyCode::Down));
    t.key(k(KeyCode::Char('p')));
    let (id, call, route) = t.last_call();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::ContactDetail { uuid: "d1".into() })
    );
    t.pane.on_result(route, id, unchanged_d1(), &mut t.core);
    let (_, call, _) = t.last_call();
    let Call::Plannr(PlannrCall::UpdateContactDetail { body, .. }) = call else {
        panic!()
    };
    assert_eq!(body.account_uuids, vec!["c1".to_string(), "c2".to_string()]);
    assert_eq!(
        body.primary_account_uuids,
        Some(vec!["c2".to_string(), "c1".to_string()])
    );
}

#[test]
fn quitting_with_an_open_form_writes_the_draft_before_quit() {
    let mut s = State::new(Settings::default(), Some("acc".into()), (100, 30));
    s.tab = Tab::Contacts;
    let d = phone("d1", "Mobile", "t1");
    s.contacts.client = Some(acc("c1", "Gareth Thompson"));
    s.contacts.view = View::Details;
    s.contacts.details.items.push(d.clone());
    s.contacts.form = Some(Form::edit("c1", "Gareth Thompson", &d, &[]));
    crate::app::update(&mut s, Msg::Key(k(KeyCode::Char('z'))));
    crate::app::update(&mut s, Msg::Key(ctrl('c')));
    assert!(!s.quit, "asks first");
    let cmds = crate::app::update(&mut s, Msg::Key(ctrl('c')));
    let w = cmds
        .iter()
        .position(|c| matches!(c, Command::WriteDraft { .. }))
        .expect("draft flushed");
    let q = cmds
        .iter()
        .position(|c| matches!(c, Command::Quit))
        .expect("quit");
    assert!(w < q);
    let init = State::new(Settings::default(), None, (80, 24)).init();
    assert!(init.iter().any(|c| matches!(c, Command::LoadDrafts { .. })));
}

/// The PUT answer of seed 004 (no `primary_accounts`) must not blank the primaries, and the next
/// edit of that detail must not send `primary_account_uuids: []` (Plannr would drop every primary).
#[test]
fn put_answer_without_primaries_never_clears_them() {
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.type_str(" 1");
    t.key(ctrl('s'));
    t.answer(unchanged_d1());
    let mut answer = phone("d1", "Mobile 1", "t2");
    answer.primary_accounts = None;
    answer.accounts = None;
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
        Box::new(answer),
    )))));
    // The list is read again; this server never includes primaries (nor does its list).
    let mut listed = phone("d1", "Mobile 1", "t2");
    listed.primary_accounts = None;
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetails(Page {
        items: vec![listed.clone()],
        has_next: Some(false),
        ..Page::default()
    }))));
    let held = &t.pane.details.items[0];
    assert_eq!(held.name, "Mobile 1");
    assert_eq!(held.primary_accounts, None, "unknown, not empty");
    // Edit again: the conflict check's copy also lacks primaries. The PUT leaves them out.
    t.key(k(KeyCode::Enter));
    t.type_str("2");
    t.key(ctrl('s'));
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
        Box::new(listed),
    )))));
    let (_, call, _) = t.last_call();
    let Call::Plannr(PlannrCall::UpdateContactDetail { body, .. }) = call else {
        panic!("{call:?}")
    };
    assert_eq!(body.name, "Mobile 12");
    assert_eq!(body.primary_account_uuids, None, "never [] for unknown");
}

/// The held copy after a save keeps the primaries that were sent when the answer leaves them
/// out (seen before the re-read answers).
#[test]
fn held_copy_keeps_sent_primaries_until_the_reread() {
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.type_str(" 1");
    t.key(ctrl('s'));
    t.answer(unchanged_d1());
    let (id, _, route) = t.last_call();
    // Stop waiting, so the answer is applied to the held copy without a re-read clearing it.
    t.key(k(KeyCode::Esc));
    let mut answer = phone("d1", "Mobile 1", "t2");
    answer.primary_accounts = None;
    answer.accounts = None;
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(Box::new(
            answer,
        ))))),
        &mut t.core,
    );
    let held = &t.pane.details.items[0];
    assert_eq!(held.name, "Mobile 1");
    assert!(held.is_primary_for("c2"), "★ kept");
    assert_eq!(held.owners().len(), 2, "owners kept");
}

/// A detail whose primaries were never learnt: an edit leaves the field out of the PUT rather
/// than sending `[]`; the ★ column says "?" (unknown), not "no".
#[test]
fn unknown_primaries_are_left_out_of_the_body() {
    let mut d = phone("d1", "Mobile", "t1");
    d.primary_accounts = None;
    let mut t = T::opened(vec![d.clone()]);
    t.key(k(KeyCode::Enter));
    t.type_str("!");
    t.key(ctrl('s'));
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
        Box::new(d),
    )))));
    let (_, call, _) = t.last_call();
    let Call::Plannr(PlannrCall::UpdateContactDetail { body, .. }) = call else {
        panic!("{call:?}")
    };
    assert_eq!(body.primary_account_uuids, None);
    assert!(
        serde_json::to_value(&body)
            .unwrap()
            .get("primary_account_uuids")
            .is_none()
    );
}

/// The conflict check's fresh copy is the base: what only they changed is taken, what only I
/// changed is kept, and only a field both changed is asked about.
#[test]
fn conflict_merges_per_field_and_asks_only_both_changed() {
    // They changed the value and the primaries; I changed the label: no question at all.
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.key(ctrl('u'));
    t.type_str("Work");
    t.key(ctrl('s'));
    let mut theirs = phone("d1", "Mobile", "t5");
    theirs.value = "+447700900999".into();
    theirs.phone_number_meta = None;
    theirs.primary_accounts = Some(vec![acc("c1", "Gareth Thompson")]);
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
        Box::new(theirs.clone()),
    )))));
    let (_, call, _) = t.last_call();
    let Call::Plannr(PlannrCall::UpdateContactDetail { body, .. }) = call else {
        panic!("expected the merged save, got {call:?}")
    };
    assert_eq!(body.name, "Work", "mine");
    assert_eq!(
        body.value,
        crate::api::models::ContactValue::Text("+447700900999".into()),
        "theirs, not my stale copy"
    );
    assert_eq!(body.primary_account_uuids, Some(vec!["c1".to_string()]));
    assert_eq!(body.account_uuids, vec!["c1".to_string(), "c2".to_string()]);

    // Both changed the label, they also changed the value: only the label is asked; t takes
    // theirs for it, and as nothing of mine is left the draft goes and their copy shows.
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.key(ctrl('u'));
    t.type_str("Work");
    t.key(ctrl('s'));
    let mut theirs = phone("d1", "Home", "t5");
    theirs.value = "+447700900999".into();
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
        Box::new(theirs),
    )))));
    let f = t.pane.form.as_ref().expect("asking");
    assert!(
        matches!(&f.phase, Phase::Conflict { fields, .. } if fields == &[form::Field::Label]),
        "{:?}",
        f.phase
    );
    assert_eq!(f.value.text(), "+447700900999", "their value merged in");
    assert_eq!(f.label.text(), "Work", "mine shown until decided");
    t.key(k(KeyCode::Char('t')));
    assert!(t.pane.form.is_none());
    assert_eq!(t.pane.details.items[0].name, "Home");

    // Same, but m: mine for the label, theirs for the value.
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.key(ctrl('u'));
    t.type_str("Work");
    t.key(ctrl('s'));
    let mut theirs = phone("d1", "Home", "t5");
    theirs.value = "+447700900999".into();
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
        Box::new(theirs),
    )))));
    t.key(k(KeyCode::Char('m')));
    let (_, call, _) = t.last_call();
    let Call::Plannr(PlannrCall::UpdateContactDetail { body, .. }) = call else {
        panic!("{call:?}")
    };
    assert_eq!(body.name, "Work");
    assert_eq!(
        body.value,
        crate::api::models::ContactValue::Text("+447700900999".into())
    );
}

/// Issue 17.2: a save that changes primaries reloads the client's details; the table blanked
/// ("— loading…") until the answer came. The rows stay (with the saved copy) while it runs.
#[test]
fn saving_keeps_the_rows_while_the_details_reload() {
    let mut t = T::opened(vec![email("d0"), phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Down));
    t.key(k(KeyCode::Char('e')));
    t.type_str("!");
    t.key(ctrl('s'));
    let (id, _, route) = t.last_call();
    t.pane.on_result(route, id, unchanged_d1(), &mut t.core);
    let (id, _, route) = t.last_call();
    let saved = phone("d1", "Mobile!", "t2");
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(Box::new(
            saved,
        ))))),
        &mut t.core,
    );
    let (id, call, route) = t.last_call();
    assert!(
        matches!(
            call,
            Call::Plannr(PlannrCall::ContactDetails { page: 1, .. })
        ),
        "primaries changed: the details are read again ({call:?})"
    );
    assert_eq!(t.pane.details.items.len(), 2, "the rows stay meanwhile");
    assert_eq!(
        t.pane.details.items[1].name, "Mobile!",
        "with the saved copy"
    );
    let fresh = vec![
        phone("d5", "Home", "t2"),
        email("d0"),
        phone("d1", "Mobile!", "t2"),
    ];
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::ContactDetails(Page {
            items: fresh,
            has_next: Some(false),
            ..Page::default()
        }))),
        &mut t.core,
    );
    assert!(t.pane.refresh.is_none());
    assert_eq!(
        t.pane.details.items.len(),
        3,
        "the fresh copy replaces them"
    );
    assert_eq!(
        t.pane.selected_detail().map(|d| d.uuid.as_str()),
        Some("d1"),
        "the cursor stays on the detail it was on"
    );
    // R: a failed reload leaves the rows as they were.
    t.key(k(KeyCode::Char('R')));
    assert_eq!(t.pane.details.items.len(), 3);
    t.answer(Err(ApiError::Timeout));
    assert_eq!(t.pane.details.items.len(), 3);
    assert!(
        t.core
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("rows shown are from before"))
    );
}

/// Issue 17.3: the client list's email and phone columns kept the old primary until R. They
/// follow what was saved, and the complete details once they are read again.
#[test]
fn the_client_row_follows_the_saved_primary() {
    let mut t = T::opened(vec![email("d0"), phone("d1", "Mobile", "t1")]);
    let row = |t: &T| {
        t.pane
            .picker
            .clients
            .items
            .iter()
            .find(|a| a.uuid == "c1")
            .cloned()
            .expect("c1 listed")
    };
    assert_eq!(
        row(&t).primary_email.map(|d| d.value),
        Some("gareth@example.com".into()),
        "read from the details when they load"
    );
    // Edit the primary email's value.
    t.key(k(KeyCode::Char('e')));
    t.key(k(KeyCode::Tab));
    t.key(ctrl('u'));
    t.type_str("g.thompson@example.com");
    t.key(ctrl('s'));
    let (id, _, route) = t.last_call();
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(Box::new(
            email("d0"),
        ))))),
        &mut t.core,
    );
    let (id, _, route) = t.last_call();
    let mut saved = email("d0");
    saved.value = "g.thompson@example.com".into();
    saved.updated_at = "t2".into();
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(Box::new(
            saved.clone(),
        ))))),
        &mut t.core,
    );
    assert_eq!(
        row(&t).primary_email.map(|d| d.value),
        Some("g.thompson@example.com".into()),
        "the list row shows the saved value"
    );
    // Make the phone primary for Gareth (p): the row's phone column follows.
    t.take();
    t.key(k(KeyCode::Esc));
    t.key(k(KeyCode::Enter));
    let (id, _, route) = t.last_call();
    let page = Page {
        items: vec![saved, phone("d1", "Mobile", "t1")],
        has_next: Some(false),
        ..Page::default()
    };
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::ContactDetails(page))),
        &mut t.core,
    );
    t.key(k(KeyCode::Down));
    t.key(k(KeyCode::Char('p')));
    t.answer(unchanged_d1());
    let (id, _, route) = t.last_call();
    let mut made = phone("d1", "Mobile", "t3");
    made.primary_accounts
        .get_or_insert_with(Vec::new)
        .push(acc("c1", "Gareth Thompson"));
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(Box::new(
            made,
        ))))),
        &mut t.core,
    );
    assert_eq!(
        row(&t)
            .primary_phone_number
            .map(|d| d.display_value().to_string()),
        Some("07700 900123".into())
    );
}

/// Issue 17.3 across panes: the Mail pane's client list shows the same columns and follows too.
#[test]
fn the_mail_client_list_follows_the_contacts_primaries() {
    let mut s = State::new(Settings::default(), Some("acc".into()), (100, 30));
    s.mail.picker.clients.mark_loading(1, 900);
    s.mail.picker.clients.on_loaded(
        900,
        Page {
            items: vec![acc("c1", "Gareth Thompson")],
            has_next: Some(false),
            ..Page::default()
        },
    );
    s.contacts.client = Some(acc("c1", "Gareth Thompson"));
    s.contacts.view = View::Details;
    let id = s.core.request(
        AppRoute::Contacts(Route::Details {
            client: "c1".into(),
        }),
        Call::Plannr(PlannrCall::ContactDetails {
            account_uuids: vec!["c1".into()],
            page: 1,
            per_page: DETAILS_PER_PAGE,
        }),
    );
    s.contacts.details.mark_loading(1, id);
    crate::app::update(
        &mut s,
        Msg::Api {
            id,
            result: Ok(Reply::Plannr(PlannrReply::ContactDetails(Page {
                items: vec![email("d0")],
                has_next: Some(false),
                ..Page::default()
            }))),
        },
    );
    let mail_row = &s.mail.picker.clients.items[0];
    assert_eq!(
        mail_row.primary_email.as_ref().map(|d| d.value.as_str()),
        Some("gareth@example.com")
    );
}

/// The client row's email column is blanked only when the details say no email is primary; a
/// list whose details leave `primary_accounts` out says nothing about it.
#[test]
fn details_without_primary_accounts_leave_the_client_row_alone() {
    let mut unknown = email("d0");
    unknown.primary_accounts = None;
    let mut t = T::new();
    t.pane.on_show(&mut t.core);
    let (id, _, route) = t.last_call();
    let mut c1 = acc("c1", "Gareth Thompson");
    c1.primary_email = Some(Box::new(email("d0")));
    t.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::Clients(Page {
            items: vec![c1],
            has_next: Some(false),
            ..Page::default()
        }))),
        &mut t.core,
    );
    t.key(k(KeyCode::Enter));
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetails(Page {
        items: vec![unknown],
        has_next: Some(false),
        ..Page::default()
    }))));
    assert_eq!(
        t.pane.picker.clients.items[0]
            .primary_email
            .as_ref()
            .map(|d| d.value.as_str()),
        Some("gareth@example.com"),
        "unknown is not “none”"
    );
    let mut none = email("d0");
    none.primary_accounts = Some(Vec::new());
    t.key(k(KeyCode::Char('R')));
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetails(Page {
        items: vec![none],
        has_next: Some(false),
        ..Page::default()
    }))));
    assert!(
        t.pane.picker.clients.items[0].primary_email.is_none(),
        "known: no primary email any more"
    );
}

/// Issue 14: two writes in the same second keep `updated_at`; the pre-save check compares the
/// fields the form sends, so their new value is neither reverted nor slipped past unasked.
#[test]
fn conflict_found_by_fields_when_updated_at_is_the_same() {
    // Both changed the value; the server's copy still says "t1".
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.key(k(KeyCode::Tab));
    t.key(ctrl('u'));
    t.type_str("07700 900555");
    t.key(ctrl('s'));
    let mut theirs = phone("d1", "Mobile", "t1");
    theirs.value = "+447700900999".into();
    theirs.phone_number_meta = None;
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
        Box::new(theirs),
    )))));
    let f = t.pane.form.as_ref().expect("asking");
    assert!(
        matches!(&f.phase, Phase::Conflict { fields, .. } if fields == &[form::Field::Value]),
        "{:?}",
        f.phase
    );
    assert!(
        !t.core.out.iter().any(|c| matches!(
            c,
            Command::Api {
                call: Call::Plannr(PlannrCall::UpdateContactDetail { .. }),
                ..
            }
        )),
        "nothing saved before the user decides"
    );

    // Only they changed the value (same second), I changed the label: their value is sent and
    // the user is told the copy moved.
    let mut t = T::opened(vec![phone("d1", "Mobile", "t1")]);
    t.key(k(KeyCode::Enter));
    t.key(ctrl('u'));
    t.type_str("Work");
    t.key(ctrl('s'));
    let mut theirs = phone("d1", "Mobile", "t1");
    theirs.value = "+447700900999".into();
    theirs.phone_number_meta = None;
    t.answer(Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(
        Box::new(theirs),
    )))));
    let said: Vec<String> = t.core.log.iter().map(|e| e.text.clone()).collect();
    let said = said.join("\n");
    let shown = format!("{:?}", t.core.status);
    let (_, call, _) = t.last_call();
    let Call::Plannr(PlannrCall::UpdateContactDetail { body, .. }) = call else {
        panic!("expected the merged save, got {call:?}")
    };
    assert_eq!(body.name, "Work");
    assert_eq!(
        body.value,
        crate::api::models::ContactValue::Text("+447700900999".into()),
        "their value kept, not reverted"
    );
    assert!(said.contains("changed other fields"), "{said}");
    assert!(
        shown.contains("changed other fields"),
        "still shown: {shown}"
    );
}
