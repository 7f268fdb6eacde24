-- An article the WordPress import writes starts its history with a revision of its own kind
-- ('import': "Imported from WordPress"). SQLite cannot change a CHECK constraint: the table is
-- built again with the new one, its rows and index as they were.
CREATE TABLE article_revisions_new (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('create', 'save', 'autosave', 'status', 'restore', 'schedule', 'import')),
    status      TEXT    NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_at    INTEGER NOT NULL,
    snapshot    TEXT    NOT NULL
) STRICT;
INSERT INTO article_revisions_new (id, article_id, version, kind, status, user_id, saved_at, snapshot)
    SELECT id, article_id, version, kind, status, user_id, saved_at, snapshot FROM article_revisions;
DROP TABLE article_revisions;
ALTER TABLE article_revisions_new RENAME TO article_revisions;
CREATE INDEX article_revisions_by_article ON article_revisions (article_id, id DESC);
