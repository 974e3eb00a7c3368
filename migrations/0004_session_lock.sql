-- A session can be locked instead of ended: the person stays signed in, but nothing
-- answers until they prove themselves again. NULL means active. A locked session is
-- exempt from the idle timeout (the lock is what protects it) and still ends at its
-- absolute expiry.
ALTER TABLE sessions ADD COLUMN locked_at INTEGER;
ALTER TABLE sessions ADD COLUMN lock_reason TEXT
    CHECK (lock_reason IS NULL OR lock_reason IN ('manual', 'idle', 'sleep', 'os_lock'));

