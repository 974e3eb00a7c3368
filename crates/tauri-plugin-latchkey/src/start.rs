//! Why the vault could not be opened when the app started, in a form a host can explain
//! to the person at the computer (the Latchkey app shows a native dialog) rather than
//! exiting with a line on standard error that nobody who double-clicked the app sees.

use std::fmt;
use std::path::{Path, PathBuf};

use vault::{Conflict, Error};

/// What kept the vault from opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartProblem {
    /// The file is damaged, is not an SQLite database, or is another program's.
    NotAVault,
    /// The file was written by a newer Latchkey.
    TooNew,
    /// The system's SQLite library lacks what the vault needs.
    SqliteTooOld,
    /// A restore is replacing the file right now.
    InUse,
    /// The folder or the disk refuses writes: read-only, full, or missing permissions.
    Storage,
    /// Anything else; the log has the details.
    Other,
}

/// The vault that did not open, and why. Nothing was written to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartFailure {
    /// What kept it from opening.
    pub problem: StartProblem,
    /// The vault file.
    pub vault_path: PathBuf,
    /// A sentence for the log and for standard error.
    pub detail: String,
}

impl StartFailure {
    /// The failure to open the vault at `vault_path` with `error`.
    pub fn from_vault_error(vault_path: &Path, error: &Error) -> Self {
        let problem = match error {
            Error::Conflict(Conflict::NotAVault) => StartProblem::NotAVault,
            Error::Conflict(Conflict::VaultTooNew) => StartProblem::TooNew,
            Error::Conflict(Conflict::SqliteTooOld) => StartProblem::SqliteTooOld,
            Error::Conflict(Conflict::VaultInUse) => StartProblem::InUse,
            Error::Storage(_) => StartProblem::Storage,
            _ => StartProblem::Other,
        };
        Self {
            problem,
            vault_path: vault_path.to_owned(),
            detail: error.user_message(),
        }
    }

    /// A failure that is not the vault's own, such as a bad setting in the environment.
    pub fn other(vault_path: &Path, detail: impl Into<String>) -> Self {
        Self {
            problem: StartProblem::Other,
            vault_path: vault_path.to_owned(),
            detail: detail.into(),
        }
    }

    /// The folder that holds the vault, the one to show the person.
    pub fn data_dir(&self) -> &Path {
        self.vault_path.parent().unwrap_or(&self.vault_path)
    }
}

impl fmt::Display for StartFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot open the vault at {}: {}",
            self.vault_path.display(),
            self.detail
        )
    }
}

impl std::error::Error for StartFailure {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_of_the_vault_names_its_problem() {
        let path = Path::new("/data/latchkey/vault.sqlite");
        let cases = [
            (
                Error::Conflict(Conflict::NotAVault),
                StartProblem::NotAVault,
            ),
            (Error::Conflict(Conflict::VaultTooNew), StartProblem::TooNew),
            (
                Error::Conflict(Conflict::SqliteTooOld),
                StartProblem::SqliteTooOld,
            ),
            (Error::Conflict(Conflict::VaultInUse), StartProblem::InUse),
            (
                Error::Storage("disk I/O error".into()),
                StartProblem::Storage,
            ),
            (Error::Internal("migrate".into()), StartProblem::Other),
        ];
        for (error, problem) in cases {
            let failure = StartFailure::from_vault_error(path, &error);
            assert_eq!(failure.problem, problem, "{error:?}");
            assert_eq!(failure.data_dir(), Path::new("/data/latchkey"));
            assert!(failure.to_string().contains("/data/latchkey/vault.sqlite"));
            assert!(!failure.detail.contains("disk I/O"), "no internal detail");
        }
    }
}
