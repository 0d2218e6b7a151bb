//! What the user chose (config file and flags) that the app reads: plain data, so `config`
//! (which fills it) and `app` (which reads it) share it without depending on each other.
use std::time::Duration;

/// Settings the panes need (from config and flags).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Thread page size (`per_page` of the thread view), 1..=500.
    pub thread_page_size: u32,
    /// Page size of the other lists.
    pub list_page_size: u32,
    /// How long an info/error message stays in the status bar.
    pub status_fade: Duration,
    pub search_debounce: Duration,
    /// `y` copies via OSC 52 only when this is on.
    pub osc52_copy: bool,
    /// Where contact-form drafts live. None: the platform data dir + `drafts/`. Tests set a tempdir.
    pub drafts_dir: Option<std::path::PathBuf>,
    /// Where attachments are saved. None: the platform's download folder.
    pub download_dir: Option<std::path::PathBuf>,
    /// Which backends are set up: a pane of a backend that is not is not shown.
    pub plannr: bool,
    pub outreach: bool,
    /// The effective key bindings (defaults with `[keys]` from config.toml applied).
    pub keys: std::sync::Arc<crate::keymap::Keymap>,
    /// How long one call may take in all (`call_deadline_secs`): the status bar counts down
    /// from it while a call is waited for.
    pub call_deadline: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            thread_page_size: 25,
            list_page_size: 50,
            status_fade: Duration::from_secs(8),
            search_debounce: Duration::from_millis(300),
            osc52_copy: false,
            drafts_dir: None,
            download_dir: None,
            plannr: true,
            outreach: false,
            keys: std::sync::Arc::default(),
            call_deadline: Duration::from_secs(30),
        }
    }
}
