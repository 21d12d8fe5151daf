//! The register of one code as plain data: the code, its provision tree, its timeline and its consultations.

use std::fmt;

use crate::change::{
    NewProposal, PlannedChange, Process, Proposal, ProposalEdit, RaiseError, StageChange, UnknownProposal,
};
use crate::date::FuzzyDate;
use crate::document::Document;
use crate::id::{CodeId, EntryId, ProvisionId};

/// Everything the register records about one code, in reading order. Checked by `validate::validate`.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Register {
    /// The code itself.
    pub code: Code,
    /// Provisions in reading order; a parent comes before its children.
    pub provisions: Vec<Provision>,
    /// Versions and events, in the order the register lists them.
    pub entries: Vec<Entry>,
    /// Consultations about the code.
    pub consultations: Vec<Consultation>,
    /// How the code is changed, if the register defines it (needed for proposals).
    pub process: Option<Process>,
    /// Proposals to change the code, in the order the register lists them.
    pub proposals: Vec<Proposal>,
    /// Changes announced but not yet tied to a proposal or a version.
    pub planned: Vec<PlannedChange>,
    /// Guidance and other documents, attached to versions, provisions, proposals or consultations.
    pub documents: Vec<Document>,
    /// Stretches between two recorded versions where versions are known or likely to be missing.
    pub gaps: Vec<Gap>,
}

impl Register {
    /// Its provisions as a tree, walked by id (indexed on each call; a `History` keeps its index).
    pub fn tree(&self) -> crate::tree::ProvisionTree<'_> {
        crate::tree::ProvisionTree::new(&self.provisions)
    }

    /// The consultation `id`, in any case (`SEC2`, `sec2`).
    pub fn consultation(&self, id: &str) -> Option<&Consultation> {
        self.consultations.iter().find(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// Whether the register holds the record `reference` names (a version or event, a provision, a proposal by
    /// its reference, a consultation by its id).
    pub fn holds(&self, reference: &crate::document::Attachment) -> bool {
        use crate::document::Attachment;
        match reference {
            Attachment::Version(entry) => self.entries.iter().any(|e| &e.id == entry),
            Attachment::Provision(provision) => self.provisions.iter().any(|p| &p.id == provision),
            Attachment::Proposal(reference) => self.proposals.iter().any(|p| &p.reference == reference),
            Attachment::Consultation(id) => self.consultations.iter().any(|c| &c.id == id),
        }
    }

    /// The consultations on the record `reference` names, in register order: those that concern it, and for a
    /// version also those that led to it.
    pub fn consultations_on<'r>(
        &'r self,
        reference: &'r crate::document::Attachment,
    ) -> impl Iterator<Item = &'r Consultation> + 'r {
        use crate::document::Attachment;
        self.consultations.iter().filter(move |c| {
            c.concerns.contains(reference) || matches!(reference, Attachment::Version(v) if c.led_to.contains(v))
        })
    }

    /// The planned changes announced in the consultation `id` (as the register writes it), in register order.
    pub fn announced_in<'r>(&'r self, id: &'r str) -> impl Iterator<Item = &'r PlannedChange> + 'r {
        self.planned.iter().filter(move |p| p.consultation.as_deref() == Some(id))
    }

    /// The modification proposals that version or event `entry` implemented, in register order.
    pub fn implemented_by<'r>(&'r self, entry: &'r EntryId) -> impl Iterator<Item = &'r Proposal> + 'r {
        self.proposals.iter().filter(move |p| p.implemented_by() == Some(entry))
    }

    /// A register of `code` with nothing in it yet.
    pub fn empty(code: Code) -> Self {
        Self {
            code,
            provisions: Vec::new(),
            entries: Vec::new(),
            consultations: Vec::new(),
            process: None,
            proposals: Vec::new(),
            planned: Vec::new(),
            documents: Vec::new(),
            gaps: Vec::new(),
        }
    }
}

