use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyModifiers};

use super::view::Anchor;
use super::*;
use crate::api::models::{Account, Conversation, ConversationMessage};
use crate::app::Command;

fn core() -> Core {
    Core {
        size: (100, 30),
        now: 1_750_000_000,
        account_uuid: Some("me".into()),
        ..Core::default()
    }
}

fn settings() -> Settings {
    Settings {
        list_page_size: 10,
        thread_page_size: 5,
        ..Settings::default()
    }
}

fn k(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_str(p: &mut ConversationsPane, s: &str, core: &mut Core) {
    for c in s.chars() {
        p.on_key(k(KeyCode::Char(c)), core);
    }
}

/// Type `s` into the open rename editor, press Enter, and return the id of the save it sent.
fn type_and_save(p: &mut ConversationsPane, s: &str, core: &mut Core) -> RequestId {
    type_str(p, s, core);
    p.on_key(k(KeyCode::Enter), core);
    last_call(core).expect("a save was sent").0
}

fn conv(i: usize) -> Conversation {
    Conversation {
        uuid: format!("c{i}"),
        name: format!("Conversation {i}"),
        updated_at: "2025-06-15T10:00:00+00:00".into(),
        participants: vec![
            Account {
                uuid: "me".into(),
                name: "Me Myself".into(),
                ..Account::default()
            },
            Account {
                uuid: format!("a{i}"),
                name: format!("Ann {i}"),
                ..Account::default()
            },
            Account {
                uuid: format!("b{i}"),
                name: format!("Bob {i}"),
                ..Account::default()
            },
            Account {
                uuid: format!("d{i}"),
                name: format!("Dee {i}"),
                ..Account::default()
            },
        ],
        participants_count: Some(6),
        messages_count: Some(i as u64),
        latest_message: Some(ConversationMessage {
            uuid: format!("m{i}"),
            contents: Some(format!("<p>Hello\nthere {i}</p>")),
            created_at: "2025-06-15T14:00:00+00:00".into(),
            author: Some(Account {
                name: "Ann Lee".into(),
                ..Account::default()
            }),
            ..ConversationMessage::default()
        }),
        ..Conversation::default()
    }
}

fn page(range: std::ops::Range<usize>, total: u64) -> Reply {
    Reply::Plannr(PlannrReply::Conversations(Page {
        items: range.map(conv).collect(),
        total: Some(total),
        ..Page::default()
    }))
}

/// The last API call asked for, and its id.
fn last_call(core: &Core) -> Option<(RequestId, Call)> {
    core.out.iter().rev().find_map(|c| match c {
        Command::Api { id, call, .. } => Some((*id, call.clone())),
        _ => None,
    })
}

fn calls(core: &Core) -> Vec<Call> {
    core.out
        .iter()
        .filter_map(|c| match c {
            Command::Api { call, .. } => Some(call.clone()),
            _ => None,
        })
        .collect()
}

/// Answer request `id` through the app's router, as `update` would.
fn answer(
    p: &mut ConversationsPane,
    core: &mut Core,
    id: RequestId,
    result: Result<Reply, ApiError>,
) {
    let Some(AppRoute::Conversations(route)) = core.pending.remove(&id) else {
        panic!("no pending request {id}")
    };
    p.on_result(route, id, result, core);
}

/// A pane with `n` conversations loaded (one short page: the end).
fn loaded(n: usize) -> (ConversationsPane, Core) {
    let mut core = core();
    let mut p = ConversationsPane::new(&settings());
    p.on_show(&mut core);
    let (id, call) = last_call(&core).expect("page 1 asked for");
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::Conversations {
            archived: Archived::Active,
            page: 1,
            per_page: 10
        })
    );
    answer(&mut p, &mut core, id, Ok(page(0..n, n as u64)));
    core.out.clear();
    (p, core)
}

fn rename_calls(core: &Core) -> Vec<(String, String)> {
    calls(core)
        .into_iter()
        .filter_map(|c| match c {
            Call::Plannr(PlannrCall::RenameConversation { uuid, name }) => Some((uuid, name)),
            _ => None,
        })
        .collect()
}

fn renamed(uuid: &str, name: &str) -> Result<Reply, ApiError> {
    Ok(Reply::Plannr(PlannrReply::Conversation(Box::new(
        Conversation {
            uuid: uuid.into(),
            name: name.into(),
            ..Conversation::default()
        },
    ))))
}

fn validation(msg: &str) -> ApiError {
    let mut errors = BTreeMap::new();
    errors.insert("name".to_string(), vec![msg.to_string()]);
    ApiError::Validation {
        message: "The given data was invalid.".into(),
        errors,
    }
}

// ---- rows -------------------------------------------------------------------------------------

#[test]
fn row_columns_are_computed_once_on_arrival() {
    let r = Row::new(conv(3), Some("me"));
    assert_eq!(
        r.participants, "Ann 3, Bob 3 +3",
        "caller left out; 6 in all, 5 others, 2 shown"
    );
    assert_eq!(
        r.preview, "Ann: Hello there 3",
        "tags stripped, one line, author's first name"
    );
    assert_eq!(r.activity, parse_time("2025-06-15T14:00:00+00:00"));
}

#[test]
fn list_times_use_the_shared_short_forms() {
    // The list shows `clock::short` (zone: UTC in tests): today's as a time, older as a date.
    let now = parse_time("2025-06-15T15:00:00+00:00").unwrap_or_default();
    assert_eq!(crate::clock::short(now - 300, now), "14:55");
    assert_eq!(crate::clock::short(now - 2 * 86_400, now), "Fri 15:00");
    assert_eq!(crate::clock::short(now - 40 * 86_400, now), "6 May");
    assert_eq!(crate::clock::short(now - 400 * 86_400, now), "11 May 2024");
}

// ---- list paging ------------------------------------------------------------------------------

