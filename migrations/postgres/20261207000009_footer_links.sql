-- The footer's links besides the sections (see the SQLite migration of the same name).
CREATE TABLE footer_links (
    position BIGINT PRIMARY KEY,
    label    TEXT   NOT NULL,
    href     TEXT   NOT NULL
);

CREATE TRIGGER content_version_footer_links AFTER INSERT OR DELETE ON footer_links
    FOR EACH STATEMENT EXECUTE FUNCTION portal_content_changed();
