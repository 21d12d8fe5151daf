//! Dates as the sources give them: to the day, to the month, to the year, or unknown.

use std::fmt;

use jiff::civil::Date;

/// A date known to the day, to the month, to the year, or not at all. Never guessed finer than the source.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FuzzyDate {
    /// Known to the day.
    Day(Date),
    /// Known to the month (year, month 1–12).
    Month(i16, i8),
    /// Known to the year.
    Year(i16),
    /// Not known.
    #[default]
    Unknown,
}

/// Why a text is not a date this register accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a valid date: expected YYYY-MM-DD, YYYY-MM, YYYY or 'unknown'")]
pub struct DateError {
    /// The text as given.
    pub input: String,
}

impl FuzzyDate {
    /// Reads `2015-03-18`, `2022-06`, `2013` or `unknown`.
    pub fn parse(input: &str) -> Result<Self, DateError> {
        let text = input.trim();
        let error = || DateError { input: input.to_string() };
        if text.eq_ignore_ascii_case("unknown") {
            return Ok(Self::Unknown);
        }
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            // A day's shape is `parse_day`'s to check.
            [_, _, _] => parse_day(text).map(Self::Day).ok_or_else(error),
            [y, m] if digits(y, 4) && digits(m, 2) => {
                let year: i16 = y.parse().map_err(|_| error())?;
                let month: i8 = m.parse().map_err(|_| error())?;
                if (1..=12).contains(&month) { Ok(Self::Month(year, month)) } else { Err(error()) }
            }
            [y] if digits(y, 4) => y.parse().map(Self::Year).map_err(|_| error()),
            _ => Err(error()),
        }
    }

    /// The earliest day this date can be, if known at all.
    pub fn earliest(&self) -> Option<Date> {
        match *self {
            Self::Day(d) => Some(d),
            Self::Month(y, m) => Date::new(y, m, 1).ok(),
            Self::Year(y) => Date::new(y, 1, 1).ok(),
            Self::Unknown => None,
        }
    }

    /// The latest day this date can be, if known at all.
    pub fn latest(&self) -> Option<Date> {
        match *self {
            Self::Day(d) => Some(d),
            Self::Month(y, m) => Date::new(y, m, 1).ok().map(|d| d.last_of_month()),
            Self::Year(y) => Date::new(y, 12, 31).ok(),
            Self::Unknown => None,
        }
    }

    /// The day, when known exactly.
    pub fn exact(&self) -> Option<Date> {
        match *self {
            Self::Day(d) => Some(d),
            _ => None,
        }
    }

    /// True when nothing at all is known.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown)
    }

    /// The date as people read it: "18 March 2015", "June 2022", "2013", "unknown".
    pub fn human(&self) -> String {
        match *self {
            Self::Day(d) => human_date(d),
            Self::Month(y, m) => format!("{} {y}", MONTHS[(m - 1) as usize]),
            Self::Year(y) => y.to_string(),
            Self::Unknown => "unknown".to_string(),
        }
    }
}

/// Writes the ISO form (`2015-03-18`, `2022-06`, `2013`, `unknown`), the form `parse` reads.
impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Day(d) => write!(f, "{d}"),
            Self::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Self::Year(y) => write!(f, "{y:04}"),
            Self::Unknown => f.write_str("unknown"),
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A day as people read it: "18 March 2015".
pub fn human_date(date: Date) -> String {
    format!("{} {} {}", date.day(), MONTHS[(date.month() - 1) as usize], date.year())
}

/// Reads an ISO day `YYYY-MM-DD` strictly (no times, no week dates).
pub fn parse_day(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    text.parse::<Date>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_precision_and_writes_it_back() {
        for text in ["2015-03-18", "2022-06", "2013", "unknown"] {
            let date = FuzzyDate::parse(text).expect("valid date");
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn bounds_of_a_month_and_a_year() {
        let june = FuzzyDate::parse("2022-06").expect("valid");
        assert_eq!(june.earliest().map(|d| d.to_string()), Some("2022-06-01".into()));
        assert_eq!(june.latest().map(|d| d.to_string()), Some("2022-06-30".into()));
        let year = FuzzyDate::parse("2013").expect("valid");
        assert_eq!(year.latest().map(|d| d.to_string()), Some("2013-12-31".into()));
        assert_eq!(FuzzyDate::Unknown.earliest(), None);
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        for text in ["2015-02-30", "2015-13", "15-03-18", "2015/03/18", "", "2015-3-18", "yesterday"] {
            assert!(FuzzyDate::parse(text).is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn human_form() {
        let date = FuzzyDate::parse("2015-03-18").expect("valid");
        assert_eq!(date.human(), "18 March 2015");
        assert_eq!(FuzzyDate::parse("2022-06").expect("valid").human(), "June 2022");
    }

    #[test]
    fn only_four_digit_years_and_two_digit_months_and_days_are_dates() {
        for bad in ["2015-3", "15-03", "2015-003", "15", "20150", "+2015", "2015-13", "2015-00", "2015-3-18", "2015/03"]
        {
            assert!(FuzzyDate::parse(bad).is_err(), "{bad:?} is not a date");
        }
        assert!(FuzzyDate::parse("unknown").is_ok_and(|d| d.is_unknown()));
        assert!(FuzzyDate::parse("2015").is_ok_and(|d| !d.is_unknown()));
    }
}
