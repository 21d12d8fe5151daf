//! Text commands: import folders and single versions, show, export, diff, blame, check.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use inforce_core::compare::{ChangeSort, ProvisionComparison};
use inforce_core::date::human_date;
use inforce_core::diff::{DiffOptions, Edit, Op};
use inforce_core::import::{TextImport, apply_changes, merge_versions};
use inforce_core::point::{Cut, Point, PointError};
use inforce_core::text::{TextHash, Texts};
use inforce_core::{CodeId, EntryId, History, ProvisionId, Status};
use inforce_formats::folder::{read_delta, read_folder};
use inforce_store::{PublishOutcome, Publishing, Store, load_register, load_texts, publish};
use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::json;

use crate::commands::{Output, parse_date, provision_id};
use crate::{Failure, Format, PointArgs};
use inforce_present::describe::{cut_label, entry_ref, status_reason};
use inforce_present::html;
use inforce_present::wire::{BlameJson, ComparisonParts, ShowJson, comparison_json};

/// Where an import's data comes from and goes to.
pub struct ImportTarget<'a> {
    /// The store.
    pub store: &'a dyn Store,
    /// The code (required: texts always say which code they belong to).
    pub code: Option<&'a str>,
    /// The record time to give the publication.
    pub recorded_at: Timestamp,
}

impl ImportTarget<'_> {
    fn code(&self) -> Result<CodeId, Failure> {
        let text = self.code.ok_or_else(|| {
            Failure::Usage("give --code: the id of the code these texts belong to (an existing or a new one)".into())
        })?;
        CodeId::parse(text).map_err(|e| Failure::Usage(format!("--code: {e}")))
    }
}

/// `inforce import DIR`: reads a whole versioned folder and joins it to the code's register; the code's history
/// as it now stands.
pub async fn import_folder(
    target: ImportTarget<'_>,
    dir: &Path,
    title: Option<String>,
    out: &Output,
) -> Result<History, Failure> {
    let code = target.code()?;
    if !dir.is_dir() {
        return Err(Failure::NotFound(format!("{}: no such folder", dir.display())));
    }
    let bar = progress_bar(out);
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
    let import = TextImport { versions: &folder.versions, order: &folder.order, headings: &folder.headings };
    let summary = format!("{} versions and {} distinct texts read", folder.versions.len(), folder.bodies.len());
    join_and_publish(target, &code, import, folder.bodies, title, &format!("folder:{}", dir.display()), &summary, out)
        .await
}

