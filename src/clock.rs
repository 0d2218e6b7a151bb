//! Times as people read them: parsed from the API's RFC 3339 strings (which carry an offset) and
//! shown in the user's local zone (the `TZ` the app runs with).
//!
//! The zone is read once at start-up (`set_zone`, from `main`) and kept for the process: every
//! pane formats with the same zone, and `app/` and `ui/` stay free of I/O. Until it is set (unit
//! and snapshot tests) the zone is UTC. Every formatter also has an `_in` form that takes the
//! zone, which is what the tests of the rules use.
use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::tz::TimeZone;

static ZONE: OnceLock<TimeZone> = OnceLock::new();

/// Use `tz` for every time shown from now on. Only the first call counts.
pub fn set_zone(tz: TimeZone) {
    let _ = ZONE.set(tz);
}

/// The zone times are shown in (UTC until `set_zone`).
pub fn zone() -> &'static TimeZone {
    static UTC: TimeZone = TimeZone::UTC;
    ZONE.get().unwrap_or(&UTC)
}

/// An RFC 3339 timestamp with an offset ("2026-11-30T11:48:55+00:00", "…Z") to unix seconds.
/// Anything else (no offset, not a time) is unknown: None.
pub fn parse(s: &str) -> Option<i64> {
    s.trim().parse::<Timestamp>().ok().map(|t| t.as_second())
}

/// A time for a table column, in the local zone: today's as `14:02`, the last six days' as
/// `Tue 14:02`, this year's as `12 Mar`, older (or in the future past today) as `12 Mar 2025`.
/// `now` 0 means the clock is unknown: the full date is shown.
pub fn short(ts: i64, now: i64) -> String {
    short_in(ts, now, zone())
}

pub fn short_in(ts: i64, now: i64, tz: &TimeZone) -> String {
    let Ok(t) = Timestamp::from_second(ts) else {
        return String::new();
    };
    let t = t.to_zoned_datetime(tz.clone());
    let n = Timestamp::from_second(now)
        .ok()
        .filter(|_| now > 0)
        .map(|n| n.to_zoned_datetime(tz.clone()));
    let Some(n) = n else {
        return t.strftime("%-d %b %Y").to_string();
    };
    let days = n
        .date()
        .since(t.date())
        .map(|s| s.get_days())
        .unwrap_or(i32::MAX);
    if days == 0 {
        t.strftime("%H:%M").to_string()
    } else if (1..7).contains(&days) {
        t.strftime("%a %H:%M").to_string()
    } else if t.year() == n.year() {
        t.strftime("%-d %b").to_string()
    } else {
        t.strftime("%-d %b %Y").to_string()
    }
}

/// The full date, time and zone: `Tue 12 Mar 2026 14:02 GMT`.
pub fn full(ts: i64) -> String {
    full_in(ts, zone())
}

