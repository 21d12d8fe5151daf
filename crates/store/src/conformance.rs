//! One story every backend must tell the same way. A backend's tests call [`run`] on a fresh, empty store.

use inforce_core::ledger::RecordKind;
use inforce_core::{
    ChangeList, Code, CodeId, Completeness, Consultation, Entry, EntryId, EntryKind, FuzzyDate, Instrument, Provision,
    ProvisionId, ProvisionKind, Register,
};
use jiff::Timestamp;

use std::collections::HashMap;
use std::sync::Arc;

use inforce_core::text::{TextAssignment, TextHash, normalise};

use crate::{
    CopyError, NewPublication, PublishOutcome, Publishing, Store, StoreError, copy, load_register, load_texts, publish,
    publish_register,
};

/// Runs the whole story; panics with a description at the first difference.
pub async fn run(store: &dyn Store) {
    let code = id("conformance");
    assert_eq!(store.codes().await.map_err(|e| e.to_string()), Ok(vec![]), "a new store holds no codes");
    assert!(load_register(store, &code, None).await.expect("load").is_none(), "nothing recorded yet");

    let first = sample();
    let day1: Timestamp = "2026-01-01T10:00:00Z".parse().expect("timestamp");
    let by = crate::Provenance {
        origin: "test:first".into(),
        recorded_at: day1,
        author: "Amélie Roe".into(),
        command: "register import 'first file.toml'".into(),
        reason: None,
    };
    let outcome = publish_register(store, &first, &by).await.expect("first publication");
    let PublishOutcome::Published(publication) = outcome else { panic!("first publication wrote nothing") };
    assert_eq!(
        (publication.author.as_str(), publication.base),
        ("Amélie Roe", None),
        "a first publication has no base"
    );
    assert_eq!(publication.command, by.command);
    assert_eq!(
        publication.record_count,
        1 + 2 + 2 + 1 + 3,
        "code, provisions, entries, consultation, process, proposal, planned change"
    );
    assert_eq!(publication.origin, "test:first");
    assert_eq!(publication.recorded_at, day1, "record time is kept to the microsecond");
    let loaded = load_register(store, &code, None).await.expect("load").expect("recorded");
    assert_eq!(loaded.register, first, "a register reads back exactly as published");
    assert_eq!(store.codes().await.expect("codes"), vec![code.clone()]);

    let again =
        publish_register(store, &first, &crate::Provenance::anonymous("test:again", day1)).await.expect("republish");
    assert_eq!(again, PublishOutcome::Unchanged, "publishing the same register writes nothing");

    // A correction: 2.0's date fixed, the consultation withdrawn (and the planned change's link to it), a
    // provision added.
    let mut corrected = first.clone();
    corrected.entries[1].effective = FuzzyDate::parse("2014-03-31").expect("date");
    corrected.consultations.clear();
    corrected.planned[0].consultation = None;
    corrected.provisions.push(provision("H15", Some("H")));
    let day2: Timestamp = "2026-02-01T10:00:00Z".parse().expect("timestamp");
    let outcome = publish_register(store, &corrected, &crate::Provenance::anonymous("test:correction", day2))
        .await
        .expect("correction");
    let PublishOutcome::Published(second) = outcome else { panic!("correction wrote nothing") };
    assert_eq!(second.record_count, 4, "only the corrected, added and withdrawn items are written");
    assert!(second.id > publication.id, "publication ids increase");
    assert_eq!(second.base, Some(publication.id), "computed against the first publication");
    let listed = store.publications(&code).await.expect("publications");
    let kept: Vec<(&str, &str, Option<i64>)> =
        listed.iter().map(|p| (p.author.as_str(), p.command.as_str(), p.base)).collect();
    assert_eq!(
        kept,
        [("Amélie Roe", by.command.as_str(), None), ("", "", Some(publication.id))],
        "author, command and base read back as published"
    );

    let now = load_register(store, &code, None).await.expect("load").expect("recorded");
    assert_eq!(now.register, corrected);
    let between: Timestamp = "2026-01-15T00:00:00Z".parse().expect("timestamp");
    let then = load_register(store, &code, Some(between)).await.expect("load").expect("recorded then");
    assert_eq!(then.register, first, "the register as recorded before the correction is still there");
    assert_eq!(then.publication.id, publication.id);
    // Which publications wrote each version's record: 2.0 was recorded by the first and corrected by the second.
    let writers = |loaded: &crate::Loaded, entry: &str| loaded.entry_writers.get(entry).cloned().unwrap_or_default();
    assert_eq!(writers(&now, "2.0"), [publication.id, second.id]);
    assert_eq!(writers(&now, "1.0"), [publication.id]);
    assert_eq!(writers(&then, "2.0"), [publication.id], "as recorded before the correction");
    assert!(!now.entry_writers.contains_key("H15"), "only versions and events: {:?}", now.entry_writers);
    let before: Timestamp = "2025-12-31T00:00:00Z".parse().expect("timestamp");
    assert!(load_register(store, &code, Some(before)).await.expect("load").is_none());

    let records = store.records(&code).await.expect("records");
    assert_eq!(records.len(), 13, "nothing is overwritten: nine records, then four more");
    assert!(records.windows(2).all(|w| w[0].seq < w[1].seq), "records come back in append order");
    let withdrawn = records.iter().find(|r| r.write.kind == RecordKind::Consultation && r.write.body.is_none());
    assert!(withdrawn.is_some(), "a withdrawal is a record of its own");

    let stale = NewPublication {
        code: code.clone(),
        recorded_at: day2,
        origin: "test:stale".into(),
        author: String::new(),
        command: String::new(),
        reason: None,
        base: Some(publication.id),
        expected_head: Some(publication.id),
        writes: vec![],
        text_writes: vec![],
        new_texts: vec![],
        new_files: Vec::new(),
    };
    match store.publish(stale).await {
        Err(StoreError::Conflict { .. }) => {}
        other => panic!("a publication prepared against an old head must conflict, got {other:?}"),
    }
    assert_eq!(store.records(&code).await.expect("records").len(), 13, "a refused publication writes nothing");
    assert_eq!(store.publications(&code).await.expect("publications").len(), 2);

    // What one origin alone has said (the edition a later one is merged against), and the code's description.
    let from_first = crate::register_from_origin(store, &code, "test:first").await.expect("origin");
    assert_eq!(from_first, Some(first.clone()), "the correction's records are another origin's");
    assert_eq!(crate::register_from_origin(store, &code, "test:nobody").await.expect("origin"), None);
    assert_eq!(crate::code_description(store, &code).await.expect("code"), Some(corrected.code.clone()));
    assert_eq!(crate::code_description(store, &id("unknown")).await.expect("code"), None);

    texts_story(store, &corrected).await;
    documents_story(store, &code).await;
    log_story(store, &code).await;
}

