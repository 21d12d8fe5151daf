//! Versioned-code folders: `versions.tsv`, one folder per version, one Markdown file per provision, and an
//! optional `order.tsv`. Every problem is reported with the file (and line) it is in; nothing is half-read.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use inforce_core::import::VersionTexts;
use inforce_core::text::{TextHash, heading, normalise};
use inforce_core::unicode::nfc;
use inforce_core::{EntryId, ProvisionId};
use jiff::civil::Date;

/// The largest provision file accepted.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One problem in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderProblem {
    /// The file or folder, relative to the folder imported.
    pub path: String,
    /// The 1-based line, when the problem is on one.
    pub line: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for FolderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Every problem found; the folder was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FolderError {
    /// The problems, in the order found.
    pub problems: Vec<FolderProblem>,
}

impl fmt::Display for FolderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// One version read from a folder: its complete state.
pub type FolderVersion = VersionTexts;

/// A versioned code read from a folder.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// The versions, in date order.
    pub versions: Vec<FolderVersion>,
    /// Every distinct text, normalised, by hash.
    pub bodies: HashMap<TextHash, Arc<str>>,
    /// Every provision of any version, in reading order.
    pub order: Vec<ProvisionId>,
    /// The heading each provision has in the last version it appears in.
    pub headings: HashMap<ProvisionId, String>,
}

/// The changes of one version given as a folder of changed provisions only.
#[derive(Debug, Clone, Default)]
pub struct FolderDelta {
    /// The provisions given, with their new texts, in file-name order.
    pub texts: Vec<(ProvisionId, TextHash)>,
    /// The provisions the version takes out (from `removed.txt`).
    pub removed: Vec<ProvisionId>,
    /// The texts, by hash.
    pub bodies: HashMap<TextHash, Arc<str>>,
    /// The headings of the provisions given.
    pub headings: HashMap<ProvisionId, String>,
}

/// Reads a whole versioned folder. `progress` is told (versions read, versions in all) after each version.
pub fn read_folder(dir: &Path, progress: &mut dyn FnMut(usize, usize)) -> Result<Folder, FolderError> {
    let mut problems = Problems::default();
    let (listed, mentioned) = read_versions_tsv(dir, &mut problems);
    let mut folder = Folder::default();
    // Names compare composed (NFC): a folder saved with decomposed accents (as macOS names files) is the version
    // versions.tsv lists.
    let listed_ids: HashSet<String> = mentioned.iter().map(|id| nfc(id).into_owned()).collect();
    let mut folders: HashMap<String, PathBuf> = HashMap::new();
    // Names of links: a version folder is never reached through one.
    let mut links: HashSet<String> = HashSet::new();
    if let Ok(entries) = fs::read_dir(dir) {
        let mut strays: Vec<String> = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let composed = nfc(&name).into_owned();
            let file_type = entry.file_type().ok();
            if file_type.is_some_and(|t| t.is_symlink()) {
                links.insert(composed);
                continue;
            }
            if name.starts_with('.') || !file_type.is_some_and(|t| t.is_dir()) {
                continue;
            }
            if !listed_ids.contains(&composed) {
                strays.push(name);
            }
            folders.insert(composed, entry.path());
        }
        strays.sort();
        for name in strays {
            problems.add(&format!("{name}/"), None, "a version folder not listed in versions.tsv".into());
        }
    }
    let total = listed.len();
    for (index, (id, effective, label, line)) in listed.into_iter().enumerate() {
        let Some(path) = folders.get(id.as_str()) else {
            let message = if links.contains(id.as_str()) {
                LINK_REFUSED.to_string()
            } else {
                format!("folder missing (listed in versions.tsv line {line})")
            };
            problems.add(&format!("{id}/"), None, message);
            continue;
        };
        let path = path.clone();
        let mut texts = read_provisions(dir, &path, &mut folder.bodies, &mut folder.headings, &mut problems);
        texts.sort_by_cached_key(|t| natural_key(t.0.as_str()));
        folder.versions.push(FolderVersion { id, effective, label, texts });
        progress(index + 1, total);
    }
    apply_order_tsv(dir, &mut folder, &mut problems);
    problems.finish(folder)
}