/// A code: the SEC, a statute, any body of versioned provisions.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// Short id, such as `sec`.
    pub id: CodeId,
    /// Full title.
    pub title: String,
    /// A few sentences on what the code is.
    pub description: Option<String>,
    /// Where the facts about the code come from.
    pub sources: Vec<String>,
    /// The IANA time zone whose calendar day is the code's legal day (`Europe/London` for the SEC); `None`
    /// is UTC. "Today" for the code is the current date there.
    pub time_zone: Option<String>,
    /// The last day up to which the register's list of versions is complete (apart from its [`Gap`]s): after
    /// it, a version may have taken effect that is not recorded here. `None`: complete up to the day of the
    /// code's latest publication (it was brought up to date then; `History::published_at`).
    pub versions_complete_until: Option<jiff::civil::Date>,
    /// What the first recorded version is: the code's origin, or only the earliest text recorded.
    pub first_version: FirstVersion,
}

impl Code {
    /// A code with nothing but its id and title; the rest empty (no description, no sources, UTC, the list of
    /// versions complete up to its latest publication, the first version its origin).
    pub fn new(id: CodeId, title: impl Into<String>) -> Self {
        Self {
            id,
            title: title.into(),
            description: None,
            sources: Vec::new(),
            time_zone: None,
            versions_complete_until: None,
            first_version: FirstVersion::Origin,
        }
    }

    /// The code's time zone: its IANA name looked up in the time zone database bundled with the program (so
    /// no system files are read); UTC when none is declared. `None` for a name the database does not know
    /// (`validate` refuses such a register).
    pub fn zone(&self) -> Option<jiff::tz::TimeZone> {
        match &self.time_zone {
            None => Some(jiff::tz::TimeZone::UTC),
            Some(name) => jiff::tz::TimeZone::get(name).ok(),
        }
    }

    /// The code's date at instant `now`: the calendar day in its time zone (UTC when unknown).
    pub fn today(&self, now: jiff::Timestamp) -> jiff::civil::Date {
        now.to_zoned(self.zone().unwrap_or(jiff::tz::TimeZone::UTC)).date()
    }
}

/// What a code's first recorded version is (`first_version` under `[code]`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirstVersion {
    /// The code began with it: before it, nothing was in force.
    #[default]
    Origin,
    /// It holds the earliest text recorded, not the code's start (a corpus whose earlier history is left out):
    /// before it, what was in the text is unknown.
    Baseline,
}

impl FirstVersion {
    /// Both, in the order the register file documents them.
    pub const ALL: [Self; 2] = [Self::Baseline, Self::Origin];

    /// The register file's word: `origin` or `baseline`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Origin => "origin",
            Self::Baseline => "baseline",
        }
    }

    /// Reads the register file's word.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// A stretch between two recorded versions where versions are known or likely to be missing from the register
/// (`[[gap]]` in a register file). On a day inside it (after the day `after` took effect, before the day
/// `before` did), a version not recorded here may be in force.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The recorded version the gap follows.
    pub after: EntryId,
    /// The recorded version that ends it.
    pub before: EntryId,
    /// What is known of what is missing, and why.
    pub note: String,
}

impl Gap {
    /// Its key in the ledger: `AFTER..BEFORE`.
    pub fn key(&self) -> String {
        format!("{}..{}", self.after, self.before)
    }
}

/// What kind of part of the code a provision is.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProvisionKind {
    /// A top-level section (`H`).
    Section,
    /// A sub-section (`H15`).
    Subsection,
    /// A schedule (`SCH2`).
    Schedule,
    /// An appendix (`APP-G`).
    Appendix,
    /// A numbered paragraph inside another provision (`H14.31`).
    Paragraph,
    /// An article of a code numbered article by article (`1240`, `L111-1`).
    Article,
}

impl ProvisionKind {
    /// Every kind, for error messages and parsing.
    pub const ALL: [Self; 6] =
        [Self::Section, Self::Subsection, Self::Schedule, Self::Appendix, Self::Paragraph, Self::Article];

