//! The command line: flags, subcommands, completions and the manual page.
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::api::Secret;

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
        /// Put the invisible-character corpus (soft hyphens, fillers, flags, ZWJ sequences) into
        /// every name, subject and contact value, to see each pane drawn with it.
        #[arg(long)]
        invisible: bool,
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
