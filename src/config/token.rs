//! The Plannr token: where it comes from (flag > `PLANNR_TOKEN` > `token` in the file >
//! `token_command`), and reading it again from there while the app runs, after Plannr refused
//! it (the 401 screen's `R`), so a user who fixed it need not restart.
use std::path::{Path, PathBuf};

use super::{Cli, ConfigError, FileConfig, command, command_timeout, load_file, run_token_command};
use crate::api::Secret;

/// Where the token was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Env,
    File,
    Command,
}

impl TokenSource {
    /// As the user set it: "--token", "PLANNR_TOKEN", "token in PATH", "token_command in PATH".
    pub fn describe(self, config_path: Option<&Path>) -> String {
        let file = config_path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.toml".into());
        match self {
            TokenSource::Flag => "--token".into(),
            TokenSource::Env => "PLANNR_TOKEN".into(),
            TokenSource::File => format!("token in {file}"),
            TokenSource::Command => format!("token_command in {file}"),
        }
    }

    /// Whether what it gives can change while the app runs (a file or a command's answer can;
    /// the command line and the environment of a running process cannot).
    pub fn can_change(self) -> bool {
        matches!(self, TokenSource::File | TokenSource::Command)
    }
}

/// The first token found, in order of precedence, and where. `quiet`: the app owns the
/// terminal, so a `token_command` may not write to it.
pub(super) fn plannr_token(
    flag: Option<&Secret>,
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileConfig,
    quiet: bool,
) -> Result<Option<(String, TokenSource)>, ConfigError> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let expose = |s: Option<&Secret>| s.map(|s| s.expose().to_string());
    let found = nonempty(expose(flag))
        .map(|t| (t, TokenSource::Flag))
        .or_else(|| nonempty(env("PLANNR_TOKEN")).map(|t| (t, TokenSource::Env)))
        .or_else(|| nonempty(expose(file.token.as_ref())).map(|t| (t, TokenSource::File)));
    if let Some((t, from)) = found {
        return Ok(Some((t.trim().to_string(), from)));
    }
    let Some(cmd) = &file.token_command else {
        return Ok(None);
    };
    let timeout = command_timeout(file);
    let token = if quiet {
        command::run_quiet("token_command", cmd, timeout)?
    } else {
        run_token_command(cmd, timeout)?
    };
    Ok(Some((token, TokenSource::Command)))
}

/// Looks an environment variable up.
type Env = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// A token read again, and where from.
pub struct TokenFound {
    pub token: Secret,
    pub from: TokenSource,
    /// `from` as the user set it (see `TokenSource::describe`).
    pub described: String,
}

/// Reads the Plannr token again the way start-up found it: the same flag, the environment, the
/// config file read afresh from the same path (a token the user fixed there is seen), its
/// `token_command` run again. Blocking (a command may take up to its timeout): run it off the
/// UI thread.
pub struct TokenReader {
    flag: Option<Secret>,
    config_path: Option<PathBuf>,
    env: Env,
}

impl std::fmt::Debug for TokenReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenReader")
            .field("flag", &self.flag)
            .field("config_path", &self.config_path)
            .finish()
    }
}

impl TokenReader {
    /// As the app started: `cli`'s flag, the process environment, the file at `config_path`.
    pub fn new(cli: &Cli, config_path: Option<PathBuf>) -> TokenReader {
        TokenReader::with_env(cli.token.clone(), config_path, |k| std::env::var(k).ok())
    }

    /// With the environment looked up by `env` (tests).
    pub fn with_env(
        flag: Option<Secret>,
        config_path: Option<PathBuf>,
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> TokenReader {
        TokenReader {
            flag,
            config_path,
            env: Box::new(env),
        }
    }

    /// Read it again. Every failure is one sentence for the 401 screen (the token itself, and a
    /// command's output, never appear in it).
    pub fn read(&self) -> Result<TokenFound, ConfigError> {
        let path = self.config_path.as_deref();
        let file = match path {
            Some(p) => load_file(p)?,
            None => FileConfig::default(),
        };
        let where_ = path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.toml".into());
        match plannr_token(self.flag.as_ref(), &self.env, &file, true)? {
            Some((token, from)) => Ok(TokenFound {
                token: Secret::new(token),
                from,
                described: from.describe(path),
            }),
            None => Err(ConfigError(format!(
                "no Plannr token found any more: put token or token_command in {where_}"
            ))),
        }
    }
}
