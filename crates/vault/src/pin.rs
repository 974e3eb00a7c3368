//! Quick unlock with a PIN, time-boxed. A person may set a PIN of 6 to 12 digits
//! (argon2id-hashed like a password, with its own salt). It unlocks only their own locked
//! session, only within the PIN window (8 hours unless an admin chose 1 to 12) of the
//! session's last password check (its sign-in or a password unlock), and the fifth wrong PIN in a row ends the session.
//! A PIN never satisfies step-up, and an admin's password reset removes it.

use std::sync::atomic::Ordering;

use serde::Serialize;
use ts_rs::TS;

use crate::clock::Timestamp;
use crate::db::sessions::{self, SessionRow, UnlockedBy};
use crate::db::{audit, pins, users};
use crate::dto::CurrentUser;
use crate::error::{Conflict, Error, Invalid, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::password::Verdict;
use crate::secret::SecretString;
use crate::session::Session;
use crate::throttle;
use crate::validate;
use crate::vault::Vault;

/// The fewest digits a PIN may have.
pub const PIN_MIN_DIGITS: usize = 6;
/// The most digits a PIN may have.
pub const PIN_MAX_DIGITS: usize = 12;
/// Wrong PINs in a row after which the session ends.
pub const PIN_TRIES: i64 = 5;

/// Whether the signed-in person has a PIN, and for how long after a password it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PinStatus {
    /// When the PIN was set (Unix seconds, UTC), if there is one.
    pub set_at: Option<Timestamp>,
    /// Hours after the last password check during which the PIN unlocks.
    pub window_hours: i64,
}

/// Checks a new PIN: digits only, 6 to 12 of them, and not one any onlooker would try
/// first (one digit repeated, a run such as 123456 or 987654, or a short block repeated
/// such as 121212 or 123123).
pub(crate) fn check_new_pin(field: &'static str, pin: &SecretString) -> Result<()> {
    let pin = pin.expose();
    if pin.is_empty() {
        return Err(Error::invalid(field, Invalid::Empty));
    }
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(field, Invalid::Malformed));
    }
    if pin.len() < PIN_MIN_DIGITS {
        return Err(Error::invalid(field, Invalid::TooShort(PIN_MIN_DIGITS)));
    }
    if pin.len() > PIN_MAX_DIGITS {
        return Err(Error::invalid(field, Invalid::TooLong(PIN_MAX_DIGITS)));
    }
    if is_trivial(pin.as_bytes()) {
        return Err(Error::invalid(field, Invalid::TooWeak));
    }
    Ok(())
}

/// One digit repeated, a run up or down (wrapping 9 to 0), or a block of up to half the
/// length repeated.
fn is_trivial(digits: &[u8]) -> bool {
    let steps: Vec<i16> = digits
        .windows(2)
        .map(|pair| (i16::from(pair[1]) - i16::from(pair[0])).rem_euclid(10))
        .collect();
    let run = steps.iter().all(|&step| step == 1) || steps.iter().all(|&step| step == 9);
    let repeated_block = (1..=digits.len() / 2).any(|size| {
        digits.len().is_multiple_of(size)
            && digits.chunks(size).all(|chunk| chunk == &digits[..size])
    });
    run || repeated_block
}

impl Vault {
    /// Whether the signed-in person has a PIN.
    pub fn pin_status(&self, session: &Session) -> Result<PinStatus> {
        Ok(PinStatus {
            set_at: pins::get(&self.conn(), session.user_id())?.map(|(_, at)| at),
            window_hours: self.pin_window_hours.load(Ordering::SeqCst),
        })
    }

    /// Sets (or replaces) the signed-in person's PIN after checking their password.
    ///
    /// Errors: `Validation` (`pin`) for a PIN that breaks the rules, before the password
    /// is checked; `InvalidCredentials` for a wrong password (counted like a failed
    /// sign-in); `Locked` and `Busy` as for [`Vault::login`].
    pub fn set_pin(
        &self,
        session: &Session,
        password: &SecretString,
        pin: &SecretString,
    ) -> Result<PinStatus> {
        check_new_pin("pin", pin)?;
        let password = validate::normalise_password("password", password)?;
        let user = users::require(&self.conn(), session.user_id())?;
        let now = self.now();
        let phc = users::password_hash(&self.conn(), user.id)?;
        let reservation = self.reserve_attempt(&user.email)?;
        let pin_phc = self.unless_busy(&reservation, || {
            match self.hasher().verify(&phc, &password)? {
                Verdict::Mismatch => Ok(None),
                Verdict::Match { .. } => self.hasher().hash(pin).map(Some),
            }
        })?;
        let Some(pin_phc) = pin_phc else {
            self.record_failed_sign_in(&reservation, Some(user.id), now)?;
            return Err(Error::InvalidCredentials);
        };
        self.write(|conn| {
            throttle::clear(conn, &user.email)?;
            pins::set(conn, user.id, &pin_phc, now)?;
            let entry = NewEntry::new(AuditEvent::PinSet)
                .by(user.id, &user.email)
                .on(user.id, &user.email);
            audit::append(conn, &entry, now)
        })?;
        Ok(PinStatus {
            set_at: Some(now),
            window_hours: self.pin_window_hours.load(Ordering::SeqCst),
        })
    }

