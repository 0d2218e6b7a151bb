//! Command line, environment and config file. Precedence: flag > environment > file.
//!
//! One file per concern: `cli` (flags and subcommands), `file` (config.toml's keys and how it
//! is read), `outreach` (Outreach's settings), `theme` (colours), `command` (`*_command`
//! settings), `token` (where the Plannr token comes from, and reading it again after a 401);
//! this file combines them into what the app starts with. A new config key goes into
//! `FileConfig` (file.rs) and is applied in `resolve` or a file of its own next to these.
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::api::outreach::OutreachConfig;
use crate::api::{ClientConfig, Secret};
use crate::settings::Settings;

mod cli;
mod command;
pub mod deadline;
mod file;
pub mod keys;
mod outreach;
mod theme;
mod token;

pub use cli::{Cli, DEFAULT_LOGIN_PORT, Sub, write_completions, write_man};
pub use file::{FileConfig, OutreachFile, load_file};
pub use outreach::{outreach_app, outreach_base_url, resolve_outreach};
pub use theme::resolve_theme;
pub use token::{TokenFound, TokenReader, TokenSource};

pub const DEFAULT_BASE_URL: &str = "https://api.plannrcrm.com";

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("client", &self.client)
            .field("outreach", &self.outreach)
            .field("settings", &self.settings)
            .finish()
    }
}

/// Everything the app needs to start.
pub struct Resolved {
    /// None when only Outreach is configured.
    pub client: Option<ClientConfig>,
    pub outreach: Option<OutreachConfig>,
    pub settings: Settings,
}

/// A refusal to start: printed as one line, exit code 2.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("com", "plannr", "plannr-tui")
}

/// Where contact-form and rename drafts live unless `drafts_dir` says otherwise: the data dir of
/// the one `project_dirs()` (the worker and config must agree on it on every platform).
pub fn default_drafts_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("drafts"))
}

pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

pub fn default_log_path() -> PathBuf {
    project_dirs()
        .map(|d| {
            d.state_dir()
                .unwrap_or(d.cache_dir())
                .join("plannr-tui.log")
        })
        .unwrap_or_else(|| std::env::temp_dir().join("plannr-tui.log"))
}

/// Refuse plain http except to this machine.
pub fn check_base_url(url: &str) -> Result<(), ConfigError> {
    let parsed = url::Url::parse(url)
        .map_err(|e| ConfigError(format!("the base URL {url:?} is not a URL: {e}")))?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = match parsed.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if loopback {
                Ok(())
            } else {
                Err(ConfigError(format!(
                    "refusing to send your token over plain http to {}; use https (http is allowed only for 127.0.0.1/localhost)",
                    parsed.host_str().unwrap_or("?")
                )))
            }
        }
        other => Err(ConfigError(format!(
            "the base URL must be https (got {other}://)"
        ))),
    }
}

/// Run `token_command` through the shell and take its one line of output.
pub fn run_token_command(cmd: &str, timeout: Duration) -> Result<String, ConfigError> {
    run_secret_command("token_command", cmd, timeout)
}

/// Run a `*_command` setting (named `what` in messages) and take its one line of output; after
/// a second without an answer say so on stderr, after `timeout` give up.
pub fn run_secret_command(what: &str, cmd: &str, timeout: Duration) -> Result<String, ConfigError> {
    command::run(what, cmd, timeout, command::NOTICE_AFTER, &mut || {
        eprintln!("waiting for {what}…")
    })
}

/// How long a `*_command` may take: `token_command_timeout_secs`, else 30 s.
pub fn command_timeout(file: &FileConfig) -> Duration {
    file.token_command_timeout_secs
        .filter(|&s| s > 0)
        .map_or(command::DEFAULT_TIMEOUT, Duration::from_secs)
}

/// Combine flags, environment (`env` looks a variable up) and file. Pure but for `token_command`.
pub fn resolve(
    cli: &Cli,
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileConfig,
    config_path: Option<&Path>,
) -> Result<Resolved, ConfigError> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let base_url = nonempty(cli.base_url.clone())
        .or_else(|| nonempty(env("PLANNR_BASE_URL")))
        .or_else(|| nonempty(file.base_url.clone()))
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    check_base_url(&base_url)?;
    let call_deadline = deadline::call_deadline(file, config_path)?;
    let mut outreach = resolve_outreach(cli, env, file)?;
    if let Some(o) = outreach.as_mut() {
        o.call_deadline = call_deadline;
    }
    let token = token::plannr_token(cli.token.as_ref(), env, file, false)?.map(|(t, _)| t);
    let mut settings = Settings {
        // Resolved once, here: the worker and the crash guard use this folder as given.
        drafts_dir: default_drafts_dir(),
        call_deadline,
        ..Settings::default()
    };
    if let Some(n) = file.thread_page_size {
        settings.thread_page_size = n.clamp(1, 500);
    }
    if let Some(n) = file.list_page_size {
        settings.list_page_size = n.clamp(1, 500);
    }
    settings.osc52_copy = file.osc52_copy.unwrap_or(false);
    settings.download_dir = file.download_dir.clone().map(expand_home);
    let Some(token) = token else {
        if outreach.is_some() {
            // Only Outreach: the app starts on its pane.
            return Ok(Resolved {
                client: None,
                outreach,
                settings,
            });
        }
        let where_ = config_path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.toml".into());
        return Err(ConfigError(format!(
            "no Plannr token: pass --token, set PLANNR_TOKEN, or put token/token_command in {where_} (or configure [outreach]) — or try the app with --demo"
        )));
    };
    let account = nonempty(cli.account.clone())
        .or_else(|| nonempty(env("PLANNR_ACCOUNT_UUID")))
        .or_else(|| nonempty(file.account_uuid.clone()));
    let mut client = ClientConfig::new(base_url, Secret::new(token));
    client.account_uuid = account;
    if let Some(s) = file.connect_timeout_secs {
        client.connect_timeout = Duration::from_secs(s.max(1));
    }
    if let Some(s) = file.request_timeout_secs {
        client.request_timeout = Duration::from_secs(s.max(1));
    }
    client.call_deadline = call_deadline;
    Ok(Resolved {
        client: Some(client),
        outreach,
        settings,
    })
}

/// `~/x` → the home folder's `x` (config files are written by hand).
fn expand_home(p: PathBuf) -> PathBuf {
    match p.strip_prefix("~") {
        Ok(rest) => directories::BaseDirs::new()
            .map(|b| b.home_dir().join(rest))
            .unwrap_or(p),
        Err(_) => p,
    }
}

#[cfg(test)]
mod tests;
