//! Contacts pane: pick a client (searchable, paged), see their contact details, and edit them
//! inline — with a conflict check before each save and drafts on disk so nothing typed is lost.
mod details;
pub mod drafts;
pub mod form;
mod saving;
pub mod validate;

#[cfg(test)]
pub(crate) mod fixtures;

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};

use self::drafts::{Draft, DraftEvent};
use self::form::{Form, FormOutcome, Phase};
use self::validate::{Kind, make_primary_body, map_server_errors};
use super::client_picker::{ClientPicker, PickerEvent};
use super::list::ListNav;
use super::paged::Paged;
use super::{
    Call, Command, Core, PlannrCall, PlannrReply, Reply, RequestId, Route as AppRoute, Settings,
    Tab,
};
use crate::api::ApiError;
use crate::api::models::{Account, ContactDetail, ContactDetailWrite};
use crate::keymap::{Action, Scope, view};

/// Contact details asked for per page (a client has a handful; pages chain until the end).
pub const DETAILS_PER_PAGE: u32 = 100;

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// A page of the client picker.
    Clients,
    /// A page of one client's contact details.
    Details {
        client: String,
    },
    /// The re-fetch before a save (conflict check) of the form with this draft key.
    Check {
        key: String,
    },
    /// The PUT/POST of the form with this draft key.
    Save {
        key: String,
    },
    /// `p`: fetch the current record, then make the client its primary.
    PrimaryFetch {
        uuid: String,
    },
    Primary {
        uuid: String,
    },
    /// The clients linked to `client` (for the form's owners).
    Linked {
        client: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Clients,
    Details,
}

#[derive(Debug)]
pub struct ContactsPane {
    pub view: View,
    pub picker: ClientPicker,
    draft_seq: u64,
    /// The client whose details are shown.
    pub client: Option<Account>,
    pub details: Paged<ContactDetail>,
    /// A reload in flight: the rows shown stay until it is complete (then it replaces them).
    pub refresh: Option<Paged<ContactDetail>>,
    /// Client rows whose primary email (true) or phone changed, for the Mail pane's list too.
    pub primary_changes: Vec<(String, bool, Option<ContactDetail>)>,
    pub detail_nav: ListNav,
    /// The open form (at most one).
    pub form: Option<Form>,
    /// `a` was pressed: waiting for e (email) or p (phone).
    pub choosing_kind: bool,
    /// Drafts on disk that are not open in a form, by key.
    pub drafts: BTreeMap<String, Draft>,
    /// Per client, the linked clients Plannr listed (uuid, name), asked once per session.
    pub linked: BTreeMap<String, Vec<(String, String)>>,
    /// The open form has a draft file (written, or restored from one).
    form_on_disk: bool,
    /// `p` in flight: (detail uuid, request id).
    pub making_primary: Option<(String, RequestId)>,
    pub error: Option<String>,
}

impl ContactsPane {
    pub fn new(settings: &Settings) -> ContactsPane {
        ContactsPane {
            view: View::Clients,
            picker: ClientPicker::new(
                settings.list_page_size,
                AppRoute::Contacts(Route::Clients),
                Tab::Contacts,
                "Press R to try again.",
            ),
            draft_seq: 0,
            client: None,
            details: Paged::new(DETAILS_PER_PAGE).with_identity(|d: &ContactDetail| d.uuid.clone()),
            refresh: None,
            primary_changes: Vec::new(),
            detail_nav: ListNav::default(),
            form: None,
            choosing_kind: false,
            drafts: BTreeMap::new(),
            linked: BTreeMap::new(),
            form_on_disk: false,
            making_primary: None,
            error: None,
        }
    }

    /// Rows of a list on screen: the body less the header, the table header and the footer.
    pub fn rows_visible(core: &Core) -> usize {
        core.pane_rows().saturating_sub(3).max(1)
    }

    pub fn on_show(&mut self, core: &mut Core) {
        let c = &self.picker.clients;
        if c.loaded == 0 && !c.is_loading() && c.failed().is_none() {
            self.picker.load(core);
        }
    }

    pub fn captures_input(&self) -> bool {
        self.picker.searching() || self.form.is_some() || self.choosing_kind
    }

    pub fn has_unsaved(&self) -> bool {
        self.form.as_ref().is_some_and(Form::changed)
    }

