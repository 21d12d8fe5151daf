//! The publication log: `inforce verify` checks the stored history against its digests (and, with `--remote`,
//! a running site as an outsider would).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use inforce_core::log::{Digest, tree_head};
use inforce_core::merkle;
use inforce_formats::checkpoint::{Checkpoint, CheckpointError, SigningKey, normalise, open};
use inforce_present::log::{ConsistencyJson, InclusionJson, LogJson, LoggedJson, hex, unhex};
use inforce_present::wire::{VerifiedJson, VerifyJson};
use inforce_store::{Verdict, verify as verify_code};
use serde::Serialize;

use crate::cli::{KeyGenerateArgs, VerifyArgs};
use crate::env::Env;
use crate::failure::Failure;
use crate::fetch::{Bounds, Expected, Fetcher};

/// `inforce verify [--code C]`: every code (or the one named) recomputed from the store; exit 4 naming the first
/// publication of each code that does not match its log. With `--remote`, a running site instead ([`remote`]).
pub async fn verify(env: &Env, args: &VerifyArgs) -> Result<(), Failure> {
    if let (Some(url), Some(key)) = (&args.remote, &args.key) {
        let request = Remote {
            url: url.trim_end_matches('/').to_string(),
            code: env.code.to_string(),
            key: read_file(key)?.trim().to_string(),
            saved: args
                .checkpoint
                .as_deref()
                .map(|path| Ok::<_, Failure>((path.to_path_buf(), read_file(path)?)))
                .transpose()?,
            save: args.save.clone(),
            bounds: Bounds {
                timeout: Duration::from_secs(args.timeout.unwrap_or(DEFAULT_TIMEOUT_SECONDS)),
                deadline: Duration::from_secs(args.deadline.unwrap_or(DEFAULT_DEADLINE_SECONDS)),
            },
            publication_bytes: args.max_publication_bytes.map_or(DEFAULT_PUBLICATION_BYTES, |b| b as u64),
        };
        let checked = tokio::task::spawn_blocking(move || remote(&request))
            .await
            .map_err(|e| Failure::Environment(format!("internal error: {e}")))??;
        return env.out.print(&checked, || checked.describe());
    }
    let store = env.store().await?.as_ref();
    let codes = if env.code_given { vec![env.code.clone()] } else { store.codes().await? };
    let mut verdicts = Vec::new();
    for code in &codes {
        verdicts.push(verify_code(store, code).await?);
    }
    if env.code_given && store.publications(&env.code).await?.is_empty() && store.log(&env.code).await?.is_empty() {
        return Err(Failure::NotFound(format!("no publications for code '{}'", env.code)));
    }
    let json = VerifyJson { codes: verdicts.iter().map(verified_json).collect() };
    env.out.print(&json, || verdicts.iter().map(describe).collect::<Vec<_>>().join("\n"))?;
    // The details are printed above; the failure names the codes.
    let tampered: Vec<String> = verdicts
        .iter()
        .filter_map(|v| match v {
            Verdict::Tampered(t) => Some(format!("'{}' from publication {}", t.code, t.publication)),
            Verdict::Intact(_) => None,
        })
        .collect();
    if tampered.is_empty() {
        Ok(())
    } else {
        Err(Failure::Damaged(format!("the stored history does not match its publication log: {}", tampered.join(", "))))
    }
}

/// The log's verdict on one code, in a line or two.
pub fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Intact(v) => {
            let mut line = format!(
                "{}: {} publication{} verified against the log; tree head {}",
                v.code,
                v.size,
                if v.size == 1 { "" } else { "s" },
                hex(&v.head)
            );
            if v.computed_after > 0 {
                let _ = write!(
                    line,
                    " ({} of the digests were computed after the fact, for publications made before the log)",
                    v.computed_after
                );
            }
            if v.not_stored > 0 {
                let _ = write!(
                    line,
                    " ({} publications made before the log have no stored digest yet: open the database writable \
                     once to keep them)",
                    v.not_stored
                );
            }
            line
        }
        Verdict::Tampered(t) => format!(
            "{}: DOES NOT MATCH ITS LOG from publication {} (number {} in the log): {}",
            t.code, t.publication, t.sequence, t.reason
        ),
    }
}

/// A verdict as `--format json` shows it.
fn verified_json(verdict: &Verdict) -> VerifiedJson {
    match verdict {
        Verdict::Intact(v) => VerifiedJson {
            code: v.code.to_string(),
            status: "intact",
            size: Some(v.size),
            tree_head: Some(hex(&v.head)),
            computed_after_the_fact: Some(v.computed_after),
            ..VerifiedJson::default()
        },
        Verdict::Tampered(t) => VerifiedJson {
            code: t.code.to_string(),
            status: "tampered",
            publication: Some(t.publication),
            sequence: Some(t.sequence),
            reason: Some(t.reason.clone()),
            ..VerifiedJson::default()
        },
    }
}

