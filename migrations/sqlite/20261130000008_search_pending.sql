-- Articles whose search terms are not in the index yet. A WordPress import writes its posts
-- batch by batch and indexes them all in one pass at the end (db::imports::index_pending),
-- which is a third faster than the triggers' row-by-row indexing and leaves one segment to
-- merge instead of one per batch. The triggers leave a pending row alone (its terms are not
-- in the index: FTS5 must never be asked to delete terms it does not hold), so an editor's
-- save during the import is safe; the final pass reads each row as it stands then. A run that
-- died leaves its rows here: the scheduler indexes rows pending for a quarter of an hour.
CREATE TABLE search_pending (
    article_id  INTEGER PRIMARY KEY,
    since       INTEGER NOT NULL
) STRICT;

DROP TRIGGER articles_fts_insert;
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
WHEN new.status = 'published'
    AND NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = new.id)
BEGIN
    INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    VALUES (new.id, new.title, new.excerpt, new.body_text);
END;

-- In order: the terms go out (unless the row was never indexed), then the pending mark.
DROP TRIGGER articles_fts_delete;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)
    SELECT 'delete', old.id, old.title, old.excerpt, old.body_text
    WHERE old.status = 'published'
        AND NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = old.id);
    DELETE FROM search_pending WHERE article_id = old.id;
END;

DROP TRIGGER articles_fts_update;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, body_text, status ON articles
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = new.id)
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)
    SELECT 'delete', old.id, old.title, old.excerpt, old.body_text WHERE old.status = 'published';
    INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    SELECT new.id, new.title, new.excerpt, new.body_text WHERE new.status = 'published';
END;