#[test]
fn list_pages_ahead_of_the_end_once_and_in_order() {
    let mut core = core(); // 30 rows: 28 for the pane body, 25 for the list
    let mut p = ConversationsPane::new(&settings());
    p.on_show(&mut core);
    let (id1, _) = last_call(&core).unwrap();
    p.on_show(&mut core);
    assert_eq!(
        calls(&core).len(),
        1,
        "showing again while loading asks nothing"
    );
    answer(&mut p, &mut core, id1, Ok(page(0..10, 45)));
    // 10 rows < 2 screens: page 2 is asked for at once, before the user gets near the end.
    let (id2, call) = last_call(&core).unwrap();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::Conversations {
            archived: Archived::Active,
            page: 2,
            per_page: 10
        })
    );
    core.out.clear();
    p.on_key(k(KeyCode::Char('G')), &mut core);
    assert!(calls(&core).is_empty(), "never two pages in flight");
    // A stale answer (id1 again) changes nothing.
    p.on_result(Route::List, id1, Ok(page(90..100, 45)), &mut core);
    assert_eq!(p.list.items.len(), 10);
    // Page 2 repeats a row that moved (activity while paging): it is shown once.
    answer(
        &mut p,
        &mut core,
        id2,
        Ok(Reply::Plannr(PlannrReply::Conversations(Page {
            items: (9..19).map(conv).collect(),
            total: Some(45),
            ..Page::default()
        }))),
    );
    assert_eq!(p.list.items.len(), 19);
    let (id3, call) = last_call(&core).unwrap();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::Conversations {
            archived: Archived::Active,
            page: 3,
            per_page: 10
        })
    );
    // A failure waits for R; scrolling does not hammer the server.
    answer(&mut p, &mut core, id3, Err(ApiError::Timeout));
    assert!(
        core.status
            .as_ref()
            .is_some_and(|s| s.text.contains("R to try again"))
    );
    core.out.clear();
    p.on_key(k(KeyCode::Char('j')), &mut core);
    assert!(calls(&core).is_empty());
    p.on_key(k(KeyCode::Char('R')), &mut core);
    assert_eq!(
        last_call(&core).unwrap().1,
        Call::Plannr(PlannrCall::Conversations {
            archived: Archived::Active,
            page: 3,
            per_page: 10
        })
    );
    assert_eq!(p.list.items.len(), 19, "a retry keeps what is loaded");
}

#[test]
fn no_page_is_asked_for_while_far_from_the_end() {
    let mut core = core();
    let mut p = ConversationsPane::new(&Settings {
        list_page_size: 100,
        ..settings()
    });
    p.on_show(&mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(
        &mut p,
        &mut core,
        id,
        Ok(Reply::Plannr(PlannrReply::Conversations(Page {
            items: (0..100).map(conv).collect(),
            has_next: Some(true),
            ..Page::default()
        }))),
    );
    assert_eq!(
        calls(&core).len(),
        1,
        "100 rows is four screens: no page 2 yet"
    );
    for _ in 0..2 {
        p.on_key(k(KeyCode::PageDown), &mut core);
    }
    assert_eq!(calls(&core).len(), 1, "offset 50: still two screens left");
    p.on_key(k(KeyCode::PageDown), &mut core);
    assert_eq!(
        last_call(&core).unwrap().1,
        Call::Plannr(PlannrCall::Conversations {
            archived: Archived::Active,
            page: 2,
            per_page: 100
        })
    );
}

#[test]
fn archived_toggle_and_refresh_reload_from_page_one_and_drop_stale_pages() {
    let (mut p, mut core) = loaded(5);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('R')), &mut core);
    let (old, _) = last_call(&core).unwrap();
    p.on_key(k(KeyCode::Char('a')), &mut core);
    let (id, call) = last_call(&core).unwrap();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::Conversations {
            archived: Archived::Only,
            page: 1,
            per_page: 10
        })
    );
    answer(&mut p, &mut core, old, Ok(page(0..5, 5)));
    assert!(
        p.list.items.is_empty(),
        "the active list's answer is stale now"
    );
    answer(&mut p, &mut core, id, Ok(page(20..22, 2)));
    assert_eq!(p.selected().map(|r| r.conv.uuid.as_str()), Some("c20"));
    // Refresh keeps the selection on the same conversation.
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('R')), &mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, Ok(page(19..23, 4)));
    assert_eq!(p.selected().map(|r| r.conv.uuid.as_str()), Some("c21"));
}

#[test]
fn filter_is_client_side_over_loaded_rows() {
    let (mut p, mut core) = loaded(10);
    p.on_key(k(KeyCode::Char('/')), &mut core);
    assert!(p.captures_input(), "q and digits are typed into the filter");
    type_str(&mut p, "ann 7", &mut core);
    assert_eq!(p.view.len(), 1);
    assert_eq!(p.selected().map(|r| r.conv.uuid.as_str()), Some("c7"));
    assert!(
        calls(&core)
            .iter()
            .all(|c| !matches!(c, Call::Plannr(PlannrCall::Conversations { .. }))),
        "no server search"
    );
    p.on_key(k(KeyCode::Enter), &mut core);
    assert!(!p.captures_input());
    assert_eq!(p.view.len(), 1, "Enter keeps the filter");
    p.on_key(k(KeyCode::Esc), &mut core);
    assert_eq!(p.view.len(), 10, "Esc clears it");
    assert_eq!(
        p.selected().map(|r| r.conv.uuid.as_str()),
        Some("c7"),
        "selection stays on the row"
    );
}

/// The `/` filter pages through the list for matches: every page after the first is background
/// work (the worker keeps it to its budget and lets the user's requests go first); page 1 and a
/// retry are what the user waits for.
#[test]
fn filter_paging_is_background_work() {
    let background = |core: &Core| {
        core.out
            .iter()
            .filter_map(|c| match c {
                Command::Api {
                    call: Call::Plannr(PlannrCall::Conversations { page, .. }),
                    background,
                    ..
                } => Some((*page, *background)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let mut core = core();
    let mut p = ConversationsPane::new(&settings());
    p.on_show(&mut core);
    assert_eq!(background(&core), vec![(1, false)]);
    let (id, _) = last_call(&core).unwrap();
    core.out.clear();
    answer(&mut p, &mut core, id, Ok(page(0..10, 100)));
    // Page 2 is fetched ahead of the screen.
    assert_eq!(background(&core), vec![(2, true)]);
    p.on_key(k(KeyCode::Char('/')), &mut core);
    type_str(&mut p, "no such name", &mut core);
    for n in 2..5u32 {
        let asked = background(&core);
        assert_eq!(asked, vec![(n, true)], "page {n}");
        let (id, _) = last_call(&core).unwrap();
        core.out.clear();
        let from = (n as usize - 1) * 10;
        answer(&mut p, &mut core, id, Ok(page(from..from + 10, 100)));
    }
    // A failed page asked again by the user (R) is the user's.
    let (id, _) = last_call(&core).unwrap();
    core.out.clear();
    answer(&mut p, &mut core, id, Err(ApiError::Timeout));
    p.on_key(k(KeyCode::Esc), &mut core);
    p.on_key(k(KeyCode::Char('R')), &mut core);
    assert_eq!(background(&core), vec![(5, false)]);
}

// ---- pin --------------------------------------------------------------------------------------

#[test]
fn pin_is_optimistic_and_rolls_back() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('P')), &mut core);
    let (id, call) = last_call(&core).unwrap();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::PinConversation {
            uuid: "c0".into(),
            pin: true
        })
    );
    assert!(p.shown_pinned(&p.list.items[0]), "shown pinned at once");
    answer(
        &mut p,
        &mut core,
        id,
        Err(ApiError::Server {
            status: 500,
            message: "x".into(),
        }),
    );
    assert!(!p.shown_pinned(&p.list.items[0]), "rolled back");
    assert!(
        core.status
            .as_ref()
            .is_some_and(|s| s.text.contains("unchanged"))
    );
    p.on_key(k(KeyCode::Char('P')), &mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, Ok(Reply::Plannr(PlannrReply::Done)));
    assert_eq!(p.list.items[0].conv.pinned, Some(true));
}

