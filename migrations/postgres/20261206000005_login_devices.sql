-- Browsers that have logged in to an account before (a device cookie, OWASP's answer to
-- strangers locking an owner out with wrong guesses): such a browser meets its own brake, not
-- the account's. Tokens are stored hashed, as session ids are.
CREATE TABLE login_devices (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used  BIGINT NOT NULL
);
CREATE INDEX login_devices_user ON login_devices (user_id, last_used);
