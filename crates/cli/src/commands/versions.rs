//! Recording a version on the command line: `inforce versions add` (`inforce versions` lists them).

use inforce_core::{Entry, EntryKind, History, Instrument};
use inforce_present::wire::VersionJson;
use inforce_store::publish_edit;

use crate::cli::VersionAddArgs;
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
        // Versions are listed in date order: the new one goes after every entry that takes effect no later.
        let at = next
            .entries
            .iter()
            .position(|e| e.effective.earliest().zip(entry.effective.latest()).is_some_and(|(other, new)| other > new))
            .unwrap_or(next.entries.len());
        next.entries.insert(at, entry.clone());
        checked(next)
    })
    .await?;
    let history = History::new(register);
    let added = history.entry(&id).ok_or_else(|| Failure::NotFound(format!("version '{id}' was not stored")))?;
    let json = VersionJson::new(&history, added, today);
    env.out.print(&json, || format!("Recorded {}.\n", inforce_present::describe::entry_ref(added, today)))
}
