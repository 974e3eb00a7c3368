//! Sign-in throttling per email string: the wait schedule, the lockout, and the
//! reservation that every password check takes before it does any argon2 work.
//!
//! An attempt is counted as a failure *before* its password is checked, in the same
//! IMMEDIATE transaction that reads the count. An attempt that starts while an earlier
//! one is still hashing therefore sees that attempt's failure and its wait, and is
//! refused with `Locked` without hashing anything. The count lives in the vault file,
//! so this holds across threads and processes (a second instance, the recovery CLI)
//! alike. A success clears the count; a failure keeps it, and the 100th locks the
//! email. A process that dies between reservation and verdict leaves the attempt
//! counted: the throttle fails closed. Unknown emails take the same path, so the
//! replies say nothing about which emails have accounts.

use rusqlite::Connection;

use crate::clock::Timestamp;
use crate::db::throttle::{self as rows, Failures};
use crate::error::{Error, Result};

/// Consecutive failures that lock an email when an admin has not chosen fewer.
pub const LOCK_AFTER_FAILURES: i64 = 100;
/// How long a lock lasts without an admin: 24 hours.
pub const LOCK_SECONDS: i64 = 24 * 3600;

/// How failed sign-ins are slowed and locked, as an admin set them (see
/// [`crate::SignInRules`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRules {
    /// Consecutive failures that lock an email (5 to 100).
    pub lock_after: i64,
    /// The longest wait between failures, in seconds (10 to 60).
    pub longest_wait: i64,
}

impl Default for ThrottleRules {
    /// 100 failures, and waits of 1, 3, 5 and 10 seconds.
    fn default() -> Self {
        Self {
            lock_after: LOCK_AFTER_FAILURES,
            longest_wait: 10,
        }
    }
}

impl ThrottleRules {
    /// The wait after `failures` consecutive failures, in whole seconds. With the
    /// longest wait at 10 s: 1 s after 1–2, 3 s for 3–8, 5 s for 9–24, 10 s from 25 on;
    /// a longer longest wait stretches every step by the same factor (never below 1 s).
    pub fn delay(&self, failures: i64) -> i64 {
        let tenths = match failures {
            ..=0 => return 0,
            1..=2 => 1,
            3..=8 => 3,
            9..=24 => 5,
            _ => 10,
        };
        (self.longest_wait * tenths / 10).max(1)
    }

    /// When `failures` started locking its email, in Unix milliseconds: at the recorded
    /// lock, or, for the attempt that reaches the threshold and is still being
    /// checked, at that attempt.
    fn lock_start_ms(&self, failures: Failures) -> Option<i64> {
        match failures.locked_at {
            Some(at) => Some(at.saturating_mul(1000)),
            None => (failures.count >= self.lock_after).then_some(failures.last_ms),
        }
    }

    /// The record as it counts at `now_ms`: a lock that has run its day starts the
    /// count anew.
    fn in_force(&self, failures: Option<Failures>, now_ms: i64) -> Option<Failures> {
        failures.filter(|f| {
            self.lock_start_ms(*f)
                .is_none_or(|start| now_ms < start + LOCK_SECONDS * 1000)
        })
    }

    /// Whole seconds (rounded up) until `failures` allows another attempt at `now_ms`,
    /// if it does not yet.
    pub(crate) fn wait(&self, failures: Failures, now_ms: i64) -> Option<i64> {
        let until_ms = match self.lock_start_ms(failures) {
            Some(start) => start + LOCK_SECONDS * 1000,
            None => failures.last_ms + self.delay(failures.count) * 1000,
        };
        (now_ms < until_ms).then(|| (until_ms - now_ms + 999) / 1000)
    }
}

/// An attempt that holds its place in the count while its password is checked.
#[derive(Debug, Clone)]
pub(crate) struct Reservation {
    email: String,
    previous: Option<Failures>,
    claimed: Failures,
}

impl Reservation {
    /// The email the attempt was counted against.
    pub(crate) fn email(&self) -> &str {
        &self.email
    }
}

/// Counts an attempt at `email` as failed before its password is checked, at `now_ms`
/// (Unix milliseconds). Run it in an IMMEDIATE transaction, so that the read and the
/// write are one step for every other connection.
///
/// Errors: `Locked` while the email must wait; nothing is written then.
pub(crate) fn reserve(
    conn: &Connection,
    rules: ThrottleRules,
    email: &str,
    now_ms: i64,
) -> Result<Reservation> {
    let previous = rules.in_force(rows::get(conn, email)?, now_ms);
    if let Some(retry_after) = previous.and_then(|f| rules.wait(f, now_ms)) {
        return Err(Error::Locked { retry_after });
    }
    let claimed = Failures {
        count: previous.map_or(0, |f| f.count) + 1,
        last_ms: now_ms,
        locked_at: None,
    };
    rows::put(conn, email, claimed)?;
    Ok(Reservation {
        email: email.to_owned(),
        previous,
        claimed,
    })
}

/// Gives back an attempt whose password was never checked (the hashing queue was
/// full): the record returns to what it was, unless something else changed it since.
pub(crate) fn release(conn: &Connection, reservation: &Reservation) -> Result<()> {
    if rows::get(conn, &reservation.email)? != Some(reservation.claimed) {
        return Ok(());
    }
    match reservation.previous {
        Some(previous) => rows::put(conn, &reservation.email, previous),
        None => rows::clear(conn, &reservation.email).map(drop),
    }
}

