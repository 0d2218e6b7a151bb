//! Word lists and hostile strings the dataset is generated from.

pub(super) const FIRST: &[&str] = &[
    "Oliver",
    "Amelia",
    "George",
    "Isla",
    "Harry",
    "Priya",
    "Jack",
    "Mia",
    "Charlie",
    "Grace",
    "Thomas",
    "Emily",
    "James",
    "Siobhan",
    "William",
    "Olivia",
    "Henry",
    "Lucy",
    "Arthur",
    "Freya",
    "Rajesh",
    "Eilidh",
    "Callum",
    "Cerys",
    "Rhys",
    "Margaret",
    "David",
    "Susan",
    "Kwame",
    "Agnieszka",
];
pub(super) const LAST: &[&str] = &[
    "Thompson",
    "Patel",
    "Hughes",
    "Campbell",
    "Evans",
    "Wright",
    "Robinson",
    "Walker",
    "Khan",
    "O'Brien",
    "MacDonald",
    "Davies",
    "Clarke",
    "Bennett",
    "Fletcher",
    "Holloway",
    "Ashworth",
    "Pemberton",
    "Whitfield",
    "Okafor",
    "Nowak",
    "Jenkins",
    "Harrington",
    "Lloyd",
    "Sinclair",
];
pub(super) const DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "btinternet.com",
    "yahoo.co.uk",
    "hotmail.co.uk",
    "icloud.com",
    "sky.com",
    "virginmedia.com",
];
pub(super) const SUBJECTS: &[&str] = &[
    "Annual review – booking a date",
    "ISA allowance for 2025/26",
    "Pension transfer paperwork",
    "SIPP drawdown options",
    "Inheritance tax planning",
    "Protection review: life cover and critical illness",
    "Remortgage options before your fix ends",
    "Portfolio valuation Q2",
    "Letter of Authority – signed copy",
    "Junior ISA top-up",
    "Attitude to risk questionnaire",
    "Suitability report for your review",
    "Updated fee agreement",
    "Capital gains on the share sale",
    "Onboarding: ID documents",
    "State pension forecast",
    "Lasting power of attorney",
    "Workplace pension consolidation",
    "Bonus sacrifice into pension",
    "Trust for the grandchildren",
];
pub(super) const FUNDS: &[&str] = &[
    "Vanguard LifeStrategy 60% Equity",
    "Fidelity Index World",
    "L&G Global Technology Index",
    "Royal London Short Term Money Market",
    "Baillie Gifford Managed",
    "iShares UK Gilts All Stocks",
    "HSBC FTSE All-Share Index",
];
pub(super) const SENTENCES: &[&str] = &[
    "Thanks for sending the documents over so quickly.",
    "I have attached the latest valuation for your records.",
    "Could you confirm whether you would like to use the remainder of this year's ISA allowance?",
    "Provider charges have come down slightly since our last review.",
    "The transfer value is guaranteed until the end of next month.",
    "Please sign page 4 and return it in the prepaid envelope.",
    "We should revisit your attitude to risk now that retirement is closer.",
    "HMRC confirmed the tax code change, so your next payslip should be correct.",
    "I'll call you on Tuesday afternoon to talk it through.",
    "Nothing needs doing right now, this is just for your information.",
    "Your protection policy renews on the 1st; premiums are unchanged.",
    "Let me know if anything in the suitability report is unclear.",
    "We can move the review to a video call if that is easier.",
    "The platform will take 5–7 working days to complete the switch.",
];
pub(super) const CHAT: &[&str] = &[
    "Morning all — can someone pick up the Patel transfer?",
    "Done, LOA sent to the provider.",
    "Compliance want the file note before Friday.",
    "👍 on it",
    "Client called, happy with the recommendation.",
    "Reminder: team meeting moved to 2pm.",
    "Has anyone chased Aviva on the valuation?",
    "Uploaded the signed fee agreement.",
    "Can we book the annual review for next week?",
    "Paraplanner notes are in the shared folder.",
    "Thanks!",
    "I'll review the suitability report this afternoon.",
    "The platform switch completed this morning.",
];
pub(super) const CONV_NAMES: &[&str] = &[
    "Annual reviews",
    "New business pipeline",
    "Compliance file checks",
    "Pension transfers",
    "Protection cases",
    "Mortgage referrals",
    "Office admin",
    "Paraplanning queue",
    "Client events",
    "Platform migration",
    "IHT planning",
    "Onboarding",
];
pub(super) const TAG_NAMES: &[(&str, &str)] = &[
    ("Mortgage", "#ef4582"),
    ("Pension", "#2f80ed"),
    ("Urgent", "#eb5757"),
    ("Compliance", "#9b51e0"),
    ("Protection", "#27ae60"),
    ("Investments", "#f2994a"),
];

pub(crate) const HOSTILE_CORPUS: &[(&str, &str)] = &[
    (
        "ansi_csi.txt",
        include_str!("../../assets/hostile/ansi_csi.txt"),
    ),
    (
        "osc_title.txt",
        include_str!("../../assets/hostile/osc_title.txt"),
    ),
    (
        "osc52_clipboard.txt",
        include_str!("../../assets/hostile/osc52_clipboard.txt"),
    ),
    ("dcs.txt", include_str!("../../assets/hostile/dcs.txt")),
    (
        "c1_controls.txt",
        include_str!("../../assets/hostile/c1_controls.txt"),
    ),
    ("bidi.txt", include_str!("../../assets/hostile/bidi.txt")),
    (
        "unicode_mix.txt",
        include_str!("../../assets/hostile/unicode_mix.txt"),
    ),
];
pub(crate) const HOSTILE_NAMES: &str = include_str!("../../assets/hostile/names.txt");

pub(crate) fn hostile_name(i: usize) -> &'static str {
    let names: Vec<&'static str> = HOSTILE_NAMES.lines().filter(|l| !l.is_empty()).collect();
    names[i % names.len()]
}

pub(super) fn pick<'a>(rng: &mut fastrand::Rng, xs: &'a [&'a str]) -> &'a str {
    xs[rng.usize(..xs.len())]
}

pub(super) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

pub(crate) fn slugify(s: &str) -> String {
    slug(s)
}
