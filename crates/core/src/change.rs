//! The change register: how a code's text gets changed before a version makes the change. A code defines its own
//! change [`Process`] (stages, paths, the moves allowed between stages); each [`Proposal`] keeps every stage it
//! reached, with the date, so its timeline and what was pending on any date can be answered. [`PlannedChange`]s
//! are changes announced but not yet tied to a proposal or a version.

use jiff::civil::Date;

use crate::date::FuzzyDate;
use crate::id::{EntryId, ProvisionId};

/// A code's change process: its stages, its paths, and the moves allowed between stages.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// What the process is called (e.g. "Section D modification process").
    pub name: String,
    /// Every stage, in the order the process usually runs.
    pub stages: Vec<Stage>,
    /// The routes a proposal can take to a decision (e.g. "3", Self-Governance).
    pub paths: Vec<Named>,
    /// Marks a proposal may carry (e.g. "fast-track", "urgent").
    pub flags: Vec<Named>,
    /// The moves allowed; anything else is refused.
    pub moves: Vec<Move>,
}

/// An id with the name people use for it.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Stable id, as written in register files and on the command line.
    pub id: String,
    /// How people call it.
    pub label: String,
}

/// One stage of the process.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Stable id, such as `report-phase`.
    pub id: String,
    /// How people call it, such as "Report Phase".
    pub label: String,
    /// Whether a proposal can be raised at this stage.
    pub initial: bool,
    /// Where the stage sits in a proposal's life.
    pub state: StageState,
    /// Reaching this stage decides the proposal with this outcome (e.g. "approved").
    pub outcome: Option<String>,
    /// Reaching this stage means a version carried the change: the version must be named.
    pub implements: bool,
}

/// Where a stage sits in a proposal's life.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageState {
    /// Being worked on; nothing decided.
    Open,
    /// Decided in favour, not yet in a version: still a change on its way.
    Approved,
    /// Finished: implemented, rejected or withdrawn.
    Closed,
}

impl StageState {
    /// The stored name: `open`, `approved`, `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Approved => "approved",
            Self::Closed => "closed",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Open, Self::Approved, Self::Closed].into_iter().find(|s| s.as_str() == text)
    }

    /// Whether a proposal at this stage is still a change on its way.
    pub fn pending(self) -> bool {
        self != Self::Closed
    }
}

/// Moves allowed from any of `from` to `to`.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// Stages the move starts from.
    pub from: Vec<String>,
    /// The stage it reaches.
    pub to: String,
    /// Only proposals on one of these paths may make it (empty: any path).
    pub paths: Vec<String>,
    /// Only proposals carrying one of these flags may make it (empty: any proposal).
    pub flags: Vec<String>,
    /// Who decides, when `to` is a decision (e.g. "Change Board", "Authority").
    pub decided_by: Option<String>,
}

impl Process {
    /// The stage with this id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The path with this id.
    pub fn path(&self, id: &str) -> Option<&Named> {
        self.paths.iter().find(|p| p.id == id)
    }

    /// The moves `proposal` may make from `stage` (on its path, with its flags), in the order the process lists
    /// them.
    pub fn moves_from(&self, stage: &str, proposal: &Proposal) -> Vec<&Move> {
        let path = proposal.path.as_deref();
        self.moves
            .iter()
            .filter(|m| {
                m.from.iter().any(|f| f == stage)
                    && (m.paths.is_empty() || path.is_some_and(|p| m.paths.iter().any(|x| x == p)))
                    && (m.flags.is_empty() || m.flags.iter().any(|f| proposal.flags.contains(f)))
            })
            .collect()
    }

    /// Checks a move of `proposal` to `to`: the move the process allows, or why not, naming what is allowed.
    pub fn check_move(&self, proposal: &Proposal, to: &str) -> Result<&Move, MoveError> {
        let Some(target) = self.stage(to) else {
            return Err(MoveError::NoSuchStage { to: to.to_string(), stages: self.stage_ids_owned() });
        };
        let Some(current) = proposal.current() else {
            let reference = proposal.reference.clone();
            return Err(if target.initial {
                MoveError::RaiseInstead { reference }
            } else {
                MoveError::NoStage { reference }
            });
        };
        if let Some(found) = self.moves_from(&current.stage, proposal).into_iter().find(|m| m.to == to) {
            return Ok(found);
        }
        let only_for = |pick: fn(&Move) -> &Vec<String>| -> Vec<String> {
            self.moves
                .iter()
                .filter(|m| m.to == to && m.from.contains(&current.stage) && !pick(m).is_empty())
                .flat_map(|m| pick(m).iter().cloned())
                .collect()
        };
        Err(MoveError::NotAllowed(Box::new(NotAllowed {
            reference: proposal.reference.clone(),
            at: current.stage.clone(),
            at_label: self.stage(&current.stage).map_or_else(|| current.stage.clone(), |s| s.label.clone()),
            to: to.to_string(),
            allowed: self.moves_from(&current.stage, proposal).into_iter().map(|m| m.to.clone()).collect(),
            path: proposal.path.clone(),
            only_for_paths: only_for(|m| &m.paths),
            only_for_flags: only_for(|m| &m.flags),
        })))
    }

