//! The typed client (`api::Client`) and the worker against the demo server on loopback: what goes
//! on the wire (method, path, decoded query, headers, JSON body) and what comes back decoded.

use std::sync::Arc;
use std::time::{Duration, Instant};

use plannr_tui::api::models::*;
use plannr_tui::api::{ApiError, Client, ClientConfig, Secret};
use plannr_tui::app::{Call, Command, Msg, PlannrCall, PlannrReply, Reply};
use plannr_tui::demo::{DemoOptions, DemoServer, RecordedRequest, Scripted};
use plannr_tui::render::sanitize::is_bidi_control;
use plannr_tui::worker::Worker;
use serde_json::json;

/// Small timeouts and backoff so the whole file stays fast.
fn config(server: &DemoServer, token: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new(server.base_url.clone(), Secret::new(token));
    cfg.connect_timeout = Duration::from_secs(2);
    cfg.request_timeout = Duration::from_secs(5);
    cfg.max_retries = 2;
    cfg.backoff_base = Duration::from_millis(5);
    cfg
}

async fn start(opts: DemoOptions) -> (DemoServer, Arc<Client>) {
    let server = DemoServer::start(opts).await.expect("demo server starts");
    let client = Client::new(config(&server, &server.token)).expect("client builds");
    client.set_account(server.account_uuid.clone());
    (server, client)
}

async fn setup() -> (DemoServer, Arc<Client>) {
    start(DemoOptions::default()).await
}

/// The requests since the last call (the log is cleared).
fn take(server: &DemoServer) -> Vec<RecordedRequest> {
    let r = server.requests();
    server.clear_requests();
    r
}

/// Exactly one request was made since the last call; return it.
fn one(server: &DemoServer) -> RecordedRequest {
    let mut r = take(server);
    assert_eq!(r.len(), 1, "expected one request, got {r:#?}");
    r.remove(0)
}

/// The decoded query pairs, sorted (order on the wire does not matter to Laravel).
fn query(r: &RecordedRequest) -> Vec<(&str, &str)> {
    let mut q: Vec<(&str, &str)> = r
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    q.sort();
    q
}

fn sorted<'a>(mut pairs: Vec<(&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    pairs.sort();
    pairs
}

/// Method and path, auth and accept headers; the tenant header exactly when `tenant` is given.
fn check(r: &RecordedRequest, method: &str, path: &str, tenant: Option<&str>) {
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        (method, path),
        "{r:#?}"
    );
    assert_eq!(
        r.header("authorization"),
        Some("Bearer demo-token"),
        "{r:#?}"
    );
    assert_eq!(r.header("accept"), Some("application/json"), "{r:#?}");
    assert_eq!(r.header("x-plannr-account-uuid"), tenant, "{r:#?}");
    if r.body.is_some() {
        assert_eq!(r.header("content-type"), Some("application/json"), "{r:#?}");
    }
}

#[tokio::test]
async fn identity_calls_carry_no_tenant_header() {
    let (s, c) = setup().await;
    let logins = c.logins().await.expect("logins");
    let r = one(&s);
    check(&r, "GET", "/api/v1/logins", None);
    assert!(r.query.is_empty() && r.body.is_none(), "{r:#?}");
    assert_eq!(logins.logins.len(), 2);
    assert_eq!(
        logins.preferred_account_uuid.as_deref(),
        Some(s.account_uuid.as_str())
    );
    assert_eq!(logins.automatic_choice(), Some(s.account_uuid.clone()));
    let firm = logins.logins[0].firm.as_ref().map(|f| f.name.as_str());
    assert_eq!(firm, Some("Harbour Wealth"));

    let me = c.me().await.expect("me");
    let r = one(&s);
    check(&r, "GET", "/api/v1/me", None);
    assert!(r.query.is_empty());
    assert_eq!(me.uuid, s.fixtures().user_uuid);
    assert!(!me.name.is_empty());
    assert_eq!(
        me.current_account.map(|a| a.uuid),
        Some(s.account_uuid.clone())
    );
}

#[tokio::test]
async fn mailboxes_list_and_updates_send_only_changed_fields() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();
    let acc = Some(s.account_uuid.as_str());
    let list = c.mailboxes().await.expect("mailboxes");
    let r = one(&s);
    check(&r, "GET", "/api/v1/mailboxes", acc);
    assert!(r.query.is_empty());
    let uuids: Vec<&str> = list.iter().map(|m| m.uuid.as_str()).collect();
    assert_eq!(uuids, f.mailbox_uuids);
    assert_eq!(list[0].name, "Harbour Wealth enquiries");
    assert!(list[0].is_enabled());
    assert!(
        list.iter()
            .any(|m| m.uuid == f.disabled_mailbox_uuid && !m.is_enabled())
    );

    let first = &f.first_mailbox_uuid;
    let off = MailboxUpdate {
        enabled: Some(false),
        name: None,
    };
    let m = c.update_mailbox(first, &off).await.expect("disable");
    let r = one(&s);
    check(&r, "PUT", &format!("/api/v1/mailboxes/{first}"), acc);
    assert!(r.query.is_empty());
    assert_eq!(r.body, Some(json!({"enabled": false})));
    assert_eq!(m.enabled, Some(false));

    let rename = MailboxUpdate {
        enabled: None,
        name: Some("Enquiries (old)".into()),
    };
    let m = c.update_mailbox(first, &rename).await.expect("rename");
    let r = one(&s);
    check(&r, "PUT", &format!("/api/v1/mailboxes/{first}"), acc);
    assert_eq!(r.body, Some(json!({"name": "Enquiries (old)"})));
    assert_eq!(m.name, "Enquiries (old)");
    assert_eq!(m.enabled, Some(false), "the rename kept the earlier toggle");

    let list = c.mailboxes().await.expect("mailboxes again");
    let again = list
        .iter()
        .find(|m| &m.uuid == first)
        .expect("still listed");
    assert_eq!(
        (again.name.as_str(), again.is_enabled()),
        ("Enquiries (old)", false)
    );
}

