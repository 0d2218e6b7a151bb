//! The background task: the only place that awaits I/O. It receives `Command`s, runs API calls
//! concurrently (bounded), and answers with `Msg`s tagged with the request id.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

use crate::api::outreach::OutreachClient;
use crate::api::{ApiError, Client};
use crate::app::outreach::{OutreachCall, OutreachReply};
use crate::app::{Call, Command, Msg, PlannrCall, PlannrReply, Reply, RequestId, TokenRead};
use crate::config::TokenReader;
use crate::render::html::{Body, HtmlCache, html_to_body};

pub mod download;
pub mod drafts;

/// Linked clients asked for at once (a household or a family: a handful).
pub const LINKED_PER_PAGE: u32 = 100;
pub mod slots;

pub use download::{DOWNLOAD_LIMIT, create_unique, default_download_dir, download, safe_file_name};

pub use slots::{Lane, Slots};

/// One client per configured backend; `Command::Api` goes to the one its call names
/// (`Call::backend`). Plannr is always configured; a second backend adds an optional field here
/// and an arm in `Worker::handle`.
#[derive(Debug, Clone)]
pub struct Backends {
    pub plannr: Arc<Client>,
    /// Set when Outreach is configured; its calls fail with an explanation otherwise.
    pub outreach: Option<Arc<OutreachClient>>,
}

impl From<Arc<Client>> for Backends {
    fn from(plannr: Arc<Client>) -> Backends {
        Backends {
            plannr,
            outreach: None,
        }
    }
}

pub struct Worker {
    backends: Backends,
    tx: mpsc::UnboundedSender<Msg>,
    slots: Slots,
    /// Reads in flight, by request id: `Command::Cancel` aborts one (its slot is freed at once and
    /// its answer never sent). Finished ones are pruned as new ones start.
    reads: HashMap<RequestId, tokio::task::AbortHandle>,
    /// The largest attachment saved (`DOWNLOAD_LIMIT`; tests shrink it).
    download_limit: u64,
    /// Per written resource, the signal that its latest write finished: the next write to the same
    /// resource waits for it, so writes go out in the order they were asked and the last one asked
    /// is the last one applied.
    write_chain: HashMap<String, oneshot::Receiver<()>>,
    /// Draft file commands, run one after another (so the last write wins) by `draft_task`.
    draft_tx: Option<mpsc::UnboundedSender<Command>>,
    draft_task: Option<tokio::task::JoinHandle<()>>,
    /// Converted HTML bodies by content and width (a resize back, or reopening a message, is a
    /// lookup).
    html_cache: Arc<Mutex<HtmlCache>>,
    /// Reads the Plannr token again after a 401 (`Command::ReadToken`); None (the demo, tests):
    /// the token in use is kept and said to be the same (so R just asks Plannr again).
    token_reader: Option<Arc<TokenReader>>,
}

impl Worker {
    pub fn new(backends: impl Into<Backends>, tx: mpsc::UnboundedSender<Msg>) -> Worker {
        let backends: Backends = backends.into();
        backends.plannr.set_wait_hook(wait_hook("Plannr", &tx));
        Worker {
            backends,
            tx,
            slots: Slots::default(),
            reads: HashMap::new(),
            download_limit: DOWNLOAD_LIMIT,
            write_chain: HashMap::new(),
            draft_tx: None,
            draft_task: None,
            html_cache: Arc::new(Mutex::new(HtmlCache::default())),
            token_reader: None,
        }
    }

    /// Read the Plannr token again with `reader` when the app asks (`Command::ReadToken`).
    pub fn with_token_reader(mut self, reader: Option<TokenReader>) -> Worker {
        self.token_reader = reader.map(Arc::new);
        self
    }

    /// Answer Outreach calls with this client (without one they fail with an explanation).
    pub fn with_outreach(mut self, outreach: Option<Arc<OutreachClient>>) -> Worker {
        if let Some(o) = &outreach {
            o.set_wait_hook(wait_hook("Outreach", &self.tx));
        }
        self.backends.outreach = outreach;
        self
    }

    /// Use these slots (tests shrink them).
    pub fn with_slots(mut self, slots: Slots) -> Worker {
        self.slots = slots;
        self
    }

    /// Save attachments up to `bytes` (tests shrink it).
    pub fn with_download_limit(mut self, bytes: u64) -> Worker {
        self.download_limit = bytes;
        self
    }

    /// Reads started and not yet finished or cancelled (for tests).
    pub fn reads_in_flight(&self) -> usize {
        self.reads.values().filter(|h| !h.is_finished()).count()
    }

