//! Command line, environment and config file. Precedence: flag > environment > file.
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand};
use serde::Deserialize;

use crate::api::outreach::{DEFAULT_OUTREACH_URL, OAuthApp, OutreachConfig};
use crate::api::{ClientConfig, Secret};
use crate::settings::Settings;
use crate::ui::theme::{Theme, parse_color};

mod command;

pub const DEFAULT_BASE_URL: &str = "https://api.plannrcrm.com";

#[derive(Debug, Parser)]
#[command(
    name = "plannr-tui",
    version,
    about = "A fast, safe terminal client for Plannr CRM",
    long_about = "A fast, safe terminal client for Plannr CRM: mailboxes, client emails and \
threads, conversations and contact details, from the keyboard (or the mouse).\n\n\
Try it without an account: plannr-tui --demo",
    after_help = "Press ? in the app for the keys of the pane you are in.",
    after_long_help = "Connection settings come from the flags, then the environment \
(PLANNR_TOKEN, PLANNR_BASE_URL, PLANNR_ACCOUNT_UUID), then config.toml in your config folder \
(see --config). Set NO_COLOR=1 for no colour.\n\n\
Examples:\n  \
plannr-tui --demo                      try the app against a built-in fake server\n  \
PLANNR_TOKEN=… plannr-tui              use your Plannr account\n  \
plannr-tui --theme light               colours for a light terminal\n  \
plannr-tui completions zsh > _plannr-tui\n  \
plannr-tui man | man -l -\n\n\
Press ? in the app for the keys of the pane you are in."
)]
pub struct Cli {
    /// Try the app without an account: starts a built-in fake Plannr server on 127.0.0.1 with
    /// made-up clients, emails and conversations.
    #[arg(long)]
    pub demo: bool,
    /// Plannr API address [env: PLANNR_BASE_URL] (default https://api.plannrcrm.com).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Your Plannr personal access token [env: PLANNR_TOKEN]. Better set in the environment or
    /// with token_command in the config file: other users can see a flag in the process list.
    // A `Secret`, so `Debug` of the parsed command line never shows it.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<Secret>,
    /// The account to act as (its uuid) [env: PLANNR_ACCOUNT_UUID]. Without it the app lists the
    /// accounts your token can use and lets you pick.
    #[arg(long = "account", value_name = "UUID")]
    pub account: Option<String>,
    /// Outreach API base URL [env: OUTREACH_BASE_URL] (default https://api.outreach.io/api/v2).
    #[arg(long, value_name = "URL")]
    pub outreach_url: Option<String>,
    /// Outreach access token [env: OUTREACH_TOKEN]. Prefer `outreach-login` (refreshed tokens in
    /// the state directory) or `token_command` under `[outreach]` in the config file.
    #[arg(long, value_name = "TOKEN")]
    pub outreach_token: Option<Secret>,
    /// Config file (default: config.toml in your config folder, e.g.
    /// ~/.config/plannr-tui/config.toml on Linux).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Where to write the log (default: plannr-tui.log in your state or cache folder).
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// Colour theme: dark, light, or a theme file [env: PLANNR_THEME] (default: theme in the
    /// config file, else dark).
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,
    #[command(subcommand)]
    pub command: Option<Sub>,
}

#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Run the fake Plannr server on its own and print how to point the app (or curl) at it.
    DemoServer {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Delay added to every answer, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Share of requests (0 to 1) answered with a random 500 or 503, to see how the app copes.
        #[arg(long, default_value_t = 0.0)]
        fail_rate: f64,
        /// Which end of a thread's ancestors page 1 holds (the docs leave it open).
        #[arg(long, default_value = "newest-first")]
        ancestor_pages: crate::demo::PageOrder,
        /// Which end of a thread's descendants page 1 holds.
        #[arg(long, default_value = "oldest-first")]
        descendant_pages: crate::demo::PageOrder,
        /// Port of the Outreach demo on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        outreach_port: u16,
    },
    /// Print a completion script for your shell to standard output.
    #[command(after_help = "Install, for example:\n  \
