//! Turning what a reader typed into a safe search query (FTS5 on SQLite, tsquery on PostgreSQL).
//!
//! Readers type anything: quotes, `*`, `-`, `OR`, brackets. None of it may reach FTS5 as
//! syntax (a stray quote is a syntax error, `-` a column filter). We keep only words, quote
//! each one, and let the last one match as a prefix, since it is usually still being typed.

use crate::model::limits::MAX_QUERY_CHARS;

/// At most this many words are searched; more only slow the query down.
const MAX_TERMS: usize = 8;
/// A prefix shorter than this matches too much to be useful (and is slow at scale).
const MIN_PREFIX_CHARS: usize = 2;
const MAX_TERM_CHARS: usize = 40;

/// The words of a query, lowercased, as FTS5's unicode61 tokenizer would split them.
pub fn terms(input: &str) -> Vec<String> {
    let clipped: String = input.chars().take(MAX_QUERY_CHARS).collect();
    clipped
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        .map(|t| {
            t.chars()
                .take(MAX_TERM_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
        .collect()
}

/// What a reader searched for, reduced to words: the only form a query reaches the database
/// in. Each backend writes it in its own syntax (`fts5`, `tsquery`); no character a reader
/// typed is ever syntax there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    terms: Vec<String>,
    /// Whether the last word also matches as a prefix (it is usually still being typed).
    prefix_last: bool,
}

impl Query {
    /// The FTS5 MATCH expression: every word quoted, the last one a prefix.
    pub fn fts5(&self) -> String {
        self.words(|t, prefix| {
            // Terms are alphanumeric only, so quoting cannot be broken out of.
            if prefix {
                format!("\"{t}\"*")
            } else {
                format!("\"{t}\"")
            }
        })
        .join(" ")
    }

    /// The PostgreSQL `to_tsquery` text: every word required, the last one a prefix, all of
    /// them only in the part of the article that `weight` labels (A title, B excerpt) if given.
    pub fn tsquery(&self, weight: Option<char>) -> String {
        let label = weight.map(String::from).unwrap_or_default();
        self.words(|t, prefix| {
            let star = if prefix { "*" } else { "" };
            if prefix || !label.is_empty() {
                format!("'{t}':{star}{label}")
            } else {
                format!("'{t}'")
            }
        })
        .join(" & ")
    }

    fn words(&self, each: impl Fn(&str, bool) -> String) -> Vec<String> {
        let last = self.terms.len() - 1;
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| each(t, i == last && self.prefix_last))
            .collect()
    }
}

/// The query for `input`, or `None` when there is nothing to search for.
pub fn fts_query(input: &str) -> Option<Query> {
    let terms = terms(input);
    let last = terms.last()?;
    let prefix_last = last.chars().count() >= MIN_PREFIX_CHARS;
    Some(Query { terms, prefix_last })
}

/// Trims and clips a query for display and for links.
pub fn clean_display(input: &str) -> String {
    let clipped: String = input.chars().take(MAX_QUERY_CHARS).collect();
    clipped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_with_prefix_on_the_last() {
        assert_eq!(
            fts_query("harbour ferr").map(|q| q.fts5()).as_deref(),
            Some("\"harbour\" \"ferr\"*")
        );
        assert_eq!(
            fts_query("Tax").map(|q| q.fts5()).as_deref(),
            Some("\"tax\"*")
        );
        assert_eq!(fts_query("a").map(|q| q.fts5()).as_deref(), Some("\"a\""));
    }

    #[test]
    fn syntax_characters_are_neutralised() {
        assert_eq!(
            fts_query("\"unbalanced (paren -minus OR*")
                .map(|q| q.fts5())
                .as_deref(),
            Some("\"unbalanced\" \"paren\" \"minus\" \"or\"*")
        );
        assert_eq!(
            fts_query("title:secret NEAR(a b)")
                .map(|q| q.fts5())
                .as_deref(),
            Some("\"title\" \"secret\" \"near\" \"a\" \"b\"")
        );
        assert_eq!(fts_query("  \"*-()^:  "), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn long_and_unicode_input() {
        let long = "word ".repeat(500);
        assert_eq!(terms(&long).len(), MAX_TERMS);
        let huge = "x".repeat(10_000);
        assert_eq!(terms(&huge)[0].len(), MAX_TERM_CHARS);
        assert_eq!(
            fts_query("Café Zürich").map(|q| q.fts5()).as_deref(),
            Some("\"café\" \"zürich\"*")
        );
        assert_eq!(
            fts_query("東京 ✨").map(|q| q.fts5()).as_deref(),
            Some("\"東京\"*")
        );
    }

    #[test]
    fn tsquery_form() {
        let q = fts_query("Harbour ferr").unwrap();
        assert_eq!(q.tsquery(None), "'harbour' & 'ferr':*");
        assert_eq!(q.tsquery(Some('A')), "'harbour':A & 'ferr':*A");
        assert_eq!(fts_query("a").unwrap().tsquery(None), "'a'");
        // Quotes, colons, ampersands and bars are not words: never tsquery syntax.
        assert_eq!(
            fts_query("it's a:b & c|d !e").unwrap().tsquery(None),
            "'it' & 's' & 'a' & 'b' & 'c' & 'd' & 'e'"
        );
    }

    #[test]
    fn display_form() {
        assert_eq!(clean_display("  two   words \n"), "two words");
        assert_eq!(clean_display(&"y".repeat(300)).len(), MAX_QUERY_CHARS);
    }
}