/// Forgets the failures of `email` (a success, an unlock, a new password); true when
/// there were any.
pub(crate) fn clear(conn: &Connection, email: &str) -> Result<bool> {
    rows::clear(conn, email)
}

/// Confirms a reserved attempt as failed. Returns true when it was the one that locked
/// the email (the caller audits the lockout).
pub(crate) fn confirm_failure(
    conn: &Connection,
    rules: ThrottleRules,
    reservation: &Reservation,
    now: Timestamp,
) -> Result<bool> {
    if reservation.claimed.count < rules.lock_after {
        return Ok(false);
    }
    rows::lock(conn, &reservation.email, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_795_737_600;
    const NOW_MS: i64 = NOW * 1000;
    const RULES: ThrottleRules = ThrottleRules {
        lock_after: LOCK_AFTER_FAILURES,
        longest_wait: 10,
    };

    fn wait(failures: Failures, now_ms: i64) -> Option<i64> {
        RULES.wait(failures, now_ms)
    }

    fn in_force(failures: Option<Failures>, now_ms: i64) -> Option<Failures> {
        RULES.in_force(failures, now_ms)
    }

    fn reserve(conn: &Connection, email: &str, now_ms: i64) -> Result<Reservation> {
        super::reserve(conn, RULES, email, now_ms)
    }

    fn failures(count: i64, last_ms: i64, locked_at: Option<Timestamp>) -> Failures {
        Failures {
            count,
            last_ms,
            locked_at,
        }
    }

    #[test]
    fn the_wait_follows_the_schedule() {
        assert_eq!(wait(failures(1, NOW_MS, None), NOW_MS), Some(1));
        assert_eq!(wait(failures(1, NOW_MS, None), NOW_MS + 1000), None);
        assert_eq!(wait(failures(3, NOW_MS, None), NOW_MS + 1000), Some(2));
        assert_eq!(wait(failures(25, NOW_MS, None), NOW_MS), Some(10));
    }

    #[test]
    fn the_wait_is_measured_to_the_millisecond_across_a_second_boundary() {
        // A failure counted at .999 still holds an attempt a millisecond later.
        let late = failures(1, NOW_MS + 999, None);
        assert_eq!(wait(late, NOW_MS + 1000), Some(1));
        assert_eq!(wait(late, NOW_MS + 1998), Some(1));
        assert_eq!(wait(late, NOW_MS + 1999), None);
    }

    #[test]
    fn the_hundredth_attempt_locks_while_it_is_still_being_checked() {
        let pending = failures(LOCK_AFTER_FAILURES, NOW_MS, None);
        assert_eq!(wait(pending, NOW_MS + 60_000), Some(LOCK_SECONDS - 60));
        let locked = failures(LOCK_AFTER_FAILURES, NOW_MS, Some(NOW + 1));
        assert_eq!(wait(locked, NOW_MS + 1000), Some(LOCK_SECONDS));
    }

    #[test]
    fn a_released_reservation_leaves_the_record_as_it_was() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::internal("temp dir", e))?;
        let conn = crate::db::open(&dir.path().join("vault.sqlite"))?;
        let email = "clerk@shop.example";

        let first = reserve(&conn, email, NOW_MS)?;
        release(&conn, &first)?;
        assert_eq!(rows::get(&conn, email)?, None);

        let counted = reserve(&conn, email, NOW_MS)?;
        assert!(matches!(
            reserve(&conn, email, NOW_MS),
            Err(Error::Locked { retry_after: 1 })
        ));
        let second = reserve(&conn, email, NOW_MS + 1000)?;
        release(&conn, &second)?;
        assert_eq!(rows::get(&conn, email)?, Some(counted.claimed));

        // A record changed since (here: a success cleared it) is left alone.
        let third = reserve(&conn, email, NOW_MS + 2000)?;
        clear(&conn, email)?;
        release(&conn, &third)?;
        assert_eq!(rows::get(&conn, email)?, None);
        Ok(())
    }

    #[test]
    fn an_ended_lock_starts_the_count_anew() {
        let locked = failures(LOCK_AFTER_FAILURES, NOW_MS, Some(NOW));
        let day_ms = LOCK_SECONDS * 1000;
        assert_eq!(in_force(Some(locked), NOW_MS + day_ms - 1), Some(locked));
        assert_eq!(in_force(Some(locked), NOW_MS + day_ms), None);
        let ordinary = failures(5, NOW_MS, None);
        assert_eq!(
            in_force(Some(ordinary), NOW_MS + 10 * day_ms),
            Some(ordinary)
        );
    }

    #[test]
    fn the_default_schedule_is_the_documented_one() {
        let delays: Vec<i64> = [0, 1, 2, 3, 8, 9, 24, 25, 99]
            .iter()
            .map(|&n| ThrottleRules::default().delay(n))
            .collect();
        assert_eq!(delays, [0, 1, 1, 3, 3, 5, 5, 10, 10]);
    }

    #[test]
    fn a_longer_longest_wait_stretches_every_step() {
        let strict = ThrottleRules {
            lock_after: 10,
            longest_wait: 60,
        };
        let delays: Vec<i64> = [1, 3, 9, 25].iter().map(|&n| strict.delay(n)).collect();
        assert_eq!(delays, [6, 18, 30, 60]);
        // The tenth failure locks under these rules, while it is still being checked.
        let pending = failures(10, NOW_MS, None);
        assert_eq!(strict.wait(pending, NOW_MS), Some(LOCK_SECONDS));
        assert_eq!(RULES.wait(pending, NOW_MS), Some(5));
    }
}
