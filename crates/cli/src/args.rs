//! Arguments read into typed values, the same way for every command: the clocks, dates, points, codes and
//! provision ids. The rules are the core's (`inforce_core::point`); this adds the command line's messages.

use inforce_core::point::{Cut, Point, PointError, parse_date};
use inforce_core::{CodeId, EntryId, History, ProvisionId};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

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
    let next = day
        .tomorrow()
        .and_then(|d| d.to_zoned(TimeZone::UTC))
        .map_err(|e| Failure::Usage(format!("--as-recorded {text}: {e}")))?;
    Ok(next.timestamp() - SignedDuration::from_micros(1))
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

/// Who a publication is by: `--author` (or `INFORCE_AUTHOR`) when given, else the operating-system user
/// (`USER`, then `LOGNAME`), else the numeric user id, so that no publication goes without one.
pub fn author(given: Option<&str>) -> String {
    if let Some(name) = given.map(str::trim).filter(|n| !n.is_empty()) {
        return inforce_core::unicode::nfc(name).into_owned();
    }
    for variable in ["USER", "LOGNAME"] {
        if let Some(name) = std::env::var(variable).ok().filter(|n| !n.trim().is_empty()) {
            return name;
        }
    }
    user_id().map_or_else(|| "unknown".to_string(), |uid| format!("uid {uid}"))
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

/// The command as it is recorded with a publication: its name and arguments, without secrets. `--db` and its
/// value are left out (a database URL may hold a password) and so is any argument that is a URL (`postgres://…`,
/// as `copy --from` takes); arguments with spaces or quotes are quoted as a shell would read them.
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
            arg
        };
        out.push(quoted(&shown));
    }
    out.join(" ")
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
    fn an_author_is_always_named() {
        assert_eq!(author(Some("  Jane Roe ")), "Jane Roe");
        assert_eq!(author(Some("Ame\u{301}lie")), "Amélie");
        assert!(!author(None).is_empty());
        assert!(!author(Some("  ")).is_empty(), "blank counts as not given");
    }
}
