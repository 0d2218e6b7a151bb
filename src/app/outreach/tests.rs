use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::{PlannrCall, Settings, State, update};

const NOW: i64 = 1_767_225_600;

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

use crate::app::Msg;

fn mailbox(id: i64, editable: bool) -> Mailbox {
    Mailbox {
        id,
        email: Known::Set(format!("m{id}@x.example")),
        editable: Known::Set(editable),
        send_disabled: Known::Set(false),
        sync_disabled: Known::Set(false),
        ..Mailbox::default()
    }
}

fn outreach_calls(cmds: &[Command]) -> Vec<(RequestId, OutreachCall)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::Api {
                id,
                call: Call::Outreach(o),
                ..
            } => Some((*id, o.clone())),
            _ => None,
        })
        .collect()
}

/// Only Outreach set up: the app starts on the Outreach pane, which asks for the first page.
fn started() -> (State, RequestId) {
    let settings = Settings {
        plannr: false,
        outreach: true,
        ..Settings::default()
    };
    let mut s = State::new(settings, None, (120, 30));
    s.core.now = NOW;
    let cmds = s.init();
    assert_eq!(s.tab, Tab::Outreach);
    let calls = outreach_calls(&cmds);
    assert_eq!(calls.len(), 1, "{cmds:?}");
    assert!(
        !cmds.iter().any(|c| matches!(
            c,
            Command::Api {
                call: Call::Plannr(PlannrCall::Logins),
                ..
            }
        )),
        "no Plannr call without Plannr"
    );
    (s, calls[0].0)
}

fn answer(s: &mut State, id: RequestId, r: ApiResult) -> Vec<Command> {
    update(s, Msg::Api { id, result: r })
}

fn loaded(boxes: Vec<Mailbox>, next: Option<&str>) -> (State, Vec<Command>) {
    let (mut s, id) = started();
    let out = answer(
        &mut s,
        id,
        Ok(Reply::Outreach(OutreachReply::Mailboxes(CursorPage {
            items: boxes,
            next: next.map(str::to_string),
            count: None,
        }))),
    );
    (s, out)
}

#[test]
fn only_outreach_shows_one_tab_and_digits_reach_only_it() {
    let (mut s, _) = started();
    assert!(!s.shown(Tab::Mailboxes) && s.shown(Tab::Outreach));
    update(&mut s, key(KeyCode::Char('1')));
    assert_eq!(s.tab, Tab::Outreach, "hidden panes cannot be reached");
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.tab, Tab::Outreach);
    // R is the pane's (reload), not "list the Plannr accounts again".
    let out = update(&mut s, key(KeyCode::Char('R')));
    assert!(matches!(
        outreach_calls(&out).as_slice(),
        [(_, OutreachCall::Mailboxes { next: None, .. })]
    ));
}

#[test]
fn both_backends_show_five_tabs_and_5_opens_outreach_without_an_account() {
    let settings = Settings {
        outreach: true,
        ..Settings::default()
    };
    let mut s = State::new(settings, None, (120, 30));
    s.init();
    assert_eq!(s.tab, Tab::Mailboxes);
    let out = update(&mut s, key(KeyCode::Char('5')));
    assert_eq!(s.tab, Tab::Outreach);
    assert_eq!(
        outreach_calls(&out).len(),
        1,
        "not held back by the account gate"
    );
    let s = State::new(Settings::default(), None, (120, 30));
    assert!(!s.shown(Tab::Outreach), "not set up: no tab");
}