#[tokio::test]
async fn message_thread_pages_ancestors_and_descendants() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();
    let q = ThreadQuery {
        per_page: 7,
        page_ancestors: 2,
        page_descendants: 3,
    };
    let uuid = &f.big_thread_middle_message_uuid;
    let m = c.message_thread(uuid, q).await.expect("thread");
    let r = one(&s);
    check(
        &r,
        "GET",
        &format!("/api/v1/mailboxes/message/{uuid}"),
        Some(&s.account_uuid),
    );
    assert_eq!(
        query(&r),
        sorted(vec![
            ("per_page", "7"),
            ("page[ancestors]", "2"),
            ("page[descendants]", "3"),
        ])
    );
    assert_eq!(&m.uuid, uuid);
    assert_eq!(m.thread_count, Some(u64::from(f.big_thread_len)));
    assert!(!m.subject.is_empty());
    let anc = m.ancestors.clone().expect("ancestors");
    let desc = m.descendants.clone().expect("descendants");
    assert_eq!((anc.items.len(), anc.current_page), (7, Some(2)));
    assert_eq!((desc.items.len(), desc.current_page), (7, Some(3)));
    assert!(!anc.is_last(2, 7) && !desc.is_last(3, 7));
    assert!(
        anc.items
            .iter()
            .all(|a| a.sort_key() < m.sort_key() && a.uuid != m.uuid),
        "ancestors are older"
    );
    assert!(
        desc.items.iter().all(|d| d.sort_key() > m.sort_key()),
        "descendants are newer"
    );

    let single = c
        .message_thread(&f.single_message_uuid, q)
        .await
        .expect("single");
    assert_eq!(single.thread_count, Some(1));
    assert!(single.ancestors.is_none_or(|p| p.items.is_empty()));
}

#[tokio::test]
async fn client_emails_send_search_filter_include_sort_and_paging() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();
    let client = &f.big_thread_client_uuid;
    let path = format!("/api/v1/client/{client}/emails");
    let acc = Some(s.account_uuid.as_str());
    let base =
        |search: Option<&str>, incoming: Option<bool>, page: u32, per_page: u32| EmailQuery {
            search: search.map(String::from),
            incoming,
            page,
            per_page,
        };

    let page = c
        .client_emails(client, &base(Some("   "), None, 1, 5))
        .await
        .expect("emails");
    let r = one(&s);
    check(&r, "GET", &path, acc);
    assert_eq!(
        query(&r),
        sorted(vec![
            ("include", "mailbox,participants,attachments"),
            ("sort", "-message_created_at"),
            ("page", "1"),
            ("per_page", "5"),
        ]),
        "a blank search is not sent"
    );
    assert_eq!(page.items.len(), 5);
    assert_eq!(page.skipped, 0);
    assert!(!page.is_last(1, 5));
    assert!(
        page.items
            .windows(2)
            .all(|w| w[0].sort_key() >= w[1].sort_key()),
        "newest first"
    );
    let newest = page.items[0].clone();
    assert!(newest.mailbox.is_some(), "mailbox included");
    assert!(newest.from().is_some(), "participants included");

    let incoming = c
        .client_emails(client, &base(None, Some(true), 2, 4))
        .await
        .expect("incoming");
    let r = one(&s);
    assert_eq!(
        query(&r),
        sorted(vec![
            ("include", "mailbox,participants,attachments"),
            ("sort", "-message_created_at"),
            ("page", "2"),
            ("per_page", "4"),
            ("filter[incoming]", "true"),
        ])
    );
    assert_eq!(incoming.items.len(), 4);
    assert_eq!(incoming.current_page, Some(2));
    assert!(incoming.items.iter().all(|m| m.incoming == Some(true)));

    // Search for the newest message's subject: it is still the first hit.
    let term = newest.subject.clone();
    let padded = format!("  {term} ");
    let hits = c
        .client_emails(
            client,
            &base(Some(&padded), Some(newest.incoming == Some(true)), 1, 3),
        )
        .await
        .expect("search");
    let r = one(&s);
    assert_eq!(r.query_get("search"), Some(term.as_str()), "trimmed");
    assert_eq!(
        r.query_get("filter[incoming]"),
        Some(if newest.incoming == Some(true) {
            "true"
        } else {
            "false"
        })
    );
    assert_eq!(hits.items.first().map(|m| &m.uuid), Some(&newest.uuid));

    let none = c
        .client_emails(client, &base(Some("zzqx-no-such-words"), None, 1, 3))
        .await
        .expect("no hits");
    assert!(none.items.is_empty() && none.is_last(1, 3));
}