/// The log: every publication got its digest as it was written, chained to the one before, and the stored
/// content verifies against them; the digests are those recomputed from the content.
async fn log_story(store: &dyn Store, code: &CodeId) {
    let publications = store.publications(code).await.expect("publications");
    let log = store.log(code).await.expect("log");
    let listed: Vec<(i64, u64, Option<Timestamp>)> =
        log.iter().map(|e| (e.publication, e.sequence, e.computed_at)).collect();
    let want: Vec<(i64, u64, Option<Timestamp>)> =
        publications.iter().enumerate().map(|(i, p)| (p.id, i as u64 + 1, None)).collect();
    assert_eq!(listed, want, "one digest per publication, in order, written with it");
    let latest = store.latest(code).await.expect("head");
    assert_eq!(
        latest,
        Some((publications.last().expect("publications").clone(), log.last().map(|e| e.digest))),
        "the latest publication and its digest"
    );
    assert_eq!(store.latest(&id("nothing-here")).await.expect("head"), None);
    let sources = store.log_sources(code).await.expect("sources");
    let recomputed: Vec<_> = crate::log::logged(code, &sources).into_iter().map(|l| l.expect("readable")).collect();
    let chain = inforce_core::log::chain(&recomputed);
    assert_eq!(log.iter().map(|e| e.digest).collect::<Vec<_>>(), chain, "the stored digests are the content's");
    assert!(recomputed.iter().any(|l| !l.texts.is_empty() && !l.text_changes.is_empty()), "texts are covered");
    assert!(recomputed.iter().any(|l| !l.files.is_empty()), "files are covered");
    match crate::verify(store, code).await.expect("verify") {
        crate::Verdict::Intact(verified) => {
            assert_eq!(verified.size, publications.len() as u64);
            assert_eq!(verified.head, inforce_core::log::tree_head(&chain));
            assert_eq!((verified.computed_after, verified.not_stored), (0, 0));
        }
        crate::Verdict::Tampered(tampered) => panic!("an untouched store verifies: {tampered:?}"),
    }
    assert_eq!(store.unlogged().await.expect("unlogged"), Vec::<CodeId>::new());
    assert_eq!(crate::complete_log(store, Timestamp::UNIX_EPOCH).await.expect("complete"), 0, "nothing to do");
}

/// Tells the story of [`run`] in `from`, copies it into `to` (both fresh and empty) and checks that `to` then
/// holds the same publications, records, texts and files with the same record times; a second copy clashes and
/// writes nothing. Panics with a description at the first difference.
pub async fn run_copy(from: &dyn Store, to: &dyn Store) {
    run(from).await;
    let code = id("conformance");
    let summary = copy(from, to).await.unwrap_or_else(|e| panic!("copy: {e}"));
    let published = from.publications(&code).await.expect("publications");
    assert_eq!(summary.codes, vec![code.clone()]);
    assert_eq!(summary.publications, published.len());
    let total: i64 = published.iter().map(|p| p.record_count).sum();
    assert_eq!(i64::try_from(summary.records).ok(), Some(total), "every record is counted once");

    let copied = to.publications(&code).await.expect("publications");
    let shape = |p: &crate::Publication| {
        (p.recorded_at, p.origin.clone(), p.record_count, p.author.clone(), p.command.clone(), p.base.is_some())
    };
    assert_eq!(copied.iter().map(shape).collect::<Vec<_>>(), published.iter().map(shape).collect::<Vec<_>>());
    // A base names the copy of the publication it named, whatever ids the target gives.
    let position =
        |list: &[crate::Publication], id: Option<i64>| id.and_then(|id| list.iter().position(|p| p.id == id));
    let bases = |list: &[crate::Publication]| list.iter().map(|p| position(list, p.base)).collect::<Vec<_>>();
    assert_eq!(bases(&copied), bases(&published));
    let (source, target) = (from.records(&code).await.expect("records"), to.records(&code).await.expect("records"));
    let write = |r: &inforce_core::Record| (r.recorded_at, r.write.clone());
    assert_eq!(target.iter().map(write).collect::<Vec<_>>(), source.iter().map(write).collect::<Vec<_>>());
    let (source, target) = (from.text_ledger(&code).await.expect("texts"), to.text_ledger(&code).await.expect("texts"));
    let text = |r: &inforce_core::text::TextRecord| (r.recorded_at, r.assignment.clone(), r.withdrawn);
    assert_eq!(
        target.records.iter().map(text).collect::<Vec<_>>(),
        source.records.iter().map(text).collect::<Vec<_>>()
    );
    assert_eq!(target.bodies, source.bodies, "every text travels");
    let document = source_document_sha256(from, &code).await;
    assert_eq!(to.file(&code, &document).await.expect("file"), from.file(&code, &document).await.expect("file"));
    let between: Timestamp = "2026-01-15T00:00:00Z".parse().expect("timestamp");
    for at in [None, Some(between)] {
        let (source, target) = (load_register(from, &code, at).await, load_register(to, &code, at).await);
        let register = |loaded: Option<crate::Loaded>| loaded.map(|l| l.register);
        assert_eq!(register(target.expect("load")), register(source.expect("load")), "the same as recorded at {at:?}");
    }

    let digests = |log: Vec<crate::LogEntry>| log.into_iter().map(|e| (e.sequence, e.digest)).collect::<Vec<_>>();
    assert_eq!(
        digests(to.log(&code).await.expect("log")),
        digests(from.log(&code).await.expect("log")),
        "a copy keeps every digest"
    );
    assert!(matches!(crate::verify(to, &code).await.expect("verify"), crate::Verdict::Intact(_)));

    match copy(from, to).await {
        Err(error @ CopyError::Clash { .. }) => assert_eq!(
            error.to_string(),
            "the target already holds code 'conformance'; copy into a database without it, nothing was written"
        ),
        other => panic!("a second copy must clash, got {other:?}"),
    }
    assert_eq!(to.publications(&code).await.expect("publications").len(), copied.len(), "nothing written");
}

