//! Locking instead of signing out. A locked session stays signed in, but
//! [`Vault::verify_session`] refuses it with `SessionLocked` until its person types their
//! password again; only the lock screen's calls ([`Vault::locked_session`],
//! [`Vault::unlock_session`], [`Vault::logout`]) work meanwhile. Sessions lock on request, after
//! the auto-lock time without activity (on the wall clock, so a sleeping computer cannot
//! skip it), and when the operating system locks or sleeps.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Timestamp;
use std::sync::atomic::Ordering;

use crate::db::sessions::{SessionRow, UnlockedBy};
use crate::db::{audit, sessions, users};
use crate::dto::CurrentUser;
use crate::error::{Error, Result};
use crate::model::LockReason;
use crate::model::audit::{AuditEvent, NewEntry};
use crate::password::Verdict;
use crate::secret::SecretString;
use crate::session::AdminSession;
use crate::session::SessionToken;
use crate::step_up::AdminAction;
use crate::throttle;
use crate::validate;
use crate::vault::{AUTO_LOCK, PIN_WINDOW, SHOW_PEOPLE, Vault};

/// The shared desk's settings, as an admin sees and changes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskSettings {
    /// Minutes without activity before a session locks (1 to 60), as chosen.
    pub auto_lock_minutes: i64,
    /// The seconds in force: shorter than the choice when `LATCHKEY_AUTO_LOCK_SECONDS`
    /// shortens it on this computer.
    pub auto_lock_seconds: i64,
    /// Hours after a session's last password check during which a PIN unlocks it
    /// (1 to 12).
    pub pin_window_hours: i64,
    /// Whether the lock screen lists the people signed in here; when not, it shows an
    /// email field only.
    pub show_people: bool,
}

/// New values for the shared desk's settings.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeskSettingsUpdate {
    /// Minutes without activity before a session locks, 1 to 60.
    pub auto_lock_minutes: i64,
    /// Hours after the last password check during which a PIN unlocks, 1 to 12.
    pub pin_window_hours: i64,
    /// Whether the lock screen lists the people signed in here.
    pub show_people: bool,
}

impl Vault {
    /// The shared desk's settings.
    pub fn desk_settings(&self, _admin: &AdminSession<'_>) -> Result<DeskSettings> {
        Ok(self.current_desk_settings())
    }

    fn current_desk_settings(&self) -> DeskSettings {
        DeskSettings {
            auto_lock_minutes: self.auto_lock_minutes.load(Ordering::SeqCst),
            auto_lock_seconds: self.auto_lock_seconds(),
            pin_window_hours: self.pin_window_hours.load(Ordering::SeqCst),
            show_people: self.show_people.load(Ordering::SeqCst) != 0,
        }
    }

    /// Changes the shared desk's settings for every session at this computer. Needs a
    /// recent password check; each value that changes is audited.
    ///
    /// Errors: `Validation` (`autoLockMinutes`, `pinWindowHours`) for a value out of
    /// bounds, before anything else; `ReauthRequired`.
    pub fn update_desk_settings(
        &self,
        admin: &AdminSession<'_>,
        update: &DeskSettingsUpdate,
    ) -> Result<DeskSettings> {
        let changes = [
            (AUTO_LOCK, update.auto_lock_minutes, &self.auto_lock_minutes),
            (PIN_WINDOW, update.pin_window_hours, &self.pin_window_hours),
            (
                SHOW_PEOPLE,
                i64::from(update.show_people),
                &self.show_people,
            ),
        ];
        for (setting, value, _) in changes {
            setting.check(value)?;
        }
        self.authorize(admin, AdminAction::ChangeSettings)?;
        let me = users::require(&self.conn(), admin.session().user_id())?;
        let now = self.now();
        self.write(|conn| {
            for (setting, value, _) in changes {
                setting.change(conn, value, (me.id, &me.email), now)?;
            }
            Ok(())
        })?;
        for (_, value, cache) in changes {
            cache.store(value, Ordering::SeqCst);
        }
        Ok(self.current_desk_settings())
    }

    /// Locks this computer's session. Returns whether it was active and is now locked;
    /// nobody signed in, or a session already locked, is not an error.
    pub fn lock_session(&self, reason: LockReason) -> Result<bool> {
        let now = self.now();
        let mut current = self.current();
        let Some(token) = self.token(&mut current) else {
            return Ok(false);
        };
        let conn = self.conn();
        let row = match self.live_row(&conn, &mut current, &token, now) {
            Ok(row) => row,
            Err(Error::NotAuthenticated | Error::SessionExpired) => return Ok(false),
            Err(e) => return Err(e),
        };
        if row.locked.is_some() {
            return Ok(false);
        }
        self.lock_row(&conn, &mut current, token.id(), &row, now, reason)?;
        Ok(true)
    }

