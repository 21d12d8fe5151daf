//! Questions about the texts: a provision's text at a point, comparisons, blame, the whole code as Markdown, and
//! the check of texts against the register's change lists.

use inforce_core::diff::DiffOptions;
use inforce_present::describe::{cut_label, no_text_note};
use inforce_present::wire::{
    BlameJson, CheckCodesJson, CheckJson, ComparisonParts, MarkdownWrittenJson, ShowJson, StretchRecordJson,
    comparison_json,
};
use inforce_present::{html, plain};

use crate::args::{cut, point, provision_id, resolve};
use crate::cli::{BlameArgs, DiffArgs, ExportArgs, Format, ShowArgs};
use crate::env::Env;
use crate::failure::Failure;

/// `inforce show`.
pub async fn show(env: &Env, args: &ShowArgs) -> Result<(), Failure> {
    let (today, out) = (env.today().await?, &env.out);
    let history = &env.history_with_texts().await?;
    let id = provision_id(history, &args.provision)?;
    let cut = cut(history, &args.point, today)?;
    let status = history.status(&id, cut.date).ok_or_else(|| Failure::NotFound(format!("no provision '{id}'")))?;
    let text = history.text_at(&id, &cut);
    let note = if !history.has_texts() {
        Some(no_text_note(history))
    } else if text.is_none() {
        Some(format!("No text of {id} is recorded at {}.", cut_label(&cut)))
    } else {
        None
    };
    let json = ShowJson::new(history, &status, &cut, text.as_ref(), note.clone(), today);
    out.print(&json, || plain::show(history, &cut, &status, note.as_deref(), text.as_ref(), today))
}

/// `inforce diff`.
pub async fn diff(env: &Env, args: &DiffArgs) -> Result<(), Failure> {
    let (today, out) = (env.today().await?, &env.out);
    let options = DiffOptions { ignore_formatting: args.ignore_formatting };
    let (a, b) = (point(&args.a, today)?, point(&args.b, today)?);
    let history = &env.history_with_texts().await?;
    let within = args.provision.as_deref().map(|p| provision_id(history, p)).transpose()?;
    let a = resolve(history, &a)?;
    let b = resolve(history, &b)?;
    let changes = history.compare(&a, &b, within.as_ref(), options);
    let between = history.entries_between(&a, &b);
    let code = history.register().code.id.to_string();
    let note = (!history.has_texts()).then(|| no_text_note(history));
    let record = StretchRecordJson::new(history, a.date, b.date);
    let parts = ComparisonParts {
        history,
        code: &code,
        points: (&a, &b),
        within: within.as_ref(),
        options,
        note: note.as_deref(),
        between: &between,
        changes: &changes,
        record: &record,
    };
    if out.format == Format::Html {
        let page = html::comparison(history, &parts, today);
        let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), page.as_bytes());
        return Ok(());
    }
    out.print_with(|| comparison_json(&parts, today), || plain::comparison(history, &parts, today))
}

/// `inforce blame`.
pub async fn blame(env: &Env, args: &BlameArgs) -> Result<(), Failure> {
    let (today, out) = (env.today().await?, &env.out);
    let history = &env.history_with_texts().await?;
    let id = provision_id(history, &args.provision)?;
    let cut = cut(history, &args.point, today)?;
    let paragraphs = history.blame(&id, &cut);
    let note = match (&paragraphs, history.has_texts()) {
        (_, false) => Some(no_text_note(history)),
        (None, true) => Some(format!("No text of {id} is recorded at {}.", cut_label(&cut))),
        _ => None,
    };
    let json = BlameJson::new(history, &id, &cut, paragraphs.as_deref(), note.clone(), today);
    out.print(&json, || plain::blame(&id, &cut, note.as_deref(), paragraphs.as_deref()))
}

