//! Measures what one sign-in costs at the default argon2id parameters, on a real vault
//! file in a temporary directory:
//!
//!     cargo run --release -p vault --example sign_in_cost

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measurement tool, not the vault"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use vault::{FirstAdmin, MemoryStore, Vault, VaultOptions};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(
        &dir.path().join("vault.sqlite"),
        Arc::new(MemoryStore::new()),
        VaultOptions::default(),
    )
    .expect("open vault");
    let password = "a measured sign-in passphrase";
    vault
        .create_first_admin(&FirstAdmin {
            email: "admin@bench.example".into(),
            display_name: "Bench".into(),
            password: password.into(),
        })
        .expect("first admin");
    let params = vault.hash_params();
    let runs = 15;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        vault
            .login("admin@bench.example", &password.into())
            .expect("sign in");
        known.push(start.elapsed());
        let start = Instant::now();
        let _ = vault.login("nobody@bench.example", &password.into());
        unknown.push(start.elapsed());
    }
    println!(
        "argon2id m={} KiB t={} p={}: sign-in median {:.1} ms, unknown email median {:.1} ms ({runs} runs each)",
        params.memory_kib(),
        params.iterations(),
        params.lanes(),
        median(known).as_secs_f64() * 1e3,
        median(unknown).as_secs_f64() * 1e3,
    );
}
