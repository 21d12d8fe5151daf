//! Where the register's record of versions is complete: the day its list of versions is complete up to, and the
//! gaps inside it. Every answer about a date says what it rests on: on a day past the record's end, or inside a
//! gap, a version not recorded here may have been in force, so the version and statuses the register gives are
//! only those of the versions it knows.

use jiff::civil::Date;

use crate::history::History;
use crate::model::{EntryKind, Gap};

/// How far the register's record of versions reaches on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage<'a> {
    /// The last day the list of versions is complete up to, apart from its gaps (see [`History::complete_until`]);
    /// `None` when the register neither declares it nor knows when it was last published.
    pub complete_until: Option<CompleteUntil>,
    /// The recorded gap the day falls in.
    pub gap: Option<&'a Gap>,
    /// True when a version not recorded here may have taken effect by the day: the day is inside a gap or after
    /// `complete_until`.
    pub unrecorded_versions_possible: bool,
}

/// The day a register's list of versions is complete up to, and where that day comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompleteUntil {
    /// The day (in the code's time zone).
    pub date: Date,
    /// True when the register declares it (`versions_complete_until`); false when it is the day of the latest
    /// publication, when the register was brought up to date.
    pub declared: bool,
}

impl History {
    /// The last day the register's list of versions is complete up to, apart from its gaps: the code's
    /// `versions_complete_until`, or else the day (in the code's time zone) of its latest publication, when it
    /// was brought up to date; `None` when neither is known (a history built without its publication time).
    pub fn complete_until(&self) -> Option<CompleteUntil> {
        let code = &self.register.code;
        match code.versions_complete_until {
            Some(date) => Some(CompleteUntil { date, declared: true }),
            None => self.last_publication.map(|at| CompleteUntil { date: code.today(at), declared: false }),
        }
    }

