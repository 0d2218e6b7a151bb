//! Deterministic, seeded dataset for the demo server.
//!
//! Small, mutable things (accounts, mailboxes, contact details, conversations) are stored as
//! structs. Email messages and conversation messages are *virtual*: a thread stores only its
//! length, time base and owner, and each message is rendered on demand from `(seed, thread, index)`.
//! Message uuids encode `(thread, index)` in their last group and are verified by recomputing
//! them, so lookups need no index and the 10,000-message thread costs a few bytes.

use super::words::*;

/// Placeholder spliced into serialised JSON as a lone surrogate escape (`\ud800`), which
/// serde_json refuses to produce. See `server::finish_json`.
pub(crate) const LONE_SURROGATE_MARKER: &str = "@@DEMO_LONE_SURROGATE@@";

/// Fixed "now" of the dataset: 2025-06-30T17:00:00Z.
pub(crate) const BASE_TS: i64 = 1_751_302_800;

pub const HUGE_THREAD_LEN: u32 = 10_000;
pub const BIG_THREAD_LEN: u32 = 1_500;
pub const MEDIUM_THREAD_LEN: u32 = 50;

// ---------------------------------------------------------------- hashing / ids

pub(crate) fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

pub(crate) fn mix4(seed: u64, tag: u64, a: u64, b: u64) -> u64 {
    mix(mix(mix(seed ^ tag.wrapping_mul(0x1000_0000_01B3)) ^ a) ^ b.rotate_left(17))
}

pub(super) fn uuid_from(h1: u64, h2: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        (h1 >> 32) as u32,
        (h1 >> 16) as u16,
        h1 & 0xfff,
        8 + (h2 >> 62),
        (h2 >> 32) & 0xfff,
        h2 & 0xffff_ffff_ffff
    )
}

/// A uuid whose first three groups are hashed and whose last group carries `payload` (48 bits).
pub(super) fn coded_uuid(seed: u64, tag: u64, payload: u64) -> String {
    let h = mix4(seed, tag, payload, 7);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        (h >> 32) as u32,
        (h >> 16) as u16,
        h & 0xfff,
        8 + ((h >> 12) & 3),
        (h >> 20) & 0xfff,
        payload & 0xffff_ffff_ffff
    )
}

pub(super) fn decode_payload(seed: u64, tag: u64, uuid: &str) -> Option<u64> {
    if uuid.len() != 36 {
        return None;
    }
    let payload = u64::from_str_radix(uuid.get(24..)?, 16).ok()?;
    (coded_uuid(seed, tag, payload) == uuid).then_some(payload)
}

pub(super) const TAG_MSG: u64 = 0x4d53;
pub(super) const TAG_ATT: u64 = 0x4154;
pub(super) const TAG_CMSG: u64 = 0x434d;
pub(super) const TAG_CFILE: u64 = 0x4346;

pub(crate) fn ts(secs: i64) -> String {
    super::server::utc(secs, "+00:00")
}

// ---------------------------------------------------------------- model

