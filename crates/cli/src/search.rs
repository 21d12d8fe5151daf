//! `inforce search`: full-text search over every version, grouped by provision, with the periods each matching
//! wording was in force.

use std::fmt::Write as _;

use inforce_core::search::{Scope, parse};
use inforce_core::{History, ProvisionId};
use inforce_web::wire::{SearchAsked, search_json};
use jiff::civil::Date;

use crate::commands::Output;
use crate::texts::cut;
use crate::{Failure, PointArgs};

/// What `inforce search` was asked.
pub struct SearchArgs<'a> {
    pub query: &'a str,
    pub point: &'a PointArgs,
    pub all_versions: bool,
    pub within: Option<&'a str>,
    pub page: usize,
    pub per_page: usize,
}

/// Runs a search and prints the page asked for.
pub fn search(history: &History, args: &SearchArgs<'_>, today: Date, out: &Output) -> Result<(), Failure> {
    let query = parse(args.query).map_err(|e| Failure::Usage(format!("query {e}")))?;
    if args.page == 0 || args.per_page == 0 || args.per_page > 100 {
        return Err(Failure::Usage("--page starts at 1 and --per-page is between 1 and 100".into()));
    }
    let within = args
        .within
        .map(|w| {
            let id = ProvisionId::parse(w).map_err(|e| Failure::Usage(format!("--within: {e}")))?;
            history.provision(&id).map(|_| id.clone()).ok_or_else(|| {
                Failure::NotFound(format!("--within: the {} has no provision '{id}'", history.register().code.id))
            })
        })
        .transpose()?;
    let at = (!args.all_versions).then(|| cut(history, args.point, today)).transpose()?;
    let scope = at.map_or(Scope::AllVersions, Scope::At);
    let hits = history.search_index().search(history, &query, scope, within.as_ref());
    let asked = SearchAsked {
        query: args.query,
        scope: if args.all_versions { "all_versions" } else { "at" },
        date: at.map(|c| c.date),
        version: at.and_then(|c| c.entry.map(|(e, _)| e.id.to_string())),
        within: within.as_ref().map(ToString::to_string),
        page: args.page,
        per_page: args.per_page,
    };
    let json = search_json(history, &hits, &asked, today);
    out.print(&json, || {
        let scope = match (&at, &asked.version) {
            (None, _) => "in any version".to_string(),
            (Some(_), Some(version)) => format!("in version {version}"),
            (Some(c), None) => format!("on {}", inforce_core::date::human_date(c.date)),
        };
        let pages = hits.len().div_ceil(args.per_page).max(1);
        let mut text = format!(
            "{} {} {:?} {scope} (page {} of {pages})\n",
            hits.len(),
            if hits.len() == 1 { "provision matches" } else { "provisions match" },
            args.query,
            args.page
        );
        for hit in hits.iter().skip((args.page - 1) * args.per_page).take(args.per_page) {
            let heading = hit.wordings.first().map_or("", |w| match w.kind {
                inforce_core::search::WordingKind::Text => inforce_core::text::heading(w.text),
                inforce_core::search::WordingKind::Title => hit.provision.title.as_deref().unwrap_or(""),
            });
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
                let snippet: String = inforce_core::search::snippet(wording.text, &wording.matches(), 160)
                    .into_iter()
                    .map(|(t, matched)| if matched { format!("[{t}]") } else { t })
                    .collect();
                let _ = writeln!(text, "    {snippet}");
            }
        }
        text
    })
}
