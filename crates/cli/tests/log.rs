//! The publication log: whoever can write the database file cannot alter, drop, reorder or back-date a
//! publication without `inforce verify` (and `inforce check`) naming it, exit 4.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use common::tamper::{pool, tamper};
use common::{Sandbox, small_code, stderr};
use inforce_core::text::TextHash;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// A register with several publications of two codes: the SEC (built in, a document, a correction) and a small
/// code with texts over two versions.
fn register() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.run_at("2026-01-10T09:00:00Z", &["versions"]);
    let pdf = sandbox.path("guidance.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n\x00\xffbinary\n%%EOF\n").expect("write");
    let add = ["doc", "add", pdf.to_str().expect("path"), "--title", "Guidance", "--attach", "version:4.1"];
    assert!(sandbox.run_at("2026-02-11T09:00:00Z", &add).status.success());
    let exported = sandbox.stdout(&["register", "export"]).replace("confidence = \"medium\"", "confidence = \"low\"");
    let file = sandbox.path("corrected.toml");
    std::fs::write(&file, exported).expect("write");
    let output = sandbox.run_at("2026-03-01T09:00:00Z", &["register", "import", file.to_str().expect("path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let code = small_code(&sandbox);
    let output = sandbox.run_at("2026-03-02T09:00:00Z", &["--code", "fr", "import", code.to_str().expect("path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    sandbox
}

/// The ids of a code's publications, in order.
fn publications(sandbox: &Sandbox, code: &str) -> Vec<i64> {
    let listed = sandbox.json(&["--code", code, "publications"]);
    listed["publications"].as_array().expect("list").iter().map(|p| p["id"].as_i64().expect("id")).collect()
}

/// `verify` fails with exit 4 naming the publication; so does `check` for that code. Returns verify's output.
fn detected(sandbox: &Sandbox, code: &str, publication: i64) -> String {
    let output = sandbox.run(&["--code", code, "verify"]);
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert_eq!(output.status.code(), Some(4), "{printed}");
    assert!(
        printed.contains(&format!("from publication {publication} ")),
        "names publication {publication}: {printed}"
    );
    let check = sandbox.run(&["--code", code, "check"]);
    assert_eq!(check.status.code(), Some(4), "check includes verify: {}", stderr(&check));
    assert!(stderr(&check).contains(&format!("publication {publication} ")), "{}", stderr(&check));
    sandbox.expect_tampered();
    printed
}

#[test]
fn an_untouched_register_verifies_and_check_says_so() {
    let sandbox = register();
    let all = sandbox.json(&["verify"]);
    let codes = all["codes"].as_array().expect("codes");
    assert_eq!(codes.iter().map(|c| c["code"].as_str().expect("code")).collect::<Vec<_>>(), ["fr", "sec"]);
    assert!(codes.iter().all(|c| c["status"] == "intact"), "{all}");
    assert_eq!(codes[1]["size"], 3);
    assert_eq!(codes[1]["tree_head"].as_str().map(str::len), Some(64));
    // `check` verifies every code first.
    let check = sandbox.stdout(&["check"]);
    assert!(check.starts_with("fr: 1 publication verified against the log; tree head "), "{check}");
    assert!(check.contains("\nsec: 3 publications verified against the log; tree head "), "{check}");
}

#[test]
fn a_byte_flipped_in_a_record_body_is_detected() {
    let sandbox = register();
    let sec = publications(&sandbox, "sec");
    // What the issue found: SEC 4.1's effective date moved a day, so H15 read in force a day early.
    tamper(
        &sandbox,
        &["UPDATE records SET body = replace(body, '2015-01-26', '2015-01-25') WHERE kind = 'entry' \
         AND record_key = '4.1' AND publication_id = (SELECT MIN(id) FROM publications WHERE code = 'sec')"],
    );
    let printed = detected(&sandbox, "sec", sec[0]);
    assert!(printed.contains("does not match its digest"), "{printed}");
}

#[test]
fn a_rewritten_text_pack_with_its_checksum_recomputed_is_detected() {
    let sandbox = register();
    let fr = publications(&sandbox, "fr");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let pool = pool(&sandbox).await;
        let row = sqlx::query(
            "SELECT publication_id, checksum, body FROM text_packs WHERE code = 'fr' ORDER BY publication_id",
        )
        .fetch_one(&pool)
        .await
        .expect("pack");
        let (publication, checksum, body): (i64, Vec<u8>, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
        let texts = inforce_formats::pack::decode_pack(&checksum, &body).expect("a pack");
        let rewritten: Vec<(TextHash, Arc<str>)> =
            texts.into_iter().map(|(h, t)| (h, Arc::from(t.replace("bonne foi", "mauvaise foi")))).collect();
        let (checksum, body) = inforce_formats::pack::encode_pack(&rewritten);
        sqlx::query("UPDATE text_packs SET checksum = $1, body = $2 WHERE publication_id = $3")
            .bind(checksum)
            .bind(body)
            .bind(publication)
            .execute(&pool)
            .await
            .expect("rewrite");
        assert_eq!(publication, fr[0]);
        pool.close().await;
    });
    detected(&sandbox, "fr", fr[0]);
}

#[test]
fn a_repointed_change_list_is_detected() {
    let sandbox = register();
    let fr = publications(&sandbox, "fr");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let pool = pool(&sandbox).await;
        let mut texts = Vec::new();
        for row in sqlx::query("SELECT checksum, body FROM text_packs WHERE code = 'fr' ORDER BY publication_id")
            .fetch_all(&pool)
            .await
            .expect("packs")
        {
            texts.extend(
                inforce_formats::pack::decode_pack(&row.get::<Vec<u8>, _>(0), &row.get::<Vec<u8>, _>(1)).expect("pack"),
            );
        }
        let position: HashMap<TextHash, usize> = texts.iter().enumerate().map(|(i, (h, _))| (*h, i)).collect();
        let last = *fr.last().expect("publications");
        let body: Vec<u8> = sqlx::query_scalar("SELECT body FROM text_changes WHERE publication_id = $1")
            .bind(last)
            .fetch_one(&pool)
            .await
            .expect("changes");
        let mut writes = inforce_formats::pack::decode_changes(&body, &texts).expect("changes");
        // The version's text of one article now points at another stored text.
        let other = texts.iter().map(|(h, _)| *h).find(|h| Some(*h) != writes[0].assignment.text).expect("another");
        writes[0].assignment.text = Some(other);
        let body = inforce_formats::pack::encode_changes(&writes, &position).expect("encode");
        sqlx::query("UPDATE text_changes SET body = $1 WHERE publication_id = $2")
            .bind(body)
            .bind(last)
            .execute(&pool)
            .await
            .expect("re-point");
        pool.close().await;
    });
    detected(&sandbox, "fr", *fr.last().expect("publications"));
}

#[test]
fn a_back_dated_publication_is_detected() {
    let sandbox = register();
    let sec = publications(&sandbox, "sec");
    // A year earlier, which would forge what --as-recorded answers.
    let year = 365 * 24 * 3600 * 1_000_000_i64;
    tamper(&sandbox, &[&format!("UPDATE publications SET recorded_at = recorded_at - {year} WHERE id = {}", sec[2])]);
    detected(&sandbox, "sec", sec[2]);
}

#[test]
fn a_deleted_publication_row_is_detected() {
    let sandbox = register();
    let sec = publications(&sandbox, "sec");
    tamper(&sandbox, &[&format!("DELETE FROM publications WHERE id = {}", sec[1])]);
    let printed = detected(&sandbox, "sec", sec[1]);
    assert!(printed.contains("no longer in the store"), "{printed}");
}

#[test]
fn a_swapped_record_order_is_detected() {
    let sandbox = register();
    let sec = publications(&sandbox, "sec");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let pool = pool(&sandbox).await;
        let rows = sqlx::query(
            "SELECT seq, kind, record_key, ordinal, body FROM records WHERE publication_id = $1 ORDER BY seq LIMIT 2",
        )
        .bind(sec[0])
        .fetch_all(&pool)
        .await
        .expect("records");
        for (row, other) in [(&rows[0], &rows[1]), (&rows[1], &rows[0])] {
            sqlx::query("UPDATE records SET kind = $1, record_key = $2, ordinal = $3, body = $4 WHERE seq = $5")
                .bind(other.get::<String, _>(1))
                .bind(other.get::<String, _>(2))
                .bind(other.get::<i64, _>(3))
                .bind(other.get::<Option<String>, _>(4))
                .bind(row.get::<i64, _>(0))
                .execute(&pool)
                .await
                .expect("swap");
        }
        pool.close().await;
    });
    detected(&sandbox, "sec", sec[0]);
}

