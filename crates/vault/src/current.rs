//! This computer's current session: the check every command makes
//! ([`Vault::verify_session`], with its cache and the auto-lock), the signed-in person,
//! and sign-out. Locking and unlocking live in `lock`.

use std::sync::atomic::Ordering;

use rusqlite::Connection;

use crate::clock::Timestamp;
use crate::db::sessions::SessionRow;
use crate::db::{self, audit, sessions, users};
use crate::dto::{CurrentUser, Viewer};
use crate::error::{Error, Result};
use crate::model::audit::{AuditAnchor, AuditEvent, NewEntry};
use crate::model::{AccountStatus, LockReason};
use crate::session::{Session, SessionPolicy, SessionToken};
use crate::vault::{Current, Vault, Verified};

impl Vault {
    /// Ends the selected session (the person at the keyboard, or the last one before the
    /// lock): deletes its row and its stored token. The others signed in here stay, locked.
    /// Succeeds when nobody is selected.
    pub fn logout(&self) -> Result<()> {
        // Read from the keyring before the current session's lock is taken: every
        // command's session check waits on that lock.
        let anchor = self.load_anchor();
        let mut current = self.current();
        if let Some(token) = self.token(&mut current) {
            let now = self.now();
            let latest = self.write(|conn| {
                self.record_tail_check(conn, anchor, now)?;
                if let Some(row) = sessions::find(conn, token.id())? {
                    let entry = NewEntry::new(AuditEvent::SignOut)
                        .by(row.user_id, &row.email)
                        .on(row.user_id, &row.email);
                    audit::append(conn, &entry, now)?;
                }
                sessions::delete(conn, token.id())?;
                AuditAnchor::latest(conn)
            })?;
            self.save_anchor(latest);
        }
        self.forget_token(&mut current);
        Ok(())
    }

    /// Checks this computer's session and returns the proof that DAL functions demand.
    ///
    /// The token is read from the store once and then kept in memory. A successful check
    /// is reused until this vault writes anything, another connection commits to the
    /// file, the expiry or auto-lock time passes, or last-seen is due for a refresh.
    /// Every successful check counts as activity.
    ///
    /// Errors: `NotAuthenticated` without a token or when its session was ended;
    /// `SessionExpired` when it timed out (the row and the stored token are removed);
    /// `SessionLocked` while it is locked, including when this check finds it idle for
    /// the auto-lock time and locks it.
    pub fn verify_session(&self) -> Result<Session> {
        let now = self.now();
        let mut current = self.current();
        let Some(token) = self.token(&mut current) else {
            return Err(Error::NotAuthenticated);
        };
        let conn = self.conn();
        let generation = self.generation.load(Ordering::SeqCst);
        // Cached: this runs on every command, and preparing it each time doubled the cost.
        let data_version = db::data_version(&conn)?;
        // An admin at another instance may have changed the timeouts.
        self.refresh_settings(&conn, data_version)?;
        let auto_lock = self.auto_lock_seconds();
        let recently_active = current
            .activity
            .is_some_and(|at| now >= at && now - at < auto_lock);
        if let Some(verified) = &current.verified {
            let session = &verified.session;
            let fresh = recently_active
                && verified.generation == generation
                && verified.data_version == data_version
                && now >= session.last_seen_at
                && now - session.last_seen_at < SessionPolicy::TOUCH_INTERVAL
                && now < session.expires_at;
            if fresh {
                let session = session.clone();
                current.activity = Some(now);
                return Ok(session);
            }
        }
        current.verified = None;
        let row = self.live_row(&conn, &mut current, &token, now)?;
        if let Some((_, reason)) = row.locked {
            return Err(Error::SessionLocked { reason });
        }
        // The wall clock, which keeps running while the computer sleeps: after a resume
        // the first check sees the whole gap.
        let last_activity = current
            .activity
            .map_or(row.last_seen_at, |at| at.max(row.last_seen_at));
        let idle = now - last_activity;
        if idle >= auto_lock {
            self.lock_row(&conn, &mut current, token.id(), &row, now, LockReason::Idle)?;
            return Err(Error::SessionLocked {
                reason: LockReason::Idle,
            });
        }
        if idle >= self.idle_seconds() {
            self.end_expired(&conn, &mut current, token.id(), &row, now, "idle")?;
            return Err(Error::SessionExpired);
        }
        let mut last_seen_at = row.last_seen_at;
        if now - last_seen_at >= SessionPolicy::TOUCH_INTERVAL {
            sessions::touch(&conn, token.id(), now)?;
            last_seen_at = now;
        }
        let session = Session {
            id: token.id().to_owned(),
            viewer: Viewer {
                id: row.user_id,
                role: row.role,
                team: row.team,
            },
            must_change_password: row.must_change_password,
            second_factor_due: !row.has_second_factor && self.factor_policy().covers(row.role),
            last_seen_at,
            expires_at: row.expires_at,
            verified_at: row.verified_at,
            previous_sign_in_at: row.previous_sign_in_at,
        };
        current.activity = Some(now);
        current.verified = Some(Verified {
            session: session.clone(),
            generation,
            data_version,
        });
        Ok(session)
    }

