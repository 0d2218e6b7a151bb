//! The shared client picker on its own: debounced search, stale answers, paging, retry.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::api::Page;
use crate::app::{Command, Level, contacts};

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// 80×24: 22 pane rows, 19 list rows.
fn core() -> Core {
    Core {
        size: (80, 24),
        ..Core::default()
    }
}

fn picker(per_page: u32) -> ClientPicker {
    ClientPicker::new(
        per_page,
        Route::Contacts(contacts::Route::Clients),
        Tab::Contacts,
        "Press R to try again.",
    )
}

/// A client as the list shows it (also used by the Mail pane's tests).
pub(crate) fn client(i: usize) -> Account {
    Account {
        uuid: format!("c{i}"),
        name: format!("Client {i}"),
        kind: "client".into(),
        ..Account::default()
    }
}

fn page(from: usize, n: usize, has_next: bool) -> Result<Reply, ApiError> {
    Ok(Reply::Plannr(PlannrReply::Clients(Page {
        items: (from..from + n).map(client).collect(),
        has_next: Some(has_next),
        ..Page::default()
    })))
}

/// The clients requests sent since the last call: (id, name, page, per_page).
fn sent(core: &mut Core) -> Vec<(RequestId, Option<String>, u32, u32)> {
    std::mem::take(&mut core.out)
        .into_iter()
        .filter_map(|c| match c {
            Command::Api {
                id,
                call:
                    Call::Plannr(PlannrCall::Clients {
                        name,
                        page,
                        per_page,
                    }),
                ..
            } => Some((id, name, page, per_page)),
            _ => None,
        })
        .collect()
}

fn debounce_seq(core: &Core) -> u64 {
    core.seq
}

#[test]
fn first_load_asks_for_page_one_without_a_name_on_the_pane_route() {
    let mut core = core();
    let mut p = picker(25);
    p.load(&mut core);
    let s = sent(&mut core);
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].1.clone(), s[0].2, s[0].3), (None, 1, 25));
    assert_eq!(
        core.pending.get(&s[0].0),
        Some(&Route::Contacts(contacts::Route::Clients))
    );
    p.load(&mut core);
    assert!(sent(&mut core).is_empty(), "one page in flight at a time");
}

#[test]
fn only_the_latest_keystrokes_search_fires() {
    let mut core = core();
    let mut p = picker(25);
    p.load(&mut core);
    let first = sent(&mut core);
    assert_eq!(p.on_key(ch('/'), &mut core), PickerEvent::Handled);
    assert!(p.searching());
    let mut seqs = Vec::new();
    for c in "ann".chars() {
        assert_eq!(p.on_key(ch(c), &mut core), PickerEvent::Handled);
        seqs.push(debounce_seq(&core));
    }
    assert!(sent(&mut core).is_empty(), "nothing sent while typing");
    assert!(!p.on_debounce(seqs[0], &mut core));
    assert!(!p.on_debounce(seqs[1], &mut core));
    assert!(sent(&mut core).is_empty(), "older timers do nothing");
    assert!(p.on_debounce(seqs[2], &mut core));
    let s = sent(&mut core);
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].1.as_deref(), s[0].2), (Some("ann"), 1));
    assert!(
        !p.on_debounce(seqs[2], &mut core),
        "a timer fires its search once"
    );
    assert!(sent(&mut core).is_empty());

    // The answer to the superseded request is dropped; the latest one is shown.
    assert!(!p.on_result(first[0].0, page(100, 3, false), &mut core));
    assert!(p.clients.items.is_empty());
    assert!(p.on_result(s[0].0, page(1, 2, false), &mut core));
    assert_eq!(p.clients.items.len(), 2);

    // Enter keeps the search (nothing new to send), then Enter opens the selected client.
    assert_eq!(
        p.on_key(key(KeyCode::Enter), &mut core),
        PickerEvent::Handled
    );
    assert!(!p.searching());
    assert_eq!(p.filter, "ann");
    assert!(sent(&mut core).is_empty(), "same filter: nothing re-sent");
    assert_eq!(
        p.on_key(key(KeyCode::Enter), &mut core),
        PickerEvent::Open(client(1))
    );
}