/// The failure message when any code's history does not match its log.
pub fn damage(verdicts: &[Verdict]) -> Option<String> {
    let tampered: Vec<String> = verdicts
        .iter()
        .filter_map(|v| match v {
            Verdict::Tampered(t) => Some(format!(
                "the stored history of '{}' does not match its publication log: publication {} (number {} in the \
                 log): {}",
                t.code, t.publication, t.sequence, t.reason
            )),
            Verdict::Intact(_) => None,
        })
        .collect();
    (!tampered.is_empty()).then(|| tampered.join("\n"))
}

fn read_file(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Failure::NotFound(format!("{}: no such file", path.display())),
        _ => Failure::Usage(format!("{}: cannot read: {e}", path.display())),
    })
}

/// Reads `serve --signing-key FILE`. A key others can read is refused, as ssh refuses one: whoever reads it can
/// sign checkpoints in the site's name.
pub fn read_signing_key(path: &Path) -> Result<SigningKey, Failure> {
    #[cfg(unix)]
    if let Ok(metadata) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(Failure::Usage(format!(
                "{}: permissions {mode:04o} are too open: a private key must be readable by its owner only; \
                 refused (chmod 600 {0}, or mount the secret with mode 0400)",
                path.display()
            )));
        }
    }
    SigningKey::parse(&read_file(path)?).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

/// `inforce key generate FILE [--name NAME]`: writes a new private key to FILE (mode 0600, never over an
/// existing file) and prints its verifier key.
pub fn generate_key(env: &Env, args: &KeyGenerateArgs) -> Result<(), Failure> {
    let (private, verifier) = SigningKey::generate(&args.name).map_err(|e| Failure::Usage(format!("--name: {e}")))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let path = &args.file;
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            Failure::Usage(format!("{} exists: a key is never overwritten; choose another file", path.display()))
        }
        _ => Failure::Environment(format!("{}: cannot write: {e}", path.display())),
    })?;
    std::io::Write::write_all(&mut file, format!("{private}\n").as_bytes())
        .map_err(|e| Failure::Environment(format!("{}: cannot write: {e}", path.display())))?;
    #[derive(Serialize)]
    struct KeyJson<'a> {
        file: String,
        name: &'a str,
        verifier_key: &'a str,
    }
    let json = KeyJson { file: path.display().to_string(), name: &args.name, verifier_key: &verifier };
    env.out.print(&json, || {
        format!(
            "Wrote the private key to {} (keep it secret; serve with --signing-key {}).\nVerifier key, for \
             outsiders (also served at /api/v1/log/key):\n{verifier}",
            path.display(),
            path.display()
        )
    })
}

/// What `verify --remote` checks.
struct Remote {
    /// The site, without a trailing slash.
    url: String,
    code: String,
    /// The verifier key the outsider trusts.
    key: String,
    /// A checkpoint saved earlier: its file and what it holds.
    saved: Option<(PathBuf, String)>,
    /// Where to save the checkpoint verified now.
    save: Option<PathBuf>,
    /// Time bounds of the requests and of the whole run.
    bounds: Bounds,
    /// The most bytes one publication's content may take.
    publication_bytes: u64,
}

/// What `verify --remote` found: everything checked.
#[derive(Serialize)]
struct RemoteJson {
    url: String,
    code: String,
    /// The key's name and the checkpoint's origin.
    origin: String,
    size: u64,
    tree_head: String,
    time: Option<jiff::Timestamp>,
    /// The size of the saved checkpoint the log was shown to extend.
    extends: Option<u64>,
    saved_to: Option<String>,
}

impl RemoteJson {
    fn describe(&self) -> String {
        let mut text = format!(
            "{} at {}: {} publication{} verified: each digest recomputed from the content served, the chain and \
             the signed checkpoint of {} (tree head {})",
            self.code,
            self.url,
            self.size,
            if self.size == 1 { "" } else { "s" },
            self.origin,
            self.tree_head
        );
        if let Some(extends) = self.extends {
            let _ = write!(text, "; it extends the saved checkpoint of {extends} publication(s)");
        }
        if let Some(saved) = &self.saved_to {
            let _ = write!(text, "; checkpoint saved to {saved}");
        }
        text
    }
}

