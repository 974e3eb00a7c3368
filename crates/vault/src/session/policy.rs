//! The limits this process puts on how long sessions last: idle and absolute timeouts,
//! the step-up window and the auto-lock time. An admin's choices (`SignInRules`,
//! `DeskSettings`) apply within them; a limit can only shorten.

use crate::error::{Error, Result};

/// The longest times sessions may last in this process, whatever an admin chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    idle_seconds: i64,
    absolute_seconds: i64,
    step_up_seconds: i64,
    auto_lock_limit_seconds: i64,
}

impl SessionPolicy {
    /// The auto-lock time when an admin has not chosen one: five minutes.
    pub const AUTO_LOCK_DEFAULT_MINUTES: i64 = 5;
    /// The longest auto-lock time an admin may choose: an hour.
    pub const AUTO_LOCK_MAX_MINUTES: i64 = 60;
    /// How long after a session's last password check a PIN may unlock it, unless an
    /// admin chose otherwise: eight hours.
    pub const PIN_WINDOW_DEFAULT_HOURS: i64 = 8;
    /// The longest PIN window an admin may choose: the twelve hours a session lasts.
    pub const PIN_WINDOW_MAX_HOURS: i64 = 12;
    /// How many sessions one computer holds at once: one active, the others locked.
    /// Signing in one more ends the locked session used least recently.
    pub const DESK_SESSIONS: usize = 8;

    /// Activity closer together than this does not rewrite last-seen.
    pub const TOUCH_INTERVAL: i64 = 60;

    /// The longest step-up window an admin may choose: ten minutes.
    pub const STEP_UP_MAX_SECONDS: i64 = 10 * 60;

    /// Sessions end after at most `idle_minutes` (1 to 60) without activity and at most
    /// `absolute_hours` (1 to 24) after sign-in, whatever an admin chose.
    pub fn new(idle_minutes: i64, absolute_hours: i64) -> Result<Self> {
        if !(1..=60).contains(&idle_minutes) {
            return Err(Error::invalid(
                "idle_timeout",
                crate::error::Invalid::Malformed,
            ));
        }
        if !(1..=24).contains(&absolute_hours) {
            return Err(Error::invalid(
                "absolute_timeout",
                crate::error::Invalid::Malformed,
            ));
        }
        Ok(Self {
            idle_seconds: idle_minutes * 60,
            absolute_seconds: absolute_hours * 3600,
            ..Self::default()
        })
    }

    /// The same policy with sessions locking after at most `seconds` (1 to 3600) without
    /// activity, whatever the admin chose. Like the step-up window it can only shorten
    /// the time: for tests, and for a desk that must lock sooner than a minute.
    pub fn with_auto_lock_limit(self, seconds: i64) -> Result<Self> {
        if !(1..=Self::AUTO_LOCK_MAX_MINUTES * 60).contains(&seconds) {
            return Err(Error::invalid(
                "auto_lock_seconds",
                crate::error::Invalid::Malformed,
            ));
        }
        Ok(Self {
            auto_lock_limit_seconds: seconds,
            ..self
        })
    }

    /// The auto-lock time in force when the admin chose `minutes`: never longer than
    /// the limit.
    pub fn auto_lock_seconds(&self, minutes: i64) -> i64 {
        (minutes * 60).min(self.auto_lock_limit_seconds)
    }

    /// The same policy with a step-up window of at most `seconds` (0 to 600): for tests,
    /// which need a password check to run out quickly.
    pub fn with_step_up_seconds(self, seconds: i64) -> Result<Self> {
        if !(0..=Self::STEP_UP_MAX_SECONDS).contains(&seconds) {
            return Err(Error::invalid(
                "step_up_seconds",
                crate::error::Invalid::Malformed,
            ));
        }
        Ok(Self {
            step_up_seconds: seconds,
            ..self
        })
    }

    /// The longest a password check counts for sensitive actions.
    pub fn step_up_seconds(&self) -> i64 {
        self.step_up_seconds
    }

    /// The most seconds of inactivity before a session ends.
    pub fn idle_seconds(&self) -> i64 {
        self.idle_seconds
    }

    /// The most seconds after sign-in before a session ends, whatever its activity.
    pub fn absolute_seconds(&self) -> i64 {
        self.absolute_seconds
    }
}

impl Default for SessionPolicy {
    /// No limit below an admin's bounds: 60 minutes idle, 24 hours absolute, a ten-minute
    /// step-up window, an hour's auto-lock.
    fn default() -> Self {
        Self {
            idle_seconds: 60 * 60,
            absolute_seconds: 24 * 3600,
            step_up_seconds: Self::STEP_UP_MAX_SECONDS,
            auto_lock_limit_seconds: Self::AUTO_LOCK_MAX_MINUTES * 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_policy_bounds() {
        assert!(SessionPolicy::new(1, 1).is_ok());
        assert!(SessionPolicy::new(60, 24).is_ok());
        assert!(SessionPolicy::new(0, 12).is_err());
        assert!(SessionPolicy::new(61, 12).is_err());
        assert!(SessionPolicy::new(15, 25).is_err());
        assert_eq!(SessionPolicy::default().idle_seconds(), 3600);
    }

    #[test]
    fn the_auto_lock_limit_only_shortens() {
        let policy = SessionPolicy::default();
        assert_eq!(policy.auto_lock_seconds(5), 300);
        let short = policy.with_auto_lock_limit(20).unwrap();
        assert_eq!(short.auto_lock_seconds(5), 20);
        assert_eq!(short.auto_lock_seconds(60), 20);
        assert!(policy.with_auto_lock_limit(0).is_err());
        assert!(policy.with_auto_lock_limit(3601).is_err());
    }
}
