//! Windows: a hidden window of our own receives the session's notifications
//! (`WTSRegisterSessionNotification`: the workstation locked, the console or a remote
//! connection disconnected) and the power broadcasts (`WM_POWERBROADCAST` with
//! `PBT_APMSUSPEND`: the computer is about to sleep). A message-only window would miss
//! the broadcasts, so the window is a real, never-shown top-level one, on the listening
//! thread with its own message loop.

#![allow(unsafe_code, reason = "Win32 calls; each block says why it is sound")]

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::mpsc::{self, Sender};

use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::RemoteDesktop::{
    WTSRegisterSessionNotification, WTSUnRegisterSessionNotification,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DestroyWindow, DispatchMessageW, GetMessageW, MSG,
    PostMessageW, PostQuitMessage, RegisterClassW, TranslateMessage, WM_APP, WM_CLOSE, WM_DESTROY,
    WNDCLASSW, WS_OVERLAPPED,
};

use crate::OsEvent;

/// `WM_WTSSESSION_CHANGE`, and the changes of it that lock Latchkey.
pub const WM_WTSSESSION_CHANGE: u32 = 0x02B1;
/// The console's session was disconnected (another user switched in).
pub const WTS_CONSOLE_DISCONNECT: usize = 0x2;
/// A remote session was disconnected.
pub const WTS_REMOTE_DISCONNECT: usize = 0x4;
/// The workstation was locked (Win+L, or the screen saver's lock).
pub const WTS_SESSION_LOCK: usize = 0x7;
/// `WM_POWERBROADCAST`, and its event for an imminent suspend.
pub const WM_POWERBROADCAST: u32 = 0x0218;
/// The computer is about to sleep.
pub const PBT_APMSUSPEND: usize = 0x4;
/// Only this session's notifications.
const NOTIFY_FOR_THIS_SESSION: u32 = 0;
/// Posted to the window after an event, so the message loop wakes and hands it on even
/// when the event came as a sent message, which `GetMessageW` dispatches without
/// returning.
const WM_LOCK_EVENT: u32 = WM_APP + 1;

thread_local! {
    /// Where the window procedure puts events, on the listening thread.
    static EVENTS: RefCell<Option<Sender<OsEvent>>> = const { RefCell::new(None) };
}

/// The event an operating-system message means, if any.
pub fn event_of(message: u32, wparam: usize) -> Option<OsEvent> {
    match (message, wparam) {
        (
            WM_WTSSESSION_CHANGE,
            WTS_SESSION_LOCK | WTS_CONSOLE_DISCONNECT | WTS_REMOTE_DISCONNECT,
        ) => Some(OsEvent::Lock),
        (WM_POWERBROADCAST, PBT_APMSUSPEND) => Some(OsEvent::Sleep),
        _ => None,
    }
}

/// A hidden window that hears the session's lock and the computer's sleep.
#[derive(Debug, Default)]
pub struct SessionWindow {
    window: Arc<AtomicIsize>,
}

impl SessionWindow {
    /// The window's handle once it exists (0 before): tests send it messages, and post
    /// `WM_CLOSE` to end the listening.
    pub fn handle(&self) -> Arc<AtomicIsize> {
        self.window.clone()
    }
}

unsafe extern "system" fn window_proc(
    window: HWND,
    message: u32,
    wparam: WPARAM,
    lparam: LPARAM,
) -> LRESULT {
    if let Some(event) = event_of(message, wparam) {
        EVENTS.with(|events| {
            if let Some(events) = &*events.borrow() {
                let _ = events.send(event);
            }
        });
        // SAFETY: `window` is this thread's live window, given by the system.
        unsafe { PostMessageW(window, WM_LOCK_EVENT, 0, 0) };
    }
    match message {
        WM_CLOSE => {
            // SAFETY: as above.
            unsafe { DestroyWindow(window) };
            0
        }
        WM_DESTROY => {
            // SAFETY: ends this thread's message loop, which is ours.
            unsafe { PostQuitMessage(0) };
            0
        }
        // SAFETY: the default handling of a message to our window.
        _ => unsafe { DefWindowProcW(window, message, wparam, lparam) },
    }
}

