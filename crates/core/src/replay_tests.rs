//! Property test: the indexed answers of `History` agree with a plain restatement of the documented status rules
//! (ARCHITECTURE.md, "Status rules"; docs/register-format.md, "Dates" and "Activation and status"), replayed
//! step by step on random registers.
//!
//! The generator makes what real registers hold: versions and unnumbered events, dates known to the day, the
//! month or the year or not at all, several entries on one day, events out of date order, provisions whose
//! addition is unknown (with or without `present_by`), declared initial states and incomplete change lists.
//! Every register it makes passes `validate`. The oracle shares nothing with `History` but the model types.

use jiff::civil::Date;
use proptest::prelude::*;

use crate::date::FuzzyDate;
use crate::history::{History, Status};
use crate::id::EntryId;
use crate::model::{Activity, ChangeKind, Completeness, Entry, EntryKind, Register};
use crate::testing::{entry, event, provision, register};
use crate::validate::validate;

const BASE: Date = Date::constant(2014, 1, 1);

fn day(offset: i32) -> Date {
    BASE.checked_add(jiff::Span::new().days(offset)).expect("date in range")
}

/// A date of the given precision around `day`: 0 the day, 1 its month, 2 its year, 3 unknown.
fn fuzzy(day: Date, precision: u8) -> FuzzyDate {
    match precision {
        0 => FuzzyDate::Day(day),
        1 => FuzzyDate::Month(day.year(), day.month()),
        2 => FuzzyDate::Year(day.year()),
        _ => FuzzyDate::Unknown,
    }
}

/// One generated entry: version or event, its day (an offset), the precision of its date, its changes
/// (target, kind) and the completeness of each of its five lists.
type EntrySeed = (bool, i32, u8, Vec<(prop::sample::Index, usize)>, [u8; 5]);

fn entry_seed() -> impl Strategy<Value = EntrySeed> {
    let precision = prop_oneof![6 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)];
    let changes = prop::collection::vec((any::<prop::sample::Index>(), 0usize..5), 0..4);
    (any::<bool>(), 0i32..900, precision, changes, [0u8..6, 0u8..6, 0u8..6, 0u8..6, 0u8..6])
}

/// A random valid register: provisions with parents listed earlier; versions in the order they take effect
/// (same-day ones included), events anywhere in time.
fn histories() -> impl Strategy<Value = Register> {
    let provisions = prop::collection::vec(
        (any::<prop::sample::Index>(), any::<bool>(), 0u8..4, 0u8..4, any::<prop::sample::Index>()),
        1..8,
    );
    let entries = prop::collection::vec(entry_seed(), 0..9);
    (provisions, entries).prop_map(|(provisions, seeds)| {
        let mut tree = Vec::new();
        for (i, (parent, has_parent, initially, unknown, _)) in provisions.iter().enumerate() {
            let parent_id = (*has_parent && i > 0).then(|| format!("P{}", parent.index(i)));
            let mut p = provision(&format!("P{i}"), parent_id.as_deref());
            p.initially = match initially {
                0 => Some(Activity::Inactive),
                1 => Some(Activity::Active),
                _ => None,
            };
            p.addition_unknown = *unknown == 0;
            tree.push(p);
        }
        let count = tree.len();
        let mut timeline: Vec<Entry> = Vec::new();
        // Versions: each counts from a day no earlier than the one before it counts from.
        let mut version_day = day(0);
        let mut latest_version: Option<Date> = None;
        for (i, (is_version, offset, precision, changes, completeness)) in seeds.into_iter().enumerate() {
            let id = format!("{i}.0");
            let mut e = if is_version {
                version_day = day(offset % 120)
                    .since(day(0))
                    .ok()
                    .and_then(|gap| version_day.checked_add(gap).ok())
                    .expect("in range");
                let mut date = fuzzy(version_day, precision);
                if let (Some(before), Some(latest)) = (latest_version, date.latest())
                    && latest < before
                {
                    date = FuzzyDate::Day(before);
                }
                latest_version = date.latest().or(latest_version);
                entry(&id, &date.to_string(), &[])
            } else {
                event(&id, &fuzzy(day(offset), precision).to_string(), &[])
            };
            for (target, kind) in changes {
                let id = tree[target.index(count)].id.clone();
                let kind = ChangeKind::ALL[kind];
                let opposite = match kind {
                    ChangeKind::Added => Some(ChangeKind::Removed),
                    ChangeKind::Removed => Some(ChangeKind::Added),
                    ChangeKind::Activated => Some(ChangeKind::Deactivated),
                    ChangeKind::Deactivated => Some(ChangeKind::Activated),
                    ChangeKind::Amended => None,
                };
                let clash = opposite.is_some_and(|o| e.changes(o).listed.contains(&id));
                if !clash && !e.changes(kind).listed.contains(&id) {
                    e.changes_mut(kind).listed.push(id);
                }
            }
            for (kind, seed) in ChangeKind::ALL.into_iter().zip(completeness) {
                let list = e.changes_mut(kind);
                list.completeness = match seed {
                    0 => Completeness::Partial,
                    1 if list.listed.is_empty() => Completeness::Unlisted,
                    _ => Completeness::Complete,
                };
            }
            timeline.push(e);
        }
        for (p, (_, _, _, unknown, by)) in tree.iter_mut().zip(&provisions) {
            if p.addition_unknown && *unknown == 0 && !timeline.is_empty() && by.index(3) > 0 {
                p.present_by = Some(timeline[by.index(timeline.len())].id.clone());
            }
        }
        register(tree, timeline)
    })
}

