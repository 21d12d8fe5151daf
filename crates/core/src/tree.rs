//! The provision tree: which provision stands above which, walked by id. `Register::tree` and `History::tree`
//! give the same walks; a `History` keeps the index it was built with, a `Register` builds one on asking.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::id::ProvisionId;
use crate::model::Provision;

/// The provisions of a register as a tree, in reading order (the register's order).
#[derive(Debug, Clone)]
pub struct ProvisionTree<'r> {
    provisions: &'r [Provision],
    index: Cow<'r, HashMap<ProvisionId, usize>>,
    parents: Cow<'r, [Option<usize>]>,
}

/// The position of each provision by id, and the position of each one's parent (`None` at the top, or when the
/// parent is not in the register).
pub(crate) fn index(provisions: &[Provision]) -> (HashMap<ProvisionId, usize>, Vec<Option<usize>>) {
    let index: HashMap<ProvisionId, usize> = provisions.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let parents = provisions.iter().map(|p| p.parent.as_ref().and_then(|parent| index.get(parent).copied())).collect();
    (index, parents)
}

impl<'r> ProvisionTree<'r> {
    /// Indexes `provisions` (a register's, in its order).
    pub fn new(provisions: &'r [Provision]) -> Self {
        let (index, parents) = index(provisions);
        Self { provisions, index: Cow::Owned(index), parents: Cow::Owned(parents) }
    }

    /// A tree over an index already built (a `History`'s).
    pub(crate) fn borrowed(
        provisions: &'r [Provision],
        index: &'r HashMap<ProvisionId, usize>,
        parents: &'r [Option<usize>],
    ) -> Self {
        Self { provisions, index: Cow::Borrowed(index), parents: Cow::Borrowed(parents) }
    }

    /// The provision with this id.
    pub fn get(&self, id: &ProvisionId) -> Option<&'r Provision> {
        self.index.get(id).map(|&i| &self.provisions[i])
    }

    /// The provisions above `id`, nearest first (its parent, then the parent's parent…); empty for a top-level or
    /// unknown provision. A register with a loop of parents (which `validate` refuses) stops after one round.
    pub fn ancestors(&self, id: &ProvisionId) -> Vec<&'r Provision> {
        let Some(&start) = self.index.get(id) else { return Vec::new() };
        self.chain(start).map(|i| &self.provisions[i]).collect()
    }

    /// Every provision under `id` (its parts, their parts, and so on), in reading order; empty for an unknown one.
    pub fn parts(&self, id: &ProvisionId) -> Vec<&'r Provision> {
        let Some(&root) = self.index.get(id) else { return Vec::new() };
        (0..self.provisions.len()).filter(|&i| self.chain(i).any(|a| a == root)).map(|i| &self.provisions[i]).collect()
    }

    /// Whether `part` stands under `whole` (at any depth; a provision is not under itself).
    pub fn is_under(&self, part: &ProvisionId, whole: &ProvisionId) -> bool {
        match (self.index.get(part), self.index.get(whole)) {
            (Some(&p), Some(&w)) => self.chain(p).any(|a| a == w),
            _ => false,
        }
    }

    /// The provision before `id` in reading order.
    pub fn previous(&self, id: &ProvisionId) -> Option<&'r Provision> {
        let at = *self.index.get(id)?;
        at.checked_sub(1).map(|i| &self.provisions[i])
    }

    /// The provision after `id` in reading order.
    pub fn next(&self, id: &ProvisionId) -> Option<&'r Provision> {
        let at = *self.index.get(id)?;
        self.provisions.get(at + 1)
    }

    /// The positions above position `p`, nearest first, at most one round of the register.
    fn chain(&self, p: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parents[p], |&q| self.parents[q]).take(self.provisions.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ProvisionKind;

    fn id(text: &str) -> ProvisionId {
        ProvisionId::parse(text).expect("id")
    }

    fn provision(text: &str, parent: Option<&str>) -> Provision {
        Provision::new(id(text), parent.map(id), ProvisionKind::Paragraph)
    }

    fn ids(found: Vec<&Provision>) -> Vec<&str> {
        found.into_iter().map(|p| p.id.as_str()).collect()
    }

    #[test]
    fn walks_up_nearest_first_and_down_in_reading_order_whatever_order_parents_come_in() {
        // H15.2 is listed before its parent H15: the walks do not rely on parents coming first.
        let provisions = vec![
            provision("H", None),
            provision("H15.2", Some("H15")),
            provision("H15", Some("H")),
            provision("H15.1", Some("H15")),
            provision("J", None),
            provision("J1", Some("J")),
        ];
        let tree = ProvisionTree::new(&provisions);
        assert_eq!(ids(tree.ancestors(&id("H15.2"))), ["H15", "H"]);
        assert_eq!(ids(tree.ancestors(&id("H"))), Vec::<&str>::new());
        assert_eq!(ids(tree.ancestors(&id("X9"))), Vec::<&str>::new());
        assert_eq!(ids(tree.parts(&id("H"))), ["H15.2", "H15", "H15.1"]);
        assert_eq!(ids(tree.parts(&id("H15"))), ["H15.2", "H15.1"]);
        assert_eq!(ids(tree.parts(&id("J1"))), Vec::<&str>::new());
        assert_eq!(ids(tree.parts(&id("X9"))), Vec::<&str>::new());
        assert!(tree.is_under(&id("H15.1"), &id("H")));
        assert!(!tree.is_under(&id("H"), &id("H")));
        assert!(!tree.is_under(&id("J1"), &id("H")));
        assert!(!tree.is_under(&id("X9"), &id("H")));
        assert_eq!(tree.get(&id("J1")).map(|p| p.id.as_str()), Some("J1"));
        assert_eq!(tree.previous(&id("J")).map(|p| p.id.as_str()), Some("H15.1"));
        assert_eq!(tree.previous(&id("H")).map(|p| p.id.as_str()), None);
        assert_eq!(tree.next(&id("J")).map(|p| p.id.as_str()), Some("J1"));
        assert_eq!(tree.next(&id("J1")).map(|p| p.id.as_str()), None);
    }

    #[test]
    fn a_loop_of_parents_ends_after_one_round() {
        let provisions = vec![provision("A1", Some("B1")), provision("B1", Some("A1")), provision("C", None)];
        let tree = ProvisionTree::new(&provisions);
        assert_eq!(tree.ancestors(&id("A1")).len(), 3);
        assert_eq!(ids(tree.parts(&id("C"))), Vec::<&str>::new());
    }
}
