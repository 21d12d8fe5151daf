//! Registers over a store: load one as it stands (or stood at a record time), publish a new one as corrections.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use inforce_core::ledger::RecordKind;
use inforce_core::ledger::{register_as_of, writes_for};
use inforce_core::text::{TextAssignment, TextHash, Texts, assignments_as_of, text_writes_for};
use inforce_core::unicode::nfc;
use inforce_core::{CodeId, Register};
use jiff::Timestamp;

use crate::{NewPublication, Provenance, Publication, Store, StoreError};

/// A register read from the store, with the publication it reflects.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The register.
    pub register: Register,
    /// The latest publication included: records of later ones are left out, even when they landed while the
    /// register was being read.
    pub publication: Publication,
    /// The record time asked about, if any.
    pub as_of: Option<Timestamp>,
    /// For each version or event, the publications that wrote its record, in order (the first recorded it).
    pub entry_writers: HashMap<String, Vec<i64>>,
}

/// What publishing a register did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishOutcome {
    /// The store already held exactly this register: nothing was written.
    Unchanged,
    /// A publication was appended with this many records (new, corrected or withdrawn items).
    Published(Publication),
}

/// The register of `code` as it stands, or as it stood at record time `as_of`; `None` if nothing was recorded.
pub async fn load_register(
    store: &dyn Store,
    code: &CodeId,
    as_of: Option<Timestamp>,
) -> Result<Option<Loaded>, StoreError> {
    // Publications first: a publication landing while the records are read is then left out whole, so the
    // register is exactly the one `publication` made.
    let publications = store.publications(code).await?;
    let Some(publication) = publications.into_iter().rev().find(|p| as_of.is_none_or(|at| p.recorded_at <= at)) else {
        return Ok(None);
    };
    let mut records = store.records(code).await?;
    records.retain(|r| r.publication <= publication.id);
    let Some(register) = register_as_of(&records, as_of) else { return Ok(None) };
    let mut entry_writers: HashMap<String, Vec<i64>> = HashMap::new();
    for record in
        records.iter().filter(|r| r.write.kind == RecordKind::Entry && as_of.is_none_or(|at| r.recorded_at <= at))
    {
        let writers = entry_writers.entry(record.write.key.clone()).or_default();
        if writers.last() != Some(&record.publication) {
            writers.push(record.publication);
        }
    }
    Ok(Some(Loaded { register, publication, as_of, entry_writers }))
}

/// The register that the publications from `origin` alone have made (as if nobody else had published): what
/// an edition such as the built-in register has said so far. `None` when that origin published nothing.
pub async fn register_from_origin(
    store: &dyn Store,
    code: &CodeId,
    origin: &str,
) -> Result<Option<Register>, StoreError> {
    let from: std::collections::HashSet<i64> =
        store.publications(code).await?.into_iter().filter(|p| p.origin == origin).map(|p| p.id).collect();
    if from.is_empty() {
        return Ok(None);
    }
    let mut records = store.records(code).await?;
    records.retain(|r| from.contains(&r.publication));
    Ok(register_as_of(&records, None))
}

/// The code's description as it stands (title, time zone, …); `None` when the code is not recorded.
pub async fn code_description(store: &dyn Store, code: &CodeId) -> Result<Option<inforce_core::Code>, StoreError> {
    let records = store.records(code).await?;
    let latest = records.iter().rev().find(|r| r.write.kind == inforce_core::ledger::RecordKind::Code);
    Ok(match latest.and_then(|r| r.write.body.as_ref()) {
        Some(inforce_core::RecordBody::Code(code)) => Some(code.clone()),
        _ => None,
    })
}

/// The code's texts as they stand, or as they stood at record time `as_of`. Empty when none are recorded.
pub async fn load_texts(store: &dyn Store, code: &CodeId, as_of: Option<Timestamp>) -> Result<Texts, StoreError> {
    let ledger = store.text_ledger(code).await?;
    let assignments = assignments_as_of(&ledger.records, as_of);
    Ok(Texts { assignments, bodies: ledger.bodies })
}

