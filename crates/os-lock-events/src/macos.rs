//! macOS: the workspace's notifications that the computer is going to sleep, that the
//! displays went to sleep, and that this user's session was switched away from (fast
//! user switching), and the system's distributed notification that the screen was
//! locked. AppKit posts them on the main thread, which Tauri's event loop runs; the
//! observers only pass them to the listening thread.

#![allow(
    unsafe_code,
    reason = "AppKit's observer calls; each block says why it is sound"
)]

use std::ptr::NonNull;
use std::sync::Mutex;
use std::sync::mpsc::{self, Sender};

use crate::OsEvent;
use block2::RcBlock;
use objc2_app_kit::{
    NSWorkspace, NSWorkspaceScreensDidSleepNotification,
    NSWorkspaceSessionDidResignActiveNotification, NSWorkspaceWillSleepNotification,
};
use objc2_foundation::{
    NSDistributedNotificationCenter, NSNotification, NSNotificationName, NSOperationQueue, NSString,
};

/// The distributed notification macOS posts when the screen locks.
pub const SCREEN_LOCKED: &str = "com.apple.screenIsLocked";

/// A block that hands `reason` to the listening thread.
fn observer(events: &Sender<OsEvent>, reason: OsEvent) -> RcBlock<dyn Fn(NonNull<NSNotification>)> {
    // The block may run on any thread: the sender goes behind a lock.
    let events = Mutex::new(events.clone());
    RcBlock::new(move |_notification: NonNull<NSNotification>| {
        if let Ok(events) = events.lock() {
            let _ = events.send(reason);
        }
    })
}

/// Observes the notifications and passes each to `on_event`, for as long as the app
/// runs (the observers hold the only ways in).
///
/// Errors: none today; the signature matches the other platforms'.
pub fn listen(on_event: &mut dyn FnMut(OsEvent)) -> Result<(), String> {
    listen_until(on_event, || false)
}

/// As [`listen`], returning once `done` says so after an event (for tests).
fn listen_until(on_event: &mut dyn FnMut(OsEvent), done: impl Fn() -> bool) -> Result<(), String> {
    let (sender, receiver) = mpsc::channel();
    let workspace = NSWorkspace::sharedWorkspace().notificationCenter();
    let screen_locked = NSString::from_str(SCREEN_LOCKED);
    // SAFETY: the names are AppKit's own constants; they live for the program.
    let workspace_events: [(&NSNotificationName, OsEvent); 3] = unsafe {
        [
            (NSWorkspaceWillSleepNotification, OsEvent::Sleep),
            (NSWorkspaceScreensDidSleepNotification, OsEvent::Sleep),
            (NSWorkspaceSessionDidResignActiveNotification, OsEvent::Lock),
        ]
    };
    // Kept until the listening ends: dropping a token does not remove the observer,
    // but the blocks must outlive every delivery.
    let mut blocks = Vec::new();
    let mut tokens = Vec::new();
    for (name, reason) in workspace_events {
        let block = observer(&sender, reason);
        // SAFETY: no object filter, no queue (the posting thread runs the block),
        // and the block only sends on a locked channel, so it is sendable.
        tokens.push(unsafe {
            workspace.addObserverForName_object_queue_usingBlock(Some(name), None, None, &block)
        });
        blocks.push(block);
    }
    let block = observer(&sender, OsEvent::Lock);
    let main_queue = NSOperationQueue::mainQueue();
    // SAFETY: as above; distributed notifications run the block on the main queue.
    tokens.push(unsafe {
        NSDistributedNotificationCenter::defaultCenter().addObserverForName_object_queue_usingBlock(
            Some(&screen_locked),
            None,
            Some(&main_queue),
            &block,
        )
    });
    blocks.push(block);
    drop(sender);
    // The observers hold the only senders: this waits for as long as the app runs.
    for event in receiver {
        on_event(event);
        if done() {
            break;
        }
    }
    drop(tokens);
    drop(blocks);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;

    /// A sleep notification posted to the real workspace center reaches the callback.
    /// (No object and no queue: AppKit runs the observers on the posting thread, here the
    /// test's, as it runs them on the main thread in the app.)
    #[test]
    fn a_will_sleep_notification_is_heard_as_sleep() {
        let (heard, events) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stop_listening = stop.clone();
        let listener = std::thread::spawn(move || {
            listen_until(
                &mut |event| {
                    let _ = heard.send(event);
                },
                || stop_listening.load(Ordering::SeqCst),
            )
        });
        // The observers are added on the listener's thread: post until one hears.
        let center = NSWorkspace::sharedWorkspace().notificationCenter();
        let mut first = None;
        for _ in 0..100 {
            stop.store(true, Ordering::SeqCst);
            // SAFETY: AppKit's own constant, posted with no object.
            unsafe { center.postNotificationName_object(NSWorkspaceWillSleepNotification, None) };
            if let Ok(event) = events.recv_timeout(Duration::from_millis(100)) {
                first = Some(event);
                break;
            }
        }
        assert_eq!(first, Some(OsEvent::Sleep));
        drop(listener);
    }
}
