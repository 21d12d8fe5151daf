//! The real server (`inforce serve`) over HTTP, where the process itself is what is tested: answers as the command
//! line gives them, caching, hostile input, reloads, signals and shutdown, connection caps and header timeouts,
//! PostgreSQL outages and two instances, logs, damaged data, and `export-site`. What a page shows is tested in
//! process, in `crates/web/tests/pages.rs`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http::{get, request};
use common::{Sandbox, Server, start, start_with};
use serde_json::Value;

#[test]
fn the_api_gives_the_same_answers_as_the_command_line() {
    let sandbox = Sandbox::new();
    let server = start(&sandbox);
    let api = get(&server, "/api/v1/sec/at/2015-01-20", &[]);
    assert_eq!(api.status, 200);
    assert_eq!(api.header("content-type"), Some("application/json"));
    let cli = sandbox
        .command(&["at", "2015-01-20", "--format", "json"])
        .env("INFORCE_TODAY", "2015-02-01")
        .output()
        .expect("cli");
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("json");
    assert_eq!(api.json(), cli);
    let compare = get(&server, "/api/v1/sec/compare/4.0...4.1", &[]).json();
    assert_eq!(compare["summary"]["changed"], 3, "A, E and H15, amended by 4.1 as the register lists");
    assert_eq!(compare["summary"]["known_from_register"], 4);
    // Another spelling of an id is sent to its one citable address, with its query.
    let moved = get(&server, "/api/v1/sec/provisions/h15?at=2015-02-01", &[]);
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/api/v1/sec/provisions/H15?at=2015-02-01"));
    for (asked, canonical) in [
        ("/provisions/Section%20H", "/provisions/H"),
        ("/provisions/appendix%20g/blame?at=2015-02-01", "/provisions/APP-G/blame?at=2015-02-01"),
        ("/codes/sec/provisions/h15", "/codes/sec/provisions/H15"),
    ] {
        let answer = get(&server, asked, &[]);
        assert_eq!((answer.status, answer.header("location")), (301, Some(canonical)), "{asked}");
    }
    let provision = get(&server, "/api/v1/sec/provisions/H15?at=2015-02-01", &[]).json();
    assert_eq!(provision["provision"]["status"], "in_force");
    assert_eq!(get(&server, "/api/v1/codes", &[]).json()["codes"][0]["id"], "sec");
    let consultation = get(&server, "/api/v1/sec/consultations/SEC2", &[]).json();
    let cli = sandbox.json(&["consultation", "show", "SEC2"]);
    assert_eq!(consultation, cli, "the API twin of a consultation's page answers as the command line");
}

#[test]
fn published_pages_are_cached_and_revalidated() {
    let sandbox = Sandbox::new();
    let server = start(&sandbox);
    let first = get(&server, "/versions/4.1", &[]);
    let etag = first.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with('"'), "a strong ETag: {etag}");
    assert!(first.header("cache-control").is_some_and(|c| c == "public, max-age=60"));
    assert!(first.header("last-modified").is_some());
    assert!(first.header("content-security-policy").is_some());
    let again = get(&server, "/versions/4.1", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
}