bash: plannr-tui completions bash > ~/.local/share/bash-completion/completions/plannr-tui\n  \
zsh:  plannr-tui completions zsh > ~/.zfunc/_plannr-tui   (with fpath+=~/.zfunc)\n  \
fish: plannr-tui completions fish > ~/.config/fish/completions/plannr-tui.fish")]
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output: plannr-tui man | man -l -
    Man,
    /// Sign in to Outreach in the browser (OAuth authorization code, loopback redirect) and keep
    /// the tokens in the state directory. Needs `client_id` and `client_secret` under
    /// `[outreach]` in the config file.
    OutreachLogin {
        /// Loopback port of the redirect; register `http://127.0.0.1:PORT/callback` with the app.
        #[arg(long, default_value_t = DEFAULT_LOGIN_PORT)]
        port: u16,
        /// Scopes to ask for (space-separated).
        #[arg(long, default_value = crate::api::outreach::LOGIN_SCOPES)]
        scope: String,
    },
}

/// Write the completion script for `shell`.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut cmd, "plannr-tui", out);
}

/// Write the manual page (roff).
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(out)
}

/// Default loopback port of `outreach-login`'s redirect.
pub const DEFAULT_LOGIN_PORT: u16 = 8719;

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
    /// Where `s` saves attachments (default: the platform's download folder).
    pub download_dir: Option<PathBuf>,
    /// "dark", "light", or the path of a theme file (relative to the config file's folder).
    pub theme: Option<String>,
    /// Mouse: wheel scrolls, click selects / switches tab, double-click opens (default true).
    pub mouse: Option<bool>,
    /// Colour overrides by role, on top of the theme (`accent = "#005f87"`).
    pub colors: Option<std::collections::BTreeMap<String, String>>,
    pub outreach: Option<OutreachFile>,
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

/// Read and check the config file. A missing file is an empty config.
pub fn load_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => return Err(ConfigError(format!("cannot read {}: {e}", path.display()))),
    };
    let cfg: FileConfig = toml::from_str(&text)
        .map_err(|e| ConfigError(format!("{} is not valid: {}", path.display(), e.message())))?;
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
    let outreach = resolve_outreach(cli, env, file)?;
    let expose = |s: &Option<Secret>| s.as_ref().map(|s| s.expose().to_string());
    let token = match nonempty(expose(&cli.token))
        .or_else(|| nonempty(env("PLANNR_TOKEN")))
        .or_else(|| nonempty(expose(&file.token)))
    {
        Some(t) => Some(t.trim().to_string()),
        None => match &file.token_command {
            Some(cmd) => Some(run_token_command(cmd, command_timeout(file))?),
            None => None,
        },
    };
    let mut settings = Settings {
        // Resolved once, here: the worker and the crash guard use this folder as given.
        drafts_dir: default_drafts_dir(),
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

/// A theme file: `base = "dark"|"light"` (default dark) and colours by role, as `[colors]` in
/// config.toml takes them.
#[derive(Debug, Default, Deserialize)]
struct ThemeFile {
    base: Option<String>,
    #[serde(flatten)]
    colors: std::collections::BTreeMap<String, String>,
}

/// The theme to draw with: `--theme`, else `PLANNR_THEME`, else `theme` in the file, else dark;
/// then `[colors]`; and no colour at all when `NO_COLOR` is set (to anything but "").
pub fn resolve_theme(
    cli: &Cli,
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileConfig,
    config_path: Option<&Path>,
) -> Result<Theme, ConfigError> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let choice = nonempty(cli.theme.clone())
        .or_else(|| nonempty(env("PLANNR_THEME")))
        .or_else(|| nonempty(file.theme.clone()));
    let mut theme = match choice {
        None => Theme::dark(),
        Some(name) => match Theme::preset(&name) {
            Some(t) => t,
            None => {
                let mut path = expand_home(PathBuf::from(name.trim()));
                if path.is_relative()
                    && let Some(dir) = config_path.and_then(Path::parent)
                {
                    path = dir.join(path);
                }
                load_theme_file(&path)?
            }
        },
    };
    if let Some(colors) = &file.colors {
        let where_ = config_path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.toml".into());
        apply_colors(&mut theme, colors, &format!("[colors] in {where_}"))?;
    }
    if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        theme = theme.without_color();
    }
    Ok(theme)
}

