//! The README's key tables are the panes' own help lists: this fails when a key is added, changed
//! or removed in a pane without the README following (the failure prints the section to paste).
use plannr_tui::app::{GLOBAL_HELP, contacts, conversations, mail, mailboxes};

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
    let expected = [
        table("Everywhere", GLOBAL_HELP),
        table("Mailboxes (1)", mailboxes::HELP),
        table("Mail (2)", mail::HELP),
        table("Conversations (3)", conversations::HELP),
        table("Contacts (4)", contacts::HELP),
    ]
    .join("\n");
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