/// The texts that go with a loaded register: as they stood at the same publication.
pub async fn texts_for(store: &dyn Store, loaded: &Loaded) -> Result<Texts, StoreError> {
    let code = &loaded.register.code.id;
    let mut ledger = store.text_ledger(code).await?;
    ledger.records.retain(|r| r.publication <= loaded.publication.id);
    let assignments = assignments_as_of(&ledger.records, loaded.as_of);
    Ok(Texts { assignments, bodies: ledger.bodies })
}

/// When each item of a loaded register, and each of its wordings, was first recorded and last corrected: read
/// from the code's ledgers as they stood at the same publication and record time.
pub async fn record_times_for(
    store: &dyn Store,
    loaded: &Loaded,
) -> Result<inforce_core::record_times::RecordTimeIndex, StoreError> {
    let code = &loaded.register.code.id;
    let mut records = store.records(code).await?;
    records.retain(|r| r.publication <= loaded.publication.id);
    let mut texts = store.text_ledger(code).await?.records;
    texts.retain(|r| r.publication <= loaded.publication.id);
    let reasons: HashMap<i64, String> =
        store.publications(code).await?.into_iter().filter_map(|p| Some((p.id, p.reason?))).collect();
    Ok(inforce_core::record_times::RecordTimeIndex::new(&records, &texts, loaded.as_of).with_reasons(
        &records,
        &reasons,
        loaded.as_of,
    ))
}

/// The corrections of a code's records that said why, as they stood at record time `as_of` (`None`: now): for
/// commands that show a record beside its corrections (`inforce versions`, `consultation show`). Reads only the
/// publications when none gives a reason (nearly always), and never the texts.
pub async fn corrections(
    store: &dyn Store,
    code: &CodeId,
    as_of: Option<jiff::Timestamp>,
) -> Result<inforce_core::record_times::RecordTimeIndex, StoreError> {
    let reasons: HashMap<i64, String> =
        store.publications(code).await?.into_iter().filter_map(|p| Some((p.id, p.reason?))).collect();
    let index = inforce_core::record_times::RecordTimeIndex::default();
    if reasons.is_empty() {
        return Ok(index);
    }
    Ok(index.with_reasons(&store.records(code).await?, &reasons, as_of))
}

/// Every text assignment of a code, and the texts they name.
pub type TextsToPublish<'a> = (&'a [TextAssignment], &'a HashMap<TextHash, Arc<str>>);

/// What a publication makes current: a register, and optionally the code's complete text assignments.
#[derive(Debug, Clone, Copy)]
pub struct Publishing<'a> {
    /// The register.
    pub register: &'a Register,
    /// Every text assignment of the code and the texts they name; `None` leaves the stored texts as they are.
    pub texts: Option<TextsToPublish<'a>>,
    /// What the register was made from, which decides what it may undo.
    pub base: Base,
}

/// What a register to publish was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The register as it stands, read just before (the built-in register, a text import): its writes are computed
    /// against the current publication.
    Current,
    /// A register file exported from this publication (`None`: written without one). It may not withdraw or
    /// overwrite a record published after that publication, nor, without one, withdraw any record: what others
    /// published meanwhile is never undone unseen ([`StoreError::Stale`]).
    File(Option<i64>),
    /// A register file meant to replace the stored register whatever was published since (`--replace`).
    Replace,
    /// Computed from the register and texts as they stood at this publication (`None`: before the code's first):
    /// when another has landed since, nothing is written ([`StoreError::Conflict`]) and the caller computes
    /// again from the new state, so that nothing the other wrote is undone.
    Head(Option<i64>),
}

/// How many times a publication is recomputed when another publisher got in first.
pub(crate) const PUBLISH_ATTEMPTS: usize = 5;

