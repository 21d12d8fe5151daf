//! Structured log lines on standard error: one event per line, as logfmt (`key=value`, the default) or JSON, so
//! that a log shipper can index them without parsing prose.

use std::fmt::Write as _;
use std::sync::OnceLock;

use jiff::Timestamp;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// `time=… level=info component=serve msg="…" key=value`
    #[default]
    Logfmt,
    /// One JSON object per line with the same fields.
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "logfmt" => Ok(Self::Logfmt),
            "json" => Ok(Self::Json),
            other => Err(format!("unknown log format '{other}': use logfmt or json")),
        }
    }
}

/// The severity of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warn => "warn",
        }
    }
}

static FORMAT: OnceLock<LogFormat> = OnceLock::new();

/// Chooses the format for the whole process (the first call wins).
pub fn set_format(format: LogFormat) {
    let _ = FORMAT.set(format);
}

/// Writes one event.
pub fn event(level: Level, component: &str, msg: &str, fields: &[(&str, &str)]) {
    let format = FORMAT.get().copied().unwrap_or_default();
    eprintln!("{}", line(format, Timestamp::now(), level, component, msg, fields));
}

/// The text of one event, without its newline.
pub fn line(
    format: LogFormat,
    time: Timestamp,
    level: Level,
    component: &str,
    msg: &str,
    fields: &[(&str, &str)],
) -> String {
    let time = time.to_string();
    let all = [("time", time.as_str()), ("level", level.as_str()), ("component", component), ("msg", msg)];
    let pairs = all.iter().chain(fields.iter());
    let mut out = String::new();
    match format {
        LogFormat::Logfmt => {
            for (key, value) in pairs {
                if !out.is_empty() {
                    out.push(' ');
                }
                let bare = !value.is_empty() && value.chars().all(|c| c.is_ascii_graphic() && c != '"' && c != '=');
                if bare {
                    let _ = write!(out, "{key}={value}");
                } else {
                    let _ = write!(out, "{key}={value:?}");
                }
            }
        }
        LogFormat::Json => {
            let object: serde_json::Map<String, serde_json::Value> =
                pairs.map(|(key, value)| ((*key).to_string(), serde_json::Value::from(*value))).collect();
            out = serde_json::Value::Object(object).to_string();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2026-11-28T09:00:00Z".parse().expect("timestamp")
    }

    #[test]
    fn logfmt_quotes_only_what_needs_it() {
        let text = line(LogFormat::Logfmt, at(), Level::Info, "serve", "new publication loaded", &[("code", "sec")]);
        assert_eq!(
            text,
            "time=2026-11-28T09:00:00Z level=info component=serve msg=\"new publication loaded\" code=sec"
        );
        let odd = line(LogFormat::Logfmt, at(), Level::Warn, "serve", "a=\"b\"\n", &[("empty", "")]);
        assert!(odd.ends_with("msg=\"a=\\\"b\\\"\\n\" empty=\"\""), "{odd}");
    }

    #[test]
    fn json_is_one_object_per_line() {
        let text = line(LogFormat::Json, at(), Level::Warn, "http", "line\nbreak", &[("status", "500")]);
        assert!(!text.contains('\n'));
        let value: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(value["level"], "warn");
        assert_eq!(value["msg"], "line\nbreak");
        assert_eq!(value["status"], "500");
    }

    #[test]
    fn formats_are_named() {
        assert_eq!("json".parse::<LogFormat>(), Ok(LogFormat::Json));
        assert!("xml".parse::<LogFormat>().is_err_and(|e| e.contains("logfmt or json")));
    }
}
