//! Texts through time: a provision's text at a date or version, comparisons between two points, the wording
//! history of a provision, and blame (which version gave each run of words its present wording).

use std::borrow::Cow;

use crate::diff::{DiffOptions, Edit, carry, differs, is_word, word_counts, word_diff};
use crate::history::{History, Status, applies};
use crate::id::{EntryId, ProvisionId};
use crate::model::{ChangeKind, Entry, Provision};
use crate::point::Cut;
use crate::text::TextHash;
use crate::unicode::nfc;

/// A provision's text at a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextAt<'a> {
    /// The entry that gave it this text (or removed it).
    pub entry: &'a Entry,
    /// The text; `None` when that entry took the provision out of the text.
    pub text: Option<&'a str>,
    /// The text's hash, when there is a text.
    pub hash: Option<TextHash>,
}

/// Where the last wording of a provision taken out of the text can be read (see [`History::last_wording`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastWording<'a> {
    /// A day it stood (the one that stands for its stretch).
    pub day: jiff::civil::Date,
    /// The entry that gave it.
    pub entry: &'a Entry,
}

/// One entry that changed a provision's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEvent<'a> {
    /// The version or event.
    pub entry: &'a Entry,
    /// `Added` (first text), `Amended`, or `Removed`.
    pub kind: ChangeKind,
    /// Words added and removed.
    pub words_added: usize,
    /// Words removed.
    pub words_removed: usize,
    /// The entry that gave the wording this one replaced; `None` for the first text. What a link to the change
    /// compares with.
    pub previous: Option<&'a Entry>,
}

/// How a provision differs between two points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeSort {
    /// It has a text at B but none at A.
    Added,
    /// It has a text at A but none at B.
    Removed,
    /// Its text changed.
    Changed,
    /// Its text is the same (or there is none) but its status changed.
    StatusChanged,
    /// It stands the same at both points, but changed in between and changed back: amended then given its
    /// wording again, added then taken out, switched on then off.
    InBetween,
}

impl ChangeSort {
    /// The wire name: `added`, `removed`, `changed`, `status_changed`, `in_between`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
            Self::StatusChanged => "status_changed",
            Self::InBetween => "in_between",
        }
    }

    /// In words, for pages and terminals: `added`, `removed`, `changed`, `status changed`, `changed back`.
    pub fn human(self) -> &'static str {
        match self {
            Self::StatusChanged => "status changed",
            Self::InBetween => "changed back",
            other => other.as_str(),
        }
    }
}

/// Where a comparison learnt that a provision changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownFrom {
    /// Its wording at the two points was compared.
    Text,
    /// Only the register says so: a change list names it, or its status differs.
    Register,
}

impl KnownFrom {
    /// The wire name: `text` or `register`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Register => "register",
        }
    }
}

/// Runs `work` over the positions `0..count` and joins the answers in order: in parallel slices when a whole
/// code of more provisions than one slice holds is compared (a few hundred, or one provision's subtree, are not
/// worth a thread).
// Only how the comparison runs, never its answer (every slice keeps to the subtree asked for, and a test compares
// the threaded answer with the one-by-one one), so a mutant here cannot be seen in any result.
#[mutants::skip]
fn in_slices<T: Send>(
    count: usize,
    within_one: bool,
    work: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    let slice = count.div_ceil(threads).max(512);
    if within_one || count <= slice {
        return work(0..count);
    }
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..count)
            .step_by(slice)
            .map(|start| scope.spawn(move || work(start..(start + slice).min(count))))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// One provision that differs between two points.
#[derive(Debug, Clone)]
pub struct ProvisionComparison<'a> {
    /// The provision.
    pub provision: &'a Provision,
    /// How it differs.
    pub sort: ChangeSort,
    /// Every kind of change between the points, in [`ChangeKind::ALL`] order: those the change lists of the
    /// entries in between name it with, what its wording did (added, amended, removed) and its status did
    /// (switched on or off, from A to B).
    pub kinds: Vec<ChangeKind>,
    /// Whether the wording was compared, or only the register says it changed.
    pub known_from: KnownFrom,
    /// Its status at A and at B.
    pub status: (Status, Status),
    /// The entries after A, up to B, that changed its text or named it (or a provision above it) in a change list.
    pub responsible: Vec<&'a Entry>,
    /// Its text at A and B.
    pub texts: (Option<&'a str>, Option<&'a str>),
    /// The word-level edits from A's text to B's (empty when only the status changed).
    pub edits: Vec<Edit>,
}

/// What long work asks as it runs (between provisions of a comparison, between wordings of a blame): `true` to go
/// on, `false` to stop. The caller owns the clock: a server's deadline, say. Checked often enough that stopping
/// costs at most one provision's (or one wording's) work.
pub type Proceed<'p> = &'p (dyn Fn() -> bool + Sync);

/// Long work stopped because its [`Proceed`] said so; nothing of it is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// A run of words in a blamed text and the entry that gave it its present wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlameRun<'a> {
    /// The text of the run.
    pub text: String,
    /// The version or event.
    pub entry: &'a Entry,
}

/// Blame's shortest run of words carried into a mostly rewritten paragraph that still counts as kept: shorter runs
/// are coincidences of common words (see [`History::blame`]).
pub const KEPT_RUN_WORDS: usize = 5;

/// Blame's rule for a wording that replaced another wholesale ([`History::blame`]): in each paragraph (lines
/// between blank lines) of which fewer than half the words were carried over, every run of carried tokens with
/// fewer than [`KEPT_RUN_WORDS`] words is credited to `fresh`, the version that brought the wording.
fn without_coincidences(mut tokens: Vec<(&str, usize)>, fresh: usize) -> Vec<(&str, usize)> {
    // Paragraphs end at blank lines: a line holding only white space (tokens come line by line, see `carry`). A
    // blank line's token opens the next paragraph; it holds no word.
    let mut paragraphs = Vec::new();
    let (mut start, mut line_start) = (0, true);
    for (i, token) in tokens.iter().enumerate() {
        if line_start && token.0.ends_with('\n') && token.0.trim().is_empty() {
            paragraphs.push(start..i);
            start = i;
        }
        line_start = token.0.ends_with('\n');
    }
    paragraphs.push(start..tokens.len());
    for range in paragraphs {
        let paragraph = &mut tokens[range];
        let words = paragraph.iter().filter(|t| is_word(t.0)).count();
        let carried = paragraph.iter().filter(|t| t.1 != fresh && is_word(t.0)).count();
        if carried * 2 < words {
            for run in paragraph.split_mut(|t| t.1 == fresh) {
                if run.iter().filter(|t| is_word(t.0)).count() < KEPT_RUN_WORDS {
                    run.iter_mut().for_each(|t| t.1 = fresh);
                }
            }
        }
    }
    tokens
}

/// Whether a provision whose wording reads the same at two points (or is recorded at neither) stands the same at
/// both: out of the text at both, or in the same known status; and when a change of wording is named in between
/// while it is in the text, only if a wording recorded at both points shows it came back (without one, the
/// register's word that it changed stands).
fn same_at_both(
    statuses: (Status, Status),
    texts: (Option<&str>, Option<&str>),
    listed: &[ChangeKind],
    rewordings: &[ChangeKind],
) -> bool {
    let out = |status| matches!(status, Status::NotYetAdded | Status::Removed);
    if out(statuses.0) && out(statuses.1) {
        return true;
    }
    if statuses.0 != statuses.1 || statuses.0 == Status::Unknown {
        return false;
    }
    let reworded = listed
        .iter()
        .chain(rewordings)
        .any(|kind| matches!(kind, ChangeKind::Added | ChangeKind::Amended | ChangeKind::Removed));
    // The two wordings read the same, so one recorded at A is one recorded at B.
    !reworded || texts.0.is_some()
}

impl History {
    fn in_cut(&self, rank: usize, entry: usize, cut: &Cut<'_>) -> bool {
        match cut.entry {
            Some((_, limit)) => rank <= limit,
            None => applies(&self.register.entries[entry], cut.date),
        }
    }

