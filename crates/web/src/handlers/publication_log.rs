//! The publication log, for outsiders to check: each code's publications with their digests, one publication's
//! content (enough to recompute its digest), the signed checkpoint, the key it is signed with, and inclusion and
//! consistency proofs (RFC 6962 / RFC 9162). Under `/api/v1/{code}/log…`, and `/api/v1/log…` for the default code.

use axum::extract::{Path, State};
use inforce_core::log::{Digest, tree_head};
use inforce_core::merkle;
use inforce_formats::checkpoint::Checkpoint;
use inforce_present::log::{ConsistencyJson, InclusionJson, LogEntryJson, LogJson, LoggedJson, hex};
use inforce_store::LogEntry;
use serde::Deserialize;
use std::sync::Arc;

use crate::ctx::ApiCtx;
use crate::query::{ConsistencyQuery, InclusionQuery, LogQuery, Query};
use crate::respond::{ApiResult, Body, Cache, Problem, shorten};
use crate::site::Site;

/// Entries per page of `/log`.
const PER_PAGE: usize = 100;

/// `{sequence}` in `/log/{sequence}`.
#[derive(Deserialize)]
pub struct SequencePath {
    sequence: String,
}

fn entries(ctx: &ApiCtx) -> &[LogEntry] {
    ctx.log()
}

fn digests(entries: &[LogEntry]) -> Vec<Digest> {
    entries.iter().map(|e| e.digest).collect()
}

/// `/api/v1/{code}/log?page=N`: the code's publications with their digests, oldest first, 100 a page.
pub async fn api_log(ctx: ApiCtx, Query(query): Query<LogQuery>) -> ApiResult {
    let entries = entries(&ctx);
    let pages = entries.len().div_ceil(PER_PAGE).max(1);
    let page = query.page.unwrap_or(1);
    if page == 0 || page > pages {
        return Err(Problem::not_found(format!(
            "The log of {} has {pages} page(s); there is no page {page}.",
            ctx.code
        ))
        .into());
    }
    let listed = entries
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|e| LogEntryJson {
            sequence: e.sequence,
            publication: e.publication,
            recorded_at: ctx.snapshot.recorded_at(&ctx.code, e.publication).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            digest: e.digest.to_string(),
            computed_after_the_fact: e.computed_at,
            url: format!("/api/v1/{}/log/{}", ctx.code, e.sequence),
        })
        .collect();
    let answer = LogJson {
        code: ctx.code.to_string(),
        size: entries.len() as u64,
        tree_head: hex(&tree_head(&digests(entries))),
        page,
        pages,
        per_page: PER_PAGE,
        publications: listed,
    };
    ctx.json(&answer, Cache::Published)
}

/// `/api/v1/{code}/log/{n}`: publication `n`'s content, its digest and the previous one.
pub async fn api_logged(ctx: ApiCtx, Path(path): Path<SequencePath>) -> ApiResult {
    let entries = entries(&ctx);
    let n = sequence(&ctx, &path.sequence, entries.len())?;
    let entry = &entries[n - 1];
    let contents = match ctx.site.logged(&ctx.snapshot, &ctx.code).await {
        Some(Ok(contents)) => contents,
        Some(Err(e)) => {
            crate::log::event(crate::log::Level::Warn, "http", "a log cannot be read", &[("error", &e.to_string())]);
            return Err(Problem::unavailable(format!("The log cannot be read: {}.", e.public())).into());
        }
        None => return Err(Problem::not_found(format!("No code '{}' is served.", ctx.code)).into()),
    };
    let logged = match contents.get(n - 1) {
        Some(Ok(logged)) => logged,
        Some(Err(reason)) => {
            return Err(Problem::unavailable(format!(
                "Publication {n} of {} cannot be read from the store: {reason}.",
                ctx.code
            ))
            .into());
        }
        None => return Err(Problem::not_found(format!("The log of {} has no publication {n}.", ctx.code)).into()),
    };
    let previous = n.checked_sub(2).map(|i| &entries[i].digest);
    // A publication's content and digest never change once logged.
    let mut answer = LoggedJson::new(logged, entry.publication, &entry.digest, previous, entry.computed_at);
    // Each record beside its canonical text as JSON, read back from that text.
    for record in &mut answer.records {
        let body = record.body.as_deref().and_then(|text| inforce_formats::register_file::decode_record(text).ok());
        record.record = body.as_ref().map(inforce_formats::register_file::record_json);
    }
    ctx.json(&answer, Cache::Immutable)
}

/// A sequence number from the address, 1 to `size`.
fn sequence(ctx: &ApiCtx, text: &str, size: usize) -> Result<usize, Problem> {
    let n: usize = text
        .parse()
        .map_err(|_| Problem::bad_request(format!("'{}' is not a publication number (1, 2, …).", shorten(text))))?;
    if n == 0 || n > size {
        return Err(Problem::not_found(format!("The log of {} holds publications 1 to {size}; not {n}.", ctx.code)));
    }
    Ok(n)
}

/// `/api/v1/{code}/log/checkpoint`: the log's signed checkpoint (text/plain, a C2SP signed note), when the
/// site has a signing key.
pub async fn api_checkpoint(ctx: ApiCtx) -> ApiResult {
    let Some(key) = &ctx.site.options.signing_key else {
        return Err(no_key().into());
    };
    let checkpoint = checkpoint(&ctx, key.name());
    let note = key.sign(&checkpoint).map_err(|e| Problem::internal(format!("the checkpoint cannot be signed: {e}")))?;
    ctx.answer(Body::Text(note), Cache::Published)
}

