//! Test data for the contacts pane (unit and snapshot tests).
use super::*;
use crate::api::Page;
use crate::api::models::{Account, ContactDetail, PhoneMeta};

pub fn acc(u: &str, n: &str) -> Account {
    Account {
        uuid: u.into(),
        name: n.into(),
        kind: "client".into(),
        ..Account::default()
    }
}

pub fn detail(
    uuid: &str,
    kind: &str,
    label: &str,
    value: &str,
    owners: &[&Account],
    primary: &[&Account],
) -> ContactDetail {
    let phone_number_meta = (kind == "phone_number").then(|| PhoneMeta {
        country: "GB".into(),
        formatted: match value {
            "+447700900123" => "07700 900123".into(),
            "+443330903630" => "0333 090 3630".into(),
            v => v
                .strip_prefix("+44")
                .map(|r| format!("0{r}"))
                .unwrap_or_default(),
        },
    });
    ContactDetail {
        uuid: uuid.into(),
        kind: kind.into(),
        name: label.into(),
        value: value.into(),
        phone_number_meta,
        accounts: Some(owners.iter().map(|a| (*a).clone()).collect()),
        primary_accounts: Some(primary.iter().map(|a| (*a).clone()).collect()),
        created_at: "2025-07-17T16:23:26+01:00".into(),
        updated_at: "2025-07-17T16:23:26+01:00".into(),
    }
}

pub fn clients() -> Vec<Account> {
    let names = [
        "Gareth Thompson",
        "Jo Thompson",
        "Priya Natarajan",
        "Oluwaseun Adeyemi-Whitfield",
        "Ann Other",
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut a = acc(&format!("c{}", i + 1), n);
            let first = n.split(' ').next().unwrap_or("").to_lowercase();
            a.primary_email = Some(Box::new(detail(
                "e",
                "email",
                "Personal",
                &format!("{first}@example.co.uk"),
                &[],
                &[],
            )));
            if i % 2 == 0 {
                a.primary_phone_number = Some(Box::new(detail(
                    "p",
                    "phone_number",
                    "Mobile",
                    &format!("+44770090012{i}"),
                    &[],
                    &[],
                )));
            }
            a
        })
        .collect()
}

/// Gareth's details: his email (primary), a household email shared with Jo, two phones.
pub fn details() -> Vec<ContactDetail> {
    let g = acc("c1", "Gareth Thompson");
    let j = acc("c2", "Jo Thompson");
    vec![
        detail(
            "d1",
            "email",
            "Personal",
            "gareth@example.co.uk",
            &[&g],
            &[&g],
        ),
        detail(
            "d2",
            "email",
            "Household",
            "thompsons@example.co.uk",
            &[&g, &j],
            &[&j],
        ),
        detail(
            "d3",
            "phone_number",
            "Mobile",
            "+447700900123",
            &[&g],
            &[&g],
        ),
        detail("d4", "phone_number", "Work", "+443330903630", &[&g], &[]),
    ]
}

/// A pane showing the client list, loaded.
pub fn pane_with_clients(core: &mut Core) -> ContactsPane {
    let mut p = ContactsPane::new(&core.settings);
    p.picker.clients.mark_loading(1, 1);
    p.picker.clients.on_loaded(
        1,
        Page {
            items: clients(),
            has_next: Some(false),
            ..Page::default()
        },
    );
    let _ = core;
    p
}

/// A pane showing Gareth's details.
pub fn pane_with_details(core: &mut Core) -> ContactsPane {
    let mut p = pane_with_clients(core);
    p.client = Some(clients()[0].clone());
    p.view = View::Details;
    p.details.mark_loading(1, 2);
    p.details.on_loaded(
        2,
        Page {
            items: details(),
            has_next: Some(false),
            ..Page::default()
        },
    );
    p
}