#[derive(Clone, Debug)]
pub(crate) struct Firm {
    pub uuid: String,
    pub name: String,
    pub slug: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub uuid: String,
    pub kind: &'static str,
    pub role: &'static str,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm: usize,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Account {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Mailbox {
    pub uuid: String,
    pub name: String,
    pub kind: &'static str,
    pub email: String,
    pub state: &'static str,
    pub enabled: bool,
    pub owner: usize,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PhoneMeta {
    pub country: String,
    pub formatted: String,
}

#[derive(Clone, Debug)]
pub(crate) struct ContactDetail {
    pub uuid: String,
    pub kind: &'static str,
    pub name: String,
    pub value: String,
    pub meta: Option<PhoneMeta>,
    pub accounts: Vec<String>,
    pub primaries: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hostile {
    Corpus(usize),
    HugeHtml,
    NestedHtml,
    LoneSurrogate,
}

#[derive(Clone, Debug)]
pub(crate) struct Thread {
    pub client: usize,
    pub mailbox: usize,
    pub subject: String,
    pub len: u32,
    pub start: i64,
    pub step: i64,
    pub hostile: Option<Hostile>,
    /// Messages with index >= this appear in the client's email list (and, when it is above 0,
    /// the middle one: `len / 2`).
    pub listed_from: u32,
}

impl Thread {
    pub fn msg_ts(&self, i: u32) -> i64 {
        self.start + self.step * i as i64
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Tag {
    pub uuid: String,
    pub name: String,
    pub colour: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Conversation {
    pub uuid: String,
    pub name: String,
    pub participants: Vec<usize>,
    pub is_admin: bool,
    pub pinned: bool,
    pub archived: bool,
    pub tags: Vec<usize>,
    pub messages: u32,
    pub hostile: bool,
    pub start: i64,
    pub step: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Conversation {
    pub fn msg_ts(&self, i: u32) -> i64 {
        self.start + self.step * i as i64
    }
    pub fn latest_ts(&self) -> i64 {
        if self.messages == 0 {
            self.created_at
        } else {
            self.msg_ts(self.messages - 1)
        }
    }
}

pub(crate) struct Dataset {
    pub seed: u64,
    pub user_uuid: String,
    pub firms: Vec<Firm>,
    /// 0 = the caller's employee account; then other employees; then clients; last = the
    /// caller's client account in another firm.
    pub accounts: Vec<Account>,
    pub me: usize,
    pub client_login: usize,
    pub employees: Vec<usize>,
    pub clients: Vec<usize>,
    pub hostile_client: usize,
    pub mailboxes: Vec<Mailbox>,
    pub details: Vec<ContactDetail>,
    pub threads: Vec<Thread>,
    pub tags: Vec<Tag>,
    pub conversations: Vec<Conversation>,
    pub login_uuids: [String; 2],
}

// ---------------------------------------------------------------- generation

impl Dataset {
    pub fn generate(seed: u64) -> Dataset {
        let mut rng = fastrand::Rng::with_seed(mix(seed));
        let mut uuid = {
            let mut r = fastrand::Rng::with_seed(mix(seed ^ 0x5555));
            move || uuid_from(r.u64(..), r.u64(..))
        };
        let firms = vec![
            Firm {
                uuid: uuid(),
                name: "Harbour Wealth".into(),
                slug: "harbour-wealth".into(),
            },
            Firm {
                uuid: uuid(),
                name: "Northgate Family Office".into(),
                slug: "northgate-family-office".into(),
            },
        ];
        let mut accounts = Vec::new();
        let employee_names = [
            ("Sarah", "Mitchell", "owner"),
            ("James", "Okoro", "admin"),
            ("Helen", "Brooks", "member"),
            ("Tom", "Gallagher", "member"),
            ("Anita", "Desai", "member"),
            ("Mark", "Ellison", "member"),
            ("Fiona", "Reid", "member"),
            ("Daniel", "Cho", "member"),
        ];
        let mut employees = Vec::new();
        for (f, l, role) in employee_names {
            employees.push(accounts.len());
            let created = BASE_TS - 86_400 * (400 + rng.i64(0..300));
            accounts.push(Account {
                uuid: uuid(),
                kind: "employee",
                role,
                first_name: f.into(),
                last_name: l.into(),
                email: format!(
                    "{}.{}@harbourwealth.co.uk",
                    f.to_lowercase(),
                    l.to_lowercase()
                ),
                firm: 0,
                created_at: created,
                updated_at: created + 86_400,
            });
        }
        // Clients: 25 regular (5 joint households of 2) + the hostile client.
        let mut clients = Vec::new();
        let mut last_pool: Vec<&str> = LAST.to_vec();
        rng.shuffle(&mut last_pool);
        let mut first_pool: Vec<&str> = FIRST.to_vec();
        rng.shuffle(&mut first_pool);
        for c in 0..25usize {
            let joint = c < 10;
            let last = if joint {
                last_pool[c / 2]
            } else {
                last_pool[c - 5]
            };
            let first = first_pool[c];
            let created = BASE_TS - 86_400 * (30 + rng.i64(0..900));
            clients.push(accounts.len());
            accounts.push(Account {
                uuid: uuid(),
                kind: "client",
                role: if joint { "joint" } else { "individual" },
                first_name: first.into(),
                last_name: last.into(),
                email: format!(
                    "{}.{}@{}",
                    first.to_lowercase(),
                    last.to_lowercase().replace('\'', ""),
                    pick(&mut rng, DOMAINS)
                ),
                firm: 0,
                created_at: created,
                updated_at: created + rng.i64(0..86_400 * 20),
            });
        }
        let hostile_client = accounts.len();
        accounts.push(Account {
            uuid: uuid(),
            kind: "client",
            role: "individual",
            first_name: "Hostile".into(),
            last_name: "Test".into(),
            email: "hostile.test@example.com".into(),
            firm: 0,
            created_at: BASE_TS - 86_400 * 10,
            updated_at: BASE_TS - 86_400 * 10,
        });
        clients.push(hostile_client);
        let client_login = accounts.len();
        accounts.push(Account {
            uuid: uuid(),
            kind: "client",
            role: "individual",
            first_name: "Sarah".into(),
            last_name: "Mitchell".into(),
            email: "sarah.mitchell@harbourwealth.co.uk".into(),
            firm: 1,
            created_at: BASE_TS - 86_400 * 200,
            updated_at: BASE_TS - 86_400 * 200,
        });

        // Contact details.
        let mut details: Vec<ContactDetail> = Vec::new();
        let mut add_detail = |uuid: String,
                              kind: &'static str,
                              name: &str,
                              value: String,
                              owners: Vec<String>,
                              primaries: Vec<String>,
                              t: i64| {
            let meta = if kind == "phone_number" {
                super::contact::phone_meta(&value)
            } else {
                None
            };
            details.push(ContactDetail {
                uuid,
                kind,
                name: name.into(),
                value,
                meta,
                accounts: owners,
                primaries,
                created_at: t,
                updated_at: t,
            });
        };
        for (c, &ai) in clients.iter().enumerate().take(25) {
            let a = accounts[ai].clone();
            let t = a.created_at + 3_600;
            add_detail(
                uuid(),
                "email",
                "Personal email",
                a.email.clone(),
                vec![a.uuid.clone()],
                vec![a.uuid.clone()],
                t,
            );
            if c < 10 && c % 2 == 0 {
                // Shared household email + landline with the partner (c+1).
                let partner = accounts[clients[c + 1]].uuid.clone();
                add_detail(
                    uuid(),
                    "email",
                    "Household email",
                    format!(
                        "the.{}s@{}",
                        a.last_name.to_lowercase().replace('\'', ""),
                        pick(&mut rng, DOMAINS)
                    ),
                    vec![a.uuid.clone(), partner.clone()],
                    vec![],
                    t + 60,
                );
                add_detail(
                    uuid(),
                    "phone_number",
                    "Home landline",
                    format!("+441632960{:03}", rng.u32(0..1000)),
                    vec![a.uuid.clone(), partner.clone()],
                    vec![a.uuid.clone(), partner],
                    t + 120,
                );
            }
            let extra = if c < 10 { 1 } else { rng.usize(0..4) };
            for k in 0..extra {
                match k {
                    0 => add_detail(
                        uuid(),
                        "phone_number",
                        "Mobile",
                        format!("+447700900{:03}", rng.u32(0..1000)),
                        vec![a.uuid.clone()],
                        if c < 10 { vec![] } else { vec![a.uuid.clone()] },
                        t + 180,
                    ),
                    1 => add_detail(
                        uuid(),
                        "email",
                        "Work email",
                        format!(
                            "{}@{}-consulting.co.uk",
                            a.first_name.to_lowercase(),
                            a.last_name.to_lowercase().replace('\'', "")
                        ),
                        vec![a.uuid.clone()],
                        vec![],
                        t + 240,
                    ),
                    _ => add_detail(
                        uuid(),
                        "phone_number",
                        "Work phone",
                        format!("+442079460{:03}", rng.u32(0..1000)),
                        vec![a.uuid.clone()],
                        vec![],
                        t + 300,
                    ),
                }
            }
        }
        {
            let h = accounts[hostile_client].clone();
            add_detail(
                uuid(),
                "email",
                hostile_name(2),
                h.email.clone(),
                vec![h.uuid.clone()],
                vec![h.uuid.clone()],
                h.created_at,
            );
            add_detail(
                uuid(),
                "phone_number",
                hostile_name(1),
                "+447700900666".into(),
                vec![h.uuid.clone()],
                vec![h.uuid.clone()],
                h.created_at,
            );
        }

        let mailboxes = vec![
            (
                "Harbour Wealth enquiries",
                "imap",
                "enquiries@harbourwealth.co.uk",
                "connected",
                true,
                0,
            ),
            (
                "Sarah Mitchell",
                "outlook",
                "sarah.mitchell@harbourwealth.co.uk",
                "syncing",
                true,
                0,
            ),
            (
                "James Okoro (Gmail)",
                "gmail",
                "james.okoro@harbourwealth.co.uk",
                "authenticationError",
                true,
                1,
            ),
            (
                "Old office mailbox",
                "imap",
                "office@harbourwealth.co.uk",
                "disconnected",
                false,
                2,
            ),
            (
                "Paraplanning",
                "outlook",
                "paraplanning@harbourwealth.co.uk",
                "connectError",
                true,
                3,
            ),
        ]
        .into_iter()
        .map(|(name, kind, email, state, enabled, owner)| {
            let created = BASE_TS - 86_400 * (100 + rng.i64(0..200));
            Mailbox {
                uuid: uuid(),
                name: name.into(),
                kind,
                email: email.into(),
                state,
                enabled,
                owner: employees[owner],
                created_at: created,
                updated_at: created + 3_600,
            }
        })
        .collect::<Vec<_>>();

        // Threads. Order matters only for Fixtures (huge threads first).
        let mut threads = Vec::new();
        let mut push_thread = |client: usize,
                               mailbox: usize,
                               subject: String,
                               len: u32,
                               step: i64,
                               hostile: Option<Hostile>,
                               rng: &mut fastrand::Rng| {
            let span = step * len as i64;
            let start = BASE_TS - span - rng.i64(3_600..86_400 * 60);
            threads.push(Thread {
                client,
                mailbox,
                subject,
                len,
                start,
                step,
                hostile,
                listed_from: if len > 60 { len - 8 } else { 0 },
            });
        };
        push_thread(
            clients[11],
            0,
            "Portfolio rebalancing – running thread".into(),
            HUGE_THREAD_LEN,
            900,
            None,
            &mut rng,
        );
        push_thread(
            clients[12],
            1,
            "Pension transfer – ongoing correspondence".into(),
            BIG_THREAD_LEN,
            3_600,
            None,
            &mut rng,
        );
        for k in 0..3 {
            push_thread(
                clients[13 + k],
                k % 2,
                pick(&mut rng, SUBJECTS).into(),
                MEDIUM_THREAD_LEN,
                7_200,
                None,
                &mut rng,
            );
        }
        for &c in clients.iter().take(25) {
            let n = 3 + rng.usize(0..4);
            for k in 0..n {
                let len = if k == 0 { 1 } else { rng.u32(1..=10) };
                let mb = if rng.u8(0..5) == 0 {
                    rng.usize(0..mailboxes.len())
                } else {
                    rng.usize(0..2)
                };
                let step = 3_600 * rng.i64(1..48);
                push_thread(
                    c,
                    mb,
                    pick(&mut rng, SUBJECTS).into(),
                    len,
                    step,
                    None,
                    &mut rng,
                );
            }
        }
        let hostile_kinds = (0..HOSTILE_CORPUS.len()).map(Hostile::Corpus).chain([
            Hostile::HugeHtml,
            Hostile::NestedHtml,
            Hostile::LoneSurrogate,
        ]);
        for (k, h) in hostile_kinds.enumerate() {
            push_thread(
                hostile_client,
                0,
                format!("{} #{k}", hostile_name(k)),
                1 + (k as u32 % 2),
                600,
                Some(h),
                &mut rng,
            );
        }

        let tags = TAG_NAMES
            .iter()
            .map(|(n, c)| Tag {
                uuid: uuid(),
                name: (*n).into(),
                colour: (*c).into(),
            })
            .collect::<Vec<_>>();

        let mut conversations = Vec::new();
        for k in 0..80usize {
            let hostile = k == 79;
            let mut parts = vec![employees[0]];
            for &e in &employees[1..] {
                if rng.u8(0..3) == 0 {
                    parts.push(e);
                }
            }
            if parts.len() == 1 {
                parts.push(employees[1 + rng.usize(0..employees.len() - 1)]);
            }
            let messages = match k {
                0 => 200,
                1 => 0,
                _ if hostile => 12,
                _ => rng.u32(0..=200),
            };
            let name = if hostile {
                format!("Hostile {} chat", hostile_name(2).trim())
            } else {
                format!("{} {}", pick(&mut rng, CONV_NAMES), k + 1)
            };
            let created = BASE_TS - 86_400 * (10 + rng.i64(0..400));
            let step = rng.i64(600..20_000);
            let mut tg = Vec::new();
            for t in 0..tags.len() {
                if rng.u8(0..4) == 0 {
                    tg.push(t);
                }
            }
            conversations.push(Conversation {
                uuid: uuid(),
                name,
                participants: parts,
                is_admin: rng.u8(0..3) != 0,
                pinned: k == 2 || rng.u8(0..8) == 0,
                archived: k == 3 || (k > 3 && rng.u8(0..8) == 0),
                tags: tg,
                messages,
                hostile,
                start: created + 60,
                step,
                created_at: created,
                updated_at: created + 60,
            });
        }

        Dataset {
            seed,
            user_uuid: uuid(),
            login_uuids: [uuid(), uuid()],
            firms,
            accounts,
            me: 0,
            client_login,
            employees,
            clients,
            hostile_client,
            mailboxes,
            details,
            threads,
            tags,
            conversations,
        }
    }

    pub fn account_by_uuid(&self, u: &str) -> Option<usize> {
        self.accounts.iter().position(|a| a.uuid == u)
    }

    // ------------------------------------------------------------ virtual messages

    pub fn message_uuid(&self, t: usize, i: u32) -> String {
        coded_uuid(self.seed, TAG_MSG, ((t as u64) << 32) | i as u64)
    }

    pub fn decode_message(&self, u: &str) -> Option<(usize, u32)> {
        let p = decode_payload(self.seed, TAG_MSG, u)?;
        let (t, i) = ((p >> 32) as usize, (p & 0xffff_ffff) as u32);
        (t < self.threads.len() && i < self.threads[t].len).then_some((t, i))
    }

    pub fn attachment_uuid(&self, t: usize, i: u32, j: u32) -> String {
        coded_uuid(
            self.seed,
            TAG_ATT,
            ((t as u64) << 32) | ((i as u64) << 8) | j as u64,
        )
    }

    pub fn conv_message_uuid(&self, c: usize, i: u32) -> String {
        coded_uuid(self.seed, TAG_CMSG, ((c as u64) << 32) | i as u64)
    }

    pub fn conv_file_uuid(&self, c: usize, i: u32) -> String {
        coded_uuid(self.seed, TAG_CFILE, ((c as u64) << 32) | i as u64)
    }

    /// Finds a downloadable file by uuid: returns (file name, size in bytes).
    pub fn find_file(&self, u: &str) -> Option<(String, usize)> {
        if let Some(p) = decode_payload(self.seed, TAG_ATT, u) {
            let (t, i, j) = (
                (p >> 32) as usize,
                ((p >> 8) & 0xff_ffff) as u32,
                (p & 0xff) as u32,
            );
            if t < self.threads.len() && i < self.threads[t].len {
                let atts = self.attachments_spec(t, i);
                if let Some((name, size)) = atts.get(j as usize) {
                    return Some((name.clone(), *size));
                }
            }
        }
        if let Some(p) = decode_payload(self.seed, TAG_CFILE, u) {
            let (c, i) = ((p >> 32) as usize, (p & 0xffff_ffff) as u32);
            if c < self.conversations.len() && i < self.conversations[c].messages {
                return self.conv_file_spec(c, i);
            }
        }
        None
    }
}

/// A fresh random (v4-shaped) uuid for records created at runtime.
pub(crate) fn random_uuid(rng: &mut fastrand::Rng) -> String {
    uuid_from(rng.u64(..), rng.u64(..))
}