fn load_theme_file(path: &Path) -> Result<Theme, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "theme {}: {e} (use \"dark\", \"light\" or the path of a theme file)",
            path.display()
        ))
    })?;
    let tf: ThemeFile = toml::from_str(&text)
        .map_err(|e| ConfigError(format!("theme {} is not valid: {e}", path.display())))?;
    let mut theme = match tf.base.as_deref() {
        None => Theme::dark(),
        Some(b) => Theme::preset(b).ok_or_else(|| {
            ConfigError(format!(
                "theme {}: base = {b:?} is not a preset (dark or light)",
                path.display()
            ))
        })?,
    };
    apply_colors(&mut theme, &tf.colors, &format!("theme {}", path.display()))?;
    Ok(theme)
}

fn apply_colors(
    theme: &mut Theme,
    colors: &std::collections::BTreeMap<String, String>,
    where_: &str,
) -> Result<(), ConfigError> {
    for (k, v) in colors {
        let c = parse_color(v).ok_or_else(|| {
            ConfigError(format!(
                "{where_}: {k} = {v:?} is not a colour (a name like \"cyan\", \"#rrggbb\", 0-255 or \"default\")"
            ))
        })?;
        if !theme.set(k, c) {
            return Err(ConfigError(format!(
                "{where_}: no colour called {k:?}; the colours are {}",
                Theme::KEYS.join(", ")
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plannr(r: &Resolved) -> &ClientConfig {
        r.client.as_ref().expect("Plannr configured")
    }

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
        assert_eq!(plannr(&r).base_url, "https://env.example");
        assert_eq!(plannr(&r).token.expose(), "env-token");
        assert_eq!(plannr(&r).account_uuid.as_deref(), Some("flag-acc"));
        let r = resolve(&cli(&["--token", "flag-token"]), &env, &file, None).unwrap();
        assert_eq!(plannr(&r).token.expose(), "flag-token");
        assert_eq!(plannr(&r).account_uuid.as_deref(), Some("file-acc"));
        let r = resolve(&cli(&[]), &env_of(&[]), &file, None).unwrap();
        assert_eq!(plannr(&r).token.expose(), "file-token");
        assert_eq!(plannr(&r).base_url, "https://file.example");
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
        assert_eq!(plannr(&r).base_url, DEFAULT_BASE_URL);
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
        assert_eq!(plannr(&r).token.expose(), "cmd-token");
        let bad = FileConfig {
            token_command: Some("exit 3".into()),
            ..FileConfig::default()
        };
        assert!(resolve(&cli(&[]), &env_of(&[]), &bad, None).is_err());
    }

    /// Issue 14: two lines or a control character used to become a token that failed every
    /// call with "failed to parse header value"; a hanging command blocked start-up silently.
    #[test]
    fn token_command_output_must_be_one_printable_line() {
        for cmd in ["printf 'SECRETX\\nsecond\\n'", "printf 'SECRETX\\033\\n'"] {
            let file = FileConfig {
                token_command: Some(cmd.into()),
                ..FileConfig::default()
            };
            let e = resolve(&cli(&[]), &env_of(&[]), &file, None)
                .err()
                .unwrap()
                .0;
            assert!(
                e.contains("the token_command's output is not a token"),
                "{cmd}: {e}"
            );
            assert!(!e.contains("SECRETX"), "the output is never shown: {e}");
        }
        let hung = FileConfig {
            token_command: Some("sleep 60".into()),
            token_command_timeout_secs: Some(1),
            ..FileConfig::default()
        };
        let e = resolve(&cli(&[]), &env_of(&[]), &hung, None)
            .err()
            .unwrap()
            .0;
        assert!(e.contains("token_command did not answer within 1 s"), "{e}");
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
    fn outreach_precedence_and_only_outreach_configured() {
        let file: FileConfig = toml::from_str(
            "[outreach]\nbase_url = \"https://file.outreach.example/api/v2\"\ntoken = \"file-o\"\n",
        )
        .unwrap();
        let env = env_of(&[("OUTREACH_TOKEN", "env-o")]);
        let r = resolve(&cli(&[]), &env, &file, None).unwrap();
        assert!(r.client.is_none(), "no Plannr token: Outreach alone");
        let o = r.outreach.as_ref().expect("outreach");
        assert_eq!(o.token.as_ref().map(Secret::expose), Some("env-o"));
        assert_eq!(o.base_url, "https://file.outreach.example/api/v2");
        let r = resolve(
            &cli(&[
                "--outreach-token",
                "flag-o",
                "--outreach-url",
                "http://127.0.0.1:9/api/v2",
                "--token",
                "p",
            ]),
            &env,
            &file,
            None,
        )
        .unwrap();
        let o = r.outreach.as_ref().expect("outreach");
        assert_eq!(o.token.as_ref().map(Secret::expose), Some("flag-o"));
        assert_eq!(o.base_url, "http://127.0.0.1:9/api/v2");
        assert!(r.client.is_some());
        assert!(!format!("{r:?}").contains("flag-o"));
        // Default URL, and plain http refused off this machine.
        let r = resolve(
            &cli(&["--outreach-token", "t"]),
            &env_of(&[]),
            &FileConfig::default(),
            None,
        )
        .unwrap();
        assert_eq!(
            r.outreach.map(|o| o.base_url),
            Some(DEFAULT_OUTREACH_URL.to_string())
        );
        let e = resolve(
            &cli(&[
                "--outreach-token",
                "t",
                "--outreach-url",
                "http://outreach.example/api/v2",
            ]),
            &env_of(&[]),
            &FileConfig::default(),
            None,
        )
        .err()
        .unwrap();
        assert!(e.0.contains("plain http"), "{e}");
        // Neither: refused as before.
        let e = resolve(&cli(&[]), &env_of(&[]), &FileConfig::default(), None)
            .err()
            .unwrap();
        assert!(e.0.contains("no Plannr token"), "{e}");
    }

    #[test]
    fn outreach_app_secret_commands_and_missing_login() {
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("tokens.json");
        let text = format!(
            "[outreach]\nclient_id = \"cid\"\nclient_secret_command = \"printf sec\"\ntoken_file = {:?}\n",
            token_file.display().to_string()
        );
        let file: FileConfig = toml::from_str(&text).unwrap();
        let app = outreach_app(&file).unwrap().expect("app");
        assert_eq!(app.client_secret.expose(), "sec");
        assert!(!format!("{app:?}").contains("sec\""));
        let e = resolve(&cli(&["--token", "p"]), &env_of(&[]), &file, None)
            .err()
            .unwrap();
        assert!(e.0.contains("outreach-login"), "{e}");
        crate::api::outreach::token::store(
            &token_file,
            &crate::api::outreach::token::StoredTokens {
                refresh_token: Some("rt".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let r = resolve(&cli(&[]), &env_of(&[]), &file, None).unwrap();
        let o = r.outreach.expect("configured by the login");
        assert!(o.token.is_none() && o.app.is_some());
        let bad: FileConfig = toml::from_str("[outreach]\nclient_id = \"cid\"\n").unwrap();
        assert!(
            outreach_app(&bad)
                .err()
                .unwrap()
                .0
                .contains("client_secret")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_readable_config_with_an_outreach_secret_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        for text in [
            "[outreach]\ntoken = \"o-value\"\n",
            "[outreach]\nclient_id = \"c\"\nclient_secret = \"o-value\"\n",
        ] {
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            let err = load_file(&path).err().unwrap();
            assert!(
                err.0.contains("chmod 600") && !err.0.contains("o-value"),
                "{err}"
            );
        }
        std::fs::write(
            &path,
            "[outreach]\nclient_id = \"c\"\nclient_secret_command = \"pass x\"\n",
        )
        .unwrap();
        assert!(load_file(&path).is_ok(), "a command is not a secret");
    }

    #[test]
    fn theme_from_flag_env_file_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config.toml");
        let no_env = env_of(&[]);
        let t = resolve_theme(&cli(&[]), &no_env, &FileConfig::default(), None).unwrap();
        assert_eq!(t, Theme::dark());
        let file = FileConfig {
            theme: Some("light".into()),
            ..FileConfig::default()
        };
        assert_eq!(
            resolve_theme(&cli(&[]), &no_env, &file, None).unwrap(),
            Theme::light()
        );
        assert_eq!(
            resolve_theme(&cli(&["--theme", "dark"]), &no_env, &file, None).unwrap(),
            Theme::dark()
        );
        // A theme file beside config.toml, overriding one colour of the light preset.
        std::fs::write(
            dir.path().join("mine.toml"),
            "base = \"light\"\naccent = \"#005f87\"\n",
        )
        .unwrap();
        let file: FileConfig =
            toml::from_str("theme = \"mine.toml\"\n[colors]\nerror = \"magenta\"\n").unwrap();
        let t = resolve_theme(&cli(&[]), &no_env, &file, Some(&cfg)).unwrap();
        assert_eq!(t.accent, ratatui::style::Color::Rgb(0, 0x5f, 0x87));
        assert_eq!(t.error, ratatui::style::Color::Magenta);
        assert_eq!(t.ok, Theme::light().ok);
        // NO_COLOR wins over everything.
        let t = resolve_theme(&cli(&[]), &env_of(&[("NO_COLOR", "1")]), &file, Some(&cfg)).unwrap();
        assert!(!t.color);
        assert_eq!(t.accent, ratatui::style::Color::Reset);
        // Mistakes are named.
        let bad: FileConfig = toml::from_str("[colors]\naccnet = \"red\"\n").unwrap();
        let e = resolve_theme(&cli(&[]), &no_env, &bad, None).unwrap_err();
        assert!(e.0.contains("accnet") && e.0.contains("accent"), "{e}");
        let bad: FileConfig = toml::from_str("[colors]\naccent = \"reddish\"\n").unwrap();
        let e = resolve_theme(&cli(&[]), &no_env, &bad, None).unwrap_err();
        assert!(e.0.contains("reddish"), "{e}");
        let e =
            resolve_theme(&cli(&["--theme", "solarised"]), &no_env, &file, Some(&cfg)).unwrap_err();
        assert!(e.0.contains("solarised") && e.0.contains("light"), "{e}");
    }

    #[test]
    fn completions_for_every_shell_and_a_man_page() {
        use clap::ValueEnum;
        for shell in clap_complete::Shell::value_variants() {
            let mut out = Vec::new();
            write_completions(*shell, &mut out);
            let text = String::from_utf8(out).unwrap();
            assert!(
                text.contains("plannr-tui")
                    && text.contains("demo-server")
                    && text.contains("theme"),
                "{shell}: {text}"
            );
        }
        let mut out = Vec::new();
        write_man(&mut out).unwrap();
        let man = String::from_utf8(out).unwrap();
        assert!(man.starts_with(".ie") || man.contains(".TH"), "{man}");
        assert!(
            man.contains("plannr\\-tui") && man.contains("PLANNR_TOKEN"),
            "{man}"
        );
    }

    #[test]
    fn help_is_written_for_users() {
        use clap::CommandFactory;
        let help = Cli::command().render_long_help().to_string();
        assert!(
            !help.contains("Secret") && !help.contains("Debug"),
            "{help}"
        );
        assert!(
            help.contains("--demo") && help.contains("NO_COLOR"),
            "{help}"
        );
    }

    #[test]
    fn drafts_dir_is_resolved_once_from_the_one_project_dirs() {
        let r = resolve(
            &cli(&["--token", "t"]),
            &env_of(&[]),
            &FileConfig::default(),
            None,
        )
        .unwrap();
        assert_eq!(r.settings.drafts_dir, default_drafts_dir());
        if let Some(d) = &r.settings.drafts_dir {
            let data = project_dirs().map(|p| p.data_dir().to_path_buf());
            assert_eq!(d.parent().map(Path::to_path_buf), data);
        }
    }

    #[test]
    fn download_dir_from_the_file() {
        let f: FileConfig = toml::from_str("download_dir = \"/srv/att\"\n").unwrap();
        let r = resolve(&cli(&["--token", "t"]), &env_of(&[]), &f, None).unwrap();
        assert_eq!(r.settings.download_dir, Some(PathBuf::from("/srv/att")));
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
