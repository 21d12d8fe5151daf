//! A text import as one store operation: the versions read from a folder are joined to the code's stored
//! register and texts (`inforce_core::import::merge_versions`), and the result is published in one transaction.

use std::collections::HashMap;
use std::sync::Arc;

use inforce_core::import::{ImportProblem, Replaced, TextImport, merge_versions, replaced_texts};
use inforce_core::text::{TextHash, Texts};
use inforce_core::{CodeId, EntryId, History};

use crate::registry::{PUBLISH_ATTEMPTS, publish_once};
use crate::{Provenance, PublishOutcome, Publishing, Store, StoreError, load_register, load_texts};

/// What to import and how to record it.
pub struct TextImportRequest<'a> {
    /// The code the texts belong to (created when the store has none).
    pub code: &'a CodeId,
    /// The versions read, with the order and headings of their provisions.
    pub import: TextImport<'a>,
    /// The texts those versions name that may be new to the store, by hash.
    pub new_bodies: HashMap<TextHash, Arc<str>>,
    /// The code's title, used only when the import creates the code.
    pub title: Option<String>,
    /// The code's time zone (an IANA name the caller has checked), set when given.
    pub time_zone: Option<String>,
    /// The last day the code's list of versions is complete up to (`versions_complete_until`), set when given.
    pub complete_until: Option<jiff::civil::Date>,
    /// Whether the code's first version is its origin or a baseline (`first_version`): set when given, else, when
    /// the import creates the code, `new_code_first_version`.
    pub first_version: Option<inforce_core::FirstVersion>,
    /// What a code this import creates reads its first version as when `first_version` is not given.
    pub new_code_first_version: inforce_core::FirstVersion,
    /// What the register records about the versions this import adds: instrument, when made, sources.
    pub details: VersionDetails,
    /// Who imports the texts, from where (`folder:NAME sha256:…`), the record time to give the publication, and,
    /// for a correction, why (its `reason`).
    pub provenance: Provenance,
    /// Whether the import may replace texts recorded for its versions (`--replace --reason`): a correction.
    /// Without it, an import that would is refused ([`ImportError::Replaces`]).
    pub replace: bool,
}

/// What a version recorded from texts carries besides its texts, as a register file would give it.
#[derive(Debug, Clone, Default)]
pub struct VersionDetails {
    /// What made it (`Instrument::Unknown` when not given).
    pub instrument: Option<inforce_core::Instrument>,
    /// When it was made.
    pub made: Option<inforce_core::FuzzyDate>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// Provisions without text that the versions take out (added to their removed lists); those with text are
    /// taken out by the versions' texts.
    pub removed: Vec<inforce_core::ProvisionId>,
}

/// What an import did.
pub struct ImportedTexts {
    /// Whether anything was written, and the publication if so.
    pub outcome: PublishOutcome,
    /// The code's history (register and texts) as it now stands.
    pub history: History,
    /// Versions the register did not have before.
    pub new_versions: Vec<EntryId>,
    /// How many provisions the register did not have before.
    pub new_provisions: usize,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The texts cannot be joined to the register; every problem is listed.
    #[error("import refused, nothing was stored:\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Refused(Vec<ImportProblem>),
    /// The import would replace texts recorded for versions of the code, and is not a correction.
    #[error(
        "import refused, nothing was stored: it would replace recorded texts:\n{}\nAn import adds texts; it does \
         not replace them. If the recorded texts are wrong, give --replace --reason TEXT to record this import as \
         a correction (--as-recorded still shows the texts recorded before it)",
        .replaced.iter().map(|r| format!(
            "  version {} of '{}': {}",
            r.version,
            .code,
            r.provisions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        )).collect::<Vec<_>>().join("\n")
    )]
    Replaces {
        /// The code.
        code: CodeId,
        /// Each version, with the provisions whose recorded text differs.
        replaced: Vec<Replaced>,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Joins `request`'s versions to the stored register and texts of its code and publishes the result: all of it
/// in one publication, or nothing. Importing the same versions again writes nothing. When another publication
/// lands while the import is prepared, the versions are joined again to the register and texts that publication
/// made (never published over it), up to five times. An import that would make a version whose texts are
/// recorded read otherwise is refused unless `request.replace` ([`ImportError::Replaces`]): decided against the
/// state the publication is computed from, and that publication lands only if no other landed since, so of two
/// concurrent imports of one version with different texts exactly one lands.
pub async fn import_texts(store: &dyn Store, request: TextImportRequest<'_>) -> Result<ImportedTexts, ImportError> {
    let code = request.code;
    let mut attempt = 1;
    loop {
        let head = store.publications(code).await?.last().map(|p| p.id);
        let current = load_register(store, code, None).await?.map(|l| l.register);
        let stored = load_texts(store, code, None).await?;
        let mut merged =
            merge_versions(code, current.as_ref(), &stored, request.import).map_err(ImportError::Refused)?;
        if !request.replace {
            let replaced = replaced_texts(current.as_ref(), &stored, request.import);
            if !replaced.is_empty() {
                return Err(ImportError::Replaces { code: code.clone(), replaced });
            }
        }
        let mut bodies = stored.bodies;
        if let Some(title) = request.title.clone().filter(|_| current.is_none()) {
            merged.register.code.title = title;
        }
        if let Some(zone) = request.time_zone.clone() {
            merged.register.code.time_zone = Some(zone);
        }
        if let Some(date) = request.complete_until {
            merged.register.code.versions_complete_until = Some(date);
        }
        match (request.first_version, &current) {
            (Some(first), _) => merged.register.code.first_version = first,
            (None, None) => merged.register.code.first_version = request.new_code_first_version,
            (None, Some(_)) => {}
        }
        for entry in merged.register.entries.iter_mut().filter(|e| merged.new_versions.contains(&e.id)) {
            if let Some(instrument) = request.details.instrument {
                entry.instrument = instrument;
            }
            if let Some(made) = request.details.made {
                entry.made = made;
            }
            entry.sources.extend(request.details.sources.iter().cloned());
            for gone in &request.details.removed {
                if !entry.removed.listed.contains(gone) {
                    entry.removed.listed.push(gone.clone());
                }
            }
        }
        bodies.extend(request.new_bodies.iter().map(|(hash, text)| (*hash, text.clone())));
        let what = Publishing {
            register: &merged.register,
            texts: Some((&merged.assignments, &bodies)),
            base: crate::Base::Head(head),
        };
        let outcome = match publish_once(store, what, &request.provenance).await {
            Err(StoreError::Conflict { .. }) if attempt < PUBLISH_ATTEMPTS => {
                attempt += 1;
                continue;
            }
            outcome => outcome?,
        };
        let history = History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies });
        let (new_versions, new_provisions) = (merged.new_versions, merged.new_provisions);
        return Ok(ImportedTexts { outcome, history, new_versions, new_provisions });
    }
}