// ---- rename -----------------------------------------------------------------------------------

#[test]
fn rename_edit_save_success() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    assert!(p.captures_input());
    assert_eq!(
        p.editor_for("c1").map(|r| r.typed()),
        Some("Conversation 1".into()),
        "prefilled, cursor at end"
    );
    p.on_key(ctrl('w'), &mut core);
    type_str(&mut p, "Annual review q", &mut core); // q is typed, not quit
    p.on_key(k(KeyCode::Enter), &mut core);
    assert_eq!(
        rename_calls(&core),
        vec![("c1".to_string(), "Conversation Annual review q".to_string())]
    );
    assert!(
        !p.captures_input(),
        "the list has the keyboard back while it saves"
    );
    assert_eq!(
        p.shown_name("c1", "Conversation 1"),
        ("Conversation Annual review q".into(), NameMark::Saving)
    );
    assert!(p.has_unsaved());
    let (id, _) = last_call(&core).unwrap();
    answer(
        &mut p,
        &mut core,
        id,
        renamed("c1", "Conversation Annual review q"),
    );
    assert_eq!(p.list.items[1].conv.name, "Conversation Annual review q");
    assert_eq!(
        p.list.items[1].participants, "Ann 1, Bob 1 +3",
        "the rest of the row is kept"
    );
    assert_eq!(
        p.shown_name("c1", &p.list.items[1].conv.name).1,
        NameMark::None
    );
    assert!(!p.has_unsaved());
    assert!(
        core.status
            .as_ref()
            .is_some_and(|s| s.text.contains("Renamed"))
    );
}

#[test]
fn rename_validation_in_editor_and_unchanged_sends_nothing() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    p.on_key(k(KeyCode::Enter), &mut core);
    assert!(rename_calls(&core).is_empty(), "unchanged: nothing sent");
    assert!(!p.captures_input());
    p.on_key(k(KeyCode::Char('r')), &mut core);
    p.on_key(ctrl('u'), &mut core);
    type_str(&mut p, "   ", &mut core);
    p.on_key(k(KeyCode::Enter), &mut core);
    assert!(
        p.editor_for("c0")
            .and_then(|r| r.editor.error.clone())
            .is_some_and(|e| e.contains("blank"))
    );
    p.on_paste(&"x".repeat(300), &mut core);
    p.on_key(k(KeyCode::Enter), &mut core);
    assert!(
        p.editor_for("c0")
            .and_then(|r| r.editor.error.clone())
            .is_some_and(|e| e.contains("255"))
    );
    assert!(rename_calls(&core).is_empty());
    // Esc with changes asks first; n keeps editing; Esc Esc discards.
    p.on_key(k(KeyCode::Esc), &mut core);
    assert!(p.captures_input());
    p.on_key(k(KeyCode::Char('n')), &mut core);
    assert!(p.editor_for("c0").is_some());
    p.on_key(k(KeyCode::Esc), &mut core);
    p.on_key(k(KeyCode::Esc), &mut core);
    assert!(p.editor_for("c0").is_none());
    assert!(!p.has_unsaved());
}

#[test]
fn rename_422_reopens_with_typed_text_and_server_message() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let id = type_and_save(&mut p, "!", &mut core);
    answer(
        &mut p,
        &mut core,
        id,
        Err(validation("That name is taken.")),
    );
    let r = p.editor_for("c0").expect("editor reopened");
    assert_eq!(r.typed(), "Conversation 0!");
    assert_eq!(r.editor.error.as_deref(), Some("That name is taken."));
    assert_eq!(
        p.shown_name("c0", "Conversation 0").0,
        "Conversation 0",
        "the list is back to the server's name"
    );
    assert!(p.captures_input());
    // Fix and save again.
    p.on_key(k(KeyCode::Backspace), &mut core);
    type_str(&mut p, "?", &mut core);
    p.on_key(k(KeyCode::Enter), &mut core);
    assert_eq!(
        rename_calls(&core).last().map(|c| c.1.clone()),
        Some("Conversation 0?".into())
    );
}

#[test]
fn rename_network_failure_restores_old_name_keeps_text_and_retries() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let id = type_and_save(&mut p, " draft", &mut core);
    answer(
        &mut p,
        &mut core,
        id,
        Err(ApiError::Network("connection reset".into())),
    );
    assert_eq!(
        p.shown_name("c0", "Conversation 0"),
        ("Conversation 0".into(), NameMark::Unsaved),
        "old name back"
    );
    assert!(
        !p.captures_input(),
        "not reopened by itself: the list stays usable"
    );
    assert!(p.has_unsaved(), "Ctrl-C warns: the text is not saved");
    let msg = core.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(msg.contains("kept") && msg.contains("retry"), "{msg}");
    // Move away and back: r reopens the typed text; Enter retries.
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('k')), &mut core);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    assert_eq!(
        p.editor_for("c0").map(|r| r.typed()),
        Some("Conversation 0 draft".into())
    );
    core.out.clear();
    p.on_key(k(KeyCode::Enter), &mut core);
    assert_eq!(
        rename_calls(&core),
        vec![("c0".to_string(), "Conversation 0 draft".to_string())]
    );
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, renamed("c0", "Conversation 0 draft"));
    assert_eq!(p.list.items[0].conv.name, "Conversation 0 draft");
    assert!(!p.has_unsaved());
}