/// Reads a folder holding only the provisions one version changed, and `removed.txt` (one id per line) for
/// those it takes out.
pub fn read_delta(dir: &Path) -> Result<FolderDelta, FolderError> {
    let mut problems = Problems::default();
    let mut delta = FolderDelta::default();
    if !dir.is_dir() {
        problems.add(&dir.display().to_string(), None, "not a folder".into());
        return problems.finish(delta);
    }
    delta.texts = read_provisions(dir, dir, &mut delta.bodies, &mut delta.headings, &mut problems);
    delta.texts.sort_by_cached_key(|t| natural_key(t.0.as_str()));
    let removed_path = dir.join("removed.txt");
    if something_at(&removed_path)
        && let Some(text) = read_text(dir, &removed_path, &mut problems)
    {
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match provision_id(line) {
                Ok(id) => delta.removed.push(id),
                Err(message) => problems.add("removed.txt", Some(number + 1), message),
            }
        }
    }
    let given: HashSet<&ProvisionId> = delta.texts.iter().map(|t| &t.0).collect();
    for id in &delta.removed {
        if given.contains(id) {
            problems.add("removed.txt", None, format!("'{id}' is both given a text and listed as removed"));
        }
    }
    problems.finish(delta)
}

#[derive(Default)]
struct Problems {
    list: Vec<FolderProblem>,
}

impl Problems {
    fn add(&mut self, path: &str, line: Option<usize>, message: String) {
        self.list.push(FolderProblem { path: path.to_string(), line, message });
    }

    fn finish<T>(self, value: T) -> Result<T, FolderError> {
        if self.list.is_empty() { Ok(value) } else { Err(FolderError { problems: self.list }) }
    }
}

/// A version listed in `versions.tsv`: id, effective date, label, line number.
type Listed = (EntryId, Date, String, usize);

/// Reads `versions.tsv`: the valid versions in file order, and every id it mentions (valid or not).
fn read_versions_tsv(dir: &Path, problems: &mut Problems) -> (Vec<Listed>, Vec<String>) {
    let path = dir.join("versions.tsv");
    if !something_at(&path) {
        problems.add("versions.tsv", None, "missing: a versioned folder lists its versions in versions.tsv".into());
        return (Vec::new(), Vec::new());
    }
    let Some(text) = read_text(dir, &path, problems) else { return (Vec::new(), Vec::new()) };
    let mut mentioned = Vec::new();
    let mut out: Vec<Listed> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() || (index == 0 && line.starts_with("version_id")) {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 2 {
            problems.add("versions.tsv", Some(number), "expected version_id<TAB>effective_date<TAB>label".into());
            continue;
        }
        let id = nfc(fields[0].trim());
        let id = id.as_ref();
        mentioned.push(id.to_string());
        if id.is_empty() {
            problems.add("versions.tsv", Some(number), "missing version id".into());
            continue;
        }
        if let Err(message) = plain_name(id) {
            problems.add("versions.tsv", Some(number), message);
            continue;
        }
        if let Some(first) = seen.insert(id.to_string(), number) {
            problems.add("versions.tsv", Some(number), format!("duplicate version id '{id}' (first on line {first})"));
            continue;
        }
        let Some(effective) = inforce_core::date::parse_day(fields[1].trim()) else {
            let message = format!("'{}' is not a date: expected YYYY-MM-DD", fields[1].trim());
            problems.add("versions.tsv", Some(number), message);
            continue;
        };
        if let Some(previous) = out.last()
            && effective < previous.1
        {
            let message = format!(
                "version {id} takes effect on {effective}, before version {} ({}) listed above it: list versions in \
                 date order",
                previous.0, previous.1
            );
            problems.add("versions.tsv", Some(number), message);
            continue;
        }
        match EntryId::parse(id) {
            Ok(entry) => out.push((entry, effective, fields.get(2).unwrap_or(&"").trim().to_string(), number)),
            Err(e) => problems.add("versions.tsv", Some(number), e.to_string()),
        }
    }
    if out.is_empty() && problems.list.is_empty() {
        problems.add("versions.tsv", None, "lists no version".into());
    }
    (out, mentioned)
}

