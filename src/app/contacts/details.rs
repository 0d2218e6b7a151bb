//! One client's contact details: loading them (pages chain until the end), reloading them
//! without blanking the table (the rows shown stay until the fresh copy is complete), and keeping
//! the client list's email and phone columns in step with what was saved.
use super::{ContactsPane, DETAILS_PER_PAGE, Route};
use crate::api::ApiError;
use crate::api::models::ContactDetail;
use crate::app::paged::Paged;
use crate::app::{Call, Core, PlannrCall, PlannrReply, Reply, RequestId, Route as AppRoute};

impl ContactsPane {
    fn request_details(&self, page: u32, core: &mut Core) -> Option<RequestId> {
        let uuid = self.client.as_ref()?.uuid.clone();
        Some(core.request(
            AppRoute::Contacts(Route::Details {
                client: uuid.clone(),
            }),
            Call::Plannr(PlannrCall::ContactDetails {
                account_uuids: vec![uuid],
                page,
                per_page: DETAILS_PER_PAGE,
            }),
        ))
    }

    pub(super) fn load_details(&mut self, core: &mut Core) {
        if let Some(page) = self.details.want(usize::MAX)
            && let Some(id) = self.request_details(page, core)
        {
            self.details.mark_loading(page, id);
        }
    }

    /// Ask for the client's details again. The rows on screen stay (and can be moved through and
    /// edited) until the fresh copy is complete; only a list that never loaded starts over.
    pub(super) fn reload_details(&mut self, core: &mut Core) {
        if !self.details.is_complete() {
            self.refresh = None;
            self.details.reset();
            self.load_details(core);
            return;
        }
        let mut fresh =
            Paged::new(DETAILS_PER_PAGE).with_identity(|d: &ContactDetail| d.uuid.clone());
        if let Some(id) = self.request_details(1, core) {
            fresh.mark_loading(1, id);
            self.refresh = Some(fresh);
        }
    }

    pub(super) fn on_details(
        &mut self,
        client: &str,
        id: RequestId,
        result: Result<Reply, ApiError>,
        core: &mut Core,
    ) {
        if self.client.as_ref().is_none_or(|c| c.uuid != client) {
            return;
        }
        if self.refresh.as_ref().is_some_and(|r| r.expects(id)) {
            self.on_refresh(id, result, core);
            return;
        }
        match result {
            Ok(Reply::Plannr(PlannrReply::ContactDetails(page))) => {
                if self.details.on_loaded(id, page) {
                    self.detail_nav
                        .clamp(self.details.items.len(), Self::rows_visible(core));
                    if self.details.is_complete() {
                        self.sync_client_row();
                        self.reopen_drafts(core);
                    } else {
                        self.load_details(core);
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                if self.details.on_failed(id, e.to_string()) {
                    core.error(format!(
                        "Could not load contact details: {e}. Press R to try again."
                    ));
                }
            }
        }
    }

    fn on_refresh(&mut self, id: RequestId, result: Result<Reply, ApiError>, core: &mut Core) {
        let Some(mut fresh) = self.refresh.take() else {
            return;
        };
        match result {
            Ok(Reply::Plannr(PlannrReply::ContactDetails(page))) => {
                fresh.on_loaded(id, page);
                if !fresh.is_complete() {
                    if let Some(page) = fresh.want(usize::MAX)
                        && let Some(id) = self.request_details(page, core)
                    {
                        fresh.mark_loading(page, id);
                        self.refresh = Some(fresh);
                    }
                    return;
                }
                let keep = self.selected_detail().map(|d| d.uuid.clone());
                self.details = fresh;
                if let Some(i) = keep.and_then(|u| self.details.items.iter().position(|d| d.uuid == u))
                {
                    self.detail_nav.selected = i;
                }
                self.detail_nav
                    .clamp(self.details.items.len(), Self::rows_visible(core));
                self.sync_client_row();
            }
            Ok(_) => {}
            Err(e) => core.error(format!(
                "Could not refresh the contact details: {e}. The rows shown are from before; R tries again."
            )),
        }
    }

    /// A save of `d` was accepted: the client list's email or phone column shows it at once when
    /// it is the client's primary (issue 17.3), and a reload read before the save is asked again
    /// so it cannot bring the old copy back.
    pub(super) fn on_detail_saved(&mut self, d: &ContactDetail, core: &mut Core) {
        if let Some(c) = &self.client
            && d.is_primary_for(&c.uuid)
        {
            let uuid = c.uuid.clone();
            self.set_client_primary(&uuid, d.is_email(), Some(d));
        }
        if self.refresh.is_some() {
            self.reload_details(core);
        }
    }

    /// With the client's details complete, their primary email and phone are known: the client
    /// list row shows those (or none, when no detail of that type is primary any more).
    fn sync_client_row(&mut self) {
        let Some(uuid) = self.client.as_ref().map(|c| c.uuid.clone()) else {
            return;
        };
        for email in [true, false] {
            let of_kind = || self.details.items.iter().filter(|d| d.is_email() == email);
            let primary = of_kind().find(|d| d.is_primary_for(&uuid)).cloned();
            // None primary is only known when every detail of the kind said who it is primary
            // for: a detail without `primary_accounts` may be it (absent is unknown, not empty).
            if primary.is_none() && of_kind().any(|d| d.primary_accounts.is_none()) {
                continue;
            }
            self.set_client_primary(&uuid, email, primary.as_ref());
        }
    }

    fn set_client_primary(&mut self, client: &str, email: bool, d: Option<&ContactDetail>) {
        self.picker.set_primary(client, email, d);
        self.primary_changes
            .push((client.to_string(), email, d.cloned()));
    }
}