    fn stage_ids_owned(&self) -> Vec<String> {
        self.stages.iter().map(|s| s.id.clone()).collect()
    }

    fn stage_ids(&self) -> Vec<&str> {
        self.stages.iter().map(|s| s.id.as_str()).collect()
    }

    /// The stages a proposal can be raised at.
    pub fn initial_stages(&self) -> Vec<&str> {
        self.stages.iter().filter(|s| s.initial).map(|s| s.id.as_str()).collect()
    }
}

/// A proposal to change the code, through the code's change process.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Its reference: DP…, MP…, SECMP…, with a suffix such as A for an alternative.
    pub reference: String,
    /// Its title.
    pub title: String,
    /// Who raised it.
    pub proposer: Option<String>,
    /// The analyst leading it for the code administrator.
    pub lead_analyst: Option<String>,
    /// When it was raised.
    pub raised: FuzzyDate,
    /// The path it follows (an id of the process's paths), once known.
    pub path: Option<String>,
    /// Its flags (ids of the process's flags).
    pub flags: Vec<String>,
    /// The provisions it would change.
    pub affects: Vec<ProvisionId>,
    /// The problem, in brief.
    pub issue: Option<String>,
    /// The solution, in brief.
    pub solution: Option<String>,
    /// The release it is aimed at (e.g. "November 2020 SEC Release").
    pub target_release: Option<String>,
    /// The proposal this one is an alternative to.
    pub alternative_to: Option<String>,
    /// Every stage it reached, in order; the last is where it stands.
    pub stages: Vec<StageChange>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// How sure the sources are, as recorded.
    pub confidence: Option<String>,
    /// Remarks.
    pub notes: Vec<String>,
}

/// A stage a proposal reached.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct StageChange {
    /// The stage id.
    pub stage: String,
    /// When.
    pub date: FuzzyDate,
    /// Who decided, when the stage is a decision.
    pub decided_by: Option<String>,
    /// The version that carried the change, when the stage is an implementation.
    pub version: Option<EntryId>,
    /// A remark.
    pub note: Option<String>,
}

impl StageChange {
    /// True when it may not have been reached by the end of `date`: dated after it (a date known only to the
    /// month or year counts from its last possible day, as everywhere). An undated stage is never scheduled by
    /// itself (see [`Proposal::reached_by`]).
    pub fn is_scheduled(&self, date: Date) -> bool {
        self.date.latest().is_some_and(|d| d > date)
    }
}

/// A decision on a proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<'a> {
    /// The outcome (e.g. "approved", "rejected").
    pub outcome: &'a str,
    /// Who decided.
    pub body: Option<&'a str>,
    /// When.
    pub date: FuzzyDate,
}

impl Proposal {
    /// Where it stands now.
    pub fn current(&self) -> Option<&StageChange> {
        self.stages.last()
    }

    /// Where it stood at the end of `date`: the last stage reached on a known date no later than `date`. A stage
    /// whose date is unknown is not assumed to have been reached. `None` before it was raised.
    pub fn stage_on(&self, date: Date) -> Option<&StageChange> {
        self.stages.iter().rev().find(|s| s.date.latest().is_some_and(|d| d <= date))
    }

    /// The stages it had reached by the end of `date`, in order. A stage dated after `date` is scheduled
    /// (recorded ahead of time, such as an implementation set for a release), and so is every stage after it.
    /// A stage whose date is unknown is taken as reached only when a later stage is known to be, or when no
    /// stage is scheduled at all (it is recorded as having happened); before a scheduled stage it is not.
    pub fn reached_by(&self, date: Date) -> &[StageChange] {
        let mut known = 0;
        for (i, stage) in self.stages.iter().enumerate() {
            match stage.date.latest() {
                Some(_) if stage.is_scheduled(date) => return &self.stages[..known],
                Some(_) => known = i + 1,
                None => {}
            }
        }
        &self.stages
    }

    /// As it stood at the end of `date`: its stages then, without those still scheduled.
    pub fn as_on(&self, date: Date) -> Self {
        Self { stages: self.reached_by(date).to_vec(), ..self.clone() }
    }

    /// Its decision, if a stage it reached decided it.
    pub fn decision<'a>(&'a self, process: &'a Process) -> Option<Decision<'a>> {
        self.stages.iter().rev().find_map(|change| {
            let outcome = process.stage(&change.stage)?.outcome.as_deref()?;
            Some(Decision { outcome, body: change.decided_by.as_deref(), date: change.date })
        })
    }

    /// The version that carried it, if any.
    pub fn implemented_by(&self) -> Option<&EntryId> {
        self.stages.iter().rev().find_map(|s| s.version.as_ref())
    }

    /// Whether it was still a change on its way at the end of `date` (raised, not yet closed).
    pub fn pending_on(&self, process: &Process, date: Date) -> bool {
        self.stage_on(date).and_then(|s| process.stage(&s.stage)).is_some_and(|s| s.state.pending())
    }