/// The SHA-256 of the document file the story stored.
async fn source_document_sha256(store: &dyn Store, code: &CodeId) -> String {
    let records = store.records(code).await.expect("records");
    records
        .iter()
        .find_map(|r| match &r.write.body {
            Some(inforce_core::RecordBody::Document(document)) => Some(document.sha256.clone()),
            _ => None,
        })
        .expect("the story stores a document")
}

/// Documents: the file is stored with the record that describes it, read back byte for byte, kept once per
/// content; a description naming a file the store does not hold is refused and writes nothing.
async fn documents_story(store: &dyn Store, code: &CodeId) {
    let bytes = b"%PDF-1.4\n\x00\xff binary \x01\n%%EOF\n".to_vec();
    let sha256 = inforce_core::document::sha256(&bytes);
    let document = |id: &str, sha256: &str| inforce_core::document::Document {
        id: id.into(),
        title: "Guidance".into(),
        kind: Some("guidance".into()),
        date: FuzzyDate::parse("2014-06-30").expect("date"),
        file_name: "guidance.pdf".into(),
        media_type: "application/pdf".into(),
        sha256: sha256.into(),
        size: 27,
        attached_to: vec![inforce_core::document::Attachment::Version(EntryId::parse("2.0").expect("id"))],
        sources: vec![],
    };
    let day: Timestamp = "2026-05-01T10:00:00Z".parse().expect("timestamp");
    let add = |doc: inforce_core::document::Document| {
        move |current: Option<&Register>| -> Result<Register, StoreError> {
            let mut next = current.expect("registered").clone();
            next.documents.push(doc.clone());
            Ok(next)
        }
    };
    let files = [(sha256.clone(), bytes.clone())];
    crate::publish_edit(
        store,
        code,
        &crate::Provenance::anonymous("test:doc", day),
        &files,
        add(document("guidance", &sha256)),
    )
    .await
    .expect("doc");
    assert_eq!(store.file(code, &sha256).await.expect("file"), Some(bytes.clone()), "read back byte for byte");
    // A file of several pieces: each read on its own, the last one shorter, none past the end.
    let large: Vec<u8> = (0..2 * crate::FILE_CHUNK + 100).map(|i| (i % 253) as u8).collect();
    let large_sha = inforce_core::document::sha256(&large);
    let mut annex = document("annex", &large_sha);
    annex.size = large.len() as u64;
    crate::publish_edit(
        store,
        code,
        &crate::Provenance::anonymous("test:annex", day),
        &[(large_sha.clone(), large.clone())],
        add(annex),
    )
    .await
    .expect("annex");
    let stored = store.file_stored(code, &large_sha).await.expect("read").expect("held");
    assert_eq!((stored.size, stored.chunks()), (large.len() as u64, 3));
    let last = store.publications(code).await.expect("publications").last().map(|p| p.id);
    assert_eq!(Some(stored.publication), last, "stored by the publication that brought it");
    for seq in 0..3 {
        let piece = store.file_chunk(code, &large_sha, seq).await.expect("read").expect("a piece");
        let start = seq as usize * crate::FILE_CHUNK;
        assert_eq!(piece, large[start..(start + crate::FILE_CHUNK).min(large.len())], "piece {seq}");
    }
    assert_eq!(store.file_chunk(code, &large_sha, 3).await.expect("read"), None);
    assert_eq!(store.file(code, &large_sha).await.expect("read"), Some(large));
    assert_eq!(store.file_stored(code, &"1".repeat(64)).await.expect("read"), None);
    // The same content again, under another description: stored once, both descriptions kept.
    crate::publish_edit(
        store,
        code,
        &crate::Provenance::anonymous("test:doc2", day),
        &files,
        add(document("guidance-2", &sha256)),
    )
    .await
    .expect("doc2");
    let missing = "0".repeat(64);
    let before = store.records(code).await.expect("records").len();
    let refused = crate::publish_edit(
        store,
        code,
        &crate::Provenance::anonymous("test:missing", day),
        &[],
        add(document("ghost", &missing)),
    )
    .await;
    assert!(matches!(refused, Err(StoreError::MissingFile { .. })), "{refused:?}");
    assert_eq!(store.records(code).await.expect("records").len(), before, "nothing written");
    assert_eq!(store.file(code, &missing).await.expect("file"), None);
    assert!(
        store.has_file(code, &sha256).await.expect("has file") && !store.has_file(code, &missing).await.expect("has")
    );
    let register = load_register(store, code, None).await.expect("load").expect("registered").register;
    assert_eq!(register.documents.len(), 3);
}

