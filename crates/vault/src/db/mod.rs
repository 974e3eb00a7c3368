//! The SQLite file: opening it with the right settings and bringing its schema up to
//! date from the numbered files in `migrations/`.

pub(crate) mod audit;
pub(crate) mod identity;
pub(crate) mod in_use;
pub(crate) mod pins;
pub(crate) mod second_factors;
pub(crate) mod sessions;
pub(crate) mod settings;
pub(crate) mod throttle;
pub(crate) mod users;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::error::{Error, Result};

/// The schema, one entry per file in `migrations/`, in order. Released entries are never
/// edited; a test checks that every file in the folder is listed here.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_accounts_and_sessions.sql",
        include_str!("../../../../migrations/0001_accounts_and_sessions.sql"),
    ),
    (
        "0002_security.sql",
        include_str!("../../../../migrations/0002_security.sql"),
    ),
    (
        "0003_throttle_milliseconds.sql",
        include_str!("../../../../migrations/0003_throttle_milliseconds.sql"),
    ),
    (
        "0004_session_lock.sql",
        include_str!("../../../../migrations/0004_session_lock.sql"),
    ),
    (
        "0005_pins.sql",
        include_str!("../../../../migrations/0005_pins.sql"),
    ),
    (
        "0006_desk_sessions.sql",
        include_str!("../../../../migrations/0006_desk_sessions.sql"),
    ),
    (
        "0007_second_factor.sql",
        include_str!("../../../../migrations/0007_second_factor.sql"),
    ),
    (
        "0008_identity_providers.sql",
        include_str!("../../../../migrations/0008_identity_providers.sql"),
    ),
];

/// The oldest SQLite the schema runs on: `STRICT` tables arrived in 3.37.0, the version
/// of the oldest systems WebKitGTK 4.1 ships on (Ubuntu 22.04, Debian 12).
pub(crate) const MIN_SQLITE_VERSION: i32 = 3_037_000;

/// Whether a SQLite library of `version_number` (as `sqlite3_libversion_number`) can
/// hold the vault.
pub(crate) fn sqlite_supported(version_number: i32) -> bool {
    version_number >= MIN_SQLITE_VERSION
}

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the vault file at `path` and migrates it to the latest
/// schema. A file written by a newer Latchkey is refused rather than touched.
pub(crate) fn open(path: &Path) -> Result<Connection> {
    if !sqlite_supported(rusqlite::version_number()) {
        log::error!("SQLite {} is too old for the vault", rusqlite::version());
        return Err(Error::Conflict(crate::error::Conflict::SqliteTooOld));
    }
    let mut conn = Connection::open(path).map_err(|e| Error::internal("open vault file", e))?;
    restrict_permissions(path);
    check_is_vault(&conn)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Refuses a file that is not an SQLite database, is damaged where SQLite looks first,
/// or is some other program's database (tables, but no Latchkey schema version): the
/// migrations must never write Latchkey's tables into it.
fn check_is_vault(conn: &Connection) -> Result<()> {
    let not_a_vault = || Error::Conflict(crate::error::Conflict::NotAVault);
    let probe = conn.query_row(
        "SELECT (SELECT count(*) FROM sqlite_master), user_version FROM pragma_user_version",
        [],
        |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)),
    );
    match probe {
        Ok((objects, 0)) if objects > 0 => Err(not_a_vault()),
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(failure, _))
            if matches!(
                failure.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            Err(not_a_vault())
        }
        Err(other) => Err(other.into()),
    }
}

/// WAL for concurrent readers, foreign keys for cascades, and `synchronous=FULL` so a
/// committed password change or revocation survives a power cut.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |row| row.get(0))?;
    if !enforced {
        return Err(Error::Internal("SQLite refused foreign_keys=ON".into()));
    }
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let steps: Vec<M<'static>> = MIGRATIONS.iter().map(|(_, sql)| M::up(sql)).collect();
    Migrations::new(steps).to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::MigrationDefinition(
            rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
        ) => Error::Conflict(crate::error::Conflict::VaultTooNew),
        other => Error::internal("migrate vault file", other),
    })
}

/// The schema version recorded in the file (SQLite's `user_version`).
pub(crate) fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Only the owning OS account may read the vault file (best effort; the directory's
/// permissions are the installer's and the OS's business).
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            log::warn!("could not restrict permissions on the vault file: {e}");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Whether `error` is SQLite refusing a duplicate in a UNIQUE column.
pub(crate) fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

/// SQLite's `data_version` on `conn`: it changes when another connection commits.
pub(crate) fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |row| row.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_before_strict_tables_is_refused() {
        assert!(!sqlite_supported(3_036_000));
        assert!(sqlite_supported(3_037_000));
        assert!(
            sqlite_supported(rusqlite::version_number()),
            "linked SQLite {} is too old",
            rusqlite::version()
        );
    }

    #[test]
    fn every_migration_file_is_listed_in_order() -> std::io::Result<()> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, listed);
        for (index, name) in listed.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", index + 1)),
                "{name} is out of sequence"
            );
        }
        Ok(())
    }
}
