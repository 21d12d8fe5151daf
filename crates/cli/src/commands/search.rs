//! `inforce search`: full-text search over every version, grouped by provision, with the periods each matching
//! wording was in force.

use std::fmt::Write as _;

use inforce_core::ProvisionId;
use inforce_core::derived::DerivedIndex as _;
use inforce_core::search::{Scope, SearchIndex, parse};
use inforce_present::wire::{ReindexedJson, SearchAsked, SearchJson};

use crate::args::cut;
use crate::cli::SearchArgs;
use crate::env::Env;
use crate::failure::Failure;
use crate::kept::{KeptFile, derived_index, keep_index, kept_path};

/// `inforce search QUERY`: runs a search and prints the page asked for.
pub async fn search(env: &Env, args: &SearchArgs) -> Result<(), Failure> {
    let (today, out) = (env.today().await?, &env.out);
    let query = parse(&args.query).map_err(|e| Failure::Usage(format!("query {e}")))?;
    if args.page == 0 || args.per_page == 0 || args.per_page > 100 {
        return Err(Failure::Usage("--page starts at 1 and --per-page is between 1 and 100".into()));
    }
    let history = &env.history_with_texts().await?;
    // The index kept beside the database serves the register as it stands; an as-recorded question builds its
    // own.
    let index = match env.as_recorded {
        None => {
            derived_index::<SearchIndex>(
                &kept_path(env.db.as_deref(), &env.code, KeptFile::Index(SearchIndex::NAME))?,
                history,
            )
            .0
        }
        Some(_) => SearchIndex::build(history),
    };
    let within = args
        .within
        .as_deref()
        .map(|w| {
            let id = ProvisionId::parse(w).map_err(|e| Failure::Usage(format!("--within: {e}")))?;
            history.provision(&id).map(|_| id.clone()).ok_or_else(|| {
                Failure::NotFound(format!("--within: the {} has no provision '{id}'", history.register().code.id))
            })
        })
        .transpose()?;
    let at = (!args.all_versions).then(|| cut(history, &args.point, today)).transpose()?;
    let scope = at.map_or(Scope::AllVersions, Scope::At);
    let hits = index.search(history, &query, scope, within.as_ref());
    let asked = SearchAsked {
        query: &args.query,
        scope: if args.all_versions { "all_versions" } else { "at" },
        date: at.map(|c| c.date),
        version: at.and_then(|c| c.entry.map(|(e, _)| e.id.to_string())),
        within: within.as_ref().map(ToString::to_string),
        page: args.page,
        per_page: args.per_page,
    };
    let json = SearchJson::new(history, &hits, &asked, today);
    out.print(&json, || {
        let scope = match (&at, &asked.version) {
            (None, _) => "in any version".to_string(),
            (Some(_), Some(version)) => format!("in version {version}"),
            (Some(c), None) => format!("on {}", inforce_core::date::human_date(c.date)),
        };
        if let Some(note) = at.and_then(|c| inforce_present::describe::before_record(history, c.date, today)) {
            return format!("{note}\n");
        }
        let pages = hits.len().div_ceil(args.per_page).max(1);
        let mut text = format!(
            "{} {} {:?} {scope} (page {} of {pages})\n",
            hits.len(),
            if hits.len() == 1 { "provision matches" } else { "provisions match" },
            args.query,
            args.page
        );
        for hit in hits.iter().skip((args.page - 1) * args.per_page).take(args.per_page) {
            let heading = hit.heading();
            let _ = writeln!(
                text,
                "\n{}  {heading}{}",
                hit.provision.id,
                if hit.heading_match { "  [heading]" } else { "" }
            );
            for wording in &hit.wordings {
                for period in &wording.periods {
                    let until = period
                        .until
                        .map_or_else(|| "now".to_string(), |e| format!("{} ({})", e.label(), e.effective.human()));
                    let _ = writeln!(
                        text,
                        "  in force from {} ({}) until {until}",
                        period.from.label(),
                        period.from.effective.human()
                    );
                }
                let snippet: String = inforce_core::search::snippet(&wording.text, &wording.matches(), 160)
                    .into_iter()
                    .map(|(t, matched)| if matched { format!("[{t}]") } else { t })
                    .collect();
                let _ = writeln!(text, "    {snippet}");
            }
        }
        text
    })
}

/// `inforce reindex`: builds the index afresh and keeps it.
pub async fn reindex(env: &Env) -> Result<(), Failure> {
    let out = &env.out;
    let history = &env.current_history_with_texts().await?;
    let path = &kept_path(env.db.as_deref(), &env.code, KeptFile::Index(SearchIndex::NAME))?;
    let started = std::time::Instant::now();
    let index = SearchIndex::build(history);
    let took = started.elapsed();
    keep_index(path, &index)
        .map_err(|e| Failure::Environment(format!("{}: cannot save the search index: {e}", path.display())))?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let json = ReindexedJson::new(
        &history.register().code.id,
        &path.display().to_string(),
        index.wording_count(),
        index.word_count(),
        bytes,
        (took.as_secs_f64() * 1000.0).round(),
    );
    out.print(&json, || {
        format!(
            "indexed {} wordings ({} distinct words) of {} in {:.0} ms; kept in {} ({bytes} bytes)\n",
            index.wording_count(),
            index.word_count(),
            history.register().code.id,
            took.as_secs_f64() * 1000.0,
            path.display()
        )
    })
}