/// Makes `register` the current register of its code by appending only what differs from the stored one. The
/// register must already be validated. When another publication lands first, the writes are computed again
/// against it, so both are kept, one after the other, and neither is half-applied.
pub async fn publish_register(
    store: &dyn Store,
    register: &Register,
    by: &Provenance,
) -> Result<PublishOutcome, StoreError> {
    publish(store, Publishing { register, texts: None, base: Base::Current }, by).await
}

/// Makes a register and its texts current, appending only what differs, as one publication; retried like
/// [`publish_register`] when another publication lands first.
pub async fn publish(store: &dyn Store, what: Publishing<'_>, by: &Provenance) -> Result<PublishOutcome, StoreError> {
    let mut attempt = 1;
    loop {
        match publish_once(store, what, by).await {
            Err(StoreError::Conflict { .. }) if attempt < PUBLISH_ATTEMPTS => attempt += 1,
            outcome => return outcome,
        }
    }
}

/// Applies `edit` to the code's current register (`None` when nothing is recorded) and publishes the result
/// (which `edit` must have validated). When another publication lands first, `edit` is applied again to the
/// register that publication made, so concurrent edits of different records are all kept.
pub async fn publish_edit<E: From<StoreError>>(
    store: &dyn Store,
    code: &CodeId,
    by: &Provenance,
    files: &[(String, Vec<u8>)],
    edit: impl Fn(Option<&Register>) -> Result<Register, E>,
) -> Result<(PublishOutcome, Register), E> {
    let mut attempt = 1;
    loop {
        let head = store.publications(code).await?.last().map(|p| p.id);
        let records = store.records(code).await?;
        let current = register_as_of(&records, None);
        let next = edit(current.as_ref())?;
        let next = if let Cow::Owned(composed) = composed(&next) { composed } else { next };
        let writes = composed_writes(code, current.as_ref(), &next)?;
        if writes.is_empty() {
            return Ok((PublishOutcome::Unchanged, next));
        }
        check_files(store, code, &writes, files).await?;
        let publication = NewPublication { new_files: files.to_vec(), ..by.publication(code, head, head, writes) };
        match store.publish(publication).await {
            Err(StoreError::Conflict { .. }) if attempt < PUBLISH_ATTEMPTS => attempt += 1,
            Err(error) => return Err(error.into()),
            Ok(published) => return Ok((PublishOutcome::Published(published), next)),
        }
    }
}

/// The register with every string in Normalization Form C: what comes in (register files, command arguments,
/// imports) is kept composed, so canonically equivalent spellings are one spelling. Borrowed when it already is
/// (nearly always; checked on its JSON form, where every string appears as itself).
fn composed(register: &Register) -> Cow<'_, Register> {
    let Ok(json) = serde_json::to_string(register) else { return Cow::Borrowed(register) };
    match nfc(&json) {
        Cow::Borrowed(_) => Cow::Borrowed(register),
        Cow::Owned(json) => serde_json::from_str(&json).map_or(Cow::Borrowed(register), Cow::Owned),
    }
}

/// The record writes that make `next` current, both registers read composed: a record stored in another Unicode
/// form by an earlier build is not written again unless something else in it changed, and what is written is
/// composed.
///
/// Refused ([`StoreError::Refused`]) when a written string breaks the register's string rules (a control
/// character, a field past its length: [`inforce_core::validate::string_problem`]), whichever way it came in;
/// records already stored are not checked again.
fn composed_writes(
    code: &CodeId,
    current: Option<&Register>,
    next: &Register,
) -> Result<Vec<inforce_core::RecordWrite>, StoreError> {
    let current = current.map(composed);
    let writes = writes_for(current.as_deref(), &composed(next));
    let problems = string_problems(&writes);
    if problems.is_empty() { Ok(writes) } else { Err(StoreError::Refused { code: code.to_string(), problems }) }
}

