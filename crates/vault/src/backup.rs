//! Backup and restore. A backup is a consistent copy of the vault file, taken while the
//! app runs (SQLite's `VACUUM INTO`), into a new file only this OS account can read. A
//! restore checks the copy (SQLite's integrity check, a Latchkey schema no newer than
//! this build's), keeps the file it replaces beside it, brings the copy's schema up to
//! date, signs everyone out and records the restore in the audit log.
//!
//! Both hold every account's password hash: a backup is as sensitive as the vault.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::Timestamp;
use crate::db::in_use::InUse;
use crate::db::{self, audit, users};
use crate::error::{Conflict, Error, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::session::AdminSession;
use crate::step_up::AdminAction;
use crate::vault::Vault;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    /// Where the copy is.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The accounts in it.
    pub accounts: i64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Where the replaced vault file was moved, if there was one.
    pub replaced: Option<PathBuf>,
    /// The accounts in the restored vault.
    pub accounts: i64,
    /// The sessions ended (everyone signs in again).
    pub sessions_ended: usize,
}

impl Vault {
    /// An admin's backup to `dest`, a file that must not exist yet. Needs a recent
    /// password check, because every password hash leaves the app with it; audited.
    pub fn backup(&self, admin: &AdminSession<'_>, dest: &Path) -> Result<BackupReport> {
        self.authorize(admin, AdminAction::Backup)?;
        let me = users::require(&self.conn(), admin.session().user_id())?;
        let report = self.backup_to(dest)?;
        let now = self.now();
        let name = file_name(dest);
        self.write(|conn| {
            let entry = NewEntry::new(AuditEvent::BackupCreated)
                .by(me.id, &me.email)
                .detail(&name);
            audit::append(conn, &entry, now)
        })?;
        Ok(report)
    }

    /// A backup to `dest` from the command line, whose gate is the OS permission on the
    /// vault file (as for `recover-admin`); audited without an actor.
    pub fn backup_from_command_line(&self, dest: &Path) -> Result<BackupReport> {
        let report = self.backup_to(dest)?;
        let now = self.now();
        let detail = format!("command line: {}", file_name(dest));
        self.write(|conn| {
            audit::append(
                conn,
                &NewEntry::new(AuditEvent::BackupCreated).detail(&detail),
                now,
            )
        })?;
        Ok(report)
    }

    /// A consistent copy of the vault in `dest`, which must not exist yet: for the
    /// command line and [`Vault::backup`]. The file is created for this OS account alone before SQLite
    /// writes into it.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupReport> {
        create_private(dest)?;
        let result = self
            .conn()
            .execute("VACUUM INTO ?1", [dest.to_string_lossy()]);
        if let Err(e) = result {
            let _ = std::fs::remove_file(dest);
            return Err(e.into());
        }
        let accounts = users::count(&self.conn())?;
        let bytes = std::fs::metadata(dest)
            .map_err(|e| Error::Storage(format!("backup {}: {e}", dest.display())))?
            .len();
        log::info!("vault backed up to {} ({bytes} bytes)", dest.display());
        Ok(BackupReport {
            path: dest.display().to_string(),
            bytes,
            accounts,
        })
    }
}

impl Vault {
    /// Makes the end of the log as it is now the anchor kept outside the file. Only for
    /// the first opening after a [`restore`]: the old anchor named the replaced file's
    /// log, and would report the restored one as cut. The restore itself is audited.
    pub fn adopt_audit_tail(&self) -> Result<()> {
        let latest = crate::model::audit::AuditAnchor::latest(&self.conn())?;
        self.save_anchor(latest);
        Ok(())
    }
}

/// Replaces the vault file at `vault_path` with the backup at `backup`, which is checked
/// first: a damaged file or one that is not a Latchkey vault is `Conflict`
/// (`NotAVault`), one written by a newer Latchkey `Conflict` (`VaultTooNew`); either
/// way nothing is touched. The replaced file (with its journal) is moved beside it,
/// named with `now`. Everyone is signed out, and the restore is audited.
///
/// Refused (`Conflict` `VaultInUse`) while the vault is open anywhere on this computer:
/// the app, a second instance or the recovery CLI would go on with the replaced file.
pub fn restore(vault_path: &Path, backup: &Path, now: Timestamp) -> Result<RestoreReport> {
    check_backup(backup)?;
    let _replacing = InUse::exclusive(vault_path)?;
    let replaced = if vault_path.exists() {
        // Fold the journal into the file first, so the file moved aside is whole.
        let conn = Connection::open(vault_path).map_err(|e| Error::Storage(e.to_string()))?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        drop(conn);
        let aside = vault_path.with_extension(format!("sqlite.replaced-{now}"));
        std::fs::rename(vault_path, &aside)
            .map_err(|e| Error::Storage(format!("move {} aside: {e}", vault_path.display())))?;
        for suffix in ["-wal", "-shm"] {
            let mut journal = vault_path.as_os_str().to_owned();
            journal.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(journal));
        }
        Some(aside)
    } else {
        None
    };
    let copy = std::fs::read(backup)
        .map_err(|e| Error::Storage(format!("read {}: {e}", backup.display())))?;
    write_private(vault_path, &copy)?;
    // Opening brings an older copy's schema up to date.
    let mut conn = db::open(vault_path)?;
    let tx = conn.transaction()?;
    let sessions_ended = tx.execute("DELETE FROM sessions", [])?;
    let source = file_name(backup);
    let entry = NewEntry::new(AuditEvent::VaultRestored).detail(&source);
    audit::append(&tx, &entry, now)?;
    let accounts = users::count(&tx)?;
    tx.commit()?;
    log::info!(
        "vault restored from {} ({accounts} accounts; {sessions_ended} sessions ended)",
        backup.display()
    );
    Ok(RestoreReport {
        replaced,
        accounts,
        sessions_ended,
    })
}

/// Whether `backup` is a whole Latchkey vault this build can open.
fn check_backup(backup: &Path) -> Result<()> {
    let not_a_vault = || Error::Conflict(Conflict::NotAVault);
    let conn = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| not_a_vault())?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|_| not_a_vault())?;
    if integrity != "ok" {
        return Err(not_a_vault());
    }
    let has_accounts: bool = conn
        .query_row(
            "SELECT count(*) = 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'",
            [],
            |row| row.get(0),
        )
        .map_err(|_| not_a_vault())?;
    if !has_accounts {
        return Err(not_a_vault());
    }
    let version = db::schema_version(&conn).map_err(|_| not_a_vault())?;
    if version > i64::try_from(db::MIGRATIONS.len()).unwrap_or(i64::MAX) {
        return Err(Error::Conflict(Conflict::VaultTooNew));
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// Creates the empty file `path` for this OS account alone; an existing file is refused.
fn create_private(path: &Path) -> Result<()> {
    write_private(path, &[])
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::Conflict(Conflict::FileExists),
        _ => Error::Storage(format!("create {}: {e}", path.display())),
    })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::Storage(format!("write {}: {e}", path.display())))
}
