//! The `audit_log` table: append-only rows, each chained to the one before by SHA-256.
//!
//! A row's hash is SHA-256(previous row's hash ‖ canonical content), where the canonical
//! content is the JSON array of its fields in a fixed order, its id included, so an
//! edited, deleted or reordered row breaks the chain at that point. The first row's
//! previous hash is 32 zero bytes.

use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use crate::clock::Timestamp;
use crate::error::Result;
use crate::model::UserId;
use crate::model::audit::{
    AuditEntry, AuditEvent, AuditQuery, ChainReport, DayCount, NewEntry, Outcome, TailCheck,
};

const GENESIS: [u8; 32] = [0; 32];

fn canonical(entry: &AuditEntry) -> String {
    serde_json::json!([
        entry.id,
        entry.at,
        entry.event.as_str(),
        entry.outcome.as_str(),
        entry.actor_id.map(|id| id.0),
        entry.actor_email,
        entry.target_id.map(|id| id.0),
        entry.target_email,
        entry.detail,
    ])
    .to_string()
}

fn chain(prev: &[u8], entry: &AuditEntry) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(prev);
    hasher.update(canonical(entry).as_bytes());
    hasher.finalize().into()
}

/// Appends one row inside the caller's transaction.
pub(crate) fn append(conn: &Connection, entry: &NewEntry<'_>, at: Timestamp) -> Result<()> {
    let last: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let (id, prev) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_vec()),
    };
    let row = AuditEntry {
        id,
        at,
        event: entry.event,
        outcome: entry.outcome,
        actor_id: entry.actor.map(|(id, _)| id),
        actor_email: entry.actor.map(|(_, email)| email.to_owned()),
        target_id: entry.target.and_then(|(id, _)| id),
        target_email: entry.target.map(|(_, email)| email.to_owned()),
        detail: entry.detail.map(str::to_owned),
    };
    let hash = chain(&prev, &row);
    conn.prepare_cached(
        "INSERT INTO audit_log (id, at, event, outcome, actor_id, actor_email, target_id, target_email,
                                detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        row.id,
        row.at,
        row.event.as_str(),
        row.outcome.as_str(),
        row.actor_id.map(|id| id.0),
        row.actor_email,
        row.target_id.map(|id| id.0),
        row.target_email,
        row.detail,
        prev,
        hash.as_slice(),
    ])?;
    Ok(())
}

const COLUMNS: &str =
    "id, at, event, outcome, actor_id, actor_email, target_id, target_email, detail";

fn entry(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        event: AuditEvent::parse(&row.get::<_, String>(2)?).ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(2, "event".into(), rusqlite::types::Type::Text)
        })?,
        outcome: Outcome::parse(&row.get::<_, String>(3)?).ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(3, "outcome".into(), rusqlite::types::Type::Text)
        })?,
        actor_id: row.get::<_, Option<i64>>(4)?.map(UserId),
        actor_email: row.get(5)?,
        target_id: row.get::<_, Option<i64>>(6)?.map(UserId),
        target_email: row.get(7)?,
        detail: row.get(8)?,
    })
}

/// A page of rows, newest first, filtered; `before` is the id to continue below. Only
/// the filters in use go into the SQL, so each can use its index.
pub(crate) fn list(conn: &Connection, query: &AuditQuery, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut conditions = vec!["id < :before".to_owned()];
    let mut values: Vec<(&str, rusqlite::types::Value)> = vec![
        (":before", query.before.unwrap_or(i64::MAX).into()),
        (":limit", i64::from(limit).into()),
    ];
    if let Some(event) = query.event {
        conditions.push("event = :event".to_owned());
        values.push((":event", event.as_str().to_owned().into()));
    }
    if let Some(from) = query.from {
        conditions.push("at >= :from".to_owned());
        values.push((":from", from.into()));
    }
    if let Some(to) = query.to {
        conditions.push("at < :to".to_owned());
        values.push((":to", to.into()));
    }
    let conditions = conditions.join(" AND ");
    let sql = match query.account {
        // Rows where the account acted or was acted on. An OR over the two columns
        // makes SQLite collect and sort every row of the account before the LIMIT (10 ms
        // at a million rows); each half below walks its own index newest-first and stops
        // at a page, and the union keeps a row that is both only once.
        Some(account) => {
            values.push((":account", account.0.into()));
            let newest = |column: &str| {
                format!(
                    "SELECT id FROM (SELECT id FROM audit_log WHERE {column} = :account AND \
                     {conditions} ORDER BY id DESC LIMIT :limit)"
                )
            };
            format!(
                "SELECT {COLUMNS} FROM audit_log WHERE id IN ({} UNION {}) \
                 ORDER BY id DESC LIMIT :limit",
                newest("actor_id"),
                newest("target_id")
            )
        }
        None => format!(
            "SELECT {COLUMNS} FROM audit_log WHERE {conditions} ORDER BY id DESC LIMIT :limit"
        ),
    };
    let mut statement = conn.prepare_cached(&sql)?;
    let params: Vec<(&str, &dyn rusqlite::ToSql)> = values
        .iter()
        .map(|(name, value)| (*name, value as &dyn rusqlite::ToSql))
        .collect();
    let rows = statement.query_map(params.as_slice(), entry)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every row in id order, for verification and export.
pub(crate) fn for_each(
    conn: &Connection,
    mut visit: impl FnMut(AuditEntry, Vec<u8>, Vec<u8>) -> Result<bool>,
) -> Result<()> {
    let mut statement = conn.prepare(&format!(
        "SELECT {COLUMNS}, prev_hash, hash FROM audit_log ORDER BY id"
    ))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let item = entry(row)?;
        if !visit(item, row.get(9)?, row.get(10)?)? {
            break;
        }
    }
    Ok(())
}

