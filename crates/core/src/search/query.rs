//! The query language: words, phrases, prefixes, `heading:`, `AND`, `OR`, `NOT` and parentheses, read into a
//! [`Query`]; every refusal names its column.

use std::fmt;

use crate::unicode::{fold, is_word_char, nfc};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