/// The documented rules, replayed: the entries in effect on a date applied one at a time, in the order they
/// take effect.
struct Replay<'a> {
    register: &'a Register,
    date: Date,
    parents: Vec<Option<usize>>,
    /// Every dated entry's step: its place in time order (the day it counts from, then register order).
    step: Vec<Option<usize>>,
}

/// Whether a provision is in the text, and since which step (`None`: since the code began).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Presence {
    In(Option<usize>),
    Out(Status),
}

impl<'a> Replay<'a> {
    fn new(register: &'a Register, date: Date) -> Self {
        let index = |id: &crate::id::ProvisionId| register.provisions.iter().position(|p| &p.id == id);
        let parents = register.provisions.iter().map(|p| p.parent.as_ref().and_then(index)).collect();
        // "A date known only to the month or year counts from its last possible day"; one day's entries in the
        // order listed.
        let mut dated: Vec<usize> =
            (0..register.entries.len()).filter(|&i| register.entries[i].effective.latest().is_some()).collect();
        dated.sort_by_key(|&i| (register.entries[i].effective.latest(), i));
        let mut step = vec![None; register.entries.len()];
        for (s, &i) in dated.iter().enumerate() {
            step[i] = Some(s);
        }
        Self { register, date, parents, step }
    }

    fn in_effect(&self, e: usize) -> bool {
        self.register.entries[e].effective.latest().is_some_and(|d| d <= self.date)
    }

    fn lists(&self, e: usize, kind: ChangeKind, p: usize) -> bool {
        self.register.entries[e].changes(kind).listed.contains(&self.register.provisions[p].id)
    }

    /// The step of the latest entry in effect that made one of `kinds` to `p`, with the kind.
    fn last_change(&self, p: usize, kinds: &[ChangeKind]) -> Option<(usize, ChangeKind)> {
        let mut found = None;
        for e in 0..self.register.entries.len() {
            if !self.in_effect(e) {
                continue;
            }
            for &kind in kinds {
                if self.lists(e, kind, p) {
                    let step = self.step[e].expect("in effect, so dated");
                    if found.is_none_or(|(s, _)| step > s) {
                        found = Some((step, kind));
                    }
                }
            }
        }
        found
    }

    fn ancestors(&self, p: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut q = self.parents[p];
        while let Some(a) = q {
            out.push(a);
            q = self.parents[a];
        }
        out
    }

    fn below(&self, q: usize, p: usize) -> bool {
        q == p || self.ancestors(q).contains(&p)
    }