    /// The wire name: `section`, `subsection`, `schedule`, `appendix`, `paragraph`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Section => "section",
            Self::Subsection => "subsection",
            Self::Schedule => "schedule",
            Self::Appendix => "appendix",
            Self::Paragraph => "paragraph",
            Self::Article => "article",
        }
    }

    /// Reads a wire name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Whether a provision that is in the text has effect.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activity {
    /// Switched on.
    Active,
    /// In the text but switched off (for the SEC: under the transitional Section X).
    Inactive,
}

impl Activity {
    /// The wire name: `active` or `inactive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Inactive => "inactive",
        }
    }

    /// Reads a wire name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "active" => Some(Self::Active),
            "inactive" => Some(Self::Inactive),
            _ => None,
        }
    }
}

/// One part of the code's tree.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Provision {
    /// Canonical id (`H15`).
    pub id: ProvisionId,
    /// The provision it belongs to; `None` for top-level parts.
    pub parent: Option<ProvisionId>,
    /// Section, sub-section, schedule, appendix or paragraph.
    pub kind: ProvisionKind,
    /// Its title, when known.
    pub title: Option<String>,
    /// True when the register does not know when this provision entered the text: before the first event that
    /// shows it existed, its status is unknown rather than inherited from its parent.
    pub addition_unknown: bool,
    /// For a provision whose addition is unknown: the earliest version or event at which the sources show it in
    /// the text, even though that entry did not change it (the SEC 4.0 page lists Appendix D as inactive).
    pub present_by: Option<EntryId>,
    /// The state it has from the moment it exists, when that differs from its parent's (F5 came in switched off).
    pub initially: Option<Activity>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// How sure the sources are (`high`, `medium`, `low`), as recorded.
    pub confidence: Option<String>,
    /// A remark on the facts.
    pub note: Option<String>,
}

impl Provision {
    /// A provision with nothing but its id, parent and kind; the rest empty (its addition known, no title, no
    /// sources).
    pub fn new(id: ProvisionId, parent: Option<ProvisionId>, kind: ProvisionKind) -> Self {
        Self {
            id,
            parent,
            kind,
            title: None,
            addition_unknown: false,
            present_by: None,
            initially: None,
            sources: Vec::new(),
            confidence: None,
            note: None,
        }
    }
}

/// The legal act that made a version or event.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Instrument {
    /// Designation by the Secretary of State.
    Designation,
    /// A variation directed by the Secretary of State outside the modification process.
    SosVariation,
    /// A direction by the Secretary of State (incorporating documents, switching provisions on).
    SosDirection,
    /// A modification proposal that passed the modification process.
    Modification,
    /// A release combining modifications with a designation.
    ModificationAndDesignation,
    /// A variation led by the Authority (Ofgem) outside the normal paths.
    AuthorityLedVariation,
    /// Not known.
    Unknown,
}

impl Instrument {
    /// Every instrument, for error messages and parsing.
    pub const ALL: [Self; 7] = [
        Self::Designation,
        Self::SosVariation,
        Self::SosDirection,
        Self::Modification,
        Self::ModificationAndDesignation,
        Self::AuthorityLedVariation,
        Self::Unknown,
    ];

    /// The wire name, such as `sos_direction`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Designation => "designation",
            Self::SosVariation => "sos_variation",
            Self::SosDirection => "sos_direction",
            Self::Modification => "modification",
            Self::ModificationAndDesignation => "modification+designation",
            Self::AuthorityLedVariation => "authority_led_variation",
            Self::Unknown => "unknown",
        }
    }

    /// Reads a wire name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == text)
    }

    /// How people call it: "Secretary of State direction".
    pub fn human(self) -> &'static str {
        match self {
            Self::Designation => "designation",
            Self::SosVariation => "Secretary of State variation",
            Self::SosDirection => "Secretary of State direction",
            Self::Modification => "modification",
            Self::ModificationAndDesignation => "modifications and designation",
            Self::AuthorityLedVariation => "Authority-led variation",
            Self::Unknown => "unknown instrument",
        }
    }

    /// Whether it changes the code outside the modification process: a Secretary of State variation or
    /// direction, or an Authority-led variation. These make up the code administrator's variations log.
    pub fn is_variation(self) -> bool {
        matches!(self, Self::SosVariation | Self::SosDirection | Self::AuthorityLedVariation)
    }
}