    /// The versions and events that take effect after the earlier point, up to and including the later one, in
    /// time order: what happened between two points, whichever order they are given in.
    pub fn entries_between(&self, a: &Cut<'_>, b: &Cut<'_>) -> Vec<&Entry> {
        self.chronology
            .iter()
            .enumerate()
            .filter(|&(rank, &i)| self.in_cut(rank, i, a) != self.in_cut(rank, i, b))
            .map(|(_, &i)| &self.register.entries[i])
            .collect()
    }

    /// Whether entry `i` takes effect after one point and up to the other.
    fn between(&self, i: usize, a: &Cut<'_>, b: &Cut<'_>) -> bool {
        self.rank[i].is_some_and(|rank| self.in_cut(rank, i, a) != self.in_cut(rank, i, b))
    }

    /// True when any text is recorded for the code.
    pub fn has_texts(&self) -> bool {
        self.text_changes.iter().any(|changes| !changes.is_empty())
    }

    /// True when any text is recorded for this provision.
    pub fn has_text(&self, id: &ProvisionId) -> bool {
        self.provision_index.get(id).is_some_and(|&p| !self.text_changes[p].is_empty())
    }

    /// The provision's text at a cut: the latest assignment in it; `None` when no text had been given by then.
    pub fn text_at(&self, id: &ProvisionId, cut: &Cut<'_>) -> Option<TextAt<'_>> {
        let &p = self.provision_index.get(id)?;
        self.text_of(p, cut)
    }

    fn text_of(&self, p: usize, cut: &Cut<'_>) -> Option<TextAt<'_>> {
        self.text_of_excluding(p, cut, None)
    }

    fn text_of_excluding(&self, p: usize, cut: &Cut<'_>, excluded: Option<usize>) -> Option<TextAt<'_>> {
        let &(_, entry, hash) = self.text_changes[p]
            .iter()
            .rev()
            .find(|(rank, entry, _)| Some(*entry) != excluded && self.in_cut(*rank, *entry, cut))?;
        Some(TextAt { entry: &self.register.entries[entry], text: hash.and_then(|h| self.bodies.get(&h)), hash })
    }

    /// Every provision with a text at the cut, in reading order, with that text.
    pub fn texts_at(&self, cut: &Cut<'_>) -> Vec<(&Provision, TextAt<'_>)> {
        (0..self.register.provisions.len())
            .filter_map(|p| self.text_of(p, cut).map(|t| (&self.register.provisions[p], t)))
            .collect()
    }

    /// Like [`History::texts_at`], as if the given version or event had changed nothing: the state a version
    /// starts from.
    pub fn texts_at_without(&self, cut: &Cut<'_>, without: &EntryId) -> Vec<(&Provision, TextAt<'_>)> {
        let excluded = self.entry_index.get(without).copied();
        (0..self.register.provisions.len())
            .filter_map(|p| self.text_of_excluding(p, cut, excluded).map(|t| (&self.register.provisions[p], t)))
            .collect()
    }

    /// Each entry that changed the provision's wording, in time order, with words added and removed.
    pub fn text_history(&self, id: &ProvisionId) -> Vec<TextEvent<'_>> {
        let Some(&p) = self.provision_index.get(id) else { return Vec::new() };
        let mut previous: Option<&str> = None;
        let mut previous_entry: Option<&Entry> = None;
        let mut events = Vec::new();
        for &(_, entry, hash) in &self.text_changes[p] {
            let text = hash.and_then(|h| self.bodies.get(&h));
            let kind = match (previous, text) {
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Removed,
                // A wording re-saved in another Unicode form is the same wording.
                (Some(old), Some(new)) if differs(old, new, DiffOptions::default()) => ChangeKind::Amended,
                _ => continue,
            };
            let edits = word_diff(previous.unwrap_or(""), text.unwrap_or(""), DiffOptions::default());
            let (words_added, words_removed) = word_counts(&edits);
            let entry = &self.register.entries[entry];
            events.push(TextEvent { entry, kind, words_added, words_removed, previous: previous_entry });
            previous = text;
            previous_entry = Some(entry);
        }
        events
    }

    /// Where the last wording of a provision taken out of the text at `cut` can still be read: the day that stands
    /// for the stretch ending the day before it was taken out ([`History::representative_day`]), and the entry
    /// that gave that wording. `None` when it has a text at the cut, or no wording dated to a day stood before
    /// it was taken out.
    pub fn last_wording(&self, id: &ProvisionId, cut: &Cut<'_>) -> Option<LastWording<'_>> {
        let removal = self.text_at(id, cut).filter(|t| t.text.is_none())?;
        let removed_on = removal.entry.effective.exact().unwrap_or(cut.date);
        // A wording given on the day it was taken out never stood.
        let events = self.text_history(id);
        let gave = events
            .iter()
            .rev()
            .find(|e| e.kind != ChangeKind::Removed && e.entry.effective.exact().is_some_and(|d| d < removed_on))?;
        let until = removed_on.yesterday().unwrap_or(removed_on);
        Some(LastWording { day: self.representative_day(id, until), entry: gave.entry })
    }

    /// Where a comparison showing the provision's last change at `cut` starts: the version before the entry that
    /// gave its wording then; without a wording, the version before the one in force; before any, the first
    /// version. `None` for a register without versions.
    pub fn comparison_start(&self, id: &ProvisionId, cut: &Cut<'_>) -> Option<&Entry> {
        self.text_at(id, cut)
            .map(|t| t.entry)
            .or(self.in_force(cut.date).version)
            .and_then(|v| self.version_before(v))
            .or_else(|| self.versions().first().copied())
    }

    /// Compares two points: every provision whose text or status differs, in reading order, optionally only
    /// those at or below `within`.
    pub fn compare(
        &self,
        a: &Cut<'_>,
        b: &Cut<'_>,
        within: Option<&ProvisionId>,
        options: DiffOptions,
    ) -> Vec<ProvisionComparison<'_>> {
        self.compare_until(a, b, within, options, &|| true).unwrap_or_default()
    }

    /// [`History::compare`], asking `proceed` before each provision: [`Stopped`] as soon as it says no.
    pub fn compare_until(
        &self,
        a: &Cut<'_>,
        b: &Cut<'_>,
        within: Option<&ProvisionId>,
        options: DiffOptions,
        proceed: Proceed<'_>,
    ) -> Result<Vec<ProvisionComparison<'_>>, Stopped> {
        let within = within.and_then(|id| self.provision_index.get(id).copied());
        let count = self.register.provisions.len();
        let slices =
            in_slices(count, within.is_some(), |range| vec![self.compare_slice(range, a, b, within, options, proceed)]);
        let mut out = Vec::new();
        for slice in slices {
            out.extend(slice?);
        }
        Ok(out)
    }

    /// [`History::compare`] over the provisions at these positions.
    fn compare_slice(
        &self,
        provisions: std::ops::Range<usize>,
        a: &Cut<'_>,
        b: &Cut<'_>,
        within: Option<usize>,
        options: DiffOptions,
        proceed: Proceed<'_>,
    ) -> Result<Vec<ProvisionComparison<'_>>, Stopped> {
        let mut out = Vec::new();
        for p in provisions {
            // Asked every 64 provisions: a clock read per provision would cost more than most comparisons.
            if p % 64 == 0 && !proceed() {
                return Err(Stopped);
            }
            if let Some(root) = within
                && p != root
                && !self.ancestors(p).contains(&root)
            {
                continue;
            }
            let old = self.text_of(p, a).and_then(|t| t.text);
            let new = self.text_of(p, b).and_then(|t| t.text);
            let id = &self.register.provisions[p].id;
            let statuses = (
                self.status(id, a.date).map_or(Status::Unknown, |s| s.status),
                self.status(id, b.date).map_or(Status::Unknown, |s| s.status),
            );
            // What the change lists of the entries in between say, then what the wording and the status did.
            let mut kinds: Vec<ChangeKind> =
                self.touches[p].iter().filter(|t| self.between(t.entry, a, b)).map(|t| t.kind).collect();
            let by_text = match (old, new) {
                (None, Some(_)) => Some((ChangeSort::Added, ChangeKind::Added)),
                (Some(_), None) => Some((ChangeSort::Removed, ChangeKind::Removed)),
                (Some(old), Some(new)) if differs(old, new, options) => {
                    Some((ChangeSort::Changed, ChangeKind::Amended))
                }
                _ => None,
            };
            // Kinds say what happened in time: a comparison asked backwards (B before A) reads its texts and
            // statuses from B to A.
            let forward = a.date <= b.date;
            let in_time = |kind| match (forward, kind) {
                (false, ChangeKind::Added) => ChangeKind::Removed,
                (false, ChangeKind::Removed) => ChangeKind::Added,
                (false, ChangeKind::Activated) => ChangeKind::Deactivated,
                (false, ChangeKind::Deactivated) => ChangeKind::Activated,
                (_, kind) => kind,
            };
            kinds.extend(by_text.map(|(_, kind)| in_time(kind)));
            match statuses {
                (Status::Inactive, Status::InForce) => kinds.push(in_time(ChangeKind::Activated)),
                (Status::InForce, Status::Inactive) => kinds.push(in_time(ChangeKind::Deactivated)),
                _ => {}
            }
            // Standing the same at both points, it may still have changed and changed back in between: what its
            // wordings in between did joins what the change lists say, and it is counted apart.
            let rewordings = if by_text.is_none() { self.rewordings(p, a, b, options) } else { Vec::new() };
            if by_text.is_none() && same_at_both(statuses, (old, new), &kinds, &rewordings) {
                kinds.extend(&rewordings);
                if kinds.is_empty() && statuses.0 == statuses.1 {
                    continue;
                }
                out.push(ProvisionComparison {
                    provision: &self.register.provisions[p],
                    sort: ChangeSort::InBetween,
                    kinds: ChangeKind::ALL.into_iter().filter(|k| kinds.contains(k)).collect(),
                    known_from: if rewordings.is_empty() { KnownFrom::Register } else { KnownFrom::Text },
                    status: statuses,
                    responsible: self.responsible(p, a, b),
                    texts: (old, new),
                    edits: Vec::new(),
                });
                continue;
            }
            kinds = ChangeKind::ALL.into_iter().filter(|k| kinds.contains(k)).collect();
            let listed = |kind| kinds.contains(&kind);
            let (sort, known_from) = match by_text {
                Some((sort, _)) => (sort, KnownFrom::Text),
                None if listed(ChangeKind::Added) => (ChangeSort::Added, KnownFrom::Register),
                None if listed(ChangeKind::Removed) => (ChangeSort::Removed, KnownFrom::Register),
                None if listed(ChangeKind::Amended) => (ChangeSort::Changed, KnownFrom::Register),
                None if statuses.0 != statuses.1 || !kinds.is_empty() => {
                    (ChangeSort::StatusChanged, KnownFrom::Register)
                }
                None => continue,
            };
            let edits = if known_from == KnownFrom::Register {
                Vec::new()
            } else {
                word_diff(old.unwrap_or(""), new.unwrap_or(""), options)
            };
            out.push(ProvisionComparison {
                provision: &self.register.provisions[p],
                sort,
                kinds,
                known_from,
                status: statuses,
                responsible: self.responsible(p, a, b),
                texts: (old, new),
                edits,
            });
        }
        Ok(out)
    }

