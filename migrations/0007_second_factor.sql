-- A second factor per account: a TOTP secret sealed with XChaCha20-Poly1305 under a key
-- derived from the person's password (argon2id with its own salt and the parameters
-- recorded beside it), so the file alone does not yield it. `last_step` is the newest
-- 30-second step whose code was used: a code of that step or an older one is refused.
CREATE TABLE second_factors (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed      BLOB    NOT NULL,
    nonce       BLOB    NOT NULL CHECK (length(nonce) = 24),
    key_salt    BLOB    NOT NULL CHECK (length(key_salt) = 16),
    key_params  TEXT    NOT NULL,
    last_step   INTEGER NOT NULL DEFAULT 0,
    enrolled_at INTEGER NOT NULL
) STRICT;

-- Single-use recovery codes: HMAC-SHA-256 digests under a key in the settings table,
-- never the codes. A used code keeps its row, with the time it was used.
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest  BLOB    NOT NULL CHECK (length(digest) = 32),
    used_at INTEGER,
    PRIMARY KEY (user_id, digest)
) STRICT;
