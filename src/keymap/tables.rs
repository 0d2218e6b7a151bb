//! The default tables, one per scope, in the order help lists them. The views a binding works in
//! are bits named in [`view`]; a key may be bound twice in one table only where the two bindings
//! never share a view.
use super::{ALL_VIEWS, Action, Action::*, Binding, Entry, Scope, Views};

/// The views of each pane, as bits (a pane says which one it shows; see `Pane::view`).
pub mod view {
    use super::Views;
    pub const LIST: Views = 1;
    pub const MAIL_CLIENTS: Views = 1;
    pub const MAIL_EMAILS: Views = 2;
    pub const MAIL_THREAD: Views = 4;
    pub const CONV_LIST: Views = 1;
    pub const CONV_OPEN: Views = 2;
    pub const CONTACTS_CLIENTS: Views = 1;
    pub const CONTACTS_DETAILS: Views = 2;
    pub const OUTREACH_BOXES: Views = 1;
    pub const OUTREACH_MAILINGS: Views = 2;
    pub const OUTREACH_OPEN: Views = 4;
}
use view::*;

const fn k(
    action: Action,
    keys: &'static [&'static str],
    views: Views,
    help: &'static str,
) -> Entry {
    Entry::Key(Binding {
        action,
        keys,
        views,
        help,
        first: false,
    })
}

/// A global key checked before the pane sees it.
const fn first(action: Action, keys: &'static [&'static str], help: &'static str) -> Entry {
    Entry::Key(Binding {
        action,
        keys,
        views: ALL_VIEWS,
        help,
        first: true,
    })
}

const fn note(keys: &'static str, help: &'static str) -> Entry {
    Entry::Note(keys, help)
}

pub fn table(scope: Scope) -> &'static [Entry] {
    match scope {
        Scope::Global => GLOBAL,
        Scope::Mailboxes => MAILBOXES,
        Scope::Mail => MAIL,
        Scope::Conversations => CONVERSATIONS,
        Scope::Contacts => CONTACTS,
        Scope::Outreach => OUTREACH,
    }
}

const GLOBAL: &[Entry] = &[
    first(NextPane, &["Tab"], "next pane"),
    first(PrevPane, &["Shift-Tab"], "previous pane"),
    first(
        Help,
        &["?"],
        "this help (j/k scroll it, any other key closes it)",
    ),
    first(
        Palette,
        &[":", "Ctrl-p"],
        "command palette: every action here with its key; type to filter, Enter runs it",
    ),
    k(
        Quit,
        &["q"],
        ALL_VIEWS,
        "quit (in a pane, q and Esc first go back one level)",
    ),
    first(
        Log,
        &["L"],
        "message log: every status message with its time (j/k scroll, any other key closes)",
    ),
    k(
        Accounts,
        &["R"],
        ALL_VIEWS,
        "before an account is chosen: list your accounts again",
    ),
    first(
        QuitNow,
        &["Ctrl-c"],
        "quit from anywhere (asks again while unsaved text is open)",
    ),
    first(Redraw, &["Ctrl-l"], "redraw the whole screen"),
    first(
        Suspend,
        &["Ctrl-z"],
        "suspend to the shell (fg resumes); in a text field: undo",
    ),
];

/// Moving, the same in every pane (`more` says what else happens).
macro_rules! nav {
    ($views:expr, $what:literal) => {
        [
            k(Down, &["j", "Down"], $views, concat!("down", $what)),
            k(Up, &["k", "Up"], $views, concat!("up", $what)),
            k(PageDown, &["PageDown"], $views, "a page down"),
            k(PageUp, &["PageUp"], $views, "a page up"),
            k(HalfDown, &["Ctrl-d"], $views, "half a page down"),
            k(HalfUp, &["Ctrl-u"], $views, "half a page up"),
        ]
    };
}

const EDITOR_NOTES: [Entry; 3] = [
    note(
        "  Enter / Esc",
        "save / cancel (asks first if you changed it)",
    ),
    note("  Ctrl-A/E Alt-B/F", "start / end, word back / forward"),
    note(
        "  Ctrl-W/U Ctrl-Z/R",
        "delete word (to a space) / to start, undo / redo",
    ),
];

