//! The contacts pane against the demo server: real `api::Client` + `worker::call_api` on loopback,
//! `app::update` driven with keys, draft commands run by the worker's own function on real files.
mod common;

use std::path::Path;
use std::sync::Arc;

use common::{Drive, demo_client};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use plannr_tui::api::{Client, ClientConfig, Secret};
use plannr_tui::app::contacts::View;
use plannr_tui::app::contacts::form::{Focus, Phase};
use plannr_tui::app::{self, Command, Msg, Settings, State, Tab};
use plannr_tui::demo::{DemoOptions, DemoServer, Scripted};

struct App {
    state: State,
    client: Arc<Client>,
}

impl App {
    fn start(server: &DemoServer, drafts: &Path) -> App {
        let client = demo_client(server, |_| {});
        let settings = Settings {
            drafts_dir: Some(drafts.to_path_buf()),
            ..Settings::default()
        };
        let state = State::new(settings, Some(server.account_uuid.clone()), (120, 40));
        App { state, client }
    }

    /// Run commands until nothing is left: API calls for real, draft commands on real files,
    /// debounce timers fired at once (stale ones are dropped by the pane), other timers ignored.
    async fn run(&mut self, cmds: Vec<Command>) {
        let how = Drive {
            debounce: true,
            drafts: true,
            max_rounds: None,
        };
        common::drive(&self.client, &mut self.state, cmds, how).await;
    }

    async fn init(&mut self) {
        let cmds = self.state.init();
        self.run(cmds).await;
    }

    async fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        let cmds = app::update(&mut self.state, Msg::Key(KeyEvent::new(code, mods)));
        self.run(cmds).await;
    }

    async fn press(&mut self, code: KeyCode) {
        self.key(code, KeyModifiers::NONE).await;
    }

    async fn ctrl(&mut self, c: char) {
        self.key(KeyCode::Char(c), KeyModifiers::CONTROL).await;
    }

    async fn type_str(&mut self, s: &str) {
        for c in s.chars() {
            self.press(KeyCode::Char(c)).await;
        }
    }

    /// Open the Contacts pane and the client `uuid` in it (moving down the list to it).
    async fn open_client(&mut self, uuid: &str) {
        self.press(KeyCode::Char('4')).await;
        assert_eq!(self.state.tab, Tab::Contacts);
        let c = &self.state.contacts;
        let idx = c
            .picker
            .clients
            .items
            .iter()
            .position(|a| a.uuid == uuid)
            .expect("client listed");
        for _ in 0..idx {
            self.press(KeyCode::Char('j')).await;
        }
        self.press(KeyCode::Enter).await;
        assert_eq!(self.state.contacts.view, View::Details);
        assert!(self.state.contacts.details.is_complete());
    }

    /// Start, open the demo's client with contact details and select its first phone; returns the
    /// app and that phone's uuid.
    async fn on_first_phone(server: &DemoServer, drafts: &Path) -> (App, String) {
        let client_uuid = server.fixtures().client_with_contact_details_uuid.clone();
        let mut app = App::start(server, drafts);
        app.init().await;
        app.open_client(&client_uuid).await;
        let uuid = app.select_first_phone().await;
        (app, uuid)
    }

    /// Select the first phone detail; returns its uuid.
    async fn select_first_phone(&mut self) -> String {
        let idx = self
            .state
            .contacts
            .details
            .items
            .iter()
            .position(|d| d.kind == "phone_number")
            .expect("a phone");
        self.press(KeyCode::Char('g')).await;
        for _ in 0..idx {
            self.press(KeyCode::Char('j')).await;
        }
        self.state.contacts.details.items[idx].uuid.clone()
    }

    async fn retype(&mut self, text: &str) {
        self.ctrl('u').await;
        self.type_str(text).await;
    }
}

