//! What the command line's writes and housekeeping answer.

use inforce_core::History;
use inforce_core::change::{Process, Proposal};
use jiff::civil::Date;
use serde::Serialize;

use super::leaf::{DocumentJson, ProposalJson};

/// `inforce codes`: the codes in the database.
#[derive(Serialize)]
pub struct CodeListJson {
    codes: Vec<String>,
}

impl CodeListJson {
    /// The given codes.
    pub fn new(codes: &[inforce_core::CodeId]) -> Self {
        Self { codes: codes.iter().map(ToString::to_string).collect() }
    }
}

/// One publication: when it was recorded, where it came from, how many records it wrote, who made it with which
/// command, and the publication it was computed against. `author`, `command` and `base` are null where not
/// recorded (publications made before they were).
#[derive(Serialize)]
pub struct PublicationJson {
    id: i64,
    /// RFC 3339, microseconds.
    recorded_at: String,
    origin: String,
    records: i64,
    author: Option<String>,
    command: Option<String>,
    base: Option<i64>,
    /// Why it replaces what was recorded (a correction); `None` otherwise.
    reason: Option<String>,
}

pub use inforce_core::ledger::PublicationFacts;

impl PublicationJson {
    /// A publication's facts.
    pub fn new(facts: PublicationFacts<'_>) -> Self {
        let recorded = |text: &str| (!text.is_empty()).then(|| text.to_string());
        Self {
            id: facts.id,
            recorded_at: facts.recorded_at.to_string(),
            origin: facts.origin.to_string(),
            records: facts.records,
            author: recorded(facts.author),
            command: recorded(facts.command),
            base: facts.base,
            reason: facts.reason.map(str::to_string),
        }
    }
}

/// `inforce publications`.
#[derive(Serialize)]
pub struct PublicationsJson {
    code: String,
    publications: Vec<PublicationJson>,
}

impl PublicationsJson {
    /// The publications of `code`, oldest first.
    pub fn new(code: &inforce_core::CodeId, publications: Vec<PublicationJson>) -> Self {
        Self { code: code.to_string(), publications }
    }
}

/// `inforce audit`: every write the filter admits, of each code, oldest first.
#[derive(Serialize)]
pub struct AuditJson {
    /// The filter, as given (null where not).
    by: Option<String>,
    from: Option<String>,
    to: Option<String>,
    writes: Vec<AuditWriteJson>,
}

/// One write in an audit: a publication and its code.
#[derive(Serialize)]
pub struct AuditWriteJson {
    code: String,
    #[serde(flatten)]
    publication: PublicationJson,
}

impl AuditJson {
    /// The writes, each a code and its publication's facts.
    pub fn new(filter: &inforce_core::ledger::AuditFilter, writes: Vec<(String, PublicationJson)>) -> Self {
        Self {
            by: filter.by.clone(),
            from: filter.from.map(|d| d.to_string()),
            to: filter.to.map(|d| d.to_string()),
            writes: writes.into_iter().map(|(code, publication)| AuditWriteJson { code, publication }).collect(),
        }
    }
}

/// What a publication wrote (`inforce register import`, `inforce import`): whether anything changed and, if so,
/// the publication.
#[derive(Serialize)]
pub struct WrittenJson {
    code: String,
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    publication: Option<i64>,
    records: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_at: Option<String>,
}

impl WrittenJson {
    /// Nothing was written: the register already said so.
    pub fn unchanged(code: &inforce_core::CodeId) -> Self {
        Self { code: code.to_string(), changed: false, publication: None, records: 0, recorded_at: None }
    }

    /// Publication `id` wrote `records` records at `recorded_at`.
    pub fn published(code: &inforce_core::CodeId, id: i64, records: i64, recorded_at: jiff::Timestamp) -> Self {
        Self {
            code: code.to_string(),
            changed: true,
            publication: Some(id),
            records,
            recorded_at: Some(recorded_at.to_string()),
        }
    }
}

/// `inforce register upgrade-builtin`: what the built-in register of this build changes, what is kept as edited,
/// and the publication when applied.
#[derive(Serialize)]
pub struct UpgradeJson {
    code: String,
    /// Each change taken over (or that would be): `kind` (`provision`, `entry`, …), `key`, `change` (`new`,
    /// `changed`, `withdrawn`).
    applied: Vec<UpgradeItemJson>,
    /// Records the built-in register changes but someone edited here: kept as they are.
    kept: Vec<UpgradeItemJson>,
    /// Whether anything was published.
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    publication: Option<i64>,
    records: i64,
}

#[derive(Serialize)]
struct UpgradeItemJson {
    kind: &'static str,
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<&'static str>,
}

