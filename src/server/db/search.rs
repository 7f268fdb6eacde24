//! Full-text search over published articles (FTS5, bm25 weighted to titles).
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

/// One page of results, best first. The ranking and the LIMIT run inside the FTS query;
/// only the rows of the page are joined to their articles.
pub async fn search(
    pool: &Pool,
    fts: &str,
    limit: u32,
    offset: u64,
) -> Result<Vec<HitRow>, sqlx::Error> {
    let sql = format!(
        "WITH hits AS ( \
             SELECT rowid AS id, rank AS score, \
                    highlight(articles_fts, 0, char(57344), char(57345)) AS title_marked, \
                    snippet(articles_fts, 2, char(57344), char(57345), '…', 28) AS snippet_marked \
             FROM articles_fts WHERE articles_fts MATCH ?1 \
             ORDER BY rank LIMIT ?2 OFFSET ?3) \
         SELECT {SUMMARY_COLUMNS}, hits.title_marked, hits.snippet_marked \
         FROM hits JOIN articles a ON a.id = hits.id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' \
         ORDER BY hits.score, a.published_at DESC"
    );
    sqlx::query_as(&sql)
        .bind(fts)
        .bind(limit)
        .bind(offset as i64)
        .fetch_all(pool)
        .await
}

pub async fn count(pool: &Pool, fts: &str) -> Result<u64, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1")
            .bind(fts)
            .fetch_one(pool)
            .await?;
    Ok(n as u64)
}

/// The top matches for the live dropdown: no snippets, just what a line shows.
pub async fn suggest(pool: &Pool, fts: &str, limit: u32) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let sql = format!(
        "WITH hits AS ( \
             SELECT rowid AS id, rank AS score FROM articles_fts WHERE articles_fts MATCH ?1 \
             ORDER BY rank LIMIT ?2) \
         SELECT {SUMMARY_COLUMNS} \
         FROM hits JOIN articles a ON a.id = hits.id JOIN categories c ON c.id = a.category_id \
         WHERE a.status = 'published' \
         ORDER BY hits.score, a.published_at DESC"
    );
    sqlx::query_as(&sql)
        .bind(fts)
        .bind(limit)
        .fetch_all(pool)
        .await
}

/// Splits marked text into plain and matched parts.
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