    /// What the wording of a provision that reads the same at both points did between them, in time order
    /// (`Added`, `Amended`, `Removed`), read from its wordings in between, whichever order the points are given in.
    fn rewordings(&self, p: usize, a: &Cut<'_>, b: &Cut<'_>, options: DiffOptions) -> Vec<ChangeKind> {
        // It reads the same at both points: the wording at either is the one the earlier point had.
        let mut previous = self.text_of(p, a).and_then(|t| t.text);
        let mut kinds = Vec::new();
        for &(_, entry, hash) in &self.text_changes[p] {
            if !self.between(entry, a, b) {
                continue;
            }
            let text = hash.and_then(|h| self.bodies.get(&h));
            kinds.extend(match (previous, text) {
                (None, Some(_)) => Some(ChangeKind::Added),
                (Some(_), None) => Some(ChangeKind::Removed),
                (Some(old), Some(new)) if differs(old, new, options) => Some(ChangeKind::Amended),
                _ => None,
            });
            previous = text;
        }
        kinds
    }

    /// Entries in (A, B] (or (B, A] when B is earlier) that gave the provision a text or named it or a
    /// provision above it in a change list.
    fn responsible(&self, p: usize, a: &Cut<'_>, b: &Cut<'_>) -> Vec<&Entry> {
        let mut chain = self.ancestors(p);
        chain.push(p);
        let mut entries: Vec<usize> = chain
            .iter()
            .flat_map(|&q| self.touches_of(q))
            .chain(self.text_changes[p].iter().map(|&(_, e, _)| e))
            .filter(|&i| self.between(i, a, b))
            .collect();
        entries.sort_by_key(|&i| self.rank[i]);
        entries.dedup();
        entries.into_iter().map(|i| &self.register.entries[i]).collect()
    }

    /// Every run of words of the provision's text at the cut, with the entry that gave it its present wording,
    /// grouped into paragraphs; `None` when it has no text then.
    ///
    /// Words are carried from each wording to the next by the alignment the redline shows, with one rule more: a
    /// wording does not continue the one it replaced wholesale. In a paragraph of which fewer than half the words
    /// come from earlier wordings (mostly rewritten), a run of fewer than [`KEPT_RUN_WORDS`] words carried over
    /// ("de la", "qui", a full stop) is a coincidence of common words, and is credited to the version that brought
    /// the paragraph; longer runs, and paragraphs mostly kept, keep the version that wrote them.
    pub fn blame(&self, id: &ProvisionId, cut: &Cut<'_>) -> Option<Vec<Vec<BlameRun<'_>>>> {
        self.blame_until(id, cut, &|| true).unwrap_or_default()
    }

    /// [`History::blame`], asking `proceed` before each wording: [`Stopped`] as soon as it says no.
    pub fn blame_until(
        &self,
        id: &ProvisionId,
        cut: &Cut<'_>,
        proceed: Proceed<'_>,
    ) -> Result<Option<Vec<Vec<BlameRun<'_>>>>, Stopped> {
        let Some(&p) = self.provision_index.get(id) else { return Ok(None) };
        if self.text_of(p, cut).and_then(|t| t.text).is_none() {
            return Ok(None);
        }
        // Each wording up to the cut, composed (NFC) so that a wording re-saved in another Unicode form changes
        // nothing.
        let wordings: Vec<(usize, Option<Cow<'_, str>>)> = self.text_changes[p]
            .iter()
            .take_while(|&&(rank, entry, _)| self.in_cut(rank, entry, cut))
            .map(|&(_, entry, hash)| (entry, hash.and_then(|h| self.bodies.get(&h)).map(nfc)))
            .collect();
        // Each token of the current text with the entry that wrote it, carried through each wording by the
        // alignment the redline shows, less the coincidences of a rewritten paragraph.
        let mut current: Vec<(&str, usize)> = Vec::new();
        for (entry, text) in &wordings {
            if !proceed() {
                return Err(Stopped);
            }
            current = match text {
                Some(text) => without_coincidences(carry(&current, text, *entry), *entry),
                None => Vec::new(),
            };
        }
        Ok(Some(self.paragraphs(&current)))
    }

    /// Groups attributed tokens into runs and the runs into paragraphs (split at blank lines).
    fn paragraphs<'a>(&'a self, tokens: &[(&str, usize)]) -> Vec<Vec<BlameRun<'a>>> {
        let mut paragraphs: Vec<Vec<BlameRun<'a>>> = vec![Vec::new()];
        // Tokens come line by line (see `carry`): a line holding only white space ends a paragraph.
        let mut line_start = true;
        for &(token, entry) in tokens {
            let starts_line = std::mem::replace(&mut line_start, token.ends_with('\n'));
            if starts_line && token.ends_with('\n') && token.trim().is_empty() {
                paragraphs.push(Vec::new());
                continue;
            }
            let Some(paragraph) = paragraphs.last_mut() else { continue };
            let entry = &self.register.entries[entry];
            if paragraph.is_empty() && token.trim().is_empty() {
                continue;
            }
            // White space carries no wording of its own: it stays with the run before it.
            let joins = |run: &BlameRun<'_>| run.entry.id == entry.id || token.trim().is_empty();
            match paragraph.last_mut() {
                Some(run) if joins(run) => run.text.push_str(token),
                _ => paragraph.push(BlameRun { text: token.to_string(), entry }),
            }
        }
        for paragraph in &mut paragraphs {
            if let Some(last) = paragraph.last_mut() {
                last.text = last.text.trim_end().to_string();
            }
        }
        paragraphs.retain(|p| !p.is_empty());
        paragraphs
    }
}

