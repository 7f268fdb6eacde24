-- The newsletter (double opt-in). An address is 'pending' from the form until its owner presses
-- "Confirm" (then 'confirmed'); pending ones are forgotten after 7 days; 'bounced' ones had a
-- permanent failure and are not mailed again. Unsubscribing deletes the row: nothing is kept.
-- `token` is the secret in the confirmation, manage and unsubscribe links.
CREATE TABLE subscribers (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    token          TEXT    NOT NULL UNIQUE,
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'bounced')),
    frequency      TEXT    NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    -- Section slugs, comma-separated; empty: every section.
    sections       TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    confirmed_at   INTEGER,
    -- Articles published after this are new to them (their last digest, or when they confirmed).
    last_digest_at INTEGER,
    bounce         TEXT
) STRICT;
CREATE INDEX subscribers_by_status ON subscribers (status, frequency, id);

-- One row per subscriber and period (`2026-12-08` daily, `2026-W50` weekly): whoever inserts
-- it sends that digest, so each is sent once however many servers run. 'sending' rows whose
-- server died are taken over after a lease.
CREATE TABLE digest_sends (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    period        TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('sending', 'sent', 'skipped', 'failed')),
    claimed_at    INTEGER NOT NULL,
    -- The run (and batch) that took it.
    claimed_by    TEXT    NOT NULL DEFAULT '',
    sent_at       INTEGER,
    articles      INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    PRIMARY KEY (subscriber_id, period)
) STRICT;
CREATE INDEX digest_sends_by_period ON digest_sends (period, state);
CREATE INDEX digest_sends_by_time ON digest_sends (claimed_at);

-- When the digests go out: the hour of the day (the newsroom's timezone) and, for weekly
-- ones, the day of the week (1 Monday … 7 Sunday).
CREATE TABLE newsletter_settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    send_hour  INTEGER NOT NULL CHECK (send_hour BETWEEN 0 AND 23),
    weekly_day INTEGER NOT NULL CHECK (weekly_day BETWEEN 1 AND 7)
) STRICT;
INSERT INTO newsletter_settings (id, send_hour, weekly_day) VALUES (1, 7, 1);
