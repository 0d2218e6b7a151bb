//! How much of each kind of answer is read (after decompression) before it is cut off: a page of
//! a list or of a thread is a few hundred kilobytes at most (a 500-item page of emails with
//! bodies is about 2 MB), one record or a save's answer far less. The error names what was cut
//! and the cap, so a user can tell a runaway server from a big mailbox.

/// Pages of lists and of threads.
pub const PAGE: usize = 4 * 1024 * 1024;
/// One record, the identity calls, and the answer to a save.
pub const RECORD: usize = 1024 * 1024;

/// The cap for one call (its method and path), and how the error names the answer.
pub fn for_call(method: &reqwest::Method, path: &str) -> (usize, &'static str) {
    if method != reqwest::Method::GET {
        return (RECORD, "the answer to a save");
    }
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["api", "v1", "logins"] => (RECORD, "the list of your logins"),
        ["api", "v1", "me"] => (RECORD, "your profile"),
        ["api", "v1", "mailboxes"] => (PAGE, "the mailbox list"),
        ["api", "v1", "mailboxes", "message", _] => (PAGE, "a page of the thread"),
        ["api", "v1", "client", _, "emails"] => (PAGE, "a page of emails"),
        ["api", "v1", "conversation"] => (PAGE, "a page of the conversation list"),
        ["api", "v1", "conversation", _, "messages"] => (PAGE, "a page of messages"),
        ["api", "v1", "conversation", _] => (RECORD, "the conversation"),
        ["api", "v1", "account"] => (PAGE, "a page of the client list"),
        ["api", "v2", "contact-details"] => (PAGE, "a page of contact details"),
        _ => (RECORD, "the answer"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    #[test]
    fn pages_get_a_few_megabytes_records_one() {
        let get = |p| for_call(&Method::GET, p);
        assert_eq!(get("/api/v1/mailboxes/message/u1").0, PAGE);
        assert_eq!(get("/api/v1/conversation").0, PAGE);
        assert_eq!(get("/api/v1/conversation/u1/messages").0, PAGE);
        assert_eq!(get("/api/v1/conversation/u1"), (RECORD, "the conversation"));
        assert_eq!(get("/api/v1/client/c1/emails").1, "a page of emails");
        assert_eq!(for_call(&Method::PUT, "/api/v1/mailboxes/m1").0, RECORD);
        const { assert!(PAGE < crate::api::http::DEFAULT_MAX_BODY) };
    }
}
