-- Articles whose search terms are not in the index yet. A WordPress import writes its posts
-- batch by batch and indexes them all in one statement at the end (db::imports::index_pending)
-- instead of row by row. The trigger leaves a pending row alone; the final pass reads each row
-- as it stands then (an editor's save during the import included). A run that died leaves its
-- rows here: the scheduler indexes rows pending for a quarter of an hour. The mark is written
-- before its article (the import reserves the id), hence the deferred check.
CREATE TABLE search_pending (
    article_id  BIGINT  PRIMARY KEY
                REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    since       BIGINT  NOT NULL
);

-- The one definition of a published article's row in the index, for any number of articles:
-- the trigger indexes one, an import's final pass all of its own. Returns how many it indexed.
CREATE FUNCTION portal_index_articles(ids BIGINT[]) RETURNS BIGINT LANGUAGE sql AS $$
    WITH indexed AS (
        INSERT INTO article_search (id, head, doc)
        SELECT id, head, head || setweight(to_tsvector('portal', body_text), 'C') || portal_recency(id)
        FROM (SELECT id, body_text,
                     setweight(to_tsvector('portal', title), 'A') ||
                     setweight(to_tsvector('portal', excerpt), 'B') AS head
              FROM articles WHERE id = ANY (ids) AND status = 'published' ORDER BY id) a
        ON CONFLICT (id) DO UPDATE SET head = EXCLUDED.head, doc = EXCLUDED.doc
        RETURNING 1)
    SELECT count(*) FROM indexed
$$;

CREATE OR REPLACE FUNCTION portal_index_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM search_pending WHERE article_id = NEW.id) THEN
        RETURN NULL;
    END IF;
    IF NEW.status = 'published' THEN
        PERFORM portal_index_articles(ARRAY[NEW.id]);
    ELSE
        DELETE FROM article_search WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