#[test]
fn two_quick_renames_last_wins_whatever_order_answers_come() {
    for reverse in [false, true] {
        let (mut p, mut core) = loaded(3);
        p.on_key(k(KeyCode::Char('r')), &mut core);
        p.on_key(ctrl('u'), &mut core);
        let id1 = type_and_save(&mut p, "First", &mut core);
        // Rename again while the first is saving: prefilled with the name being saved.
        p.on_key(k(KeyCode::Char('r')), &mut core);
        assert_eq!(p.editor_for("c0").map(|r| r.typed()), Some("First".into()));
        p.on_key(ctrl('u'), &mut core);
        let id2 = type_and_save(&mut p, "Second", &mut core);
        assert_eq!(rename_calls(&core).len(), 2);
        assert_eq!(
            p.shown_name("c0", "Conversation 0"),
            ("Second".into(), NameMark::Saving)
        );
        let (a, b) = if reverse {
            ((id2, "Second"), (id1, "First"))
        } else {
            ((id1, "First"), (id2, "Second"))
        };
        answer(&mut p, &mut core, a.0, renamed("c0", a.1));
        answer(&mut p, &mut core, b.0, renamed("c0", b.1));
        assert_eq!(p.list.items[0].conv.name, "Second", "reverse={reverse}");
        assert_eq!(
            p.shown_name("c0", &p.list.items[0].conv.name),
            ("Second".into(), NameMark::None)
        );
        assert!(!p.has_unsaved());
    }
}

#[test]
fn older_failure_is_ignored_newer_failure_keeps_its_text() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    p.on_key(ctrl('u'), &mut core);
    let id1 = type_and_save(&mut p, "First", &mut core);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let id2 = type_and_save(&mut p, " and second", &mut core);
    answer(&mut p, &mut core, id1, Err(ApiError::Timeout));
    assert_eq!(
        p.shown_name("c0", "Conversation 0"),
        ("First and second".into(), NameMark::Saving)
    );
    answer(&mut p, &mut core, id2, Err(ApiError::Timeout));
    assert_eq!(p.shown_name("c0", "Conversation 0").1, NameMark::Unsaved);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    assert_eq!(
        p.editor_for("c0").map(|r| r.typed()),
        Some("First and second".into())
    );
}

#[test]
fn failure_after_the_editor_was_reopened_and_closed_still_keeps_the_text() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let id = type_and_save(&mut p, "!", &mut core);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    p.on_key(k(KeyCode::Enter), &mut core); // unchanged: closes, sends nothing
    assert_eq!(rename_calls(&core).len(), 1);
    answer(
        &mut p,
        &mut core,
        id,
        Err(ApiError::Server {
            status: 503,
            message: "down".into(),
        }),
    );
    p.on_key(k(KeyCode::Char('r')), &mut core);
    assert_eq!(
        p.editor_for("c0").map(|r| r.typed()),
        Some("Conversation 0!".into())
    );
}

#[test]
fn several_conversations_rename_in_flight_at_once() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let ida = type_and_save(&mut p, " A", &mut core);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let idb = type_and_save(&mut p, " B", &mut core);
    // While B's editor is closed, A is refused: the editor reopens on A.
    answer(
        &mut p,
        &mut core,
        ida,
        Err(validation("Too long for Plannr.")),
    );
    assert_eq!(p.editing_uuid().as_deref(), Some("c0"));
    assert_eq!(
        p.shown_name("c1", "Conversation 1"),
        ("Conversation 1 B".into(), NameMark::Saving)
    );
    // B succeeds while A's editor is open; A's text is untouched.
    answer(&mut p, &mut core, idb, renamed("c1", "Conversation 1 B"));
    assert_eq!(p.list.items[1].conv.name, "Conversation 1 B");
    assert_eq!(
        p.editor_for("c0").map(|r| r.typed()),
        Some("Conversation 0 A".into())
    );
}

#[test]
fn a_422_never_steals_the_keyboard_from_another_editor() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let ida = type_and_save(&mut p, " A", &mut core);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    type_str(&mut p, " typing", &mut core);
    answer(&mut p, &mut core, ida, Err(validation("No.")));
    assert_eq!(
        p.editing_uuid().as_deref(),
        Some("c1"),
        "B keeps the keyboard"
    );
    assert_eq!(
        p.editor_for("c1").map(|r| r.typed()),
        Some("Conversation 1 typing".into())
    );
    assert!(
        core.status
            .as_ref()
            .is_some_and(|s| s.text.contains("Press r"))
    );
    p.on_key(k(KeyCode::Esc), &mut core);
    p.on_key(k(KeyCode::Esc), &mut core);
    p.on_key(k(KeyCode::Char('k')), &mut core);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let r = p.editor_for("c0").expect("A's text comes back");
    assert_eq!(
        (r.typed(), r.editor.error.clone()),
        ("Conversation 0 A".into(), Some("No.".into()))
    );
}

#[test]
fn rename_from_the_open_conversation() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Enter), &mut core);
    assert!(p.open.is_some());
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let id = type_and_save(&mut p, "!", &mut core);
    answer(&mut p, &mut core, id, renamed("c0", "Conversation 0!"));
    assert_eq!(
        p.open.as_ref().map(|v| v.conv.name.as_str()),
        Some("Conversation 0!")
    );
    assert_eq!(p.list.items[0].conv.name, "Conversation 0!");
    p.on_key(k(KeyCode::Esc), &mut core);
    assert!(p.open.is_none());
}

// ---- the open conversation --------------------------------------------------------------------

fn message(i: usize) -> ConversationMessage {
    ConversationMessage {
        uuid: format!("m{i}"),
        contents: Some(format!("message {i}\nsecond line")),
        created_at: "2025-06-15T14:00:00+00:00".into(),
        author: Some(Account {
            name: "Ann Lee".into(),
            ..Account::default()
        }),
        ..ConversationMessage::default()
    }
}

/// Messages newest first, as the API sends them: page n holds n*5-5 .. counted from the newest.
fn messages(newest: usize, n: usize, more: bool) -> Reply {
    Reply::Plannr(PlannrReply::ConversationMessages(Page {
        items: (0..n).map(|i| message(newest - i)).collect(),
        has_next: Some(more),
        ..Page::default()
    }))
}

