//! Full-text search over published articles (FTS5): the results page ranks with bm25 weighted
//! to titles, the live dropdown by where the words are (title, excerpt, body), newest first.
//!
//! The MATCH expression always comes from `server::search::fts_query`, never from a reader.

use super::articles::{SummaryRow, SUMMARY_COLUMNS};
use super::Pool;
use crate::model::Highlight;
use sqlx::FromRow;

/// Private-use characters mark matches inside highlight()/snippet() output: they cannot
/// appear in what readers type (we split on them) and need no HTML escaping.
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

#[derive(Debug, FromRow)]
pub struct HitRow {
    #[sqlx(flatten)]
    pub summary: SummaryRow,
    pub title_marked: String,
    pub snippet_marked: String,
}

/// Ranking reads at most this many of the newest matches for the live dropdown...
pub const SUGGEST_WINDOW: u32 = 200;
/// ...and this many for the results page. A rare word has fewer matches and is ranked over
/// all of them; a very common one ("the") would otherwise make every keystroke score every
/// article. For a newspaper, the best of the most recent matches is what readers want anyway.
pub const RESULTS_WINDOW: u32 = crate::model::limits::SEARCH_RANKED_MATCHES;

/// One page of results, best first (bm25, titles weigh most), among the newest
/// `RESULTS_WINDOW` matches. The ranking and the LIMIT run inside the FTS query; only the
/// rows of the page are highlighted and joined to their articles.
pub async fn search(
    pool: &Pool,
    fts: &str,
    limit: u32,
    offset: u64,
) -> Result<Vec<HitRow>, sqlx::Error> {
    let sql = format!(
        "WITH candidates AS ( \
             SELECT rowid AS id, bm25(articles_fts, 10.0, 4.0, 1.0) AS score \
             FROM articles_fts WHERE articles_fts MATCH ?1 \
             ORDER BY rowid DESC LIMIT {RESULTS_WINDOW}), \
         page AS (SELECT id, score FROM candidates ORDER BY score, id DESC LIMIT ?2 OFFSET ?3), \
         marked AS ( \
             SELECT rowid AS id, \
                    highlight(articles_fts, 0, char(57344), char(57345)) AS title_marked, \
                    snippet(articles_fts, 2, char(57344), char(57345), '…', 28) AS snippet_marked \
             FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid IN (SELECT id FROM page)) \
         SELECT {SUMMARY_COLUMNS}, marked.title_marked, marked.snippet_marked \
         FROM page JOIN marked ON marked.id = page.id \
         JOIN articles a ON a.id = page.id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' \
         ORDER BY page.score, page.id DESC"
    );
    sqlx::query_as(&sql)
        .bind(fts)
        .bind(limit)
        .bind(offset as i64)
        .fetch_all(pool)
        .await
}

/// How many published articles match (all of them, not just the ranked window).
pub async fn count(pool: &Pool, fts: &str) -> Result<u64, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1")
            .bind(fts)
            .fetch_one(pool)
            .await?;
    Ok(n as u64)
}

/// The top matches for the live dropdown: no snippets, just what a line shows.
/// The live dropdown, run on every keystroke, so it never reads a whole term list: bm25 needs
/// each word's document count over the full index, which for a common word at 100,000 articles
/// costs more than the rest of the query. Instead, of the newest matches, those with every word in
/// the title come first, then those with them in the excerpt, newest first within each. The
/// column checks only look at rows from the oldest candidate on.
pub async fn suggest(pool: &Pool, fts: &str, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let sql = format!(
        "WITH candidates AS ( \
             SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ?1 \
             ORDER BY rowid DESC LIMIT {SUGGEST_WINDOW}), \
         oldest AS (SELECT min(id) AS id FROM candidates), \
         in_title AS (SELECT rowid AS id FROM articles_fts \
             WHERE articles_fts MATCH '{{title}} : (' || ?1 || ')' \
             AND rowid >= (SELECT id FROM oldest)), \
         in_excerpt AS (SELECT rowid AS id FROM articles_fts \
             WHERE articles_fts MATCH '{{excerpt}} : (' || ?1 || ')' \
             AND rowid >= (SELECT id FROM oldest)), \
         hits AS (SELECT id, CASE WHEN id IN (SELECT id FROM in_title) THEN 0 \
                                  WHEN id IN (SELECT id FROM in_excerpt) THEN 1 ELSE 2 END AS tier \
             FROM candidates ORDER BY tier, id DESC LIMIT ?2) \
         SELECT {SUMMARY_COLUMNS} \
         FROM hits JOIN articles a ON a.id = hits.id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' \
         ORDER BY hits.tier, hits.id DESC"
    );
    sqlx::query_as(&sql)
        .bind(fts)
        .bind(limit)
        .fetch_all(pool)
        .await
}

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
}
