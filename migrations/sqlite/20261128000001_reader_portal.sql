-- Sections of the paper, in the editorial order of the navigation.
CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    -- 0 for sections linked from the top bar instead of the main navigation (Press release).
    in_nav      INTEGER NOT NULL DEFAULT 1 CHECK (in_nav IN (0, 1))
) STRICT;

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE,
    title           TEXT    NOT NULL,
    excerpt         TEXT    NOT NULL DEFAULT '',
    -- The Markdown the editor wrote, and what readers get: rendered and sanitised at save time.
    body_md         TEXT    NOT NULL DEFAULT '',
    body_html       TEXT    NOT NULL DEFAULT '',
    -- Plain text of the body, for the search index.
    body_text       TEXT    NOT NULL DEFAULT '',
    reading_minutes INTEGER NOT NULL DEFAULT 1,
    category_id     INTEGER NOT NULL REFERENCES categories(id),
    author_name     TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'review', 'scheduled', 'published', 'trash')),
    -- Unix seconds. Set for published and scheduled articles.
    published_at    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    image_url       TEXT,
    image_alt       TEXT    NOT NULL DEFAULT '',
    image_caption   TEXT    NOT NULL DEFAULT '',
    image_credit    TEXT    NOT NULL DEFAULT '',
    image_width     INTEGER,
    image_height    INTEGER,
    editors_pick    INTEGER NOT NULL DEFAULT 0 CHECK (editors_pick IN (0, 1)),
    pick_order      INTEGER NOT NULL DEFAULT 0,
    CHECK (status NOT IN ('published', 'scheduled') OR published_at IS NOT NULL)
) STRICT;

-- Every list readers see is "published, newest first", site-wide or per section.
CREATE INDEX articles_by_date ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_by_category ON articles (category_id, status, published_at DESC, id DESC);
CREATE INDEX articles_picks ON articles (pick_order, published_at DESC) WHERE editors_pick = 1;

-- The two hand-chosen links of the "READ ALSO" box.
CREATE TABLE article_read_also (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position BETWEEN 1 AND 2),
    target_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, position)
) STRICT;
CREATE INDEX article_read_also_target ON article_read_also (target_id);

-- Full-text search over published articles only. External content: the text lives once, in
-- `articles`; the index holds just the terms. The triggers keep it exact on every write.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, excerpt, body_text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
-- Titles weigh most, then the excerpt, then the body.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
WHEN new.status = 'published'
BEGIN
    INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    VALUES (new.id, new.title, new.excerpt, new.body_text);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
WHEN old.status = 'published'
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)
    VALUES ('delete', old.id, old.title, old.excerpt, old.body_text);
END;

-- One trigger, two statements in order: the old terms go out before the new ones come in
-- (the other order would drop terms the two versions share).
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, body_text, status ON articles
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)
    SELECT 'delete', old.id, old.title, old.excerpt, old.body_text WHERE old.status = 'published';
    INSERT INTO articles_fts (rowid, title, excerpt, body_text)
    SELECT new.id, new.title, new.excerpt, new.body_text WHERE new.status = 'published';
END;

INSERT INTO categories (slug, name, position, in_nav) VALUES
    ('politics', 'Politics', 1, 1),
    ('world', 'World', 2, 1),
    ('business', 'Business', 3, 1),
    ('lifestyle', 'Lifestyle', 4, 1),
    ('opinion', 'Opinion', 5, 1),
    ('tech', 'Tech', 6, 1),
    ('travel', 'Travel', 7, 1),
    ('press-release', 'Press release', 8, 0);
