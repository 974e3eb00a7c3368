//! Locking without a command asking: the idle timer, the operating system's lock and
//! sleep events, and telling the windows.
//!
//! The vault decides when a session locks; this module gives it a chance to look every
//! second ([`watch_idle`]), locks it when the OS reports sleep or a screen lock
//! ([`LockSource`], one small module per platform, started by [`watch_os`]), and passes
//! the news to each window that asked for it ([`LockWatchers`], fed by the `watch_lock`
//! command's channel), so the lock screen appears at once rather than at the next click.

#[cfg(target_os = "linux")]
pub mod linux;

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

/// Something in the operating system that means the person has left: the computer is
/// going to sleep, the OS session or its screen was locked.
pub trait LockSource: Send + 'static {
    /// What the source listens to, for the log.
    fn describe(&self) -> String;

    /// Listens until the source ends, passing each event to `on_event`. Errors when the
    /// source cannot be reached (no such bus or service); the caller logs that once and
    /// the wall-clock check still locks after a sleep.
    fn listen(self: Box<Self>, on_event: &mut dyn FnMut(LockReason)) -> Result<(), String>;
}

/// The sources of this platform. Linux: logind and the screen saver on D-Bus. Windows:
/// session notifications and power broadcasts; macOS: the workspace's sleep and session
/// notifications and the screen lock (both in the `os-lock-events` crate). Elsewhere
/// none: the idle timer's wall-clock check locks after a sleep at the first tick after
/// the wake.
pub fn platform_sources() -> Vec<Box<dyn LockSource>> {
    #[cfg(target_os = "linux")]
    {
        linux::sources()
    }
    #[cfg(any(windows, target_os = "macos"))]
    {
        vec![Box::new(OsEvents)]
    }
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    {
        log::info!(
            "no operating-system lock events on this platform; the idle timer still locks after sleep"
        );
        Vec::new()
    }
}

/// Windows' and macOS's events, as a source.
#[cfg(any(windows, target_os = "macos"))]
#[derive(Debug)]
struct OsEvents;

#[cfg(any(windows, target_os = "macos"))]
impl LockSource for OsEvents {
    fn describe(&self) -> String {
        os_lock_events::describe().into()
    }

    fn listen(self: Box<Self>, on_event: &mut dyn FnMut(LockReason)) -> Result<(), String> {
        os_lock_events::listen(&mut |event| {
            on_event(match event {
                os_lock_events::OsEvent::Lock => LockReason::OsLock,
                os_lock_events::OsEvent::Sleep => LockReason::Sleep,
            });
        })
    }
}

/// Starts one thread per source: each event locks the session (when one is active) and
/// tells the windows.
pub fn watch_os(
    sources: Vec<Box<dyn LockSource>>,
    vault: Arc<Vault>,
    watchers: Arc<LockWatchers>,
) -> std::io::Result<()> {
    for source in sources {
        let vault = vault.clone();
        let watchers = watchers.clone();
        std::thread::Builder::new()
            .name("latchkey-os-lock".into())
            .spawn(move || {
                let what = source.describe();
                log::info!("listening to {what} for lock and sleep events");
                let mut on_event = |reason: LockReason| match vault.lock_session(reason) {
                    Ok(true) => {
                        log::info!("session locked: {} reported {}", what, reason.as_str());
                        watchers.notify(reason);
                    }
                    Ok(false) => {}
                    Err(e) => log::warn!("could not lock the session after {what}'s event: {e}"),
                };
                match source.listen(&mut on_event) {
                    Ok(()) => log::info!("{what} stopped sending events"),
                    Err(e) => log::info!(
                        "not listening to {what} ({e}); the idle timer still locks after sleep"
                    ),
                }
            })?;
    }
    Ok(())
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
