//! Copying a one-time password to the system clipboard, and taking it back out.
//!
//! A temporary password left on the clipboard is pasted by whoever sits down next. The
//! copy is therefore made in Rust, and after [`CLEAR_AFTER`] the clipboard is emptied if
//! it still holds that password (something copied since is left alone). The webview is
//! granted no clipboard access of its own: it can ask for this one copy, not read.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use vault::SecretString;

/// How long a copied one-time password stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// The place text is copied to.
pub trait Clipboard: Send + Sync + std::fmt::Debug {
    /// Puts `text` on the clipboard.
    fn set(&self, text: &str) -> Result<(), String>;
    /// The clipboard's text, if it holds text.
    fn get(&self) -> Result<Option<String>, String>;
    /// Empties the clipboard.
    fn clear(&self) -> Result<(), String>;
}

/// The OS clipboard. One instance lives as long as the app: on X11 the app itself serves
/// what it copied, for as long as this object exists.
pub struct SystemClipboard(Mutex<Option<arboard::Clipboard>>);

impl SystemClipboard {
    /// The OS clipboard, opened at first use (there may be no display yet at start).
    pub fn new() -> Self {
        Self(Mutex::new(None))
    }

    fn with<T>(
        &self,
        use_it: impl FnOnce(&mut arboard::Clipboard) -> Result<T, arboard::Error>,
    ) -> Result<T, String> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        match slot.as_mut() {
            Some(clipboard) => use_it(clipboard).map_err(|e| e.to_string()),
            None => Err("no clipboard".into()),
        }
    }
}

impl Default for SystemClipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for SystemClipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SystemClipboard")
    }
}

impl Clipboard for SystemClipboard {
    fn set(&self, text: &str) -> Result<(), String> {
        self.with(|c| c.set_text(text))
    }

    fn get(&self) -> Result<Option<String>, String> {
        self.with(|c| match c.get_text() {
            Ok(text) => Ok(Some(text)),
            Err(arboard::Error::ContentNotAvailable) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn clear(&self) -> Result<(), String> {
        self.with(arboard::Clipboard::clear)
    }
}

/// A clipboard in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryClipboard(Mutex<Option<String>>);

impl Clipboard for MemoryClipboard {
    fn set(&self, text: &str) -> Result<(), String> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(text.to_owned());
        Ok(())
    }

    fn get(&self) -> Result<Option<String>, String> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone())
    }

    fn clear(&self) -> Result<(), String> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(())
    }
}

/// The clipboard the commands copy to, and how long a copy stays.
#[derive(Debug, Clone)]
pub struct ClipboardState {
    /// Where text goes.
    pub clipboard: Arc<dyn Clipboard>,
    /// When a copied secret is taken back out.
    pub clear_after: Duration,
}

impl ClipboardState {
    /// Copies `secret` and, after `clear_after`, empties the clipboard if it still holds
    /// it. The wait runs on its own thread; the secret is wiped when it ends.
    pub fn copy_for_a_while(&self, secret: SecretString) -> Result<(), String> {
        self.clipboard.set(secret.expose())?;
        let clipboard = Arc::clone(&self.clipboard);
        let wait = self.clear_after;
        std::thread::Builder::new()
            .name("clipboard-clear".into())
            .spawn(move || {
                std::thread::sleep(wait);
                match clipboard.get() {
                    Ok(Some(text)) if text == secret.expose() => {
                        if let Err(e) = clipboard.clear() {
                            log::warn!("could not clear the clipboard: {e}");
                        }
                    }
                    Ok(_) => {}
                    Err(e) => log::warn!("could not read the clipboard to clear it: {e}"),
                }
            })
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> (Arc<MemoryClipboard>, ClipboardState) {
        let memory = Arc::new(MemoryClipboard::default());
        let state = ClipboardState {
            clipboard: memory.clone(),
            clear_after: Duration::from_millis(20),
        };
        (memory, state)
    }

    fn settle() {
        std::thread::sleep(Duration::from_millis(200));
    }

    #[test]
    fn a_copied_secret_is_taken_back_out() {
        let (memory, state) = state();
        state.copy_for_a_while("abcde-fghjk".into()).unwrap();
        assert_eq!(memory.get().unwrap().as_deref(), Some("abcde-fghjk"));
        settle();
        assert_eq!(memory.get().unwrap(), None);
    }

    #[test]
    fn something_copied_since_is_left_alone() {
        let (memory, state) = state();
        state.copy_for_a_while("abcde-fghjk".into()).unwrap();
        memory.set("a shopping list").unwrap();
        settle();
        assert_eq!(memory.get().unwrap().as_deref(), Some("a shopping list"));
    }
}
