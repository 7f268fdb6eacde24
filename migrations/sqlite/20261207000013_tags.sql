-- Tags: labels editors put on articles, each with a page of its own (/tag/<slug>).
CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- An article's tags, in the order the editor gave them. The article's publication is copied
-- beside each (kept by the trigger below), so that a tag's page walks one index in date order,
-- page 50 as cheaply as page 1, like a section's.
CREATE TABLE article_tags (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id       INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    published_at INTEGER,
    live         INTEGER NOT NULL DEFAULT 0 CHECK (live IN (0, 1)),
    PRIMARY KEY (article_id, tag_id)
) STRICT;
CREATE INDEX article_tags_page ON article_tags (tag_id, published_at DESC, article_id DESC)
    WHERE live;
CREATE INDEX article_tags_tag ON article_tags (tag_id);

CREATE TRIGGER article_tags_follow AFTER UPDATE OF status, published_at ON articles
WHEN old.status IS NOT new.status OR old.published_at IS NOT new.published_at
BEGIN
    UPDATE article_tags SET published_at = new.published_at, live = (new.status = 'published')
    WHERE article_id = new.id;
END;

CREATE TRIGGER content_version_article_tags_insert AFTER INSERT ON article_tags
WHEN new.live
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_article_tags_delete AFTER DELETE ON article_tags
WHEN old.live
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_tags AFTER UPDATE ON tags
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;