/// Texts join the register: stored once, read back exactly, corrected by appending, answerable as recorded.
async fn texts_story(store: &dyn Store, register: &Register) {
    let code = &register.code.id;
    assert!(load_texts(store, code, None).await.expect("texts").is_empty());
    let one = normalise("# A\n\nOne, with accents: é à ç.\n");
    let two = normalise("# A\n\nTwo.\n");
    let aitch = normalise("# H\n\nAitch.\n");
    let bodies: HashMap<TextHash, Arc<str>> =
        [&one, &two, &aitch].into_iter().map(|t| (TextHash::of(t), Arc::from(t.as_str()))).collect();
    let assign = |entry: &str, provision: &str, text: Option<&String>| TextAssignment {
        entry: EntryId::parse(entry).expect("id"),
        provision: ProvisionId::parse(provision).expect("id"),
        text: text.map(|t| TextHash::of(t)),
    };
    let first = vec![assign("1.0", "A", Some(&one)), assign("1.0", "H", Some(&aitch)), assign("2.0", "A", Some(&two))];
    let day3: Timestamp = "2026-03-01T10:00:00Z".parse().expect("timestamp");
    let what = Publishing { register, texts: Some((&first, &bodies)), base: crate::Base::Current };
    let PublishOutcome::Published(publication) =
        publish(store, what, &crate::Provenance::anonymous("test:texts", day3)).await.expect("publish")
    else {
        panic!("texts were not written")
    };
    assert_eq!(publication.record_count, 3, "three text records, no register record");
    let loaded = load_texts(store, code, None).await.expect("texts");
    assert_eq!(loaded.assignments, first);
    assert_eq!(loaded.bodies, bodies, "texts read back exactly");
    assert_eq!(
        publish(store, what, &crate::Provenance::anonymous("test:again", day3)).await.expect("again"),
        PublishOutcome::Unchanged
    );

    let second = vec![assign("1.0", "A", Some(&one)), assign("1.0", "H", Some(&aitch)), assign("2.0", "A", None)];
    let day4: Timestamp = "2026-04-01T10:00:00Z".parse().expect("timestamp");
    let what = Publishing { register, texts: Some((&second, &bodies)), base: crate::Base::Current };
    let PublishOutcome::Published(correction) =
        publish(store, what, &crate::Provenance::anonymous("test:texts", day4)).await.expect("publish")
    else {
        panic!("the correction was not written")
    };
    assert_eq!(correction.record_count, 1);
    assert_eq!(load_texts(store, code, None).await.expect("texts").assignments, second);
    let then = load_texts(store, code, Some(day3)).await.expect("texts");
    assert_eq!(then.assignments, first, "the texts as recorded before the correction");
    let ledger = store.text_ledger(code).await.expect("ledger");
    assert_eq!(ledger.records.len(), 4, "nothing overwritten");
    assert_eq!(ledger.bodies.len(), 3, "each distinct text stored once");
    assert_eq!(
        publish_register(store, register, &crate::Provenance::anonymous("test:register", day4))
            .await
            .expect("register"),
        PublishOutcome::Unchanged,
        "publishing the register alone leaves the texts alone"
    );
}

fn id(text: &str) -> CodeId {
    CodeId::parse(text).expect("code id")
}

/// Document files as a build before migration 6 stored them, whole in `files.body`, named `f0`…: empty, one piece
/// and a bit, exactly two pieces. A backend's migration test inserts them under the code `c`, migrates, and calls
/// [`check_files_in_pieces`].
pub fn files_stored_whole() -> Vec<(String, Vec<u8>)> {
    [0, crate::FILE_CHUNK + 10, 2 * crate::FILE_CHUNK]
        .iter()
        .enumerate()
        .map(|(i, &size)| (format!("f{i}"), (0..size).map(|b| (b * 7 % 251) as u8).collect()))
        .collect()
}

/// Each of `files` reads back from its pieces byte for byte, with its size, and nothing past its last piece.
pub async fn check_files_in_pieces(store: &dyn Store, files: &[(String, Vec<u8>)]) {
    let code = id("c");
    for (sha, bytes) in files {
        let stored = store.file_stored(&code, sha).await.expect("read").expect("held");
        assert_eq!(stored.size, bytes.len() as u64, "{sha}");
        assert_eq!(store.file(&code, sha).await.expect("read").as_ref(), Some(bytes), "{sha}");
        assert_eq!(store.file_chunk(&code, sha, stored.chunks()).await.expect("read"), None, "past the end");
    }
}

/// Publications as a build before the log wrote them, for code `c`, as SQL both backends run on a database at
/// migration 6: two publications of one record each, the second a withdrawal.
pub fn publications_before_the_log() -> Vec<String> {
    let body = crate::rows::body_text(&inforce_core::RecordWrite {
        kind: RecordKind::Provision,
        key: "A".into(),
        ordinal: 0,
        body: Some(inforce_core::RecordBody::Provision(provision("A", None))),
    });
    let literal =
        |body: Option<String>| body.map_or_else(|| "NULL".to_string(), |b| format!("'{}'", b.replace('\'', "''")));
    [(1_000_000, literal(body)), (2_000_000, literal(None))]
        .into_iter()
        .flat_map(|(recorded_at, body)| {
            [
                format!(
                    "INSERT INTO publications (code, recorded_at, origin, record_count) \
                     VALUES ('c', {recorded_at}, 'file:old.toml', 1)"
                ),
                format!(
                    "INSERT INTO records (publication_id, code, kind, record_key, ordinal, body) \
                     VALUES ((SELECT MAX(id) FROM publications), 'c', 'provision', 'A', 0, {body})"
                ),
            ]
        })
        .collect()
}

/// A store migrated from a build before the log, holding [`publications_before_the_log`] and nothing else:
/// their digests are computed once, said to be computed after the fact, verify, and later publications chain
/// to them.
pub async fn check_log_completed(store: &dyn Store) {
    let code = id("c");
    assert_eq!(store.log(&code).await.expect("log"), vec![], "a migration computes no digest");
    assert_eq!(store.unlogged().await.expect("unlogged"), vec![code.clone()]);
    let now: Timestamp = "2026-12-05T09:00:00Z".parse().expect("timestamp");
    // Before they are stored (a read-only database), verification computes them as it goes.
    match crate::verify(store, &code).await.expect("verify") {
        crate::Verdict::Intact(verified) => assert_eq!((verified.size, verified.not_stored), (2, 2)),
        crate::Verdict::Tampered(tampered) => panic!("{tampered:?}"),
    }
    assert_eq!(crate::complete_log(store, now).await.expect("complete"), 2);
    let log = store.log(&code).await.expect("log");
    assert_eq!(log.iter().map(|e| (e.sequence, e.computed_at)).collect::<Vec<_>>(), [(1, Some(now)), (2, Some(now))]);
    assert_eq!(crate::complete_log(store, now).await.expect("again"), 0, "computed once");
    match crate::verify(store, &code).await.expect("verify") {
        crate::Verdict::Intact(verified) => assert_eq!((verified.size, verified.computed_after), (2, 2)),
        crate::Verdict::Tampered(tampered) => panic!("{tampered:?}"),
    }
    let mut register = sample();
    register.code.id = code.clone();
    let by = crate::Provenance::anonymous("test:after", now);
    let outcome = publish_register(store, &register, &by).await.expect("a publication after the log began");
    assert!(matches!(outcome, PublishOutcome::Published(_)));
    let log = store.log(&code).await.expect("log");
    assert_eq!(log.iter().map(|e| (e.sequence, e.computed_at)).collect::<Vec<_>>()[2..], [(3, None)]);
    assert!(matches!(crate::verify(store, &code).await.expect("verify"), crate::Verdict::Intact(_)));
}