const MAILBOXES: &[Entry] = &{
    let n = nav!(ALL_VIEWS, "");
    [
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        k(Top, &["g", "Home"], ALL_VIEWS, "first mailbox"),
        k(Bottom, &["G", "End"], ALL_VIEWS, "last mailbox"),
        k(
            Toggle,
            &["Space"],
            ALL_VIEWS,
            "enable / disable the mailbox (disabling asks first)",
        ),
        k(
            Rename,
            &["r"],
            ALL_VIEWS,
            "rename the mailbox; on a failed save, reopens your text",
        ),
        EDITOR_NOTES[0],
        EDITOR_NOTES[1],
        EDITOR_NOTES[2],
        k(
            Open,
            &["Enter"],
            ALL_VIEWS,
            "open Mail limited to this mailbox",
        ),
        k(Refresh, &["R"], ALL_VIEWS, "refresh"),
    ]
};

const MAIL: &[Entry] = &{
    let n = nav!(ALL_VIEWS, " (a thread scrolls)");
    [
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        k(
            Top,
            &["g", "Home"],
            ALL_VIEWS,
            "first row · a thread's first message (the pages between load as they come on screen)",
        ),
        k(
            Bottom,
            &["G", "End"],
            ALL_VIEWS,
            "last row · a thread's last message",
        ),
        k(Forward, &["f"], MAIL_THREAD, "thread: a page down"),
        k(Backward, &["b"], MAIL_THREAD, "thread: a page up"),
        k(
            Search,
            &["/"],
            MAIL_CLIENTS | MAIL_EMAILS,
            "search (clients by name, emails by subject, text or people); ↑ brings back the last",
        ),
        k(
            Open,
            &["Enter"],
            ALL_VIEWS,
            "choose the client · open the thread · expand/collapse a message · retry a failed page",
        ),
        k(Back, &["Esc", "q"], ALL_VIEWS, "back one level"),
        k(
            Incoming,
            &["i"],
            MAIL_EMAILS,
            "emails: all → incoming → outgoing",
        ),
        k(
            ClearMailbox,
            &["m"],
            MAIL_CLIENTS | MAIL_EMAILS,
            "emails: clear the mailbox filter",
        ),
        k(
            Refresh,
            &["R"],
            MAIL_CLIENTS | MAIL_EMAILS,
            "reload the list (clients: retry the page that failed)",
        ),
        k(
            Toggle,
            &["Space"],
            MAIL_THREAD,
            "thread: expand / collapse the focused message",
        ),
        k(
            ToggleAll,
            &["o"],
            MAIL_THREAD,
            "thread: expand / collapse all",
        ),
        k(Next, &["n"], MAIL_THREAD, "thread: next message"),
        k(Prev, &["p"], MAIL_THREAD, "thread: previous message"),
        k(
            ViewMode,
            &["v"],
            MAIL_THREAD,
            "thread: rendered HTML → plain text → source",
        ),
        k(
            Quotes,
            &["z"],
            MAIL_THREAD,
            "thread: fold / unfold quoted text",
        ),
        k(
            Attachment,
            &["a"],
            MAIL_THREAD,
            "thread: next attachment of the message",
        ),
        k(
            Save,
            &["s"],
            MAIL_THREAD,
            "thread: save the chosen attachment to your download folder",
        ),
        k(
            Copy,
            &["y"],
            MAIL_THREAD,
            "thread: copy the message text (OSC 52, if enabled in the config)",
        ),
        k(Retry, &["r"], ALL_VIEWS, "retry a page that failed"),
    ]
};

const CONVERSATIONS: &[Entry] = &{
    let n = nav!(ALL_VIEWS, " (more conversations load as you go)");
    [
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        k(
            Top,
            &["g", "Home"],
            ALL_VIEWS,
            "first conversation · an open conversation's oldest message",
        ),
        k(
            Bottom,
            &["G", "End"],
            ALL_VIEWS,
            "last conversation · an open conversation's newest message",
        ),
        k(
            Forward,
            &["Space"],
            CONV_OPEN,
            "open conversation: a page down",
        ),
        k(Open, &["Enter"], CONV_LIST, "open the conversation"),
        k(
            Rename,
            &["r"],
            ALL_VIEWS,
            "rename (in the list or the open conversation); on a failed save, reopens your text",
        ),
        EDITOR_NOTES[0],
        EDITOR_NOTES[1],
        EDITOR_NOTES[2],
        k(
            Search,
            &["/"],
            CONV_LIST,
            "filter the loaded conversations (↑ brings back the last, Esc clears)",
        ),
        k(
            Archived,
            &["a"],
            CONV_LIST,
            "show archived / active conversations",
        ),
        k(Pin, &["P"], CONV_LIST, "pin / unpin"),
        k(
            Refresh,
            &["R"],
            ALL_VIEWS,
            "refresh (or retry a page that failed)",
        ),
        k(
            Back,
            &["Esc", "q"],
            ALL_VIEWS,
            "back to the list, or clear the filter",
        ),
    ]
};

