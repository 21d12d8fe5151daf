//! Searching the index: the wordings in scope that match a query, grouped by provision and ranked.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::index::{Posting, SearchIndex};
use super::query::{Query, Term, words};
use super::wordings::{Period, WordingKind, periods, shown_heading, title_in_scope, title_wording};
use crate::history::History;
use crate::id::ProvisionId;
use crate::model::{Entry, Provision};
use crate::point::Cut;
use crate::text::TextHash;
use crate::unicode::nfc;

/// Which wordings a search looks at.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The wordings in force at a cut (a date or a version).
    At(Cut<'a>),
    /// Every wording ever recorded.
    AllVersions,
}

/// A matching wording of a provision.
#[derive(Debug, Clone)]
pub struct WordingHit<'a> {
    /// The wording's hash.
    pub hash: TextHash,
    /// A text, or the title of a provision without text.
    pub kind: WordingKind,
    /// The wording, in Normalization Form C (the form [`WordingHit::matches`] counts in).
    pub text: Cow<'a, str>,
    /// When it was the provision's text.
    pub periods: Vec<Period<'a>>,
    /// Positions (word numbers) of the matched words, in order.
    positions: Vec<u32>,
    /// Whether a match is in the heading.
    pub heading_match: bool,
    score: f32,
}

impl WordingHit<'_> {
    /// Byte ranges of the matched words in `text`, in order. Worked out on demand: only the results shown need
    /// them.
    pub fn matches(&self) -> Vec<std::ops::Range<usize>> {
        let mut wanted = self.positions.iter().peekable();
        words(&self.text)
            .enumerate()
            .map_while(|(n, (range, _))| {
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                while wanted.peek().is_some_and(|&&p| p < n) {
                    wanted.next();
                }
                wanted.peek().map(|&&p| (p == n).then_some(range))
            })
            .flatten()
            .collect()
    }
}

/// A provision with at least one matching wording.
#[derive(Debug, Clone)]
pub struct ProvisionHit<'a> {
    /// The provision.
    pub provision: &'a Provision,
    /// Its matching wordings, latest first.
    pub wordings: Vec<WordingHit<'a>>,
    /// Whether any match is in a heading (these rank first).
    pub heading_match: bool,
    /// Relevance, higher first.
    pub score: f32,
}

