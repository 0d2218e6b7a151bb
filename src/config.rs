//! Command line, environment and config file. Precedence: flag > environment > file.
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand};
use serde::Deserialize;

use crate::api::{ClientConfig, Secret};
use crate::app::Settings;

pub const DEFAULT_BASE_URL: &str = "https://api.plannrcrm.com";

#[derive(Debug, Parser)]
#[command(
    name = "plannr-tui",
    version,
    about = "A fast, safe terminal client for Plannr CRM"
)]
pub struct Cli {
    /// Start the bundled fake Plannr server on 127.0.0.1 and use it (no account needed).
    #[arg(long)]
    pub demo: bool,
    /// Plannr API base URL [env: PLANNR_BASE_URL] (default https://api.plannrcrm.com).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Personal access token [env: PLANNR_TOKEN]. Prefer the environment or `token_command` in the
    /// config file: a flag is visible to other users in the process list.
    /// A `Secret`, so `Debug` of the parsed command line never shows it.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<Secret>,
    /// Account uuid to act as (X-PLANNR-ACCOUNT-UUID) [env: PLANNR_ACCOUNT_UUID]. Without it the
    /// app asks Plannr for your logins and lets you pick.
    #[arg(long = "account", value_name = "UUID")]
    pub account: Option<String>,
    /// Config file (default: config.toml in the platform config directory).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Log file (default: plannr-tui.log in the platform state/cache directory).
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Sub>,
}

#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Run the fake Plannr server alone and print how to talk to it.
    DemoServer {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Added latency per request, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Fraction of requests (0–1) answered with a random 500/503.
        #[arg(long, default_value_t = 0.0)]
        fail_rate: f64,
        /// Which end of a thread's ancestors page 1 holds (the docs leave it open).
        #[arg(long, default_value = "newest-first")]
        ancestor_pages: crate::demo::PageOrder,
        /// Which end of a thread's descendants page 1 holds.
        #[arg(long, default_value = "oldest-first")]
        descendant_pages: crate::demo::PageOrder,
    },
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
    pub account_uuid: Option<String>,
    /// Thread page size, 1–500 (default 25).
    pub thread_page_size: Option<u32>,
    pub list_page_size: Option<u32>,
    /// Allow `y` to copy via OSC 52 (off by default).
    pub osc52_copy: Option<bool>,
    pub connect_timeout_secs: Option<u64>,
    pub request_timeout_secs: Option<u64>,
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("client", &self.client)
            .field("settings", &self.settings)
            .finish()
    }
}

