-- A quick-unlock PIN per account: an argon2id PHC string like a password's, with its own
-- salt. It unlocks only its person's own locked session, within a time after their last
-- password check, and never counts as a password check.
CREATE TABLE pins (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    phc     TEXT    NOT NULL,
    set_at  INTEGER NOT NULL
) STRICT;

-- When the session last proved the password (sign-in or a password unlock; NULL means
-- at creation), which starts the PIN's window, and the wrong PINs typed since the last
-- right one: the fifth ends the session. Counted in the file, so a restart resets
-- nothing.
ALTER TABLE sessions ADD COLUMN password_at INTEGER;
ALTER TABLE sessions ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0;
