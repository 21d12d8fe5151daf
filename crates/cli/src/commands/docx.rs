//! Word documents in: `inforce import-docx` (Sections as one new version, at clause level) and
//! `inforce docx-changes` (a document's tracked changes). Reading the documents is `inforce_formats::docx`;
//! joining them to the register is the text import every other import uses.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use inforce_core::import::{Placement, TextImport, VersionTexts, apply_changes};
use inforce_core::point::Cut;
use inforce_core::renumber::likely_renumberings;
use inforce_core::text::{TextHash, normalise};
use inforce_core::{EntryId, History, ProvisionId, ProvisionKind, Register, Status};
use inforce_formats::docx::{Document, Section, TrackedChange, View};
use inforce_present::wire::{DocxChangesJson, TrackedChangeJson};
use inforce_store::{TextImportRequest, load_register, load_texts};

use super::import::{ImportReport, import_code, publish_and_report, version_details};
use crate::cli::{DocxChangesArgs, ImportDocxArgs, MissingProvisions, TrackedChanges};
use crate::env::Env;
use crate::failure::Failure;

/// Reads a .docx file; a file that cannot be read as a Word document is a usage error naming it (exit 2).
fn read(path: &Path) -> Result<Document, Failure> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Failure::NotFound(format!("{name}: cannot be read: {e}")))?;
    Document::read(&name, bytes).map_err(|e| Failure::Usage(format!("{e}; nothing was stored")))
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

/// A Section read from its file, ready to import.
struct Imported {
    file: String,
    section: Section,
    /// The Section's id, its sub-sections' and its clauses', parsed.
    id: ProvisionId,
    subsections: Vec<ProvisionId>,
    clauses: Vec<(ProvisionId, TextHash, Arc<str>)>,
}

/// Parses a number from a document as a provision id, naming the file when it is not one.
fn provision_id(file: &str, text: &str) -> Result<ProvisionId, Failure> {
    ProvisionId::parse(text).map_err(|e| Failure::Usage(format!("{file}: '{text}' cannot be a provision id ({e})")))
}

/// Reads each file as a Section, with tracked changes handled as `--tracked` says.
fn read_sections(args: &ImportDocxArgs) -> Result<Vec<Imported>, Failure> {
    let mut sections: Vec<Imported> = Vec::new();
    for path in &args.files {
        let document = read(path)?;
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
        let section = document.section(view).map_err(|e| Failure::Usage(format!("{e}; nothing was stored")))?;
        if let Some(other) = sections.iter().find(|s| s.section.id == section.id) {
            return Err(Failure::Usage(format!(
                "{file} and {} both hold Section {}: give each Section once; nothing was stored",
                other.file, section.id
            )));
        }
        let id = provision_id(&file, &section.id)?;
        let subsections = section.subsections.iter().map(|s| provision_id(&file, &s.id)).collect::<Result<_, _>>()?;
        let clauses = section
            .clauses
            .iter()
            .map(|c| {
                let text = normalise(&c.text);
                Ok((provision_id(&file, &c.id)?, TextHash::of(&text), Arc::from(text)))
            })
            .collect::<Result<_, Failure>>()?;
        sections.push(Imported { file, section, id, subsections, clauses });
    }
    Ok(sections)
}

