//! Email messages: a thread (`/v1/mailboxes/message/{uuid}`), a client's emails, and how each
//! virtual message renders (bodies, attachments, hostile variants).

use super::RecordedRequest;
use super::dataset::*;
use super::pipeline::*;
use super::query::*;
use super::words::*;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The opened message plus its thread. The docs do not say which end of each sub-list page 1
/// holds; by default it is the end **closest to the opened message**: `ancestors` page 1 holds
/// the `per_page` messages immediately before it (newest→oldest), page 2 goes further back;
/// `descendants` page 1 holds the ones immediately after it (oldest→newest). `--ancestor-pages
/// oldest-first` makes ancestors page 1 the thread's start (oldest→newest), `--descendant-pages
/// newest-first` makes descendants page 1 the thread's end (newest→oldest). Clients should
/// still sort by `message_created_at` (the docs do not promise an order).
pub(super) fn show_message(
    d: &Dataset,
    r: &RecordedRequest,
    u: &str,
    base: &str,
    opts: &super::DemoOptions,
) -> Res {
    use super::PageOrder;
    let (t, i) = d.decode_message(u).ok_or_else(not_found)?;
    let th = &d.threads[t];
    let path = format!("/api/v1/mailboxes/message/{u}");
    let mut v = d.render_message(t, i, base, &MsgIncludes::all());
    let sub = MsgIncludes {
        participants: true,
        attachments: true,
        ..MsgIncludes::default()
    };
    let (pa, pp) = page_args(r, "page[ancestors]", 25);
    let n_anc = i as usize;
    // k-th ancestor in page order → message index.
    let anc_at = |k: usize| match opts.ancestor_pages {
        PageOrder::NewestFirst => i - 1 - k as u32,
        PageOrder::OldestFirst => k as u32,
    };
    let anc: Vec<Value> = page_range(pa, pp, n_anc)
        .map(|k| d.render_message(t, anc_at(k), base, &sub))
        .collect();
    let (pd, _) = page_args(r, "page[descendants]", 25);
    let n_desc = (th.len - 1 - i) as usize;
    let desc_at = |k: usize| match opts.descendant_pages {
        PageOrder::OldestFirst => i + 1 + k as u32,
        PageOrder::NewestFirst => th.len - 1 - k as u32,
    };
    let desc: Vec<Value> = page_range(pd, pp, n_desc)
        .map(|k| d.render_message(t, desc_at(k), base, &sub))
        .collect();
    let mut ancestors = paginator(base, &path, "page[ancestors]", pa, pp, n_anc, anc);
    let mut descendants = paginator(base, &path, "page[descendants]", pd, pp, n_desc, desc);
    if opts.bare_arrays {
        // Misbehave: each half as a bare array of its page, no `meta` or `links`.
        ancestors = ancestors["data"].take();
        descendants = descendants["data"].take();
    }
    v["ancestors"] = ancestors;
    v["descendants"] = descendants;
    Ok(Out::Json(200, v))
}

