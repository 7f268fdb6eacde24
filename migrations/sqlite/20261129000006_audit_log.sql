-- The audit log: logins (and failed ones) with the client's address, account changes,
-- publishing. Read by admins, newest first.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    target   TEXT    NOT NULL,
    client   TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
