//! Full-text search over every wording of every provision, each wording knowing the periods in which it was the
//! provision's text.
//!
//! The index is built from a [`History`] (pure, in memory): one document per distinct (provision, text), with
//! positional postings so phrases can be matched. Texts and queries are read in Normalization Form C; words are what
//! a regular expression's `\w+` finds in Unicode (letters, marks, digits, connectors), compared by simple case
//! folding and without folding accents (see [`crate::unicode`]), so a plain word finds exactly the wordings that
//! `rg -i -w WORD` finds in the versioned folder the texts came from, in any script.
//!
//! Queries: `word`, `"exact phrase"`, `prefix*`, `heading:word` (or `heading:"a phrase"`), `AND` (or nothing),
//! `OR`, `NOT` (or a leading `-`) and parentheses.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::history::{History, Status};
use crate::id::ProvisionId;
use crate::model::{Entry, Provision};
use crate::point::Cut;
use crate::text::TextHash;
use crate::unicode::{fold, grapheme_ceil, grapheme_floor, is_word_char, nfc};

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// The most terms a query may hold.
pub const MAX_TERMS: usize = 32;

/// Why a query cannot be run: what is wrong and where (1-based character column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based column of the problem, in characters.
    pub column: usize,
    /// What is wrong and how to write it instead.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Words that must appear one after the other (one word for a plain term).
    Term(Term),
    /// All of these.
    And(Vec<Query>),
    /// Any of these.
    Or(Vec<Query>),
    /// Not this.
    Not(Box<Query>),
}

/// A searched run of words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The words, lower-cased, in order.
    pub words: Vec<String>,
    /// The last word is a prefix (`paie*`).
    pub prefix: bool,
    /// Only in headings.
    pub heading: bool,
}

/// Splits a text into words as `\w+` does ([`crate::unicode::is_word_char`]), with the byte range of each.
pub fn words(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = chars.next()?;
            if !is_word_char(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, c)) = chars.peek() {
                if !is_word_char(c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            return Some((start..end, &text[start..end]));
        }
    })
}

/// Reads a query; every problem names its column. The query is read in Normalization Form C, as the texts are.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    let text = nfc(text);
    let text = text.as_ref();
    let count = text.chars().count();
    if count > MAX_QUERY_CHARS {
        return Err(QueryError {
            column: MAX_QUERY_CHARS + 1,
            message: format!("the query is {count} characters long; the limit is {MAX_QUERY_CHARS}"),
        });
    }
    let tokens = lex(text)?;
    if tokens.is_empty() {
        return Err(QueryError { column: 1, message: "the query is empty: give a word to search for".into() });
    }
    let terms = tokens.iter().filter(|t| matches!(t.kind, Lexeme::Term(_))).count();
    if terms > MAX_TERMS {
        return Err(QueryError {
            column: 1,
            message: format!("the query has {terms} terms; the limit is {MAX_TERMS}"),
        });
    }
    let mut parser = Parser { tokens: &tokens, at: 0, end: count + 1 };
    let query = parser.or()?;
    if let Some(token) = parser.tokens.get(parser.at) {
        let message = match token.kind {
            Lexeme::Close => "a ')' without its '('".to_string(),
            _ => "unexpected text here".to_string(),
        };
        return Err(QueryError { column: token.column, message });
    }
    if !has_positive(&query) {
        return Err(QueryError {
            column: 1,
            message: "the query only excludes: give at least one word to search for besides NOT".into(),
        });
    }
    Ok(query)
}