fn draft_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn edit_a_phone_label_and_value_reload_and_see_it() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (mut app, uuid) = App::on_first_phone(&server, tmp.path()).await;
    let before = app.state.contacts.selected_detail().cloned().unwrap();
    app.press(KeyCode::Char('e')).await;
    assert!(app.state.captures_input());
    app.retype("Work mobile (edited)").await;
    app.press(KeyCode::Tab).await;
    app.retype("07700 900999").await;
    assert_eq!(
        draft_files(tmp.path()).len(),
        1,
        "a draft is on disk while editing"
    );
    server.clear_requests();
    app.ctrl('s').await;
    assert!(
        app.state.contacts.form.is_none(),
        "saved: {:?}",
        app.state.core.status
    );
    assert!(
        draft_files(tmp.path()).is_empty(),
        "draft deleted once the server accepted it"
    );

    // Conflict check first, then the PUT with owners and primaries resent.
    let reqs = server.requests();
    let methods: Vec<(&str, &str)> = reqs
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(methods[0], ("GET", "/api/v2/contact-details"));
    assert_eq!(reqs[0].query_get("filter[uuid]"), Some(uuid.as_str()));
    let put = reqs.iter().find(|r| r.method == "PUT").expect("a PUT");
    assert_eq!(put.path, format!("/api/v2/contact-details/{uuid}"));
    let body = put.body.clone().unwrap();
    assert_eq!(body["name"], "Work mobile (edited)");
    assert_eq!(body["value"], "07700 900999");
    let owners: Vec<String> = before.owners().iter().map(|a| a.uuid.clone()).collect();
    let primaries: Vec<String> = before.primaries().iter().map(|a| a.uuid.clone()).collect();
    assert_eq!(body["account_uuids"], serde_json::json!(owners));
    assert_eq!(body["primary_account_uuids"], serde_json::json!(primaries));
    assert!(body.get("type").is_none());

    // Reload from the server.
    app.press(KeyCode::Char('R')).await;
    let d = app
        .state
        .contacts
        .details
        .items
        .iter()
        .find(|d| d.uuid == uuid)
        .unwrap();
    assert_eq!(d.name, "Work mobile (edited)");
    assert_eq!(d.value, "+447700900999");
    assert_eq!(d.display_value(), "07700 900999");
}

#[tokio::test]
async fn scripted_422_lands_under_the_right_field() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (mut app, _) = App::on_first_phone(&server, tmp.path()).await;
    app.press(KeyCode::Enter).await;
    app.press(KeyCode::Tab).await;
    app.retype("07700 900111").await;
    let msg = "This number is not in service.";
    server.script(Scripted::validation(
        Some("PUT"),
        Some("/api/v2/contact-details"),
        "value",
        msg,
    ));
    app.ctrl('s').await;
    let f = app
        .state
        .contacts
        .form
        .as_ref()
        .expect("the form stays open");
    assert_eq!(f.phase, Phase::Editing);
    assert_eq!(f.value.error.as_deref(), Some(msg));
    assert_eq!(f.label.error, None);
    assert_eq!(f.value.text(), "07700 900111", "everything typed is kept");
    assert_eq!(draft_files(tmp.path()).len(), 1);

    // A dotted owners key goes under owners.
    server.script(Scripted::json(
        Some("PUT"),
        Some("/api/v2/contact-details"),
        422,
        serde_json::json!({"message": "Owner must be a client.", "errors": {"account_uuids.0": ["Owner must be a client."]}}),
    ));
    app.ctrl('s').await;
    let f = app.state.contacts.form.as_ref().unwrap();
    assert_eq!(f.owners_error.as_deref(), Some("Owner must be a client."));
    assert_eq!(f.value.error, None);

    // The server's own validation (no script): a country code the client cannot check.
    assert_eq!(
        app.state.contacts.form.as_ref().unwrap().focus,
        Focus::Owners,
        "focus on the problem"
    );
    app.press(KeyCode::BackTab).await; // back to the value
    app.retype("ZZ 0123 456789").await;
    app.ctrl('s').await;
    let f = app.state.contacts.form.as_ref().unwrap();
    assert!(f.value.error.is_some(), "{:?}", f);
    assert_eq!(f.owners_error, None, "old messages are replaced");
    app.press(KeyCode::Esc).await;
    app.press(KeyCode::Char('y')).await;
    assert!(
        draft_files(tmp.path()).is_empty(),
        "discarded draft deleted"
    );
}

