//! Arguments read into typed values, the same way for every command: the clocks, dates, points, codes and
//! provision ids. The rules are the core's (`inforce_core::point`); this adds the command line's messages.

use inforce_core::point::{Cut, Point, PointError, parse_date};
use inforce_core::{CodeId, EntryId, History, ProvisionId};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::cli::PointArgs;
use crate::failure::Failure;

/// `INFORCE_TODAY` when set (for reproducible runs and tests): the date taken as today for every code.
/// Otherwise today is the current date in each code's time zone (`Env::today`).
pub fn fixed_today() -> Result<Option<Date>, Failure> {
    match std::env::var("INFORCE_TODAY") {
        Ok(text) => inforce_core::date::parse_day(&text)
            .map(Some)
            .ok_or_else(|| Failure::Usage(format!("INFORCE_TODAY='{text}' is not a date: expected YYYY-MM-DD"))),
        Err(_) => Ok(None),
    }
}

/// The clock for record times: `INFORCE_NOW` (RFC 3339) when set, so that tests and demonstrations can record
/// on chosen days; otherwise the system clock.
pub fn now() -> Result<Timestamp, Failure> {
    match std::env::var("INFORCE_NOW") {
        Ok(text) => text.parse().map_err(|e| {
            Failure::Usage(format!("INFORCE_NOW='{text}' is not a timestamp such as 2026-01-01T09:00:00Z: {e}"))
        }),
        Err(_) => Ok(Timestamp::now()),
    }
}

/// Reads a date argument: `YYYY-MM-DD` or `today`.
pub fn date(text: &str, today: Date) -> Result<Date, Failure> {
    parse_date(text, today)
        .map_err(|_| Failure::Usage(format!("'{text}' is not a date: expected YYYY-MM-DD (ISO 8601) or 'today'")))
}

/// The last instant of a day in UTC: `--as-recorded 2026-01-01` sees everything recorded on that day.
pub fn end_of_recorded_day(text: &str, today: Date) -> Result<Timestamp, Failure> {
    let day = date(text, today).map_err(|e| Failure::Usage(format!("--as-recorded: {}", e.message())))?;
    inforce_core::ledger::end_of_record_day(day).ok_or_else(|| {
        Failure::Usage(format!("--as-recorded {text}: the day is past the last one a record time holds"))
    })
}

/// Reads `--code`.
pub fn code_id(text: &str) -> Result<CodeId, Failure> {
    CodeId::parse(text).map_err(|e| Failure::Usage(format!("--code: {e}")))
}

/// A provision of the code, in any usual spelling; a missing one names those with a similar id.
pub fn provision_id(history: &History, text: &str) -> Result<ProvisionId, Failure> {
    let id = ProvisionId::parse(text).map_err(|e| Failure::Usage(e.to_string()))?;
    match history.provision(&id) {
        Some(_) => Ok(id),
        None => Err(no_such_provision(history, &id)),
    }
}

/// "no provision 'H1' in the sec register (did you mean H1, H10?)".
pub fn no_such_provision(history: &History, id: &ProvisionId) -> Failure {
    let register = history.register();
    let similar: Vec<&str> = register
        .provisions
        .iter()
        .map(|p| p.id.as_str())
        .filter(|p| p.starts_with(id.as_str()) || id.as_str().starts_with(*p))
        .take(5)
        .collect();
    let hint = if similar.is_empty() { String::new() } else { format!(" (did you mean {}?)", similar.join(", ")) };
    Failure::NotFound(format!("no provision '{id}' in the {} register{hint}", register.code.id))
}

/// Reads a point argument: `today`, a date, or a version or event id.
pub fn point(text: &str, today: Date) -> Result<Point, Failure> {
    Point::parse(text, today).map_err(|e| Failure::Usage(e.to_string()))
}

/// The point of `--at`/`--version` (default today), resolved.
pub fn cut<'a>(history: &'a History, args: &PointArgs, today: Date) -> Result<Cut<'a>, Failure> {
    let point = match (&args.at, &args.version) {
        (Some(at), _) => Point::Date(date(at, today)?),
        (None, Some(version)) => {
            Point::Entry(EntryId::parse(version).map_err(|e| Failure::Usage(format!("--version: {e}")))?)
        }
        (None, None) => Point::Date(today),
    };
    resolve(history, &point)
}

/// A point resolved against the code's history.
pub fn resolve<'a>(history: &'a History, point: &Point) -> Result<Cut<'a>, Failure> {
    history.cut(point).map_err(|e| match e {
        PointError::UnknownEntry(_) => Failure::NotFound(format!("{e} '{}'", history.register().code.id)),
        PointError::Undated(_) => Failure::Usage(e.to_string()),
    })
}

