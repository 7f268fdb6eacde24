//! Turning what a reader typed into a safe FTS5 query.
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

/// The FTS5 MATCH expression for `input`, or `None` when there is nothing to search for.
pub fn fts_query(input: &str) -> Option<String> {
    let terms = terms(input);
    let last = terms.len().checked_sub(1)?;
    let parts: Vec<String> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            // Terms are alphanumeric only, so quoting cannot be broken out of.
            if i == last && t.chars().count() >= MIN_PREFIX_CHARS {
                format!("\"{t}\"*")
            } else {
                format!("\"{t}\"")
            }
        })
        .collect();
    Some(parts.join(" "))
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
            fts_query("harbour ferr").as_deref(),
            Some("\"harbour\" \"ferr\"*")
        );
        assert_eq!(fts_query("Tax").as_deref(), Some("\"tax\"*"));
        assert_eq!(fts_query("a").as_deref(), Some("\"a\""));
    }

    #[test]
    fn syntax_characters_are_neutralised() {
        assert_eq!(
            fts_query("\"unbalanced (paren -minus OR*").as_deref(),
            Some("\"unbalanced\" \"paren\" \"minus\" \"or\"*")
        );
        assert_eq!(
            fts_query("title:secret NEAR(a b)").as_deref(),
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
            fts_query("Café Zürich").as_deref(),
            Some("\"café\" \"zürich\"*")
        );
        assert_eq!(fts_query("東京 ✨").as_deref(), Some("\"東京\"*"));
    }

    #[test]
    fn display_form() {
        assert_eq!(clean_display("  two   words \n"), "two words");
        assert_eq!(clean_display(&"y".repeat(300)).len(), MAX_QUERY_CHARS);
    }
}
