//! The `sessions` table: one row per signed-in device session, keyed by the token's id.

use rusqlite::{Connection, OptionalExtension, params};

use crate::clock::Timestamp;
use crate::model::{AccountStatus, LockReason, Role, UserId};

use crate::error::Result;

/// A session row joined with the parts of its account that a check needs.
#[derive(Debug)]
pub(crate) struct SessionRow {
    pub(crate) secret_hash: Vec<u8>,
    pub(crate) user_id: UserId,
    pub(crate) role: Role,
    pub(crate) team: Option<String>,
    pub(crate) status: AccountStatus,
    pub(crate) must_change_password: bool,
    pub(crate) last_seen_at: Timestamp,
    pub(crate) expires_at: Timestamp,
    pub(crate) verified_at: Timestamp,
    pub(crate) previous_sign_in_at: Option<Timestamp>,
    pub(crate) email: String,
    /// When the session was locked, and why; `None` while it is active.
    pub(crate) locked: Option<(Timestamp, LockReason)>,
    /// When the session last proved the password: its sign-in or a password unlock.
    pub(crate) password_at: Timestamp,
    /// Wrong PINs typed since the last right one.
    pub(crate) pin_failures: i64,
    /// Whether the account has a second factor.
    pub(crate) has_second_factor: bool,
}

/// A new session row: the token's `id` and the SHA-256 of its secret, never the token.
pub(crate) fn insert(
    conn: &Connection,
    id: &str,
    secret_hash: &[u8; 32],
    user: UserId,
    now: Timestamp,
    expires_at: Timestamp,
    previous_sign_in_at: Option<Timestamp>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at, expires_at, verified_at,
                               previous_sign_in_at)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?4, ?6)",
        params![id, secret_hash.as_slice(), user.0, now, expires_at, previous_sign_in_at],
    )?;
    Ok(())
}

pub(crate) fn find(conn: &Connection, id: &str) -> Result<Option<SessionRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT s.secret_hash, s.user_id, u.role, u.team, u.status, u.must_change_password,
                s.last_seen_at, s.expires_at, s.verified_at, s.previous_sign_in_at, u.email,
                s.locked_at, s.lock_reason, coalesce(s.password_at, s.created_at), s.pin_failures,
                EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = s.user_id)
                OR EXISTS (SELECT 1 FROM identity_links l WHERE l.user_id = s.user_id)
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = ?1",
    )?;
    Ok(statement
        .query_row([id], |row| {
            Ok(SessionRow {
                secret_hash: row.get(0)?,
                user_id: UserId(row.get(1)?),
                role: Role::parse(&row.get::<_, String>(2)?)?,
                team: row.get(3)?,
                status: AccountStatus::parse(&row.get::<_, String>(4)?)?,
                must_change_password: row.get(5)?,
                last_seen_at: row.get(6)?,
                expires_at: row.get(7)?,
                verified_at: row.get(8)?,
                previous_sign_in_at: row.get(9)?,
                email: row.get(10)?,
                locked: match (
                    row.get::<_, Option<Timestamp>>(11)?,
                    row.get::<_, Option<String>>(12)?,
                ) {
                    (Some(at), Some(reason)) => Some((at, LockReason::parse(&reason)?)),
                    _ => None,
                },
                password_at: row.get(13)?,
                pin_failures: row.get(14)?,
                has_second_factor: row.get(15)?,
            })
        })
        .optional()?)
}

/// A session of an account, for an admin's list.
#[derive(Debug)]
pub(crate) struct SessionSummary {
    pub(crate) id: String,
    pub(crate) created_at: Timestamp,
    pub(crate) last_seen_at: Timestamp,
    pub(crate) expires_at: Timestamp,
    pub(crate) locked: Option<(Timestamp, LockReason)>,
}