#[tokio::test]
async fn killed_mid_edit_the_draft_comes_back() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let client_uuid = server.fixtures().client_with_contact_details_uuid.clone();
    let uuid;
    {
        let mut app = App::start(&server, tmp.path());
        app.init().await;
        app.open_client(&client_uuid).await;
        uuid = app.select_first_phone().await;
        app.press(KeyCode::Char('e')).await;
        app.retype("Typed then crashed").await;
        // Killed: the State is dropped without quitting.
    }
    assert_eq!(draft_files(tmp.path()), vec![format!("detail-{uuid}.json")]);

    let mut app = App::start(&server, tmp.path());
    app.init().await;
    let status = app
        .state
        .core
        .status
        .clone()
        .expect("a message about drafts");
    assert!(
        status.text.contains("1 unsaved contact draft"),
        "{}",
        status.text
    );
    // D jumps straight to the draft's client, wherever it is in the list.
    app.press(KeyCode::Char('4')).await;
    app.press(KeyCode::Char('D')).await;
    assert_eq!(app.state.contacts.view, View::Details);
    assert_eq!(
        app.state.contacts.client.as_ref().map(|c| c.uuid.as_str()),
        Some(client_uuid.as_str())
    );
    let f = app
        .state
        .contacts
        .form
        .as_ref()
        .expect("the form reopens with the draft");
    assert_eq!(f.detail_uuid.as_deref(), Some(uuid.as_str()));
    assert_eq!(f.label.text(), "Typed then crashed");
    assert!(app.state.captures_input());
    app.ctrl('s').await;
    assert!(
        app.state.contacts.form.is_none(),
        "{:?}",
        app.state.core.status
    );
    assert!(draft_files(tmp.path()).is_empty());
    let d = app
        .state
        .contacts
        .details
        .items
        .iter()
        .find(|d| d.uuid == uuid)
        .unwrap();
    assert_eq!(d.name, "Typed then crashed");
}

#[tokio::test]
async fn quit_flushes_the_draft_and_a_conflict_asks() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let client_uuid = server.fixtures().client_with_contact_details_uuid.clone();
    let (mut app, uuid) = App::on_first_phone(&server, tmp.path()).await;
    app.press(KeyCode::Char('e')).await;
    // Someone else edits the record meanwhile.
    let other = app.state.contacts.selected_detail().cloned().unwrap();
    let body = plannr_tui::app::contacts::validate::make_primary_body(&other, &client_uuid)
        .expect("the list includes owners and primaries");
    let mut theirs = body.clone();
    theirs.name = "Changed by a colleague".into();
    app.client
        .update_contact_detail(&uuid, &theirs)
        .await
        .unwrap();
    app.type_str(" mine").await;
    app.ctrl('s').await;
    let f = app.state.contacts.form.as_ref().unwrap();
    assert!(
        matches!(&f.phase, Phase::Conflict { theirs, .. } if theirs.name == "Changed by a colleague")
    );
    // Quit with the form open: the draft is written before Quit.
    let cmds = app::update(
        &mut app.state,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    let cmds2 = app::update(
        &mut app.state,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    let all: Vec<Command> = cmds.into_iter().chain(cmds2).collect();
    let w = all
        .iter()
        .position(|c| matches!(c, Command::WriteDraft { .. }))
        .expect("draft flushed");
    let q = all
        .iter()
        .position(|c| matches!(c, Command::Quit))
        .expect("quit");
    assert!(w < q);
    app.run(all).await;
    let (drafts, _) = plannr_tui::worker::drafts::load_all(tmp.path());
    assert_eq!(drafts.len(), 1);
    assert!(drafts[0].fields.label.ends_with(" mine"));
}

/// The real worker: a draft write queued just before Quit is on disk when `run` returns (this
/// is what main awaits on exit), and a write failure comes back as a message.
#[tokio::test]
async fn worker_finishes_draft_writes_before_exiting() {
    let tmp = tempfile::tempdir().unwrap();
    let client = Client::new(ClientConfig::new("http://127.0.0.1:9", Secret::new("t"))).unwrap();
    let (msg_tx, mut msg_rx) = tokio::sync::mpsc::unbounded_channel();
    let (cmd_tx, cmd_rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = tokio::spawn(plannr_tui::worker::Worker::new(client, msg_tx).run(cmd_rx));
    let dir = Some(tmp.path().join("drafts"));
    for i in 0..50 {
        let json = format!("{{\"n\": {i}}}");
        cmd_tx
            .send(Command::WriteDraft {
                dir: dir.clone(),
                key: "detail-x".into(),
                json,
            })
            .unwrap();
    }
    // A directory that cannot be created (a file is in the way).
    std::fs::write(tmp.path().join("blocked"), "").unwrap();
    cmd_tx
        .send(Command::WriteDraft {
            dir: Some(tmp.path().join("blocked/drafts")),
            key: "k".into(),
            json: "{}".into(),
        })
        .unwrap();
    cmd_tx.send(Command::Quit).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), worker)
        .await
        .unwrap()
        .unwrap();
    let text = std::fs::read_to_string(tmp.path().join("drafts/detail-x.json")).unwrap();
    assert_eq!(
        text, "{\"n\": 49}",
        "writes run in order: the last one wins"
    );
    let mut failed = false;
    while let Ok(m) = msg_rx.try_recv() {
        failed |= matches!(
            m,
            Msg::Draft(plannr_tui::app::contacts::drafts::DraftEvent::Failed { .. })
        );
    }
    assert!(failed, "a failed write is reported");
}

