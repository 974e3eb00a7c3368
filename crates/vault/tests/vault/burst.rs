//! Parallel sign-in attempts for one email, from threads and from other processes: the
//! throttle gives one evaluation per wait, whatever the interleaving.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use vault::{
    AuditEvent, AuditQuery, Clock as _, FixedClock, HashParams, LOCK_AFTER_FAILURES, MemoryStore,
    SessionPolicy, Vault, VaultOptions, require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, START, first_admin};

const WRONG: &str = "a wrong but long guess";
const UNKNOWN: &str = "nobody@clinic.example";

/// Environment of the child process that makes one attempt.
const CHILD_VAULT: &str = "LATCHKEY_TEST_CHILD_VAULT";
const CHILD_NOW: &str = "LATCHKEY_TEST_CHILD_NOW";
const CHILD_EMAIL: &str = "LATCHKEY_TEST_CHILD_EMAIL";
const CHILD_PASSWORD: &str = "LATCHKEY_TEST_CHILD_PASSWORD";
const CHILD_GO: &str = "LATCHKEY_TEST_CHILD_GO";

/// Real argon2id at the floor (19 MiB, t=2): slow enough that attempts overlap.
fn options(clock: &Arc<FixedClock>) -> VaultOptions {
    VaultOptions {
        hash_params: Some(HashParams::MINIMUM),
        session_policy: SessionPolicy::default(),
        clock: clock.clone(),
    }
}

struct Desk {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    clock: Arc<FixedClock>,
    /// Two app instances on one file: two connections, as two processes would have.
    instances: [Arc<Vault>; 2],
}

fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let clock = Arc::new(FixedClock::new(START));
    let open =
        || Arc::new(Vault::open(&path, Arc::new(MemoryStore::new()), options(&clock)).unwrap());
    let first = open();
    first
        .create_first_admin(&first_admin(ADMIN_EMAIL, ADMIN_PASSWORD))
        .unwrap();
    first.logout().unwrap();
    let second = open();
    // Each instance makes its dummy hash at its first attempt, as any earlier sign-in on
    // a real desk would have done; the bursts below then do only the checks they ask for.
    for (n, vault) in [&first, &second].into_iter().enumerate() {
        let _ = vault.login(&format!("warm-up-{n}@clinic.example"), &WRONG.into());
    }
    clock.advance(1);
    Desk {
        _dir: dir,
        path,
        clock,
        instances: [first, second],
    }
}

