//! Generates the Tauri context and the permissions for the app's own commands. Only the
//! commands listed in the manifest can be granted to a window, and the capabilities in
//! `src-tauri/capabilities/` grant them to the main window alone.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[]);
    let attributes = tauri_build::Attributes::new()
        .app_manifest(manifest)
        .capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo::error={error:#}");
    }
}
