//! Plays logind on the bus named by `DBUS_SYSTEM_BUS_ADDRESS` for the end-to-end suite:
//! takes the name `org.freedesktop.login1` and sends one signal, `sleep`
//! (`PrepareForSleep(true)`) or `lock` (a session's `Lock`). Point it at a private bus
//! only; on a real system bus the name belongs to logind and the request fails.

#[cfg(target_os = "linux")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let what = std::env::args().nth(1).unwrap_or_default();
    let conn = zbus::blocking::Connection::system()?;
    conn.request_name("org.freedesktop.login1")?;
    match what.as_str() {
        "sleep" => conn.emit_signal(
            None::<()>,
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager",
            "PrepareForSleep",
            &true,
        )?,
        "lock" => conn.emit_signal(
            None::<()>,
            "/org/freedesktop/login1/session/auto",
            "org.freedesktop.login1.Session",
            "Lock",
            &(),
        )?,
        other => return Err(format!("usage: logind_signal sleep|lock (got {other:?})").into()),
    }
    // Stay on the bus a moment, so the name still belongs to this connection when the
    // bus delivers the signal to match rules naming it.
    std::thread::sleep(std::time::Duration::from_millis(300));
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("logind_signal is for Linux only");
}
