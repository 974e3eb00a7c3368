#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

//! A vault that cannot be opened at start, on Tauri's mock runtime: by default the app
//! does not start; with `manage_start_failure` it starts without a vault and holds the
//! reason for the host to explain. The file is left as it was either way.

use tauri::Manager as _;
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri_plugin_latchkey::{Builder, StartFailure, StartProblem};

fn damaged_vault() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"a photo saved under the vault's name".repeat(200);
    std::fs::write(dir.path().join("vault.sqlite"), &bytes).unwrap();
    (dir, bytes)
}

#[test]
fn a_damaged_vault_stops_the_app_unless_the_host_takes_the_failure() {
    let (dir, bytes) = damaged_vault();
    let refused = mock_builder()
        .plugin(Builder::new().data_dir(dir.path()).build())
        .build(mock_context(noop_assets()));
    let error = refused.expect_err("no app on a damaged vault").to_string();
    assert!(error.contains("not a whole Latchkey vault"), "{error}");

    let app = mock_builder()
        .plugin(
            Builder::new()
                .data_dir(dir.path())
                .manage_start_failure()
                .build(),
        )
        .build(mock_context(noop_assets()))
        .expect("the host gets to explain");
    let failure = app.try_state::<StartFailure>().expect("the reason is held");
    assert_eq!(failure.problem, StartProblem::NotAVault);
    assert_eq!(failure.data_dir(), dir.path());
    assert!(
        app.try_state::<tauri_plugin_latchkey::commands::SharedVault>()
            .is_none(),
        "no vault is there for the commands"
    );
    assert_eq!(
        std::fs::read(dir.path().join("vault.sqlite")).unwrap(),
        bytes
    );
}

#[test]
fn a_vault_that_opens_leaves_no_failure_behind() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_builder()
        .plugin(
            Builder::new()
                .data_dir(dir.path())
                .manage_start_failure()
                .build(),
        )
        .build(mock_context(noop_assets()))
        .unwrap();
    assert!(app.try_state::<StartFailure>().is_none());
    assert!(
        app.try_state::<tauri_plugin_latchkey::commands::SharedVault>()
            .is_some()
    );
}