fn provision(id: &str, parent: Option<&str>) -> Provision {
    let kind = if parent.is_some() { ProvisionKind::Subsection } else { ProvisionKind::Section };
    Provision {
        title: Some(format!("Title of {id}, with \"quotes\", accents (é) and a\nnew line")),
        sources: vec!["https://example.org/a".into()],
        confidence: Some("high".into()),
        ..Provision::new(
            ProvisionId::parse(id).expect("provision id"),
            parent.map(|p| ProvisionId::parse(p).expect("provision id")),
            kind,
        )
    }
}

fn sample() -> Register {
    let mut first = Entry::new(
        EntryId::parse("1.0").expect("id"),
        EntryKind::Version,
        FuzzyDate::parse("2013-09-27").expect("date"),
        Instrument::Designation,
    );
    first.made = FuzzyDate::parse("2013-09-23").expect("date");
    first.notes = vec!["sources disagree on the date".into()];
    first.added = ChangeList::complete(vec![ProvisionId::parse("H").expect("id")]);
    let mut second = Entry::new(
        EntryId::parse("2.0").expect("id"),
        EntryKind::Version,
        FuzzyDate::parse("2014-03").expect("date"),
        Instrument::Modification,
    );
    second.amended =
        ChangeList { listed: vec![], completeness: Completeness::Unlisted, note: Some("not listed".into()) };
    Register {
        code: Code {
            description: Some("Used by the store conformance suite.".into()),
            ..Code::new(id("conformance"), "Conformance code")
        },
        provisions: vec![provision("A", None), provision("H", None)],
        entries: vec![first, second],
        consultations: vec![Consultation {
            id: "C1".into(),
            title: "A consultation".into(),
            published: FuzzyDate::parse("2013-06").expect("date"),
            closes: FuzzyDate::Unknown,
            topics: vec!["one".into(), "two".into()],
            led_to: vec![EntryId::parse("2.0").expect("id")],
            concerns: Vec::new(),
            responses: vec!["Government response, 2013-09: went ahead".into()],
            sources: vec![],
            confidence: None,
            notes: vec![],
        }],
        ..change_register()
    }
}

