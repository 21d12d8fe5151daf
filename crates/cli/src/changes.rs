//! The change register on the command line: modification proposals (`inforce mod …`), consultations
//! (`inforce consultation …`) and planned changes (`inforce planned`). Writes re-read the register and apply the
//! change to it, so two people editing different records at once both keep their edits.

use std::fmt::Write as _;

use clap::Subcommand;
use inforce_core::change::{FilterError, Process, Proposal, ProposalFilter, StageChange, Step};
use inforce_core::document::{Attachment, Document};
use inforce_core::{Consultation, EntryId, FuzzyDate, History, ProvisionId, Register, validate};
use inforce_present::describe::planned_tie;
use inforce_present::wire::{
    ConsultationJson, ConsultationShowJson, DocumentJson, DocumentsJson, PlannedListJson, ProposalJson, ProposalsJson,
};
use inforce_store::{PublishOutcome, Store, publish_edit};
use jiff::civil::Date;

use crate::Failure;
use crate::commands::{Output, parse_date};

/// What the code administrator records about a proposal in words, the same for `mod new` and `mod update`.
#[derive(clap::Args)]
pub struct Recorded {
    /// Who raised it.
    #[arg(long)]
    proposer: Option<String>,
    /// The analyst leading it.
    #[arg(long)]
    lead_analyst: Option<String>,
    /// The problem, in brief.
    #[arg(long)]
    issue: Option<String>,
    /// The solution, in brief.
    #[arg(long)]
    solution: Option<String>,
    /// The release it is aimed at.
    #[arg(long)]
    target_release: Option<String>,
}

impl Recorded {
    /// Each field of a proposal this sets, with the value given (`None`: not given).
    fn fields<'a>(&'a self, p: &'a mut Proposal) -> [(&'a mut Option<String>, &'a Option<String>); 5] {
        [
            (&mut p.proposer, &self.proposer),
            (&mut p.lead_analyst, &self.lead_analyst),
            (&mut p.issue, &self.issue),
            (&mut p.solution, &self.solution),
            (&mut p.target_release, &self.target_release),
        ]
    }
}

/// `inforce mod …`
#[derive(Subcommand)]
pub enum ModCommand {
    /// Raise a proposal at one of the process's starting stages (checked, then stored).
    New {
        /// Its reference, such as MP301 or DP301.
        reference: String,
        /// Its title.
        #[arg(long)]
        title: String,
        /// When it was raised: YYYY-MM-DD, YYYY-MM, YYYY or unknown (default: today).
        #[arg(long)]
        raised: Option<String>,
        /// The stage it starts at (default: the process's first starting stage).
        #[arg(long)]
        stage: Option<String>,
        /// The path it follows (an id of the process's paths, such as 3).
        #[arg(long)]
        path: Option<String>,
        /// A flag it carries (such as fast-track); repeat for several.
        #[arg(long = "flag")]
        flags: Vec<String>,
        /// Provisions it would change, comma-separated or repeated.
        #[arg(long, value_delimiter = ',')]
        affects: Vec<String>,
        #[command(flatten)]
        recorded: Recorded,
        /// The proposal it is an alternative to.
        #[arg(long)]
        alternative_to: Option<String>,
    },
    /// Move a proposal to its next stage; a move the process does not allow is refused, naming those it does.
    Advance {
        /// The proposal's reference.
        reference: String,
        /// The stage it reaches.
        #[arg(long)]
        to: String,
        /// When (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Who decided, for a decision (default: the body the process names for that move).
        #[arg(long)]
        decided_by: Option<String>,
        /// The version that carried the change, for an implementation.
        #[arg(long)]
        version: Option<String>,
        /// A remark kept with the stage.
        #[arg(long)]
        note: Option<String>,
    },
    /// Change what is recorded about a proposal (not its stages: `advance` moves those). The proposal is checked
    /// again against the process, so a path that its recorded moves do not allow is refused.
    Update {
        /// The proposal's reference.
        reference: String,
        /// A new title.
        #[arg(long)]
        title: Option<String>,
        /// The path it follows, as the Panel fixed it.
        #[arg(long)]
        path: Option<String>,
        /// Its flags, replacing those recorded (repeat for several; give --flag "" for none).
        #[arg(long = "flag")]
        flags: Option<Vec<String>>,
        /// The provisions it would change, replacing those recorded (comma-separated or repeated).
        #[arg(long, value_delimiter = ',')]
        affects: Option<Vec<String>>,
        #[command(flatten)]
        recorded: Recorded,
    },
    /// A proposal, where it stands, what it may do next and its whole timeline.
    Show {
        /// The proposal's reference.
        reference: String,
    },
    /// The proposals, optionally filtered.
    List {
        /// Only those now at this stage.
        #[arg(long)]
        stage: Option<String>,
        /// Only those on this path.
        #[arg(long)]
        path: Option<String>,
        /// Only those that would change this provision, a part of it or a whole containing it.
        #[arg(long)]
        affects: Option<String>,
        /// Only those still pending (raised, not yet implemented, rejected or withdrawn) at the end of this date.
        #[arg(long, value_name = "DATE")]
        pending_at: Option<String>,
    },
}