/// The checkpoint of the code's log as the snapshot holds it.
pub fn checkpoint(ctx: &ApiCtx, key_name: &str) -> Checkpoint {
    let entries = entries(ctx);
    Checkpoint {
        origin: format!("{key_name}/{}", ctx.code),
        size: entries.len() as u64,
        root: tree_head(&digests(entries)),
        time: entries.last().and_then(|e| ctx.snapshot.recorded_at(&ctx.code, e.publication)),
    }
}

fn no_key() -> Problem {
    Problem::not_found(
        "This site signs no checkpoints: it was started without a signing key (inforce serve --signing-key FILE).",
    )
}

/// `/api/v1/log/key`: the verifier key checkpoints are signed with (text/plain, `NAME+ID+KEY`), through the
/// response policy like every answer (the key can change when the server restarts with another).
pub async fn api_key(State(site): State<Arc<Site>>, headers: axum::http::HeaderMap) -> axum::response::Response {
    match &site.options.signing_key {
        Some(key) => crate::respond::respond(
            &headers,
            Body::Text(format!("{}\n", key.verifier_key())),
            site.snapshot().last_modified(),
            Cache::Published,
        ),
        None => no_key().problem_json(),
    }
}

/// `/api/v1/{code}/log/proof/inclusion?sequence=N&tree_size=S` (or `?hash=DIGEST`): the audit path of a
/// publication (default: the newest) in the tree of the first S publications (default: the whole log).
pub async fn api_inclusion(ctx: ApiCtx, Query(query): Query<InclusionQuery>) -> ApiResult {
    let entries = entries(&ctx);
    let size = tree_size(&ctx, query.tree_size, entries.len())?;
    let index = match (query.sequence, &query.hash) {
        (Some(n), None) if n >= 1 && (n as usize) <= size => n as usize - 1,
        (Some(n), None) => {
            return Err(Problem::not_found(format!(
                "A tree of {size} publications holds publications 1 to {size}; not {n}."
            ))
            .into());
        }
        (None, Some(hash)) => {
            let digest = Digest::parse(hash)
                .ok_or_else(|| Problem::bad_request("hash must be a digest: 64 hex digits.".to_string()))?;
            entries[..size].iter().position(|e| e.digest == digest).ok_or_else(|| {
                Problem::not_found(format!("No publication in the first {size} of {} has that digest.", ctx.code))
            })?
        }
        // Neither: the newest publication of the tree.
        (None, None) => size - 1,
        (Some(_), Some(_)) => {
            return Err(Problem::bad_request("Give either sequence=N or hash=DIGEST, not both.").into());
        }
    };
    let leaves: Vec<merkle::Hash> = entries[..size].iter().map(|e| e.digest.leaf()).collect();
    let path = merkle::inclusion_proof(&leaves, index).unwrap_or_default();
    let answer = InclusionJson {
        code: ctx.code.to_string(),
        sequence: index as u64 + 1,
        leaf_index: index as u64,
        tree_size: size as u64,
        digest: entries[index].digest.to_string(),
        audit_path: path.iter().map(|h| hex(h)).collect(),
        tree_head: hex(&merkle::root(&leaves)),
    };
    // A proof for a tree size named in the address never changes; one for the whole log grows with it.
    let cache = if query.tree_size.is_some() { Cache::Immutable } else { Cache::Published };
    ctx.json(&answer, cache)
}

/// `/api/v1/{code}/log/proof/consistency?first=M&second=S`: that the tree of the first S publications (default:
/// the whole log) extends the tree of the first M.
pub async fn api_consistency(ctx: ApiCtx, Query(query): Query<ConsistencyQuery>) -> ApiResult {
    let entries = entries(&ctx);
    let second = tree_size(&ctx, query.second, entries.len())?;
    let first = match query.first {
        Some(first) if first as usize <= second => first as usize,
        Some(first) => {
            return Err(Problem::bad_request(format!("first ({first}) must not be past second ({second}).")).into());
        }
        None => return Err(Problem::bad_request("Give first=M, the size of the tree you hold.").into()),
    };
    let leaves: Vec<merkle::Hash> = entries[..second].iter().map(|e| e.digest.leaf()).collect();
    let proof = merkle::consistency_proof(&leaves, first).unwrap_or_default();
    let answer = ConsistencyJson {
        code: ctx.code.to_string(),
        first: first as u64,
        second: second as u64,
        first_tree_head: hex(&merkle::root(&leaves[..first])),
        second_tree_head: hex(&merkle::root(&leaves)),
        consistency_path: proof.iter().map(|h| hex(h)).collect(),
    };
    let cache = if query.second.is_some() { Cache::Immutable } else { Cache::Published };
    ctx.json(&answer, cache)
}

/// A tree size from the query: 1 to the log's size (default the log's size).
fn tree_size(ctx: &ApiCtx, asked: Option<u64>, size: usize) -> Result<usize, Problem> {
    match asked {
        None if size > 0 => Ok(size),
        Some(asked) if asked >= 1 && asked as usize <= size => Ok(asked as usize),
        _ => Err(Problem::not_found(format!(
            "The log of {} holds {size} publication(s): a tree size is 1 to {size}.",
            ctx.code
        ))),
    }
}