#[test]
fn a_sync_toggle_is_optimistic_and_rolls_back_on_failure() {
    let (mut s, _) = loaded(vec![mailbox(7, true)], None);
    let out = update(&mut s, key(KeyCode::Char(' ')));
    let calls = outreach_calls(&out);
    assert_eq!(
        calls.iter().map(|c| c.1.clone()).collect::<Vec<_>>(),
        vec![OutreachCall::Toggle {
            id: 7,
            toggle: MailboxToggle::SyncDisabled(true)
        }]
    );
    let row = &s.outreach.boxes.items[0];
    assert_eq!(row.mailbox.sync_disabled, Known::Set(true), "shown at once");
    assert_eq!(row.mailbox.send_disabled, Known::Set(false));
    answer(
        &mut s,
        calls[0].0,
        Err(ApiError::Outreach(OutreachError::Validation {
            message: "Sync cannot be turned off while a sequence runs".into(),
            field: Some("syncDisabled".into()),
        })),
    );
    let row = &s.outreach.boxes.items[0];
    assert_eq!(row.mailbox.sync_disabled, Known::Set(false), "rolled back");
    assert!(
        matches!(&row.note, Some(Note::Failed(t)) if t.contains("while a sequence runs")),
        "{:?}",
        row.note
    );
    // S toggles sending; the server's copy confirms it.
    let out = update(&mut s, key(KeyCode::Char('S')));
    let calls = outreach_calls(&out);
    assert_eq!(
        calls[0].1,
        OutreachCall::Toggle {
            id: 7,
            toggle: MailboxToggle::SendDisabled(true)
        }
    );
    let mut server = mailbox(7, true);
    server.send_disabled = Known::Set(true);
    server.owner = None;
    answer(
        &mut s,
        calls[0].0,
        Ok(Reply::Outreach(OutreachReply::Mailbox(Box::new(server)))),
    );
    let row = &s.outreach.boxes.items[0];
    assert_eq!(row.mailbox.send_disabled, Known::Set(true));
    assert_eq!(row.note, Some(Note::Done("sending turned off".into())));
}

#[test]
fn a_mailbox_outreach_says_is_not_editable_is_never_patched() {
    let (mut s, _) = loaded(vec![mailbox(8, false)], None);
    for k in [KeyCode::Char(' '), KeyCode::Char('S')] {
        let out = update(&mut s, key(k));
        assert!(outreach_calls(&out).is_empty());
    }
    let status = s.core.status_text();
    assert!(status.contains("may not edit"), "{status}");
    assert_eq!(
        s.outreach.boxes.items[0].mailbox.send_disabled,
        Known::Set(false)
    );
}

fn smtp_failed() -> ApiResult {
    Err(ApiError::Outreach(OutreachError::Validation {
        message: "SMTP authentication failed".into(),
        field: None,
    }))
}

#[test]
fn tests_show_their_result_or_the_422_detail_on_the_row() {
    let (mut s, _) = loaded(vec![mailbox(9, true)], None);
    let out = update(&mut s, key(KeyCode::Char('T')));
    let calls = outreach_calls(&out);
    assert_eq!(calls[0].1, OutreachCall::TestSend { id: 9 });
    assert!(matches!(
        s.outreach.boxes.items[0].note,
        Some(Note::Busy(_))
    ));
    answer(&mut s, calls[0].0, smtp_failed());
    assert_eq!(
        s.outreach.boxes.items[0].note,
        Some(Note::Failed(
            "send test failed: SMTP authentication failed".into()
        ))
    );
    let out = update(&mut s, key(KeyCode::Char('Y')));
    let calls = outreach_calls(&out);
    assert_eq!(calls[0].1, OutreachCall::TestSync { id: 9 });
    let mut after = mailbox(9, true);
    after.sync_success_at = Known::Set(NOW);
    answer(
        &mut s,
        calls[0].0,
        Ok(Reply::Outreach(OutreachReply::Mailbox(Box::new(after)))),
    );
    assert_eq!(
        s.outreach.boxes.items[0].note,
        Some(Note::Done("sync test passed".into()))
    );
    assert_eq!(
        s.outreach.boxes.items[0].mailbox.sync_success_at,
        Known::Set(NOW)
    );
}

/// Press `k` (T or Y) on the selected mailbox and answer its test with `result`: the calls that
/// answer led to.
fn test_answered(s: &mut State, k: char, result: ApiResult) -> Vec<(RequestId, OutreachCall)> {
    let out = update(s, key(KeyCode::Char(k)));
    let calls = outreach_calls(&out);
    outreach_calls(&answer(s, calls[0].0, result))
}

fn mailbox_answer(m: Mailbox) -> ApiResult {
    Ok(Reply::Outreach(OutreachReply::Mailbox(Box::new(m))))
}

