//! The Outreach pane end to end against the Outreach demo: keys in, the real client and worker
//! function out, the screen drawn into a `TestBackend` and snapshotted (mailbox list with health
//! words, a switch, a failed test's detail; a mailbox's mailings; an open mailing).
use std::collections::VecDeque;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use plannr_tui::api::Secret;
use plannr_tui::api::outreach::{OutreachClient, OutreachConfig};
use plannr_tui::app::{self, Call, Command, Msg, Reply, Settings, State, Tab};
use plannr_tui::demo::outreach::{OutreachDemo, OutreachOptions, ids};
use plannr_tui::ui;
use plannr_tui::worker::call_outreach;

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

async fn setup(w: u16, h: u16) -> (OutreachDemo, Arc<OutreachClient>, State) {
    let demo = OutreachDemo::start(OutreachOptions {
        now: Some(NOW),
        ..OutreachOptions::default()
    })
    .await
    .expect("demo");
    let client = OutreachClient::new(OutreachConfig::new(
        demo.base_url.clone(),
        Some(Secret::new(demo.token.clone())),
    ))
    .expect("client");
    let settings = Settings {
        plannr: false,
        outreach: true,
        ..Settings::default()
    };
    let mut state = State::new(settings, None, (w, h));
    state.core.now = NOW;
    let cmds = state.init();
    drive(&client, &mut state, cmds).await;
    (demo, client, state)
}

/// Run the commands (and those their answers cause) with the real client, as the worker would.
async fn drive(client: &OutreachClient, state: &mut State, cmds: Vec<Command>) {
    let mut queue: VecDeque<Command> = cmds.into();
    while let Some(cmd) = queue.pop_front() {
        let msg = match cmd {
            Command::Api {
                id,
                call: Call::Outreach(c),
                ..
            } => Msg::Api {
                id,
                result: call_outreach(Some(client), c).await,
            },
            Command::RenderHtml { id, html, width } => Msg::Api {
                id,
                result: Ok(Reply::Body(Box::new(
                    plannr_tui::render::html::html_to_body(&html, width),
                ))),
            },
            _ => continue,
        };
        queue.extend(app::update(state, msg));
    }
}

async fn press(client: &OutreachClient, state: &mut State, c: KeyCode) {
    let cmds = app::update(state, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
    drive(client, state, cmds).await;
}

fn screen(state: &State, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| ui::draw(state, f)).expect("draw");
    format!("{:?}", t.backend())
}

fn select(state: &mut State, mailbox: i64) -> Vec<Command> {
    let i = state
        .outreach
        .boxes
        .items
        .iter()
        .position(|r| r.mailbox.id == mailbox)
        .expect("row");
    let mut cmds = Vec::new();
    for _ in 0..20 {
        cmds.extend(app::update(
            state,
            Msg::Key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE)),
        ));
    }
    for _ in 0..i {
        cmds.extend(app::update(
            state,
            Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
        ));
    }
    cmds
}

#[tokio::test]
async fn the_mailbox_list_with_health_a_switch_and_a_failed_test() {
    let (demo, client, mut state) = setup(140, 16).await;
    assert_eq!(state.tab, Tab::Outreach);
    assert_eq!(state.outreach.boxes.items.len(), 6);
    insta::assert_snapshot!("outreach_mailboxes_140x16", screen(&state, 140, 16));
    // Issue 15: the columns give way by priority at every width.
    for (w, h) in [(40, 12), (80, 16), (120, 16)] {
        insta::assert_snapshot!(format!("outreach_mailboxes_{w}x{h}"), screen(&state, w, h));
    }

    // Space on the healthy mailbox turns its sync off; the PATCH names only syncDisabled.
    select(&mut state, ids::HEALTHY);
    demo.clear_requests();
    press(&client, &mut state, KeyCode::Char(' ')).await;
    let patch = demo.requests().pop().expect("patch");
    assert_eq!(patch.method, "PATCH");
    assert_eq!(
        patch.body.as_ref().map(|b| b["data"]["attributes"].clone()),
        Some(serde_json::json!({ "syncDisabled": true }))
    );
    // T on the mailbox whose sending fails: the 422's detail on the row and under the table.
    select(&mut state, ids::SEND_ERROR);
    press(&client, &mut state, KeyCode::Char('T')).await;
    insta::assert_snapshot!(
        "outreach_switched_and_tested_140x16",
        screen(&state, 140, 16)
    );
}