/// Each string of the writes that breaks the string rules, as "provision H15: `title` holds …". Walks each
/// record's JSON form (where every string appears under its field's name) with a stack of its own.
fn string_problems(writes: &[inforce_core::RecordWrite]) -> Vec<String> {
    let mut problems = Vec::new();
    for write in writes {
        let Some(body) = &write.body else { continue };
        use inforce_core::RecordBody as B;
        let json = match body {
            B::Code(x) => serde_json::to_value(x),
            B::Provision(x) => serde_json::to_value(x),
            B::Entry(x) => serde_json::to_value(x),
            B::Consultation(x) => serde_json::to_value(x),
            B::Process(x) => serde_json::to_value(x),
            B::Proposal(x) => serde_json::to_value(x),
            B::Planned(x) => serde_json::to_value(x),
            B::Document(x) => serde_json::to_value(x),
            B::Gap(x) => serde_json::to_value(x),
        };
        let Ok(json) = json else { continue };
        let mut stack: Vec<(String, &serde_json::Value)> = vec![(String::new(), &json)];
        while let Some((field, value)) = stack.pop() {
            match value {
                serde_json::Value::String(text) => {
                    if let Some(problem) = inforce_core::validate::string_problem(&field, text) {
                        problems.push(format!("{} {}: {problem}", write.kind.as_str(), write.key));
                    }
                }
                serde_json::Value::Array(items) => stack.extend(items.iter().map(|item| (field.clone(), item))),
                serde_json::Value::Object(fields) => {
                    stack.extend(fields.iter().map(|(name, value)| (name.clone(), value)));
                }
                _ => {}
            }
        }
    }
    problems
}

/// The records `writes` would withdraw or overwrite although they were published after `base` (any withdrawal
/// when there is no base), each as "withdraw proposal MP600" with the publication that last wrote it.
fn undone_records(
    records: &[inforce_core::Record],
    writes: &[inforce_core::RecordWrite],
    base: Option<i64>,
) -> Vec<(String, i64)> {
    let mut latest: HashMap<(inforce_core::RecordKind, &str), &inforce_core::Record> = HashMap::new();
    for record in records {
        latest.insert((record.write.kind, record.write.key.as_str()), record);
    }
    let mut undone = Vec::new();
    for write in writes {
        let Some(stored) = latest.get(&(write.kind, write.key.as_str())) else { continue };
        let after_base = base.is_none_or(|base| stored.publication > base);
        let verb = match (&stored.write.body, &write.body) {
            // Withdrawing what was published after the base (or anything, without a base).
            (Some(_), None) if after_base => "withdraw",
            // Overwriting, or bringing back what was withdrawn, after the base the file names.
            (Some(_), Some(_)) if base.is_some() && after_base => "overwrite",
            (None, Some(_)) if base.is_some() && after_base => "bring back withdrawn",
            _ => continue,
        };
        undone.push((format!("{verb} {} {}", write.kind.as_str(), write.key), stored.publication));
    }
    undone
}

/// Every document the writes describe must name a file the store holds or the publication brings.
async fn check_files(
    store: &dyn Store,
    code: &CodeId,
    writes: &[inforce_core::RecordWrite],
    files: &[(String, Vec<u8>)],
) -> Result<(), StoreError> {
    for write in writes {
        let Some(inforce_core::RecordBody::Document(document)) = &write.body else { continue };
        let brought = files.iter().any(|(sha256, _)| *sha256 == document.sha256);
        if !brought && !store.has_file(code, &document.sha256).await? {
            return Err(StoreError::MissingFile {
                code: code.to_string(),
                document: document.id.clone(),
                sha256: document.sha256.clone(),
            });
        }
    }
    Ok(())
}