#[tokio::test]
async fn conversations_list_show_rename_pin_and_messages() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();
    let acc = Some(s.account_uuid.as_str());
    let includes = "participants,participants_count,latest_message,messages_count,tags";

    let archived = c
        .conversations(Archived::Only, 1, 10)
        .await
        .expect("archived");
    let r = one(&s);
    check(&r, "GET", "/api/v1/conversation", acc);
    assert_eq!(
        query(&r),
        sorted(vec![
            ("include", includes),
            ("sort", "-latest_message"),
            ("filter[archived]", "only"),
            ("page", "1"),
            ("per_page", "10"),
        ])
    );
    assert!(
        archived
            .items
            .iter()
            .any(|c| c.uuid == f.archived_conversation_uuid)
    );

    let active = c
        .conversations(Archived::Active, 1, 100)
        .await
        .expect("active");
    let r = one(&s);
    assert_eq!(r.query_get("filter[archived]"), Some("false"));
    assert!(active.is_last(1, 100));
    let ids: Vec<&str> = active.items.iter().map(|c| c.uuid.as_str()).collect();
    assert!(!ids.contains(&f.archived_conversation_uuid.as_str()));
    assert!(ids.contains(&f.busiest_conversation_uuid.as_str()));
    assert_eq!(
        active.items.len() + archived.items.len(),
        active.total.unwrap_or(0) as usize + archived.total.unwrap_or(0) as usize
    );

    let busiest = &f.busiest_conversation_uuid;
    let conv = c.conversation(busiest).await.expect("show");
    let r = one(&s);
    check(&r, "GET", &format!("/api/v1/conversation/{busiest}"), acc);
    assert_eq!(query(&r), vec![("include", includes)]);
    assert_eq!(conv.messages_count, Some(200));
    assert!(!conv.participants.is_empty());
    assert!(conv.latest_message.is_some());

    let renamed = c
        .rename_conversation(busiest, "Quarterly review — Q3")
        .await
        .expect("rename");
    let r = one(&s);
    check(&r, "PUT", &format!("/api/v1/conversation/{busiest}"), acc);
    assert!(r.query.is_empty());
    assert_eq!(r.body, Some(json!({"name": "Quarterly review — Q3"})));
    assert_eq!(renamed.name, "Quarterly review — Q3");
    let listed = c
        .conversations(Archived::Active, 1, 100)
        .await
        .expect("list after rename");
    take(&s);
    assert_eq!(
        listed
            .items
            .iter()
            .find(|c| &c.uuid == busiest)
            .map(|c| c.name.as_str()),
        Some("Quarterly review — Q3"),
        "the rename is visible on the next list"
    );

    let empty = &f.empty_conversation_uuid;
    c.pin_conversation(empty, true).await.expect("pin");
    let r = one(&s);
    check(
        &r,
        "POST",
        &format!("/api/v1/conversation/{empty}/pin"),
        acc,
    );
    assert_eq!(r.body, Some(json!({"pin": true})));
    assert_eq!(
        c.conversation(empty).await.expect("show").pinned,
        Some(true)
    );
    c.pin_conversation(empty, false).await.expect("unpin");
    assert_eq!(take(&s)[1].body, Some(json!({"pin": false})));
    assert_eq!(
        c.conversation(empty).await.expect("show").pinned,
        Some(false)
    );
    take(&s);

    let msgs = c
        .conversation_messages(busiest, 2, 30)
        .await
        .expect("messages");
    let r = one(&s);
    check(
        &r,
        "GET",
        &format!("/api/v1/conversation/{busiest}/messages"),
        acc,
    );
    assert_eq!(
        query(&r),
        sorted(vec![
            ("sort", "-created_at"),
            ("page", "2"),
            ("per_page", "30"),
        ])
    );
    assert_eq!((msgs.items.len(), msgs.current_page), (30, Some(2)));
    assert!(!msgs.is_last(2, 30));
    assert!(
        msgs.items
            .windows(2)
            .all(|w| w[0].created_at >= w[1].created_at),
        "newest first"
    );
    let last = c
        .conversation_messages(busiest, 7, 30)
        .await
        .expect("last page");
    assert_eq!(last.items.len(), 200 - 6 * 30);
    assert!(last.is_last(7, 30));
    let none = c
        .conversation_messages(empty, 1, 30)
        .await
        .expect("empty conversation");
    assert!(none.items.is_empty() && none.is_last(1, 30));
}

