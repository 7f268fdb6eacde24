//! What the two backends say differently, one file each: full-text search, dates, the
//! writer's lock, catalogue queries, bulk loading. Everything else in `db/` is one text for
//! both. A function here exists in both files with the same name and meaning.

pub mod postgres;
pub mod sqlite;
