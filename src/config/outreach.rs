//! Outreach's settings: flags, environment and the `[outreach]` section.
use std::time::Duration;

use super::{Cli, ConfigError, FileConfig, check_base_url, command_timeout, run_secret_command};
use crate::api::Secret;
use crate::api::outreach::{DEFAULT_OUTREACH_URL, OAuthApp, OutreachConfig};

/// The `[outreach]` app (client id and secret) with its token file, if configured.
pub fn outreach_app(file: &FileConfig) -> Result<Option<OAuthApp>, ConfigError> {
    let Some(o) = &file.outreach else {
        return Ok(None);
    };
    let Some(client_id) = o.client_id.clone().filter(|c| !c.trim().is_empty()) else {
        return Ok(None);
    };
    let secret = match (&o.client_secret, &o.client_secret_command) {
        (Some(s), _) if !s.expose().trim().is_empty() => s.expose().trim().to_string(),
        (_, Some(cmd)) => run_secret_command(
            "[outreach] client_secret_command",
            cmd,
            command_timeout(file),
        )?,
        _ => {
            return Err(ConfigError(
                "[outreach] has client_id but no client_secret or client_secret_command".into(),
            ));
        }
    };
    let token_file = o
        .token_file
        .clone()
        .or_else(crate::api::outreach::token::default_token_path)
        .ok_or_else(|| {
            ConfigError(
                "no state directory for the Outreach token file; set [outreach] token_file".into(),
            )
        })?;
    Ok(Some(OAuthApp {
        client_id: client_id.trim().to_string(),
        client_secret: Secret::new(secret),
        token_file,
    }))
}

/// The Outreach base URL: flag > `OUTREACH_BASE_URL` > `[outreach] base_url` > Outreach's.
pub fn outreach_base_url(
    cli: &Cli,
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileConfig,
) -> Result<String, ConfigError> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let url = nonempty(cli.outreach_url.clone())
        .or_else(|| nonempty(env("OUTREACH_BASE_URL")))
        .or_else(|| nonempty(file.outreach.as_ref().and_then(|o| o.base_url.clone())))
        .unwrap_or_else(|| DEFAULT_OUTREACH_URL.to_string());
    check_base_url(&url)?;
    Ok(url)
}

/// Outreach's settings, or None when nothing says to use Outreach. Configured means an access
/// token (flag, environment, `[outreach] token`/`token_command`) or an app whose token file
/// exists (from `outreach-login`).
pub fn resolve_outreach(
    cli: &Cli,
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileConfig,
) -> Result<Option<OutreachConfig>, ConfigError> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let section = file.outreach.as_ref();
    let token = match nonempty(cli.outreach_token.as_ref().map(|s| s.expose().to_string()))
        .or_else(|| nonempty(env("OUTREACH_TOKEN")))
        .or_else(|| {
            nonempty(
                section
                    .and_then(|o| o.token.as_ref())
                    .map(|s| s.expose().to_string()),
            )
        }) {
        Some(t) => Some(t.trim().to_string()),
        None => match section.and_then(|o| o.token_command.as_deref()) {
            Some(cmd) => Some(run_secret_command(
                "[outreach] token_command",
                cmd,
                command_timeout(file),
            )?),
            None => None,
        },
    };
    let app = outreach_app(file)?;
    let logged_in = app.as_ref().is_some_and(|a| a.token_file.exists());
    if token.is_none() && !logged_in {
        if app.is_some() {
            return Err(ConfigError(
                "[outreach] has an app but no tokens yet: run `plannr-tui outreach-login` first"
                    .into(),
            ));
        }
        return Ok(None);
    }
    let base_url = outreach_base_url(cli, env, file)?;
    let mut cfg = OutreachConfig::new(base_url, token.map(Secret::new));
    cfg.app = app;
    if let Some(s) = file.connect_timeout_secs {
        cfg.connect_timeout = Duration::from_secs(s.max(1));
    }
    if let Some(s) = file.request_timeout_secs {
        cfg.request_timeout = Duration::from_secs(s.max(1));
    }
    Ok(Some(cfg))
}
