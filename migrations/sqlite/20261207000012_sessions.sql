-- The session table (tower-sessions' SQLite store, exactly as its own `migrate` would make it),
-- created with the rest of the schema. Made by the store at the server's first start, it changed
-- the schema while the pool's other connections were open, and the first statement on one of
-- them failed with "no such table: articles" (publishing the articles that came due while the
-- server was stopped, at the first start after `portal-demo seed`).
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