#[test]
fn open_conversation_newest_at_bottom_older_pages_above_without_a_jump() {
    let (mut p, mut core) = loaded(3);
    core.size = (60, 22); // 20 pane rows, 18 message rows
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, call) = last_call(&core).unwrap();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::ConversationMessages {
            uuid: "c0".into(),
            page: 1,
            per_page: 5
        })
    );
    answer(&mut p, &mut core, id, Ok(messages(99, 5, true))); // 5 messages × 4 lines = 20 lines
    let v = p.open.as_ref().unwrap();
    let h = ConvView::rows(&core);
    let shown: Vec<String> = v
        .slice(v.top(h), h)
        .iter()
        .map(|l| l.text.clone())
        .collect();
    assert_eq!(shown.last().map(String::as_str), Some(""), "{shown:?}");
    assert_eq!(shown[shown.len() - 3], "message 99", "newest at the bottom");
    // Only 2 lines above the screen: page 2 is already asked for.
    let (id2, call) = last_call(&core).unwrap();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::ConversationMessages {
            uuid: "c0".into(),
            page: 2,
            per_page: 5
        })
    );
    // Scroll up 1 line: reading from line 1 of message 95.
    p.on_key(k(KeyCode::Char('k')), &mut core);
    let v = p.open.as_ref().unwrap();
    let before: Vec<String> = v
        .slice(v.top(h), h)
        .iter()
        .map(|l| l.text.clone())
        .collect();
    assert_eq!(
        v.anchor,
        Some(Anchor {
            uuid: "m95".into(),
            offset: 1
        })
    );
    answer(&mut p, &mut core, id2, Ok(messages(94, 5, true)));
    let v = p.open.as_ref().unwrap();
    let after: Vec<String> = v
        .slice(v.top(h), h)
        .iter()
        .map(|l| l.text.clone())
        .collect();
    assert_eq!(
        before, after,
        "older messages arrived above; the screen did not move"
    );
    assert_eq!(v.total_lines(), 40);
    // Going to the top reaches message 90 and asks for page 3.
    p.on_key(k(KeyCode::Char('g')), &mut core);
    assert_eq!(
        last_call(&core).unwrap().1,
        Call::Plannr(PlannrCall::ConversationMessages {
            uuid: "c0".into(),
            page: 3,
            per_page: 5
        })
    );
    let v = p.open.as_ref().unwrap();
    assert!(v.slice(0, 2)[1].text.contains("message 90"));
    // G follows the newest again.
    p.on_key(k(KeyCode::Char('G')), &mut core);
    assert_eq!(p.open.as_ref().unwrap().anchor, None);
}

#[test]
fn g_in_an_open_conversation_reaches_the_oldest_message_in_one_press() {
    let (mut p, mut core) = loaded(3);
    core.size = (60, 22);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, Ok(messages(99, 5, true)));
    let (id2, _) = last_call(&core).unwrap();
    // One g, while older pages are still to come.
    p.on_key(k(KeyCode::Char('g')), &mut core);
    answer(&mut p, &mut core, id2, Ok(messages(94, 5, true)));
    let (id3, call) = last_call(&core).unwrap();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::ConversationMessages {
            uuid: "c0".into(),
            page: 3,
            per_page: 5
        }),
        "the view follows the top: the next older page is asked for"
    );
    answer(&mut p, &mut core, id3, Ok(messages(89, 5, false)));
    let v = p.open.as_ref().unwrap();
    let h = ConvView::rows(&core);
    assert_eq!(v.top(h), 0);
    assert!(
        v.slice(0, 2)[1].text.contains("message 85"),
        "the oldest message at the top: {:?}",
        v.slice(0, 2)
    );
    // Moving stops following.
    p.on_key(k(KeyCode::Char('j')), &mut core);
    assert_eq!(p.open.as_ref().unwrap().top(h), 1);
}

#[test]
fn keys_kept_while_g_pages_are_made_one_by_one_from_the_start() {
    // The bug: the kept moves were added up, so `k j` came to nothing, where k at the start does
    // nothing and j moves one line; and any other key (one with no meaning here) stopped g and
    // dropped the kept moves.
    let (mut p, mut core) = loaded(3);
    core.size = (60, 22);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, Ok(messages(99, 5, true)));
    let (id2, _) = last_call(&core).unwrap();
    p.on_key(k(KeyCode::Char('g')), &mut core);
    p.on_key(k(KeyCode::Char('k')), &mut core);
    p.on_key(k(KeyCode::F(9)), &mut core);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    answer(&mut p, &mut core, id2, Ok(messages(94, 5, true)));
    let (id3, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id3, Ok(messages(89, 5, false)));
    let v = p.open.as_ref().unwrap();
    let h = ConvView::rows(&core);
    assert!(v.pages.is_complete(), "g still went to the start");
    assert_eq!(v.top(h), 1, "k did nothing at the start, then j");
}

#[test]
fn keys_pressed_while_g_pages_to_the_start_move_from_the_start() {
    // The bug: a key pressed before g reached the oldest message stopped following the top, and
    // the view stayed among the messages loaded so far (g's progress lost).
    let (mut p, mut core) = loaded(3);
    core.size = (60, 22);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, Ok(messages(99, 5, true)));
    let (id2, _) = last_call(&core).unwrap();
    p.on_key(k(KeyCode::Char('g')), &mut core);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    answer(&mut p, &mut core, id2, Ok(messages(94, 5, true)));
    let (id3, call) = last_call(&core).unwrap();
    assert!(
        matches!(
            call,
            Call::Plannr(PlannrCall::ConversationMessages { page: 3, .. })
        ),
        "still paging to the start: {call:?}"
    );
    answer(&mut p, &mut core, id3, Ok(messages(89, 5, false)));
    let v = p.open.as_ref().unwrap();
    let h = ConvView::rows(&core);
    assert_eq!(v.top(h), 2, "the start, then two lines down");
    // Following ended with the start: the next key moves from there.
    p.on_key(k(KeyCode::Char('k')), &mut core);
    assert_eq!(p.open.as_ref().unwrap().top(h), 1);
}

/// Ctrl-D / Ctrl-U scroll an open conversation by half its rows.
#[test]
fn ctrl_d_and_ctrl_u_scroll_an_open_conversation_half_a_page() {
    let (mut p, mut core) = loaded(3);
    core.size = (60, 22);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, Ok(messages(99, 40, false)));
    p.on_key(k(KeyCode::Char('g')), &mut core);
    let h = ConvView::rows(&core);
    assert_eq!(p.open.as_ref().unwrap().top(h), 0);
    assert!(p.open.as_ref().unwrap().total_lines() > 2 * h);
    p.on_key(ctrl('d'), &mut core);
    assert_eq!(p.open.as_ref().unwrap().top(h), h / 2);
    p.on_key(ctrl('u'), &mut core);
    assert_eq!(p.open.as_ref().unwrap().top(h), 0);
}