    /// How far the record of versions reaches on `date`.
    pub fn coverage(&self, date: Date) -> Coverage<'_> {
        let complete_until = self.complete_until();
        let gap = self
            .register
            .gaps
            .iter()
            .find(|gap| self.gap_days(gap).is_some_and(|(from, to)| from <= date && date <= to));
        let past_end = complete_until.is_some_and(|c| date > c.date);
        Coverage { complete_until, gap, unrecorded_versions_possible: past_end || gap.is_some() }
    }

    /// How far the record reaches at a point: on its date, or, at a version or event, nothing missing (the answer
    /// is that entry's, whatever followed it).
    pub fn coverage_at(&self, cut: &crate::point::Cut<'_>) -> Coverage<'_> {
        let mut coverage = self.coverage(cut.date);
        if cut.entry.is_some() {
            coverage.gap = None;
            coverage.unrecorded_versions_possible = false;
        }
        coverage
    }

    /// The gaps with a day in `[from, to]`, in register order, and whether the stretch runs past the record's end:
    /// what a comparison or timeline spanning them must say.
    pub fn gaps_between(&self, from: Date, to: Date) -> (Vec<&Gap>, bool) {
        let gaps = self
            .register
            .gaps
            .iter()
            .filter(|gap| self.gap_days(gap).is_some_and(|(first, last)| first <= to && from <= last))
            .collect();
        (gaps, self.complete_until().is_some_and(|c| to > c.date))
    }

    /// The days a gap covers: from the day after its first version took effect (its latest possible day) to the
    /// day before its second did (its earliest possible day); `None` when either is unknown or none is left.
    pub fn gap_days(&self, gap: &Gap) -> Option<(Date, Date)> {
        let version =
            |id| self.entry_index.get(id).map(|&i| &self.register.entries[i]).filter(|e| e.kind == EntryKind::Version);
        let first = version(&gap.after)?.effective.latest()?.tomorrow().ok()?;
        let last = version(&gap.before)?.effective.earliest()?.yesterday().ok()?;
        (first <= last).then_some((first, last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::EntryId;
    use crate::testing::{date, entry, provision, register};

    fn gap(after: &str, before: &str) -> Gap {
        Gap {
            after: EntryId::parse(after).expect("id"),
            before: EntryId::parse(before).expect("id"),
            note: "searches found nothing".into(),
        }
    }

    fn history(complete_until: Option<&str>) -> History {
        let mut reg = register(
            vec![provision("A", None)],
            vec![entry("4.2", "2015-03-18", &[]), entry("5.4", "2017-02-09", &[]), entry("62.0", "2022-07-18", &[])],
        );
        reg.code.versions_complete_until = complete_until.map(date);
        reg.gaps = vec![gap("4.2", "5.4")];
        History::new(reg)
    }

    #[test]
    fn a_day_inside_a_gap_or_past_the_end_may_have_unrecorded_versions() {
        let history = history(Some("2022-07-18"));
        let on = |day: &str| history.coverage(date(day));
        for (day, in_gap, possible) in [
            ("2015-03-18", false, false),
            ("2015-03-19", true, true),
            ("2016-06-01", true, true),
            ("2017-02-08", true, true),
            ("2017-02-09", false, false),
            ("2022-07-18", false, false),
            ("2022-07-19", false, true),
        ] {
            assert_eq!(on(day).gap.is_some(), in_gap, "{day}");
            assert_eq!(on(day).unrecorded_versions_possible, possible, "{day}");
        }
        assert_eq!(on("2016-06-01").complete_until, Some(CompleteUntil { date: date("2022-07-18"), declared: true }));
    }

    #[test]
    fn without_a_declared_end_the_list_is_complete_up_to_the_latest_publication() {
        let history = history(None);
        assert_eq!(history.complete_until(), None, "nothing known: nothing asserted");
        assert!(!history.coverage(date("2030-01-01")).unrecorded_versions_possible);
        // 23:30 UTC on 6 December is already 7 December in a code kept in Auckland time.
        let mut reg = history.register().clone();
        reg.code.time_zone = Some("Pacific/Auckland".into());
        let history = History::new(reg).with_last_publication("2026-12-06T23:30:00Z".parse().expect("time"));
        assert_eq!(history.complete_until(), Some(CompleteUntil { date: date("2026-12-07"), declared: false }));
        assert!(!history.coverage(date("2026-12-07")).unrecorded_versions_possible);
        assert!(history.coverage(date("2026-12-08")).unrecorded_versions_possible);
    }

    #[test]
    fn at_a_version_nothing_is_missing_whatever_followed_it() {
        let history = history(Some("2022-07-18"));
        let v42 = history.entry(&EntryId::parse("4.2").expect("id")).expect("4.2");
        // A point past the version's day but named by it, as a cut at a version dated imprecisely would be.
        let at_version = crate::point::Cut { date: date("2016-06-01"), entry: Some((v42, 0)) };
        let at_date = crate::point::Cut { date: date("2016-06-01"), entry: None };
        let (named, dated) = (history.coverage_at(&at_version), history.coverage_at(&at_date));
        assert!(!named.unrecorded_versions_possible && named.gap.is_none());
        assert!(dated.unrecorded_versions_possible && dated.gap.is_some());
        assert_eq!(named.complete_until, dated.complete_until);
    }

    #[test]
    fn a_stretch_names_the_gaps_it_crosses_and_whether_it_runs_past_the_end() {
        let history = history(Some("2022-07-18"));
        let names = |from: &str, to: &str| {
            let (gaps, past_end) = history.gaps_between(date(from), date(to));
            (gaps.iter().map(|g| g.key()).collect::<Vec<_>>(), past_end)
        };
        assert_eq!(names("2014-01-01", "2015-03-18"), (vec![], false));
        assert_eq!(names("2014-01-01", "2015-03-19"), (vec!["4.2..5.4".to_string()], false));
        assert_eq!(names("2017-02-08", "2022-07-18"), (vec!["4.2..5.4".to_string()], false));
        assert_eq!(names("2017-02-09", "2022-07-19"), (vec![], true));
    }

    #[test]
    fn a_gap_between_versions_a_day_apart_covers_no_day() {
        let mut reg = register(vec![], vec![entry("1", "2020-01-01", &[]), entry("2", "2020-01-02", &[])]);
        reg.gaps = vec![gap("1", "2")];
        let history = History::new(reg);
        assert_eq!(history.gap_days(&history.register().gaps[0]), None);
        reg = history.register().clone();
        reg.entries[1].effective = crate::FuzzyDate::parse("2020-01-03").expect("date");
        let history = History::new(reg);
        assert_eq!(history.gap_days(&history.register().gaps[0]), Some((date("2020-01-02"), date("2020-01-02"))));
    }
}