fn has_positive(query: &Query) -> bool {
    match query {
        Query::Term(_) => true,
        Query::Not(_) => false,
        Query::And(parts) | Query::Or(parts) => parts.iter().any(has_positive),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Term(Term),
    And,
    Or,
    Not,
    Open,
    Close,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Lexeme,
    column: usize,
}

fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' || c == ')' {
            tokens.push(Token { kind: if c == '(' { Lexeme::Open } else { Lexeme::Close }, column });
            i += 1;
            continue;
        }
        if c == '-' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            tokens.push(Token { kind: Lexeme::Not, column });
            i += 1;
            continue;
        }
        // A term, optionally `heading:`, a quoted phrase or a bare word, optionally ending in `*`.
        let mut heading = false;
        let rest: String = chars[i..].iter().take(8).collect();
        if rest.to_lowercase() == "heading:" {
            heading = true;
            i += 8;
        }
        let (raw, quoted, start) = if chars.get(i) == Some(&'"') {
            let start = i + 1;
            let inside = &chars[start..];
            let close = inside.iter().position(|&c| c == '"').ok_or(QueryError {
                column: start,
                message: "this quote is never closed: end the phrase with \"".into(),
            })?;
            // Past the closing quote.
            i = start + close + 1;
            (inside[..close].iter().collect::<String>(), true, start)
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '(' && chars[i] != ')' {
                i += 1;
            }
            (chars[start..i].iter().collect::<String>(), false, start)
        };
        if heading && raw.is_empty() {
            return Err(QueryError { column, message: "heading: needs a word or a \"phrase\" after it".into() });
        }
        if !quoted && !heading {
            match raw.as_str() {
                "AND" => {
                    tokens.push(Token { kind: Lexeme::And, column });
                    continue;
                }
                "OR" => {
                    tokens.push(Token { kind: Lexeme::Or, column });
                    continue;
                }
                "NOT" => {
                    tokens.push(Token { kind: Lexeme::Not, column });
                    continue;
                }
                _ => {}
            }
        }
        let prefix = !quoted && raw.ends_with('*');
        let core = raw.trim_end_matches('*');
        let words: Vec<String> = words(core).map(|(_, w)| fold(w)).collect();
        if words.is_empty() {
            let message = if quoted {
                "the phrase is empty: put words between the quotes".to_string()
            } else {
                format!("'{raw}' has no letters or digits to search for")
            };
            return Err(QueryError { column: start + 1, message });
        }
        if prefix && words.last().is_some_and(|w| w.chars().count() < 2) {
            return Err(QueryError {
                column: start + 1,
                message: "a prefix needs at least two letters before the *".into(),
            });
        }
        tokens.push(Token { kind: Lexeme::Term(Term { words, prefix, heading }), column });
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Lexeme> {
        self.tokens.get(self.at).map(|t| &t.kind)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |t| t.column)
    }

    fn or(&mut self) -> Result<Query, QueryError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Lexeme::Or) {
            let column = self.column();
            self.at += 1;
            if matches!(self.peek(), None | Some(Lexeme::Close | Lexeme::Or | Lexeme::And)) {
                return Err(QueryError { column, message: "OR needs a term after it".into() });
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Query::Or(parts) })
    }

    fn and(&mut self) -> Result<Query, QueryError> {
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Lexeme::And) => {
                    let column = self.column();
                    self.at += 1;
                    if matches!(self.peek(), None | Some(Lexeme::Close | Lexeme::Or | Lexeme::And)) {
                        return Err(QueryError { column, message: "AND needs a term after it".into() });
                    }
                    parts.push(self.unary()?);
                }
                Some(Lexeme::Term(_) | Lexeme::Not | Lexeme::Open) => parts.push(self.unary()?),
                _ => break,
            }
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Query::And(parts) })
    }

    fn unary(&mut self) -> Result<Query, QueryError> {
        let column = self.column();
        match self.peek().cloned() {
            Some(Lexeme::Not) => {
                self.at += 1;
                if matches!(self.peek(), None | Some(Lexeme::Close | Lexeme::Or | Lexeme::And)) {
                    return Err(QueryError { column, message: "NOT needs a term after it".into() });
                }
                Ok(Query::Not(Box::new(self.unary()?)))
            }
            Some(Lexeme::Open) => {
                self.at += 1;
                if self.peek() == Some(&Lexeme::Close) {
                    return Err(QueryError { column, message: "empty parentheses".into() });
                }
                let inner = self.or()?;
                if self.peek() != Some(&Lexeme::Close) {
                    return Err(QueryError { column, message: "this '(' is never closed".into() });
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Lexeme::Term(term)) => {
                self.at += 1;
                Ok(Query::Term(term))
            }
            Some(Lexeme::And | Lexeme::Or) => {
                Err(QueryError { column, message: "AND and OR go between two terms".into() })
            }
            Some(Lexeme::Close) => Err(QueryError { column, message: "a ')' without its '('".into() }),
            None => Err(QueryError { column, message: "the query ends too early".into() }),
        }
    }
}

/// One wording of one provision.
#[derive(Debug, Clone)]
struct Wording {
    provision: ProvisionId,
    hash: TextHash,
    /// Words in the heading line: positions below this are heading words.
    heading_words: u32,
    /// For a provision without any text: its id and title, searched as a heading.
    title: Option<String>,
}

/// Where a word occurs: a wording and the word positions in it.
#[derive(Debug, Clone)]
struct Posting {
    wording: u32,
    positions: Vec<u32>,
}

/// Every wording of every provision of one code, searchable.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    wordings: Vec<Wording>,
    /// Sorted, so a prefix is a range.
    terms: BTreeMap<String, Vec<Posting>>,
}

/// Which wordings a search looks at.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The wordings in force at a cut (a date or a version).
    At(Cut<'a>),
    /// Every wording ever recorded.
    AllVersions,
}

/// A period in which a wording was a provision's text: from an entry until the next one that changed it.
#[derive(Debug, Clone, Copy)]
pub struct Period<'a> {
    /// The version or event that gave the provision this wording.
    pub from: &'a Entry,
    /// The one that changed it next; `None` while it still stands.
    pub until: Option<&'a Entry>,
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

