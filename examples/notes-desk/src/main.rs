//! Notes Desk: a second host of Latchkey's sign-in.

// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let app = notes_desk::builder(tauri::Builder::default(), tauri_plugin_latchkey::init());
    if let Err(error) = app.run(notes_desk::context()) {
        eprintln!("Notes Desk could not start: {error}");
        std::process::exit(1);
    }
}
