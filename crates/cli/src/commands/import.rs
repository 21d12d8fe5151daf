//! Text imports: a whole versioned folder (`inforce import`) or one version from its changes
//! (`inforce import-version`), each joined to the code's register in one publication (`inforce_store::import_texts`).

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;

use inforce_core::import::{TextImport, apply_changes};
use inforce_core::{CodeId, EntryId, History, ProvisionId};
use inforce_formats::folder::{read_delta, read_folder};
use inforce_present::wire::{RenumberedJson, TextImportJson};
use inforce_store::{ImportError, PublishOutcome, TextImportRequest, import_texts, load_register, load_texts};

use crate::cli::{Format, ImportArgs, ImportVersionArgs};
use crate::env::Env;
use crate::failure::Failure;
use crate::kept::KeptFile;
use crate::output::Output;

/// The code an import names: `--code` is required, as texts always say which code they belong to.
pub(crate) fn import_code(env: &Env) -> Result<&CodeId, Failure> {
    if env.code_given {
        Ok(&env.code)
    } else {
        Err(Failure::Usage("give --code: the id of the code these texts belong to (an existing or a new one)".into()))
    }
}

/// `inforce import DIR`: reads a whole versioned folder and joins it to the code's register.
pub async fn import_folder(env: &Env, args: &ImportArgs) -> Result<(), Failure> {
    let code = import_code(env)?;
    let dir = args.dir.as_path();
    if !dir.is_dir() {
        return Err(Failure::NotFound(format!("{}: no such folder", dir.display())));
    }
    let bar = progress_bar(&env.out);
    let folder = read_folder(dir, &mut |done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let folder = folder.map_err(|e| refused(dir, e.problems.len(), &e.to_string()))?;
    let summary = format!("{} versions and {} distinct texts read", folder.versions.len(), folder.bodies.len());
    let request = TextImportRequest {
        code,
        import: TextImport {
            versions: &folder.versions,
            order: &folder.order,
            headings: &folder.headings,
            placements: inforce_core::import::no_placements(),
        },
        new_bodies: folder.bodies,
        title: args.title.clone(),
        time_zone: time_zone(args.time_zone.as_deref())?,
        complete_until: complete_until(args.complete_until.as_deref())?,
        first_version: args.first_version.map(Into::into),
        new_code_first_version: inforce_core::FirstVersion::Baseline,
        details: inforce_store::VersionDetails::default(),
        provenance: env.correcting(&format!("folder:{}", crate::args::folder_origin(dir)?), &args.correction)?,
        replace: args.correction.replace,
    };
    publish_and_report(env, request, &summary, ImportReport::default()).await
}

/// `inforce import-version DIR --version V --effective DATE`: one version from only its changes.
pub async fn import_version(env: &Env, args: &ImportVersionArgs) -> Result<(), Failure> {
    let code = import_code(env)?;
    let dir = args.dir.as_path();
    let id = EntryId::parse(&args.version).map_err(|e| Failure::Usage(format!("--version: {e}")))?;
    let effective = inforce_core::date::parse_day(&args.effective).ok_or_else(|| {
        Failure::Usage(format!("--effective: '{}' is not a date: expected YYYY-MM-DD", args.effective))
    })?;
    let mut delta = read_delta(dir).map_err(|e| refused(dir, e.problems.len(), &e.to_string()))?;
    for text in &args.remove {
        delta.removed.push(ProvisionId::parse(text).map_err(|e| Failure::Usage(format!("--remove: {e}")))?);
    }
    let store = env.store().await?.as_ref();
    let register = load_register(store, code, None).await?.map(|l| l.register);
    let texts = load_texts(store, code, None).await?;
    let Some(register) = register else {
        return Err(Failure::NotFound(format!(
            "no register for code '{code}': import a folder (inforce import) before adding single versions"
        )));
    };
    let history = History::with_texts(register.clone(), texts);
    let label = args.summary.clone().unwrap_or_default();
    let details = version_details(args.instrument.as_deref(), args.made.as_deref(), &args.sources)?;
    let state = apply_changes(&history, id, effective, label, &delta.texts, &delta.removed).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Failure::Usage(format!("{} refused, nothing was stored:\n{}", dir.display(), lines.join("\n")))
    })?;
    let mut order: Vec<ProvisionId> = register.provisions.iter().map(|p| p.id.clone()).collect();
    order
        .extend(delta.texts.iter().map(|(p, _)| p.clone()).filter(|p| !register.provisions.iter().any(|q| &q.id == p)));
    let versions = [state];
    let summary = format!("{} changed and {} removed provisions read", delta.texts.len(), delta.removed.len());
    let request = TextImportRequest {
        code,
        import: TextImport {
            versions: &versions,
            order: &order,
            headings: &delta.headings,
            placements: inforce_core::import::no_placements(),
        },
        new_bodies: delta.bodies,
        title: None,
        time_zone: None,
        complete_until: None,
        first_version: None,
        new_code_first_version: inforce_core::FirstVersion::Origin,
        details,
        provenance: env
            .correcting(&format!("version-folder:{}", crate::args::folder_origin(dir)?), &args.correction)?,
        replace: args.correction.replace,
    };
    publish_and_report(env, request, &summary, ImportReport::default()).await
}