/// What a matching wording is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordingKind {
    /// A text the provision had.
    Text,
    /// The id and title of a provision whose text the register does not hold; it has no periods.
    Title,
}

impl WordingKind {
    /// The wire name: `text` or `title`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Title => "title",
        }
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
    /// Indexes every wording the history holds.
    pub fn build(history: &History) -> Self {
        let mut index = Self::default();
        index.add_new(history);
        index
    }

    /// Indexes the wordings of `history` not indexed yet (after an import adds versions): the index grows, and
    /// what it held stays as it was. Provisions without any text are indexed by their id and title.
    pub fn add_new(&mut self, history: &History) -> usize {
        let known: std::collections::HashSet<(&ProvisionId, TextHash)> =
            self.wordings.iter().map(|w| (&w.provision, w.hash)).collect();
        let mut fresh: Vec<(ProvisionId, TextHash, String, Option<String>)> = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for (p, changes) in history.text_changes.iter().enumerate() {
            let id = &history.register.provisions[p].id;
            if changes.is_empty() {
                let provision = &history.register.provisions[p];
                let title = title_wording(provision);
                let hash = TextHash::of(&title);
                if !known.contains(&(id, hash)) && queued.insert((id.clone(), hash)) {
                    fresh.push((id.clone(), hash, title.clone(), Some(title)));
                }
                continue;
            }
            for &(_, _, hash) in changes {
                let Some(hash) = hash else { continue };
                if known.contains(&(id, hash)) || !queued.insert((id.clone(), hash)) {
                    continue;
                }
                let Some(text) = history.bodies.get(&hash) else { continue };
                // A text stored before texts were composed is indexed (and shown) in its composed form.
                fresh.push((id.clone(), hash, nfc(text).into_owned(), None));
            }
        }
        let added = fresh.len();
        for (provision, hash, text, title) in fresh {
            let id = u32::try_from(self.wordings.len()).unwrap_or(u32::MAX);
            let heading_words = u32::try_from(heading_words(&text, title.is_some())).unwrap_or(u32::MAX);
            let mut positions: HashMap<String, Vec<u32>> = HashMap::new();
            for (n, (_, word)) in words(&text).enumerate() {
                positions.entry(fold(word)).or_default().push(u32::try_from(n).unwrap_or(u32::MAX));
            }
            for (word, positions) in positions {
                // Wording ids only grow, so each posting list stays in wording order.
                self.terms.entry(word).or_default().push(Posting { wording: id, positions });
            }
            self.wordings.push(Wording { provision, hash, heading_words, title });
        }
        added
    }

    /// The index as bytes, to keep beside the database: a format marker, the wordings, the postings, and a
    /// SHA-256 of all of it so a damaged file is noticed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.approximate_bytes());
        out.extend_from_slice(FORMAT);
        put_u32(&mut out, self.wordings.len());
        for w in &self.wordings {
            put_str(&mut out, w.provision.as_str());
            out.extend_from_slice(w.hash.as_bytes());
            put_u32(&mut out, w.heading_words as usize);
            match &w.title {
                Some(title) => {
                    out.push(1);
                    put_str(&mut out, title);
                }
                None => out.push(0),
            }
        }
        put_u32(&mut out, self.terms.len());
        for (word, postings) in &self.terms {
            put_str(&mut out, word);
            put_u32(&mut out, postings.len());
            for posting in postings {
                put_u32(&mut out, posting.wording as usize);
                put_u32(&mut out, posting.positions.len());
                for &position in &posting.positions {
                    out.extend_from_slice(&position.to_le_bytes());
                }
            }
        }
        let checksum = TextHash::of_bytes(&out);
        out.extend_from_slice(checksum.as_bytes());
        out
    }

    /// Reads bytes written by [`SearchIndex::to_bytes`]; `None` for anything damaged, truncated or written in
    /// another format, which the caller then rebuilds rather than trusts.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (payload, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
        if TextHash::of_bytes(payload).as_bytes() != checksum {
            return None;
        }
        let mut input = payload.strip_prefix(FORMAT)?;
        let mut index = Self::default();
        for _ in 0..get_u32(&mut input)? {
            let provision = ProvisionId::parse(get_str(&mut input)?).ok()?;
            let hash = TextHash::from_bytes(take(&mut input, 32)?)?;
            let heading_words = u32::try_from(get_u32(&mut input)?).ok()?;
            let title = match take(&mut input, 1)?[0] {
                0 => None,
                1 => Some(get_str(&mut input)?.to_string()),
                _ => return None,
            };
            index.wordings.push(Wording { provision, hash, heading_words, title });
        }
        for _ in 0..get_u32(&mut input)? {
            let word = get_str(&mut input)?.to_string();
            let mut postings = Vec::new();
            for _ in 0..get_u32(&mut input)? {
                let wording = u32::try_from(get_u32(&mut input)?).ok()?;
                if wording as usize >= index.wordings.len() {
                    return None;
                }
                let count = get_u32(&mut input)?;
                let raw = take(&mut input, count.checked_mul(4)?)?;
                let positions = raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
                postings.push(Posting { wording, positions });
            }
            index.terms.insert(word, postings);
        }
        input.is_empty().then_some(index)
    }

    /// How many wordings are indexed.
    pub fn wording_count(&self) -> usize {
        self.wordings.len()
    }

    /// Roughly how many bytes of memory the index takes (postings, positions and words).
    // An estimate for the search benchmark's report and a buffer's first capacity: no answer depends on it, so a
    // changed constant or operator here cannot be seen in any result.
    #[mutants::skip]
    pub fn approximate_bytes(&self) -> usize {
        let postings: usize = self
            .terms
            .iter()
            .map(|(word, list)| {
                word.len()
                    + 48
                    + list.iter().map(|p| std::mem::size_of::<Posting>() + p.positions.len() * 4).sum::<usize>()
            })
            .sum();
        postings + self.wordings.len() * std::mem::size_of::<Wording>()
    }

    /// The indexed words, each with the number of wordings holding it (for benchmarks and diagnostics).
    pub fn vocabulary(&self) -> impl Iterator<Item = (&str, usize)> {
        self.terms.iter().map(|(word, list)| (word.as_str(), list.len()))
    }

    /// How many distinct words are indexed.
    pub fn word_count(&self) -> usize {
        self.terms.len()
    }

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
        let order: HashMap<*const Provision, usize> =
            history.register.provisions.iter().enumerate().map(|(i, p)| (p as *const Provision, i)).collect();
        out.sort_by(|a, b| {
            b.heading_match
                .cmp(&a.heading_match)
                .then(b.score.total_cmp(&a.score))
                .then(order[&(a.provision as *const Provision)].cmp(&order[&(b.provision as *const Provision)]))
        });
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

