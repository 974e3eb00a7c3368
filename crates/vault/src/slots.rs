//! The bound on argon2 work: at most a few computations at once, a short queue behind
//! them, and a typed `Busy` refusal past that.
//!
//! Each argon2id computation holds its full memory cost (the calibrated parameters, 128
//! MiB on some machines) until it ends. Without a bound, a burst of sign-in attempts
//! for many emails allocates that much per attempt. With it, memory under any burst
//! stays at `limit` × the memory cost, and the attempts beyond the queue are refused
//! before they hash anything.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How many attempts may wait for a free slot before new ones are refused.
pub(crate) const QUEUE_MAX: usize = 8;
/// How long one attempt waits for a slot. A bound on waiting, not a security deadline:
/// that it pauses while the computer sleeps does no harm.
const QUEUE_WAIT: Duration = Duration::from_secs(10);
/// Above this memory cost only one computation runs at a time.
const TWO_SLOTS_MAX_KIB: u32 = 256 * 1024;

#[derive(Debug, Default)]
struct Counts {
    running: usize,
    waiting: usize,
    /// The most computations that ever ran at once, for tests and benchmarks.
    peak: usize,
}

/// Slots for argon2 computations, shared by every password path of one vault.
#[derive(Debug)]
pub(crate) struct HashSlots {
    limit: usize,
    queue: usize,
    counts: Mutex<Counts>,
    freed: Condvar,
}

/// One running computation; the slot is free again when this is dropped.
#[derive(Debug)]
pub(crate) struct Slot<'a>(&'a HashSlots);

impl HashSlots {
    /// `limit` computations at once (at least one) with `queue` waiting behind them.
    pub(crate) fn new(limit: usize, queue: usize) -> Self {
        Self {
            limit: limit.max(1),
            queue,
            counts: Mutex::new(Counts::default()),
            freed: Condvar::new(),
        }
    }

    /// The limit for this machine and a memory cost: two when the machine has two cores
    /// or more and two computations fit in 512 MiB, else one.
    pub(crate) fn for_machine(memory_kib: u32) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let limit = if cores >= 2 && memory_kib <= TWO_SLOTS_MAX_KIB {
            2
        } else {
            1
        };
        Self::new(limit, QUEUE_MAX)
    }

    /// How many computations may run at once.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// The most computations that ran at once so far.
    #[cfg(any(test, feature = "test-support"))]
    pub(crate) fn peak(&self) -> usize {
        self.counts().peak
    }

    /// Takes a slot, waiting in the queue for one when all are in use.
    ///
    /// Errors: `Busy` when the queue is full or the wait runs out.
    #[allow(
        clippy::disallowed_methods,
        reason = "a bound on waiting in the queue, not a deadline of any rule"
    )]
    pub(crate) fn acquire(&self) -> Result<Slot<'_>> {
        let mut counts = self.counts();
        if counts.running >= self.limit {
            if counts.waiting >= self.queue {
                return Err(Error::Busy);
            }
            counts.waiting += 1;
            let deadline = Instant::now() + QUEUE_WAIT;
            while counts.running >= self.limit {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    counts.waiting -= 1;
                    return Err(Error::Busy);
                }
                counts = self
                    .freed
                    .wait_timeout(counts, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            counts.waiting -= 1;
        }
        counts.running += 1;
        counts.peak = counts.peak.max(counts.running);
        Ok(Slot(self))
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        // Counters only: a panic elsewhere cannot leave them half-updated.
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.counts().running -= 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    #[test]
    fn no_more_than_the_limit_run_at_once_and_the_rest_queue() {
        let slots = HashSlots::new(2, 16);
        let start = Barrier::new(10);
        std::thread::scope(|scope| {
            for _ in 0..10 {
                scope.spawn(|| {
                    start.wait();
                    let _slot = slots.acquire().expect("a place in the queue");
                    std::thread::sleep(Duration::from_millis(5));
                });
            }
        });
        assert_eq!(slots.peak(), 2);
    }

    #[test]
    fn a_full_queue_refuses_with_busy() {
        let slots = HashSlots::new(1, 0);
        let held = slots.acquire().expect("the one slot");
        assert!(matches!(slots.acquire(), Err(Error::Busy)));
        drop(held);
        assert!(slots.acquire().is_ok());
    }

    #[test]
    fn large_memory_costs_get_one_slot() {
        assert_eq!(HashSlots::for_machine(TWO_SLOTS_MAX_KIB + 1).limit(), 1);
        assert!(HashSlots::for_machine(19 * 1024).limit() <= 2);
    }
}