/// `inforce consultation …`
#[derive(Subcommand)]
pub enum ConsultationCommand {
    /// Record a consultation.
    Add {
        /// A stable key, such as SEC5.
        id: String,
        /// What it is about, in a line.
        #[arg(long)]
        title: String,
        /// When it was published (YYYY-MM-DD, YYYY-MM, YYYY or unknown).
        #[arg(long, default_value = "unknown")]
        published: String,
        /// When it closes (same forms).
        #[arg(long, default_value = "unknown")]
        closes: String,
        /// A subject it covers; repeat for several.
        #[arg(long = "topic")]
        topics: Vec<String>,
        /// A version that followed from it; repeat for several.
        #[arg(long = "led-to")]
        led_to: Vec<String>,
        /// A response published to it, in a line (when, who, what it concluded); repeat for several.
        #[arg(long = "response")]
        responses: Vec<String>,
        /// Where the facts come from; repeat for several.
        #[arg(long = "source")]
        sources: Vec<String>,
    },
    /// One consultation, open or closed today.
    Show {
        /// Its id.
        id: String,
    },
}

/// `inforce doc …`
#[derive(Subcommand)]
pub enum DocCommand {
    /// Store a document (PDF, Word, Markdown or text) once by its content hash and describe it in the register.
    Add {
        /// The file.
        file: std::path::PathBuf,
        /// Its title.
        #[arg(long)]
        title: String,
        /// Its id in addresses (default: from the file name).
        #[arg(long)]
        id: Option<String>,
        /// What sort of document it is: guidance, report, response, decision…
        #[arg(long)]
        kind: Option<String>,
        /// Its date (YYYY-MM-DD, YYYY-MM, YYYY or unknown).
        #[arg(long, default_value = "unknown")]
        date: String,
        /// What it belongs to: version:ID, provision:ID, proposal:REF or consultation:ID; repeat for several.
        #[arg(long = "attach")]
        attach: Vec<String>,
        /// Where it comes from; repeat for several.
        #[arg(long = "source")]
        sources: Vec<String>,
    },
    /// The documents, optionally only those attached to one thing.
    List {
        /// Only those attached to this (version:ID, provision:ID, proposal:REF or consultation:ID).
        #[arg(long)]
        attached_to: Option<String>,
    },
    /// Write a document's file out, exactly as stored.
    Get {
        /// Its id.
        id: String,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
}

/// The largest document accepted.
const MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

/// `doc add`: the file and its description stored as one publication.
pub async fn write_doc(
    store: &dyn Store,
    code: &inforce_core::CodeId,
    command: &DocCommand,
    recorded_at: jiff::Timestamp,
    out: &Output,
) -> Result<(), Failure> {
    let DocCommand::Add { file, title, id, kind, date, attach, sources } = command else {
        return Err(Failure::Usage("internal: a question reached the write path".into()));
    };
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Failure::NotFound(format!("{name}: no such file")),
        _ => Failure::Usage(format!("{name}: cannot read: {e}")),
    })?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(Failure::Usage(format!(
            "{name}: {} bytes is over the limit of 64 MiB for a document",
            bytes.len()
        )));
    }
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let media_type = inforce_core::document::media_type(&file_name, &bytes).map_err(Failure::Usage)?;
    let sha256 = inforce_core::document::sha256(&bytes);
    let id =
        id.clone().unwrap_or_else(|| slug(file_name.rsplit_once('.').map_or(file_name.as_str(), |(stem, _)| stem)));
    let attached_to = attach
        .iter()
        .map(|a| Attachment::parse(a).map_err(|e| Failure::Usage(format!("--attach: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let document = Document {
        id: id.clone(),
        title: title.clone(),
        kind: kind.clone(),
        date: FuzzyDate::parse(date).map_err(|e| Failure::Usage(format!("--date: {e}")))?,
        file_name,
        media_type: media_type.to_string(),
        sha256: sha256.clone(),
        size: bytes.len() as u64,
        attached_to,
        sources: sources.clone(),
    };
    let files = [(sha256, bytes)];
    let (outcome, _) = publish_edit(store, code, &format!("doc add {id}"), recorded_at, &files, |current| {
        let current = current.ok_or_else(|| Failure::NotFound(format!("no register for code '{code}'")))?;
        if let Some(existing) = current.documents.iter().find(|d| d.id == id) {
            if existing == &document {
                return Ok(current.clone());
            }
            return Err(Failure::Usage(format!("a document '{id}' is already recorded; choose another --id")));
        }
        let mut next = current.clone();
        next.documents.push(document.clone());
        checked(next)
    })
    .await?;
    let json = serde_json::json!({
        "document": DocumentJson::new(&document),
        "changed": matches!(outcome, PublishOutcome::Published(_)),
    });
    out.print(&json, || {
        format!(
            "stored {} ({}, {} bytes, sha256 {}) as document '{}'\n",
            document.file_name, document.media_type, document.size, document.sha256, document.id
        )
    })
}

/// `doc list`
pub fn answer_docs(history: &History, attached_to: Option<&str>, out: &Output) -> Result<(), Failure> {
    let register = history.register();
    let filter = attached_to
        .map(|a| Attachment::parse(a).map_err(|e| Failure::Usage(format!("--attached-to: {e}"))))
        .transpose()?;
    let chosen: Vec<&Document> =
        register.documents.iter().filter(|d| filter.as_ref().is_none_or(|f| d.attached_to.contains(f))).collect();
    out.print(&DocumentsJson::new(history, chosen.iter().copied()), || {
        if chosen.is_empty() {
            return "no documents\n".into();
        }
        let mut text = String::new();
        for d in &chosen {
            let attached: Vec<String> = d.attached_to.iter().map(ToString::to_string).collect();
            let _ =
                writeln!(text, "{:<24} {} ({}, {} bytes) {}", d.id, d.title, d.file_name, d.size, attached.join(" "));
        }
        text
    })
}

/// `doc get`: the stored bytes, to a file or standard output.
pub async fn get_doc(
    store: &dyn Store,
    register: &Register,
    id: &str,
    output: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let document = register
        .documents
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(|| Failure::NotFound(format!("no document '{id}' (see `inforce doc list`)")))?;
    let bytes = store.file(&register.code.id, &document.sha256).await?.ok_or_else(|| {
        Failure::Environment(format!(
            "the file of document '{id}' (sha256 {}) is missing from the database",
            document.sha256
        ))
    })?;
    if inforce_core::document::sha256(&bytes) != document.sha256 {
        return Err(Failure::Environment(format!("the stored file of document '{id}' does not match its sha256")));
    }
    match output {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|e| Failure::Usage(format!("{}: cannot write: {e}", path.display())))
        }
        None => {
            use std::io::Write as _;
            std::io::stdout().write_all(&bytes).map_err(|e| Failure::Environment(format!("cannot write: {e}")))
        }
    }
}

