//! Where the files an admin asks for (audit exports, backups) are saved, and showing
//! them in the file manager afterwards.
//!
//! The path always comes from the person, through the OS's save dialog, or from the
//! plugin itself (the next free name in Downloads); never from the page. A page that
//! could name a path would be a way to write files anywhere the OS account may. For the
//! same reason "show in folder" only shows files this run of the plugin wrote.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{AppHandle, Runtime};

/// What is being saved, for the dialog's title and file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    /// The audit log as CSV.
    AuditCsv,
    /// The audit log as JSON Lines.
    AuditJsonl,
    /// A copy of the vault.
    Backup,
    /// The account list as CSV.
    AccountsCsv,
    /// The temporary passwords of an import, as CSV.
    TemporaryPasswords,
}

impl SaveKind {
    /// The file name's extension.
    pub const fn extension(self) -> &'static str {
        match self {
            SaveKind::AuditCsv | SaveKind::AccountsCsv | SaveKind::TemporaryPasswords => "csv",
            SaveKind::AuditJsonl => "jsonl",
            SaveKind::Backup => "sqlite",
        }
    }

    /// The dialog's title, in Korean when the OS speaks it, else in English.
    fn title(self, korean: bool) -> &'static str {
        match (self, korean) {
            (SaveKind::AuditCsv | SaveKind::AuditJsonl, false) => "Save the audit log",
            (SaveKind::AuditCsv | SaveKind::AuditJsonl, true) => "감사 로그 저장",
            (SaveKind::Backup, false) => "Save a backup of the vault",
            (SaveKind::Backup, true) => "저장소 백업 저장",
            (SaveKind::AccountsCsv, false) => "Save the account list",
            (SaveKind::AccountsCsv, true) => "계정 목록 저장",
            (SaveKind::TemporaryPasswords, false) => "Save the temporary passwords",
            (SaveKind::TemporaryPasswords, true) => "임시 비밀번호 저장",
        }
    }

    /// The file type the dialog offers.
    fn filter(self) -> &'static str {
        match self {
            SaveKind::AuditCsv | SaveKind::AccountsCsv | SaveKind::TemporaryPasswords => "CSV",
            SaveKind::AuditJsonl => "JSON Lines",
            SaveKind::Backup => "Latchkey vault",
        }
    }
}

/// Asks where to save a file, and shows a saved file in the file manager.
pub trait SaveTo: Send + Sync + std::fmt::Debug {
    /// Where to save a `kind` file proposed as `name` (`latchkey-backup-2026-12-07`,
    /// without its extension): the person's choice, or `None` when they cancelled.
    /// May block until the person answers; never called on the main thread.
    fn choose(&self, kind: SaveKind, name: &str) -> Option<PathBuf>;

    /// Opens the folder that holds `path`, with the file selected where the file
    /// manager can do that.
    fn show(&self, path: &Path) -> std::io::Result<()>;
}

/// No question: the next free name in a folder (Downloads by default). For hosts that
/// do not register `tauri-plugin-dialog`, and for tests.
#[derive(Debug, Clone)]
pub struct InFolder(pub PathBuf);

impl SaveTo for InFolder {
    fn choose(&self, kind: SaveKind, name: &str) -> Option<PathBuf> {
        if let Err(e) = std::fs::create_dir_all(&self.0) {
            log::warn!("cannot create {}: {e}", self.0.display());
            return None;
        }
        let extension = kind.extension();
        (1_u32..10_000)
            .map(|n| match n {
                1 => format!("{name}.{extension}"),
                n => format!("{name}-{n}.{extension}"),
            })
            .map(|file| self.0.join(file))
            .find(|path| !path.exists())
    }

    fn show(&self, path: &Path) -> std::io::Result<()> {
        reveal(path)
    }
}

/// The OS's save dialog (`tauri-plugin-dialog`, which the host registers), opening in
/// `folder` with the proposed name.
#[derive(Debug)]
pub struct SaveDialog<R: Runtime> {
    app: AppHandle<R>,
    folder: PathBuf,
}

impl<R: Runtime> SaveDialog<R> {
    /// The dialog of `app`, opening in `folder`.
    pub fn new(app: AppHandle<R>, folder: PathBuf) -> Self {
        Self { app, folder }
    }
}

impl<R: Runtime> SaveTo for SaveDialog<R> {
    fn choose(&self, kind: SaveKind, name: &str) -> Option<PathBuf> {
        use tauri_plugin_dialog::DialogExt as _;
        let korean = crate::os_speaks_korean();
        let extension = kind.extension();
        let chosen = self
            .app
            .dialog()
            .file()
            .set_title(kind.title(korean))
            .set_directory(&self.folder)
            .set_file_name(format!("{name}.{extension}"))
            .add_filter(kind.filter(), &[extension])
            .blocking_save_file()?;
        chosen.into_path().ok()
    }

    fn show(&self, path: &Path) -> std::io::Result<()> {
        reveal(path)
    }
}

fn reveal(path: &Path) -> std::io::Result<()> {
    tauri_plugin_opener::reveal_item_in_dir(path).map_err(std::io::Error::other)
}

/// The files saved in this run, the only ones "show in folder" will show.
#[derive(Debug, Default)]
pub struct SavedFiles(Mutex<Vec<PathBuf>>);

impl SavedFiles {
    /// Remembers `path` as written by the plugin.
    pub fn add(&self, path: PathBuf) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(path);
    }

    /// Whether the plugin wrote `path` in this run.
    pub fn contains(&self, path: &Path) -> bool {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .any(|saved| saved == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_a_folder_the_next_free_name_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let folder = InFolder(dir.path().to_owned());
        let first = folder.choose(SaveKind::Backup, "latchkey-backup-2026-12-07");
        assert_eq!(
            first.as_deref(),
            Some(
                dir.path()
                    .join("latchkey-backup-2026-12-07.sqlite")
                    .as_path()
            )
        );
        std::fs::write(first.unwrap(), b"").unwrap();
        assert_eq!(
            folder.choose(SaveKind::Backup, "latchkey-backup-2026-12-07"),
            Some(dir.path().join("latchkey-backup-2026-12-07-2.sqlite"))
        );
        assert_eq!(
            folder
                .choose(SaveKind::AuditJsonl, "log")
                .and_then(|p| p.extension().map(|e| e.to_owned())),
            Some("jsonl".into())
        );
    }

    #[test]
    fn only_files_this_run_wrote_are_known() {
        let saved = SavedFiles::default();
        saved.add(PathBuf::from("/home/desk/Downloads/log.csv"));
        assert!(saved.contains(Path::new("/home/desk/Downloads/log.csv")));
        assert!(!saved.contains(Path::new("/home/desk/.bashrc")));
    }
}
