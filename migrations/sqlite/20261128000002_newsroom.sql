-- The newsroom: accounts, revisions, update notes, media, login throttling.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'editor', 'author')),
    -- Argon2id PHC string. Never leaves the server.
    password_hash   TEXT    NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- Bumped on password change or disabling: every session issued before is void.
    session_epoch   INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

-- Uploaded images: resized WebP variants in the media store, described here.
CREATE TABLE media (
    id          INTEGER PRIMARY KEY,
    -- JSON: [{"width": 400, "height": 225, "url": "/media/..."}...], smallest first.
    variants    TEXT    NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    source_type TEXT    NOT NULL,
    bytes       INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
) STRICT;

ALTER TABLE articles ADD COLUMN author_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
-- Optimistic concurrency: every save must name the version it started from.
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- "url 400w, url 800w" for uploaded images; empty for single-file images.
ALTER TABLE articles ADD COLUMN image_srcset TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN image_id INTEGER REFERENCES media(id) ON DELETE SET NULL;

CREATE INDEX articles_admin_by_updated ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_admin_by_status ON articles (status, updated_at DESC, id DESC);
CREATE INDEX articles_by_author ON articles (author_id, updated_at DESC);
CREATE INDEX articles_scheduled ON articles (published_at) WHERE status = 'scheduled';

-- Every save keeps the article as it was saved (JSON of the editable fields).
CREATE TABLE article_revisions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('create', 'save', 'autosave', 'status', 'restore', 'schedule')),
    status      TEXT    NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_at    INTEGER NOT NULL,
    snapshot    TEXT    NOT NULL
) STRICT;
CREATE INDEX article_revisions_by_article ON article_revisions (article_id, id DESC);

-- Dated corrections and update notes shown under an article.
CREATE TABLE article_notes (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    noted_at    INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX article_notes_by_article ON article_notes (article_id, noted_at);

-- Failed logins per account and per client address, in fixed windows.
CREATE TABLE login_throttle (
    key          TEXT    PRIMARY KEY,
    window_start INTEGER NOT NULL,
    failures     INTEGER NOT NULL
) STRICT;
