//! Time as a parameter: every rule that depends on "now" asks a [`Clock`].

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, UTC.
pub type Timestamp = i64;

/// Where the vault reads the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time in Unix seconds, UTC.
    fn now(&self) -> Timestamp;

    /// The current time in Unix milliseconds, UTC, for the short waits of the sign-in
    /// throttle. Clocks that only know seconds count whole seconds.
    fn now_millis(&self) -> i64 {
        self.now().saturating_mul(1000)
    }
}

/// The wall clock. Expiry is measured on it, so a machine that slept past a timeout finds
/// the session expired on resume.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }

    fn now_millis(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// A clock that only moves when told to; for tests of expiry and sliding refresh.
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn new(now: Timestamp) -> Self {
        Self(AtomicI64::new(now))
    }

    /// Moves the clock forward (or back, with a negative value) by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Sets the clock to `now`.
    pub fn set(&self, now: Timestamp) {
        self.0.store(now, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0.load(Ordering::SeqCst)
    }
}
