//! Questions about a register through time: the version in force, a provision's status and why, its history,
//! the timeline. `History` indexes a validated register once; every answer is then a lookup or a short walk.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::change::{FilterError, Proposal, ProposalFilter};
use crate::id::{EntryId, ProvisionId};
use crate::model::{Activity, ChangeKind, Completeness, Entry, EntryKind, Provision, Register};
use crate::text::{TextAssignment, TextBodies, TextHash, Texts};

/// A provision's status on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// In the text and in effect.
    InForce,
    /// In the text but switched off.
    Inactive,
    /// Not in the text yet on that date.
    NotYetAdded,
    /// Taken out of the text by that date.
    Removed,
    /// The register does not know whether it was in the text on that date.
    Unknown,
}

impl Status {
    /// The wire name: `in_force`, `inactive`, `not_yet_added`, `removed`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InForce => "in_force",
            Self::Inactive => "inactive",
            Self::NotYetAdded => "not_yet_added",
            Self::Removed => "removed",
            Self::Unknown => "unknown",
        }
    }

    /// In words, for pages and terminals: `in force`, `inactive`, `not yet added`, `removed`, `unknown`.
    pub fn human(self) -> &'static str {
        match self {
            Self::InForce => "in force",
            Self::Inactive => "inactive",
            Self::NotYetAdded => "not yet added",
            Self::Removed => "removed",
            Self::Unknown => "unknown",
        }
    }
}

/// The fact a status rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis<'a> {
    /// An entry changed this provision, or the provision named (an ancestor it follows).
    Change {
        /// The version or event.
        entry: &'a Entry,
        /// What it did.
        kind: ChangeKind,
        /// The provision it named.
        provision: &'a ProvisionId,
    },
    /// The provision named was declared to start in this state when it entered the text.
    Initially {
        /// The provision declared so (this one or an ancestor).
        provision: &'a ProvisionId,
    },
    /// No addition is recorded for it or any part above it: it follows the code, in the text since its first version,
    /// whose list of added provisions is complete.
    Commencement {
        /// The code's first dated version or event.
        entry: &'a Entry,
    },
    /// No addition is recorded for it or any part above it, the code's first version does not list everything it
    /// added, and nothing shows the provision (or a part of it) in the text by the date.
    FirstVersionIncomplete {
        /// The code's first dated version or event.
        entry: &'a Entry,
        /// Whether that version is a baseline (the earliest text recorded), rather than a first version whose
        /// list of additions is incomplete.
        baseline: bool,
        /// The top-level provision this rests on (this one, or the one above it that it follows).
        provision: &'a ProvisionId,
    },
    /// The date is before the code's first version or event.
    BeforeCode {
        /// The code's first dated version or event, if any.
        first: Option<&'a Entry>,
    },
    /// The date is before the code's first recorded version, which is a baseline (`first_version = "baseline"`):
    /// the earliest text recorded, not the code's start. What stood before it is not recorded.
    BeforeRecord {
        /// The baseline version.
        first: &'a Entry,
    },
    /// The baseline version (the earliest text recorded, not the code's start) holds the provision named: it was
    /// in the text then, since a date the register does not record.
    Baseline {
        /// The baseline version.
        entry: &'a Entry,
        /// The provision it holds (this one or one above it).
        provision: &'a ProvisionId,
    },
    /// The provision will be added later by this entry.
    AddedLater {
        /// The entry that adds it.
        entry: &'a Entry,
    },
    /// The register does not know when the provision named entered the text, and nothing shows it existed yet.
    AdditionUnknown {
        /// The provision whose addition is unknown.
        provision: &'a ProvisionId,
    },
    /// When it entered the text is unknown, but this entry shows it existed by then.
    Evidence {
        /// The entry that touched it or a part of it, or at which the sources record it as present.
        entry: &'a Entry,
        /// What that entry did to it; `None` when the entry only records it as present.
        kind: Option<ChangeKind>,
        /// The provision the entry named.
        provision: &'a ProvisionId,
    },
    /// Nothing on record switched it off: provisions in the text are active by default.
    Default,
    /// An entry whose date is unknown made a change that could alter the answer: it may already have happened.
    Undated {
        /// The undated version or event.
        entry: &'a Entry,
        /// What it did.
        kind: ChangeKind,
        /// The provision it named (this one or one above it).
        provision: &'a ProvisionId,
    },
}

impl<'a> Basis<'a> {
    /// The entry this basis rests on, if any.
    pub fn entry(&self) -> Option<&'a Entry> {
        match *self {
            Self::Change { entry, .. }
            | Self::Evidence { entry, .. }
            | Self::Commencement { entry }
            | Self::FirstVersionIncomplete { entry, .. }
            | Self::Baseline { entry, .. }
            | Self::BeforeRecord { first: entry }
            | Self::AddedLater { entry }
            | Self::Undated { entry, .. } => Some(entry),
            Self::BeforeCode { first } => first,
            Self::Initially { .. } | Self::AdditionUnknown { .. } | Self::Default => None,
        }
    }
}

/// A provision's status on a date, with the facts behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusAnswer<'a> {
    /// The provision asked about.
    pub provision: &'a Provision,
    /// The date asked about.
    pub date: Date,
    /// Its status.
    pub status: Status,
    /// Why it was (or was not) in the text.
    pub existence: Basis<'a>,
    /// Why it was active or inactive, when it was in the text.
    pub activity: Option<Basis<'a>>,
    /// Whether it was in force: `Some(true)` in force; `Some(false)` inactive, not yet added, removed, or unknown
    /// under a provision that was not in force ([`StatusAnswer::held_back_by`]); `None` unknown.
    pub in_force: Option<bool>,
    /// For an unknown status: the nearest provision above it that was not in force then (inactive, not yet added or
    /// removed), which keeps it from being in force whether or not it was in the text.
    pub held_back_by: Option<HeldBack<'a>>,
}

/// A provision above another that was not in force on a date (see [`StatusAnswer::held_back_by`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldBack<'a> {
    /// The provision above.
    pub provision: &'a Provision,
    /// Its status then: inactive, not yet added or removed.
    pub status: Status,
}

/// The version in force on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce<'a> {
    /// The latest version whose effective date is on or before the date; `None` before the first.
    pub version: Option<&'a Entry>,
    /// Versions listed after it that may already have taken effect: dated only to a month or year that has
    /// begun, or not dated at all; in register order.
    pub possibly_later: Vec<&'a Entry>,
}

/// How an entry in a provision's history relates to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation<'a> {
    /// The entry named the provision itself.
    Direct,
    /// The entry named a provision above it, which it follows.
    Ancestor(&'a ProvisionId),
    /// The entry named a part of it.
    Descendant(&'a ProvisionId),
    /// The entry changed provisions without listing them all; this one may be among them.
    Unlisted,
}

/// One entry in a provision's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryItem<'a> {
    /// The version or event.
    pub entry: &'a Entry,
    /// What it did.
    pub kind: ChangeKind,
    /// Whether it named the provision, a provision above or below, or did not list what it changed.
    pub relation: Relation<'a>,
}

/// The days around a date on which every answer about a provision reads the same (see
/// [`History::unchanged_around`]): from `first` to `last`, both included; `None` where the stretch has no end
/// that way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch {
    /// Its first day.
    pub first: Option<Date>,
    /// Its last day.
    pub last: Option<Date>,
}

impl Stretch {
    /// Whether `day` is in it.
    pub fn contains(&self, day: Date) -> bool {
        self.first.is_none_or(|f| f <= day) && self.last.is_none_or(|l| day <= l)
    }
}

/// A validated register indexed for questions through time.
#[derive(Debug, Clone)]
pub struct History {
    pub(crate) register: Register,
    pub(crate) provision_index: HashMap<ProvisionId, usize>,
    pub(crate) entry_index: HashMap<EntryId, usize>,
    pub(crate) parents: Vec<Option<usize>>,
    /// Entry indices with a known date, in time order: the day each counts from (its latest possible day), then
    /// register order, so entries on one day take effect in the order the register lists them.
    pub(crate) chronology: Vec<usize>,
    /// Rank of each entry in `chronology`; `None` for undated entries.
    pub(crate) rank: Vec<Option<usize>>,
    /// Entry indices whose date is unknown, in register order.
    undated: Vec<usize>,
    /// Per provision: its text assignments as (rank of the entry, entry index, text), in time order.
    pub(crate) text_changes: Vec<Vec<(usize, usize, Option<TextHash>)>>,
    /// Every text the assignments name.
    pub(crate) bodies: TextBodies,
    /// Per provision: the changes naming it, in time order.
    pub(crate) touches: Vec<Vec<Touch>>,
    /// Per provision: the earliest change naming it or any part of it (rank, entry, change, provision named).
    first_evidence: Vec<Option<Evidence>>,
    /// Per provision: the days on which an answer about it may change (see [`History::unchanged_around`]),
    /// worked out on first use.
    turns: std::sync::OnceLock<Vec<Vec<Date>>>,
    /// The record time of the code's latest publication, when the history was read from a store.
    pub(crate) last_publication: Option<jiff::Timestamp>,
    /// The record time the history was read as of, when not as it stands.
    as_recorded: Option<jiff::Timestamp>,
    /// Per entry: the provisions it gave a wording or took one out of, as (provision, position in that
    /// provision's `text_changes`), in register order; worked out on first use (see [`History::text_lists`]).
    pub(crate) entry_texts: std::sync::OnceLock<Vec<Vec<(usize, usize)>>>,
    /// When each item was first recorded and last corrected, when the history was read from a ledger.
    record_times: std::sync::Arc<crate::record_times::RecordTimeIndex>,
}

/// The earliest sign that a provision was in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Evidence {
    rank: usize,
    entry: usize,
    kind: Option<ChangeKind>,
    provision: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Touch {
    pub(crate) entry: usize,
    pub(crate) kind: ChangeKind,
}

