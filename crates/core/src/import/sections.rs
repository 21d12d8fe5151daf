//! Whole Sections as one new version (a Word import): where each sub-section and clause goes, what becomes of
//! the provisions the register holds under a Section that its document lacks, the version's complete state, and
//! what the import should tell its user (titles kept, paragraphs left out, likely renumberings). The document is
//! read elsewhere (`inforce_formats::docx`); the plan is published as any text import is
//! (`inforce_store::import_texts`), so every face that takes Sections (the CLI, a web upload) plans them here.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use jiff::civil::Date;

use super::{ImportProblem, Placement, TextImport, VersionTexts, apply_changes};
use crate::history::{History, Status};
use crate::id::{EntryId, ProvisionId};
use crate::model::ProvisionKind;
use crate::point::Cut;
use crate::renumber::{Renumbering, likely_renumberings};
use crate::text::{TextHash, normalise};
use crate::tree::ProvisionTree;

/// One Section as a document gives it, its numbers read as provision ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionText {
    /// Where it was read from (a file name), to name in notes and refusals.
    pub source: String,
    /// The Section's id (`D`).
    pub id: ProvisionId,
    /// Its title.
    pub title: String,
    /// Its sub-sections, in reading order: id and title.
    pub subsections: Vec<(ProvisionId, String)>,
    /// Its clauses, in reading order.
    pub clauses: Vec<ClauseText>,
    /// Paragraphs that belong to no clause (they are not imported; the plan notes them).
    pub outside: Vec<String>,
}

/// One clause of a Section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseText {
    /// Its id (`D2.6`).
    pub id: ProvisionId,
    /// The sub-section (or Section) it stands under.
    pub parent: ProvisionId,
    /// Its heading, when it has one.
    pub heading: Option<String>,
    /// Its text as Markdown (composed and normalised by the plan).
    pub text: String,
}

/// What becomes of provisions the register holds under a Section (in the text at the version's date, or with a
/// text before it) that the Section's document lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingProvisions {
    /// Nothing is planned: the document may have lost them by mistake.
    Refuse,
    /// They stay as they are (the document is partial).
    Keep,
    /// The version takes them out.
    Removed,
}

/// The version the Sections make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionVersion {
    /// Its id.
    pub id: EntryId,
    /// The day it takes effect.
    pub effective: Date,
    /// Its summary; `None` for one naming the Sections and where they were read from.
    pub summary: Option<String>,
}

/// Why Sections cannot be planned; nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SectionPlanError {
    /// Two documents hold the same Section.
    #[error("{document} and {first} both hold Section {section}: give each Section once")]
    Repeated {
        /// The Section.
        section: ProvisionId,
        /// The document that held it first.
        first: String,
        /// The one that held it again.
        document: String,
    },
    /// The register holds provisions under a Section that its document lacks, and the rule is
    /// [`MissingProvisions::Refuse`].
    #[error(
        "{document}: the register holds {} provision(s) under Section {section} that the document lacks: {}",
        missing.len(),
        missing.iter().map(ProvisionId::as_str).collect::<Vec<_>>().join(", ")
    )]
    Missing {
        /// The document.
        document: String,
        /// Its Section.
        section: ProvisionId,
        /// What it lacks, in reading order.
        missing: Vec<ProvisionId>,
    },
    /// The version cannot be made from the register's texts; every problem is listed.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Refused(Vec<ImportProblem>),
}

/// Something the user should know about a planned import; nothing is refused for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionNote {
    /// Paragraphs of a document that belong to no clause, left out.
    Outside {
        /// The document.
        source: String,
        /// How many.
        count: usize,
        /// The first of them.
        first: String,
    },
    /// Provisions under a Section that its document lacks were kept ([`MissingProvisions::Keep`]).
    MissingKept {
        /// The document.
        source: String,
        /// How many.
        count: usize,
        /// Its Section.
        section: ProvisionId,
    },
    /// A (sub-)Section's title in the register differs from the document's: the register's is kept.
    TitleKept {
        /// The provision.
        id: ProvisionId,
        /// The register's title.
        kept: String,
        /// The document's.
        document: String,
    },
}