    /// Locks the session when it has been idle for the auto-lock time. Meant for a timer
    /// that runs every second or so: until the time is nearly up it only compares two
    /// numbers in memory, and it never reads the keyring (a session this process has not
    /// checked yet is left to the next command's check).
    pub fn lock_if_idle(&self) -> Result<Option<LockReason>> {
        let now = self.now();
        let auto_lock = self.auto_lock_seconds();
        let mut current = self.current();
        let (Some(token), Some(activity)) = (current.selected_token(), current.activity) else {
            return Ok(None);
        };
        if now - activity < auto_lock {
            return Ok(None);
        }
        let conn = self.conn();
        let row = match self.live_row(&conn, &mut current, &token, now) {
            Ok(row) => row,
            Err(Error::NotAuthenticated | Error::SessionExpired) => return Ok(None),
            Err(e) => return Err(e),
        };
        if row.locked.is_some() || now - activity.max(row.last_seen_at) < auto_lock {
            return Ok(None);
        }
        self.lock_row(&conn, &mut current, token.id(), &row, now, LockReason::Idle)?;
        Ok(Some(LockReason::Idle))
    }

    /// Unlocks the session `id` held at this computer with its person's password, and
    /// makes it the active one: whoever else was active is locked (reason `switch`). A
    /// wrong password counts as a failed sign-in for their email (the same throttle and
    /// lockout); the active session is returned as it is.
    ///
    /// Errors: `InvalidCredentials`, `Locked` and `Busy` as for [`Vault::login`];
    /// `NotAuthenticated` when no session `id` is held here; `SessionExpired` at its
    /// absolute expiry.
    pub fn unlock_session(&self, id: &str, password: &SecretString) -> Result<CurrentUser> {
        let password = validate::normalise_password("password", password)?;
        let now = self.now();
        let (token, row, selected) = self.session_to_unlock(id, now)?;
        if row.locked.is_some() || !selected {
            // The argon2 work runs without holding the session's lock, so that other
            // checks (the idle timer, a refused command) do not wait behind it.
            let phc = users::password_hash(&self.conn(), row.user_id)?;
            let reservation = self.reserve_attempt(&row.email)?;
            let verdict =
                self.unless_busy(&reservation, || self.hasher().verify(&phc, &password))?;
            if verdict == Verdict::Mismatch {
                self.record_failed_sign_in(&reservation, Some(row.user_id), now)?;
                return Err(Error::InvalidCredentials);
            }
            self.finish_unlock(token.id(), &row, now, UnlockedBy::Password)?;
        }
        self.unlocked_user(&row)
    }

    /// The session `id` held here and its row, for an unlock: locked or not, but live;
    /// and whether it is the selected one.
    pub(crate) fn session_to_unlock(
        &self,
        id: &str,
        now: Timestamp,
    ) -> Result<(SessionToken, SessionRow, bool)> {
        let mut current = self.current();
        self.load_held(&mut current);
        let token = current
            .held
            .iter()
            .flatten()
            .find(|token| token.id() == id)
            .cloned()
            .ok_or(Error::NotAuthenticated)?;
        let row = self.live_row(&self.conn(), &mut current, &token, now)?;
        let selected = current.selected.as_deref() == Some(id);
        Ok((token, row, selected))
    }

    /// Unlocks the session `id` after its person proved themselves `by` a password or a
    /// PIN, audited, and selects it; any other active session here is locked. The
    /// unlock counts as activity. A password also clears its email's failed attempts.
    pub(crate) fn finish_unlock(
        &self,
        id: &str,
        row: &SessionRow,
        now: Timestamp,
        by: UnlockedBy,
    ) -> Result<()> {
        let mut current = self.current();
        let held = current.held_ids();
        let from = current.selected.clone();
        self.write(|conn| {
            Self::record_switch(conn, from.as_deref(), row.user_id, &row.email, now)?;
            Self::lock_others(conn, &held, Some(id), now)?;
            if by == UnlockedBy::Password {
                throttle::clear(conn, &row.email)?;
            }
            sessions::unlock(conn, id, now, by)?;
            let entry = NewEntry::new(AuditEvent::SessionUnlocked)
                .by(row.user_id, &row.email)
                .on(row.user_id, &row.email)
                .detail(by.as_str());
            audit::append(conn, &entry, now)
        })?;
        current.select(id, now);
        Ok(())
    }

    /// The person of an unlocked session, as the UI receives them.
    pub(crate) fn unlocked_user(&self, row: &SessionRow) -> Result<CurrentUser> {
        let user = users::require(&self.conn(), row.user_id)?;
        self.with_factor_due(user.into_current_user(row.expires_at, self.stay_signed_in()))
    }
}
