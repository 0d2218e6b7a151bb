//! The one interface every pane implements, and the registry that lists the panes in tab order.
//!
//! `State` never names a pane outside the registry: tab keys (`1`..`9`, Tab, Shift-Tab), the tab
//! bar, the help overlay, key/paste/resize/timer routing and API answers all go through
//! [`State::pane`] / [`State::pane_mut`] and [`Route::tab`]. Adding a pane is: a module under
//! `app/` with a type implementing [`Pane`] and a `Route` enum, one line in the `panes!` call
//! below (plus the field in `State` it names), and one draw arm in `ui/mod.rs`.
use crossterm::event::KeyEvent;

use crate::keymap::{ALL_VIEWS, Scope, Views};

use super::{
    ApiResult, Core, RequestId, State, contacts, conversations, mail, mailboxes, outreach,
};

/// Which API a pane talks to. The account gate (choose a Plannr account first) holds back only
/// the Plannr panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Plannr,
    Outreach,
}

/// One pane: a tab with its own state, keys and requests. Every method but `on_show`, `on_key`
/// and `on_result` has a default. Its keys are its table in `keymap` (`Tab::scope`): `on_key`
/// asks `core.action(..)` what a key is and dispatches on the action.
pub trait Pane {
    /// Which of its views the pane shows, as the bits its key table uses (`keymap::view`):
    /// keys, help and the palette offer only the bindings of this view.
    fn view(&self) -> Views {
        ALL_VIEWS
    }

    /// The pane became the active tab (load what it shows, if not loaded).
    fn on_show(&mut self, core: &mut Core);

    /// A key while this pane is active. Returns whether the pane used it; an unused `q` quits.
    fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool;

    /// An answer to a request this pane made. `route` is always this pane's own variant of
    /// [`Route`] (the registry routes by it), so a pane starts with
    /// `let Route::Mine(route) = route else { return };`.
    fn on_result(&mut self, route: Route, id: RequestId, result: ApiResult, core: &mut Core);

    /// The backend this pane's calls go to.
    fn backend(&self) -> Backend {
        Backend::Plannr
    }

    /// Whether the pane is taking text input (so `q`, digits and `?` are typed, not keys).
    fn captures_input(&self) -> bool {
        false
    }

    /// Typed text that would be lost on quit (Ctrl-C then asks again).
    fn has_unsaved(&self) -> bool {
        false
    }

    /// The terminal was resized (`core.size` is already the new size).
    fn on_resize(&mut self, _core: &mut Core) {}

    /// Text pasted (bracketed paste) while this pane is active.
    fn on_paste(&mut self, _text: &str, _core: &mut Core) {}

    /// A debounce timer this pane armed with `core.debounce(tab)` fired (`seq` says which).
    fn on_tick(&mut self, _seq: u64, _core: &mut Core) {}

    /// A long job (download) of this pane reports progress.
    fn on_progress(
        &mut self,
        _route: Route,
        _id: RequestId,
        _done: u64,
        _total: Option<u64>,
        _core: &mut Core,
    ) {
    }

    /// The app is quitting: flush what must survive (drafts).
    fn on_quit(&mut self, _core: &mut Core) {}
}

/// The registry. Each line: `Tab variant => State field: module, "Title";`, in tab order (the
/// digit keys follow it). It generates `Tab`, the pane half of `Route`, and `State::pane{,_mut}`.
macro_rules! panes {
    ($($tab:ident => $field:ident: $module:ident, $title:literal;)+) => {
        /// The panes, in tab order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Tab {
            $($tab),+
        }

        impl Tab {
            pub const ALL: [Tab; [$($title),+].len()] = [$(Tab::$tab),+];

            pub fn title(self) -> &'static str {
                match self {
                    $(Tab::$tab => $title),+
                }
            }

            /// Its key table.
            pub fn scope(self) -> Scope {
                match self {
                    $(Tab::$tab => Scope::$tab),+
                }
            }
        }

        /// Where an API answer goes: the login picker, or a pane with its own route type.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Route {
            Logins,
            $($tab($module::Route)),+
        }

        impl Route {
            /// The pane this answer belongs to (None: the login picker).
            pub fn tab(&self) -> Option<Tab> {
                match self {
                    Route::Logins => None,
                    $(Route::$tab(_) => Some(Tab::$tab)),+
                }
            }
        }

        impl State {
            pub fn pane(&self, tab: Tab) -> &dyn Pane {
                match tab {
                    $(Tab::$tab => &self.$field),+
                }
            }

            /// The pane and the core, borrowed together (a pane handles a message with both).
            /// Status messages set meanwhile belong to `tab` (`Core::owner`).
            pub fn pane_mut(&mut self, tab: Tab) -> (&mut dyn Pane, &mut Core) {
                self.core.owner = Some(tab);
                match tab {
                    $(Tab::$tab => (&mut self.$field, &mut self.core)),+
                }
            }
        }
    };
}

panes! {
    Mailboxes => mailboxes: mailboxes, "Mailboxes";
    Mail => mail: mail, "Mail";
    Conversations => conversations: conversations, "Conversations";
    Contacts => contacts: contacts, "Contacts";
    Outreach => outreach: outreach, "Outreach";
}