impl std::fmt::Display for SectionNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Outside { source, count, first } => {
                write!(f, "{source}: {count} paragraph(s) belong to no clause and were not imported (first: '{first}')")
            }
            Self::MissingKept { source, count, section } => write!(
                f,
                "{source}: {count} provision(s) under Section {section} that the document lacks were kept as they are"
            ),
            Self::TitleKept { id, kept, document } => {
                write!(f, "{id}: the register's title '{kept}' is kept; the document says '{document}'")
            }
        }
    }
}

/// Sections planned as one version: what a text import needs, and what to tell the user.
#[derive(Debug, Clone)]
pub struct SectionPlan {
    /// The version's complete state (every provision in effect then, with the Sections' texts).
    pub versions: Vec<VersionTexts>,
    /// Every provision, in reading order: the register's, then the new ones in document order.
    pub order: Vec<ProvisionId>,
    /// The Sections', sub-sections' and clauses' headings.
    pub headings: HashMap<ProvisionId, String>,
    /// Where each Section, sub-section and clause goes when the register lacks it.
    pub placements: HashMap<ProvisionId, Placement>,
    /// The clauses' texts, by hash.
    pub new_bodies: HashMap<TextHash, Arc<str>>,
    /// Provisions without a text that the version takes out (its removed list; those with text are taken out
    /// by the version's texts).
    pub removed: Vec<ProvisionId>,
    /// Notes, in the order found.
    pub notes: Vec<SectionNote>,
    /// Clauses whose wording now most likely stands under another number, Section by Section.
    pub renumbered: Vec<Renumbering>,
    /// How many clauses the Sections hold.
    pub clauses: usize,
}

impl SectionPlan {
    /// The plan as a text import.
    pub fn import(&self) -> TextImport<'_> {
        TextImport {
            versions: &self.versions,
            order: &self.order,
            headings: &self.headings,
            placements: &self.placements,
        }
    }
}

