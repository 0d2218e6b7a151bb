//! The colour theme: presets, theme files and `[colors]`.
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Cli, ConfigError, FileConfig, expand_home};
use crate::ui::theme::{Theme, parse_color};

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
