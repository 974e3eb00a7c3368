//! Generates the Tauri context. The app registers no commands of its own: every command
//! comes from `tauri-plugin-latchkey`, whose permission sets the capability in
//! `src-tauri/capabilities/` grants to the main window alone.

fn main() {
    // The capability is compiled into the app: a change to it must rebuild the context.
    println!("cargo::rerun-if-changed=src-tauri/capabilities");
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo::error={error:#}");
    }
}
