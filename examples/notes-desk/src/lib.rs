//! Notes Desk: a minimal Tauri app that hosts Latchkey's sign-in and keeps a short list
//! of notes per person in its own SQLite table. Its commands take `latchkey::Session`,
//! so they run only for the person signed in, and its data functions demand that proof.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime, State};
use tauri_plugin_latchkey::vault::{Error, Invalid};
use tauri_plugin_latchkey::{self as latchkey, ErrorReply, Session};

/// The longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;

/// One note, as its author sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// The note's id.
    pub id: i64,
    /// What was written.
    pub text: String,
}

/// The notes table, in `notes.sqlite` beside the vault.
#[derive(Debug)]
pub struct Notes(Mutex<rusqlite::Connection>);

impl Notes {
    /// Opens (or creates) the notes file at `path`.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = rusqlite::Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS notes (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 owner INTEGER NOT NULL,
                 text TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS notes_by_owner ON notes (owner, id);",
        )?;
        Ok(Self(Mutex::new(conn)))
    }

    /// The signed-in person's notes, newest first. Taking the `Session` is the check:
    /// there is no way to name another person's notes.
    pub fn of(&self, session: &Session) -> Result<Vec<Note>, ErrorReply> {
        let conn = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let mut query = conn
            .prepare_cached("SELECT id, text FROM notes WHERE owner = ?1 ORDER BY id DESC")
            .map_err(internal)?;
        let rows = query
            .query_map([session.user_id().0], |row| {
                Ok(Note {
                    id: row.get(0)?,
                    text: row.get(1)?,
                })
            })
            .map_err(internal)?;
        rows.collect::<Result<_, _>>().map_err(internal)
    }

    /// Adds a note for the signed-in person.
    pub fn add(&self, session: &Session, text: &str) -> Result<Note, ErrorReply> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::invalid("text", Invalid::Empty).reply());
        }
        if text.chars().count() > NOTE_MAX_CHARS {
            return Err(Error::invalid("text", Invalid::TooLong(NOTE_MAX_CHARS)).reply());
        }
        let conn = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        conn.execute(
            "INSERT INTO notes (owner, text) VALUES (?1, ?2)",
            rusqlite::params![session.user_id().0, text],
        )
        .map_err(internal)?;
        Ok(Note {
            id: conn.last_insert_rowid(),
            text: text.to_owned(),
        })
    }
}

fn internal(error: rusqlite::Error) -> ErrorReply {
    Error::internal("notes", error).reply()
}

/// The signed-in person's notes.
#[tauri::command]
async fn list_notes(session: Session, notes: State<'_, Notes>) -> Result<Vec<Note>, ErrorReply> {
    notes.of(&session)
}

/// Adds a note for the signed-in person.
#[tauri::command]
async fn add_note(
    session: Session,
    notes: State<'_, Notes>,
    text: String,
) -> Result<Note, ErrorReply> {
    notes.add(&session, &text)
}

/// The longest note the window's text box takes. It needs no session: it is the same
/// for everyone and says nothing about anyone.
#[tauri::command]
fn note_limit() -> usize {
    NOTE_MAX_CHARS
}

/// The app: Latchkey's plugin (`latchkey` — `latchkey::init()` in `main`), the notes
/// commands, and the notes file opened beside the vault.
pub fn builder<R: Runtime>(
    builder: tauri::Builder<R>,
    latchkey: TauriPlugin<R>,
) -> tauri::Builder<R> {
    builder
        .plugin(latchkey)
        .invoke_handler(tauri::generate_handler![list_notes, add_note, note_limit])
        .setup(|app| {
            // A test manages its own notes file first.
            if app.try_state::<Notes>().is_none() {
                let dir = latchkey::data_dir(app.path().app_data_dir().ok())?;
                app.manage(Notes::open(&dir.join("notes.sqlite"))?);
            }
            Ok(())
        })
}

/// The app's configuration and capability, compiled in.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
