//! The plugin stands alone: it depends on the vault and the keyring store, never on an
//! app that hosts it, so any Tauri app can take it as it is.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::Path;

const HOSTS: [&str; 3] = ["latchkey_lib", "notes_desk", "notes-desk"];

fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

#[test]
fn the_plugin_names_no_host() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let dependencies = manifest
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("name"));
    for line in dependencies {
        assert!(
            !line.starts_with("latchkey") && !line.contains("path = \"../..\""),
            "the plugin depends on the app: {line}"
        );
        assert!(!line.starts_with("notes-desk"), "{line}");
    }
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    assert!(files.len() >= 5, "read the plugin's sources");
    for (path, text) in files {
        for host in HOSTS {
            assert!(!text.contains(host), "{path} names the host `{host}`");
        }
    }
}