/// Lower-case letters, digits and '-', from any name.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.starts_with(|c: char| c.is_ascii_lowercase()) { out } else { format!("doc-{out}") }
}

/// Answers `inforce mod …` questions (reads only).
pub fn answer_mod(history: &History, command: &ModCommand, today: Date, out: &Output) -> Result<(), Failure> {
    let register = history.register();
    match command {
        ModCommand::Show { reference } => {
            let process = process_of(register)?;
            let proposal = find(register, reference)?;
            let json = ProposalJson::new(process, proposal, today);
            out.print(&json, || show_text(process, proposal, today))
        }
        ModCommand::List { stage, path, affects, pending_at } => {
            let pending_at = pending_at.as_deref().map(|d| parse_date(d, today)).transpose()?;
            let affects = affects.as_deref().map(provision_id).transpose()?;
            let process = process_of(register)?;
            let filter = ProposalFilter {
                stage: stage.as_deref(),
                path: path.as_deref(),
                affects: affects.as_ref(),
                pending_at,
            };
            let chosen = history.proposals(&filter).map_err(|e| match e {
                FilterError::UnknownStage { .. } => Failure::Usage(format!("--stage: {e}")),
                FilterError::UnknownPath { .. } => Failure::Usage(format!("--path: {e}")),
            })?;
            let json = ProposalsJson::new(history, &chosen, pending_at, today);
            out.print(&json, || list_text(process, &chosen, pending_at))
        }
        ModCommand::New { .. } | ModCommand::Advance { .. } | ModCommand::Update { .. } => {
            Err(Failure::Usage("internal: a write reached the read-only path".into()))
        }
    }
}