impl fmt::Display for Instrument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a timeline entry is a numbered version of the code or an event without a number.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A numbered version (`4.2`).
    Version,
    /// A dated event without a version number (a direction, a variation, an unnumbered release).
    Event,
}

impl EntryKind {
    /// The wire name: `version` or `event`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Version => "version",
            Self::Event => "event",
        }
    }
}

/// What an entry did to a provision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Put it into the text.
    Added,
    /// Changed its wording.
    Amended,
    /// Took it out of the text.
    Removed,
    /// Switched it on.
    Activated,
    /// Switched it off.
    Deactivated,
}

impl ChangeKind {
    /// Every kind, in the order an entry applies them.
    pub const ALL: [Self; 5] = [Self::Added, Self::Amended, Self::Removed, Self::Activated, Self::Deactivated];

    /// The wire name: `added`, `amended`, `removed`, `activated`, `deactivated`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Amended => "amended",
            Self::Removed => "removed",
            Self::Activated => "activated",
            Self::Deactivated => "deactivated",
        }
    }
}

/// How much of a change list the sources give.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    /// The list is complete: these and no others.
    Complete,
    /// The sources name these, but there were others.
    Partial,
    /// Some provisions were changed but the sources do not say which.
    Unlisted,
}

/// The provisions an entry changed in one way, and how complete that list is.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ChangeList {
    /// The provisions named by the sources.
    pub listed: Vec<ProvisionId>,
    /// Whether that is all of them.
    pub completeness: Completeness,
    /// What the sources say about the list, such as "sections already in force; list not given".
    pub note: Option<String>,
}

impl ChangeList {
    /// A complete list (possibly empty).
    pub fn complete(listed: Vec<ProvisionId>) -> Self {
        Self { listed, completeness: Completeness::Complete, note: None }
    }

    /// True when the entry is known to have changed nothing this way.
    pub fn is_known_empty(&self) -> bool {
        self.listed.is_empty() && self.completeness == Completeness::Complete
    }
}

impl Default for ChangeList {
    fn default() -> Self {
        Self::complete(Vec::new())
    }
}

/// One dated point of the code's history: a numbered version or an event without a number.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The version number for a version; a stable key for an event.
    pub id: EntryId,
    /// Version or event.
    pub kind: EntryKind,
    /// A name for it, such as "November 2019 SEC Release".
    pub title: Option<String>,
    /// When it took effect (valid time).
    pub effective: FuzzyDate,
    /// When it was made, designated or directed, where the sources give that separately.
    pub made: FuzzyDate,
    /// What made it.
    pub instrument: Instrument,
    /// What it did, in a few sentences.
    pub summary: String,
    /// Provisions added.
    pub added: ChangeList,
    /// Provisions whose wording changed.
    pub amended: ChangeList,
    /// Provisions taken out.
    pub removed: ChangeList,
    /// Provisions switched on.
    pub activated: ChangeList,
    /// Provisions switched off.
    pub deactivated: ChangeList,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// How sure the sources are, as recorded.
    pub confidence: Option<String>,
    /// Remarks, including conflicts between sources.
    pub notes: Vec<String>,
}

impl Entry {
    /// The change list of one kind.
    pub fn changes(&self, kind: ChangeKind) -> &ChangeList {
        match kind {
            ChangeKind::Added => &self.added,
            ChangeKind::Amended => &self.amended,
            ChangeKind::Removed => &self.removed,
            ChangeKind::Activated => &self.activated,
            ChangeKind::Deactivated => &self.deactivated,
        }
    }

