//! Draft files: atomic writes, deletes and loading, run by the worker off the UI thread. The
//! draft format (keys, file names, JSON) is `app::contacts::drafts`; `app/` never touches files.
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::app::contacts::drafts::{Draft, file_name};
use crate::app::rename::RenameDraft;

/// `configured` (config resolves it once at start), else the platform's data dir + `drafts/`.
pub fn resolve_dir(configured: Option<&Path>) -> Option<PathBuf> {
    match configured {
        Some(p) => Some(p.to_path_buf()),
        None => crate::config::default_drafts_dir(),
    }
}

fn create_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Write atomically: a private temp file in the same directory, flushed, then renamed over the
/// old draft (so a crash leaves either the old or the new draft, never half of one).
pub fn write(dir: &Path, key: &str, json: &str) -> std::io::Result<()> {
    create_dir(dir)?;
    let name = file_name(key);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let result = (|| {
        let mut f = opts.open(&tmp)?;
        f.write_all(json.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, dir.join(&name))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Delete a draft; a draft that is already gone is fine.
pub fn delete(dir: &Path, key: &str) -> std::io::Result<()> {
    match std::fs::remove_file(dir.join(file_name(key))) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Every readable draft in `dir`: contact drafts (sorted by key), rename drafts (`rename-…`),
/// and a line per file that could not be read. A missing directory is simply no drafts.
pub fn load_all(dir: &Path) -> (Vec<Draft>, Vec<String>) {
    let (drafts, _, problems) = load_everything(dir);
    (drafts, problems)
}

/// `load_all` with the rename drafts too.
pub fn load_everything(dir: &Path) -> (Vec<Draft>, Vec<RenameDraft>, Vec<String>) {
    let mut drafts = Vec::new();
    let mut renames = Vec::new();
    let mut problems = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (drafts, renames, problems),
        Err(e) => {
            problems.push(format!("cannot read {}: {e}", dir.display()));
            return (drafts, renames, problems);
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || !name.ends_with(".json") {
            continue;
        }
        if name.starts_with("rename-") {
            match std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|s| RenameDraft::from_json(&s))
            {
                Ok(d) if file_name(&d.key) == name => renames.push(d),
                Ok(_) => problems.push(format!("{name}: its key does not match its file name")),
                Err(e) => problems.push(format!("{name}: {e}")),
            }
            continue;
        }
        match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|s| Draft::from_json(&s))
        {
            Ok(d) if file_name(&d.key) == name => drafts.push(d),
            Ok(_) => problems.push(format!("{name}: its key does not match its file name")),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    drafts.sort_by(|a, b| a.key.cmp(&b.key));
    renames.sort_by(|a, b| a.key.cmp(&b.key));
    (drafts, renames, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::contacts::drafts::tests::sample;
    use crate::app::contacts::drafts::{key_for_detail, key_for_new};

    #[test]
    fn round_trip_through_real_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("nested/drafts");
        let a = sample(&key_for_detail("d1"));
        let mut b = sample(&key_for_new("c1"));
        b.detail_uuid = None;
        b.base = None;
        write(&dir, &a.key, &a.to_json()).unwrap();
        write(&dir, &b.key, &b.to_json()).unwrap();
        // Overwrite: the newest write wins, no temp files are left.
        let mut a2 = a.clone();
        a2.fields.label = "Mobile (new)".into();
        write(&dir, &a2.key, &a2.to_json()).unwrap();
        std::fs::write(dir.join("garbage.json"), "{not json").unwrap();
        let (drafts, problems) = load_all(&dir);
        assert_eq!(drafts, vec![a2.clone(), b.clone()]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert!(!names.iter().any(|n| n.contains("tmp")), "{names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(file_name(&a.key)))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o077,
                0,
                "drafts hold personal data: private to the user"
            );
        }
        delete(&dir, &a.key).unwrap();
        delete(&dir, &a.key).unwrap(); // already gone is fine
        let (drafts, _) = load_all(&dir);
        assert_eq!(drafts, vec![b]);
        assert_eq!(load_all(&tmp.path().join("missing")), (vec![], vec![]));
    }
}
