//! The website in real headless Chromium: `tests/browser/run.mjs` walks the journeys (home to a provision, a
//! comparison's insertions and deletions, the pages by keyboard alone), runs axe-core (WCAG 2.2 AA) on every page
//! type and keeps a screenshot of each in `target/browser-artefacts/`; on a static export of the same database it
//! checks, from the file system, that the copy's search page finds exactly what the server's search finds. It needs Chromium (`/usr/bin/chromium` or
//! `INFORCE_CHROMIUM`), node, and `npm ci --prefix tests/browser`; without them it skips, saying why, unless
//! `INFORCE_REQUIRE_BROWSER=1` (as in CI).

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use common::{Folder, Sandbox};

/// The server; killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("the workspace root").to_path_buf()
}

/// Why the browser tests cannot run here, if they cannot.
fn missing_prerequisite(root: &Path) -> Option<String> {
    let chromium = std::env::var("INFORCE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).is_file() {
        return Some(format!(
            "no Chromium at {chromium} (apt-get install chromium chromium-driver, or set INFORCE_CHROMIUM)"
        ));
    }
    let node = Command::new("node").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !node.is_ok_and(|s| s.success()) {
        return Some("node is not on PATH".to_string());
    }
    if !root.join("tests/browser/node_modules/playwright-core").is_dir()
        || !root.join("tests/browser/node_modules/axe-core").is_dir()
    {
        return Some("tests/browser/node_modules is missing (run npm ci --prefix tests/browser)".to_string());
    }
    None
}

/// The workspace root when the browser tests can run; otherwise says why and answers `None` (a failure when
/// `INFORCE_REQUIRE_BROWSER=1`, as in CI).
fn browser_ready() -> Option<PathBuf> {
    let root = workspace_root();
    let Some(reason) = missing_prerequisite(&root) else { return Some(root) };
    if std::env::var("INFORCE_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("the browser tests cannot run: {reason}");
    }
    eprintln!("skipping the browser tests: {reason}");
    None
}

/// A small code with texts: Article 1 reworded, Article 2 taken out and Article 3 added by v2.
fn demo_code(sandbox: &Sandbox) -> PathBuf {
    Folder::new()
        .version(
            "v1",
            "2014-01-01",
            &[
                ("1", "# Article 1\n\nA payment made in good faith is valid.\n"),
                ("2", "# Article 2\n\nA debtor may pay early.\n"),
            ],
        )
        .version(
            "v2",
            "2015-01-01",
            &[
                ("1", "# Article 1\n\nA payment made in bad faith is void.\n\nThe creditor must give a receipt.\n"),
                ("3", "# Article 3\n\nInterest runs from the day of the demand.\n"),
                // Letters whose case folding is not their lowercase, for the static copy's search.
                ("4", "# Article 4\n\nΟΔΟΣ and STRAẞE; the ſtate; 10 \u{212A}.\n"),
            ],
        )
        .write(&sandbox.path("demo"))
}

fn start(sandbox: &Sandbox) -> (Server, String) {
    let mut child = sandbox
        .command(&["serve", "--addr", "127.0.0.1:0"])
        .env("INFORCE_TODAY", "2015-02-01")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the server prints its address");
    let base = line
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .map(|word| word.trim_end_matches('/').to_string())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (server, base)
}

#[test]
fn the_site_works_in_a_real_browser_by_mouse_and_keyboard_and_passes_axe() {
    let Some(root) = browser_ready() else { return };
    let sandbox = Sandbox::new();
    let folder = demo_code(&sandbox);
    sandbox.stdout(&["import", folder.to_str().expect("path"), "--code", "demo", "--title", "Demo code"]);
    let exported = sandbox.path("site");
    let export = sandbox
        .command(&["export-site", exported.to_str().expect("path")])
        .env("INFORCE_TODAY", "2015-02-01")
        .output()
        .expect("export the site");
    assert!(export.status.success(), "export-site failed: {}", String::from_utf8_lossy(&export.stderr));
    let (_server, base) = start(&sandbox);
    let artefacts = root.join("target/browser-artefacts");
    let started = Instant::now();
    let output = Command::new("node")
        .arg(root.join("tests/browser/run.mjs"))
        .arg(&base)
        .arg(&artefacts)
        .arg(&exported)
        .current_dir(&root)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the browser tests failed ({:.1} s):\n{stdout}\n{stderr}",
        started.elapsed().as_secs_f64()
    );
}

/// Register strings and texts that end or open something in a script: each sets `window.__pwned` if it runs.
const PAYLOADS: &[&str] = &[
    "\u{2028}window.__pwned='line separator';//",
    "\u{2029}window.__pwned='paragraph separator';//",
    "</script><script>window.__pwned='script end'</script>",
    "<!--<script>window.__pwned='comment open'</script>-->",
    "<img src=x onerror=\"window.__pwned='markup'\">",
    "\r\nwindow.__pwned='line end';//",
];

#[test]
fn nothing_a_register_string_or_text_carries_runs_as_script_in_a_static_export() {
    let Some(root) = browser_ready() else { return };
    let sandbox = Sandbox::new();
    let texts: Vec<(String, String)> = PAYLOADS
        .iter()
        .enumerate()
        .map(|(i, payload)| {
            let n = (i + 1).to_string();
            (n.clone(), format!("# Article {n} hostile {payload}\n\nA hostile text {payload} ends here.\n"))
        })
        .collect();
    let texts: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let folder = Folder::new().version("v1", "2014-01-01", &texts).write(&sandbox.path("hostile"));
    for payload in PAYLOADS {
        let title = format!("Hostile code {payload}");
        let code = format!("h{}", PAYLOADS.iter().position(|p| p == payload).expect("listed"));
        let import = sandbox
            .command(&["import", folder.to_str().expect("path"), "--code", &code, "--title", &title])
            .output()
            .expect("import");
        // A title the register refuses (line ends are control characters) cannot reach a script either.
        if !import.status.success() {
            let stderr = String::from_utf8_lossy(&import.stderr);
            assert!(stderr.contains("title"), "{payload:?} was refused without naming the title: {stderr}");
        }
    }
    let exported = sandbox.path("site");
    let export = sandbox
        .command(&["export-site", exported.to_str().expect("path")])
        .env("INFORCE_TODAY", "2015-02-01")
        .output()
        .expect("export the site");
    assert!(export.status.success(), "export-site failed: {}", String::from_utf8_lossy(&export.stderr));
    let mut opened = 0;
    for n in 0..PAYLOADS.len() {
        let code = format!("h{n}");
        if !exported.join("codes").join(&code).is_dir() {
            continue;
        }
        opened += 1;
        let output = Command::new("node")
            .arg(root.join("tests/browser/hostile.mjs"))
            .arg(&exported)
            .arg(&code)
            .arg("hostile")
            .current_dir(&root)
            .output()
            .expect("run node");
        let stdout = String::from_utf8_lossy(&output.stdout);
        println!("{stdout}");
        assert!(output.status.success(), "{code}:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    }
    // The separators are what the register lets through: those codes at least must have been exported and opened.
    assert!(opened >= 2, "only {opened} hostile codes were imported");
}