/// One attempt at [`publish`]: [`StoreError::Conflict`] when another publication landed first.
pub(crate) async fn publish_once(
    store: &dyn Store,
    what: Publishing<'_>,
    by: &Provenance,
) -> Result<PublishOutcome, StoreError> {
    let register = what.register;
    let code = &register.code.id;
    // Head first: records written after it can only make the publication conflict, never go unnoticed.
    let head = store.publications(code).await?.last().map(|p| p.id);
    if let Base::Head(computed_at) = what.base
        && computed_at != head
    {
        return Err(StoreError::Conflict { code: code.to_string() });
    }
    let records = store.records(code).await?;
    let current = register_as_of(&records, None);
    let writes = composed_writes(code, current.as_ref(), register)?;
    if let Base::File(base) = what.base {
        let undone = undone_records(&records, &writes, base);
        if !undone.is_empty() {
            return Err(StoreError::Stale { code: code.to_string(), base, records: undone });
        }
    }
    let (text_writes, new_texts) = match what.texts {
        None => (Vec::new(), Vec::new()),
        Some((assignments, bodies)) => {
            let ledger = store.text_ledger(code).await?;
            let stored = assignments_as_of(&ledger.records, None);
            let text_writes = text_writes_for(&stored, assignments);
            // New texts grouped by provision, in time order, so that a provision's wordings sit side by side
            // in the pack and compress against each other.
            let mut named: Vec<(&str, usize, TextHash)> = text_writes
                .iter()
                .enumerate()
                .filter(|(_, w)| !w.withdrawn)
                .filter_map(|(i, w)| w.assignment.text.map(|h| (w.assignment.provision.as_str(), i, h)))
                .filter(|(_, _, h)| !ledger.bodies.contains_key(h))
                .collect();
            named.sort();
            let mut seen = std::collections::HashSet::new();
            let new_texts = named
                .into_iter()
                .filter(|(_, _, h)| seen.insert(*h))
                .filter_map(|(_, _, h)| bodies.get(&h).map(|t| (h, t.clone())))
                .collect();
            (text_writes, new_texts)
        }
    };
    if writes.is_empty() && text_writes.is_empty() {
        return Ok(PublishOutcome::Unchanged);
    }
    check_files(store, code, &writes, &[]).await?;
    let base = match what.base {
        Base::File(base) => base,
        Base::Current | Base::Replace | Base::Head(_) => head,
    };
    let publication = NewPublication { text_writes, new_texts, ..by.publication(code, base, head, writes) };
    store.publish(publication).await.map(PublishOutcome::Published)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sec() -> Register {
        inforce_formats::parse_register("sec.toml", include_str!("../../../data/sec.toml")).expect("the SEC register")
    }

    #[test]
    fn a_file_may_not_undo_what_came_after_its_base() {
        use inforce_core::{Record, RecordBody, RecordKind, RecordWrite};
        let register = sec();
        let code = || RecordBody::Code(register.code.clone());
        let write = |key: &str, body: Option<RecordBody>| RecordWrite {
            kind: RecordKind::Code,
            key: key.into(),
            ordinal: 0,
            body,
        };
        let stored = |key: &str, publication: i64, body: Option<RecordBody>| Record {
            seq: publication,
            publication,
            recorded_at: jiff::Timestamp::UNIX_EPOCH,
            write: write(key, body),
        };
        // a: written in 3 and standing; b: written in 5 and standing; c: withdrawn in 5.
        let records = [stored("a", 3, Some(code())), stored("b", 5, Some(code())), stored("c", 5, None)];
        let writes =
            [write("a", None), write("b", None), write("b", Some(code())), write("c", Some(code())), write("d", None)];
        let named =
            |base| undone_records(&records, &writes, base).into_iter().map(|(what, _)| what).collect::<Vec<_>>();
        assert_eq!(
            named(Some(4)),
            ["withdraw code b", "overwrite code b", "bring back withdrawn code c"],
            "only what came after publication 4"
        );
        assert_eq!(named(Some(5)), Vec::<String>::new(), "nothing came after 5");
        assert_eq!(
            named(Some(2)),
            ["withdraw code a", "withdraw code b", "overwrite code b", "bring back withdrawn code c"]
        );
        assert_eq!(named(None), ["withdraw code a", "withdraw code b"], "without a base, only withdrawals are refused");
        assert_eq!(undone_records(&records, &writes[..1], Some(2)), [("withdraw code a".to_string(), 3)]);
    }

    #[test]
    fn composing_a_register_changes_only_its_decomposed_strings() {
        // The JSON round trip loses nothing: a register that needs composing comes back whole.
        let register = sec();
        let mut marked = register.clone();
        marked.code.title.push_str(" e\u{301}");
        let back = composed(&marked).into_owned();
        assert!(back.code.title.ends_with(" é"));
        assert_eq!(Register { code: register.code.clone(), ..back }, register);
        // Every string, wherever it sits.
        let mut deep = register.clone();
        deep.provisions[3].title = Some("Cre\u{301}ance".into());
        deep.entries[2].notes.push("Note e\u{301}crite".into());
        let back = composed(&deep).into_owned();
        assert_eq!(back.provisions[3].title.as_deref(), Some("Créance"));
        assert_eq!(back.entries[2].notes.last().map(String::as_str), Some("Note écrite"));
    }

    fn writes(stored: &Register, next: &Register) -> Vec<inforce_core::RecordWrite> {
        composed_writes(&stored.code.id, Some(stored), next).expect("sound strings")
    }

    #[test]
    fn a_write_with_a_control_character_or_an_oversized_field_is_refused_whichever_way_it_came_in() {
        let stored = sec();
        let mut next = stored.clone();
        next.provisions[3].title = Some("bell\u{7}".into());
        next.entries[2].notes.push("escape \u{1b}[2J".into());
        next.code.title = "x".repeat(inforce_core::validate::MAX_LINE_CHARS + 1);
        let Err(StoreError::Refused { code, problems }) = composed_writes(&stored.code.id, Some(&stored), &next) else {
            panic!("refused")
        };
        assert_eq!(code, "sec");
        assert_eq!(problems.len(), 3, "{problems:?}");
        let id = &next.provisions[3].id;
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("provision {id}: `title` holds the control character U+0007"))),
            "{problems:?}"
        );
        assert!(problems.iter().any(|p| p.contains(": `notes` holds the control character U+001B")), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("code sec: `title` is longer than 1000")), "{problems:?}");
        // Records already stored are not checked again: only what is written.
        let mut unrelated = next.clone();
        unrelated.provisions[3].title = stored.provisions[3].title.clone();
        unrelated.entries[2].notes.pop();
        unrelated.code.title = stored.code.title.clone();
        assert!(composed_writes(&stored.code.id, Some(&next), &unrelated).is_ok());
    }

    #[test]
    fn a_record_stored_decomposed_is_written_again_only_when_it_changes() {
        let mut stored = sec();
        stored.provisions[3].title = Some("Cre\u{301}ance".into());
        let mut same = stored.clone();
        same.provisions[3].title = Some("Créance".into());
        assert!(writes(&stored, &same).is_empty(), "the same title in another form");
        assert!(writes(&stored, &stored.clone()).is_empty());
        let mut edited = stored.clone();
        edited.code.title = "Another title".into();
        let edits = writes(&stored, &edited);
        assert_eq!(edits.len(), 1, "only the code record: {edits:?}");
        // A new record comes in composed.
        let mut grown = stored.clone();
        grown.provisions[4].title = Some("E\u{301}te\u{301}".into());
        let grown = writes(&stored, &grown);
        let Some(inforce_core::RecordBody::Provision(p)) = grown.first().and_then(|w| w.body.as_ref()) else {
            panic!("a provision write: {grown:?}")
        };
        assert_eq!(p.title.as_deref(), Some("Été"));
    }
}
