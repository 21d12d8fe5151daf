//! `inforce verify --remote` against a site that does not play fair: one that says nothing, drips its answer a
//! byte at a time, never stops answering "next page", repeats its pages, answers without end, redirects elsewhere,
//! or serves the wrong content type. Each is a small server written here, over a plain socket; each run must end
//! within its bounds (`--timeout`, `--deadline`) with the exit status the README gives, and never hang.
//! Also: a checkpoint saved earlier and re-saved by an editor still verifies.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Sandbox, stderr};
use inforce_formats::checkpoint::{Checkpoint, SigningKey};

/// How the hostile server answers one request.
enum Answer {
    /// A whole answer: status line, content type, body (with its length).
    Whole { status: &'static str, content_type: &'static str, headers: String, body: Vec<u8> },
    /// Nothing at all, the connection held open until the client gives up.
    Silence,
    /// The headers, then the body a byte at a time, every `every`, for ever.
    DripBody { content_type: &'static str, every: Duration },
    /// The headers themselves a byte at a time, every `every`, for ever.
    DripHeaders { every: Duration },
    /// A body without end (no length), as fast as the client reads it.
    Endless { content_type: &'static str, length: Option<u64> },
}

fn json(body: String) -> Answer {
    Answer::Whole { status: "200 OK", content_type: "application/json", headers: String::new(), body: body.into() }
}

fn text(body: String) -> Answer {
    Answer::Whole {
        status: "200 OK",
        content_type: "text/plain; charset=utf-8",
        headers: String::new(),
        body: body.into(),
    }
}

/// A server on a free local port answering each request's path with `answer`; counts the requests it saw.
struct Hostile {
    port: u16,
    requests: Arc<AtomicUsize>,
}

impl Hostile {
    fn start(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let requests = Arc::new(AtomicUsize::new(0));
        let (answer, counted) = (Arc::new(answer), Arc::clone(&requests));
        // The threads end when the test process does, or sooner when the client hangs up.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (answer, counted) = (Arc::clone(&answer), Arc::clone(&counted));
                std::thread::spawn(move || serve(stream, &*answer, &counted));
            }
        });
        Self { port, requests }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream, answer: &dyn Fn(&str) -> Answer, counted: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" {
                break;
            }
        }
        counted.fetch_add(1, Ordering::SeqCst);
        let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
        match answer(&path) {
            Answer::Whole { status, content_type, headers, body } => {
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{headers}\r\n",
                    body.len()
                );
                if stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body)).is_err() {
                    return;
                }
            }
            Answer::Silence => {
                // Until the client hangs up.
                let _ = reader.read(&mut [0; 1]);
                return;
            }
            Answer::DripBody { content_type, every } => {
                let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n");
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                while stream.write_all(b"a").and_then(|()| stream.flush()).is_ok() {
                    std::thread::sleep(every);
                }
                return;
            }
            Answer::DripHeaders { every } => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: ";
                for byte in head.bytes().chain(std::iter::repeat(b'a')) {
                    if stream.write_all(&[byte]).and_then(|()| stream.flush()).is_err() {
                        return;
                    }
                    std::thread::sleep(every);
                }
            }
            Answer::Endless { content_type, length } => {
                let length = length.map(|l| format!("Content-Length: {l}\r\n")).unwrap_or_default();
                let head =
                    format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n{length}Connection: close\r\n\r\n");
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                // JSON whose first string never closes: a parser keeps asking for more.
                let chunk = b"a".repeat(64 << 10);
                if stream.write_all(b"{\"code\": \"").is_err() {
                    return;
                }
                while stream.write_all(&chunk).is_ok() {}
                return;
            }
        }
    }
}

/// A signing key the test holds, and the verifier key file a user of `verify --remote` would pass.
struct Key {
    signing: SigningKey,
    verifier_file: String,
}

