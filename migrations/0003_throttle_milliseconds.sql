-- Failed sign-ins are timed to the millisecond. With whole seconds, the one-second wait
-- after a failure could end a millisecond after it began (a failure at 12:00:00.999 and
-- an attempt at 12:00:01.000), so attempts sent together could straddle a second and
-- both be checked. Each attempt is counted when it starts, at this precision.
ALTER TABLE login_throttle RENAME COLUMN last_failure_at TO last_failure_ms;
UPDATE login_throttle SET last_failure_ms = last_failure_ms * 1000;
