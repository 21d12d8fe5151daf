//! Points on the timeline: a date or a version, as people write them, and resolved against a history.

use jiff::civil::Date;

use crate::date::parse_day;
use crate::history::History;
use crate::id::EntryId;
use crate::model::Entry;

/// A point on the timeline: a date, or the state just after a version or event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Point {
    /// What was in effect on this date.
    Date(Date),
    /// The state once this version or event had taken effect.
    Entry(EntryId),
}

/// Why a point cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointError {
    /// No version or event has this id.
    #[error("no version or event '{0}' in the register")]
    UnknownEntry(String),
    /// The entry's date is unknown, so it has no place on the timeline.
    #[error("'{0}' has no known date, so it cannot be placed on the timeline")]
    Undated(String),
}

/// A point resolved against a history.
#[derive(Debug, Clone, Copy)]
pub struct Cut<'a> {
    /// The date used for statuses: the point's date, or the entry's latest possible effective date.
    pub date: Date,
    /// The entry, when the point is one.
    pub entry: Option<(&'a Entry, usize)>,
}

/// Why a written point is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointParseError {
    /// It is shaped like a date (`2015-13-01`) but is not one.
    #[error("'{0}' is not a valid date: write it as YYYY-MM-DD, for example 2015-01-20")]
    InvalidDate(String),
    /// It is neither a date nor a version or event id.
    #[error("'{text}' is not a date (YYYY-MM-DD or 'today') or a version: {reason}")]
    Neither {
        /// What was written.
        text: String,
        /// Why it is not a version id.
        reason: String,
    },
}

/// Why a written date is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date: write it as YYYY-MM-DD (ISO 8601), for example 2015-01-20, or 'today'")]
pub struct DateParseError(pub String);

/// Reads a day as every face accepts it: `YYYY-MM-DD` (ISO 8601, strictly) or `today` in any case, with no
/// surrounding space.
pub fn parse_date(text: &str, today: Date) -> Result<Date, DateParseError> {
    if text.eq_ignore_ascii_case("today") {
        return Ok(today);
    }
    parse_day(text).ok_or_else(|| DateParseError(text.to_string()))
}

impl Point {
    /// Reads a point as every face accepts it: `today`, a date `YYYY-MM-DD`, or a version or event id. Text
    /// shaped exactly like a date (`NNNN-NN-NN`) is read only as a date, so `2015-13-01` is refused rather than
    /// taken for a version id; longer ids that begin with a date (`2021-11-04-november-2021-release`) are ids.
    pub fn parse(text: &str, today: Date) -> Result<Self, PointParseError> {
        if let Ok(date) = parse_date(text, today) {
            return Ok(Self::Date(date));
        }
        let bytes = text.as_bytes();
        let date_shaped = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
        if date_shaped {
            return Err(PointParseError::InvalidDate(text.to_string()));
        }
        EntryId::parse(text)
            .map(Self::Entry)
            .map_err(|e| PointParseError::Neither { text: text.to_string(), reason: e.to_string() })
    }
}

impl History {
    /// Resolves a point: a date as it is, an entry to its effective date.
    pub fn cut(&self, point: &Point) -> Result<Cut<'_>, PointError> {
        match point {
            Point::Date(date) => Ok(Cut { date: *date, entry: None }),
            Point::Entry(id) => {
                let index = *self.entry_index.get(id).ok_or_else(|| PointError::UnknownEntry(id.to_string()))?;
                let entry = &self.register.entries[index];
                let rank = self.rank[index].ok_or_else(|| PointError::Undated(id.to_string()))?;
                let date = entry.effective.latest().ok_or_else(|| PointError::Undated(id.to_string()))?;
                Ok(Cut { date, entry: Some((entry, rank)) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().expect("date")
    }

    #[test]
    fn a_point_is_today_a_date_or_a_version() {
        let today = day("2026-11-28");
        assert_eq!(Point::parse("today", today), Ok(Point::Date(today)));
        assert_eq!(Point::parse("TODAY", today), Ok(Point::Date(today)));
        assert_eq!(Point::parse("2015-01-20", today), Ok(Point::Date(day("2015-01-20"))));
        assert_eq!(Point::parse("4.1", today), Ok(Point::Entry(EntryId::parse("4.1").expect("id"))));
        assert_eq!(Point::parse("v2", today), Ok(Point::Entry(EntryId::parse("v2").expect("id"))));
    }

    #[test]
    fn text_shaped_like_a_date_is_only_a_date() {
        let today = day("2026-11-28");
        for bad in ["2015-13-01", "2015-02-30", "0000-00-00"] {
            assert!(matches!(Point::parse(bad, today), Err(PointParseError::InvalidDate(_))), "{bad}");
        }
        let release = "2021-11-04-november-2021-release";
        assert_eq!(Point::parse(release, today), Ok(Point::Entry(EntryId::parse(release).expect("id"))));
        assert_eq!(Point::parse("2015-1-1", today), Ok(Point::Entry(EntryId::parse("2015-1-1").expect("id"))));
        assert!(matches!(Point::parse("", today), Err(PointParseError::Neither { .. })));
        assert!(matches!(Point::parse("v\u{7}", today), Err(PointParseError::Neither { .. })));
    }

    #[test]
    fn dates_are_strict() {
        let today = day("2026-11-28");
        assert_eq!(parse_date("Today", today), Ok(today));
        assert_eq!(parse_date("2015-03-18", today), Ok(day("2015-03-18")));
        for bad in [" 2015-03-18", "2015-03-18 ", "20150318", "2015-03-18T00:00", "yesterday", ""] {
            assert_eq!(parse_date(bad, today), Err(DateParseError(bad.to_string())), "{bad:?}");
        }
    }
}