fn key(sandbox: &Sandbox) -> Key {
    let private = sandbox.path("site.key");
    let made = sandbox.json(&["key", "generate", private.to_str().expect("path"), "--name", "sec.example.org"]);
    let verifier = sandbox.path("site.pub");
    std::fs::write(&verifier, made["verifier_key"].as_str().expect("key")).expect("write");
    let signing = SigningKey::parse(&std::fs::read_to_string(&private).expect("key")).expect("parse");
    Key { signing, verifier_file: verifier.to_str().expect("path").to_string() }
}

impl Key {
    /// A signed checkpoint of the SEC's log claiming `size` publications.
    fn checkpoint(&self, size: u64) -> String {
        let checkpoint = Checkpoint { origin: "sec.example.org/sec".into(), size, root: [7; 32], time: None };
        self.signing.sign(&checkpoint).expect("sign")
    }
}

/// Runs `inforce verify --remote URL --key KEY ARGS…`, failing the test if it is still running after `within`.
fn verify_within(sandbox: &Sandbox, url: &str, key: &Key, args: &[&str], within: Duration) -> (Output, Duration) {
    let mut all = vec!["verify", "--remote", url, "--key", &key.verifier_file];
    all.extend(args);
    let mut child = sandbox.command(&all).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return (child.wait_with_output().expect("output"), started.elapsed());
        }
        if started.elapsed() > within {
            let _ = child.kill();
            let output = child.wait_with_output().expect("output");
            panic!("verify --remote {args:?} still running after {within:?}: {}", stderr(&output));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

const SHORT: [&str; 4] = ["--timeout", "1", "--deadline", "4"];

/// The run ended with `status` and a message containing `says`.
fn ended(output: &Output, status: i32, says: &str) {
    assert_eq!(output.status.code(), Some(status), "{}", stderr(output));
    assert!(stderr(output).contains(says), "expected {says:?} in: {}", stderr(output));
}

#[test]
fn a_site_that_says_nothing_is_given_up_on_after_the_timeout() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    let site = Hostile::start(|_| Answer::Silence);
    let (output, took) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
    ended(&output, 3, "no answer within 1 s (--timeout)");
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[test]
fn a_site_that_drips_its_headers_is_given_up_on_after_the_timeout() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    let site = Hostile::start(|_| Answer::DripHeaders { every: Duration::from_millis(100) });
    let (output, took) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
    ended(&output, 3, "no answer within 1 s (--timeout)");
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[test]
fn a_site_that_drips_its_answer_is_stopped_by_the_deadline() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    // Each byte comes well within the timeout: only the deadline stops it.
    let site = Hostile::start(|_| Answer::DripBody { content_type: "text/plain", every: Duration::from_millis(200) });
    let args = ["--timeout", "2", "--deadline", "3"];
    let (output, took) = verify_within(&sandbox, &site.url(), &key, &args, Duration::from_secs(20));
    ended(&output, 3, "longer than its deadline of 3 s (--deadline)");
    assert!(took >= Duration::from_secs(3) && took < Duration::from_secs(6), "{took:?}");
}

/// A log page as the site serves it, with the given publications (each `(sequence, digest)`).
fn page(page: usize, pages: usize, publications: &[u64]) -> String {
    let listed: Vec<serde_json::Value> = publications
        .iter()
        .map(|&n| {
            serde_json::json!({
                "sequence": n, "publication": n, "recorded_at": "2026-01-01T00:00:00Z", "digest": "00".repeat(32),
                "computed_after_the_fact": null, "url": format!("/api/v1/sec/log/{n}"),
            })
        })
        .collect();
    serde_json::json!({
        "code": "sec", "size": 3, "tree_head": "00".repeat(32), "page": page, "pages": pages, "per_page": 100,
        "publications": listed,
    })
    .to_string()
}

/// A site whose checkpoint is `note` and whose every log page lists `listed` and says another follows.
fn endless_log(note: String, listed: &'static [u64]) -> Hostile {
    Hostile::start(move |path| {
        if path.ends_with("/checkpoint") {
            text(note.clone())
        } else {
            let n = page_number(path);
            json(page(n, n + 1, listed))
        }
    })
}

fn page_number(path: &str) -> usize {
    path.split("page=").nth(1).and_then(|p| p.parse().ok()).unwrap_or(1)
}