#[test]
fn html_bodies_are_converted_off_the_ui_thread() {
    let (mut p, mut core) = loaded(1);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    let mut m = message(1);
    m.contents = Some("<p>Hello <b>there</b></p>".into());
    answer(
        &mut p,
        &mut core,
        id,
        Ok(Reply::Plannr(PlannrReply::ConversationMessages(Page {
            items: vec![m],
            has_next: Some(false),
            ..Page::default()
        }))),
    );
    let (rid, html, width) = core
        .out
        .iter()
        .find_map(|c| match c {
            Command::RenderHtml { id, html, width } => Some((*id, html.clone(), *width)),
            _ => None,
        })
        .expect("conversion asked of the worker");
    assert_eq!(html, "<p>Hello <b>there</b></p>");
    assert!(
        p.open
            .as_ref()
            .unwrap()
            .slice(0, 3)
            .iter()
            .any(|l| l.text == "(formatting…)")
    );
    let body = crate::render::html::html_to_body(&html, width);
    answer(&mut p, &mut core, rid, Ok(Reply::Body(Box::new(body))));
    let v = p.open.as_ref().unwrap();
    assert_eq!(v.slice(0, 3)[1].text, "Hello there");
    // A new width: converted again at that width (the old layout shows meanwhile).
    core.out.clear();
    core.size = (core.size.0 - 10, core.size.1);
    p.on_resize(&mut core);
    let again: Vec<u16> = core
        .out
        .iter()
        .filter_map(|c| match c {
            Command::RenderHtml { width, .. } => Some(*width),
            _ => None,
        })
        .collect();
    assert_eq!(again, [width - 10]);
    assert_eq!(p.open.as_ref().unwrap().slice(0, 3)[1].text, "Hello there");
}

#[test]
fn resize_rewraps_once_and_keeps_the_anchor() {
    let (mut p, mut core) = loaded(1);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    let mut m = message(1);
    m.contents = Some("word ".repeat(40));
    answer(
        &mut p,
        &mut core,
        id,
        Ok(Reply::Plannr(PlannrReply::ConversationMessages(Page {
            items: vec![m],
            has_next: Some(false),
            ..Page::default()
        }))),
    );
    let wide = p.open.as_ref().unwrap().total_lines();
    core.size = (20, 10);
    p.on_resize(&mut core);
    let v = p.open.as_ref().unwrap();
    assert!(v.total_lines() > wide);
    let body: Vec<_> = v
        .slice(0, v.total_lines())
        .into_iter()
        .filter(|l| matches!(l.kind, view::LineKind::Body | view::LineKind::Quote(_)))
        .collect();
    assert!(
        body.len() > 2
            && body
                .iter()
                .all(|l| crate::render::wrap::display_width(&l.text) <= 17)
    );
    core.size = (0, 0);
    p.on_resize(&mut core);
    let v = p.open.as_ref().unwrap();
    let _ = v.slice(v.top(ConvView::rows(&core)), ConvView::rows(&core));
}

#[test]
fn a_pane_never_shown_loads_nothing_on_resize() {
    let mut core = core();
    let mut p = ConversationsPane::new(&settings());
    core.size = (10, 3);
    p.on_resize(&mut core);
    assert!(calls(&core).is_empty());
}

#[test]
fn a_taller_screen_asks_for_the_next_page_ahead() {
    let mut core = core();
    core.size = (100, 10);
    let mut p = ConversationsPane::new(&settings());
    p.on_show(&mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(
        &mut p,
        &mut core,
        id,
        Ok(Reply::Plannr(PlannrReply::Conversations(Page {
            items: (0..10).map(conv).collect(),
            has_next: Some(true),
            ..Page::default()
        }))),
    );
    assert_eq!(calls(&core).len(), 1, "10 rows cover two screens of 7");
    core.size = (100, 40);
    p.on_resize(&mut core);
    assert_eq!(
        last_call(&core).unwrap().1,
        Call::Plannr(PlannrCall::Conversations {
            archived: Archived::Active,
            page: 2,
            per_page: 10
        })
    );
}

#[test]
fn refresh_keeps_rows_until_the_fresh_page_and_survives_a_failure() {
    let (mut p, mut core) = loaded(5);
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('R')), &mut core);
    let (id, call) = last_call(&core).unwrap();
    assert_eq!(
        call,
        Call::Plannr(PlannrCall::Conversations {
            archived: Archived::Active,
            page: 1,
            per_page: 10
        })
    );
    assert_eq!(p.view.len(), 5, "the rows stay while refreshing");
    answer(&mut p, &mut core, id, Err(ApiError::Timeout));
    assert_eq!(
        p.view.len(),
        5,
        "a failed refresh leaves the list as it was"
    );
    assert!(
        core.status
            .as_ref()
            .is_some_and(|s| s.text.contains("refresh"))
    );
    p.on_key(k(KeyCode::Char('R')), &mut core);
    let (id, _) = last_call(&core).unwrap();
    let mut fresh: Vec<Conversation> = (0..3).map(conv).collect();
    fresh[1].name = "Renamed elsewhere".into();
    answer(
        &mut p,
        &mut core,
        id,
        Ok(Reply::Plannr(PlannrReply::Conversations(Page {
            items: fresh,
            has_next: Some(false),
            ..Page::default()
        }))),
    );
    assert_eq!(p.list.items.len(), 3);
    assert_eq!(
        p.selected().map(|r| r.conv.name.as_str()),
        Some("Renamed elsewhere"),
        "same conversation selected"
    );
}

/// Issue 17.1: `r`, a new name, Enter, then `a a` quickly. The list page asked for before the
/// save was answered carries the old name; it must not overwrite the name just saved.
#[test]
fn a_reload_in_flight_before_the_rename_answer_keeps_the_saved_name() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    p.on_key(ctrl('u'), &mut core);
    let save = type_and_save(&mut p, "Office admin five", &mut core);
    p.on_key(k(KeyCode::Char('a')), &mut core);
    p.on_key(k(KeyCode::Char('a')), &mut core);
    let (list, _) = last_call(&core).unwrap();
    let saved = Conversation {
        uuid: "c0".into(),
        name: "Office admin five".into(),
        updated_at: "2025-06-15T11:00:00+00:00".into(),
        ..Conversation::default()
    };
    answer(
        &mut p,
        &mut core,
        save,
        Ok(Reply::Plannr(PlannrReply::Conversation(Box::new(saved)))),
    );
    // The server read its rows before it wrote the name: old name, older updated_at.
    answer(&mut p, &mut core, list, Ok(page(0..3, 3)));
    let row = p.row("c0").expect("c0 is listed");
    assert_eq!(row.conv.name, "Office admin five");
    assert!(
        row.haystack.contains("office admin five"),
        "the filter finds it by its new name"
    );
    assert_eq!(
        row.participants, "Ann 0, Bob 0 +3",
        "the rest is the page's"
    );

    // A refresh asked for after the answer, whose row is newer (renamed elsewhere since): the
    // server's name wins.
    p.on_key(k(KeyCode::Char('R')), &mut core);
    let (id, _) = last_call(&core).unwrap();
    let mut fresh: Vec<Conversation> = (0..3).map(conv).collect();
    fresh[0].name = "Renamed elsewhere".into();
    fresh[0].updated_at = "2025-06-15T12:00:00+00:00".into();
    answer(
        &mut p,
        &mut core,
        id,
        Ok(Reply::Plannr(PlannrReply::Conversations(Page {
            items: fresh,
            has_next: Some(false),
            ..Page::default()
        }))),
    );
    assert_eq!(p.row("c0").unwrap().conv.name, "Renamed elsewhere");
}