/// Walks the chain and reports the first row that does not fit it.
pub(crate) fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut expected_prev: Vec<u8> = GENESIS.to_vec();
    let mut expected_id = 1;
    let mut rows = 0;
    let mut first_broken = None;
    for_each(conn, |item, prev: Vec<u8>, hash: Vec<u8>| {
        rows += 1;
        let fits = item.id == expected_id
            && prev == expected_prev
            && hash.as_slice() == chain(&prev, &item);
        if !fits {
            first_broken = Some(item.id);
            return Ok(false);
        }
        expected_prev = hash;
        expected_id += 1;
        Ok(true)
    })
    .or_else(|error| {
        // A row that no longer parses (an edited event name) is a break as well.
        first_broken.get_or_insert(expected_id);
        log::warn!("audit row {expected_id} is unreadable: {error}");
        Ok::<(), crate::error::Error>(())
    })?;
    Ok(ChainReport {
        rows,
        first_broken,
        tail: TailCheck::Unanchored,
        intact: first_broken.is_none(),
    })
}

/// The newest row's number and hash, if the log has any row.
pub(crate) fn latest(conn: &Connection) -> Result<Option<(i64, Vec<u8>)>> {
    Ok(conn
        .prepare_cached("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// The stored hash of row `id`, if it exists.
pub(crate) fn hash_at(conn: &Connection, id: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT hash FROM audit_log WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?)
}

/// Successful and failed sign-ins from `since`, per day of a clock `offset` seconds
/// ahead of UTC.
pub(crate) fn sign_ins_per_day(
    conn: &Connection,
    since: Timestamp,
    offset: i64,
) -> Result<Vec<DayCount>> {
    let mut statement = conn.prepare_cached(
        "SELECT (at + ?2) / 86400 AS day,
                sum(outcome = 'success'), sum(outcome = 'failure')
         FROM audit_log WHERE event = 'sign_in' AND at >= ?1
         GROUP BY day ORDER BY day",
    )?;
    let rows = statement.query_map([since, offset], |row| {
        Ok(DayCount {
            day: row.get::<_, i64>(0)? * 86400,
            succeeded: row.get(1)?,
            failed: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Rows about `account` after `since` that its owner should hear about: failed sign-ins,
/// lockouts, what the organisation's provider changed, and what admins did to it; for an
/// admin (`log_events`), also rows found missing from the log. When the sign-in at
/// `since` was an offline one (the local password while the provider could not be
/// reached), it is shown too: each offline sign-in is told at the next sign-in.
pub(crate) fn notices_for(
    conn: &Connection,
    account: UserId,
    since: Timestamp,
    log_events: bool,
) -> Result<Vec<AuditEntry>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log
         WHERE (at = ?2 AND target_id = ?1 AND event = 'offline_sign_in' AND outcome = 'success')
            OR (at > ?2
           AND ((target_id = ?1
                 AND ((event IN ('sign_in', 'offline_sign_in') AND outcome = 'failure')
                      OR event = 'account_linked'
                      OR (event IN ('role_changed', 'profile_updated') AND actor_id IS NULL)
                      OR event IN ('lockout', 'unlock', 'pin_set', 'pin_cleared', 'pin_lockout')
                      OR (event = 'session_locked' AND actor_id IS NULL)
                      OR (actor_id IS NOT NULL AND actor_id <> ?1)))
                OR (?3 AND event = 'audit_tail_missing')))
         ORDER BY id DESC LIMIT 50"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params![account.0, since, log_events], entry)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