#[test]
fn public_reads_are_open_to_scripts_on_any_origin() {
    let sandbox = Sandbox::new();
    let server = start(&sandbox);
    let origin = [("Origin", "https://tools.example.org")];
    // Drawn, then from the answer cache: the same headers either way.
    for _ in 0..2 {
        let answer = get(&server, "/api/v1/sec/versions/4.1", &origin);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
        let exposed = answer.header("access-control-expose-headers").unwrap_or("").to_lowercase();
        assert!(exposed.contains("etag") && exposed.contains("last-modified"), "{exposed}");
        assert_eq!(answer.header("access-control-allow-credentials"), None);
    }
    // A preflight may ask to send the conditional headers with GET; nothing else is opened.
    let preflight = request(
        &server,
        "OPTIONS",
        "/api/v1/sec/versions/4.1",
        &[
            ("Origin", "https://tools.example.org"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match"),
        ],
    );
    assert!((200..300).contains(&preflight.status), "{}", preflight.status);
    let methods = preflight.header("access-control-allow-methods").unwrap_or("");
    assert!(methods.contains("GET") && !methods.contains("POST"), "{methods}");
    assert!(preflight.header("access-control-allow-headers").unwrap_or("").to_lowercase().contains("if-none-match"));
    // The API's timeline honours from and to, as the command line does; the wrong way round is a 400.
    let year = get(&server, "/api/v1/sec/timeline?from=2015-01-01&to=2015-12-31", &[]).json();
    let dates: Vec<&str> =
        year["entries"].as_array().expect("entries").iter().filter_map(|e| e["effective"].as_str()).collect();
    assert!(!dates.is_empty() && dates.iter().all(|d| d.starts_with("2015")), "{dates:?}");
    assert_eq!(get(&server, "/api/v1/sec/timeline?from=2016-01-01&to=2015-01-01", &[]).status, 400);
}

#[test]
fn bad_input_gets_a_clear_error_and_is_always_escaped() {
    let sandbox = Sandbox::new();
    let server = start(&sandbox);
    let bad_date = get(&server, "/at/2015-13-01", &[]);
    assert_eq!(bad_date.status, 400);
    assert!(bad_date.body.contains("is not a date: write it as YYYY-MM-DD"));
    assert_eq!(get(&server, "/provisions/Q99", &[]).status, 404);
    assert_eq!(get(&server, "/versions/9.9", &[]).status, 404);
    assert_eq!(get(&server, "/no/such/page", &[]).status, 404);
    let problem = get(&server, "/api/v1/sec/at/yesterday", &[]);
    assert_eq!(problem.status, 400);
    assert_eq!(problem.header("content-type"), Some("application/problem+json"));
    assert_eq!(problem.json()["status"], 400);
    let hostile = [
        "/provisions/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/at/%3Cimg%20src=x%20onerror=alert(1)%3E",
        "/compare/%3Cb%3E...4.1",
        "/compare/4.0..4.1",
        "/versions/%22%3E%3Cscript%3E",
        "/provisions/H15?at=%3Cscript%3E",
        "/provisions/H15?version=%3Cscript%3E",
        "/api/v1/%3Cscript%3E/versions",
        "/codes/%3Cscript%3E/versions",
        "/feeds/provisions/%3Cscript%3E.atom",
    ];
    for path in hostile {
        let reply = get(&server, path, &[]);
        assert!((400..500).contains(&reply.status), "{path}: {}", reply.status);
        if reply.header("content-type").is_some_and(|t| t.starts_with("text/html")) {
            let raw = ["<script>", "<img", "<b>"].iter().any(|m| reply.body.contains(m));
            assert!(!raw, "{path} echoed markup into a page: {}", reply.body);
        } else {
            assert_eq!(reply.header("content-type"), Some("application/problem+json"), "{path}");
            assert!(reply.json()["detail"].is_string(), "{path}: JSON, where markup is inert");
        }
    }
    let long = format!("/at/{}", "9".repeat(5000));
    assert_eq!(get(&server, &long, &[]).status, 400);
    assert_eq!(get(&server, "/healthz", &[]).status, 200, "still up after all that");
}

#[test]
fn proposals_are_followed_on_the_site_and_through_the_api() {
    let sandbox = Sandbox::new();
    // Today is 1 February 2015 on this server; MP301 is raised against H15 after that and still in progress.
    for args in [
        &[
            "mod",
            "new",
            "MP301",
            "--title",
            "Gateway <b>charges</b>",
            "--path",
            "3",
            "--affects",
            "H15",
            "--raised",
            "2015-01-20",
        ][..],
        &["mod", "advance", "MP301", "--to", "development", "--date", "2015-01-25"][..],
    ] {
        assert!(sandbox.run(args).status.success(), "{args:?}");
    }
    let server = start(&sandbox);
    let list = get(&server, "/proposals", &[]);
    assert_eq!(list.status, 200);
    assert!(list.body.contains("<a href=\"/proposals/MP084\">MP084</a>"), "{}", list.body);
    assert!(
        list.body.contains("Gateway &#60;b&#62;charges&#60;/b&#62;")
            || list.body.contains("Gateway &lt;b&gt;charges&lt;/b&gt;"),
        "titles are escaped"
    );
    // The server's today is 2015-02-01: MP084 (raised in 2019, rejected in May 2020) is not rejected yet.
    let rejected = get(&server, "/proposals?stage=rejected&at=2020-06-01", &[]);
    assert!(rejected.body.contains("MP084") && !rejected.body.contains("MP301"), "{}", rejected.body);
    let not_yet = get(&server, "/proposals?stage=rejected", &[]);
    assert!(!not_yet.body.contains("MP084"), "stages dated later are scheduled, not current");
    let pending = get(&server, "/proposals?affects=H&pending_at=2015-02-01", &[]);
    assert!(pending.body.contains("MP301") && !pending.body.contains("MP084"), "a change to H15 is pending against H");
    let detail = get(&server, "/proposals/mp301", &[]);
    assert_eq!(detail.status, 200);
    assert!(detail.body.contains("Now at <strong>Development Stage</strong>"), "{}", detail.body);
    assert!(detail.body.contains("It may move next to: Modification Proposal, Withdrawn by the proposer."));
    let provision = get(&server, "/provisions/H15", &[]);
    assert!(
        provision.body.contains("<a href=\"/proposals/MP301\">MP301</a>"),
        "the provision shows what is pending against it"
    );
    let home = get(&server, "/", &[]);
    assert!(home.body.contains("<a href=\"/proposals/MP301\">MP301</a>"), "the home page lists proposals in progress");
    let earlier = get(&server, "/provisions/H15?at=2015-01-19", &[]);
    assert!(!earlier.body.contains("/proposals/MP301"), "not before it was raised");
    assert_eq!(get(&server, "/proposals?stage=nowhere", &[]).status, 400);
    assert_eq!(get(&server, "/proposals?pending_at=2015-13-01", &[]).status, 400);
    assert_eq!(get(&server, "/proposals?affects=ZZ9", &[]).status, 404);
    assert_eq!(get(&server, "/proposals/MP999", &[]).status, 404);
    let api = get(&server, "/api/v1/sec/proposals?pending_at=2015-02-01", &[]).json();
    assert_eq!(api["proposals"].as_array().map(Vec::len), Some(1));
    assert_eq!(api["proposals"][0]["stage"]["id"], "development");
    assert_eq!(api["proposals"][0]["next"], serde_json::json!(["modification-proposal", "withdrawn"]));
    let cli = sandbox.json(&["mod", "show", "MP301"]);
    let one = get(&server, "/api/v1/sec/proposals/MP301", &[]).json();
    assert_eq!(one["history"], cli["history"], "the API and the command line give the same timeline");
    let open = get(&server, "/api/v1/sec/consultations?state=open", &[]).json();
    assert_eq!(open["consultations"], serde_json::json!([]), "none is open on 1 February 2015");
    // On 15 July 2014 the Stage 4 consultation (30 June to 25 August 2014) was open, and only it.
    let in_july = start_with(&sandbox, &[("INFORCE_TODAY", "2014-07-15")], Stdio::null());
    let open = get(&in_july, "/api/v1/sec/consultations?state=open", &[]).json();
    let ids: Vec<&str> =
        open["consultations"].as_array().expect("list").iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["SEC4"]);
    assert_eq!(open["consultations"][0]["state"], "open");
    let closed = get(&server, "/consultations?state=closed", &[]);
    assert!(closed.body.contains("Stage 4 consultation") && closed.body.contains("(showing closed only)"));
    assert_eq!(get(&server, "/consultations?state=ajar", &[]).status, 400);
    let variations = get(&server, "/api/v1/sec/variations", &[]).json();
    let direction = variations["entries"]
        .as_array()
        .and_then(|list| list.iter().find(|e| e["id"] == "2015-04-24-sos-direction-h14-31").cloned());
    assert!(direction.is_some_and(|e| e["activated"]["provisions"] == serde_json::json!(["H14.31"])), "{variations}");
    assert!(get(&server, "/variations", &[]).body.contains("H14.31 activated"));
    let problem = get(&server, "/api/v1/sec/proposals?stage=nowhere", &[]);
    assert_eq!(problem.header("content-type"), Some("application/problem+json"));
    assert!(problem.json()["detail"].as_str().is_some_and(|d| d.contains("the stages are: draft-proposal")));
}

#[test]
fn a_publication_shows_without_a_restart_and_sigterm_stops_cleanly() {
    let sandbox = Sandbox::new();
    let mut server = start(&sandbox);
    assert!(get(&server, "/versions/4.1", &[]).body.contains("26 January 2015"));
    let text = sandbox.stdout(&["register", "export"]);
    let corrected = text.replacen("effective = \"2015-01-26\"", "effective = \"2015-01-27\"", 1);
    let file = sandbox.path("corrected.toml");
    std::fs::write(&file, corrected).expect("write");
    let output = sandbox.run(&["register", "import", file.to_str().expect("path")]);
    assert!(output.status.success());
    let start = Instant::now();
    loop {
        if get(&server, "/versions/4.1", &[]).body.contains("27 January 2015") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "the correction never showed");
        std::thread::sleep(Duration::from_millis(100));
    }
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|s| s.success()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a clean exit on SIGTERM: {status}");
    server.port = 0;
}