#[test]
fn a_changed_document_file_is_detected() {
    let sandbox = register();
    let sec = publications(&sandbox, "sec");
    tamper(&sandbox, &["UPDATE file_chunks SET body = CAST('%PDF-1.4 forged' AS BLOB) WHERE code = 'sec'"]);
    let printed = detected(&sandbox, "sec", sec[1]);
    assert!(printed.contains("document file"), "{printed}");
}

#[test]
fn a_publication_written_into_the_database_directly_is_detected() {
    let sandbox = register();
    tamper(
        &sandbox,
        &[
            "INSERT INTO publications (id, code, recorded_at, origin, record_count, author, command) \
         VALUES (1000, 'sec', 1800000000000000, 'file:forged.toml', 1, 'someone', '')",
            "INSERT INTO records (publication_id, code, kind, record_key, ordinal, body) \
         SELECT 1000, code, kind, record_key, ordinal, NULL FROM records WHERE code = 'sec' AND kind = 'entry' LIMIT 1",
        ],
    );
    let printed = detected(&sandbox, "sec", 1000);
    assert!(printed.contains("has no digest"), "{printed}");
    // Opening the database again does not bless it: only publications made before the log get a digest late.
    let again = sandbox.run(&["--code", "sec", "verify"]);
    assert_eq!(again.status.code(), Some(4));
}

