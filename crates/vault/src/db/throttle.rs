//! The `login_throttle` table: consecutive failed sign-ins per normalised email string.

use rusqlite::{Connection, OptionalExtension, params};

use crate::clock::Timestamp;
use crate::error::Result;

/// One email's record of failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failures {
    pub(crate) count: i64,
    /// When the last failure was counted, in Unix milliseconds.
    pub(crate) last_ms: i64,
    pub(crate) locked_at: Option<Timestamp>,
}

pub(crate) fn get(conn: &Connection, email: &str) -> Result<Option<Failures>> {
    Ok(conn
        .prepare_cached(
            "SELECT failures, last_failure_ms, locked_at FROM login_throttle WHERE email = ?1",
        )?
        .query_row([email], |row| {
            Ok(Failures {
                count: row.get(0)?,
                last_ms: row.get(1)?,
                locked_at: row.get(2)?,
            })
        })
        .optional()?)
}

pub(crate) fn put(conn: &Connection, email: &str, failures: Failures) -> Result<()> {
    conn.execute(
        "INSERT INTO login_throttle (email, failures, last_failure_ms, locked_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (email) DO UPDATE SET failures = excluded.failures,
             last_failure_ms = excluded.last_failure_ms, locked_at = excluded.locked_at",
        params![email, failures.count, failures.last_ms, failures.locked_at],
    )?;
    Ok(())
}

/// Marks `email` locked from `at`, unless it already is; true when this call locked it.
pub(crate) fn lock(conn: &Connection, email: &str, at: Timestamp) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE login_throttle SET locked_at = ?2 WHERE email = ?1 AND locked_at IS NULL",
        params![email, at],
    )? > 0)
}

pub(crate) fn clear(conn: &Connection, email: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM login_throttle WHERE email = ?1", [email])? > 0)
}

/// Emails locked at or after `since`, newest first.
pub(crate) fn locked(conn: &Connection, since: Timestamp) -> Result<Vec<(String, Failures)>> {
    let mut statement = conn.prepare_cached(
        "SELECT email, failures, last_failure_ms, locked_at FROM login_throttle
         WHERE locked_at IS NOT NULL AND locked_at >= ?1 ORDER BY locked_at DESC LIMIT 500",
    )?;
    let rows = statement.query_map([since], |row| {
        Ok((
            row.get(0)?,
            Failures {
                count: row.get(1)?,
                last_ms: row.get(2)?,
                locked_at: row.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