#[tokio::test]
async fn clients_and_contact_details_round_trip() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();
    let acc = Some(s.account_uuid.as_str());

    let all = c.clients(None, 1, 100).await.expect("clients");
    let r = one(&s);
    check(&r, "GET", "/api/v1/account", acc);
    assert_eq!(
        query(&r),
        sorted(vec![
            ("filter[type]", "client"),
            ("include", "primary_email,primary_phone_number"),
            ("page", "1"),
            ("per_page", "100"),
        ])
    );
    assert!(!all.items.is_empty());
    assert!(all.items.iter().all(|a| a.kind == "client"));
    for u in &f.client_uuids {
        assert!(all.items.iter().any(|a| &a.uuid == u), "client {u} listed");
    }
    let rich = all
        .items
        .iter()
        .find(|a| a.uuid == f.client_with_contact_details_uuid)
        .expect("rich client listed");
    assert!(
        rich.primary_email.is_some() || rich.primary_phone_number.is_some(),
        "primaries included"
    );

    let last_name = rich.last_name.clone();
    let found = c
        .clients(Some(&format!("  {last_name} ")), 1, 25)
        .await
        .expect("by name");
    let r = one(&s);
    assert_eq!(r.query_get("filter[name]"), Some(last_name.as_str()));
    assert_eq!(r.query_get("filter[type]"), Some("client"));
    assert!(found.items.iter().any(|a| a.uuid == rich.uuid));
    assert!(found.items.len() < all.items.len());
    c.clients(Some("  "), 1, 25).await.expect("blank name");
    assert_eq!(
        one(&s).query_get("filter[name]"),
        None,
        "blank name not sent"
    );

    let (a, b) = f.joint_client_uuids.clone();
    let details = c
        .contact_details(&[a.clone(), b.clone()], 1, 50)
        .await
        .expect("details");
    let r = one(&s);
    check(&r, "GET", "/api/v2/contact-details", acc);
    let owners = format!("{a},{b}");
    assert_eq!(
        query(&r),
        sorted(vec![
            ("filter[account_uuids]", owners.as_str()),
            ("include", "accounts,primary_accounts"),
            ("page", "1"),
            ("per_page", "50"),
        ])
    );
    let shared = details
        .items
        .iter()
        .find(|d| d.uuid == f.shared_contact_detail_uuid)
        .expect("shared detail listed");
    let owner_ids: Vec<&str> = shared.owners().iter().map(|x| x.uuid.as_str()).collect();
    assert!(owner_ids.contains(&a.as_str()) && owner_ids.contains(&b.as_str()));

    let one_detail = c
        .contact_detail(&f.shared_contact_detail_uuid)
        .await
        .expect("detail")
        .expect("present");
    let r = one(&s);
    check(&r, "GET", "/api/v2/contact-details", acc);
    assert_eq!(
        query(&r),
        sorted(vec![
            ("filter[uuid]", f.shared_contact_detail_uuid.as_str()),
            ("include", "accounts,primary_accounts"),
        ])
    );
    assert_eq!(one_detail, *shared);
    assert_eq!(
        c.contact_detail("00000000-0000-4000-8000-000000000000")
            .await
            .expect("absent is not an error"),
        None
    );
    take(&s);

    let owner = f.client_with_contact_details_uuid.clone();
    let create = ContactDetailWrite {
        kind: Some("phone_number".into()),
        name: "Work phone".into(),
        value: ContactValue::Text("07700 900123".into()),
        is_primary: None,
        account_uuids: vec![owner.clone()],
        primary_account_uuids: Some(vec![]),
    };
    let created = c
        .create_contact_detail(&create)
        .await
        .expect("create (201)");
    let r = one(&s);
    check(&r, "POST", "/api/v2/contact-details", acc);
    assert_eq!(
        r.body,
        Some(json!({
            "type": "phone_number", "name": "Work phone", "value": "07700 900123",
            "account_uuids": [owner], "primary_account_uuids": []
        }))
    );
    assert!(!created.uuid.is_empty());
    assert_eq!(
        (created.kind.as_str(), created.value.as_str()),
        ("phone_number", "+447700900123")
    );
    assert_eq!(created.display_value(), "07700 900123");

    let update = ContactDetailWrite {
        kind: Some("email".into()), // must not be sent: the type cannot change
        name: "Mobile".into(),
        value: ContactValue::Intl {
            country: "AU".into(),
            number: "02 3456 7890".into(),
        },
        is_primary: None,
        account_uuids: vec![owner.clone()],
        primary_account_uuids: Some(vec![owner.clone()]),
    };
    let updated = c
        .update_contact_detail(&created.uuid, &update)
        .await
        .expect("update");
    let r = one(&s);
    check(
        &r,
        "PUT",
        &format!("/api/v2/contact-details/{}", created.uuid),
        acc,
    );
    assert_eq!(
        r.body,
        Some(json!({
            "name": "Mobile", "value": {"country": "AU", "number": "02 3456 7890"},
            "account_uuids": [owner], "primary_account_uuids": [owner]
        }))
    );
    assert_eq!(updated.kind, "phone_number", "type unchanged");
    assert_eq!(updated.value, "+61234567890");
    // The PUT answer is seed 004's shape: `accounts` (one owner: an object), no primaries.
    assert_eq!(updated.primary_accounts, None);
    assert_eq!(updated.owners().len(), 1);
    let reread = c
        .contact_detail(&created.uuid)
        .await
        .expect("reread")
        .expect("present");
    assert_eq!(reread.name, "Mobile");
    assert!(reread.is_primary_for(&owner));
}

