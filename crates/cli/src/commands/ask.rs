//! Questions about the register: versions, the code on a date, a provision's status and history, the timeline,
//! consultations, the codes and publications in the database.

use inforce_present::plain;
use inforce_present::wire::{
    AtJson, CodeListJson, ConsultationsJson, ProvisionHistoryJson, PublicationJson, PublicationsJson, StatusJson,
    TimelineJson, VersionsJson,
};
use inforce_store::Publication;

use crate::args::{date, no_such_provision, provision_id};
use crate::cli::{AtArgs, HistoryArgs, StatusArgs, TimelineArgs};
use crate::env::Env;
use crate::failure::Failure;

/// `inforce versions`
pub async fn versions(env: &Env) -> Result<(), Failure> {
    let today = env.today().await?;
    // With texts: a version recorded from texts lists what they show it changed.
    let history = env.with_corrections(env.history_with_texts().await?).await?;
    env.out.print(&VersionsJson::new(&history, today), || plain::versions(&history, today))
}

/// `inforce at DATE`
pub async fn at(env: &Env, args: &AtArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let day = date(&args.date, today)?;
    // With texts: the version in force lists what its texts show it changed, as on every face.
    let history = env.history_with_texts().await?;
    // Every provision's status is a large answer: its JSON is built only when JSON is asked for.
    env.out.print_with(|| AtJson::new(&history, day, today), || plain::at(&history, day, today))
}

/// `inforce status PROVISION [--at DATE]`
pub async fn status(env: &Env, args: &StatusArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let day = args.at.as_deref().map(|d| date(d, today)).transpose()?.unwrap_or(today);
    let history = env.history().await?;
    let id = provision_id(&history, &args.provision)?;
    let answer = history.status(&id, day).ok_or_else(|| no_such_provision(&history, &id))?;
    env.out.print(&StatusJson::new(&history, &answer, day, today), || plain::status(&history, &answer, today))
}

/// `inforce history PROVISION`
pub async fn history(env: &Env, args: &HistoryArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let history = env.history_with_texts().await?;
    let id = provision_id(&history, &args.provision)?;
    let provision = history.provision(&id).ok_or_else(|| no_such_provision(&history, &id))?;
    env.out.print(&ProvisionHistoryJson::new(&history, provision, today), || {
        let mut page = plain::provision_history(provision, &history.provision_history(&id), today);
        page.push_str(&plain::wording_history(&history.text_history(&id), history.has_texts(), today));
        page
    })
}

/// `inforce timeline [--from DATE] [--to DATE]`
pub async fn timeline(env: &Env, args: &TimelineArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let from = args.from.as_deref().map(|d| date(d, today)).transpose()?;
    let to = args.to.as_deref().map(|d| date(d, today)).transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(Failure::Usage(format!("--from {from} is after --to {to}")));
    }
    let history = env.history_with_texts().await?;
    let json = TimelineJson::new(&history, from, to, today);
    env.out.print(&json, || plain::timeline(&history, from, to, today))
}

/// `inforce consultations`
pub async fn consultations(env: &Env) -> Result<(), Failure> {
    let today = env.today().await?;
    let history = env.history().await?;
    let consultations = &history.register().consultations;
    env.out
        .print(&ConsultationsJson::new(&history, consultations, today), || plain::consultations(consultations, today))
}

/// `inforce codes`
pub async fn codes(env: &Env) -> Result<(), Failure> {
    let codes = env.store().await?.codes().await?;
    env.out.print(&CodeListJson::new(&codes), || codes.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
}

/// `inforce publications`
pub async fn publications(env: &Env) -> Result<(), Failure> {
    let publications = env.store().await?.publications(&env.code).await?;
    let rows = publications.iter().map(|p| PublicationJson::new(p.facts())).collect();
    env.out.print(&PublicationsJson::new(&env.code, rows), || publications_text(&publications))
}

/// `inforce audit [--by NAME] [--from DATE] [--to DATE]`: every write of every code (or of the one --code names)
/// that the filter admits, oldest first within each code.
pub async fn audit(env: &Env, args: &crate::cli::AuditArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let day = |text: &Option<String>, flag: &str| {
        text.as_deref()
            .map(|t| crate::args::date(t, today).map_err(|e| Failure::Usage(format!("{flag}: {}", e.message()))))
            .transpose()
    };
    let filter = inforce_core::ledger::AuditFilter {
        by: args.by.clone(),
        from: day(&args.from, "--from")?,
        to: day(&args.to, "--to")?,
    };
    let store = env.store().await?;
    let codes = if env.code_given { vec![env.code.clone()] } else { store.codes().await? };
    let mut writes = Vec::new();
    for code in &codes {
        for publication in store.publications(code).await? {
            if filter.admits(&publication.facts()) {
                writes.push(publication);
            }
        }
    }
    let rows = writes.iter().map(|p| (p.code.to_string(), PublicationJson::new(p.facts()))).collect();
    env.out.print(&inforce_present::wire::AuditJson::new(&filter, rows), || {
        let mut out = String::new();
        for p in &writes {
            let author = if p.author.is_empty() { "(author not recorded)" } else { p.author.as_str() };
            let base = p.base.map_or_else(|| "no base".to_string(), |b| format!("on {b}"));
            out.push_str(&format!("{} {:>4}  {}  by {author}  ({base})\n", p.code, p.id, p.recorded_at));
            if !p.command.is_empty() {
                out.push_str(&format!("      inforce {}\n", p.command));
            }
            if let Some(reason) = &p.reason {
                out.push_str(&format!("      because: {reason}\n"));
            }
        }
        if writes.is_empty() {
            out.push_str("No writes match.\n");
        }
        out
    })
}

/// Publications with their record times, authors and commands.
fn publications_text(publications: &[Publication]) -> String {
    let mut out = String::new();
    for p in publications {
        let author = if p.author.is_empty() { "(author not recorded)" } else { p.author.as_str() };
        out.push_str(&format!(
            "{:>4}  {}  {:>5} records  {}  by {author}\n",
            p.id, p.recorded_at, p.record_count, p.origin
        ));
        if !p.command.is_empty() {
            out.push_str(&format!("      inforce {}\n", p.command));
        }
        if let Some(reason) = &p.reason {
            out.push_str(&format!("      a correction: {reason}\n"));
        }
    }
    if publications.is_empty() {
        out.push_str("No publications recorded for this code.\n");
    }
    out
}