/// `--timeout`: seconds each request may take to connect, and between any two reads.
const DEFAULT_TIMEOUT_SECONDS: u64 = 30;
/// `--deadline`: seconds the whole check may take.
const DEFAULT_DEADLINE_SECONDS: u64 = 600;
/// `--max-publication-bytes`: one publication's content served as JSON. Its records are register-file fragments
/// of at most one register file (`MAX_REGISTER_FILE_BYTES`, 64 MiB), which JSON's escapes at most double; its
/// text records and hashes take far less. Four times the register file leaves room for both.
const DEFAULT_PUBLICATION_BYTES: u64 = 4 * super::register::MAX_REGISTER_FILE_BYTES;

/// The signed checkpoint: a few short lines and its signatures (a signed note carries at most a hundred).
const CHECKPOINT: Expected = Expected { content_type: "text/plain", most_bytes: 64 << 10, what: "the checkpoint" };
/// A page of the log: the site lists 100 publications a page, each in under 400 bytes; 1 MiB leaves room for
/// pages of a few thousand.
const LOG_PAGE: Expected = Expected { content_type: "application/json", most_bytes: 1 << 20, what: "a log page" };

/// An inclusion or consistency proof of a tree of `size` publications: at most two hashes (64 hex digits and
/// quotes, under 70 bytes each) per level of the tree, and its other fields in well under 4 KiB.
fn proof(size: u64) -> Expected {
    let levels = u64::from(u64::BITS - size.leading_zeros()) + 1;
    Expected { content_type: "application/json", most_bytes: 4096 + 2 * levels * 70, what: "a proof" }
}

fn fetch_json<T: serde::de::DeserializeOwned>(fetcher: &Fetcher, url: &str, expected: Expected) -> Result<T, Failure> {
    fetcher
        .json(url, expected, |why| Failure::Damaged(format!("it does not answer as the publication log does: {why}")))
}

/// Checks a site as an outsider would: the checkpoint's signature and origin, every served publication's digest
/// recomputed from its content and chained, the tree head against the checkpoint, the newest publication's
/// inclusion proof, and, given a saved checkpoint, that the log extends it (its consistency proof, and the
/// saved head recomputed). Exit 4 when anything does not match.
fn remote(request: &Remote) -> Result<RemoteJson, Failure> {
    let fetcher = Fetcher::new(&request.url, request.bounds)?;
    let (url, code) = (&request.url, &request.code);
    let damaged = |what: String| Failure::Damaged(format!("{url} ({code}): {what}"));
    let key_name = request.key.split('+').next().unwrap_or_default().to_string();
    let opened = |note: &str, which: &str| {
        open(note, &request.key).map_err(|e| match e {
            CheckpointError::VerifierKey => Failure::Usage(format!("--key: {e}")),
            e => damaged(format!("{which}: {e}")),
        })
    };
    let note = fetcher.text(&format!("{url}/api/v1/{code}/log/checkpoint"), CHECKPOINT)?;
    let checkpoint = opened(&note, "the served checkpoint")?;
    let origin = format!("{key_name}/{code}");
    if checkpoint.origin != origin {
        return Err(damaged(format!("the checkpoint is of the log '{}', not '{origin}'", checkpoint.origin)));
    }
    let size = checkpoint.size;
    // Every publication up to the checkpoint's size (the log may have grown since it was fetched), each page
    // taking the list on from where it stands: a page that repeats, skips or adds nothing ends the reading, so
    // the pages read are bounded by the checkpoint's size.
    let mut listed = Vec::new();
    let mut page = 1;
    loop {
        let log: LogJson = fetch_json(&fetcher, &format!("{url}/api/v1/{code}/log?page={page}"), LOG_PAGE)?;
        let before = listed.len();
        for entry in log.publications.into_iter().take(size.saturating_sub(before as u64) as usize) {
            let expected = listed.len() as u64 + 1;
            if entry.sequence != expected {
                return Err(damaged(format!(
                    "page {page} of the log lists publication {} where {expected} comes next",
                    entry.sequence
                )));
            }
            listed.push(entry);
        }
        if page >= log.pages || listed.len() as u64 >= size || listed.len() == before {
            break;
        }
        page += 1;
    }
    if (listed.len() as u64) < size {
        return Err(damaged(format!("the checkpoint counts {size} publications but the log lists {}", listed.len())));
    }
    let publication = Expected {
        content_type: "application/json",
        most_bytes: request.publication_bytes,
        what: "a publication's content (--max-publication-bytes)",
    };
    let mut digests: Vec<Digest> = Vec::new();
    for (i, entry) in listed.iter().take(size as usize).enumerate() {
        let n = i as u64 + 1;
        let content: LoggedJson = fetch_json(&fetcher, &format!("{url}/api/v1/{code}/log/{n}"), publication)?;
        let logged = content.logged().map_err(damaged)?;
        if logged.sequence != n || logged.code != *code {
            return Err(damaged(format!("/log/{n} serves publication {} of '{}'", logged.sequence, logged.code)));
        }
        let digest = logged.digest(digests.last());
        if digest.to_string() != entry.digest || digest.to_string() != content.digest {
            return Err(damaged(format!(
                "publication {n} (id {}): its content as served does not match its digest {} (recomputed: {digest})",
                entry.publication, entry.digest
            )));
        }
        digests.push(digest);
    }
    if tree_head(&digests) != checkpoint.root {
        return Err(damaged("the served publications do not make the tree head the checkpoint signs".into()));
    }
    // The proofs the site serves, checked as a client holding only hashes would.
    let newest = digests.last().copied();
    if let Some(newest) = newest {
        let url = format!("{url}/api/v1/{code}/log/proof/inclusion?sequence={size}&tree_size={size}");
        let proof: InclusionJson = fetch_json(&fetcher, &url, proof(size))?;
        let path = hashes(&proof.audit_path).ok_or_else(|| damaged("an inclusion proof that is not hashes".into()))?;
        if !merkle::verify_inclusion(&newest.leaf(), size - 1, size, &path, &checkpoint.root) {
            return Err(damaged(format!("the inclusion proof of publication {size} does not verify")));
        }
    }
    let mut extends = None;
    if let Some((file, saved)) = &request.saved {
        // A person's editor may have re-saved the file (CRLF line ends, no final newline): the signed text is
        // LF, and what still does not read as a signed note is the file's fault, not the site's.
        let before = open(&normalise(saved), &request.key).map_err(|e| match e {
            CheckpointError::VerifierKey => Failure::Usage(format!("--key: {e}")),
            CheckpointError::Signature => damaged(format!("the saved checkpoint: {e}")),
            e => Failure::Usage(format!("--checkpoint {}: {e}", file.display())),
        })?;
        if before.origin != checkpoint.origin {
            return Err(Failure::Usage(format!(
                "--checkpoint: it is of the log '{}', not '{}'",
                before.origin, checkpoint.origin
            )));
        }
        check_extends(&fetcher, request, &before, &checkpoint, &digests)?;
        extends = Some(before.size);
    }
    let saved_to = match &request.save {
        Some(path) => {
            std::fs::write(path, &note)
                .map_err(|e| Failure::Environment(format!("{}: cannot write: {e}", path.display())))?;
            Some(path.display().to_string())
        }
        None => None,
    };
    Ok(RemoteJson {
        url: url.clone(),
        code: code.clone(),
        origin,
        size,
        tree_head: hex(&checkpoint.root),
        time: checkpoint.time,
        extends,
        saved_to,
    })
}

