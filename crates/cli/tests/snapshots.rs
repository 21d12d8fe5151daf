//! The contracts, as snapshots: every JSON answer of the API (in process, through the router), every
//! `--format json` answer of the command line, the OpenAPI document and one Atom feed of each kind, on the built-in
//! SEC register and on a small code with texts, with today and the clock pinned. A change to any contract shows
//! up here, in review (`cargo insta review`, or `INSTA_UPDATE=always` and `git diff`).

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, header};
use common::markup::visible;
use common::{Sandbox, small_code, write};
use inforce_core::CodeId;
use inforce_store::Store;
use inforce_store_sqlite::{OpenOptions, SqliteStore};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The day every answer is given on (`INFORCE_TODAY` in the sandbox).
const TODAY: &str = "2026-11-28";

/// A database with the built-in SEC register (and one document attached to it) and a small code with texts.
fn populated() -> Sandbox {
    let sandbox = Sandbox::new();
    let folder = small_code(&sandbox);
    sandbox.stdout(&["import", folder.to_str().expect("path"), "--code", "small", "--title", "A small code"]);
    let pdf = sandbox.path("annex2.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\nthe further changes\n%%EOF\n").expect("write");
    let pdf = pdf.to_str().expect("path");
    let attach = ["--attach", "consultation:SEC4", "--attach", "version:4.0", "--attach", "provision:H15"];
    let mut add = vec!["doc", "add", pdf, "--title", "SEC4 Annex 2", "--kind", "consultation", "--date", "2014-06-30"];
    add.extend(attach);
    sandbox.stdout(&add);
    sandbox
}

/// Replaces the sandbox's own folder, which differs on every run, by `[SANDBOX]`.
fn redact(sandbox: &Sandbox, text: &str) -> String {
    text.replace(&sandbox.dir.path().display().to_string(), "[SANDBOX]")
}

/// A snapshot name from a request: `/api/v1/sec/at/2015-01-20` → `api_v1_sec_at_2015-01-20`.
fn name(text: &str) -> String {
    let mut name: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    name.trim_matches('_').to_string()
}

/// The API's JSON answers (and its problem+json errors) on both codes.
const API: &[&str] = &[
    "/api/v1/codes",
    "/api/v1/sec/versions",
    "/api/v1/sec/versions/4.1",
    "/api/v1/sec/at/2015-01-20",
    "/api/v1/sec/at/2030-01-01",
    "/api/v1/sec/provisions/H15",
    "/api/v1/sec/provisions/H15?at=2015-01-20",
    "/api/v1/sec/provisions/H15?version=4.0",
    "/api/v1/sec/provisions/H15/blame",
    "/api/v1/sec/compare/4.0...4.1",
    "/api/v1/sec/compare/2013-10-01...2015-02-01?provision=H",
    "/api/v1/sec/timeline",
    "/api/v1/sec/timeline?from=2015-01-01&to=2015-12-31",
    "/api/v1/sec/variations",
    "/api/v1/sec/consultations",
    "/api/v1/sec/consultations?state=closed",
    "/api/v1/sec/proposals",
    "/api/v1/sec/proposals?stage=implemented",
    "/api/v1/sec/proposals?affects=H15&pending_at=2020-01-01",
    "/api/v1/sec/proposals/MP084",
    "/api/v1/sec/proposals/MP084?at=2019-06-01",
    "/api/v1/sec/planned",
    "/api/v1/sec/documents",
    "/api/v1/sec/search?q=gateway",
    "/api/v1/search?code=sec&q=heading%3Agateway",
    "/api/v1/small/versions",
    "/api/v1/small/at/2016-06-01",
    "/api/v1/small/provisions/1?version=v2",
    "/api/v1/small/provisions/1/blame?version=v2",
    "/api/v1/small/compare/v1...v2",
    "/api/v1/small/compare/v1...v2?ignore_formatting=true",
    "/api/v1/small/compare/v1...v2?provision=1",
    "/api/v1/small/search?q=paiement&all_versions=1",
    "/api/v1/small/search?q=%22bonne%20foi%22&version=v1",
    "/api/v1/small/timeline",
    // Errors: their face (problem+json) and words are a contract too.
    "/api/v1/nope/versions",
    "/api/v1/sec/at/2015-13-01",
    "/api/v1/sec/at/yesterday",
    "/api/v1/sec/provisions/Q99",
    "/api/v1/sec/provisions/H15?version=99.0",
    "/api/v1/sec/provisions/H15?at=2015-01-20&version=4.0",
    "/api/v1/sec/search?q=gateway&at=2015-01-20&version=4.0",
    "/api/v1/sec/versions/99.0",
    "/api/v1/sec/compare/4.1",
    "/api/v1/sec/consultations?state=pending",
    "/api/v1/sec/proposals?stage=nowhere",
    "/api/v1/sec/proposals/MP999",
    "/api/v1/sec/search?q=%22",
    "/api/v1/no/such/route",
    "/api/v1/small/compare/v1...v2?ignore_formatting=1",
    "/api/v1/small/compare/v1...v2?ignore_formatting=maybe",
    "/api/v1/sec/search?page=x&q=a",
];