/// Reads every `*.md` file of one folder as (provision, text hash), storing the texts once.
fn read_provisions(
    root: &Path,
    dir: &Path,
    bodies: &mut HashMap<TextHash, Arc<str>>,
    headings: &mut HashMap<ProvisionId, String>,
    problems: &mut Problems,
) -> Vec<(ProvisionId, TextHash)> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.add(&relative(root, dir), None, format!("cannot list: {e}"));
            return Vec::new();
        }
    };
    let mut texts = Vec::new();
    let mut seen: HashMap<ProvisionId, String> = HashMap::new();
    let mut entries: Vec<fs::DirEntry> = entries.filter_map(Result::ok).collect();
    // Problems are reported in name order, whatever order the file system lists the files in.
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let shown = relative(root, &path);
        if name.starts_with('.') || name == "removed.txt" {
            continue;
        }
        let Some(stem) = name.strip_suffix(".md") else {
            problems.add(&shown, None, "not a provision file: expected <id>.md".into());
            continue;
        };
        let file_type = entry.file_type().ok();
        if file_type.is_some_and(|t| t.is_symlink()) {
            problems.add(&shown, None, LINK_REFUSED.into());
            continue;
        }
        if !file_type.is_some_and(|t| t.is_file()) {
            problems.add(&shown, None, "not a regular file (folders, pipes and devices are not read)".into());
            continue;
        }
        let id = match provision_id(stem) {
            Ok(id) => id,
            Err(message) => {
                problems.add(&shown, None, message);
                continue;
            }
        };
        if let Some(other) = seen.insert(id.clone(), name.clone()) {
            problems.add(&shown, None, format!("names the same provision '{id}' as {other}"));
            continue;
        }
        let Some(text) = read_text(root, &path, problems) else { continue };
        let normalised = normalise(&text);
        if text.trim().is_empty() {
            problems.add(&shown, None, "empty file: a provision file starts with its heading '# …'".into());
            continue;
        }
        if !normalised.starts_with("# ") || heading(&normalised).is_empty() {
            problems.add(&shown, Some(1), "the first line must be the provision's heading, '# <heading>'".into());
            continue;
        }
        let hash = TextHash::of(&normalised);
        headings.insert(id.clone(), heading(&normalised).to_string());
        bodies.entry(hash).or_insert_with(|| Arc::from(normalised.as_str()));
        texts.push((id, hash));
    }
    texts
}

/// Reads a UTF-8 file no larger than [`MAX_FILE_BYTES`].
/// Only a regular file is read: a link (which could lead outside the folder), a named pipe (which would block the
/// import) or a device is refused, naming the file.
fn read_text(root: &Path, path: &Path, problems: &mut Problems) -> Option<String> {
    let shown = relative(root, path);
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            problems.add(&shown, None, LINK_REFUSED.into());
            return None;
        }
        Ok(meta) if meta.is_file() && meta.len() > MAX_FILE_BYTES => {
            let message =
                format!("{} bytes, more than the {} MiB accepted for one file", meta.len(), MAX_FILE_BYTES >> 20);
            problems.add(&shown, None, message);
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            problems.add(&shown, None, format!("cannot read: {e}"));
            return None;
        }
    }
    let bytes = match crate::file::read_regular(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => {
            problems.add(&shown, None, e.to_string());
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            problems.add(&shown, Some(line), format!("not UTF-8 text (invalid byte at offset {offset})"));
            None
        }
    }
}

/// Why a link inside an imported folder is not read.
const LINK_REFUSED: &str = "a link: links inside an imported folder are not followed (they could lead outside it)";