/// Checks a JSON value against an OpenAPI 3.1 schema: $ref, type (one or several), required, properties, items,
/// enum and oneOf — the parts our description uses. Returns the first mismatch with its JSON path.
fn check(document: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return check(document, &document["components"]["schemas"][name], value, path);
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let matching = options.iter().filter(|o| check(document, o, value, path).is_ok()).count();
        return if matching == 1 { Ok(()) } else { Err(format!("{path}: matches {matching} of oneOf")) };
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        return Err(format!("{path}: {value} is not one of {allowed:?}"));
    }
    let type_of = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() && !types.contains(&type_of(value)) {
        return Err(format!("{path}: expected {types:?}, found {}", type_of(value)));
    }
    if let (Some(required), Some(object)) = (schema["required"].as_array(), value.as_object()) {
        for key in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(key) {
                return Err(format!("{path}: missing required '{key}'"));
            }
        }
    }
    if let (Some(properties), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (key, property) in properties {
            if let Some(inner) = object.get(key) {
                check(document, property, inner, &format!("{path}.{key}"))?;
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate().take(200) {
            check(document, items, item, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

#[test]
fn the_openapi_description_matches_the_real_responses() {
    let sandbox = Sandbox::new();
    let key = sandbox.path("site.key");
    assert!(sandbox.run(&["key", "generate", key.to_str().expect("path")]).status.success());
    // The document the description's download examples name.
    let pdf = sandbox.path("annex2.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\nSEC4 annex 2\n%%EOF\n").expect("write");
    assert!(sandbox.run(&["doc", "add", pdf.to_str().expect("path"), "--title", "Annex 2"]).status.success());
    let server = start_with(&sandbox, &[("INFORCE_SIGNING_KEY", key.to_str().expect("path"))], Stdio::null());
    let document = get(&server, "/api/openapi.json", &[]).json();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["servers"][0]["url"], format!("http://127.0.0.1:{}", server.port), "its public URL");
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.len() >= 9, "every API route is described");
    for (template, item) in paths {
        let operation = &item["get"];
        let mut url = template.clone();
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let parameter = match parameter["$ref"].as_str() {
                Some(r) => &document["components"]["parameters"][r.trim_start_matches("#/components/parameters/")],
                None => parameter,
            };
            if parameter["in"] == "path" {
                let name = parameter["name"].as_str().expect("name");
                let example =
                    parameter["example"].as_str().unwrap_or_else(|| panic!("{template}: no example for {name}"));
                url = url.replace(&format!("{{{name}}}"), example);
            } else if parameter["in"] == "query" && parameter["required"] == true {
                let name = parameter["name"].as_str().expect("name");
                let example =
                    parameter["example"].as_str().unwrap_or_else(|| panic!("{template}: no example for {name}"));
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&format!("{name}={example}"));
            }
        }
        let reply = get(&server, &url, &[]);
        assert_eq!(reply.status, 200, "{url}");
        let responses = &operation["responses"];
        // Every header the description promises is sent.
        for name in responses["200"]["headers"].as_object().into_iter().flat_map(|h| h.keys()) {
            if name != "Link" {
                assert!(reply.header(name).is_some(), "{url}: no {name}");
            }
        }
        // Every status the address can be made to answer is described.
        let described = |status: u16| responses.get(status.to_string()).is_some();
        let etag = reply.header("etag").expect("an ETag").to_string();
        let statuses = [
            (get(&server, &url, &[("If-None-Match", &etag)]).status, 304),
            (get(&server, &url, &[("If-Match", "\"another\"")]).status, 412),
        ];
        for (got, wanted) in statuses {
            assert_eq!((got, described(got)), (wanted, true), "{url}");
        }
        if template.contains("{code}") {
            let elsewhere = url.replacen("/sec/", "/nocode/", 1).replacen("/codes/sec/", "/codes/nocode/", 1);
            let got = get(&server, &elsewhere, &[]).status;
            assert_eq!((got, described(got)), (404, true), "{elsewhere}");
        }
        if template.starts_with("/api/v1/{code}/") || template.starts_with("/api/v1/search") {
            let junk = format!("{url}{}as_recorded=someday", if url.contains('?') { '&' } else { '?' });
            let got = get(&server, &junk, &[]).status;
            assert_eq!((got, described(got)), (400, true), "{junk}");
        }
        if template.contains("{provision}") {
            let spelled = url.replacen("/provisions/H15", "/provisions/h15", 1);
            let got = get(&server, &spelled, &[]).status;
            assert_eq!((got, described(got)), (301, true), "{spelled}");
        }
        assert!(described(503), "{url}: a busy server's 503 is described");
        let content = &responses["200"]["content"];
        if content.get("application/octet-stream").is_some() {
            // A download: the file as stored, as an attachment.
            assert_eq!(reply.header("content-type"), Some("application/pdf"), "{url}");
            assert_eq!(reply.header("content-disposition"), Some("attachment; filename=\"annex2.pdf\""), "{url}");
            continue;
        }
        if content.get("text/plain").is_some() {
            assert_eq!(reply.header("content-type"), Some("text/plain; charset=utf-8"), "{url}");
            continue;
        }
        let schema = &content["application/json"]["schema"];
        check(&document, schema, &reply.json(), &url).unwrap_or_else(|e| panic!("{e}"));
    }
    let problem = get(&server, "/api/v1/sec/versions/9.9", &[]);
    assert_eq!(problem.status, 404);
    check(&document, &document["components"]["schemas"]["Problem"], &problem.json(), "problem")
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_lost_database_leaves_the_site_serving_and_not_ready() {
    let Some(sandbox) = Sandbox::postgres("outage") else { return };
    let server = start(&sandbox);
    assert_eq!(get(&server, "/readyz", &[]).status, 200);
    sandbox.drop_postgres();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(get(&server, "/versions/4.1", &[]).status, 200, "the last registers are still served");
    assert_eq!(get(&server, "/api/v1/sec/at/2015-01-20", &[]).status, 200);
    assert_eq!(get(&server, "/readyz", &[]).status, 503, "but the instance says it is not ready");
    assert_eq!(get(&server, "/healthz", &[]).status, 200, "and the process is up");
}

/// Polls `path` on `server` until its body contains `wanted`; how long that took.
fn until_shown(server: &Server, path: &str, wanted: &str) -> Duration {
    let start = Instant::now();
    loop {
        if get(server, path, &[]).body.contains(wanted) {
            return start.elapsed();
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{wanted:?} never showed on port {}", server.port);
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn two_instances_on_one_postgres_serve_every_publication_and_survive_a_killed_import() {
    let Some(sandbox) = Sandbox::postgres("two_instances") else { return };
    // Polling is slowed to a minute, so only NOTIFY can bring a publication to an instance within seconds.
    let slow_poll = [("INFORCE_POLL_MS", "60000")];
    let servers = [start_with(&sandbox, &slow_poll, Stdio::null()), start_with(&sandbox, &slow_poll, Stdio::null())];
    for server in &servers {
        assert!(get(server, "/versions/4.1", &[]).body.contains("26 January 2015"));
    }
    let text = sandbox.stdout(&["register", "export"]);
    // A publication through the command line reaches both instances (announced by LISTEN/NOTIFY).
    let corrected = text.replacen("effective = \"2015-01-26\"", "effective = \"2015-01-27\"", 1);
    let file = sandbox.path("corrected.toml");
    std::fs::write(&file, &corrected).expect("write");
    assert!(sandbox.run(&["register", "import", file.to_str().expect("path")]).status.success());
    for server in &servers {
        let took = until_shown(server, "/versions/4.1", "27 January 2015");
        assert!(took < Duration::from_secs(10), "announced, not polled: port {} took {took:?}", server.port);
    }
    // An import killed half-way changes nothing on either instance; the next one shows on both. Each edits a
    // fresh export: an edit of the first would undo the correction, and is refused.
    let corrected = sandbox.stdout(&["register", "export"]);
    let killed_file = sandbox.path("killed.toml");
    std::fs::write(&killed_file, corrected.replacen("effective = \"2015-01-27\"", "effective = \"2015-01-29\"", 1))
        .expect("write");
    let marker = sandbox.path("paused");
    let mut killed = sandbox
        .command(&["register", "import", killed_file.to_str().expect("path")])
        .env("INFORCE_CRASH_TEST_MARKER", &marker)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    common::wait_for(&marker, &mut killed);
    killed.kill().expect("SIGKILL");
    killed.wait().expect("reap");
    let next = sandbox.path("next.toml");
    std::fs::write(&next, corrected.replacen("effective = \"2015-01-27\"", "effective = \"2015-01-28\"", 1))
        .expect("write");
    assert!(sandbox.run(&["register", "import", next.to_str().expect("path")]).status.success());
    for server in &servers {
        until_shown(server, "/versions/4.1", "28 January 2015");
    }
    let answers: Vec<String> = servers.iter().map(|server| get(server, "/api/v1/sec/versions/4.1", &[]).body).collect();
    assert_eq!(answers[0], answers[1], "both instances give the same answer");
    assert!(answers[0].contains("2015-01-28") && !answers[0].contains("2015-01-29"), "nothing of the killed import");
    assert_eq!(sandbox.json(&["publications"])["publications"].as_array().map(Vec::len), Some(3));
}

#[test]
fn logs_are_structured_lines_and_requests_can_be_logged() {
    let sandbox = Sandbox::new();
    let log = sandbox.path("serve.log");
    let file = std::fs::File::create(&log).expect("log file");
    let mut server =
        start_with(&sandbox, &[("INFORCE_LOG_FORMAT", "json"), ("INFORCE_ACCESS_LOG", "true")], Stdio::from(file));
    assert_eq!(get(&server, "/versions/4.1?x=1", &[]).status, 200);
    assert_eq!(get(&server, "/versions/9.9", &[]).status, 404);
    // Drawn once, then answered from the answer cache: logged all the same.
    assert_eq!(get(&server, "/versions/4.1?x=1", &[]).status, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|s| s.success()));
    assert!(server.child.wait().expect("wait").success());
    server.port = 0;
    let text = std::fs::read_to_string(&log).expect("read log");
    let events: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}")))
        .collect();
    let messages: Vec<&str> = events.iter().filter_map(|e| e["msg"].as_str()).collect();
    assert_eq!(messages.first(), Some(&"listening"), "{text}");
    assert_eq!(messages.last(), Some(&"stopped"), "{text}");
    let requests: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e["component"] == "http")
        .map(|e| (e["path"].as_str().unwrap_or(""), e["status"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(requests, [("/versions/4.1?x=1", "200"), ("/versions/9.9", "404"), ("/versions/4.1?x=1", "200")]);
    let clients: Vec<&Value> = events.iter().filter(|e| e["component"] == "http").map(|e| &e["client"]).collect();
    assert_eq!(clients, [&Value::from("127.0.0.1"); 3], "each request names its client");
    // Stopping says how many connections were still open: none of the test's, each closed after its answer.
    let stopping = events.iter().find(|e| e["msg"] == "stopping").expect("a stopping event");
    let open: usize = stopping["connections"].as_str().and_then(|n| n.parse().ok()).expect("a count");
    assert!(open <= 1, "{stopping}");
    assert!(events.iter().all(|e| e["time"].is_string() && e["level"].is_string()));
}

/// Every `href="…"` and `src="…"` value in a page.
fn links_in(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for name in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(name) {
            rest = &rest[at + name.len()..];
            let end = rest.find('"').expect("closing quote");
            links.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    links
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn the_static_export_holds_every_page_and_no_broken_link() {
    let sandbox = Sandbox::new();
    let code = common::small_code(&sandbox);
    assert!(sandbox.run(&["import", code.to_str().expect("path"), "--code", "small"]).status.success());
    let out = sandbox.path("site");
    let summary = sandbox.json(&["export-site", out.to_str().expect("path")]);
    assert!(summary["pages"].as_u64().is_some_and(|n| n > 100), "{summary}");
    let mut pages = vec![out.clone()];
    let mut html_files = Vec::new();
    while let Some(path) = pages.pop() {
        for entry in std::fs::read_dir(&path).expect("read folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pages.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                html_files.push(path);
            }
        }
    }
    assert_eq!(html_files.len() as u64, summary["pages"].as_u64().expect("pages") + 1, "every page, and 404.html");
    let mut checked = 0;
    for page in &html_files {
        let html = std::fs::read_to_string(page).expect("page");
        for link in links_in(&html) {
            if link.starts_with("https://") || link.starts_with("http://") || link.starts_with('#') {
                continue;
            }
            assert!(
                !link.starts_with('/'),
                "{}: an absolute link {link} would break from the file system",
                page.display()
            );
            let (file, fragment) = link.split_once('#').map_or((link.as_str(), None), |(f, x)| (f, Some(x)));
            let target = page.parent().expect("folder").join(percent_decoded(file));
            assert!(target.is_file(), "{}: broken link {link}", page.display());
            if let Some(fragment) = fragment {
                let text = std::fs::read_to_string(&target).expect("target");
                assert!(text.contains(&format!("id=\"{fragment}\"")), "{}: no #{fragment} in {link}", page.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    // The pages and API documents hold the same answers as the live site.
    let version = std::fs::read_to_string(out.join("versions/4.1.html")).expect("version page");
    assert!(version.contains("26 January 2015"));
    assert!(version.contains("href=\"../compare/4.0...4.1.html\""), "links are relative file names");
    let api: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("api/v1/sec/at/2015-01-14.json")).expect("api"))
            .expect("json");
    let cli = sandbox.command(&["at", "2015-01-14", "--format", "json"]).output().expect("run");
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("json");
    assert_eq!(api["provisions"], cli["provisions"]);
    assert_eq!(api["version"]["id"], "4.0");
    let compare = std::fs::read_to_string(out.join("codes/small/compare/v1...v2.html")).expect("text comparison");
    // v1 "de bonne foi" became "de mauvaise foi" in v2: the old word struck out, the new one marked inserted.
    assert!(compare.contains("<del>bonne</del>"), "the redline strikes the old word: {compare}");
    assert!(compare.contains("<ins>mauvaise</ins>"), "the redline marks the new word inserted: {compare}");
    assert!(out.join("feeds/versions.atom").is_file() && out.join("404.html").is_file());
    // Search works in the copy: every search form goes to the code's own search page, which loads the texts in
    // force today and the script; no other form is left without a server to answer it.
    for page in &html_files {
        let html = std::fs::read_to_string(page).expect("page");
        for form in html.split("<form ").skip(1) {
            let action = form.split("action=\"").nth(1).and_then(|a| a.split('"').next()).unwrap_or("");
            assert!(action.ends_with("search.html"), "{}: a form the copy cannot answer: {action}", page.display());
            let target = page.parent().expect("folder").join(action);
            assert!(target.is_file(), "{}: the search form goes to {action}, which is missing", page.display());
        }
    }
    let search = std::fs::read_to_string(out.join("codes/small/search.html")).expect("search page");
    assert!(search.contains("<form action=\"search.html\""), "{search}");
    assert!(search.contains("<script data-search-index src=\"search/index.js\"></script>"), "{search}");
    assert!(search.contains("<script src=\"../../static/search.js\"></script>"), "{search}");
    assert!(out.join("static/search.js").is_file());
    let index = std::fs::read_to_string(out.join("codes/small/search/index.js")).expect("search index");
    let json = index.split_once("window.inforceSearchIndex = ").map(|(_, j)| j.trim_end().trim_end_matches(';'));
    let index: Value = serde_json::from_str(json.expect("the index is one assignment")).expect("json");
    assert_eq!(index["date"], "2026-11-28", "the texts in force on the export's today");
    // The script folds and splits words by the core's tables, not by its browser's Unicode version.
    assert_eq!(index["words"][0], serde_json::json!([0x30, 0x39]), "digits first");
    assert!(index["fold"].as_array().is_some_and(|f| f.contains(&serde_json::json!(["Σ", "σ"]))), "Σ folds to σ");
    let provisions = index["provisions"].as_array().expect("provisions");
    let ids: Vec<&str> = provisions.iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(ids, ["1", "3"], "every provision in force, in reading order (v2 took Article 2 out)");
    assert!(provisions[0]["text"].as_str().is_some_and(|t| t.contains("mauvaise foi")), "{}", provisions[0]);
    assert_eq!(provisions[0]["h"], 2, "the heading's words: Article 1");
    for provision in provisions {
        let href = provision["href"].as_str().expect("href");
        let target = out.join("codes/small/search").join(percent_decoded(href));
        assert!(target.is_file(), "the result link {href} resolves to a page of the copy");
    }
    // Exporting again replaces the export; a folder holding anything else is refused and left alone.
    assert!(sandbox.run(&["export-site", out.to_str().expect("path")]).status.success());
    let other = sandbox.path("other");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::write(other.join("keep.txt"), "mine").expect("write");
    let refused = sandbox.run(&["export-site", other.to_str().expect("path")]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(common::stderr(&refused).contains("not empty"), "{}", common::stderr(&refused));
    assert_eq!(std::fs::read_dir(&other).expect("read").count(), 1, "nothing written into it");
}

#[test]
fn documents_download_exactly_as_stored() {
    let sandbox = Sandbox::new();
    let pdf = sandbox.path("annex2.pdf");
    let content = b"%PDF-1.4\nthe further changes\n%%EOF\n";
    std::fs::write(&pdf, content).expect("write");
    let added = sandbox.json(&[
        "doc",
        "add",
        pdf.to_str().expect("path"),
        "--title",
        "SEC4 Annex 2",
        "--attach",
        "version:4.0",
    ]);
    let server = start(&sandbox);
    let version = get(&server, "/versions/4.0", &[]);
    assert!(version.body.contains("<a href=\"/documents/annex2/annex2.pdf\">SEC4 Annex 2</a>"), "{}", version.body);
    let file = get(&server, "/documents/annex2/annex2.pdf", &[]);
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert_eq!(file.header("content-disposition"), Some("attachment; filename=\"annex2.pdf\""));
    assert_eq!(file.body.as_bytes(), content);
    // Through the one response policy: never run by the browser, and dated.
    assert_eq!(file.header("content-security-policy"), Some("default-src 'none'; sandbox"));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(file.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert!(file.header("last-modified").is_some());
    let etag = file.header("etag").expect("etag").to_string();
    assert_eq!(etag, format!("\"{}\"", added["document"]["sha256"].as_str().expect("sha")));
    assert_eq!(get(&server, "/documents/annex2/annex2.pdf", &[("If-None-Match", &etag)]).status, 304);
    assert_eq!(get(&server, "/documents/annex2/other.pdf", &[]).status, 404);
    assert_eq!(get(&server, "/documents/nope/annex2.pdf", &[]).status, 404);
    assert!(get(&server, "/documents", &[]).body.contains("SEC4 Annex 2"));
    let api = get(&server, "/api/v1/sec/documents", &[]).json();
    assert_eq!(api["documents"][0]["attached_to"], serde_json::json!(["version:4.0"]));
    let out = sandbox.path("site");
    sandbox.json(&["export-site", out.to_str().expect("path")]);
    assert_eq!(std::fs::read(out.join("documents/annex2/annex2.pdf")).expect("exported"), content);
}

#[test]
fn search_on_the_site_and_through_the_api() {
    let sandbox = Sandbox::new();
    let code = common::small_code(&sandbox);
    assert!(sandbox.run(&["import", code.to_str().expect("path"), "--code", "small"]).status.success());
    let server = start(&sandbox);
    let page = get(&server, "/codes/small/search?q=paiement&at=2016-06-01", &[]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<mark>paiement</mark>"), "{}", page.body);
    assert!(page.body.contains("<mark>paiement</mark> fait de bonne foi"), "the wording in force then");
    let all = get(&server, "/api/v1/search?code=small&q=%22bonne%20foi%22%20OR%20mauvaise&all_versions=1", &[]).json();
    assert_eq!(all["total"], 1);
    assert_eq!(all["results"][0]["wordings"].as_array().map(Vec::len), Some(2), "both wordings of article 1");
    assert_eq!(all["results"][0]["wordings"][0]["periods"][0]["from"]["id"], "v2", "the latest wording first");
    let cli = sandbox
        .command(&["search", "\"bonne foi\" OR mauvaise", "--all-versions", "--code", "small", "--format", "json"])
        .env("INFORCE_TODAY", "2015-02-01")
        .output()
        .expect("run");
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("json");
    assert_eq!(cli, all, "the command line and the API give the same answer");
    let hostile = get(&server, "/codes/small/search?q=%3Cscript%3Ealert(1)%3C/script%3E", &[]);
    assert_eq!(hostile.status, 200);
    assert!(!hostile.body.contains("<script>alert"), "the query is escaped");
    let bad = get(&server, "/api/v1/small/search?q=foi%20AND", &[]);
    assert_eq!(bad.status, 400);
    assert_eq!(bad.header("content-type"), Some("application/problem+json"));
    assert!(bad.json()["detail"].as_str().is_some_and(|d| d.contains("column 5: AND needs a term after it")));
    let long = format!("/api/v1/small/search?q={}", "a%20".repeat(600));
    assert!(get(&server, &long, &[]).json()["detail"].as_str().is_some_and(|d| d.contains("the limit is 500")));
    assert_eq!(get(&server, "/api/v1/small/search?q=x&per_page=1000", &[]).status, 400);
    assert_eq!(get(&server, "/api/v1/small/search?q=x&within=Z9", &[]).status, 404);
    // A served site searches on the server: the static copy's script and index are not served.
    for path in ["/static/search.js", "/search/index.js", "/codes/small/search/index.js"] {
        assert_eq!(get(&server, path, &[]).status, 404, "{path}");
    }
}

#[test]
fn the_publication_log_names_each_author_on_the_site_and_through_the_api() {
    let sandbox = Sandbox::new();
    let code = common::small_code(&sandbox);
    let import = sandbox
        .command(&["--author", "Jane Roe", "import", code.to_str().expect("path"), "--code", "small"])
        .output()
        .expect("run");
    assert!(import.status.success());
    let server = start(&sandbox);
    let api = get(&server, "/api/v1/small/publications", &[]).json();
    let cli = sandbox.json(&["publications", "--code", "small"]);
    assert_eq!(api, cli, "the API and the command line give the same log");
    assert_eq!(api["publications"][0]["author"], "Jane Roe");
    // The folder by its name only: where it lay is not for the record.
    assert_eq!(api["publications"][0]["command"], "--author 'Jane Roe' import code --code small");
    let page = get(&server, "/codes/small/publications", &[]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<td>Jane Roe</td>"), "{}", page.body);
}

/// Flips one byte in the first text pack of `code`, as damage to the SQLite file would (dropping the append-only
/// triggers first, as whoever can write the file can).
fn damage_text_pack(sandbox: &Sandbox, code: &str) {
    use sqlx::{Connection, Row};
    sandbox.expect_tampered();
    // The same statements on both backends (numbered parameters, as the store's own SQL); only the connection and
    // the trigger to drop differ.
    macro_rules! flip_first_pack {
        ($db:expr) => {{
            let row =
                sqlx::query("SELECT publication_id, body FROM text_packs WHERE code = $1 ORDER BY publication_id")
                    .bind(code)
                    .fetch_one(&mut $db)
                    .await
                    .expect("a pack");
            let (id, mut body): (i64, Vec<u8>) = (row.get(0), row.get(1));
            let middle = body.len() / 2;
            body[middle] ^= 0x5a;
            sqlx::query("UPDATE text_packs SET body = $1 WHERE publication_id = $2")
                .bind(body)
                .bind(id)
                .execute(&mut $db)
                .await
                .expect("flip");
            $db.close().await.expect("close");
        }};
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let url = sandbox.db().display().to_string();
    runtime.block_on(async {
        if url.starts_with("postgres") {
            let mut db = sqlx::PgConnection::connect(&url).await.expect("open");
            sqlx::query("DROP TRIGGER text_packs_are_append_only ON text_packs").execute(&mut db).await.expect("drop");
            flip_first_pack!(db);
        } else {
            let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{url}")).await.expect("open");
            sqlx::query("DROP TRIGGER text_packs_are_append_only_update").execute(&mut db).await.expect("drop");
            flip_first_pack!(db);
        }
    });
}

#[test]
fn a_damaged_code_answers_503_and_every_other_code_is_served() {
    a_damaged_code_answers_503(&Sandbox::new());
}

#[test]
fn a_damaged_code_answers_503_and_every_other_code_is_served_on_postgres() {
    let Some(pg) = Sandbox::postgres("damaged") else { return };
    a_damaged_code_answers_503(&pg);
}

fn a_damaged_code_answers_503(sandbox: &Sandbox) {
    let code = common::small_code(sandbox);
    assert!(sandbox.run(&["import", code.to_str().expect("path"), "--code", "small"]).status.success());
    damage_text_pack(sandbox, "small");
    // `check --code small` says the stored data is damaged (exit 4); the SEC alone is not.
    let check = sandbox.run(&["check", "--code", "small"]);
    assert_eq!(check.status.code(), Some(4), "{}", common::stderr(&check));
    assert!(common::stderr(&check).contains("small"), "{}", common::stderr(&check));
    assert_eq!(sandbox.run(&["check", "--code", "sec"]).status.code(), Some(0), "the SEC is not damaged");
    let every = sandbox.run(&["check"]);
    assert_eq!(every.status.code(), Some(4), "without --code, every code is checked");
    assert!(common::stderr(&every).contains("'small'"), "{}", common::stderr(&every));

    let server = start(sandbox);
    assert_eq!(get(&server, "/versions/4.1", &[]).status, 200, "the SEC is served");
    let page = get(&server, "/codes/small/versions", &[]);
    assert_eq!(page.status, 503);
    assert!(page.body.contains("cannot be served"), "{}", page.body);
    let api = get(&server, "/api/v1/small/versions", &[]);
    assert_eq!((api.status, api.header("content-type")), (503, Some("application/problem+json")));
    let ready = get(&server, "/readyz", &[]);
    assert_eq!(ready.status, 200, "the other codes are served");
    assert!(ready.body.contains("degraded") && ready.body.contains("small: answering 503"), "{}", ready.body);
}

/// A store that fails under a code (here a table gone) is named to nobody: the page, the API answer and `/readyz`
/// say only that the store cannot be reached; the database's path or URL (user, host, port, database) and the
/// driver's words are in the operator's log alone.
#[test]
fn a_store_that_cannot_be_read_is_named_only_in_the_operator_s_log() {
    a_store_that_cannot_be_read_is_named_to_nobody(&Sandbox::new());
}

#[test]
fn a_store_that_cannot_be_read_is_named_only_in_the_operator_s_log_on_postgres() {
    let Some(pg) = Sandbox::postgres("unnamed") else { return };
    a_store_that_cannot_be_read_is_named_to_nobody(&pg);
}

fn a_store_that_cannot_be_read_is_named_to_nobody(sandbox: &Sandbox) {
    use sqlx::Connection;
    let code = common::small_code(sandbox);
    assert!(sandbox.run(&["import", code.to_str().expect("path"), "--code", "small"]).status.success());
    sandbox.expect_tampered();
    let url = sandbox.db().display().to_string();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let statement = "ALTER TABLE text_packs RENAME TO text_packs_away";
        if url.starts_with("postgres") {
            let mut db = sqlx::PgConnection::connect(&url).await.expect("open");
            sqlx::query(statement).execute(&mut db).await.expect(statement);
        } else {
            let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{url}")).await.expect("open");
            sqlx::query(statement).execute(&mut db).await.expect(statement);
        }
    });
    let log = sandbox.path("serve.log");
    let server = start_with(sandbox, &[], Stdio::from(std::fs::File::create(&log).expect("log")));
    let page = get(&server, "/codes/small/versions", &[]);
    let api = get(&server, "/api/v1/small/versions", &[]);
    let ready = get(&server, "/readyz", &[]);
    drop(server);
    assert_eq!((page.status, api.status), (503, 503), "{}", page.body);
    // What would tell an outsider where the database is: its path, or the URL's user, host, port and name.
    let mut private = vec![url.clone(), "text_packs".to_string(), "sqlite".to_string()];
    if let Some(rest) = url.strip_prefix("postgres://") {
        private.extend(rest.split(['@', ':', '/', '?']).filter(|part| part.len() > 2).map(str::to_string));
        private.push("5432".into());
    }
    for answer in [&page.body, &api.body, &ready.body] {
        for word in &private {
            assert!(!answer.contains(word.as_str()), "'{word}' is served: {answer}");
        }
    }
    assert!(page.body.contains("the store cannot be reached"), "{}", page.body);
    assert!(api.body.contains("the store cannot be reached"), "{}", api.body);
    // The operator's log keeps the detail.
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(logged.contains("text_packs"), "{logged}");
}

#[test]
fn damage_that_appears_while_serving_keeps_the_last_good_state_of_that_code_only() {
    let sandbox = Sandbox::new();
    let code = common::small_code(&sandbox);
    assert!(sandbox.run(&["import", code.to_str().expect("path"), "--code", "small"]).status.success());
    let server = start_with(&sandbox, &[("INFORCE_POLL_MS", "100")], Stdio::null());
    assert_eq!(get(&server, "/codes/small/versions", &[]).status, 200);
    damage_text_pack(&sandbox, "small");
    // A new publication of the damaged code cannot be loaded: its last good state is still served.
    let export = sandbox.stdout(&["register", "export", "--code", "small"]);
    let renamed = sandbox.path("small.toml");
    std::fs::write(&renamed, export.replacen("title = \"small\"", "title = \"Renamed\"", 1)).expect("write");
    let imported = sandbox.json(&["register", "import", renamed.to_str().expect("path")]);
    assert_eq!(imported["changed"], true, "a new publication of the damaged code: {imported}");
    // A new publication of the SEC is served as usual.
    assert!(sandbox.run(&["mod", "new", "MP700", "--title", "After the damage"]).status.success());
    until_shown(&server, "/api/v1/sec/proposals", "MP700");
    let ready = get(&server, "/readyz", &[]);
    assert!(ready.body.contains("small: serving its last good state"), "{}", ready.body);
    let small = get(&server, "/api/v1/small/versions", &[]);
    assert_eq!(small.status, 200, "the last good state");
}

/// Reads what the server sends on `stream` until it closes the connection or `within` passes; `None` when it
/// was still open then.
fn until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    stream.set_read_timeout(Some(within)).expect("timeout");
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return Some(String::from_utf8_lossy(&raw).into_owned()),
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => return None,
            // Reset by the server: closed too.
            Err(_) => return Some(String::from_utf8_lossy(&raw).into_owned()),
        }
    }
}

/// `count` connections that each send part of a request's headers and then nothing.
fn half_sent(server: &Server, count: usize) -> Vec<TcpStream> {
    (0..count)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
            stream.write_all(b"GET /versions HTTP/1.1\r\nHost: local").expect("send");
            stream
        })
        .collect()
}

/// Sends SIGTERM and waits for the process to end; how long it took.
fn terminate(server: &mut Server) -> Duration {
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|s| s.success()));
    let start = Instant::now();
    loop {
        if server.child.try_wait().expect("wait").is_some() {
            server.port = 0;
            return start.elapsed();
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn idle_and_half_sent_connections_are_closed_and_those_over_the_cap_refused() {
    let sandbox = Sandbox::new();
    let limits = [
        ("INFORCE_HEADER_TIMEOUT", "1"),
        ("INFORCE_MAX_CONNECTIONS", "20"),
        ("INFORCE_MAX_CONNECTIONS_PER_ADDRESS", "20"),
    ];
    let server = start_with(&sandbox, &limits, Stdio::null());
    let connect = || TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    // Twenty idle sockets fill the cap; the ones after them are answered 503 at once, without a request.
    let mut idle: Vec<TcpStream> = (0..20).map(|_| connect()).collect();
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..5 {
        let answer = until_closed(&mut connect(), Duration::from_secs(5)).expect("refused and closed");
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer:?}");
        assert!(answer.contains("Too many connections"), "{answer:?}");
    }
    // A client that sends only part of its headers is disconnected after the header timeout too.
    let mut half = connect();
    half.write_all(b"GET /versions HTTP/1.1\r\nHost: localhost\r\n").expect("send");
    // The idle ones are closed after the header timeout, freeing the site.
    for stream in &mut idle {
        assert!(until_closed(stream, Duration::from_secs(5)).is_some(), "an idle connection was held");
    }
    assert!(until_closed(&mut half, Duration::from_secs(5)).is_some(), "a half-sent request was held");
    assert_eq!(get(&server, "/healthz", &[]).status, 200);
    assert_eq!(get(&server, "/versions/4.1", &[]).status, 200);
}

#[test]
fn shutdown_has_a_deadline_even_with_half_sent_requests() {
    let sandbox = Sandbox::new();
    let limits = [("INFORCE_HEADER_TIMEOUT", "60"), ("INFORCE_SHUTDOWN_TIMEOUT", "2"), ("INFORCE_LOG_FORMAT", "json")];
    let log = sandbox.path("serve.log");
    let mut server = start_with(&sandbox, &limits, Stdio::from(std::fs::File::create(&log).expect("log file")));
    let half = half_sent(&server, 5);
    std::thread::sleep(Duration::from_millis(200));
    let took = terminate(&mut server);
    assert!(took < Duration::from_secs(6), "five half-sent requests held the exit for {took:?}");
    drop(half);
    // The log says how many connections were open when it stopped, and how many the deadline closed.
    let text = std::fs::read_to_string(&log).expect("read log");
    let events: Vec<Value> = text.lines().filter_map(|line| serde_json::from_str(line).ok()).collect();
    let count = |msg: &str| {
        let event = events.iter().find(|e| e["msg"] == msg).unwrap_or_else(|| panic!("no '{msg}' in {text}"));
        event["connections"].as_str().and_then(|n| n.parse::<usize>().ok()).expect("a count")
    };
    assert_eq!(count("stopping"), 5, "{text}");
    assert_eq!(count("shutdown deadline passed, closing"), 5, "{text}");
}

#[test]
fn shutdown_has_a_deadline_during_a_postgres_outage() {
    let Some(sandbox) = Sandbox::postgres("shutdown_outage") else { return };
    let limits = [("INFORCE_HEADER_TIMEOUT", "60"), ("INFORCE_SHUTDOWN_TIMEOUT", "2")];
    let mut server = start_with(&sandbox, &limits, Stdio::null());
    assert_eq!(get(&server, "/versions/4.1", &[]).status, 200);
    sandbox.drop_postgres();
    let half = half_sent(&server, 5);
    std::thread::sleep(Duration::from_millis(500));
    let took = terminate(&mut server);
    assert!(took < Duration::from_secs(8), "the exit took {took:?} while the database was gone");
    drop(half);
}

/// The publication log as served: listed, each publication's content recomputing its digest, proofs that verify
/// for every tree size, the feed and the pages naming the digests.
#[test]
fn the_publication_log_is_served_with_proofs_that_verify() {
    use inforce_core::log::Digest;
    use inforce_core::merkle;
    let sandbox = Sandbox::new();
    sandbox.run_at("2026-01-10T09:00:00Z", &["versions"]);
    for n in 0..4 {
        let reference = format!("MP80{n}");
        assert!(sandbox.run(&["mod", "new", &reference, "--title", "A proposal"]).status.success());
    }
    let server = start(&sandbox);
    let log = get(&server, "/api/v1/sec/log", &[]).json();
    assert_eq!(get(&server, "/api/v1/log", &[]).json(), log, "the unprefixed log is the default code's");
    assert_eq!(log["size"], 5);
    let listed = log["publications"].as_array().expect("list");
    let digest = |value: &Value| Digest::parse(value.as_str().expect("hex")).expect("digest");
    let digests: Vec<Digest> = listed.iter().map(|p| digest(&p["digest"])).collect();
    let leaves: Vec<merkle::Hash> = digests.iter().map(Digest::leaf).collect();
    assert_eq!(log["tree_head"], inforce_present::log::hex(&merkle::root(&leaves)));
    // Each publication's content makes its digest, chained to the one before.
    let mut previous: Option<Digest> = None;
    for (i, entry) in listed.iter().enumerate() {
        let reply = get(&server, &format!("/api/v1/sec/log/{}", i + 1), &[]);
        let content: inforce_present::log::LoggedJson = serde_json::from_str(&reply.body).expect("content");
        let logged = content.logged().expect("readable");
        assert_eq!(logged.digest(previous.as_ref()), digest(&entry["digest"]), "publication {}", i + 1);
        assert_eq!(content.previous_digest, previous.map(|d| d.to_string()));
        // Every record that is not a withdrawal is also given as JSON, read from its canonical text.
        for record in &content.records {
            let body = record.body.as_deref().map(|b| inforce_formats::register_file::decode_record(b).expect("body"));
            let expected = body.as_ref().map(inforce_formats::register_file::record_json);
            assert_eq!(record.record, expected, "{} {}", record.kind, record.key);
            if let Some(json) = &record.record
                && record.kind == "provision"
            {
                assert_eq!(json["id"], record.key.as_str());
            }
        }
        previous = Some(logged.digest(previous.as_ref()));
    }
    // Inclusion and consistency proofs for every tree size, checked as a client holding only hashes would.
    for size in 1..=5u64 {
        let head = merkle::root(&leaves[..size as usize]);
        for n in 1..=size {
            let proof = get(&server, &format!("/api/v1/sec/log/proof/inclusion?sequence={n}&tree_size={size}"), &[]);
            let path: Vec<merkle::Hash> =
                proof.json()["audit_path"].as_array().expect("path").iter().map(|h| digest(h).0).collect();
            assert!(merkle::verify_inclusion(&leaves[n as usize - 1], n - 1, size, &path, &head), "{n} in {size}");
            let consistency = get(&server, &format!("/api/v1/log/proof/consistency?first={n}&second={size}"), &[]);
            let path: Vec<merkle::Hash> =
                consistency.json()["consistency_path"].as_array().expect("path").iter().map(|h| digest(h).0).collect();
            let first = merkle::root(&leaves[..n as usize]);
            assert!(merkle::verify_consistency(n, size, &first, &head, &path), "{n} then {size}");
        }
    }
    let by_hash = get(&server, &format!("/api/v1/sec/log/proof/inclusion?hash={}", digests[2]), &[]).json();
    assert_eq!(by_hash["sequence"], 3);
    for (path, status) in [
        ("/api/v1/sec/log/0", 404),
        ("/api/v1/sec/log/6", 404),
        ("/api/v1/sec/log/one", 400),
        ("/api/v1/sec/log?page=2", 404),
        ("/api/v1/sec/log/proof/inclusion?sequence=6", 404),
        ("/api/v1/sec/log/proof/consistency?first=3&second=2", 400),
        ("/api/v1/sec/log/proof/consistency", 400),
        ("/api/v1/sec/log/checkpoint", 404),
        ("/api/v1/log/key", 404),
    ] {
        let reply = get(&server, path, &[]);
        assert_eq!(reply.status, status, "{path}: {}", reply.body);
        assert_eq!(reply.header("content-type"), Some("application/problem+json"), "{path}");
    }
    // The feed lists every publication with its digest; the version page and the publications page name them.
    let feed = get(&server, "/feeds/publications.atom", &[]).body;
    assert_eq!(feed.matches("<entry>").count(), 5, "{feed}");
    for d in &digests {
        assert!(feed.contains(&d.to_string()), "{feed}");
    }
    let version = get(&server, "/versions/4.1", &[]).body;
    assert!(version.contains("Recorded by <a href=\"/api/v1/sec/log/1\">publication 1</a>"), "{version}");
    assert!(version.contains(&digests[0].to_string()));
    let publications = get(&server, "/publications", &[]).body;
    assert!(digests.iter().all(|d| publications.contains(&d.to_string())));
}

/// A history altered in the database after it was published (here SEC 4.1's effective date, which would make
/// H15 in force a day early) is not served as the one published: the code answers 503 naming the publication,
/// `/readyz` says so, and every other code is served.
#[test]
fn an_altered_history_is_not_served() {
    use sqlx::Connection;
    let sandbox = Sandbox::new();
    let code = common::small_code(&sandbox);
    assert!(sandbox.run(&["import", code.to_str().expect("path"), "--code", "small"]).status.success());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let url = format!("sqlite://{}", sandbox.db().display());
        let mut db = sqlx::SqliteConnection::connect(&url).await.expect("open");
        for statement in [
            "DROP TRIGGER records_are_append_only_update",
            "UPDATE records SET body = replace(body, '2015-01-26', '2015-01-25') WHERE kind = 'entry' AND \
             record_key = '4.1'",
        ] {
            sqlx::query(statement).execute(&mut db).await.expect(statement);
        }
        db.close().await.expect("close");
    });
    sandbox.expect_tampered();
    let server = start(&sandbox);
    let page = get(&server, "/provisions/H15?at=2015-01-25", &[]);
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(page.body.contains("does not match its publication log"), "{}", page.body);
    let api = get(&server, "/api/v1/sec/versions/4.1", &[]);
    assert_eq!(api.status, 503);
    assert_eq!(get(&server, "/codes/small/versions", &[]).status, 200, "the other code is served");
    let ready = get(&server, "/readyz", &[]);
    assert!(ready.body.contains("degraded") && ready.body.contains("sec: answering 503"), "{}", ready.body);
}

/// A document larger than what the kernel buffers of a loopback connection hold, so a client that reads nothing
/// stalls its response; the server started with `env`.
fn server_with_a_large_document(sandbox: &Sandbox, env: &[(&str, &str)]) -> Server {
    let pdf = sandbox.path("large.pdf");
    let mut content = b"%PDF-1.7\n".to_vec();
    content.resize(24 << 20, b'x');
    std::fs::write(&pdf, &content).expect("write");
    assert!(sandbox.run(&["doc", "add", pdf.to_str().expect("path"), "--title", "Large"]).status.success());
    start_with(sandbox, env, Stdio::null())
}

/// A connection that asks for the large document (with `extra` header lines) and then reads nothing.
fn reads_nothing(server: &Server, extra: &str) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let request = format!("GET /documents/large/large.pdf HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    stream
}

/// `GET /healthz` over a connection from `from` (a loopback address), as the raw answer.
fn healthz_from(server: &Server, from: &str, extra: &str) -> String {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    let local: std::net::SocketAddr = format!("{from}:0").parse().expect("address");
    socket.bind(&local.into()).expect("bind a loopback address");
    let remote: std::net::SocketAddr = format!("127.0.0.1:{}", server.port).parse().expect("address");
    socket.connect(&remote.into()).expect("connect");
    let mut stream: TcpStream = socket.into();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    until_closed(&mut stream, Duration::from_secs(10)).expect("answered and closed")
}

#[test]
fn readers_that_take_nothing_are_abandoned_after_the_send_timeout() {
    let sandbox = Sandbox::new();
    let limits = [("INFORCE_SEND_TIMEOUT", "1"), ("INFORCE_MAX_CONNECTIONS", "4"), ("INFORCE_HEADER_TIMEOUT", "60")];
    let server = server_with_a_large_document(&sandbox, &limits);
    // Four readers that take nothing fill the cap...
    let stalled: Vec<TcpStream> = (0..4).map(|_| reads_nothing(&server, "")).collect();
    std::thread::sleep(Duration::from_millis(300));
    assert!(healthz_from(&server, "127.0.0.1", "").starts_with("HTTP/1.1 503"), "the cap is full");
    // ...until their responses are abandoned after the send timeout, which frees the site.
    let start = Instant::now();
    loop {
        let answer = healthz_from(&server, "127.0.0.1", "");
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(8), "readers that take nothing held the cap: {answer}");
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(stalled);
}

#[test]
fn one_client_address_holds_at_most_its_share_of_the_connections() {
    let sandbox = Sandbox::new();
    let limits = [
        ("INFORCE_MAX_CONNECTIONS", "20"),
        ("INFORCE_MAX_CONNECTIONS_PER_ADDRESS", "3"),
        ("INFORCE_HEADER_TIMEOUT", "60"),
    ];
    let server = start_with(&sandbox, &limits, Stdio::null());
    let idle: Vec<TcpStream> =
        (0..3).map(|_| TcpStream::connect(("127.0.0.1", server.port)).expect("connect")).collect();
    std::thread::sleep(Duration::from_millis(200));
    let refused = healthz_from(&server, "127.0.0.1", "");
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("Too many connections from one address"), "{refused}");
    // Another client is served; a header naming another client is not believed from an untrusted peer.
    assert!(healthz_from(&server, "127.0.0.2", "").starts_with("HTTP/1.1 200"));
    let forged = healthz_from(&server, "127.0.0.1", "X-Forwarded-For: 198.51.100.7\r\n");
    assert!(forged.starts_with("HTTP/1.1 503"), "an untrusted peer's X-Forwarded-For was believed: {forged}");
    drop(idle);
    let start = Instant::now();
    while !healthz_from(&server, "127.0.0.1", "").starts_with("HTTP/1.1 200") {
        assert!(start.elapsed() < Duration::from_secs(5), "the address's share was not given back");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_share() {
    let sandbox = Sandbox::new();
    let log = sandbox.path("serve.log");
    let limits = [
        ("INFORCE_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ("INFORCE_MAX_CONNECTIONS_PER_ADDRESS", "1"),
        ("INFORCE_ACCESS_LOG", "true"),
        ("INFORCE_LOG_FORMAT", "json"),
        ("INFORCE_HEADER_TIMEOUT", "60"),
    ];
    let pdf = sandbox.path("large.pdf");
    let mut content = b"%PDF-1.7\n".to_vec();
    content.resize(24 << 20, b'x');
    std::fs::write(&pdf, &content).expect("write");
    assert!(sandbox.run(&["doc", "add", pdf.to_str().expect("path"), "--title", "Large"]).status.success());
    let server = start_with(&sandbox, &limits, Stdio::from(std::fs::File::create(&log).expect("log")));
    // The balancer's connections are not counted against its own address: two at once are served...
    let held = reads_nothing(&server, "X-Forwarded-For: 203.0.113.9, 198.51.100.7\r\n");
    std::thread::sleep(Duration::from_millis(300));
    // ...but the client it names has its one request in flight (the document still being sent).
    let same = healthz_from(&server, "127.0.0.1", "X-Forwarded-For: 198.51.100.7\r\n");
    assert!(same.starts_with("HTTP/1.1 503"), "{same}");
    assert!(same.contains("Too many requests from one address"), "{same}");
    let other = healthz_from(&server, "127.0.0.1", "X-Forwarded-For: 198.51.100.8\r\n");
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
    let forwarded = healthz_from(&server, "127.0.0.1", "Forwarded: for=\"[2001:db8::5]:4711\"\r\n");
    assert!(forwarded.starts_with("HTTP/1.1 200"), "{forwarded}");
    drop(held);
    let start = Instant::now();
    while !healthz_from(&server, "127.0.0.1", "X-Forwarded-For: 198.51.100.7\r\n").starts_with("HTTP/1.1 200") {
        assert!(start.elapsed() < Duration::from_secs(5), "the client's share was not given back");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The access log names the client the proxy forwarded for, not the proxy.
    let text = std::fs::read_to_string(&log).expect("read log");
    let clients: Vec<String> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|e| e["component"] == "http" && e["path"] == "/healthz")
        .filter_map(|e| e["client"].as_str().map(str::to_string))
        .collect();
    assert!(clients.contains(&"198.51.100.8".to_string()), "{text}");
    assert!(clients.contains(&"2001:db8::5".to_string()), "{text}");
    assert!(!clients.iter().any(|c| c.starts_with("127.")), "{text}");
}
