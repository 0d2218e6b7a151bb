//! The accounts the owners and primary-for fields offer.

pub(super) fn offered(
    client_uuid: &str,
    client_name: &str,
    others: &[(String, String)],
    must: &[&[String]],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(client_uuid.to_string(), client_name.to_string())];
    for (u, n) in others {
        if !out.iter().any(|(o, _)| o == u) {
            out.push((u.clone(), n.clone()));
        }
    }
    // Anything already an owner or primary is offered, so it can never vanish unseen.
    for u in must.iter().flat_map(|l| l.iter()) {
        if !out.iter().any(|(o, _)| o == u) {
            out.push((u.clone(), u.clone()));
        }
    }
    out
}

/// The clients Plannr lists as linked to the form's client (a joint account's partner, other
/// linked clients), asked for when the form opens and offered in their own section.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Linked {
    /// Asked, no answer yet.
    #[default]
    Asking,
    /// Plannr's answer: the linked clients' uuids (their names are in `Form::accounts`).
    Found(Vec<String>),
    /// The question failed: why, in a sentence (what is offered stays as it was).
    Failed(String),
}

impl super::Form {
    /// Offer `uuid` (named `name`) among the accounts, before the linked section. A placeholder
    /// name (the uuid itself) is replaced by a real one.
    pub fn offer(&mut self, uuid: &str, name: &str) {
        if let Some(a) = self.accounts.iter_mut().find(|(u, _)| u == uuid) {
            if a.1 == a.0 && name != uuid {
                a.1 = name.to_string();
            }
            return;
        }
        let at = self.linked_start();
        self.accounts
            .insert(at, (uuid.to_string(), name.to_string()));
        if self.cursor >= at && self.cursor + 1 < self.accounts.len() {
            self.cursor += 1;
        }
    }

    /// Where the linked section starts in `accounts` (its length when there is none): linked
    /// clients not offered otherwise come last.
    pub fn linked_start(&self) -> usize {
        self.accounts
            .iter()
            .position(|(u, _)| self.linked_only.contains(u))
            .unwrap_or(self.accounts.len())
    }

    /// Plannr answered which clients are linked (`Ok`: uuid and name each), or could not say.
    /// Nothing already offered, ticked or typed is removed.
    pub fn set_linked(&mut self, answer: Result<Vec<(String, String)>, String>) {
        match answer {
            Err(why) => self.linked = Linked::Failed(why),
            Ok(found) => {
                let mut uuids = Vec::new();
                for (uuid, name) in found {
                    if uuid.is_empty() || uuid == self.client_uuid || uuids.contains(&uuid) {
                        continue;
                    }
                    if let Some(a) = self.accounts.iter_mut().find(|(u, _)| *u == uuid) {
                        if a.1 == a.0 {
                            a.1 = name.clone();
                        }
                    } else {
                        self.accounts.push((uuid.clone(), name));
                        self.linked_only.push(uuid.clone());
                    }
                    uuids.push(uuid);
                }
                self.linked = Linked::Found(uuids);
            }
        }
    }
}
