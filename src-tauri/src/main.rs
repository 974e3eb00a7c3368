//! Latchkey's entry point: the desktop app, or a command-line mode (`--help`).

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use latchkey_lib::cli::{Invocation, dispatch};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Invocation::App => latchkey_lib::run(),
        Invocation::Exit(code) => std::process::exit(code),
    }
}
