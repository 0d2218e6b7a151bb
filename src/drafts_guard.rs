//! What must reach the drafts directory if the process dies now: the binary hands the app's
//! unsaved texts (`State::unsaved_drafts`) here after every batch of messages, and anything that
//! ends the process abnormally — the panic hook, a SIGTERM/SIGHUP handler — calls
//! [`flush_all_drafts`] before the terminal is restored. Plain file I/O, no async, no UI.
use std::path::PathBuf;
use std::sync::Mutex;

struct Snapshot {
    dir: Option<PathBuf>,
    drafts: Vec<(String, String)>,
}

static SNAPSHOT: Mutex<Option<Snapshot>> = Mutex::new(None);

/// Remember the unsaved texts as (draft key, json) to write into `dir` (None: the platform data
/// dir) should the process die. Replaces what was remembered before.
pub fn remember(dir: Option<PathBuf>, drafts: Vec<(String, String)>) {
    let mut slot = match SNAPSHOT.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    *slot = Some(Snapshot { dir, drafts });
}

/// Write every remembered draft now (atomically, one file each). Safe to call from a panic hook or
/// a signal-handling task: it never blocks on the lock (a panic while it was held finds it free or
/// poisoned, both fine) and never panics. Returns how many drafts were written.
pub fn flush_all_drafts() -> usize {
    let guard = match SNAPSHOT.try_lock() {
        Ok(g) => g,
        Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return 0,
    };
    let Some(snap) = guard.as_ref() else {
        return 0;
    };
    let Some(dir) = crate::worker::drafts::resolve_dir(snap.dir.as_deref()) else {
        return 0;
    };
    snap.drafts
        .iter()
        .filter(|(key, json)| crate::worker::drafts::write(&dir, key, json).is_ok())
        .count()
}
