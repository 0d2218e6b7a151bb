//! What the documents say a conversation carries beyond its name (seed 002): whether this account
//! may rename it (`is_admin`), its tags, and the case it belongs to — as the panes show them.
use super::ConversationsPane;
use crate::api::models::Conversation;

impl ConversationsPane {
    /// The conversation as this pane knows it (the open one, else its list row).
    fn known(&self, uuid: &str) -> Option<&Conversation> {
        self.open
            .as_ref()
            .map(|v| &v.conv)
            .filter(|c| c.uuid == uuid)
            .or_else(|| self.row(uuid).map(|r| &r.conv))
    }

    /// Why `r` is not offered: Plannr said (`is_admin: false`) this account is not an admin of
    /// the conversation, and only its admins may rename it. `None` when allowed or not known.
    pub fn rename_not_allowed(&self, uuid: &str) -> Option<String> {
        let c = self.known(uuid)?;
        (c.is_admin == Some(false)).then(|| {
            format!(
                "Only an admin of “{}” can rename it (Plannr says you are not one): ask whoever started it, or a firm admin.",
                c.name
            )
        })
    }
}

/// The tags of a conversation as one short line ("Mortgage, Pension"), empty when none.
pub fn tags_line(c: &Conversation) -> String {
    c.tags
        .iter()
        .map(|t| t.name.as_str())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The case a conversation belongs to, as a person reads it: `Some("finance")` with the case's
/// name, `Some("a case")` when Plannr only said it belongs to one, `None` otherwise.
pub fn case_line(c: &Conversation) -> Option<String> {
    match (&c.case, c.belongs_to_case) {
        (Some(case), _) if !case.name.is_empty() => Some(case.name.clone()),
        (_, Some(true)) | (Some(_), _) => Some("a case".into()),
        _ => None,
    }
}
