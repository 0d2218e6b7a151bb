//! Every pane and every view in it that the demo data reaches, drawn at every size from 1×1 to
//! 30×12 and a few odd ones, with the help overlay off and on, and with the editors open: drawing
//! (and the resize before it) must never panic. Data comes through the real client from the demo
//! server; failures are collected so one run names every view and size that broke.
mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use common::{Drive, demo_client};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use plannr_tui::api::Client;
use plannr_tui::app::mail::View as MailView;
use plannr_tui::app::{self, Command, Msg, Settings, State, Tab};
use plannr_tui::demo::{DemoOptions, DemoServer};
use plannr_tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

struct App {
    state: State,
    client: Arc<Client>,
    failures: Vec<String>,
    checked: usize,
}

fn sizes() -> Vec<(u16, u16)> {
    let mut v: Vec<(u16, u16)> = (1..=30)
        .flat_map(|w| (1..=12).map(move |h| (w, h)))
        .collect();
    v.extend([(1, 40), (200, 3), (200, 1), (2, 80), (45, 7), (80, 24)]);
    v
}

impl App {
    async fn run(&mut self, cmds: Vec<Command>) {
        let how = Drive {
            debounce: true,
            drafts: true,
            max_rounds: Some((200, "runaway request loop")),
        };
        common::drive(&self.client, &mut self.state, cmds, how).await;
    }

    async fn key(&mut self, code: KeyCode) {
        let cmds = app::update(
            &mut self.state,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        self.run(cmds).await;
    }

    /// Resize to every size and draw there with the help overlay off and on; back to 120×40.
    async fn check(&mut self, view: &str) {
        for (w, h) in sizes() {
            let resized = catch_unwind(AssertUnwindSafe(|| {
                app::update(&mut self.state, Msg::Resize(w, h))
            }));
            match resized {
                Ok(cmds) => self.run(cmds).await,
                Err(_) => {
                    self.failures.push(format!("{view}: resize to {w}×{h}"));
                    continue;
                }
            }
            for help in [false, true] {
                self.state.help = help;
                let state = &self.state;
                let drawn = catch_unwind(AssertUnwindSafe(|| {
                    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
                    t.draw(|f| ui::draw(state, f)).expect("draw");
                }));
                self.checked += 1;
                if drawn.is_err() {
                    self.failures
                        .push(format!("{view}: draw at {w}×{h}, help {help}"));
                }
            }
            self.state.help = false;
        }
        let cmds = app::update(&mut self.state, Msg::Resize(120, 40));
        self.run(cmds).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_draws_at_every_small_size_without_panicking() {
    // Panics are caught and listed at the end; keep the default hook from flooding the output.
    std::panic::set_hook(Box::new(|_| {}));
    let server = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server");
    let drafts = tempfile::tempdir().expect("tempdir");
    let settings = Settings {
        drafts_dir: Some(drafts.path().to_path_buf()),
        ..Settings::default()
    };
    let mut app = App {
        state: State::new(settings, Some(server.account_uuid.clone()), (120, 40)),
        client: demo_client(&server, |_| {}),
        failures: Vec::new(),
        checked: 0,
    };
    let cmds = app.state.init();
    app.run(cmds).await;

    // 1 Mailboxes: the list, the rename editor, the disable confirmation.
    app.key(KeyCode::Char('1')).await;
    assert_eq!(app.state.tab, Tab::Mailboxes);
    assert!(!app.state.mailboxes.rows.is_empty(), "mailboxes loaded");
    app.check("mailboxes list").await;
    app.key(KeyCode::Char('r')).await;
    assert!(app.state.captures_input(), "rename editor open");
    app.check("mailboxes rename").await;
    app.key(KeyCode::Esc).await;
    if app.state.captures_input() {
        app.key(KeyCode::Char('y')).await;
    }
    app.key(KeyCode::Char('j')).await;
    app.check("mailboxes second row").await;

    // 2 Mail: clients, the search box, emails, a thread.
    app.key(KeyCode::Char('2')).await;
    assert_eq!(app.state.tab, Tab::Mail);
    app.check("mail clients").await;
    app.key(KeyCode::Char('/')).await;
    app.check("mail client search").await;
    app.key(KeyCode::Esc).await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.state.mail.view, MailView::Emails);
    app.check("mail emails").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.state.mail.view, MailView::Thread);
    app.check("mail thread").await;
    app.key(KeyCode::Char('o')).await;
    app.check("mail thread all expanded").await;
    app.key(KeyCode::Char('G')).await;
    app.check("mail thread end").await;

    // 3 Conversations: the list, the rename editor, the filter, an open conversation.
    app.key(KeyCode::Char('3')).await;
    assert_eq!(app.state.tab, Tab::Conversations);
    app.check("conversations list").await;
    app.key(KeyCode::Char('r')).await;
    assert!(app.state.captures_input(), "rename editor open");
    app.check("conversations rename").await;
    app.key(KeyCode::Esc).await;
    if app.state.captures_input() {
        app.key(KeyCode::Char('y')).await;
    }
    app.key(KeyCode::Char('/')).await;
    app.check("conversations filter").await;
    app.key(KeyCode::Esc).await;
    app.key(KeyCode::Enter).await;
    assert!(app.state.conversations.open.is_some(), "conversation open");
    app.check("conversation open").await;
    app.key(KeyCode::Esc).await;

    // 4 Contacts: clients, details, the edit form, the add form.
    app.key(KeyCode::Char('4')).await;
    assert_eq!(app.state.tab, Tab::Contacts);
    app.check("contacts clients").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(
        app.state.contacts.view,
        plannr_tui::app::contacts::View::Details
    );
    app.check("contacts details").await;
    app.key(KeyCode::Char('e')).await;
    assert!(app.state.captures_input(), "contact form open");
    app.check("contacts edit form").await;
    app.key(KeyCode::Esc).await;
    if app.state.contacts.has_unsaved() {
        app.key(KeyCode::Char('y')).await;
    }
    app.key(KeyCode::Char('a')).await;
    app.key(KeyCode::Char('p')).await;
    assert!(app.state.contacts.form.is_some(), "add form open");
    app.check("contacts add form").await;

    let _ = std::panic::take_hook();
    assert!(app.checked > 5000, "drew {} screens", app.checked);
    assert!(
        app.failures.is_empty(),
        "{} of {} draws panicked:\n{}",
        app.failures.len(),
        app.checked,
        app.failures.join("\n")
    );
}
