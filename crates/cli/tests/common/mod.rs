//! What the integration tests share: a sandboxed database and helpers to run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use inforce_store_postgres::scratch::ScratchDatabase;
use serde_json::Value;

mod folder;
pub mod http;
pub mod markup;
pub mod tamper;
// Each test file uses some of them.
#[allow(unused_imports)]
pub use folder::{CREANCE, Folder, changed_back_folder, decomposed, resaved_folder, small_folder, write};

/// A scratch database and the environment every run gets.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    postgres: Option<ScratchDatabase>,
    /// Set when the test damaged the database on purpose (or dropped it): it is not verified at the end.
    damaged: std::cell::Cell<bool>,
}

/// Every database a test builds must verify against its publication log when the test is done, unless the test
/// damaged it on purpose ([`Sandbox::expect_tampered`]).
impl Drop for Sandbox {
    fn drop(&mut self) {
        if std::thread::panicking() || self.damaged.get() || (self.postgres.is_none() && !self.db().exists()) {
            return;
        }
        let output = self.run(&["verify"]);
        assert!(
            output.status.success(),
            "inforce verify fails on the database this test built:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(&output)
        );
    }
}

impl Sandbox {
    /// A sandbox on a new SQLite file.
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("temporary folder"), postgres: None, damaged: Default::default() }
    }

    /// A sandbox on a new PostgreSQL database; `None` (after printing why) when PostgreSQL is absent.
    pub fn postgres(label: &str) -> Option<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let database = runtime.block_on(ScratchDatabase::create(label))?;
        Some(Self {
            dir: tempfile::tempdir().expect("temporary folder"),
            postgres: Some(database),
            damaged: Default::default(),
        })
    }

    /// Drops the scratch PostgreSQL database now (closing every session on it), as an outage would.
    pub fn drop_postgres(&self) {
        self.damaged.set(true);
        if let Some(database) = &self.postgres {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(database.drop_now());
        }
    }

    /// Marks the database as damaged on purpose: it is not verified when the test ends.
    pub fn expect_tampered(&self) {
        self.damaged.set(true);
    }

    /// The database: the scratch PostgreSQL URL or the SQLite file.
    pub fn db(&self) -> PathBuf {
        match &self.postgres {
            Some(database) => PathBuf::from(&database.url),
            None => self.dir.path().join("inforce.db"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_inforce"));
        command
            .args(args)
            .env("INFORCE_DB", self.db())
            .env("INFORCE_TODAY", "2026-11-28")
            .env("INFORCE_NOW", "2026-11-01T09:00:00Z")
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            // Publications name their author: the same one on every machine.
            .env("USER", "tester")
            .env_remove("INFORCE_AUTHOR")
            .env_remove("INFORCE_CRASH_TEST_MARKER");
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run inforce")
    }

    pub fn run_at(&self, now: &str, args: &[&str]) -> Output {
        self.command(args).env("INFORCE_NOW", now).output().expect("run inforce")
    }

    /// Runs and parses JSON output, failing with stderr if the command failed.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let output = self.run(&all);
        assert!(output.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).expect("valid JSON")
    }

    pub fn stdout(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(output.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }
}

pub fn status_of<'a>(at: &'a Value, id: &str) -> &'a str {
    at["provisions"]
        .as_array()
        .expect("provisions")
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("{id} missing"))["status"]
        .as_str()
        .expect("status")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Waits until an import paused mid-publication has created its marker file.
pub fn wait_for(path: &Path, child: &mut std::process::Child) {
    let start = Instant::now();
    while !path.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the import finished ({status}) before pausing");
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the import never reached the pause");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A [`small_folder`] written in the sandbox.
pub fn small_code(sandbox: &Sandbox) -> PathBuf {
    small_folder().write(&sandbox.path("code"))
}

/// A [`resaved_folder`] written in the sandbox.
pub fn resaved_code(sandbox: &Sandbox) -> PathBuf {
    resaved_folder().write(&sandbox.path("resaved"))
}

/// A running `inforce serve`, killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `inforce serve` on a free port, today 2015-02-01.
pub fn start(sandbox: &Sandbox) -> Server {
    start_with(sandbox, &[], std::process::Stdio::null())
}

/// [`start`] with more environment and a chosen standard error.
pub fn start_with(sandbox: &Sandbox, env: &[(&str, &str)], stderr: std::process::Stdio) -> Server {
    let mut command = sandbox.command(&["serve", "--addr", "127.0.0.1:0"]);
    command.env("INFORCE_TODAY", "2015-02-01").envs(env.iter().copied());
    let mut child = command.stdout(std::process::Stdio::piped()).stderr(stderr).spawn().expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
        .expect("the server prints its address");
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server { child, port }
}

/// The Word test data (`../shared/docx`, as an absolute path) when this machine has it; otherwise says so and
/// answers `None` (a failure when `INFORCE_REQUIRE_DOCX` is set, as in CI).
pub fn shared_docx() -> Option<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/docx");
    if dir.is_dir() {
        return Some(dir.canonicalize().expect("canonical"));
    }
    assert!(
        std::env::var("INFORCE_REQUIRE_DOCX").is_err(),
        "{} is required here (INFORCE_REQUIRE_DOCX)",
        dir.display()
    );
    println!("skipped: {} is absent (../shared is not on this machine)", dir.display());
    None
}