/// One provision's wording as a search at a cut sees it: see [`wordings_at`].
#[derive(Debug, Clone)]
pub struct ScopedWording<'a> {
    /// The provision.
    pub provision: &'a Provision,
    /// Its text at the cut, or its id and title when the register holds no text for it.
    pub kind: WordingKind,
    /// The wording, in Normalization Form C.
    pub text: Cow<'a, str>,
    /// How many of its first words (as [`words`] splits it) are its heading: a match among them is a heading
    /// match, and `heading:` looks only at them.
    pub heading_words: usize,
}

impl ScopedWording<'_> {
    /// The heading to show: the text's heading line, or the provision's title when it has no text.
    pub fn heading(&self) -> &str {
        shown_heading(self.provision, self.kind, &self.text)
    }
}

/// The heading a result shows: a text's heading line, or for a title wording the provision's title.
fn shown_heading<'a>(provision: &'a Provision, kind: WordingKind, text: &'a str) -> &'a str {
    match kind {
        WordingKind::Text => crate::text::heading(text),
        WordingKind::Title => provision.title.as_deref().unwrap_or(""),
    }
}

/// The wordings a search at `cut` looks at, one per provision at most, in reading order: each provision's text
/// at the cut; for a provision the register holds no text for, its id and title while it is in force or inactive
/// on the cut's date. [`SearchIndex::search`] with [`Scope::At`] returns exactly the provisions whose wording
/// here matches (by the same words, folding and query rules), so a copy of these wordings can be searched
/// without the index, as the static export's search page does.
pub fn wordings_at<'a>(history: &'a History, cut: &Cut<'_>) -> Vec<ScopedWording<'a>> {
    let mut out = Vec::new();
    for (p, provision) in history.register.provisions.iter().enumerate() {
        if history.text_changes[p].is_empty() {
            if title_in_scope(history, &provision.id, cut) {
                let text = title_wording(provision);
                let heading_words = heading_words(&text, true);
                out.push(ScopedWording { provision, kind: WordingKind::Title, text: Cow::Owned(text), heading_words });
            }
            continue;
        }
        let Some(hash) = history.text_at(&provision.id, cut).and_then(|t| t.hash) else { continue };
        let Some(text) = history.bodies.get(&hash) else { continue };
        // As in the search: a wording no assignment names any more was never in force.
        if periods(history, p, hash).is_empty() {
            continue;
        }
        let text = nfc(text);
        let heading_words = heading_words(&text, false);
        out.push(ScopedWording { provision, kind: WordingKind::Text, text, heading_words });
    }
    out
}

/// Whether a provision without text stands in a search at `cut` by its title: while it is in force or inactive.
fn title_in_scope(history: &History, id: &ProvisionId, cut: &Cut<'_>) -> bool {
    history.status(id, cut.date).is_some_and(|s| matches!(s.status, Status::InForce | Status::Inactive))
}