/// A register holding a change process, a proposal through it and a planned change (its code is replaced).
fn change_register() -> Register {
    let text = r#"
[code]
id = "conformance"
title = "Conformance code"

[[provision]]
id = "H"
kind = "section"

[[version]]
id = "2.0"
effective = "2014-03"
instrument = "modification"

[[consultation]]
id = "C1"
title = "A consultation"

[process]
name = "Test process"
[[process.stage]]
id = "raised"
label = "Raised"
initial = true
[[process.stage]]
id = "approved"
label = "Approved"
state = "approved"
outcome = "approved"
[[process.stage]]
id = "implemented"
label = "Implemented"
state = "closed"
implements = true
[[process.path]]
id = "3"
label = "Self-Governance"
[[process.move]]
from = ["raised"]
to = "approved"
decided_by = "Change Board"
[[process.move]]
from = ["approved"]
to = "implemented"

[[proposal]]
reference = "MP001"
title = "A proposal"
raised = "2014-01-10"
path = "3"
affects = ["H"]
[[proposal.history]]
stage = "raised"
date = "2014-01-10"
[[proposal.history]]
stage = "approved"
date = "2014-02-01"
decided_by = "Change Board"
[[proposal.history]]
stage = "implemented"
date = "2014-03"
version = "2.0"

[[planned]]
id = "later"
title = "A change announced in C1"
consultation = "C1"
affects = ["H"]
"#;
    inforce_formats::register_file::parse_register("conformance.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

/// The text import as one store operation, on a fresh, empty store: two versions create a code with its
/// provisions and texts in one publication; importing them again writes nothing; a third version adds only
/// itself; texts the register cannot take are refused and nothing is written.
pub async fn run_import(store: &dyn Store) {
    use inforce_core::import::{Replaced, TextImport, VersionTexts};

    use crate::{ImportError, TextImportRequest, import_texts};

    let code = id("imported");
    let text = |body: &str| {
        let body: Arc<str> = Arc::from(normalise(body).as_str());
        (TextHash::of(&body), body)
    };
    let (one, one_body) = text("# Article 1\n\nLe paiement est valable.\n");
    let (amended, amended_body) = text("# Article 1\n\nLe paiement fait de bonne foi est valable.\n");
    let (two, two_body) = text("# Article 2\n\nDeux.\n");
    let article = |n: &str| ProvisionId::parse(n).expect("id");
    let version = |v: &str, day: &str, texts: Vec<(ProvisionId, TextHash)>| VersionTexts {
        id: EntryId::parse(v).expect("id"),
        effective: day.parse().expect("date"),
        label: v.to_string(),
        texts,
    };
    let versions = vec![
        version("v1", "2016-01-01", vec![(article("1"), one), (article("2"), two)]),
        version("v2", "2017-01-01", vec![(article("1"), amended), (article("2"), two)]),
    ];
    let order = vec![article("1"), article("2")];
    let headings: HashMap<ProvisionId, String> =
        [(article("1"), "Article 1".to_string()), (article("2"), "Article 2".to_string())].into();
    let bodies: HashMap<TextHash, Arc<str>> =
        [(one, one_body), (amended, amended_body.clone()), (two, two_body)].into();
    fn request<'a>(
        code: &'a CodeId,
        versions: &'a [VersionTexts],
        order: &'a [ProvisionId],
        headings: &'a HashMap<ProvisionId, String>,
        bodies: &HashMap<TextHash, Arc<str>>,
        title: Option<&str>,
        at: &str,
    ) -> TextImportRequest<'a> {
        TextImportRequest {
            code,
            import: TextImport { versions, order, headings, placements: inforce_core::import::no_placements() },
            new_bodies: bodies.clone(),
            title: title.map(str::to_string),
            time_zone: None,
            complete_until: None,
            first_version: None,
            new_code_first_version: inforce_core::FirstVersion::Origin,
            details: crate::VersionDetails::default(),
            provenance: crate::Provenance::anonymous("conformance", at.parse().expect("time")),
            replace: false,
        }
    }
    let request = |versions, title, at| request(&code, versions, &order, &headings, &bodies, title, at);

    let first = import_texts(store, request(&versions, Some("An imported code"), "2026-01-01T00:00:00Z"))
        .await
        .unwrap_or_else(|e| panic!("the first import: {e}"));
    assert!(matches!(first.outcome, PublishOutcome::Published(_)), "the first import writes");
    assert_eq!(first.new_versions, vec![EntryId::parse("v1").expect("id"), EntryId::parse("v2").expect("id")]);
    assert_eq!(first.new_provisions, 2);
    assert_eq!(first.history.register().code.title, "An imported code", "a new code takes the title given");
    let stored = load_register(store, &code, None).await.expect("load").expect("the code is stored");
    assert_eq!(stored.register, *first.history.register(), "the store holds what the import answered");
    let texts = load_texts(store, &code, None).await.expect("texts");
    assert_eq!(texts.bodies.get(&amended).map(AsRef::as_ref), Some(amended_body.as_ref()), "texts are stored");

    let again = import_texts(store, request(&versions, Some("Another title"), "2026-01-02T00:00:00Z"))
        .await
        .unwrap_or_else(|e| panic!("the same import again: {e}"));
    assert!(matches!(again.outcome, PublishOutcome::Unchanged), "the same versions write nothing");
    assert_eq!(again.history.register().code.title, "An imported code", "the title is given only at creation");

    let grown = vec![version("v3", "2018-01-01", vec![(article("1"), amended)])];
    let third = import_texts(store, request(&grown, None, "2026-01-03T00:00:00Z")).await.expect("a third version");
    assert_eq!(third.new_versions, vec![EntryId::parse("v3").expect("id")]);
    let publications = store.publications(&code).await.expect("publications").len();
    // The texts that go with a loaded register are those of its publication: v3's are left out of the
    // register as it stood before v3 was imported.
    let now = load_register(store, &code, None).await.expect("load").expect("stored");
    let with_v3 = crate::texts_for(store, &now).await.expect("texts");
    assert_eq!(with_v3.assignments, load_texts(store, &code, None).await.expect("texts").assignments);
    let before: Timestamp = "2026-01-02T12:00:00Z".parse().expect("time");
    let then = load_register(store, &code, Some(before)).await.expect("load").expect("stored then");
    let without = crate::texts_for(store, &then).await.expect("texts");
    assert!(!without.assignments.is_empty(), "v1 and v2's texts");
    assert!(!without.assignments.iter().any(|a| a.entry.as_str() == "v3"), "v3 came later");
    assert!(with_v3.assignments.iter().any(|a| a.entry.as_str() == "v3"));
    // When each version and wording was recorded, as the loaded register stood: v3 only from the third import.
    let (v1, v3) = (EntryId::parse("v1").expect("id"), EntryId::parse("v3").expect("id"));
    let first_time: Timestamp = "2026-01-01T00:00:00Z".parse().expect("time");
    let recorded = crate::record_times_for(store, &now).await.expect("record times");
    assert_eq!(recorded.entry(&v3).map(|t| t.first_recorded), Some("2026-01-03T00:00:00Z".parse().expect("time")));
    assert_eq!(recorded.text(&v1, &article("1")).map(|t| t.first_recorded), Some(first_time));
    let recorded_then = crate::record_times_for(store, &then).await.expect("record times");
    assert_eq!(recorded_then.entry(&v3), None, "v3 came later");
    assert_eq!(recorded_then.entry(&v1).map(|t| t.first_recorded), Some(first_time));
    assert_eq!(recorded_then.text(&v1, &article("1")).map(|t| t.first_recorded), Some(first_time));

    let moved = vec![version("v2", "2017-06-01", vec![(article("1"), one)])];
    let refused = import_texts(store, request(&moved, None, "2026-01-04T00:00:00Z")).await;
    assert!(
        matches!(&refused, Err(ImportError::Refused(problems)) if problems[0].to_string().contains("takes effect on 2017-06-01")),
        "a version whose date disagrees with the register is refused, naming it"
    );
    assert_eq!(store.publications(&code).await.expect("publications").len(), publications, "nothing written");

    // Another write lands while an import is prepared: the import is joined again to what that write made, and
    // publishes over nothing of it (here, a corrected code title and a v4 from another folder).
    let mut other = load_register(store, &code, None).await.expect("load").expect("stored").register;
    other.code.title = "Corrected while importing".into();
    let interleaved = Losing::new(store, 1, Some(other));
    let v4 = vec![version("v4", "2019-01-01", vec![(article("1"), one), (article("2"), two)])];
    let fourth = import_texts(&interleaved, request(&v4, None, "2026-01-05T00:00:00Z")).await.expect("v4");
    assert!(matches!(fourth.outcome, PublishOutcome::Published(_)), "the import is published");
    let now = load_register(store, &code, None).await.expect("load").expect("stored").register;
    assert_eq!(now.code.title, "Corrected while importing", "the other write is kept");
    assert!(now.entries.iter().any(|e| e.id.as_str() == "v4"), "and so is the import");

    // A register file exported before another write lands, imported while it lands: refused on the retry, the
    // other write kept.
    let base = store.publications(&code).await.expect("publications").last().map(|p| p.id);
    let exported = load_register(store, &code, None).await.expect("load").expect("stored").register;
    let mut other = exported.clone();
    other.provisions.push(provision("9", None));
    let mut file = exported.clone();
    file.code.title = "Edited from the export".into();
    let interleaved = Losing::new(store, 1, Some(other));
    let by = crate::Provenance::anonymous("test:file", "2026-01-06T00:00:00Z".parse().expect("time"));
    let what = Publishing { register: &file, texts: None, base: crate::Base::File(base) };
    match publish(&interleaved, what, &by).await {
        Err(StoreError::Stale { records, .. }) => {
            assert_eq!(records.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["withdraw provision 9"]);
        }
        other => panic!("the file would withdraw what landed meanwhile: {other:?}"),
    }
    let now = load_register(store, &code, None).await.expect("load").expect("stored").register;
    assert!(now.provisions.iter().any(|p| p.id.as_str() == "9"), "the other write stands");
    assert_ne!(now.code.title, "Edited from the export", "nothing of the file was written");

    // An import that would make a version whose texts are recorded read otherwise is refused, naming the version
    // and the provisions, and writes nothing.
    let written = store.publications(&code).await.expect("publications").len();
    let v1 = EntryId::parse("v1").expect("id");
    let corrected = vec![version("v1", "2016-01-01", vec![(article("1"), amended), (article("2"), two)])];
    match import_texts(store, request(&corrected, None, "2026-01-07T00:00:00Z")).await {
        Err(ImportError::Replaces { replaced, .. }) => {
            assert_eq!(replaced, [Replaced { version: v1.clone(), provisions: vec![article("1")] }]);
        }
        other => panic!("an import replacing v1's recorded text must be refused: {:?}", other.map(|i| i.outcome)),
    }
    assert_eq!(store.publications(&code).await.expect("publications").len(), written, "nothing written");
    // As a correction it lands, with its reason, which the log covers (encoding v2); the texts as recorded
    // before it still read as they were.
    let reason = "v1 was read from a draft";
    let mut correction = request(&corrected, None, "2026-01-07T00:00:00Z");
    correction.replace = true;
    correction.provenance.reason = Some(reason.into());
    let landed = import_texts(store, correction).await.unwrap_or_else(|e| panic!("a correction: {e}"));
    let PublishOutcome::Published(published) = landed.outcome else { panic!("the correction wrote nothing") };
    assert_eq!(published.reason.as_deref(), Some(reason));
    let listed = store.publications(&code).await.expect("publications");
    assert_eq!(listed.last().and_then(|p| p.reason.as_deref()), Some(reason), "the reason is stored");
    assert!(listed[..listed.len() - 1].iter().all(|p| p.reason.is_none()), "no other publication has one");
    let sources = store.log_sources(&code).await.expect("log sources");
    let logged = crate::log::logged(&code, &sources);
    let last = logged.last().and_then(|l| l.as_ref().ok()).expect("the correction's logged content");
    assert_eq!((last.reason.as_deref(), last.encoding_name()), (Some(reason), "inforce-publication-v2"));
    assert!(matches!(crate::verify(store, &code).await.expect("verify"), crate::Verdict::Intact(_)), "it verifies");
    let text_of = |texts: &inforce_core::text::Texts| {
        texts.assignments.iter().find(|a| a.entry == v1 && a.provision == article("1")).and_then(|a| a.text)
    };
    let before: Timestamp = "2026-01-06T12:00:00Z".parse().expect("time");
    assert_eq!(text_of(&load_texts(store, &code, Some(before)).await.expect("texts")), Some(one), "as recorded");
    assert_eq!(text_of(&load_texts(store, &code, None).await.expect("texts")), Some(amended), "as corrected");

    // Two imports of one new version with different texts, at once: exactly one lands, the other is refused.
    let raced = id("raced");
    let first = vec![version("v1", "2016-01-01", vec![(article("1"), one)])];
    let second = vec![version("v1", "2016-01-01", vec![(article("1"), amended)])];
    let request = |versions, at| {
        let mut request = request(versions, None, at);
        request.code = &raced;
        request
    };
    let (a, b) = both(
        import_texts(store, request(&first, "2026-02-01T00:00:00Z")),
        import_texts(store, request(&second, "2026-02-01T00:00:01Z")),
    )
    .await;
    let landed = [&a, &b]
        .into_iter()
        .filter(|r| matches!(r, Ok(i) if matches!(i.outcome, PublishOutcome::Published(_))))
        .count();
    assert_eq!(landed, 1, "exactly one lands: {:?} / {:?}", a.as_ref().err(), b.as_ref().err());
    let refused = [&a, &b].into_iter().filter_map(|r| r.as_ref().err()).collect::<Vec<_>>();
    assert!(matches!(refused[..], [ImportError::Replaces { .. }]), "the other is refused: {refused:?}");
    assert_eq!(store.publications(&raced).await.expect("publications").len(), 1);
}

