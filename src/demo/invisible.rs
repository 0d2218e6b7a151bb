//! `--invisible`: the cases of `assets/hostile/invisible.txt` (soft hyphens, Hangul fillers,
//! regional indicators, variation selectors, ZWJ sequences, …) put into the text every pane shows
//! (mailbox names, email subjects, sender and client names, conversation names, contact labels and
//! values), so a test (or a person) can look at each real pane drawn with them.
use super::dataset::Dataset;

/// The corpus, one case a line.
pub(crate) const CORPUS: &str = include_str!("../../assets/hostile/invisible.txt");

fn cases() -> Vec<&'static str> {
    CORPUS.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// Replace the shown text of `d` with the corpus, case after case (cycling).
pub(crate) fn apply(d: &mut Dataset) {
    let cases = cases();
    if cases.is_empty() {
        return;
    }
    let mut next = {
        let mut i = 0usize;
        move || {
            let c = cases[i % cases.len()];
            i += 1;
            c.to_string()
        }
    };
    for m in &mut d.mailboxes {
        m.name = next();
    }
    for t in &mut d.threads {
        t.subject = next();
    }
    // Clients and colleagues: the client list, email senders and recipients, participants.
    for a in &mut d.accounts {
        a.first_name = next();
    }
    for c in &mut d.conversations {
        c.name = next();
    }
    for cd in &mut d.details {
        cd.name = next();
        if cd.meta.is_none() {
            cd.value = next();
        }
    }
}
