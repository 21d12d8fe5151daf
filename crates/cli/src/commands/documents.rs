//! Guidance and documents on the command line: store one (once, by content hash), list them, write one out.

use std::fmt::Write as _;

use inforce_core::FuzzyDate;
use inforce_core::document::{Attachment, Document};
use inforce_present::wire::{DocumentAddedJson, DocumentsJson};
use inforce_store::{PublishOutcome, publish_edit};

use crate::cli::{DocAddArgs, DocAttachArgs, DocDetachArgs, DocGetArgs, DocListArgs};
use crate::commands::corrections::{Edited, publish_correction};
use crate::commands::proposals::checked;
use crate::env::Env;
use crate::failure::Failure;

/// The largest document accepted, in bytes.
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// `inforce doc add FILE`: the file and its description stored as one publication.
pub async fn add(env: &Env, args: &DocAddArgs) -> Result<(), Failure> {
    let (code, out) = (&env.code, &env.out);
    let DocAddArgs { file, title, id, kind, date, attach, sources } = args;
    let bytes = crate::args::read_named_file(file, MAX_DOCUMENT_BYTES, "for a document")?;
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let media_type =
        inforce_core::document::media_type(&file_name, &bytes).map_err(|e| Failure::Usage(e.to_string()))?;
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
    let store = env.store().await?.as_ref();
    let (outcome, _) = publish_edit(store, code, &env.provenance(&format!("doc add {id}"))?, &files, |current| {
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
    let json = DocumentAddedJson::new(&document, matches!(outcome, PublishOutcome::Published(_)));
    out.print(&json, || {
        format!(
            "stored {} ({}, {} bytes, sha256 {}) as document '{}'\n",
            document.file_name, document.media_type, document.size, document.sha256, document.id
        )
    })
}

/// `inforce doc attach ID --to KIND:ID…`: the stored document attached to more records, as one publication.
pub async fn attach(env: &Env, args: &DocAttachArgs) -> Result<(), Failure> {
    let more = attachments(&args.to, "--to")?;
    reattach(env, &args.id, &format!("doc attach {}", args.id), &args.reason, |register| {
        register.attach_document(&args.id, &more)
    })
    .await
}

/// `inforce doc detach ID --from KIND:ID… --reason TEXT`: the document taken off records (a correction), as one
/// publication; the file stays stored, as every file the register ever recorded does.
pub async fn detach(env: &Env, args: &DocDetachArgs) -> Result<(), Failure> {
    let gone = attachments(&args.from, "--from")?;
    reattach(env, &args.id, &format!("doc detach {}", args.id), &args.reason, |register| {
        register.detach_document(&args.id, &gone)
    })
    .await
}

fn attachments(given: &[String], flag: &str) -> Result<Vec<Attachment>, Failure> {
    given.iter().map(|a| Attachment::parse(a).map_err(|e| Failure::Usage(format!("{flag}: {e}")))).collect()
}

/// Changes what a stored document is attached to, and prints it as `doc add` does.
async fn reattach(
    env: &Env,
    id: &str,
    origin: &str,
    reason: &crate::cli::Reason,
    change: impl Fn(&mut inforce_core::Register) -> Result<Vec<&'static str>, inforce_core::edit::EditError>,
) -> Result<(), Failure> {
    let (outcome, register) = publish_correction(env, origin, reason, |current| {
        let mut register = current.clone();
        let corrected = change(&mut register).map_err(|e| match e {
            inforce_core::edit::EditError::Unknown { .. } => Failure::NotFound(e.to_string()),
            inforce_core::edit::EditError::NotAttached { .. } => Failure::Usage(e.to_string()),
        })?;
        Ok(Edited { register, corrected, what: format!("document {id}") })
    })
    .await?;
    let document = register
        .documents
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(|| Failure::NotFound(format!("document '{id}' was not stored")))?;
    let json = DocumentAddedJson::new(document, matches!(outcome, PublishOutcome::Published(_)));
    let attached: Vec<String> = document.attached_to.iter().map(ToString::to_string).collect();
    let attached = if attached.is_empty() { "nothing".to_string() } else { attached.join(", ") };
    env.out.print(&json, || format!("document '{id}' is attached to {attached}\n"))
}

/// `inforce doc list [--attached-to THING]`
pub async fn list(env: &Env, args: &DocListArgs) -> Result<(), Failure> {
    let (attached_to, out) = (args.attached_to.as_deref(), &env.out);
    let history = &env.history_with_corrections().await?;
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
            text.push_str(&inforce_present::plain::corrected(
                history,
                inforce_core::ledger::RecordKind::Document,
                &d.id,
            ));
        }
        text
    })
}

/// `inforce doc get ID [-o FILE]`: the stored bytes, to a file or standard output.
pub async fn get(env: &Env, args: &DocGetArgs) -> Result<(), Failure> {
    let (id, output) = (args.id.as_str(), args.output.as_deref());
    let history = env.history().await?;
    let register = history.register();
    let store = env.store().await?;
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