/// The sessions of `user`, most recently used first.
pub(crate) fn list_for_user(conn: &Connection, user: UserId) -> Result<Vec<SessionSummary>> {
    let mut statement = conn.prepare(
        "SELECT id, created_at, last_seen_at, expires_at, locked_at, lock_reason
         FROM sessions WHERE user_id = ?1
         ORDER BY max(last_seen_at, coalesce(locked_at, 0)) DESC, id",
    )?;
    let rows = statement
        .query_map([user.0], |row| {
            Ok(SessionSummary {
                id: row.get(0)?,
                created_at: row.get(1)?,
                last_seen_at: row.get(2)?,
                expires_at: row.get(3)?,
                locked: match (
                    row.get::<_, Option<Timestamp>>(4)?,
                    row.get::<_, Option<String>>(5)?,
                ) {
                    (Some(at), Some(reason)) => Some((at, LockReason::parse(&reason)?)),
                    _ => None,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every session's id: the active ones first, then the locked ones, most recently
/// locked first (and of those locked in the same second, the one used last).
pub(crate) fn ids_by_recency(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT id FROM sessions
         ORDER BY locked_at IS NOT NULL, coalesce(locked_at, last_seen_at) DESC,
                  last_seen_at DESC, created_at DESC, id",
    )?;
    let ids = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

pub(crate) fn touch(conn: &Connection, id: &str, now: Timestamp) -> Result<()> {
    conn.prepare_cached("UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

pub(crate) fn mark_verified(conn: &Connection, id: &str, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET verified_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Locks an active session; a locked one keeps its first lock time and reason.
pub(crate) fn lock(conn: &Connection, id: &str, now: Timestamp, reason: LockReason) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET locked_at = ?2, lock_reason = ?3 WHERE id = ?1 AND locked_at IS NULL",
        params![id, now, reason.as_str()],
    )?;
    Ok(())
}

/// How a locked session was unlocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnlockedBy {
    Password,
    Pin,
}

impl UnlockedBy {
    /// The audit detail.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Pin => "pin",
        }
    }
}

/// Unlocks a session after its person proved themselves again. That counts as activity,
/// but not as a step-up check: the rule is that no unlock does. A password unlock starts
/// the PIN's window again; either clears the wrong-PIN count.
pub(crate) fn unlock(conn: &Connection, id: &str, now: Timestamp, by: UnlockedBy) -> Result<()> {
    let sql = match by {
        UnlockedBy::Password => {
            "UPDATE sessions SET locked_at = NULL, lock_reason = NULL, last_seen_at = ?2,
                                 password_at = ?2, pin_failures = 0
             WHERE id = ?1"
        }
        UnlockedBy::Pin => {
            "UPDATE sessions SET locked_at = NULL, lock_reason = NULL, last_seen_at = ?2,
                                 pin_failures = 0
             WHERE id = ?1"
        }
    };
    conn.execute(sql, params![id, now])?;
    Ok(())
}

/// Counts a PIN attempt as wrong before it is checked (as sign-in attempts are reserved),
/// so that attempts sent together cannot get more than the allowed tries. Returns the
/// count with this attempt.
pub(crate) fn reserve_pin_attempt(conn: &Connection, id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "UPDATE sessions SET pin_failures = pin_failures + 1 WHERE id = ?1 RETURNING pin_failures",
        [id],
        |row| row.get(0),
    )?)
}

/// Gives back a reserved PIN attempt that was never checked (no hashing slot was free).
pub(crate) fn release_pin_attempt(conn: &Connection, id: &str) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET pin_failures = max(pin_failures - 1, 0) WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub(crate) fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(())
}

/// Ends every session of one account: password change or reset, disable, delete, role
/// change.
pub(crate) fn delete_for_user(conn: &Connection, user: UserId) -> Result<usize> {
    Ok(conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user.0])?)
}

/// Ends every session of `user` but `keep`.
pub(crate) fn delete_for_user_except(conn: &Connection, user: UserId, keep: &str) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2",
        params![user.0, keep],
    )?)
}
