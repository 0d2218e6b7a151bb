//! The test that swaps the process-wide panic hook lives in its own test binary: in the library's
//! unit tests it would change what every other test's panic does while it runs.
use plannr_tui::worker::{contain, panic_is_contained};

/// The hook is one per process: the tests here take turns with it.
static HOOK: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn contained_panics_are_flagged_and_the_flag_resets() {
    let _turn = HOOK.lock().unwrap_or_else(|e| e.into_inner());
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen2 = seen.clone();
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |_| {
        if panic_is_contained() {
            seen2.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }));
    let r = std::thread::spawn(|| {
        let caught = std::panic::catch_unwind(|| contain(|| panic!("hostile input")));
        (caught.is_err(), panic_is_contained())
    })
    .join();
    std::panic::set_hook(prev);
    let (panicked, still_flagged) = r.unwrap_or((false, true));
    assert!(panicked);
    assert!(!still_flagged, "the flag is reset after unwinding");
    assert!(
        seen.load(std::sync::atomic::Ordering::SeqCst),
        "the hook saw the flag"
    );
    assert_eq!(contain(|| 7), 7);
    assert!(!panic_is_contained());
}

/// The crash path: a panic hook that calls `drafts_guard::flush_all_drafts` (as the binary's
/// does, before restoring the terminal) writes every unsaved text remembered after the last
/// batch, so a crash loses nothing typed.
#[test]
fn a_panic_flushes_the_remembered_drafts() {
    let _turn = HOOK.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().unwrap();
    plannr_tui::drafts_guard::remember(
        Some(tmp.path().to_path_buf()),
        vec![(
            "rename-mailbox-m1".into(),
            r#"{"version":1,"key":"rename-mailbox-m1","what":"mailbox","target":"m1","original":"Box","typed":"Box!"}"#.into(),
        )],
    );
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {
        plannr_tui::drafts_guard::flush_all_drafts();
    }));
    let _ = std::thread::spawn(|| panic!("crash")).join();
    std::panic::set_hook(prev);
    let written = std::fs::read_to_string(tmp.path().join("rename-mailbox-m1.json")).unwrap();
    let d = plannr_tui::app::rename::RenameDraft::from_json(&written).unwrap();
    assert_eq!(d.typed, "Box!");
}
