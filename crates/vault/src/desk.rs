//! Several people signed in at one computer. Up to [`SessionPolicy::DESK_SESSIONS`]
//! sessions are held here at once, at most one of them active: signing someone else in,
//! or unlocking someone else's session, locks the active one (reason `switch`), and one
//! more sign-in ends the locked session used least recently. Each session's token is its
//! own entry in the store; the vault's cached check and activity belong to the selected
//! session alone, so nothing of one person's check serves another. The lock screen lists
//! the people held here, unless an admin chose an email field only.

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use std::sync::atomic::Ordering;

use crate::clock::Timestamp;
use crate::db::sessions::SessionRow;
use crate::db::{audit, sessions, users};
use crate::error::{Error, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{LockReason, UserId};
use crate::session::{SessionPolicy, SessionToken};
use crate::vault::{Current, Vault};

/// A session held here, with its row.
type Held = (SessionToken, SessionRow);

/// One person with a locked session at this computer, as the lock screen shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LockedSession {
    /// The session's public id, which the unlock commands name.
    pub session_id: String,
    /// The person's name.
    pub display_name: String,
    /// Their email.
    pub email: String,
    /// Why the session was locked.
    pub reason: LockReason,
    /// When (Unix seconds, UTC).
    pub locked_at: Timestamp,
    /// The auto-lock time in force, in seconds, for the words of an idle lock.
    pub auto_lock_seconds: i64,
    /// Whether the person's PIN may unlock it now (they have one, the window since the
    /// last password check is open, and tries are left).
    pub pin_available: bool,
}

/// What the lock screen shows while nobody's session here is active. (In TypeScript
/// `LockScreenState`, beside the guest package's `LockScreen` component.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "LockScreenState")]
pub struct LockScreen {
    /// The people with a locked session here, most recently locked first; empty when
    /// an admin chose to hide the list.
    pub people: Vec<LockedSession>,
    /// The session the screen starts on: the person who used the computer last, when
    /// the list shows them.
    pub last: Option<String>,
    /// Whether the list is shown; when it is not, the screen asks for an email and a
    /// password, as for a sign-in.
    pub show_people: bool,
}

impl Vault {
    /// The lock screen, or `None` while the selected session is active.
    ///
    /// Errors: `NotAuthenticated` when nobody is signed in here; `SessionExpired` when
    /// the last session held here reached its absolute expiry.
    pub fn locked_session(&self) -> Result<Option<LockScreen>> {
        let now = self.now();
        let mut current = self.current();
        self.load_held(&mut current);
        let conn = self.conn();
        let (live, gone) = self.live_sessions(&conn, &mut current, now)?;
        drop(conn);
        let selected = current.selected.clone();
        drop(current);
        let selected_active = live
            .iter()
            .any(|(token, row)| Some(token.id()) == selected.as_deref() && row.locked.is_none());
        if selected_active {
            return Ok(None);
        }
        if live.is_empty() {
            return Err(gone.unwrap_or(Error::NotAuthenticated));
        }
        let show_people = self.show_people.load(Ordering::SeqCst) != 0;
        let mut people = Vec::new();
        if show_people {
            // The last person first, then by when they locked, most recent first.
            let mut live = live;
            live.sort_by_key(|(token, row)| {
                (
                    Some(token.id()) != selected.as_deref(),
                    std::cmp::Reverse((row.locked.map(|(at, _)| at), row.last_seen_at)),
                )
            });
            for (token, row) in &live {
                let Some((locked_at, reason)) = row.locked else {
                    continue;
                };
                let user = users::require(&self.conn(), row.user_id)?;
                people.push(LockedSession {
                    session_id: token.id().to_owned(),
                    display_name: user.display_name,
                    email: user.email,
                    reason,
                    locked_at,
                    auto_lock_seconds: self.auto_lock_seconds(),
                    pin_available: self.pin_available(row, now)?,
                });
            }
        }
        let last = selected.filter(|id| people.iter().any(|p| &p.session_id == id));
        Ok(Some(LockScreen {
            people,
            last,
            show_people,
        }))
    }

    /// The sessions held here that are still live, with their rows. Dead ones (ended
    /// elsewhere, timed out) are forgotten on the way; the error of the selected one, if
    /// it was among them, is returned beside.
    fn live_sessions(
        &self,
        conn: &Connection,
        current: &mut Current,
        now: Timestamp,
    ) -> Result<(Vec<Held>, Option<Error>)> {
        let mut live = Vec::new();
        let mut gone = None;
        for token in current.held.clone().unwrap_or_default() {
            let selected = current.selected.as_deref() == Some(token.id());
            match self.live_row(conn, current, &token, now) {
                Ok(row) => live.push((token, row)),
                Err(e @ (Error::NotAuthenticated | Error::SessionExpired)) => {
                    if selected {
                        gone = Some(e);
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok((live, gone))
    }

    /// Inside a write: locks every active session among `held` but `except`, audited
    /// with the reason `switch`.
    pub(crate) fn lock_others(
        conn: &Connection,
        held: &[String],
        except: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        for id in held.iter().filter(|id| Some(id.as_str()) != except) {
            let Some(row) = sessions::find(conn, id)? else {
                continue;
            };
            if row.locked.is_some() {
                continue;
            }
            sessions::lock(conn, id, now, LockReason::Switch)?;
            let entry = NewEntry::new(AuditEvent::SessionLocked)
                .on(row.user_id, &row.email)
                .detail(LockReason::Switch.as_str());
            audit::append(conn, &entry, now)?;
        }
        Ok(())
    }

    /// Inside a write: audits that `to` takes the computer over from the person of
    /// session `from`, when that is someone else.
    pub(crate) fn record_switch(
        conn: &Connection,
        from: Option<&str>,
        to: UserId,
        to_email: &str,
        now: Timestamp,
    ) -> Result<()> {
        let Some(from) = from else {
            return Ok(());
        };
        let Some(row) = sessions::find(conn, from)? else {
            return Ok(());
        };
        if row.user_id == to {
            return Ok(());
        }
        let entry = NewEntry::new(AuditEvent::SessionSwitched)
            .by(to, to_email)
            .on(row.user_id, &row.email);
        audit::append(conn, &entry, now)
    }

    /// Inside a write: ends the locked sessions among `held` used least recently until
    /// one more fits within [`SessionPolicy::DESK_SESSIONS`]. Returns the ids ended.
    pub(crate) fn make_room(
        conn: &Connection,
        held: &[String],
        now: Timestamp,
    ) -> Result<Vec<String>> {
        let mut rows = Vec::new();
        for id in held {
            if let Some(row) = sessions::find(conn, id)? {
                let used = row.locked.map_or(row.last_seen_at, |(at, _)| at);
                rows.push((used, id.clone(), row));
            }
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut ended = Vec::new();
        let excess = (rows.len() + 1).saturating_sub(SessionPolicy::DESK_SESSIONS);
        for (_, id, row) in rows
            .into_iter()
            .filter(|(_, _, row)| row.locked.is_some())
            .take(excess)
        {
            sessions::delete(conn, &id)?;
            let entry = NewEntry::new(AuditEvent::SessionExpired)
                .on(row.user_id, &row.email)
                .detail("desk_full");
            audit::append(conn, &entry, now)?;
            ended.push(id);
        }
        Ok(ended)
    }
}