    pub fn on_resize(&mut self, core: &mut Core) {
        let h = Self::rows_visible(core);
        self.picker.clamp(core);
        self.detail_nav.clamp(self.details.items.len(), h);
        self.picker.load(core);
    }

    // ---- client list ----------------------------------------------------------------------

    pub fn selected_client(&self) -> Option<&Account> {
        self.picker.selected()
    }

    /// Clients with a draft waiting (for the ✎ mark in the picker).
    pub fn has_draft_for_client(&self, uuid: &str) -> bool {
        self.drafts.values().any(|d| d.client_uuid == uuid)
            || self.form.as_ref().is_some_and(|f| f.client_uuid == uuid)
    }

    fn on_key_clients(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        let action = core.peek_action(Scope::Contacts, view::CONTACTS_CLIENTS, &key);
        match self.picker.on_key(key, core) {
            PickerEvent::Handled => return true,
            PickerEvent::Open(c) => {
                self.open_client(c, core);
                return true;
            }
            PickerEvent::NotMine => {}
        }
        match action {
            Some(Action::Drafts) => {
                // Jump to the client of a draft left from last time (they may not be on this page).
                match self.drafts.values().next() {
                    Some(d) => {
                        let c = Account {
                            uuid: d.client_uuid.clone(),
                            name: d.client_name.clone(),
                            ..Account::default()
                        };
                        self.open_client(c, core);
                    }
                    None => core.info("No unsaved drafts are waiting."),
                }
                true
            }
            _ => false,
        }
    }

    // ---- one client's details --------------------------------------------------------------

    fn open_client(&mut self, c: Account, core: &mut Core) {
        self.client = Some(c);
        self.view = View::Details;
        self.details.reset();
        self.refresh = None;
        self.detail_nav = ListNav::default();
        self.load_details(core);
    }

    pub fn selected_detail(&self) -> Option<&ContactDetail> {
        self.details.items.get(self.detail_nav.selected)
    }

    fn client_ids(&self) -> Option<(String, String)> {
        self.client
            .as_ref()
            .map(|c| (c.uuid.clone(), c.display_name()))
    }

    /// Accounts linked to this client's details (offered as owners, e.g. a household partner).
    fn linked_accounts(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for d in &self.details.items {
            for a in d.owners().iter().chain(d.primaries()) {
                if !out.iter().any(|(u, _)| *u == a.uuid) {
                    out.push((a.uuid.clone(), a.display_name()));
                }
            }
        }
        out
    }

    /// Plannr's answer about the clients linked to `client`: kept for this session (the form
    /// opens again without asking) and shown in the open form of that client. A failure is
    /// not kept: the next form asks again.
    fn on_linked(&mut self, client: String, result: Result<Reply, ApiError>) {
        let answer = match result {
            Ok(Reply::Plannr(PlannrReply::LinkedClients(page))) => {
                let found: Vec<(String, String)> = page
                    .items
                    .iter()
                    .map(|a| (a.uuid.clone(), a.display_name()))
                    .collect();
                self.linked.insert(client.clone(), found.clone());
                Ok(found)
            }
            Ok(_) => Err("Plannr answered with something other than a list of clients".into()),
            Err(e) => Err(format!("Plannr could not list them: {e}")),
        };
        if let Some(form) = self.form.as_mut().filter(|f| f.client_uuid == client) {
            form.set_linked(answer);
        }
    }

    /// Whether a stored draft exists for this detail (the ✎ mark in the list).
    pub fn has_draft_for_detail(&self, uuid: &str) -> bool {
        self.drafts.contains_key(&drafts::key_for_detail(uuid))
    }

    /// Open `form`, and ask Plannr which clients are linked to its client (offered as owners in
    /// their own section when the answer comes).
    fn open_form(&mut self, mut form: Form, from_disk: bool, core: &mut Core) {
        let client = form.client_uuid.clone();
        match self.linked.get(&client) {
            Some(answer) => form.set_linked(Ok(answer.clone())),
            None => {
                let asked = core.pending.values().any(|r| {
                    *r == AppRoute::Contacts(Route::Linked {
                        client: client.clone(),
                    })
                });
                if !asked {
                    core.request(
                        AppRoute::Contacts(Route::Linked {
                            client: client.clone(),
                        }),
                        Call::Plannr(PlannrCall::LinkedClients { client }),
                    );
                }
            }
        }
        self.form_on_disk = from_disk;
        if let Some(uuid) = &form.detail_uuid
            && let Some(i) = self.details.items.iter().position(|d| &d.uuid == uuid)
        {
            self.detail_nav.selected = i;
        }
        self.form = Some(form);
    }

