//! Questions about the texts: a provision's text at a point, comparisons, blame, the whole code as Markdown, and
//! the check of texts against the register's change lists.

use std::fmt::Write as _;
use std::path::Path;

use inforce_core::compare::{ChangeSort, ProvisionComparison};
use inforce_core::diff::{DiffOptions, Edit, Op};
use inforce_core::point::Cut;
use inforce_core::{History, ProvisionId};
use inforce_present::describe::{cut_label, entry_ref, no_text_note};
use inforce_present::html;
use inforce_present::wire::{BlameJson, CheckJson, ComparisonParts, MarkdownWrittenJson, ShowJson, comparison_json};
use jiff::civil::Date;

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
            format!(" [{} -> {}]", change.status.0.human(), change.status.1.human())
        };
        let _ = writeln!(
            out,
            "  {:<15} {:<14} {}{status}{}\n  {:<15} {}",
            change.sort.human(),
            change.provision.id.as_str(),
            change.provision.title.as_deref().unwrap_or(""),
            if by.is_empty() {
                String::new()
            } else {
                format!("  (by {})", truncate_list(&by.iter().map(String::as_str).collect::<Vec<_>>()))
            },
            "",
            inforce_present::describe::comparison_kinds(change)
        );
    }
    for change in changes.iter().filter(|c| !c.edits.is_empty()) {
        let _ = writeln!(
            out,
            "\n=== {} {} ({}) ===",
            change.provision.id,
            change.provision.title.as_deref().unwrap_or(""),
            change.sort.human()
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
pub async fn check(env: &Env) -> Result<(), Failure> {
    let out = &env.out;
    // First the stored history against its publication log: what follows reads that history.
    let verdict = inforce_store::verify(env.store().await?.as_ref(), &env.code).await?;
    if let Some(message) = super::log::damage(std::slice::from_ref(&verdict)) {
        return Err(Failure::Damaged(message));
    }
    let logged = super::log::describe(&verdict);
    // The ledger itself: a kept copy must not hide damage to it.
    let history = &env.history_from_ledger().await?;
    let found = history.discrepancies();
    let json = CheckJson::new(history, &found);
    out.print(&json, || {
        if !history.has_texts() {
            return format!("{logged}\n{}\nNo texts to check against the register.", no_text_note(history));
        }
        if found.is_empty() {
            return format!("{logged}\nTexts and register agree: no discrepancy.");
        }
        let mut page = format!("{logged}\n{} discrepancies between texts and register:\n", found.len());
        for d in &found {
            let _ = writeln!(page, "  {}", d.describe());
        }
        page
    })
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
    let files = inforce_present::markdown::export(history, &cut, today);
    for (id, text) in &files.provisions {
        write(&outdir.join(format!("provisions/{id}.md")), text)?;
    }
    write(&outdir.join("index.md"), &files.index)?;
    write(&outdir.join(format!("{}.md", register.code.id)), &files.document)?;
    let written = files.provisions.len();
    let json = MarkdownWrittenJson::new(&register.code.id, cut.date, &outdir.display().to_string(), written);
    let mut shown = *out;
    shown.format = if out.format == Format::Markdown { Format::Text } else { out.format };
    shown.print(&json, || {
        format!("wrote {} (index.md, {}.md and {written} provision files)", outdir.display(), register.code.id)
    })
}