/// One Atom feed of each kind.
const FEEDS: &[&str] = &[
    "/feeds/versions.atom",
    "/feeds/provisions/H15.atom",
    "/feeds/consultations.atom",
    "/feeds/proposals.atom",
    "/feeds/variations.atom",
    "/codes/small/feeds/provisions/1.atom",
];

/// Where the snapshot site says it is reached.
const PUBLIC_URL: &str = "https://sec.example.org";

async fn site(sandbox: &Sandbox) -> axum::Router {
    let store = SqliteStore::open(&sandbox.db(), OpenOptions::default()).await.expect("open the database");
    let store: Arc<dyn Store> = Arc::new(store);
    let options = inforce_web::SiteOptions {
        default_code: CodeId::parse("sec").expect("code"),
        today: Some(TODAY.parse().expect("date")),
        poll: Duration::from_secs(1),
        access_log: false,
        public_url: Some(PUBLIC_URL.to_string()),
        limits: inforce_web::Limits::default(),
        signing_key: None,
        static_copy: false,
        trusted_proxies: inforce_web::client::TrustedProxies::default(),
    };
    inforce_web::routes(inforce_web::Site::load(store, options).await.expect("load the site"))
}

async fn get(routes: &axum::Router, url: &str) -> (u16, String, String) {
    let request = Request::get(url).body(Body::empty()).expect("request");
    let response = routes.clone().oneshot(request).await.expect("an answer");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
    (status, content_type, String::from_utf8(body.to_vec()).expect("UTF-8"))
}

#[tokio::test]
async fn api_answers_feeds_and_openapi_keep_their_shape() {
    let sandbox = populated();
    let routes = site(&sandbox).await;
    for url in API {
        let (status, content_type, body) = get(&routes, url).await;
        // An answer that is not JSON is kept as text, so that the snapshot shows it.
        let body: Value = serde_json::from_str(&body).unwrap_or(Value::String(body));
        insta::assert_json_snapshot!(
            name(url),
            json!({ "status": status, "content_type": content_type, "body": body })
        );
    }
    for url in FEEDS {
        let (status, content_type, body) = get(&routes, url).await;
        assert_eq!(status, 200, "{url}: {body}");
        assert_eq!(content_type, "application/atom+xml; charset=utf-8", "{url}");
        check_atom(url, &body);
        insta::assert_snapshot!(name(url), body);
    }
    let (status, _, openapi) = get(&routes, "/api/openapi.json").await;
    assert_eq!(status, 200);
    let openapi: Value = serde_json::from_str(&openapi).expect("OpenAPI is JSON");
    insta::assert_json_snapshot!("openapi", openapi);
}

