-- Pages (About us, Imprint, Privacy, Our team…) are rows of `articles`: they get everything
-- the editor gives an article (drafts, autosave, revisions, the conflict view) for free.
-- `page_path` marks a page and is its address below the site root ("about-us/our-team",
-- its parents' slugs and its own); articles have none. Every reader list, feed, sitemap and
-- the search index read articles only: `status = 'published' AND page_path IS NULL`.
ALTER TABLE articles ADD COLUMN parent_id INTEGER REFERENCES articles (id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN page_path TEXT;
CREATE INDEX articles_pages ON articles (page_path) WHERE page_path IS NOT NULL;

-- The readers' lists in the very form of their filter, so a deep page is still found by
-- walking an index alone (the old ones would read every row to see it is not a page).
-- `articles_live` keeps `status` in front although it is always 'published': without
-- statistics SQLite prefers any index with an equality on it (the newsroom's, then a sort).
-- Both end in `page_path` (always NULL in them) so they cover their filter: SQLite does not
-- count a partial index's condition as read, and would visit every row to check it.
DROP INDEX articles_by_date;
DROP INDEX articles_by_category;
CREATE INDEX articles_live ON articles (status, published_at DESC, id DESC, page_path)
    WHERE status = 'published' AND page_path IS NULL;
CREATE INDEX articles_live_in ON articles (category_id, published_at DESC, id DESC, page_path)
    WHERE status = 'published' AND page_path IS NULL;

-- Pages are not in the search index (their place is the footer and their own address).
DROP TRIGGER articles_fts_insert;
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
WHEN new.status = 'published' AND new.page_path IS NULL
    AND NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = new.id)
BEGIN
    INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    VALUES (new.id, new.title, new.excerpt, new.body_text);
END;

DROP TRIGGER articles_fts_delete;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)
    SELECT 'delete', old.id, old.title, old.excerpt, old.body_text
    WHERE old.status = 'published' AND old.page_path IS NULL
        AND NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = old.id);
    DELETE FROM search_pending WHERE article_id = old.id;
END;

DROP TRIGGER articles_fts_update;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, body_text, status ON articles
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = new.id)
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)
    SELECT 'delete', old.id, old.title, old.excerpt, old.body_text
    WHERE old.status = 'published' AND old.page_path IS NULL;
    INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    SELECT new.id, new.title, new.excerpt, new.body_text
    WHERE new.status = 'published' AND new.page_path IS NULL;
END;
