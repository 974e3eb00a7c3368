//! Locking without a command asking: the idle timer, and telling the windows.
//!
//! The vault decides when a session locks; this module only gives it a chance to look
//! every second ([`watch_idle`]) and passes the news to each window that asked for it
//! ([`LockWatchers`], fed by the `watch_lock` command's channel), so the lock screen
//! appears at once rather than at the next click.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tauri::ipc::Channel;
use vault::{LockReason, Vault};

/// How often the idle timer looks. A sleeping computer's timer stops, but the next look
/// after it wakes compares wall-clock times, so the whole sleep counts as idle.
pub const IDLE_TICK: Duration = Duration::from_secs(1);

/// The windows to tell when the session locks, one channel per window (a reloaded page
/// replaces its window's channel).
#[derive(Default)]
pub struct LockWatchers {
    channels: Mutex<Vec<(String, Channel<LockReason>)>>,
}

impl std::fmt::Debug for LockWatchers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockWatchers")
            .field("windows", &self.lock().len())
            .finish()
    }
}

impl LockWatchers {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, Channel<LockReason>)>> {
        self.channels.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells the window `label` through `channel` from now on.
    pub fn watch(&self, label: &str, channel: Channel<LockReason>) {
        let mut channels = self.lock();
        channels.retain(|(watched, _)| watched != label);
        channels.push((label.to_owned(), channel));
    }

    /// Tells every watching window that the session locked; a window that is gone is
    /// dropped from the list.
    pub fn notify(&self, reason: LockReason) {
        self.lock()
            .retain(|(label, channel)| match channel.send(reason) {
                Ok(()) => true,
                Err(e) => {
                    log::debug!("window {label} no longer hears about locks: {e}");
                    false
                }
            });
    }
}

/// Starts the idle timer: a thread that asks the vault every [`IDLE_TICK`] whether the
/// session has been idle for the auto-lock time, and tells the windows when it locked.
pub fn watch_idle(vault: Arc<Vault>, watchers: Arc<LockWatchers>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("latchkey-idle".into())
        .spawn(move || {
            loop {
                std::thread::sleep(IDLE_TICK);
                match vault.lock_if_idle() {
                    Ok(Some(reason)) => {
                        log::info!(
                            "session locked after {} s without activity",
                            vault.auto_lock_seconds()
                        );
                        watchers.notify(reason);
                    }
                    Ok(None) => {}
                    Err(e) => log::warn!("the idle check failed: {e}"),
                }
            }
        })
        .map(|_| ())
}
