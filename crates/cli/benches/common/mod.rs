//! What the benchmarks share: the corpus they run on.

use std::path::PathBuf;

/// The corpus folder, and the temporary folder holding it when it was unpacked here.
pub fn corpus() -> Option<(PathBuf, Option<tempfile::TempDir>)> {
    if let Some(path) = std::env::var_os("INFORCE_BENCH_CORPUS") {
        return Some((PathBuf::from(path), None));
    }
    let archive = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/fr-code-civil.tar.xz");
    if !archive.exists() {
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let status = std::process::Command::new("tar").arg("-xJf").arg(&archive).arg("-C").arg(dir.path()).status().ok()?;
    status.success().then(|| (dir.path().join("fr-code-civil"), Some(dir)))
}