/// RFC 4287's rules for a feed document (section 4.1.1, 4.1.2, 4.2.7, 3.3, 4.2.6): one id, title and updated
/// per feed and entry, an author, a `self` link giving the feed's own address and `alternate` links, all
/// absolute and on the public URL; entry ids unique and absolute IRIs; dates in RFC 3339.
fn check_atom(url: &str, body: &str) {
    let doc = roxmltree::Document::parse(body).unwrap_or_else(|e| panic!("{url}: not XML: {e}"));
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert!(feed.has_tag_name((atom, "feed")), "{url}: the root is atom:feed");
    let children = |node: roxmltree::Node<'_, '_>, name: &str| -> Vec<String> {
        node.children().filter(|c| c.has_tag_name((atom, name))).map(|c| c.text().unwrap_or("").to_string()).collect()
    };
    let links = |node: roxmltree::Node<'_, '_>, rel: &str| -> Vec<String> {
        node.children()
            .filter(|c| c.has_tag_name((atom, "link")) && c.attribute("rel").unwrap_or("alternate") == rel)
            .filter_map(|c| c.attribute("href").map(ToString::to_string))
            .collect()
    };
    let rfc3339 = |text: &str| text.parse::<jiff::Timestamp>().is_ok() && text.contains('T');
    let iri = |text: &str| text.split_once(':').is_some_and(|(scheme, rest)| !scheme.is_empty() && !rest.is_empty());
    for name in ["id", "title", "updated"] {
        assert_eq!(children(feed, name).len(), 1, "{url}: one atom:{name} in the feed");
    }
    assert!(iri(&children(feed, "id")[0]), "{url}: the feed id is an IRI");
    assert!(rfc3339(&children(feed, "updated")[0]), "{url}: the feed's updated is RFC 3339");
    assert_eq!(feed.children().filter(|c| c.has_tag_name((atom, "author"))).count(), 1, "{url}: a feed author");
    let own = format!("{PUBLIC_URL}{url}");
    assert_eq!(links(feed, "self"), [own], "{url}: rel=self is the feed's own absolute address");
    let alternate = links(feed, "alternate");
    assert_eq!(alternate.len(), 1, "{url}: one alternate page");
    assert!(alternate[0].starts_with(PUBLIC_URL), "{url}: {alternate:?}");
    let mut ids = std::collections::HashSet::new();
    for entry in feed.children().filter(|c| c.has_tag_name((atom, "entry"))) {
        for name in ["id", "title", "updated"] {
            assert_eq!(children(entry, name).len(), 1, "{url}: one atom:{name} in each entry");
        }
        let id = children(entry, "id").remove(0);
        assert!(iri(&id), "{url}: entry id {id} is an IRI");
        assert!(ids.insert(id.clone()), "{url}: entry id {id} is unique");
        assert!(rfc3339(&children(entry, "updated")[0]), "{url}: {id}'s updated is RFC 3339");
        // Without atom:content an entry needs an alternate link (4.1.1.1).
        let alternate = links(entry, "alternate");
        assert_eq!(alternate.len(), 1, "{url}: {id} has one alternate link");
        assert!(alternate[0].starts_with(PUBLIC_URL), "{url}: {id} links {alternate:?}");
    }
}

/// The command line's questions, each with `--format json`.
const QUESTIONS: &[&[&str]] = &[
    &["versions"],
    &["at", "2015-01-20"],
    &["at", "2030-01-01"],
    &["status", "H15", "--at", "2015-02-01"],
    &["status", "Appendix G"],
    &["history", "H15"],
    &["timeline", "--from", "2015-01-01", "--to", "2015-12-31"],
    &["consultations"],
    &["codes"],
    &["publications"],
    &["show", "H15"],
    &["search", "gateway"],
    &["diff", "4.0", "4.1"],
    &["blame", "H15"],
    &["check"],
    &["mod", "list"],
    &["mod", "list", "--affects", "H15", "--pending-at", "2020-01-01"],
    &["mod", "show", "MP084"],
    &["consultation", "show", "SEC4"],
    &["planned"],
    &["doc", "list"],
    &["doc", "list", "--attached-to", "version:4.0"],
    &["versions", "--code", "small"],
    &["at", "2016-06-01", "--code", "small"],
    &["status", "3", "--code", "small", "--at", "2016-06-01"],
    &["history", "1", "--code", "small"],
    &["show", "1", "--code", "small", "--version", "v1"],
    &["show", "1", "--code", "small", "--at", "2017-06-01"],
    &["search", "paiement", "--code", "small", "--all-versions"],
    &["search", "\"bonne foi\"", "--code", "small", "--version", "v1"],
    &["diff", "v1", "v2", "--code", "small"],
    &["diff", "2016-01-01", "v2", "--code", "small", "--provision", "1", "--ignore-formatting"],
    &["blame", "1", "--code", "small"],
    &["check", "--code", "small"],
    &["publications", "--code", "small"],
    &["at", "2016-06-01", "--code", "small", "--as-recorded", "2026-11-01"],
];

