//! Generates the Tauri context and a permission for each of the app's own commands. Only
//! commands listed in the manifest can be granted to a window, and the capability in
//! `src-tauri/capabilities/` grants them to the main window alone.

include!("src/command_list.rs");

fn main() {
    const NAMES: [&str; COMMANDS.len()] = {
        let mut names = [""; COMMANDS.len()];
        let mut i = 0;
        while i < COMMANDS.len() {
            names[i] = COMMANDS[i].0;
            i += 1;
        }
        names
    };
    println!("cargo::rerun-if-changed=src-tauri/src/command_list.rs");
    let manifest = tauri_build::AppManifest::new().commands(&NAMES);
    let attributes = tauri_build::Attributes::new()
        .app_manifest(manifest)
        .capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo::error={error:#}");
    }
}