    /// Moves it to `to` on `date`, if its process allows: the moved proposal, or why not. A decision records who
    /// decided (the move's decider unless `decided_by` is given); an implementation needs its version.
    pub fn advanced(&self, process: &Process, to: &str, step: Step) -> Result<Self, MoveError> {
        let found = process.check_move(self, to)?;
        let target = process
            .stage(to)
            .ok_or_else(|| MoveError::NoSuchStage { to: to.to_string(), stages: process.stage_ids_owned() })?;
        if let (Some(last), Some(new)) = (self.current().and_then(|c| c.date.earliest()), step.date.latest())
            && new < last
        {
            return Err(MoveError::DatedBefore {
                reference: self.reference.clone(),
                reached: self.current().map(|c| c.date).unwrap_or_default(),
                date: step.date,
            });
        }
        let to_owned = || to.to_string();
        if target.implements && step.version.is_none() {
            return Err(MoveError::NeedsVersion { to: to_owned() });
        }
        if !target.implements && step.version.is_some() {
            return Err(MoveError::VersionNotExpected { to: to_owned() });
        }
        let decided_by = match target.outcome {
            Some(_) => step.decided_by.or_else(|| found.decided_by.clone()),
            None if step.decided_by.is_some() => {
                return Err(MoveError::NotADecision { to: to_owned() });
            }
            None => None,
        };
        let mut moved = self.clone();
        moved.stages.push(StageChange {
            stage: to.to_string(),
            date: step.date,
            decided_by,
            version: step.version,
            note: step.note,
        });
        Ok(moved)
    }
}

/// Why a proposal cannot move to a stage; each says what would be allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    /// The process has no such stage.
    #[error("there is no stage '{to}'; the stages are: {}", stages.join(", "))]
    NoSuchStage {
        /// The stage asked for.
        to: String,
        /// The stages the process defines.
        stages: Vec<String>,
    },
    /// A proposal without a stage is raised at a starting stage, not moved there.
    #[error("{reference} has no stage yet; it is raised, not moved")]
    RaiseInstead {
        /// The proposal.
        reference: String,
    },
    /// A proposal without a stage cannot move.
    #[error("{reference} has no stage yet")]
    NoStage {
        /// The proposal.
        reference: String,
    },
    /// The process allows no such move from where the proposal stands.
    #[error("{0}")]
    NotAllowed(Box<NotAllowed>),
    /// The move is dated before the proposal reached the stage it is at.
    #[error("{reference} reached its current stage on {reached}; a later stage cannot be dated {date}")]
    DatedBefore {
        /// The proposal.
        reference: String,
        /// When it reached its current stage.
        reached: FuzzyDate,
        /// The date asked for.
        date: FuzzyDate,
    },
    /// An implementation names the version that carried the change.
    #[error("moving to '{to}' needs the version that carried the change")]
    NeedsVersion {
        /// The implementation stage.
        to: String,
    },
    /// Only an implementation names a version.
    #[error("a version is named only when moving to an implementation stage, not '{to}'")]
    VersionNotExpected {
        /// The stage asked for.
        to: String,
    },
    /// Only a decision records who decided.
    #[error("'{to}' is not a decision; only decisions record who decided")]
    NotADecision {
        /// The stage asked for.
        to: String,
    },
}

/// A move the process does not allow from where a proposal stands, with what it does allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAllowed {
    /// The proposal.
    pub reference: String,
    /// The stage it is at.
    pub at: String,
    /// That stage's label.
    pub at_label: String,
    /// The stage asked for.
    pub to: String,
    /// The stages it may move to.
    pub allowed: Vec<String>,
    /// Its path, if set.
    pub path: Option<String>,
    /// The paths the move exists for, when it exists only on other paths (the usual cause: a path to correct).
    pub only_for_paths: Vec<String>,
    /// The flags the move needs, when it exists only for flagged proposals.
    pub only_for_flags: Vec<String>,
}

impl std::fmt::Display for NotAllowed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is at '{}' ({}) and cannot move to '{}'", self.reference, self.at, self.at_label, self.to)?;
        if !self.only_for_paths.is_empty() {
            let on = self.path.as_ref().map_or_else(|| "no path".to_string(), |p| format!("path {p}"));
            write!(f, " (that move is only for path {}; it is on {on})", self.only_for_paths.join(" or "))?;
        } else if !self.only_for_flags.is_empty() {
            write!(f, " (that move is only for proposals marked {})", self.only_for_flags.join(" or "))?;
        }
        if self.allowed.is_empty() {
            write!(f, ": it is at the end of the process")
        } else {
            write!(f, "; allowed next: {}", self.allowed.join(", "))
        }
    }
}

/// What a move records besides its stage.
#[derive(Debug, Clone, Default)]
pub struct Step {
    /// When it happened.
    pub date: FuzzyDate,
    /// Who decided (decisions only; defaults to the process's decider for the move).
    pub decided_by: Option<String>,
    /// The version that carried the change (implementations only).
    pub version: Option<EntryId>,
    /// A remark.
    pub note: Option<String>,
}