/// The words of a wording's heading: a text's first line, or all of a title wording.
fn heading_words(text: &str, title: bool) -> usize {
    let heading_len = if title { text.len() } else { text.find('\n').unwrap_or(text.len()) };
    words(text).take_while(|(range, _)| range.end <= heading_len).count()
}

/// Marks the byte format of a kept index; a new layout changes it, so old files are rebuilt.
// 2: words are `\w` in Unicode and folded by simple case folding, over composed texts; an index kept in format 1
// folded differently and is rebuilt.
const FORMAT: &[u8; 8] = b"INFSRCH2";

/// What stands in for a provision the register holds no text for: its id and title, composed.
fn title_wording(provision: &Provision) -> String {
    nfc(&format!("{} {}", provision.id, provision.title.as_deref().unwrap_or(""))).into_owned()
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_u32(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn take<'b>(input: &mut &'b [u8], n: usize) -> Option<&'b [u8]> {
    let (head, rest) = input.split_at_checked(n)?;
    *input = rest;
    Some(head)
}

fn get_u32(input: &mut &[u8]) -> Option<usize> {
    let bytes = take(input, 4)?;
    usize::try_from(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])).ok()
}

fn get_str<'b>(input: &mut &'b [u8]) -> Option<&'b str> {
    let n = get_u32(input)?;
    std::str::from_utf8(take(input, n)?).ok()
}

/// The periods in which `hash` was the text of provision `p`.
fn periods(history: &History, p: usize, hash: TextHash) -> Vec<Period<'_>> {
    let changes = &history.text_changes[p];
    let entries = &history.register.entries;
    changes
        .iter()
        .enumerate()
        .filter(|(_, (_, _, h))| *h == Some(hash))
        .map(|(i, &(_, entry, _))| Period {
            from: &entries[entry],
            until: changes.get(i + 1).map(|&(_, e, _)| &entries[e]),
        })
        .collect()
}

/// Where the first whole word after `from` begins, looking no further than `to`: after the first run of white
/// space (of any width in bytes); `from` itself when there is none before `to`.
fn next_word(text: &str, from: usize, to: usize) -> usize {
    let Some((space, _)) = text[from..to].char_indices().find(|(_, c)| c.is_whitespace()) else { return from };
    let after = &text[from + space..];
    from + space + (after.len() - after.trim_start().len())
}

