//! Generates the Tauri context. The app's own commands are its updates (`updates.rs`);
//! every other command comes from `tauri-plugin-latchkey`. Naming the app's commands
//! here makes each one a permission (`allow-check-for-update`, ...) that a capability in
//! `src-tauri/capabilities/` must grant, as the plugin's are: nothing is open by default.

fn main() {
    // The capability is compiled into the app: a change to it must rebuild the context.
    println!("cargo::rerun-if-changed=src-tauri/capabilities");
    let manifest = tauri_build::AppManifest::new().commands(&[
        "update_status",
        "check_for_update",
        "install_update",
        "restart_after_update",
    ]);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo::error={error:#}");
    }
}
