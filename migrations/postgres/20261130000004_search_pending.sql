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

CREATE OR REPLACE FUNCTION portal_index_article() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head tsvector;
BEGIN
    IF EXISTS (SELECT 1 FROM search_pending WHERE article_id = NEW.id) THEN
        RETURN NULL;
    END IF;
    IF NEW.status = 'published' THEN
        head := setweight(to_tsvector('portal', NEW.title), 'A') ||
                setweight(to_tsvector('portal', NEW.excerpt), 'B');
        INSERT INTO article_search (id, head, doc)
        VALUES (NEW.id, head,
                head || setweight(to_tsvector('portal', NEW.body_text), 'C') || portal_recency(NEW.id))
        ON CONFLICT (id) DO UPDATE SET head = EXCLUDED.head, doc = EXCLUDED.doc;
    ELSE
        DELETE FROM article_search WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