#[tokio::test]
async fn download_sends_the_token_and_streams_the_bytes() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();
    let q = ThreadQuery {
        per_page: 1,
        page_ancestors: 1,
        page_descendants: 1,
    };
    let m = c
        .message_thread(&f.message_with_attachment_uuid, q)
        .await
        .expect("message");
    let att = m
        .attachments
        .iter()
        .find(|a| a.uuid == f.attachment_uuid)
        .expect("attachment decoded");
    let url = att.download_url.clone().expect("download url");
    take(&s);
    let resp = c.download(&url).await.expect("download");
    let bytes = resp.bytes().await.expect("body");
    assert_eq!(Some(bytes.len() as u64), att.size);
    let r = one(&s);
    assert_eq!(r.method, "GET");
    assert_eq!(r.path, format!("/__demo/files/{}", f.attachment_uuid));
    assert_eq!(r.header("authorization"), Some("Bearer demo-token"));

    let missing = url.replace(&f.attachment_uuid, "00000000-0000-4000-8000-000000000000");
    let err = c.download(&missing).await.expect_err("unknown file");
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn download_from_another_origin_does_not_send_the_token() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();
    // Another server (another port: another origin) named as a download link in the data.
    let other = DemoServer::start(DemoOptions::default())
        .await
        .expect("second server");
    let url = format!("{}/__demo/files/{}", other.base_url, f.attachment_uuid);
    take(&s);
    let _ = c.download(&url).await;
    let log = other.requests();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].header("authorization"), None, "token sent elsewhere");
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn http_statuses_become_typed_errors() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();

    // 401: a wrong token, on an identity call and a tenant call; never retried.
    let wrong = Client::new(config(&s, "not-the-token")).expect("client");
    wrong.set_account(s.account_uuid.clone());
    assert_eq!(wrong.me().await, Err(ApiError::Unauthenticated));
    assert_eq!(
        wrong.mailboxes().await.expect_err("401"),
        ApiError::Unauthenticated
    );
    let log = take(&s);
    assert_eq!(log.len(), 2, "401 is not retried: {log:#?}");
    assert_eq!(log[0].header("authorization"), Some("Bearer not-the-token"));

    // 403: an account header the token cannot act as.
    let stranger = Client::new(config(&s, &s.token)).expect("client");
    stranger.set_account("11111111-2222-4333-8444-555555555555");
    let err = stranger.mailboxes().await.expect_err("403");
    assert_eq!(
        err,
        ApiError::Forbidden {
            message: "This action is unauthorized".into()
        }
    );
    assert!(!err.is_retryable());
    let r = one(&s);
    assert_eq!(
        r.header("x-plannr-account-uuid"),
        Some("11111111-2222-4333-8444-555555555555")
    );

    // 404: unknown uuids, reads and writes.
    let err = c
        .conversation("no-such-conversation")
        .await
        .expect_err("404");
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
    let err = c
        .update_mailbox(
            "no-such-mailbox",
            &MailboxUpdate {
                enabled: Some(true),
                name: None,
            },
        )
        .await
        .expect_err("404");
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
    assert_eq!(take(&s).len(), 2, "404 is not retried");

    // 422: per-field errors, including Laravel's dotted array keys.
    let bad = ContactDetailWrite {
        kind: Some("email".into()),
        name: " ".into(),
        value: ContactValue::Text("not an email".into()),
        is_primary: None,
        account_uuids: vec![
            "not-a-client".into(),
            f.client_with_contact_details_uuid.clone(),
        ],
        primary_account_uuids: Some(vec![]),
    };
    let err = c.create_contact_detail(&bad).await.expect_err("422");
    let fields = err.field_errors().expect("validation error").clone();
    let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(keys, vec!["account_uuids.0", "name", "value"], "{err:?}");
    assert_eq!(
        fields["account_uuids.0"],
        vec!["The selected account_uuids.0 is invalid.".to_string()]
    );
    assert_eq!(
        err.to_string(),
        "The name field is required",
        "no full stop: callers add one"
    );
    assert_eq!(one(&s).method, "POST", "422 is not retried");
    let err = c
        .rename_conversation(&f.busiest_conversation_uuid, "   ")
        .await;
    assert!(
        matches!(&err, Err(ApiError::Validation { errors, .. }) if errors.contains_key("name")),
        "{err:?}"
    );
}

#[tokio::test]
async fn rate_limits_wait_for_retry_after_then_retry() {
    let (s, c) = setup().await;
    s.script(Scripted::rate_limited(1));
    let started = Instant::now();
    let list = c.mailboxes().await.expect("succeeds after the wait");
    let waited = started.elapsed();
    assert!(!list.is_empty());
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 honoured, waited {waited:?}"
    );
    let log = take(&s);
    assert_eq!(log.len(), 2, "{log:#?}");
    assert!(log.iter().all(|r| r.path == "/api/v1/mailboxes"));

    let mut cfg = config(&s, &s.token);
    cfg.max_retries = 0;
    let impatient = Client::new(cfg).expect("client");
    impatient.set_account(s.account_uuid.clone());
    s.script(Scripted::rate_limited(1));

    let err = impatient.mailboxes().await.expect_err("429");
    assert_eq!(
        err,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(1))
        }
    );
    assert!(err.is_retryable());
    assert_eq!(take(&s).len(), 1, "no retry: one request, answered at once");
}

