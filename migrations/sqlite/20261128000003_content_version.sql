-- A counter that moves whenever anything readers can see changes, in the same transaction as
-- the change. Page caches (one per server) compare it to know when to drop what they hold.
CREATE TABLE site_state (
    key   TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO site_state (key, value) VALUES ('content_version', 1);

CREATE TRIGGER content_version_article_insert AFTER INSERT ON articles
WHEN new.status = 'published'
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_article_update AFTER UPDATE ON articles
WHEN old.status = 'published' OR new.status = 'published'
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_article_delete AFTER DELETE ON articles
WHEN old.status = 'published'
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_note AFTER INSERT ON article_notes
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_read_also_insert AFTER INSERT ON article_read_also
WHEN (SELECT status FROM articles WHERE id = new.article_id) = 'published'
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_read_also_delete AFTER DELETE ON article_read_also
WHEN (SELECT status FROM articles WHERE id = old.article_id) = 'published'
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_categories AFTER UPDATE ON categories
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;
