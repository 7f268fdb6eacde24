-- Recency buckets for search: every published article's terms also hold lexemes naming its
-- "buckets" of 2^10, 2^12, 2^14, 2^16 and 2^18 ids ('~10.97' for ids 99,328–100,351).
-- Readers' words are letters and digits only, so no query of theirs can match one.
--
-- Why: the live dropdown and the results page want the NEWEST matches of a query. A GIN index
-- finds every match but in no particular order, so a common word ("the", a two-letter prefix)
-- visited tens of thousands of rows to keep the newest 200 (40 ms at 100,000 articles).
-- Asking for `query & ('~10.97' | '~10.96')` lets the index itself keep only the newest ids;
-- when that window holds too few matches the next, four times wider level is asked, and
-- finally the whole index (db::dialect::postgres::newest_matches). Two lexemes per window,
-- whatever its width: the index tests each candidate against the whole query.
CREATE FUNCTION portal_recency(id BIGINT) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN array_to_tsvector(ARRAY['~10.' || (id >> 10), '~12.' || (id >> 12), '~14.' || (id >> 14),
                               '~16.' || (id >> 16), '~18.' || (id >> 18)]);

CREATE OR REPLACE FUNCTION portal_index_article() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head tsvector;
BEGIN
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

UPDATE article_search SET doc = doc || portal_recency(id);

-- The newest `wanted` ids matching `q`, always through the GIN index: the planner, which
-- cannot know that the newest rows are the ones that match, would otherwise walk ids
-- downwards testing every row's terms (or read the whole table) for a common word.
CREATE FUNCTION portal_newest_matches(q tsquery, wanted integer) RETURNS SETOF BIGINT
LANGUAGE sql STABLE
SET enable_seqscan = off SET enable_indexscan = off
AS $$ SELECT id FROM article_search WHERE doc @@ q ORDER BY id DESC LIMIT wanted $$;

-- The newest `wanted` matches among the newest `scanned` articles, testing each one's terms:
-- for a word most articles contain, cheaper than any index lookup (which would go through
-- its whole list of articles).
CREATE FUNCTION portal_newest_matches_among(q tsquery, wanted integer, scanned integer)
RETURNS SETOF BIGINT
LANGUAGE sql STABLE
SET enable_seqscan = off
AS $$ SELECT id FROM (SELECT id, doc FROM article_search ORDER BY id DESC LIMIT scanned) newest
      WHERE doc @@ q ORDER BY id DESC LIMIT wanted $$;

-- The planner's estimate of the share of published articles matching `q` (from the
-- statistics ANALYZE keeps on the terms), for choosing one of the two ways above.
CREATE FUNCTION portal_estimated_share(q tsquery) RETURNS float8
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
    total float8;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM article_search WHERE doc @@ $1' INTO plan USING q;
    SELECT reltuples INTO total FROM pg_class WHERE oid = 'article_search'::regclass;
    IF total IS NULL OR total <= 0 THEN
        RETURN 1;  -- never analysed: a small table, where scanning is cheap anyway
    END IF;
    RETURN least(1, (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8 / total);
END
$$;

-- How many published articles match `q`, through the index: the planner, counting only the
-- narrow rows and not their out-of-line terms, otherwise reads the whole table for a common
-- word (500 ms at 100,000 articles; 4–20 ms this way).
CREATE FUNCTION portal_count_matches(q tsquery) RETURNS BIGINT
LANGUAGE sql STABLE
SET enable_seqscan = off
AS $$ SELECT count(*) FROM article_search WHERE doc @@ q $$;