/// What the register records about a version an import adds, from `--instrument`, `--made` and `--source`.
pub(crate) fn version_details(
    instrument: Option<&str>,
    made: Option<&str>,
    sources: &[String],
) -> Result<inforce_store::VersionDetails, Failure> {
    Ok(inforce_store::VersionDetails {
        instrument: instrument
            .map(|text| {
                inforce_core::Instrument::parse(text).ok_or_else(|| {
                    let known: Vec<&str> = inforce_core::Instrument::ALL.iter().map(|i| i.as_str()).collect();
                    Failure::Usage(format!("--instrument: '{text}' is not one of {}", known.join(", ")))
                })
            })
            .transpose()?,
        made: made
            .map(|text| inforce_core::FuzzyDate::parse(text).map_err(|e| Failure::Usage(format!("--made: {e}"))))
            .transpose()?,
        sources: sources.to_vec(),
        removed: Vec::new(),
    })
}

/// What an import found besides what it wrote: likely renumberings and notes, printed after its summary.
#[derive(Default)]
pub(crate) struct ImportReport {
    /// (old number, new number, similarity of wording).
    pub renumbered: Vec<(String, String, f64)>,
    /// Sentences.
    pub notes: Vec<String>,
}

/// Publishes an import, reports what it did (and every discrepancy between texts and change lists), and grows
/// the kept search index by the new wordings.
pub(crate) async fn publish_and_report(
    env: &Env,
    request: TextImportRequest<'_>,
    summary: &str,
    report: ImportReport,
) -> Result<(), Failure> {
    let code = request.code.clone();
    let imported = import_texts(env.store().await?.as_ref(), request).await.map_err(|e| match e {
        ImportError::Refused(_) | ImportError::Replaces { .. } => Failure::Usage(e.to_string()),
        ImportError::Store(e) => e.into(),
    })?;
    let history = &imported.history;
    let discrepancies: Vec<String> = history.discrepancies().iter().map(|d| d.describe()).collect();
    for line in &discrepancies {
        eprintln!("inforce: warning: {line}");
    }
    let publication = match &imported.outcome {
        PublishOutcome::Unchanged => None,
        PublishOutcome::Published(p) => Some((p.id, p.record_count)),
    };
    let renumbered = report
        .renumbered
        .iter()
        .map(|(from, to, similarity)| RenumberedJson { from: from.clone(), to: to.clone(), similarity: *similarity })
        .collect();
    let json =
        TextImportJson::new(&code, publication, &imported.new_versions, imported.new_provisions, discrepancies.clone())
            .with_report(renumbered, report.notes.clone());
    env.out.print(&json, || {
        let mut line = format!("{code}: {summary}; ");
        match &imported.outcome {
            PublishOutcome::Unchanged => line.push_str("already up to date, nothing written"),
            PublishOutcome::Published(p) => {
                let _ = write!(
                    line,
                    "publication {} wrote {} records ({} new versions, {} new provisions)",
                    p.id,
                    p.record_count,
                    imported.new_versions.len(),
                    imported.new_provisions
                );
            }
        }
        if !discrepancies.is_empty() {
            let _ = write!(
                line,
                "\n{} discrepancies between texts and register (listed above; `inforce check`)",
                discrepancies.len()
            );
        }
        if !report.renumbered.is_empty() {
            line.push_str("\nlikely renumbered (by wording; the texts stay recorded by number):");
            for (from, to, similarity) in &report.renumbered {
                let how = if *similarity >= 1.0 {
                    "same wording".to_string()
                } else {
                    format!("{:.0}% alike", similarity * 100.0)
                };
                let _ = write!(line, "\n  {from} -> {to} ({how})");
            }
        }
        for note in &report.notes {
            let _ = write!(line, "\nnote: {note}");
        }
        line
    })?;
    grow_search_index(env, history)
}

/// After an import: the kept search index takes the new wordings (or is built if missing or damaged). A failure
/// here never undoes the import; the next search rebuilds what it needs.
fn grow_search_index(env: &Env, history: &History) -> Result<(), Failure> {
    use inforce_core::derived::DerivedIndex as _;
    use inforce_core::search::SearchIndex;
    let code = &history.register().code.id;
    let path = crate::kept::kept_path(env.db.as_deref(), code, KeptFile::Index(SearchIndex::NAME))?;
    let (_, state) = crate::kept::derived_index::<SearchIndex>(&path, history);
    if let crate::kept::KeptState::Unsaved(reason) = state {
        eprintln!("inforce: the search index was not saved ({reason}); searches will rebuild it");
    }
    Ok(())
}

pub(crate) fn refused(dir: &Path, count: usize, problems: &str) -> Failure {
    let plural = if count == 1 { "problem" } else { "problems" };
    Failure::Usage(format!("{} refused, nothing was stored ({count} {plural}):\n{problems}", dir.display()))
}

fn progress_bar(out: &Output) -> Option<indicatif::ProgressBar> {
    if out.format != Format::Text || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("reading versions {bar:40} {pos}/{len}") {
        bar.set_style(style);
    }
    Some(bar)
}

/// `--time-zone`: an IANA name the bundled time zone database knows.
/// `--complete-until DATE`, checked.
pub(crate) fn complete_until(text: Option<&str>) -> Result<Option<jiff::civil::Date>, Failure> {
    text.map(|text| {
        inforce_core::date::parse_day(text)
            .ok_or_else(|| Failure::Usage(format!("--complete-until: '{text}' is not a date: expected YYYY-MM-DD")))
    })
    .transpose()
}

fn time_zone(name: Option<&str>) -> Result<Option<String>, Failure> {
    let Some(name) = name else { return Ok(None) };
    jiff::tz::TimeZone::get(name).map_err(|_| {
        Failure::Usage(format!(
            "--time-zone: unknown time zone '{name}': give an IANA name such as Europe/London or UTC"
        ))
    })?;
    Ok(Some(name.to_string()))
}