    /// Run until `Command::Quit` or the app side hangs up.
    pub async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Command>) {
        while let Some(cmd) = rx.recv().await {
            if !self.handle(cmd) {
                break;
            }
        }
        // Finish draft writes before exiting: a quit must never lose what was typed.
        drop(self.draft_tx.take());
        if let Some(t) = self.draft_task.take() {
            let _ = t.await;
        }
    }

    /// Start one command. Returns false on Quit.
    pub fn handle(&mut self, cmd: Command) -> bool {
        match cmd {
            Command::Quit => return false,
            Command::SetAccount(uuid) => self.backends.plannr.set_account(uuid),
            Command::ReadToken => {
                let (reader, client, tx) = (
                    self.token_reader.clone(),
                    self.backends.plannr.clone(),
                    self.tx.clone(),
                );
                tokio::spawn(async move {
                    let result = read_token(reader, &client).await;
                    let _ = tx.send(Msg::TokenRead(result));
                });
            }
            Command::Timer { after, timer } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(Msg::Timer(timer));
                });
            }
            Command::Cancel(id) => {
                if let Some(task) = self.reads.remove(&id) {
                    tracing::debug!(id, "request superseded: cancelled");
                    task.abort();
                }
            }
            Command::Api {
                id,
                call,
                background,
            } => {
                let (mut before, mut done) = (None, None);
                if let Some(key) = call.write_key() {
                    let (done_tx, done_rx) = oneshot::channel();
                    before = self.write_chain.insert(key, done_rx);
                    done = Some(done_tx);
                }
                self.write_chain.retain(|_, rx| {
                    matches!(rx.try_recv(), Err(oneshot::error::TryRecvError::Empty))
                });
                let lane = if call.is_write() {
                    Lane::Write
                } else if background {
                    Lane::Background
                } else {
                    Lane::User
                };
                let (backends, tx, slots) =
                    (self.backends.clone(), self.tx.clone(), self.slots.clone());
                // One deadline for the whole call, the wait for a slot included: what the status
                // bar counts down.
                let deadline = backends.plannr.call_deadline();
                let task = tokio::spawn(async move {
                    if let Some(prev) = before {
                        let _ = prev.await; // finished or dropped: either way our turn
                    }
                    let run = async {
                        let _slot = slots.acquire(lane).await;
                        // Routed by backend: each answers its own calls.
                        match call {
                            Call::Plannr(c) => call_plannr(&backends.plannr, c).await,
                            Call::Outreach(c) => {
                                call_outreach(backends.outreach.as_deref(), c).await
                            }
                        }
                    };
                    let result = if lane == Lane::Background {
                        // Nobody waits on screen for it: its wait for a turn is not counted.
                        run.await
                    } else {
                        tokio::time::timeout(deadline, run)
                            .await
                            .unwrap_or(Err(ApiError::Timeout))
                    };
                    if let Some(d) = done {
                        let _ = d.send(());
                    }
                    let _ = tx.send(Msg::Api { id, result });
                });
                if lane != Lane::Write {
                    self.reads.retain(|_, h| !h.is_finished());
                    self.reads.insert(id, task.abort_handle());
                }
            }
            Command::RenderHtml { id, html, width } => {
                let (tx, cache) = (self.tx.clone(), self.html_cache.clone());
                tokio::spawn(async move {
                    let result =
                        tokio::task::spawn_blocking(move || convert_cached(&cache, &html, width))
                            .await
                            .map(|b| Reply::Body(Box::new(b)))
                            .map_err(|e| {
                                ApiError::Other(format!("the HTML conversion failed: {e}"))
                            });
                    let _ = tx.send(Msg::Api { id, result });
                });
            }
            Command::Download { id, url, dir, name } => {
                let (client, tx) = (self.backends.plannr.clone(), self.tx.clone());
                let limit = self.download_limit;
                tokio::spawn(async move {
                    let progress = tx.clone();
                    let result = download(&client, &url, dir, &name, limit, &mut |done, total| {
                        let _ = progress.send(Msg::Progress { id, done, total });
                    })
                    .await
                    .map(|(path, bytes)| Reply::Saved { path, bytes });
                    let _ = tx.send(Msg::Api { id, result });
                });
            }
            // The main loop owns the terminal (clipboard sequence, redraw, suspend); nothing to do here.
            Command::Osc52(_) | Command::Redraw | Command::Suspend => {}
            cmd @ (Command::WriteDraft { .. }
            | Command::DeleteDraft { .. }
            | Command::LoadDrafts { .. }) => {
                let tx = self.draft_tx.get_or_insert_with(|| {
                    let (dtx, mut drx) = mpsc::unbounded_channel::<Command>();
                    let answers = self.tx.clone();
                    self.draft_task = Some(tokio::spawn(async move {
                        while let Some(cmd) = drx.recv().await {
                            match tokio::task::spawn_blocking(move || run_draft_command(cmd)).await
                            {
                                Ok(Some(msg)) => {
                                    let _ = answers.send(msg);
                                }
                                Ok(None) => {}
                                Err(e) => tracing::error!("draft task failed: {e}"),
                            }
                        }
                    }));
                    dtx
                });
                let _ = tx.send(cmd);
            }
        }
        true
    }
}

