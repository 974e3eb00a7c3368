//! Crash consistency: a child process writes through the vault (accounts, sign-ins,
//! locks, sign-outs, each with its audit rows) and reports every write the vault
//! acknowledged; the test kills it with SIGKILL at a random moment, many times over the
//! same file. After every kill the file must pass SQLite's integrity check, hold every
//! acknowledged write, and keep an audit chain that verifies.
//!
//! `make test` runs a few dozen kills; `LATCHKEY_CRASH_KILLS` (set by `make soak`) asks
//! for more, and `LATCHKEY_CRASH_SEED` repeats a run's kill times.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use vault::{
    AuditEvent, AuditQuery, Clock as _, FixedClock, LockReason, MemoryStore, NewAccount, Role,
    SystemClock, Vault, require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, START, fixture, options};

const CHILD_VAULT: &str = "LATCHKEY_TEST_CRASH_VAULT";
const CHILD_ROUND: &str = "LATCHKEY_TEST_CRASH_ROUND";
/// Each round starts three days after the previous one. A kill between a sign-in's
/// reservation and its verdict leaves the attempt counted as failed (the throttle fails
/// closed); the days let every wait, even a lockout's, pass before the next round.
const ROUND_SECONDS: i64 = 3 * 24 * 3600;

fn round_start(round: u64) -> i64 {
    START + i64::try_from(round).unwrap_or(i64::MAX / 2) * ROUND_SECONDS
}
/// Kills in one `make test` run.
const DEFAULT_KILLS: u64 = 24;

/// A small generator for kill times: the run's seed is printed, so a failure can be
/// repeated with `LATCHKEY_CRASH_SEED`.
struct Kills(u64);

impl Kills {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn killed_writers_leave_a_whole_file_with_every_acknowledged_write() {
    let kills = env_number("LATCHKEY_CRASH_KILLS").unwrap_or(DEFAULT_KILLS);
    let seed = env_number("LATCHKEY_CRASH_SEED")
        .unwrap_or_else(|| u64::try_from(SystemClock.now_millis()).unwrap_or(1) | 1);
    println!("crash test: {kills} kills, LATCHKEY_CRASH_SEED={seed}");
    let mut random = Kills(seed);
    let f = fixture().with_admin();
    let path = f.path();
    drop(f.vault);
    let mut acknowledged: BTreeSet<String> = BTreeSet::new();
    let mut writes_seen = 0_usize;
    for round in 0..kills {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::child_writes_until_killed",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_VAULT, &path)
            .env(CHILD_ROUND, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (lines, received) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the child to start writing, then kill it after a random while: from
        // at once to well into its writes.
        // The test harness prints its own words first, on the same line.
        let started = received
            .iter()
            .find(|line| line.ends_with("started") || line.starts_with("test result"));
        assert!(
            started.is_some_and(|line| line.ends_with("started")),
            "round {round}: the child did not start"
        );
        std::thread::sleep(Duration::from_micros(random.next() % 60_000));
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        for line in received.try_iter() {
            if let Some(email) = line.strip_prefix("ack account ") {
                acknowledged.insert(email.to_owned());
            }
            if line.starts_with("ack ") {
                writes_seen += 1;
            }
        }
        check(
            &path,
            &acknowledged,
            round,
            round_start(round) + ROUND_SECONDS - 1,
        );
    }
    println!(
        "crash test: {kills} kills, {writes_seen} acknowledged writes, {} accounts, all present",
        acknowledged.len()
    );
    assert!(writes_seen > 0, "no child ever acknowledged a write");
}

/// The file after a kill: whole, with every acknowledged account and its audit row, and
/// a chain that verifies.
fn check(path: &Path, acknowledged: &BTreeSet<String>, round: u64, now: i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "round {round}");
    let mut stored = conn.prepare("SELECT email FROM users").unwrap();
    let emails: BTreeSet<String> = stored
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let missing: Vec<_> = acknowledged.difference(&emails).collect();
    assert!(missing.is_empty(), "round {round}: lost {missing:?}");
    drop(stored);
    drop(conn);

    let clock = Arc::new(FixedClock::new(now));
    let vault = Vault::open(path, Arc::new(MemoryStore::new()), options(&clock)).unwrap();
    vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let report = vault.verify_audit_chain(&admin).unwrap();
    assert!(report.intact, "round {round}: {report:?}");
    let query = AuditQuery {
        event: Some(AuditEvent::AccountCreated),
        limit: Some(vault::PAGE_MAX),
        ..AuditQuery::default()
    };
    let audited: BTreeSet<String> =
        std::iter::successors(Some(vault.audit_log(&admin, &query).unwrap()), |page| {
            page.next_cursor.map(|before| {
                let next = AuditQuery {
                    before: Some(before),
                    ..query.clone()
                };
                vault.audit_log(&admin, &next).unwrap()
            })
        })
        .flat_map(|page| page.items)
        .filter_map(|entry| entry.target_email)
        .collect();
    let unaudited: Vec<_> = acknowledged.difference(&audited).collect();
    assert!(
        unaudited.is_empty(),
        "round {round}: no audit row for {unaudited:?}"
    );
    vault.logout().unwrap();
}

/// The child of [`killed_writers_leave_a_whole_file_with_every_acknowledged_write`]:
/// writes until it is killed, printing `ack …` after each write the vault returned from.
#[test]
#[ignore = "run as a child process by the crash test"]
fn child_writes_until_killed() {
    let path = PathBuf::from(std::env::var(CHILD_VAULT).unwrap());
    let round = std::env::var(CHILD_ROUND).unwrap();
    let clock = Arc::new(FixedClock::new(round_start(round.parse().unwrap())));
    let vault = Vault::open(&path, Arc::new(MemoryStore::new()), options(&clock)).unwrap();
    println!("started");
    for i in 0.. {
        clock.advance(1);
        vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
        println!("ack sign-in");
        let session = vault.verify_session().unwrap();
        let admin = require_admin(&session).unwrap();
        let email = format!("r{round}-{i}@crash.example");
        let account = NewAccount {
            email: email.clone(),
            display_name: format!("Person {i}"),
            role: Role::User,
            team: None,
            phone: None,
        };
        vault.create_account(&admin, &account).unwrap();
        println!("ack account {email}");
        vault.lock_session(LockReason::Manual).unwrap();
        println!("ack lock");
        vault.logout().unwrap();
        println!("ack sign-out");
    }
}