    /// The change list of one kind, to fill in.
    pub fn changes_mut(&mut self, kind: ChangeKind) -> &mut ChangeList {
        match kind {
            ChangeKind::Added => &mut self.added,
            ChangeKind::Amended => &mut self.amended,
            ChangeKind::Removed => &mut self.removed,
            ChangeKind::Activated => &mut self.activated,
            ChangeKind::Deactivated => &mut self.deactivated,
        }
    }

    /// An entry with nothing but its id, kind, date and instrument; the rest empty.
    pub fn new(id: EntryId, kind: EntryKind, effective: FuzzyDate, instrument: Instrument) -> Self {
        Self {
            id,
            kind,
            title: None,
            effective,
            made: FuzzyDate::Unknown,
            instrument,
            summary: String::new(),
            added: ChangeList::default(),
            amended: ChangeList::default(),
            removed: ChangeList::default(),
            activated: ChangeList::default(),
            deactivated: ChangeList::default(),
            sources: Vec::new(),
            confidence: None,
            notes: Vec::new(),
        }
    }

    /// How to name it in a sentence: "version 4.2" or "event sos-2015-04-24".
    pub fn label(&self) -> String {
        match self.kind {
            EntryKind::Version => format!("version {}", self.id),
            EntryKind::Event => match &self.title {
                Some(title) => title.clone(),
                None => format!("event {}", self.id),
            },
        }
    }
}

/// A consultation on changes to the code.
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    /// A stable key, such as `SEC4`.
    pub id: String,
    /// What it was about, in a line.
    pub title: String,
    /// When it was published.
    pub published: FuzzyDate,
    /// When it closed.
    pub closes: FuzzyDate,
    /// The subjects it covered.
    pub topics: Vec<String>,
    /// The versions that followed from it.
    pub led_to: Vec<EntryId>,
    /// The proposals, versions and provisions it concerns (`proposal:MP084`), whose pages and answers show it.
    /// Left out of a human-readable record (JSON) when empty, so that records made before it keep their encoding
    /// and their digests; always written in a binary one, which has no field names to find it by.
    #[serde(default)]
    pub concerns: Vec<crate::document::Attachment>,
    /// The responses published to it (by government or the code administrator), each in a line: when, who,
    /// what it concluded.
    pub responses: Vec<String>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// How sure the sources are, as recorded.
    pub confidence: Option<String>,
    /// Remarks.
    pub notes: Vec<String>,
}

impl serde::Serialize for Consultation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let concerns = !self.concerns.is_empty() || !serializer.is_human_readable();
        let fields = if concerns { 11 } else { 10 };
        let mut out = serializer.serialize_struct("Consultation", fields)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("title", &self.title)?;
        out.serialize_field("published", &self.published)?;
        out.serialize_field("closes", &self.closes)?;
        out.serialize_field("topics", &self.topics)?;
        out.serialize_field("led_to", &self.led_to)?;
        if concerns {
            out.serialize_field("concerns", &self.concerns)?;
        } else {
            out.skip_field("concerns")?;
        }
        out.serialize_field("responses", &self.responses)?;
        out.serialize_field("sources", &self.sources)?;
        out.serialize_field("confidence", &self.confidence)?;
        out.serialize_field("notes", &self.notes)?;
        out.end()
    }
}

/// Where a consultation stands on a day, decided from its dates alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsultationState {
    /// Published after the day.
    Upcoming,
    /// Published on or before the day and closing on or after it.
    Open,
    /// Closed before the day.
    Closed,
    /// The dates are too imprecise to say (a month or year that contains the day, or unknown).
    Unknown,
}

impl ConsultationState {
    /// Every state, in the order a consultation goes through them, then `Unknown`.
    pub const ALL: [Self; 4] = [Self::Upcoming, Self::Open, Self::Closed, Self::Unknown];

