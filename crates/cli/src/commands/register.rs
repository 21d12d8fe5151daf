//! Whole registers: import a register file (all of it or nothing), export the stored register as one, and copy
//! every code between databases.

use std::io::Write;

use inforce_present::wire::{CopiedJson, WrittenJson};
use inforce_store::{Base, PublishOutcome, Publishing};

use crate::cli::{CopyArgs, RegisterExportArgs, RegisterImportArgs, UpgradeBuiltinArgs};
use crate::db::open_store;
use crate::env::Env;
use crate::failure::Failure;

/// The largest register file accepted, in bytes (the SEC's is under 100 KiB).
pub const MAX_REGISTER_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// `inforce register import FILE`: checks a register file and stores it, all of it or, if anything is wrong,
/// nothing.
pub async fn import(env: &Env, args: &RegisterImportArgs) -> Result<(), Failure> {
    let file = args.file.as_path();
    let name = file.display().to_string();
    let bytes = crate::args::read_named_file(file, MAX_REGISTER_FILE_BYTES, "for a register file")?;
    let origin = format!("file:{}", crate::args::file_origin(file, &bytes));
    let text = String::from_utf8(bytes)
        .map_err(|e| Failure::Usage(format!("{name}: not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))?;
    let read = inforce_formats::parse_register_file(&name, &text).map_err(|e| {
        let count = e.problems.len();
        let plural = if count == 1 { "problem" } else { "problems" };
        Failure::Usage(format!("{name} refused, nothing was stored ({count} {plural}):\n{e}"))
    })?;
    let register = read.register;
    if env.code_given && env.code != register.code.id {
        return Err(Failure::Usage(format!(
            "{name} is the register of '{}', not '{}' as --code says",
            register.code.id, env.code
        )));
    }
    let store = env.store().await?.as_ref();
    let base = if args.correction.replace { Base::Replace } else { Base::File(read.base) };
    let what = Publishing { register: &register, texts: None, base };
    let outcome = inforce_store::publish(store, what, &env.correcting(&origin, &args.correction)?).await.map_err(
        |e| match e {
            // What others published would be undone: the user's to resolve, not the environment's.
            inforce_store::StoreError::Stale { .. } => Failure::Usage(format!("{name}: {e}")),
            e => e.into(),
        },
    )?;
    let code = &register.code.id;
    let (json, line) = match &outcome {
        PublishOutcome::Unchanged => {
            (WrittenJson::unchanged(code), format!("{code}: already up to date; nothing written"))
        }
        PublishOutcome::Published(p) => (
            WrittenJson::published(code, p.id, p.record_count, p.recorded_at),
            format!("{code}: publication {} recorded at {}, {} records written", p.id, p.recorded_at, p.record_count),
        ),
    };
    env.out.print(&json, || line)
}

/// `inforce register upgrade-builtin [--apply]`: the built-in SEC register of this build merged onto the stored
/// one: what it changed since the edition the database was given (the records published from origin
/// `builtin`) is taken over where nobody else changed the same record; records others changed are kept and
/// listed. Without `--apply` nothing is written.
pub async fn upgrade_builtin(env: &Env, args: &UpgradeBuiltinArgs) -> Result<(), Failure> {
    use inforce_core::ledger::upgrade;
    let sec = crate::args::code_id(crate::env::DEFAULT_CODE)?;
    let store = env.store().await?.as_ref();
    let next = crate::env::builtin_register()?;
    let base = inforce_store::register_from_origin(store, &sec, crate::env::BUILTIN_ORIGIN).await?;
    let current = inforce_store::load_register(store, &sec, None).await?.map(|l| l.register);
    let plan = |current: Option<&inforce_core::Register>| match current {
        Some(current) => upgrade(base.as_ref(), current, &next),
        None => upgrade(None, &next, &next),
    };
    let Some(shown) = plan(current.as_ref()) else {
        return Err(Failure::Environment("the merged register has no code description".into()));
    };
    let mut published = None;
    if args.apply && !shown.applied.is_empty() {
        let problems = inforce_core::validate(&shown.merged);
        if !problems.is_empty() {
            let lines: Vec<String> = problems.iter().map(|p| format!("  {}", p.message)).collect();
            return Err(Failure::Usage(format!(
                "the built-in register cannot be merged onto the stored one; nothing was written:\n{}",
                lines.join("\n")
            )));
        }
        // Merged again on the register as it stands when publishing, so a concurrent edit is kept too.
        let (outcome, _) =
            inforce_store::publish_edit(store, &sec, &env.provenance(crate::env::BUILTIN_ORIGIN)?, &[], |current| {
                let merged = plan(current).ok_or_else(|| Failure::Environment("no code description".into()))?.merged;
                let problems = inforce_core::validate(&merged);
                match problems.first() {
                    None => Ok(merged),
                    Some(p) => Err(Failure::Usage(format!("the merge no longer validates: {}", p.message))),
                }
            })
            .await?;
        published = match outcome {
            PublishOutcome::Published(p) => Some(p),
            PublishOutcome::Unchanged => None,
        };
    }
    let json =
        inforce_present::wire::UpgradeJson::new(&sec, &shown, published.as_ref().map(|p| (p.id, p.record_count)));
    env.out.print(&json, || {
        let mut out = String::new();
        if shown.applied.is_empty() {
            out.push_str("The stored register already has everything the built-in register of this build changes.\n");
        } else {
            let verb = if published.is_some() { "took over" } else { "would take over" };
            out.push_str(&format!("The built-in register of this build {verb} {} changes:\n", shown.applied.len()));
            for (kind, key, change) in &shown.applied {
                out.push_str(&format!("  {:<12} {:<40} {}\n", kind.as_str(), key, change.as_str()));
            }
        }
        if !shown.kept.is_empty() {
            out.push_str(&format!(
                "Kept as edited here ({}), although the built-in register changes them:\n",
                shown.kept.len()
            ));
            for (kind, key) in &shown.kept {
                out.push_str(&format!("  {:<12} {key}\n", kind.as_str()));
            }
        }
        match &published {
            Some(p) => out.push_str(&format!("Published as publication {} ({} records).", p.id, p.record_count)),
            None if !shown.applied.is_empty() => out.push_str("Nothing was written: run with --apply to publish it."),
            None => out.push_str("Nothing was written."),
        }
        out
    })
}

/// `inforce register export [-o FILE]`: the stored register as a register file.
pub async fn export(env: &Env, args: &RegisterExportArgs) -> Result<(), Failure> {
    // The register and the publication it stands at, read together: the file names that publication as its base.
    let store = env.store().await?.as_ref();
    let loaded = match env.as_recorded {
        Some(at) => inforce_store::load_register(store, &env.code, Some(at)).await?,
        None => inforce_store::load_register(store, &env.code, None).await?,
    };
    let loaded = loaded.ok_or_else(|| Failure::NotFound(format!("no register for code '{}'", env.code)))?;
    let text = inforce_formats::write_register_file(&loaded.register, Some(loaded.publication.id));
    let Some(path) = args.output.as_deref() else {
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        return Ok(());
    };
    crate::kept::write_atomically(path, text.as_bytes())
        .map_err(|e| Failure::Environment(format!("{}: cannot write: {e}", path.display())))
}

/// `inforce copy --from DB --to DB`: every publication of every code, in the order they were made, keeping record
/// times and origins, into a database that holds none of those codes.
pub async fn copy(env: &Env, args: &CopyArgs) -> Result<(), Failure> {
    let (source, target) = (open_store(Some(&args.from)).await?, open_store(Some(&args.to)).await?);
    let copied = inforce_store::copy(source.as_ref(), target.as_ref()).await;
    source.close().await;
    target.close().await;
    let summary = copied?;
    let (count, records) = (summary.publications, summary.records);
    let names: Vec<String> = summary.codes.iter().map(ToString::to_string).collect();
    let json = CopiedJson::new(&summary.codes, count, records);
    env.out.print(&json, || format!("copied {count} publications ({records} records) of {}", names.join(", ")))
}