/// A new signing key in the sandbox: (private key file, verifier key file).
fn key(sandbox: &Sandbox, name: &str) -> (String, String) {
    let private = sandbox.path(&format!("{name}.key"));
    let made = sandbox.json(&["key", "generate", private.to_str().expect("path"), "--name", "sec.example.org"]);
    let public = sandbox.path(&format!("{name}.pub"));
    std::fs::write(&public, made["verifier_key"].as_str().expect("key")).expect("write");
    (private.to_str().expect("path").to_string(), public.to_str().expect("path").to_string())
}

fn serve(sandbox: &Sandbox, private: &str) -> (common::Server, String) {
    let env = [("INFORCE_SIGNING_KEY", private), ("INFORCE_POLL_MS", "100")];
    let server = common::start_with(sandbox, &env, std::process::Stdio::null());
    let url = format!("http://127.0.0.1:{}", server.port);
    (server, url)
}

/// Runs `verify --remote` with the given extra arguments.
fn remote(sandbox: &Sandbox, url: &str, key: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["verify", "--remote", url, "--key", key];
    args.extend(extra);
    sandbox.run(&args)
}

/// Waits until the site's log of the SEC holds `size` publications.
fn until_size(sandbox: &Sandbox, url: &str, public: &str, size: u64) {
    let start = std::time::Instant::now();
    loop {
        let output = remote(sandbox, url, public, &["--format", "json"]);
        if output.status.success() {
            let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
            if json["size"] == size {
                return;
            }
        }
        assert!(start.elapsed().as_secs() < 20, "the site never served {size} publications: {}", stderr(&output));
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn an_outsider_verifies_a_site_and_its_saved_checkpoint_catches_a_rewritten_history() {
    let sandbox = register();
    let (private, public) = key(&sandbox, "site");
    let (server, url) = serve(&sandbox, &private);
    let saved = sandbox.path("saved.note");
    let saved = saved.to_str().expect("path");
    let output = remote(&sandbox, &url, &public, &["--save", saved, "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!((json["size"].as_u64(), json["origin"].as_str()), (Some(3), Some("sec.example.org/sec")));
    let note = std::fs::read_to_string(saved).expect("saved");
    assert!(note.starts_with("sec.example.org/sec\n3\n"), "{note}");

    // The log grows: the saved checkpoint is extended, and the new one saved.
    assert!(sandbox.run(&["mod", "new", "MP900", "--title", "Later"]).status.success());
    until_size(&sandbox, &url, &public, 4);
    let later = sandbox.path("later.note");
    let later = later.to_str().expect("path");
    let output = remote(&sandbox, &url, &public, &["--checkpoint", saved, "--save", later]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("extends the saved checkpoint of 3"));

    // Another key, or a saved checkpoint altered by hand, is refused.
    let (_, stranger) = key(&sandbox, "stranger");
    let output = remote(&sandbox, &url, &stranger, &[]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("not signed by this key"), "{}", stderr(&output));
    let forged = sandbox.path("forged.note");
    std::fs::write(&forged, note.replacen("\n3\n", "\n2\n", 1)).expect("write");
    let output = remote(&sandbox, &url, &public, &["--checkpoint", forged.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("the saved checkpoint"), "{}", stderr(&output));
    drop(server);

    // The same key serves a history rebuilt from scratch, longer and self-consistent: only the saved checkpoint
    // shows it is not the history published before.
    let rebuilt = Sandbox::new();
    rebuilt.run_at("2026-01-11T09:00:00Z", &["versions"]);
    for n in 0..4 {
        let title = format!("Rebuilt {n}");
        assert!(rebuilt.run(&["mod", "new", &format!("MP95{n}"), "--title", &title]).status.success());
    }
    let (server, url) = serve(&rebuilt, &private);
    assert!(remote(&rebuilt, &url, &public, &[]).status.success(), "alone, the rebuilt log verifies");
    let output = remote(&rebuilt, &url, &public, &["--checkpoint", later]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("history was rewritten"), "{}", stderr(&output));
    drop(server);

    // Content altered in the database under a running site is served as it now reads, and no longer makes its
    // digest.
    let (server, url) = serve(&sandbox, &private);
    tamper(
        &sandbox,
        &["UPDATE records SET body = replace(body, '2015-01-26', '2015-01-25') WHERE kind = 'entry' \
         AND record_key = '4.1'"],
    );
    sandbox.expect_tampered();
    let output = remote(&sandbox, &url, &public, &[]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("does not match its digest"), "{}", stderr(&output));
    drop(server);
    // A site started on it verifies it first, and does not serve it as the history published.
    let (_server, url) = serve(&sandbox, &private);
    let output = remote(&sandbox, &url, &public, &[]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("503"), "{}", stderr(&output));
}

#[test]
fn a_deleted_last_publication_is_caught_by_the_saved_checkpoint() {
    let sandbox = register();
    let (private, public) = key(&sandbox, "site");
    let saved = sandbox.path("saved.note");
    let saved = saved.to_str().expect("path");
    {
        let (_server, url) = serve(&sandbox, &private);
        assert!(remote(&sandbox, &url, &public, &["--save", saved]).status.success());
    }
    // The newest publication and its digest removed: the stored log is consistent, and only an outsider's
    // checkpoint remembers it.
    let last = *publications(&sandbox, "sec").last().expect("publications");
    tamper(
        &sandbox,
        &[
            &format!("DELETE FROM records WHERE publication_id = {last}"),
            &format!("DELETE FROM publication_digests WHERE publication_id = {last}"),
            &format!("DELETE FROM publications WHERE id = {last}"),
        ],
    );
    assert!(sandbox.run(&["--code", "sec", "verify"]).status.success(), "the database alone cannot tell");
    sandbox.expect_tampered();
    let (_server, url) = serve(&sandbox, &private);
    let output = remote(&sandbox, &url, &public, &["--checkpoint", saved]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("now holds only 2"), "{}", stderr(&output));
}

#[test]
fn a_copy_refuses_a_history_that_does_not_match_its_log() {
    let sandbox = register();
    tamper(
        &sandbox,
        &["UPDATE records SET body = replace(body, '2015-01-26', '2015-01-25') WHERE kind = 'entry' \
         AND record_key = '4.1'"],
    );
    sandbox.expect_tampered();
    let target = Sandbox::new();
    let (from, to) = (sandbox.db(), target.db());
    let output = sandbox.run(&["copy", "--from", from.to_str().expect("path"), "--to", to.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("the history of 'sec' in the source does not match its publication log"));
    // Every code is verified before anything is written: the target holds nothing.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let written: i64 = runtime.block_on(async {
        let pool =
            SqlitePoolOptions::new().connect_with(SqliteConnectOptions::new().filename(&to)).await.expect("open");
        sqlx::query_scalar("SELECT COUNT(*) FROM publications").fetch_one(&pool).await.expect("count")
    });
    assert_eq!(written, 0);
}