/// A short passage of `text` around its first matches, as (text, highlighted) runs, at most about `width`
/// characters, cut at word boundaries.
pub fn snippet(text: &str, matches: &[std::ops::Range<usize>], width: usize) -> Vec<(String, bool)> {
    // The body begins after the heading line and the blank lines after it.
    let body = text.find('\n').map_or(text, |i| &text[i..]).trim_start();
    let body_start = text.len() - body.len();
    let first = matches.iter().find(|m| m.start >= body_start).or(matches.first());
    let anchor = first.map_or(body_start, |m| m.start);
    // A third of the passage before the first match (char_indices keeps it on a character boundary).
    let mut start =
        text[..anchor].char_indices().rev().nth(width / 3).map_or(0, |(i, _)| i).max(body_start.min(anchor));
    if start > body_start {
        // A passage without spaces (as in Chinese) starts at a whole character: never after half a cluster.
        start = grapheme_ceil(text, next_word(text, start, anchor)).min(anchor);
    }
    let mut end = text[start..].char_indices().nth(width).map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        end = match text[start..end].rfind(char::is_whitespace) {
            Some(space) => start + space,
            None => grapheme_floor(text, end).max(start),
        };
    }
    // Whether words follow the passage; the passage itself ends at its last word.
    let cut_after = !text[end..].trim().is_empty();
    end = start + text[start..end].trim_end().len();
    let mut out = Vec::new();
    let mut at = start;
    for m in matches.iter().filter(|m| m.start >= start && m.end <= end) {
        if m.start > at {
            out.push((text[at..m.start].to_string(), false));
        }
        out.push((text[m.start..m.end].to_string(), true));
        at = m.end;
    }
    if at < end {
        out.push((text[at..end].to_string(), false));
    }
    for (piece, _) in &mut out {
        // Line and paragraph breaks read as one space in a one-line passage.
        let mut flat = String::with_capacity(piece.len());
        for c in piece.chars() {
            if c.is_whitespace() {
                if !flat.ends_with(' ') {
                    flat.push(' ');
                }
            } else {
                flat.push(c);
            }
        }
        *piece = flat;
    }
    if let Some((last, _)) = out.last_mut() {
        *last = last.trim_end().to_string();
    }
    // The ellipses belong to the passage, never to a highlighted match.
    if start > body_start && !out.is_empty() {
        match out.first_mut() {
            Some((first, false)) => first.insert(0, '…'),
            _ => out.insert(0, ("…".to_string(), false)),
        }
    }
    if cut_after && !out.is_empty() {
        match out.last_mut() {
            Some((last, false)) => last.push('…'),
            _ => out.push(("…".to_string(), false)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CodeId;
    use crate::id::EntryId;
    use crate::import::{TextImport, VersionTexts, merge_versions};
    use crate::point::Point;
    use crate::text::{Texts, normalise};

    fn history() -> History {
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

    fn ids(hits: &[ProvisionHit<'_>]) -> Vec<String> {
        hits.iter().map(|h| h.provision.id.to_string()).collect()
    }

    #[test]
    fn queries_parse_with_their_operators_and_errors_name_the_column() {
        assert!(matches!(parse("paiement").expect("parse"), Query::Term(_)));
        assert!(matches!(parse("a b").expect("parse"), Query::And(_)));
        assert!(matches!(parse("a OR b").expect("parse"), Query::Or(_)));
        let error = |q: &str| parse(q).expect_err("refused");
        assert_eq!(error("\"bonne foi").column, 1);
        assert!(error("\"bonne foi").message.contains("never closed"));
        assert_eq!(error("foi AND").message, "AND needs a term after it");
        assert_eq!(error("foi )").message, "a ')' without its '('");
        assert_eq!(error("(foi").message, "this '(' is never closed");
        assert!(error("NOT foi").message.contains("only excludes"));
        assert!(error("p*").message.contains("at least two letters"));
        assert!(error("?!").message.contains("no letters or digits"));
        assert!(error(&"x ".repeat(300)).message.contains("limit is 500"));
        assert_eq!(error("").message, "the query is empty: give a word to search for");
    }

    #[test]
    fn a_query_may_be_as_long_as_the_limits_and_no_longer() {
        let at_limit = "a".repeat(MAX_QUERY_CHARS);
        assert!(parse(&at_limit).is_ok(), "{MAX_QUERY_CHARS} characters are allowed");
        let over = parse(&"a".repeat(MAX_QUERY_CHARS + 1)).expect_err("one more is refused");
        assert_eq!(over.column, MAX_QUERY_CHARS + 1);
        assert_eq!(
            over.message,
            format!("the query is {} characters long; the limit is {MAX_QUERY_CHARS}", MAX_QUERY_CHARS + 1)
        );
        let terms = |n: usize| (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert!(parse(&terms(MAX_TERMS)).is_ok(), "{MAX_TERMS} terms are allowed");
        let many = parse(&terms(MAX_TERMS + 1)).expect_err("one more is refused");
        assert_eq!(
            (many.column, many.message),
            (1, format!("the query has {} terms; the limit is {MAX_TERMS}", MAX_TERMS + 1))
        );
        assert_eq!(over.to_string(), format!("column {}: {}", over.column, over.message));
    }

    #[test]
    fn words_are_letters_digits_underscores_and_their_combining_marks() {
        let found = |text: &str| words(text).map(|(_, w)| w.to_string()).collect::<Vec<_>>();
        assert_eq!(found("créance e\u{301}te snake_case 42"), ["créance", "e\u{301}te", "snake_case", "42"]);
        assert_eq!(found("l'été—ici"), ["l", "été", "ici"]);
    }

    #[test]
    fn every_error_names_the_column_where_it_is() {
        let error = |q: &str| parse(q).expect_err("refused");
        let at = |q: &str| (error(q).column, error(q).message);
        assert_eq!(at("foi \"bonne").0, 5, "the quote that is never closed");
        assert_eq!(at("foi \"\"").0, 6, "inside the empty phrase");
        assert_eq!(at("foi  ?!").0, 6, "the term with no letters");
        assert_eq!(at("foi pa* p*").0, 9, "the prefix that is too short");
        assert_eq!(at("foi heading:").0, 5, "the heading: with nothing after it");
        assert_eq!(at("foi heading:\"x").0, 13, "the quote after heading:");
        assert_eq!(at("é foi )").0, 7, "columns count characters, not bytes");
        assert_eq!(at("foi OR").0, 5, "the OR without a term after it");
        assert_eq!(at("foi AND").0, 5);
        assert_eq!(at("(foi").0, 1);
        assert_eq!(at("foi -"), (5, "'-' has no letters or digits to search for".to_string()), "a lone - is a term");
        assert_eq!(at("foi ("), (6, "the query ends too early".to_string()), "the column after the last character");
    }

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
    fn a_kept_index_reads_back_and_damage_is_noticed() {
        let history = history();
        let index = SearchIndex::build(&history);
        let bytes = index.to_bytes();
        let back = SearchIndex::from_bytes(&bytes).expect("reads back");
        assert_eq!(back.to_bytes(), bytes);
        let query = parse("paiement*").expect("parse");
        assert_eq!(
            ids(&back.search(&history, &query, Scope::AllVersions, None)),
            ids(&index.search(&history, &query, Scope::AllVersions, None))
        );
        let mut damaged = bytes.clone();
        damaged[20] ^= 1;
        assert!(SearchIndex::from_bytes(&damaged).is_none());
        assert!(SearchIndex::from_bytes(&bytes[..bytes.len() - 1]).is_none());
        assert!(SearchIndex::from_bytes(b"").is_none());
        // Growing: an index of nothing takes every wording; one that is complete takes none.
        let mut empty = SearchIndex::default();
        assert_eq!(empty.add_new(&history), index.wording_count());
        let mut complete = back;
        assert_eq!(complete.add_new(&history), 0);
    }

    #[test]
    fn snippets_show_the_matches() {
        let text = "# Article 1\n\nLe paiement fait de bonne foi est valable.\n";
        let matches: Vec<_> = words(text).filter(|(_, w)| *w == "bonne").map(|(r, _)| r).collect();
        let runs = snippet(text, &matches, 200);
        let highlighted: Vec<&str> = runs.iter().filter(|(_, h)| *h).map(|(t, _)| t.as_str()).collect();
        assert_eq!(highlighted, ["bonne"]);
        let joined: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, "Le paiement fait de bonne foi est valable.");
    }

    /// Article 1 has texts (v1, then v2); provision 9 has only a title, and enters the text with v2.
    fn mixed(title: &str, text_for_9: Option<&str>) -> History {
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

    /// The provisions whose wording at the cut holds `word` (folded), found by reading every wording.
    fn read_for(history: &History, cut: &Cut<'_>, word: &str, heading: bool) -> Vec<String> {
        wordings_at(history, cut)
            .iter()
            .filter(|w| {
                let shown = if heading { w.heading_words } else { usize::MAX };
                words(&w.text).take(shown).any(|(_, found)| fold(found) == word)
            })
            .map(|w| w.provision.id.to_string())
            .collect()
    }

    #[test]
    fn the_wordings_at_a_cut_are_what_a_search_at_it_looks_at() {
        for history in [history(), mixed("Délais de paiement", None)] {
            let index = SearchIndex::build(&history);
            let vocabulary: Vec<String> = index.vocabulary().map(|(w, _)| w.to_string()).collect();
            for point in ["2015-06-01", "2016-06-01", "2017-06-01"] {
                let cut = history.cut(&Point::Date(point.parse().expect("date"))).expect("cut");
                for word in &vocabulary {
                    for heading in [false, true] {
                        let query = parse(&format!("{}{word}", if heading { "heading:" } else { "" })).expect("parse");
                        let mut found = ids(&index.search(&history, &query, Scope::At(cut), None));
                        found.sort();
                        let mut read = read_for(&history, &cut, word, heading);
                        read.sort();
                        assert_eq!(found, read, "{word} (heading only: {heading}) on {point}");
                    }
                }
            }
        }
        let history = history();
        let cut = history.cut(&Point::Date("2017-06-01".parse().expect("date"))).expect("cut");
        let at = wordings_at(&history, &cut);
        assert_eq!(at.iter().map(|w| w.provision.id.as_str()).collect::<Vec<_>>(), ["1", "2", "3"], "reading order");
        assert_eq!(at[0].text, "# Article 1\n\nLe paiement fait de mauvaise foi est valable.\n");
        assert_eq!((at[0].heading_words, at[1].heading_words), (2, 3));
        assert_eq!((at[0].heading(), at[1].heading()), ("Article 1", "Article 2 Paiement"));
        let titled = mixed("Délais de paiement", None);
        let cut = titled.cut(&Point::Date("2017-06-01".parse().expect("date"))).expect("cut");
        let nine = wordings_at(&titled, &cut).into_iter().find(|w| w.provision.id.as_str() == "9").expect("9");
        assert_eq!(
            (nine.kind, nine.text.as_ref(), nine.heading_words),
            (WordingKind::Title, "9 Délais de paiement", 4)
        );
        assert_eq!(nine.heading(), "Délais de paiement", "a title wording shows the provision's title");
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
    fn quoted_operators_are_words_and_terms_after_a_phrase_are_read() {
        let terms = |q: &str| match parse(q).expect("parse") {
            Query::Term(t) => vec![(t.words, t.heading)],
            Query::And(parts) => parts
                .into_iter()
                .map(|p| match p {
                    Query::Term(t) => (t.words, t.heading),
                    other => panic!("unexpected {other:?}"),
                })
                .collect(),
            other => panic!("unexpected {other:?}"),
        };
        let w = |words: &[&str], heading: bool| (words.iter().map(ToString::to_string).collect::<Vec<_>>(), heading);
        assert_eq!(terms("\"bonne foi\" valable"), [w(&["bonne", "foi"], false), w(&["valable"], false)]);
        assert_eq!(terms("\"OR\""), [w(&["or"], false)]);
        assert_eq!(terms("heading:AND"), [w(&["and"], true)]);
        assert_eq!(terms("bonne AND foi"), [w(&["bonne"], false), w(&["foi"], false)]);
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

    #[test]
    fn the_vocabulary_counts_wordings_per_word() {
        let history = history();
        let index = SearchIndex::build(&history);
        let vocabulary: HashMap<&str, usize> = index.vocabulary().collect();
        assert_eq!(vocabulary.get("valable"), Some(&2));
        assert_eq!(vocabulary.get("article"), Some(&4));
        assert_eq!(vocabulary.get("mauvaise"), Some(&1));
        assert_eq!(index.word_count(), vocabulary.len());
        assert!(index.word_count() > 10);
    }

    #[test]
    fn a_snippet_centres_on_the_first_body_match_and_marks_what_it_cuts() {
        let body: Vec<String> = (1..=30).map(|n| format!("mot{n}")).collect();
        let text = format!("# Titre cible\n\n{} cible {}\n", body[..15].join(" "), body[15..].join(" "));
        let ranges = |word: &str| -> Vec<std::ops::Range<usize>> {
            words(&text).filter(|(_, w)| *w == word).map(|(r, _)| r).collect()
        };
        let runs = snippet(&text, &ranges("cible"), 40);
        let expected: Vec<(String, bool)> =
            vec![("…mot14 mot15 ".into(), false), ("cible".into(), true), (" mot16 mot17 mot18…".into(), false)];
        assert_eq!(runs, expected, "the heading's 'cible' is not the anchor, the body's is");
        // A match right at the start of the body: no ellipsis before, no empty run.
        let runs = snippet(&text, &ranges("mot1"), 20);
        assert_eq!(runs, vec![("mot1".to_string(), true), (" mot2 mot3 mot4…".to_string(), false)]);
        // A match at the very end: no ellipsis after, and matches outside the passage are not shown.
        let mut both = ranges("mot1");
        both.extend(ranges("mot30"));
        let runs = snippet(&text, &ranges("mot30"), 20);
        assert_eq!(runs.last(), Some(&("mot30".to_string(), true)));
        assert!(runs[0].0.starts_with('…'));
        let runs = snippet(&text, &both, 20);
        assert_eq!(runs.iter().filter(|(_, h)| *h).count(), 1, "mot30 lies outside the passage around mot1");
        // A passage that reaches the end of a text without a final newline keeps its last word.
        let bare = "# T\n\nun deux trois";
        let at: Vec<_> = words(bare).filter(|(_, w)| *w == "deux").map(|(r, _)| r).collect();
        let runs = snippet(bare, &at, 200);
        assert_eq!(runs.last(), Some(&(" trois".to_string(), false)));
        // A passage that starts after a no-break space begins at the next word.
        let nbsp = format!("# T\n\n{}\u{a0}cible fin\n", "mot ".repeat(30));
        let at: Vec<_> = words(&nbsp).filter(|(_, w)| *w == "cible").map(|(r, _)| r).collect();
        let runs = snippet(&nbsp, &at, 16);
        assert_eq!(runs.first().map(|(t, _)| t.as_str()), Some("…mot "));
        // The next word after white space of any width in bytes.
        assert_eq!(next_word("ab\u{a0}\u{a0}cd", 0, 8), 6);
        assert_eq!(next_word("abcd", 0, 4), 0, "no white space: where it started");
        // Multi-byte letters are cut on character boundaries.
        let accents = format!("# T\n\n{} cible {}\n", "é".repeat(50), "è".repeat(50));
        let at: Vec<_> = words(&accents).filter(|(_, w)| *w == "cible").map(|(r, _)| r).collect();
        let runs = snippet(&accents, &at, 10);
        let expected: Vec<(String, bool)> = vec![("…".into(), false), ("cible".into(), true), ("…".into(), false)];
        assert_eq!(runs, expected, "an ellipsis is never part of a highlighted match");
    }

    #[test]
    fn a_snippet_without_spaces_keeps_whole_characters() {
        for width in 8..=20 {
            let flags = format!("# T\n\n{}cible{}\n", "🇫🇷".repeat(20), "👍🏽".repeat(20));
            let at: Vec<_> = words(&flags).filter(|(_, w)| *w == "cible").map(|(r, _)| r).collect();
            let runs = snippet(&flags, &at, width);
            let passage: String = runs.iter().map(|(t, _)| t.as_str()).collect();
            let (before, after) = passage.split_once("cible").expect("the match is shown");
            let before = before.trim_start_matches('…');
            let after = after.trim_end_matches('…');
            assert!(before.is_empty() || before.replace("🇫🇷", "").is_empty(), "width {width}: {before:?}");
            assert!(after.replace("👍🏽", "").is_empty(), "width {width}: {after:?}");
        }
    }
}