    /// Open the form for the selected detail: from its draft when there is one.
    fn edit_selected(&mut self, core: &mut Core) {
        let Some(d) = self.selected_detail().cloned() else {
            return;
        };
        let Some((cu, cn)) = self.client_ids() else {
            return;
        };
        match self.drafts.remove(&drafts::key_for_detail(&d.uuid)) {
            Some(draft) => self.open_form(Form::from_draft(&draft), true, core),
            None => {
                let linked = self.linked_accounts();
                self.open_form(Form::edit(&cu, &cn, &d, &linked), false, core);
            }
        }
    }

    /// When a client's details are loaded: reopen a draft of theirs, if any.
    fn reopen_drafts(&mut self, core: &mut Core) {
        if self.form.is_some() {
            return;
        }
        let Some((cu, _)) = self.client_ids() else {
            return;
        };
        let mine: Vec<String> = self
            .drafts
            .values()
            .filter(|d| d.client_uuid == cu)
            .map(|d| d.key.clone())
            .collect();
        let Some(first) = mine.first() else { return };
        let Some(draft) = self.drafts.remove(first) else {
            return;
        };
        let what = draft.fields.label.clone();
        self.open_form(Form::from_draft(&draft), true, core);
        let more = mine.len() - 1;
        core.info(if more == 0 {
            format!("Reopened your unsaved draft “{what}”. Ctrl-S saves it; Esc asks before discarding it.")
        } else {
            format!("Reopened your unsaved draft “{what}”; {more} more for this client (marked ✎, e opens).")
        });
    }

    fn on_key_details(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        if self.form.is_some() {
            self.on_key_form(key, core);
            return true;
        }
        if self.choosing_kind {
            self.choosing_kind = false;
            let kind = match key.code {
                KeyCode::Char('e') => Some(Kind::Email),
                KeyCode::Char('p') => Some(Kind::Phone),
                _ => None,
            };
            if let (Some(kind), Some((cu, cn))) = (kind, self.client_ids()) {
                let (form, on_disk) = match self.drafts.remove(&drafts::key_for_new(&cu)) {
                    Some(d) if d.kind == kind => {
                        core.info("Reopened your unsaved new detail.");
                        (Form::from_draft(&d), true)
                    }
                    Some(d) => {
                        // One new-detail draft per client: finish or discard it first.
                        core.info(format!(
                            "You have an unsaved new {}: finish or discard it first.",
                            d.kind.label()
                        ));
                        (Form::from_draft(&d), true)
                    }
                    None => (
                        Form::new_detail(&cu, &cn, kind, &self.linked_accounts()),
                        false,
                    ),
                };
                self.open_form(form, on_disk, core);
            }
            return true;
        }
        let action = core.action(Scope::Contacts, view::CONTACTS_DETAILS, &key);
        let h = Self::rows_visible(core);
        if self
            .detail_nav
            .on_action(action, self.details.items.len(), h)
        {
            return true;
        }
        let Some(action) = action else { return false };
        match action {
            Action::Edit | Action::Open => {
                self.edit_selected(core);
                true
            }
            Action::Add => {
                if self.client.is_some() {
                    self.choosing_kind = true;
                }
                true
            }
            Action::Primary => {
                self.make_primary(core);
                true
            }
            Action::Refresh => {
                match self.details.retry() {
                    Some(_) => {
                        self.details.edge = super::paged::Edge::Idle;
                        self.load_details(core);
                    }
                    None => self.reload_details(core),
                }
                true
            }
            Action::Back => {
                self.view = View::Clients;
                true
            }
            _ => false,
        }
    }

    fn make_primary(&mut self, core: &mut Core) {
        let Some(d) = self.selected_detail() else {
            return;
        };
        let Some(client) = &self.client else { return };
        if d.is_primary_for(&client.uuid) {
            core.info(format!(
                "“{}” is already {}'s primary {}.",
                d.name,
                client.display_name(),
                Kind::from_api(&d.kind).label()
            ));
            return;
        }
        if self.making_primary.is_some() {
            core.info("Still making the last one primary…");
            return;
        }
        let uuid = d.uuid.clone();
        let id = core.request(
            AppRoute::Contacts(Route::PrimaryFetch { uuid: uuid.clone() }),
            Call::Plannr(PlannrCall::ContactDetail { uuid: uuid.clone() }),
        );
        self.making_primary = Some((uuid, id));
    }