/// `inforce check [--code C]`: every code (or the one named): first its stored history against its publication
/// log (exit 4 naming each code that does not match), then its texts against its register.
pub async fn check(env: &Env) -> Result<(), Failure> {
    let out = &env.out;
    let store = env.store().await?.as_ref();
    let codes = if env.code_given { vec![env.code.clone()] } else { store.codes().await? };
    // First the stored histories against their publication logs: what follows reads them.
    let mut verdicts = Vec::with_capacity(codes.len());
    for code in &codes {
        verdicts.push(inforce_store::verify(store, code).await?);
    }
    if let Some(message) = super::log::damage(&verdicts) {
        return Err(Failure::Damaged(message));
    }
    // The ledger itself: a kept copy must not hide damage to it.
    let mut checked = Vec::with_capacity(codes.len());
    for (code, verdict) in codes.iter().zip(&verdicts) {
        match env.history_from_ledger(code).await? {
            Some(history) => {
                let local = local_details(store, code).await?;
                checked.push((history, super::log::describe(verdict), local));
            }
            None if env.code_given => return Err(env.no_register_failure().await),
            // Not recorded yet as of --as-recorded.
            None => {}
        }
    }
    let found: Vec<_> = checked.iter().map(|(history, _, _)| history.discrepancies()).collect();
    let text = || {
        let pages = checked
            .iter()
            .zip(&found)
            .map(|((history, logged, local), found)| plain::check(history, logged, found, local));
        pages.map(|page| page.trim_end().to_string()).collect::<Vec<_>>().join("\n\n")
    };
    let json = checked.iter().zip(&found).map(|((history, _, local), found)| CheckJson::new(history, found, local));
    if env.code_given {
        out.print(&json.into_iter().next(), text)
    } else {
        out.print(&CheckCodesJson { codes: json.collect() }, text)
    }
}

/// The publications of `code` that carry local details, each with the fields that do: its `origin`, `author`,
/// `command` ([`inforce_core::ledger::PublicationFacts::local_details`]), and `summary` when a version summary it
/// wrote names a local path (as `import-docx` once generated).
async fn local_details(
    store: &dyn inforce_store::Store,
    code: &inforce_core::CodeId,
) -> Result<Vec<(i64, Vec<&'static str>)>, Failure> {
    use inforce_core::ledger::{RecordBody, carries_local_path};
    let mut found: std::collections::BTreeMap<i64, Vec<&'static str>> = std::collections::BTreeMap::new();
    for publication in store.publications(code).await? {
        let fields = publication.facts().local_details();
        if !fields.is_empty() {
            found.insert(publication.id, fields);
        }
    }
    for record in store.records(code).await? {
        if let Some(RecordBody::Entry(entry)) = &record.write.body
            && carries_local_path(&entry.summary)
        {
            let fields = found.entry(record.publication).or_default();
            if !fields.contains(&"summary") {
                fields.push("summary");
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// `inforce export --format markdown OUTDIR`.
pub async fn export(env: &Env, args: &ExportArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let out = &env.out;
    if out.format != Format::Markdown && out.format != Format::Text {
        return Err(Failure::Usage("export writes Markdown: use --format markdown".into()));
    }
    let outdir = args.outdir.as_path();
    let history = &env.history_with_texts().await?;
    let cut = cut(history, &args.point, today)?;
    let register = history.register();
    let rendition = inforce_render::render(history, &cut, inforce_render::Format::Markdown, today);
    inforce_render::write_folder(&rendition, outdir).map_err(|e| match e {
        inforce_render::WriteError::NotEmpty(_) => Failure::Usage(e.to_string()),
        _ => Failure::Environment(e.to_string()),
    })?;
    let written = rendition.provisions;
    let json = MarkdownWrittenJson::new(&register.code.id, cut.date, &outdir.display().to_string(), written);
    let mut shown = *out;
    shown.format = if out.format == Format::Markdown { Format::Text } else { out.format };
    shown.print(&json, || {
        format!("wrote {} (index.md, {}.md and {written} provision files)", outdir.display(), register.code.id)
    })
}
