//! The `pins` table: one quick-unlock PIN hash per account, if any.

use rusqlite::{Connection, OptionalExtension, params};

use crate::clock::Timestamp;
use crate::error::Result;
use crate::model::UserId;

/// The account's PIN hash and when it was set, if it has one.
pub(crate) fn get(conn: &Connection, user: UserId) -> Result<Option<(String, Timestamp)>> {
    Ok(conn
        .prepare_cached("SELECT phc, set_at FROM pins WHERE user_id = ?1")?
        .query_row([user.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

pub(crate) fn set(conn: &Connection, user: UserId, phc: &str, now: Timestamp) -> Result<()> {
    conn.execute(
        "INSERT INTO pins (user_id, phc, set_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc, set_at = excluded.set_at",
        params![user.0, phc, now],
    )?;
    Ok(())
}

/// Removes the account's PIN; returns whether it had one.
pub(crate) fn delete(conn: &Connection, user: UserId) -> Result<bool> {
    Ok(conn.execute("DELETE FROM pins WHERE user_id = ?1", [user.0])? > 0)
}