impl<'a> ProvisionHit<'a> {
    /// The heading to show: the latest matching wording's, or the provision's title when it has no text.
    pub fn heading(&self) -> &str {
        match self.wordings.first() {
            Some(w) => shown_heading(self.provision, w.kind, &w.text),
            None => shown_heading(self.provision, WordingKind::Title, ""),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Hits {
    positions: Vec<u32>,
    score: f32,
}

impl SearchIndex {
    /// The provisions with a wording in scope that matches, best first: heading matches, then relevance, then
    /// reading order. `within` limits them to a provision and its parts.
    pub fn search<'a>(
        &'a self,
        history: &'a History,
        query: &Query,
        scope: Scope<'_>,
        within: Option<&ProvisionId>,
    ) -> Vec<ProvisionHit<'a>> {
        let matched = self.eval(query);
        let within = within.and_then(|id| history.provision_index.get(id).copied());
        let mut groups: BTreeMap<usize, Vec<WordingHit<'a>>> = BTreeMap::new();
        for (wording, hits) in matched {
            let w = &self.wordings[wording as usize];
            // The index may hold provisions a corrected register no longer has.
            let Some(&p) = history.provision_index.get(&w.provision) else { continue };
            if let Some(root) = within
                && p != root
                && !history.ancestors(p).contains(&root)
            {
                continue;
            }
            let (text, periods, kind) = match &w.title {
                Some(title) => {
                    // A title stands in for a provision without text, only while it has none, and only as the
                    // register titles it now (a corrected title leaves the old one in a kept index).
                    let provision = &history.register.provisions[p];
                    let current = title_wording(provision);
                    if !history.text_changes[p].is_empty() || TextHash::of(&current) != w.hash {
                        continue;
                    }
                    if let Scope::At(cut) = &scope
                        && !title_in_scope(history, &w.provision, cut)
                    {
                        continue;
                    }
                    (Cow::Borrowed(title.as_str()), Vec::new(), WordingKind::Title)
                }
                None => {
                    if let Scope::At(cut) = &scope {
                        let current = history.text_at(&w.provision, cut).and_then(|t| t.hash);
                        if current != Some(w.hash) {
                            continue;
                        }
                    }
                    let Some(text) = history.bodies.get(&w.hash) else { continue };
                    let periods = periods(history, p, w.hash);
                    // A wording no assignment names any more (withdrawn by a correction) was never in force.
                    if periods.is_empty() {
                        continue;
                    }
                    (nfc(text), periods, WordingKind::Text)
                }
            };
            let mut positions = hits.positions;
            positions.sort_unstable();
            positions.dedup();
            let heading_match = positions.first().is_some_and(|&p| p < w.heading_words);
            groups.entry(p).or_default().push(WordingHit {
                hash: w.hash,
                kind,
                text,
                periods,
                positions,
                heading_match,
                score: hits.score,
            });
        }
        let mut out: Vec<ProvisionHit<'a>> = groups
            .into_iter()
            .map(|(p, mut wordings)| {
                // Latest wording first: the one whose last period starts latest.
                let rank = |e: &Entry| history.entry_index.get(&e.id).and_then(|&i| history.rank[i]);
                wordings.sort_by_key(|w| std::cmp::Reverse(w.periods.last().map(|p| rank(p.from))));
                let heading_match = wordings.iter().any(|w| w.heading_match);
                let score = wordings.iter().map(|w| w.score).fold(0.0, f32::max);
                ProvisionHit { provision: &history.register.provisions[p], wordings, heading_match, score }
            })
            .collect();
        // The groups are keyed by reading order and the sort is stable, so equals stay in reading order.
        out.sort_by(|a, b| b.heading_match.cmp(&a.heading_match).then(b.score.total_cmp(&a.score)));
        out
    }

    fn eval(&self, query: &Query) -> BTreeMap<u32, Hits> {
        match query {
            Query::Term(term) => self.term(term),
            Query::Or(parts) => {
                let mut out: BTreeMap<u32, Hits> = BTreeMap::new();
                for part in parts {
                    for (w, hits) in self.eval(part) {
                        let entry = out.entry(w).or_default();
                        entry.positions.extend(hits.positions);
                        entry.score += hits.score;
                    }
                }
                out
            }
            Query::And(parts) => {
                let (negative, positive): (Vec<&Query>, Vec<&Query>) =
                    parts.iter().partition(|p| matches!(p, Query::Not(_)));
                let mut out: Option<BTreeMap<u32, Hits>> = None;
                for part in positive {
                    let found = self.eval(part);
                    out = Some(match out {
                        None => found,
                        Some(mut so_far) => {
                            so_far.retain(|w, _| found.contains_key(w));
                            for (w, hits) in found {
                                if let Some(entry) = so_far.get_mut(&w) {
                                    entry.positions.extend(hits.positions);
                                    entry.score += hits.score;
                                }
                            }
                            so_far
                        }
                    });
                }
                let mut out = out.unwrap_or_else(|| self.everything());
                for part in negative {
                    if let Query::Not(inner) = part {
                        let excluded = self.eval(inner);
                        out.retain(|w, _| !excluded.contains_key(w));
                    }
                }
                out
            }
            Query::Not(inner) => {
                let excluded = self.eval(inner);
                let mut out = self.everything();
                out.retain(|w, _| !excluded.contains_key(w));
                out
            }
        }
    }

    fn everything(&self) -> BTreeMap<u32, Hits> {
        (0..self.wordings.len()).map(|w| (u32::try_from(w).unwrap_or(u32::MAX), Hits::default())).collect()
    }

    /// The postings of a word, or of every word starting with it.
    fn postings(&self, word: &str, prefix: bool) -> Vec<&Posting> {
        if !prefix {
            return self.terms.get(word).map(|p| p.iter().collect()).unwrap_or_default();
        }
        let mut merged: BTreeMap<u32, Vec<&Posting>> = BTreeMap::new();
        for (_, postings) in self.terms.range(word.to_string()..).take_while(|(w, _)| w.starts_with(word)) {
            for posting in postings {
                merged.entry(posting.wording).or_default().push(posting);
            }
        }
        merged.into_values().flatten().collect()
    }

    fn term(&self, term: &Term) -> BTreeMap<u32, Hits> {
        let count = self.wordings.len().max(1) as f32;
        let last = term.words.len() - 1;
        // Positions of each word, by wording (a prefix's words merged).
        let mut per_word: Vec<BTreeMap<u32, Vec<u32>>> = Vec::new();
        for (i, word) in term.words.iter().enumerate() {
            let mut by_wording: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
            for posting in self.postings(word, term.prefix && i == last) {
                by_wording.entry(posting.wording).or_default().extend(&posting.positions);
            }
            for positions in by_wording.values_mut() {
                positions.sort_unstable();
            }
            per_word.push(by_wording);
        }
        let mut out = BTreeMap::new();
        let Some((first, rest)) = per_word.split_first() else { return out };
        let frequency = first.len().max(1) as f32;
        let idf = (1.0 + count / frequency).ln();
        for (&wording, starts) in first {
            if rest.iter().any(|r| !r.contains_key(&wording)) {
                continue;
            }
            let heading_words = self.wordings[wording as usize].heading_words;
            let mut positions = Vec::new();
            let mut found = 0u32;
            for &start in starts {
                let follows = rest.iter().enumerate().all(|(i, r)| {
                    let offset = u32::try_from(i + 1).unwrap_or(u32::MAX);
                    r.get(&wording).is_some_and(|p| p.binary_search(&(start + offset)).is_ok())
                });
                if !follows {
                    continue;
                }
                let end = start + u32::try_from(rest.len()).unwrap_or(0);
                if term.heading && end >= heading_words {
                    continue;
                }
                found += 1;
                positions.extend(start..=end);
            }
            if found > 0 {
                let tf = found as f32;
                out.insert(wording, Hits { positions, score: idf * tf / (tf + 1.2) });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::EntryId;
    use crate::point::Point;
    use crate::search::fixtures::{history, ids, mixed};
    use crate::search::parse;

    #[test]
    fn words_phrases_prefixes_headings_and_operators() {
        let history = history();
        let index = SearchIndex::build(&history);
        let all = |q: &str| ids(&index.search(&history, &parse(q).expect("parse"), Scope::AllVersions, None));
        assert_eq!(all("paiement"), ["2", "1"], "the heading match ranks first");
        assert_eq!(all("PAIEMENT"), ["2", "1"], "case does not matter");
        assert_eq!(all("paiement*"), ["2", "1", "3"]);
        assert_eq!(all("\"bonne foi\""), ["1"]);
        assert_eq!(all("\"foi bonne\""), Vec::<String>::new());
        assert_eq!(all("heading:paiement"), ["2"]);
        assert_eq!(all("bonne OR mauvaise"), ["1"]);
        assert_eq!(all("paiement NOT bonne"), ["2", "1"], "the later wording of 1 lacks 'bonne'");
        assert_eq!(all("été"), ["3"], "accents are kept, words split at the apostrophe");
        assert_eq!(all("ete"), Vec::<String>::new(), "and not folded");
        assert_eq!(all("(bonne OR deux) -créanciers"), ["1"]);
    }

    #[test]
    fn a_phrase_of_three_or_more_words_matches_only_those_words_in_that_order() {
        let history = history();
        let index = SearchIndex::build(&history);
        let all = |q: &str| ids(&index.search(&history, &parse(q).expect("parse"), Scope::AllVersions, None));
        assert_eq!(all("\"fait de bonne\""), ["1"]);
        assert_eq!(all("\"paiement fait de bonne foi\""), ["1"]);
        assert_eq!(all("\"le paiement fait de mauvaise foi est valable\""), ["1"]);
        assert_eq!(all("\"paiement fait bonne foi\""), Vec::<String>::new(), "a word left out");
        assert_eq!(all("\"fait de foi\""), Vec::<String>::new(), "the first two in place, the third not next");
        assert_eq!(all("\"paiement de bonne\""), Vec::<String>::new(), "the last two in place, the first not");
        assert_eq!(all("\"de bonne foi est valable fait\""), Vec::<String>::new(), "a word after the end");
    }

    #[test]
    fn a_heading_phrase_stays_within_the_heading() {
        let history = history();
        let index = SearchIndex::build(&history);
        let all = |q: &str| ids(&index.search(&history, &parse(q).expect("parse"), Scope::AllVersions, None));
        assert_eq!(all("heading:\"article 2 paiement\""), ["2"]);
        assert_eq!(all("heading:\"paiement deux\""), Vec::<String>::new(), "from the heading into the body");
        assert_eq!(all("heading:créanciers"), Vec::<String>::new(), "a body word is not a heading word");
    }

    #[test]
    fn a_date_or_version_limits_the_search_to_the_wordings_then_in_force() {
        let history = history();
        let index = SearchIndex::build(&history);
        let query = parse("bonne").expect("parse");
        let v1 = history.cut(&Point::Entry(EntryId::parse("v1").expect("id"))).expect("cut");
        let v2 = history.cut(&Point::Entry(EntryId::parse("v2").expect("id"))).expect("cut");
        assert_eq!(ids(&index.search(&history, &query, Scope::At(v1), None)), ["1"]);
        assert!(index.search(&history, &query, Scope::At(v2), None).is_empty());
        let hits = index.search(&history, &query, Scope::AllVersions, None);
        let periods = &hits[0].wordings[0].periods;
        assert_eq!(periods.len(), 1);
        assert_eq!(periods[0].from.id.to_string(), "v1");
        assert_eq!(periods[0].until.map(|e| e.id.to_string()).as_deref(), Some("v2"));
        let within = ProvisionId::parse("2").expect("id");
        assert_eq!(
            ids(&index.search(&history, &parse("paiement").expect("p"), Scope::AllVersions, Some(&within))),
            ["2"]
        );
    }

    #[test]
    fn a_provision_without_text_is_found_by_its_title_while_it_is_in_the_text() {
        let history = mixed("Délais de paiement", None);
        let index = SearchIndex::build(&history);
        let query = parse("délais").expect("parse");
        let hits = index.search(&history, &query, Scope::AllVersions, None);
        assert_eq!(ids(&hits), ["9"]);
        assert_eq!(hits[0].wordings[0].kind, WordingKind::Title);
        assert_eq!((WordingKind::Title.as_str(), WordingKind::Text.as_str()), ("title", "text"));
        assert_eq!(hits[0].heading(), "Délais de paiement", "a title wording shows the provision's title");
        let cut = |v: &str| history.cut(&Point::Entry(EntryId::parse(v).expect("id"))).expect("cut");
        assert!(index.search(&history, &query, Scope::At(cut("v1")), None).is_empty(), "not yet added at v1");
        assert_eq!(ids(&index.search(&history, &query, Scope::At(cut("v2")), None)), ["9"]);
        // Growing the index again adds nothing, and the title survives the kept copy.
        let mut grown = index.clone();
        assert_eq!(grown.add_new(&history), 0);
        let back = SearchIndex::from_bytes(&index.to_bytes()).expect("reads back");
        assert_eq!(ids(&back.search(&history, &query, Scope::AllVersions, None)), ["9"]);
        // A corrected title: the old one is no longer found, the new one is once indexed.
        let corrected = mixed("Délais de recouvrement", None);
        assert!(index.search(&corrected, &query, Scope::AllVersions, None).is_empty());
        let mut index = index;
        assert_eq!(index.add_new(&corrected), 1);
        let recouvrement = parse("recouvrement").expect("parse");
        assert_eq!(ids(&index.search(&corrected, &recouvrement, Scope::AllVersions, None)), ["9"]);
        // Once it has a text, its title no longer stands in for it.
        let texted = mixed("Délais de paiement", Some("# Article 9\n\nAucun délai.\n"));
        assert!(index.search(&texted, &query, Scope::AllVersions, None).is_empty());
    }

    #[test]
    fn a_text_wording_shows_its_heading_and_the_byte_ranges_of_its_matches() {
        let history = history();
        let index = SearchIndex::build(&history);
        let hits = index.search(&history, &parse("\"bonne foi\" OR valable").expect("parse"), Scope::AllVersions, None);
        let hit = &hits[0];
        assert_eq!(hit.heading(), "Article 1");
        let wording = hit.wordings.iter().find(|w| w.text.contains("bonne")).expect("the v1 wording");
        let matched: Vec<&str> = wording.matches().into_iter().map(|r| &wording.text[r]).collect();
        assert_eq!(matched, ["bonne", "foi", "valable"]);
        let later = hit.wordings.iter().find(|w| w.text.contains("mauvaise")).expect("the v2 wording");
        let matched: Vec<&str> = later.matches().into_iter().map(|r| &later.text[r]).collect();
        assert_eq!(matched, ["valable"], "the last word of the text");
    }

    #[test]
    fn a_match_in_the_first_word_of_the_body_is_not_a_heading_match() {
        let history = history();
        let index = SearchIndex::build(&history);
        let hits = index.search(&history, &parse("le").expect("parse"), Scope::AllVersions, None);
        assert_eq!(ids(&hits), ["1"]);
        assert!(!hits[0].heading_match, "'Le' opens the body");
        let hits = index.search(&history, &parse("paiement").expect("parse"), Scope::AllVersions, None);
        assert!(hits[0].heading_match, "'Paiement' ends the heading of article 2");
    }

    #[test]
    fn scores_follow_the_documented_ranking_and_add_up_over_or_and_and() {
        let history = history();
        let index = SearchIndex::build(&history);
        // Four wordings: article 1 at v1 and at v2, article 2 (one wording), article 3.
        assert_eq!(index.wording_count(), 4);
        let score = |q: &str| index.search(&history, &parse(q).expect("parse"), Scope::AllVersions, None)[0].score;
        // idf × tf / (tf + 1.2), idf = ln(1 + wordings / wordings holding the word); each word here once.
        let bonne = (1.0f32 + 4.0 / 1.0).ln() / 2.2;
        let valable = (1.0f32 + 4.0 / 2.0).ln() / 2.2;
        let close = |a: f32, b: f32| (a - b).abs() < 1e-5;
        assert!(close(score("valable"), valable), "{} != {valable}", score("valable"));
        assert!(close(score("bonne OR valable"), bonne + valable));
        assert!(close(score("bonne valable"), bonne + valable));
        assert!(close(score("bonne AND valable"), bonne + valable));
        // A word twice in one wording: tf = 2.
        let history = mixed("Délais", Some("# Article 9\n\nAucun délai, aucun.\n"));
        let index = SearchIndex::build(&history);
        let hits = index.search(&history, &parse("aucun").expect("parse"), Scope::AllVersions, None);
        let expected = (1.0f32 + 3.0 / 1.0).ln() * 2.0 / 3.2;
        assert!(close(hits[0].score, expected), "{} != {expected}", hits[0].score);
    }

    #[test]
    fn not_inside_or_keeps_everything_without_the_word() {
        let history = history();
        let index = SearchIndex::build(&history);
        let mut found =
            ids(&index.search(&history, &parse("valable OR NOT bonne").expect("p"), Scope::AllVersions, None));
        found.sort();
        assert_eq!(found, ["1", "2", "3"]);
        let at_v1 = history.cut(&Point::Entry(EntryId::parse("v1").expect("id"))).expect("cut");
        let found = ids(&index.search(&history, &parse("deux OR NOT valable").expect("p"), Scope::At(at_v1), None));
        assert_eq!(found, ["2"], "article 1 is valable at v1, article 3 not yet there");
    }
}
