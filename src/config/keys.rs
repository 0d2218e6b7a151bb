//! `[keys]` in config.toml: the keys of an action, per pane and global, e.g.
//!
//! ```toml
//! [keys.mail]
//! open = ["Enter", "l"]
//! [keys.global]
//! quit = "Q"
//! ```
//!
//! An action's list replaces its default keys (an empty list unbinds it). Unknown sections and
//! actions, key names that cannot be read and conflicts (two actions on one key where both
//! could answer it, or a pane key a global key takes first) refuse the start with one sentence
//! each, naming the line.
use std::collections::BTreeMap;
use std::path::Path;

use super::{ConfigError, FileConfig};
use crate::keymap::{Keymap, Override};

/// The `[keys]` tables as read: section → action → its value (with where it is in the file).
pub type KeysFile = BTreeMap<String, BTreeMap<String, toml::Spanned<toml::Value>>>;

/// The effective keymap: the defaults with `file`'s `[keys]` applied.
pub fn keymap(file: &FileConfig, config_path: Option<&Path>) -> Result<Keymap, ConfigError> {
    let Some(sections) = &file.keys else {
        return Ok(Keymap::default());
    };
    let line = |offset: usize| -> usize {
        if file.line_starts.is_empty() {
            0
        } else {
            file.line_starts.partition_point(|&s| s <= offset)
        }
    };
    let mut overrides = Vec::new();
    let mut errors = Vec::new();
    for (scope, actions) in sections {
        for (action, value) in actions {
            let at = line(value.span().start);
            let keys = match value.get_ref() {
                toml::Value::String(s) => Some(vec![s.clone()]),
                toml::Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<String>>>(),
                _ => None,
            };
            match keys {
                Some(keys) => overrides.push(Override {
                    scope: scope.clone(),
                    action: action.clone(),
                    keys,
                    line: at,
                }),
                None => errors.push(format!(
                    "{}[keys.{scope}] {action} must be a key or a list of keys, like {action} = [\"Enter\", \"l\"].",
                    if at > 0 { format!("line {at}: ") } else { String::new() }
                )),
            }
        }
    }
    // Report in file order.
    overrides.sort_by_key(|o| o.line);
    match Keymap::with_overrides(&overrides) {
        Ok(map) if errors.is_empty() => Ok(map),
        Ok(_) => Err(refusal(errors, config_path)),
        Err(more) => {
            errors.extend(more);
            Err(refusal(errors, config_path))
        }
    }
}

fn refusal(errors: Vec<String>, config_path: Option<&Path>) -> ConfigError {
    let where_ = config_path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "config.toml".into());
    let n = errors.len();
    let head = if n == 1 {
        format!("{where_}: a mistake in [keys]:")
    } else {
        format!("{where_}: {n} mistakes in [keys]:")
    };
    ConfigError(format!(
        "{head}\n  {}\n(the README's Keys section lists every action and its default keys)",
        errors.join("\n  ")
    ))
}

/// Offsets where each line of `text` starts, for line numbers from spans.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileConfig {
        let mut f: FileConfig = toml::from_str(text).expect("toml");
        f.line_starts = line_starts(text);
        f
    }

    #[test]
    fn remaps_apply_and_the_rest_stay_default() {
        let f = file(
            "theme = \"dark\"\n[keys.mail]\nopen = [\"Enter\", \"l\"]\n[keys.global]\nquit = \"Q\"\n",
        );
        let m = keymap(&f, None).expect("valid");
        use crate::keymap::{Action, Scope};
        assert_eq!(m.label(Scope::Mail, Action::Open), "Enter / l");
        assert_eq!(m.label(Scope::Global, Action::Quit), "Q");
        assert_eq!(m.label(Scope::Mail, Action::Back), "Esc / q");
        assert_eq!(keymap(&file(""), None), Ok(Keymap::default()));
    }

    #[test]
    fn every_mistake_is_reported_with_its_line() {
        let text =
            "[keys.mail]\nopne = \"l\"\nopen = \"Entr\"\ncopy = 5\n[keys.contacts]\nedit = \"L\"\n";
        let e = keymap(&file(text), Some(Path::new("/home/u/config.toml"))).unwrap_err();
        let msg = e.0;
        assert!(
            msg.starts_with("/home/u/config.toml: 3 mistakes in [keys]:"),
            "{msg}"
        );
        assert!(
            msg.contains("line 2: “opne” is not an action of [keys.mail]"),
            "{msg}"
        );
        assert!(
            msg.contains("line 3: [keys.mail] open: “Entr” is not a key"),
            "{msg}"
        );
        assert!(
            msg.contains("line 4: [keys.mail] copy must be a key or a list of keys"),
            "{msg}"
        );
        // A conflict is checked once the names are right.
        let e = keymap(&file("[keys.contacts]\nedit = \"L\"\n"), None).unwrap_err();
        assert!(
            e.0.contains(
                "line 2: L is the global “log” key, so “edit” in [keys.contacts] would never see it"
            ),
            "{}",
            e.0
        );
        let e = keymap(&file("[keys.mail]\ncopy = [\"y\", \"n\"]\n"), None).unwrap_err();
        assert!(e.0.contains("config.toml: a mistake in [keys]:"), "{}", e.0);
        assert!(
            e.0.contains("line 2: n is bound to both “next” and “copy”"),
            "{}",
            e.0
        );
    }

    #[test]
    fn a_section_that_is_not_a_table_is_refused_by_the_reader() {
        assert!(toml::from_str::<FileConfig>("[keys]\nopen = \"l\"\n").is_err());
    }

    /// The README's example and the commented one in assets/config.example.toml are valid.
    #[test]
    fn the_documented_examples_are_valid() {
        let readme = include_str!("../../README.md");
        let start = readme.find("#### Your own keys").expect("section");
        let section = &readme[start..];
        let end = section.find("\nKeys are written").expect("end of example");
        let example: String = section[..end]
            .lines()
            .filter_map(|l| l.strip_prefix("    "))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(example.contains("[keys.mail]"), "{example}");
        let m = keymap(&file(&example), None).expect("README example");
        use crate::keymap::{Action, Scope};
        assert_eq!(m.label(Scope::Mail, Action::Open), "Enter / l");
        let assets = include_str!("../../assets/config.example.toml");
        let start = assets.find("# [keys.global]").expect("keys example");
        let uncommented: String = assets[start..]
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .map(|l| format!("{l}\n"))
            .collect();
        keymap(&file(&uncommented), None).expect("config.example.toml example");
    }
}