/// The same race when the save's answer carries no `updated_at` (nothing to compare): a page
/// asked for before the answer arrived keeps the saved name, one asked for after it is the
/// server's word.
#[test]
fn without_updated_at_pages_asked_before_the_answer_keep_the_saved_name() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    p.on_key(ctrl('u'), &mut core);
    let save = type_and_save(&mut p, "Office admin five", &mut core);
    p.on_key(k(KeyCode::Char('R')), &mut core);
    let (before, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, save, renamed("c0", "Office admin five"));
    answer(&mut p, &mut core, before, Ok(page(0..3, 3)));
    assert_eq!(p.row("c0").unwrap().conv.name, "Office admin five");
    p.on_key(k(KeyCode::Char('R')), &mut core);
    let (after, _) = last_call(&core).unwrap();
    let mut fresh: Vec<Conversation> = (0..3).map(conv).collect();
    fresh[0].name = "Renamed elsewhere".into();
    answer(
        &mut p,
        &mut core,
        after,
        Ok(Reply::Plannr(PlannrReply::Conversations(Page {
            items: fresh,
            has_next: Some(false),
            ..Page::default()
        }))),
    );
    assert_eq!(p.row("c0").unwrap().conv.name, "Renamed elsewhere");
}

/// Issue 17.4 in Conversations: `/` with a kept filter starts a new, empty one (it reopened the
/// old one, and typing appended); ↑ on the empty field brings the last filter back.
#[test]
fn slash_starts_an_empty_filter_with_the_last_one_one_up_away() {
    let (mut p, mut core) = loaded(10);
    p.on_key(k(KeyCode::Char('/')), &mut core);
    type_str(&mut p, "ann 7", &mut core);
    p.on_key(k(KeyCode::Enter), &mut core);
    assert_eq!(p.view.len(), 1);
    p.on_key(k(KeyCode::Char('/')), &mut core);
    assert!(p.captures_input());
    assert_eq!(p.filter_query(), None, "the new filter is empty");
    assert_eq!(p.view.len(), 10, "so every loaded row shows");
    type_str(&mut p, "bob 3", &mut core);
    assert_eq!(p.filter_query().as_deref(), Some("bob 3"));
    assert_eq!(p.selected().map(|r| r.conv.uuid.as_str()), Some("c3"));
    p.on_key(k(KeyCode::Esc), &mut core);
    assert!(p.filter.is_none());
    p.on_key(k(KeyCode::Char('/')), &mut core);
    p.on_key(k(KeyCode::Up), &mut core);
    assert_eq!(p.filter_query().as_deref(), Some("bob 3"));
    assert_eq!(p.view.len(), 1, "the recalled filter applies at once");
    p.on_key(k(KeyCode::Up), &mut core);
    assert_eq!(p.filter_query().as_deref(), Some("bob 3"), "↑ now moves");
}

/// Seed 002: `is_admin: false` means this account may not rename it. `r` is not offered (it says
/// who can) instead of a PUT that ends in a 403 and "press r to retry".
#[test]
fn not_an_admin_is_told_who_can_rename_and_nothing_is_sent() {
    let mut core = core();
    let mut p = ConversationsPane::new(&settings());
    p.on_show(&mut core);
    let (id, _) = last_call(&core).unwrap();
    let mut c = conv(0);
    c.is_admin = Some(false);
    let mut items = vec![c];
    items.push(conv(1));
    answer(
        &mut p,
        &mut core,
        id,
        Ok(Reply::Plannr(PlannrReply::Conversations(Page {
            items,
            total: Some(2),
            ..Page::default()
        }))),
    );
    core.out.clear();
    p.on_key(k(KeyCode::Char('r')), &mut core);
    assert!(!p.captures_input(), "no editor");
    assert!(rename_calls(&core).is_empty());
    let msg = core.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(msg.contains("Only an admin"), "{msg}");
    // A conversation whose is_admin is not known (or true) is renamed as before.
    p.on_key(k(KeyCode::Char('j')), &mut core);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    assert!(p.captures_input());
}

/// A 403 on a rename is never offered as retryable; the text is kept as a draft.
#[test]
fn forbidden_rename_is_not_offered_as_retry() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let id = type_and_save(&mut p, " x", &mut core);
    answer(
        &mut p,
        &mut core,
        id,
        Err(ApiError::Forbidden {
            message: "This action is unauthorized.".into(),
        }),
    );
    let msg = core.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(!msg.contains("retry"), "{msg}");
    assert!(p.has_unsaved());
    assert!(
        core.out.iter().any(
            |c| matches!(c, Command::WriteDraft { key, .. } if key == "rename-conversation-c0")
        )
    );
}

/// A failed rename is written as a draft; after a restart it is offered back (r reopens).
#[test]
fn failed_rename_comes_back_after_a_restart() {
    let (mut p, mut core) = loaded(3);
    p.on_key(k(KeyCode::Char('r')), &mut core);
    let id = type_and_save(&mut p, " later", &mut core);
    answer(&mut p, &mut core, id, Err(ApiError::Timeout));
    let json = core
        .out
        .iter()
        .find_map(|c| match c {
            Command::WriteDraft { json, .. } => Some(json.clone()),
            _ => None,
        })
        .expect("draft written");
    let draft = crate::app::rename::RenameDraft::from_json(&json).unwrap();
    let (mut p, mut core) = loaded(3);
    p.on_drafts_loaded(&[draft], &mut core);
    assert_eq!(
        p.shown_name("c0", "Conversation 0").1,
        NameMark::Unsaved,
        "marked"
    );
    p.on_key(k(KeyCode::Char('r')), &mut core);
    assert_eq!(
        p.editor_for("c0").map(|r| r.typed()),
        Some("Conversation 0 later".into())
    );
}

