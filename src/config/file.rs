//! `config.toml`: its keys and how it is read (a file holding a secret must be private).
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ConfigError;
use crate::api::Secret;

/// The `[outreach]` section of `config.toml`.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutreachFile {
    pub base_url: Option<String>,
    /// An access token (lives two hours; prefer `outreach-login`).
    pub token: Option<Secret>,
    pub token_command: Option<String>,
    /// The Outreach app, for refreshing tokens and for `outreach-login`.
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub client_secret_command: Option<String>,
    /// Where the refresh token is kept (default: outreach-tokens.json in the state directory).
    pub token_file: Option<PathBuf>,
}

/// `config.toml`. Every key is optional.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub base_url: Option<String>,
    /// A `Secret`, so `Debug` of the file's settings never shows it.
    pub token: Option<Secret>,
    /// A shell command whose standard output is the token (e.g. a password manager).
    pub token_command: Option<String>,
    /// How long a `*_command` may take before start-up gives up (default 30 s).
    pub token_command_timeout_secs: Option<u64>,
    pub account_uuid: Option<String>,
    /// Thread page size, 1–500 (default 25).
    pub thread_page_size: Option<u32>,
    pub list_page_size: Option<u32>,
    /// Allow `y` to copy via OSC 52 (off by default).
    pub osc52_copy: Option<bool>,
    pub connect_timeout_secs: Option<u64>,
    pub request_timeout_secs: Option<u64>,
    /// How long one call may take in all, retries included (5–600, default 30).
    pub call_deadline_secs: Option<u64>,
    /// Where `s` saves attachments (default: the platform's download folder).
    pub download_dir: Option<PathBuf>,
    /// "dark", "light", or the path of a theme file (relative to the config file's folder).
    pub theme: Option<String>,
    /// Mouse: wheel scrolls, click selects / switches tab, double-click opens (default true).
    pub mouse: Option<bool>,
    /// Colour overrides by role, on top of the theme (`accent = "#005f87"`).
    pub colors: Option<std::collections::BTreeMap<String, String>>,
    pub outreach: Option<OutreachFile>,
    /// Key bindings by section (`[keys.mail]`, `[keys.global]`, …): action = key or keys.
    pub keys: Option<super::keys::KeysFile>,
    /// Where each line of the file starts (for line numbers in messages; not the text, which may
    /// hold a token).
    #[serde(skip)]
    pub line_starts: Vec<usize>,
}

impl FileConfig {
    /// Whether the file holds a secret (then it must be private).
    fn has_secret(&self) -> bool {
        self.token.is_some()
            || self
                .outreach
                .as_ref()
                .is_some_and(|o| o.token.is_some() || o.client_secret.is_some())
    }
}

/// Read and check the config file. A missing file is an empty config.
pub fn load_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => return Err(ConfigError(format!("cannot read {}: {e}", path.display()))),
    };
    let mut cfg: FileConfig = toml::from_str(&text)
        .map_err(|e| ConfigError(format!("{} is not valid: {}", path.display(), e.message())))?;
    cfg.line_starts = super::keys::line_starts(&text);
    if cfg.has_secret() {
        check_private(path)?;
    }
    Ok(cfg)
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(ConfigError(format!(
            "{} holds a token or other credentials but other users can read it (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), ConfigError> {
    Ok(())
}
