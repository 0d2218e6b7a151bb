//! The form's fields as the three-way merge sees them: a conflict check that finds the server's
//! copy moved merges per field and asks only about the fields both sides changed.
use super::super::drafts::Fields;
use super::Form;
use crate::api::models::ContactDetail;

/// A field of the form, as the three-way merge names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Label,
    Value,
    Owners,
    Primaries,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Label, Field::Value, Field::Owners, Field::Primaries];
    pub fn label(self) -> &'static str {
        match self {
            Field::Label => "Label",
            Field::Value => "Value",
            Field::Owners => "Owners",
            Field::Primaries => "Primary for",
        }
    }
}

pub(super) fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// Whether `a` and `b` hold the same value of field `f`.
fn same(f: Field, a: &Fields, b: &Fields) -> bool {
    match f {
        Field::Label => a.label == b.label,
        Field::Value => a.value == b.value,
        Field::Owners => same_set(&a.owners, &b.owners),
        Field::Primaries => same_set(&a.primaries, &b.primaries),
    }
}

/// Copy field `f` from `from` into `to`.
fn take(f: Field, to: &mut Fields, from: &Fields) {
    match f {
        Field::Label => to.label = from.label.clone(),
        Field::Value => to.value = from.value.clone(),
        Field::Owners => to.owners = from.owners.clone(),
        Field::Primaries => {
            to.primaries = from.primaries.clone();
            to.primaries_unknown = from.primaries_unknown;
        }
    }
}

/// Three-way merge per field: what only they changed is theirs, what only I changed is mine;
/// the fields both changed (to different values) are returned for the user to decide (`merged`
/// keeps mine there).
pub fn merge3(base: &Fields, mine: &Fields, theirs: &Fields) -> (Fields, Vec<Field>) {
    let mut merged = mine.clone();
    let mut both = Vec::new();
    for f in Field::ALL {
        if same(f, mine, base) {
            take(f, &mut merged, theirs);
        } else if !same(f, theirs, base) && !same(f, mine, theirs) {
            both.push(f);
        }
    }
    (merged, both)
}

impl Form {
    /// Whether anything differs from how the form opened (owner order does not count).
    pub fn changed(&self) -> bool {
        let f = self.fields();
        Field::ALL.iter().any(|&x| !same(x, &f, &self.initial))
    }

    /// Put `f` into the form (editors keep their undo history).
    fn set_fields(&mut self, f: &Fields) {
        if self.label.text() != f.label {
            self.label.set_text(&f.label);
        }
        if self.value.text() != f.value {
            self.value.set_text(&f.value);
        }
        self.owners = f.owners.clone();
        self.primaries = f.primaries.clone();
    }

    /// Whether the server copy `theirs` differs, in any field the form sends, from the copy the
    /// form started from (what the server did not say is taken as unchanged).
    pub fn differs_from(&self, theirs: &ContactDetail) -> bool {
        let theirs_f = Fields::of_detail(theirs, Some(&self.initial));
        Field::ALL
            .iter()
            .any(|&x| !same(x, &theirs_f, &self.initial))
    }

    /// The conflict check read `theirs`, the freshest server copy: it becomes the form's starting
    /// point (base and `updated_at`), everything only they changed is taken, everything only I
    /// changed is kept, and the fields both changed are returned (the form keeps mine there).
    pub fn rebase(&mut self, theirs: &ContactDetail) -> Vec<Field> {
        let base = self.initial.clone();
        let theirs_f = Fields::of_detail(theirs, Some(&base));
        let (merged, both) = merge3(&base, &self.fields(), &theirs_f);
        for a in theirs.owners().iter().chain(theirs.primaries()) {
            self.offer(&a.uuid, &a.display_name());
        }
        self.set_fields(&merged);
        self.label.original = theirs_f.label.clone();
        self.value.original = theirs_f.value.clone();
        self.initial = theirs_f;
        self.base_updated_at = theirs.updated_at.clone();
        both
    }

    /// Conflict answered "theirs": the asked fields take the server's values.
    pub fn take_theirs(&mut self, fields: &[Field]) {
        let mut f = self.fields();
        for &x in fields {
            take(x, &mut f, &self.initial.clone());
        }
        self.set_fields(&f);
    }
}
