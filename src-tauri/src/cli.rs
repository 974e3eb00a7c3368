//! The command-line mode of the installed binary, which needs no display:
//! `latchkey recover-admin --email EMAIL [--name NAME]` for when every admin has lost
//! their password.
//!
//! It needs write access to the vault file, and nothing else: whoever can write that
//! file can already change any account in it, so the OS file permissions are the gate.
//! What recovery does is loud instead of secret: an audit event, and a notice every
//! admin sees in the app until one acknowledges it.

use std::path::PathBuf;
use std::sync::Arc;

use vault::{MemoryStore, Vault, VaultOptions};

use crate::{DATA_DIR_ENV, VAULT_FILE};

const USAGE: &str = "\
Usage:
  latchkey                                   start the app
  latchkey recover-admin --email EMAIL [--name NAME] [--output FILE]
                                             make EMAIL an administrator with a one-time
                                             password (creating the account if needed);
                                             with --output, the password goes to a new
                                             FILE only you can read instead of the screen
                                             (on Windows the app has no console: use it)
  latchkey --version

The vault is read from $LATCHKEY_DATA_DIR, or the OS app data directory.";

/// What `main` should do with the command line.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    /// Start the desktop app.
    App,
    /// Run a command-line mode and exit with this code.
    Exit(i32),
}

/// Runs the command-line mode named by `args` (without the program name), if any.
pub fn dispatch(args: &[String]) -> Invocation {
    match args.first().map(String::as_str) {
        Some("recover-admin") => Invocation::Exit(recover_admin(&args[1..])),
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            Invocation::Exit(0)
        }
        Some("--version" | "-V") => {
            println!("latchkey {}", env!("CARGO_PKG_VERSION"));
            Invocation::Exit(0)
        }
        // A word that names no command is a typing mistake: say so rather than start
        // the app. Flags (a WebDriver's, macOS's `-psn_…`) still start it.
        Some(word) if !word.starts_with('-') => {
            eprintln!("latchkey: unknown command `{word}`\n\n{USAGE}");
            Invocation::Exit(2)
        }
        _ => Invocation::App,
    }
}

fn default_data_dir() -> Option<PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|dir| dir.join(os_keyring::SERVICE)))
}

fn recover_admin(args: &[String]) -> i32 {
    let mut email = None;
    let mut name = None;
    let mut output = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--email" => email = rest.next().cloned(),
            "--name" => name = rest.next().cloned(),
            "--output" => output = rest.next().map(PathBuf::from),
            other => {
                eprintln!("recover-admin: unexpected argument `{other}`\n\n{USAGE}");
                return 2;
            }
        }
    }
    let Some(email) = email else {
        eprintln!("recover-admin: --email is required\n\n{USAGE}");
        return 2;
    };
    let Some(dir) = default_data_dir() else {
        eprintln!("recover-admin: no app data directory on this system; set {DATA_DIR_ENV}");
        return 1;
    };
    let path = dir.join(VAULT_FILE);
    if !path.exists() {
        eprintln!("recover-admin: there is no vault at {}", path.display());
        return 1;
    }
    if let Some(output) = &output
        && output.exists()
    {
        eprintln!(
            "recover-admin: {} exists already; name a new file",
            output.display()
        );
        return 2;
    }
    let vault = match Vault::open(&path, Arc::new(MemoryStore::new()), VaultOptions::default()) {
        Ok(vault) => vault,
        Err(e) => {
            eprintln!("recover-admin: cannot open {}: {e}", path.display());
            return 1;
        }
    };
    match vault.recover_admin(&email, name.as_deref().unwrap_or("Recovery administrator")) {
        Ok(issued) => {
            let text = format!(
                "{email} is now an administrator of the vault at {}.\n\nOne-time password:\n\n    {}\n\n\
                 Sign in with it in Latchkey; you will be asked to choose a new password at once.\n\
                 Every administrator will see a notice about this recovery until one acknowledges it.\n",
                path.display(),
                issued.expose()
            );
            match output {
                None => {
                    print!("{text}");
                    0
                }
                Some(output) => {
                    match tauri_plugin_latchkey::files::write_private_at(&output, text.as_bytes()) {
                        Ok(()) => {
                            println!(
                                "{email} is now an administrator; the one-time password is in {}.",
                                output.display()
                            );
                            0
                        }
                        Err(e) => {
                            // The account was changed: say so, and how to get a password.
                            eprintln!(
                                "recover-admin: {email} is now an administrator, but {} could not be \
                             written ({e}); run recover-admin again for a new one-time password",
                                output.display()
                            );
                            1
                        }
                    }
                }
            }
        }
        Err(e) => {
            eprintln!("recover-admin: {}", e.user_message());
            1
        }
    }
}