#[test]
fn submitting_cancels_the_pending_timer_and_esc_clears_the_filter() {
    let mut core = core();
    let mut p = picker(25);
    p.on_key(ch('/'), &mut core);
    p.on_key(ch('x'), &mut core);
    let seq = debounce_seq(&core);
    p.on_key(key(KeyCode::Enter), &mut core);
    let s = sent(&mut core);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].1.as_deref(), Some("x"));
    assert!(!p.on_debounce(seq, &mut core), "the timer was cancelled");
    assert!(sent(&mut core).is_empty());
    assert!(p.on_result(s[0].0, page(1, 1, false), &mut core));

    assert_eq!(p.on_key(key(KeyCode::Esc), &mut core), PickerEvent::Handled);
    let s = sent(&mut core);
    assert_eq!((s.len(), s[0].1.clone()), (1, None));
    assert!(p.filter.is_empty());
    assert_eq!(
        p.on_key(key(KeyCode::Esc), &mut core),
        PickerEvent::NotMine,
        "Esc without a filter belongs to the pane"
    );
    assert_eq!(p.on_key(ch('D'), &mut core), PickerEvent::NotMine);
}

#[test]
fn pasting_into_the_search_is_debounced_and_blank_names_are_not_sent() {
    let mut core = core();
    let mut p = picker(25);
    assert!(!p.on_paste("nobody", &mut core), "closed search box");
    p.on_key(ch('/'), &mut core);
    assert!(p.on_paste("  ", &mut core));
    assert!(sent(&mut core).is_empty());
    assert!(p.on_debounce(debounce_seq(&core), &mut core));
    let s = sent(&mut core);
    assert_eq!(
        (s.len(), s[0].1.clone()),
        (1, None),
        "blank: no filter[name]"
    );
    p.on_key(key(KeyCode::Esc), &mut core);
    assert!(!p.searching());
}

#[test]
fn scrolling_towards_the_end_asks_for_the_next_page_in_order() {
    let mut core = core();
    let mut p = picker(20);
    p.load(&mut core);
    let s = sent(&mut core);
    assert!(p.on_result(s[0].0, page(0, 20, true), &mut core));
    // 20 loaded, the cursor at 0 needs 0 + 2×19 = 38: page 2 follows at once.
    let s = sent(&mut core);
    assert_eq!(s.iter().map(|r| r.2).collect::<Vec<_>>(), vec![2]);
    assert!(p.on_result(s[0].0, page(20, 20, true), &mut core));
    assert!(sent(&mut core).is_empty(), "40 ≥ 38: enough for now");
    // Moving down a screen needs more.
    assert_eq!(
        p.on_key(key(KeyCode::PageDown), &mut core),
        PickerEvent::Handled
    );
    assert_eq!(p.nav.selected, 19);
    let s = sent(&mut core);
    assert_eq!(s.iter().map(|r| r.2).collect::<Vec<_>>(), vec![3]);
    assert!(p.on_result(s[0].0, page(40, 5, false), &mut core));
    assert!(p.clients.is_complete());
    p.on_key(ch('G'), &mut core);
    assert_eq!(p.nav.selected, 44);
    assert!(sent(&mut core).is_empty(), "the end is known");
}