enum Existence<'a> {
    Exists { basis: Basis<'a>, since_rank: Option<usize> },
    Absent { status: Status, basis: Basis<'a> },
}

impl History {
    /// Indexes a register without texts. The register should have passed [`crate::validate::validate`]; names
    /// of unknown provisions in change lists are ignored here.
    pub fn new(register: Register) -> Self {
        Self::with_texts(register, Texts::default())
    }

    /// Indexes a register and its texts. Assignments naming an unknown provision or an undated entry are ignored.
    pub fn with_texts(register: Register, texts: Texts) -> Self {
        Self::with_text_bodies(register, &texts.assignments, texts.bodies.into())
    }

    /// Indexes a register, its text assignments and the texts they name.
    pub fn with_text_bodies(register: Register, assignments: &[TextAssignment], bodies: TextBodies) -> Self {
        let (provision_index, parents) = crate::tree::index(&register.provisions);
        let entry_index: HashMap<EntryId, usize> =
            register.entries.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        let mut chronology: Vec<usize> =
            (0..register.entries.len()).filter(|&i| register.entries[i].effective.latest().is_some()).collect();
        chronology.sort_by_key(|&i| (register.entries[i].effective.latest(), i));
        let mut rank = vec![None; register.entries.len()];
        for (position, &entry) in chronology.iter().enumerate() {
            rank[entry] = Some(position);
        }
        let undated = (0..register.entries.len()).filter(|&i| rank[i].is_none()).collect();
        let mut touches = vec![Vec::new(); register.provisions.len()];
        for &entry in &chronology {
            for kind in ChangeKind::ALL {
                for id in &register.entries[entry].changes(kind).listed {
                    if let Some(&p) = provision_index.get(id) {
                        touches[p].push(Touch { entry, kind });
                    }
                }
            }
        }
        let mut text_changes = vec![Vec::new(); register.provisions.len()];
        for assignment in assignments {
            let entry = entry_index.get(&assignment.entry).copied();
            let provision = provision_index.get(&assignment.provision).copied();
            if let (Some(entry), Some(provision)) = (entry, provision)
                && let Some(rank) = rank[entry]
            {
                text_changes[provision].push((rank, entry, assignment.text));
            }
        }
        for changes in &mut text_changes {
            changes.sort_by_key(|c| c.0);
            changes.dedup_by_key(|c| c.0);
        }
        let mut history = Self {
            register,
            provision_index,
            entry_index,
            parents,
            chronology,
            rank,
            undated,
            text_changes,
            bodies,
            touches,
            first_evidence: Vec::new(),
            turns: std::sync::OnceLock::new(),
            last_publication: None,
            as_recorded: None,
            entry_texts: std::sync::OnceLock::new(),
            record_times: Default::default(),
        };
        history.first_evidence = history.compute_first_evidence();
        history
    }

    /// The entries whose change lists name provision `p`, in time order (an entry may appear more than once).
    pub(crate) fn touches_of(&self, p: usize) -> impl Iterator<Item = usize> + '_ {
        self.touches[p].iter().map(|t| t.entry)
    }

    fn compute_first_evidence(&self) -> Vec<Option<Evidence>> {
        let earlier = |a: Option<Evidence>, b: Option<Evidence>| match (a, b) {
            (Some(a), Some(b)) => Some(if b.rank < a.rank { b } else { a }),
            (a, b) => a.or(b),
        };
        let mut evidence: Vec<Option<Evidence>> = (0..self.register.provisions.len())
            .map(|p| {
                let touched = self.touches[p].first().and_then(|t| {
                    let rank = self.rank[t.entry]?;
                    Some(Evidence { rank, entry: t.entry, kind: Some(t.kind), provision: p })
                });
                let recorded = self.register.provisions[p].present_by.as_ref().and_then(|id| {
                    let entry = *self.entry_index.get(id)?;
                    Some(Evidence { rank: self.rank[entry]?, entry, kind: None, provision: p })
                });
                earlier(touched, recorded)
            })
            .collect();
        // Parents come before children in a valid register, so one backward pass carries evidence upward.
        for p in (0..self.register.provisions.len()).rev() {
            if let (Some(parent), Some(found)) = (self.parents[p], evidence[p]) {
                let better = evidence[parent].is_none_or(|current| found.rank < current.rank);
                if better {
                    evidence[parent] = Some(found);
                }
            }
        }
        evidence
    }

    /// The same history, read from its ledger as it stood at record time `at` (`--as-recorded`,
    /// `?as_recorded=`): later publications and corrections are not in it, and its answers say so.
    #[must_use]
    pub fn with_as_recorded(mut self, at: jiff::Timestamp) -> Self {
        self.as_recorded = Some(at);
        self
    }

    /// The record time the history was read as of ([`History::with_as_recorded`]); `None` as it stands.
    pub fn as_recorded(&self) -> Option<jiff::Timestamp> {
        self.as_recorded
    }

    /// About how many bytes of memory the history holds, for bounding what keeps several (the server keeps
    /// registers as recorded on past days): every text's bytes, and for each provision, entry, listed change and
    /// text assignment a fixed cost of its indexes and allocations. An estimate within a small factor, never a
    /// measurement.
    pub fn approximate_bytes(&self) -> usize {
        const PROVISION: usize = 256;
        const ENTRY: usize = 512;
        const LISTED: usize = 48;
        let provisions: usize = self
            .register
            .provisions
            .iter()
            .map(|p| PROVISION + p.id.as_str().len() + p.title.as_ref().map_or(0, String::len))
            .sum();
        let entries: usize = self
            .register
            .entries
            .iter()
            .map(|e| ENTRY + ChangeKind::ALL.iter().map(|&k| e.changes(k).listed.len() * LISTED).sum::<usize>())
            .sum();
        let indexed: usize =
            self.touches.iter().map(Vec::len).sum::<usize>() + self.text_changes.iter().map(Vec::len).sum::<usize>();
        provisions + entries + self.bodies.approximate_bytes() + indexed * LISTED
    }

    /// The same history, knowing that the code's latest publication was recorded at `at`: its list of versions
    /// was brought up to date then ([`History::complete_until`]).
    #[must_use]
    pub fn with_last_publication(mut self, at: jiff::Timestamp) -> Self {
        self.last_publication = Some(at);
        self
    }

    /// The history with the record times of what it holds, read from its ledger
    /// ([`crate::record_times::RecordTimeIndex::new`]).
    pub fn with_record_times(mut self, times: crate::record_times::RecordTimeIndex) -> Self {
        self.record_times = std::sync::Arc::new(times);
        self
    }

    /// When each item was first recorded and last corrected; empty for a history not read from a ledger.
    pub fn record_times(&self) -> &crate::record_times::RecordTimeIndex {
        &self.record_times
    }

    /// The register this history was built from.
    pub fn register(&self) -> &Register {
        &self.register
    }

    /// The register's provisions as a tree, walked by id (ancestors, parts, neighbours in reading order).
    pub fn tree(&self) -> crate::tree::ProvisionTree<'_> {
        crate::tree::ProvisionTree::borrowed(&self.register.provisions, &self.provision_index, &self.parents)
    }

    /// The provision with this canonical id.
    pub fn provision(&self, id: &ProvisionId) -> Option<&Provision> {
        self.provision_index.get(id).map(|&i| &self.register.provisions[i])
    }

    /// The version or event with this id.
    pub fn entry(&self, id: &EntryId) -> Option<&Entry> {
        self.entry_index.get(id).map(|&i| &self.register.entries[i])
    }

    /// How many provisions stand above this one (0 for a top-level provision or an unknown id).
    pub fn depth(&self, id: &ProvisionId) -> usize {
        self.provision_index.get(id).map_or(0, |&p| self.ancestors(p).len())
    }

    /// The proposals that would change `provision`, a part of it or a whole containing it, whatever their stage.
    pub fn proposals_touching(&self, provision: &ProvisionId) -> Vec<&Proposal> {
        self.register().proposals.iter().filter(|p| p.affects.iter().any(|a| self.related(a, provision))).collect()
    }

    /// The proposals `filter` chooses, in register order. A stage or path the code's process does not define is
    /// refused, naming those it does (a code without a process defines none, and has no proposals).
    pub fn proposals(&self, filter: &ProposalFilter<'_>) -> Result<Vec<&Proposal>, FilterError> {
        let register = self.register();
        let process = register.process.as_ref();
        if let Some(stage) = filter.stage
            && process.and_then(|p| p.stage(stage)).is_none()
        {
            return Err(FilterError::UnknownStage {
                stage: stage.to_string(),
                process: process.map_or_else(|| "no change process".to_string(), |p| p.name.clone()),
                known: process.map(|p| p.stages.iter().map(|s| s.id.clone()).collect()).unwrap_or_default(),
            });
        }
        if let Some(path) = filter.path
            && process.and_then(|p| p.path(path)).is_none()
        {
            return Err(FilterError::UnknownPath {
                path: path.to_string(),
                known: process.map(|p| p.paths.iter().map(|p| p.id.clone()).collect()).unwrap_or_default(),
            });
        }
        let Some(process) = process else { return Ok(Vec::new()) };
        let touching = filter.affects.map(|a| self.proposals_touching(a));
        Ok(register
            .proposals
            .iter()
            .filter(|p| {
                let stages = filter.at.map_or(p.stages.as_slice(), |day| p.reached_by(day));
                filter.stage.is_none_or(|s| stages.last().is_some_and(|c| c.stage == s))
            })
            .filter(|p| filter.path.is_none_or(|x| p.path.as_deref() == Some(x)))
            .filter(|p| touching.as_ref().is_none_or(|t| t.iter().any(|q| std::ptr::eq(*q, *p))))
            .filter(|p| filter.pending_at.is_none_or(|d| p.pending_on(process, d)))
            .collect())
    }

    /// Whether two provisions are the same, or one contains the other.
    fn related(&self, a: &ProvisionId, b: &ProvisionId) -> bool {
        if a == b {
            return true;
        }
        let (Some(&a), Some(&b)) = (self.provision_index.get(a), self.provision_index.get(b)) else { return false };
        self.ancestors(a).contains(&b) || self.ancestors(b).contains(&a)
    }

    /// The versions only (no events), in time order, then those with unknown dates.
    pub fn versions(&self) -> Vec<&Entry> {
        self.timeline(None, None).into_iter().filter(|e| e.kind == EntryKind::Version).collect()
    }

    /// The version before `entry` in time order, when `entry` is a version and not the first; what a version is
    /// compared with to show what it changed.
    pub fn version_before(&self, entry: &Entry) -> Option<&Entry> {
        if entry.kind != EntryKind::Version {
            return None;
        }
        let versions = self.versions();
        let index = versions.iter().position(|v| v.id == entry.id)?;
        versions.get(index.checked_sub(1)?).copied()
    }

    /// Every entry whose effective date may fall in the range (both ends inclusive), in time order. With no
    /// range at all, entries with unknown dates follow at the end.
    pub fn timeline(&self, from: Option<Date>, to: Option<Date>) -> Vec<&Entry> {
        let dated = self.chronology.iter().map(|&i| &self.register.entries[i]).filter(|e| {
            let after_from = from.is_none_or(|from| e.effective.latest().is_some_and(|d| d >= from));
            let before_to = to.is_none_or(|to| e.effective.earliest().is_some_and(|d| d <= to));
            after_from && before_to
        });
        let mut entries: Vec<&Entry> = dated.collect();
        if from.is_none() && to.is_none() {
            entries.extend(self.register.entries.iter().filter(|e| e.effective.earliest().is_none()));
        }
        entries
    }

    /// True when the entry takes effect after `today`: it is planned, not yet law.
    pub fn is_planned(entry: &Entry, today: Date) -> bool {
        entry.effective.earliest().is_some_and(|d| d > today)
    }

    /// Entries that take effect after `today`, in time order.
    pub fn planned(&self, today: Date) -> Vec<&Entry> {
        self.timeline(None, None).into_iter().filter(|e| Self::is_planned(e, today)).collect()
    }

    /// The version in force on a date: the latest version whose effective date is on or before it (a date known
    /// only to the month or year counts from its last possible day; of versions on one day, the one listed last).
    /// `possibly_later` holds the versions after it that may already have taken effect: dated only to a month or
    /// year that has begun, or not dated at all. A version listed before the one in force is not among them:
    /// versions are listed in the order they take effect (`validate` keeps that for dated ones).
    pub fn in_force(&self, date: Date) -> InForce<'_> {
        let entries = &self.register.entries;
        let is_version = |i: usize| entries[i].kind == EntryKind::Version;
        let current = self.chronology.iter().rev().copied().find(|&i| is_version(i) && applies(&entries[i], date));
        let after = current.map_or(0, |i| i + 1);
        // Those listed after it do not apply yet: each counts from a day no earlier than it does, and one on the
        // same day, listed later, would be in force instead.
        let possibly_later = (after..entries.len())
            .filter(|&i| is_version(i))
            .map(|i| &entries[i])
            .filter(|e| e.effective.earliest().is_none_or(|d| d <= date))
            .collect();
        InForce { version: current.map(|i| &entries[i]), possibly_later }
    }

    /// The status of every provision on a date, in reading order.
    pub fn statuses(&self, date: Date) -> Vec<StatusAnswer<'_>> {
        self.statuses_iter(date).collect()
    }

    /// [`History::statuses`], one provision at a time: a whole code's answer can be written as it is worked
    /// out, holding one provision's status at a time rather than every one.
    pub fn statuses_iter(&self, date: Date) -> impl ExactSizeIterator<Item = StatusAnswer<'_>> + '_ {
        (0..self.register.provisions.len()).map(move |p| self.status_of(p, date))
    }

    /// The status of one provision on a date, with its reasons; `None` if the provision is not in the register.
    pub fn status(&self, id: &ProvisionId, date: Date) -> Option<StatusAnswer<'_>> {
        self.provision_index.get(id).map(|&p| self.status_of(p, date))
    }

    /// The status of provision `p`, and whether it was in force: under a provision that was not in force, a
    /// provision whose presence is unknown was not in force either.
    fn status_of(&self, p: usize, date: Date) -> StatusAnswer<'_> {
        let mut answer = self.presence_and_activity(p, date);
        answer.in_force = match answer.status {
            Status::InForce => Some(true),
            Status::Unknown => None,
            Status::Inactive | Status::NotYetAdded | Status::Removed => Some(false),
        };
        if answer.status == Status::Unknown {
            answer.held_back_by = self.ancestors(p).into_iter().find_map(|q| {
                let above = self.presence_and_activity(q, date);
                matches!(above.status, Status::Inactive | Status::NotYetAdded | Status::Removed)
                    .then_some(HeldBack { provision: above.provision, status: above.status })
            });
            if answer.held_back_by.is_some() {
                answer.in_force = Some(false);
            }
        }
        answer
    }

    /// The status of provision `p` from its presence in the text and its activity alone.
    fn presence_and_activity(&self, p: usize, date: Date) -> StatusAnswer<'_> {
        let provision = &self.register.provisions[p];
        let answer = |status, existence, activity| StatusAnswer {
            provision,
            date,
            status,
            existence,
            activity,
            in_force: None,
            held_back_by: None,
        };
        let existence = self.existence(p, date);
        if let Some(basis) = self.undated_change(p, date, &existence) {
            return answer(Status::Unknown, basis, None);
        }
        match existence {
            Existence::Absent { status, basis } => answer(status, basis, None),
            Existence::Exists { basis, .. } => {
                let (activity, why) = self.activity(p, date);
                let status = match activity {
                    Activity::Active => Status::InForce,
                    Activity::Inactive => Status::Inactive,
                };
                answer(status, basis, Some(why))
            }
        }
    }

    /// A change by an undated entry that could alter the status found without it, once the code has begun: an
    /// entry of unknown date may have taken effect on any day, so the answer is `unknown` rather than a guess.
    /// Such a change is adding or removing the provision itself; removing a provision above it, or adding one
    /// above it when the provision follows it (no addition or removal of its own in effect); or, while it is in
    /// the text, switching it or a provision above it on or off.
    fn undated_change<'a>(&'a self, p: usize, date: Date, existence: &Existence<'a>) -> Option<Basis<'a>> {
        // Asked for every provision on every status question: most registers date every entry.
        if self.undated.is_empty() {
            return None;
        }
        let (exists, follows) = match existence {
            Existence::Absent { basis: Basis::BeforeCode { .. } | Basis::BeforeRecord { .. }, .. } => return None,
            Existence::Absent { status: Status::Unknown, .. } => return None,
            Existence::Absent { status, .. } => (false, *status == Status::Removed),
            Existence::Exists { .. } => {
                let own = self.last_applying(p, date, &[ChangeKind::Added, ChangeKind::Removed]).is_some();
                (true, !own)
            }
        };
        let chain: Vec<usize> = std::iter::once(p).chain(self.ancestors(p)).collect();
        for entry in self.undated.iter().map(|&i| &self.register.entries[i]) {
            for &q in &chain {
                let itself = q == p;
                let matters = |kind: ChangeKind| match kind {
                    ChangeKind::Added => itself || follows,
                    ChangeKind::Removed => itself || exists || follows,
                    ChangeKind::Activated | ChangeKind::Deactivated => exists,
                    ChangeKind::Amended => false,
                };
                let id = &self.register.provisions[q].id;
                if let Some(kind) =
                    ChangeKind::ALL.into_iter().find(|&k| matters(k) && entry.changes(k).listed.contains(id))
                {
                    return Some(Basis::Undated { entry, kind, provision: id });
                }
            }
        }
        None
    }

    fn first_dated(&self) -> Option<&Entry> {
        self.chronology.first().map(|&i| &self.register.entries[i])
    }

    /// The last change of one of `kinds` naming provision `p` that is in effect on `date`.
    fn last_applying(&self, p: usize, date: Date, kinds: &[ChangeKind]) -> Option<Touch> {
        self.touches[p]
            .iter()
            .rev()
            .find(|t| kinds.contains(&t.kind) && applies(&self.register.entries[t.entry], date))
            .copied()
    }

    fn change<'a>(&'a self, touch: Touch, p: usize) -> Basis<'a> {
        let entry = &self.register.entries[touch.entry];
        let provision = &self.register.provisions[p].id;
        // A baseline holds what it lists as added: it did not add it (the code began before it).
        if touch.kind == ChangeKind::Added && self.baseline().is_some_and(|b| std::ptr::eq(b, entry)) {
            return Basis::Baseline { entry, provision };
        }
        Basis::Change { entry, kind: touch.kind, provision }
    }

    /// The code's first dated version or event when the register reads it as a baseline
    /// (`first_version = "baseline"`): the earliest text recorded, not the code's start. Before it, statuses are
    /// unknown; what it lists as added, it holds.
    pub fn baseline(&self) -> Option<&Entry> {
        (self.register.code.first_version == crate::model::FirstVersion::Baseline).then(|| self.first_dated()).flatten()
    }

    /// Whether provision `p` is in the text on `date`, and why. A provision with no addition or removal of its own
    /// goes with the provision above it, and a part added before a removal above it goes with that removal: the
    /// walk goes up the tree in a loop (never recursion: a tree's depth is bounded at import, but a loop cannot
    /// overflow the stack whatever is stored), then settles each addition met on the way, top down.
    fn existence(&self, p: usize, date: Date) -> Existence<'_> {
        let first = self.first_dated();
        let Some(first) = first.filter(|first| applies(first, date)) else {
            if let Some(first) = self.baseline() {
                return Existence::Absent { status: Status::Unknown, basis: Basis::BeforeRecord { first } };
            }
            return Existence::Absent { status: Status::NotYetAdded, basis: Basis::BeforeCode { first } };
        };
        // Additions in effect on the way up, each waiting for the answer about the provision above it.
        let mut added: Vec<(Touch, usize)> = Vec::new();
        let mut q = p;
        let mut answer = loop {
            match self.own_existence(q, date, first) {
                Own::Settled(answer) => break answer,
                Own::Added(touch) => match self.parents[q] {
                    Some(parent) => {
                        added.push((touch, q));
                        q = parent;
                    }
                    None => {
                        break Existence::Exists { basis: self.change(touch, q), since_rank: self.rank[touch.entry] };
                    }
                },
                Own::AsParent => match self.parents[q] {
                    Some(parent) => q = parent,
                    None => break Existence::Exists { basis: Basis::Commencement { entry: first }, since_rank: None },
                },
            }
        };
        for (touch, q) in added.into_iter().rev() {
            // A part goes with its parent: a removal above, after this part was added, takes it out too.
            let removed_later = matches!(&answer, Existence::Absent { status: Status::Removed, basis }
                if basis.entry().and_then(|e| self.rank_of(e)) > self.rank[touch.entry]);
            if !removed_later {
                answer = Existence::Exists { basis: self.change(touch, q), since_rank: self.rank[touch.entry] };
            }
        }
        answer
    }

    /// What the records of provision `p` itself say about its presence on `date` (a day on or after the code's
    /// first dated entry, `first`).
    fn own_existence<'a>(&'a self, p: usize, date: Date, first: &'a Entry) -> Own<'a> {
        let lifecycle = [ChangeKind::Added, ChangeKind::Removed];
        if let Some(touch) = self.last_applying(p, date, &lifecycle) {
            if touch.kind == ChangeKind::Removed {
                return Own::Settled(Existence::Absent { status: Status::Removed, basis: self.change(touch, p) });
            }
            return Own::Added(touch);
        }
        if let Some(later) = self.touches[p].iter().find(|t| t.kind == ChangeKind::Added) {
            let entry = &self.register.entries[later.entry];
            return Own::Settled(Existence::Absent { status: Status::NotYetAdded, basis: Basis::AddedLater { entry } });
        }
        let provision = &self.register.provisions[p];
        // A top-level provision with no addition of its own is in the text from the code's first version only
        // when that version lists everything it added; otherwise, as for one whose addition is unknown, only
        // evidence shows it there.
        // A baseline is read the same way: that it lists everything it holds says nothing of what came before.
        let start = (self.parents[p].is_none()
            && (first.added.completeness != Completeness::Complete || self.baseline().is_some()))
        .then_some(first);
        if !provision.addition_unknown && start.is_none() {
            return Own::AsParent;
        }
        Own::Settled(match self.first_evidence[p] {
            Some(found) if applies(&self.register.entries[found.entry], date) => {
                let basis = Basis::Evidence {
                    entry: &self.register.entries[found.entry],
                    kind: found.kind,
                    provision: &self.register.provisions[found.provision].id,
                };
                Existence::Exists { basis, since_rank: Some(found.rank) }
            }
            _ => {
                let basis = match start {
                    Some(first) if !provision.addition_unknown => Basis::FirstVersionIncomplete {
                        entry: first,
                        baseline: self.baseline().is_some(),
                        provision: &provision.id,
                    },
                    _ => Basis::AdditionUnknown { provision: &provision.id },
                };
                Existence::Absent { status: Status::Unknown, basis }
            }
        })
    }

    fn rank_of(&self, entry: &Entry) -> Option<usize> {
        self.entry_index.get(&entry.id).and_then(|&i| self.rank[i])
    }

    /// Whether an existing provision is active: the most recent switch on or off of it or of a provision above it
    /// wins; a declared initial state counts from the moment its provision entered the text.
    fn activity(&self, p: usize, date: Date) -> (Activity, Basis<'_>) {
        let switches = [ChangeKind::Activated, ChangeKind::Deactivated];
        // (rank, activity, basis): the highest rank wins. Candidates come from p upward, nearest first, so on a
        // tie the nearer one, considered first, stays.
        let mut best: Option<Candidate<'_>> = None;
        let mut current = Some(p);
        while let Some(q) = current {
            if let Some(touch) = self.last_applying(q, date, &switches) {
                let activity = if touch.kind == ChangeKind::Activated { Activity::Active } else { Activity::Inactive };
                consider(&mut best, (self.rank[touch.entry], activity, self.change(touch, q)));
            }
            if let Some(initially) = self.register.provisions[q].initially {
                let since = match self.existence(q, date) {
                    Existence::Exists { since_rank, .. } => since_rank,
                    Existence::Absent { .. } => None,
                };
                consider(
                    &mut best,
                    (since, initially, Basis::Initially { provision: &self.register.provisions[q].id }),
                );
            }
            current = self.parents[q];
        }
        match best {
            Some((_, activity, basis)) => (activity, basis),
            None => (Activity::Active, Basis::Default),
        }
    }

    /// Every entry that touched the provision, a provision above it or a part of it, or that changed provisions
    /// without listing them while it was in the text; in time order, entries with unknown dates last.
    pub fn provision_history(&self, id: &ProvisionId) -> Vec<HistoryItem<'_>> {
        let Some(&p) = self.provision_index.get(id) else { return Vec::new() };
        let ancestors = self.ancestors(p);
        let mut items = Vec::new();
        let ordered =
            self.chronology.iter().copied().chain((0..self.register.entries.len()).filter(|&i| self.rank[i].is_none()));
        for i in ordered {
            let entry = &self.register.entries[i];
            for kind in ChangeKind::ALL {
                let list = entry.changes(kind);
                let mut named = false;
                for listed in &list.listed {
                    let Some(&q) = self.provision_index.get(listed) else { continue };
                    let relation = if q == p {
                        Relation::Direct
                    } else if ancestors.contains(&q) {
                        Relation::Ancestor(listed)
                    } else if self.ancestors(q).contains(&p) {
                        Relation::Descendant(listed)
                    } else {
                        continue;
                    };
                    named = true;
                    items.push(HistoryItem { entry, kind, relation });
                }
                let unlisted = list.completeness != Completeness::Complete;
                if !named && unlisted && self.could_be_among(p, entry, kind) {
                    items.push(HistoryItem { entry, kind, relation: Relation::Unlisted });
                }
            }
        }
        items
    }

    /// Whether an entry that did not list what it changed may have changed this provision that way: it may
    /// have been added only if it was not (known to be) in the text the day before, and otherwise changed only
    /// if it was (or may have been) in the text then.
    fn could_be_among(&self, p: usize, entry: &Entry, kind: ChangeKind) -> bool {
        let Some(date) = entry.effective.latest() else { return false };
        if kind == ChangeKind::Added {
            // A provision whose own addition is on record was not added by an entry that does not name it.
            if self.touches[p].iter().any(|t| t.kind == ChangeKind::Added) {
                return false;
            }
            let before = date.yesterday().map(|d| self.status_of(p, d).status);
            return matches!(before, Ok(Status::NotYetAdded | Status::Unknown));
        }
        matches!(self.status_of(p, date).status, Status::InForce | Status::Inactive | Status::Unknown)
    }

    /// The provisions above `p`, nearest first.
    /// The stretch of days around `date` on which every answer about provision `id` reads the same: its status and
    /// why, its text and the entry that gave it, its pending proposals, and the same of every provision above and
    /// under it (a Section's page shows its parts). `(first, last)`: `None` at either end for a stretch without
    /// end that way. `None` for an unknown provision.
    ///
    /// An answer can change only on a day some entry takes effect that names a provision of the same top-level
    /// provision's tree (the provision, one above it, one under it, or one beside them: a provision's existence can
    /// follow its parts) or gives one of them a text; on the day of an entry whose lists are not complete (it may
    /// include any provision); on the day one of them is recorded as present (`present_by`); on the day of the
    /// code's first version (commencement); and on any day a modification proposal naming a provision of the
    /// tree reaches a stage. For an entry dated only to a month or a year, both its first and its last possible
    /// day count.
    pub fn unchanged_around(&self, id: &ProvisionId, date: Date) -> Option<Stretch> {
        let p = *self.provision_index.get(id)?;
        let turns = &self.turns.get_or_init(|| self.compute_turns())[p];
        let after = turns.partition_point(|&d| d <= date);
        let first = after.checked_sub(1).map(|i| turns[i]);
        let last = turns.get(after).and_then(|d| d.yesterday().ok());
        Some(Stretch { first, last })
    }

    /// One day that stands for the whole stretch [`History::unchanged_around`] gives: its first day, or its last
    /// when it has no first. Links to a provision at any day of the stretch can all name this day, so that a
    /// static copy of the site holds one page per stretch. `date` itself for an unknown provision or a stretch
    /// without end either way.
    pub fn representative_day(&self, id: &ProvisionId, date: Date) -> Date {
        match self.unchanged_around(id, date) {
            Some(Stretch { first: Some(first), .. }) => first,
            Some(Stretch { first: None, last: Some(last) }) => last,
            _ => date,
        }
    }

    /// The entry that took provision `id` (or a provision above it) out of the text after `date`, when it is out
    /// of the text on `today` and was not on `date`: what an old page of a provision repealed since should say.
    /// `None` otherwise, and when that entry may have taken effect on or before `date` (its date is unknown, or
    /// known only to a month or year that `date` falls in).
    pub fn removed_after(&self, id: &ProvisionId, date: Date, today: Date) -> Option<&Entry> {
        let then = self.status(id, date)?;
        let now = self.status(id, today)?;
        if now.status != Status::Removed || then.status == Status::Removed {
            return None;
        }
        match now.existence {
            Basis::Change { entry, .. } if entry.effective.earliest().is_some_and(|d| d > date) => Some(entry),
            _ => None,
        }
    }

    /// The days on which an answer about each provision may change, sorted (see [`History::unchanged_around`]).
    fn compute_turns(&self) -> Vec<Vec<Date>> {
        let count = self.register.provisions.len();
        let days = |entry: &Entry| -> Vec<Date> {
            let mut days: Vec<Date> =
                [entry.effective.earliest(), entry.effective.latest()].into_iter().flatten().collect();
            days.dedup();
            days
        };
        // What names each provision itself.
        let mut own: Vec<Vec<Date>> = vec![Vec::new(); count];
        for (p, days_of_p) in own.iter_mut().enumerate() {
            for touch in &self.touches[p] {
                days_of_p.extend(days(&self.register.entries[touch.entry]));
            }
            for &(_, entry, _) in &self.text_changes[p] {
                days_of_p.extend(days(&self.register.entries[entry]));
            }
            if let Some(entry) = self.register.provisions[p].present_by.as_ref().and_then(|id| self.entry(id)) {
                days_of_p.extend(days(entry));
            }
        }
        // What may change any provision.
        let mut every: Vec<Date> = Vec::new();
        for entry in &self.register.entries {
            let incomplete = ChangeKind::ALL.iter().any(|&k| entry.changes(k).completeness != Completeness::Complete);
            if incomplete {
                every.extend(days(entry));
            }
        }
        if let Some(first) = self.versions().first() {
            every.extend(days(first));
        }
        // A page shows the proposals naming its provision, one above or one under it: their stages are turns
        // for the trees of the provisions they name, and for no other.
        for proposal in &self.register.proposals {
            let stage_days: Vec<Date> =
                proposal.stages.iter().flat_map(|s| [s.date.earliest(), s.date.latest()]).flatten().collect();
            for p in proposal.affects.iter().filter_map(|a| self.provision_index.get(a)) {
                own[*p].extend(stage_days.iter().copied());
            }
        }
        // A provision's answers follow those above it, and a provision's existence can follow its parts, so the
        // days of every provision in one top-level provision's tree count for all of it.
        let root = |p: usize| self.ancestors(p).last().copied().unwrap_or(p);
        let mut tree: HashMap<usize, Vec<Date>> = HashMap::new();
        for (p, days) in own.iter().enumerate() {
            if !days.is_empty() {
                tree.entry(root(p)).or_default().extend(days.iter().copied());
            }
        }
        let mut turns: Vec<Vec<Date>> = vec![every; count];
        for (p, days) in turns.iter_mut().enumerate() {
            if let Some(shared) = tree.get(&root(p)) {
                days.extend(shared.iter().copied());
            }
        }
        for days in &mut turns {
            days.sort();
            days.dedup();
        }
        turns
    }

    pub(crate) fn ancestors(&self, p: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut current = self.parents[p];
        while let Some(q) = current {
            out.push(q);
            current = self.parents[q];
        }
        out
    }
}

