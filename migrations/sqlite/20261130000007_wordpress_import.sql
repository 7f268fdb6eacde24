-- Old addresses that answer 301 to a new one: the permalinks of an imported WordPress site, or
-- any an editor adds. Data, not code: a row per address, looked up only for addresses the portal
-- does not serve itself (a 404), so it costs readers nothing.
CREATE TABLE redirects (
    -- As the server normalises a request: percent-decoded, lower case, no trailing slash,
    -- "/?p=42" for WordPress's query forms.
    from_path   TEXT    PRIMARY KEY,
    to_path     TEXT    NOT NULL,
    -- 'wordpress' for an import's, 'manual' for an editor's.
    source      TEXT    NOT NULL DEFAULT 'manual',
    created_at  INTEGER NOT NULL
) STRICT;

-- What a WordPress import brought in, by the site and the post's id there: a second run skips
-- them, and an interrupted one resumes where it stopped.
CREATE TABLE imported_posts (
    site        TEXT    NOT NULL,
    wp_id       INTEGER NOT NULL,
    article_id  INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (site, wp_id)
) STRICT;

-- Image files an import stored, by their path under wp-content/uploads: each is processed
-- once, however many posts use it and however often the import runs.
CREATE TABLE imported_files (
    site        TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    media_id    INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    PRIMARY KEY (site, path)
) STRICT;

-- A new section (an import creates them) changes what readers see too.
CREATE TRIGGER content_version_categories_insert AFTER INSERT ON categories
BEGIN
    UPDATE site_state SET value = value + 1 WHERE key = 'content_version';
END;

-- Imports started from the newsroom (an admin uploads the export): one runs at a time, and the
-- page that started it — on whichever server — reads its progress and report here.
CREATE TABLE import_runs (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    file_name   TEXT    NOT NULL,
    dry_run     INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
    status      TEXT    NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    posts_done  INTEGER NOT NULL DEFAULT 0,
    posts_total INTEGER NOT NULL DEFAULT 0,
    report      TEXT    NOT NULL DEFAULT '',
    started_at  INTEGER NOT NULL,
    -- Moves with the progress: a running import whose server died stops blocking others.
    updated_at  INTEGER NOT NULL
) STRICT;
