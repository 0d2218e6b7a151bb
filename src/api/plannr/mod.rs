//! The typed Plannr client: one async method per call, following `shared/plannr-api.md`. The
//! transport (retries, limits, the token) is `api::http`; this adds Plannr's tenant header, its
//! `{data: ...}` envelopes and its Laravel-shaped errors.
mod caps;
mod confirm;
pub mod error;
pub mod models;
pub mod page;

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, RwLock};

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApiError, excerpt};
use super::http::{Answer, Dialect, Http, HttpConfig, Secret, seg};
use super::page::Page;
use models::*;
use page::numbered;

/// The tenant header: which account the token acts as.
const ACCOUNT_HEADER: &str = "X-PLANNR-ACCOUNT-UUID";

/// Plannr speaks plain JSON and answers errors in Laravel's `{message, errors}` shape.
pub const DIALECT: Dialect = Dialect {
    service: "Plannr",
    media_type: "application/json",
    content_type_always: false,
    error: plannr_error,
};

/// Plannr has one secret, its token (the first of `secrets`).
fn plannr_error(a: &Answer<'_>) -> ApiError {
    ApiError::from_status(
        a.status,
        a.retry_after,
        a.body,
        a.secrets.first().copied().unwrap_or(""),
    )
}

/// The transport settings plus the account to act as. Derefs to [`HttpConfig`], so
/// `cfg.max_retries = 2` reads as before.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub http: HttpConfig,
    pub account_uuid: Option<String>,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>, token: Secret) -> ClientConfig {
        ClientConfig {
            http: HttpConfig::new(base_url, token),
            account_uuid: None,
        }
    }
}

impl Deref for ClientConfig {
    type Target = HttpConfig;
    fn deref(&self) -> &HttpConfig {
        &self.http
    }
}

impl DerefMut for ClientConfig {
    fn deref_mut(&mut self) -> &mut HttpConfig {
        &mut self.http
    }
}

pub struct Client {
    http: Http,
    account: RwLock<Option<String>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("http", &self.http).finish()
    }
}

impl Client {
    pub fn new(cfg: ClientConfig) -> Result<Arc<Client>, ApiError> {
        Ok(Arc::new(Client {
            http: Http::new(cfg.http, DIALECT)?,
            account: RwLock::new(cfg.account_uuid),
        }))
    }

    pub fn base_url(&self) -> &str {
        self.http.base_url()
    }

    /// Tell `hook` of each rate-limit wait before the transport sleeps through it.
    pub fn set_wait_hook(&self, hook: super::http::WaitHook) {
        self.http.set_wait_hook(hook);
    }

    /// One call's whole budget, retries and waits included.
    pub fn call_deadline(&self) -> std::time::Duration {
        self.http.call_deadline()
    }

    pub fn account(&self) -> Option<String> {
        self.account.read().ok().and_then(|a| a.clone())
    }

    /// Use this token from now on (read again after a 401); whether it differs from the old one.
    pub fn set_token(&self, token: Secret) -> bool {
        self.http.set_token(token)
    }

    pub fn set_account(&self, uuid: impl Into<String>) {
        if let Ok(mut a) = self.account.write() {
            *a = Some(uuid.into());
        }
    }