pub(super) fn client_emails(d: &Dataset, r: &RecordedRequest, u: &str, base: &str) -> Res {
    let ci = d
        .account_by_uuid(u)
        .filter(|&a| d.accounts[a].kind == "client" && d.accounts[a].firm == 0)
        .ok_or_else(not_found)?;
    let inc = includes(r, &["firm", "mailbox", "participants", "attachments"])?;
    check_filters(r, &["incoming", "uuid"])?;
    let (_, desc) = sort_arg(
        r,
        &["created_at", "updated_at", "message_created_at"],
        "-message_created_at",
    )?;
    // All three sort fields are monotonic in the send time.
    let incoming = match filter(r, "incoming") {
        None | Some("") => None,
        Some(v) => Some(parse_bool(v).ok_or_else(|| {
            invalid(vec![(
                "filter.incoming".into(),
                "The filter.incoming field must be true or false.".into(),
            )])
        })?),
    };
    let uuids: Option<HashSet<(usize, u32)>> =
        filter(r, "uuid").map(|v| csv(v).iter().filter_map(|x| d.decode_message(x)).collect());
    let search = r
        .query_get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let probe = MsgIncludes {
        participants: true,
        ..MsgIncludes::default()
    };
    let mut entries: Vec<(i64, usize, u32)> = Vec::new();
    for (t, th) in d
        .threads
        .iter()
        .enumerate()
        .filter(|(_, th)| th.client == ci)
    {
        // A long thread lists its last few messages and the one in its middle, so it can be
        // opened in the middle from the list (issue 13's test of g/G and the gaps).
        let middle = (th.listed_from > 0).then_some(th.len / 2);
        for i in middle.into_iter().chain(th.listed_from..th.len) {
            if uuids.as_ref().is_some_and(|set| !set.contains(&(t, i))) {
                continue;
            }
            if incoming.is_some() || search.is_some() {
                let m = d.render_message(t, i, base, &probe);
                if incoming.is_some_and(|inc| m["incoming"] != json!(inc)) {
                    continue;
                }
                if search.as_ref().is_some_and(|q| !message_matches(&m, q)) {
                    continue;
                }
            }
            entries.push((th.msg_ts(i), t, i));
        }
    }
    entries.sort();
    if desc {
        entries.reverse();
    }
    let (page, pp) = page_args(r, "page", 15);
    let mi = MsgIncludes {
        html: false,
        mailbox: inc.contains("mailbox"),
        participants: inc.contains("participants"),
        attachments: inc.contains("attachments"),
        firm: inc.contains("firm"),
    };
    let data = entries[page_range(page, pp, entries.len())]
        .iter()
        .map(|&(_, t, i)| d.render_message(t, i, base, &mi))
        .collect();
    Ok(Out::Json(
        200,
        paginator(
            base,
            &format!("/api/v1/client/{u}/emails"),
            "page",
            page,
            pp,
            entries.len(),
            data,
        ),
    ))
}

pub(super) fn message_matches(m: &Value, q: &str) -> bool {
    let has = |v: &Value| v.as_str().is_some_and(|s| s.to_lowercase().contains(q));
    has(&m["subject"])
        || has(&m["text"])
        || m["participants"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| has(&p["name"]) || has(&p["email"])))
}

impl Dataset {
    pub(super) fn msg_rng(&self, t: usize, i: u32) -> fastrand::Rng {
        fastrand::Rng::with_seed(mix4(self.seed, TAG_MSG, t as u64, i as u64))
    }

    pub(super) fn attachments_spec(&self, t: usize, i: u32) -> Vec<(String, usize)> {
        let mut rng = self.msg_rng(t, i ^ 0xA77A_0000);
        if self.threads[t].hostile.is_some() {
            return if i == 0 {
                vec![(format!("{}.pdf", hostile_name(1).trim()), 2048)]
            } else {
                vec![]
            };
        }
        let n = match rng.u8(0..10) {
            0..=5 => 0,
            6..=8 => 1,
            _ => 2,
        };
        (0..n)
            .map(|_| {
                let (stem, ext) = [
                    ("Valuation", "pdf"),
                    ("Suitability report", "pdf"),
                    ("Fee agreement", "docx"),
                    ("Cashflow model", "xlsx"),
                    ("Passport scan", "jpg"),
                    ("Letter of Authority", "pdf"),
                ][rng.usize(0..6)];
                (
                    format!("{stem} {}.{ext}", 2020 + rng.u32(0..6)),
                    rng.usize(2_000..400_000),
                )
            })
            .collect()
    }