impl SessionWindow {
    /// Creates the window and runs its message loop until the window is closed,
    /// passing each event to `on_event`.
    ///
    /// Errors: when the window cannot be created.
    pub fn listen(&self, on_event: &mut dyn FnMut(OsEvent)) -> Result<(), String> {
        let (sender, receiver) = mpsc::channel();
        EVENTS.with(|events| *events.borrow_mut() = Some(sender));
        let class: Vec<u16> = "LatchkeyLockEvents\0".encode_utf16().collect();
        // SAFETY: plain Win32 calls on this thread; every pointer passed lives across
        // the call (the class name for the window's life), and the window is destroyed
        // before the loop ends.
        let outcome = unsafe {
            let instance = GetModuleHandleW(std::ptr::null());
            let mut class_info: WNDCLASSW = std::mem::zeroed();
            class_info.lpfnWndProc = Some(window_proc);
            class_info.hInstance = instance;
            class_info.lpszClassName = class.as_ptr();
            // A second listener in one process finds the class registered: no matter.
            RegisterClassW(&class_info);
            let window = CreateWindowExW(
                0,
                class.as_ptr(),
                class.as_ptr(),
                WS_OVERLAPPED,
                0,
                0,
                0,
                0,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                instance,
                std::ptr::null(),
            );
            if window.is_null() {
                Err("could not create the window for session events".to_owned())
            } else {
                self.window.store(window as isize, Ordering::SeqCst);
                let registered =
                    WTSRegisterSessionNotification(window, NOTIFY_FOR_THIS_SESSION) != 0;
                if !registered {
                    log::warn!("Windows did not register session notifications; sleep still locks");
                }
                let mut message: MSG = std::mem::zeroed();
                loop {
                    let got = GetMessageW(&mut message, std::ptr::null_mut(), 0, 0);
                    if got == 0 || got == -1 {
                        break;
                    }
                    TranslateMessage(&message);
                    DispatchMessageW(&message);
                    while let Ok(event) = receiver.try_recv() {
                        on_event(event);
                    }
                }
                if registered {
                    WTSUnRegisterSessionNotification(window);
                }
                self.window.store(0, Ordering::SeqCst);
                Ok(())
            }
        };
        EVENTS.with(|events| *events.borrow_mut() = None);
        outcome
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use windows_sys::Win32::UI::WindowsAndMessaging::SendMessageW;

    use super::*;

    #[test]
    fn the_messages_that_lock_and_the_ones_that_do_not() {
        assert_eq!(
            event_of(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK),
            Some(OsEvent::Lock)
        );
        assert_eq!(
            event_of(WM_WTSSESSION_CHANGE, WTS_CONSOLE_DISCONNECT),
            Some(OsEvent::Lock)
        );
        assert_eq!(
            event_of(WM_WTSSESSION_CHANGE, WTS_REMOTE_DISCONNECT),
            Some(OsEvent::Lock)
        );
        // WTS_SESSION_UNLOCK, WTS_SESSION_LOGON.
        assert_eq!(event_of(WM_WTSSESSION_CHANGE, 0x8), None);
        assert_eq!(event_of(WM_WTSSESSION_CHANGE, 0x5), None);
        assert_eq!(
            event_of(WM_POWERBROADCAST, PBT_APMSUSPEND),
            Some(OsEvent::Sleep)
        );
        // PBT_APMRESUMEAUTOMATIC.
        assert_eq!(event_of(WM_POWERBROADCAST, 0x12), None);
    }

    /// The real window on the real message loop: messages sent to it as Windows sends
    /// them reach the callback, in order, and closing the window ends the listening.
    #[test]
    fn a_lock_and_a_suspend_sent_to_the_window_are_heard() {
        let source = SessionWindow::default();
        let handle = source.handle();
        let (heard, events) = mpsc::channel();
        let listener = std::thread::spawn(move || {
            source.listen(&mut |event| {
                let _ = heard.send(event);
            })
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        let window = loop {
            let window = handle.load(Ordering::SeqCst);
            if window != 0 {
                break window as HWND;
            }
            assert!(Instant::now() < deadline, "the window was not created");
            std::thread::sleep(Duration::from_millis(10));
        };
        // SAFETY: the window lives until the WM_CLOSE posted last.
        unsafe {
            SendMessageW(window, WM_WTSSESSION_CHANGE, 0x8, 0);
            SendMessageW(window, WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, 0);
            SendMessageW(window, WM_POWERBROADCAST, 0x12, 0);
            SendMessageW(window, WM_POWERBROADCAST, PBT_APMSUSPEND, 0);
            PostMessageW(window, WM_CLOSE, 0, 0);
        }
        let ended = listener.join();
        assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
        let heard: Vec<OsEvent> = events.try_iter().collect();
        assert_eq!(heard, [OsEvent::Lock, OsEvent::Sleep]);
    }
}
