//! `call_deadline_secs`: how long one call may take in all (its wait for a turn, its retries and
//! rate-limit waits included) before it fails with a clear sentence. The status bar counts it
//! down while a call is waited for.
use std::path::Path;
use std::time::Duration;

use super::{ConfigError, FileConfig};

/// The default deadline of one call.
pub const DEFAULT: Duration = Duration::from_secs(30);
/// The shortest and longest deadline accepted, in seconds.
pub const RANGE: std::ops::RangeInclusive<u64> = 5..=600;

/// The deadline `file` asks for, or the default; a value outside `RANGE` is refused.
pub fn call_deadline(
    file: &FileConfig,
    config_path: Option<&Path>,
) -> Result<Duration, ConfigError> {
    let Some(secs) = file.call_deadline_secs else {
        return Ok(DEFAULT);
    };
    if RANGE.contains(&secs) {
        return Ok(Duration::from_secs(secs));
    }
    let where_ = config_path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "config.toml".into());
    Err(ConfigError(format!(
        "call_deadline_secs = {secs} in {where_} is not a usable deadline: give the seconds one call may take, from {} to {} (default {})",
        RANGE.start(),
        RANGE.end(),
        DEFAULT.as_secs()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_accepted_and_refused_values() {
        let file = |s| FileConfig {
            call_deadline_secs: s,
            ..FileConfig::default()
        };
        assert_eq!(call_deadline(&file(None), None), Ok(DEFAULT));
        assert_eq!(
            call_deadline(&file(Some(5)), None),
            Ok(Duration::from_secs(5))
        );
        assert_eq!(
            call_deadline(&file(Some(600)), None),
            Ok(Duration::from_secs(600))
        );
        for bad in [0, 4, 601, u64::MAX] {
            let Err(ConfigError(msg)) = call_deadline(&file(Some(bad)), Some(Path::new("/c.toml")))
            else {
                panic!("{bad} accepted");
            };
            assert!(
                msg.starts_with(&format!("call_deadline_secs = {bad} in /c.toml"))
                    && msg.contains("from 5 to 600 (default 30)"),
                "{msg}"
            );
        }
    }

    /// The file's value reaches the Plannr client's transport and the status bar's countdown;
    /// a bad one stops start-up before any token command runs.
    #[test]
    fn resolve_applies_it_everywhere() {
        use clap::Parser;
        let cli = super::super::Cli::parse_from(["plannr-tui", "--token", "t"]);
        let env = |_: &str| None;
        let file = FileConfig {
            call_deadline_secs: Some(45),
            token_command: Some("exit 1".into()),
            ..FileConfig::default()
        };
        let r = super::super::resolve(&cli, &env, &file, None).expect("resolves");
        assert_eq!(r.settings.call_deadline, Duration::from_secs(45));
        assert_eq!(
            r.client.map(|c| c.call_deadline),
            Some(Duration::from_secs(45))
        );
        let bad = FileConfig {
            call_deadline_secs: Some(0),
            ..file
        };
        let Err(ConfigError(msg)) = super::super::resolve(&cli, &env, &bad, None) else {
            panic!("0 accepted");
        };
        assert!(msg.contains("call_deadline_secs = 0"), "{msg}");
    }
}
