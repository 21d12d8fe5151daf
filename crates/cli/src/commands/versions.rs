//! Recording a version on the command line: `inforce versions add`, and correcting what is recorded about one
//! with `inforce versions update` (`inforce versions` lists them).

use inforce_core::edit::EntryEdit;
use inforce_core::model::{ChangeKind, Completeness};
use inforce_core::{Entry, EntryKind, History, Instrument, ProvisionId};
use inforce_present::wire::VersionJson;
use inforce_store::publish_edit;

use crate::cli::{VersionAddArgs, VersionUpdateArgs};
use crate::commands::corrections::{Edited, list, optional_text, publish_correction};
use crate::commands::proposals::{checked, entry_id, fuzzy};
use crate::env::Env;
use crate::failure::Failure;

/// `inforce versions add ID --effective DATE --instrument KIND …`: records a version without texts, in date
/// order among the others, as one publication; refused, nothing stored, when the id is taken or the register
/// would not be valid.
pub async fn add(env: &Env, args: &VersionAddArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let id = entry_id(&args.id)?;
    let effective = fuzzy(Some(&args.effective), today, "--effective")?;
    // The instrument, when made and sources read as every command that records a version reads them.
    let details =
        crate::commands::import::version_details(Some(&args.instrument), args.made.as_deref(), &args.sources)?;
    let instrument = details.instrument.unwrap_or(Instrument::Unknown);
    let mut entry = Entry::new(id.clone(), EntryKind::Version, effective, instrument);
    if let Some(made) = details.made {
        entry.made = made;
    }
    entry.summary = args.summary.clone().unwrap_or_default();
    entry.sources = details.sources;
    let code = &env.code;
    let store = env.store().await?.as_ref();
    let (_, register) = publish_edit(store, code, &env.provenance(&format!("versions add {id}"))?, &[], |current| {
        let current = current.ok_or_else(|| Failure::NotFound(format!("no register for code '{code}'")))?;
        if current.entries.iter().any(|e| e.id == id) {
            return Err(Failure::Usage(format!("version or event '{id}' is already recorded")));
        }
        let mut next = current.clone();
        next.insert_entry(entry.clone());
        checked(next)
    })
    .await?;
    let history = History::new(register);
    let added = history.entry(&id).ok_or_else(|| Failure::NotFound(format!("version '{id}' was not stored")))?;
    let json = VersionJson::new(&history, added, today);
    env.out.print(&json, || format!("Recorded {}.\n", inforce_present::describe::entry_ref(added, today)))
}

/// `inforce versions update ID …`: corrects what is recorded about a version or event (each option given
/// replaces its field) as one publication (`Register::edit_entry`); a change to a recorded value needs `--reason`.
pub async fn update(env: &Env, args: &VersionUpdateArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let id = entry_id(&args.id)?;
    let date = |text: &Option<String>, flag: &str| text.as_deref().map(|t| fuzzy(Some(t), today, flag)).transpose();
    let ids = |values: &[String]| -> Result<Vec<ProvisionId>, Failure> {
        list(values).iter().map(|v| ProvisionId::parse(v).map_err(|e| Failure::Usage(e.to_string()))).collect()
    };
    let given = [
        (ChangeKind::Added, &args.added),
        (ChangeKind::Amended, &args.amended),
        (ChangeKind::Removed, &args.removed),
        (ChangeKind::Activated, &args.activated),
        (ChangeKind::Deactivated, &args.deactivated),
    ];
    let mut lists = Vec::new();
    for (kind, values) in given {
        if let Some(values) = values {
            lists.push((kind, ids(values)?));
        }
    }
    let edit = EntryEdit {
        title: args.title.as_deref().map(optional_text),
        effective: date(&args.effective, "--effective")?,
        made: date(&args.made, "--made")?,
        instrument: crate::commands::import::version_details(args.instrument.as_deref(), None, &[])?.instrument,
        summary: args.summary.as_ref().map(|s| s.trim().to_string()),
        lists,
        completeness: args.completeness.iter().map(|given| completeness(given)).collect::<Result<_, _>>()?,
        sources: args.sourced.sources.as_deref().map(list),
        confidence: args.sourced.confidence.as_deref().map(optional_text),
        notes: args.sourced.notes.as_deref().map(list),
    };
    let (_, register) = publish_correction(env, &format!("versions update {id}"), &args.reason, |current| {
        let mut register = current.clone();
        let corrected = register.edit_entry(&id, &edit).map_err(|e| Failure::NotFound(e.to_string()))?;
        let what = register.entries.iter().find(|e| e.id == id).map_or_else(|| id.to_string(), |e| e.label());
        Ok(Edited { register, corrected, what })
    })
    .await?;
    let history = env.with_corrections(History::new(register)).await?;
    let updated = history.entry(&id).ok_or_else(|| Failure::NotFound(format!("version '{id}' was not stored")))?;
    let json = VersionJson::new(&history, updated, today);
    env.out.print(&json, || format!("Recorded {}.\n", inforce_present::describe::entry_ref(updated, today)))
}

/// `LIST=complete|partial|unlisted` (`amended=partial`).
fn completeness(given: &str) -> Result<(ChangeKind, Completeness), Failure> {
    let usage = || {
        Failure::Usage(format!(
            "--completeness: '{given}' is not LIST=WORD, LIST one of added, amended, removed, activated, deactivated \
             and WORD one of complete, partial, unlisted"
        ))
    };
    let (list, word) = given.split_once('=').ok_or_else(usage)?;
    let kind = ChangeKind::ALL.into_iter().find(|k| k.as_str() == list.trim()).ok_or_else(usage)?;
    let how = match word.trim() {
        "complete" => Completeness::Complete,
        "partial" => Completeness::Partial,
        "unlisted" => Completeness::Unlisted,
        _ => return Err(usage()),
    };
    Ok((kind, how))
}
