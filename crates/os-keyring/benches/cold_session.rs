//! The cold session check of `make bench` (row 2b), through the real OS keyring: on
//! Linux, gnome-keyring's Secret Service inside `dbus-run-session`, which
//! `scripts/with-keyring.sh` provides. Two parts are measured apart:
//!
//! - `keyring_read`: one read of the session token from the keyring, as at launch;
//! - `first_verify`: the first session check of a freshly opened vault (the token comes
//!   from that read, so this is the session row read and the cache fill).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails by panicking"
)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use os_keyring::KeyringStore;
use vault::{FirstAdmin, HashParams, SessionStore, Vault, VaultOptions};

fn cold_session(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let service = format!("app.latchkey.bench.{}", std::process::id());
    let open = || {
        let options = VaultOptions {
            hash_params: Some(HashParams::MINIMUM),
            ..VaultOptions::default()
        };
        let store = KeyringStore::new(&service, "session").expect("a Secret Service on the bus");
        Vault::open(&path, Arc::new(store), options).unwrap()
    };
    let vault = open();
    let admin = FirstAdmin {
        email: "admin@bench.example".into(),
        display_name: "Bench Admin".into(),
        password: "granite owl above the ferry".into(),
    };
    vault.create_first_admin(&admin).unwrap();
    let ids = vec![vault.verify_session().unwrap().id().to_owned()];
    drop(vault);

    let mut group = c.benchmark_group("session");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(8));
    let store = KeyringStore::new(&service, "session").unwrap();
    assert_eq!(store.load(&ids).unwrap().len(), 1);
    group.bench_function("cold_keyring_read", |b| {
        b.iter(|| black_box(store.load(&ids).unwrap()))
    });
    group.bench_function("cold_first_verify", |b| {
        b.iter_batched(
            open,
            |vault| {
                black_box(vault.verify_session().unwrap());
                vault
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    store.clear(&ids[0]).unwrap();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = cold_session
}
criterion_main!(benches);
