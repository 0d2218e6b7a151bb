//! Where each message of a thread sits in `Thread::msgs`, by uuid, without a second copy of
//! every uuid: the table holds positions and hashes the message's own uuid. Rebuilt after each
//! page (the list is re-sorted then), which costs one small table and no string per message;
//! with `String` keys a 10,000-message thread kept 10,000 extra uuids (about 0.9 MB) and cloned
//! them all again for every page that arrived.
use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;

use super::TMsg;

#[derive(Debug, Clone, Default)]
pub struct Index {
    table: HashTable<u32>,
    hasher: RandomState,
}

impl Index {
    fn hash(&self, uuid: &str) -> u64 {
        self.hasher.hash_one(uuid)
    }

    /// The position of `uuid` in `msgs` (the list this index was built over).
    pub fn get(&self, msgs: &[TMsg], uuid: &str) -> Option<usize> {
        self.table
            .find(self.hash(uuid), |&i| {
                msgs.get(i as usize).is_some_and(|m| m.m.uuid == uuid)
            })
            .map(|&i| i as usize)
    }

    /// Record that `msgs[i]` is where its uuid is (a uuid already recorded keeps its place).
    pub fn insert(&mut self, msgs: &[TMsg], i: usize) {
        let (Some(m), Ok(pos)) = (msgs.get(i), u32::try_from(i)) else {
            return;
        };
        if self.get(msgs, &m.m.uuid).is_some() {
            return;
        }
        let hasher = &self.hasher;
        self.table
            .insert_unique(hasher.hash_one(m.m.uuid.as_str()), pos, |&j| {
                msgs.get(j as usize)
                    .map_or(0, |m| hasher.hash_one(m.m.uuid.as_str()))
            });
    }

    /// Index every message of `msgs` (the first of a repeated uuid wins).
    pub fn rebuild(&mut self, msgs: &[TMsg]) {
        self.table.clear();
        self.table.reserve(msgs.len(), |_| 0);
        for i in 0..msgs.len() {
            self.insert(msgs, i);
        }
    }

    pub fn clear(&mut self) {
        self.table.clear();
    }
}
