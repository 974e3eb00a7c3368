-- Throttling, the audit log and vault-wide settings.

-- Failed sign-ins per email string as typed (normalised), whether or not an account
-- has it, so the throttle says nothing about which emails exist.
CREATE TABLE login_throttle (
    email           TEXT    PRIMARY KEY,
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    last_failure_at INTEGER NOT NULL,
    -- Set at the 100th consecutive failure; cleared by an admin unlock, a success, or
    -- when the lock expires.
    locked_at       INTEGER
) STRICT;

CREATE INDEX login_throttle_locked ON login_throttle (locked_at) WHERE locked_at IS NOT NULL;

-- Append-only and hash-chained: each row stores the hash of the previous row and the
-- SHA-256 of that hash followed by its own canonical content. Never a password, hash
-- or token.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    event        TEXT    NOT NULL,
    outcome      TEXT    NOT NULL CHECK (outcome IN ('success', 'failure')),
    actor_id     INTEGER,
    actor_email  TEXT,
    target_id    INTEGER,
    target_email TEXT,
    detail       TEXT,
    prev_hash    BLOB    NOT NULL CHECK (length(prev_hash) = 32),
    hash         BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE INDEX audit_by_time ON audit_log (at, id);
CREATE INDEX audit_by_event ON audit_log (event, id);
CREATE INDEX audit_by_target ON audit_log (target_id, id);
CREATE INDEX audit_by_actor ON audit_log (actor_id, id);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Vault-wide settings: calibrated argon2 parameters, the break-glass notice.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The account's previous sign-in, kept with the session so "since your last sign-in"
-- can be shown for as long as the session lasts.
ALTER TABLE sessions ADD COLUMN previous_sign_in_at INTEGER;