/// The bytes of a file named on the command line: a regular file (a link is followed), at most `limit` bytes;
/// `what` ends the too-large message ("for a document"). Devices, named pipes and folders are refused before a
/// byte is read.
pub fn read_named_file(path: &std::path::Path, limit: u64, what: &str) -> Result<Vec<u8>, Failure> {
    use inforce_formats::file::{ReadError, read_regular};
    let name = path.display();
    read_regular(path, limit).map_err(|e| match e {
        ReadError::NotFound => Failure::NotFound(format!("{name}: no such file")),
        ReadError::TooLarge(_) => Failure::Usage(format!("{name}: {e} {what}")),
        _ => Failure::Usage(format!("{name}: {e}")),
    })
}

/// How a file a publication was made from is recorded (its origin): by its name and SHA-256, never by where it
/// lay on the machine that read it: `D-v2.docx sha256:…` (64 lower-case hex digits).
pub fn file_origin(path: &std::path::Path, bytes: &[u8]) -> String {
    format!("{} sha256:{}", file_name(path), inforce_core::document::sha256(bytes))
}

/// How a folder a publication was made from is recorded: by its name and the SHA-256 of its listing, `sec-like
/// sha256:…`. The listing is what `sha256sum` prints for every regular file under it (links are not followed),
/// one line `HASH  PATH` each, paths relative to the folder with `/` between names, in byte order of path:
/// `(cd DIR && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum` gives it.
pub fn folder_origin(dir: &std::path::Path) -> Result<String, Failure> {
    let mut files = Vec::new();
    list_files(dir, "", &mut files)?;
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut listing = String::new();
    for (relative, path) in &files {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::Environment(format!("{}: cannot be read: {e}", path.display())))?;
        listing.push_str(&format!("{}  {relative}\n", inforce_core::document::sha256(&bytes)));
    }
    Ok(format!("{} sha256:{}", file_name(dir), inforce_core::document::sha256(listing.as_bytes())))
}

fn list_files(dir: &std::path::Path, prefix: &str, out: &mut Vec<(String, std::path::PathBuf)>) -> Result<(), Failure> {
    let unreadable = |e: std::io::Error| Failure::Environment(format!("{}: cannot be listed: {e}", dir.display()));
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let kind = entry.file_type().map_err(unreadable)?;
        let relative = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if kind.is_dir() {
            list_files(&entry.path(), &format!("{relative}/"), out)?;
        } else if kind.is_file() {
            out.push((relative, entry.path()));
        }
    }
    Ok(())
}

/// A path's last name (`..` and `/` resolved as the operating system would, so `../x/` is `x`).
fn file_name(path: &std::path::Path) -> String {
    match path.file_name() {
        Some(name) => name.to_string_lossy().into_owned(),
        None => std::path::absolute(path)
            .ok()
            .and_then(|p| p.canonicalize().ok())
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "folder".to_string()),
    }
}

/// Who a publication is by: `--author` (or `INFORCE_AUTHOR`) when given, else the operating-system user's name
/// (`USER`, then `LOGNAME`, then the process's user in `/etc/passwd`), else `unknown`: never a bare user id, which
/// says nothing to a reader and something about the machine.
pub fn author(given: Option<&str>) -> String {
    if let Some(name) = given.map(str::trim).filter(|n| !n.is_empty()) {
        return inforce_core::unicode::nfc(name).into_owned();
    }
    for variable in ["USER", "LOGNAME"] {
        if let Some(name) = std::env::var(variable).ok().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) {
            return name;
        }
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    user_id().and_then(|uid| user_name(&passwd, uid)).unwrap_or_else(|| "unknown".to_string())
}

/// The name `passwd` (the text of `/etc/passwd`) gives the user id `uid`.
fn user_name(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?.trim();
        let id = fields.nth(1)?.trim().parse::<u32>().ok()?;
        (id == uid && !name.is_empty()).then(|| name.to_string())
    })
}

/// The process's user id, from the owner of its /proc entry (Linux).
#[cfg(unix)]
fn user_id() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

#[cfg(not(unix))]
fn user_id() -> Option<u32> {
    None
}

/// The command as it is recorded with a publication: its name and arguments, without secrets or local paths.
/// `--db` and its value are left out (a database URL may hold a password) and so is any argument that is a URL
/// (`postgres://…`, as `copy --from` takes); a path is kept as its file name only; arguments with spaces or quotes
/// are quoted as a shell would read them.
pub fn command_line(args: impl IntoIterator<Item = std::ffi::OsString>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut skip_value = false;
    for arg in args.into_iter().skip(1) {
        let arg = arg.to_string_lossy().into_owned();
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if arg == "--db" {
            skip_value = true;
            continue;
        }
        if arg.starts_with("--db=") {
            continue;
        }
        let shown = if arg.contains("://") {
            match arg.split_once('=') {
                Some((flag, _)) if flag.starts_with("--") => format!("{flag}=<url>"),
                _ => "<url>".to_string(),
            }
        } else {
            match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => format!("{flag}={}", named_only(value)),
                _ => named_only(&arg),
            }
        };
        out.push(quoted(&shown));
    }
    out.join(" ")
}

