//! Black-box tests of the demo server over loopback HTTP (reqwest only; no crate::api).

use plannr_tui::demo::{DEMO_TOKEN, DemoOptions, DemoServer, Scripted};
use serde_json::{Value, json};
use std::collections::HashSet;

async fn server() -> DemoServer {
    DemoServer::start(DemoOptions::default())
        .await
        .expect("start demo server")
}

struct C<'a> {
    s: &'a DemoServer,
    http: reqwest::Client,
}

impl<'a> C<'a> {
    fn new(s: &'a DemoServer) -> Self {
        C {
            s,
            http: reqwest::Client::new(),
        }
    }
    fn req(&self, m: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(m, format!("{}{}", self.s.base_url, path))
            .bearer_auth(DEMO_TOKEN)
            .header("X-PLANNR-ACCOUNT-UUID", &self.s.account_uuid)
            .header("Accept", "application/json")
    }
    async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.req(reqwest::Method::GET, path).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
    async fn send(&self, m: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
        let r = self.req(m, path).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn auth_and_tenant_errors() {
    let s = server().await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/mailboxes", s.base_url);
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"message": "Unauthenticated."})
    );
    let r = http.get(&url).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(r.status(), 401);

    // /me and /logins need no tenant header.
    let r = http
        .get(format!("{}/api/v1/logins", s.base_url))
        .bearer_auth(DEMO_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert_eq!(v["data"][0]["firm"]["name"], "Harbour Wealth");
    assert_eq!(v["data"][0]["account"]["type"], "employee");
    assert_eq!(
        v["data"][0]["preferred_account_uuid"],
        s.account_uuid.as_str()
    );
    assert_eq!(v["data"][1]["account"]["type"], "client");
    assert_ne!(v["data"][1]["firm"]["name"], "Harbour Wealth");

    let r = http.get(&url).bearer_auth(DEMO_TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 403, "missing tenant header");
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        "This action is unauthorized."
    );
    let r = http
        .get(&url)
        .bearer_auth(DEMO_TOKEN)
        .header(
            "X-PLANNR-ACCOUNT-UUID",
            "00000000-0000-4000-8000-000000000000",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "unknown tenant");
    let c = C::new(&s);
    assert_eq!(c.get("/api/v1/mailboxes").await.0, 200);
    assert_eq!(c.get("/api/v1/conversation/not-a-uuid").await.0, 404);
    assert_eq!(
        c.get("/api/v1/mailboxes/message/00000000-0000-4000-8000-000000000000")
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn paging_meta_and_clamping() {
    let s = server().await;
    let c = C::new(&s);
    let (st, v) = c
        .get("/api/v1/account?filter[type]=client&per_page=10&page=2")
        .await;
    assert_eq!(st, 200);
    let m = &v["meta"];
    assert_eq!(m["total"], 26);
    assert_eq!(m["per_page"], 10);
    assert_eq!(m["current_page"], 2);
    assert_eq!(m["last_page"], 3);
    assert_eq!(m["from"], 11);
    assert_eq!(m["to"], 20);
    assert_eq!(v["data"].as_array().unwrap().len(), 10);
    assert!(v["links"]["next"].as_str().unwrap().ends_with("page=3"));
    assert!(v["links"]["prev"].as_str().unwrap().ends_with("page=1"));
    let (_, v) = c
        .get("/api/v1/account?filter[type]=client&per_page=10&page=3")
        .await;
    assert_eq!(v["links"]["next"], Value::Null);
    assert_eq!(v["data"].as_array().unwrap().len(), 6);
    let (_, v) = c.get("/api/v1/account?per_page=100000").await;
    assert_eq!(v["meta"]["per_page"], 500);
    let (_, v) = c.get("/api/v1/account?filter[type]=client&page=99").await;
    assert_eq!(v["data"].as_array().unwrap().len(), 0);
    assert_eq!(v["meta"]["from"], Value::Null);
    // default per_page 15, sorted by first_name
    let (_, v) = c.get("/api/v1/account").await;
    assert_eq!(v["meta"]["per_page"], 15);
    let names: Vec<String> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["first_name"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[tokio::test]
async fn bracket_keys_literal_and_percent_encoded() {
    let s = server().await;
    let c = C::new(&s);
    let (_, a) = c
        .get("/api/v1/account?filter[type]=client&filter[name]=TEST")
        .await;
    let (_, b) = c
        .get("/api/v1/account?filter%5Btype%5D=client&filter%5Bname%5D=test")
        .await;
    assert_eq!(a["meta"]["total"], 1);
    assert_eq!(a["data"], b["data"]);
    assert_eq!(
        a["data"][0]["uuid"],
        s.dataset().hostile_client_uuid.as_str()
    );
    let reqs = s.requests();
    let last = reqs.last().unwrap();
    assert_eq!(last.query_get("filter[type]"), Some("client"));
    assert_eq!(
        last.query[0],
        ("filter[type]".to_string(), "client".to_string())
    );
    assert_eq!(
        last.header("x-plannr-account-uuid"),
        Some(s.account_uuid.as_str())
    );
}

/// Walks both sub-paginators from the middle of the 1,500 thread and checks they tile it.
#[tokio::test]
async fn big_thread_pages_tile_exactly() {
    let s = server().await;
    let c = C::new(&s);
    let f = s.dataset();
    let n = f.big_thread_len as usize;
    assert!(n >= 1500);
    let pp = 100usize;
    let mid = &f.big_thread_middle_message_uuid;
    let (st, first) = c
        .get(&format!("/api/v1/mailboxes/message/{mid}?per_page={pp}"))
        .await;
    assert_eq!(st, 200);
    assert_eq!(first["thread_count"], n);
    assert!(first["html"].as_str().is_some());
    let n_anc = first["ancestors"]["meta"]["total"].as_u64().unwrap() as usize;
    let n_desc = first["descendants"]["meta"]["total"].as_u64().unwrap() as usize;
    assert_eq!(n_anc + n_desc + 1, n);

    let mut seen: Vec<(String, String)> = vec![(
        first["message_created_at"].as_str().unwrap().to_string(),
        mid.clone(),
    )];
    for (key, total) in [("ancestors", n_anc), ("descendants", n_desc)] {
        let pages = total.div_ceil(pp);
        assert_eq!(first[key]["meta"]["last_page"], pages);
        let mut prev_ts: Option<String> = None;
        for p in 1..=pages {
            let (st, v) = c
                .get(&format!(
                    "/api/v1/mailboxes/message/{mid}?per_page={pp}&page[{key}]={p}"
                ))
                .await;
            assert_eq!(st, 200);
            let data = v[key]["data"].as_array().unwrap();
            assert_eq!(
                data.len(),
                if p < pages {
                    pp
                } else {
                    total - pp * (pages - 1)
                }
            );
            assert_eq!(v[key]["meta"]["current_page"], p);
            for m in data {
                assert!(m.get("html").is_none(), "thread items carry no html");
                let t = m["message_created_at"].as_str().unwrap().to_string();
                // closest-to-the-opened-message first
                if let Some(pt) = &prev_ts {
                    if key == "ancestors" {
                        assert!(t < *pt)
                    } else {
                        assert!(t > *pt)
                    }
                }
                prev_ts = Some(t.clone());
                seen.push((t, m["uuid"].as_str().unwrap().to_string()));
            }
        }
        // one past the end is empty
        let (_, v) = c
            .get(&format!(
                "/api/v1/mailboxes/message/{mid}?per_page={pp}&page%5B{key}%5D={}",
                pages + 1
            ))
            .await;
        assert_eq!(v[key]["data"].as_array().unwrap().len(), 0);
    }
    let uniq: HashSet<&String> = seen.iter().map(|(_, u)| u).collect();
    assert_eq!(uniq.len(), n, "no overlap, no gap");
    seen.sort();
    assert_eq!(seen.first().unwrap().1, f.big_thread_first_message_uuid);
    assert_eq!(seen.last().unwrap().1, f.big_thread_last_message_uuid);

    // The 10,000 thread opens cheaply at both ends.
    let (st, v) = c
        .get(&format!(
            "/api/v1/mailboxes/message/{}",
            f.huge_thread_last_message_uuid
        ))
        .await;
    assert_eq!(st, 200);
    assert_eq!(v["thread_count"], 10_000);
    assert_eq!(v["ancestors"]["meta"]["total"], 9_999);
    assert_eq!(v["ancestors"]["meta"]["per_page"], 25);
    assert_eq!(v["descendants"]["meta"]["total"], 0);
}

#[tokio::test]
async fn renames_are_visible_and_bump_updated_at() {
    let s = server().await;
    let c = C::new(&s);
    let f = s.dataset();
    let (_, before) = c.get("/api/v1/mailboxes").await;
    let mb = f.first_mailbox_uuid.clone();
    let (st, v) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{mb}"),
            json!({"name": "  Renamed box ", "enabled": false}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(v["name"], "Renamed box");
    assert_eq!(v["enabled"], false);
    // Never "disabled" and connected at once: disabling closes the connection (seed 000).
    assert_eq!(v["state"], "disconnected");
    let (_, v) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{mb}"),
            json!({"enabled": true}),
        )
        .await;
    assert_eq!(
        (v["enabled"].as_bool(), v["state"].as_str()),
        (Some(true), Some("connected"))
    );
    let (_, v) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{mb}"),
            json!({"enabled": false}),
        )
        .await;
    assert_eq!(v["state"], "disconnected");
    let (_, after) = c.get("/api/v1/mailboxes").await;
    assert_eq!(after["data"][0]["name"], "Renamed box");
    assert!(after["data"][0]["updated_at"].as_str() > before["data"][0]["updated_at"].as_str());
    assert!(after["data"][0]["message_count"].as_u64().unwrap() > 0);

    let conv = f.conversation_uuids[5].clone();
    let (st, v) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/conversation/{conv}"),
            json!({"name": "Budget 2026"}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(v["slug"], "budget-2026");
    let (_, list) = c
        .get(&format!(
            "/api/v1/conversation?filter[uuid]={conv}&filter[archived]=with"
        ))
        .await;
    assert_eq!(list["data"][0]["name"], "Budget 2026");

    let (st, v) = c
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/conversation/{conv}/pin"),
            json!({"pin": true}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(v["pinned"], true);
    let (_, list) = c.get("/api/v1/conversation?include=participants&sort=pinned_conversations&filter[archived]=with&per_page=500").await;
    let first_unpinned = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .position(|x| x["pinned"] == false)
        .unwrap();
    assert!(
        list["data"].as_array().unwrap()[first_unpinned..]
            .iter()
            .all(|x| x["pinned"] == false)
    );
    assert!(
        list["data"].as_array().unwrap()[..first_unpinned]
            .iter()
            .any(|x| x["uuid"] == conv.as_str())
    );
}

#[tokio::test]
async fn validation_errors_are_laravel_shaped() {
    let s = server().await;
    let c = C::new(&s);
    let f = s.dataset();
    let (st, v) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{}", f.first_mailbox_uuid),
            json!({"name": "   "}),
        )
        .await;
    assert_eq!(st, 422);
    assert_eq!(v["message"], v["errors"]["name"][0]);
    let (st, _) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{}", f.first_mailbox_uuid),
            json!({"name": "x".repeat(256)}),
        )
        .await;
    assert_eq!(st, 422);
    let (st, v) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{}", f.first_mailbox_uuid),
            json!({}),
        )
        .await;
    assert_eq!(st, 422);
    assert!(v["errors"]["enabled"].is_array());
    let (st, v) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/conversation/{}", f.conversation_uuids[0]),
            json!({"name": ""}),
        )
        .await;
    assert_eq!(st, 422);
    assert_eq!(v["errors"]["name"][0], "The name field is required.");

    // Employee uuid is not a client account.
    let (st, v) = c
        .send(
            reqwest::Method::POST,
            "/api/v2/contact-details",
            json!({"type": "email", "name": "Work", "value": "a@b.co.uk", "account_uuids": [f.employee_account_uuid]}),
        )
        .await;
    assert_eq!(st, 422);
    assert_eq!(
        v["errors"]["account_uuids.0"][0],
        "The selected account_uuids.0 is invalid."
    );
    assert_eq!(v["message"], "The selected account_uuids.0 is invalid.");
    let (st, v) = c
        .send(
            reqwest::Method::POST,
            "/api/v2/contact-details",
            json!({"type": "phone_number", "name": "Mobile", "value": "12345", "account_uuids": [f.client_uuids[3]]}),
        )
        .await;
    assert_eq!(st, 422);
    assert_eq!(
        v["errors"]["value"][0],
        "The value field must be a valid phone number."
    );
    let (st, v) = c
        .send(
            reqwest::Method::POST,
            "/api/v2/contact-details",
            json!({"type": "fax"}),
        )
        .await;
    assert_eq!(st, 422);
    for k in ["type", "name", "value", "account_uuids"] {
        assert!(v["errors"][k].is_array(), "{k} in {v}");
    }
}