#[tokio::test]
async fn server_errors_retry_reads_and_puts_but_not_posts() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();

    s.script(Scripted::status(
        Some("GET"),
        Some("/api/v1/conversation"),
        500,
    ));
    let page = c
        .conversations(Archived::Active, 1, 5)
        .await
        .expect("GET retried");
    assert_eq!(page.items.len(), 5);
    assert_eq!(take(&s).len(), 2);

    s.script(Scripted::status(
        Some("PUT"),
        Some("/api/v1/conversation/"),
        503,
    ));
    let conv = c
        .rename_conversation(&f.busiest_conversation_uuid, "After a 503")
        .await
        .expect("PUT retried");
    assert_eq!(conv.name, "After a 503");
    let log = take(&s);
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|r| r.body == Some(json!({"name": "After a 503"})))
    );

    let target = &f.empty_conversation_uuid;
    s.script(Scripted::status(
        Some("POST"),
        Some("/api/v1/conversation/"),
        500,
    ));
    let err = c
        .pin_conversation(target, true)
        .await
        .expect_err("POST not retried");
    assert!(
        matches!(err, ApiError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(take(&s).len(), 1, "a POST is sent once");
    let conv = c.conversation(target).await.expect("show");
    assert_ne!(conv.pinned, Some(true), "the failed pin did not apply");

    // Retries run out: 1 + max_retries attempts, then the error.
    for _ in 0..3 {
        s.script(Scripted::status(
            Some("GET"),
            Some("/api/v1/mailboxes"),
            503,
        ));
    }
    take(&s);
    let err = c.mailboxes().await.expect_err("exhausted");
    assert_eq!(
        err,
        ApiError::Server {
            status: 503,
            message: "Service Unavailable".into()
        }
    );
    assert_eq!(take(&s).len(), 3);
}

#[tokio::test]
async fn decode_errors_are_typed_and_never_show_the_token() {
    let (s, c) = setup().await;
    let page = "<html><body>Proxy error. Authorization: Bearer demo-token \u{1b}[2J</body></html>";
    s.script(Scripted::raw(
        Some("GET"),
        Some("/api/v1/me"),
        200,
        "text/html",
        page,
    ));
    let err = c.me().await.expect_err("not JSON");
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("a web page instead of data"), "{text}");
    assert!(text.contains("Proxy error"), "an excerpt helps: {text}");
    assert!(!text.contains("demo-token"), "token leaked: {text}");
    assert!(!text.contains('\u{1b}'), "control chars leaked: {text}");
    assert!(!err.is_retryable());
    assert_eq!(take(&s).len(), 1, "a decode error is not retried");

    // Valid JSON of the wrong shape that happens to echo the token.
    s.script(Scripted::json(
        Some("GET"),
        Some("/api/v1/me"),
        200,
        json!("Bearer demo-token \u{1b}]52;c;aGk=\u{7}"),
    ));
    let err = c.me().await.expect_err("wrong shape");
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    let text = err.to_string();
    assert!(!text.contains("demo-token"), "token leaked: {text}");
    assert!(!text.contains('\u{1b}'), "control chars leaked: {text}");
}

/// Every string of a decoded email (and its thread pages), for the sanitising checks.
fn email_strings(m: &EmailMessage, out: &mut Vec<String>) {
    out.extend([
        m.uuid.clone(),
        m.created_at.clone(),
        m.message_created_at.clone(),
        m.subject.clone(),
    ]);
    out.extend(m.text.clone());
    out.extend(m.html.clone());
    if let Some(mb) = &m.mailbox {
        out.extend([
            mb.name.clone(),
            mb.email.clone(),
            mb.state.clone(),
            mb.kind.clone(),
        ]);
    }
    for p in m.participants.iter() {
        out.extend([p.kind.clone(), p.name.clone(), p.email.clone()]);
    }
    for a in &m.attachments {
        out.extend([a.name.clone(), a.filename.clone(), a.extension.clone()]);
        out.extend(a.download_url.clone());
    }
    for sub in [&m.ancestors, &m.descendants].into_iter().flatten() {
        for e in &sub.items {
            email_strings(e, out);
        }
    }
}

/// No ESC, no other C0 control but newline, no DEL, no C1, no bidi control.
fn assert_clean(s: &str) {
    let bad = s.chars().find(|&c| {
        (c.is_control() && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c) || is_bidi_control(c)
    });
    assert!(
        bad.is_none(),
        "unsafe char {bad:?} in {:?}",
        s.chars().take(120).collect::<String>()
    );
}

#[tokio::test]
async fn hostile_and_lone_surrogate_data_decode_clean() {
    let (s, c) = setup().await;
    let f = s.fixtures().clone();
    let q = ThreadQuery {
        per_page: 5,
        page_ancestors: 1,
        page_descendants: 1,
    };
    let lone = c
        .message_thread(&f.lone_surrogate_message_uuid, q)
        .await
        .expect("a lone surrogate does not fail the message");
    assert!(
        lone.text.as_deref().is_some_and(|t| t.contains('\u{fffd}')),
        "{:?}",
        lone.text
    );

    let list = c
        .client_emails(
            &f.hostile_client_uuid,
            &EmailQuery {
                search: None,
                incoming: None,
                page: 1,
                per_page: 100,
            },
        )
        .await
        .expect("the hostile client's list decodes");
    assert!(!list.items.is_empty());
    assert_eq!(list.skipped, 0);
    assert!(
        list.items
            .iter()
            .any(|m| m.uuid == f.lone_surrogate_message_uuid)
    );
    let mut strings = Vec::new();
    for m in &list.items {
        email_strings(m, &mut strings);
    }

    assert!(!f.hostile_message_uuids.is_empty());
    let mut saw_escape_source = false;
    for uuid in &f.hostile_message_uuids {
        let m = c
            .message_thread(uuid, q)
            .await
            .expect("hostile message decodes");
        email_strings(&m, &mut strings);
        saw_escape_source |= uuid == &f.hostile_message_uuid;
    }
    assert!(saw_escape_source);
    let msgs = c
        .conversation_messages(&f.hostile_conversation_uuid, 1, 100)
        .await
        .expect("hostile conversation decodes");
    assert!(!msgs.items.is_empty());
    for m in &msgs.items {
        strings.extend(m.contents.clone());
        if let Some(a) = &m.author {
            strings.push(a.display_name());
        }
        for file in &m.files {
            strings.push(file.display_name().to_string());
        }
    }
    for s in &strings {
        assert_clean(s);
    }
    // One-line fields also lose their newlines.
    for m in &list.items {
        assert!(!m.subject.contains('\n'), "{:?}", m.subject);
    }
}

