//! Who has the vault file open. Every open vault holds a shared lock on a small file
//! beside it (`vault.sqlite.in-use`) for as long as it lives; a restore takes the same
//! lock exclusively, so it is refused while the app, a second instance or the recovery
//! CLI has the vault open, and an app started during a restore waits for nothing and
//! says so. The OS releases the lock when a process ends, however it ends.
//!
//! The lock is the OS's advisory file lock (`flock` on Unix, `LockFileEx` on Windows),
//! on a file of its own so that it never meets SQLite's locks on the vault itself.
//! The file is never deleted: deleting a lock file races with the next process to open
//! it.

use std::ffi::OsString;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{Conflict, Error, Result};

/// A held lock on the vault's in-use file; released when dropped.
#[derive(Debug)]
pub(crate) struct InUse {
    _file: File,
}

impl InUse {
    /// Marks the vault at `vault` as open by this process, beside any others.
    pub(crate) fn shared(vault: &Path) -> Result<Self> {
        let file = open(vault)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Conflict(Conflict::VaultInUse)),
            Err(TryLockError::Error(e)) => Err(lock_failed(vault, &e)),
        }
    }

    /// Marks the vault at `vault` as being replaced: refused while anyone has it open.
    pub(crate) fn exclusive(vault: &Path) -> Result<Self> {
        let file = open(vault)?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Conflict(Conflict::VaultInUse)),
            Err(TryLockError::Error(e)) => Err(lock_failed(vault, &e)),
        }
    }
}

/// The in-use file of the vault at `vault`: its name with `.in-use` added.
pub(crate) fn path_of(vault: &Path) -> PathBuf {
    let mut name = OsString::from(vault.as_os_str());
    name.push(".in-use");
    PathBuf::from(name)
}

fn open(vault: &Path) -> Result<File> {
    let path = path_of(vault);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&path)
        .map_err(|e| Error::Storage(format!("open {}: {e}", path.display())))
}

fn lock_failed(vault: &Path, error: &std::io::Error) -> Error {
    Error::Storage(format!("lock {}: {error}", path_of(vault).display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_may_share_and_none_may_replace_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.sqlite");
        let app = InUse::shared(&vault).unwrap();
        let second = InUse::shared(&vault).unwrap();
        let refused = InUse::exclusive(&vault).unwrap_err();
        assert!(matches!(refused, Error::Conflict(Conflict::VaultInUse)));
        drop((app, second));
        let restore = InUse::exclusive(&vault).unwrap();
        assert!(matches!(
            InUse::shared(&vault),
            Err(Error::Conflict(Conflict::VaultInUse))
        ));
        drop(restore);
        assert!(InUse::shared(&vault).is_ok());
    }
}
