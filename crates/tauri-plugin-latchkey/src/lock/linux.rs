//! Linux: logind on the system bus (the computer is about to sleep, or this login
//! session was locked) and the screen saver on the session bus (it started).

use std::time::Duration;
use vault::LockReason;

use zbus::blocking::connection::Builder;
use zbus::blocking::{Connection, MessageIterator};
use zbus::message::Type;
use zbus::zvariant::OwnedObjectPath;
use zbus::{MatchRule, Message};

use super::LockSource;

const LOGIND: &str = "org.freedesktop.login1";
const LOGIND_MANAGER: &str = "org.freedesktop.login1.Manager";
const LOGIND_SESSION: &str = "org.freedesktop.login1.Session";
/// How long a call to logind may take before the listener goes on without its answer.
const METHOD_TIMEOUT: Duration = Duration::from_secs(2);
const SCREEN_SAVERS: [&str; 3] = [
    "org.freedesktop.ScreenSaver",
    "org.gnome.ScreenSaver",
    "org.xfce.ScreenSaver",
];

/// Both Linux sources, on the buses the environment names.
pub fn sources() -> Vec<Box<dyn LockSource>> {
    vec![Box::new(Logind::system()), Box::new(ScreenSaver::session())]
}

/// logind's `PrepareForSleep(true)` and this session's `Lock`, accepted only from the
/// owner of `org.freedesktop.login1` (on a real system bus only logind itself may own it).
#[derive(Debug, Clone)]
pub struct Logind {
    address: Option<String>,
}

impl Logind {
    /// On the system bus (`DBUS_SYSTEM_BUS_ADDRESS`, else the standard socket).
    pub fn system() -> Self {
        Self { address: None }
    }

    /// On the bus at `address`: a test's private bus.
    pub fn at(address: impl Into<String>) -> Self {
        Self {
            address: Some(address.into()),
        }
    }

    fn connect(&self) -> zbus::Result<Connection> {
        let builder = match &self.address {
            Some(address) => Builder::address(address.as_str())?,
            None => Builder::system()?,
        };
        // A bus where the name's owner never answers must not stall the listener.
        builder.method_timeout(METHOD_TIMEOUT).build()
    }
}

impl LockSource for Logind {
    fn describe(&self) -> String {
        match &self.address {
            Some(address) => format!("logind on {address}"),
            None => "logind on the system bus".into(),
        }
    }

    fn listen(self: Box<Self>, on_event: &mut dyn FnMut(LockReason)) -> Result<(), String> {
        let conn = self.connect().map_err(|e| e.to_string())?;
        let rule = MatchRule::builder()
            .msg_type(Type::Signal)
            .sender(LOGIND)
            .map_err(|e| e.to_string())?
            .build();
        let messages =
            MessageIterator::for_match_rule(rule, &conn, None).map_err(|e| e.to_string())?;
        // Only this login session's lock counts; without logind's answer (not in a
        // session, or a bus without it yet) any session's lock does, which errs on the
        // side of locking.
        let own_session = own_session(&conn);
        if own_session.is_none() {
            log::info!(
                "logind did not name this process's session; any session's lock will lock Latchkey"
            );
        }
        for message in messages {
            let message = message.map_err(|e| e.to_string())?;
            if let Some(reason) = logind_event(&message, own_session.as_ref()) {
                on_event(reason);
            }
        }
        Ok(())
    }
}

/// The object path of this process's login session, if logind knows it.
fn own_session(conn: &Connection) -> Option<OwnedObjectPath> {
    let reply = conn
        .call_method(
            Some(LOGIND),
            "/org/freedesktop/login1",
            Some(LOGIND_MANAGER),
            "GetSessionByPID",
            &(std::process::id()),
        )
        .ok()?;
    reply.body().deserialize::<OwnedObjectPath>().ok()
}

fn logind_event(message: &Message, own_session: Option<&OwnedObjectPath>) -> Option<LockReason> {
    let header = message.header();
    let interface = header.interface()?.as_str();
    let member = header.member()?.as_str();
    match (interface, member) {
        (LOGIND_MANAGER, "PrepareForSleep") => message
            .body()
            .deserialize::<bool>()
            .ok()
            .filter(|&going| going)
            .map(|_| LockReason::Sleep),
        (LOGIND_SESSION, "Lock") => {
            let path = header.path()?;
            let ours = own_session.is_none_or(|own| own.as_str() == path.as_str());
            ours.then_some(LockReason::OsLock)
        }
        _ => None,
    }
}

/// The screen saver's `ActiveChanged(true)` on the session bus, under any of the names
/// desktops use for it.
#[derive(Debug, Clone)]
pub struct ScreenSaver {
    address: Option<String>,
}

impl ScreenSaver {
    /// On the session bus (`DBUS_SESSION_BUS_ADDRESS`).
    pub fn session() -> Self {
        Self { address: None }
    }

    /// On the bus at `address`: a test's private bus.
    pub fn at(address: impl Into<String>) -> Self {
        Self {
            address: Some(address.into()),
        }
    }
}

impl LockSource for ScreenSaver {
    fn describe(&self) -> String {
        match &self.address {
            Some(address) => format!("the screen saver on {address}"),
            None => "the screen saver on the session bus".into(),
        }
    }

    fn listen(self: Box<Self>, on_event: &mut dyn FnMut(LockReason)) -> Result<(), String> {
        let conn = match &self.address {
            Some(address) => Builder::address(address.as_str()).and_then(Builder::build),
            None => Connection::session(),
        }
        .map_err(|e| e.to_string())?;
        let rule = MatchRule::builder()
            .msg_type(Type::Signal)
            .member("ActiveChanged")
            .map_err(|e| e.to_string())?
            .build();
        let messages =
            MessageIterator::for_match_rule(rule, &conn, None).map_err(|e| e.to_string())?;
        for message in messages {
            let message = message.map_err(|e| e.to_string())?;
            let header = message.header();
            let from_screen_saver = header
                .interface()
                .is_some_and(|interface| SCREEN_SAVERS.contains(&interface.as_str()));
            if from_screen_saver && message.body().deserialize::<bool>().unwrap_or(false) {
                on_event(LockReason::OsLock);
            }
        }
        Ok(())
    }
}