/// Everything the app needs to start.
pub struct Resolved {
    pub client: ClientConfig,
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

/// Read and check the config file. A missing file is an empty config.
pub fn load_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => return Err(ConfigError(format!("cannot read {}: {e}", path.display()))),
    };
    let cfg: FileConfig = toml::from_str(&text)
        .map_err(|e| ConfigError(format!("{} is not valid: {}", path.display(), e.message())))?;
    if cfg.token.is_some() {
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
            "{} holds a token but other users can read it (mode {:o}); run: chmod 600 {}",
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

/// Run `token_command` through the shell and take its trimmed standard output.
pub fn run_token_command(cmd: &str) -> Result<String, ConfigError> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| ConfigError(format!("token_command could not start: {e}")))?;
    if !out.status.success() {
        return Err(ConfigError(format!(
            "token_command failed ({})",
            out.status
        )));
    }
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if token.is_empty() {
        return Err(ConfigError("token_command printed nothing".into()));
    }
    Ok(token)
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
    let expose = |s: &Option<Secret>| s.as_ref().map(|s| s.expose().to_string());
    let token = match nonempty(expose(&cli.token))
        .or_else(|| nonempty(env("PLANNR_TOKEN")))
        .or_else(|| nonempty(expose(&file.token)))
    {
        Some(t) => t.trim().to_string(),
        None => match &file.token_command {
            Some(cmd) => run_token_command(cmd)?,
            None => {
                let where_ = config_path
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "config.toml".into());
                return Err(ConfigError(format!(
                    "no Plannr token: pass --token, set PLANNR_TOKEN, or put token/token_command in {where_} — or try the app with --demo"
                )));
            }
        },
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
    let mut settings = Settings::default();
    if let Some(n) = file.thread_page_size {
        settings.thread_page_size = n.clamp(1, 500);
    }
    if let Some(n) = file.list_page_size {
        settings.list_page_size = n.clamp(1, 500);
    }
    settings.osc52_copy = file.osc52_copy.unwrap_or(false);
    Ok(Resolved { client, settings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        Cli::parse_from(std::iter::once("plannr-tui").chain(args.iter().copied()))
    }

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn precedence_is_flag_then_env_then_file() {
        let file = FileConfig {
            base_url: Some("https://file.example".into()),
            token: Some(Secret::new("file-token")),
            account_uuid: Some("file-acc".into()),
            ..FileConfig::default()
        };
        let env = env_of(&[
            ("PLANNR_TOKEN", "env-token"),
            ("PLANNR_BASE_URL", "https://env.example"),
        ]);
        let r = resolve(&cli(&["--account", "flag-acc"]), &env, &file, None).unwrap();
        assert_eq!(r.client.base_url, "https://env.example");
        assert_eq!(r.client.token.expose(), "env-token");
        assert_eq!(r.client.account_uuid.as_deref(), Some("flag-acc"));
        let r = resolve(&cli(&["--token", "flag-token"]), &env, &file, None).unwrap();
        assert_eq!(r.client.token.expose(), "flag-token");
        assert_eq!(r.client.account_uuid.as_deref(), Some("file-acc"));
        let r = resolve(&cli(&[]), &env_of(&[]), &file, None).unwrap();
        assert_eq!(r.client.token.expose(), "file-token");
        assert_eq!(r.client.base_url, "https://file.example");
    }

    #[test]
    fn default_base_url_and_missing_token_message() {
        let err = resolve(&cli(&[]), &env_of(&[]), &FileConfig::default(), None)
            .err()
            .unwrap();
        assert!(
            err.0.contains("--token") && err.0.contains("PLANNR_TOKEN") && err.0.contains("--demo"),
            "{err}"
        );
        let r = resolve(
            &cli(&["--token", "t"]),
            &env_of(&[]),
            &FileConfig::default(),
            None,
        )
        .unwrap();
        assert_eq!(r.client.base_url, DEFAULT_BASE_URL);
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://localhost:1").is_ok());
        assert!(check_base_url("http://[::1]:1").is_ok());
        assert!(check_base_url("https://api.plannrcrm.com").is_ok());
        assert!(check_base_url("http://api.plannrcrm.com").is_err());
        assert!(check_base_url("http://10.0.0.1").is_err());
        assert!(check_base_url("ftp://x").is_err());
        assert!(check_base_url("not a url").is_err());
    }

    #[test]
    fn token_command_supplies_the_token() {
        let file = FileConfig {
            token_command: Some("printf ' cmd-token \\n'".into()),
            ..FileConfig::default()
        };
        let r = resolve(&cli(&[]), &env_of(&[]), &file, None).unwrap();
        assert_eq!(r.client.token.expose(), "cmd-token");
        let bad = FileConfig {
            token_command: Some("exit 3".into()),
            ..FileConfig::default()
        };
        assert!(resolve(&cli(&[]), &env_of(&[]), &bad, None).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn config_with_token_must_be_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "token = \"secret\"\nthread_page_size = 900\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = load_file(&path).err().unwrap();
        assert!(
            err.0.contains("chmod 600") && !err.0.contains("secret"),
            "{err}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let f = load_file(&path).unwrap();
        let r = resolve(&cli(&[]), &env_of(&[]), &f, Some(&path)).unwrap();
        assert_eq!(
            r.settings.thread_page_size, 500,
            "clamped to the API maximum"
        );
        // Without a token, a world-readable file is fine.
        std::fs::write(&path, "base_url = \"https://x.example\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(load_file(&path).is_ok());
        assert_eq!(
            load_file(&dir.path().join("missing.toml")).unwrap(),
            FileConfig::default()
        );
        std::fs::write(&path, "bogus_key = 1\n").unwrap();
        assert!(load_file(&path).err().unwrap().0.contains("not valid"));
    }

    #[test]
    fn resolved_debug_hides_the_token() {
        let r = resolve(
            &cli(&["--token", "very-secret"]),
            &env_of(&[]),
            &FileConfig::default(),
            None,
        )
        .unwrap();
        assert!(!format!("{r:?}").contains("very-secret"));
    }

    #[test]
    fn command_line_and_file_debug_hide_the_token() {
        let c = cli(&["--token", "flag-secret"]);
        assert!(!format!("{c:?}").contains("flag-secret"), "{c:?}");
        let f: FileConfig = toml::from_str("token = \"file-secret\"\n").unwrap();
        assert_eq!(f.token.as_ref().map(Secret::expose), Some("file-secret"));
        assert!(!format!("{f:?}").contains("file-secret"), "{f:?}");
    }
}