#[test]
fn command_line_answers_keep_their_shape() {
    let sandbox = populated();
    for args in QUESTIONS {
        let answer = write_json(&sandbox, "2026-11-01T09:00:00Z", args);
        insta::assert_json_snapshot!(name(&format!("cli {}", args.join(" "))), answer);
    }
}

/// Runs a command with `--format json` at a pinned record time; its answer with the sandbox redacted.
fn write_json(sandbox: &Sandbox, now: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = sandbox.run_at(now, &all);
    assert!(output.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = redact(sandbox, &String::from_utf8(output.stdout).expect("UTF-8"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {text}"))
}

#[test]
fn command_line_writes_keep_their_shape() {
    let sandbox = Sandbox::new();
    let folder = small_code(&sandbox);
    let folder = folder.to_str().expect("path");
    let changed = sandbox.path("changed");
    write(&changed, "2.md", "# Article 2\n\nDeux, enfin.\n");
    let changed = changed.to_str().expect("path");
    let register = sandbox.path("small.toml");
    let register = register.to_str().expect("path");
    let pdf = sandbox.path("note.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\na note\n%%EOF\n").expect("write");
    let pdf = pdf.to_str().expect("path");
    let db = sandbox.db();
    let copy = sandbox.path("copy.db");
    let site = sandbox.path("site");
    let export = sandbox.path("export");
    let steps: Vec<(&str, Vec<&str>)> = vec![
        ("2026-11-01T09:00:00Z", vec!["import", folder, "--code", "small", "--title", "A small code"]),
        ("2026-11-01T09:00:01Z", vec!["import", folder, "--code", "small"]),
        (
            "2026-11-02T09:00:00Z",
            vec![
                "import-version",
                changed,
                "--code",
                "small",
                "--version",
                "v3",
                "--effective",
                "2018-01-01",
                "--label",
                "third",
                "--remove",
                "3",
            ],
        ),
        ("2026-11-02T09:00:01Z", vec!["reindex", "--code", "small"]),
        (
            "2026-11-03T09:00:00Z",
            vec![
                "mod",
                "new",
                "MP301",
                "--title",
                "Clarify H15 charges",
                "--path",
                "3",
                "--affects",
                "H15",
                "--raised",
                "2026-10-01",
            ],
        ),
        ("2026-11-03T09:00:01Z", vec!["mod", "advance", "MP301", "--to", "development", "--date", "2026-10-20"]),
        (
            "2026-11-03T09:00:02Z",
            vec![
                "mod",
                "update",
                "MP301",
                "--path",
                "2",
                "--target-release",
                "June 2027 SEC Release",
                "--reason",
                "The Panel fixed path 2",
            ],
        ),
        (
            "2026-11-04T09:00:00Z",
            vec![
                "consultation",
                "add",
                "SEC-2027",
                "--title",
                "Charges",
                "--published",
                "2026-11-01",
                "--closes",
                "2026-12-15",
                "--topic",
                "H15 charges",
            ],
        ),
        ("2026-11-04T09:00:01Z", vec!["doc", "add", pdf, "--title", "A note", "--attach", "proposal:MP301"]),
        ("2026-11-05T09:00:00Z", vec!["register", "export", "--code", "small", "-o", register]),
        ("2026-11-05T09:00:01Z", vec!["register", "import", register]),
        (
            "2026-11-06T09:00:00Z",
            vec!["copy", "--from", db.to_str().expect("path"), "--to", copy.to_str().expect("path")],
        ),
        ("2026-11-06T09:00:01Z", vec!["export", export.to_str().expect("path"), "--code", "small", "--version", "v2"]),
        ("2026-11-06T09:00:02Z", vec!["export-site", site.to_str().expect("path")]),
        (
            "2026-11-07T09:00:00Z",
            vec![
                "versions",
                "update",
                "4.2",
                "--summary",
                "Designated by the Secretary of State.",
                "--reason",
                "A slip",
            ],
        ),
        (
            "2026-11-07T09:00:01Z",
            vec![
                "consultation",
                "update",
                "SEC-2027",
                "--concerns",
                "proposal:MP301,version:4.2",
                "--closes",
                "today",
                "--reason",
                "Closed early",
            ],
        ),
        ("2026-11-07T09:00:02Z", vec!["doc", "attach", "note", "--to", "version:4.2"]),
        ("2026-11-07T09:00:03Z", vec!["doc", "detach", "note", "--from", "proposal:MP301", "--reason", "A slip"]),
        ("2026-11-07T09:00:04Z", vec!["audit", "--from", "2026-11-07"]),
    ];
    for (step, (now, args)) in steps.iter().enumerate() {
        if args[0] == "export" {
            // Writes Markdown files: the index is the contract.
            let output = sandbox.run_at(now, &[&args[..], &["--format", "markdown"]].concat());
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            let mut files: Vec<String> = std::fs::read_dir(&export)
                .expect("exported")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let index = std::fs::read_to_string(export.join("index.md")).unwrap_or_default();
            insta::assert_snapshot!("cli_export_small", format!("{}\n---\n{index}", files.join("\n")));
            continue;
        }
        if args[..2] == ["register", "export"] {
            // Writes TOML, not JSON: its file is the contract.
            let output = sandbox.run_at(now, args);
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            insta::assert_snapshot!("cli_register_export_small", std::fs::read_to_string(register).expect("read"));
            continue;
        }
        let mut answer = write_json(&sandbox, now, args);
        if let Some(took) = answer.get_mut("milliseconds") {
            // A measured time: its presence is the contract, not its value.
            *took = json!("[measured]");
        }
        let label: Vec<&str> = args.iter().take(2).copied().filter(|a| !a.starts_with('/')).collect();
        insta::assert_json_snapshot!(name(&format!("cli write {step:02} {}", label.join(" "))), answer);
    }
}

/// Commands refused, each with its exit status and message: where two readings of the same argument used to
/// disagree, the stricter one answers here.
const REFUSALS: &[&[&str]] = &[
    &["serve", "--public-url", "sec.example.org"],
    &["export-site", "out", "--public-url", "https://sec.example.org/?x=1"],
    &["at", "2015-13-01"],
    &["at", " 2015-01-20"],
    &["status", "Q99"],
    &["diff", "4.0", "nonsense version"],
    &["diff", "2015-13-01", "4.1"],
    &["diff", "4.0", "99.0"],
    &["show", "H15", "--version", "99.0"],
    &["mod", "list", "--stage", "nowhere"],
    &["mod", "list", "--path", "9"],
    &["mod", "show", "MP999"],
    &["consultation", "show", "NOPE"],
    &["timeline", "--from", "2016-01-01", "--to", "2015-01-01"],
    &["versions", "--code", "nope"],
    &["import", "/nonexistent"],
    &["search", "\"unclosed"],
    &["export", "/tmp/x", "--format", "json"],
];

#[test]
fn command_line_refusals_keep_their_status_and_words() {
    let sandbox = populated();
    for args in REFUSALS {
        let output = sandbox.run(args);
        let stderr = redact(&sandbox, &String::from_utf8_lossy(&output.stderr));
        let answer = json!({ "status": output.status.code(), "stderr": stderr.trim_end() });
        insta::assert_json_snapshot!(name(&format!("cli refused {}", args.join(" "))), answer);
    }
}

/// Tokens of the JSON contract (and register keys) that must not reach a person reading text or a page.
const TOKENS: &[&str] = &[
    "in_force",
    "not_yet_added",
    "status_changed",
    "in_between",
    "sos_direction",
    "sos_variation",
    "authority_led_variation",
    "2021-11-04-november-2021-release",
];

#[tokio::test]
async fn faces_for_people_use_words_not_tokens() {
    let sandbox = populated();
    let mut faces: Vec<(String, String)> = Vec::new();
    for args in [
        &["versions"][..],
        &["at", "2021-12-01"],
        &["status", "H15", "--at", "2015-02-01"],
        &["history", "H14.31"],
        &["timeline"],
        &["diff", "4.0", "4.1"],
        &["diff", "2021-01-01", "2022-01-01"],
        &["mod", "list"],
        &["planned"],
    ] {
        faces.push((args.join(" "), sandbox.stdout(args)));
    }
    let routes = site(&sandbox).await;
    for url in [
        "/",
        "/versions",
        "/versions/2021-11-04-november-2021-release",
        "/at/2015-01-20",
        "/provisions/H14.31",
        "/compare/4.0...4.1",
        "/variations",
        "/feeds/versions.atom",
        "/feeds/variations.atom",
        "/feeds/provisions/H14.31.atom",
    ] {
        let (status, _, body) = get(&routes, url).await;
        assert_eq!(status, 200, "{url}");
        faces.push((url.to_string(), visible(&body)));
    }
    for (face, text) in &faces {
        for token in TOKENS {
            assert!(!text.contains(token), "{face} shows the token {token:?}:\n{text}");
        }
    }
}

/// Word documents in: `import-docx` (a new code, then a new version with its likely renumberings) and
/// `docx-changes` as JSON and as text, and their refusals, on the SEC-like documents of ../shared/docx (copied into
/// the sandbox, so that paths read the same everywhere). Skipped with a reason when ../shared/docx is absent,
/// unless `INFORCE_REQUIRE_DOCX` is set.
#[test]
fn word_documents_keep_their_shape() {
    let shared = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/docx");
    if !shared.is_dir() {
        assert!(std::env::var("INFORCE_REQUIRE_DOCX").is_err(), "{} is required here", shared.display());
        println!("skipped: {} is absent", shared.display());
        return;
    }
    let sandbox = Sandbox::new();
    let copy = |from: &str, name: &str| {
        let to = sandbox.path(name);
        std::fs::copy(shared.join(from), &to).expect("copy");
        to.display().to_string()
    };
    let v1 = copy("sec-like/D-v1.docx", "D-v1.docx");
    let v2 = copy("sec-like/D-v2.docx", "D-v2.docx");
    let conformed = copy("sec-like/D-v2-conformed.docx", "D-v2-conformed.docx");
    let old = copy("sec-like/broken/old-format-as.docx", "old-format-as.docx");
    let first = ["import-docx", &v1, "--code", "d", "--version", "1", "--effective", "2025-01-06", "--title", "D"];
    insta::assert_json_snapshot!("cli_docx_import_new_code", write_json(&sandbox, "2026-11-01T09:00:00Z", &first));
    let second =
        ["import-docx", &v2, "--code", "d", "--version", "2", "--effective", "2025-04-07", "--missing", "removed"];
    insta::assert_json_snapshot!("cli_docx_import_renumbered", write_json(&sandbox, "2026-11-02T09:00:00Z", &second));
    let changes = sandbox.json(&["docx-changes", &conformed]);
    let changes: Value = serde_json::from_str(&redact(&sandbox, &changes.to_string())).expect("json");
    insta::assert_json_snapshot!("cli_docx_changes", changes);
    insta::assert_snapshot!("cli_docx_changes_text", sandbox.stdout(&["docx-changes", &conformed]));
    for (label, args) in [
        ("tracked", vec!["import-docx", &conformed, "--code", "d", "--version", "3", "--effective", "2025-05-01"]),
        ("missing", vec!["import-docx", &v1, "--code", "sec", "--version", "64.0", "--effective", "2027-06-01"]),
        ("old format", vec!["docx-changes", &old]),
    ] {
        let output = sandbox.run(&args);
        let stderr = redact(&sandbox, &String::from_utf8_lossy(&output.stderr));
        let answer = json!({ "status": output.status.code(), "stderr": stderr.trim_end() });
        insta::assert_json_snapshot!(name(&format!("cli refused docx {label}")), answer);
    }
}