/// Checks a proposal's recorded stages against its process: a legal start, legal moves, dates in order. Returns
/// each problem with the index of the stage it concerns.
pub fn check_walk(process: &Process, proposal: &Proposal) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let Some(first) = proposal.stages.first() else {
        problems.push((0, format!("{} needs at least the stage it was raised at", proposal.reference)));
        return problems;
    };
    match process.stage(&first.stage) {
        None => problems.push((0, unknown_stage(process, &first.stage))),
        Some(stage) if !stage.initial => problems.push((
            0,
            format!(
                "{} cannot start at '{}'; a proposal is raised at: {}",
                proposal.reference,
                first.stage,
                process.initial_stages().join(", ")
            ),
        )),
        Some(_) => {}
    }
    let mut walked = Proposal { stages: vec![first.clone()], ..proposal.clone() };
    let mut latest_known = first.date.earliest();
    for (index, change) in proposal.stages.iter().enumerate().skip(1) {
        if process.stage(&change.stage).is_none() {
            problems.push((index, unknown_stage(process, &change.stage)));
        } else if let Err(error) = process.check_move(&walked, &change.stage) {
            problems.push((index, error.to_string()));
        }
        if let (Some(before), Some(now)) = (latest_known, change.date.latest())
            && now < before
        {
            problems
                .push((index, format!("'{}' is dated {} but comes after a later stage", change.stage, change.date)));
        }
        let target = process.stage(&change.stage);
        if target.is_some_and(|t| t.implements) && change.version.is_none() {
            problems.push((index, format!("'{}' needs the version that carried the change", change.stage)));
        }
        if target.is_some_and(|t| !t.implements) && change.version.is_some() {
            problems.push((index, format!("'{}' is not an implementation; it names no version", change.stage)));
        }
        latest_known = change.date.earliest().or(latest_known);
        walked.stages.push(change.clone());
    }
    problems
}

fn unknown_stage(process: &Process, stage: &str) -> String {
    format!("there is no stage '{stage}'; the stages are: {}", process.stage_ids().join(", "))
}

/// A change announced (for instance in a consultation response) but not yet tied to a proposal or a version.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PlannedChange {
    /// A stable key.
    pub id: String,
    /// What is planned, in a line.
    pub title: String,
    /// More detail.
    pub description: Option<String>,
    /// When it was announced.
    pub announced: FuzzyDate,
    /// When it is expected, as far as known.
    pub expected: FuzzyDate,
    /// The consultation that announced it.
    pub consultation: Option<String>,
    /// The provisions it would change, when known.
    pub affects: Vec<ProvisionId>,
    /// The proposal that took it up, once there is one.
    pub proposal: Option<String>,
    /// The version that made it, once made.
    pub version: Option<EntryId>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// How sure the sources are, as recorded.
    pub confidence: Option<String>,
}

/// Which proposals to list (`History::proposals`); every field narrows the list, `None` does not.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProposalFilter<'a> {
    /// Only those at this stage (an id of the process's stages) on `at`.
    pub stage: Option<&'a str>,
    /// The day the stage filter is read on (stages dated later are scheduled); `None` reads every recorded stage.
    pub at: Option<Date>,
    /// Only those on this path (an id of the process's paths).
    pub path: Option<&'a str>,
    /// Only those that would change this provision, a part of it or a whole containing it.
    pub affects: Option<&'a ProvisionId>,
    /// Only those still on their way at the end of this day.
    pub pending_at: Option<Date>,
}

/// Why a proposal filter is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// The process defines no such stage.
    #[error("'{stage}' is not a stage of the {process}; the stages are: {}", known.join(", "))]
    UnknownStage {
        /// The stage asked for.
        stage: String,
        /// The process's name.
        process: String,
        /// The stages it defines.
        known: Vec<String>,
    },
    /// The process defines no such path.
    #[error("'{path}' is not a path; the paths are: {}", known.join(", "))]
    UnknownPath {
        /// The path asked for.
        path: String,
        /// The paths it defines.
        known: Vec<String>,
    },
}

/// What is given to raise a proposal (`Register::raise`).
#[derive(Debug, Clone, Default)]
pub struct NewProposal {
    /// Its reference, such as `MP301`.
    pub reference: String,
    /// Its title.
    pub title: String,
    /// When it was raised.
    pub raised: FuzzyDate,
    /// The stage it starts at; `None`: the process's first starting stage.
    pub stage: Option<String>,
    /// The path it follows, once known.
    pub path: Option<String>,
    /// The flags it carries.
    pub flags: Vec<String>,
    /// The provisions it would change.
    pub affects: Vec<ProvisionId>,
    /// The proposal it is an alternative to.
    pub alternative_to: Option<String>,
    /// Who raised it.
    pub proposer: Option<String>,
    /// The analyst leading it.
    pub lead_analyst: Option<String>,
    /// The problem, in brief.
    pub issue: Option<String>,
    /// The solution, in brief.
    pub solution: Option<String>,
    /// The release it is aimed at.
    pub target_release: Option<String>,
}

/// Why a proposal cannot be raised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RaiseError {
    /// The code has no change process to raise it in.
    #[error("the register of '{0}' defines no change process (add a [process] table to its register file)")]
    NoProcess(String),
    /// A proposal with this reference is already recorded.
    #[error("{0} is already recorded")]
    AlreadyRecorded(String),
    /// The stage asked for is not one where proposals are raised.
    #[error("a proposal is raised at one of: {}", .0.join(", "))]
    NotAStartingStage(Vec<String>),
    /// The process has no starting stage at all.
    #[error("the process has no stage where proposals are raised")]
    NoStartingStage,
}

