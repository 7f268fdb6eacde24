-- The results page matches the last word as a prefix too ("harbour" finds "harbours"). FTS5
-- answers a prefix from its prefix index only for the lengths it was built with (2-4 so far);
-- any longer one is expanded to every term it begins and their lists merged, three times per
-- page of results (the ranking, the count, the marking): 2.4 ms of the page's database time
-- for "harbour" at 100,000 articles, 1.1 ms with a prefix index of that length. Lengths up to
-- 12 cover the words readers type; the index grows by about half (most of it lengths 5-8).
-- Same table, same triggers; rebuilt from `articles` (the published articles that are not
-- waiting for an import's final indexing pass, as the triggers keep it).
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, excerpt, body_text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6 7 8 9 10 11 12'
);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');
INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    SELECT id, title, excerpt, body_text FROM articles
    WHERE status = 'published'
        AND id NOT IN (SELECT article_id FROM search_pending);
