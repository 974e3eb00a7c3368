//! An admin's view of someone's sessions at this computer: when each began and was last
//! used, whether it is locked, and signing one out, or all of them ("sign out
//! everywhere"). Both sign-outs need a recent password check and are audited.

use serde::Serialize;
use ts_rs::TS;

use crate::clock::Timestamp;
use crate::db::{audit, sessions, users};
use crate::error::{Conflict, Error, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{LockReason, UserId};
use crate::session::AdminSession;
use crate::step_up::AdminAction;
use crate::vault::Vault;

use super::admin::ensure_still_admin;

/// One of an account's sessions, as the console lists it. Never the token's secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountSession {
    /// The session's public id, which `end_session` names.
    pub id: String,
    /// When it began (Unix seconds, UTC).
    pub created_at: Timestamp,
    /// When it was last used.
    pub last_seen_at: Timestamp,
    /// When it ends regardless of use.
    pub expires_at: Timestamp,
    /// When it was locked, if it is.
    pub locked_at: Option<Timestamp>,
    /// Why it was locked, if it is.
    pub lock_reason: Option<LockReason>,
}

impl Vault {
    /// The sessions of account `id` at this computer, most recently used first.
    ///
    /// Errors: `NotFound`.
    pub fn account_sessions(
        &self,
        admin: &AdminSession<'_>,
        id: UserId,
    ) -> Result<Vec<AccountSession>> {
        let _ = admin;
        let conn = self.conn();
        users::require(&conn, id)?;
        Ok(sessions::list_for_user(&conn, id)?
            .into_iter()
            .map(|row| AccountSession {
                id: row.id,
                created_at: row.created_at,
                last_seen_at: row.last_seen_at,
                expires_at: row.expires_at,
                locked_at: row.locked.map(|(at, _)| at),
                lock_reason: row.locked.map(|(_, reason)| reason),
            })
            .collect())
    }

    /// Signs out one session of someone else. Needs a recent password check; audited.
    ///
    /// Errors: `ReauthRequired`; `NotFound` for an unknown session; `Conflict`
    /// (`OwnAccount`) for one's own (the header's "Sign out" does that).
    pub fn end_session(&self, admin: &AdminSession<'_>, session_id: &str) -> Result<()> {
        self.authorize(admin, AdminAction::EndSessions)?;
        let now = self.now();
        self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            let row = sessions::find(conn, session_id)?.ok_or(Error::NotFound)?;
            if row.user_id == actor.id {
                return Err(Error::Conflict(Conflict::OwnAccount));
            }
            sessions::delete(conn, session_id)?;
            let entry = NewEntry::new(AuditEvent::SignOut)
                .by(actor.id, &actor.email)
                .on(row.user_id, &row.email)
                .detail("ended by an administrator");
            audit::append(conn, &entry, now)
        })
    }

    /// Signs out every session of account `id` ("sign out everywhere"). Needs a recent
    /// password check; audited with how many there were. Returns that number.
    ///
    /// Errors: `ReauthRequired`; `NotFound`; `Conflict` (`OwnAccount`).
    pub fn end_all_sessions(&self, admin: &AdminSession<'_>, id: UserId) -> Result<usize> {
        self.authorize(admin, AdminAction::EndSessions)?;
        let now = self.now();
        self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            let target = users::require(conn, id)?;
            if target.id == actor.id {
                return Err(Error::Conflict(Conflict::OwnAccount));
            }
            let ended = sessions::delete_for_user(conn, id)?;
            let detail = format!("{ended} ended");
            let entry = NewEntry::new(AuditEvent::SessionsRevoked)
                .by(actor.id, &actor.email)
                .on(target.id, &target.email)
                .detail(&detail);
            audit::append(conn, &entry, now)?;
            Ok(ended)
        })
    }
}
