//! Files the app writes for people to read: audit exports and recovery results. They
//! hold emails, sign-in history or a one-time password, so only the OS account that
//! asked for them may read them.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Writes `bytes` to a new file `dir/stem.ext` (or `stem-2.ext` and so on when the name
/// is taken) that only this OS account can read: mode 0600 on Unix; on Windows the
/// Downloads folder lies in the user's profile, whose permissions the file inherits.
/// The name is claimed with `create_new`, so an existing file is never overwritten,
/// not even one made between the check and the write.
pub fn write_private(
    dir: &Path,
    stem: &str,
    extension: &str,
    bytes: &[u8],
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for n in 1_u32.. {
        let name = if n == 1 {
            format!("{stem}.{extension}")
        } else {
            format!("{stem}-{n}.{extension}")
        };
        let path = dir.join(name);
        match write_private_at(&path, bytes) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free file name"))
}

/// Writes `bytes` to the new file `path` that only this OS account can read; an
/// existing file is refused (`AlreadyExists`), never overwritten.
pub fn write_private_at(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