    /// Send with the tenant header when `tenant` (every call but the identity ones).
    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        tenant: bool,
    ) -> Result<Value, ApiError> {
        let mut headers = Vec::new();
        if tenant && let Some(acc) = self.account() {
            headers.push((ACCOUNT_HEADER, acc));
        }
        // Each kind of answer is read only so far (`caps`), and the error says which was cut.
        let (cap, what) = caps::for_call(&method, path);
        match self
            .http
            .send_capped(method, path, query, body, &headers, cap)
            .await
        {
            Err(ApiError::TooLarge { limit, .. }) => Err(ApiError::TooLarge { limit, what }),
            other => other,
        }
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        tenant: bool,
    ) -> Result<T, ApiError> {
        let v = self.send(Method::GET, path, query, None, tenant).await?;
        decode(v, self.http.token().expose())
    }

    async fn write<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiError> {
        let body = serde_json::to_value(body)
            .map_err(|e| ApiError::Other(format!("cannot encode the request: {e}")))?;
        let v = self.send(method, path, &[], Some(&body), true).await?;
        decode(v, self.http.token().expose())
    }

    // ---- identity -------------------------------------------------------------------------

    pub async fn logins(&self) -> Result<Logins, ApiError> {
        self.get("/api/v1/logins", &[], false).await
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        self.get("/api/v1/me", &[], false).await
    }

    // ---- mailboxes ------------------------------------------------------------------------

    pub async fn mailboxes(&self) -> Result<Vec<Mailbox>, ApiError> {
        let page: Page<Mailbox> = self.get("/api/v1/mailboxes", &[], true).await?;
        Ok(page.items)
    }

    pub async fn update_mailbox(
        &self,
        uuid: &str,
        update: &MailboxUpdate,
    ) -> Result<Mailbox, ApiError> {
        let m: Mailbox = self
            .write(
                Method::PUT,
                &format!("/api/v1/mailboxes/{}", seg(uuid)?),
                update,
            )
            .await?;
        confirm::mailbox(&m, uuid, update)?;
        Ok(m)
    }

    // ---- email ----------------------------------------------------------------------------

    pub async fn message_thread(
        &self,
        uuid: &str,
        q: ThreadQuery,
    ) -> Result<EmailMessage, ApiError> {
        let query = [
            ("per_page", q.per_page.to_string()),
            ("page[ancestors]", q.page_ancestors.to_string()),
            ("page[descendants]", q.page_descendants.to_string()),
        ];
        let m: EmailMessage = self
            .get(
                &format!("/api/v1/mailboxes/message/{}", seg(uuid)?),
                &query,
                true,
            )
            .await?;
        confirm::record(&m.uuid, None, "message")?;
        Ok(m)
    }

    pub async fn client_emails(
        &self,
        client_uuid: &str,
        q: &EmailQuery,
    ) -> Result<Page<EmailMessage>, ApiError> {
        let mut query = vec![
            ("include", "mailbox,participants,attachments".to_string()),
            ("sort", "-message_created_at".to_string()),
            ("page", q.page.to_string()),
            ("per_page", q.per_page.to_string()),
        ];
        if let Some(s) = q.search.as_ref().filter(|s| !s.trim().is_empty()) {
            query.push(("search", s.trim().to_string()));
        }
        if let Some(inc) = q.incoming {
            query.push(("filter[incoming]", inc.to_string()));
        }
        let p = self
            .get(
                &format!("/api/v1/client/{}/emails", seg(client_uuid)?),
                &query,
                true,
            )
            .await?;
        Ok(numbered(p, q.page, q.per_page))
    }

    /// Download an attachment (with auth: the URL may need the bearer token).
    /// The token goes only to Plannr's own origin: a `download_url` elsewhere (a pre-signed
    /// storage link, or any host the data names) is fetched without it.
    pub async fn download(&self, url: &str) -> Result<reqwest::Response, ApiError> {
        self.http.download(url).await
    }

    // ---- conversations --------------------------------------------------------------------

    pub async fn conversations(
        &self,
        archived: Archived,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Conversation>, ApiError> {
        let query = [
            (
                "include",
                "participants,participants_count,latest_message,messages_count,tags".to_string(),
            ),
            ("sort", "-latest_message".to_string()),
            ("filter[archived]", archived.as_param().to_string()),
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
        ];
        let p = self.get("/api/v1/conversation", &query, true).await?;
        Ok(numbered(p, page, per_page))
    }

    pub async fn conversation(&self, uuid: &str) -> Result<Conversation, ApiError> {
        let query = [(
            "include",
            "participants,participants_count,latest_message,messages_count,tags".to_string(),
        )];
        let c: Conversation = self
            .get(
                &format!("/api/v1/conversation/{}", seg(uuid)?),
                &query,
                true,
            )
            .await?;
        confirm::record(&c.uuid, Some(uuid), "conversation")?;
        Ok(c)
    }

    pub async fn rename_conversation(
        &self,
        uuid: &str,
        name: &str,
    ) -> Result<Conversation, ApiError> {
        let c: Conversation = self
            .write(
                Method::PUT,
                &format!("/api/v1/conversation/{}", seg(uuid)?),
                &serde_json::json!({ "name": name }),
            )
            .await?;
        confirm::renamed(&c.uuid, uuid, &c.name, name)?;
        Ok(c)
    }

    pub async fn pin_conversation(&self, uuid: &str, pin: bool) -> Result<(), ApiError> {
        let _: Value = self
            .write(
                Method::POST,
                &format!("/api/v1/conversation/{}/pin", seg(uuid)?),
                &serde_json::json!({ "pin": pin }),
            )
            .await?;
        Ok(())
    }

    pub async fn conversation_messages(
        &self,
        uuid: &str,
        page: u32,
        per_page: u32,
    ) -> Result<Page<ConversationMessage>, ApiError> {
        let query = [
            ("sort", "-created_at".to_string()),
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
        ];
        let p = self
            .get(
                &format!("/api/v1/conversation/{}/messages", seg(uuid)?),
                &query,
                true,
            )
            .await?;
        Ok(numbered(p, page, per_page))
    }

    // ---- clients and contact details ------------------------------------------------------

    pub async fn clients(
        &self,
        name: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Account>, ApiError> {
        let mut query = vec![
            ("filter[type]", "client".to_string()),
            ("include", "primary_email,primary_phone_number".to_string()),
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
        ];
        if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty()) {
            query.push(("filter[name]", n.to_string()));
        }
        let p = self.get("/api/v1/account", &query, true).await?;
        Ok(numbered(p, page, per_page))
    }

    /// The clients linked to `client` (a joint account's partner, other linked clients), from
    /// the deprecated `GET /api/v1/client` with `filter[linked_to]` (the account route has no
    /// such filter); one page of up to `per_page`.
    pub async fn linked_clients(
        &self,
        client: &str,
        per_page: u32,
    ) -> Result<Page<Account>, ApiError> {
        let query = [
            ("filter[linked_to]", client.to_string()),
            ("page", "1".to_string()),
            ("per_page", per_page.to_string()),
        ];
        let p = self.get("/api/v1/client", &query, true).await?;
        Ok(numbered(p, 1, per_page))
    }

    pub async fn contact_details(
        &self,
        account_uuids: &[String],
        page: u32,
        per_page: u32,
    ) -> Result<Page<ContactDetail>, ApiError> {
        let query = [
            ("filter[account_uuids]", account_uuids.join(",")),
            ("include", "accounts,primary_accounts".to_string()),
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
        ];
        let p = self.get("/api/v2/contact-details", &query, true).await?;
        Ok(numbered(p, page, per_page))
    }

    /// One contact detail (there is no show endpoint: `filter[uuid]`). `None` if it is gone.
    pub async fn contact_detail(&self, uuid: &str) -> Result<Option<ContactDetail>, ApiError> {
        let query = [
            ("filter[uuid]", uuid.to_string()),
            ("include", "accounts,primary_accounts".to_string()),
        ];
        // "Gone" is a strong claim (the form then offers to re-create the detail): only a proper
        // list envelope without the record says so; anything else is a malformed answer.
        let v = self
            .send(Method::GET, "/api/v2/contact-details", &query, None, true)
            .await?;
        if !v.get("data").is_some_and(Value::is_array) {
            return Err(ApiError::Decode {
                detail: "the answer is not the list of contact details asked for".into(),
                excerpt: String::new(),
            });
        }
        let page: Page<ContactDetail> = decode(v, self.http.token().expose())?;
        Ok(page.items.into_iter().find(|d| d.uuid == uuid))
    }

    pub async fn create_contact_detail(
        &self,
        body: &ContactDetailWrite,
    ) -> Result<ContactDetail, ApiError> {
        let d: ContactDetail = self
            .write(Method::POST, "/api/v2/contact-details", body)
            .await?;
        confirm::contact_detail(&d, None, body)?;
        Ok(d)
    }

    pub async fn update_contact_detail(
        &self,
        uuid: &str,
        body: &ContactDetailWrite,
    ) -> Result<ContactDetail, ApiError> {
        let mut body = body.clone();
        body.kind = None; // the type cannot change on update
        let d: ContactDetail = self
            .write(
                Method::PUT,
                &format!("/api/v2/contact-details/{}", seg(uuid)?),
                &body,
            )
            .await?;
        confirm::contact_detail(&d, Some(uuid), &body)?;
        Ok(d)
    }
}

/// Unwrap `{data: {...}}` single-resource envelopes, then decode. serde's message quotes the
/// offending value, so it is scrubbed of the token, sanitised and shortened like a body excerpt.
fn decode<T: DeserializeOwned>(v: Value, token: &str) -> Result<T, ApiError> {
    let v = match v {
        Value::Object(mut o) if o.len() == 1 && o.get("data").is_some_and(Value::is_object) => {
            o.remove("data").unwrap_or(Value::Null)
        }
        v => v,
    };
    serde_json::from_value(v).map_err(|e| ApiError::Decode {
        detail: excerpt(&e.to_string(), &[token]),
        excerpt: String::new(),
    })
}