    fn code_begun(&self) -> bool {
        (0..self.register.entries.len()).any(|e| self.in_effect(e))
    }

    fn presence(&self, p: usize) -> Presence {
        if !self.code_begun() {
            return Presence::Out(Status::NotYetAdded);
        }
        // Its own latest addition or removal decides; a removal of a provision above it after its addition
        // takes it out too.
        match self.last_change(p, &[ChangeKind::Added, ChangeKind::Removed]) {
            Some((_, ChangeKind::Removed)) => return Presence::Out(Status::Removed),
            Some((added, _)) => {
                let taken_out = self.parents[p].is_some_and(|parent| {
                    self.presence(parent) == Presence::Out(Status::Removed)
                        && self.removal_step(parent).is_some_and(|removed| removed > added)
                });
                return if taken_out { Presence::Out(Status::Removed) } else { Presence::In(Some(added)) };
            }
            None => {}
        }
        // An addition on record that has not taken effect: not yet added.
        let dated = |e: usize| self.step[e].is_some();
        if (0..self.register.entries.len()).any(|e| dated(e) && self.lists(e, ChangeKind::Added, p)) {
            return Presence::Out(Status::NotYetAdded);
        }
        let provision = &self.register.provisions[p];
        // A top-level provision is taken to be in the text from the code's first entry only when that entry lists
        // everything it added.
        let first = (0..self.register.entries.len()).filter(|&e| dated(e)).min_by_key(|&e| self.step[e]);
        let first_incomplete =
            first.is_some_and(|f| self.register.entries[f].added.completeness != Completeness::Complete);
        if provision.addition_unknown || (self.parents[p].is_none() && first_incomplete) {
            // Unknown until an entry in effect touches it or a part of it, or shows it or a part of it present
            // (present_by): a part in the text is evidence that the whole is.
            let shows = |e: usize, q: usize| {
                self.register.provisions[q].present_by.as_ref() == Some(&self.register.entries[e].id)
                    || ChangeKind::ALL.into_iter().any(|k| self.lists(e, k, q))
            };
            let evidence = (0..self.register.entries.len())
                .filter(|&e| self.in_effect(e))
                .filter(|&e| (0..self.register.provisions.len()).any(|q| self.below(q, p) && shows(e, q)))
                .filter_map(|e| self.step[e])
                .min();
            return match evidence {
                Some(step) => Presence::In(Some(step)),
                None => Presence::Out(Status::Unknown),
            };
        }
        match self.parents[p] {
            Some(parent) => self.presence(parent),
            None => Presence::In(None),
        }
    }

    /// The step at which a removed provision was taken out: its own removal, or the one above it that it follows.
    fn removal_step(&self, p: usize) -> Option<usize> {
        match self.last_change(p, &[ChangeKind::Added, ChangeKind::Removed]) {
            Some((step, ChangeKind::Removed)) => Some(step),
            _ => self.parents[p].and_then(|q| self.removal_step(q)),
        }
    }

    /// An undated entry whose change could alter the answer makes it unknown.
    fn undated_makes_unknown(&self, p: usize, presence: Presence) -> bool {
        if !self.code_begun() || presence == Presence::Out(Status::Unknown) {
            return false;
        }
        let exists = matches!(presence, Presence::In(_));
        let own = self.last_change(p, &[ChangeKind::Added, ChangeKind::Removed]).is_some();
        let follows = match presence {
            Presence::In(_) => !own,
            Presence::Out(status) => status == Status::Removed,
        };
        let undated = (0..self.register.entries.len()).filter(|&e| self.step[e].is_none());
        undated.into_iter().any(|e| {
            let on_self = |k| self.lists(e, k, p);
            let above = |k| self.ancestors(p).into_iter().any(|q| self.lists(e, k, q));
            on_self(ChangeKind::Added)
                || on_self(ChangeKind::Removed)
                || (follows && above(ChangeKind::Added))
                || ((exists || follows) && above(ChangeKind::Removed))
                || (exists
                    && [ChangeKind::Activated, ChangeKind::Deactivated].into_iter().any(|k| on_self(k) || above(k)))
        })
    }

