//! Creates (or opens and migrates) the vault file named on the command line, then
//! exits: an empty vault for scripts that need one, such as the CI run of the recovery
//! command. `cargo run -p vault --example open_vault -- PATH`.

use std::sync::Arc;

use vault::{MemoryStore, Vault, VaultOptions};

fn main() -> Result<(), String> {
    let path = std::env::args_os().nth(1).ok_or("usage: open_vault PATH")?;
    let vault = Vault::open(
        std::path::Path::new(&path),
        Arc::new(MemoryStore::new()),
        VaultOptions::default(),
    )
    .map_err(|e| e.to_string())?;
    println!(
        "vault at {} (schema {})",
        std::path::Path::new(&path).display(),
        vault.schema_version().map_err(|e| e.to_string())?
    );
    Ok(())
}
