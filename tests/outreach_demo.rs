//! The Outreach demo answers as the documents show (seed 003, `shared/outreach-api.md`): JSON:API
//! documents, sparse fieldsets, `include`, cursor links, and JSON:API errors for bad requests.
use plannr_tui::demo::outreach::{OutreachDemo, OutreachOptions, ids};
use serde_json::{Value, json};

const MEDIA: &str = "application/vnd.api+json";

async fn get(demo: &OutreachDemo, path: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .get(format!("{}{path}", demo.base_url))
        .bearer_auth(&demo.token)
        .header("Content-Type", MEDIA)
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some(MEDIA)
    );
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn patch(demo: &OutreachDemo, path: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .patch(format!("{}{path}", demo.base_url))
        .bearer_auth(&demo.token)
        .header("Content-Type", MEDIA)
        .body(body.to_string())
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn documents_fieldsets_includes_and_links() {
    let demo = OutreachDemo::start(OutreachOptions::default())
        .await
        .expect("demo");
    let (st, doc) = get(
        &demo,
        "/mailboxes?page[size]=2&fields[mailbox]=email,user&include=user&fields[user]=firstName",
    )
    .await;
    assert_eq!(st, 200);
    let first = &doc["data"][0];
    assert_eq!(first["type"], "mailbox");
    assert!(first["id"].is_i64(), "ids are integers");
    let attrs = first["attributes"].as_object().expect("attributes");
    assert_eq!(attrs.keys().collect::<Vec<_>>(), vec!["email"]);
    let rels = first["relationships"].as_object().expect("relationships");
    assert_eq!(rels.keys().collect::<Vec<_>>(), vec!["user"]);
    assert_eq!(doc["included"][0]["type"], "user");
    assert_eq!(
        doc["included"][0]["attributes"]
            .as_object()
            .map(|o| o.len()),
        Some(1)
    );
    assert!(doc.get("meta").is_none(), "no count unless count=true");
    let next = doc["links"]["next"].as_str().expect("next");
    assert!(next.contains("page%5Bafter%5D=") || next.contains("page[after]="));
    // Write-only attributes are never served.
    let (_, one) = get(&demo, &format!("/mailboxes/{}", ids::HEALTHY)).await;
    let attrs = one["data"]["attributes"].as_object().expect("attributes");
    for secret in ["password", "smtpPassword", "sendgridApiKey", "validateSend"] {
        assert!(!attrs.contains_key(secret), "{secret}");
    }
    assert!(attrs.contains_key("sendErroredAt") && attrs.contains_key("editable"));
    let (_, counted) = get(&demo, "/mailboxes?count=true").await;
    assert_eq!(
        counted["meta"],
        json!({ "count": 6, "count_truncated": false })
    );
}

#[tokio::test]
async fn bad_requests_get_json_api_errors() {
    let demo = OutreachDemo::start(OutreachOptions::default())
        .await
        .expect("demo");
    let (st, doc) = get(&demo, "/mailboxes?page[size]=5000").await;
    assert_eq!(st, 422);
    assert_eq!(doc["errors"][0]["source"]["parameter"], "page[size]");
    let (st, _) = get(&demo, "/mailboxes?sort=user.lastName").await;
    assert_eq!(st, 422);
    let (st, doc) = get(&demo, "/mailboxes/999999").await;
    assert_eq!(st, 404);
    assert_eq!(doc["errors"][0]["id"], "resourceNotFound");
    let path = format!("/mailboxes/{}", ids::HEALTHY);
    let (st, doc) = patch(
        &demo,
        &path,
        json!({ "data": { "type": "mailbox", "id": ids::HEALTHY, "attributes": { "sendSuccessAt": "2020-01-01T00:00:00.000Z" } } }),
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(
        doc["errors"][0]["source"]["pointer"],
        "/data/attributes/sendSuccessAt"
    );
    let (st, _) = patch(
        &demo,
        &path,
        json!({ "data": { "type": "mailbox", "attributes": { "syncDisabled": true } } }),
    )
    .await;
    assert_eq!(st, 409, "data.id is required");
    let (st, doc) = patch(
        &demo,
        &path,
        json!({ "data": { "type": "mailbox", "id": ids::HEALTHY, "attributes": { "password": "hunter2" } } }),
    )
    .await;
    assert_eq!(st, 200);
    assert!(!doc.to_string().contains("hunter2"));
}