/// `inforce import-version DIR --version V --effective DATE`: one version from only its changes.
pub async fn import_version(
    target: ImportTarget<'_>,
    dir: &Path,
    version: &str,
    effective: &str,
    label: Option<String>,
    remove: &[String],
    out: &Output,
) -> Result<History, Failure> {
    let code = target.code()?;
    let id = EntryId::parse(version).map_err(|e| Failure::Usage(format!("--version: {e}")))?;
    let effective = inforce_core::date::parse_day(effective)
        .ok_or_else(|| Failure::Usage(format!("--effective: '{effective}' is not a date: expected YYYY-MM-DD")))?;
    let mut delta = read_delta(dir).map_err(|e| refused(dir, e.problems.len(), &e.to_string()))?;
    for text in remove {
        delta.removed.push(ProvisionId::parse(text).map_err(|e| Failure::Usage(format!("--remove: {e}")))?);
    }
    let register = load_register(target.store, &code, None).await?.map(|l| l.register);
    let texts = load_texts(target.store, &code, None).await?;
    let Some(register) = register else {
        return Err(Failure::NotFound(format!(
            "no register for code '{code}': import a folder (inforce import) before adding single versions"
        )));
    };
    let history = History::with_texts(register.clone(), texts.clone());
    let state = apply_changes(&history, id, effective, label.unwrap_or_default(), &delta.texts, &delta.removed)
        .map_err(|problems| {
            Failure::Usage(format!("{} refused, nothing was stored:\n{}", dir.display(), problems.join("\n")))
        })?;
    let mut order: Vec<ProvisionId> = register.provisions.iter().map(|p| p.id.clone()).collect();
    order
        .extend(delta.texts.iter().map(|(p, _)| p.clone()).filter(|p| !register.provisions.iter().any(|q| &q.id == p)));
    let versions = [state];
    let import = TextImport { versions: &versions, order: &order, headings: &delta.headings };
    let summary = format!("{} changed and {} removed provisions read", delta.texts.len(), delta.removed.len());
    join_and_publish(
        target,
        &code,
        import,
        delta.bodies,
        None,
        &format!("version-folder:{}", dir.display()),
        &summary,
        out,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn join_and_publish(
    target: ImportTarget<'_>,
    code: &CodeId,
    import: TextImport<'_>,
    new_bodies: HashMap<TextHash, Arc<str>>,
    title: Option<String>,
    origin: &str,
    summary: &str,
    out: &Output,
) -> Result<History, Failure> {
    let current = load_register(target.store, code, None).await?.map(|l| l.register);
    let Texts { assignments, mut bodies } = load_texts(target.store, code, None).await?;
    let mut merged = merge_versions(code, current.as_ref(), &assignments, import)
        .map_err(|problems| Failure::Usage(format!("import refused, nothing was stored:\n{}", problems.join("\n"))))?;
    if let Some(title) = title.filter(|_| current.is_none()) {
        merged.register.code.title = title;
    }
    bodies.extend(new_bodies);
    let what = Publishing { register: &merged.register, texts: Some((&merged.assignments, &bodies)) };
    let outcome = publish(target.store, what, origin, target.recorded_at).await?;
    let history = History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies });
    let discrepancies: Vec<String> = history.discrepancies().iter().map(|d| d.describe()).collect();
    for line in &discrepancies {
        eprintln!("inforce: warning: {line}");
    }
    let (changed, records, publication) = match &outcome {
        PublishOutcome::Unchanged => (false, 0, None),
        PublishOutcome::Published(p) => (true, p.record_count, Some(p.id)),
    };
    let json = json!({
        "code": code.to_string(),
        "changed": changed,
        "publication": publication,
        "records": records,
        "new_versions": merged.new_versions.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "new_provisions": merged.new_provisions,
        "discrepancies": discrepancies,
    });
    out.print(&json, || {
        let mut line = format!("{code}: {summary}; ");
        match &outcome {
            PublishOutcome::Unchanged => line.push_str("already up to date, nothing written"),
            PublishOutcome::Published(p) => {
                let _ = write!(
                    line,
                    "publication {} wrote {} records ({} new versions, {} new provisions)",
                    p.id,
                    p.record_count,
                    merged.new_versions.len(),
                    merged.new_provisions
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
        line
    })?;
    Ok(history)
}

fn refused(dir: &Path, count: usize, problems: &str) -> Failure {
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

/// Reads a point argument: `today`, a date, or a version or event id.
pub fn point(text: &str, today: Date) -> Point {
    match parse_date(text, today) {
        Ok(date) => Point::Date(date),
        Err(_) => EntryId::parse(text).map_or(Point::Date(today), Point::Entry),
    }
}

/// The point of `--at`/`--version` (default today), resolved.
pub fn cut<'a>(history: &'a History, args: &PointArgs, today: Date) -> Result<Cut<'a>, Failure> {
    let point = match (&args.at, &args.version) {
        (Some(at), _) => Point::Date(parse_date(at, today)?),
        (None, Some(version)) => {
            Point::Entry(EntryId::parse(version).map_err(|e| Failure::Usage(format!("--version: {e}")))?)
        }
        (None, None) => Point::Date(today),
    };
    resolve(history, &point)
}

fn resolve<'a>(history: &'a History, point: &Point) -> Result<Cut<'a>, Failure> {
    history.cut(point).map_err(|e| match e {
        PointError::UnknownEntry(_) => Failure::NotFound(format!("{e} '{}'", history.register().code.id)),
        PointError::Undated(_) => Failure::Usage(e.to_string()),
    })
}

fn no_text_note(history: &History) -> String {
    format!(
        "No text is recorded in the {} register yet: it holds versions and statuses only.",
        history.register().code.id
    )
}

/// `inforce show`.
pub fn show(history: &History, provision: &str, args: &PointArgs, today: Date, out: &Output) -> Result<(), Failure> {
    let id = provision_id(history, provision)?;
    let cut = cut(history, args, today)?;
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
    out.print(&json, || {
        let mut page = inforce_present::plain::status(&status, today);
        if let Some(note) = &note {
            let _ = writeln!(page, "{note}");
        }
        if let Some(at) = text {
            match at.text {
                Some(body) => {
                    let _ = writeln!(page, "Text as given by {}:\n\n{}", entry_ref(at.entry, today), body.trim_end());
                }
                None => {
                    let _ = writeln!(page, "Taken out of the text by {}.", entry_ref(at.entry, today));
                }
            }
        }
        page
    })
}

/// `inforce diff`.
pub fn diff(
    history: &History,
    a: &str,
    b: &str,
    provision: Option<&str>,
    options: DiffOptions,
    today: Date,
    out: &Output,
) -> Result<(), Failure> {
    let within = provision.map(|p| provision_id(history, p)).transpose()?;
    let a = resolve(history, &point(a, today))?;
    let b = resolve(history, &point(b, today))?;
    let changes = history.compare(&a, &b, within.as_ref(), options);
    let between = history.entries_between(&a, &b);
    let code = history.register().code.id.to_string();
    let note = (!history.has_texts()).then(|| no_text_note(history));
    if out.format == Format::Html {
        let page = html::comparison(history, &a, &b, &changes, &between, note.as_deref(), today);
        let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), page.as_bytes());
        return Ok(());
    }
    let parts = ComparisonParts {
        code: &code,
        points: (&a, &b),
        within: within.as_ref(),
        options,
        note: note.as_deref(),
        between: &between,
        changes: &changes,
    };
    out.print_with(
        || comparison_json(&parts, today),
        || diff_text(history, &a, &b, &changes, &between, note.as_deref(), today),
    )
}

