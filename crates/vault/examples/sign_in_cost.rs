//! Measures what one sign-in costs at the default argon2id parameters, on a real vault
//! file in a temporary directory:
//!
//!     cargo run --release -p vault --example sign_in_cost

#![allow(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measurement times real work with Instant; a measurement tool, not the vault"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use vault::{Clock, FirstAdmin, FixedClock, MemoryStore, SystemClock, Vault, VaultOptions};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A clock that the loop moves on a minute each round, past any throttling delay.
    let clock = Arc::new(FixedClock::new(SystemClock.now()));
    let started = Instant::now();
    let options = VaultOptions {
        clock: clock.clone(),
        ..VaultOptions::default()
    };
    let vault = Vault::open(
        &dir.path().join("vault.sqlite"),
        Arc::new(MemoryStore::new()),
        options,
    )
    .expect("open vault");
    println!(
        "opened a new vault, calibrating argon2id: {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
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
        clock.advance(60);
        let start = Instant::now();
        vault
            .login("admin@bench.example", &password.into())
            .expect("sign in");
        known.push(start.elapsed());
        clock.advance(60);
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
    let lookups = 1_000_000_u32;
    let start = Instant::now();
    let mut found = 0;
    for i in 0..lookups {
        if vault::is_breached(&format!("candidate password {i}")) {
            found += 1;
        }
    }
    println!(
        "breached-password list: {} entries, {:.2} µs per lookup (incl. formatting; {found} chance matches)",
        vault::breached_list_len(),
        start.elapsed().as_secs_f64() * 1e6 / f64::from(lookups),
    );
}