/// After T or Y, passed or failed, the mailbox is read again, so its health and its error and
/// success times are current without R; the row keeps the test's outcome.
#[test]
fn a_test_passed_or_failed_rereads_the_mailbox() {
    let (mut s, _) = loaded(vec![mailbox(9, true)], None);
    let reread = test_answered(&mut s, 'T', smtp_failed());
    assert_eq!(
        reread.iter().map(|c| c.1.clone()).collect::<Vec<_>>(),
        vec![OutreachCall::Mailbox { id: 9 }],
        "a failed test re-reads the mailbox"
    );
    let mut fresh = mailbox(9, true);
    fresh.send_errored_at = Known::Set(NOW - 5);
    answer(&mut s, reread[0].0, mailbox_answer(fresh));
    let row = &s.outreach.boxes.items[0];
    assert_eq!(row.mailbox.send_errored_at, Known::Set(NOW - 5));
    assert_eq!(
        row.note,
        Some(Note::Failed(
            "send test failed: SMTP authentication failed".into()
        )),
        "the outcome stays on the row"
    );

    let mut after = mailbox(9, true);
    after.sync_success_at = Known::Set(NOW);
    let reread = test_answered(&mut s, 'Y', mailbox_answer(after));
    assert_eq!(reread.len(), 1, "a passed test re-reads the mailbox too");
    assert_eq!(reread[0].1, OutreachCall::Mailbox { id: 9 });
    let mut fresh = mailbox(9, true);
    fresh.sync_success_at = Known::Set(NOW);
    fresh.sync_finished_at = Known::Set(NOW + 1);
    fresh.send_errored_at = Known::Set(NOW - 5);
    answer(&mut s, reread[0].0, mailbox_answer(fresh));
    let row = &s.outreach.boxes.items[0];
    assert_eq!(row.mailbox.sync_finished_at, Known::Set(NOW + 1));
    assert_eq!(row.note, Some(Note::Done("sync test passed".into())));

    // A re-read that fails leaves the row as it was and says so in the status bar.
    let reread = test_answered(&mut s, 'T', Err(ApiError::Outreach(OutreachError::Timeout)));
    answer(
        &mut s,
        reread[0].0,
        Err(ApiError::Outreach(OutreachError::Timeout)),
    );
    let row = &s.outreach.boxes.items[0];
    assert!(
        matches!(&row.note, Some(Note::Failed(t)) if t.starts_with("send test failed")),
        "{:?}",
        row.note
    );
    assert_eq!(row.mailbox.sync_finished_at, Known::Set(NOW + 1));
    assert!(
        s.core.status_text().contains("R reloads"),
        "{}",
        s.core.status_text()
    );
}

fn mailing(id: i64) -> Mailing {
    Mailing {
        id,
        subject: Known::Set(format!("Subject {id}")),
        ..Mailing::default()
    }
}