/// What a provision's own records say about its presence on a day (see `History::own_existence`).
enum Own<'a> {
    /// The answer, whatever stands above it.
    Settled(Existence<'a>),
    /// Added by this change, and in the text unless a provision above it was removed after that.
    Added(Touch),
    /// Nothing of its own: present as the provision above it is (or from the code's start, at the top).
    AsParent,
}

/// A reason for a provision's activity: (rank of the entry, activity, basis).
type Candidate<'a> = (Option<usize>, Activity, Basis<'a>);

/// Keeps the candidate with the highest rank; on a tie the one kept first (the nearer, as they come nearest first).
fn consider<'a>(best: &mut Option<Candidate<'a>>, candidate: Candidate<'a>) {
    let wins = best.as_ref().is_none_or(|b| candidate.0 > b.0);
    if wins {
        *best = Some(candidate);
    }
}

/// An entry is in effect on a date when its latest possible effective date is on or before it: a date known only
/// to the month counts from the end of that month, never guessed earlier.
pub(crate) fn applies(entry: &Entry, date: Date) -> bool {
    entry.effective.latest().is_some_and(|d| d <= date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{date, entry, event, provision, register};

    #[test]
    fn a_history_s_size_is_estimated_from_its_texts_provisions_entries_and_listed_changes() {
        let mut a = provision("A", None);
        a.title = Some("Alpha".into());
        let reg = register(
            vec![a, provision("A1", Some("A"))],
            vec![entry("1.0", "2014-01-01", &[("added", "A"), ("added", "A1")])],
        );
        let text = "x y z";
        let hash = crate::text::TextHash::of(text);
        let assignment = TextAssignment {
            entry: EntryId::parse("1.0").expect("id"),
            provision: ProvisionId::parse("A1").expect("id"),
            text: Some(hash),
        };
        let texts =
            Texts { assignments: vec![assignment], bodies: HashMap::from([(hash, std::sync::Arc::from(text))]) };
        let history = History::with_texts(reg.clone(), texts);
        // Provisions 256 + id + title each; an entry 512 + 48 per listed change; a text its bytes + 64; 48 for
        // each change and text assignment indexed per provision (two touches, one text change).
        let expected = (256 + 1 + 5) + (256 + 2) + (512 + 2 * 48) + (5 + 64) + 3 * 48;
        assert_eq!(history.approximate_bytes(), expected);
        assert_eq!(History::new(reg).approximate_bytes(), expected - (5 + 64) - 48, "without the text");
        // Packed texts count their string and 64 per place.
        let places = HashMap::from([(hash, (0, 5))]);
        let packed = TextBodies::packed(text.to_string(), places).expect("fits");
        assert_eq!(packed.approximate_bytes(), 5 + 64);
    }

    #[test]
    fn a_history_read_as_recorded_says_as_of_when() {
        let history = History::new(register(vec![provision("A", None)], vec![]));
        assert_eq!(history.as_recorded(), None, "as it stands");
        let at: jiff::Timestamp = "2026-10-01T09:00:00Z".parse().expect("time");
        assert_eq!(history.with_as_recorded(at).as_recorded(), Some(at));
    }

    #[test]
    fn a_stretch_runs_between_the_days_anything_in_its_tree_changes() {
        let id = |text: &str| ProvisionId::parse(text).expect("id");
        let mut reg = register(
            vec![
                provision("A", None),
                provision("A1", Some("A")),
                provision("A2", Some("A")),
                provision("B", None),
                provision("C", None),
            ],
            vec![
                entry("1.0", "2014-01-01", &[("added", "A"), ("added", "A1"), ("added", "B")]),
                // A sibling's change is a turn for the whole tree, not for B.
                entry("2.0", "2015-03-01", &[("amended", "A2")]),
                entry("3.0", "2016-06-01", &[("amended", "B")]),
                // Dated to a month: both its first and its last day are turns.
                event("ev", "2017-02", &[("deactivated", "C")]),
            ],
        );
        reg.provisions[4].present_by = Some(EntryId::parse("3.0").expect("id"));
        let mut proposal = crate::change::tests::raised("1");
        proposal.stages[0].date = crate::date::FuzzyDate::parse("2018-05-05").expect("date");
        // A proposal's stages are turns only for the trees of the provisions it names (so a new proposal does not
        // move every page of a static copy); one naming no provision of the code turns nothing.
        proposal.affects = vec![id("A2")];
        let mut elsewhere = crate::change::tests::raised("1");
        elsewhere.stages[0].date = crate::date::FuzzyDate::parse("2019-09-09").expect("date");
        reg.proposals.push(proposal);
        reg.proposals.push(elsewhere);
        let history = History::new(reg.clone());
        let around = |p: &str, d: &str| {
            let stretch = history.unchanged_around(&id(p), date(d)).expect("known");
            (stretch.first, stretch.last)
        };
        let some = |d: &str| Some(date(d));
        // The first version (commencement) is a turn for every provision; A1's tree turns on 2.0 (A2 changed).
        assert_eq!(around("A1", "2014-06-01"), (some("2014-01-01"), some("2015-02-28")));
        assert_eq!(around("A1", "2015-03-01"), (some("2015-03-01"), some("2018-05-04")));
        assert_eq!(around("A", "2016-07-01"), (some("2015-03-01"), some("2018-05-04")));
        // B turns on its own change, not on A2's.
        assert_eq!(around("B", "2015-06-01"), (some("2014-01-01"), some("2016-05-31")));
        // C: present by 3.0, switched off some day in February 2017; no proposal names it.
        assert_eq!(around("C", "2016-07-01"), (some("2016-06-01"), some("2017-01-31")));
        assert_eq!(around("C", "2017-02-15"), (some("2017-02-01"), some("2017-02-27")));
        assert_eq!(around("C", "2017-03-01"), (some("2017-02-28"), None));
        assert_eq!(around("A1", "2030-01-01"), (some("2018-05-05"), None));
        // Before the first turn and after the last: open-ended; the stretch's own day stands for it.
        assert_eq!(around("B", "2010-01-01"), (None, some("2013-12-31")));
        assert_eq!(around("B", "2030-01-01"), (some("2016-06-01"), None));
        assert_eq!(history.representative_day(&id("B"), date("2010-01-01")), date("2013-12-31"));
        assert_eq!(history.representative_day(&id("B"), date("2016-01-01")), date("2014-01-01"));
        assert_eq!(history.unchanged_around(&id("Z"), date("2016-01-01")), None);
        assert_eq!(history.representative_day(&id("Z"), date("2016-01-01")), date("2016-01-01"));
        // An entry whose lists are not complete may change anything: a turn for every provision.
        reg.entries[2].amended.completeness = crate::model::Completeness::Unlisted;
        reg.proposals.clear();
        let history = History::new(reg.clone());
        assert_eq!(
            history.unchanged_around(&id("A1"), date("2016-07-01")),
            Some(Stretch { first: some("2016-06-01"), last: None })
        );
        // A register without entries: one stretch, which its day stands for.
        let empty = History::new(register(vec![provision("A", None)], vec![]));
        assert_eq!(empty.unchanged_around(&id("A"), date("2016-07-01")), Some(Stretch { first: None, last: None }));
        assert!(Stretch { first: None, last: None }.contains(date("2016-07-01")));
        let stretch = Stretch { first: some("2016-06-01"), last: some("2016-06-30") };
        assert!(stretch.contains(date("2016-06-01")) && stretch.contains(date("2016-06-30")));
        assert!(!stretch.contains(date("2016-05-31")) && !stretch.contains(date("2016-07-01")));
        assert_eq!(empty.representative_day(&id("A"), date("2016-07-01")), date("2016-07-01"));
    }

    #[test]
    fn under_a_provision_not_in_force_nothing_is_in_force_whatever_its_presence() {
        let id = |text: &str| ProvisionId::parse(text).expect("id");
        let mut provisions = vec![
            provision("H", None),
            provision("H14", Some("H")),
            provision("H14.31", Some("H14")),
            provision("J", None),
            provision("J1", Some("J")),
            provision("K", None),
        ];
        provisions[2].addition_unknown = true;
        provisions[4].addition_unknown = true;
        let reg = register(
            provisions,
            vec![
                entry("v1", "2014-01-01", &[("added", "H"), ("added", "J")]),
                entry("v2", "2015-01-01", &[("deactivated", "H")]),
                entry("v3", "2016-01-01", &[("activated", "H"), ("added", "K")]),
            ],
        );
        let history = History::new(reg);
        let at = |p: &str, d: &str| history.status(&id(p), date(d)).expect("known");
        let under_h = at("H14.31", "2015-06-01");
        assert_eq!((under_h.status, under_h.in_force), (Status::Unknown, Some(false)));
        let above = under_h.held_back_by.expect("held back");
        assert_eq!((above.provision.id.as_str(), above.status), ("H14", Status::Inactive), "the nearest above");
        // Switched on again: whether it is in the text is unknown, so whether it is in force is too.
        let later = at("H14.31", "2016-06-01");
        assert_eq!((later.status, later.in_force, later.held_back_by), (Status::Unknown, None, None));
        let in_j = at("J1", "2015-06-01");
        assert_eq!((in_j.status, in_j.in_force, in_j.held_back_by), (Status::Unknown, None, None));
        assert_eq!(at("H", "2015-06-01").in_force, Some(false));
        assert_eq!(at("J", "2015-06-01").in_force, Some(true));
        assert_eq!(at("K", "2015-06-01").in_force, Some(false), "not yet added");
        assert_eq!(at("H14", "2015-06-01").held_back_by, None, "known statuses speak for themselves");
    }

    #[test]
    fn an_old_page_names_what_took_the_provision_out_since() {
        let id = |text: &str| ProvisionId::parse(text).expect("id");
        let reg = register(
            vec![
                provision("A", None),
                provision("A1", Some("A")),
                provision("B", None),
                provision("B1", Some("B")),
                provision("C", None),
            ],
            vec![
                entry("v1", "2016-01-01", &[("added", "A"), ("added", "B")]),
                entry("v2", "2018-01-01", &[("removed", "A1"), ("added", "C")]),
                event("ev", "2019-03", &[("removed", "B")]),
            ],
        );
        let history = History::new(reg);
        let removed = |p: &str, then: &str, today: &str| {
            history.removed_after(&id(p), date(then), date(today)).map(|e| e.id.to_string())
        };
        assert_eq!(removed("A1", "2017-01-01", "2020-01-01").as_deref(), Some("v2"));
        assert_eq!(removed("A1", "2018-01-01", "2020-01-01"), None, "already out on the page's day");
        assert_eq!(removed("A1", "2017-01-01", "2017-06-01"), None, "not out today");
        assert_eq!(removed("A", "2017-01-01", "2020-01-01"), None, "never out");
        assert_eq!(removed("Z", "2017-01-01", "2020-01-01"), None, "unknown");
        // Taken out with the provision above it.
        assert_eq!(removed("B1", "2018-06-01", "2020-01-01").as_deref(), Some("ev"));
        // Dated only to March 2019: from 1 March it may already have been out.
        assert_eq!(removed("B1", "2019-03-15", "2020-01-01"), None);
        assert_eq!(removed("B1", "2019-03-01", "2020-01-01"), None);
        // Added after the page's day and in the text today: nothing took it out.
        assert_eq!(removed("C", "2017-01-01", "2020-01-01"), None);
        assert_eq!(removed("B1", "2019-02-28", "2020-01-01").as_deref(), Some("ev"));
    }

    #[test]
    fn a_stored_tree_of_any_depth_is_walked_without_overflowing_the_stack() {
        // Deeper than import allows (a database written before the limit, or by hand): answered, not a crash.
        let levels = 200_000;
        let provisions = (0..levels)
            .map(|i| {
                let parent = (i > 0).then(|| format!("P{}", i - 1));
                provision(&format!("P{i}"), parent.as_deref())
            })
            .collect();
        let deepest = ProvisionId::parse(&format!("P{}", levels - 1)).expect("id");
        let history = History::new(register(
            provisions,
            vec![
                entry("1.0", "2020-01-01", &[("added", "P0"), ("added", "P5")]),
                entry("2.0", "2021-01-01", &[("removed", "P0")]),
            ],
        ));
        let before = history.status(&deepest, date("2020-06-01")).expect("known");
        assert_eq!(before.status, Status::InForce);
        assert!(
            matches!(before.existence, Basis::Change { provision, .. } if provision.as_str() == "P5"),
            "{:?}",
            before.existence
        );
        let after = history.status(&deepest, date("2021-06-01")).expect("known");
        assert_eq!(after.status, Status::Removed, "the removal at the top takes every level with it");
        assert_eq!(history.depth(&deepest), levels - 1);
    }

    /// The SEC's shape in miniature: H switched off under Section X, H15 switched on by 4.1.
    fn sec_like() -> History {
        let mut h = provision("H", None);
        h.initially = Some(Activity::Inactive);
        let mut p = provision("P", None);
        p.addition_unknown = true;
        History::new(register(
            vec![
                provision("A", None),
                provision("B", None),
                provision("B1", Some("B")),
                provision("B2", Some("B")),
                h,
                provision("H11", Some("H")),
                provision("H14", Some("H")),
                provision("H14.31", Some("H14")),
                provision("H15", Some("H")),
                p,
            ],
            vec![
                entry("1.0", "2013-09-27", &[]),
                entry("2.1", "2014-04-06", &[("added", "H11")]),
                entry("4.0", "2015-01-14", &[("amended", "H")]),
                entry("4.1", "2015-01-26", &[("amended", "H15"), ("activated", "H15")]),
                entry("4.2", "2015-03-18", &[("added", "B2")]),
                event("dir", "2015-04-24", &[("activated", "H14.31")]),
                entry("62.0", "2022-07-18", &[("amended", "P")]),
                entry("70.0", "2030-01-01", &[("removed", "B1")]),
            ],
        ))
    }

    fn check(history: &History, id: &str, on: &str) -> &'static str {
        let id = ProvisionId::parse(id).expect("valid id");
        history.status(&id, date(on)).expect("known provision").status.as_str()
    }

    #[test]
    fn version_in_force_is_the_latest_on_or_before_the_date() {
        let history = sec_like();
        let version = |on: &str| history.in_force(date(on)).version.map(|v| v.id.to_string());
        assert_eq!(version("2013-09-26"), None);
        assert_eq!(version("2013-09-27"), Some("1.0".into()));
        assert_eq!(version("2015-01-20"), Some("4.0".into()));
        assert_eq!(version("2015-02-01"), Some("4.1".into()));
        // Events carry no version number: 4.2 stays in force after the April 2015 direction.
        assert_eq!(version("2015-05-01"), Some("4.2".into()));
    }

    #[test]
    fn parts_follow_their_nearest_ancestor_until_switched_themselves() {
        let history = sec_like();
        assert_eq!(check(&history, "H", "2015-02-01"), "inactive");
        assert_eq!(check(&history, "H11", "2015-02-01"), "inactive");
        assert_eq!(check(&history, "H15", "2015-01-20"), "inactive");
        assert_eq!(check(&history, "H15", "2015-02-01"), "in_force");
        assert_eq!(check(&history, "H14.31", "2015-04-23"), "inactive");
        assert_eq!(check(&history, "H14.31", "2015-04-24"), "in_force");
        assert_eq!(check(&history, "A", "2015-02-01"), "in_force");
    }

    #[test]
    fn existence_before_addition_before_the_code_and_after_removal() {
        let history = sec_like();
        assert_eq!(check(&history, "A", "2013-09-26"), "not_yet_added");
        assert_eq!(check(&history, "B2", "2015-03-17"), "not_yet_added");
        assert_eq!(check(&history, "B2", "2015-03-18"), "in_force");
        assert_eq!(check(&history, "H11", "2014-04-05"), "not_yet_added");
        assert_eq!(check(&history, "B1", "2029-12-31"), "in_force");
        assert_eq!(check(&history, "B1", "2030-01-01"), "removed");
    }

    #[test]
    fn unknown_additions_stay_unknown_until_evidence() {
        let history = sec_like();
        assert_eq!(check(&history, "P", "2020-01-01"), "unknown");
        assert_eq!(check(&history, "P", "2022-07-18"), "in_force");
    }

    #[test]
    fn present_by_dates_an_unknown_addition_without_claiming_a_change() {
        let mut app_d = provision("APP-D", None);
        app_d.addition_unknown = true;
        app_d.present_by = Some(EntryId::parse("4.0").expect("valid"));
        app_d.initially = Some(Activity::Inactive);
        let history =
            History::new(register(vec![app_d], vec![entry("1.0", "2013-09-27", &[]), entry("4.0", "2015-01-14", &[])]));
        assert_eq!(check(&history, "APP-D", "2015-01-13"), "unknown");
        assert_eq!(check(&history, "APP-D", "2015-01-14"), "inactive");
        let answer = history.status(&ProvisionId::parse("APP-D").expect("valid"), date("2015-01-14")).expect("known");
        assert!(matches!(answer.existence, Basis::Evidence { kind: None, .. }), "{:?}", answer.existence);
        assert!(history.provision_history(&ProvisionId::parse("APP-D").expect("valid")).is_empty());
    }

    #[test]
    fn reasons_name_the_entry_and_provision() {
        let history = sec_like();
        let id = ProvisionId::parse("H11").expect("valid");
        let answer = history.status(&id, date("2015-02-01")).expect("known");
        assert_eq!(answer.activity, Some(Basis::Initially { provision: &ProvisionId::parse("H").expect("valid") }));
        let id = ProvisionId::parse("H15").expect("valid");
        let answer = history.status(&id, date("2015-02-01")).expect("known");
        match answer.activity {
            Some(Basis::Change { entry, kind, .. }) => {
                assert_eq!((entry.id.as_str(), kind), ("4.1", ChangeKind::Activated));
            }
            other => panic!("unexpected basis {other:?}"),
        }
    }

    #[test]
    fn fuzzy_dates_count_from_their_latest_day() {
        let history = History::new(register(
            vec![provision("A", None)],
            vec![entry("40.0", "2021-06-24", &[]), entry("61.0", "2022-06", &[])],
        ));
        let in_june = history.in_force(date("2022-06-10"));
        assert_eq!(in_june.version.map(|v| v.id.as_str()), Some("40.0"));
        assert_eq!(in_june.possibly_later.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(), vec!["61.0"]);
        assert_eq!(history.in_force(date("2022-07-01")).version.map(|v| v.id.as_str()), Some("61.0"));
    }

    #[test]
    fn provision_history_shows_direct_ancestor_and_descendant_changes() {
        let history = sec_like();
        let items: Vec<String> = history
            .provision_history(&ProvisionId::parse("H15").expect("valid"))
            .iter()
            .map(|item| format!("{} {} {:?}", item.entry.id, item.kind.as_str(), item.relation))
            .collect();
        assert_eq!(
            items,
            vec!["4.0 amended Ancestor(ProvisionId(\"H\"))", "4.1 amended Direct", "4.1 activated Direct"]
        );
    }

    #[test]
    fn planned_entries_are_those_after_today() {
        let history = sec_like();
        let planned: Vec<&str> = history.planned(date("2026-11-28")).iter().map(|e| e.id.as_str()).collect();
        assert_eq!(planned, vec!["70.0"]);
    }

    #[test]
    fn statuses_have_words_for_people_beside_their_wire_names() {
        let words: Vec<(&str, &str)> =
            [Status::InForce, Status::Inactive, Status::NotYetAdded, Status::Removed, Status::Unknown]
                .into_iter()
                .map(|s| (s.as_str(), s.human()))
                .collect();
        assert_eq!(
            words,
            [
                ("in_force", "in force"),
                ("inactive", "inactive"),
                ("not_yet_added", "not yet added"),
                ("removed", "removed"),
                ("unknown", "unknown")
            ]
        );
    }

    #[test]
    fn a_version_is_compared_with_the_version_before_it() {
        let mut direction = entry("d", "2015-02-01", &[]);
        direction.kind = EntryKind::Event;
        let history = History::new(register(
            vec![provision("A", None)],
            vec![entry("1.0", "2013-09-23", &[("added", "A")]), direction, entry("2.0", "2015-03-01", &[])],
        ));
        let before = |id: &str| {
            let entry = history.entry(&EntryId::parse(id).expect("id")).expect("entry");
            history.version_before(entry).map(|e| e.id.to_string())
        };
        assert_eq!(before("2.0").as_deref(), Some("1.0"), "events in between are not versions");
        assert_eq!(before("1.0"), None, "the first version has none");
        assert_eq!(before("d"), None, "an event is not compared with a version");
    }

    #[test]
    fn of_two_versions_effective_the_same_day_the_later_recorded_is_in_force() {
        for (first, second) in [("4.0", "4.0a"), ("4.0b", "4.0")] {
            let history = History::new(register(
                vec![provision("A", None), provision("B", None)],
                vec![
                    entry("1.0", "2013-09-27", &[("added", "A")]),
                    entry(first, "2015-01-14", &[]),
                    entry(second, "2015-01-14", &[("added", "B")]),
                ],
            ));
            let id = |on: &str| history.in_force(date(on)).version.map(|v| v.id.to_string());
            assert_eq!(id("2015-01-13").as_deref(), Some("1.0"));
            assert_eq!(id("2015-01-14").as_deref(), Some(second), "the one recorded after the other");
            assert_eq!(check(&history, "B", "2015-01-14"), "in_force", "its changes apply that day");
            assert_eq!(check(&history, "B", "2015-01-13"), "not_yet_added");
        }
    }

    #[test]
    fn a_first_version_dated_to_the_month_counts_from_the_month_s_last_day() {
        let history = History::new(register(
            vec![provision("A", None)],
            vec![entry("1.0", "2013-09", &[]), entry("2.0", "2014-04-06", &[])],
        ));
        let on = |day: &str| history.in_force(date(day));
        assert_eq!(on("2013-09-15").version.map(|v| v.id.to_string()), None, "not known to be in force yet");
        let possibly: Vec<String> = on("2013-09-15").possibly_later.iter().map(|v| v.id.to_string()).collect();
        assert_eq!(possibly, ["1.0"], "but it may have been");
        assert_eq!(on("2013-09-30").version.map(|v| v.id.to_string()).as_deref(), Some("1.0"));
        assert_eq!(check(&history, "A", "2013-09-15"), "not_yet_added", "never guessed earlier");
        assert_eq!(check(&history, "A", "2013-09-30"), "in_force");
        assert_eq!(check(&history, "A", "2013-08-31"), "not_yet_added");
    }

    #[test]
    fn a_version_that_changed_provisions_without_listing_them_is_in_each_one_s_history() {
        let mut unlisted = entry("2.0", "2014-04-06", &[("amended", "A")]);
        unlisted.amended.completeness = Completeness::Partial;
        let mut silent = entry("3.0", "2014-07-31", &[]);
        silent.amended.completeness = Completeness::Unlisted;
        let history = History::new(register(
            vec![provision("A", None), provision("B", None)],
            vec![entry("1.0", "2013-09-27", &[]), unlisted, silent],
        ));
        let items = |id: &str| -> Vec<(String, Relation<'_>)> {
            let id = ProvisionId::parse(id).expect("id");
            history
                .provision_history(&id)
                .into_iter()
                .filter(|i| i.kind == ChangeKind::Amended)
                .map(|i| (i.entry.id.to_string(), i.relation))
                .collect()
        };
        assert_eq!(items("A"), [("2.0".to_string(), Relation::Direct), ("3.0".to_string(), Relation::Unlisted)]);
        assert_eq!(
            items("B"),
            [("2.0".to_string(), Relation::Unlisted), ("3.0".to_string(), Relation::Unlisted)],
            "B may be among what both changed"
        );
    }

    #[test]
    fn a_part_s_change_is_evidence_that_its_whole_is_in_the_text() {
        let mut whole = provision("P", None);
        whole.addition_unknown = true;
        let history = History::new(register(
            vec![provision("A", None), whole, provision("P1", Some("P"))],
            vec![entry("1.0", "2013-09-27", &[("added", "A")]), entry("2.0", "2014-04-06", &[("amended", "P1")])],
        ));
        assert_eq!(check(&history, "P", "2014-04-05"), "unknown", "nothing shows it in the text yet");
        assert_eq!(check(&history, "P", "2014-04-06"), "in_force", "P1, a part of it, was amended then");
        let answer = history.status(&ProvisionId::parse("P").expect("id"), date("2014-04-06")).expect("status");
        assert!(
            matches!(answer.existence, Basis::Evidence { entry, .. } if entry.id.as_str() == "2.0"),
            "{:?}",
            answer.existence
        );
    }

    #[test]
    fn the_timeline_keeps_what_may_fall_in_the_range_both_ends_included() {
        let history = History::new(register(
            vec![provision("A", None)],
            vec![
                entry("1.0", "2013-09-27", &[]),
                entry("2.0", "2014-04", &[]),
                entry("3.0", "2014-06-01", &[]),
                entry("x", "unknown", &[]),
            ],
        ));
        let ids = |from: Option<&str>, to: Option<&str>| -> Vec<String> {
            history.timeline(from.map(date), to.map(date)).iter().map(|e| e.id.to_string()).collect()
        };
        assert_eq!(ids(None, None), ["1.0", "2.0", "3.0", "x"], "undated entries last, only in the whole timeline");
        assert_eq!(ids(Some("2014-04-30"), None), ["2.0", "3.0"], "April 2014 may end on the 30th");
        assert_eq!(ids(Some("2014-05-01"), None), ["3.0"]);
        assert_eq!(ids(None, Some("2014-04-01")), ["1.0", "2.0"], "April 2014 may begin on the 1st");
        assert_eq!(ids(None, Some("2014-03-31")), ["1.0"]);
        assert_eq!(ids(Some("2014-06-01"), Some("2014-06-01")), ["3.0"], "both ends included");
        assert_eq!(ids(Some("2013-09-28"), Some("2014-03-31")), Vec::<String>::new());
    }

    #[test]
    fn an_entry_is_planned_only_after_today() {
        let on = entry("4.2", "2015-03-18", &[]);
        assert!(!History::is_planned(&on, date("2015-03-18")), "taking effect today: law, not planned");
        assert!(History::is_planned(&on, date("2015-03-17")));
    }

    #[test]
    fn statuses_list_every_provision_in_reading_order_with_its_depth() {
        let history = sec_like();
        let ids: Vec<String> =
            history.statuses(date("2015-02-01")).iter().map(|s| s.provision.id.to_string()).collect();
        assert_eq!(ids, ["A", "B", "B1", "B2", "H", "H11", "H14", "H14.31", "H15", "P"]);
        let depth = |id: &str| history.depth(&ProvisionId::parse(id).expect("id"));
        assert_eq!((depth("H"), depth("H14"), depth("H14.31"), depth("Q")), (0, 1, 2, 0));
        assert!(history.provision(&ProvisionId::parse("H14.31").expect("id")).is_some());
    }

    #[test]
    fn the_earliest_evidence_counts_whichever_kind_it_is() {
        // P's entry into the text is not recorded; three things show it: its own amendment by 3.0, its recorded
        // presence at 4.0, and its part P1's amendment by 2.0. The earliest, 2.0, decides.
        let build = |present_by: &str, part_amended_by: &str| {
            let mut whole = provision("P", None);
            whole.addition_unknown = true;
            whole.present_by = Some(EntryId::parse(present_by).expect("id"));
            History::new(register(
                vec![provision("A", None), whole, provision("P1", Some("P"))],
                vec![
                    entry("1.0", "2013-09-27", &[("added", "A")]),
                    entry("2.0", "2014-04-06", if part_amended_by == "2.0" { &[("amended", "P1")] } else { &[] }),
                    entry("3.0", "2014-07-31", &[("amended", "P")]),
                    entry("4.0", "2015-01-14", if part_amended_by == "4.0" { &[("amended", "P1")] } else { &[] }),
                ],
            ))
        };
        let from = |history: &History| {
            ["2014-04-06", "2014-07-31", "2015-01-14"].into_iter().find(|d| check(history, "P", d) == "in_force")
        };
        assert_eq!(from(&build("4.0", "2.0")), Some("2014-04-06"), "its part's change, the earliest");
        assert_eq!(from(&build("4.0", "4.0")), Some("2014-07-31"), "its own amendment, before its recorded presence");
        assert_eq!(from(&build("2.0", "4.0")), Some("2014-04-06"), "its recorded presence, the earliest");
    }

    #[test]
    fn when_one_entry_switches_a_provision_and_its_whole_the_nearer_decides() {
        let history = History::new(register(
            vec![provision("H", None), provision("H11", Some("H")), provision("H15", Some("H"))],
            vec![
                entry("1.0", "2013-09-27", &[]),
                entry("4.1", "2015-01-26", &[("deactivated", "H"), ("activated", "H15")]),
            ],
        ));
        assert_eq!(check(&history, "H15", "2015-01-26"), "in_force", "its own switch, nearer than H's");
        assert_eq!(check(&history, "H11", "2015-01-26"), "inactive", "follows H");
        assert_eq!(check(&history, "H", "2015-01-26"), "inactive");
    }

    #[test]
    fn an_unlisted_change_may_include_only_what_it_could_have_changed() {
        // 2.0 added and amended provisions without listing them. B's own addition is on record (by 3.0), so 2.0 did
        // not add it, and it was not yet in the text to be amended; A was in the text, and C's addition is unknown.
        let mut unlisted = entry("2.0", "2014-04-06", &[]);
        unlisted.added.completeness = Completeness::Unlisted;
        unlisted.amended.completeness = Completeness::Unlisted;
        let mut c = provision("C", None);
        c.addition_unknown = true;
        let history = History::new(register(
            vec![provision("A", None), provision("B", None), c],
            vec![
                entry("1.0", "2013-09-27", &[("added", "A")]),
                unlisted,
                entry("3.0", "2014-07-31", &[("added", "B")]),
            ],
        ));
        let kinds = |id: &str| -> Vec<&str> {
            history
                .provision_history(&ProvisionId::parse(id).expect("id"))
                .into_iter()
                .filter(|i| i.relation == Relation::Unlisted)
                .map(|i| i.kind.as_str())
                .collect()
        };
        assert_eq!(kinds("A"), ["amended"], "in the text already: amended perhaps, not added");
        assert_eq!(kinds("B"), Vec::<&str>::new(), "added by 3.0 on record, and not in the text on 2.0's day");
        assert_eq!(kinds("C"), ["added", "amended"], "its addition unknown: either may be 2.0's");
    }

    #[test]
    fn of_evidence_from_one_entry_the_provision_s_own_is_given_as_the_reason() {
        let build = |own: bool, present_by: bool, part: bool| {
            let mut whole = provision("P", None);
            whole.addition_unknown = true;
            if present_by {
                whole.present_by = Some(EntryId::parse("2.0").expect("id"));
            }
            let mut changes = Vec::new();
            if own {
                changes.push(("amended", "P"));
            }
            if part {
                changes.push(("amended", "P1"));
            }
            History::new(register(
                vec![provision("A", None), whole, provision("P1", Some("P"))],
                vec![entry("1.0", "2013-09-27", &[("added", "A")]), entry("2.0", "2014-04-06", &changes)],
            ))
        };
        let reason = |history: &History| {
            let answer = history.status(&ProvisionId::parse("P").expect("id"), date("2014-04-06")).expect("status");
            match answer.existence {
                Basis::Evidence { kind, provision, .. } => (kind, provision.to_string()),
                other => panic!("not evidence: {other:?}"),
            }
        };
        assert_eq!(reason(&build(true, true, true)), (Some(ChangeKind::Amended), "P".to_string()), "its own change");
        assert_eq!(
            reason(&build(false, true, true)),
            (None, "P".to_string()),
            "its recorded presence, before a part's"
        );
        assert_eq!(reason(&build(false, false, true)), (Some(ChangeKind::Amended), "P1".to_string()));
    }

    #[test]
    fn a_month_dated_entry_counts_after_a_day_earlier_in_that_month() {
        let history = History::new(register(
            vec![provision("A", None)],
            vec![
                entry("1.0", "2015-01-05", &[]),
                event("switch-on", "2015-03", &[("activated", "A")]),
                event("switch-off", "2015-03-10", &[("deactivated", "A")]),
            ],
        ));
        assert_eq!(check(&history, "A", "2015-03-20"), "inactive", "switch-on counts only from 31 March");
        assert_eq!(check(&history, "A", "2015-03-31"), "in_force", "and then it is the more recent");
    }

    #[test]
    fn a_version_dated_to_a_month_that_has_begun_may_be_in_force_whatever_came_earlier_in_it() {
        let history = History::new(register(
            vec![provision("A", None)],
            vec![entry("1.0", "2015-01-05", &[]), entry("2.0", "2015-03-02", &[]), entry("3.0", "2015-03", &[])],
        ));
        let on = history.in_force(date("2015-03-15"));
        assert_eq!(on.version.map(|v| v.id.as_str()), Some("2.0"));
        let possibly: Vec<&str> = on.possibly_later.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(possibly, ["3.0"], "3.0 may have taken effect any day of March after 2.0");
    }

    #[test]
    fn an_undated_version_listed_after_the_one_in_force_may_already_be_in_force() {
        let history = History::new(register(
            vec![provision("A", None)],
            vec![entry("1.0", "2015-01-05", &[]), entry("1.5", "unknown", &[]), entry("2.0", "2016-01-05", &[])],
        ));
        let ids =
            |on: &str| history.in_force(date(on)).possibly_later.iter().map(|v| v.id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids("2015-06-01"), ["1.5"]);
        assert!(ids("2016-06-01").is_empty(), "listed before 2.0, it took effect before it");
    }

    #[test]
    fn a_change_of_unknown_date_makes_what_it_could_change_unknown() {
        let mut b = provision("B", None);
        b.initially = Some(Activity::Active);
        let history = History::new(register(
            vec![provision("A", None), provision("A1", Some("A")), b, provision("C", None), provision("C1", Some("C"))],
            vec![
                entry("1.0", "2015-01-05", &[("added", "C1")]),
                event("undated", "unknown", &[("removed", "A"), ("deactivated", "B"), ("amended", "C")]),
                entry("2.0", "2016-01-05", &[("added", "A1")]),
            ],
        ));
        assert_eq!(check(&history, "A", "2014-06-01"), "not_yet_added", "before the code began nothing is unknown");
        assert_eq!(check(&history, "A", "2015-06-01"), "unknown", "it may have been removed by then");
        assert_eq!(check(&history, "A1", "2015-06-01"), "not_yet_added", "its own addition is recorded for later");
        assert_eq!(check(&history, "A1", "2016-06-01"), "unknown", "A's removal may have come after its addition");
        assert_eq!(check(&history, "B", "2015-06-01"), "unknown", "it may have been switched off");
        assert_eq!(check(&history, "C", "2015-06-01"), "in_force", "an amendment changes no status");
        assert_eq!(check(&history, "C1", "2015-06-01"), "in_force");
        let id = ProvisionId::parse("A1").expect("valid");
        match history.status(&id, date("2016-06-01")).expect("known").existence {
            Basis::Undated { entry, kind, provision } => {
                assert_eq!((entry.id.as_str(), kind, provision.as_str()), ("undated", ChangeKind::Removed, "A"));
            }
            other => panic!("unexpected basis {other:?}"),
        }
    }

    #[test]
    fn an_undated_addition_of_a_provision_not_yet_added_leaves_it_unknown() {
        let history = History::new(register(
            vec![provision("A", None), provision("B", None)],
            vec![
                entry("1.0", "2015-01-05", &[]),
                event("undated", "unknown", &[("added", "A"), ("activated", "B")]),
                entry("2.0", "2016-01-05", &[("added", "A")]),
            ],
        ));
        assert_eq!(check(&history, "A", "2015-06-01"), "unknown");
        assert_eq!(check(&history, "B", "2015-06-01"), "unknown", "B is in the text and may have been switched");
    }

    #[test]
    fn a_baseline_holds_the_earliest_text_recorded_and_before_it_nothing_is_known() {
        let versions = || {
            vec![
                entry("v1", "2016-01-01", &[("added", "1"), ("added", "2")]),
                entry("v2", "2017-01-01", &[("added", "3"), ("removed", "2")]),
            ]
        };
        let provisions =
            || vec![provision("1", None), provision("2", None), provision("3", None), provision("4", None)];
        let mut reg = register(provisions(), versions());
        reg.code.first_version = crate::model::FirstVersion::Baseline;
        let baseline = History::new(reg);
        let origin = History::new(register(provisions(), versions()));
        let v1 = baseline.entry(&EntryId::parse("v1").expect("id")).expect("v1");
        assert_eq!(baseline.baseline().map(|e| e.id.as_str()), Some("v1"));
        assert_eq!(origin.baseline(), None);
        fn status<'a>(history: &'a History, id: &str, on: &str) -> (Status, Basis<'a>) {
            let answer = history.status(&ProvisionId::parse(id).expect("id"), date(on)).expect("known");
            (answer.status, answer.existence)
        }
        // Before the record: unknown, not "not yet added" (the code is older than its record).
        assert_eq!(status(&baseline, "1", "2010-01-01"), (Status::Unknown, Basis::BeforeRecord { first: v1 }));
        assert_eq!(status(&origin, "1", "2010-01-01").0, Status::NotYetAdded);
        // From it: held by the baseline, never "added" by it.
        let one = ProvisionId::parse("1").expect("id");
        assert_eq!(
            status(&baseline, "1", "2016-06-01"),
            (Status::InForce, Basis::Baseline { entry: v1, provision: &one })
        );
        assert!(matches!(status(&origin, "1", "2016-06-01").1, Basis::Change { kind: ChangeKind::Added, .. }));
        // What came later is added and removed as recorded.
        assert_eq!(status(&baseline, "3", "2016-06-01").0, Status::NotYetAdded);
        assert_eq!(status(&baseline, "3", "2017-06-01").0, Status::InForce);
        assert_eq!(status(&baseline, "2", "2017-06-01").0, Status::Removed);
        // A top-level provision the baseline does not hold and nothing names: unknown, not taken from the start.
        assert!(matches!(
            status(&baseline, "4", "2016-06-01"),
            (Status::Unknown, Basis::FirstVersionIncomplete { baseline: true, .. })
        ));
        assert_eq!(status(&origin, "4", "2016-06-01").0, Status::InForce);
    }

    #[test]
    fn under_an_incomplete_first_version_the_reason_says_which_gap_it_is() {
        let mut first = entry("1.0", "2015-01-05", &[]);
        first.added.completeness = Completeness::Partial;
        let mut unknown = provision("U", None);
        unknown.addition_unknown = true;
        let history = History::new(register(
            vec![provision("A", None), provision("A1", Some("A")), unknown],
            vec![first, entry("2.0", "2016-01-05", &[("amended", "A1"), ("amended", "U")])],
        ));
        let basis = |id: &str, on: &str| {
            let id = ProvisionId::parse(id).expect("valid");
            let answer = history.status(&id, date(on)).expect("known");
            (answer.status, answer.existence)
        };
        let a = ProvisionId::parse("A").expect("valid");
        let u = ProvisionId::parse("U").expect("valid");
        let first = history.entry(&EntryId::parse("1.0").expect("id")).expect("1.0");
        assert_eq!(
            basis("A", "2015-06-01"),
            (Status::Unknown, Basis::FirstVersionIncomplete { entry: first, baseline: false, provision: &a })
        );
        assert_eq!(
            basis("A1", "2015-06-01"),
            (Status::Unknown, Basis::FirstVersionIncomplete { entry: first, baseline: false, provision: &a }),
            "a part follows"
        );
        assert_eq!(basis("U", "2015-06-01"), (Status::Unknown, Basis::AdditionUnknown { provision: &u }));
        assert_eq!(basis("A", "2016-06-01").0, Status::InForce, "a part's amendment shows it in the text");
        // With a complete list, the first version is the commencement.
        let complete = History::new(register(vec![provision("A", None)], vec![entry("1.0", "2015-01-05", &[])]));
        assert_eq!(check(&complete, "A", "2015-06-01"), "in_force");
    }
}