#[cfg(test)]
mod tests {
    use crate::point::Point;
    use std::collections::HashMap;
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::diff::apply;
    use crate::testing::{date, entry, provision, register};
    use crate::text::{TextAssignment, Texts, normalise};

    #[test]
    fn a_large_code_is_compared_in_parallel_slices_in_reading_order() {
        let count = 3000;
        let provisions: Vec<_> = (0..count).map(|i| provision(&format!("P{i}"), None)).collect();
        let mut bodies = HashMap::new();
        let mut assignments = Vec::new();
        for (version, changed) in [("v1", 0), ("v2", 7)] {
            for i in 0..count {
                // v2 rewrites every seventh provision.
                let text = if changed > 0 && i % changed == 0 {
                    format!("# P{i}\n\nnew words {i}\n")
                } else {
                    format!("# P{i}\n\nold words {i}\n")
                };
                let hash = TextHash::of(&text);
                bodies.insert(hash, Arc::from(text.as_str()));
                assignments.push(TextAssignment {
                    entry: EntryId::parse(version).expect("id"),
                    provision: ProvisionId::parse(&format!("P{i}")).expect("id"),
                    text: Some(hash),
                });
            }
        }
        let entries = vec![entry("v1", "2016-01-01", &[]), entry("v2", "2017-01-01", &[])];
        let history = History::with_texts(register(provisions, entries), Texts { assignments, bodies });
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let (a, b) = (cut("v1"), cut("v2"));
        let whole = history.compare(&a, &b, None, DiffOptions::default());
        let one_by_one =
            history.compare_slice(0..count, &a, &b, None, DiffOptions::default(), &|| true).expect("never stopped");
        let ids =
            |list: &[ProvisionComparison<'_>]| list.iter().map(|c| c.provision.id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids(&whole), ids(&one_by_one));
        assert_eq!(whole.len(), count.div_ceil(7));
        assert_eq!(
            whole.iter().map(|c| c.edits.clone()).collect::<Vec<_>>(),
            one_by_one.iter().map(|c| c.edits.clone()).collect::<Vec<_>>()
        );
        // A long comparison asks whether to go on once every 64 provisions: often enough to stop soon, seldom
        // enough to cost nothing.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let counting = || {
            asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            true
        };
        let counted = history.compare_until(&a, &b, None, DiffOptions::default(), &counting).expect("not stopped");
        assert_eq!(counted.len(), whole.len());
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), count.div_ceil(64));
        // A comparison limited to one provision keeps to it, however large the code.
        let within = ProvisionId::parse("P14").expect("id");
        let one = history.compare(&a, &b, Some(&within), DiffOptions::default());
        assert_eq!(ids(&one), ["P14"]);
    }

    #[test]
    fn long_work_stops_when_asked_and_only_then() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let history = sample();
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let id = ProvisionId::parse("1").expect("id");
        let asked = AtomicUsize::new(0);
        let asked = &asked;
        let until = |n: usize| move || asked.fetch_add(1, Ordering::SeqCst) < n;
        let (a, b) = (cut("v1"), cut("v4"));
        let whole = history.compare(&a, &b, None, DiffOptions::default());
        let gone = history.compare_until(&a, &b, None, DiffOptions::default(), &|| true).expect("not stopped");
        assert_eq!(gone.len(), whole.len());
        assert_eq!(
            history.compare_until(&a, &b, None, DiffOptions::default(), &|| false).map(|c| c.len()),
            Err(Stopped)
        );
        assert_eq!(history.blame_until(&id, &cut("v4"), &|| true), Ok(history.blame(&id, &cut("v4"))));
        assert_eq!(
            history.blame_until(&id, &cut("v4"), &until(2)),
            Err(Stopped),
            "four wordings, stopped at the third"
        );
        asked.store(0, Ordering::SeqCst);
        assert!(history.blame_until(&id, &cut("v4"), &until(4)).is_ok_and(|b| b.is_some()), "four wordings, four asks");
    }

    /// A code of one article through four versions; v3 takes it out, v4 puts it back.
    fn article(versions: &[(&str, &str, Option<&str>)]) -> History {
        let mut bodies = HashMap::new();
        let mut assignments = Vec::new();
        for (id, _, text) in versions {
            let hash = text.map(|t| {
                let t = normalise(t);
                let hash = TextHash::of(&t);
                bodies.insert(hash, Arc::from(t.as_str()));
                hash
            });
            assignments.push(TextAssignment {
                entry: EntryId::parse(id).expect("id"),
                provision: ProvisionId::parse("1").expect("id"),
                text: hash,
            });
        }
        let entries = versions.iter().map(|(id, day, _)| entry(id, day, &[])).collect();
        History::with_texts(register(vec![provision("1", None)], entries), Texts { assignments, bodies })
    }

    fn sample() -> History {
        article(&[
            ("v1", "2016-01-01", Some("# Article 1\n\nLe paiement fait de bonne foi est valable.\n")),
            ("v2", "2017-01-01", Some("# Article 1\n\nLe paiement fait de mauvaise foi est valable.\n\nAjout.\n")),
            ("v3", "2018-01-01", None),
            ("v4", "2019-01-01", Some("# Article 1\n\nLe paiement fait de mauvaise foi est nul.\n")),
        ])
    }

    fn id() -> ProvisionId {
        ProvisionId::parse("1").expect("id")
    }

    #[test]
    fn text_at_dates_and_versions() {
        let history = sample();
        let at = |point: Point| {
            let cut = history.cut(&point).expect("cut");
            history.text_at(&id(), &cut).map(|t| (t.entry.id.to_string(), t.text.map(|s| s.len())))
        };
        assert_eq!(at(Point::Date(date("2015-12-31"))), None);
        assert_eq!(at(Point::Date(date("2016-06-01"))).map(|t| t.0), Some("v1".into()));
        assert_eq!(at(Point::Entry(EntryId::parse("v2").expect("id"))).map(|t| t.0), Some("v2".into()));
        assert_eq!(at(Point::Date(date("2018-06-01"))), Some(("v3".into(), None)));
        assert_eq!(
            history.cut(&Point::Entry(EntryId::parse("v9").expect("id"))).err().map(|e| e.to_string()),
            Some("no version or event 've9' in the register".replace("ve9", "v9"))
        );
    }

    #[test]
    fn text_history_counts_words() {
        let history = sample();
        let events: Vec<(String, &str, usize, usize)> = history
            .text_history(&id())
            .iter()
            .map(|e| (e.entry.id.to_string(), e.kind.as_str(), e.words_added, e.words_removed))
            .collect();
        assert_eq!(
            events,
            vec![
                ("v1".into(), "added", 10, 0),
                ("v2".into(), "amended", 2, 1),
                ("v3".into(), "removed", 0, 11),
                ("v4".into(), "added", 10, 0),
            ]
        );
    }

    #[test]
    fn a_removed_wording_stays_readable_on_the_last_stretch_it_stood() {
        let history = sample();
        let last = |day: &str| {
            let cut = history.cut(&Point::Date(date(day))).expect("cut");
            history.last_wording(&id(), &cut).map(|w| (w.day.to_string(), w.entry.id.to_string()))
        };
        // v3 took it out on 2018-01-01; v2's wording stood from 2017-01-01 to the day before.
        assert_eq!(last("2018-06-01"), Some(("2017-01-01".into(), "v2".into())));
        assert_eq!(last("2018-01-01"), Some(("2017-01-01".into(), "v2".into())));
        assert_eq!(last("2017-06-01"), None, "it has a text");
        assert_eq!(last("2019-06-01"), None, "it has a text again");
        assert_eq!(last("2015-06-01"), None, "no text yet");
        // A wording given and taken out on one day never stood: the one before it is the last that did.
        let same_day = article(&[
            ("v1", "2016-01-01", Some("# Article 1\n\nOne.\n")),
            ("v2", "2017-01-01", Some("# Article 1\n\nTwo.\n")),
            ("v3", "2017-01-01", None),
        ]);
        let cut = same_day.cut(&Point::Date(date("2017-06-01"))).expect("cut");
        let wording = same_day.last_wording(&id(), &cut).expect("a wording stood");
        assert_eq!((wording.entry.id.as_str(), wording.day.to_string().as_str()), ("v1", "2016-01-01"));
    }

    #[test]
    fn a_comparison_starts_from_the_version_before_the_wording_shown() {
        let texts = given(&[
            ("v1", "1", "# 1\n\nOne.\n"),
            ("v1", "2", "# 2\n\nTwo.\n"),
            ("v2", "2", "# 2\n\nTwo again.\n"),
            ("v3", "2", "# 2\n\nTwo once more.\n"),
        ]);
        let entries =
            vec![entry("v1", "2016-01-01", &[]), entry("v2", "2017-01-01", &[]), entry("v3", "2018-01-01", &[])];
        let provisions = vec![provision("1", None), provision("2", None), provision("3", None)];
        let history = History::with_texts(register(provisions, entries), texts);
        let start = |p: &str, day: &str| {
            let cut = history.cut(&Point::Date(date(day))).expect("cut");
            history.comparison_start(&ProvisionId::parse(p).expect("id"), &cut).map(|e| e.id.to_string())
        };
        // 1's wording came from v1, though v3 is in force: nothing before v1, so the first version.
        assert_eq!(start("1", "2018-06-01").as_deref(), Some("v1"));
        assert_eq!(start("2", "2018-06-01").as_deref(), Some("v2"));
        assert_eq!(start("2", "2017-06-01").as_deref(), Some("v1"));
        // Without a wording: the version before the one in force, or the first before any.
        assert_eq!(start("3", "2018-06-01").as_deref(), Some("v2"));
        assert_eq!(start("3", "2015-06-01").as_deref(), Some("v1"));
        let none = History::new(register(vec![provision("1", None)], vec![]));
        let cut = none.cut(&Point::Date(date("2015-06-01"))).expect("cut");
        assert_eq!(none.comparison_start(&id(), &cut), None);
    }

    #[test]
    fn comparison_names_the_change_and_who_made_it() {
        let history = sample();
        let a = history.cut(&Point::Entry(EntryId::parse("v1").expect("id"))).expect("cut");
        let b = history.cut(&Point::Date(date("2017-06-01"))).expect("cut");
        let changes = history.compare(&a, &b, None, DiffOptions::default());
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].sort, ChangeSort::Changed);
        assert_eq!(changes[0].responsible.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), vec!["v2"]);
        let between = |x: &Cut<'_>, y: &Cut<'_>| {
            history.entries_between(x, y).iter().map(|e| e.id.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(between(&a, &b), vec!["v2"]);
        assert_eq!(between(&b, &a), vec!["v2"], "the order of the points does not matter");
        assert!(between(&a, &a).is_empty());
        let old = changes[0].texts.0.expect("old");
        assert_eq!(apply(old, &changes[0].edits).as_deref(), changes[0].texts.1);
        let removed = history.compare(
            &b,
            &history.cut(&Point::Date(date("2018-01-01"))).expect("cut"),
            None,
            DiffOptions::default(),
        );
        assert_eq!(removed[0].sort, ChangeSort::Removed);
    }

    #[test]
    fn blame_attributes_each_run_to_the_version_that_wrote_it() {
        let history = article(&[
            ("v1", "2016-01-01", Some("# Article 1\n\nLe paiement fait de bonne foi est valable.\n")),
            ("v2", "2017-01-01", Some("# Article 1\n\nLe paiement fait de mauvaise foi est valable.\n\nAjout.\n")),
        ]);
        let cut = history.cut(&Point::Date(date("2020-01-01"))).expect("cut");
        let blame = history.blame(&id(), &cut).expect("text");
        let runs: Vec<Vec<(String, String)>> =
            blame.iter().map(|p| p.iter().map(|r| (r.text.clone(), r.entry.id.to_string())).collect()).collect();
        assert_eq!(
            runs,
            vec![
                vec![("# Article 1".into(), "v1".into())],
                vec![
                    ("Le paiement fait de ".into(), "v1".into()),
                    ("mauvaise ".into(), "v2".into()),
                    ("foi est valable.".into(), "v1".into()),
                ],
                vec![("Ajout.".into(), "v2".into())],
            ]
        );
        // After removal and re-addition, everything belongs to the re-adding version.
        let history = sample();
        let cut = history.cut(&Point::Date(date("2020-01-01"))).expect("cut");
        let blame = history.blame(&id(), &cut).expect("text");
        assert!(blame.iter().flatten().all(|r| r.entry.id.as_str() == "v4"));
    }

    #[test]
    fn blame_gives_a_changed_character_whole_to_the_version_that_changed_it() {
        for (old, new, changed) in [
            ("Bravo 👍\u{1F3FB} pour tous.", "Bravo 👍\u{1F3FD} pour tous.", "👍\u{1F3FD}"),
            ("Pays 🇫🇷 ici.", "Pays 🇫🇮 ici.", "🇫🇮"),
            ("Un q\u{307} ici.", "Un q\u{323} ici.", "q\u{323}"),
        ] {
            let (old, new) = (format!("# Article 1\n\n{old}\n"), format!("# Article 1\n\n{new}\n"));
            let history =
                article(&[("v1", "2016-01-01", Some(old.as_str())), ("v2", "2017-01-01", Some(new.as_str()))]);
            let cut = history.cut(&Point::Date(date("2020-01-01"))).expect("cut");
            let blame = history.blame(&id(), &cut).expect("text");
            let by_v2: Vec<&str> =
                blame.iter().flatten().filter(|r| r.entry.id.as_str() == "v2").map(|r| r.text.trim()).collect();
            assert_eq!(by_v2, [changed]);
        }
    }

    /// Texts stored by a build that did not compose them keep their bytes and hashes; comparisons read them
    /// composed, so a wording re-saved in another Unicode form is not a change.
    #[test]
    fn wordings_in_another_unicode_form_are_the_same_wording() {
        let composed = "# Article 1\n\nLa créance est éteinte.\n";
        let decomposed = "# Article 1\n\nLa cre\u{301}ance est e\u{301}teinte.\n";
        let amended = "# Article 1\n\nLa créance est due.\n";
        let mut bodies = HashMap::new();
        let mut assignments = Vec::new();
        for (version, text) in [("v1", composed), ("v2", decomposed), ("v3", amended)] {
            let hash = TextHash::of(text);
            bodies.insert(hash, Arc::from(text));
            assignments.push(TextAssignment {
                entry: EntryId::parse(version).expect("id"),
                provision: id(),
                text: Some(hash),
            });
        }
        let entries =
            vec![entry("v1", "2016-01-01", &[]), entry("v2", "2017-01-01", &[]), entry("v3", "2018-01-01", &[])];
        let history = History::with_texts(register(vec![provision("1", None)], entries), Texts { assignments, bodies });
        let at = |day: &str| history.cut(&Point::Date(date(day))).expect("cut");
        let events: Vec<(String, ChangeKind, usize, usize)> = history
            .text_history(&id())
            .iter()
            .map(|e| (e.entry.id.to_string(), e.kind, e.words_added, e.words_removed))
            .collect();
        assert_eq!(events, [("v1".into(), ChangeKind::Added, 6, 0), ("v3".into(), ChangeKind::Amended, 1, 1)]);
        for options in [DiffOptions::default(), DiffOptions { ignore_formatting: true }] {
            assert!(history.compare(&at("2016-06-01"), &at("2017-06-01"), None, options).is_empty());
        }
        let changed = history.compare(&at("2017-06-01"), &at("2018-06-01"), None, DiffOptions::default());
        assert_eq!(word_counts(&changed[0].edits), (1, 1));
        // The stored bytes are what a text at a date gives; blame reads the words as v1 wrote them.
        assert_eq!(history.text_at(&id(), &at("2017-06-01")).and_then(|t| t.text), Some(decomposed));
        let blame = history.blame(&id(), &at("2017-06-01")).expect("text");
        assert!(blame.iter().flatten().all(|r| r.entry.id.as_str() == "v1"), "{blame:?}");
        let blame = history.blame(&id(), &at("2018-06-01")).expect("text");
        let by_v3: Vec<&str> =
            blame.iter().flatten().filter(|r| r.entry.id.as_str() == "v3").map(|r| r.text.as_str()).collect();
        assert_eq!(by_v3, ["due"]);
    }

    /// Texts given by entries: (entry, provision, text), each text normalised as an import keeps it.
    fn given(texts: &[(&str, &str, &str)]) -> Texts {
        let mut bodies = HashMap::new();
        let mut assignments = Vec::new();
        for (entry, provision, text) in texts {
            let text = normalise(text);
            let hash = TextHash::of(&text);
            bodies.insert(hash, Arc::from(text.as_str()));
            assignments.push(TextAssignment {
                entry: EntryId::parse(entry).expect("id"),
                provision: ProvisionId::parse(provision).expect("id"),
                text: Some(hash),
            });
        }
        Texts { assignments, bodies }
    }

    /// Three provisions: 1 with a text that v2 amends and v3 gives again unchanged; 1.a, a part of 1, whose text
    /// v3 adds; 2, without text, added by v2.
    fn three() -> History {
        let texts = given(&[
            ("v1", "1", "# Article 1\n\nUn.\n"),
            ("v2", "1", "# Article 1\n\nUn, modifié.\n"),
            ("v3", "1", "# Article 1\n\nUn, modifié.\n"),
            ("v3", "1.a", "# Article 1 a\n\nUne partie.\n"),
        ]);
        let entries = vec![
            entry("v1", "2016-01-01", &[("added", "1")]),
            entry("v2", "2017-01-01", &[("amended", "1"), ("added", "2")]),
            entry("v3", "2018-01-01", &[("added", "1.a")]),
        ];
        let provisions = vec![provision("1", None), provision("1.a", Some("1")), provision("2", None)];
        History::with_texts(register(provisions, entries), texts)
    }

    #[test]
    fn a_comparison_finds_additions_status_changes_and_keeps_to_the_part_asked_for() {
        let history = three();
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let sorts = |a: &str, b: &str, within: Option<&str>| -> Vec<(String, ChangeSort)> {
            let within = within.map(|w| ProvisionId::parse(w).expect("id"));
            history
                .compare(&cut(a), &cut(b), within.as_ref(), DiffOptions::default())
                .iter()
                .map(|c| (c.provision.id.to_string(), c.sort))
                .collect()
        };
        assert_eq!(
            sorts("v1", "v2", None),
            [("1".to_string(), ChangeSort::Changed), ("2".to_string(), ChangeSort::Added)],
            "2 has no text, but v2 lists it as added"
        );
        assert_eq!(sorts("v2", "v3", None), [("1.A".to_string(), ChangeSort::Added)], "1 was given the same text");
        assert_eq!(sorts("v1", "v3", Some("1")).len(), 2, "1 and its part 1.a");
        assert_eq!(sorts("v1", "v2", Some("2")), [("2".to_string(), ChangeSort::Added)]);
        assert_eq!(sorts("v2", "v3", Some("2")), [], "nothing changed within 2");
        let status_only = history.compare(&cut("v1"), &cut("v2"), None, DiffOptions::default());
        assert!(status_only[1].edits.is_empty(), "a change known from the register only has no redline");
        assert_eq!((status_only[0].known_from, status_only[1].known_from), (KnownFrom::Text, KnownFrom::Register));
        assert_eq!(status_only[0].kinds, [ChangeKind::Amended], "listed and compared, said once");
        assert_eq!(status_only[1].kinds, [ChangeKind::Added]);
        assert_eq!(status_only[1].status, (Status::NotYetAdded, Status::InForce));
    }

    #[test]
    fn an_entry_that_named_a_provision_is_among_those_responsible_for_its_change() {
        // v2 changed the text of 1; v3 listed 1 as amended without changing its text: both are named.
        let mut bodies = HashMap::new();
        let mut assignments = Vec::new();
        for (v, t) in [("v1", "# Article 1\n\nUn.\n"), ("v2", "# Article 1\n\nDeux.\n")] {
            let t = normalise(t);
            let hash = TextHash::of(&t);
            bodies.insert(hash, Arc::from(t.as_str()));
            assignments.push(TextAssignment {
                entry: EntryId::parse(v).expect("id"),
                provision: id(),
                text: Some(hash),
            });
        }
        let entries = vec![
            entry("v1", "2016-01-01", &[]),
            entry("v2", "2017-01-01", &[]),
            entry("v3", "2018-01-01", &[("amended", "1")]),
        ];
        let history = History::with_texts(register(vec![provision("1", None)], entries), Texts { assignments, bodies });
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let changes = history.compare(&cut("v1"), &cut("v3"), None, DiffOptions::default());
        let named: Vec<&str> = changes[0].responsible.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(named, ["v2", "v3"]);
    }

    #[test]
    fn what_has_a_text_and_when_the_wording_changed() {
        let history = three();
        let id = |p: &str| ProvisionId::parse(p).expect("id");
        assert!(history.has_texts());
        assert!(history.has_text(&id("1")) && history.has_text(&id("1.a")));
        assert!(!history.has_text(&id("2")), "2 never had a text");
        assert!(!history.has_text(&id("9")), "no such provision");
        let cut = history.cut(&Point::Entry(EntryId::parse("v2").expect("id"))).expect("cut");
        let with_text: Vec<String> = history.texts_at(&cut).iter().map(|(p, _)| p.id.to_string()).collect();
        assert_eq!(with_text, ["1"]);
        let events: Vec<String> = history.text_history(&id("1")).iter().map(|e| e.entry.id.to_string()).collect();
        assert_eq!(events, ["v1", "v2"], "v3 gave the same wording again: not a change");
        let bare = History::new(register(vec![provision("A", None)], vec![entry("1.0", "2013-09-27", &[])]));
        assert!(!bare.has_texts());
    }

    #[test]
    fn punctuation_is_blamed_on_the_version_that_wrote_it() {
        let history = article(&[
            ("v1", "2016-01-01", Some("# Article 1\n\nLe paiement est valable.\n")),
            ("v2", "2017-01-01", Some("# Article 1\n\nLe paiement est valable ;\n")),
            ("v3", "2018-01-01", Some("# Article 1\n\nLe paiement, est valable ;\n")),
        ]);
        let cut = history.cut(&Point::Date(date("2020-01-01"))).expect("cut");
        let blame = history.blame(&id(), &cut).expect("text");
        let owner = |wanted: &str| -> Vec<String> {
            blame.iter().flatten().filter(|r| r.text.contains(wanted)).map(|r| r.entry.id.to_string()).collect()
        };
        assert_eq!(owner(";"), ["v2"], "the semicolon v2 put in place of the full stop");
        assert_eq!(owner(","), ["v3"], "the comma v3 added");
        assert!(owner("paiement").iter().all(|v| v == "v1"), "the words v1 wrote stay v1's");
    }

    proptest! {
        /// Every word of the text at V is attributed to a version not later than V whose own text has it.
        #[test]
        fn blame_invariants(texts in prop::collection::vec(prop::option::of("[abé中Ω ]{0,12}( c)?"), 1..6)) {
            let versions: Vec<(String, String, Option<String>)> = texts
                .into_iter()
                .enumerate()
                .map(|(i, t)| (format!("v{i}"), format!("{}-01-01", 2010 + i), t.map(|t| format!("# A\n\n{t}x\n"))))
                .collect();
            let refs: Vec<(&str, &str, Option<&str>)> =
                versions.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_deref())).collect();
            let history = article(&refs);
            for (v, _, _) in &versions {
                let cut = history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
                let Some(blame) = history.blame(&id(), &cut) else { continue };
                let text = history.text_at(&id(), &cut).and_then(|t| t.text).expect("text");
                let words_blamed: Vec<&str> = blame.iter().flatten().flat_map(|r| crate::diff::words(&r.text)).collect();
                prop_assert_eq!(words_blamed, crate::diff::words(text).collect::<Vec<_>>());
                // The words blamed on a version stand, whole, in its text, in the order they stand now: each one at a
                // place after the one before it (what it wrote there, not merely a word somewhere in it). Words it
                // wrote on either side of a later deletion may share one run.
                let mut found_up_to: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
                for run in blame.iter().flatten() {
                    let rank = |id: &EntryId| versions.iter().position(|(v, _, _)| v == id.as_str());
                    prop_assert!(rank(&run.entry.id) <= rank(&EntryId::parse(v).expect("id")));
                    let own = history.text_at(&id(), &history.cut(&Point::Entry(run.entry.id.clone())).expect("cut"));
                    let own_words: Vec<&str> = crate::diff::words(own.and_then(|t| t.text).unwrap_or("")).collect();
                    let mut from = found_up_to.get(run.entry.id.as_str()).copied().unwrap_or(0);
                    for word in crate::diff::words(&run.text) {
                        let at = own_words.iter().skip(from).position(|w| *w == word).map(|i| i + from);
                        prop_assert!(
                            at.is_some(),
                            "{word:?} is not in {}'s words after position {from}: {:?}",
                            run.entry.id,
                            own_words
                        );
                        from = at.unwrap_or(0) + 1;
                    }
                    found_up_to.insert(run.entry.id.to_string(), from);
                }
            }
        }
    }

    #[test]
    fn comparison_sorts_have_words_for_people() {
        let sorts = [
            ChangeSort::Added,
            ChangeSort::Removed,
            ChangeSort::Changed,
            ChangeSort::StatusChanged,
            ChangeSort::InBetween,
        ];
        let words: Vec<&str> = sorts.into_iter().map(ChangeSort::human).collect();
        assert_eq!(words, ["added", "removed", "changed", "status changed", "changed back"]);
        let names: Vec<&str> = sorts.into_iter().map(ChangeSort::as_str).collect();
        assert_eq!(names, ["added", "removed", "changed", "status_changed", "in_between"]);
    }

    /// `diff 4.0 4.1` on the SEC, where no text is recorded: 4.1 amended A and H15 and switched H15 on.
    #[test]
    fn a_comparison_lists_what_the_register_says_changed_without_texts() {
        let mut h = provision("H", None);
        h.initially = Some(crate::model::Activity::Inactive);
        let history = History::new(register(
            vec![
                provision("A", None),
                provision("B", None),
                h,
                provision("H15", Some("H")),
                provision("H16", Some("H")),
            ],
            vec![
                entry("4.0", "2015-01-14", &[]),
                entry("4.1", "2015-01-26", &[("amended", "A"), ("amended", "H15"), ("activated", "H15")]),
                entry("4.2", "2015-03-18", &[("activated", "H16")]),
            ],
        ));
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let found: Vec<_> = history
            .compare(&cut("4.0"), &cut("4.1"), None, DiffOptions::default())
            .into_iter()
            .map(|c| (c.provision.id.to_string(), c.sort, c.kinds, c.known_from))
            .collect();
        assert_eq!(
            found,
            [
                ("A".to_string(), ChangeSort::Changed, vec![ChangeKind::Amended], KnownFrom::Register),
                (
                    "H15".to_string(),
                    ChangeSort::Changed,
                    vec![ChangeKind::Amended, ChangeKind::Activated],
                    KnownFrom::Register
                ),
            ]
        );
        let later = history.compare(&cut("4.1"), &cut("4.2"), None, DiffOptions::default());
        assert_eq!(later.len(), 1);
        assert_eq!((later[0].sort, later[0].kinds.clone()), (ChangeSort::StatusChanged, vec![ChangeKind::Activated]));
        let backwards = history.compare(&cut("4.2"), &cut("4.1"), None, DiffOptions::default());
        assert_eq!(backwards[0].kinds, [ChangeKind::Activated], "what happened in time, whichever order is asked");
    }

    #[test]
    fn a_comparison_says_where_it_learnt_each_change() {
        assert_eq!((KnownFrom::Text.as_str(), KnownFrom::Register.as_str()), ("text", "register"));
        // A gains a text that no change list records; B is removed on the register only; C follows B; D is
        // listed as switched on although it already was; E is switched off with its parent S.
        let mut bodies = HashMap::new();
        let text = normalise("# A\n\nUn texte.\n");
        let hash = TextHash::of(&text);
        bodies.insert(hash, Arc::from(text.as_str()));
        let assignments = vec![TextAssignment {
            entry: EntryId::parse("2.0").expect("id"),
            provision: ProvisionId::parse("A").expect("id"),
            text: Some(hash),
        }];
        let provisions = vec![
            provision("A", None),
            provision("B", None),
            provision("C", None),
            provision("C1", Some("C")),
            provision("D", None),
            provision("S", None),
            provision("S1", Some("S")),
        ];
        let history = History::with_texts(
            register(
                provisions,
                vec![
                    entry("1.0", "2015-01-01", &[("added", "A"), ("added", "B"), ("added", "D"), ("added", "S")]),
                    entry(
                        "2.0",
                        "2016-01-01",
                        &[("removed", "B"), ("added", "C"), ("activated", "D"), ("deactivated", "S")],
                    ),
                ],
            ),
            Texts { assignments, bodies },
        );
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let found: Vec<_> = history
            .compare(&cut("1.0"), &cut("2.0"), None, DiffOptions::default())
            .into_iter()
            .map(|c| (c.provision.id.to_string(), c.sort, c.kinds, c.known_from))
            .collect();
        use ChangeKind::{Activated, Added, Deactivated, Removed};
        let row = |id: &str, sort, kinds: Vec<ChangeKind>, from| (id.to_string(), sort, kinds, from);
        assert_eq!(
            found,
            [
                row("A", ChangeSort::Added, vec![Added], KnownFrom::Text),
                row("B", ChangeSort::Removed, vec![Removed], KnownFrom::Register),
                row("C", ChangeSort::Added, vec![Added], KnownFrom::Register),
                row("C1", ChangeSort::StatusChanged, vec![], KnownFrom::Register),
                // In force at both points: named in between, counted apart from what differs.
                row("D", ChangeSort::InBetween, vec![Activated], KnownFrom::Register),
                row("S", ChangeSort::StatusChanged, vec![Deactivated], KnownFrom::Register),
                row("S1", ChangeSort::StatusChanged, vec![Deactivated], KnownFrom::Register),
            ]
        );
    }
    /// Texts given and taken out by entries: (entry, provision, text or `None` for taken out).
    fn wordings(texts: &[(&str, &str, Option<&str>)]) -> Texts {
        let mut bodies = HashMap::new();
        let mut assignments = Vec::new();
        for (entry, provision, text) in texts {
            let hash = text.map(|text| {
                let text = normalise(text);
                let hash = TextHash::of(&text);
                bodies.insert(hash, Arc::from(text.as_str()));
                hash
            });
            assignments.push(TextAssignment {
                entry: EntryId::parse(entry).expect("id"),
                provision: ProvisionId::parse(provision).expect("id"),
                text: hash,
            });
        }
        Texts { assignments, bodies }
    }

    /// Issue 30 §7: a comparison counts what differs between its two points. 1 is amended by v2 and given its
    /// first wording again by v3; 2 is added by v2 and taken out by v3; 3 is amended by v2 and stays so.
    #[test]
    fn what_changed_and_changed_back_in_between_is_told_apart_from_what_differs() {
        let texts = wordings(&[
            ("v1", "1", Some("# Article 1\n\nUn.\n")),
            ("v1", "3", Some("# Article 3\n\nTrois.\n")),
            ("v2", "1", Some("# Article 1\n\nUn, modifié.\n")),
            ("v2", "2", Some("# Article 2\n\nDeux.\n")),
            ("v2", "3", Some("# Article 3\n\nTrois, modifié.\n")),
            ("v3", "1", Some("# Article 1\n\nUn.\n")),
            ("v3", "2", None),
        ]);
        let entries = vec![
            entry("v1", "2016-01-01", &[("added", "1"), ("added", "3")]),
            entry("v2", "2017-01-01", &[("amended", "1"), ("added", "2"), ("amended", "3")]),
            entry("v3", "2018-01-01", &[("amended", "1"), ("removed", "2")]),
        ];
        let provisions = vec![provision("1", None), provision("2", None), provision("3", None)];
        let history = History::with_texts(register(provisions, entries), texts);
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let found = |a: &str, b: &str| -> Vec<(String, ChangeSort, Vec<ChangeKind>, KnownFrom, usize)> {
            history
                .compare(&cut(a), &cut(b), None, DiffOptions::default())
                .into_iter()
                .map(|c| (c.provision.id.to_string(), c.sort, c.kinds, c.known_from, c.edits.len()))
                .collect()
        };
        use ChangeKind::{Added, Amended, Removed};
        let row = |id: &str, sort, kinds: Vec<ChangeKind>, from, edits| (id.to_string(), sort, kinds, from, edits);
        assert_eq!(
            found("v1", "v3"),
            [
                row("1", ChangeSort::InBetween, vec![Amended], KnownFrom::Text, 0),
                row("2", ChangeSort::InBetween, vec![Added, Removed], KnownFrom::Text, 0),
                row("3", ChangeSort::Changed, vec![Amended], KnownFrom::Text, 3),
            ]
        );
        assert_eq!(found("v3", "v1"), found("v1", "v3"), "the same, asked backwards");
        let sorts = |a: &str, b: &str| found(a, b).into_iter().map(|r| (r.0, r.1)).collect::<Vec<_>>();
        assert_eq!(
            sorts("v1", "v2"),
            [("1".into(), ChangeSort::Changed), ("2".into(), ChangeSort::Added), ("3".into(), ChangeSort::Changed)]
        );
        assert_eq!(sorts("v2", "v3"), [("1".into(), ChangeSort::Changed), ("2".into(), ChangeSort::Removed)]);
    }

    /// Without change lists, the wordings in between still show what changed and changed back.
    #[test]
    fn a_wording_restored_without_change_lists_changed_in_between() {
        let history = article(&[
            ("v1", "2016-01-01", Some("# Article 1\n\nUn.\n")),
            ("v2", "2017-01-01", Some("# Article 1\n\nDeux.\n")),
            ("v3", "2018-01-01", None),
            ("v4", "2019-01-01", Some("# Article 1\n\nUn.\n")),
        ]);
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let found: Vec<_> = history
            .compare(&cut("v1"), &cut("v4"), None, DiffOptions::default())
            .into_iter()
            .map(|c| (c.sort, c.kinds, c.known_from, c.edits.len()))
            .collect();
        use ChangeKind::{Added, Amended, Removed};
        assert_eq!(found, [(ChangeSort::InBetween, vec![Added, Amended, Removed], KnownFrom::Text, 0)]);
        assert!(history.compare(&cut("v4"), &cut("v4"), None, DiffOptions::default()).is_empty());
    }

    /// Where no text is recorded (the SEC), the register's statuses tell: X, added after 1.0 and removed before
    /// 3.0, is in the text at neither point; A, amended with no wording recorded, may differ and is changed.
    #[test]
    fn a_provision_added_and_removed_in_between_is_not_counted_as_added() {
        let history = History::new(register(
            vec![provision("A", None), provision("X", None), provision("X1", Some("X"))],
            vec![
                entry("1.0", "2015-01-01", &[("added", "A")]),
                entry("2.0", "2016-01-01", &[("added", "X"), ("amended", "A")]),
                entry("3.0", "2017-01-01", &[("removed", "X")]),
            ],
        ));
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        let found: Vec<_> = history
            .compare(&cut("1.0"), &cut("3.0"), None, DiffOptions::default())
            .into_iter()
            .map(|c| (c.provision.id.to_string(), c.sort, c.kinds, c.status))
            .collect();
        use ChangeKind::{Added, Amended, Removed};
        assert_eq!(
            found,
            [
                ("A".to_string(), ChangeSort::Changed, vec![Amended], (Status::InForce, Status::InForce)),
                ("X".to_string(), ChangeSort::InBetween, vec![Added, Removed], (Status::NotYetAdded, Status::Removed)),
                ("X1".to_string(), ChangeSort::InBetween, vec![], (Status::NotYetAdded, Status::Removed)),
            ]
        );
    }
    /// Issue 30 §8: a paragraph that replaced its predecessor wholesale is credited whole to the version that
    /// brought it; the few words it shares with the old one by chance ("de la", "du dommage", a full stop) are not
    /// continuity. A passage of five words or more it kept, and a line kept as it was, stay with the version that
    /// wrote them.
    #[test]
    fn blame_does_not_invent_continuity_across_a_wholesale_replacement() {
        let old = "# Article 7\n\nLe gardien de la chose répond du dommage que cause la chose à la personne qui la détient.\n\nIl paie les charges chaque mois.\n";
        let new = "# Article 7\n\nChacun répond de la faute qu'il commet, et du dommage qu'il cause à autrui par sa négligence.\n\nIl paie les charges chaque mois.\n\nNul ne transforme les lieux sans l'accord écrit du bailleur.\n";
        let history = article(&[("v1", "2016-01-01", Some(old)), ("v2", "2017-01-01", Some(new))]);
        let cut = history.cut(&Point::Date(date("2020-01-01"))).expect("cut");
        let blame = history.blame(&id(), &cut).expect("text");
        let runs: Vec<Vec<(String, String)>> =
            blame.iter().map(|p| p.iter().map(|r| (r.text.clone(), r.entry.id.to_string())).collect()).collect();
        let whole = |paragraph: &str, by: &str| vec![(paragraph.to_string(), by.to_string())];
        assert_eq!(
            runs,
            [
                whole("# Article 7", "v1"),
                whole(
                    "Chacun répond de la faute qu'il commet, et du dommage qu'il cause à autrui par sa négligence.",
                    "v2"
                ),
                whole("Il paie les charges chaque mois.", "v1"),
                whole("Nul ne transforme les lieux sans l'accord écrit du bailleur.", "v2"),
            ]
        );
        // An amendment that keeps most of the words keeps even short runs where they were.
        let amended = "# Article 7\n\nLe gardien de la chose répond du dommage que cause la chose à la personne qui la garde.\n\nIl paie les charges chaque mois.\n";
        let history = article(&[("v1", "2016-01-01", Some(old)), ("v2", "2017-01-01", Some(amended))]);
        let blame = history.blame(&id(), &cut).expect("text");
        let by_v2: Vec<&str> =
            blame.iter().flatten().filter(|r| r.entry.id.as_str() == "v2").map(|r| r.text.trim()).collect();
        assert_eq!(by_v2, ["garde"], "the full stop stays v1's");
    }
    /// The rule's edges: a paragraph half carried over is not mostly rewritten; in one that is, a run of five words
    /// is kept and a run of four is not; a paragraph runs over several lines up to a blank line.
    #[test]
    fn coincidences_are_short_runs_in_mostly_rewritten_paragraphs() {
        let marked = |text: &'static str, old: &[&str]| -> Vec<(&'static str, usize)> {
            let mut tokens = Vec::new();
            for line in text.split_inclusive('\n') {
                tokens.extend(crate::diff::tokens(line).into_iter().map(|t| (t, usize::from(!old.contains(&t)))));
            }
            tokens
        };
        let fresh_words = |tokens: &[(&str, usize)]| -> Vec<String> {
            tokens.iter().filter(|t| t.1 == 1 && is_word(t.0)).map(|t| t.0.to_string()).collect()
        };
        // Half carried over (three of six words): kept as marked.
        let half = marked("a b c x y z\n", &["a", "b", "c"]);
        assert_eq!(fresh_words(&without_coincidences(half, 1)), ["x", "y", "z"]);
        // Mostly rewritten: a run of five kept, a run of four (here over two lines of one paragraph) not; the
        // paragraph after the blank line is wholly kept, so its own short run stays.
        let text = "a b c d e n1 n2 n3 n4 n5 n6 n7 n8 n9 n10\nf g\nh i n11 n12 n13 n14\n\nj k\n";
        let old = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", " ", "\n"];
        let fresh = fresh_words(&without_coincidences(marked(text, &old), 1));
        let expected: Vec<&str> = "n1 n2 n3 n4 n5 n6 n7 n8 n9 n10 f g h i n11 n12 n13 n14".split(' ').collect();
        assert_eq!(fresh, expected);
    }
}