    // ---- the form -----------------------------------------------------------------------

    fn on_key_form(&mut self, key: KeyEvent, core: &mut Core) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match form.on_key(key) {
            FormOutcome::Continue => {}
            FormOutcome::Edited => self.draft_seq = core.debounce(Tab::Contacts),
            FormOutcome::Close { discard } => {
                let key = form.key.clone();
                self.form = None;
                if discard && self.form_on_disk {
                    core.out.push(Command::DeleteDraft {
                        dir: core.settings.drafts_dir.clone(),
                        key,
                    });
                    core.info("Draft discarded.");
                }
                self.form_on_disk = false;
            }
            FormOutcome::Save(body) => self.start_save(body, core),
            FormOutcome::KeepMine(body) => {
                // The copy just seen is already the form's base (`Form::rebase`).
                self.send_save(body, core);
            }
            FormOutcome::KeepTheirs(theirs) => {
                let key = form.key.clone();
                self.form = None;
                self.form_on_disk = false;
                core.out.push(Command::DeleteDraft {
                    dir: core.settings.drafts_dir.clone(),
                    key,
                });
                let label = theirs.name.clone();
                self.replace_detail(*theirs);
                core.info(format!(
                    "Kept the server's copy of “{label}”; your draft is discarded."
                ));
            }
            FormOutcome::StopWaiting => {
                form.phase = Phase::Editing;
                self.write_draft(core);
                core.info("Stopped waiting. The save may still reach Plannr; your text is kept (Ctrl-S checks again).");
            }
        }
    }

    /// Save: an existing record is re-fetched first to see whether it moved.
    fn start_save(&mut self, body: ContactDetailWrite, core: &mut Core) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match form.detail_uuid.clone() {
            Some(uuid) => {
                let id = core.request(
                    AppRoute::Contacts(Route::Check {
                        key: form.key.clone(),
                    }),
                    Call::Plannr(PlannrCall::ContactDetail { uuid }),
                );
                form.phase = Phase::Checking { id };
            }
            None => self.send_save(body, core),
        }
    }

    fn send_save(&mut self, body: ContactDetailWrite, core: &mut Core) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        let route = AppRoute::Contacts(Route::Save {
            key: form.key.clone(),
        });
        let call = match form.detail_uuid.clone() {
            Some(uuid) => Call::Plannr(PlannrCall::UpdateContactDetail { uuid, body }),
            None => Call::Plannr(PlannrCall::CreateContactDetail { body }),
        };
        let id = core.request(route, call);
        form.phase = Phase::Saving { id };
        form.general_error = None;
    }

    /// Write the open form's draft now (if it has changes or already a file).
    fn write_draft(&mut self, core: &mut Core) {
        let Some(form) = self.form.as_ref() else {
            return;
        };
        if !form.changed() && !self.form_on_disk {
            return;
        }
        core.out.push(Command::WriteDraft {
            dir: core.settings.drafts_dir.clone(),
            key: form.key.clone(),
            json: form.to_draft().to_json(),
        });
        self.form_on_disk = true;
    }

    /// The open form as (draft key, json) if it holds anything to keep (for the crash handler).
    pub fn unsaved_drafts(&self) -> Vec<(String, String)> {
        self.form
            .as_ref()
            .filter(|f| f.changed() || self.form_on_disk)
            .map(|f| (f.key.clone(), f.to_draft().to_json()))
            .into_iter()
            .collect()
    }

    /// Quitting: flush the open form's draft (the worker finishes writes before exiting).
    pub fn on_quit(&mut self, core: &mut Core) {
        self.write_draft(core);
    }

    /// Put a server answer in place of the held copy. What the answer left out (owners or
    /// primaries not included) keeps the held value: absent is unknown, never empty.
    fn replace_detail(&mut self, d: ContactDetail) {
        match self.details.items.iter_mut().find(|x| x.uuid == d.uuid) {
            Some(x) => *x = d.over(x),
            None => {
                self.details.items.push(d);
                self.detail_nav.selected = self.details.items.len() - 1;
            }
        }
    }

    pub fn on_draft_event(&mut self, ev: DraftEvent, core: &mut Core) {
        match ev {
            DraftEvent::Loaded {
                drafts, problems, ..
            } => {
                let open_key = self.form.as_ref().map(|f| f.key.clone());
                let n = drafts.len();
                let mut clients: Vec<String> = Vec::new();
                for d in drafts {
                    if Some(&d.key) == open_key.as_ref() {
                        continue; // the open form is newer
                    }
                    if !clients.contains(&d.client_name) {
                        clients.push(d.client_name.clone());
                    }
                    self.drafts.insert(d.key.clone(), d);
                }
                if n > 0 {
                    core.info(format!(
                        "{n} unsaved contact draft{} from last time ({}): open the client in Contacts (4) to finish.",
                        if n == 1 { "" } else { "s" },
                        clients.join(", ")
                    ));
                } else if !problems.is_empty() {
                    core.error(format!(
                        "Some contact drafts could not be read: {}",
                        problems.join("; ")
                    ));
                }
                if self.view == View::Details && self.details.is_complete() {
                    self.reopen_drafts(core);
                }
            }
            DraftEvent::Failed { key, message } => {
                if self.form.as_ref().is_some_and(|f| f.key == key) {
                    self.form_on_disk = false;
                }
                core.error(format!("Could not keep a draft on disk ({message}). Your text is still open here — save it before quitting."));
            }
        }
    }

    pub fn on_debounce(&mut self, seq: u64, core: &mut Core) {
        if !self.picker.on_debounce(seq, core) && seq == self.draft_seq && self.form.is_some() {
            self.write_draft(core);
        }
    }

    pub fn on_paste(&mut self, text: &str, core: &mut Core) {
        if self.picker.on_paste(text, core) {
            return;
        }
        if let Some(f) = self.form.as_mut().filter(|f| f.phase == Phase::Editing) {
            match f.focus {
                form::Focus::Label => f.label.paste(text),
                form::Focus::Value => f.value.paste(text),
                _ => return,
            }
            self.draft_seq = core.debounce(Tab::Contacts);
        }
    }

    /// The view its key table is in.
    pub fn key_view(&self) -> crate::keymap::Views {
        match self.view {
            View::Clients => view::CONTACTS_CLIENTS,
            View::Details => view::CONTACTS_DETAILS,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
        match self.view {
            View::Clients => self.on_key_clients(key, core),
            View::Details => self.on_key_details(key, core),
        }
    }

    pub fn on_result(
        &mut self,
        route: Route,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) {
        match route {
            Route::Clients => {
                if self.picker.on_result(id, result, core) {
                    self.error = None;
                }
            }
            Route::Details { client } => self.on_details(&client, id, result, core),
            Route::Linked { client } => self.on_linked(client, result),
            Route::Check { key } => self.on_check(key, id, result, core),
            Route::Save { key } => self.on_saved(key, id, result, core),
            Route::PrimaryFetch { uuid } => {
                if !self.take_primary(&uuid, id) {
                    return;
                }
                let client = self
                    .client
                    .as_ref()
                    .map(|c| c.uuid.clone())
                    .unwrap_or_default();
                match result {
                    Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(d))))
                        if !client.is_empty() =>
                    {
                        let Some(body) = make_primary_body(&d, &client) else {
                            core.error("Plannr did not say who owns this detail or has it as primary, so making it primary could drop the others. Nothing changed.");
                            return;
                        };
                        let id = core.request(
                            AppRoute::Contacts(Route::Primary { uuid: uuid.clone() }),
                            Call::Plannr(PlannrCall::UpdateContactDetail {
                                uuid: uuid.clone(),
                                body,
                            }),
                        );
                        self.making_primary = Some((uuid, id));
                    }
                    Ok(Reply::Plannr(PlannrReply::ContactDetail(None))) => {
                        core.error("That detail no longer exists on the server; refreshing.");
                        self.reload_details(core);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        core.error(format!("Could not make it primary: {e}. Nothing changed."))
                    }
                }
            }
            Route::Primary { uuid } => {
                if !self.take_primary(&uuid, id) {
                    return;
                }
                match result {
                    Ok(Reply::Plannr(PlannrReply::ContactDetail(Some(d)))) => {
                        core.info(format!(
                            "“{}” is now the primary {}.",
                            d.name,
                            Kind::from_api(&d.kind).label()
                        ));
                        self.on_detail_saved(&d, core);
                        // Other details of the same type stopped being primary: show the server's view.
                        self.reload_details(core);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        core.error(format!("Could not make it primary: {e}. Nothing changed."))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
