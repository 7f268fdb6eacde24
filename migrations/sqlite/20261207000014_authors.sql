-- Author profiles: who wrote a story, as readers see it (/author/<slug>). A profile need not
-- be an account (imported authors, wire services, guest writers); an account may be linked
-- to one, and its person edits it.
CREATE TABLE authors (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    -- "Politics correspondent".
    role_title   TEXT    NOT NULL DEFAULT '',
    bio          TEXT    NOT NULL DEFAULT '',
    photo_id     INTEGER REFERENCES media(id) ON DELETE SET NULL,
    -- The photo as pages show it (JSON: the media's reference), '' for none.
    photo        TEXT    NOT NULL DEFAULT '',
    -- Addresses elsewhere, one per line.
    links        TEXT    NOT NULL DEFAULT '',
    user_id      INTEGER UNIQUE REFERENCES users(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- An article's authors, in byline order, kept like its tags (see article_tags).
CREATE TABLE article_authors (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    published_at INTEGER,
    live         INTEGER NOT NULL DEFAULT 0 CHECK (live IN (0, 1)),
    PRIMARY KEY (article_id, author_id)
) STRICT;
CREATE INDEX article_authors_page ON article_authors (author_id, published_at DESC, article_id DESC)
    WHERE live;
CREATE INDEX article_authors_author ON article_authors (author_id);

CREATE TRIGGER article_authors_follow AFTER UPDATE OF status, published_at ON articles
WHEN old.status IS NOT new.status OR old.published_at IS NOT new.published_at
BEGIN
    UPDATE article_authors SET published_at = new.published_at, live = (new.status = 'published')
    WHERE article_id = new.id;
END;

CREATE TRIGGER content_version_article_authors_insert AFTER INSERT ON article_authors
WHEN new.live
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_article_authors_delete AFTER DELETE ON article_authors
WHEN old.live
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_authors AFTER UPDATE ON authors
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;