#[tokio::test]
async fn contact_details_create_update_and_primaries() {
    let s = server().await;
    let c = C::new(&s);
    let f = s.dataset();
    let client = f.client_with_contact_details_uuid.clone();
    let (_, list) = c.get(&format!("/api/v2/contact-details?filter[account_uuids]={client}&include=accounts,primary_accounts&per_page=100")).await;
    let n = list["data"].as_array().unwrap().len();
    assert!((1..=4).contains(&n));
    assert!(list["data"][0]["accounts"].is_array());
    let shared = &f.shared_contact_detail_uuid;
    let (_, one) = c
        .get(&format!(
            "/api/v2/contact-details?filter[uuid]={shared}&include=accounts"
        ))
        .await;
    assert_eq!(one["data"][0]["accounts"].as_array().unwrap().len(), 2);

    let (st, v) = c
        .send(
            reqwest::Method::POST,
            "/api/v2/contact-details",
            json!({"type": "phone_number", "name": "New mobile", "value": "07700 900 555", "account_uuids": [client], "is_primary": true}),
        )
        .await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["value"], "+447700900555");
    assert_eq!(
        v["phone_number_meta"],
        json!({"country": "GB", "formatted": "07700 900555"})
    );
    let new_uuid = v["uuid"].as_str().unwrap().to_string();
    // It is now the client's only primary phone.
    let (_, acc) = c
        .get(&format!(
            "/api/v1/account?filter[uuid]={client}&include=primary_phone_number,primary_email"
        ))
        .await;
    assert_eq!(
        acc["data"][0]["primary_phone_number"]["uuid"],
        new_uuid.as_str()
    );
    let (_, phones) = c.get(&format!("/api/v2/contact-details?filter[account_uuids]={client}&filter[type]=phone_number&include=primary_accounts")).await;
    let primaries_for_client = phones["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["primary_accounts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["uuid"] == client.as_str())
        })
        .count();
    assert_eq!(primaries_for_client, 1);

    let (st, v) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v2/contact-details/{new_uuid}"),
            json!({"name": "Sydney office", "value": {"country": "AU", "number": "02 3456 7890"}, "account_uuids": [client], "primary_account_uuids": []}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["value"], "+61234567890");
    assert_eq!(v["phone_number_meta"]["country"], "AU");
    // Seed 004's PUT answer: `accounts` (one owner: an object), no `primary_accounts`.
    assert!(v.get("primary_accounts").is_none(), "{v}");
    assert_eq!(v["accounts"]["uuid"], client.as_str());
    assert_eq!(v["type"], "phone_number");
    // A PUT leaving primary_account_uuids out keeps the primaries (the field is optional).
    let (st, _) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v2/contact-details/{new_uuid}"),
            json!({"name": "Sydney", "value": "+61 2 3456 7890", "account_uuids": [client], "primary_account_uuids": [client]}),
        )
        .await;
    assert_eq!(st, 200);
    let (st, _) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v2/contact-details/{new_uuid}"),
            json!({"name": "Sydney 2", "value": "+61 2 3456 7890", "account_uuids": [client]}),
        )
        .await;
    assert_eq!(st, 200);
    let (_, one) = c
        .get(&format!(
            "/api/v2/contact-details?filter[uuid]={new_uuid}&include=primary_accounts"
        ))
        .await;
    assert_eq!(
        one["data"][0]["primary_accounts"][0]["uuid"],
        client.as_str()
    );
    let (st, _) = c
        .send(
            reqwest::Method::PUT,
            "/api/v2/contact-details/00000000-0000-4000-8000-000000000000",
            json!({}),
        )
        .await;
    assert_eq!(st, 404);
}

