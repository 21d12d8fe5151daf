//! Word documents in: `inforce import-docx` (Sections as one new version, at clause level) and
//! `inforce docx-changes` (a document's tracked changes). Reading the documents is `inforce_formats::docx`;
//! joining them to the register is the text import every other import uses.

use std::path::Path;

use inforce_core::import::{MissingProvisions, SectionPlanError, SectionText, SectionVersion, plan_sections};
use inforce_core::{EntryId, History};
use inforce_formats::docx::{Document, TrackedChange, View};
use inforce_present::wire::{DocxChangesJson, TrackedChangeJson};
use inforce_store::{TextImportRequest, load_register, load_texts};

use super::import::{ImportReport, import_code, publish_and_report, version_details};
use crate::cli::{DocxChangesArgs, ImportDocxArgs, TrackedChanges};
use crate::env::Env;
use crate::failure::Failure;

/// Reads a .docx file; a file that cannot be read as a Word document is a usage error naming it (exit 2).
fn read(path: &Path) -> Result<Document, Failure> {
    read_with_origin(path).map(|(document, _)| document)
}

/// [`read`], with how the file is recorded as a publication's origin ([`crate::args::file_origin`]).
fn read_with_origin(path: &Path) -> Result<(Document, String), Failure> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Failure::NotFound(format!("{name}: cannot be read: {e}")))?;
    let origin = crate::args::file_origin(path, &bytes);
    let document = Document::read(&name, bytes).map_err(|e| Failure::Usage(format!("{e}; nothing was stored")))?;
    Ok((document, origin))
}

/// `inforce docx-changes FILE`: the tracked changes, as `changes.tsv` (text) or JSON.
pub fn changes(env: &Env, args: &DocxChangesArgs) -> Result<(), Failure> {
    let document = read(&args.file)?;
    let changes = document.changes();
    env.out.print_with(
        || DocxChangesJson {
            file: document.file().to_string(),
            changes: changes
                .iter()
                .map(|c| TrackedChangeJson {
                    kind: c.kind.as_str(),
                    author: c.author.clone(),
                    date: c.date.clone(),
                    provision_id: c.provision.clone(),
                    text: c.text.clone(),
                })
                .collect(),
        },
        || TrackedChange::tsv(&changes),
    )
}

/// Reads each file as a Section, with tracked changes handled as `--tracked` says; with each file's origin. A
/// Section's source is its file's name alone: it reaches the version's summary, which is published.
fn read_sections(args: &ImportDocxArgs) -> Result<(Vec<SectionText>, Vec<String>), Failure> {
    let mut sections = Vec::new();
    let mut origins = Vec::new();
    for path in &args.files {
        let (document, origin) = read_with_origin(path)?;
        origins.push(origin);
        let file = document.file().to_string();
        let view = match (document.has_changes(), args.tracked) {
            (true, TrackedChanges::Refuse) => {
                let changes = document.changes();
                let lines: Vec<String> =
                    TrackedChange::tsv(&changes).lines().skip(1).map(|l| format!("  {l}")).collect();
                return Err(Failure::Usage(format!(
                    "{file}: it has {} tracked change(s); refused, nothing was stored. Give --tracked accept to import \
                     it with every change accepted, or --tracked reject to import it as it was before them \
                     (inforce docx-changes {file} lists them):\n  kind\tauthor\tdate\tprovision_id\ttext\n{}",
                    changes.len(),
                    lines.join("\n")
                )));
            }
            (_, TrackedChanges::Reject) => View::Reject,
            _ => View::Accept,
        };
        let mut section = document
            .section(view)
            .and_then(|section| section.texts(&file))
            .map_err(|e| Failure::Usage(format!("{e}; nothing was stored")))?;
        section.source = path.file_name().map_or(file, |name| name.to_string_lossy().into_owned());
        sections.push(section);
    }
    Ok((sections, origins))
}

/// `inforce import-docx FILE… --code C --version V --effective DATE`: each file's Section becomes the version's
/// text of that Section (sub-sections and clauses created where the register lacks them); other Sections carry
/// over. Provisions the register holds under a Section that its document lacks are refused, kept or removed as
/// `--missing` says. All or nothing.
pub async fn import_docx(env: &Env, args: &ImportDocxArgs) -> Result<(), Failure> {
    let code = import_code(env)?;
    let id = EntryId::parse(&args.version).map_err(|e| Failure::Usage(format!("--version: {e}")))?;
    let effective = inforce_core::date::parse_day(&args.effective).ok_or_else(|| {
        Failure::Usage(format!("--effective: '{}' is not a date: expected YYYY-MM-DD", args.effective))
    })?;
    let mut details = version_details(args.instrument.as_deref(), args.made.as_deref(), &args.sources)?;
    let (sections, origins) = read_sections(args)?;
    let store = env.store().await?.as_ref();
    let history = match load_register(store, code, None).await? {
        Some(loaded) => Some(History::with_texts(loaded.register, load_texts(store, code, None).await?)),
        None => None,
    };
    let version = SectionVersion { id: id.clone(), effective, summary: args.summary.clone() };
    let missing = match args.missing {
        crate::cli::MissingProvisions::Refuse => MissingProvisions::Refuse,
        crate::cli::MissingProvisions::Keep => MissingProvisions::Keep,
        crate::cli::MissingProvisions::Removed => MissingProvisions::Removed,
    };
    let plan = plan_sections(history.as_ref(), &sections, version, missing).map_err(|e| match e {
        SectionPlanError::Repeated { .. } => Failure::Usage(format!("{e}; nothing was stored")),
        SectionPlanError::Missing { .. } => Failure::Usage(format!(
            "{e}; refused, nothing was stored. Give --missing keep if the document is partial, or --missing removed \
             to record them as removed by version {id}"
        )),
        SectionPlanError::Refused(_) => Failure::Usage(format!("refused, nothing was stored:\n{e}")),
    })?;
    details.removed.extend(plan.removed.iter().cloned());
    let report = ImportReport {
        renumbered: plan.renumbered.iter().map(|r| (r.from.to_string(), r.to.to_string(), r.similarity)).collect(),
        notes: plan.notes.iter().map(ToString::to_string).collect(),
    };
    let summary = format!("{} Section(s) and {} clauses read", sections.len(), plan.clauses);
    let request = TextImportRequest {
        code,
        import: plan.import(),
        new_bodies: plan.new_bodies.clone(),
        title: args.title.clone(),
        time_zone: None,
        complete_until: crate::commands::import::complete_until(args.complete_until.as_deref())?,
        first_version: args.first_version.map(Into::into),
        new_code_first_version: inforce_core::FirstVersion::Origin,
        details,
        provenance: env.correcting(&format!("docx:{}", origins.join(", ")), &args.correction)?,
        replace: args.correction.replace,
    };
    publish_and_report(env, request, &summary, report).await
}
