//! Copying every publication from one store to another, for moving a register between databases (SQLite to
//! PostgreSQL, say) without losing its history.

use std::collections::HashMap;

use inforce_core::text::TextWrite;
use inforce_core::{CodeId, RecordBody};

use crate::{NewPublication, Store, StoreError};

/// Why a copy stopped: a clash (found before anything is written) or a store's failure (publications copied
/// before it stay, each whole).
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The target already holds one of the codes, so the copy would mix two histories.
    #[error("the target already holds code '{code}'; copy into a database without it, nothing was written")]
    Clash {
        /// The first code found in both stores.
        code: CodeId,
    },
    /// A code's history in the source does not match its publication log: copying it would give altered
    /// content fresh digests. Found before anything of that code is written.
    #[error(
        "the history of '{}' in the source does not match its publication log, from publication {} (number {} in \
         the log): {}; it was not copied (run `inforce verify` on the source)",
        .0.code, .0.publication, .0.sequence, .0.reason
    )]
    Tampered(crate::Tampered),
    /// Either store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What [`copy`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySummary {
    /// The codes copied, in the source's order.
    pub codes: Vec<CodeId>,
    /// How many publications were written.
    pub publications: usize,
    /// How many records (register and text records) they hold.
    pub records: usize,
}

/// Copies every publication of every code in `from`, in the order they were made, keeping record times, origins,
/// authors, commands, bases and document files, into `to`, which must hold none of those codes
/// ([`CopyError::Clash`], nothing written). Each code is verified against its publication log first
/// ([`CopyError::Tampered`]), and the copy's digests are checked to be the source's.
pub async fn copy(from: &dyn Store, to: &dyn Store) -> Result<CopySummary, CopyError> {
    let codes = from.codes().await?;
    let present = to.codes().await?;
    if let Some(clash) = codes.iter().find(|c| present.contains(c)) {
        return Err(CopyError::Clash { code: clash.clone() });
    }
    let mut publications = Vec::new();
    for code in &codes {
        // A copy computes every digest afresh: only a history that matches its log may be copied.
        if let crate::Verdict::Tampered(tampered) = crate::verify(from, code).await? {
            return Err(CopyError::Tampered(tampered));
        }
        let records = from.records(code).await?;
        let ledger = from.text_ledger(code).await?;
        let (text_records, bodies) = (ledger.records, ledger.bodies);
        for publication in from.publications(code).await? {
            let writes: Vec<_> =
                records.iter().filter(|r| r.publication == publication.id).map(|r| r.write.clone()).collect();
            let text_writes: Vec<TextWrite> = text_records
                .iter()
                .filter(|r| r.publication == publication.id)
                .map(|r| TextWrite { assignment: r.assignment.clone(), withdrawn: r.withdrawn })
                .collect();
            let new_texts = text_writes
                .iter()
                .filter_map(|w| w.assignment.text)
                .filter_map(|h| bodies.get(&h).map(|t| (h, t.clone())))
                .collect();
            // Each document's file travels with the publication that first described it.
            let mut new_files = Vec::new();
            for write in &writes {
                if let Some(RecordBody::Document(document)) = &write.body
                    && let Some(bytes) = from.file(code, &document.sha256).await?
                {
                    new_files.push((document.sha256.clone(), bytes));
                }
            }
            publications.push((publication, writes, text_writes, new_texts, new_files));
        }
    }
    publications.sort_by_key(|(p, ..)| p.id);
    let mut heads: HashMap<CodeId, i64> = HashMap::new();
    // Publication ids in the target, by id in the source: a base names the copy of its publication.
    let mut copies: HashMap<i64, i64> = HashMap::new();
    let (mut copied, mut records) = (0, 0);
    for (publication, writes, text_writes, new_texts, new_files) in publications {
        records += writes.len() + text_writes.len();
        let new = NewPublication {
            code: publication.code.clone(),
            recorded_at: publication.recorded_at,
            origin: publication.origin,
            author: publication.author,
            command: publication.command,
            reason: publication.reason,
            base: publication.base.and_then(|base| copies.get(&base).copied()),
            expected_head: heads.get(&publication.code).copied(),
            writes,
            text_writes,
            new_texts,
            new_files,
        };
        let stored = to.publish(new).await?;
        copies.insert(publication.id, stored.id);
        heads.insert(publication.code, stored.id);
        copied += 1;
    }
    // The copies' digests are the originals': the log covers content, never row ids.
    for code in &codes {
        let digests = |log: Vec<crate::LogEntry>| log.into_iter().map(|e| (e.sequence, e.digest)).collect::<Vec<_>>();
        let (original, copied) = (digests(from.log(code).await?), digests(to.log(code).await?));
        if original != copied {
            return Err(CopyError::Store(StoreError::Corrupt {
                code: code.to_string(),
                seq: 0,
                reason: "the copy's publication log differs from the source's; the target holds the copy as made"
                    .into(),
            }));
        }
    }
    Ok(CopySummary { codes, publications: copied, records })
}
