//! Full-text search over published articles: the results page ranks with weights favouring
//! titles, the live dropdown by where the words are (title, excerpt, body), newest first. The
//! same rules on both backends (FTS5 on SQLite, tsvector on PostgreSQL: `dialect/`).
//!
//! The query always comes from `db::query::fts_query` (words only), never from a reader.

use super::dialect::Dialect;
use super::rows::SummaryRow;
use super::Pool;
use crate::model::Highlight;
use crate::server::db::query::Query;

/// Private-use characters mark matches inside highlight()/snippet() output: they cannot
/// appear in what readers type (we split on them) and need no HTML escaping.
pub(crate) const MARK_OPEN: char = '\u{E000}';
pub(crate) const MARK_CLOSE: char = '\u{E001}';

pub use super::rows::{HitRow, RESULTS_WINDOW, SUGGEST_WINDOW};

/// A page of the results page: how many published articles match (all of them, not just the
/// ranked window), and the page's hits, best first (titles weigh most, then the excerpt, then
/// the body) among the newest `RESULTS_WINDOW` matches; only the page's rows are highlighted.
/// The one way to search for the results page, so that the count and the hits cannot drift
/// apart. (`limit` 0: the count alone.)
pub async fn page(
    pool: &Pool,
    q: &Query,
    limit: u32,
    offset: u64,
) -> Result<(u64, Vec<HitRow>), sqlx::Error> {
    let (total, hits) = on!(pool, p => Dialect::search_page(p, q, limit, offset).await?);
    Ok((total as u64, hits))
}

/// The top matches for the live dropdown: no snippets, just what a line shows.
///
/// Run on every keystroke, so it never ranks over a whole term list: of the newest
/// `SUGGEST_WINDOW` matches, those with every word in the title come first, then those with
/// them in the excerpt, newest first within each.
pub async fn suggest(pool: &Pool, q: &Query, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
    on!(pool, p => Dialect::suggest(p, q, limit).await)
}

/// A stretch of an article's plain text as one line: the text keeps a line break after each
/// heading, paragraph and list item, and a snippet spanning one would otherwise run a
/// subheading into the next sentence ("When to go The old quarter…"). A break after a line
/// with no closing punctuation becomes a full stop; every break becomes one space.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\n' {
            out.push(c);
            continue;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        out.truncate(out.trim_end().len());
        let last = out
            .chars()
            .rev()
            .find(|&c| c != MARK_OPEN && c != MARK_CLOSE);
        if last.is_some_and(|c| !".!?…:;,".contains(c)) {
            out.push('.');
        }
        if last.is_some() && chars.peek().is_some() {
            out.push(' ');
        }
    }
    out
}

/// Splits text marked by the search (`MARK_OPEN`/`MARK_CLOSE`) into plain and matched parts.
pub fn split_marks(marked: &str) -> Vec<Highlight> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut in_mark = false;
    for c in marked.chars() {
        match c {
            MARK_OPEN | MARK_CLOSE => {
                if !current.is_empty() {
                    parts.push(Highlight {
                        text: std::mem::take(&mut current),
                        marked: in_mark,
                    });
                }
                in_mark = c == MARK_OPEN;
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(Highlight {
            text: current,
            marked: in_mark,
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_split_into_parts() {
        let parts = split_marks("a \u{E000}b\u{E001} <c>");
        assert_eq!(
            parts,
            vec![
                Highlight {
                    text: "a ".into(),
                    marked: false
                },
                Highlight {
                    text: "b".into(),
                    marked: true
                },
                Highlight {
                    text: " <c>".into(),
                    marked: false
                },
            ]
        );
        assert!(split_marks("").is_empty());
    }

    #[test]
    fn line_breaks_in_snippets_read_as_stops() {
        assert_eq!(
            one_line("When to go\nThe old quarter is best"),
            "When to go. The old quarter is best"
        );
        // Already punctuated lines, blank lines and marks around the last word.
        assert_eq!(
            one_line("It rained.\n\n  Why \u{E000}now\u{E001}?\nBecause \u{E000}go\u{E001}\nOn"),
            "It rained. Why \u{E000}now\u{E001}? Because \u{E000}go\u{E001}. On"
        );
        assert_eq!(one_line("\nLeading\n"), "Leading.");
        assert_eq!(one_line("no breaks at all"), "no breaks at all");
    }
}