/// Whether anything (a file, a link, a pipe) is at `path`, without following a link.
fn something_at(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Applies `order.tsv` when present: the reading order of each version, merged into one order.
fn apply_order_tsv(dir: &Path, folder: &mut Folder, problems: &mut Problems) {
    let path = dir.join("order.tsv");
    let mut per_version: HashMap<String, Vec<ProvisionId>> = HashMap::new();
    if something_at(&path)
        && let Some(text) = read_text(dir, &path, problems)
    {
        for (index, line) in text.lines().enumerate() {
            if index == 0 && line.starts_with("version_id") || line.trim().is_empty() {
                continue;
            }
            let Some((version, ids)) = line.split_once('\t') else {
                problems.add("order.tsv", Some(index + 1), "expected version_id<TAB>ids separated by spaces".into());
                continue;
            };
            let mut list = Vec::new();
            for id in ids.split_whitespace() {
                match provision_id(id) {
                    Ok(id) => list.push(id),
                    Err(message) => problems.add("order.tsv", Some(index + 1), message),
                }
            }
            per_version.insert(version.trim().to_string(), list);
        }
    }
    let mut order: Vec<ProvisionId> = Vec::new();
    let mut placed: HashMap<ProvisionId, usize> = HashMap::new();
    for version in &mut folder.versions {
        if let Some(listed) = per_version.get(version.id.as_str()) {
            let position: HashMap<&ProvisionId, usize> = listed.iter().enumerate().map(|(i, id)| (id, i)).collect();
            version.texts.sort_by_key(|(id, _)| position.get(id).copied().unwrap_or(usize::MAX));
        }
        // Merge: a provision not placed yet goes right after the provision before it in this version.
        let mut previous: Option<&ProvisionId> = None;
        for (id, _) in &version.texts {
            if !placed.contains_key(id) {
                let at = previous.and_then(|p| placed.get(p)).map_or(0, |&i| i + 1);
                let at = if previous.is_none() && !order.is_empty() { 0 } else { at };
                order.insert(at, id.clone());
                for (i, id) in order.iter().enumerate().skip(at) {
                    placed.insert(id.clone(), i);
                }
            }
            previous = Some(id);
        }
    }
    folder.order = order;
}

/// A provision id from a file name or list: the plain name, checked to be safe as a path component.
fn provision_id(text: &str) -> Result<ProvisionId, String> {
    plain_name(text)?;
    ProvisionId::parse(text).map_err(|e| e.to_string())
}

/// Refuses names that would reach outside a folder: empty, `.`/`..`, separators, absolute paths.
fn plain_name(text: &str) -> Result<(), String> {
    let bad = text.is_empty()
        || text == "."
        || text.contains("..")
        || text.contains(['/', '\\', '\0'])
        || Path::new(text).is_absolute();
    if bad { Err(format!("'{text}' is not a plain name (no '..', separators or absolute paths)")) } else { Ok(()) }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).map(PathBuf::from).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// Orders ids as people number them: `2` before `10`, `16-1` before `16-10`.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    natural_key(a).cmp(&natural_key(b))
}