/// The owners picker offers the client's linked clients (joint-account partner, family members
/// with their own accounts), asked of Plannr when the form opens with the deprecated
/// `GET /api/v1/client?filter[linked_to]=…` (the account route has no such filter), in a section
/// of their own that can be ticked like any owner; asked once per client. A failed answer is
/// said plainly under the owners and takes nothing away.
#[tokio::test]
async fn the_owners_picker_offers_linked_clients_in_their_own_section() {
    use plannr_tui::app::contacts::form::Linked;
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let clients = server.fixtures().client_uuids.clone();
    let (me, relative) = (clients[10].clone(), clients[11].clone());
    let mut app = App::start(&server, tmp.path());
    app.init().await;
    app.open_client(&me).await;
    server.clear_requests();
    app.press(KeyCode::Char('a')).await;
    app.press(KeyCode::Char('p')).await;
    let asked: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/v1/client")
        .collect();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].query_get("filter[linked_to]"), Some(me.as_str()));
    let f = app
        .state
        .contacts
        .form
        .as_ref()
        .expect("the new-detail form");
    assert_eq!(f.linked, Linked::Found(vec![relative.clone()]));
    assert_eq!(
        f.linked_only,
        vec![relative.clone()],
        "in their own section"
    );
    let at = f.linked_start();
    let (_, name) = f.accounts[at].clone();
    assert_ne!(name, relative, "shown by name");

    // Drawn under the owners, in the "linked" section, and tickable as an owner.
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    t.draw(|fr| plannr_tui::ui::draw(&app.state, fr)).unwrap();
    let screen: Vec<String> = (0..40)
        .map(|y| {
            (0..120)
                .map(|x| t.backend().buffer()[(x, y)].symbol().to_string())
                .collect()
        })
        .collect();
    assert!(
        screen
            .iter()
            .any(|l| l.contains("linked") && l.contains(&format!("[ ] {name}"))),
        "{screen:#?}"
    );
    app.press(KeyCode::Tab).await;
    app.press(KeyCode::Tab).await;
    for _ in 0..at {
        app.press(KeyCode::Char('l')).await;
    }
    app.press(KeyCode::Char(' ')).await;
    let f = app.state.contacts.form.as_ref().unwrap();
    assert!(f.owners.contains(&relative), "{:?}", f.owners);

    // Opened again for this client: not asked again.
    app.press(KeyCode::Esc).await;
    app.press(KeyCode::Char('y')).await;
    server.clear_requests();
    app.press(KeyCode::Char('a')).await;
    app.press(KeyCode::Char('e')).await;
    assert!(
        !server.requests().iter().any(|r| r.path == "/api/v1/client"),
        "asked once per client"
    );
    assert!(matches!(
        app.state.contacts.form.as_ref().unwrap().linked,
        Linked::Found(_)
    ));
    app.press(KeyCode::Esc).await;

    // Another client, and Plannr refuses the question: said plainly, nothing taken away.
    app.press(KeyCode::Esc).await;
    app.press(KeyCode::Char('g')).await;
    app.open_client(&clients[12]).await;
    server.script(Scripted::status(Some("GET"), Some("/api/v1/client"), 403));
    app.press(KeyCode::Char('a')).await;
    app.press(KeyCode::Char('p')).await;
    let f = app.state.contacts.form.as_ref().expect("the form");
    match &f.linked {
        Linked::Failed(why) => assert!(why.contains("Plannr could not list them"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_ne!(f.client_uuid, me, "another client");
    assert_eq!(
        f.accounts.first().map(|a| a.0.as_str()),
        Some(f.client_uuid.as_str()),
        "the client itself is still offered"
    );
    assert!(f.linked_only.is_empty());
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    t.draw(|fr| plannr_tui::ui::draw(&app.state, fr)).unwrap();
    let text: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        text.contains("linked clients unknown: Plannr could not list them"),
        "{text}"
    );
}