/// Every provision under `ancestor` in the register (not itself).
fn under(register: &Register, ancestor: &ProvisionId) -> HashSet<ProvisionId> {
    let mut found: HashSet<ProvisionId> = HashSet::new();
    // Parents come before their parts in a valid register, but do not rely on it: repeat until nothing is added.
    loop {
        let before = found.len();
        for p in &register.provisions {
            if let Some(parent) = &p.parent
                && (parent == ancestor || found.contains(parent))
            {
                found.insert(p.id.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// Titles compared as people read them: case and runs of white space aside.
fn same_title(a: &str, b: &str) -> bool {
    let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    words(a) == words(b)
}

/// `inforce import-docx FILE… --code C --version V --effective DATE`: each file's Section becomes the version's
/// text of that Section (sub-sections and clauses created where the register lacks them); other Sections carry
/// over. Provisions the register holds under a Section that its document lacks are refused, kept or removed as
/// `--missing` says. All or nothing.
pub async fn import_docx(env: &Env, args: &ImportDocxArgs) -> Result<(), Failure> {
    let code = import_code(env)?;
    let version = EntryId::parse(&args.version).map_err(|e| Failure::Usage(format!("--version: {e}")))?;
    let effective = inforce_core::date::parse_day(&args.effective).ok_or_else(|| {
        Failure::Usage(format!("--effective: '{}' is not a date: expected YYYY-MM-DD", args.effective))
    })?;
    let mut details = version_details(args.instrument.as_deref(), args.made.as_deref(), &args.sources)?;
    let sections = read_sections(args)?;
    let store = env.store().await?.as_ref();
    let register = load_register(store, code, None).await?.map(|l| l.register);
    let texts = load_texts(store, code, None).await?;

    let mut order = Vec::new();
    let mut headings = HashMap::new();
    let mut placements = HashMap::new();
    let mut new_bodies = HashMap::new();
    let mut changed = Vec::new();
    let mut report = ImportReport::default();
    for imported in &sections {
        let section = &imported.section;
        order.push(imported.id.clone());
        headings.insert(imported.id.clone(), section.title.clone());
        placements.insert(imported.id.clone(), Placement { parent: None, kind: ProvisionKind::Section });
        for (sub, id) in section.subsections.iter().zip(&imported.subsections) {
            order.push(id.clone());
            headings.insert(id.clone(), sub.title.clone());
            placements
                .insert(id.clone(), Placement { parent: Some(imported.id.clone()), kind: ProvisionKind::Subsection });
        }
        for (clause, (id, hash, text)) in section.clauses.iter().zip(&imported.clauses) {
            order.push(id.clone());
            if let Some(heading) = &clause.heading {
                headings.insert(id.clone(), heading.clone());
            }
            let parent = provision_id(&imported.file, &clause.parent)?;
            placements.insert(id.clone(), Placement { parent: Some(parent), kind: ProvisionKind::Paragraph });
            new_bodies.insert(*hash, text.clone());
            changed.push((id.clone(), *hash));
        }
        if !section.outside.is_empty() {
            report.notes.push(format!(
                "{}: {} paragraph(s) belong to no clause and were not imported (first: '{}')",
                imported.file,
                section.outside.len(),
                section.outside[0]
            ));
        }
    }
    let label = args.summary.clone().unwrap_or_else(|| {
        let files: Vec<&str> = sections.iter().map(|s| s.file.as_str()).collect();
        let ids: Vec<&str> = sections.iter().map(|s| s.section.id.as_str()).collect();
        format!("The text of Section {} imported from {}.", ids.join(", "), files.join(", "))
    });

    let versions = match &register {
        None => vec![VersionTexts { id: version.clone(), effective, label, texts: changed }],
        Some(register) => {
            let history = History::with_texts(register.clone(), texts);
            let cut = Cut { date: effective, entry: None };
            let before: HashMap<ProvisionId, &str> = history
                .texts_at_without(&cut, &version)
                .into_iter()
                .filter_map(|(p, at)| at.text.map(|text| (p.id.clone(), text)))
                .collect();
            let mut removed_texts = Vec::new();
            for imported in &sections {
                let ids: HashSet<&ProvisionId> =
                    imported.subsections.iter().chain(imported.clauses.iter().map(|(id, ..)| id)).collect();
                let under_section = under(register, &imported.id);
                let missing: Vec<ProvisionId> = register
                    .provisions
                    .iter()
                    .filter(|p| !ids.contains(&p.id) && under_section.contains(&p.id))
                    .filter(|p| {
                        let status = history.status(&p.id, effective).map(|s| s.status);
                        !matches!(status, Some(Status::Removed | Status::NotYetAdded)) || before.contains_key(&p.id)
                    })
                    .map(|p| p.id.clone())
                    .collect();
                if !missing.is_empty() {
                    match args.missing {
                        MissingProvisions::Refuse => {
                            let list: Vec<&str> = missing.iter().map(ProvisionId::as_str).collect();
                            return Err(Failure::Usage(format!(
                                "{}: the register holds {} provision(s) under Section {} that the document lacks: {}; \
                                 refused, nothing was stored. Give --missing keep if the document is partial, or \
                                 --missing removed to record them as removed by version {version}",
                                imported.file,
                                missing.len(),
                                imported.id,
                                list.join(", ")
                            )));
                        }
                        MissingProvisions::Keep => report.notes.push(format!(
                            "{}: {} provision(s) under Section {} that the document lacks were kept as they are",
                            imported.file,
                            missing.len(),
                            imported.id
                        )),
                        MissingProvisions::Removed => {
                            for id in missing {
                                if before.contains_key(&id) {
                                    removed_texts.push(id);
                                } else {
                                    details.removed.push(id);
                                }
                            }
                        }
                    }
                }
                title_differences(register, imported, &mut report.notes);
                renumberings(&history, &before, imported, &under_section, &mut report);
            }
            let state = apply_changes(&history, version.clone(), effective, label, &changed, &removed_texts).map_err(
                |problems| {
                    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                    Failure::Usage(format!("refused, nothing was stored:\n{}", lines.join("\n")))
                },
            )?;
            let mut full: Vec<ProvisionId> = register.provisions.iter().map(|p| p.id.clone()).collect();
            let known: HashSet<ProvisionId> = full.iter().cloned().collect();
            full.extend(order.into_iter().filter(|id| !known.contains(id)));
            order = full;
            vec![state]
        }
    };
    let clauses: usize = sections.iter().map(|s| s.clauses.len()).sum();
    let files: Vec<&str> = sections.iter().map(|s| s.file.as_str()).collect();
    let summary = format!("{} Section(s) and {clauses} clauses read", sections.len());
    let request = TextImportRequest {
        code,
        import: TextImport { versions: &versions, order: &order, headings: &headings, placements: &placements },
        new_bodies,
        title: args.title.clone(),
        time_zone: None,
        details,
        provenance: env.provenance(&format!("docx:{}", files.join(",")))?,
    };
    publish_and_report(env, request, &summary, report).await
}

/// A note for each sub-section (and the Section) whose title in the register differs from the document's: the
/// register's title is kept.
fn title_differences(register: &Register, imported: &Imported, notes: &mut Vec<String>) {
    let section = &imported.section;
    let titled = std::iter::once((&imported.id, section.title.as_str()))
        .chain(imported.subsections.iter().zip(section.subsections.iter().map(|s| s.title.as_str())));
    for (id, title) in titled {
        if let Some(kept) = register.provisions.iter().find(|p| &p.id == id).and_then(|p| p.title.as_deref())
            && !same_title(kept, title)
        {
            notes.push(format!("{id}: the register's title '{kept}' is kept; the document says '{title}'"));
        }
    }
}

/// The likely renumberings from the Section's clauses before the import to the document's.
fn renumberings(
    history: &History,
    before: &HashMap<ProvisionId, &str>,
    imported: &Imported,
    under_section: &HashSet<ProvisionId>,
    report: &mut ImportReport,
) {
    let old: Vec<(ProvisionId, &str)> = history
        .register()
        .provisions
        .iter()
        .filter(|p| under_section.contains(&p.id))
        .filter_map(|p| Some((p.id.clone(), *before.get(&p.id)?)))
        .collect();
    let new: Vec<(ProvisionId, &str)> = imported.clauses.iter().map(|(id, _, text)| (id.clone(), &**text)).collect();
    for found in likely_renumberings(&old, &new) {
        report.renumbered.push((found.from.to_string(), found.to.to_string(), found.similarity));
    }
}
