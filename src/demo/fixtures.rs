//! `/__demo/fixtures`: the uuids and names tests look up instead of hard-coding.

use super::Fixtures;
use super::dataset::*;
use super::emails::MsgIncludes;

pub(crate) fn fixtures(d: &Dataset) -> Fixtures {
    let acc = |i: usize| d.accounts[i].uuid.clone();
    let find_thread = |len: u32| {
        d.threads
            .iter()
            .position(|t| t.len == len && t.hostile.is_none())
            .unwrap_or(0)
    };
    let huge = find_thread(super::HUGE_THREAD_LEN);
    let big = find_thread(super::BIG_THREAD_LEN);
    let medium = find_thread(super::MEDIUM_THREAD_LEN);
    let single = d
        .threads
        .iter()
        .position(|t| t.len == 1 && t.hostile.is_none())
        .unwrap_or(0);
    let (att_msg, att) = d
        .threads
        .iter()
        .enumerate()
        .filter(|(_, t)| t.hostile.is_none() && t.len < 60)
        .flat_map(|(t, th)| (0..th.len).map(move |i| (t, i)))
        .find_map(|(t, i)| {
            let v = d.render_message(
                t,
                i,
                "",
                &MsgIncludes {
                    attachments: true,
                    ..Default::default()
                },
            );
            v["attachments"][0]["uuid"]
                .as_str()
                .map(|a| (d.message_uuid(t, i), a.to_string()))
        })
        .unwrap_or_default();
    let hostile_threads: Vec<usize> = (0..d.threads.len())
        .filter(|&t| d.threads[t].hostile.is_some())
        .collect();
    let hostile_of = |h: super::dataset::Hostile| {
        d.threads
            .iter()
            .position(|t| t.hostile == Some(h))
            .map(|t| d.message_uuid(t, 0))
            .unwrap_or_default()
    };
    let joint = (acc(d.clients[0]), acc(d.clients[1]));
    let shared = d
        .details
        .iter()
        .find(|cd| cd.accounts.len() > 1)
        .map(|cd| cd.uuid.clone())
        .unwrap_or_default();
    let rich_client = d.clients[0];
    let conv = |k: usize| d.conversations[k].uuid.clone();
    Fixtures {
        user_uuid: d.user_uuid.clone(),
        employee_account_uuid: acc(d.me),
        client_login_account_uuid: acc(d.client_login),
        firm_uuid: d.firms[0].uuid.clone(),
        mailbox_uuids: d.mailboxes.iter().map(|m| m.uuid.clone()).collect(),
        first_mailbox_uuid: d.mailboxes[0].uuid.clone(),
        disabled_mailbox_uuid: d
            .mailboxes
            .iter()
            .find(|m| !m.enabled)
            .map(|m| m.uuid.clone())
            .unwrap_or_default(),
        employee_uuids: d
            .employees
            .iter()
            .filter(|&&e| e != d.me)
            .map(|&e| acc(e))
            .collect(),
        client_uuids: d.clients.iter().map(|&c| acc(c)).collect(),
        joint_client_uuids: joint,
        shared_contact_detail_uuid: shared,
        client_with_contact_details_uuid: acc(rich_client),
        contact_detail_uuids_of_that_client: d
            .details
            .iter()
            .filter(|cd| cd.accounts.contains(&d.accounts[rich_client].uuid))
            .map(|cd| cd.uuid.clone())
            .collect(),
        huge_thread_client_uuid: acc(d.threads[huge].client),
        huge_thread_len: d.threads[huge].len,
        huge_thread_first_message_uuid: d.message_uuid(huge, 0),
        huge_thread_middle_message_uuid: d.message_uuid(huge, d.threads[huge].len / 2),
        huge_thread_last_message_uuid: d.message_uuid(huge, d.threads[huge].len - 1),
        big_thread_client_uuid: acc(d.threads[big].client),
        big_thread_len: d.threads[big].len,
        big_thread_first_message_uuid: d.message_uuid(big, 0),
        big_thread_middle_message_uuid: d.message_uuid(big, d.threads[big].len / 2),
        big_thread_last_message_uuid: d.message_uuid(big, d.threads[big].len - 1),
        medium_thread_message_uuid: d.message_uuid(medium, d.threads[medium].len / 2),
        single_message_uuid: d.message_uuid(single, 0),
        message_with_attachment_uuid: att_msg,
        attachment_uuid: att,
        hostile_client_uuid: acc(d.hostile_client),
        hostile_message_uuids: hostile_threads
            .iter()
            .map(|&t| d.message_uuid(t, 0))
            .collect(),
        hostile_message_uuid: hostile_of(super::dataset::Hostile::Corpus(0)),
        huge_html_message_uuid: hostile_of(super::dataset::Hostile::HugeHtml),
        nested_html_message_uuid: hostile_of(super::dataset::Hostile::NestedHtml),
        lone_surrogate_message_uuid: hostile_of(super::dataset::Hostile::LoneSurrogate),
        hostile_conversation_uuid: d
            .conversations
            .iter()
            .find(|c| c.hostile)
            .map(|c| c.uuid.clone())
            .unwrap_or_default(),
        conversation_uuids: d.conversations.iter().map(|c| c.uuid.clone()).collect(),
        busiest_conversation_uuid: conv(0),
        empty_conversation_uuid: conv(1),
        pinned_conversation_uuid: conv(2),
        archived_conversation_uuid: conv(3),
    }
}
