//! The installed binary's command-line recovery mode, run for real without a display.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::process::Command;
use std::sync::Arc;

use vault::{FirstAdmin, HashParams, MemoryStore, Vault, VaultOptions};

fn latchkey(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(args)
        .env("LATCHKEY_DATA_DIR", dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap()
}

/// The vault file at `path`, opened with cheap hashing.
fn open(path: &std::path::Path) -> Vault {
    let options = VaultOptions {
        hash_params: Some(HashParams::insecure_for_tests()),
        ..VaultOptions::default()
    };
    Vault::open(path, Arc::new(MemoryStore::new()), options).unwrap()
}

/// A vault file at `path` whose one account is the admin `email`, closed again.
fn vault_with_admin(path: &std::path::Path, email: &str, name: &str, password: &str) {
    open(path)
        .create_first_admin(&FirstAdmin {
            email: email.into(),
            display_name: name.into(),
            password: password.into(),
        })
        .unwrap();
}

#[test]
fn recover_admin_prints_a_one_time_password_that_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    vault_with_admin(
        &path,
        "lost@clinic.example",
        "Forgetful",
        "a passphrase nobody remembers",
    );

    let output = latchkey(
        dir.path(),
        &[
            "recover-admin",
            "--email=rescue@clinic.example",
            "--name",
            "Rescue",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let temporary = stdout
        .lines()
        .map(str::trim)
        .find(|line| line.len() == 23 && line.matches('-').count() == 3)
        .expect("the one-time password on its own line");

    let user = open(&path)
        .login("rescue@clinic.example", &temporary.into())
        .unwrap();
    assert_eq!(user.role, vault::Role::Admin);
    assert!(user.must_change_password);
}

/// Windows release builds have no console to print to: `--output` puts the result in a
/// new file that only the OS account can read, and keeps it off the screen.
#[test]
fn recover_admin_can_write_the_one_time_password_to_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let options = VaultOptions {
        hash_params: Some(HashParams::insecure_for_tests()),
        ..VaultOptions::default()
    };
    drop(Vault::open(&path, Arc::new(MemoryStore::new()), options).unwrap());
    let file = dir.path().join("recovery.txt");
    let args = [
        "recover-admin",
        "--email",
        "rescue@clinic.example",
        "--output",
        file.to_str().unwrap(),
    ];
    let output = latchkey(dir.path(), &args);
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    let temporary = text
        .lines()
        .map(str::trim)
        .find(|line| line.len() == 23 && line.matches('-').count() == 3)
        .expect("the one-time password in the file");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("recovery.txt"), "{stdout}");
    assert!(
        !stdout.contains(temporary),
        "the password stayed off the screen"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // An existing file is never overwritten, and nothing is changed then.
    let again = latchkey(dir.path(), &args);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_mistyped_command_is_refused_instead_of_starting_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let output = latchkey(dir.path(), &["recover-admn", "--email", "a@b.example"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown command `recover-admn`"),
        "{stderr}"
    );
    assert!(stderr.contains("recover-admin --email"), "{stderr}");
}

#[test]
fn recover_admin_refuses_a_missing_vault_and_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let missing = latchkey(dir.path(), &["recover-admin", "--email", "a@b.example"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no vault"));
    assert!(
        !dir.path().join("vault.sqlite").exists(),
        "nothing was created"
    );
    let bad = latchkey(dir.path(), &["recover-admin"]);
    assert_eq!(bad.status.code(), Some(2));
    let help = latchkey(dir.path(), &["--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("recover-admin"));
    let own_help = latchkey(dir.path(), &["recover-admin", "--help"]);
    assert_eq!(own_help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&own_help.stdout).contains("--output FILE"));
    let dangling = latchkey(dir.path(), &["recover-admin", "--email"]);
    assert_eq!(dangling.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&dangling.stderr).contains("--email needs a value"));
}

#[test]
fn backup_and_restore_round_trip_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    vault_with_admin(
        &path,
        "keeper@clinic.example",
        "Keeper",
        "ledger lamp above the stairs",
    );

    let copy = dir.path().join("monday.sqlite");
    let backup = latchkey(dir.path(), &["backup", copy.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&backup.stdout);
    assert!(
        backup.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(said.contains("Backed up 1 account ("), "{said}");
    // A second backup to the same name is refused: nothing is overwritten.
    let again = latchkey(dir.path(), &["backup", copy.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));

    // While the app has the vault open, a restore is refused and moves nothing aside.
    let running = open(&path);
    let refused = latchkey(dir.path(), &["restore", copy.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("in use") && said.contains("Nothing was changed"),
        "{said}"
    );
    drop(running);

    let restored = latchkey(dir.path(), &["restore", copy.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&restored.stdout);
    assert!(
        restored.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(said.contains("Restored 1 account from"), "{said}");
    assert!(said.contains("was kept as"), "{said}");
    open(&path)
        .login(
            "keeper@clinic.example",
            &"ledger lamp above the stairs".into(),
        )
        .unwrap();

    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, b"not a vault at all").unwrap();
    let refused = latchkey(dir.path(), &["restore", garbage.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Nothing was changed"));
    let usage = latchkey(dir.path(), &["restore"]);
    assert_eq!(usage.status.code(), Some(2));
}
