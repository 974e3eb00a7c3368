//! The session and sign-in rules an admin sets for this computer: how long sessions
//! last, how long a password check counts for sensitive actions, how failed sign-ins
//! are slowed and locked, and how long a new password must be. Each has bounds that
//! keep it safe and a default from SECURITY.md; each change needs a recent password
//! check and is audited (`settings.rs`). Also the whole-number setting they and the
//! shared desk's settings are made of.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Timestamp;
use crate::db;
use crate::error::{Error, Invalid, Result};
use crate::model::UserId;
use crate::model::audit::{AuditEvent, NewEntry};
use crate::throttle::ThrottleRules;

/// A whole-number setting an admin changes for everyone at this computer, kept in the
/// settings table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeskSetting {
    /// The settings table's key, also the audit detail's name.
    pub(crate) key: &'static str,
    /// The request field that carries it.
    pub(crate) field: &'static str,
    pub(crate) min: i64,
    pub(crate) max: i64,
    pub(crate) default: i64,
}

impl DeskSetting {
    /// The stored value, or the default. A value out of bounds (written by hand) is
    /// logged and replaced by the default rather than trusted.
    pub(crate) fn stored(self, conn: &rusqlite::Connection) -> Result<i64> {
        Ok(match db::settings::get(conn, self.key)? {
            None => self.default,
            Some(text) => match text.parse::<i64>() {
                Ok(value) if (self.min..=self.max).contains(&value) => value,
                _ => {
                    log::warn!(
                        "ignoring the stored {} {text:?}; using the default",
                        self.key
                    );
                    self.default
                }
            },
        })
    }

    /// Stores `value` and audits the change as made by `admin` (id and email), unless it
    /// is the value already stored. Run it inside a write.
    pub(crate) fn change(
        self,
        conn: &rusqlite::Connection,
        value: i64,
        admin: (UserId, &str),
        now: Timestamp,
    ) -> Result<()> {
        let before = self.stored(conn)?;
        if before == value {
            return Ok(());
        }
        db::settings::set(conn, self.key, &value.to_string())?;
        let detail = format!("{} {before} -> {value}", self.key);
        let entry = NewEntry::new(AuditEvent::SettingsChanged)
            .by(admin.0, admin.1)
            .detail(&detail);
        db::audit::append(conn, &entry, now)
    }

    /// Refuses a value out of bounds, naming the request field.
    pub(crate) fn check(self, value: i64) -> Result<()> {
        if value < self.min {
            return Err(Error::invalid(self.field, Invalid::TooSmall(self.min)));
        }
        if value > self.max {
            return Err(Error::invalid(self.field, Invalid::TooLarge(self.max)));
        }
        Ok(())
    }
}

/// Minutes without activity after which a session ends (when it has not locked first).
pub(crate) const IDLE_TIMEOUT: DeskSetting = DeskSetting {
    key: "idle_timeout_minutes",
    field: "idleMinutes",
    min: 1,
    max: 60,
    default: 15,
};

/// Hours after sign-in at which a session ends whatever its activity.
pub(crate) const ABSOLUTE_TIMEOUT: DeskSetting = DeskSetting {
    key: "absolute_timeout_hours",
    field: "absoluteHours",
    min: 1,
    max: 24,
    default: 12,
};

/// Minutes a password check counts for sensitive actions.
pub(crate) const STEP_UP_WINDOW: DeskSetting = DeskSetting {
    key: "step_up_minutes",
    field: "stepUpMinutes",
    min: 1,
    max: 10,
    default: 5,
};

/// Consecutive failed sign-ins that lock an email for a day.
pub(crate) const LOCK_AFTER: DeskSetting = DeskSetting {
    key: "lock_after_failures",
    field: "lockAfterFailures",
    min: 5,
    max: 100,
    default: 100,
};

/// The longest wait between failed sign-ins, in seconds; the shorter waits before it
/// scale with it.
pub(crate) const LONGEST_WAIT: DeskSetting = DeskSetting {
    key: "longest_wait_seconds",
    field: "longestWaitSeconds",
    min: 10,
    max: 60,
    default: 10,
};

/// The shortest new password while the password is the only factor, in characters.
pub(crate) const PASSWORD_MIN: DeskSetting = DeskSetting {
    key: "password_min_chars",
    field: "passwordMinChars",
    min: 15,
    max: 64,
    default: 15,
};

/// The session and sign-in rules, as an admin sees and changes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRules {
    /// Minutes without activity after which a session ends, 1 to 60 (15). A session
    /// that locks first stays signed in, locked, until its lifetime ends.
    pub idle_minutes: i64,
    /// Hours after sign-in at which a session ends, 1 to 24 (12).
    pub absolute_hours: i64,
    /// Minutes a password check counts for sensitive actions, 1 to 10 (5).
    pub step_up_minutes: i64,
    /// Consecutive failed sign-ins that lock an email for a day, 5 to 100 (100).
    pub lock_after_failures: i64,
    /// The longest wait between failed sign-ins, 10 to 60 seconds (10).
    pub longest_wait_seconds: i64,
    /// The shortest new password while it is the only factor, 15 to 64 characters (15).
    /// With a second factor, 8.
    pub password_min_chars: i64,
}

impl Default for SignInRules {
    fn default() -> Self {
        Self {
            idle_minutes: IDLE_TIMEOUT.default,
            absolute_hours: ABSOLUTE_TIMEOUT.default,
            step_up_minutes: STEP_UP_WINDOW.default,
            lock_after_failures: LOCK_AFTER.default,
            longest_wait_seconds: LONGEST_WAIT.default,
            password_min_chars: PASSWORD_MIN.default,
        }
    }
}

impl SignInRules {
    /// Each rule with its setting and value, in the order the screen shows them.
    pub(crate) fn settings(&self) -> [(DeskSetting, i64); 6] {
        [
            (IDLE_TIMEOUT, self.idle_minutes),
            (ABSOLUTE_TIMEOUT, self.absolute_hours),
            (STEP_UP_WINDOW, self.step_up_minutes),
            (LOCK_AFTER, self.lock_after_failures),
            (LONGEST_WAIT, self.longest_wait_seconds),
            (PASSWORD_MIN, self.password_min_chars),
        ]
    }

    /// The rules stored in the vault, each value out of bounds replaced by its default.
    pub(crate) fn stored(conn: &rusqlite::Connection) -> Result<Self> {
        Ok(Self {
            idle_minutes: IDLE_TIMEOUT.stored(conn)?,
            absolute_hours: ABSOLUTE_TIMEOUT.stored(conn)?,
            step_up_minutes: STEP_UP_WINDOW.stored(conn)?,
            lock_after_failures: LOCK_AFTER.stored(conn)?,
            longest_wait_seconds: LONGEST_WAIT.stored(conn)?,
            password_min_chars: PASSWORD_MIN.stored(conn)?,
        })
    }

    /// How failed sign-ins are slowed and locked.
    pub(crate) fn throttle(&self) -> ThrottleRules {
        ThrottleRules {
            lock_after: self.lock_after_failures,
            longest_wait: self.longest_wait_seconds,
        }
    }
}