/// No proposal has the reference asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no proposal '{reference}' (known: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
pub struct UnknownProposal {
    /// The reference asked for.
    pub reference: String,
    /// The references recorded.
    pub known: Vec<String>,
}

/// A change to what is recorded about a proposal (`Register::edit_proposal`); not its stages, which only
/// `Proposal::advanced` moves. For each field `None` leaves it as it is; for the optional ones `Some(None)`
/// clears it.
#[derive(Debug, Clone, Default)]
pub struct ProposalEdit {
    /// A new title.
    pub title: Option<String>,
    /// The path it follows.
    pub path: Option<Option<String>>,
    /// Its flags, replacing those recorded.
    pub flags: Option<Vec<String>>,
    /// The provisions it would change, replacing those recorded.
    pub affects: Option<Vec<ProvisionId>>,
    /// Who raised it.
    pub proposer: Option<Option<String>>,
    /// The analyst leading it.
    pub lead_analyst: Option<Option<String>>,
    /// The problem, in brief.
    pub issue: Option<Option<String>>,
    /// The solution, in brief.
    pub solution: Option<Option<String>>,
    /// The release it is aimed at.
    pub target_release: Option<Option<String>>,
    /// When it was raised.
    pub raised: Option<FuzzyDate>,
    /// The proposal it is an alternative to.
    pub alternative_to: Option<Option<String>>,
    /// Where the facts come from, replacing those recorded.
    pub sources: Option<Vec<String>>,
    /// How sure the sources are.
    pub confidence: Option<Option<String>>,
    /// Remarks, replacing those recorded.
    pub notes: Option<Vec<String>>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn named(id: &str) -> Named {
        Named { id: id.into(), label: id.to_uppercase() }
    }

    fn stage(id: &str, initial: bool, state: StageState, outcome: Option<&str>) -> Stage {
        Stage {
            id: id.into(),
            label: id.into(),
            initial,
            state,
            outcome: outcome.map(Into::into),
            implements: id == "implemented",
        }
    }

    fn step(from: &[&str], to: &str, paths: &[&str], by: Option<&str>) -> Move {
        Move {
            from: from.iter().map(|s| (*s).into()).collect(),
            to: to.into(),
            paths: paths.iter().map(|s| (*s).into()).collect(),
            flags: Vec::new(),
            decided_by: by.map(Into::into),
        }
    }

    /// A small process in the shape of the SEC's.
    pub(crate) fn process() -> Process {
        use StageState::{Approved, Closed, Open};
        Process {
            name: "test".into(),
            stages: vec![
                stage("raised", true, Open, None),
                stage("report", false, Open, None),
                stage("vote", false, Open, None),
                stage("authority", false, Open, None),
                stage("approved", false, Approved, Some("approved")),
                stage("rejected", false, Closed, Some("rejected")),
                stage("implemented", false, Closed, None),
                stage("withdrawn", false, Closed, None),
            ],
            paths: vec![named("2"), named("3")],
            flags: vec![named("urgent")],
            moves: vec![
                step(&["raised"], "report", &[], None),
                step(&["report"], "vote", &[], None),
                step(&["vote"], "approved", &["3"], Some("Change Board")),
                step(&["vote"], "rejected", &["3"], Some("Change Board")),
                step(&["vote"], "authority", &["2"], None),
                step(&["authority"], "approved", &["2"], Some("Authority")),
                step(&["authority"], "rejected", &["2"], Some("Authority")),
                step(&["approved"], "implemented", &[], None),
                step(&["raised", "report", "vote", "authority"], "withdrawn", &[], None),
            ],
        }
    }

    fn day(text: &str) -> FuzzyDate {
        FuzzyDate::parse(text).expect("date")
    }

    pub(crate) fn raised(path: &str) -> Proposal {
        Proposal {
            reference: "MP1".into(),
            title: "t".into(),
            proposer: None,
            lead_analyst: None,
            raised: day("2020-01-01"),
            path: Some(path.into()),
            flags: vec![],
            affects: vec![ProvisionId::parse("H").expect("id")],
            issue: None,
            solution: None,
            target_release: None,
            alternative_to: None,
            stages: vec![StageChange {
                stage: "raised".into(),
                date: day("2020-01-01"),
                decided_by: None,
                version: None,
                note: None,
            }],
            sources: vec![],
            confidence: None,
            notes: vec![],
        }
    }

    fn at(date: &str) -> Step {
        Step { date: day(date), ..Step::default() }
    }

