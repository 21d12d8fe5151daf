//! Recording a version on the command line: `inforce versions add`, and correcting what is recorded about one
//! with `inforce versions update` (`inforce versions` lists them).

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
        insert_in_date_order(&mut next.entries, entry.clone());
        checked(next)
    })
    .await?;
    let history = History::new(register);
    let added = history.entry(&id).ok_or_else(|| Failure::NotFound(format!("version '{id}' was not stored")))?;
    let json = VersionJson::new(&history, added, today);
    env.out.print(&json, || format!("Recorded {}.\n", inforce_present::describe::entry_ref(added, today)))
}

/// Versions are listed in date order: `entry` goes after every entry that takes effect no later.
fn insert_in_date_order(entries: &mut Vec<Entry>, entry: Entry) {
    let at = entries
        .iter()
        .position(|e| e.effective.earliest().zip(entry.effective.latest()).is_some_and(|(other, new)| other > new))
        .unwrap_or(entries.len());
    entries.insert(at, entry);
}

/// `inforce versions update ID …`: corrects what is recorded about a version or event (each option given
/// replaces its field) as one publication; a change to a recorded value needs `--reason`.
pub async fn update(env: &Env, args: &VersionUpdateArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let id = entry_id(&args.id)?;
    let date = |text: &Option<String>, flag: &str| text.as_deref().map(|t| fuzzy(Some(t), today, flag)).transpose();
    let (effective, made) = (date(&args.effective, "--effective")?, date(&args.made, "--made")?);
    let instrument = crate::commands::import::version_details(args.instrument.as_deref(), None, &[])?.instrument;
    let ids = |values: &Option<Vec<String>>| -> Result<Option<Vec<ProvisionId>>, Failure> {
        values
            .as_ref()
            .map(|values| {
                list(values).iter().map(|v| ProvisionId::parse(v).map_err(|e| Failure::Usage(e.to_string()))).collect()
            })
            .transpose()
    };
    let lists = [
        (ChangeKind::Added, ids(&args.added)?),
        (ChangeKind::Amended, ids(&args.amended)?),
        (ChangeKind::Removed, ids(&args.removed)?),
        (ChangeKind::Activated, ids(&args.activated)?),
        (ChangeKind::Deactivated, ids(&args.deactivated)?),
    ];
    let completeness = args.completeness.iter().map(|given| completeness(given)).collect::<Result<Vec<_>, _>>()?;
    let (_, register) = publish_correction(env, &format!("versions update {id}"), &args.reason, |current| {
        let index = current
            .entries
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(|| Failure::NotFound(format!("no version or event '{id}' is recorded")))?;
        let before = &current.entries[index];
        let mut entry = before.clone();
        if let Some(title) = &args.title {
            entry.title = optional_text(title);
        }
        entry.effective = effective.unwrap_or(entry.effective);
        entry.made = made.unwrap_or(entry.made);
        entry.instrument = instrument.unwrap_or(entry.instrument);
        if let Some(summary) = &args.summary {
            entry.summary = summary.trim().to_string();
        }
        for (kind, listed) in &lists {
            if let Some(listed) = listed {
                entry.changes_mut(*kind).listed = listed.clone();
            }
        }
        for (kind, how) in &completeness {
            entry.changes_mut(*kind).completeness = how.clone();
        }
        if let Some(sources) = &args.sources {
            entry.sources = list(sources);
        }
        if let Some(confidence) = &args.confidence {
            entry.confidence = optional_text(confidence);
        }
        if let Some(notes) = &args.notes {
            entry.notes = list(notes);
        }
        let corrected = inforce_core::correction::entry(before, &entry);
        let what = entry.label();
        let mut register = current.clone();
        if entry.effective == before.effective {
            register.entries[index] = entry;
        } else {
            register.entries.remove(index);
            insert_in_date_order(&mut register.entries, entry);
        }
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