    /// Removes the signed-in person's PIN, if they have one.
    pub fn clear_pin(&self, session: &Session) -> Result<()> {
        let user = users::require(&self.conn(), session.user_id())?;
        let now = self.now();
        self.write(|conn| {
            if pins::delete(conn, user.id)? {
                let entry = NewEntry::new(AuditEvent::PinCleared)
                    .by(user.id, &user.email)
                    .on(user.id, &user.email);
                audit::append(conn, &entry, now)?;
            }
            Ok(())
        })
    }

    /// Whether a PIN may unlock the locked session `row` now.
    pub(crate) fn pin_available(&self, row: &SessionRow, now: Timestamp) -> Result<bool> {
        let window = self.pin_window_hours.load(Ordering::SeqCst) * 3600;
        Ok(now - row.password_at < window
            && row.pin_failures < PIN_TRIES
            && pins::get(&self.conn(), row.user_id)?.is_some())
    }

    /// Unlocks the locked session `id` held here with its person's PIN and makes it the
    /// active one, as [`Vault::unlock_session`] does. Every attempt is counted before the
    /// PIN is checked; the fifth wrong one in a row ends the session. The active session
    /// is returned as it is.
    ///
    /// Errors: `WrongPin { remaining }` (at 0 the session has ended); `Conflict`
    /// (`PinUnavailable`) without a PIN or after the window; `NotAuthenticated` and
    /// `SessionExpired` as for [`Vault::locked_session`]; `Busy`.
    pub fn unlock_with_pin(&self, id: &str, pin: &SecretString) -> Result<CurrentUser> {
        if pin.expose().is_empty() {
            return Err(Error::invalid("pin", Invalid::Empty));
        }
        if pin.expose().len() > PIN_MAX_DIGITS || !pin.expose().bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Error::invalid("pin", Invalid::Malformed));
        }
        let now = self.now();
        let (token, row, selected) = self.session_to_unlock(id, now)?;
        if row.locked.is_some() || !selected {
            if !self.pin_available(&row, now)? {
                return Err(Error::Conflict(Conflict::PinUnavailable));
            }
            let phc = pins::get(&self.conn(), row.user_id)?
                .map(|(phc, _)| phc)
                .ok_or(Error::Conflict(Conflict::PinUnavailable))?;
            let tries = self.write(|conn| sessions::reserve_pin_attempt(conn, token.id()))?;
            if tries > PIN_TRIES {
                return Err(Error::Conflict(Conflict::PinUnavailable));
            }
            let verdict = match self.hasher().verify(&phc, pin) {
                Err(Error::Busy) => {
                    // Never checked: the try is given back.
                    self.write(|conn| sessions::release_pin_attempt(conn, token.id()))?;
                    return Err(Error::Busy);
                }
                other => other?,
            };
            if verdict == Verdict::Mismatch {
                return Err(self.wrong_pin(token.id(), &row, tries, now));
            }
            self.finish_unlock(token.id(), &row, now, UnlockedBy::Pin)?;
        }
        self.unlocked_user(&row)
    }

    /// A wrong PIN, the `tries`-th in a row: audited, and at the last try the session
    /// ends. Returns the error for the caller.
    fn wrong_pin(&self, id: &str, row: &SessionRow, tries: i64, now: Timestamp) -> Error {
        let remaining = (PIN_TRIES - tries).max(0);
        let result = self.write(|conn| {
            let entry = NewEntry::new(AuditEvent::SessionUnlocked)
                .on(row.user_id, &row.email)
                .detail(UnlockedBy::Pin.as_str())
                .failed();
            audit::append(conn, &entry, now)?;
            if remaining == 0 {
                sessions::delete(conn, id)?;
                let entry = NewEntry::new(AuditEvent::PinLockout)
                    .on(row.user_id, &row.email)
                    .detail("5 wrong PINs in a row; the session was ended");
                audit::append(conn, &entry, now)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            return e;
        }
        if remaining == 0 {
            log::info!(
                "session ended after {PIN_TRIES} wrong PINs (account {})",
                row.user_id.0
            );
            let mut current = self.current();
            self.forget(&mut current, id);
        }
        Error::WrongPin { remaining }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivial_pins_are_refused_and_others_allowed() {
        for pin in [
            "000000",
            "111111",
            "123456",
            "234567",
            "987654",
            "890123",
            "121212",
            "123123",
            "12341234",
            "147147147147",
        ] {
            assert!(is_trivial(pin.as_bytes()), "{pin}");
        }
        for pin in ["274915", "19840312", "603128", "550012"] {
            assert!(!is_trivial(pin.as_bytes()), "{pin}");
        }
    }

    #[test]
    fn a_pin_is_six_to_twelve_digits() {
        let check = |pin: &str| check_new_pin("pin", &pin.into()).map_err(|e| e.reply().reason);
        assert!(check("274915").is_ok());
        assert!(check("274915603128").is_ok());
        assert_eq!(check(""), Err(Some(Invalid::Empty)));
        assert_eq!(check("27491"), Err(Some(Invalid::TooShort(6))));
        assert_eq!(check("2749156031284"), Err(Some(Invalid::TooLong(12))));
        assert_eq!(check("27a915"), Err(Some(Invalid::Malformed)));
        assert_eq!(check("２７４９１５"), Err(Some(Invalid::Malformed)));
        assert_eq!(check("123456"), Err(Some(Invalid::TooWeak)));
    }
}
