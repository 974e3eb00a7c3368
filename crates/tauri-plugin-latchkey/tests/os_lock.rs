//! The Linux lock and sleep events, for real: a private D-Bus bus started by the test
//! stands in for the system bus, the test owns `org.freedesktop.login1` on it and emits
//! logind's signals, and the plugin's listener must lock the session on the right ones
//! and only from the right sender.

#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tauri::WebviewWindowBuilder;
use tauri::test::{mock_builder, mock_context};
use tauri_plugin_latchkey::lock::LockSource;
use tauri_plugin_latchkey::lock::linux::{Logind, ScreenSaver};
use tauri_plugin_latchkey::testing;
use vault::{FixedClock, LockReason};
use zbus::blocking::Connection;

/// A `dbus-daemon` of the test's own, stopped when dropped.
struct PrivateBus {
    daemon: Child,
    address: String,
}

impl PrivateBus {
    fn start() -> Self {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (Debian: dbus-daemon) starts");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        Self {
            daemon,
            address: address.trim().to_owned(),
        }
    }

    fn connect(&self) -> Connection {
        zbus::blocking::connection::Builder::address(self.address.as_str())
            .unwrap()
            .build()
            .unwrap()
    }

    /// A connection that owns logind's name, as logind does on a real system bus.
    fn logind(&self) -> Connection {
        let conn = self.connect();
        conn.request_name("org.freedesktop.login1").unwrap();
        conn
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

fn emit(conn: &Connection, path: &str, interface: &str, member: &str, body: bool) {
    conn.emit_signal(None::<()>, path, interface, member, &body)
        .unwrap();
}

fn prepare_for_sleep(conn: &Connection, going: bool) {
    emit(
        conn,
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
        "PrepareForSleep",
        going,
    );
}

fn session_lock(conn: &Connection) {
    conn.emit_signal(
        None::<()>,
        "/org/freedesktop/login1/session/_32",
        "org.freedesktop.login1.Session",
        "Lock",
        &(),
    )
    .unwrap();
}

/// Runs `source` on its own thread; its events arrive on the returned channel.
fn listen(source: Box<dyn LockSource>) -> mpsc::Receiver<LockReason> {
    let (sender, events) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = source.listen(&mut |reason| {
            let _ = sender.send(reason);
        });
    });
    events
}

/// Calls `emit` until the first event arrives (the listener subscribes in the
/// background) and returns that event.
fn first_event(events: &mpsc::Receiver<LockReason>, mut emit: impl FnMut()) -> LockReason {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        emit();
        if let Ok(reason) = events.recv_timeout(Duration::from_millis(100)) {
            return reason;
        }
    }
    panic!("no event within ten seconds");
}

/// Every event that arrives within a short while.
fn drain(events: &mpsc::Receiver<LockReason>) -> Vec<LockReason> {
    let mut seen = Vec::new();
    while let Ok(reason) = events.recv_timeout(Duration::from_millis(300)) {
        seen.push(reason);
    }
    seen
}

#[test]
fn logind_sleep_and_session_lock_are_heard_from_logind_only() {
    let bus = PrivateBus::start();
    let events = listen(Box::new(Logind::at(bus.address.clone())));
    let logind = bus.logind();
    let impostor = bus.connect();

    // An impostor's sleep signal, sent each time before logind's lock: only the lock
    // may come through.
    let first = first_event(&events, || {
        prepare_for_sleep(&impostor, true);
        session_lock(&logind);
    });
    assert_eq!(first, LockReason::OsLock);
    assert!(
        drain(&events)
            .iter()
            .all(|&reason| reason == LockReason::OsLock),
        "an impostor's PrepareForSleep was heard"
    );

    // Waking up (`false`) is not a reason to lock; going to sleep is.
    prepare_for_sleep(&logind, false);
    assert_eq!(drain(&events), []);
    prepare_for_sleep(&logind, true);
    assert_eq!(
        events.recv_timeout(Duration::from_secs(5)),
        Ok(LockReason::Sleep)
    );
}

#[test]
fn the_screen_saver_starting_locks_under_any_desktop_s_name() {
    let bus = PrivateBus::start();
    let events = listen(Box::new(ScreenSaver::at(bus.address.clone())));
    let desktop = bus.connect();
    let saver = |interface: &str, active: bool| {
        emit(
            &desktop,
            "/org/gnome/ScreenSaver",
            interface,
            "ActiveChanged",
            active,
        );
    };
    let first = first_event(&events, || {
        saver("org.example.NotAScreenSaver", true);
        saver("org.gnome.ScreenSaver", false);
        saver("org.gnome.ScreenSaver", true);
    });
    assert_eq!(first, LockReason::OsLock);
    drain(&events);
    for interface in ["org.freedesktop.ScreenSaver", "org.xfce.ScreenSaver"] {
        saver(interface, true);
        assert_eq!(
            events.recv_timeout(Duration::from_secs(5)),
            Ok(LockReason::OsLock),
            "{interface}"
        );
    }
    saver("org.example.NotAScreenSaver", true);
    assert_eq!(drain(&events), []);
}

#[test]
fn an_unreachable_bus_is_an_error_not_a_hang() {
    let source = Box::new(Logind::at("unix:path=/nonexistent/latchkey-test-bus"));
    assert!(source.listen(&mut |_| {}).is_err());
}

#[test]
fn the_plugin_locks_the_signed_in_session_when_logind_says_the_computer_sleeps() {
    let bus = PrivateBus::start();
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(1_795_737_600));
    let vault = testing::open_vault(&dir.path().join("vault.sqlite"), clock).unwrap();
    testing::first_admin(
        &vault,
        "admin@desk.example",
        "Desk Admin",
        "granite owl above the ferry",
    )
    .unwrap();
    let app = mock_builder()
        .plugin(
            tauri_plugin_latchkey::Builder::new()
                .vault(vault.clone())
                .export_dir(dir.path())
                .lock_sources(vec![Box::new(Logind::at(bus.address.clone()))])
                .build(),
        )
        .build(mock_context(tauri::test::noop_assets()))
        .unwrap();
    let _webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let logind = bus.logind();
    let deadline = Instant::now() + Duration::from_secs(10);
    let locked = loop {
        prepare_for_sleep(&logind, true);
        if let Some(locked) = vault.locked_session().unwrap() {
            break locked;
        }
        assert!(Instant::now() < deadline, "the session did not lock");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(locked.people.len(), 1);
    assert_eq!(locked.people[0].reason, LockReason::Sleep);
    assert_eq!(locked.people[0].email, "admin@desk.example");
}
