//! The README's key tables are the panes' own help lists: this fails when a key is added, changed
//! or removed in a pane without the README following (the failure prints the section to paste).
use plannr_tui::app::{Settings, State, Tab, global_help};

fn table(title: &str, rows: &[(&str, &str)]) -> String {
    let mut s = format!("### {title}\n\n| key | does |\n|---|---|\n");
    for (k, d) in rows {
        s.push_str(&format!("| `{}` | {} |\n", k.trim(), d));
    }
    s
}

#[test]
fn readme_lists_every_key_of_every_pane() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    // Every pane in the registry, in tab order: adding a pane without its README table fails.
    let state = State::new(Settings::default(), Some("acc".into()), (80, 24));
    let mut tables = vec![table("Everywhere", &global_help())];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let title = format!("{} ({})", tab.title(), i + 1);
        tables.push(table(&title, state.pane(*tab).help()));
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
