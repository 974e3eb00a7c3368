//! The `second_factors` and `recovery_codes` tables.

use rusqlite::{Connection, OptionalExtension, params};

use crate::clock::Timestamp;
use crate::error::Result;
use crate::model::UserId;

/// An account's sealed TOTP secret as stored (see `second_factor::seal`).
#[derive(Debug, Clone)]
pub(crate) struct SealedRow {
    pub(crate) ciphertext: Vec<u8>,
    pub(crate) nonce: Vec<u8>,
    pub(crate) salt: Vec<u8>,
    /// The argon2id parameters of the key, as `m,t,p`.
    pub(crate) key_params: String,
}

/// The account's sealed secret and when it was set up, if it has a second factor.
pub(crate) fn get(conn: &Connection, user: UserId) -> Result<Option<(SealedRow, Timestamp)>> {
    Ok(conn
        .prepare_cached(
            "SELECT sealed, nonce, key_salt, key_params, enrolled_at
             FROM second_factors WHERE user_id = ?1",
        )?
        .query_row([user.0], |row| {
            Ok((
                SealedRow {
                    ciphertext: row.get(0)?,
                    nonce: row.get(1)?,
                    salt: row.get(2)?,
                    key_params: row.get(3)?,
                },
                row.get(4)?,
            ))
        })
        .optional()?)
}

/// Whether the account has a second factor.
pub(crate) fn exists(conn: &Connection, user: UserId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM second_factors WHERE user_id = ?1")?
        .query_row([user.0], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Stores a new second factor, or replaces the sealing of an existing one (a password
/// change re-seals it) keeping its last used step.
pub(crate) fn put(
    conn: &Connection,
    user: UserId,
    sealed: &SealedRow,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO second_factors (user_id, sealed, nonce, key_salt, key_params, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (user_id) DO UPDATE SET sealed = excluded.sealed, nonce = excluded.nonce,
             key_salt = excluded.key_salt, key_params = excluded.key_params",
        params![
            user.0,
            sealed.ciphertext,
            sealed.nonce,
            sealed.salt,
            sealed.key_params,
            now
        ],
    )?;
    Ok(())
}

/// Records that the code of `step` was used, unless that step or a later one already
/// was. Returns false for a replay.
pub(crate) fn use_step(conn: &Connection, user: UserId, step: i64) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE second_factors SET last_step = ?2 WHERE user_id = ?1 AND last_step < ?2",
        params![user.0, step],
    )? == 1)
}

/// Removes the account's second factor and its recovery codes; returns whether it had one.
pub(crate) fn delete(conn: &Connection, user: UserId) -> Result<bool> {
    conn.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [user.0])?;
    Ok(conn.execute("DELETE FROM second_factors WHERE user_id = ?1", [user.0])? > 0)
}

/// Replaces the account's recovery codes with `digests`.
pub(crate) fn replace_codes(conn: &Connection, user: UserId, digests: &[[u8; 32]]) -> Result<()> {
    conn.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [user.0])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO recovery_codes (user_id, digest) VALUES (?1, ?2)")?;
    for digest in digests {
        insert.execute(params![user.0, digest.as_slice()])?;
    }
    Ok(())
}

/// Uses up the unused code with `digest`; false when there is none (wrong, or used).
pub(crate) fn use_code(
    conn: &Connection,
    user: UserId,
    digest: &[u8; 32],
    now: Timestamp,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE recovery_codes SET used_at = ?3
         WHERE user_id = ?1 AND digest = ?2 AND used_at IS NULL",
        params![user.0, digest.as_slice(), now],
    )? == 1)
}

/// How many of the account's recovery codes are unused.
pub(crate) fn codes_left(conn: &Connection, user: UserId) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL",
        )?
        .query_row([user.0], |row| row.get(0))?)
}

/// How many active accounts have no second factor.
pub(crate) fn active_without(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users u
         WHERE u.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id)",
        [],
        |row| row.get(0),
    )?)
}