const CONTACTS: &[Entry] = &{
    let n = nav!(ALL_VIEWS, "");
    [
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        k(Top, &["g", "Home"], ALL_VIEWS, "first row"),
        k(Bottom, &["G", "End"], ALL_VIEWS, "last row"),
        k(
            Search,
            &["/"],
            CONTACTS_CLIENTS,
            "clients: search by name (Enter keeps it, Esc clears it, ↑ the last one)",
        ),
        k(
            Open,
            &["Enter"],
            ALL_VIEWS,
            "clients: open the client · details: edit the detail",
        ),
        k(
            Edit,
            &["e"],
            CONTACTS_DETAILS,
            "edit the selected detail inline",
        ),
        k(
            Add,
            &["a"],
            CONTACTS_DETAILS,
            "add an email or phone (then e or p)",
        ),
        k(
            Primary,
            &["p"],
            CONTACTS_DETAILS,
            "make the selected detail this client's primary of its type",
        ),
        k(
            Drafts,
            &["D"],
            CONTACTS_CLIENTS,
            "clients: open the client of an unsaved draft",
        ),
        k(
            Refresh,
            &["R"],
            ALL_VIEWS,
            "refresh (retry after a failure)",
        ),
        k(
            Retry,
            &["r"],
            CONTACTS_CLIENTS,
            "clients: retry the page that failed",
        ),
        k(
            Back,
            &["Esc", "q", "Backspace", "Left"],
            ALL_VIEWS,
            "back to the client list; clear the search",
        ),
        note("Form: Tab / Shift-Tab", "next / previous field"),
        note(
            "Form: ←/→ Space",
            "owners, primary-for: move, tick / untick",
        ),
        note(
            "Form: Enter / Ctrl-S",
            "save (checks the server copy first)",
        ),
        note("Form: Esc", "leave (asks when something changed)"),
        note("Conflict: m / t", "keep mine / keep theirs"),
        note(
            "Phones",
            "+44…, 07…, any +country number; another country's national number: AU 02 3456 7890",
        ),
    ]
};

const OUTREACH: &[Entry] = &{
    let n = nav!(ALL_VIEWS, "");
    [
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        k(
            Top,
            &["g", "Home"],
            ALL_VIEWS,
            "first row · top of a mailing",
        ),
        k(
            Bottom,
            &["G", "End"],
            ALL_VIEWS,
            "last row · end of a mailing",
        ),
        k(Forward, &["Space"], OUTREACH_OPEN, "mailing: a page down"),
        k(
            Toggle,
            &["Space"],
            OUTREACH_BOXES,
            "turn the mailbox's sync off / on",
        ),
        k(
            ToggleSend,
            &["S"],
            OUTREACH_BOXES,
            "turn the mailbox's sending off / on",
        ),
        k(
            TestSend,
            &["T"],
            OUTREACH_BOXES,
            "test sending from the mailbox",
        ),
        k(TestSync, &["Y"], OUTREACH_BOXES, "test syncing the mailbox"),
        k(
            Open,
            &["Enter"],
            OUTREACH_BOXES | OUTREACH_MAILINGS,
            "list the mailbox's mailings; on a mailing, open it",
        ),
        k(
            Back,
            &["Esc", "q"],
            OUTREACH_MAILINGS | OUTREACH_OPEN,
            "back (mailing → mailings → mailboxes)",
        ),
        k(
            Refresh,
            &["R"],
            OUTREACH_BOXES | OUTREACH_MAILINGS,
            "reload",
        ),
    ]
};
