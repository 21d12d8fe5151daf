//! What a version's texts show it changed: its change lists as the recorded wordings give them, for versions
//! recorded from texts (a folder, a Word document), whose register lists say only what the import derived.

use crate::history::History;
use crate::id::ProvisionId;
use crate::model::{ChangeKind, Entry};

/// The provisions an entry's texts show it changed, in register order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextLists<'a> {
    /// A first wording the entry is recorded as adding (its `added` list names it).
    pub added: Vec<&'a ProvisionId>,
    /// A wording that replaced another.
    pub amended: Vec<&'a ProvisionId>,
    /// A wording taken out.
    pub removed: Vec<&'a ProvisionId>,
    /// A first wording the register does not record as added by the entry: it may have been in the text before,
    /// unrecorded (a Word Section imported into a register that held no text of it).
    pub first_recorded: Vec<&'a ProvisionId>,
}

impl TextLists<'_> {
    /// The list of one kind: `added`, `amended` or `removed`; `None` for a switch on or off, which texts do not
    /// show.
    pub fn of(&self, kind: ChangeKind) -> Option<&[&ProvisionId]> {
        match kind {
            ChangeKind::Added => Some(&self.added),
            ChangeKind::Amended => Some(&self.amended),
            ChangeKind::Removed => Some(&self.removed),
            ChangeKind::Activated | ChangeKind::Deactivated => None,
        }
    }
}

impl History {
    /// What `entry`'s texts show it changed, or `None` when it gave no text (its lists are the register's alone).
    pub fn text_lists(&self, entry: &Entry) -> Option<TextLists<'_>> {
        let &e = self.entry_index.get(&entry.id)?;
        let entry = &self.register.entries[e];
        let given = &self.entry_texts.get_or_init(|| self.index_entry_texts())[e];
        if given.is_empty() {
            return None;
        }
        let listed_added: std::collections::HashSet<&ProvisionId> = entry.added.listed.iter().collect();
        let mut lists = TextLists::default();
        for &(p, at) in given {
            let changes = &self.text_changes[p];
            let id = &self.register.provisions[p].id;
            let before = at.checked_sub(1).and_then(|i| changes[i].2);
            match (before, changes[at].2) {
                (None, Some(_)) if at == 0 && !listed_added.contains(id) => lists.first_recorded.push(id),
                (None, Some(_)) => lists.added.push(id),
                (Some(_), Some(_)) => lists.amended.push(id),
                (Some(_), None) => lists.removed.push(id),
                (None, None) => {}
            }
        }
        Some(lists)
    }

    /// Each entry's wordings, found in one pass over every provision's (a version page or a list of versions asks
    /// for many entries).
    fn index_entry_texts(&self) -> Vec<Vec<(usize, usize)>> {
        let mut index = vec![Vec::new(); self.register.entries.len()];
        for (p, changes) in self.text_changes.iter().enumerate() {
            for (at, &(_, e, _)) in changes.iter().enumerate() {
                index[e].push((p, at));
            }
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use crate::history::History;
    use crate::id::{EntryId, ProvisionId};
    use crate::model::ChangeKind;
    use crate::testing::{entry, provision, register};
    use crate::text::{TextAssignment, TextHash, Texts};

    fn assign(entry: &str, provision: &str, text: Option<&str>) -> TextAssignment {
        TextAssignment {
            entry: EntryId::parse(entry).expect("id"),
            provision: ProvisionId::parse(provision).expect("id"),
            text: text.map(TextHash::of),
        }
    }

    #[test]
    fn a_version_s_texts_show_what_it_added_amended_removed_and_first_recorded() {
        let reg = register(
            vec![provision("A", None), provision("B", None), provision("C", None), provision("D", None)],
            vec![
                entry("1", "2020-01-01", &[("added", "A"), ("added", "B")]),
                entry("2", "2021-01-01", &[("added", "C")]),
            ],
        );
        let texts = Texts {
            assignments: vec![
                assign("1", "A", Some("a")),
                assign("1", "B", Some("b")),
                assign("2", "A", Some("a2")),
                assign("2", "B", None),
                assign("2", "C", Some("c")),
                assign("2", "D", Some("d")),
            ],
            bodies: Default::default(),
        };
        let history = History::with_texts(reg, texts);
        let v2 = history.entry(&EntryId::parse("2").expect("id")).expect("2");
        let lists = history.text_lists(v2).expect("gave texts");
        fn names(list: &[&ProvisionId]) -> Vec<String> {
            list.iter().map(|p| p.to_string()).collect()
        }
        assert_eq!(names(&lists.added), ["C"]);
        assert_eq!(names(&lists.amended), ["A"]);
        assert_eq!(names(&lists.removed), ["B"]);
        assert_eq!(names(&lists.first_recorded), ["D"], "not listed as added: first recorded");
        assert_eq!(lists.of(ChangeKind::Activated), None);
        assert_eq!(lists.of(ChangeKind::Removed).map(names), Some(vec!["B".to_string()]));
        let v1 = history.entry(&EntryId::parse("1").expect("id")).expect("1");
        assert_eq!(names(&history.text_lists(v1).expect("gave texts").added), ["A", "B"]);
        let bare = History::new(history.register().clone());
        assert_eq!(bare.text_lists(v1), None, "no texts: the register's lists alone");
    }
}