/// The sort key behind [`natural_order`]: runs of digits compare as numbers, other runs as text.
pub fn natural_key(s: &str) -> Vec<(u64, String)> {
    let parts = |s: &str| -> Vec<(u64, String)> {
        let mut out = Vec::new();
        let mut digits = String::new();
        let mut other = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                if !other.is_empty() {
                    out.push((u64::MAX, std::mem::take(&mut other)));
                }
                digits.push(c);
            } else {
                if !digits.is_empty() {
                    out.push((digits.parse().unwrap_or(u64::MAX), std::mem::take(&mut digits)));
                }
                other.push(c);
            }
        }
        if !digits.is_empty() {
            out.push((digits.parse().unwrap_or(u64::MAX), digits));
        }
        if !other.is_empty() {
            out.push((u64::MAX, other));
        }
        out
    };
    parts(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &[u8]) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, text).expect("write");
    }

    fn sample() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "versions.tsv",
            b"version_id\teffective_date\tlabel\nv1\t2016-01-01\tfirst\nv2\t2017-01-01\tsecond\n",
        );
        write(root, "v1/2.md", b"# Article 2\n\nDeux.\n");
        write(root, "v1/10.md", b"# Article 10\n\nDix.\n");
        write(root, "v2/2.md", b"# Article 2\r\n\r\nDeux.  \r\n");
        write(root, "v2/3.md", b"# Article 3\n\nTrois.\n");
        dir
    }

    fn problems(root: &Path) -> Vec<String> {
        match read_folder(root, &mut |_, _| {}) {
            Ok(_) => vec![],
            Err(e) => e.problems.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn reads_versions_texts_once_and_natural_order() {
        let dir = sample();
        let mut calls = Vec::new();
        let folder = read_folder(dir.path(), &mut |done, total| calls.push((done, total))).expect("valid folder");
        assert_eq!(calls, vec![(1, 2), (2, 2)]);
        assert_eq!(folder.versions.len(), 2);
        let ids: Vec<&str> = folder.versions[0].texts.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(ids, vec!["2", "10"]);
        assert_eq!(folder.versions[0].texts[0].1, folder.versions[1].texts[0].1, "CRLF and trailing spaces normalise");
        assert_eq!(folder.bodies.len(), 3);
        let order: Vec<&str> = folder.order.iter().map(ProvisionId::as_str).collect();
        assert_eq!(order, vec!["2", "3", "10"]);
        assert_eq!(folder.headings[&ProvisionId::parse("3").expect("id")], "Article 3");
    }

    #[test]
    fn names_and_texts_with_decomposed_accents_read_as_composed() {
        let composed = tempfile::tempdir().expect("tempdir");
        let decomposed = tempfile::tempdir().expect("tempdir");
        for (root, e) in [(composed.path(), "é"), (decomposed.path(), "e\u{301}")] {
            let listing = format!("version_id\teffective_date\tlabel\nv1-{e}t{e}\t2016-01-01\tfirst\n");
            write(root, "versions.tsv", listing.as_bytes());
            let text = format!("# Annexe {e}\n\nLa cr{e}ance.\n");
            write(root, &format!("v1-{e}t{e}/annexe-{e}.md"), text.as_bytes());
        }
        let read = |root: &Path| read_folder(root, &mut |_, _| {}).expect("valid folder");
        let (a, b) = (read(composed.path()), read(decomposed.path()));
        assert_eq!(b.versions[0].id.as_str(), "v1-été");
        assert_eq!(b.versions[0].texts, a.versions[0].texts, "one id, one text hash");
        assert_eq!(b.order[0].as_str(), "ANNEXE-É");
        assert_eq!(b.bodies.values().next().map(|t| t.to_string()), Some("# Annexe é\n\nLa créance.\n".to_string()));
        assert_eq!(b.headings[&b.order[0]], "Annexe é");
    }

    #[test]
    fn every_bad_input_is_named() {
        let dir = sample();
        let root = dir.path();
        write(root, "versions.tsv", b"version_id\teffective_date\tlabel\nv1\t2016-01-01\ta\nv2\t2015-01-01\tb\nv1\t2018-01-01\tc\nv3\t2018-13-01\td\n\t2019-01-01\te\nv4\t2019-01-01\tf\n../x\t2019-01-01\tg\n");
        write(root, "v1/bad.md", &[0x23, 0x20, 0xff, 0xfe]);
        write(root, "v1/none.md", b"no heading here\n");
        write(root, "v1/empty.md", b"\n\n");
        write(root, "v1/notes.txt", b"x");
        write(root, "v9/1.md", b"# 1\n");
        let found = problems(root);
        assert_eq!(
            found[..6],
            [
                "versions.tsv:3: version v2 takes effect on 2015-01-01, before version v1 (2016-01-01) listed above \
                 it: list versions in date order",
                "versions.tsv:4: duplicate version id 'v1' (first on line 2)",
                "versions.tsv:5: '2018-13-01' is not a date: expected YYYY-MM-DD",
                "versions.tsv:6: missing version id",
                "versions.tsv:8: '../x' is not a plain name (no '..', separators or absolute paths)",
                "v9/: a version folder not listed in versions.tsv",
            ]
        );
        let found = problems(root);
        for expected in [
            "v4/: folder missing (listed in versions.tsv line 7)",
            "v1/bad.md:1: not UTF-8 text (invalid byte at offset 2)",
            "v1/none.md:1: the first line must be the provision's heading, '# <heading>'",
            "v1/empty.md: empty file: a provision file starts with its heading '# …'",
            "v1/notes.txt: not a provision file: expected <id>.md",
        ] {
            assert!(found.iter().any(|p| p == expected), "{expected} missing from {found:#?}");
        }
    }

    #[test]
    fn oversized_files_are_refused_without_reading_them() {
        let dir = sample();
        let file = fs::File::create(dir.path().join("v1/huge.md")).expect("create");
        file.set_len(MAX_FILE_BYTES + 1).expect("sparse file");
        let found = problems(dir.path());
        assert_eq!(
            found,
            vec![format!("v1/huge.md: {} bytes, more than the 16 MiB accepted for one file", MAX_FILE_BYTES + 1)]
        );
    }

    #[test]
    fn a_delta_folder_gives_changes_and_removals() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "5.md", b"# Article 5\n\nCinq.\n");
        write(dir.path(), "removed.txt", b"# taken out\n2\n3\n");
        let delta = read_delta(dir.path()).expect("valid delta");
        assert_eq!(delta.texts.len(), 1);
        assert_eq!(delta.removed.iter().map(ProvisionId::as_str).collect::<Vec<_>>(), vec!["2", "3"]);
        write(dir.path(), "removed.txt", b"5\n../etc\n");
        let found: Vec<String> =
            read_delta(dir.path()).expect_err("bad").problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            vec![
                "removed.txt:2: '../etc' is not a plain name (no '..', separators or absolute paths)",
                "removed.txt: '5' is both given a text and listed as removed",
            ]
        );
    }

    #[test]
    fn names_that_reach_outside_a_folder_are_refused_one_by_one() {
        for bad in ["", ".", "a..b", "a/b", "a\\b", "a\0b", "/abs"] {
            assert!(plain_name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(plain_name("L111-3"), Ok(()));
    }

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let cases = [
            ("2", "10", Less),
            ("16-1", "16-10", Less),
            ("a2", "a10", Less),
            ("L111-3", "L111-10", Less),
            ("a", "b", Less),
            ("1a", "1", Greater),
            ("b1", "a2", Greater),
            ("x", "x", Equal),
        ];
        for (a, b, expected) in cases {
            assert_eq!(natural_order(a, b), expected, "{a} vs {b}");
        }
        assert_eq!(
            natural_key("a12b"),
            [(u64::MAX, "a".to_string()), (12, "12".to_string()), (u64::MAX, "b".to_string())]
        );
    }

    #[test]
    fn versions_tsv_without_header_two_fields_and_same_day_versions_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "versions.tsv", b"v1\t2016-01-01\nv2\t2016-01-01\tsame day\n");
        write(root, "v1/1.md", b"# Article 1\n\nUn.\n");
        write(root, "v2/1.md", b"# Article 1\n\nUn bis.\n");
        let folder = read_folder(root, &mut |_, _| {}).expect("valid");
        let ids: Vec<&str> = folder.versions.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["v1", "v2"], "no header: the first line is a version");
        write(root, "versions.tsv", b"version_id\teffective_date\tlabel\nv1\n\nv2\t2016-01-01\n");
        let found = problems(root);
        assert_eq!(found[0], "versions.tsv:2: expected version_id<TAB>effective_date<TAB>label", "{found:?}");
    }

    #[test]
    fn order_tsv_sets_the_reading_order_and_its_problems_name_their_line() {
        let dir = sample();
        let root = dir.path();
        write(root, "order.tsv", b"v1\t10 2\nv2\t3 2\n");
        let folder = read_folder(root, &mut |_, _| {}).expect("valid");
        let order: Vec<&str> = folder.order.iter().map(ProvisionId::as_str).collect();
        assert_eq!(order, ["3", "10", "2"], "no header: v1's order, and 3, first in v2, goes to the front");
        write(root, "order.tsv", b"version_id\tids\n\nv1 10 2\nv2\t3 ../x\n");
        let found = problems(root);
        assert_eq!(
            found,
            [
                "order.tsv:3: expected version_id<TAB>ids separated by spaces",
                "order.tsv:4: '../x' is not a plain name (no '..', separators or absolute paths)",
            ]
        );
        let error = read_folder(root, &mut |_, _| {}).expect_err("refused");
        assert_eq!(error.to_string(), found.join("\n"));
    }
}