#[tokio::test]
async fn scripted_responses_are_one_shot_and_recorded() {
    let s = server().await;
    let c = C::new(&s);
    s.script(
        Scripted::status(Some("GET"), Some("/api/v1/mailboxes"), 503)
            .with_header("Retry-After", "7"),
    );
    s.script(Scripted::rate_limited(3));
    let r = c
        .req(reqwest::Method::GET, "/api/v1/mailboxes")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "7");
    let r = c
        .req(reqwest::Method::GET, "/api/v1/conversation")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    assert_eq!(c.get("/api/v1/mailboxes").await.0, 200);
    // Over HTTP too (no auth needed on /__demo).
    let r = reqwest::Client::new()
        .post(format!("{}/__demo/script", s.base_url))
        .json(&json!({"method": "PUT", "status": 500}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(c.get("/api/v1/mailboxes").await.0, 200, "method must match");
    let f = s.dataset();
    let (st, _) = c
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/mailboxes/{}", f.first_mailbox_uuid),
            json!({"enabled": true}),
        )
        .await;
    assert_eq!(st, 500);
    let paths: Vec<String> = s
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(paths[0], "GET /api/v1/mailboxes");
    assert_eq!(paths[1], "GET /api/v1/conversation");
    assert_eq!(paths.len(), 6);
    assert_eq!(s.requests()[5].body, Some(json!({"enabled": true})));
    s.clear_requests();
    assert!(s.requests().is_empty());
    let fx: Value = reqwest::get(format!("{}/__demo/fixtures", s.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fx["employee_account_uuid"], s.account_uuid.as_str());
    let log: Value = reqwest::get(format!("{}/__demo/requests", s.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["path"], "/__demo/fixtures");
}

#[tokio::test]
async fn fail_rate_one_always_fails() {
    let s = DemoServer::start(DemoOptions {
        fail_rate: 1.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let c = C::new(&s);
    for _ in 0..10 {
        let (st, v) = c.get("/api/v1/mailboxes").await;
        assert!(st == 500 || st == 503, "{st}");
        assert!(v["message"].is_string());
    }
}

#[tokio::test]
async fn dataset_is_deterministic_per_seed() {
    async fn snapshot(seed: u64) -> (plannr_tui::demo::Fixtures, String) {
        let s = DemoServer::start(DemoOptions {
            seed,
            ..Default::default()
        })
        .await
        .unwrap();
        let c = C::new(&s);
        let f = s.dataset();
        let mut out = String::new();
        for p in [
            format!(
                "/api/v1/client/{}/emails?include=mailbox,participants,attachments&per_page=50",
                f.client_uuids[4]
            ),
            "/api/v1/conversation?include=participants,latest_message,messages_count,tags"
                .to_string(),
            "/api/v2/contact-details?include=accounts&per_page=500".to_string(),
            format!(
                "/api/v1/mailboxes/message/{}",
                f.big_thread_middle_message_uuid
            ),
        ] {
            out.push_str(&c.get(&p).await.1.to_string().replace(&s.base_url, "BASE"));
        }
        (f, out)
    }
    let a = snapshot(7).await;
    let b = snapshot(7).await;
    let other = snapshot(8).await;
    assert_eq!(a.0, b.0);
    assert_eq!(a.1, b.1);
    assert_ne!(a.0.client_uuids, other.0.client_uuids);
    assert_ne!(a.1, other.1);
}

#[tokio::test]
async fn client_emails_filters_and_includes() {
    let s = server().await;
    let c = C::new(&s);
    let f = s.dataset();
    let mut total = 0;
    // The hostile client's list carries a lone-surrogate escape serde_json rejects; skip it here.
    for cl in f
        .client_uuids
        .iter()
        .filter(|u| **u != f.hostile_client_uuid)
    {
        let (st, v) = c.get(&format!("/api/v1/client/{cl}/emails")).await;
        assert_eq!(st, 200);
        total += v["meta"]["total"].as_u64().unwrap();
        if let Some(m) = v["data"].as_array().unwrap().first() {
            assert!(
                m.get("mailbox").is_none()
                    && m.get("participants").is_none()
                    && m.get("html").is_none()
            );
        }
    }
    assert!(total >= 300, "{total}");
    let cl = &f.big_thread_client_uuid;
    let (_, v) = c
        .get(&format!(
            "/api/v1/client/{cl}/emails?include=mailbox,participants&per_page=500"
        ))
        .await;
    let data = v["data"].as_array().unwrap();
    assert!(
        data[0]["mailbox"]["uuid"].is_string() && data[0]["participants"][0]["type"].is_string()
    );
    let times: Vec<&str> = data
        .iter()
        .map(|m| m["message_created_at"].as_str().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "default newest first"
    );
    let (_, inc) = c
        .get(&format!(
            "/api/v1/client/{cl}/emails?filter[incoming]=true&per_page=500"
        ))
        .await;
    let (_, out) = c
        .get(&format!(
            "/api/v1/client/{cl}/emails?filter%5Bincoming%5D=0&per_page=500"
        ))
        .await;
    assert_eq!(
        inc["meta"]["total"].as_u64().unwrap() + out["meta"]["total"].as_u64().unwrap(),
        data.len() as u64
    );
    assert!(
        inc["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["incoming"] == true)
    );
    let u = data[1]["uuid"].as_str().unwrap();
    let (_, one) = c
        .get(&format!("/api/v1/client/{cl}/emails?filter[uuid]={u}"))
        .await;
    assert_eq!(one["meta"]["total"], 1);
    let (_, srch) = c
        .get(&format!(
            "/api/v1/client/{cl}/emails?search=KIND%20REGARDS&per_page=500"
        ))
        .await;
    assert!(srch["meta"]["total"].as_u64().unwrap() > 0);
    let (_, none) = c
        .get(&format!("/api/v1/client/{cl}/emails?search=zzqqxx"))
        .await;
    assert_eq!(none["meta"]["total"], 0);
    assert_eq!(
        c.get(&format!("/api/v1/client/{cl}/emails?include=bogus"))
            .await
            .0,
        400
    );
    assert_eq!(
        c.get(&format!(
            "/api/v1/client/{}/emails",
            f.employee_account_uuid
        ))
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn hostile_content_and_files() {
    let s = server().await;
    let c = C::new(&s);
    let f = s.dataset();
    let raw = c
        .req(
            reqwest::Method::GET,
            &format!(
                "/api/v1/mailboxes/message/{}",
                f.lone_surrogate_message_uuid
            ),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(raw.contains("\\ud800"), "raw lone surrogate escape present");
    assert!(
        serde_json::from_str::<Value>(&raw).is_err(),
        "strict decoders reject it"
    );
    let (st, list) = c
        .get(&format!(
            "/api/v1/client/{}/emails?per_page=100",
            f.hostile_client_uuid
        ))
        .await;
    assert_eq!((st, list), (200, Value::Null), "the list carries it too");
    let (_, v) = c
        .get(&format!(
            "/api/v1/mailboxes/message/{}",
            f.hostile_message_uuid
        ))
        .await;
    assert!(v["text"].as_str().unwrap().contains('\u{1b}'));
    let (_, v) = c
        .get(&format!(
            "/api/v1/mailboxes/message/{}",
            f.huge_html_message_uuid
        ))
        .await;
    assert!(v["html"].as_str().unwrap().len() >= 2_000_000);
    let (_, v) = c
        .get(&format!(
            "/api/v1/mailboxes/message/{}",
            f.nested_html_message_uuid
        ))
        .await;
    assert!(v["html"].as_str().unwrap().matches("<div>").count() >= 10_000);
    let (_, v) = c
        .get(&format!(
            "/api/v1/conversation/{}/messages?per_page=50",
            f.hostile_conversation_uuid
        ))
        .await;
    assert!(
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["contents"].as_str().unwrap().contains("\u{1b}]52;"))
    );

    let (_, m) = c
        .get(&format!(
            "/api/v1/mailboxes/message/{}",
            f.message_with_attachment_uuid
        ))
        .await;
    let att = &m["attachments"][0];
    assert_eq!(att["uuid"], f.attachment_uuid.as_str());
    let url = att["download_url"].as_str().unwrap();
    assert!(url.starts_with(&s.base_url));
    assert_eq!(reqwest::get(url).await.unwrap().status(), 401);
    let bytes = c
        .http
        .get(url)
        .bearer_auth(DEMO_TOKEN)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.len().to_string(), att["size"].as_str().unwrap());
}

#[tokio::test]
async fn conversations_list_show_messages() {
    let s = server().await;
    let c = C::new(&s);
    let f = s.dataset();
    let (_, active) = c.get("/api/v1/conversation?per_page=500").await;
    let (_, only) = c
        .get("/api/v1/conversation?filter[archived]=only&per_page=500")
        .await;
    let (_, with) = c
        .get("/api/v1/conversation?filter[archived]=with&per_page=500")
        .await;
    assert_eq!(with["meta"]["total"], 80);
    assert_eq!(
        active["meta"]["total"].as_u64().unwrap() + only["meta"]["total"].as_u64().unwrap(),
        80
    );
    assert!(
        only["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["uuid"] == f.archived_conversation_uuid.as_str())
    );
    assert!(
        active["data"][0].get("pinned").is_none(),
        "pinned only with participants"
    );
    let (_, v) = c.get(&format!("/api/v1/conversation/{}?include=messages_count,latest_message,files_count,tags,participants_count", f.busiest_conversation_uuid)).await;
    assert_eq!(v["messages_count"], 200);
    let (_, msgs) = c
        .get(&format!(
            "/api/v1/conversation/{}/messages",
            f.busiest_conversation_uuid
        ))
        .await;
    assert_eq!(msgs["meta"]["per_page"], 30);
    assert_eq!(msgs["meta"]["last_page"], 7);
    assert_eq!(
        msgs["data"][0]["uuid"], v["latest_message"]["uuid"],
        "newest first"
    );
    let (_, asc) = c
        .get(&format!(
            "/api/v1/conversation/{}/messages?sort=created_at&per_page=500",
            f.busiest_conversation_uuid
        ))
        .await;
    assert_eq!(
        asc["data"].as_array().unwrap().last().unwrap()["uuid"],
        v["latest_message"]["uuid"]
    );
    let (_, e) = c
        .get(&format!(
            "/api/v1/conversation/{}/messages",
            f.empty_conversation_uuid
        ))
        .await;
    assert_eq!(e["meta"]["total"], 0);
}

#[tokio::test]
async fn latency_option_delays_responses() {
    let s = DemoServer::start(DemoOptions {
        latency_ms: 80,
        ..Default::default()
    })
    .await
    .unwrap();
    let c = C::new(&s);
    let t = std::time::Instant::now();
    assert_eq!(c.get("/api/v1/me").await.0, 200);
    assert!(t.elapsed() >= std::time::Duration::from_millis(80));
}

#[tokio::test]
async fn thread_page_order_switches_put_the_thread_ends_on_page_one() {
    let s = DemoServer::start(DemoOptions {
        ancestor_pages: plannr_tui::demo::PageOrder::OldestFirst,
        descendant_pages: plannr_tui::demo::PageOrder::NewestFirst,
        ..DemoOptions::default()
    })
    .await
    .expect("start demo server");
    let c = C::new(&s);
    let f = s.fixtures().clone();
    let mid = &f.big_thread_middle_message_uuid;
    let (st, v) = c
        .get(&format!("/api/v1/mailboxes/message/{mid}?per_page=10"))
        .await;
    assert_eq!(st, 200);
    let first = |key: &str| v[key]["data"][0]["uuid"].as_str().map(str::to_string);
    assert_eq!(
        first("ancestors"),
        Some(f.big_thread_first_message_uuid.clone())
    );
    assert_eq!(
        first("descendants"),
        Some(f.big_thread_last_message_uuid.clone())
    );
    let times = |key: &str| -> Vec<String> {
        v[key]["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|m| m["message_created_at"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let anc = times("ancestors");
    assert!(anc.windows(2).all(|w| w[0] < w[1]), "oldest first");
    let desc = times("descendants");
    assert!(desc.windows(2).all(|w| w[0] > w[1]), "newest first");
    // The last ancestors page ends just before the opened message.
    let last = v["ancestors"]["meta"]["last_page"]
        .as_u64()
        .expect("last_page");
    let (_, w) = c
        .get(&format!(
            "/api/v1/mailboxes/message/{mid}?per_page=10&page[ancestors]={last}"
        ))
        .await;
    let data = w["ancestors"]["data"].as_array().expect("data");
    let newest = data
        .iter()
        .filter_map(|m| m["message_created_at"].as_str())
        .max()
        .expect("a message");
    assert!(newest < v["message_created_at"].as_str().expect("opened"));
}

/// Every example answer of the vendors' pages (`../shared/seeds/`) is served byte for byte for the
/// request the page documents, on the record uuid the example carries.
#[tokio::test]
async fn seed_examples_are_served_byte_for_byte() {
    use plannr_tui::demo::seeds;
    let s = server().await;
    let c = C::new(&s);
    for (method, path, body, want) in [
        (
            reqwest::Method::PUT,
            format!("/api/v1/mailboxes/{}", seeds::MAILBOX_UUID),
            json!({"enabled": true}),
            seeds::MAILBOX_PUT,
        ),
        (
            reqwest::Method::GET,
            format!("/api/v1/mailboxes/message/{}", seeds::MESSAGE_UUID),
            Value::Null,
            seeds::MESSAGE_SHOW,
        ),
        (
            reqwest::Method::PUT,
            format!("/api/v1/conversation/{}", seeds::CONVERSATION_UUID),
            json!({"name": "Annual Review"}),
            seeds::CONVERSATION_PUT,
        ),
        (
            reqwest::Method::PUT,
            format!("/api/v2/contact-details/{}", seeds::CONTACT_DETAIL_UUID),
            json!({"name": "Work phone number", "value": "+44751488454", "account_uuids": ["ca4c0830-f7f6-4377-ad59-166dd85ae95d"]}),
            seeds::CONTACT_DETAIL_PUT,
        ),
    ] {
        let mut rb = c.req(method.clone(), &path);
        if !body.is_null() {
            rb = rb.json(&body);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{method} {path}");
        let bytes = r.bytes().await.unwrap();
        assert_eq!(
            std::str::from_utf8(&bytes).unwrap(),
            want,
            "{method} {path}"
        );
    }
    // And each file is exactly the example printed on its page.
    for (file, served) in [
        ("000_ae934f84632b8dfd.txt", seeds::MAILBOX_PUT),
        ("001_7b028fc098583772.txt", seeds::MESSAGE_SHOW),
        ("002_5a1a275516eafe77.txt", seeds::CONVERSATION_PUT),
        ("004_06cceeb03b9be54c.txt", seeds::CONTACT_DETAIL_PUT),
    ] {
        // The seed pages live beside the project (main checkout or a worktree under wt/).
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let Some(page) = ["../shared/seeds", "../../shared/seeds"]
            .iter()
            .find_map(|d| std::fs::read_to_string(root.join(d).join(file)).ok())
        else {
            continue;
        };
        assert!(
            page.contains(served),
            "{file}: the served bytes are on the page"
        );
    }
}
