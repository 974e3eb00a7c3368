//! The command-line mode of the installed binary, which needs no display:
//! `latchkey recover-admin --email EMAIL [--name NAME]` for when every admin has lost
//! their password, and `latchkey backup FILE` / `latchkey restore FILE`.
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
  latchkey backup FILE                       write a copy of the vault to the new FILE, only
                                             you can read it (safe while the app runs)
  latchkey restore FILE                      replace the vault with the backup in FILE (quit
                                             the app first); the replaced vault is kept
                                             beside it and everyone signs in again
  latchkey --version
  latchkey --help

Options take their value after a space or an equals sign (--email=EMAIL).
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
        Some("backup") => Invocation::Exit(backup(&args[1..])),
        Some("restore") => Invocation::Exit(restore(&args[1..])),
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

/// `recover-admin`'s options, from `--flag value` or `--flag=value`.
#[derive(Debug, Default, PartialEq, Eq)]
struct RecoverOptions {
    email: Option<String>,
    name: Option<String>,
    output: Option<PathBuf>,
    help: bool,
}

/// Reads `recover-admin`'s arguments, or says what is wrong with them.
fn recover_options(args: &[String]) -> Result<RecoverOptions, String> {
    let mut options = RecoverOptions::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--help" || arg == "-h" {
            options.help = true;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let slot = match flag {
            "--email" => &mut options.email,
            "--name" => &mut options.name,
            "--output" => {
                let value = inline.or_else(|| rest.next().cloned());
                let value = value
                    .filter(|v| !v.is_empty())
                    .ok_or("--output needs a file name")?;
                if options.output.replace(PathBuf::from(value)).is_some() {
                    return Err("--output is given twice".into());
                }
                continue;
            }
            other => return Err(format!("unexpected argument `{other}`")),
        };
        let value = inline.or_else(|| rest.next().cloned());
        let value = value
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("{flag} needs a value"))?;
        if slot.replace(value).is_some() {
            return Err(format!("{flag} is given twice"));
        }
    }
    Ok(options)
}

/// The one FILE argument of `backup` and `restore`, or the exit code to stop with.
fn file_argument(command: &str, args: &[String]) -> Result<PathBuf, i32> {
    match args {
        [flag] if flag == "--help" || flag == "-h" => {
            println!("{USAGE}");
            Err(0)
        }
        [file] if !file.starts_with('-') && !file.is_empty() => Ok(PathBuf::from(file)),
        _ => {
            eprintln!("{command}: name one FILE\n\n{USAGE}");
            Err(2)
        }
    }
}

/// The vault file, which must exist.
fn existing_vault(command: &str) -> Result<PathBuf, i32> {
    let Some(dir) = default_data_dir() else {
        eprintln!("{command}: no app data directory on this system; set {DATA_DIR_ENV}");
        return Err(1);
    };
    let path = dir.join(VAULT_FILE);
    if !path.exists() {
        eprintln!("{command}: there is no vault at {}", path.display());
        return Err(1);
    }
    Ok(path)
}

fn backup(args: &[String]) -> i32 {
    let (file, path) = match file_argument("backup", args)
        .and_then(|file| existing_vault("backup").map(|path| (file, path)))
    {
        Ok(found) => found,
        Err(code) => return code,
    };
    let vault = match Vault::open(&path, Arc::new(MemoryStore::new()), VaultOptions::default()) {
        Ok(vault) => vault,
        Err(e) => {
            eprintln!(
                "backup: cannot open {}: {}",
                path.display(),
                e.user_message()
            );
            return 1;
        }
    };
    match vault.backup_from_command_line(&file) {
        Ok(report) => {
            println!(
                "Backed up {} ({} bytes) to {}. It holds every password hash: keep it as \
                 safe as the vault.",
                counted(report.accounts, "account", "accounts"),
                report.bytes,
                report.path
            );
            0
        }
        Err(e) => {
            eprintln!("backup: {}", e.user_message());
            1
        }
    }
}

/// "1 account", "2 accounts": `count` and the noun it takes.
fn counted(count: i64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn restore(args: &[String]) -> i32 {
    let file = match file_argument("restore", args) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let Some(dir) = default_data_dir() else {
        eprintln!("restore: no app data directory on this system; set {DATA_DIR_ENV}");
        return 1;
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("restore: cannot create {}: {e}", dir.display());
        return 1;
    }
    let path = dir.join(VAULT_FILE);
    let now = vault::Clock::now(&vault::SystemClock);
    let report = match vault::restore(&path, &file, now) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("restore: {} Nothing was changed.", e.user_message());
            return 1;
        }
    };
    // The anchor outside the file named the replaced log's end; the restored log's end
    // is the one to keep now.
    match tauri_plugin_latchkey::open_vault(&dir) {
        Ok(vault) => {
            if let Err(e) = vault.adopt_audit_tail() {
                eprintln!(
                    "restore: the audit anchor was not renewed: {}",
                    e.user_message()
                );
            }
        }
        Err(e) => eprintln!("restore: the restored vault did not open: {e}"),
    }
    println!(
        "Restored {} from {} into {}. Everyone signs in again ({} ended).",
        counted(report.accounts, "account", "accounts"),
        file.display(),
        path.display(),
        counted(
            i64::try_from(report.sessions_ended).unwrap_or(i64::MAX),
            "session",
            "sessions"
        )
    );
    if let Some(replaced) = report.replaced {
        println!("The vault it replaced was kept as {}.", replaced.display());
    }
    0
}

fn recover_admin(args: &[String]) -> i32 {
    let RecoverOptions {
        email,
        name,
        output,
        help,
    } = match recover_options(args) {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("recover-admin: {problem}\n\n{USAGE}");
            return 2;
        }
    };
    if help {
        println!("{USAGE}");
        return 0;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn options(args: &[&str]) -> Result<RecoverOptions, String> {
        recover_options(&args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn options_take_their_value_after_a_space_or_an_equals_sign() {
        let spaced = options(&["--email", "ada@desk.example", "--name", "Ada Lovelace"]);
        let joined = options(&["--email=ada@desk.example", "--name=Ada Lovelace"]);
        assert_eq!(spaced, joined);
        let parsed = joined.unwrap_or_default();
        assert_eq!(parsed.email.as_deref(), Some("ada@desk.example"));
        assert_eq!(parsed.name.as_deref(), Some("Ada Lovelace"));
        let output = options(&["--email=a@b.example", "--output=/tmp/x.txt"]).unwrap_or_default();
        assert_eq!(output.output, Some(PathBuf::from("/tmp/x.txt")));
    }

    #[test]
    fn a_missing_or_repeated_value_is_named() {
        assert_eq!(options(&["--email"]), Err("--email needs a value".into()));
        assert_eq!(options(&["--email="]), Err("--email needs a value".into()));
        assert_eq!(
            options(&["--email=a@b.example", "--email", "c@d.example"]),
            Err("--email is given twice".into())
        );
        assert_eq!(
            options(&["--output"]),
            Err("--output needs a file name".into())
        );
        assert_eq!(
            options(&["--colour=red"]),
            Err("unexpected argument `--colour`".into())
        );
    }

    #[test]
    fn help_is_an_option_of_its_own() {
        assert!(options(&["--help"]).unwrap_or_default().help);
        assert!(
            options(&["-h", "--email=a@b.example"])
                .unwrap_or_default()
                .help
        );
    }
}
