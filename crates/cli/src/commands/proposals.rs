//! Modification proposals on the command line: raise one, move it along the code's change process, change what
//! is recorded about it, show one, list them; and the planned changes. Writes re-read the register and apply the
//! change to it (`inforce_store::publish_edit`), so two people editing different records at once both keep
//! their edits.

use std::fmt::Write as _;

use inforce_core::change::{
    FilterError, NewProposal, Process, Proposal, ProposalEdit, ProposalFilter, RaiseError, Step,
};
use inforce_core::{EntryId, FuzzyDate, History, ProvisionId, Register, validate};
use inforce_present::describe::planned_tie;
use inforce_present::wire::{PlannedListJson, ProposalJson, ProposalWrittenJson, ProposalsJson};
use inforce_store::{PublishOutcome, publish_edit};
use jiff::civil::Date;

use crate::args::date;
use crate::cli::{ModAdvanceArgs, ModListArgs, ModNewArgs, ModShowArgs, ModUpdateArgs};
use crate::commands::corrections::{Edited, publish_correction};
use crate::env::Env;
use crate::failure::Failure;

/// `inforce mod new`: raises a proposal (checked, then stored as one publication).
pub async fn raise(env: &Env, args: &ModNewArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let reference = args.reference.to_uppercase();
    let new = NewProposal {
        reference: reference.clone(),
        title: args.title.clone(),
        raised: fuzzy(args.raised.as_deref(), today, "--raised")?,
        stage: args.stage.clone(),
        path: args.path.clone(),
        flags: args.flags.clone(),
        affects: args.affects.iter().map(|a| provision_id(a)).collect::<Result<_, _>>()?,
        alternative_to: args.alternative_to.clone(),
        proposer: args.recorded.proposer.clone(),
        lead_analyst: args.recorded.lead_analyst.clone(),
        issue: args.recorded.issue.clone(),
        solution: args.recorded.solution.clone(),
        target_release: args.recorded.target_release.clone(),
    };
    write(env, &reference, &format!("mod new {reference}"), |current| {
        let mut next = current.clone();
        next.raise(new.clone()).map_err(|e| match e {
            RaiseError::AlreadyRecorded(_) => Failure::Usage(format!("{e}; use `inforce mod advance` to move it")),
            RaiseError::NotAStartingStage(_) => Failure::Usage(format!("--stage: {e}")),
            RaiseError::NoProcess(_) => Failure::NotFound(e.to_string()),
            RaiseError::NoStartingStage => Failure::Usage(e.to_string()),
        })?;
        Ok(next)
    })
    .await
}

/// `inforce mod advance`: moves a proposal to its next stage; a move the process does not allow is refused,
/// naming those it does.
pub async fn advance(env: &Env, args: &ModAdvanceArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let reference = args.reference.to_uppercase();
    let step = Step {
        date: fuzzy(args.date.as_deref(), today, "--date")?,
        decided_by: args.decided_by.clone(),
        version: args.version.as_deref().map(entry_id).transpose()?,
        note: args.note.clone(),
    };
    write(env, &reference, &format!("mod advance {reference}"), |current| {
        let process = process_of(current)?;
        let index = current.proposal_index(&reference).map_err(|e| Failure::NotFound(e.to_string()))?;
        if let Some(version) = &step.version
            && !current.entries.iter().any(|e| &e.id == version)
        {
            return Err(Failure::NotFound(format!("--version: no version or event '{version}' in the register")));
        }
        let mut next = current.clone();
        next.proposals[index] = current.proposals[index]
            .advanced(process, &args.to, step.clone())
            .map_err(|e| Failure::Usage(e.to_string()))?;
        Ok(next)
    })
    .await
}

/// `inforce mod update`: changes what is recorded about a proposal; the proposal is checked again against the
/// process, so a path that its recorded moves do not allow is refused.
pub async fn update(env: &Env, args: &ModUpdateArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let reference = args.reference.to_uppercase();
    let text = |value: &Option<String>| value.as_ref().map(|v| v.trim().to_string());
    let cleared = |value: &Option<String>| text(value).map(|v| (!v.is_empty()).then_some(v));
    let edit = ProposalEdit {
        title: text(&args.title),
        path: cleared(&args.path),
        flags: args
            .flags
            .as_ref()
            .map(|flags| flags.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect()),
        affects: args
            .affects
            .as_ref()
            .map(|affects| {
                affects.iter().filter(|a| !a.trim().is_empty()).map(|a| provision_id(a)).collect::<Result<_, _>>()
            })
            .transpose()?,
        proposer: cleared(&args.recorded.proposer),
        lead_analyst: cleared(&args.recorded.lead_analyst),
        issue: cleared(&args.recorded.issue),
        solution: cleared(&args.recorded.solution),
        target_release: cleared(&args.recorded.target_release),
        raised: args.raised.as_deref().map(|d| fuzzy(Some(d), today, "--raised")).transpose()?,
        alternative_to: cleared(&args.alternative_to).map(|a| a.map(|a| a.to_uppercase())),
        sources: args.sourced.sources.as_deref().map(crate::commands::corrections::list),
        confidence: cleared(&args.sourced.confidence),
        notes: args.sourced.notes.as_deref().map(crate::commands::corrections::list),
    };
    let origin = format!("mod update {reference}");
    let (outcome, register) = publish_correction(env, &origin, &args.reason, |current| {
        let before = find(current, &reference)?;
        let mut register = current.clone();
        let after = register.edit_proposal(&reference, edit.clone()).map_err(|e| Failure::NotFound(e.to_string()))?;
        let corrected = inforce_core::correction::proposal(before, after);
        Ok(Edited { register, corrected, what: format!("proposal {reference}") })
    })
    .await?;
    answer(env, &register, &reference, outcome, today)
}