impl Desk {
    /// `passwords.len()` attempts at `email` started together from threads spread over
    /// both instances; the outcome codes, counted.
    fn burst(&self, email: &str, passwords: &[&str]) -> BTreeMap<String, usize> {
        let start = Barrier::new(passwords.len());
        let outcomes: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = passwords
                .iter()
                .enumerate()
                .map(|(i, password)| {
                    let vault = &self.instances[i % 2];
                    let start = &start;
                    scope.spawn(move || {
                        start.wait();
                        outcome(vault.login(email, &(*password).into()).map(drop))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        tally(outcomes)
    }

    fn argon2_calls(&self) -> u64 {
        self.instances.iter().map(|v| v.argon2_calls()).sum()
    }

    /// Failed sign-ins at the admin's email and lockouts in the audit log.
    fn audited_failures(&self) -> (usize, usize) {
        let vault = &self.instances[0];
        self.clock.advance(vault::LOCK_SECONDS + 1);
        vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
        let session = vault.verify_session().unwrap();
        let admin = require_admin(&session).unwrap();
        let mut failed = 0;
        let mut lockouts = 0;
        let mut query = AuditQuery {
            limit: Some(200),
            ..AuditQuery::default()
        };
        loop {
            let page = vault.audit_log(&admin, &query).unwrap();
            for entry in &page.items {
                match entry.event {
                    AuditEvent::SignIn
                        if entry.outcome == vault::Outcome::Failure
                            && entry.target_email.as_deref() == Some(ADMIN_EMAIL) =>
                    {
                        failed += 1;
                    }
                    AuditEvent::Lockout => lockouts += 1,
                    _ => {}
                }
            }
            match page.next_cursor {
                Some(cursor) => query.before = Some(cursor),
                None => break,
            }
        }
        (failed, lockouts)
    }
}

fn outcome(result: vault::Result<()>) -> String {
    match result {
        Ok(()) => "Ok".into(),
        Err(error) => format!("{:?}", error.code()),
    }
}

fn tally(outcomes: impl IntoIterator<Item = String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for outcome in outcomes {
        *counts.entry(outcome).or_insert(0) += 1;
    }
    counts
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[test]
fn a_burst_of_wrong_passwords_gets_one_evaluation_and_the_rest_wait() {
    let desk = desk();
    let before = desk.argon2_calls();
    let got = desk.burst(ADMIN_EMAIL, &[WRONG; 12]);
    assert_eq!(got, counts(&[("InvalidCredentials", 1), ("Locked", 11)]));
    assert_eq!(desk.argon2_calls() - before, 1, "one password check in all");
    assert_eq!(desk.audited_failures(), (1, 0));
}

#[test]
fn an_unknown_email_gets_the_same_replies_and_the_same_work() {
    let desk = desk();
    let before = desk.argon2_calls();
    let unknown = desk.burst(UNKNOWN, &[WRONG; 12]);
    let unknown_calls = desk.argon2_calls() - before;
    let before = desk.argon2_calls();
    let known = desk.burst(ADMIN_EMAIL, &[WRONG; 12]);
    assert_eq!(unknown, known);
    assert_eq!(unknown_calls, desk.argon2_calls() - before);
}

#[test]
fn the_right_password_inside_a_throttled_burst_waits_like_the_rest() {
    let desk = desk();
    assert_eq!(
        desk.burst(ADMIN_EMAIL, &[WRONG]),
        counts(&[("InvalidCredentials", 1)])
    );
    let mut passwords = vec![WRONG; 11];
    passwords.push(ADMIN_PASSWORD);
    assert_eq!(
        desk.burst(ADMIN_EMAIL, &passwords),
        counts(&[("Locked", 12)])
    );
    desk.clock.advance(1);
    assert_eq!(
        desk.burst(ADMIN_EMAIL, &[ADMIN_PASSWORD]),
        counts(&[("Ok", 1)])
    );
}

#[test]
fn bursts_reach_the_lockout_at_exactly_a_hundred_evaluated_failures() {
    let desk = desk();
    let mut evaluated = 0;
    for _ in 0..LOCK_AFTER_FAILURES + 5 {
        let got = desk.burst(ADMIN_EMAIL, &[WRONG; 6]);
        evaluated += got.get("InvalidCredentials").copied().unwrap_or(0);
        assert!(
            got.get("InvalidCredentials").copied().unwrap_or(0) <= 1,
            "{got:?}"
        );
        // Past the longest wait of the schedule, never past the lock.
        desk.clock.advance(10);
    }
    assert_eq!(evaluated, 100);
    match desk.instances[0].login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()) {
        Err(vault::Error::Locked { retry_after }) => assert!(retry_after > 3600),
        other => panic!("expected a day's lock, got {other:?}"),
    }
    assert_eq!(desk.audited_failures(), (100, 1));
}

#[test]
fn other_processes_join_the_same_count() {
    let desk = desk();
    let go = desk.path.with_file_name("go");
    let children: Vec<_> = (0..2)
        .map(|n| child(&desk.path, desk.clock.now(), &go, n))
        .collect::<Result<_, _>>()
        .unwrap();
    // Each child marks itself ready once its vault is open.
    for n in 0..2 {
        wait_for(&desk.path.with_file_name(format!("ready-{n}")));
    }
    let threads = std::thread::spawn({
        let go = go.clone();
        move || {
            std::fs::write(&go, b"").unwrap();
        }
    });
    let mut outcomes: Vec<String> = desk
        .burst(ADMIN_EMAIL, &[WRONG; 10])
        .into_iter()
        .flat_map(|(code, n)| std::iter::repeat_n(code, n))
        .collect();
    threads.join().unwrap();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|line| line.split_once("outcome=").map(|(_, code)| code.trim()))
            .unwrap_or_else(|| panic!("the child said nothing: {stdout}"));
        outcomes.push(line.to_owned());
    }
    assert_eq!(
        tally(outcomes),
        counts(&[("InvalidCredentials", 1), ("Locked", 11)])
    );
}

/// Starts this test binary again, running only [`child_attempts_one_sign_in`].
fn child(path: &Path, now: i64, go: &Path, n: usize) -> std::io::Result<std::process::Child> {
    Command::new(std::env::current_exe()?)
        .args([
            "--exact",
            "burst::child_attempts_one_sign_in",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_VAULT, path)
        .env(CHILD_NOW, now.to_string())
        .env(CHILD_EMAIL, ADMIN_EMAIL)
        .env(CHILD_PASSWORD, WRONG)
        .env(CHILD_GO, go)
        .env("LATCHKEY_TEST_CHILD_N", n.to_string())
        .stdout(std::process::Stdio::piped())
        .spawn()
}

fn wait_for(path: &Path) {
    for _ in 0..30_000 {
        if path.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("{} never appeared", path.display());
}

/// The second process of [`other_processes_join_the_same_count`]: opens the vault,
/// says it is ready, waits for the signal, makes one attempt and prints its outcome.
#[test]
#[ignore = "run as a child process by other_processes_join_the_same_count"]
fn child_attempts_one_sign_in() {
    let var = |name: &str| std::env::var(name).unwrap();
    let path = std::path::PathBuf::from(var(CHILD_VAULT));
    let clock = Arc::new(FixedClock::new(var(CHILD_NOW).parse().unwrap()));
    let vault = Vault::open(&path, Arc::new(MemoryStore::new()), options(&clock)).unwrap();
    let n = var("LATCHKEY_TEST_CHILD_N");
    std::fs::write(path.with_file_name(format!("ready-{n}")), b"").unwrap();
    wait_for(Path::new(&var(CHILD_GO)));
    let result = vault.login(&var(CHILD_EMAIL), &var(CHILD_PASSWORD).into());
    println!("outcome={}", outcome(result.map(drop)));
}
