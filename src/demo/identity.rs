//! `/v1/me` and `/v1/logins`: who the token is (no tenant header needed).

use super::dataset::*;
use super::pipeline::*;
use serde_json::{Value, json};

pub(super) fn login_json(d: &Dataset, k: usize) -> Value {
    let (acc, firm) = if k == 0 {
        (d.me, 0)
    } else {
        (d.client_login, 1)
    };
    let a = &d.accounts[acc];
    let mut v = json!({
        "uuid": d.login_uuids[k], "created_at": ts(a.created_at), "updated_at": ts(a.updated_at),
        "expires_at": null, "has_write_permission": true, "has_delete_permission": k == 0,
        "primary": k == 0, "receives_unread_notifications_email": true, "wealth_enabled": true,
        "goals_enabled": k == 0, "factfind_enabled": true, "tasks_enabled": k == 0, "welcome_enabled": false,
        "first_name": a.first_name, "last_name": a.last_name, "email": a.email,
        "account": d.render_slim_account(acc), "firm": d.render_firm(firm),
    });
    if k == 0 {
        v["preferred_account_uuid"] = json!(a.uuid);
    }
    v
}

pub(super) fn me(d: &Dataset) -> Out {
    let a = &d.accounts[d.me];
    Out::Json(
        200,
        json!({
            "uuid": d.user_uuid, "created_at": ts(a.created_at), "updated_at": ts(a.updated_at),
            "type": "standard", "first_name": a.first_name, "last_name": a.last_name, "name": a.name(),
            "email": a.email, "photo_url": format!("https://eu.ui-avatars.com/api/?name={}+{}", a.first_name, a.last_name),
            "otp_pending": false, "two_factor_type": null, "two_factor_enabled": false, "sms_two_factor_enabled": false,
            "current_login": login_json(d, 0), "current_account": d.render_slim_account(d.me),
        }),
    )
}

pub(super) fn logins(d: &Dataset) -> Out {
    Out::Json(
        200,
        json!({
            "data": [login_json(d, 0), login_json(d, 1)],
            "preferred_account_uuid": d.accounts[d.me].uuid,
        }),
    )
}
