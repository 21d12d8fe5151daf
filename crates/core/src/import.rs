//! Joining texts to a register: complete version states (from a folder) or one version's changes become text
//! assignments, new provisions and new versions; and the checks that texts and register agree.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use crate::date::FuzzyDate;
use crate::diff::{DiffOptions, differs};
use crate::history::History;
use crate::id::{CodeId, EntryId, ProvisionId};
use crate::model::{ChangeKind, Code, Completeness, Entry, EntryKind, Instrument, Provision, ProvisionKind, Register};
use crate::point::Cut;
use crate::text::{TextAssignment, TextHash, Texts};
use crate::unicode::nfc;
use crate::validate::validate;

mod sections;
pub use sections::{
    ClauseText, MissingProvisions, SectionNote, SectionPlan, SectionPlanError, SectionText, SectionVersion,
    plan_sections,
};

/// The complete state of one version: every provision in it with its text, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTexts {
    /// The version's id.
    pub id: EntryId,
    /// When it took effect.
    pub effective: Date,
    /// A label for it (used as the summary of a version the register did not have).
    pub label: String,
    /// Provisions and their texts.
    pub texts: Vec<(ProvisionId, TextHash)>,
}

/// What to join to a register.
#[derive(Debug, Clone, Copy)]
pub struct TextImport<'a> {
    /// Complete states of some versions, in date order.
    pub versions: &'a [VersionTexts],
    /// Every provision named, in reading order (new provisions are added in this order).
    pub order: &'a [ProvisionId],
    /// Headings of the provisions, used as titles of provisions the register did not have.
    pub headings: &'a HashMap<ProvisionId, String>,
    /// Where provisions the register did not have go, when the import knows (a Word Section knows its
    /// sub-sections and clauses). Others are placed by their id: under the provision their id extends past its
    /// last `.`, if the register has it (a paragraph), else at the top (an article); at the end of the register.
    pub placements: &'a HashMap<ProvisionId, Placement>,
}

/// No placements: every new provision placed by its id.
#[mutants::skip] // An empty map leaked instead of kept in a static is the same map to every caller.
pub fn no_placements() -> &'static HashMap<ProvisionId, Placement> {
    static NONE: std::sync::LazyLock<HashMap<ProvisionId, Placement>> = std::sync::LazyLock::new(HashMap::new);
    &NONE
}

/// Where a provision new to the register goes: under its parent (after the parent's last descendant, so reading
/// order follows the document), with its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Its parent, which the register has or the import places before it; `None` at the top.
    pub parent: Option<ProvisionId>,
    /// Its kind.
    pub kind: ProvisionKind,
}

/// Why versions cannot be joined to a register; every one is reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    /// A version the register has takes effect on another day than the folder says.
    #[error("version {version} takes effect on {folder} in the folder but on {register} in the register")]
    DateDisagrees {
        /// The version.
        version: EntryId,
        /// Its date in the folder.
        folder: Date,
        /// Its date in the register.
        register: FuzzyDate,
    },
    /// A version's changes take out a provision that has no text on its date.
    #[error("cannot remove '{provision}': it has no text on {effective}")]
    NothingToRemove {
        /// The provision.
        provision: ProvisionId,
        /// The version's date.
        effective: Date,
    },
    /// The register the import would make breaks one of its rules (as `validate` words it).
    #[error("{0}")]
    Invalid(String),
}

/// The register and text assignments after an import.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The register with any new provisions and versions.
    pub register: Register,
    /// Every text assignment of the code (old ones kept, the imported versions' recomputed).
    pub assignments: Vec<TextAssignment>,
    /// Versions the register did not have before.
    pub new_versions: Vec<EntryId>,
    /// How many provisions the register did not have before.
    pub new_provisions: usize,
}

/// A version whose recorded texts an import would replace: the provisions whose text it would read otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The version.
    pub version: EntryId,
    /// The provisions whose recorded text differs from the import's (given it, changed, or taken out), in the
    /// register's reading order, then new ones in the import's order.
    pub provisions: Vec<ProvisionId>,
}

/// The versions of `import` whose texts are recorded (the register has the version, and it gave at least one
/// provision its text) and that the import would make read otherwise, each with the provisions that differ. A
/// canonically equivalent wording is the same text. Empty when the import only repeats recorded texts or adds
/// versions: what a text import may do without `--replace`.
pub fn replaced_texts(current: Option<&Register>, current_texts: &Texts, import: TextImport<'_>) -> Vec<Replaced> {
    let Some(register) = current else { return Vec::new() };
    let same = same_wording(current_texts);
    let mut by_entry: HashMap<&EntryId, Vec<&TextAssignment>> = HashMap::new();
    for assignment in &current_texts.assignments {
        by_entry.entry(&assignment.entry).or_default().push(assignment);
    }
    let imported: HashMap<&EntryId, &VersionTexts> = import.versions.iter().map(|v| (&v.id, v)).collect();
    let position: HashMap<&ProvisionId, usize> =
        register.provisions.iter().enumerate().map(|(i, p)| (&p.id, i)).collect();
    let in_import: HashMap<&ProvisionId, usize> = import.order.iter().enumerate().map(|(i, p)| (p, i)).collect();
    let mut state: HashMap<&ProvisionId, TextHash> = HashMap::new();
    let mut replaced = Vec::new();
    for entry in History::new(register.clone()).timeline(None, None) {
        let Some(recorded) = by_entry.get(&entry.id) else { continue };
        for assignment in recorded {
            match assignment.text {
                Some(hash) => state.insert(&assignment.provision, hash),
                None => state.remove(&assignment.provision),
            };
        }
        let Some(version) = imported.get(&entry.id) else { continue };
        let new: HashMap<&ProvisionId, TextHash> = version.texts.iter().map(|(p, h)| (p, *h)).collect();
        let mut differing: Vec<&ProvisionId> = state
            .iter()
            .filter(|(p, old)| new.get(*p).is_none_or(|new| !same(**old, *new)))
            .map(|(p, _)| *p)
            .chain(new.keys().copied().filter(|p| !state.contains_key(p)))
            .collect();
        if differing.is_empty() {
            continue;
        }
        differing.sort_by_key(|p| (position.get(p).copied().unwrap_or(usize::MAX), in_import.get(p).copied()));
        replaced.push(Replaced { version: entry.id.clone(), provisions: differing.into_iter().cloned().collect() });
    }
    replaced
}

