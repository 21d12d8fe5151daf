//! Which outside components the test suite found, and which tests skip without them. `harness = false`, so
//! `cargo test` always shows this table (it hides the output of passing tests, and a skipped test passes). It
//! fails when a component is missing and its `INFORCE_REQUIRE_*` variable is `1`, as `.ci/run` sets them.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use inforce_store_postgres::scratch;

/// One outside component and the tests that skip without it.
struct Component {
    name: &'static str,
    /// Found (what was found), or missing (why).
    found: Result<String, String>,
    /// The tests that skip without it.
    skipped: &'static str,
    /// What to do to run them.
    to_run: &'static str,
    /// The variable that makes a missing component a failure, if there is one.
    require: Option<&'static str>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("the workspace root").to_path_buf()
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn postgres() -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let (url, answer) = runtime.block_on(scratch::probe());
    match answer {
        Ok(()) => Ok(format!("PostgreSQL answers at {url}")),
        Err(e) => Err(format!("PostgreSQL at {url} is not reachable: {e}")),
    }
}

/// The same checks as `browser.rs` makes before it runs.
fn browser(root: &Path) -> Result<String, String> {
    let chromium = std::env::var("INFORCE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).is_file() {
        return Err(format!("no Chromium at {chromium}"));
    }
    if !runs("node", "--version") {
        return Err("node is not on PATH".to_string());
    }
    for module in ["playwright-core", "axe-core"] {
        if !root.join("tests/browser/node_modules").join(module).is_dir() {
            return Err(format!("tests/browser/node_modules/{module} is missing"));
        }
    }
    Ok(format!("Chromium at {chromium}, node, tests/browser/node_modules"))
}

fn ripgrep() -> Result<String, String> {
    if runs("rg", "--version") { Ok("rg is on PATH".to_string()) } else { Err("rg is not on PATH".to_string()) }
}

/// The archives `corpora.rs` unpacks, and the tools it unpacks and compares them with.
fn corpora(root: &Path) -> Result<String, String> {
    let folder = root.join("../shared/corpora");
    let folder = folder.canonicalize().unwrap_or(folder);
    for name in ["fr-code-civil", "fr-code-procedures-civiles-execution"] {
        let archive = folder.join(format!("{name}.tar.xz"));
        if !archive.is_file() {
            return Err(format!("{} is absent", archive.display()));
        }
    }
    for (program, arg) in [("tar", "--version"), ("xz", "--version"), ("git", "--version")] {
        if !runs(program, arg) {
            return Err(format!("{program} is not on PATH"));
        }
    }
    Ok(format!("{} (both archives), tar, xz, git", folder.display()))
}

/// Root ignores file permissions, so the read-only database test drops privileges with setpriv when run as root.
fn setpriv() -> Result<String, String> {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !root {
        return Ok("not needed (not running as root)".to_string());
    }
    if runs("setpriv", "--version") {
        Ok("setpriv is on PATH (running as root)".to_string())
    } else {
        Err("running as root and setpriv is not on PATH".to_string())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test -- --list` (and tools built on it) only ask what the target holds.
    if args.iter().any(|a| a == "--list") {
        return ExitCode::SUCCESS;
    }
    // `cargo test NAME` passes NAME to every target: stay quiet unless it selects this one.
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty() && !filters.iter().any(|f| "components".contains(f.as_str())) {
        return ExitCode::SUCCESS;
    }
    let root = workspace_root();
    let components = [
        Component {
            name: "PostgreSQL",
            found: postgres(),
            skipped: "postgres (every test), serve::a_lost_database_leaves_the_site_serving_and_not_ready, \
                      serve::two_instances_on_one_postgres_serve_every_publication_and_survive_a_killed_import, \
                      inforce-store-postgres::passes_the_conformance_suite, readme (its PostgreSQL examples)",
            to_run: "start a server that user postgres can reach without a password at 127.0.0.1:5432, or set \
                     INFORCE_TEST_POSTGRES_URL",
            require: Some("INFORCE_REQUIRE_POSTGRES"),
        },
        Component {
            name: "browser",
            found: browser(&root),
            skipped: "browser::the_site_works_in_a_real_browser_by_mouse_and_keyboard_and_passes_axe",
            to_run: "apt-get install chromium chromium-driver nodejs (or INFORCE_CHROMIUM=PATH), then \
                     npm ci --prefix tests/browser",
            require: Some("INFORCE_REQUIRE_BROWSER"),
        },
        Component {
            name: "ripgrep",
            found: ripgrep(),
            skipped: "corpora::plain_word_searches_find_exactly_what_ripgrep_finds (which also needs the corpora)",
            to_run: "apt-get install ripgrep",
            require: Some("INFORCE_REQUIRE_RG"),
        },
        Component {
            name: "corpora",
            found: corpora(&root),
            skipped: "corpora (every test: real codes imported, compared with git and with ripgrep)",
            to_run: "put fr-code-civil.tar.xz and fr-code-procedures-civiles-execution.tar.xz in ../shared/corpora \
                     (beside the repository), with tar, xz and git on PATH",
            require: Some("INFORCE_REQUIRE_CORPORA"),
        },
        Component {
            name: "setpriv",
            found: setpriv(),
            skipped: "cli::a_read_only_database_answers_questions_and_refuses_writes_clearly",
            to_run: "apt-get install util-linux, or run the tests as another user than root",
            require: Some("INFORCE_REQUIRE_SETPRIV"),
        },
    ];
    println!();
    println!("Outside components of the tests (crates/cli/tests/components.rs):");
    let mut failed = Vec::new();
    for component in &components {
        match &component.found {
            Ok(what) => println!("  found    {:<11} {what}", component.name),
            Err(why) => {
                println!("  MISSING  {:<11} {why}", component.name);
                println!("           these tests skip (and pass): {}", component.skipped);
                println!("           to run them: {}", component.to_run);
                if let Some(variable) = component.require {
                    if std::env::var(variable).is_ok_and(|v| v == "1") {
                        failed.push(format!("{} is missing and {variable}=1", component.name));
                    } else {
                        println!("           ({variable}=1 makes this a failure, as in CI)");
                    }
                }
            }
        }
    }
    println!();
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("components: required but missing: {}", failed.join("; "));
        ExitCode::FAILURE
    }
}