/// Applies `change` to the code's register as one checked publication, then prints the proposal as it stands.
async fn write(
    env: &Env,
    reference: &str,
    origin: &str,
    change: impl Fn(&Register) -> Result<Register, Failure>,
) -> Result<(), Failure> {
    let today = env.today().await?;
    let code = &env.code;
    let store = env.store().await?.as_ref();
    let (outcome, register) = publish_edit(store, code, &env.provenance(origin)?, &[], |current| {
        let current = current.ok_or_else(|| Failure::NotFound(format!("no register for code '{code}'")))?;
        checked(change(current)?)
    })
    .await?;
    answer(env, &register, reference, outcome, today)
}

/// Prints the proposal as it stands after a write.
fn answer(
    env: &Env,
    register: &Register,
    reference: &str,
    outcome: PublishOutcome,
    today: Date,
) -> Result<(), Failure> {
    let process = process_of(register)?;
    let proposal = find(register, reference)?;
    let json = ProposalWrittenJson::new(process, proposal, matches!(outcome, PublishOutcome::Published(_)), today);
    env.out.print(&json, || inforce_present::plain::proposal(process, proposal, today))
}

/// `inforce mod show REFERENCE`
pub async fn show(env: &Env, args: &ModShowArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let history = env.history_with_corrections().await?;
    let register = history.register();
    let process = process_of(register)?;
    let proposal = find(register, &args.reference)?;
    let on = args.at.as_deref().map(|d| date(d, today)).transpose()?.unwrap_or(today);
    let json = ProposalJson::new(process, proposal, on).with_consultations(&history);
    env.out.print(&json, || {
        let corrected = inforce_present::plain::corrected(
            &history,
            inforce_core::ledger::RecordKind::Proposal,
            &proposal.reference,
        );
        format!("{}{corrected}", inforce_present::plain::proposal(process, proposal, on))
    })
}

/// `inforce mod list [--stage] [--path] [--affects] [--pending-at]`
pub async fn list(env: &Env, args: &ModListArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let pending_at = args.pending_at.as_deref().map(|d| date(d, today)).transpose()?;
    let on = args.at.as_deref().map(|d| date(d, today)).transpose()?.unwrap_or(today);
    let affects = args.affects.as_deref().map(provision_id).transpose()?;
    let history = env.history().await?;
    let process = process_of(history.register())?;
    let filter = ProposalFilter {
        stage: args.stage.as_deref(),
        at: Some(on),
        path: args.path.as_deref(),
        affects: affects.as_ref(),
        pending_at,
    };
    let chosen = history.proposals(&filter).map_err(|e| match e {
        FilterError::UnknownStage { .. } => Failure::Usage(format!("--stage: {e}")),
        FilterError::UnknownPath { .. } => Failure::Usage(format!("--path: {e}")),
    })?;
    let json = ProposalsJson::new(&history, &chosen, pending_at, on);
    env.out.print(&json, || inforce_present::plain::proposals(process, &chosen, pending_at, on))
}

/// `inforce planned`: changes announced but not yet tied to a proposal or version, and those that since were.
pub async fn planned(env: &Env) -> Result<(), Failure> {
    let history = env.history().await?;
    planned_answer(env, &history)
}

fn planned_answer(env: &Env, history: &History) -> Result<(), Failure> {
    let register = history.register();
    env.out.print(&PlannedListJson::new(history), || {
        let mut text = String::new();
        for p in &register.planned {
            let tied = planned_tie(p);
            let from = p.consultation.as_ref().map(|c| format!(", announced in {c}")).unwrap_or_default();
            let _ = writeln!(text, "{:<28} {} ({tied}{from})", p.id, p.title);
        }
        if text.is_empty() {
            text.push_str("no planned changes recorded\n");
        }
        text
    })
}

/// The register if it keeps every rule; otherwise every problem, and nothing is stored.
pub(crate) fn checked(register: Register) -> Result<Register, Failure> {
    let problems = validate(&register);
    if problems.is_empty() {
        return Ok(register);
    }
    let lines: Vec<String> = problems.into_iter().map(|p| p.message).collect();
    Err(Failure::Usage(format!("refused, nothing was stored:\n{}", lines.join("\n"))))
}

fn process_of(register: &Register) -> Result<&Process, Failure> {
    register.process.as_ref().ok_or_else(|| {
        Failure::NotFound(format!(
            "the register of '{}' defines no change process (add a [process] table to its register file)",
            register.code.id
        ))
    })
}

fn find<'a>(register: &'a Register, reference: &str) -> Result<&'a Proposal, Failure> {
    register.proposal_index(reference).map(|i| &register.proposals[i]).map_err(|e| Failure::NotFound(e.to_string()))
}

/// A date as the change register records it: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `unknown` or `today` (the default).
pub(crate) fn fuzzy(text: Option<&str>, today: Date, flag: &str) -> Result<FuzzyDate, Failure> {
    match text {
        None => Ok(FuzzyDate::Day(today)),
        Some(t) if t.eq_ignore_ascii_case("today") => Ok(FuzzyDate::Day(today)),
        Some(t) => FuzzyDate::parse(t).map_err(|e| Failure::Usage(format!("{flag}: {e}"))),
    }
}

fn provision_id(text: &str) -> Result<ProvisionId, Failure> {
    ProvisionId::parse(text).map_err(|e| Failure::Usage(e.to_string()))
}

pub(crate) fn entry_id(text: &str) -> Result<EntryId, Failure> {
    EntryId::parse(text).map_err(|e| Failure::Usage(e.to_string()))
}
