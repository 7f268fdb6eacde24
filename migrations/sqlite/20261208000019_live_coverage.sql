-- Live coverage: an article that grows by short timestamped updates while readers keep it open.
-- `live_state`: 0 an ordinary article, 1 live now, 2 coverage ended (the page says so).
-- `live_rev` counts every change of its coverage (an update posted, edited, pinned, deleted;
-- the coverage ended): the reader's stream names each event by it (`Last-Event-ID`), and a
-- reader who comes back asks for what moved after the one it saw last.
-- Changing these columns is a change of the article (its page leaves the page cache), not an
-- edit of it: `version`, which the editor's conflict check reads, does not move.
ALTER TABLE articles ADD COLUMN live_state INTEGER NOT NULL DEFAULT 0 CHECK (live_state IN (0, 1, 2));
ALTER TABLE articles ADD COLUMN live_started_at INTEGER;
ALTER TABLE articles ADD COLUMN live_ended_at INTEGER;
ALTER TABLE articles ADD COLUMN live_rev INTEGER NOT NULL DEFAULT 0;
-- The `live_rev` at which the coverage last started or ended.
ALTER TABLE articles ADD COLUMN live_state_rev INTEGER NOT NULL DEFAULT 0;

-- An update keeps its row when deleted (`deleted` = 1, its text gone): a reader who was away
-- learns that it went.
CREATE TABLE live_updates (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- The article's `live_rev` of this update's last change.
    rev         INTEGER NOT NULL,
    -- The byline profile it appears under, and the account that posted it (the policy's "own").
    author_id   INTEGER REFERENCES authors (id) ON DELETE SET NULL,
    posted_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body_md     TEXT    NOT NULL DEFAULT '',
    body_html   TEXT    NOT NULL DEFAULT '',
    -- A key event's short title ('' for an ordinary update).
    key_title   TEXT    NOT NULL DEFAULT '',
    pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    -- Unix seconds; `edited_at` when the text changed after posting.
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER
) STRICT;
CREATE UNIQUE INDEX live_updates_by_rev ON live_updates (article_id, rev);
CREATE INDEX live_updates_stream ON live_updates (article_id, created_at DESC, id DESC) WHERE NOT deleted;
CREATE UNIQUE INDEX live_updates_one_pinned ON live_updates (article_id) WHERE pinned AND NOT deleted;
