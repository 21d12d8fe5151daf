//! Citable addresses on the served site and API: `?as_recorded=DATE` gives the register as recorded at the end of
//! that day, as `--as-recorded` does, says so on the page and in the JSON `record`, and an answer about a named
//! point as recorded on a day that is over is sent as immutable; every page names its canonical address.

mod common;

use common::http::get;
use common::{Folder, Sandbox, stderr};

/// Code `c` recorded on 1 October 2026 ("Le paiement est valable.") and corrected on 3 October ("… de bonne
/// foi …"), served.
fn corrected_code(sandbox: &Sandbox) -> common::Server {
    let folder = |name: &str, text: &str| {
        Folder::new()
            .version(
                "v1",
                "2016-01-01",
                &[("1", format!("# Article 1\n\n{text}\n")), ("2", "# Article 2\n\nDeux.\n".into())],
            )
            .write(&sandbox.path(name))
            .display()
            .to_string()
    };
    let first = folder("first", "Le paiement est valable.");
    let second = folder("second", "Le paiement fait de bonne foi est valable.");
    let imported = sandbox.run_at("2026-10-01T09:00:00Z", &["import", &first, "--code", "c"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let corrected =
        sandbox.run_at("2026-10-03T09:00:00Z", &["import", &second, "--code", "c", "--replace", "--reason", "a draft"]);
    assert!(corrected.status.success(), "{}", stderr(&corrected));
    common::start(sandbox)
}

#[test]
fn as_recorded_gives_the_register_as_it_stood_and_such_a_citation_never_changes() {
    let sandbox = Sandbox::new();
    let server = corrected_code(&sandbox);

    let now = get(&server, "/api/v1/c/provisions/1?version=v1", &[]);
    assert_eq!(now.status, 200, "{}", now.body);
    assert!(now.json()["text"]["text"].as_str().expect("text").contains("de bonne foi"));
    assert_eq!(now.json()["record"].get("as_recorded"), None, "as it stands, nothing is said");
    assert_eq!(now.header("cache-control"), Some("public, max-age=60"));

    // As recorded on 2 October: the first wording, from the publication of 1 October; cited, it never changes.
    let then = get(&server, "/api/v1/c/provisions/1?version=v1&as_recorded=2026-10-02", &[]);
    assert_eq!(then.status, 200, "{}", then.body);
    let json = then.json();
    assert_eq!(json["text"]["text"].as_str().map(|t| t.contains("Le paiement est valable.")), Some(true), "{json}");
    assert_eq!(json["record"]["as_recorded"], "2026-10-01T09:00:00Z");
    assert_eq!(then.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(then.header("last-modified"), Some("Thu, 01 Oct 2026 09:00:00 GMT"));
    assert_ne!(then.header("etag"), now.header("etag"));
    // The same answer as the command line's.
    let cli = sandbox.json(&["--code", "c", "show", "1", "--version", "v1", "--as-recorded", "2026-10-02"]);
    assert_eq!(cli["text"]["text"], json["text"]["text"]);
    assert_eq!(cli["text"]["hash"], json["text"]["hash"]);
    assert_eq!(cli["record"]["as_recorded"], "2026-10-01T09:00:00Z");
    // Read once, kept: asked again, the same bytes.
    let again = get(&server, "/api/v1/c/provisions/1?as_recorded=2026-10-02&version=v1", &[]);
    assert_eq!((again.status, &again.body), (200, &then.body));
    // A day after the correction: the correction, still as recorded (and still immutable).
    let later = get(&server, "/api/v1/c/provisions/1?version=v1&as_recorded=2026-10-04", &[]);
    assert!(later.json()["text"]["text"].as_str().expect("text").contains("de bonne foi"));
    assert_eq!(later.json()["record"]["as_recorded"], "2026-10-03T09:00:00Z");
    assert_eq!(later.header("cache-control"), Some("public, max-age=31536000, immutable"));

    // An answer that depends on today still changes with the day, as recorded or not.
    let today = get(&server, "/api/v1/c/provisions/1?as_recorded=2026-10-02", &[]);
    assert_eq!(today.status, 200);
    assert_eq!(today.header("cache-control"), Some("public, max-age=60"));
    // Today's record day is not over: not immutable.
    let so_far = get(&server, "/api/v1/c/provisions/1?version=v1&as_recorded=today", &[]);
    assert_eq!(so_far.status, 200, "{}", so_far.body);
    assert_eq!(so_far.header("cache-control"), Some("public, max-age=60"));
    assert!(so_far.json()["text"]["text"].as_str().expect("text").contains("de bonne foi"));

    // Lists as recorded: the publications and the log as they stood.
    let publications = |query: &str| {
        let reply = get(&server, &format!("/api/v1/c/publications{query}"), &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["publications"].as_array().map(Vec::len)
    };
    assert_eq!(publications(""), Some(2));
    assert_eq!(publications("?as_recorded=2026-10-02"), Some(1));
    let log = get(&server, "/api/v1/c/log?as_recorded=2026-10-02", &[]).json();
    assert_eq!(log["size"], 1, "{log}");
    // Search reads the register as recorded too.
    let search = |query: &str| {
        let reply = get(&server, &format!("/api/v1/c/search?q=bonne&all_versions=true{query}"), &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["total"].as_u64()
    };
    assert_eq!(search(""), Some(1));
    assert_eq!(search("&as_recorded=2026-10-02"), Some(0));

    // Refusals say why.
    let before = get(&server, "/api/v1/c/provisions/1?version=v1&as_recorded=2026-09-30", &[]);
    assert_eq!(before.status, 404, "{}", before.body);
    assert!(before.body.contains("first publication was recorded on 2026-10-01"), "{}", before.body);
    let future = get(&server, "/api/v1/c/provisions/1?as_recorded=2999-01-01", &[]);
    assert_eq!(future.status, 400, "{}", future.body);
    assert!(future.body.contains("still to come"), "{}", future.body);
    let junk = get(&server, "/api/v1/c/provisions/1?as_recorded=yesterday", &[]);
    assert_eq!(junk.status, 400);
    assert!(junk.body.contains("as_recorded: 'yesterday' is not a day"), "{}", junk.body);
    // Empty is absent.
    assert_eq!(get(&server, "/api/v1/c/provisions/1?version=v1&as_recorded=", &[]).body, now.body);
}

#[test]
fn a_page_as_recorded_says_so_and_every_page_names_its_canonical_address() {
    let sandbox = Sandbox::new();
    let server = corrected_code(&sandbox);
    let page = get(&server, "/codes/c/provisions/1?version=v1&utm_source=x&as_recorded=2026-10-02", &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("As recorded on 2 October 2026.</strong>"), "{}", page.body);
    assert!(page.body.contains("as its publication of 2026-10-01 09:00 UTC left it"), "{}", page.body);
    assert!(page.body.contains("<a href=\"/codes/c/provisions/1?version=v1\">See it as the register stands</a>"));
    assert!(page.body.contains("Le paiement est valable."));
    // Absolute, from the site's public URL (here the address it listens on).
    let canonical = |path: &str| format!("<link rel=\"canonical\" href=\"http://127.0.0.1:{}{path}\">", server.port);
    assert!(
        page.body.contains(&canonical("/codes/c/provisions/1?as_recorded=2026-10-02&#38;version=v1")),
        "the known parameters with a value, sorted; nothing else: {}",
        page.body
    );
    let standing = get(&server, "/codes/c/provisions/1?version=v1", &[]);
    assert!(!standing.body.contains("As recorded on"));
    assert!(standing.body.contains(&canonical("/codes/c/provisions/1?version=v1")), "{}", standing.body);
    let home = get(&server, "/", &[]);
    assert!(home.body.contains(&canonical("/")), "{}", home.body);
    // The day not over is said to be so.
    let so_far = get(&server, "/codes/c/versions?as_recorded=today", &[]);
    assert!(so_far.body.contains(", so far (the day is not over).</strong>"), "{}", so_far.body);
}