    /// Renders one email message. `html`: include the html body; includes are the list
    /// `include=` flags (the show endpoint passes all true).
    pub fn render_message(&self, t: usize, i: u32, base_url: &str, inc: &MsgIncludes) -> Value {
        let th = &self.threads[t];
        let mut rng = self.msg_rng(t, i);
        let client = &self.accounts[th.client];
        let mb = &self.mailboxes[th.mailbox];
        let adviser = &self.accounts[mb.owner];
        let incoming = if i == 0 { true } else { rng.bool() };
        let subject = if i == 0 {
            th.subject.clone()
        } else {
            format!("Re: {}", th.subject)
        };
        let sent = th.msg_ts(i);
        let (text, html) = self.bodies(t, i, incoming, &mut rng);
        let mut o = serde_json::Map::new();
        o.insert("uuid".into(), json!(self.message_uuid(t, i)));
        o.insert("created_at".into(), json!(ts(sent + 60)));
        o.insert("updated_at".into(), json!(ts(sent + 60)));
        o.insert("message_created_at".into(), json!(ts(sent)));
        o.insert("subject".into(), json!(subject));
        o.insert("incoming".into(), json!(incoming));
        o.insert("text".into(), json!(text));
        if inc.html {
            o.insert("html".into(), json!(html));
        }
        o.insert("thread_count".into(), json!(th.len));
        if inc.participants {
            let client_p = (client.name(), client.email.clone());
            let adv_p = if mb.email.starts_with(&adviser.first_name.to_lowercase()) {
                (adviser.name(), mb.email.clone())
            } else {
                (
                    format!("{} ({})", adviser.name(), mb.name),
                    mb.email.clone(),
                )
            };
            let (from, to) = if incoming {
                (client_p, adv_p)
            } else {
                (adv_p, client_p)
            };
            let mut ps = vec![
                json!({"type":"from","name":from.0,"email":from.1}),
                json!({"type":"to","name":to.0,"email":to.1}),
            ];
            if rng.u8(0..4) == 0 {
                let e = &self.accounts[self.employees[2]];
                ps.push(json!({"type":"cc","name":e.name(),"email":e.email}));
            }
            if !incoming && rng.u8(0..6) == 0 {
                ps.push(json!({"type":"bcc","name":"Harbour Wealth archive","email":"archive@harbourwealth.co.uk"}));
            }
            o.insert("participants".into(), Value::Array(ps));
        }
        if inc.attachments {
            let atts = self
                .attachments_spec(t, i)
                .into_iter()
                .enumerate()
                .map(|(j, (name, size))| {
                    let u = self.attachment_uuid(t, i, j as u32);
                    let ext = name.rsplit('.').next().unwrap_or("bin").to_string();
                    json!({
                        "uuid": u, "name": name, "size": size.to_string(), "status": "uploaded",
                        "extension": ext, "type": mime_for(&ext),
                        "download_url": format!("{base_url}/__demo/files/{u}"),
                    })
                })
                .collect();
            o.insert("attachments".into(), Value::Array(atts));
        }
        if inc.mailbox {
            o.insert("mailbox".into(), self.render_mailbox(th.mailbox));
        }
        if inc.firm {
            o.insert("firm".into(), self.render_firm(0));
        }
        Value::Object(o)
    }