/// Read the token again (off the async threads: a `token_command` may take its whole timeout)
/// and put it in use; the answer for `Msg::TokenRead`.
async fn read_token(
    reader: Option<Arc<TokenReader>>,
    client: &Client,
) -> Result<TokenRead, String> {
    let Some(reader) = reader else {
        return Ok(TokenRead {
            from: "the built-in demo".into(),
            changed: false,
            can_change: true,
        });
    };
    let found = tokio::task::spawn_blocking(move || reader.read())
        .await
        .map_err(|e| format!("reading it stopped unexpectedly ({e})"))?
        .map_err(|e| e.0)?;
    let changed = client.set_token(found.token);
    tracing::info!(from = %found.described, changed, "read the Plannr token again");
    Ok(TokenRead {
        from: found.described,
        changed,
        can_change: found.from.can_change(),
    })
}

/// Convert through the cache; the lock is not held while converting (two conversions may run at
/// once), and a poisoned lock only costs the cache.
fn convert_cached(cache: &Mutex<HtmlCache>, html: &str, width: u16) -> Body {
    let key = HtmlCache::key(html, width);
    if let Some(b) = cache.lock().ok().and_then(|mut c| c.get(key)) {
        return b;
    }
    let body = contain(|| html_to_body(html, width));
    if let Ok(mut c) = cache.lock() {
        c.put(key, body.clone());
    }
    body
}

/// Run one draft command (blocking file I/O: call from `spawn_blocking` or a test). Returns the
/// message to send back: the drafts loaded, or a failure.
pub fn run_draft_command(cmd: Command) -> Option<Msg> {
    use crate::app::contacts::drafts::DraftEvent;
    let no_dir = || "no data directory on this system".to_string();
    match cmd {
        Command::WriteDraft { dir, key, json } => {
            let result = drafts::resolve_dir(dir.as_deref())
                .ok_or_else(no_dir)
                .and_then(|d| drafts::write(&d, &key, &json).map_err(|e| e.to_string()));
            result.err().map(|message| {
                tracing::error!(key, message, "draft write failed");
                Msg::Draft(DraftEvent::Failed { key, message })
            })
        }
        Command::DeleteDraft { dir, key } => {
            let result = drafts::resolve_dir(dir.as_deref())
                .ok_or_else(no_dir)
                .and_then(|d| drafts::delete(&d, &key).map_err(|e| e.to_string()));
            if let Err(message) = result {
                tracing::warn!(key, message, "draft delete failed");
            }
            None
        }
        Command::LoadDrafts { dir } => {
            let (drafts, renames, problems) = match drafts::resolve_dir(dir.as_deref()) {
                Some(d) => drafts::load_everything(&d),
                None => (Vec::new(), Vec::new(), Vec::new()),
            };
            Some(Msg::Draft(DraftEvent::Loaded {
                drafts,
                renames,
                problems,
            }))
        }
        _ => None,
    }
}

/// A transport's rate-limit waits, told to the app (the status bar says them).
fn wait_hook(service: &'static str, tx: &mpsc::UnboundedSender<Msg>) -> crate::api::http::WaitHook {
    let tx = tx.clone();
    Arc::new(move |wait| {
        let _ = tx.send(Msg::RateLimited { service, wait });
    })
}

/// One Outreach call, answered as a `Reply::Outreach` (errors as `ApiError::Outreach`).
pub async fn call_outreach(
    c: Option<&OutreachClient>,
    call: OutreachCall,
) -> Result<Reply, ApiError> {
    let Some(c) = c else {
        return Err(ApiError::Other(
            "Outreach is not set up (OUTREACH_TOKEN, or plannr-tui outreach-login)".into(),
        ));
    };
    let reply = match call {
        OutreachCall::Mailboxes { next, page_size } => OutreachReply::Mailboxes(
            c.mailboxes(next.as_deref(), page_size)
                .await
                .map_err(ApiError::Outreach)?,
        ),
        OutreachCall::Toggle { id, toggle } => OutreachReply::Mailbox(Box::new(
            c.update_mailbox(id, toggle)
                .await
                .map_err(ApiError::Outreach)?,
        )),
        OutreachCall::TestSend { id } => {
            OutreachReply::Mailbox(Box::new(c.test_send(id).await.map_err(ApiError::Outreach)?))
        }
        OutreachCall::TestSync { id } => {
            OutreachReply::Mailbox(Box::new(c.test_sync(id).await.map_err(ApiError::Outreach)?))
        }
        OutreachCall::Mailbox { id } => {
            OutreachReply::Mailbox(Box::new(c.mailbox(id).await.map_err(ApiError::Outreach)?))
        }
        OutreachCall::Mailings {
            mailbox_id,
            next,
            page_size,
        } => OutreachReply::Mailings(
            c.mailings(mailbox_id, next.as_deref(), page_size)
                .await
                .map_err(ApiError::Outreach)?,
        ),
        OutreachCall::Mailing { id } => {
            OutreachReply::Mailing(Box::new(c.mailing(id).await.map_err(ApiError::Outreach)?))
        }
    };
    Ok(Reply::Outreach(reply))
}

