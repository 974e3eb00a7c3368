//! The window opens at the size and place it had last time (tauri-plugin-window-state).
//!
//! The plugin writes its file when the app exits normally. An app that ends otherwise (a
//! crash, the computer shutting down, the session ending) would lose a resize made
//! since, so the app also writes it half a second after the window stops changing.

use std::sync::mpsc;
use std::time::Duration;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Runtime, WebviewWindow, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is remembered: size, place and whether the window was maximised.
fn flags() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// How long the window must stay still before its state is written.
const QUIET: Duration = Duration::from_millis(500);

/// The plugin, restoring each window as it opens.
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(flags())
        .build()
}

/// Writes the state shortly after `window` is resized or moved.
pub fn save_when_settled<R: Runtime>(app: &AppHandle<R>, window: &WebviewWindow<R>) {
    let (changed, changes) = mpsc::channel::<()>();
    let app = app.clone();
    std::thread::spawn(move || {
        while changes.recv().is_ok() {
            // Wait until no change has come for a moment, then write once. The write runs
            // on the main thread, where the window's events are handled: from here it
            // would hold the plugin's lock while asking the main thread for the size, and
            // a resize event waiting for that lock would hang the app.
            while changes.recv_timeout(QUIET).is_ok() {}
            let handle = app.clone();
            let queued = app.run_on_main_thread(move || {
                if let Err(e) = handle.save_window_state(flags()) {
                    log::warn!("could not remember the window's size and place: {e}");
                }
            });
            if queued.is_err() {
                // The app is closing; the plugin writes the state on exit.
                break;
            }
        }
    });
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
            let _ = changed.send(());
        }
    });
}
