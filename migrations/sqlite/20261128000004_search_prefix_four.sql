-- Live search at 100,000 articles: a typed word of four letters ("year") expanded to every
-- indexed term that starts with it and merged their full lists (over 10 ms). A prefix index for
-- four letters too makes it one list read newest-first. Same table, same triggers; the index is
-- rebuilt from `articles` (published articles only, like the triggers keep it).
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, excerpt, body_text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');
INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    SELECT id, title, excerpt, body_text FROM articles WHERE status = 'published';