#[tokio::test]
async fn mailings_and_an_open_mailing() {
    let (_demo, client, mut state) = setup(100, 24).await;
    select(&mut state, ids::HEALTHY);
    press(&client, &mut state, KeyCode::Enter).await;
    let v = state.outreach.mailings.as_ref().expect("mailings");
    assert_eq!(
        v.list.items.len(),
        50,
        "one page until the cursor nears its end"
    );
    insta::assert_snapshot!("outreach_mailings_100x24", screen(&state, 100, 24));
    for (w, h) in [(40, 12), (80, 16), (120, 16)] {
        insta::assert_snapshot!(format!("outreach_mailings_{w}x{h}"), screen(&state, w, h));
    }
    press(&client, &mut state, KeyCode::Char('G')).await;
    press(&client, &mut state, KeyCode::Char('G')).await;
    let v = state.outreach.mailings.as_ref().expect("mailings");
    assert_eq!(v.list.items.len(), 130, "every page, by links.next");
    press(&client, &mut state, KeyCode::Char('g')).await;
    press(&client, &mut state, KeyCode::Enter).await;
    insta::assert_snapshot!("outreach_open_mailing_100x24", screen(&state, 100, 24));
}

#[tokio::test]
async fn a_hostile_mailing_reaches_the_screen_clean() {
    let (_demo, client, mut state) = setup(100, 24).await;
    select(&mut state, ids::HOSTILE);
    press(&client, &mut state, KeyCode::Enter).await;
    press(&client, &mut state, KeyCode::Enter).await;
    let text = screen(&state, 100, 24);
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(bad), "{bad:?} reached the screen");
    }
    assert!(text.contains("Cleared your screen?"), "{text}");
}

/// Every screen of the Outreach pane (the mailbox list, a failed test on a row, a mailbox's
/// mailings, an open mailing) in the dark and light presets and without colour: the styles are
/// part of the snapshot, and no look paints RGB backgrounds or pale text.
#[tokio::test]
async fn every_outreach_screen_in_every_look() {
    use plannr_tui::ui::theme;
    let (w, h) = (100, 24);
    let (_d1, _, list) = setup(w, h).await;
    let (_d2, client, mut failed) = setup(w, h).await;
    select(&mut failed, ids::SEND_ERROR);
    press(&client, &mut failed, KeyCode::Char('T')).await;
    let (_d3, client, mut mailings) = setup(w, h).await;
    select(&mut mailings, ids::HEALTHY);
    press(&client, &mut mailings, KeyCode::Enter).await;
    let (_d4, client, mut open) = setup(w, h).await;
    select(&mut open, ids::HEALTHY);
    press(&client, &mut open, KeyCode::Enter).await;
    press(&client, &mut open, KeyCode::Enter).await;
    assert!(open.outreach.open.is_some());
    let screens = [
        ("outreach_mailboxes", &list),
        ("outreach_test_failed", &failed),
        ("outreach_mailings", &mailings),
        ("outreach_open_mailing", &open),
    ];
    for (look, t) in theme::looks() {
        let _g = theme::scoped(t);
        for (name, state) in &screens {
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            term.draw(|f| ui::draw(state, f)).expect("draw");
            let buf = term.backend().buffer();
            let bad = theme::lint(buf, &t);
            assert!(bad.is_empty(), "{name} in {look}: {bad:?}");
            insta::assert_snapshot!(format!("look_{look}_{name}"), theme::styled_screen(buf));
        }
    }
}

/// Without colour (NO_COLOR) a failing mailbox still stands out: its health and the failed test's
/// note are bold, not only red.
#[tokio::test]
async fn a_failing_row_stands_out_without_colour() {
    use plannr_tui::ui::theme;
    let (w, h) = (100, 24);
    let (_d, client, mut failed) = setup(w, h).await;
    select(&mut failed, ids::SEND_ERROR);
    press(&client, &mut failed, KeyCode::Char('T')).await;
    let _g = theme::scoped(theme::Theme::dark().without_color());
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| ui::draw(&failed, f)).expect("draw");
    let buf = term.backend().buffer();
    let mut seen = 0;
    for y in 0..h {
        let line: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
        let Some(at) = line.find("failing") else {
            continue;
        };
        let x = line[..at].chars().count() as u16;
        seen += 1;
        assert!(
            buf[(x, y)]
                .modifier
                .contains(ratatui::style::Modifier::BOLD),
            "“failing” is not bold in row {y}: {line}"
        );
    }
    assert!(seen > 0, "no failing row on screen");
}