/// An argument that is a path, by its file name only: where files lie on the machine that ran the command is
/// not for the record. A path is an argument with a `/` (or `\\`) that starts as one (`/`, `./`, `../`, `~/`)
/// or names something that exists; other text (`and/or` in a summary) is kept as it is.
fn named_only(arg: &str) -> String {
    let separated = arg.contains('/') || arg.contains('\\');
    let path_like =
        ["/", "./", "../", "~/", "\\"].iter().any(|start| arg.starts_with(start)) || std::path::Path::new(arg).exists();
    if separated && path_like { file_name(std::path::Path::new(arg)) } else { arg.to_string() }
}

fn quoted(arg: &str) -> String {
    let plain = !arg.is_empty() && arg.chars().all(|c| !c.is_whitespace() && !matches!(c, '\'' | '"' | '\\' | '$'));
    if plain { arg.to_string() } else { format!("'{}'", arg.replace('\'', "'\\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(args: &[&str]) -> String {
        command_line(std::iter::once("inforce").chain(args.iter().copied()).map(std::ffi::OsString::from))
    }

    #[test]
    fn the_recorded_command_keeps_no_database_url_or_password() {
        assert_eq!(line(&["mod", "new", "MP600", "--title", "A new rule"]), "mod new MP600 --title 'A new rule'");
        assert_eq!(
            line(&["--db", "postgres://u:secret@h/db", "register", "import", "f.toml"]),
            "register import f.toml"
        );
        assert_eq!(line(&["--db=postgres://u:secret@h/db", "codes"]), "codes");
        assert_eq!(
            line(&["copy", "--from", "postgres://u:pw@h/a", "--to=postgres://u:pw@h/b"]),
            "copy --from <url> --to=<url>"
        );
        assert_eq!(line(&["doc", "add", "it's.pdf"]), "doc add 'it'\\''s.pdf'");
        assert!(!line(&["--db", "x.db", "codes"]).contains("x.db"));
    }

    #[test]
    fn the_recorded_command_keeps_file_names_only() {
        assert_eq!(
            line(&["import-docx", "/work/shared/docx/sec-like/D-v2.docx", "--code", "sec", "--version", "4.3"]),
            "import-docx D-v2.docx --code sec --version 4.3"
        );
        assert_eq!(line(&["import", "../shared/corpora/sec-like/", "--code", "s"]), "import sec-like --code s");
        assert_eq!(line(&["register", "import", "./exports/sec.toml"]), "register import sec.toml");
        assert_eq!(line(&["serve", "--signing-key=/etc/inforce/site.key"]), "serve --signing-key=site.key");
        assert_eq!(line(&["doc", "add", "~/papers/a b.pdf"]), "doc add 'a b.pdf'");
        let here = std::env::current_dir().expect("cwd");
        let source = here.join("src").join("args.rs");
        let relative = source.strip_prefix(&here).expect("relative").display().to_string();
        assert_eq!(line(&["register", "import", &relative]), "register import args.rs", "an existing relative path");
        assert_eq!(
            line(&["versions", "add", "4.3", "--summary", "and/or in a sentence"]),
            "versions add 4.3 --summary 'and/or in a sentence'",
            "text that is no path is kept"
        );
    }

    #[test]
    fn a_file_is_recorded_by_its_name_and_digest_and_a_folder_by_its_listing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join("sec-like");
        std::fs::create_dir_all(folder.join("4.1")).expect("mkdir");
        std::fs::write(folder.join("versions.tsv"), "a\n").expect("write");
        std::fs::write(folder.join("4.1").join("A.md"), "b\n").expect("write");
        let origin = folder_origin(&folder).expect("listing");
        // `(cd sec-like && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum`
        let listing = format!(
            "{}  4.1/A.md\n{}  versions.tsv\n",
            inforce_core::document::sha256(b"b\n"),
            inforce_core::document::sha256(b"a\n")
        );
        assert_eq!(origin, format!("sec-like sha256:{}", inforce_core::document::sha256(listing.as_bytes())));
        assert!(!origin.contains(&dir.path().display().to_string()));
        std::fs::write(folder.join("4.1").join("A.md"), "c\n").expect("write");
        assert_ne!(folder_origin(&folder).expect("listing"), origin, "a changed file changes the digest");
        assert_eq!(
            file_origin(&folder.join("versions.tsv"), b"a\n"),
            format!("versions.tsv sha256:{}", inforce_core::document::sha256(b"a\n"))
        );
    }

    #[test]
    fn an_author_is_a_user_name_never_a_user_id() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\nana:x:1000:1000::/home/ana:/bin/sh\n";
        assert_eq!(user_name(passwd, 1000).as_deref(), Some("ana"));
        assert_eq!(user_name(passwd, 0).as_deref(), Some("root"));
        assert_eq!(user_name(passwd, 4242), None);
    }

    #[test]
    fn an_author_is_always_named() {
        assert_eq!(author(Some("  Jane Roe ")), "Jane Roe");
        assert_eq!(author(Some("Ame\u{301}lie")), "Amélie");
        assert!(!author(None).is_empty());
        assert!(!author(Some("  ")).is_empty(), "blank counts as not given");
    }
}
