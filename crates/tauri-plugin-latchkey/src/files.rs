//! Files the app writes for people to read: audit exports and recovery results. They
//! hold emails, sign-in history or a one-time password, so only the OS account that
//! asked for them may read them.

use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to the new file `path` that only this OS account can read; an
/// existing file is refused (`AlreadyExists`), never overwritten.
pub fn write_private_at(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = create_private(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Creates the new, empty file `path` that only this OS account can read; an existing
/// file is refused (`AlreadyExists`), never overwritten.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
