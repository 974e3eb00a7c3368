//! Half-done work held in this process's memory only, never in the file: sign-ins that
//! passed the password and wait for a code (five minutes, five tries), and second
//! factors being set up that wait for their first code (ten minutes). A restart forgets
//! them, which only means starting again.

use std::collections::HashMap;
use std::fmt;

use zeroize::Zeroizing;

use crate::clock::Timestamp;
use crate::model::UserId;

/// How long a half-done sign-in waits for its code.
pub const SIGN_IN_SECONDS: i64 = 5 * 60;
/// Wrong codes a half-done sign-in allows before the password is needed again.
pub const SIGN_IN_TRIES: i64 = 5;
/// How long a second factor being set up waits for its first code.
pub(crate) const ENROLMENT_SECONDS: i64 = 10 * 60;
/// The most half-done sign-ins held at once; the oldest goes first.
const MAX_SIGN_INS: usize = 32;

/// A sign-in whose password was right, waiting for the second step.
pub(crate) struct PendingSignIn {
    pub(crate) user: UserId,
    pub(crate) email: String,
    /// The TOTP secret, opened with the password just typed.
    pub(crate) secret: Zeroizing<Vec<u8>>,
    /// A stronger hash of the password, to store when the sign-in completes.
    pub(crate) upgraded: Option<String>,
    /// An offline sign-in of an account linked to a provider, for the audit row.
    pub(crate) offline: Option<Through>,
    pub(crate) started: Timestamp,
    /// Wrong codes so far.
    pub(crate) tries: i64,
}

/// A second factor being set up, waiting for a first code from the app.
pub(crate) struct PendingEnrolment {
    pub(crate) secret: Zeroizing<Vec<u8>>,
    pub(crate) started: Timestamp,
}

/// Everything half-done, by ticket and by account.
#[derive(Default)]
pub(crate) struct Pending {
    pub(crate) sign_ins: HashMap<String, PendingSignIn>,
    pub(crate) enrolments: HashMap<UserId, PendingEnrolment>,
}

impl Pending {
    /// Forgets what has waited too long.
    pub(crate) fn drop_expired(&mut self, now: Timestamp) {
        self.sign_ins
            .retain(|_, p| now >= p.started && now - p.started < SIGN_IN_SECONDS);
        self.enrolments
            .retain(|_, p| now >= p.started && now - p.started < ENROLMENT_SECONDS);
    }

    /// Holds `sign_in` under `ticket`, making room by dropping the oldest.
    pub(crate) fn add_sign_in(&mut self, ticket: String, sign_in: PendingSignIn) {
        while self.sign_ins.len() >= MAX_SIGN_INS {
            let oldest = self
                .sign_ins
                .iter()
                .min_by_key(|(_, p)| p.started)
                .map(|(t, _)| t.clone());
            match oldest {
                Some(t) => drop(self.sign_ins.remove(&t)),
                None => break,
            }
        }
        self.sign_ins.insert(ticket, sign_in);
    }
}

impl fmt::Debug for Pending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Secrets inside: counts only.
        f.debug_struct("Pending")
            .field("sign_ins", &self.sign_ins.len())
            .field("enrolments", &self.enrolments.len())
            .finish()
    }
}

/// A sign-in of an account linked to an organisation's provider.
#[derive(Debug)]
pub(crate) enum Through {
    /// The provider confirmed it just now.
    Provider {
        /// The provider's name.
        name: String,
    },
    /// The local password, while the provider could not be reached.
    Offline {
        /// The provider's name.
        name: String,
        /// When the offline window closes.
        until: Timestamp,
    },
}