#[tokio::test]
async fn worker_sends_writes_to_one_resource_in_order() {
    let (s, c) = start(DemoOptions {
        latency_ms: 50,
        ..DemoOptions::default()
    })
    .await;
    let f = s.fixtures().clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Msg>();
    let mut worker = Worker::new(c.clone(), tx);
    let target = f.busiest_conversation_uuid.clone();
    let other = f.empty_conversation_uuid.clone();
    let rename = |id, uuid: &str, name: &str| Command::Api {
        id,
        call: Call::Plannr(PlannrCall::RenameConversation {
            uuid: uuid.to_string(),
            name: name.to_string(),
        }),
        background: false,
    };
    let started = Instant::now();
    assert!(worker.handle(rename(1, &target, "First name")));
    assert!(worker.handle(rename(2, &target, "Second name")));
    assert!(worker.handle(rename(3, &other, "Unrelated")));
    let mut order = Vec::new();
    while order.len() < 3 {
        let msg = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("worker answers in time")
            .expect("channel open");
        match msg {
            Msg::Api { id, result } => {
                let conv = match result {
                    Ok(Reply::Plannr(PlannrReply::Conversation(c))) => c,
                    other => panic!("rename {id} failed: {other:?}"),
                };
                order.push((id, conv.name));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let took = started.elapsed();
    let ids: Vec<u64> = order.iter().map(|(id, _)| *id).collect();
    assert!(
        ids.iter().position(|&i| i == 1) < ids.iter().position(|&i| i == 2),
        "the second write waited for the first: {order:?}"
    );
    assert!(
        took >= Duration::from_millis(100),
        "two writes to one resource ran one after another ({took:?})"
    );
    let puts: Vec<(String, Option<serde_json::Value>)> = s
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with(target.as_str()))
        .map(|r| (r.path, r.body))
        .collect();
    assert_eq!(
        puts.iter().map(|(_, b)| b.clone()).collect::<Vec<_>>(),
        vec![
            Some(json!({"name": "First name"})),
            Some(json!({"name": "Second name"}))
        ]
    );
    let now = c.conversation(&target).await.expect("show");
    assert_eq!(
        now.name, "Second name",
        "the last write asked is the last applied"
    );
    assert_eq!(
        c.conversation(&other).await.expect("show").name,
        "Unrelated"
    );
    assert!(!worker.handle(Command::Quit));
}

/// `Retry-After` may be an HTTP date (RFC 9110 §10.2.3), not only seconds: a date already past
/// is "no wait", a future one a wait until then (it was dropped as unreadable before).
#[tokio::test]
async fn retry_after_as_an_http_date_is_understood() {
    let (s, _) = setup().await;
    let mut cfg = config(&s, &s.token);
    cfg.max_retries = 0;
    let c = Client::new(cfg).expect("client");
    c.set_account(s.account_uuid.clone());
    s.script(
        Scripted::status(None, Some("/api/v1/mailboxes"), 429)
            .with_header("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"),
    );
    let err = c.mailboxes().await.expect_err("429");
    assert_eq!(
        err,
        ApiError::RateLimited {
            retry_after: Some(Duration::ZERO)
        }
    );
    s.script(
        Scripted::status(None, Some("/api/v1/mailboxes"), 429)
            .with_header("Retry-After", "Fri, 01 Jan 2100 00:00:00 GMT"),
    );
    let err = c.mailboxes().await.expect_err("429");
    assert!(
        matches!(err, ApiError::RateLimited { retry_after: Some(d) } if d > Duration::from_secs(86_400)),
        "{err:?}"
    );
}

/// Paging that cannot run away, against the demo's misbehaving switches: a server that ignores
/// `page`, or answers bare arrays, ends paging of a list (the app's `Paged`) with a note after a
/// couple of requests — never a request loop.
#[tokio::test]
async fn a_server_ignoring_paging_or_sending_bare_arrays_cannot_loop() {
    use plannr_tui::app::paged::Paged;
    for (ignore_paging, bare_arrays) in [(true, false), (false, true), (true, true)] {
        let (s, c) = start(DemoOptions {
            ignore_paging,
            bare_arrays,
            ..DemoOptions::default()
        })
        .await;
        let mut list: Paged<Conversation> =
            Paged::new(5).with_identity(|c: &Conversation| c.uuid.clone());
        let mut asked = 0;
        while let Some(p) = list.want(usize::MAX) {
            asked += 1;
            assert!(
                asked <= 3,
                "a request loop ({ignore_paging}, {bare_arrays})"
            );
            list.mark_loading(p, asked);
            let page = c
                .conversations(Archived::Active, p, 5)
                .await
                .expect("a page");
            assert!(list.on_loaded(asked, page));
        }
        assert!(list.is_complete());
        assert!(
            list.note.is_some(),
            "the view says why paging stopped ({ignore_paging}, {bare_arrays})"
        );
        assert_eq!(list.items.len(), 5, "nothing shown twice");
        assert_eq!(take(&s).len() as u64, asked);
    }
}

/// The thread endpoint answering each half as a bare array (no `meta`, no `links`; the demo's
/// `bare_arrays`), whichever end the server puts first and whether or not it also ignores the
/// page asked for: reading to both ends over and over costs a bounded number of requests, the
/// view never shows a message twice or out of thread order, and each half ends either complete
/// or with a note in its gap row saying why paging stopped.
#[tokio::test]
async fn a_thread_whose_halves_come_as_bare_arrays_never_loops_or_misplaces() {
    use plannr_tui::app::mail::side::Half;
    use plannr_tui::app::mail::thread::{GapState, Row, Thread};
    use plannr_tui::demo::PageOrder::{NewestFirst, OldestFirst};
    for (ancestor_pages, descendant_pages) in
        [(NewestFirst, OldestFirst), (OldestFirst, NewestFirst)]
    {
        for ignore_paging in [false, true] {
            let case =
                format!("{ancestor_pages:?}/{descendant_pages:?}, ignore_paging {ignore_paging}");
            let (s, c) = start(DemoOptions {
                bare_arrays: true,
                ignore_paging,
                ancestor_pages,
                descendant_pages,
                ..DemoOptions::default()
            })
            .await;
            let uuid = s.fixtures().medium_thread_message_uuid.clone();
            let mut t = Thread::new(&uuid, 5, 80, 24);
            let first = t.first_request();
            let mut asked = 1;
            t.first_sent(asked);
            let m = c.message_thread(&uuid, first.query).await.expect("thread");
            assert!(t.on_loaded(first.part, asked, m), "{case}");
            // 50 messages, the opened one in the middle: 25 before, 24 after, pages of 5.
            for round in 0..40 {
                if round % 2 == 0 {
                    t.to_top();
                } else {
                    t.to_bottom();
                }
                for req in t.wanted() {
                    asked += 1;
                    assert!(asked <= 1 + 6 + 5 + 2, "a request loop ({case}): {asked}");
                    t.sent(req, asked);
                    let m = c.message_thread(&uuid, req.query).await.expect("a page");
                    t.on_loaded(req.part, asked, m);
                }
            }
            assert_eq!(
                take(&s).len() as u64,
                asked,
                "every request was counted ({case})"
            );
            let keys: Vec<&str> = t.msgs.iter().map(|m| m.m.sort_key()).collect();
            assert!(
                keys.windows(2).all(|w| w[0] < w[1]),
                "shown in thread order, none twice ({case}): {keys:?}"
            );
            let before = t.msgs.iter().filter(|m| m.slot < 0).count();
            let after = t.msgs.iter().filter(|m| m.slot > 0).count();
            for (half, shown, all) in [
                (Half::Ancestors, before, 25),
                (Half::Descendants, after, 24),
            ] {
                match t.side(half).stopped.clone() {
                    None => assert_eq!(shown, all, "{half:?} complete ({case})"),
                    Some(note) => {
                        assert!(shown < all || ignore_paging, "{half:?} ({case})");
                        if half == Half::Ancestors {
                            t.to_top();
                        } else {
                            t.to_bottom();
                        }
                        let in_view = t.visible().into_iter().any(|r| {
                            matches!(r, Row::Gap(g) if g.half == half
                                && matches!(&g.state, GapState::Stopped(n) if *n == note))
                        });
                        assert!(
                            in_view || shown == all,
                            "{half:?}: the note is in the view ({case}): {note}"
                        );
                    }
                }
            }
        }
    }
}

/// The thread view's per-side paging against a server that ignores `page[ancestors]` /
/// `page[descendants]` (the demo's `ignore_paging` applies to the thread endpoint too): every
/// page asked for comes back as page 1, adds no new message, and paging ends on that side with
/// a note in the view's gap row — a bounded number of requests, however far the reader scrolls.
#[tokio::test]
async fn a_thread_whose_server_ignores_paging_stops_each_side_with_a_note() {
    use plannr_tui::app::mail::side::Half;
    use plannr_tui::app::mail::thread::{GapState, Row, Thread};
    let (s, c) = start(DemoOptions {
        ignore_paging: true,
        ..DemoOptions::default()
    })
    .await;
    let f = s.fixtures().clone();
    let uuid = &f.big_thread_middle_message_uuid;
    let mut t = Thread::new(uuid, 5, 80, 24);
    let first = t.first_request();
    let mut asked = 1;
    t.first_sent(asked);
    let m = c.message_thread(uuid, first.query).await.expect("thread");
    assert!(t.on_loaded(first.part, asked, m));
    // Read to both ends (g and G, over and over): each wants the far pages of its side.
    for round in 0..20 {
        if round % 2 == 0 {
            t.to_top();
        } else {
            t.to_bottom();
        }
        for req in t.wanted() {
            asked += 1;
            assert!(asked <= 8, "a request loop: {asked} thread requests");
            t.sent(req, asked);
            let m = c.message_thread(uuid, req.query).await.expect("a page");
            t.on_loaded(req.part, asked, m);
        }
    }
    assert_eq!(take(&s).len() as u64, asked, "every request was counted");
    assert!(asked >= 2, "paging was tried");
    for half in [Half::Ancestors, Half::Descendants] {
        let note = t.side(half).stopped.clone();
        assert!(
            note.as_deref()
                .is_some_and(|n| n.contains("paging stopped")),
            "{half:?}: {note:?}"
        );
    }
    // The note is in the view: a gap row at an end says why.
    t.to_top();
    let top_note = t.visible().into_iter().any(|r| {
        matches!(r, Row::Gap(g) if g.half == Half::Ancestors
            && matches!(&g.state, GapState::Stopped(n) if n.contains("paging stopped")))
    });
    assert!(top_note, "the ancestors' gap row shows the note");
    let uuids: Vec<&str> = t.msgs.iter().map(|m| m.m.uuid.as_str()).collect();
    let mut dedup = uuids.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(uuids.len(), dedup.len(), "nothing shown twice");
}