    /// The row of this computer's session, locked or not, once it is known to be live:
    /// the token matches, the account is active, and the absolute expiry has not passed.
    ///
    /// Errors: `NotAuthenticated` (the token is forgotten) when the session was ended
    /// elsewhere or the token was never ours; `SessionExpired` (the row is removed) at
    /// the absolute expiry.
    pub(crate) fn live_row(
        &self,
        conn: &Connection,
        current: &mut Current,
        token: &SessionToken,
        now: Timestamp,
    ) -> Result<SessionRow> {
        let row = match sessions::find(conn, token.id())? {
            Some(row) if token.matches(&row.secret_hash) && row.status == AccountStatus::Active => {
                row
            }
            // Ended elsewhere (sign-out, revocation, a deleted account), or a token that
            // was never ours: forget it.
            _ => {
                self.forget(current, token.id());
                return Err(Error::NotAuthenticated);
            }
        };
        if now >= row.expires_at {
            self.end_expired(conn, current, token.id(), &row, now, "absolute")?;
            return Err(Error::SessionExpired);
        }
        Ok(row)
    }

    /// Ends a timed-out session, audited with `reason` (`idle` or `absolute`).
    fn end_expired(
        &self,
        conn: &Connection,
        current: &mut Current,
        id: &str,
        row: &SessionRow,
        now: Timestamp,
        reason: &str,
    ) -> Result<()> {
        self.write_held(conn, |tx| {
            sessions::delete(tx, id)?;
            let entry = NewEntry::new(AuditEvent::SessionExpired)
                .on(row.user_id, &row.email)
                .detail(reason);
            audit::append(tx, &entry, now)
        })?;
        self.forget(current, id);
        Ok(())
    }

    /// Locks an active session, audited with its reason; the person is its actor only
    /// when they locked it themselves.
    pub(crate) fn lock_row(
        &self,
        conn: &Connection,
        current: &mut Current,
        id: &str,
        row: &SessionRow,
        now: Timestamp,
        reason: LockReason,
    ) -> Result<()> {
        let mut entry = NewEntry::new(AuditEvent::SessionLocked)
            .on(row.user_id, &row.email)
            .detail(reason.as_str());
        if reason == LockReason::Manual {
            entry = entry.by(row.user_id, &row.email);
        }
        self.write_held(conn, |tx| {
            sessions::lock(tx, id, now, reason)?;
            audit::append(tx, &entry, now)
        })?;
        current.verified = None;
        current.activity = None;
        Ok(())
    }

    /// The signed-in person. Allowed while a password change is pending, so the UI can
    /// show the change-password screen.
    pub fn current_user(&self, session: &Session) -> Result<CurrentUser> {
        let row = users::require(&self.conn(), session.user_id())?;
        self.with_factor_due(row.into_current_user(session.expires_at, self.stay_signed_in()))
    }

    /// The selected session's token, reading the store the first time only.
    pub(crate) fn token(&self, current: &mut Current) -> Option<SessionToken> {
        self.load_held(current);
        current.selected_token()
    }

    /// Reads the tokens of the sessions this file holds from the store, once. The active
    /// session is selected, or else the one locked most recently. A store that cannot be
    /// read counts as holding nothing.
    pub(crate) fn load_held(&self, current: &mut Current) {
        if current.held.is_some() {
            return;
        }
        let candidates = match sessions::ids_by_recency(&self.conn()) {
            Ok(ids) => ids,
            Err(e) => {
                log::warn!("could not list the sessions in the vault: {e}");
                return;
            }
        };
        let tokens = self.store.load(&candidates).unwrap_or_else(|e| {
            log::warn!("could not read the sessions from the OS keyring: {e}");
            Vec::new()
        });
        current.selected = candidates
            .into_iter()
            .find(|id| tokens.iter().any(|token| token.id() == id));
        current.held = Some(tokens);
        current.verified = None;
        current.activity = None;
    }

    /// Drops the selected session's token from memory and from the store.
    pub(crate) fn forget_token(&self, current: &mut Current) {
        if let Some(id) = current.selected.clone() {
            self.forget(current, &id);
        }
    }

    /// Drops the token of session `id` from memory and from the store; when it was the
    /// selected one, nobody is selected.
    pub(crate) fn forget(&self, current: &mut Current, id: &str) {
        if let Some(held) = &mut current.held {
            held.retain(|token| token.id() != id);
        }
        if current.selected.as_deref() == Some(id) {
            current.selected = None;
            current.verified = None;
            current.activity = None;
        }
        if let Err(e) = self.store.clear(id) {
            log::warn!("could not remove a session from the OS keyring: {e}");
        }
    }
}