/// Plans `sections` as the new version `version` of the code whose history is `history` (`None` for a code
/// the store does not have yet): each Section's text becomes the version's text of that Section (sub-sections
/// and clauses placed under it where the register lacks them); other Sections carry over. Provisions the
/// register holds under a Section that its document lacks follow `missing`. Errors: a Section given twice, a
/// refused `missing` rule, or a version whose state cannot be made ([`ImportProblem`]).
pub fn plan_sections(
    history: Option<&History>,
    sections: &[SectionText],
    version: SectionVersion,
    missing: MissingProvisions,
) -> Result<SectionPlan, SectionPlanError> {
    for (n, section) in sections.iter().enumerate() {
        if let Some(first) = sections[..n].iter().find(|s| s.id == section.id) {
            return Err(SectionPlanError::Repeated {
                section: section.id.clone(),
                first: first.source.clone(),
                document: section.source.clone(),
            });
        }
    }
    let mut plan = SectionPlan {
        versions: Vec::new(),
        order: Vec::new(),
        headings: HashMap::new(),
        placements: HashMap::new(),
        new_bodies: HashMap::new(),
        removed: Vec::new(),
        notes: Vec::new(),
        renumbered: Vec::new(),
        clauses: sections.iter().map(|s| s.clauses.len()).sum(),
    };
    let mut changed: Vec<(ProvisionId, TextHash)> = Vec::new();
    // The clauses' texts as stored: composed and normalised, with their hashes.
    let texts: Vec<Vec<(TextHash, Arc<str>)>> = sections
        .iter()
        .map(|s| {
            s.clauses
                .iter()
                .map(|c| {
                    let text = normalise(&c.text);
                    (TextHash::of(&text), Arc::from(text))
                })
                .collect()
        })
        .collect();
    for (section, texts) in sections.iter().zip(&texts) {
        plan.order.push(section.id.clone());
        plan.headings.insert(section.id.clone(), section.title.clone());
        plan.placements.insert(section.id.clone(), Placement { parent: None, kind: ProvisionKind::Section });
        for (id, title) in &section.subsections {
            plan.order.push(id.clone());
            plan.headings.insert(id.clone(), title.clone());
            plan.placements
                .insert(id.clone(), Placement { parent: Some(section.id.clone()), kind: ProvisionKind::Subsection });
        }
        for (clause, (hash, text)) in section.clauses.iter().zip(texts) {
            plan.order.push(clause.id.clone());
            if let Some(heading) = &clause.heading {
                plan.headings.insert(clause.id.clone(), heading.clone());
            }
            plan.placements.insert(
                clause.id.clone(),
                Placement { parent: Some(clause.parent.clone()), kind: ProvisionKind::Paragraph },
            );
            plan.new_bodies.insert(*hash, text.clone());
            changed.push((clause.id.clone(), *hash));
        }
        if let Some(first) = section.outside.first() {
            plan.notes.push(SectionNote::Outside {
                source: section.source.clone(),
                count: section.outside.len(),
                first: first.clone(),
            });
        }
    }
    let summary = version.summary.unwrap_or_else(|| {
        let files: Vec<&str> = sections.iter().map(|s| s.source.as_str()).collect();
        let ids: Vec<&str> = sections.iter().map(|s| s.id.as_str()).collect();
        format!("The text of Section {} imported from {}.", ids.join(", "), files.join(", "))
    });
    let Some(history) = history else {
        plan.versions.push(VersionTexts {
            id: version.id,
            effective: version.effective,
            label: summary,
            texts: changed,
        });
        return Ok(plan);
    };
    let register = history.register();
    let tree = history.tree();
    let effective = version.effective;
    let cut = Cut { date: effective, entry: None };
    let before: HashMap<ProvisionId, &str> = history
        .texts_at_without(&cut, &version.id)
        .into_iter()
        .filter_map(|(p, at)| at.text.map(|text| (p.id.clone(), text)))
        .collect();
    let mut removed_texts = Vec::new();
    for (section, texts) in sections.iter().zip(&texts) {
        let ids: HashSet<&ProvisionId> =
            section.subsections.iter().map(|(id, _)| id).chain(section.clauses.iter().map(|c| &c.id)).collect();
        let under_section = tree.parts(&section.id);
        let lacking: Vec<ProvisionId> = under_section
            .iter()
            .filter(|p| !ids.contains(&p.id))
            .filter(|p| {
                let status = history.status(&p.id, effective).map(|s| s.status);
                !matches!(status, Some(Status::Removed | Status::NotYetAdded)) || before.contains_key(&p.id)
            })
            .map(|p| p.id.clone())
            .collect();
        if !lacking.is_empty() {
            match missing {
                MissingProvisions::Refuse => {
                    return Err(SectionPlanError::Missing {
                        document: section.source.clone(),
                        section: section.id.clone(),
                        missing: lacking,
                    });
                }
                MissingProvisions::Keep => plan.notes.push(SectionNote::MissingKept {
                    source: section.source.clone(),
                    count: lacking.len(),
                    section: section.id.clone(),
                }),
                MissingProvisions::Removed => {
                    for id in lacking {
                        if before.contains_key(&id) {
                            removed_texts.push(id);
                        } else {
                            plan.removed.push(id);
                        }
                    }
                }
            }
        }
        plan.notes.extend(titles_kept(&tree, section));
        let old: Vec<(ProvisionId, &str)> =
            under_section.iter().filter_map(|p| Some((p.id.clone(), *before.get(&p.id)?))).collect();
        let new: Vec<(ProvisionId, &str)> =
            section.clauses.iter().zip(texts).map(|(c, (_, text))| (c.id.clone(), &**text)).collect();
        plan.renumbered.extend(likely_renumberings(&old, &new));
    }
    let state = apply_changes(history, version.id, effective, summary, &changed, &removed_texts)
        .map_err(SectionPlanError::Refused)?;
    plan.versions.push(state);
    let mut order: Vec<ProvisionId> = register.provisions.iter().map(|p| p.id.clone()).collect();
    let known: HashSet<ProvisionId> = order.iter().cloned().collect();
    order.extend(plan.order.drain(..).filter(|id| !known.contains(id)));
    plan.order = order;
    Ok(plan)
}