/// Answers `inforce consultation show` and `inforce planned`.
pub fn answer_consultation(history: &History, id: &str, today: Date, out: &Output) -> Result<(), Failure> {
    let register = history.register();
    let consultation = register.consultations.iter().find(|c| c.id.eq_ignore_ascii_case(id)).ok_or_else(|| {
        let ids: Vec<&str> = register.consultations.iter().map(|c| c.id.as_str()).collect();
        Failure::NotFound(format!("no consultation '{id}' (known: {})", ids.join(", ")))
    })?;
    let json = ConsultationJson::new(consultation, today);
    out.print(&ConsultationShowJson::new(history, consultation, today), || {
        let mut text = format!(
            "{}  {}\npublished {}, closes {} ({})\n",
            json.id,
            json.title,
            consultation.published.human(),
            consultation.closes.human(),
            json.state
        );
        for topic in &json.topics {
            let _ = writeln!(text, "  - {topic}");
        }
        for response in &json.responses {
            let _ = writeln!(text, "response: {response}");
        }
        if !json.led_to.is_empty() {
            let _ = writeln!(text, "led to: {}", json.led_to.join(", "));
        }
        for p in register.planned.iter().filter(|p| p.consultation.as_deref() == Some(&consultation.id)) {
            let _ = writeln!(text, "planned: {} ({})", p.title, p.id);
        }
        text
    })
}