    /// The wire name: `upcoming`, `open`, `closed`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Unknown => "unknown",
        }
    }

    /// Reads a wire name exactly.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl Consultation {
    /// Its state on `day`. A date known only to the month or year counts only when every day it may be
    /// decides the answer: "closed" needs the latest possible closing day before `day`, "open" needs the latest
    /// possible publication day on or before `day` and the earliest possible closing day on or after it.
    pub fn state_on(&self, day: jiff::civil::Date) -> ConsultationState {
        if self.published.earliest().is_some_and(|d| d > day) {
            ConsultationState::Upcoming
        } else if self.closes.latest().is_some_and(|d| d < day) {
            ConsultationState::Closed
        } else if self.published.latest().is_some_and(|d| d <= day) && self.closes.earliest().is_some_and(|d| d >= day)
        {
            ConsultationState::Open
        } else {
            ConsultationState::Unknown
        }
    }
}

impl Register {
    /// The position of the proposal `reference` (any case) in the register.
    pub fn proposal_index(&self, reference: &str) -> Result<usize, UnknownProposal> {
        self.proposals.iter().position(|p| p.reference.eq_ignore_ascii_case(reference)).ok_or_else(|| UnknownProposal {
            reference: reference.to_string(),
            known: self.proposals.iter().map(|p| p.reference.clone()).collect(),
        })
    }

    /// Raises a proposal at one of the process's starting stages (the first, unless `new.stage` names another),
    /// dated `new.raised`. The register must still be validated afterwards (with `validate`): a path or flag the
    /// process does not define, or an unknown provision, is found there with every other problem.
    pub fn raise(&mut self, new: NewProposal) -> Result<&Proposal, RaiseError> {
        let process = self.process.as_ref().ok_or_else(|| RaiseError::NoProcess(self.code.id.to_string()))?;
        if self.proposals.iter().any(|p| p.reference == new.reference) {
            return Err(RaiseError::AlreadyRecorded(new.reference));
        }
        let starting: Vec<String> = process.initial_stages().iter().map(ToString::to_string).collect();
        let stage = match new.stage {
            Some(stage) if starting.contains(&stage) => stage,
            Some(_) => return Err(RaiseError::NotAStartingStage(starting)),
            None => starting.first().cloned().ok_or(RaiseError::NoStartingStage)?,
        };
        self.proposals.push(Proposal {
            reference: new.reference,
            title: new.title,
            proposer: new.proposer,
            lead_analyst: new.lead_analyst,
            raised: new.raised,
            path: new.path,
            flags: new.flags,
            affects: new.affects,
            issue: new.issue,
            solution: new.solution,
            target_release: new.target_release,
            alternative_to: new.alternative_to.map(|a| a.to_uppercase()),
            stages: vec![StageChange { stage, date: new.raised, decided_by: None, version: None, note: None }],
            sources: Vec::new(),
            confidence: None,
            notes: Vec::new(),
        });
        Ok(&self.proposals[self.proposals.len() - 1])
    }

    /// Changes what is recorded about the proposal `reference`. Like [`Self::raise`], the register must be
    /// validated afterwards: a path the proposal's recorded moves do not allow is refused there.
    pub fn edit_proposal(&mut self, reference: &str, edit: ProposalEdit) -> Result<&Proposal, UnknownProposal> {
        let index = self.proposal_index(reference)?;
        let p = &mut self.proposals[index];
        if let Some(title) = edit.title {
            p.title = title;
        }
        if let Some(path) = edit.path {
            p.path = path;
        }
        if let Some(flags) = edit.flags {
            p.flags = flags;
        }
        if let Some(affects) = edit.affects {
            p.affects = affects;
        }
        if let Some(raised) = edit.raised {
            p.raised = raised;
        }
        if let Some(sources) = edit.sources {
            p.sources = sources;
        }
        if let Some(notes) = edit.notes {
            p.notes = notes;
        }
        for (field, value) in [
            (&mut p.proposer, edit.proposer),
            (&mut p.lead_analyst, edit.lead_analyst),
            (&mut p.issue, edit.issue),
            (&mut p.solution, edit.solution),
            (&mut p.target_release, edit.target_release),
            (&mut p.alternative_to, edit.alternative_to),
            (&mut p.confidence, edit.confidence),
        ] {
            if let Some(value) = value {
                *field = value;
            }
        }
        Ok(p)
    }
}