/// A note for the Section and each sub-section whose title in the register differs from the document's (case
/// and runs of white space aside): the register's title is kept.
fn titles_kept(tree: &ProvisionTree<'_>, section: &SectionText) -> Vec<SectionNote> {
    let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    std::iter::once((&section.id, &section.title))
        .chain(section.subsections.iter().map(|(id, title)| (id, title)))
        .filter_map(|(id, title)| {
            let kept = tree.get(id)?.title.as_deref()?;
            (words(kept) != words(title)).then(|| SectionNote::TitleKept {
                id: id.clone(),
                kept: kept.to_string(),
                document: title.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::CodeId;
    use crate::import::merge_versions;
    use crate::testing::date;
    use crate::text::Texts;

    fn id(text: &str) -> ProvisionId {
        ProvisionId::parse(text).expect("id")
    }

    /// Section D from `source`: sub-sections (id, title) and clauses (id, parent, wording).
    fn section(source: &str, title: &str, subsections: &[(&str, &str)], clauses: &[(&str, &str, &str)]) -> SectionText {
        SectionText {
            source: source.to_string(),
            id: id("D"),
            title: title.to_string(),
            subsections: subsections.iter().map(|(s, t)| (id(s), t.to_string())).collect(),
            clauses: clauses
                .iter()
                .map(|(c, parent, words)| ClauseText {
                    id: id(c),
                    parent: id(parent),
                    heading: None,
                    text: format!("# {c}\n\n{words}\n"),
                })
                .collect(),
            outside: Vec::new(),
        }
    }

    fn version(v: &str, day: &str) -> SectionVersion {
        SectionVersion { id: EntryId::parse(v).expect("id"), effective: date(day), summary: None }
    }

    /// The first version, imported into a new code.
    fn first() -> SectionText {
        section(
            "v1.docx",
            "Modification Process",
            &[("D1", "Raising"), ("D2", "Panel")],
            &[
                ("D1.1", "D1", "Any party may raise a proposal in writing to the Secretariat."),
                ("D1.2", "D1", "The Secretariat shall publish every proposal it receives."),
                ("D1.3", "D1", "A proposal names the provisions it would change and why."),
                ("D2.1", "D2", "The Panel meets monthly."),
            ],
        )
    }

    /// The history after importing `sections` as version 1.0 of a new code.
    fn imported(sections: &[SectionText]) -> (History, Texts) {
        let plan =
            plan_sections(None, sections, version("1.0", "2020-01-01"), MissingProvisions::Refuse).expect("plan");
        let merged =
            merge_versions(&CodeId::parse("d").expect("code"), None, &Texts::default(), plan.import()).expect("merge");
        let texts = Texts { assignments: merged.assignments, bodies: plan.new_bodies.clone() };
        (History::with_texts(merged.register, texts.clone()), texts)
    }

    fn ids(list: &[(ProvisionId, TextHash)]) -> Vec<&str> {
        list.iter().map(|(p, _)| p.as_str()).collect()
    }

    #[test]
    fn a_new_code_places_each_part_under_its_section_in_document_order() {
        let mut d = first();
        d.clauses[0].text =
            "# D1.1\r\n\r\nAny party may raise a proposal in writing to the Secretariat.   \r\n\r\n".into();
        d.clauses[1].heading = Some("Publication".into());
        d.outside = vec!["Introduction".into(), "Background".into()];
        let plan = plan_sections(None, &[d], version("1.0", "2020-01-01"), MissingProvisions::Refuse).expect("plan");
        let order: Vec<&str> = plan.order.iter().map(ProvisionId::as_str).collect();
        // The Section, its sub-sections, then its clauses: the import places each under its parent.
        assert_eq!(order, ["D", "D1", "D2", "D1.1", "D1.2", "D1.3", "D2.1"]);
        let placed = |p: &str| plan.placements.get(&id(p)).cloned().expect("placed");
        assert_eq!(placed("D"), Placement { parent: None, kind: ProvisionKind::Section });
        assert_eq!(placed("D2"), Placement { parent: Some(id("D")), kind: ProvisionKind::Subsection });
        assert_eq!(placed("D2.1"), Placement { parent: Some(id("D2")), kind: ProvisionKind::Paragraph });
        assert_eq!(plan.headings.get(&id("D")).map(String::as_str), Some("Modification Process"));
        assert_eq!(plan.headings.get(&id("D1")).map(String::as_str), Some("Raising"));
        assert_eq!(plan.headings.get(&id("D1.2")).map(String::as_str), Some("Publication"));
        assert_eq!(plan.headings.get(&id("D1.1")), None);
        assert_eq!(plan.clauses, 4);
        // Texts are kept as every import keeps them: line ends and trailing white space do not count.
        let normal = "# D1.1\n\nAny party may raise a proposal in writing to the Secretariat.\n";
        assert_eq!(plan.new_bodies.get(&TextHash::of(normal)).map(|t| &**t), Some(normal));
        assert_eq!(plan.new_bodies.len(), 4);
        let [state] = plan.versions.as_slice() else { panic!("one version") };
        assert_eq!(ids(&state.texts), ["D1.1", "D1.2", "D1.3", "D2.1"]);
        assert_eq!(state.texts[0].1, TextHash::of(normal));
        assert_eq!(state.label, "The text of Section D imported from v1.docx.");
        assert_eq!(state.effective, date("2020-01-01"));
        assert_eq!(
            plan.notes,
            [SectionNote::Outside { source: "v1.docx".into(), count: 2, first: "Introduction".into() }]
        );
        assert_eq!(
            plan.notes[0].to_string(),
            "v1.docx: 2 paragraph(s) belong to no clause and were not imported (first: 'Introduction')"
        );
        assert!(plan.removed.is_empty() && plan.renumbered.is_empty());
    }

    #[test]
    fn a_section_given_twice_is_refused_naming_both_documents() {
        let again = SectionText { source: "again.docx".into(), ..first() };
        let refused = plan_sections(None, &[first(), again], version("1.0", "2020-01-01"), MissingProvisions::Keep);
        let Err(e) = refused else { panic!("refused") };
        assert_eq!(e.to_string(), "again.docx and v1.docx both hold Section D: give each Section once");
    }

    #[test]
    fn what_a_later_document_lacks_is_refused_kept_or_removed_as_asked() {
        let (history, _) = imported(&[first()]);
        // D1.2 is deleted, so D1.3's wording moves up to D1.2; D2 and its clause are gone.
        let second = section(
            "v2.docx",
            "MODIFICATION   process",
            &[("D1", "Raising proposals")],
            &[
                ("D1.1", "D1", "Any party may raise a proposal in writing to the Secretariat."),
                ("D1.2", "D1", "A proposal names the provisions it would change and why."),
            ],
        );
        let plan = |missing| {
            plan_sections(Some(&history), std::slice::from_ref(&second), version("2.0", "2021-01-01"), missing)
        };
        let Err(refused) = plan(MissingProvisions::Refuse) else { panic!("refused") };
        assert_eq!(
            refused,
            SectionPlanError::Missing {
                document: "v2.docx".into(),
                section: id("D"),
                missing: vec![id("D1.3"), id("D2"), id("D2.1")]
            }
        );
        assert_eq!(
            refused.to_string(),
            "v2.docx: the register holds 3 provision(s) under Section D that the document lacks: D1.3, D2, D2.1"
        );

        let kept = plan(MissingProvisions::Keep).expect("kept");
        let [state] = kept.versions.as_slice() else { panic!("one version") };
        assert_eq!(ids(&state.texts), ["D1.1", "D1.2", "D1.3", "D2.1"]);
        assert_eq!(
            kept.notes,
            [
                SectionNote::MissingKept { source: "v2.docx".into(), count: 3, section: id("D") },
                SectionNote::TitleKept { id: id("D1"), kept: "Raising".into(), document: "Raising proposals".into() },
            ],
            "the Section's title differs only in case and spacing: no note"
        );
        assert_eq!(
            kept.notes[1].to_string(),
            "D1: the register's title 'Raising' is kept; the document says 'Raising proposals'"
        );
        assert_eq!(
            kept.notes[0].to_string(),
            "v2.docx: 3 provision(s) under Section D that the document lacks were kept as they are"
        );
        assert!(kept.removed.is_empty());

        let removed = plan(MissingProvisions::Removed).expect("removed");
        let [state] = removed.versions.as_slice() else { panic!("one version") };
        assert_eq!(ids(&state.texts), ["D1.1", "D1.2"]);
        // D2 never had a text of its own: it goes to the version's removed list; D1.3 and D2.1 lose their texts.
        assert_eq!(removed.removed, [id("D2")]);
        assert_eq!(removed.renumbered.len(), 1);
        assert_eq!((removed.renumbered[0].from.as_str(), removed.renumbered[0].to.as_str()), ("D1.3", "D1.2"));
        assert_eq!(removed.renumbered[0].similarity, 1.0);
        // The register's provisions first, in its order; nothing new.
        let order: Vec<&str> = removed.order.iter().map(ProvisionId::as_str).collect();
        assert_eq!(order, ["D", "D1", "D1.1", "D1.2", "D1.3", "D2", "D2.1"]);
    }

    #[test]
    fn provisions_out_of_the_text_at_the_date_are_not_missing_and_new_ones_follow_the_register() {
        let (history, _) = imported(&[first()]);
        let mut second = first();
        second.source = "v2.docx".into();
        second.clauses.push(ClauseText {
            id: id("D2.2"),
            parent: id("D2"),
            heading: None,
            text: "# D2.2\n\nThe Panel may meet more often.\n".into(),
        });
        second.subsections.push((id("D3"), "Decisions".into()));
        let mut v = version("2.0", "2021-01-01");
        v.summary = Some("Panel meetings".into());
        let plan = plan_sections(Some(&history), &[second], v, MissingProvisions::Refuse).expect("planned");
        let order: Vec<&str> = plan.order.iter().map(ProvisionId::as_str).collect();
        assert_eq!(order, ["D", "D1", "D1.1", "D1.2", "D1.3", "D2", "D2.1", "D3", "D2.2"]);
        let [state] = plan.versions.as_slice() else { panic!("one version") };
        assert_eq!(state.label, "Panel meetings");
        assert_eq!(ids(&state.texts), ["D1.1", "D1.2", "D1.3", "D2.1", "D2.2"]);
        assert!(plan.notes.is_empty() && plan.renumbered.is_empty());
        // Before the code began nothing was in the text: a document of that day lacks nothing.
        let early = plan_sections(
            Some(&history),
            &[section("v0.docx", "Modification Process", &[("D1", "Raising")], &[])],
            version("0.5", "2019-01-01"),
            MissingProvisions::Refuse,
        )
        .expect("nothing was in the text then");
        assert_eq!(early.versions[0].texts, []);
    }
}
