//! The README's key tables are the key tables the handlers dispatch on (`keymap`): this fails
//! when a key is added, changed or removed without the README following (the failure prints the
//! section to paste).
use plannr_tui::app::Tab;
use plannr_tui::keymap::{Keymap, Scope};

fn table(title: &str, rows: &[(String, &str, &str)]) -> String {
    let mut s = format!("### {title}\n\n| key | action | does |\n|---|---|---|\n");
    for (k, a, d) in rows {
        let action = if a.is_empty() {
            String::new()
        } else {
            format!("`{a}`")
        };
        s.push_str(&format!("| `{}` | {action} | {d} |\n", k.trim()));
    }
    s
}

#[test]
fn readme_lists_every_key_of_every_pane() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let keys = Keymap::default();
    // Every pane in the registry, in tab order: adding a pane without its README table fails.
    let (digits, titles) = Tab::help_row();
    let mut global = vec![(digits.to_string(), "", titles)];
    global.extend(keys.rows(Scope::Global));
    let mut tables = vec![table("Everywhere `[keys.global]`", &global)];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let title = format!(
            "{} ({}) `[keys.{}]`",
            tab.title(),
            i + 1,
            tab.scope().name()
        );
        tables.push(table(&title, &keys.rows(tab.scope())));
    }
    let expected = tables.join("\n");
    assert!(
        readme.contains(&expected),
        "README.md's key tables are out of date; replace them with:\n\n{expected}"
    );
}

#[test]
fn readme_has_the_two_setup_commands() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    assert!(readme.contains("cargo run --release -- --demo"));
    assert!(readme.contains("    cargo test\n"));
}