#[test]
fn html_converted_for_an_old_width_is_converted_again() {
    let (mut p, mut core) = loaded(1);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    let mut m = message(1);
    m.contents = Some("<p>Hello <b>there</b></p>".into());
    answer(
        &mut p,
        &mut core,
        id,
        Ok(Reply::Plannr(PlannrReply::ConversationMessages(Page {
            items: vec![m],
            has_next: Some(false),
            ..Page::default()
        }))),
    );
    let asked = |core: &Core| -> Vec<(RequestId, String, u16)> {
        core.out
            .iter()
            .filter_map(|c| match c {
                Command::RenderHtml { id, html, width } => Some((*id, html.clone(), *width)),
                _ => None,
            })
            .collect()
    };
    let (rid, html, width) = asked(&core).pop().expect("conversion asked");
    // The pane narrows while the conversion runs; it comes back laid out for the old width.
    core.out.clear();
    core.size = (core.size.0 - 10, core.size.1);
    p.on_resize(&mut core);
    let body = crate::render::html::html_to_body(&html, width);
    answer(&mut p, &mut core, rid, Ok(Reply::Body(Box::new(body))));
    let again: Vec<u16> = asked(&core).into_iter().map(|a| a.2).collect();
    assert_eq!(again, [width - 10]);
    assert_eq!(p.open.as_ref().unwrap().slice(0, 3)[1].text, "Hello there");
}

/// Messages newest first with the paginator's counts: page `page` of a conversation of `total`.
fn counted(newest: usize, n: usize, page: u32, total: u64) -> Reply {
    let Reply::Plannr(PlannrReply::ConversationMessages(mut p)) = messages(newest, n, true) else {
        unreachable!()
    };
    p.current_page = Some(page);
    p.per_page = Some(5);
    p.total = Some(total);
    p.last_page = Some(u32::try_from(total.div_ceil(5)).unwrap_or(u32::MAX));
    p.has_next = Some(u64::from(page) * 5 < total);
    Reply::Plannr(PlannrReply::ConversationMessages(p))
}

/// The message pages still waited for: (request, page number).
fn pages_in_flight(core: &Core) -> Vec<(RequestId, u32)> {
    core.out
        .iter()
        .filter_map(|c| match c {
            Command::Api {
                id,
                call: Call::Plannr(PlannrCall::ConversationMessages { page, .. }),
                ..
            } if core.pending.contains_key(id) => Some((*id, *page)),
            _ => None,
        })
        .collect()
}

fn pages_asked(core: &Core) -> Vec<u32> {
    let mut asked: Vec<u32> = calls(core)
        .into_iter()
        .filter_map(|c| match c {
            Call::Plannr(PlannrCall::ConversationMessages { page, .. }) => Some(page),
            _ => None,
        })
        .collect();
    asked.sort_unstable();
    asked
}

#[test]
fn g_asks_for_the_older_pages_together_once_their_number_is_known() {
    // The bug: g went to the oldest message one page after another (a 198-message conversation
    // took 2.4 s at 300 ms latency). The paginator says how many pages there are, so the older
    // ones are asked for together and taken in order as they come, in whatever order that is.
    let (mut p, mut core) = loaded(3);
    core.size = (60, 22);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, Ok(counted(99, 5, 1, 30))); // 6 pages of 5
    p.on_key(k(KeyCode::Char('g')), &mut core);
    let flying = pages_in_flight(&core);
    let mut pages: Vec<u32> = flying.iter().map(|&(_, n)| n).collect();
    pages.sort_unstable();
    assert_eq!(
        pages,
        [2, 3, 4, 5, 6],
        "every older page on its way at once"
    );
    // Answered oldest first: nothing is placed out of order.
    for &(id, n) in flying.iter().rev() {
        let newest = 99 - 5 * (n as usize - 1);
        answer(&mut p, &mut core, id, Ok(counted(newest, 5, n, 30)));
    }
    assert!(pages_in_flight(&core).is_empty());
    assert_eq!(
        pages_asked(&core),
        [1, 2, 3, 4, 5, 6],
        "each page asked for once"
    );
    let v = p.open.as_ref().unwrap();
    assert!(v.pages.is_complete());
    let ids: Vec<&str> = v.pages.items.iter().map(|e| e.msg.uuid.as_str()).collect();
    let want: Vec<String> = (70..=99).rev().map(|i| format!("m{i}")).collect();
    assert_eq!(ids, want, "newest first, every message once");
    let h = ConvView::rows(&core);
    assert_eq!(v.top(h), 0);
    assert!(
        v.slice(0, 2)[1].text.contains("message 70"),
        "the oldest message at the top: {:?}",
        v.slice(0, 2)
    );
}

#[test]
fn an_older_page_asked_for_ahead_that_fails_is_asked_again_in_its_turn() {
    let (mut p, mut core) = loaded(3);
    core.size = (60, 22);
    p.on_key(k(KeyCode::Enter), &mut core);
    let (id, _) = last_call(&core).unwrap();
    answer(&mut p, &mut core, id, Ok(counted(99, 5, 1, 20))); // 4 pages of 5
    p.on_key(k(KeyCode::Char('g')), &mut core);
    let flying = pages_in_flight(&core);
    let id_of = |n: u32| flying.iter().find(|f| f.1 == n).map(|f| f.0).unwrap();
    answer(
        &mut p,
        &mut core,
        id_of(3),
        Err(ApiError::Network("connection reset".into())),
    );
    assert!(
        p.open.as_ref().unwrap().error.is_none(),
        "a page ahead of its turn fails quietly"
    );
    answer(&mut p, &mut core, id_of(4), Ok(counted(84, 5, 4, 20)));
    assert_eq!(
        pages_in_flight(&core)
            .iter()
            .map(|f| f.1)
            .collect::<Vec<_>>(),
        [2],
        "not asked ahead again: in its turn"
    );
    answer(&mut p, &mut core, id_of(2), Ok(counted(94, 5, 2, 20)));
    // Page 2 is in: page 3's turn, asked for again.
    let again = pages_in_flight(&core);
    assert_eq!(again.iter().map(|f| f.1).collect::<Vec<_>>(), [3]);
    answer(&mut p, &mut core, again[0].0, Ok(counted(89, 5, 3, 20)));
    let v = p.open.as_ref().unwrap();
    assert!(v.pages.is_complete());
    assert_eq!(v.pages.items.len(), 20);
    assert_eq!(pages_asked(&core), [1, 2, 3, 3, 4]);
    assert!(
        v.slice(0, 2)[1].text.contains("message 80"),
        "{:?}",
        v.slice(0, 2)
    );
}
