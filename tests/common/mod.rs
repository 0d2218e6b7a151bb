//! Helpers shared by the integration tests (and the benches, through `#[path]`): a client for the
//! demo server, the loop that runs an update's Commands through the real pieces and feeds the Msgs
//! back into `app::update`, and (in `pty`) the real binary in a pseudo-terminal.
#![allow(dead_code)] // each test file uses a part of this

pub mod pty;

use std::collections::VecDeque;
use std::sync::Arc;

use plannr_tui::api::{Client, ClientConfig, Secret};
use plannr_tui::app::{self, Command, Msg, Reply, State, Timer};
use plannr_tui::demo::DemoServer;
use plannr_tui::worker::{call_api, run_draft_command};

/// A client of `server`, acting as its account; `tweak` adjusts the config first.
pub fn demo_client(server: &DemoServer, tweak: impl FnOnce(&mut ClientConfig)) -> Arc<Client> {
    let mut cfg = ClientConfig::new(server.base_url.clone(), Secret::new(server.token.clone()));
    cfg.account_uuid = Some(server.account_uuid.clone());
    tweak(&mut cfg);
    Client::new(cfg).expect("client")
}

/// What `drive` does besides API calls (always real) and HTML conversions (as the worker does,
/// off the async threads).
#[derive(Debug, Clone, Copy, Default)]
pub struct Drive {
    /// Fire debounce timers at once (stale ones are dropped by the pane); otherwise timers are
    /// dropped.
    pub debounce: bool,
    /// Run draft commands on real files with the worker's own function.
    pub drafts: bool,
    /// Fail with `why` when the Commands still come after this many rounds.
    pub max_rounds: Option<(usize, &'static str)>,
}

/// Run `cmds` (and whatever is waiting in `state.core.out`) until nothing is left to do, in the
/// order they come: each round's Commands, then the Commands their answers caused.
pub async fn drive(client: &Client, state: &mut State, cmds: Vec<Command>, how: Drive) {
    let mut queue: VecDeque<Command> = cmds.into();
    queue.extend(std::mem::take(&mut state.core.out));
    let mut rounds = 0;
    while !queue.is_empty() {
        rounds += 1;
        if let Some((max, why)) = how.max_rounds {
            assert!(rounds <= max, "{why}");
        }
        let mut next = VecDeque::new();
        for cmd in queue {
            if let Some(msg) = run(client, cmd, how).await {
                next.extend(app::update(state, msg));
            }
        }
        queue = next;
    }
}

/// One Command as the worker would run it, or None when it brings no Msg (or is not run here).
async fn run(client: &Client, cmd: Command, how: Drive) -> Option<Msg> {
    match cmd {
        Command::Api { id, call, .. } => Some(Msg::Api {
            id,
            result: call_api(client, call).await,
        }),
        Command::RenderHtml { id, html, width } => {
            let body = tokio::task::spawn_blocking(move || {
                plannr_tui::render::html::html_to_body(&html, width)
            })
            .await
            .expect("conversion");
            Some(Msg::Api {
                id,
                result: Ok(Reply::Body(Box::new(body))),
            })
        }
        Command::SetAccount(a) => {
            client.set_account(a);
            None
        }
        Command::Timer {
            timer: t @ Timer::Debounce { .. },
            ..
        } if how.debounce => Some(Msg::Timer(t)),
        Command::Timer { .. } | Command::Quit => None,
        other if how.drafts => run_draft_command(other),
        _ => None,
    }
}