impl UpgradeJson {
    pub fn new(
        code: &inforce_core::CodeId,
        upgrade: &inforce_core::ledger::Upgrade,
        published: Option<(i64, i64)>,
    ) -> Self {
        Self {
            code: code.to_string(),
            applied: upgrade
                .applied
                .iter()
                .map(|(kind, key, change)| UpgradeItemJson {
                    kind: kind.as_str(),
                    key: key.clone(),
                    change: Some(change.as_str()),
                })
                .collect(),
            kept: upgrade
                .kept
                .iter()
                .map(|(kind, key)| UpgradeItemJson { kind: kind.as_str(), key: key.clone(), change: None })
                .collect(),
            changed: published.is_some(),
            publication: published.map(|p| p.0),
            records: published.map_or(0, |p| p.1),
        }
    }
}

/// `inforce import` and `inforce import-version`: what a text import wrote and found.
#[derive(Serialize)]
pub struct TextImportJson {
    code: String,
    changed: bool,
    publication: Option<i64>,
    records: i64,
    new_versions: Vec<String>,
    new_provisions: usize,
    /// Each disagreement between the texts and the register's change lists, in a sentence.
    discrepancies: Vec<String>,
    /// `import-docx`: the likely renumberings (old number, new number, similarity of wording from 0 to 1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    renumbered: Vec<RenumberedJson>,
    /// `import-docx`: what the import noticed and did not act on (titles kept, text outside any clause), each in a
    /// sentence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// A likely renumbering between the version before an import and the one it made.
#[derive(Serialize)]
pub struct RenumberedJson {
    /// The clause's number before.
    pub from: String,
    /// Its number after.
    pub to: String,
    /// How alike the two wordings are, from 0 to 1.
    pub similarity: f64,
}

/// `inforce docx-changes`: a Word document's tracked changes.
#[derive(Serialize)]
pub struct DocxChangesJson {
    /// The file, as given.
    pub file: String,
    /// Each change in document order.
    pub changes: Vec<TrackedChangeJson>,
}

/// One tracked change (a row of `changes.tsv`).
#[derive(Serialize)]
pub struct TrackedChangeJson {
    /// `ins`, `del`, `move-from`, `move-to`, `format` (a run's formatting), `numbering` or `formatting` (a paragraph's
    /// properties: its list or level, or others), `join` (a paragraph mark deleted, its words kept) or `split` (one
    /// inserted inside words that were there).
    pub kind: &'static str,
    /// Its author, as written.
    pub author: String,
    /// Its date, as written (empty when the document gives none).
    pub date: String,
    /// The clause holding it (numbered as with every change accepted; for deleted text, as before), or null.
    pub provision_id: Option<String>,
    /// Exactly the changed characters.
    pub text: String,
}

impl TextImportJson {
    /// An import of `code`: the publication it made (`None`: nothing written), what it added, what it found.
    pub fn new(
        code: &inforce_core::CodeId,
        publication: Option<(i64, i64)>,
        new_versions: &[inforce_core::EntryId],
        new_provisions: usize,
        discrepancies: Vec<String>,
    ) -> Self {
        Self {
            code: code.to_string(),
            changed: publication.is_some(),
            publication: publication.map(|(id, _)| id),
            records: publication.map_or(0, |(_, records)| records),
            new_versions: new_versions.iter().map(ToString::to_string).collect(),
            new_provisions,
            discrepancies,
            renumbered: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// With an import report's likely renumberings and notes.
    pub fn with_report(mut self, renumbered: Vec<RenumberedJson>, notes: Vec<String>) -> Self {
        self.renumbered = renumbered;
        self.notes = notes;
        self
    }
}

/// `inforce check`: every disagreement between the texts and the register's change lists.
#[derive(Serialize)]
pub struct CheckJson {
    code: String,
    has_texts: bool,
    discrepancies: Vec<DiscrepancyJson>,
    /// Publications whose recorded origin, author or command tell of the machine that made them (a local path, a
    /// bare user id): kept as recorded, as their digests cover them.
    local_details: Vec<LocalDetailsJson>,
}

/// One publication that carries local details.
#[derive(Serialize)]
struct LocalDetailsJson {
    publication: i64,
    /// Some of `origin`, `author`, `command`, `summary` (a version summary it wrote).
    fields: Vec<&'static str>,
}

/// `inforce check` without `--code`: every code, in id order.
#[derive(Serialize)]
pub struct CheckCodesJson {
    /// One report per code.
    pub codes: Vec<CheckJson>,
}

/// One disagreement.
#[derive(Serialize)]
struct DiscrepancyJson {
    entry: String,
    provision: String,
    /// `changed_but_not_listed` or `listed_as_{kind}_but_unchanged`.
    kind: String,
    message: String,
}

impl CheckJson {
    /// The discrepancies `history` finds, and the publications that carry local details: (publication, the
    /// fields that do, as [`inforce_core::ledger::PublicationFacts::local_details`] names them).
    pub fn new(
        history: &History,
        found: &[inforce_core::import::Discrepancy<'_>],
        local: &[(i64, Vec<&'static str>)],
    ) -> Self {
        use inforce_core::import::DiscrepancyKind;
        Self {
            code: history.register().code.id.to_string(),
            has_texts: history.has_texts(),
            discrepancies: found
                .iter()
                .map(|d| DiscrepancyJson {
                    entry: d.entry.id.to_string(),
                    provision: d.provision.to_string(),
                    kind: match d.kind {
                        DiscrepancyKind::ChangedButNotListed => "changed_but_not_listed".to_string(),
                        DiscrepancyKind::ListedButUnchanged(k) => format!("listed_as_{}_but_unchanged", k.as_str()),
                    },
                    message: d.describe(),
                })
                .collect(),
            local_details: local
                .iter()
                .map(|(publication, fields)| LocalDetailsJson { publication: *publication, fields: fields.clone() })
                .collect(),
        }
    }
}

/// `inforce doc add`: the document described, and whether anything was written.
#[derive(Serialize)]
pub struct DocumentAddedJson {
    document: DocumentJson,
    changed: bool,
}

impl DocumentAddedJson {
    /// `document`, stored now (`changed`) or already.
    pub fn new(document: &inforce_core::document::Document, changed: bool) -> Self {
        Self { document: DocumentJson::new(document), changed }
    }
}

/// `inforce copy`: what was copied.
#[derive(Serialize)]
pub struct CopiedJson {
    codes: Vec<String>,
    publications: usize,
    records: usize,
}

impl CopiedJson {
    /// `publications` publications holding `records` records, of `codes`.
    pub fn new(codes: &[inforce_core::CodeId], publications: usize, records: usize) -> Self {
        Self { codes: codes.iter().map(ToString::to_string).collect(), publications, records }
    }
}

/// `inforce export`: the Markdown files written.
#[derive(Serialize)]
pub struct MarkdownWrittenJson {
    code: String,
    date: String,
    folder: String,
    provision_files: usize,
}

impl MarkdownWrittenJson {
    /// `provision_files` files and the index of `code` at `date`, in `folder`.
    pub fn new(code: &inforce_core::CodeId, date: Date, folder: &str, provision_files: usize) -> Self {
        Self { code: code.to_string(), date: date.to_string(), folder: folder.to_string(), provision_files }
    }
}

/// `inforce export-site`: the static site written.
#[derive(Serialize)]
pub struct SiteWrittenJson {
    outdir: String,
    pages: usize,
    documents: usize,
    bytes: u64,
    today: String,
}

impl SiteWrittenJson {
    /// `pages` pages and `documents` other files, `bytes` in all, into `outdir`, as of `today`.
    pub fn new(outdir: &str, pages: usize, documents: usize, bytes: u64, today: Date) -> Self {
        Self { outdir: outdir.to_string(), pages, documents, bytes, today: today.to_string() }
    }
}

/// `inforce reindex`: the search index built and kept.
#[derive(Serialize)]
pub struct ReindexedJson {
    code: String,
    path: String,
    wordings: usize,
    words: usize,
    bytes: u64,
    /// How long the build took.
    milliseconds: f64,
}

impl ReindexedJson {
    /// An index of `wordings` wordings and `words` distinct words, kept at `path` in `bytes` bytes.
    pub fn new(
        code: &inforce_core::CodeId,
        path: &str,
        wordings: usize,
        words: usize,
        bytes: u64,
        milliseconds: f64,
    ) -> Self {
        Self { code: code.to_string(), path: path.to_string(), wordings, words, bytes, milliseconds }
    }
}

/// `inforce mod new|advance|update`: the proposal as it now stands, and whether anything was written.
#[derive(Serialize)]
pub struct ProposalWrittenJson {
    #[serde(flatten)]
    proposal: ProposalJson,
    changed: bool,
}

impl ProposalWrittenJson {
    /// `proposal` in `process`, written now (`changed`) or already as it is.
    pub fn new(process: &Process, proposal: &Proposal, changed: bool, today: Date) -> Self {
        Self { proposal: ProposalJson::new(process, proposal, today), changed }
    }
}

/// `inforce verify`: each code's history against its publication log.
#[derive(Serialize)]
pub struct VerifyJson {
    /// One verdict per code.
    pub codes: Vec<VerifiedJson>,
}

/// One code's verdict: `intact` with its tree, or `tampered` naming the first publication that does not match.
#[derive(Serialize, Default)]
pub struct VerifiedJson {
    /// The code.
    pub code: String,
    /// `intact` or `tampered`.
    pub status: &'static str,
    /// Intact: how many publications its log holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Intact: the head of its Merkle tree, 64 hex digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree_head: Option<String>,
    /// Intact: how many digests were computed after the fact (publications made before the log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed_after_the_fact: Option<u64>,
    /// Tampered: the first publication that does not match (its id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication: Option<i64>,
    /// Tampered: its place in the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence: Option<u64>,
    /// Tampered: what does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