/// Run `call` against the Plannr client (tests drive the app with it, without a worker); an
/// Outreach call is an error here.
pub async fn call_api(c: &Client, call: Call) -> Result<Reply, ApiError> {
    match call {
        Call::Plannr(call) => call_plannr(c, call).await,
        Call::Outreach(_) => Err(ApiError::Other(
            "an Outreach call reached the Plannr client".into(),
        )),
    }
}

/// One Plannr call, mapped to its `api::Client` method, answered as a `Reply::Plannr`.
pub async fn call_plannr(c: &Client, call: PlannrCall) -> Result<Reply, ApiError> {
    Ok(Reply::Plannr(match call {
        PlannrCall::Logins => PlannrReply::Logins(c.logins().await?),
        PlannrCall::Mailboxes => PlannrReply::Mailboxes(c.mailboxes().await?),
        PlannrCall::UpdateMailbox { uuid, update } => {
            PlannrReply::Mailbox(c.update_mailbox(&uuid, &update).await?)
        }
        PlannrCall::Thread { uuid, query } => {
            PlannrReply::Email(Box::new(c.message_thread(&uuid, query).await?))
        }
        PlannrCall::ClientEmails { client_uuid, query } => {
            PlannrReply::Emails(c.client_emails(&client_uuid, &query).await?)
        }
        PlannrCall::Conversations {
            archived,
            page,
            per_page,
        } => PlannrReply::Conversations(c.conversations(archived, page, per_page).await?),
        PlannrCall::Conversation { uuid } => {
            PlannrReply::Conversation(Box::new(c.conversation(&uuid).await?))
        }
        PlannrCall::RenameConversation { uuid, name } => {
            PlannrReply::Conversation(Box::new(c.rename_conversation(&uuid, &name).await?))
        }
        PlannrCall::PinConversation { uuid, pin } => {
            c.pin_conversation(&uuid, pin).await?;
            PlannrReply::Done
        }
        PlannrCall::ConversationMessages {
            uuid,
            page,
            per_page,
        } => {
            PlannrReply::ConversationMessages(c.conversation_messages(&uuid, page, per_page).await?)
        }
        PlannrCall::Clients {
            name,
            page,
            per_page,
        } => PlannrReply::Clients(c.clients(name.as_deref(), page, per_page).await?),
        PlannrCall::LinkedClients { client } => {
            PlannrReply::LinkedClients(c.linked_clients(&client, LINKED_PER_PAGE).await?)
        }
        PlannrCall::ContactDetails {
            account_uuids,
            page,
            per_page,
        } => PlannrReply::ContactDetails(c.contact_details(&account_uuids, page, per_page).await?),
        PlannrCall::ContactDetail { uuid } => {
            PlannrReply::ContactDetail(c.contact_detail(&uuid).await?.map(Box::new))
        }
        PlannrCall::CreateContactDetail { body } => {
            PlannrReply::ContactDetail(Some(Box::new(c.create_contact_detail(&body).await?)))
        }
        PlannrCall::UpdateContactDetail { uuid, body } => {
            PlannrReply::ContactDetail(Some(Box::new(c.update_contact_detail(&uuid, &body).await?)))
        }
    }))
}

thread_local! {
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` (work on untrusted input, e.g. HTML conversion) such that a panic inside it is known
/// to be caught by its caller (`spawn_blocking`'s `JoinError`): the app's panic hook then only
/// logs it instead of restoring the terminal and exiting.
pub fn contain<R>(f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        // Runs while unwinding, i.e. after the panic hook has seen the flag.
        fn drop(&mut self) {
            CONTAINED.with(|c| c.set(false));
        }
    }
    CONTAINED.with(|c| c.set(true));
    let _reset = Reset;
    f()
}

/// Whether the current thread is inside `contain` (for the panic hook).
pub fn panic_is_contained() -> bool {
    CONTAINED.with(|c| c.get())
}