/// Whether two text hashes are one wording: equal, or the same once composed (a stored text written by a build
/// that did not compose texts, against its composed form).
fn same_wording(texts: &Texts) -> impl Fn(TextHash, TextHash) -> bool + '_ {
    let composed: HashMap<TextHash, TextHash> = texts
        .bodies
        .iter()
        .filter_map(|(hash, body)| match nfc(body) {
            Cow::Owned(text) => Some((*hash, TextHash::of(&text))),
            Cow::Borrowed(_) => None,
        })
        .collect();
    move |a: TextHash, b: TextHash| {
        a == b || composed.get(&a).copied().unwrap_or(a) == composed.get(&b).copied().unwrap_or(b)
    }
}

/// Joins complete version states to the register of `code` (a new register when there is none). Versions the
/// register lacks are added, with their change lists derived from the texts; provisions it lacks are added too.
/// `current_texts` are the stored assignments and the texts they name. Returns every problem when the result
/// would not be a valid register.
///
/// Imported texts are in Normalization Form C ([`crate::text::normalise`]). A stored text that is canonically
/// equivalent to an imported one (stored by a build that did not compose texts) is the same wording: it is kept,
/// with its bytes and hash, and no change is derived from the difference in form.
pub fn merge_versions(
    code: &CodeId,
    current: Option<&Register>,
    current_texts: &Texts,
    import: TextImport<'_>,
) -> Result<Merged, Vec<ImportProblem>> {
    let same = same_wording(current_texts);
    let current_texts = &current_texts.assignments;
    let mut problems = Vec::new();
    let mut register = current.cloned().unwrap_or_else(|| Register::empty(Code::new(code.clone(), code.to_string())));
    let known: HashSet<ProvisionId> = register.provisions.iter().map(|p| p.id.clone()).collect();
    let mut new_provisions = 0;
    // Each provision's parent, kept up to date as placed provisions are added (only placements need it).
    let mut placed_parents: HashMap<ProvisionId, ProvisionId> = if import.placements.is_empty() {
        HashMap::new()
    } else {
        register.provisions.iter().filter_map(|p| p.parent.clone().map(|parent| (p.id.clone(), parent))).collect()
    };
    for id in import.order {
        if known.contains(id) {
            continue;
        }
        let title = import.headings.get(id).cloned();
        match import.placements.get(id) {
            Some(place) => {
                let at = place
                    .parent
                    .as_ref()
                    .and_then(|parent| after_descendants(&register.provisions, &placed_parents, parent));
                if let Some(parent) = &place.parent {
                    placed_parents.insert(id.clone(), parent.clone());
                }
                let provision = Provision { title, ..Provision::new(id.clone(), place.parent.clone(), place.kind) };
                register.provisions.insert(at.unwrap_or(register.provisions.len()), provision);
            }
            None => {
                let parent = id
                    .as_str()
                    .rsplit_once('.')
                    .and_then(|(prefix, _)| ProvisionId::parse(prefix).ok())
                    .filter(|p| register.provisions.iter().any(|q| &q.id == p));
                let kind = if parent.is_some() { ProvisionKind::Paragraph } else { ProvisionKind::Article };
                register.provisions.push(Provision { title, ..Provision::new(id.clone(), parent, kind) });
            }
        }
        new_provisions += 1;
    }
    let mut new_versions = Vec::new();
    for version in import.versions {
        match register.entries.iter().find(|e| e.id == version.id) {
            Some(entry) if entry.effective.exact() != Some(version.effective) => {
                problems.push(ImportProblem::DateDisagrees {
                    version: version.id.clone(),
                    folder: version.effective,
                    register: entry.effective,
                });
            }
            Some(_) => {}
            None => {
                let mut entry = Entry::new(
                    version.id.clone(),
                    EntryKind::Version,
                    FuzzyDate::Day(version.effective),
                    Instrument::Unknown,
                );
                entry.summary = version.label.clone();
                entry.notes.push("Added by a text import; its change lists are derived from the texts.".into());
                register.entries.push(entry);
                new_versions.push(version.id.clone());
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let imported: HashMap<&EntryId, &VersionTexts> = import.versions.iter().map(|v| (&v.id, v)).collect();
    let mut existing: HashMap<&EntryId, Vec<&TextAssignment>> = HashMap::new();
    for assignment in current_texts {
        existing.entry(&assignment.entry).or_default().push(assignment);
    }
    let order =
        History::new(register.clone()).timeline(None, None).into_iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    let position: HashMap<&ProvisionId, usize> =
        register.provisions.iter().enumerate().map(|(i, p)| (&p.id, i)).collect();
    let mut state: HashMap<ProvisionId, TextHash> = HashMap::new();
    let mut assignments = Vec::new();
    let mut derived: HashMap<EntryId, [Vec<ProvisionId>; 3]> = HashMap::new();
    // Provisions that had a text at some earlier point: a first text is an addition only where the texts before
    // it would have shown the provision (see `first_wording`).
    let mut ever: HashSet<ProvisionId> = HashSet::new();
    let parents: HashMap<ProvisionId, ProvisionId> =
        register.provisions.iter().filter_map(|p| p.parent.clone().map(|parent| (p.id.clone(), parent))).collect();
    // The provisions the register had before this import with no part of their own: what a Section's texts must
    // all have shown for them to be a complete record of it (see `recorded_whole`).
    let with_parts: HashSet<&ProvisionId> =
        parents.iter().filter(|(id, _)| known.contains(*id)).map(|(_, p)| p).collect();
    let known_leaves: Vec<&ProvisionId> = known.iter().filter(|id| !with_parts.contains(id)).collect();
    // Provisions first recorded, not proven added: (provision, the entry that recorded it).
    let mut first_recorded: Vec<(ProvisionId, EntryId)> = Vec::new();
    for entry in &order {
        let mut changes: Vec<(ProvisionId, Option<TextHash>)> = Vec::new();
        if let Some(version) = imported.get(entry) {
            let full: HashMap<&ProvisionId, TextHash> = version.texts.iter().map(|(p, h)| (p, *h)).collect();
            // What this version already gave each provision, when it is stored.
            let given: HashMap<&ProvisionId, TextHash> =
                existing.get(entry).into_iter().flatten().filter_map(|a| a.text.map(|t| (&a.provision, t))).collect();
            for (provision, hash) in &version.texts {
                // The stored form of an equivalent wording stands: the one this version gave, or the one before.
                let hash = match (given.get(provision), state.get(provision)) {
                    (Some(&stored), _) if same(stored, *hash) => stored,
                    (_, Some(&before)) if same(before, *hash) => before,
                    _ => *hash,
                };
                if state.get(provision) != Some(&hash) {
                    changes.push((provision.clone(), Some(hash)));
                }
            }
            let mut gone: Vec<&ProvisionId> = state.keys().filter(|p| !full.contains_key(p)).collect();
            gone.sort_by_key(|p| position.get(p));
            changes.extend(gone.into_iter().map(|p| (p.clone(), None)));
        } else if let Some(list) = existing.get(entry) {
            changes.extend(list.iter().map(|a| (a.provision.clone(), a.text)));
        }
        let lists = derived.entry(entry.clone()).or_default();
        // Texts given by this entry count as "before" only from the next one on.
        let mut texted_now = Vec::new();
        for (provision, text) in changes {
            let before = state.get(&provision).copied();
            let slot = match (before, text) {
                (None, Some(_)) if !ever.contains(&provision) && !texted_now.contains(&provision) => {
                    let whole = |above: &ProvisionId| recorded_whole(above, &known_leaves, &parents, &ever);
                    match first_wording(
                        &provision,
                        known.contains(&provision),
                        current.is_some(),
                        &parents,
                        &ever,
                        whole,
                    ) {
                        FirstWording::Added => Some(0),
                        FirstWording::Recorded => {
                            if !known.contains(&provision) {
                                first_recorded.push((provision.clone(), entry.clone()));
                            }
                            None
                        }
                    }
                }
                (None, Some(_)) => Some(0),
                (Some(_), Some(_)) => Some(1),
                (Some(_), None) => Some(2),
                (None, None) => None,
            };
            match text {
                Some(hash) => {
                    texted_now.push(provision.clone());
                    state.insert(provision.clone(), hash)
                }
                None => state.remove(&provision),
            };
            if let Some(slot) = slot {
                lists[slot].push(provision.clone());
            }
            assignments.push(TextAssignment { entry: entry.clone(), provision, text });
        }
        ever.extend(texted_now);
    }
    for (id, entry) in first_recorded {
        if let Some(provision) = register.provisions.iter_mut().find(|p| p.id == id) {
            provision.addition_unknown = true;
            provision.present_by = Some(entry);
        }
    }
    for entry in register.entries.iter_mut().filter(|e| new_versions.contains(&e.id)) {
        if let Some([added, amended, removed]) = derived.remove(&entry.id) {
            entry.added.listed = added;
            entry.amended.listed = amended;
            entry.removed.listed = removed;
        }
    }
    let problems: Vec<ImportProblem> =
        validate(&register).into_iter().map(|p| ImportProblem::Invalid(p.message)).collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Merged { register, assignments, new_versions, new_provisions })
}

/// The index just after `parent` and every provision under it, in the register's order; `None` when the register
/// does not have `parent`. `parents` maps each provision to its parent.
fn after_descendants(
    provisions: &[Provision],
    parents: &HashMap<ProvisionId, ProvisionId>,
    parent: &ProvisionId,
) -> Option<usize> {
    let start = provisions.iter().position(|p| &p.id == parent)?;
    let under = |id: &ProvisionId| {
        let mut above = parents.get(id);
        for _ in 0..provisions.len() {
            match above {
                Some(p) if p == parent => return true,
                Some(p) => above = parents.get(p),
                None => return false,
            }
        }
        false
    };
    let mut end = start + 1;
    while end < provisions.len() && under(&provisions[end].id) {
        end += 1;
    }
    Some(end)
}

/// The complete state of a new version given only its changes: the texts in effect on `effective`, with the
/// given texts replaced or added and the `removed` provisions taken out.
pub fn apply_changes(
    history: &History,
    id: EntryId,
    effective: Date,
    label: String,
    changed: &[(ProvisionId, TextHash)],
    removed: &[ProvisionId],
) -> Result<VersionTexts, Vec<ImportProblem>> {
    let cut = Cut { date: effective, entry: None };
    // The state the version starts from: everything in effect then, as if this version (if already there) had
    // changed nothing, so that giving the same changes again gives the same version.
    let mut texts: Vec<(ProvisionId, TextHash)> = history
        .texts_at_without(&cut, &id)
        .into_iter()
        .filter_map(|(p, at)| at.hash.map(|h| (p.id.clone(), h)))
        .collect();
    let mut problems = Vec::new();
    for gone in removed {
        match texts.iter().position(|(p, _)| p == gone) {
            Some(index) => {
                texts.remove(index);
            }
            None => problems.push(ImportProblem::NothingToRemove { provision: gone.clone(), effective }),
        }
    }
    for (provision, hash) in changed {
        match texts.iter_mut().find(|(p, _)| p == provision) {
            Some(slot) => slot.1 = *hash,
            None => texts.push((provision.clone(), *hash)),
        }
    }
    if problems.is_empty() { Ok(VersionTexts { id, effective, label, texts }) } else { Err(problems) }
}

/// What a provision's first text says about when it entered the text.
enum FirstWording {
    /// It was added then: the texts before would have shown it.
    Added,
    /// Its wording was first recorded then; it may have been in the text before.
    Recorded,
}

/// A provision's first text, at some entry: an addition when the provision is new to the register and the texts
/// before would have shown it (a new code; a part under a provision whose text was recorded before, or under one
/// recorded whole before, as a Section imported whole from Word: see [`recorded_whole`]); otherwise only its
/// first recorded wording. A provision the register already had keeps every status it had
/// (its wording is first recorded, not added); one new to the register under a provision whose text was never
/// recorded is `unknown` before (`added = "unknown"`, `present_by` the entry).
fn first_wording(
    provision: &ProvisionId,
    known: bool,
    register_existed: bool,
    parents: &HashMap<ProvisionId, ProvisionId>,
    ever: &HashSet<ProvisionId>,
    whole: impl Fn(&ProvisionId) -> bool,
) -> FirstWording {
    if known {
        return FirstWording::Recorded;
    }
    // A new code: its texts are its whole history, so a first text is an addition.
    if !register_existed {
        return FirstWording::Added;
    }
    let shown_before = match parents.get(provision) {
        Some(parent) => {
            let mut above = Some(parent);
            let mut texted = false;
            while let Some(p) = above {
                texted |= ever.contains(p) || whole(p);
                above = parents.get(p);
            }
            texted
        }
        // A top-level provision: the code's earlier texts are a complete state.
        None => !ever.is_empty(),
    };
    if shown_before { FirstWording::Added } else { FirstWording::Recorded }
}

/// Whether the texts before recorded `ancestor` whole: it has parts the register held before this import, and
/// every one of them without parts of its own had a text at some earlier point. Its texts were then a complete
/// record of it (a Section imported whole from Word, without `--missing keep`), so a part first appearing later
/// was not in the text before.
fn recorded_whole(
    ancestor: &ProvisionId,
    known_leaves: &[&ProvisionId],
    parents: &HashMap<ProvisionId, ProvisionId>,
    ever: &HashSet<ProvisionId>,
) -> bool {
    let under = |id: &ProvisionId| {
        let mut above = parents.get(id);
        // A loop bounded by the tree's size: a cycle in stored data cannot hang it.
        for _ in 0..=parents.len() {
            match above {
                Some(p) if p == ancestor => return true,
                Some(p) => above = parents.get(p),
                None => return false,
            }
        }
        false
    };
    let mut parts = known_leaves.iter().filter(|id| under(id)).peekable();
    parts.peek().is_some() && parts.all(|id| ever.contains(*id))
}

/// Where the texts and the register disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discrepancy<'a> {
    /// The version or event.
    pub entry: &'a Entry,
    /// The provision.
    pub provision: &'a ProvisionId,
    /// What disagrees.
    pub kind: DiscrepancyKind,
}

/// The two ways texts and register disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscrepancyKind {
    /// The text changed, but the entry's (complete) change lists name neither it nor a provision above it.
    ChangedButNotListed,
    /// The entry lists it as changed this way, but neither its text nor the text of a part of it changed.
    ListedButUnchanged(ChangeKind),
}