#[test]
fn mailings_follow_the_cursor_as_the_list_scrolls() {
    let (mut s, _) = loaded(vec![mailbox(5, true)], None);
    let out = update(&mut s, key(KeyCode::Enter));
    let calls = outreach_calls(&out);
    assert!(matches!(
        &calls[0].1,
        OutreachCall::Mailings {
            mailbox_id: 5,
            next: None,
            ..
        }
    ));
    let next = "http://127.0.0.1:1/api/v2/mailings?page%5Bafter%5D=abc&page%5Bsize%5D=50";
    let out = answer(
        &mut s,
        calls[0].0,
        Ok(Reply::Outreach(OutreachReply::Mailings(CursorPage {
            items: (0..50).map(mailing).collect(),
            next: Some(next.into()),
            count: None,
        }))),
    );
    assert!(
        outreach_calls(&out).is_empty(),
        "the cursor is far from the end"
    );
    let out = update(&mut s, key(KeyCode::Char('G')));
    let calls = outreach_calls(&out);
    assert_eq!(
        calls.iter().map(|c| c.1.clone()).collect::<Vec<_>>(),
        vec![OutreachCall::Mailings {
            mailbox_id: 5,
            next: Some(next.into()),
            page_size: 50
        }],
        "links.next as sent"
    );
    assert!(
        outreach_calls(&update(&mut s, key(KeyCode::Char('k')))).is_empty(),
        "once"
    );
    answer(
        &mut s,
        calls[0].0,
        Ok(Reply::Outreach(OutreachReply::Mailings(CursorPage {
            items: (50..60).map(mailing).collect(),
            next: None,
            count: None,
        }))),
    );
    let v = s.outreach.mailings.as_ref().expect("mailings");
    assert_eq!(v.list.items.len(), 60);
    assert!(
        outreach_calls(&update(&mut s, key(KeyCode::Char('G')))).is_empty(),
        "the end"
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(s.outreach.mailings.is_none());
}

#[test]
fn an_open_mailing_goes_through_the_html_renderer_with_numbered_links() {
    let (mut s, _) = loaded(vec![mailbox(5, true)], None);
    let out = update(&mut s, key(KeyCode::Enter));
    let id = outreach_calls(&out)[0].0;
    answer(
        &mut s,
        id,
        Ok(Reply::Outreach(OutreachReply::Mailings(CursorPage {
            items: vec![mailing(1)],
            next: None,
            count: None,
        }))),
    );
    let out = update(&mut s, key(KeyCode::Enter));
    let calls = outreach_calls(&out);
    assert_eq!(calls[0].1, OutreachCall::Mailing { id: 1 });
    let mut full = mailing(1);
    full.body_html = Known::Set("<p>Read <a href=\"https://x.example/a\">this</a></p>".into());
    let out = answer(
        &mut s,
        calls[0].0,
        Ok(Reply::Outreach(OutreachReply::Mailing(Box::new(full)))),
    );
    let (rid, html, width) = out
        .iter()
        .find_map(|c| match c {
            Command::RenderHtml { id, html, width } => Some((*id, html.clone(), *width)),
            _ => None,
        })
        .expect("the HTML goes to the renderer");
    assert_eq!(width, 118, "the pane's width less its margins");
    let body = crate::render::html::html_to_body(&html, width);
    answer(&mut s, rid, Ok(Reply::Body(Box::new(body))));
    let open = s.outreach.open.as_ref().expect("open");
    assert!(!open.loading);
    assert!(
        open.lines.iter().any(|l| l.contains("this[1]")),
        "{:?}",
        open.lines
    );
    assert!(
        open.lines.iter().any(|l| l == "[1] https://x.example/a"),
        "{:?}",
        open.lines
    );
    update(&mut s, key(KeyCode::Char('q')));
    assert!(s.outreach.open.is_none() && s.outreach.mailings.is_some() && !s.quit);
}

#[test]
fn a_rate_limited_list_waits_as_asked_then_tries_again() {
    let (mut s, id) = started();
    let out = answer(
        &mut s,
        id,
        Err(ApiError::Outreach(OutreachError::RateLimited {
            wait: Some(Duration::from_secs(90)),
        })),
    );
    let (after, seq) = out
        .iter()
        .find_map(|c| match c {
            Command::Timer {
                after,
                timer:
                    Timer::Debounce {
                        tab: Tab::Outreach,
                        seq,
                    },
            } => Some((*after, *seq)),
            _ => None,
        })
        .expect("a retry timer");
    assert_eq!(after, Duration::from_secs(90));
    let status = s.core.status_text();
    assert!(status.contains("trying again in 1m 30s"), "{status}");
    let out = update(
        &mut s,
        Msg::Timer(Timer::Debounce {
            tab: Tab::Outreach,
            seq,
        }),
    );
    assert!(matches!(
        outreach_calls(&out).as_slice(),
        [(_, OutreachCall::Mailboxes { next: None, .. })]
    ));
}

#[test]
fn tiny_terminals_never_panic() {
    let (mut s, _) = loaded(
        vec![mailbox(1, true), mailbox(2, false)],
        Some("http://x/next"),
    );
    for (w, h) in [(1, 1), (2, 3), (10, 4), (200, 2)] {
        update(&mut s, Msg::Resize(w, h));
        for k in [KeyCode::Char('j'), KeyCode::PageDown, KeyCode::Char('G')] {
            update(&mut s, key(k));
        }
    }
}