impl Tab {
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab after (`step` 1) or before (`step` -1) this one, wrapping around.
    pub fn cycle(self, step: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        let i = (self.index() as isize + step).rem_euclid(n) as usize;
        Tab::ALL[i]
    }

    /// Like [`Tab::cycle`], skipping the tabs `shown` says are hidden (a backend not set up).
    pub fn cycle_shown(self, step: isize, shown: impl Fn(Tab) -> bool) -> Tab {
        let mut t = self;
        for _ in 0..Tab::ALL.len() {
            t = t.cycle(step);
            if shown(t) {
                return t;
            }
        }
        self
    }

    /// The tab a digit key selects (`1` is the first).
    pub fn from_digit(c: char) -> Option<Tab> {
        let d = c.to_digit(10)? as usize;
        d.checked_sub(1).and_then(|i| Tab::ALL.get(i)).copied()
    }

    /// The digit keys and the titles of every pane, for the README: "1 2 3 4 5" and
    /// "Mailboxes · Mail · … · Outreach".
    pub fn help_row() -> (&'static str, &'static str) {
        Tab::help_row_for(|_| true)
    }

    /// The digit keys and titles of the panes `shown` keeps (each keeps its own digit: with only
    /// Outreach set up, "5" and "Outreach"), for the `?` help.
    pub fn help_row_for(shown: impl Fn(Tab) -> bool) -> (&'static str, &'static str) {
        use std::collections::HashMap;
        use std::sync::{Mutex, OnceLock};
        // One row per set of shown panes, made once (there are at most 2^panes of them).
        type Rows = HashMap<u64, (&'static str, &'static str)>;
        static ROWS: OnceLock<Mutex<Rows>> = OnceLock::new();
        let picked: Vec<(usize, Tab)> = Tab::ALL
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, t)| shown(*t))
            .collect();
        let mask = picked.iter().fold(0u64, |m, (i, _)| m | 1 << (i % 64));
        let mut rows = ROWS
            .get_or_init(|| Mutex::new(HashMap::new()))
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *rows.entry(mask).or_insert_with(|| {
            let keys: Vec<String> = picked.iter().map(|(i, _)| (i + 1).to_string()).collect();
            let titles: Vec<&str> = picked.iter().map(|(_, t)| t.title()).collect();
            (
                Box::leak(keys.join(" ").into_boxed_str()),
                Box::leak(titles.join(" · ").into_boxed_str()),
            )
        })
    }
}

// The four panes written before the trait keep their inherent methods; these impls route the
// trait to them. A new pane implements `Pane` directly in its own file.
macro_rules! delegate {
    ($module:ident :: $ty:ident, $tab:ident) => {
        impl Pane for $module::$ty {
            fn view(&self) -> Views {
                $module::$ty::key_view(self)
            }
            fn on_show(&mut self, core: &mut Core) {
                $module::$ty::on_show(self, core)
            }
            fn on_key(&mut self, key: KeyEvent, core: &mut Core) -> bool {
                $module::$ty::on_key(self, key, core)
            }
            fn on_result(&mut self, route: Route, id: RequestId, result: ApiResult, core: &mut Core) {
                if let Route::$tab(r) = route {
                    $module::$ty::on_result(self, r, id, result, core)
                }
            }
            fn captures_input(&self) -> bool {
                $module::$ty::captures_input(self)
            }
            fn has_unsaved(&self) -> bool {
                $module::$ty::has_unsaved(self)
            }
            fn on_resize(&mut self, core: &mut Core) {
                $module::$ty::on_resize(self, core)
            }
            fn on_paste(&mut self, text: &str, core: &mut Core) {
                $module::$ty::on_paste(self, text, core)
            }
            fn on_tick(&mut self, seq: u64, core: &mut Core) {
                $module::$ty::on_debounce(self, seq, core)
            }
            delegate!(@extra $module::$ty, $tab);
        }
    };
    (@extra mail::MailPane, Mail) => {
        fn on_progress(
            &mut self,
            route: Route,
            id: RequestId,
            done: u64,
            total: Option<u64>,
            core: &mut Core,
        ) {
            if let Route::Mail(r) = route {
                mail::MailPane::on_progress(self, r, id, done, total, core)
            }
        }
    };
    (@extra contacts::ContactsPane, Contacts) => {
        fn on_quit(&mut self, core: &mut Core) {
            contacts::ContactsPane::on_quit(self, core)
        }
    };
    (@extra mailboxes::MailboxesPane, Mailboxes) => {
        fn on_quit(&mut self, core: &mut Core) {
            mailboxes::MailboxesPane::on_quit(self, core)
        }
    };
    (@extra conversations::ConversationsPane, Conversations) => {
        fn on_quit(&mut self, core: &mut Core) {
            conversations::ConversationsPane::on_quit(self, core)
        }
    };
    (@extra $module:ident :: $ty:ident, $tab:ident) => {};
}

delegate!(mailboxes::MailboxesPane, Mailboxes);
delegate!(mail::MailPane, Mail);
delegate!(conversations::ConversationsPane, Conversations);
delegate!(contacts::ContactsPane, Contacts);
