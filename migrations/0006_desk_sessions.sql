-- Several people may be signed in at one computer: one session active, the others
-- locked. Signing someone else in locks the active session with the new reason
-- 'switch'. SQLite cannot change a CHECK constraint in place, so the table is rebuilt
-- with the same columns; nothing refers to it.
CREATE TABLE sessions_new (
    id                  TEXT    PRIMARY KEY,
    secret_hash         BLOB    NOT NULL CHECK (length(secret_hash) = 32),
    user_id             INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at          INTEGER NOT NULL,
    last_seen_at        INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    verified_at         INTEGER NOT NULL,
    previous_sign_in_at INTEGER,
    locked_at           INTEGER,
    lock_reason         TEXT
        CHECK (lock_reason IS NULL OR lock_reason IN ('manual', 'idle', 'sleep', 'os_lock', 'switch')),
    password_at         INTEGER,
    pin_failures        INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO sessions_new (id, secret_hash, user_id, created_at, last_seen_at, expires_at,
                          verified_at, previous_sign_in_at, locked_at, lock_reason,
                          password_at, pin_failures)
SELECT id, secret_hash, user_id, created_at, last_seen_at, expires_at, verified_at,
       previous_sign_in_at, locked_at, lock_reason, password_at, pin_failures
FROM sessions;

DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_by_user ON sessions (user_id);