/// Both futures, polled in turn until both are done: two writers at once, without a runtime of our own.
async fn both<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::task::Poll;
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    let (mut done_a, mut done_b) = (None, None);
    std::future::poll_fn(|cx| {
        if done_a.is_none()
            && let Poll::Ready(out) = a.as_mut().poll(cx)
        {
            done_a = Some(out);
        }
        if done_b.is_none()
            && let Poll::Ready(out) = b.as_mut().poll(cx)
        {
            done_b = Some(out);
        }
        if done_a.is_some() && done_b.is_some() { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
    match (done_a, done_b) {
        (Some(a), Some(b)) => (a, b),
        _ => unreachable!("polled until both were done"),
    }
}

/// A store that loses the race a given number of times: its first `losses` publications conflict, as if another
/// process had published first (and, when `other` holds a register, that process really publishes it, once),
/// then it publishes for real.
struct Losing<'a> {
    inner: &'a dyn Store,
    losses: std::sync::atomic::AtomicUsize,
    tries: std::sync::atomic::AtomicUsize,
    other: std::sync::Mutex<Option<inforce_core::Register>>,
}

impl<'a> Losing<'a> {
    fn new(inner: &'a dyn Store, losses: usize, other: Option<inforce_core::Register>) -> Self {
        use std::sync::atomic::AtomicUsize;
        Self {
            inner,
            losses: AtomicUsize::new(losses),
            tries: AtomicUsize::new(0),
            other: std::sync::Mutex::new(other),
        }
    }
}

#[async_trait::async_trait]
impl Store for Losing<'_> {
    async fn codes(&self) -> Result<Vec<CodeId>, StoreError> {
        self.inner.codes().await
    }
    async fn publications(&self, code: &CodeId) -> Result<Vec<crate::Publication>, StoreError> {
        self.inner.publications(code).await
    }
    async fn records(&self, code: &CodeId) -> Result<Vec<inforce_core::ledger::Record>, StoreError> {
        self.inner.records(code).await
    }
    async fn text_ledger(&self, code: &CodeId) -> Result<crate::TextLedger, StoreError> {
        self.inner.text_ledger(code).await
    }
    async fn publish(&self, publication: NewPublication) -> Result<crate::Publication, StoreError> {
        use std::sync::atomic::Ordering::SeqCst;
        self.tries.fetch_add(1, SeqCst);
        let lose = self.losses.fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1)).is_ok();
        if lose {
            let other = self.other.lock().map(|mut o| o.take()).unwrap_or(None);
            if let Some(other) = other {
                let by = crate::Provenance::anonymous("test:other", publication.recorded_at);
                publish_register(self.inner, &other, &by).await?;
            }
            return Err(StoreError::Conflict { code: publication.code.to_string() });
        }
        self.inner.publish(publication).await
    }
    async fn file_stored(&self, code: &CodeId, sha256: &str) -> Result<Option<crate::StoredFile>, StoreError> {
        self.inner.file_stored(code, sha256).await
    }
    async fn file_chunk(&self, code: &CodeId, sha256: &str, seq: u64) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.file_chunk(code, sha256, seq).await
    }
    async fn has_file(&self, code: &CodeId, sha256: &str) -> Result<bool, StoreError> {
        self.inner.has_file(code, sha256).await
    }
    async fn log(&self, code: &CodeId) -> Result<Vec<crate::LogEntry>, StoreError> {
        self.inner.log(code).await
    }
    async fn log_sources(&self, code: &CodeId) -> Result<crate::LogSources, StoreError> {
        self.inner.log_sources(code).await
    }
    async fn unlogged(&self) -> Result<Vec<CodeId>, StoreError> {
        self.inner.unlogged().await
    }
    async fn add_digests(&self, code: &CodeId, entries: &[crate::LogEntry]) -> Result<(), StoreError> {
        self.inner.add_digests(code, entries).await
    }
}