impl Discrepancy<'_> {
    /// A sentence describing it.
    pub fn describe(&self) -> String {
        match self.kind {
            DiscrepancyKind::ChangedButNotListed => format!(
                "{}: the text of {} changed, but the register does not list it (or a provision above it) as added, \
                 amended or removed",
                self.entry.label(),
                self.provision
            ),
            DiscrepancyKind::ListedButUnchanged(kind) => format!(
                "{}: the register lists {} as {}, but its text (and the text of its parts) did not change",
                self.entry.label(),
                self.provision,
                kind.as_str()
            ),
        }
    }
}

impl History {
    /// Every disagreement between the texts and the register's change lists, in time order. Only entries from the
    /// first one with texts on are checked: before it, the register holds no texts to compare.
    pub fn discrepancies(&self) -> Vec<Discrepancy<'_>> {
        let first_text_rank = self.text_changes.iter().filter_map(|c| c.first().map(|t| t.0)).min();
        let Some(first_text_rank) = first_text_rank else { return Vec::new() };
        let count = self.register.provisions.len();
        // Whether a provision or one of its parts ever has a text.
        let mut with_text = vec![false; count];
        for p in (0..count).filter(|&p| !self.text_changes[p].is_empty()) {
            with_text[p] = true;
            for q in self.ancestors(p) {
                with_text[q] = true;
            }
        }
        let mut out = Vec::new();
        for (rank, &i) in self.chronology.iter().enumerate().skip(first_text_rank) {
            let entry = &self.register.entries[i];
            let changed: Vec<usize> = (0..count).filter(|&p| self.wording_changed_at(p, rank)).collect();
            let lifecycle = [ChangeKind::Added, ChangeKind::Amended, ChangeKind::Removed];
            let all_complete = lifecycle.iter().all(|&k| entry.changes(k).completeness == Completeness::Complete);
            // The provisions the entry lists, and those whose wording it changed with every provision above them.
            let mut listed = vec![false; count];
            for kind in lifecycle {
                for id in &entry.changes(kind).listed {
                    if let Some(&p) = self.provision_index.get(id) {
                        listed[p] = true;
                    }
                }
            }
            let mut touched = vec![false; count];
            for &p in &changed {
                let chain = self.ancestors(p);
                touched[p] = true;
                for &q in &chain {
                    touched[q] = true;
                }
                let named = listed[p] || chain.iter().any(|&q| listed[q]);
                // A provision's first text records its wording; whether that was a change is the register's to say.
                let first_wording = self.text_changes[p].first().is_some_and(|t| t.0 == rank);
                if !named && all_complete && !first_wording {
                    let provision = &self.register.provisions[p].id;
                    out.push(Discrepancy { entry, provision, kind: DiscrepancyKind::ChangedButNotListed });
                }
            }
            for kind in lifecycle {
                for id in &entry.changes(kind).listed {
                    let Some(&p) = self.provision_index.get(id) else { continue };
                    if with_text[p] && !touched[p] {
                        out.push(Discrepancy { entry, provision: id, kind: DiscrepancyKind::ListedButUnchanged(kind) });
                    }
                }
            }
        }
        out
    }

    /// Whether the entry at `rank` gave provision `p` a wording other than the one before: a text re-saved in
    /// another Unicode form (stored by a build that did not compose texts) is the same wording.
    fn wording_changed_at(&self, p: usize, rank: usize) -> bool {
        let changes = &self.text_changes[p];
        let Some(k) = changes.iter().position(|&(r, _, _)| r == rank) else { return false };
        let before = k.checked_sub(1).and_then(|k| changes[k].2);
        match (before, changes[k].2) {
            (Some(a), Some(b)) => match (self.bodies.get(&a), self.bodies.get(&b)) {
                (Some(a), Some(b)) => differs(a, b, DiffOptions::default()),
                _ => a != b,
            },
            (a, b) => a != b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{date, entry, provision, register};

    /// Stored assignments, with no text stored in another Unicode form.
    fn stored(assignments: &[TextAssignment]) -> Texts {
        Texts { assignments: assignments.to_vec(), bodies: HashMap::new() }
    }

    fn id(text: &str) -> ProvisionId {
        ProvisionId::parse(text).expect("id")
    }

    fn version(v: &str, day: &str, texts: &[(&str, &str)]) -> VersionTexts {
        VersionTexts {
            id: EntryId::parse(v).expect("id"),
            effective: date(day),
            label: format!("label of {v}"),
            texts: texts.iter().map(|(p, t)| (id(p), TextHash::of(t))).collect(),
        }
    }

    fn import(versions: &[VersionTexts]) -> (Vec<ProvisionId>, HashMap<ProvisionId, String>) {
        let mut order = Vec::new();
        for v in versions {
            for (p, _) in &v.texts {
                if !order.contains(p) {
                    order.push(p.clone());
                }
            }
        }
        let headings = order.iter().map(|p| (p.clone(), format!("Article {p}"))).collect();
        (order, headings)
    }

    /// Joins `versions` to `current` (with its stored texts), every provision placed by its id, in the order and
    /// with the headings [`import`] gives.
    fn join(
        code: &CodeId,
        current: Option<&Register>,
        texts: &Texts,
        versions: &[VersionTexts],
    ) -> Result<Merged, Vec<ImportProblem>> {
        let (order, headings) = import(versions);
        let import = TextImport { versions, order: &order, headings: &headings, placements: no_placements() };
        merge_versions(code, current, texts, import)
    }

    #[test]
    fn a_new_code_gets_versions_provisions_and_derived_change_lists() {
        let versions = vec![
            version("v1", "2016-01-01", &[("1", "a"), ("2", "b")]),
            version("v2", "2017-01-01", &[("1", "a2"), ("3", "c")]),
        ];
        let code = CodeId::parse("fr").expect("code");
        let merged = join(&code, None, &Texts::default(), &versions).expect("valid");
        assert_eq!(merged.new_provisions, 3);
        assert_eq!(merged.new_versions.len(), 2);
        let v2 = &merged.register.entries[1];
        assert_eq!(v2.added.listed, vec![id("3")]);
        assert_eq!(v2.amended.listed, vec![id("1")]);
        assert_eq!(v2.removed.listed, vec![id("2")]);
        assert_eq!(merged.assignments.len(), 2 + 3, "v1 gives two texts; v2 changes one, adds one, removes one");

        // The same folder again changes nothing; a grown folder adds only the new version.
        let again = join(&code, Some(&merged.register), &stored(&merged.assignments), &versions).expect("valid");
        assert_eq!(again.register, merged.register);
        assert_eq!(again.assignments, merged.assignments);
        let mut grown = versions.clone();
        grown.push(version("v3", "2018-01-01", &[("1", "a2"), ("3", "c3")]));
        let bigger = join(&code, Some(&merged.register), &stored(&merged.assignments), &grown).expect("valid");
        assert_eq!(bigger.new_versions, vec![EntryId::parse("v3").expect("id")]);
        assert_eq!(bigger.assignments.len(), merged.assignments.len() + 1);
    }

    #[test]
    fn an_import_that_would_replace_recorded_texts_names_each_version_and_provision() {
        let versions = vec![
            version("v1", "2016-01-01", &[("1", "a"), ("2", "b")]),
            version("v2", "2017-01-01", &[("1", "a2"), ("2", "b")]),
        ];
        let code = CodeId::parse("fr").expect("code");
        let merged = join(&code, None, &Texts::default(), &versions).expect("valid");
        let replaced = |versions: &[VersionTexts]| {
            let (order, headings) = import(versions);
            let import = TextImport { versions, order: &order, headings: &headings, placements: no_placements() };
            replaced_texts(Some(&merged.register), &stored(&merged.assignments), import)
        };
        assert_eq!(replaced(&versions), [], "the same texts again replace nothing");
        let mut grown = versions.clone();
        grown.push(version("v3", "2018-01-01", &[("1", "a3")]));
        assert_eq!(replaced(&grown), [], "a new version replaces nothing");
        assert_eq!(replaced(&[]), []);
        let other = vec![version("v1", "2016-01-01", &[("1", "A"), ("3", "c")])];
        assert_eq!(
            replaced(&other),
            [Replaced { version: EntryId::parse("v1").expect("id"), provisions: vec![id("1"), id("2"), id("3")] }]
        );
        // v2 gave only 1 its text: its recorded state still reads 2 as v1 left it, and an import taking 2 out of
        // v2 replaces that.
        let v2 = vec![version("v2", "2017-01-01", &[("1", "a2")])];
        assert_eq!(replaced(&v2), [Replaced { version: EntryId::parse("v2").expect("id"), provisions: vec![id("2")] }]);
        // A version the register has without texts (recorded from a register file) may be given them.
        let bare = register(vec![provision("A", None)], vec![entry("4.2", "2015-03-18", &[])]);
        let first = vec![version("4.2", "2015-03-18", &[("A", "text")])];
        let (order, headings) = import(&first);
        let import = TextImport { versions: &first, order: &order, headings: &headings, placements: no_placements() };
        assert_eq!(replaced_texts(Some(&bare), &Texts::default(), import), []);
    }

    #[test]
    fn a_recorded_text_in_another_normalisation_form_is_the_same_wording() {
        // Recorded by a build that did not compose texts: "é" as e and a combining acute accent.
        let (decomposed, composed) = ("caf\u{65}\u{301}", "caf\u{e9}");
        let versions = vec![version("v1", "2016-01-01", &[("1", decomposed)])];
        let code = CodeId::parse("fr").expect("code");
        let merged = join(&code, None, &Texts::default(), &versions).expect("valid");
        let bodies = HashMap::from([(TextHash::of(decomposed), std::sync::Arc::from(decomposed))]);
        let texts = Texts { assignments: merged.assignments.clone(), bodies };
        let again = vec![version("v1", "2016-01-01", &[("1", composed)])];
        let (order, headings) = import(&again);
        let import = TextImport { versions: &again, order: &order, headings: &headings, placements: no_placements() };
        assert_eq!(replaced_texts(Some(&merged.register), &texts, import), [], "composed, it is the same text");
    }

    #[test]
    fn a_folder_date_that_contradicts_the_register_is_refused() {
        let reg = register(vec![provision("A", None)], vec![entry("4.2", "2015-03-18", &[])]);
        let versions = vec![version("4.2", "2015-03-19", &[("A", "text")])];
        let code = CodeId::parse("test").expect("code");
        let problems = join(&code, Some(&reg), &Texts::default(), &versions).expect_err("refused");
        assert_eq!(
            problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["version 4.2 takes effect on 2015-03-19 in the folder but on 2015-03-18 in the register"]
        );
    }

    #[test]
    fn discrepancies_between_texts_and_change_lists() {
        let reg = register(
            vec![provision("A", None), provision("B", None), provision("H", None), provision("H1", Some("H"))],
            vec![entry("1.0", "2013-01-01", &[]), entry("2.0", "2014-01-01", &[("amended", "A"), ("amended", "H")])],
        );
        let versions = vec![
            version("1.0", "2013-01-01", &[("A", "a"), ("B", "b"), ("H1", "h")]),
            version("2.0", "2014-01-01", &[("A", "a"), ("B", "b2"), ("H1", "h2")]),
        ];
        let code = CodeId::parse("test").expect("code");
        let merged = join(&code, Some(&reg), &Texts::default(), &versions).expect("valid");
        let bodies = HashMap::new();
        let history = History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies });
        let found: Vec<String> = history.discrepancies().iter().map(Discrepancy::describe).collect();
        assert_eq!(
            found,
            vec![
                // 1.0 records the first wordings: no change to account for.
                "version 2.0: the text of B changed, but the register does not list it (or a provision above it) as added, amended or removed",
                "version 2.0: the register lists A as amended, but its text (and the text of its parts) did not change",
            ]
        );
    }

    #[test]
    fn one_version_from_its_changes() {
        let versions = vec![version("v1", "2016-01-01", &[("1", "a"), ("2", "b")])];
        let code = CodeId::parse("fr").expect("code");
        let merged = join(&code, None, &Texts::default(), &versions).expect("valid");
        let history =
            History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies: HashMap::new() });
        let next = apply_changes(
            &history,
            EntryId::parse("v2").expect("id"),
            date("2017-01-01"),
            String::new(),
            &[(id("3"), TextHash::of("c"))],
            &[id("1")],
        )
        .expect("valid");
        let ids: Vec<&str> = next.texts.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(ids, vec!["2", "3"]);
        let bad = apply_changes(
            &history,
            EntryId::parse("v2").expect("id"),
            date("2017-01-01"),
            String::new(),
            &[],
            &[id("9")],
        );
        let problems: Vec<String> = bad.expect_err("refused").iter().map(ToString::to_string).collect();
        assert_eq!(problems, vec!["cannot remove '9': it has no text on 2017-01-01"]);
    }

    #[test]
    fn placed_provisions_go_under_their_parent_after_its_last_descendant() {
        // The register has Section D with sub-section D1, then Section E; the import places D1.1 under D1, a new
        // sub-section D2 under D, and D2.1 under D2.
        let reg = register(
            vec![provision("D", None), provision("D1", Some("D")), provision("E", None)],
            vec![entry("1.0", "2013-01-01", &[("added", "D"), ("added", "E")])],
        );
        let versions = vec![version("2.0", "2014-01-01", &[("D1.1", "a"), ("D2.1", "b")])];
        let order = vec![id("D"), id("D1"), id("D1.1"), id("D2"), id("D2.1")];
        let headings = HashMap::from([(id("D2"), "Second".to_string())]);
        let placed = |parent: &str, kind| Placement { parent: Some(id(parent)), kind };
        let placements = HashMap::from([
            (id("D1.1"), placed("D1", ProvisionKind::Paragraph)),
            (id("D2"), placed("D", ProvisionKind::Subsection)),
            (id("D2.1"), placed("D2", ProvisionKind::Paragraph)),
        ]);
        let code = CodeId::parse("test").expect("code");
        let import = TextImport { versions: &versions, order: &order, headings: &headings, placements: &placements };
        let merged = merge_versions(&code, Some(&reg), &Texts::default(), import).expect("valid");
        let shown: Vec<(&str, Option<&str>, ProvisionKind)> = merged
            .register
            .provisions
            .iter()
            .map(|p| (p.id.as_str(), p.parent.as_ref().map(ProvisionId::as_str), p.kind))
            .collect();
        assert_eq!(
            shown,
            [
                ("D", None, ProvisionKind::Section),
                ("D1", Some("D"), ProvisionKind::Subsection),
                ("D1.1", Some("D1"), ProvisionKind::Paragraph),
                ("D2", Some("D"), ProvisionKind::Subsection),
                ("D2.1", Some("D2"), ProvisionKind::Paragraph),
                ("E", None, ProvisionKind::Section),
            ]
        );
        assert_eq!(merged.register.provisions[3].title.as_deref(), Some("Second"));
        assert_eq!(merged.new_provisions, 3);
        // Without placements, a new id goes at the end, under the provision its id extends if the register has it.
        let import =
            TextImport { versions: &versions, order: &order, headings: &headings, placements: no_placements() };
        let merged = merge_versions(&code, Some(&reg), &Texts::default(), import).expect("valid");
        let ids: Vec<&str> = merged.register.provisions.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["D", "D1", "E", "D1.1", "D2", "D2.1"]);
        assert_eq!(merged.register.provisions[3].parent.as_ref().map(ProvisionId::as_str), Some("D1"));
        assert_eq!(merged.register.provisions[4].kind, ProvisionKind::Article);
        assert_eq!(merged.register.provisions[4].title.as_deref(), Some("Second"));
        // A part placed under a sub-section goes before the next sub-section, and one under the last provision
        // goes at the end.
        let reg = register(
            vec![provision("D", None), provision("D1", Some("D")), provision("D2", Some("D"))],
            vec![entry("1.0", "2013-01-01", &[("added", "D")])],
        );
        let versions = vec![version("2.0", "2014-01-01", &[("D1.1", "a"), ("D2.1", "b")])];
        let order = vec![id("D1.1"), id("D2.1")];
        let placements = HashMap::from([
            (id("D1.1"), placed("D1", ProvisionKind::Paragraph)),
            (id("D2.1"), placed("D2", ProvisionKind::Paragraph)),
        ]);
        let import = TextImport { versions: &versions, order: &order, headings: &headings, placements: &placements };
        let merged = merge_versions(&code, Some(&reg), &Texts::default(), import).expect("valid");
        let ids: Vec<&str> = merged.register.provisions.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["D", "D1", "D1.1", "D2", "D2.1"]);
    }

    #[test]
    fn a_listed_provision_without_any_text_in_its_subtree_is_not_checked() {
        // X is listed as amended, but neither X nor any part of it has a text: nothing to compare, no discrepancy.
        let reg = register(
            vec![provision("A", None), provision("X", None), provision("H", None), provision("H1", Some("H"))],
            vec![
                entry("1.0", "2013-01-01", &[("added", "A"), ("added", "H")]),
                entry("2.0", "2014-01-01", &[("amended", "X"), ("amended", "H")]),
            ],
        );
        let versions = vec![
            version("1.0", "2013-01-01", &[("A", "a"), ("H1", "h")]),
            version("2.0", "2014-01-01", &[("A", "a"), ("H1", "h")]),
        ];
        let (order, headings) = import(&versions);
        let code = CodeId::parse("test").expect("code");
        let import = TextImport {
            versions: &versions,
            order: &order,
            headings: &headings,
            placements: crate::import::no_placements(),
        };
        let merged = merge_versions(&code, Some(&reg), &Texts::default(), import).expect("valid");
        assert!(merged.new_versions.is_empty(), "both versions are the register's own");
        let history =
            History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies: HashMap::new() });
        let found: Vec<String> = history.discrepancies().iter().map(|d| d.provision.to_string()).collect();
        assert_eq!(
            found,
            ["H"],
            "H has a part with a text, so its listing is checked (and H1 did not change); X is not"
        );
    }

    #[test]
    fn a_new_provision_goes_under_the_provision_its_id_names() {
        let versions = vec![version("v1", "2016-01-01", &[("1", "a"), ("1.2", "b"), ("9.1", "c")])];
        let (order, headings) = import(&versions);
        let code = CodeId::parse("fr").expect("code");
        let import = TextImport {
            versions: &versions,
            order: &order,
            headings: &headings,
            placements: crate::import::no_placements(),
        };
        let merged = merge_versions(&code, None, &Texts::default(), import).expect("valid");
        let parent = |p: &str| {
            merged
                .register
                .provisions
                .iter()
                .find(|q| q.id == id(p))
                .and_then(|q| q.parent.as_ref())
                .map(ToString::to_string)
        };
        assert_eq!(parent("1.2").as_deref(), Some("1"), "1.2 is a part of 1");
        assert_eq!(parent("9.1"), None, "no provision 9: 9.1 stands on its own");
        assert_eq!(parent("1"), None);
    }

    #[test]
    fn a_first_text_is_an_addition_only_where_earlier_texts_would_have_shown_the_provision() {
        let code = CodeId::parse("test").expect("code");
        let merge = |reg: Option<&Register>, texts: &[TextAssignment], versions: &[VersionTexts]| {
            let (order, headings) = import(versions);
            merge_versions(
                &code,
                reg,
                &stored(texts),
                TextImport { versions, order: &order, headings: &headings, placements: crate::import::no_placements() },
            )
            .expect("valid")
        };
        let listed = |merged: &Merged, v: &str| -> (Vec<String>, Vec<String>) {
            let e = merged.register.entries.iter().find(|e| e.id.as_str() == v).expect("entry");
            (
                e.added.listed.iter().map(ToString::to_string).collect(),
                e.removed.listed.iter().map(ToString::to_string).collect(),
            )
        };
        // A register with no texts (as the SEC's): H15 is known, H15.1 is new under it.
        let reg =
            register(vec![provision("H", None), provision("H15", Some("H"))], vec![entry("1.0", "2013-01-01", &[])]);
        let merged = merge(Some(&reg), &[], &[version("64.0", "2027-06-01", &[("H15", "t"), ("H15.1", "c")])]);
        assert_eq!(listed(&merged, "64.0"), (vec![], vec![]), "first wordings, not additions");
        let part = merged.register.provisions.iter().find(|p| p.id.as_str() == "H15.1").expect("H15.1");
        assert!(part.addition_unknown, "not proven added then");
        assert_eq!(part.present_by.as_ref().map(EntryId::as_str), Some("64.0"));
        let known = merged.register.provisions.iter().find(|p| p.id.as_str() == "H15").expect("H15");
        assert!(!known.addition_unknown && known.present_by.is_none(), "a known provision keeps its record");
        // A new top-level provision in a register whose code had no text: first recorded too.
        let merged = merge(Some(&reg), &[], &[version("64.0", "2027-06-01", &[("Z", "z")])]);
        assert_eq!(listed(&merged, "64.0").0, Vec::<String>::new());
        assert!(merged.register.provisions.iter().any(|p| p.id.as_str() == "Z" && p.addition_unknown));

        // A code made from texts: v2 adds A.2 under A (whose text was recorded) and B at the top, records C's
        // first wording (C is in the register without text) and takes A.1 out; v3 gives A.1 back.
        let first = merge(None, &[], &[version("v1", "2016-01-01", &[("A", "a"), ("A.1", "a1")])]);
        assert_eq!(listed(&first, "v1").0, ["A", "A.1"], "a new code: every first text is an addition");
        let mut reg = first.register.clone();
        reg.provisions.push(provision("C", None));
        let v2 = version("v2", "2017-01-01", &[("A", "a"), ("A.2", "a2"), ("B", "b"), ("C", "c")]);
        let v3 = version("v3", "2018-01-01", &[("A", "a"), ("A.1", "a1"), ("A.2", "a2"), ("B", "b"), ("C", "c")]);
        let merged = merge(Some(&reg), &first.assignments, &[v2, v3]);
        assert_eq!(listed(&merged, "v2"), (vec!["A.2".to_string(), "B".to_string()], vec!["A.1".to_string()]));
        assert_eq!(listed(&merged, "v3").0, ["A.1"], "back after its removal: added again");
        assert!(!merged.register.provisions.iter().any(|p| p.addition_unknown), "{:?}", merged.register.provisions);

        // A Section recorded whole (every part it had, texted) at v1, with no text of its own or of its
        // sub-section: a clause first appearing at v2 under it was added then; under a Section one of whose parts
        // never had a text, only first recorded.
        let mut reg = register(
            vec![
                provision("D", None),
                provision("D2", Some("D")),
                provision("D2.1", Some("D2")),
                provision("D3", Some("D")),
                provision("E", None),
                provision("E.1", Some("E")),
                provision("E.2", Some("E")),
            ],
            vec![],
        );
        let v1 = version("v1", "2016-01-01", &[("D2.1", "d21"), ("D3", "d3"), ("E.1", "e1")]);
        let first = merge(Some(&reg), &[], &[v1]);
        reg = first.register.clone();
        let v2 = version(
            "v2",
            "2017-01-01",
            &[("D2.1", "d21"), ("D3", "d3"), ("D2.2", "d22"), ("E.1", "e1"), ("E.1.1", "e11"), ("E.3", "e3")],
        );
        let merged = merge(Some(&reg), &first.assignments, &[v2]);
        assert_eq!(
            listed(&merged, "v2").0,
            ["D2.2", "E.1.1"],
            "D was recorded whole, and E.1 had a text; E.2 of E never had one"
        );
        let e3 = merged.register.provisions.iter().find(|p| p.id.as_str() == "E.3").expect("E.3");
        assert!(e3.addition_unknown, "E was not recorded whole: E.3 may have been there");
        let placed = merged.register.provisions.iter().find(|p| p.id.as_str() == "D2.2").expect("D2.2");
        assert!(!placed.addition_unknown);
    }

    #[test]
    fn a_text_stored_in_another_unicode_form_is_the_same_wording() {
        let code = CodeId::parse("fr").expect("code");
        // As a build that did not compose texts stored them: v1 decomposed.
        let decomposed = "# Article 1\n\nLa cre\u{301}ance.\n";
        let old_hash = TextHash::of(decomposed);
        let first = merge_versions(
            &code,
            None,
            &Texts::default(),
            TextImport {
                versions: &[VersionTexts {
                    id: EntryId::parse("v1").expect("id"),
                    effective: date("2016-01-01"),
                    label: String::new(),
                    texts: vec![(id("1"), old_hash)],
                }],
                order: &[id("1")],
                headings: &HashMap::new(),
                placements: &HashMap::new(),
            },
        )
        .expect("valid");
        let held = Texts {
            assignments: first.assignments.clone(),
            bodies: HashMap::from([(old_hash, std::sync::Arc::from(decomposed))]),
        };
        // The same folder read today (composed), with a v2 that re-saved the text and a v3 that changed it.
        let composed = TextHash::of("# Article 1\n\nLa créance.\n");
        let changed = TextHash::of("# Article 1\n\nLa dette.\n");
        let versions =
            vec![version("v1", "2016-01-01", &[]), version("v2", "2017-01-01", &[]), version("v3", "2018-01-01", &[])];
        let versions: Vec<VersionTexts> = versions
            .into_iter()
            .zip([composed, composed, changed])
            .map(|(mut v, hash)| {
                v.texts = vec![(id("1"), hash)];
                v
            })
            .collect();
        let merged = join(&code, Some(&first.register), &held, &versions).expect("valid");
        let given: Vec<(&str, Option<TextHash>)> =
            merged.assignments.iter().map(|a| (a.entry.as_str(), a.text)).collect();
        assert_eq!(given, [("v1", Some(old_hash)), ("v3", Some(changed))], "v1 keeps its bytes; v2 changed nothing");
        let lists = |v: &str| {
            let e = merged.register.entries.iter().find(|e| e.id.as_str() == v).expect("entry");
            (e.added.listed.len(), e.amended.listed.len(), e.removed.listed.len())
        };
        assert_eq!((lists("v2"), lists("v3")), ((0, 0, 0), (0, 1, 0)));
        // Without the stored text to compare, the forms would differ: the rule is what keeps them together.
        let blind = join(&code, Some(&first.register), &stored(&first.assignments), &versions).expect("valid");
        assert_ne!(blind.assignments, merged.assignments);

        // A version stored with the decomposed form after a composed one keeps it: re-importing what it was
        // imported from changes no assignment.
        let composed_text = "# Article 1\n\nLa créance.\n";
        let earlier = vec![
            VersionTexts { texts: vec![(id("1"), composed)], ..versions[0].clone() },
            VersionTexts { texts: vec![(id("1"), old_hash)], ..versions[1].clone() },
        ];
        let (order, headings) = import(&earlier);
        let import = TextImport {
            versions: &earlier,
            order: &order,
            headings: &headings,
            placements: crate::import::no_placements(),
        };
        let before = merge_versions(&code, None, &Texts::default(), import).expect("valid");
        let held = Texts {
            assignments: before.assignments.clone(),
            bodies: HashMap::from([
                (old_hash, std::sync::Arc::from(decomposed)),
                (composed, std::sync::Arc::from(composed_text)),
            ]),
        };
        let today = vec![versions[0].clone(), versions[1].clone()];
        let import = TextImport {
            versions: &today,
            order: &order,
            headings: &headings,
            placements: crate::import::no_placements(),
        };
        let again = merge_versions(&code, Some(&before.register), &held, import).expect("valid");
        assert_eq!(again.assignments, before.assignments);
        // A version whose folder now says something else gets the new wording, not the stored one.
        let corrected =
            vec![VersionTexts { texts: vec![(id("1"), changed)], ..versions[0].clone() }, versions[1].clone()];
        let import = TextImport {
            versions: &corrected,
            order: &order,
            headings: &headings,
            placements: crate::import::no_placements(),
        };
        let fixed = merge_versions(&code, Some(&before.register), &held, import).expect("valid");
        let v1: Vec<Option<TextHash>> =
            fixed.assignments.iter().filter(|a| a.entry.as_str() == "v1").map(|a| a.text).collect();
        assert_eq!(v1, [Some(changed)]);
    }

    #[test]
    fn a_change_list_naming_a_wording_only_re_saved_in_another_form_is_a_discrepancy() {
        let composed = "# A\n\nLa créance.\n";
        let decomposed = "# A\n\nLa cre\u{301}ance.\n";
        let reg = register(
            vec![provision("A", None)],
            vec![entry("1.0", "2013-01-01", &[]), entry("2.0", "2014-01-01", &[("amended", "A")])],
        );
        let assignments = [("1.0", composed), ("2.0", decomposed)]
            .into_iter()
            .map(|(v, t)| TextAssignment {
                entry: EntryId::parse(v).expect("id"),
                provision: id("A"),
                text: Some(TextHash::of(t)),
            })
            .collect();
        let bodies = [composed, decomposed].into_iter().map(|t| (TextHash::of(t), std::sync::Arc::from(t))).collect();
        let history = History::with_texts(reg, Texts { assignments, bodies });
        let found: Vec<String> = history.discrepancies().iter().map(Discrepancy::describe).collect();
        assert_eq!(
            found,
            ["version 2.0: the register lists A as amended, but its text (and the text of its parts) did not change"]
        );
    }
}
