//! A test hook, and the only one on the publication path: it lets the crash-safety tests prove that a process
//! killed half-way through a publication leaves no trace.
//!
//! Those tests (`crates/cli/tests/{cli,texts,web,postgres}.rs`) spawn the real `inforce` binary with
//! `INFORCE_CRASH_TEST_MARKER` naming a file, wait for the file to appear, and kill the process. The hook must
//! therefore be in the binary they run, not only in `cfg(test)` builds. Without the variable it does nothing; the
//! variable is read once per process.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// The environment variable that turns the hook on: the file to create when the publication is paused.
pub const MARKER_VARIABLE: &str = "INFORCE_CRASH_TEST_MARKER";

/// When [`MARKER_VARIABLE`] names a file, creates it and waits a minute, with the publication half written and
/// nothing committed, so the test can kill the process; otherwise returns at once.
pub fn pause_mid_publication() {
    static MARKER: OnceLock<Option<PathBuf>> = OnceLock::new();
    if let Some(marker) = MARKER.get_or_init(|| std::env::var_os(MARKER_VARIABLE).map(PathBuf::from)) {
        let _ = std::fs::write(marker, b"paused mid-publication\n");
        std::thread::sleep(Duration::from_secs(60));
    }
}