#[test]
fn a_log_whose_pages_never_end_is_read_no_further_than_its_checkpoint_needs() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    let note = key.checkpoint(3);
    // Every page is empty and says another follows.
    let site = endless_log(note, &[]);
    let (output, _) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
    ended(&output, 4, "the checkpoint counts 3 publications but the log lists 0");
    assert!(site.requests() <= 3, "{} requests", site.requests());
}

#[test]
fn a_log_whose_pages_repeat_is_refused() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    let note = key.checkpoint(3);
    // Page after page lists the first publication again.
    let site = endless_log(note, &[1]);
    let (output, _) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
    ended(&output, 4, "page 2 of the log lists publication 1 where 2 comes next");
    assert!(site.requests() <= 3, "{} requests", site.requests());
}

#[test]
fn an_answer_without_end_is_read_no_further_than_its_kind_can_need() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    let note = key.checkpoint(3);
    for (what, length) in [("the checkpoint", None), ("a log page", None), ("a log page", Some(1u64 << 40))] {
        let note = note.clone();
        let site = Hostile::start(move |path| match (what, path.ends_with("/checkpoint")) {
            ("the checkpoint", _) => Answer::Endless { content_type: "text/plain", length },
            (_, true) => text(note.clone()),
            (_, false) => Answer::Endless { content_type: "application/json", length },
        });
        let (output, took) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
        ended(&output, 3, &format!("{what} is larger than the "));
        assert!(took < Duration::from_secs(3), "{what}: {took:?}");
    }
}

#[test]
fn a_redirect_to_another_origin_is_not_followed() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    let elsewhere = Hostile::start(|_| Answer::Silence);
    for location in [
        format!("http://127.0.0.1:{}/api/v1/sec/log/checkpoint", elsewhere.port),
        format!("//localhost:{}/api/v1/sec/log/checkpoint", elsewhere.port),
        "https://127.0.0.1/api/v1/sec/log/checkpoint".to_string(),
    ] {
        let shown = location.clone();
        let site = Hostile::start(move |_| Answer::Whole {
            status: "302 Found",
            content_type: "text/plain",
            headers: format!("Location: {location}\r\n"),
            body: Vec::new(),
        });
        let (output, _) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
        ended(&output, 3, "a redirect to another origin is not followed");
        assert!(stderr(&output).contains("redirects (302) to"), "{shown}: {}", stderr(&output));
    }
    assert_eq!(elsewhere.requests(), 0, "nothing was asked of the other origin");
}

#[test]
fn a_redirect_within_the_site_is_followed() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    let note = key.checkpoint(3);
    let site = Hostile::start(move |path| {
        if path == "/api/v1/sec/log/checkpoint" {
            Answer::Whole {
                status: "301 Moved Permanently",
                content_type: "text/plain",
                headers: "Location: /moved/checkpoint\r\n".into(),
                body: Vec::new(),
            }
        } else if path == "/moved/checkpoint" {
            text(note.clone())
        } else {
            json(page(1, 1, &[]))
        }
    });
    let (output, _) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
    // The checkpoint was read where it moved to: the run went on to the log.
    ended(&output, 4, "the checkpoint counts 3 publications but the log lists 0");
}

