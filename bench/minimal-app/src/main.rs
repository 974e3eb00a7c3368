//! One window, one page: the smallest Tauri 2 app, as a benchmark floor.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