fn count(changes: &[ProvisionComparison<'_>], sort: ChangeSort) -> usize {
    changes.iter().filter(|c| c.sort == sort).count()
}

fn diff_text(
    history: &History,
    a: &Cut<'_>,
    b: &Cut<'_>,
    changes: &[ProvisionComparison<'_>],
    between: &[&inforce_core::Entry],
    note: Option<&str>,
    today: Date,
) -> String {
    let mut out = format!("{}: {} compared with {}\n", history.register().code.title, cut_label(a), cut_label(b));
    if let Some(note) = note {
        let _ = writeln!(out, "{note}");
    }
    let _ = writeln!(out, "\nVersions and events in between ({}):", between.len());
    for entry in between {
        let mut lists = Vec::new();
        for kind in inforce_core::ChangeKind::ALL {
            let list = entry.changes(kind);
            if !list.listed.is_empty() {
                let names: Vec<&str> = list.listed.iter().map(ProvisionId::as_str).collect();
                let more = if list.completeness == inforce_core::Completeness::Complete { "" } else { " and others" };
                lists.push(format!("{} {}{more}", kind.as_str(), truncate_list(&names)));
            } else if list.completeness == inforce_core::Completeness::Unlisted {
                lists.push(format!("{} (not listed)", kind.as_str()));
            }
        }
        let _ = writeln!(
            out,
            "  {}{}",
            entry_ref(entry, today),
            if lists.is_empty() { String::new() } else { format!(": {}", lists.join("; ")) }
        );
    }
    let _ = writeln!(
        out,
        "\nSummary: {} added, {} removed, {} changed, {} with a new status",
        count(changes, ChangeSort::Added),
        count(changes, ChangeSort::Removed),
        count(changes, ChangeSort::Changed),
        count(changes, ChangeSort::StatusChanged)
    );
    for change in changes {
        let by: Vec<String> = change.responsible.iter().map(|e| e.id.to_string()).collect();
        let status = if change.status.0 == change.status.1 {
            String::new()
        } else {
            format!(" [{} -> {}]", change.status.0.as_str(), change.status.1.as_str())
        };
        let _ = writeln!(
            out,
            "  {:<15} {:<14} {}{status}{}",
            change.sort.as_str(),
            change.provision.id.as_str(),
            change.provision.title.as_deref().unwrap_or(""),
            if by.is_empty() {
                String::new()
            } else {
                format!("  (by {})", truncate_list(&by.iter().map(String::as_str).collect::<Vec<_>>()))
            }
        );
    }
    for change in changes.iter().filter(|c| !c.edits.is_empty()) {
        let _ = writeln!(
            out,
            "\n=== {} {} ({}) ===",
            change.provision.id,
            change.provision.title.as_deref().unwrap_or(""),
            change.sort.as_str()
        );
        out.push_str(&redline(&change.edits));
        out.push('\n');
    }
    out
}

fn truncate_list(names: &[&str]) -> String {
    if names.len() <= 12 {
        names.join(", ")
    } else {
        format!("{} … ({} in all)", names[..12].join(", "), names.len())
    }
}

/// Edits as plain text: `[-deleted-]` and `{+inserted+}`, as `git diff --word-diff=plain` writes them.
pub fn redline(edits: &[Edit]) -> String {
    edits
        .iter()
        .map(|e| match e.op {
            Op::Equal => e.text.clone(),
            Op::Insert => format!("{{+{}+}}", e.text),
            Op::Delete => format!("[-{}-]", e.text),
        })
        .collect()
}

/// `inforce blame`.
pub fn blame(history: &History, provision: &str, args: &PointArgs, today: Date, out: &Output) -> Result<(), Failure> {
    let id = provision_id(history, provision)?;
    let cut = cut(history, args, today)?;
    let paragraphs = history.blame(&id, &cut);
    let note = match (&paragraphs, history.has_texts()) {
        (_, false) => Some(no_text_note(history)),
        (None, true) => Some(format!("No text of {id} is recorded at {}.", cut_label(&cut))),
        _ => None,
    };
    let json = BlameJson::new(history, &id, &cut, paragraphs.as_deref(), note.clone(), today);
    out.print(&json, || {
        let mut page = format!("Blame of {id} at {}\n", cut_label(&cut));
        if let Some(note) = &note {
            let _ = writeln!(page, "{note}");
        }
        for paragraph in paragraphs.iter().flatten() {
            page.push('\n');
            for run in paragraph {
                let label = format!("{} {}", run.entry.id, run.entry.effective);
                for (i, line) in run.text.lines().enumerate() {
                    let shown = if i == 0 { label.as_str() } else { "" };
                    let _ = writeln!(page, "{shown:<24} | {line}");
                }
            }
        }
        page
    })
}

/// `inforce check`.
pub fn check(history: &History, out: &Output) -> Result<(), Failure> {
    let found = history.discrepancies();
    let json = json!({
        "code": history.register().code.id.to_string(),
        "has_texts": history.has_texts(),
        "discrepancies": found.iter().map(|d| json!({
            "entry": d.entry.id.to_string(),
            "provision": d.provision.to_string(),
            "kind": match d.kind {
                inforce_core::import::DiscrepancyKind::ChangedButNotListed => "changed_but_not_listed".to_string(),
                inforce_core::import::DiscrepancyKind::ListedButUnchanged(k) => format!("listed_as_{}_but_unchanged", k.as_str()),
            },
            "message": d.describe(),
        })).collect::<Vec<_>>(),
    });
    out.print(&json, || {
        if !history.has_texts() {
            return format!("{}\nNothing to check.", no_text_note(history));
        }
        if found.is_empty() {
            return "Texts and register agree: no discrepancy.".to_string();
        }
        let mut page = format!("{} discrepancies between texts and register:\n", found.len());
        for d in &found {
            let _ = writeln!(page, "  {}", d.describe());
        }
        page
    })
}

/// `inforce export --format markdown OUTDIR`.
pub fn export(history: &History, outdir: &Path, args: &PointArgs, today: Date, out: &Output) -> Result<(), Failure> {
    if out.format != Format::Markdown && out.format != Format::Text {
        return Err(Failure::Usage("export writes Markdown: use --format markdown".into()));
    }
    let cut = cut(history, args, today)?;
    if outdir.exists() && std::fs::read_dir(outdir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Failure::Usage(format!(
            "{} exists and is not empty: export into a new or empty folder",
            outdir.display()
        )));
    }
    let register = history.register();
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| Failure::Environment(format!("{}: cannot write: {e}", path.display())))
    };
    std::fs::create_dir_all(outdir.join("provisions"))
        .map_err(|e| Failure::Environment(format!("{}: cannot create: {e}", outdir.display())))?;
    let version = history.in_force(cut.date).version;
    let mut index = format!(
        "# {} as it stood on {}\n\nVersion in force: {}.\n\n",
        register.code.title,
        human_date(cut.date),
        version.map_or("none".to_string(), |v| entry_ref(v, today))
    );
    if !history.has_texts() {
        let _ = writeln!(index, "{}\n", no_text_note(history));
    }
    let mut document = index.clone();
    index.push_str("| provision | title | status | why |\n|---|---|---|---|\n");
    let mut written = 0;
    for status in history.statuses(cut.date) {
        let provision = status.provision;
        let text = history.text_at(&provision.id, &cut).and_then(|t| t.text);
        let file = text.map(|_| format!("provisions/{}.md", provision.id));
        let title = provision.title.as_deref().unwrap_or("").replace('|', "\\|");
        let linked = match &file {
            Some(file) => format!("[{}]({file})", provision.id),
            None => provision.id.to_string(),
        };
        let _ = writeln!(
            index,
            "| {linked} | {title} | {} | {} |",
            status.status.as_str(),
            status_reason(&status, today).replace('|', "\\|")
        );
        let marker = match status.status {
            Status::InForce => String::new(),
            other => format!("\n> **{}** — {}\n", other.as_str().replace('_', " "), status_reason(&status, today)),
        };
        if let Some(text) = text {
            write(&outdir.join(format!("provisions/{}.md", provision.id)), text)?;
            written += 1;
            let _ = writeln!(
                document,
                "{}{marker}\n{}\n",
                text.lines().next().unwrap_or(""),
                inforce_core::text::body(text).trim_end()
            );
        } else if status.status != Status::NotYetAdded && status.status != Status::Removed {
            let _ = writeln!(document, "## {} {}{marker}\n", provision.id, provision.title.as_deref().unwrap_or(""));
        }
    }
    write(&outdir.join("index.md"), &index)?;
    write(&outdir.join(format!("{}.md", register.code.id)), &document)?;
    let json = json!({ "code": register.code.id.to_string(), "date": cut.date.to_string(), "folder": outdir.display().to_string(), "provision_files": written });
    let mut shown = *out;
    shown.format = if out.format == Format::Markdown { Format::Text } else { out.format };
    shown.print(&json, || {
        format!("wrote {} (index.md, {}.md and {written} provision files)", outdir.display(), register.code.id)
    })
}