#[test]
fn an_answer_of_the_wrong_content_type_is_refused() {
    let sandbox = Sandbox::new();
    let key = key(&sandbox);
    let note = key.checkpoint(3);
    for (what, wrong) in [("the checkpoint", "text/html"), ("a log page", "text/html"), ("a log page", "text/plain")] {
        let note = note.clone();
        let site = Hostile::start(move |path| {
            let body = if path.ends_with("/checkpoint") { note.clone() } else { page(1, 1, &[]) };
            let ours = (what == "the checkpoint") == path.ends_with("/checkpoint");
            let content_type = match (ours, path.ends_with("/checkpoint")) {
                (true, _) => wrong,
                (false, true) => "text/plain",
                (false, false) => "application/json",
            };
            Answer::Whole { status: "200 OK", content_type, headers: String::new(), body: body.into() }
        });
        let (output, _) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
        ended(&output, 3, &format!("serves {what} as {wrong}, not "));
    }
    // A site that names no content type at all.
    let site = Hostile::start(|_| Answer::Whole {
        status: "200 OK",
        content_type: "",
        headers: String::new(),
        body: b"sec.example.org/sec\n".to_vec(),
    });
    let (output, _) = verify_within(&sandbox, &site.url(), &key, &SHORT, Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
}

/// A real site serving a sandbox's SEC register, signing with `key`.
fn real_site(sandbox: &Sandbox) -> (common::Server, Key, String) {
    sandbox.run_at("2026-01-10T09:00:00Z", &["versions"]);
    let key = key(sandbox);
    let private = sandbox.path("site.key");
    let env = [("INFORCE_SIGNING_KEY", private.to_str().expect("path"))];
    let server = common::start_with(sandbox, &env, Stdio::null());
    let url = format!("http://127.0.0.1:{}", server.port);
    (server, key, url)
}

#[test]
fn a_publication_larger_than_max_publication_bytes_is_not_read() {
    let sandbox = Sandbox::new();
    let (_server, key, url) = real_site(&sandbox);
    let (output, _) = verify_within(&sandbox, &url, &key, &[], Duration::from_secs(60));
    assert!(output.status.success(), "{}", stderr(&output));
    let (output, _) =
        verify_within(&sandbox, &url, &key, &["--max-publication-bytes", "1KiB"], Duration::from_secs(60));
    ended(&output, 3, "a publication's content (--max-publication-bytes) is larger than the 1024 bytes");
    let mut all = vec!["verify", "--remote", &url, "--key", &key.verifier_file];
    all.extend(["--format", "json"]);
    let output = sandbox.command(&all).env("INFORCE_VERIFY_MAX_PUBLICATION_BYTES", "1KiB").output().expect("run");
    assert_eq!(output.status.code(), Some(3), "the variable sets it too: {}", stderr(&output));
}

#[test]
fn a_saved_checkpoint_re_saved_by_an_editor_still_verifies() {
    let sandbox = Sandbox::new();
    let (_server, key, url) = real_site(&sandbox);
    let saved = sandbox.path("saved.note");
    let saved = saved.to_str().expect("path");
    let (output, _) = verify_within(&sandbox, &url, &key, &["--save", saved], Duration::from_secs(60));
    assert!(output.status.success(), "{}", stderr(&output));
    let note = std::fs::read_to_string(saved).expect("saved");
    let resaved = sandbox.path("resaved.note");
    let resaved = resaved.to_str().expect("path");
    let crlf = note.replace('\n', "\r\n");
    for (how, text) in [
        ("CRLF", crlf.clone()),
        ("no final newline", note.trim_end().to_string()),
        ("CRLF, no final newline", crlf.trim_end().to_string()),
        ("a byte-order mark and a blank line at the end", format!("\u{feff}{note}\n")),
    ] {
        std::fs::write(resaved, text).expect("write");
        let (output, _) = verify_within(&sandbox, &url, &key, &["--checkpoint", resaved], Duration::from_secs(60));
        assert!(output.status.success(), "{how}: {}", stderr(&output));
        assert!(String::from_utf8_lossy(&output.stdout).contains("extends the saved checkpoint"), "{how}");
    }
    // A file that is not a checkpoint at all is the file's fault (exit 2, naming it); a changed one is tampering.
    std::fs::write(resaved, "not a checkpoint\r\n").expect("write");
    let (output, _) = verify_within(&sandbox, &url, &key, &["--checkpoint", resaved], Duration::from_secs(60));
    ended(&output, 2, &format!("--checkpoint {resaved}: "));
    std::fs::write(resaved, crlf.replacen("sec\r\n1\r\n", "sec\r\n2\r\n", 1)).expect("write");
    let (output, _) = verify_within(&sandbox, &url, &key, &["--checkpoint", resaved], Duration::from_secs(60));
    ended(&output, 4, "the saved checkpoint: the checkpoint is not signed by this key");
}
