//! The operating system's own signals that the person has left: the screen was locked
//! or the session switched away, or the computer is going to sleep. Windows and macOS
//! here; Linux's come over D-Bus, in the plugin (`tauri_plugin_latchkey::lock::linux`).
//!
//! Each platform offers [`listen`], which blocks its thread for as long as the app runs
//! and passes every event to a callback. Where a platform has no source, [`listen`]
//! returns at once with an error saying so.

#[cfg(target_os = "macos")]
pub mod macos;
#[cfg(windows)]
pub mod windows;

/// Something the operating system reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsEvent {
    /// The screen was locked, or this person's session was switched away from.
    Lock,
    /// The computer is going to sleep (or its displays did).
    Sleep,
}

/// What this platform listens to, for the log.
pub fn describe() -> &'static str {
    #[cfg(windows)]
    {
        "Windows session notifications and power broadcasts"
    }
    #[cfg(target_os = "macos")]
    {
        "macOS workspace sleep and session notifications, and the screen lock"
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    {
        "nothing on this platform"
    }
}

/// Listens for as long as the app runs, passing each event to `on_event`.
///
/// Errors: when the platform's source cannot be set up, or this platform has none.
pub fn listen(on_event: &mut dyn FnMut(OsEvent)) -> Result<(), String> {
    #[cfg(windows)]
    {
        windows::SessionWindow::default().listen(on_event)
    }
    #[cfg(target_os = "macos")]
    {
        macos::listen(on_event)
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    {
        let _ = on_event;
        Err("no lock events on this platform".into())
    }
}
