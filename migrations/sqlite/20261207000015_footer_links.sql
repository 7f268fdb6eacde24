-- The footer's links besides the sections (About us, Imprint, Privacy…), in the admins'
-- order: a page of this site or a whole https:// address.
CREATE TABLE footer_links (
    position INTEGER PRIMARY KEY,
    label    TEXT    NOT NULL,
    href     TEXT    NOT NULL
) STRICT;

CREATE TRIGGER content_version_footer_links_insert AFTER INSERT ON footer_links
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

CREATE TRIGGER content_version_footer_links_delete AFTER DELETE ON footer_links
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;