    fn status(&self, p: usize) -> Status {
        let presence = self.presence(p);
        if self.undated_makes_unknown(p, presence) {
            return Status::Unknown;
        }
        if let Presence::Out(status) = presence {
            return status;
        }
        // The most recent switch of it or of a provision above it decides; a declared initial state counts from
        // when its provision entered the text. On a tie the nearer provision wins, and at one provision a
        // recorded switch beats a declared state.
        let mut best: Option<(Option<usize>, usize, u8, bool)> = None;
        for (depth, q) in std::iter::once(p).chain(self.ancestors(p)).enumerate() {
            let mut candidates = Vec::new();
            if let Some((step, kind)) = self.last_change(q, &[ChangeKind::Activated, ChangeKind::Deactivated]) {
                candidates.push((Some(step), depth, 0u8, kind == ChangeKind::Activated));
            }
            if let Some(initially) = self.register.provisions[q].initially {
                let since = match self.presence(q) {
                    Presence::In(since) => since,
                    Presence::Out(_) => None,
                };
                candidates.push((since, depth, 1u8, initially == Activity::Active));
            }
            for c in candidates {
                let better = |b: (Option<usize>, usize, u8, bool)| c.0 > b.0 || (c.0 == b.0 && (c.1, c.2) < (b.1, b.2));
                if best.is_none_or(better) {
                    best = Some(c);
                }
            }
        }
        if best.is_none_or(|b| b.3) { Status::InForce } else { Status::Inactive }
    }

    /// The version in force: of the versions in effect, the one that counts from the latest day, the one listed
    /// last on a tie; and the versions listed after it that may already have taken effect.
    fn in_force(&self) -> (Option<EntryId>, Vec<EntryId>) {
        let entries = &self.register.entries;
        let versions = (0..entries.len()).filter(|&i| entries[i].kind == EntryKind::Version);
        let current =
            versions.clone().filter(|&i| self.in_effect(i)).max_by_key(|&i| (entries[i].effective.latest(), i));
        let possibly = versions
            .filter(|&i| current.is_none_or(|c| i > c) && !self.in_effect(i))
            .filter(|&i| entries[i].effective.earliest().is_none_or(|d| d <= self.date))
            .map(|i| entries[i].id.clone())
            .collect();
        (current.map(|i| entries[i].id.clone()), possibly)
    }
}

/// Dates worth asking about: each entry's first and last possible day and the days around them, and some others.
fn dates(register: &Register, picks: &[(prop::sample::Index, i32)]) -> Vec<Date> {
    let mut days: Vec<Date> =
        register.entries.iter().flat_map(|e| [e.effective.earliest(), e.effective.latest()]).flatten().collect();
    if days.is_empty() {
        days.push(BASE);
    }
    picks
        .iter()
        .map(|(pick, shift)| {
            let around = days[pick.index(days.len())];
            around.checked_add(jiff::Span::new().days(*shift)).expect("in range")
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn registers_generated_are_valid(register in histories()) {
        let problems = validate(&register);
        prop_assert!(problems.is_empty(), "{:?}", problems);
    }

    #[test]
    fn statuses_and_versions_agree_with_a_plain_replay(
        register in histories(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), prop_oneof![Just(0), Just(-1), Just(1), -400i32..400]), 1..6),
    ) {
        let history = History::new(register.clone());
        for date in dates(&register, &picks) {
            let replay = Replay::new(&register, date);
            for (p, answer) in history.statuses(date).iter().enumerate() {
                prop_assert_eq!(answer.status, replay.status(p), "provision {} on {}", answer.provision.id, date);
            }
            let (version, possibly) = replay.in_force();
            let in_force = history.in_force(date);
            prop_assert_eq!(in_force.version.map(|v| v.id.clone()), version, "version in force on {}", date);
            let later: Vec<EntryId> = in_force.possibly_later.iter().map(|v| v.id.clone()).collect();
            prop_assert_eq!(later, possibly, "versions possibly in force on {}", date);
        }
    }
}