/// A publication that loses the race is computed again and published, up to five tries in all, by
/// `publish_register` and `publish_edit` alike; after five losses the conflict is the answer. `store` must be
/// fresh and empty.
pub async fn run_retries(store: &dyn Store) {
    use std::sync::atomic::Ordering::SeqCst;
    let losing = |losses| Losing::new(store, losses, None);
    let code = id("conformance");
    let first = sample();
    let day: Timestamp = "2026-01-01T10:00:00Z".parse().expect("timestamp");
    let four = losing(4);
    let outcome = publish_register(&four, &first, &crate::Provenance::anonymous("test:retry", day))
        .await
        .expect("published on the fifth try");
    assert!(matches!(outcome, PublishOutcome::Published(_)));
    assert_eq!(four.tries.load(SeqCst), 5, "four losses, then the publication");
    let five = losing(5);
    let mut second = first.clone();
    second.provisions.push(provision("H15", Some("H")));
    match publish_register(&five, &second, &crate::Provenance::anonymous("test:retry", day)).await {
        Err(StoreError::Conflict { .. }) => {}
        other => panic!("five losses end in the conflict, got {other:?}"),
    }
    assert_eq!(five.tries.load(SeqCst), 5, "and no sixth try");
    let edits = losing(4);
    let (outcome, register) =
        crate::publish_edit(&edits, &code, &crate::Provenance::anonymous("test:edit", day), &[], |current| {
            let mut next = current.cloned().ok_or(StoreError::Conflict { code: "none".into() })?;
            next.provisions.push(provision("H16", Some("H")));
            Ok::<_, StoreError>(next)
        })
        .await
        .expect("the edit is applied on the fifth try");
    assert!(matches!(outcome, PublishOutcome::Published(_)));
    assert_eq!(edits.tries.load(SeqCst), 5);
    assert!(register.provisions.iter().any(|p| p.id.as_str() == "H16"));
    let five = losing(5);
    let edit = crate::publish_edit(&five, &code, &crate::Provenance::anonymous("test:edit", day), &[], |current| {
        let mut next = current.cloned().ok_or(StoreError::Conflict { code: "none".into() })?;
        next.provisions.push(provision("H17", Some("H")));
        Ok::<_, StoreError>(next)
    })
    .await;
    assert!(matches!(edit, Err(StoreError::Conflict { .. })), "five losses end in the conflict");
    assert_eq!(five.tries.load(SeqCst), 5);

    // A text import is joined again and retried the same way: published on the fifth try, or the conflict.
    use inforce_core::import::{TextImport, VersionTexts};
    let text: Arc<str> = Arc::from(normalise("# Article 1\n\nUn.\n").as_str());
    let hash = TextHash::of(&text);
    let article = ProvisionId::parse("1").expect("id");
    let versions = [VersionTexts {
        id: EntryId::parse("v1").expect("id"),
        effective: "2016-01-01".parse().expect("date"),
        label: "v1".into(),
        texts: vec![(article.clone(), hash)],
    }];
    let order = [article.clone()];
    let headings: HashMap<ProvisionId, String> = [(article, "Article 1".to_string())].into();
    let texts_code = id("retried");
    let request = || crate::TextImportRequest {
        code: &texts_code,
        import: TextImport {
            versions: &versions,
            order: &order,
            headings: &headings,
            placements: inforce_core::import::no_placements(),
        },
        new_bodies: [(hash, text.clone())].into(),
        title: None,
        time_zone: None,
        complete_until: None,
        first_version: None,
        new_code_first_version: inforce_core::FirstVersion::Origin,
        details: crate::VersionDetails::default(),
        provenance: crate::Provenance::anonymous("test:import", day),
        replace: false,
    };
    let five = losing(5);
    let refused = crate::import_texts(&five, request()).await;
    let refused = refused.err().map(|e| e.to_string());
    assert!(refused.as_deref().is_some_and(|e| e.contains("changed while")), "five losses: {refused:?}");
    assert_eq!(five.tries.load(SeqCst), 5, "and no sixth try");
    let four = losing(4);
    let imported = crate::import_texts(&four, request()).await.expect("imported on the fifth try");
    assert!(matches!(imported.outcome, PublishOutcome::Published(_)));
    assert_eq!(four.tries.load(SeqCst), 5);
}
