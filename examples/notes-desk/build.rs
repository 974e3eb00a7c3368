//! The host's own commands and the capability that grants them, beside the plugin's
//! `latchkey:default` set.

fn main() {
    // The capability is compiled into the app: a change to it must rebuild the context.
    println!("cargo::rerun-if-changed=capabilities");
    let manifest =
        tauri_build::AppManifest::new().commands(&["list_notes", "add_note", "note_limit"]);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo::error={error:#}");
    }
}