    pub(super) fn bodies(
        &self,
        t: usize,
        i: u32,
        incoming: bool,
        rng: &mut fastrand::Rng,
    ) -> (String, String) {
        let th = &self.threads[t];
        if let Some(h) = th.hostile {
            return hostile_bodies(h, i);
        }
        let client = &self.accounts[th.client];
        let adviser = &self.accounts[self.mailboxes[th.mailbox].owner];
        let (greet, sign) = if incoming {
            (adviser.first_name.as_str(), client.first_name.as_str())
        } else {
            (client.first_name.as_str(), adviser.first_name.as_str())
        };
        let n = 1 + rng.usize(0..3);
        let paras: Vec<&str> = (0..n).map(|_| pick(rng, SENTENCES)).collect();
        let mut text = format!("Hi {greet},\n\n{}\n", paras.join("\n\n"));
        let mut html = format!(
            "<html><body><p>Hi {greet},</p>{}",
            paras
                .iter()
                .map(|p| format!("<p>{p}</p>"))
                .collect::<String>()
        );
        if !incoming && rng.u8(0..3) == 0 {
            let rows: Vec<(&str, u32)> = (0..3)
                .map(|_| (pick(rng, FUNDS), rng.u32(2_000..250_000)))
                .collect();
            html.push_str("<table border=\"1\" cellpadding=\"4\"><thead><tr><th>Fund</th><th>Value</th></tr></thead><tbody>");
            text.push_str("\nFund | Value\n");
            for (f, v) in &rows {
                html.push_str(&format!("<tr><td>{f}</td><td>£{v}.00</td></tr>"));
                text.push_str(&format!("{f} | £{v}.00\n"));
            }
            html.push_str("</tbody></table>");
        }
        if rng.u8(0..4) == 0 {
            html.push_str("<p>Details are on our <a href=\"https://www.harbourwealth.co.uk/reviews\">reviews page</a>.</p>");
            text.push_str(
                "\nDetails are on our reviews page: https://www.harbourwealth.co.uk/reviews\n",
            );
        }
        html.push_str(&format!("<p>Kind regards,<br>{sign}</p>"));
        text.push_str(&format!("\nKind regards,\n{sign}\n"));
        if !incoming {
            html.push_str(
                "<p><img src=\"cid:logo@harbourwealth\" alt=\"Harbour Wealth\" width=\"120\"></p>",
            );
            html.push_str("<p style=\"font-size:9px;color:#888\">Harbour Wealth Ltd is authorised and regulated by the Financial Conduct Authority.</p>");
            text.push_str("\nHarbour Wealth Ltd is authorised and regulated by the Financial Conduct Authority.\n");
        }
        if i > 0 {
            let prev = pick(&mut self.msg_rng(t, i - 1), SENTENCES);
            let when = ts(th.msg_ts(i - 1));
            html.push_str(&format!(
                "<div class=\"gmail_quote\">On {when} wrote:<blockquote>{prev}</blockquote></div>"
            ));
            text.push_str(&format!("\nOn {when} wrote:\n> {prev}\n"));
        }
        html.push_str("</body></html>");
        (text, html)
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MsgIncludes {
    pub html: bool,
    pub mailbox: bool,
    pub participants: bool,
    pub attachments: bool,
    pub firm: bool,
}

impl MsgIncludes {
    pub fn all() -> Self {
        MsgIncludes {
            html: true,
            mailbox: true,
            participants: true,
            attachments: true,
            firm: true,
        }
    }
}

pub(crate) fn mime_for(ext: &str) -> &'static str {
    match ext {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "jpg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// ~2 MB HTML body, built once on first use.
pub(super) fn huge_html() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        let mut s = String::with_capacity(2_100_000);
        s.push_str("<html><body><h1>Very large statement</h1><table>");
        let mut k = 0u32;
        while s.len() < 2_000_000 {
            s.push_str(&format!(
                "<tr><td>{k}</td><td>Transaction reference HW-{k:07}</td><td>£{}.{:02}</td></tr>",
                k * 37 % 100_000,
                k % 100
            ));
            k += 1;
        }
        s.push_str("</table></body></html>");
        s
    })
}

pub(super) fn nested_html() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        let mut s = String::with_capacity(120_000);
        s.push_str("<html><body>");
        for _ in 0..10_000 {
            s.push_str("<div>");
        }
        s.push_str("deeply nested");
        for _ in 0..10_000 {
            s.push_str("</div>");
        }
        s.push_str("</body></html>");
        s
    })
}

pub(super) fn hostile_bodies(h: Hostile, i: u32) -> (String, String) {
    match h {
        Hostile::Corpus(k) => {
            let (name, body) = HOSTILE_CORPUS[k];
            let text = format!("[{name} part {i}]\n{body}");
            let html = format!(
                "<html><body><p title=\"{}\">{}</p><blockquote>{}</blockquote></body></html>",
                hostile_name(k),
                body.replace('\n', "<br>"),
                body
            );
            (text, html)
        }
        Hostile::HugeHtml => (
            "This message has a ~2 MB HTML body.".into(),
            huge_html().to_string(),
        ),
        Hostile::NestedHtml => (
            "This message has 10,000 nested <div> elements.".into(),
            nested_html().to_string(),
        ),
        Hostile::LoneSurrogate => (
            format!("Lone surrogate here -> {LONE_SURROGATE_MARKER} <- end"),
            format!(
                "<p>Lone surrogate in text only; html is clean. {}</p>",
                "\u{FFFD}"
            ),
        ),
    }
}