    #[test]
    fn a_proposal_moves_only_along_the_process() {
        let process = process();
        let p = raised("3");
        let error = p.advanced(&process, "approved", at("2020-02-01")).expect_err("refused").to_string();
        assert_eq!(error, "MP1 is at 'raised' (raised) and cannot move to 'approved'; allowed next: report, withdrawn");
        let p = p.advanced(&process, "report", at("2020-02-01")).expect("report");
        let p = p.advanced(&process, "vote", at("2020-03-01")).expect("vote");
        let p = p.advanced(&process, "approved", at("2020-03-02")).expect("the Change Board decides on path 3");
        assert_eq!(p.decision(&process).map(|d| (d.outcome, d.body)), Some(("approved", Some("Change Board"))));
        let late = p.advanced(&process, "withdrawn", at("2020-03-03")).expect_err("refused").to_string();
        assert!(late.contains("allowed next: implemented"), "no withdrawal after a decision: {late}");
        let needs = p.advanced(&process, "implemented", at("2020-06-01")).expect_err("refused").to_string();
        assert!(needs.contains("needs the version"), "{needs}");
        let done = p
            .advanced(
                &process,
                "implemented",
                Step { version: Some(EntryId::parse("5.5").expect("id")), ..at("2020-06-01") },
            )
            .expect("implemented");
        assert_eq!(done.implemented_by().map(ToString::to_string).as_deref(), Some("5.5"));
        let end = done.advanced(&process, "withdrawn", at("2020-07-01")).expect_err("refused").to_string();
        assert!(end.ends_with("it is at the end of the process"), "{end}");
    }

    #[test]
    fn a_decision_outside_its_path_is_refused_with_the_reason() {
        let process = process();
        let p = raised("2").advanced(&process, "report", at("2020-02-01")).expect("report");
        let p = p.advanced(&process, "vote", at("2020-03-01")).expect("vote");
        let error = p.advanced(&process, "approved", at("2020-03-02")).expect_err("refused").to_string();
        assert_eq!(
            error,
            "MP1 is at 'vote' (vote) and cannot move to 'approved' (that move is only for path 3; it is on path 2); \
             allowed next: authority, withdrawn"
        );
        let p = p.advanced(&process, "authority", at("2020-03-02")).expect("to the Authority");
        let p = p.advanced(&process, "rejected", at("2020-05-27")).expect("the Authority decides");
        assert_eq!(p.decision(&process).and_then(|d| d.body), Some("Authority"));
        assert!(!p.pending_on(&process, day("2020-05-27").exact().expect("day")));
        assert!(p.pending_on(&process, day("2020-05-26").exact().expect("day")));
    }

    #[test]
    fn dates_must_not_go_back_and_unknown_stages_are_named() {
        let process = process();
        let p = raised("3");
        let back = p.advanced(&process, "report", at("2019-12-31")).expect_err("refused").to_string();
        assert!(back.contains("cannot be dated 2019-12-31"), "{back}");
        let unknown = p.advanced(&process, "nowhere", at("2020-02-01")).expect_err("refused").to_string();
        assert!(unknown.starts_with("there is no stage 'nowhere'; the stages are: raised, report"), "{unknown}");
    }

    #[test]
    fn recorded_walks_are_checked_stage_by_stage() {
        let process = process();
        let mut p = raised("3");
        p.stages.push(StageChange {
            stage: "approved".into(),
            date: day("2020-02-01"),
            decided_by: None,
            version: None,
            note: None,
        });
        p.stages.push(StageChange {
            stage: "report".into(),
            date: day("2019-01-01"),
            decided_by: None,
            version: None,
            note: None,
        });
        let problems = check_walk(&process, &p);
        let indexes: Vec<usize> = problems.iter().map(|(i, _)| *i).collect();
        assert_eq!(indexes, [1, 2, 2], "{problems:?}");
        let mut wrong_start = raised("3");
        wrong_start.stages[0].stage = "vote".into();
        assert!(check_walk(&process, &wrong_start)[0].1.contains("a proposal is raised at: raised"));
    }

    #[test]
    fn what_was_pending_on_a_date() {
        let process = process();
        let p = raised("3").advanced(&process, "withdrawn", at("2020-06-01")).expect("withdrawn");
        let on = |d: &str| p.pending_on(&process, day(d).exact().expect("day"));
        assert!(!on("2019-12-31"), "not yet raised");
        assert!(on("2020-01-01") && on("2020-05-31"));
        assert!(!on("2020-06-01"), "withdrawn that day");
        assert_eq!(p.stage_on(day("2020-03-01").exact().expect("day")).map(|s| s.stage.as_str()), Some("raised"));
    }

