//! The rule behind one page per stretch (`History::unchanged_around`): on every day of a stretch, every answer
//! about the provision, the provisions above it and the provisions under it is the same as on the day that stands
//! for the stretch. Checked on the built-in SEC register (statuses, inactive sections, events dated to a month,
//! proposals) and on a code with texts that come and go, on every day around every day anything happens.

use std::collections::BTreeSet;

use inforce_core::import::{TextImport, merge_versions};
use inforce_core::point::Cut;
use inforce_core::text::Texts;
use inforce_core::{CodeId, History, ProvisionId, Stretch};
use jiff::civil::Date;

const SEC: &str = include_str!("../../../data/sec.toml");

/// Everything a page of one provision shows that can change with the day: status, why, and the text with the
/// entry that gave it.
fn answer(history: &History, id: &ProvisionId, day: Date) -> String {
    let status = history.status(id, day).map(|s| format!("{:?} {:?} {:?}", s.status, s.existence, s.activity));
    let cut = Cut { date: day, entry: None };
    let text = history.text_at(id, &cut).map(|t| format!("{} {:?}", t.entry.id, t.hash));
    format!("{status:?} | {text:?}")
}

/// The provision, every provision above it and every provision under it.
fn family(history: &History, id: &ProvisionId) -> Vec<ProvisionId> {
    let provisions = &history.register().provisions;
    let above = |p: &ProvisionId, a: &ProvisionId| {
        let mut up = history.provision(p).and_then(|q| q.parent.clone());
        while let Some(parent) = up {
            if &parent == a {
                return true;
            }
            up = history.provision(&parent).and_then(|q| q.parent.clone());
        }
        false
    };
    provisions.iter().map(|p| p.id.clone()).filter(|p| p == id || above(p, id) || above(id, p)).collect()
}

/// Every day something happens, and the days either side.
fn days(history: &History) -> Vec<Date> {
    let mut days = BTreeSet::new();
    let mut add = |d: Option<Date>| {
        if let Some(d) = d {
            days.extend([d.yesterday().ok(), Some(d), d.tomorrow().ok()].into_iter().flatten());
        }
    };
    for entry in &history.register().entries {
        add(entry.effective.earliest());
        add(entry.effective.latest());
    }
    for proposal in &history.register().proposals {
        for stage in &proposal.stages {
            add(stage.date.earliest());
            add(stage.date.latest());
        }
    }
    add(Some(Date::constant(1990, 1, 1)));
    add(Some(Date::constant(2040, 1, 1)));
    days.into_iter().collect()
}

fn check(history: &History) -> usize {
    let mut checked = 0;
    let days = days(history);
    for provision in &history.register().provisions {
        let id = &provision.id;
        let family = family(history, id);
        for &day in &days {
            let stands_for = history.representative_day(id, day);
            let stretch = history.unchanged_around(id, day).expect("known");
            assert!(stretch.contains(day), "{id} {day}: {stretch:?}");
            assert!(stretch.contains(stands_for), "{id} {day}");
            for member in &family {
                assert_eq!(
                    answer(history, member, day),
                    answer(history, member, stands_for),
                    "{member}, shown with {id}: {day} stands in the stretch of {stands_for}"
                );
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_day_of_a_stretch_answers_as_the_day_that_stands_for_it_on_the_sec_register() {
    let register = inforce_formats::register_file::parse_register("data/sec.toml", SEC).expect("the SEC register");
    let history = History::new(register);
    let checked = check(&history);
    assert!(checked > 5_000, "{checked}");
    // A stretch is more than a day: the SEC has fewer stretches per provision than days when something happened.
    let h15 = ProvisionId::parse("H15").expect("id");
    let distinct: BTreeSet<Date> = days(&history).into_iter().map(|d| history.representative_day(&h15, d)).collect();
    assert!(distinct.len() < days(&history).len() / 3, "{} of {}", distinct.len(), days(&history).len());
}

#[test]
fn every_day_of_a_stretch_answers_as_the_day_that_stands_for_it_with_texts() {
    let root = tempfile::tempdir().expect("folder");
    let write = |name: &str, text: &str| {
        let path = root.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "versions.tsv",
        "version_id\teffective_date\tlabel\nv1\t2016-01-01\ta\nv2\t2017-01-01\tb\nv3\t2018-01-01\tc\nv4\t2019-06-01\td\n",
    );
    write("v1/1.md", "# Article 1\n\nOne.\n");
    write("v1/2.md", "# Article 2\n\nTwo.\n");
    write("v2/1.md", "# Article 1\n\nOne.\n");
    write("v2/2.md", "# Article 2\n\nTwo, amended.\n");
    write("v3/1.md", "# Article 1\n\nOne.\n");
    write("v4/1.md", "# Article 1\n\nOne, at last amended.\n");
    write("v4/2.md", "# Article 2\n\nTwo, back.\n");
    let folder = inforce_formats::folder::read_folder(root.path(), &mut |_, _| {}).expect("folder");
    let import = TextImport {
        versions: &folder.versions,
        order: &folder.order,
        headings: &folder.headings,
        placements: inforce_core::import::no_placements(),
    };
    let merged = merge_versions(&CodeId::parse("t").expect("id"), None, &Texts::default(), import).expect("merges");
    let history =
        History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies: folder.bodies });
    check(&history);
    // Article 1 read the same from v1 to the day before v4 (v2 and v3 changed only Article 2): one stretch.
    let one = ProvisionId::parse("1").expect("id");
    let day = |text: &str| text.parse::<Date>().expect("date");
    assert_eq!(history.representative_day(&one, day("2017-06-01")), day("2016-01-01"));
    assert_eq!(
        history.unchanged_around(&one, day("2018-03-01")),
        Some(Stretch { first: Some(day("2016-01-01")), last: Some(day("2019-05-31")) })
    );
    // Before anything happened: the stretch's last day stands for it.
    assert_eq!(history.representative_day(&one, day("2010-01-01")), day("2015-12-31"));
}