pub fn full_in(ts: i64, tz: &TimeZone) -> String {
    match Timestamp::from_second(ts) {
        Ok(t) => t
            .to_zoned_datetime(tz.clone())
            .strftime("%a %-d %b %Y %H:%M %Z")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// `full` of an API string; the string itself when it is not a time with an offset (so nothing
/// the server said is hidden).
pub fn full_of(s: &str) -> String {
    parse(s).map(full).unwrap_or_else(|| s.to_string())
}

/// `short` of an API string; the string's first 16 characters when it is not a time with an
/// offset.
pub fn short_of(s: &str, now: i64) -> String {
    match parse(s) {
        Some(ts) => short(ts, now),
        None => s.chars().take(16).collect(),
    }
}

/// When a logged message was shown: `14:02:33` today, `12 Mar 14:02:33` before.
pub fn log_time(ts: i64, now: i64) -> String {
    log_time_in(ts, now, zone())
}

pub fn log_time_in(ts: i64, now: i64, tz: &TimeZone) -> String {
    if ts <= 0 {
        return "--:--:--".into();
    }
    let Ok(t) = Timestamp::from_second(ts) else {
        return String::new();
    };
    let t = t.to_zoned_datetime(tz.clone());
    let today = Timestamp::from_second(now)
        .ok()
        .is_some_and(|n| n.to_zoned_datetime(tz.clone()).date() == t.date());
    if today {
        t.strftime("%H:%M:%S").to_string()
    } else {
        t.strftime("%-d %b %H:%M:%S").to_string()
    }
}

/// Seconds until the minute shown changes (1..=60), for a redraw timer while times are on screen.
pub fn until_next_minute(now: i64) -> u64 {
    // Zones' offsets are whole minutes, so a minute turns at the same instant everywhere.
    (60 - now.rem_euclid(60)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UK time without a zone database: GMT in winter, BST (+1) from the last Sunday of March.
    fn london() -> TimeZone {
        TimeZone::posix("GMT0BST,M3.5.0/1,M10.5.0").unwrap()
    }

    fn at(s: &str) -> i64 {
        parse(s).unwrap()
    }

    #[test]
    fn parses_offsets_and_refuses_what_has_none() {
        assert_eq!(
            parse("2026-06-01T12:00:00+01:00"),
            parse("2026-06-01T11:00:00Z")
        );
        assert_eq!(parse("2026-06-01 11:00:00"), None);
        assert_eq!(parse("t1"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn short_forms_in_summer_time() {
        let tz = london();
        // Now: Wednesday 3 June 2026, 16:30 BST.
        let now = at("2026-06-03T15:30:00Z");
        // Sent 13:02 UTC today: 14:02 on a UK adviser's clock, not 13:02.
        assert_eq!(short_in(at("2026-06-03T13:02:00+00:00"), now, &tz), "14:02");
        // 23:30 UTC on the 2nd is already the 3rd in London.
        assert_eq!(short_in(at("2026-06-02T23:30:00Z"), now, &tz), "00:30");
        assert_eq!(short_in(at("2026-06-02T13:02:00Z"), now, &tz), "Tue 14:02");
        assert_eq!(short_in(at("2026-05-28T08:00:00Z"), now, &tz), "Thu 09:00");
        // Seven days back is no longer "this week": the date.
        assert_eq!(short_in(at("2026-05-27T08:00:00Z"), now, &tz), "27 May");
        assert_eq!(short_in(at("2026-03-12T10:00:00Z"), now, &tz), "12 Mar");
        assert_eq!(
            short_in(at("2025-03-12T10:00:00Z"), now, &tz),
            "12 Mar 2025"
        );
        // Tomorrow (a clock ahead of ours) is a date, never a weekday read as last week's.
        assert_eq!(short_in(at("2026-06-04T10:00:00Z"), now, &tz), "4 Jun");
        // Clock unknown: the whole date.
        assert_eq!(short_in(now, 0, &tz), "3 Jun 2026");
    }

    #[test]
    fn short_forms_in_winter_and_utc() {
        let now = at("2026-11-30T12:00:00Z");
        let t = at("2026-11-30T11:48:55+00:00");
        assert_eq!(short_in(t, now, &london()), "11:48");
        assert_eq!(short_in(t, now, &TimeZone::UTC), "11:48");
        let tokyo = TimeZone::fixed(jiff::tz::offset(9));
        assert_eq!(short_in(t, now, &tokyo), "20:48");
    }

    #[test]
    fn full_form_names_the_zone() {
        let t = at("2026-11-30T11:48:55+00:00");
        assert_eq!(full_in(t, &london()), "Mon 30 Nov 2026 11:48 GMT");
        let summer = at("2026-07-01T11:48:55+00:00");
        assert_eq!(full_in(summer, &london()), "Wed 1 Jul 2026 12:48 BST");
        // Not a time: shown as the server sent it.
        assert_eq!(full_of("t1"), "t1");
        assert_eq!(short_of("2025-01-01T00000001", 0), "2025-01-01T00000");
    }

    #[test]
    fn log_times() {
        let now = at("2026-07-01T15:00:00Z");
        assert_eq!(
            log_time_in(at("2026-07-01T13:02:33Z"), now, &london()),
            "14:02:33"
        );
        assert_eq!(
            log_time_in(at("2026-06-30T13:02:33Z"), now, &london()),
            "30 Jun 14:02:33"
        );
        assert_eq!(log_time_in(0, now, &london()), "--:--:--");
    }

    #[test]
    fn next_minute() {
        assert_eq!(until_next_minute(at("2026-11-30T11:48:00Z")), 60);
        assert_eq!(until_next_minute(at("2026-11-30T11:48:59Z")), 1);
        assert_eq!(until_next_minute(at("2026-11-30T11:48:15Z")), 45);
    }
}