    #[test]
    fn a_filter_narrows_the_proposals_and_refuses_what_the_process_does_not_define() {
        use crate::testing::{entry, provision, register};
        let mut on_path_two = raised("2");
        on_path_two.reference = "MP2".into();
        on_path_two.affects = vec![ProvisionId::parse("H15").expect("id")];
        on_path_two.stages.push(StageChange { stage: "withdrawn".into(), ..on_path_two.stages[0].clone() });
        on_path_two.stages[1].date = day("2020-06-01");
        let mut register = register(
            vec![provision("H", None), provision("H15", Some("H")), provision("X", None)],
            vec![entry("1.0", "2013-09-23", &[("added", "H"), ("added", "X")])],
        );
        register.process = Some(process());
        register.proposals = vec![raised("3"), on_path_two];
        let history = crate::History::new(register);
        let refs = |filter: ProposalFilter<'_>| -> Vec<String> {
            history.proposals(&filter).expect("a valid filter").iter().map(|p| p.reference.clone()).collect()
        };
        assert_eq!(refs(ProposalFilter::default()), ["MP1", "MP2"]);
        assert_eq!(refs(ProposalFilter { stage: Some("raised"), ..Default::default() }), ["MP1"]);
        assert_eq!(refs(ProposalFilter { stage: Some("withdrawn"), ..Default::default() }), ["MP2"]);
        assert_eq!(refs(ProposalFilter { path: Some("2"), ..Default::default() }), ["MP2"]);
        let h15 = ProvisionId::parse("H15").expect("id");
        let h = ProvisionId::parse("H").expect("id");
        let x = ProvisionId::parse("X").expect("id");
        assert_eq!(refs(ProposalFilter { affects: Some(&h15), ..Default::default() }), ["MP1", "MP2"], "a part of H");
        assert_eq!(refs(ProposalFilter { affects: Some(&h), ..Default::default() }), ["MP1", "MP2"], "a whole of H15");
        assert!(refs(ProposalFilter { affects: Some(&x), ..Default::default() }).is_empty());
        let pending = |d: &str| ProposalFilter { pending_at: day(d).exact(), ..Default::default() };
        assert_eq!(refs(pending("2020-05-31")), ["MP1", "MP2"]);
        assert_eq!(refs(pending("2020-06-01")), ["MP1"], "MP2 was withdrawn that day");
        assert_eq!(
            refs(ProposalFilter { stage: Some("raised"), path: Some("2"), ..Default::default() }),
            [] as [&str; 0]
        );
        let unknown_stage = history.proposals(&ProposalFilter { stage: Some("nowhere"), ..Default::default() });
        assert_eq!(
            unknown_stage.map(|_| ()).map_err(|e| e.to_string()),
            Err("'nowhere' is not a stage of the test; the stages are: raised, report, vote, authority, approved, \
                 rejected, implemented, withdrawn"
                .to_string())
        );
        let unknown_path = history.proposals(&ProposalFilter { path: Some("9"), ..Default::default() });
        assert_eq!(
            unknown_path.map(|_| ()).map_err(|e| e.to_string()),
            Err("'9' is not a path; the paths are: 2, 3".into())
        );
    }

    #[test]
    fn without_a_process_there_are_no_proposals_and_no_stage_to_filter_by() {
        let history = crate::History::new(crate::testing::register(vec![], vec![]));
        assert_eq!(history.proposals(&ProposalFilter::default()).map(|l| l.len()), Ok(0));
        let refused = history.proposals(&ProposalFilter { stage: Some("raised"), ..Default::default() });
        assert!(matches!(refused, Err(FilterError::UnknownStage { known, .. }) if known.is_empty()));
    }

    fn register_with_process() -> crate::Register {
        let mut register = crate::testing::register(vec![crate::testing::provision("H", None)], vec![]);
        register.process = Some(process());
        register
    }

    #[test]
    fn a_proposal_is_raised_at_a_starting_stage_once() {
        let mut register = register_with_process();
        let new = |reference: &str, stage: Option<&str>| NewProposal {
            reference: reference.into(),
            title: "t".into(),
            raised: day("2020-01-01"),
            stage: stage.map(Into::into),
            alternative_to: Some("mp9".into()),
            ..NewProposal::default()
        };
        let raised = register.raise(new("MP1", None)).expect("raised");
        assert_eq!(raised.stages.len(), 1);
        assert_eq!((raised.stages[0].stage.as_str(), raised.stages[0].date), ("raised", day("2020-01-01")));
        assert_eq!(raised.alternative_to.as_deref(), Some("MP9"), "references are upper-case");
        assert_eq!(register.raise(new("MP1", None)).map(|_| ()), Err(RaiseError::AlreadyRecorded("MP1".into())));
        assert_eq!(
            register.raise(new("MP2", Some("vote"))).map(|_| ()),
            Err(RaiseError::NotAStartingStage(vec!["raised".into()]))
        );
        assert_eq!(register.proposals.len(), 1, "a refused proposal is not added");
        let mut without = crate::testing::register(vec![], vec![]);
        assert_eq!(without.raise(new("MP1", None)).map(|_| ()), Err(RaiseError::NoProcess("test".into())));
    }

    #[test]
    fn an_edit_changes_only_what_it_names_and_can_clear_a_field() {
        let mut register = register_with_process();
        register.proposals.push(Proposal { issue: Some("old issue".into()), ..raised("3") });
        let edit = ProposalEdit {
            title: Some("new title".into()),
            path: Some(Some("2".into())),
            issue: Some(None),
            target_release: Some(Some("June".into())),
            ..ProposalEdit::default()
        };
        let edited = register.edit_proposal("mp1", edit).expect("MP1 is recorded");
        assert_eq!(edited.title, "new title");
        assert_eq!(edited.path.as_deref(), Some("2"));
        assert_eq!(edited.issue, None, "cleared");
        assert_eq!(edited.target_release.as_deref(), Some("June"));
        assert_eq!(edited.affects, raised("3").affects, "not named, so kept");
        assert_eq!(edited.stages, raised("3").stages, "stages move only by advancing");
        let unknown = register.edit_proposal("MP7", ProposalEdit::default()).map(|_| ());
        assert_eq!(unknown.map_err(|e| e.to_string()), Err("no proposal 'MP7' (known: MP1)".into()));
    }

    #[test]
    fn only_a_decision_records_who_decided() {
        let process = process();
        let by = Step { decided_by: Some("Panel".into()), ..at("2020-02-01") };
        let refused = raised("3").advanced(&process, "report", by).map(|_| ());
        assert_eq!(refused, Err(MoveError::NotADecision { to: "report".into() }));
    }

    #[test]
    fn a_proposal_may_be_raised_at_a_starting_stage_named() {
        let mut register = register_with_process();
        let new = NewProposal {
            reference: "MP5".into(),
            title: "t".into(),
            raised: day("2020-01-01"),
            stage: Some("raised".into()),
            ..NewProposal::default()
        };
        let raised = register.raise(new).expect("raised is a starting stage");
        assert_eq!(raised.current().map(|s| s.stage.as_str()), Some("raised"));
    }

    #[test]
    fn stage_states_read_back_their_wire_names() {
        for state in [StageState::Open, StageState::Approved, StageState::Closed] {
            assert_eq!(StageState::parse(state.as_str()), Some(state));
        }
        assert_eq!(
            [StageState::Open, StageState::Approved, StageState::Closed].map(StageState::as_str),
            ["open", "approved", "closed"]
        );
        assert_eq!(StageState::parse("pending"), None);
    }

    #[test]
    fn a_move_may_be_dated_the_day_the_current_stage_was_reached() {
        let process = process();
        let moved = raised("3").advanced(&process, "report", at("2020-01-01")).expect("the same day as raised");
        assert_eq!(moved.stages.len(), 2);
    }

    #[test]
    fn a_recorded_walk_is_checked_stage_by_stage() {
        let process = process();
        let stage = |stage: &str, date: &str, version: Option<&str>| StageChange {
            stage: stage.into(),
            date: day(date),
            decided_by: None,
            version: version.map(|v| EntryId::parse(v).expect("id")),
            note: None,
        };
        let walk = |stages: Vec<StageChange>| -> Vec<(usize, String)> {
            check_walk(&process, &Proposal { stages, ..raised("3") })
        };
        let good = vec![
            stage("raised", "2020-01-01", None),
            stage("report", "2020-01-01", None),
            stage("vote", "2020-02-01", None),
            stage("approved", "2020-03-01", None),
            stage("implemented", "2020-06-01", Some("5.5")),
        ];
        assert_eq!(walk(good.clone()), [], "moves the process allows, same-day stages included");
        let mut skipped = good.clone();
        skipped.remove(1);
        assert_eq!(walk(skipped).iter().map(|p| p.0).collect::<Vec<_>>(), [1], "vote does not follow raised");
        let mut unknown = good.clone();
        unknown[2].stage = "limbo".into();
        let problems = walk(unknown);
        assert!(
            problems
                .iter()
                .any(|(i, m)| *i == 2 && m.starts_with("there is no stage 'limbo'; the stages are: raised, report")),
            "{problems:?}"
        );
        let mut early = good.clone();
        early[3].date = day("2020-01-15");
        let problems = walk(early);
        assert!(problems.iter().any(|(i, m)| *i == 3 && m.contains("comes after a later stage")), "{problems:?}");
        let mut versioned = good.clone();
        versioned[2].version = Some(EntryId::parse("5.4").expect("id"));
        let problems = walk(versioned);
        assert!(problems.iter().any(|(i, m)| *i == 2 && m.contains("names no version")), "{problems:?}");
        let mut unversioned = good;
        unversioned[4].version = None;
        let problems = walk(unversioned);
        assert!(problems.iter().any(|(i, m)| *i == 4 && m.contains("needs the version")), "{problems:?}");
    }

    #[test]
    fn the_stages_reached_by_a_day_leave_later_ones_scheduled() {
        let mut p = raised("3");
        let stage = |id: &str, date: &str| StageChange {
            stage: id.into(),
            date: day(date),
            decided_by: None,
            version: None,
            note: None,
        };
        p.stages.extend([
            stage("report", "unknown"),
            stage("vote", "2020-03-01"),
            stage("approved", "2020-04"),
            stage("implemented", "unknown"),
        ]);
        let ids = |on: &str| -> Vec<String> {
            p.reached_by(day(on).exact().expect("a day")).iter().map(|s| s.stage.clone()).collect()
        };
        assert!(ids("2019-12-31").is_empty(), "before it was raised");
        assert_eq!(ids("2020-01-15"), ["raised"], "the undated report is not known to have come yet");
        assert_eq!(ids("2020-03-01"), ["raised", "report", "vote"], "the vote shows the report came before it");
        assert_eq!(ids("2020-04-10"), ["raised", "report", "vote"], "approved in April counts from its last day");
        assert_eq!(ids("2020-04-30"), ["raised", "report", "vote", "approved", "implemented"]);
        assert_eq!(p.as_on(day("2020-03-01").exact().expect("day")).current().map(|s| s.stage.as_str()), Some("vote"));
        assert!(!stage("x", "unknown").is_scheduled(day("2000-01-01").exact().expect("day")));
        assert!(stage("x", "2020-04").is_scheduled(day("2020-04-29").exact().expect("day")));
    }
}
