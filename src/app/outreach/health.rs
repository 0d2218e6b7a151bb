//! A mailbox's send and sync health in words, derived from its timestamps (Outreach has no
//! health field): an error newer than the last success means failing; disabled wins over both.
use crate::api::outreach::{Known, Mailbox};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    /// Works, but not lately (no success in a day).
    Stale,
    Bad,
    Muted,
}

/// Older than this, a last success is "stale".
const STALE_SECS: i64 = 86_400;

/// "just now", "12m ago", "3h ago", "2d ago"; older (or with no clock) a date.
pub fn ago(ts: i64, now: i64) -> String {
    let d = now - ts;
    if now <= 0 || !(-60..7 * 86_400).contains(&d) {
        return format!("on {}", crate::clock::short(ts, now));
    }
    match d {
        ..60 => "just now".into(),
        60..3600 => format!("{}m ago", d / 60),
        3600..86_400 => format!("{}h ago", d / 3600),
        _ => format!("{}d ago", d / 86_400),
    }
}

/// Words and tone for one direction (send or sync).
fn judge(
    disabled: &Known<bool>,
    ok: &Known<i64>,
    err: &Known<i64>,
    finished: Option<&Known<i64>>,
    verb: (&str, &str),
    now: i64,
) -> (String, Tone) {
    let (noun, past) = verb;
    if disabled.get() == Some(&true) {
        return (format!("{noun} off"), Tone::Muted);
    }
    match (ok.copied(), err.copied()) {
        (ok_at, Some(e)) if ok_at.is_none_or(|o| e > o) => {
            let since = ago(e, now);
            let since = since.trim_start_matches("on ").trim_end_matches(" ago");
            (format!("failing since {since}"), Tone::Bad)
        }
        (Some(o), _) if now > 0 && now - o > STALE_SECS => {
            (format!("{past} {}", ago(o, now)), Tone::Stale)
        }
        (Some(o), _) => (format!("{past} {}", ago(o, now)), Tone::Good),
        _ => {
            if let Some(f) = finished.and_then(Known::copied) {
                return (format!("finished {}, no success", ago(f, now)), Tone::Stale);
            }
            if ok.is_missing() || err.is_missing() {
                ("unknown".into(), Tone::Muted)
            } else {
                (format!("never {past}"), Tone::Muted)
            }
        }
    }
}

/// "sent 12m ago", "failing since 40m ago", "send off", "never sent", "unknown".
pub fn send_health(m: &Mailbox, now: i64) -> (String, Tone) {
    judge(
        &m.send_disabled,
        &m.send_success_at,
        &m.send_errored_at,
        None,
        ("send", "sent"),
        now,
    )
}

/// "synced 3m ago", "failing since 15m ago", "sync off", "never synced".
pub fn sync_health(m: &Mailbox, now: i64) -> (String, Tone) {
    judge(
        &m.sync_disabled,
        &m.sync_success_at,
        &m.sync_errored_at,
        Some(&m.sync_finished_at),
        ("sync", "synced"),
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600;

    fn mb(ok: Known<i64>, err: Known<i64>) -> Mailbox {
        Mailbox {
            send_disabled: Known::Set(false),
            send_success_at: ok,
            send_errored_at: err,
            ..Mailbox::default()
        }
    }

    #[test]
    fn words_follow_the_newest_timestamp() {
        let h = |m: Mailbox| send_health(&m, NOW);
        assert_eq!(
            h(mb(Known::Set(NOW - 720), Known::Set(NOW - 86_400 * 20))),
            ("sent 12m ago".into(), Tone::Good)
        );
        assert_eq!(
            h(mb(Known::Set(NOW - 86_400 * 2), Known::Set(NOW - 2400))),
            ("failing since 40m".into(), Tone::Bad)
        );
        assert_eq!(
            h(mb(Known::Null, Known::Null)),
            ("never sent".into(), Tone::Muted)
        );
        assert_eq!(
            h(mb(Known::Missing, Known::Null)),
            ("unknown".into(), Tone::Muted),
            "a field not in the answer is unknown, not never"
        );
        assert_eq!(
            h(mb(Known::Set(NOW - 86_400 * 3), Known::Null)),
            ("sent 3d ago".into(), Tone::Stale)
        );
        let mut off = mb(Known::Set(NOW), Known::Null);
        off.send_disabled = Known::Set(true);
        assert_eq!(h(off), ("send off".into(), Tone::Muted));
    }

    #[test]
    fn a_finished_sync_without_success_says_so() {
        let m = Mailbox {
            sync_disabled: Known::Set(false),
            sync_success_at: Known::Null,
            sync_errored_at: Known::Null,
            sync_finished_at: Known::Set(NOW - 300),
            ..Mailbox::default()
        };
        assert_eq!(
            sync_health(&m, NOW),
            ("finished 5m ago, no success".into(), Tone::Stale)
        );
    }
}
