-- Accounts, their password hashes and their sessions.
-- Times are Unix seconds, UTC. Released migrations are append-only: change the schema
-- with a new numbered file, never by editing this one.

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    -- NFKC-normalised and lower-cased, so look-alikes and case variants are one account.
    email                TEXT    NOT NULL UNIQUE,
    display_name         TEXT    NOT NULL,
    -- display_name, NFKC-normalised and lower-cased: the key for prefix search.
    name_key             TEXT    NOT NULL,
    role                 TEXT    NOT NULL CHECK (role IN ('admin', 'user')),
    team                 TEXT,
    phone                TEXT,
    status               TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    password_changed_at  INTEGER NOT NULL,
    last_sign_in_at      INTEGER
) STRICT;

CREATE INDEX users_by_name_key ON users (name_key, email);
CREATE INDEX users_by_team ON users (team, email) WHERE team IS NOT NULL;
CREATE INDEX users_by_role_status ON users (role, status);

-- Kept apart from users so that no query for profile data can select a hash by accident.
CREATE TABLE password_hashes (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- argon2id in PHC string format, parameters included.
    phc     TEXT    NOT NULL
) STRICT;

CREATE TABLE sessions (
    -- The public half of the token.
    id           TEXT    PRIMARY KEY,
    -- SHA-256 of the secret half; the token itself is never stored here.
    secret_hash  BLOB    NOT NULL CHECK (length(secret_hash) = 32),
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    -- Absolute expiry; the idle expiry is last_seen_at plus the configured idle timeout.
    expires_at   INTEGER NOT NULL,
    -- When this session last proved knowledge of the password (sign-in or step-up).
    verified_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_by_user ON sessions (user_id);