/// `inforce planned`: changes announced but not yet tied to a proposal or version, and those that since were.
pub fn answer_planned(history: &History, out: &Output) -> Result<(), Failure> {
    let register = history.register();
    out.print(&PlannedListJson::new(history), || {
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

/// Carries out `mod new` / `mod advance` as one publication; prints the proposal as it now stands.
pub async fn write_mod(
    store: &dyn Store,
    code: &inforce_core::CodeId,
    command: &ModCommand,
    today: Date,
    recorded_at: jiff::Timestamp,
    out: &Output,
) -> Result<(), Failure> {
    let reference = match command {
        ModCommand::New { reference, .. }
        | ModCommand::Advance { reference, .. }
        | ModCommand::Update { reference, .. } => reference.to_uppercase(),
        _ => return Err(Failure::Usage("internal: a question reached the write path".into())),
    };
    let origin = match command {
        ModCommand::New { .. } => format!("mod new {reference}"),
        ModCommand::Update { .. } => format!("mod update {reference}"),
        _ => format!("mod advance {reference}"),
    };
    let (outcome, register) = publish_edit(store, code, &origin, recorded_at, &[], |current| {
        let current = current.ok_or_else(|| Failure::NotFound(format!("no register for code '{code}'")))?;
        let mut next = current.clone();
        match command {
            ModCommand::New { .. } => raise(&mut next, &reference, command, today)?,
            ModCommand::Update { title, path, flags, affects, recorded, .. } => {
                let index = position(current, &reference)?;
                let p = &mut next.proposals[index];
                let text = |value: &Option<String>| value.as_ref().map(|v| v.trim().to_string());
                if let Some(title) = text(title) {
                    p.title = title;
                }
                if let Some(path) = text(path) {
                    p.path = (!path.is_empty()).then_some(path);
                }
                if let Some(flags) = flags {
                    p.flags = flags.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect();
                }
                if let Some(affects) = affects {
                    p.affects = affects
                        .iter()
                        .filter(|a| !a.trim().is_empty())
                        .map(|a| provision_id(a))
                        .collect::<Result<_, _>>()?;
                }
                for (field, value) in recorded.fields(p) {
                    if let Some(value) = text(value) {
                        *field = (!value.is_empty()).then_some(value);
                    }
                }
            }
            ModCommand::Advance { to, date, decided_by, version, note, .. } => {
                let process = process_of(current)?;
                let index = position(current, &reference)?;
                let step = Step {
                    date: fuzzy(date.as_deref(), today, "--date")?,
                    decided_by: decided_by.clone(),
                    version: version.as_deref().map(entry_id).transpose()?,
                    note: note.clone(),
                };
                if let Some(version) = &step.version
                    && !current.entries.iter().any(|e| &e.id == version)
                {
                    return Err(Failure::NotFound(format!(
                        "--version: no version or event '{version}' in the register"
                    )));
                }
                next.proposals[index] = current.proposals[index].advanced(process, to, step).map_err(Failure::Usage)?;
            }
            _ => {}
        }
        checked(next)
    })
    .await?;
    let process = process_of(&register)?;
    let proposal = find(&register, &reference)?;
    let mut json = serde_json::to_value(ProposalJson::new(process, proposal, today))
        .map_err(|e| Failure::Environment(format!("cannot write JSON: {e}")))?;
    json["changed"] = serde_json::Value::Bool(matches!(outcome, PublishOutcome::Published(_)));
    out.print(&json, || show_text(process, proposal, today))
}

/// Carries out `consultation add` as one publication.
pub async fn write_consultation(
    store: &dyn Store,
    code: &inforce_core::CodeId,
    command: &ConsultationCommand,
    today: Date,
    recorded_at: jiff::Timestamp,
    out: &Output,
) -> Result<(), Failure> {
    let ConsultationCommand::Add { id, title, published, closes, topics, led_to, responses, sources } = command else {
        return Err(Failure::Usage("internal: a question reached the write path".into()));
    };
    let consultation = Consultation {
        id: id.clone(),
        title: title.clone(),
        published: fuzzy(Some(published), today, "--published")?,
        closes: fuzzy(Some(closes), today, "--closes")?,
        topics: topics.clone(),
        led_to: led_to.iter().map(|v| entry_id(v)).collect::<Result<_, _>>()?,
        responses: responses.clone(),
        sources: sources.clone(),
        confidence: None,
        notes: Vec::new(),
    };
    let (_, register) = publish_edit(store, code, &format!("consultation add {id}"), recorded_at, &[], |current| {
        let current = current.ok_or_else(|| Failure::NotFound(format!("no register for code '{code}'")))?;
        if current.consultations.iter().any(|c| c.id.eq_ignore_ascii_case(id)) {
            return Err(Failure::Usage(format!("consultation '{id}' is already recorded")));
        }
        let mut next = current.clone();
        next.consultations.push(consultation.clone());
        checked(next)
    })
    .await?;
    answer_consultation(&History::new(register), id, today, out)
}

fn raise(register: &mut Register, reference: &str, command: &ModCommand, today: Date) -> Result<(), Failure> {
    let ModCommand::New { title, raised, stage, path, flags, affects, recorded, alternative_to, .. } = command else {
        return Ok(());
    };
    let process = process_of(register)?;
    if register.proposals.iter().any(|p| p.reference == reference) {
        return Err(Failure::Usage(format!("{reference} is already recorded; use `inforce mod advance` to move it")));
    }
    let stage = match stage {
        Some(stage) => {
            if !process.stage(stage).is_some_and(|s| s.initial) {
                return Err(Failure::Usage(format!(
                    "--stage: a proposal is raised at one of: {}",
                    process.initial_stages().join(", ")
                )));
            }
            stage.clone()
        }
        None => process
            .initial_stages()
            .first()
            .map(ToString::to_string)
            .ok_or_else(|| Failure::Usage("the process has no stage where proposals are raised".into()))?,
    };
    let raised = fuzzy(raised.as_deref(), today, "--raised")?;
    let affects = affects.iter().map(|a| provision_id(a)).collect::<Result<Vec<_>, _>>()?;
    let mut proposal = Proposal {
        reference: reference.to_string(),
        title: title.clone(),
        proposer: None,
        lead_analyst: None,
        raised,
        path: path.clone(),
        flags: flags.clone(),
        affects,
        issue: None,
        solution: None,
        target_release: None,
        alternative_to: alternative_to.as_ref().map(|a| a.to_uppercase()),
        stages: vec![StageChange { stage, date: raised, decided_by: None, version: None, note: None }],
        sources: Vec::new(),
        confidence: None,
        notes: Vec::new(),
    };
    for (field, value) in recorded.fields(&mut proposal) {
        field.clone_from(value);
    }
    register.proposals.push(proposal);
    Ok(())
}

/// The register if it keeps every rule; otherwise every problem, and nothing is stored.
fn checked(register: Register) -> Result<Register, Failure> {
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

fn position(register: &Register, reference: &str) -> Result<usize, Failure> {
    register.proposals.iter().position(|p| p.reference.eq_ignore_ascii_case(reference)).ok_or_else(|| {
        let known: Vec<&str> = register.proposals.iter().map(|p| p.reference.as_str()).collect();
        Failure::NotFound(format!(
            "no proposal '{reference}' (known: {})",
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        ))
    })
}

fn find<'a>(register: &'a Register, reference: &str) -> Result<&'a Proposal, Failure> {
    position(register, reference).map(|i| &register.proposals[i])
}

fn fuzzy(text: Option<&str>, today: Date, flag: &str) -> Result<FuzzyDate, Failure> {
    match text {
        None => Ok(FuzzyDate::Day(today)),
        Some(t) if t.trim().eq_ignore_ascii_case("today") => Ok(FuzzyDate::Day(today)),
        Some(t) => FuzzyDate::parse(t).map_err(|e| Failure::Usage(format!("{flag}: {e}"))),
    }
}

fn provision_id(text: &str) -> Result<ProvisionId, Failure> {
    ProvisionId::parse(text).map_err(|e| Failure::Usage(e.to_string()))
}

fn entry_id(text: &str) -> Result<EntryId, Failure> {
    EntryId::parse(text).map_err(|e| Failure::Usage(e.to_string()))
}

fn stage_label<'a>(process: &'a Process, id: &'a str) -> &'a str {
    process.stage(id).map_or(id, |s| s.label.as_str())
}

fn show_text(process: &Process, p: &Proposal, today: Date) -> String {
    let mut text = format!("{}  {}\n", p.reference, p.title);
    let path = p
        .path
        .as_ref()
        .map(|id| process.path(id).map_or_else(|| format!("path {id}"), |n| n.label.clone()))
        .unwrap_or_else(|| "path not yet set".into());
    let _ = writeln!(text, "{path}; raised {}", p.raised.human());
    if !p.flags.is_empty() {
        let _ = writeln!(text, "flags: {}", p.flags.join(", "));
    }
    if !p.affects.is_empty() {
        let ids: Vec<String> = p.affects.iter().map(ToString::to_string).collect();
        let _ = writeln!(text, "affects: {}", ids.join(", "));
    }
    if let Some(current) = p.current() {
        let pending = if p.pending_on(process, today) { "pending" } else { "closed" };
        let _ = writeln!(text, "stage: {} ({pending})", stage_label(process, &current.stage));
    }
    if let Some(decision) = p.decision(process) {
        let by = decision.body.map(|b| format!(" by {b}")).unwrap_or_default();
        let _ = writeln!(text, "decision: {}{by}, {}", decision.outcome, decision.date.human());
    }
    if let Some(version) = p.implemented_by() {
        let _ = writeln!(text, "implemented by: {version}");
    }
    if let Some(release) = &p.target_release {
        let _ = writeln!(text, "target release: {release}");
    }
    if let Some(current) = p.current() {
        let next: Vec<&str> = process.moves_from(&current.stage, p).into_iter().map(|m| m.to.as_str()).collect();
        if !next.is_empty() {
            let _ = writeln!(text, "may move to: {}", next.join(", "));
        }
    }
    let _ = writeln!(text, "timeline:");
    for s in &p.stages {
        let mut line = format!("  {:<20} {}", s.date.human(), stage_label(process, &s.stage));
        if let Some(by) = &s.decided_by {
            let _ = write!(line, " ({by})");
        }
        if let Some(version) = &s.version {
            let _ = write!(line, " in {version}");
        }
        if let Some(note) = &s.note {
            let _ = write!(line, ": {note}");
        }
        let _ = writeln!(text, "{line}");
    }
    for (label, value) in [("issue", &p.issue), ("solution", &p.solution)] {
        if let Some(value) = value {
            let _ = writeln!(text, "{label}: {value}");
        }
    }
    text
}

fn list_text(process: &Process, proposals: &[&Proposal], pending_at: Option<Date>) -> String {
    if proposals.is_empty() {
        return "no proposals match\n".into();
    }
    let mut text = String::new();
    for p in proposals {
        let stage = match pending_at {
            Some(date) => p.stage_on(date).map_or("not yet raised", |s| stage_label(process, &s.stage)),
            None => p.current().map_or("", |s| stage_label(process, &s.stage)),
        };
        let path = p.path.as_deref().map(|x| format!("path {x}")).unwrap_or_default();
        let _ = writeln!(text, "{:<11} {:<34} {:<7} {}", p.reference, stage, path, p.title);
    }
    text
}
