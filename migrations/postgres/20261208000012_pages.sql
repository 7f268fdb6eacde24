-- Pages (About us, Imprint, Privacy, Our team…) are rows of `articles`: they get everything
-- the editor gives an article (drafts, autosave, revisions, the conflict view) for free.
-- `page_path` marks a page and is its address below the site root ("about-us/our-team",
-- its parents' slugs and its own); articles have none. Every reader list, feed, sitemap and
-- the search index read articles only: `status = 'published' AND page_path IS NULL`.
ALTER TABLE articles ADD COLUMN parent_id BIGINT REFERENCES articles (id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN page_path TEXT;
CREATE INDEX articles_pages ON articles (page_path) WHERE page_path IS NOT NULL;

DROP INDEX articles_by_date;
DROP INDEX articles_by_category;
CREATE INDEX articles_live ON articles (status, published_at DESC, id DESC, page_path)
    WHERE status = 'published' AND page_path IS NULL;
CREATE INDEX articles_live_in ON articles (category_id, published_at DESC, id DESC, page_path)
    WHERE status = 'published' AND page_path IS NULL;

-- Pages are not in the search index, nor in the counts of published articles.
CREATE OR REPLACE FUNCTION portal_index_articles(ids BIGINT[]) RETURNS BIGINT LANGUAGE sql AS $$
    WITH indexed AS (
        INSERT INTO article_search (id, head, doc)
        SELECT id, head, head || setweight(to_tsvector('portal', body_text), 'C') || portal_recency(id)
        FROM (SELECT id, body_text,
                     setweight(to_tsvector('portal', title), 'A') ||
                     setweight(to_tsvector('portal', excerpt), 'B') AS head
              FROM articles WHERE id = ANY (ids) AND status = 'published' AND page_path IS NULL
              ORDER BY id) a
        ON CONFLICT (id) DO UPDATE SET head = EXCLUDED.head, doc = EXCLUDED.doc
        RETURNING 1)
    SELECT count(*) FROM indexed
$$;

CREATE OR REPLACE FUNCTION portal_count_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'published' AND OLD.page_path IS NULL THEN
        UPDATE published_counts SET n = n - 1 WHERE category_id = OLD.category_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'published' AND NEW.page_path IS NULL THEN
        INSERT INTO published_counts (category_id, n) VALUES (NEW.category_id, 1)
        ON CONFLICT (category_id) DO UPDATE SET n = published_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