#[test]
fn a_failed_page_waits_for_a_retry_and_keeps_what_was_loaded() {
    let mut core = core();
    let mut p = picker(20);
    p.load(&mut core);
    let s = sent(&mut core);
    p.on_result(s[0].0, page(0, 20, true), &mut core);
    let s = sent(&mut core);
    assert_eq!(s[0].2, 2);
    assert!(!p.on_result(s[0].0, Err(ApiError::Timeout), &mut core));
    let st = core.status.as_ref().expect("status message");
    assert_eq!(st.level, Level::Error);
    assert!(st.text.contains("Could not load clients"), "{}", st.text);
    assert!(st.text.contains("Press R to try again."), "{}", st.text);
    assert!(p.clients.failed().is_some());
    // No automatic retry on scroll.
    p.on_key(ch('G'), &mut core);
    assert!(sent(&mut core).is_empty());
    assert!(p.failed_at_end());
    // r retries the failed page (not page 1); the 20 loaded stay.
    assert_eq!(p.on_key(ch('r'), &mut core), PickerEvent::Handled);
    let s = sent(&mut core);
    assert_eq!(s.iter().map(|r| r.2).collect::<Vec<_>>(), vec![2]);
    assert_eq!(p.clients.items.len(), 20);
    // It fails again; R retries it too.
    p.on_result(s[0].0, Err(ApiError::Timeout), &mut core);
    assert_eq!(p.on_key(ch('R'), &mut core), PickerEvent::Handled);
    let s = sent(&mut core);
    assert_eq!(s.iter().map(|r| r.2).collect::<Vec<_>>(), vec![2]);
    assert!(p.on_result(s[0].0, page(20, 3, false), &mut core));
    assert_eq!(p.clients.items.len(), 23);
    // Nothing failed: r is not the picker's, R reloads from page 1.
    assert_eq!(p.on_key(ch('r'), &mut core), PickerEvent::NotMine);
    assert_eq!(p.on_key(ch('R'), &mut core), PickerEvent::Handled);
    let s = sent(&mut core);
    assert_eq!(s.iter().map(|r| r.2).collect::<Vec<_>>(), vec![1]);
    assert!(p.clients.items.is_empty());
}

#[test]
fn answers_of_other_kinds_or_stale_failures_change_nothing() {
    let mut core = core();
    let mut p = picker(20);
    p.load(&mut core);
    let s = sent(&mut core);
    assert!(!p.on_result(s[0].0 + 99, Err(ApiError::Timeout), &mut core));
    assert!(core.status.is_none(), "a stale failure is silent");
    assert!(!p.on_result(s[0].0, Ok(Reply::Plannr(PlannrReply::Done)), &mut core));
    assert!(p.clients.is_loading());
}

/// Issue 17.4: `/` again starts a new, empty search (typing replaced the old query before, it
/// appended to it); the previous query is one ↑ away, as in less and vim.
#[test]
fn slash_starts_an_empty_search_with_the_previous_query_one_up_away() {
    let mut core = core();
    let mut p = picker(25);
    p.on_key(ch('/'), &mut core);
    for c in "thom".chars() {
        p.on_key(ch(c), &mut core);
    }
    p.on_key(key(KeyCode::Enter), &mut core);
    assert_eq!(p.filter, "thom");
    sent(&mut core);
    p.on_key(ch('/'), &mut core);
    assert_eq!(p.search.as_ref().map(|e| e.text()), Some(String::new()));
    p.on_key(ch('a'), &mut core);
    p.on_key(key(KeyCode::Enter), &mut core);
    assert_eq!(p.filter, "a", "a new query, not “thoma”");
    let s = sent(&mut core);
    assert_eq!(s.last().and_then(|c| c.1.clone()).as_deref(), Some("a"));
    // ↑ on the empty field brings back the last query; Esc cleared filters are kept too.
    p.on_key(ch('/'), &mut core);
    p.on_key(key(KeyCode::Up), &mut core);
    assert_eq!(p.search.as_ref().map(|e| e.text()), Some("a".into()));
    p.on_key(key(KeyCode::Backspace), &mut core);
    for c in "ann".chars() {
        p.on_key(ch(c), &mut core);
    }
    p.on_key(key(KeyCode::Esc), &mut core);
    assert!(p.filter.is_empty(), "Esc still clears the search");
    p.on_key(ch('/'), &mut core);
    p.on_key(key(KeyCode::Up), &mut core);
    assert_eq!(
        p.search.as_ref().map(|e| e.text()),
        Some("ann".into()),
        "what was typed before Esc is not lost"
    );
}