#[cfg(test)]
mod consultation_tests {
    use super::*;

    #[test]
    fn a_register_holds_what_a_reference_names_and_knows_the_consultations_on_it() {
        use crate::document::Attachment;
        let mut register = crate::testing::register(
            vec![crate::testing::provision("H", None), crate::testing::provision("H15", Some("H"))],
            vec![crate::testing::entry("1.0", "2015-01-05", &[])],
        );
        let mut on_h15 = consultation("2014-06-30", "2014-08-25");
        on_h15.concerns = vec![Attachment::Provision(crate::ProvisionId::parse("H15").expect("id"))];
        register.consultations = vec![consultation("2014-06-30", "2014-08-25"), on_h15];
        let h15 = Attachment::Provision(crate::ProvisionId::parse("H15").expect("id"));
        let other = Attachment::Provision(crate::ProvisionId::parse("H9").expect("id"));
        assert!(register.holds(&h15) && !register.holds(&other));
        assert!(register.holds(&Attachment::Version(crate::EntryId::parse("1.0").expect("id"))));
        assert!(!register.holds(&Attachment::Proposal("MP1".into())));
        assert!(register.holds(&Attachment::Consultation("C".into())));
        assert_eq!(register.consultations_on(&h15).count(), 1);
        assert_eq!(register.consultations_on(&other).count(), 0);
        // A version's consultations are those that concern it and those that led to it.
        let version = Attachment::Version(crate::EntryId::parse("1.0").expect("id"));
        assert_eq!(register.consultations_on(&version).count(), 0);
        register.consultations[0].led_to = vec![crate::EntryId::parse("1.0").expect("id")];
        assert_eq!(register.consultations_on(&version).count(), 1);
    }

