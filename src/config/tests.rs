use super::*;
use clap::Parser;

use crate::api::outreach::DEFAULT_OUTREACH_URL;
use crate::ui::theme::Theme;

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
    let e = resolve_theme(&cli(&["--theme", "solarised"]), &no_env, &file, Some(&cfg)).unwrap_err();
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
            text.contains("plannr-tui") && text.contains("demo-server") && text.contains("theme"),
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

/// After a 401 the token is read again the way start-up found it: a token fixed in config.toml,
/// or a token_command that now prints another one, is seen without a restart; a token from the
/// environment wins over the file and cannot change while the app runs; a broken file or a
/// vanished token is one sentence that never shows a token.
#[test]
fn the_token_is_read_again_from_where_it_came_from() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let write = |text: &str| {
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    };
    let reader = TokenReader::with_env(None, Some(path.clone()), |_| None);
    write("token = \"old-token\"\n");
    let found = reader.read().unwrap();
    assert_eq!(found.token.expose(), "old-token");
    assert_eq!(found.from, TokenSource::File);
    assert!(found.from.can_change());
    assert_eq!(found.described, format!("token in {}", path.display()));
    write("token = \"fixed-token\"\n");
    assert_eq!(reader.read().unwrap().token.expose(), "fixed-token");

    // token_command is run again (quietly: the app owns the terminal).
    let tok = dir.path().join("tok");
    std::fs::write(&tok, "first\n").unwrap();
    write(&format!(
        "token_command = \"echo noise >&2; cat '{}'\"\n",
        tok.display()
    ));
    let found = reader.read().unwrap();
    assert_eq!(
        (found.token.expose(), found.from),
        ("first", TokenSource::Command)
    );
    std::fs::write(&tok, "second\n").unwrap();
    assert_eq!(reader.read().unwrap().token.expose(), "second");

    // The environment still wins over the file, and a running process cannot see it change.
    let from_env = TokenReader::with_env(None, Some(path.clone()), |k| {
        (k == "PLANNR_TOKEN").then(|| "env-token".to_string())
    });
    let found = from_env.read().unwrap();
    assert_eq!(found.token.expose(), "env-token");
    assert_eq!(found.described, "PLANNR_TOKEN");
    assert!(!found.from.can_change());
    let from_flag =
        TokenReader::with_env(Some(Secret::new("flag-token")), Some(path.clone()), |_| {
            None
        });
    assert_eq!(from_flag.read().unwrap().described, "--token");

    // A broken file, a failing command, no token at all: a sentence each, no token in it.
    write("token = \"half-typed\n");
    let err = reader.read().err().unwrap();
    assert!(
        err.0.contains("is not valid") && !err.0.contains("half-typed"),
        "{err}"
    );
    write("token_command = \"exit 3\"\n");
    assert!(
        reader
            .read()
            .err()
            .unwrap()
            .0
            .contains("token_command failed")
    );
    write("base_url = \"https://x.example\"\n");
    let err = reader.read().err().unwrap();
    assert!(
        err.0.contains("no Plannr token found") && err.0.contains("config.toml"),
        "{err}"
    );
}
