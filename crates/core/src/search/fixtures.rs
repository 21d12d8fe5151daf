//! The small histories the search tests share.

use std::collections::HashMap;

use super::ProvisionHit;
use crate::CodeId;
use crate::history::History;
use crate::id::{EntryId, ProvisionId};
use crate::import::{TextImport, VersionTexts, merge_versions};
use crate::text::{TextHash, Texts, normalise};

pub(super) fn history() -> History {
    let v1 = [
        ("1", "# Article 1\n\nLe paiement fait de bonne foi est valable.\n"),
        ("2", "# Article 2 Paiement\n\nDeux créanciers.\n"),
    ];
    let v2 = [
        ("1", "# Article 1\n\nLe paiement fait de mauvaise foi est valable.\n"),
        ("2", "# Article 2 Paiement\n\nDeux créanciers.\n"),
        ("3", "# Article 3\n\nL'été, paiements différés.\n"),
    ];
    let mut bodies = HashMap::new();
    let mut version = |id: &str, day: jiff::civil::Date, texts: &[(&str, &str)]| VersionTexts {
        id: EntryId::parse(id).expect("id"),
        effective: day,
        label: id.to_string(),
        texts: texts
            .iter()
            .map(|(p, t)| {
                let text = normalise(t);
                let hash = TextHash::of(&text);
                bodies.insert(hash, std::sync::Arc::from(text.as_str()));
                (ProvisionId::parse(p).expect("id"), hash)
            })
            .collect(),
    };
    let versions =
        vec![version("v1", jiff::civil::date(2016, 1, 1), &v1), version("v2", jiff::civil::date(2017, 1, 1), &v2)];
    let order: Vec<ProvisionId> = ["1", "2", "3"].iter().map(|i| ProvisionId::parse(i).expect("id")).collect();
    let headings = HashMap::new();
    let code = CodeId::parse("small").expect("id");
    let import = TextImport {
        versions: &versions,
        order: &order,
        headings: &headings,
        placements: crate::import::no_placements(),
    };
    let merged = merge_versions(&code, None, &Texts::default(), import).expect("merge");
    History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies })
}

pub(super) fn ids(hits: &[ProvisionHit<'_>]) -> Vec<String> {
    hits.iter().map(|h| h.provision.id.to_string()).collect()
}

/// Article 1 has texts (v1, then v2); provision 9 has only a title, and enters the text with v2.
pub(super) fn mixed(title: &str, text_for_9: Option<&str>) -> History {
    let mut bodies = HashMap::new();
    let mut assignments = Vec::new();
    let mut give = |entry: &str, provision: &str, text: &str| {
        let text = normalise(text);
        let hash = TextHash::of(&text);
        bodies.insert(hash, std::sync::Arc::from(text.as_str()));
        assignments.push(crate::text::TextAssignment {
            entry: EntryId::parse(entry).expect("id"),
            provision: ProvisionId::parse(provision).expect("id"),
            text: Some(hash),
        });
    };
    give("v1", "1", "# Article 1\n\nLe paiement fait de bonne foi est valable.\n");
    give("v2", "1", "# Article 1\n\nLe paiement est valable.\n");
    if let Some(text) = text_for_9 {
        give("v2", "9", text);
    }
    let mut nine = crate::testing::provision("9", None);
    nine.title = Some(title.to_string());
    let register = crate::testing::register(
        vec![crate::testing::provision("1", None), nine],
        vec![
            crate::testing::entry("v1", "2016-01-01", &[("added", "1")]),
            crate::testing::entry("v2", "2017-01-01", &[("added", "9")]),
        ],
    );
    History::with_texts(register, Texts { assignments, bodies })
}