    #[test]
    fn a_consultation_without_concerns_keeps_its_record_and_one_with_them_reads_back() {
        let mut c = consultation("2014-06-30", "2014-08-25");
        let json = serde_json::to_string(&c).expect("JSON");
        assert!(!json.contains("concerns"), "{json}");
        assert_eq!(serde_json::from_str::<Consultation>(&json).expect("reads"), c);
        c.concerns = vec![crate::document::Attachment::Proposal("MP084".into())];
        let json = serde_json::to_string(&c).expect("JSON");
        assert!(json.contains(r#""led_to":[],"concerns":[{"Proposal":"MP084"}],"responses""#), "{json}");
        assert_eq!(serde_json::from_str::<Consultation>(&json).expect("reads"), c);
    }

    fn date(text: &str) -> jiff::civil::Date {
        text.parse().expect("date")
    }

    fn consultation(published: &str, closes: &str) -> Consultation {
        Consultation {
            published: FuzzyDate::parse(published).expect("date"),
            closes: FuzzyDate::parse(closes).expect("date"),
            ..crate::testing::consultation("C")
        }
    }

    #[test]
    fn a_consultation_is_open_from_its_publication_to_its_closing_day_inclusive() {
        let c = consultation("2014-06-30", "2014-08-25");
        let on = |d: &str| c.state_on(date(d));
        assert_eq!(on("2014-06-29"), ConsultationState::Upcoming);
        assert_eq!(on("2014-06-30"), ConsultationState::Open);
        assert_eq!(on("2014-08-25"), ConsultationState::Open);
        assert_eq!(on("2014-08-26"), ConsultationState::Closed);
    }

    #[test]
    fn imprecise_dates_decide_only_what_every_day_they_may_be_decides() {
        let c = consultation("2014-06", "2014-08");
        let on = |d: &str| c.state_on(date(d));
        assert_eq!(on("2014-05-31"), ConsultationState::Upcoming);
        assert_eq!(on("2014-06-15"), ConsultationState::Unknown, "perhaps not yet published");
        assert_eq!(on("2014-07-01"), ConsultationState::Open);
        assert_eq!(on("2014-08-15"), ConsultationState::Unknown, "perhaps already closed");
        assert_eq!(on("2014-09-01"), ConsultationState::Closed);
        let unknown = consultation("unknown", "unknown");
        assert_eq!(unknown.state_on(date("2014-07-01")), ConsultationState::Unknown);
    }

    #[test]
    fn states_read_back_their_wire_names() {
        for state in ConsultationState::ALL {
            assert_eq!(ConsultationState::parse(state.as_str()), Some(state));
        }
        assert_eq!(ConsultationState::parse("Open"), None);
    }

    #[test]
    fn variations_are_changes_made_outside_the_modification_process() {
        let variations: Vec<Instrument> = Instrument::ALL.into_iter().filter(|i| i.is_variation()).collect();
        assert_eq!(variations, [Instrument::SosVariation, Instrument::SosDirection, Instrument::AuthorityLedVariation]);
    }
}

/// The wire names are the register file's words (docs/register-format.md) and the store's: each reads back, and
/// each is the word the format documents.
#[cfg(test)]
mod wire_name_tests {
    use super::*;
    use crate::ledger::RecordKind;

    #[test]
    fn a_list_is_known_empty_only_when_complete_and_empty() {
        let mut list = ChangeList::default();
        assert!(list.is_known_empty());
        list.completeness = Completeness::Partial;
        assert!(!list.is_known_empty(), "partial: some may be missing");
        list.completeness = Completeness::Complete;
        list.listed.push(crate::ProvisionId::parse("A").expect("id"));
        assert!(!list.is_known_empty());
    }

    #[test]
    fn every_kind_reads_back_its_documented_name() {
        let provisions: Vec<&str> = ProvisionKind::ALL.into_iter().map(ProvisionKind::as_str).collect();
        assert_eq!(provisions, ["section", "subsection", "schedule", "appendix", "paragraph", "article"]);
        assert!(ProvisionKind::ALL.into_iter().all(|k| ProvisionKind::parse(k.as_str()) == Some(k)));
        assert_eq!([Activity::Active, Activity::Inactive].map(Activity::as_str), ["active", "inactive"]);
        assert_eq!(Activity::parse("active"), Some(Activity::Active));
        assert_eq!(Activity::parse("inactive"), Some(Activity::Inactive));
        assert_eq!(Activity::parse("on"), None);
        let instruments: Vec<&str> = Instrument::ALL.into_iter().map(Instrument::as_str).collect();
        assert_eq!(
            instruments,
            [
                "designation",
                "sos_variation",
                "sos_direction",
                "modification",
                "modification+designation",
                "authority_led_variation",
                "unknown"
            ]
        );
        assert!(Instrument::ALL.into_iter().all(|i| Instrument::parse(i.as_str()) == Some(i)));
        assert_eq!(Instrument::parse("decree"), None);
        assert_eq!(Instrument::SosDirection.human(), "Secretary of State direction");
        assert_eq!(Instrument::SosDirection.to_string(), Instrument::SosDirection.as_str());
        assert_eq!([EntryKind::Version, EntryKind::Event].map(EntryKind::as_str), ["version", "event"]);
        let records: Vec<&str> = RecordKind::ALL.into_iter().map(RecordKind::as_str).collect();
        assert_eq!(
            records,
            ["code", "provision", "entry", "consultation", "process", "proposal", "planned", "document", "gap"]
        );
        assert!(RecordKind::ALL.into_iter().all(|k| RecordKind::parse(k.as_str()) == Some(k)));
        assert_eq!(FirstVersion::ALL.map(FirstVersion::as_str), ["baseline", "origin"]);
        assert!(FirstVersion::ALL.into_iter().all(|f| FirstVersion::parse(f.as_str()) == Some(f)));
        assert_eq!(FirstVersion::parse("birth"), None);
        assert_eq!(RecordKind::parse("note"), None);
    }
}
