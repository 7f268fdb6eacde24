-- The login throttle grows a delay per key instead of locking: `blocked_until` is the first
-- second the next attempt is accepted, and the count restarts once a key has had no failure
-- for a whole window (so the column counts from the last failure, not the first).
ALTER TABLE login_throttle RENAME COLUMN window_start TO last_failure;
ALTER TABLE login_throttle ADD COLUMN blocked_until INTEGER NOT NULL DEFAULT 0;
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure);