/// That the log of `now` (whose publications' digests are `digests`) extends the saved checkpoint `before`:
/// its first publications make the saved head, and the site's consistency proof verifies.
fn check_extends(
    fetcher: &Fetcher,
    request: &Remote,
    before: &Checkpoint,
    now: &Checkpoint,
    digests: &[Digest],
) -> Result<(), Failure> {
    let damaged = |what: String| Failure::Damaged(format!("{} ({}): {what}", request.url, request.code));
    let rewritten = |why: &str| {
        format!(
            "the site's history was rewritten: its log does not extend the checkpoint saved earlier ({} \
             publication(s), tree head {}): {why}",
            before.size,
            hex(&before.root)
        )
    };
    if before.size > now.size {
        return Err(damaged(rewritten(&format!("the log now holds only {} publication(s)", now.size))));
    }
    if tree_head(&digests[..before.size as usize]) != before.root {
        return Err(damaged(rewritten("its first publications no longer make the saved tree head")));
    }
    if before.size == 0 {
        return Ok(());
    }
    let url = format!(
        "{}/api/v1/{}/log/proof/consistency?first={}&second={}",
        request.url, request.code, before.size, now.size
    );
    let proof: ConsistencyJson = fetcher.json(&url, proof(now.size), |why| damaged(rewritten(&why)))?;
    let path =
        hashes(&proof.consistency_path).ok_or_else(|| damaged(rewritten("a consistency proof that is not hashes")))?;
    if !merkle::verify_consistency(before.size, now.size, &before.root, &now.root, &path) {
        return Err(damaged(rewritten("its consistency proof does not verify")));
    }
    Ok(())
}

fn hashes(hex: &[String]) -> Option<Vec<merkle::Hash>> {
    hex.iter().map(|h| unhex(h)).collect()
}
