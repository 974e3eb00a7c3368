//! A second factor: a TOTP authenticator app, with single-use recovery codes, set up by
//! the person from their profile and asked for after the password at every full
//! sign-in (see `sign_in`).
//!
//! Setting it up is two calls: [`Vault::begin_enrolment`] makes a secret and shows it
//! (QR code, base32, `otpauth://` URI) and keeps it in memory; [`Vault::confirm_enrolment`]
//! takes a current code from the app and the password, seals the secret under a key
//! derived from the password (see `seal`), and issues ten recovery codes, shown once.
//! Because only the password opens the secret, an admin's password reset cannot keep it:
//! the reset removes the second factor, and the person sets it up again. A password
//! change re-seals it. An admin may require a second factor of administrators or of
//! everyone; a person covered and not yet set up can do nothing but set it up.

pub(crate) mod recovery;
pub(crate) mod seal;
pub(crate) mod totp;

use serde::{Deserialize, Serialize};
use std::sync::atomic::Ordering;
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::clock::Timestamp;
use crate::db::{audit, second_factors, settings, users};
use crate::dto::CurrentUser;
use crate::error::{Conflict, Error, Invalid, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{Role, UserId};
use crate::password::Verdict;
use crate::secret::SecretString;
use crate::session::pending::PendingEnrolment;
use crate::session::{AdminSession, Session};
use crate::step_up::AdminAction;
use crate::throttle;
use crate::validate;
use crate::vault::{SECOND_FACTOR_POLICY, Vault};

use self::seal::Sealed;
use self::totp::TotpSecret;

/// Who must have a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SecondFactorPolicy {
    /// Nobody: each person chooses.
    Nobody,
    /// Administrators.
    Admins,
    /// Everyone.
    Everyone,
}

impl SecondFactorPolicy {
    fn from_stored(value: i64) -> Self {
        match value {
            1 => Self::Admins,
            2 => Self::Everyone,
            _ => Self::Nobody,
        }
    }

    fn stored(self) -> i64 {
        match self {
            Self::Nobody => 0,
            Self::Admins => 1,
            Self::Everyone => 2,
        }
    }

    /// Whether a person with `role` must have a second factor.
    pub fn covers(self, role: Role) -> bool {
        match self {
            Self::Nobody => false,
            Self::Admins => role == Role::Admin,
            Self::Everyone => true,
        }
    }
}

/// The signed-in person's second factor, as their profile shows it. Never the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecondFactorStatus {
    /// When it was set up; `None` without one.
    pub enrolled_at: Option<Timestamp>,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// Whether an admin requires one for this person.
    pub required: bool,
}

/// A QR code as a square of modules, drawn by the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QrModules {
    /// Modules per side.
    pub size: usize,
    /// `size × size` characters, row by row: `1` dark, `0` light.
    pub modules: String,
}

/// A second factor being set up: the secret for the authenticator app, in the three
/// forms apps take. The only reply that ever carries the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Enrolment {
    /// The secret in base32, for typing into an app.
    pub secret: String,
    /// The `otpauth://totp/…` URI the QR code carries.
    pub uri: String,
    /// The QR code of the URI.
    pub qr: QrModules,
}

/// Recovery codes, shown once: each signs in once in place of a code from the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryCodes {
    /// Ten codes, `XXXX-XXXX-XXXX-XXXX`.
    pub codes: Vec<String>,
}

/// The recovery codes' digest key in the settings table.
const CODE_KEY: &str = "recovery_code_key";

impl Vault {
    /// The signed-in person's second factor.
    pub fn second_factor_status(&self, session: &Session) -> Result<SecondFactorStatus> {
        let conn = self.conn();
        let enrolled_at = second_factors::get(&conn, session.user_id())?.map(|(_, at)| at);
        Ok(SecondFactorStatus {
            enrolled_at,
            recovery_codes_left: second_factors::codes_left(&conn, session.user_id())?,
            required: self.factor_policy().covers(session.role()),
        })
    }

    /// Starts setting up a second factor for the signed-in person: a new secret, kept in
    /// memory for ten minutes until [`Vault::confirm_enrolment`]. Starting again replaces
    /// it.
    ///
    /// Errors: `Conflict` (`AlreadyEnrolled`).
    pub fn begin_enrolment(&self, session: &Session) -> Result<Enrolment> {
        session.ensure_password_settled()?;
        let user = users::require(&self.conn(), session.user_id())?;
        if second_factors::exists(&self.conn(), user.id)? {
            return Err(Error::Conflict(Conflict::AlreadyEnrolled));
        }
        let secret = TotpSecret::generate()?;
        let uri = secret.uri(&user.email);
        let qr = qr_modules(&uri)?;
        let enrolment = Enrolment {
            secret: secret.base32().to_string(),
            uri: uri.to_string(),
            qr,
        };
        self.pending().enrolments.insert(
            user.id,
            PendingEnrolment {
                secret: Zeroizing::new(secret.bytes().to_vec()),
                started: self.now(),
            },
        );
        Ok(enrolment)
    }

    /// Finishes setting up the second factor with a current `code` from the app and the
    /// person's `password`, and returns ten recovery codes (shown once). The code's
    /// time step counts as used.
    ///
    /// Errors: `Validation` (`code`) for a code that is not six digits or not the app's
    /// current one, before the password is checked; `Conflict` (`EnrolmentNotStarted`,
    /// `AlreadyEnrolled`); `InvalidCredentials`, `Locked` and `Busy` as for a sign-in.
    pub fn confirm_enrolment(
        &self,
        session: &Session,
        password: &SecretString,
        code: &str,
    ) -> Result<RecoveryCodes> {
        session.ensure_password_settled()?;
        let code = six_digits(code)?;
        let password = validate::normalise_password("password", password)?;
        let user = users::require(&self.conn(), session.user_id())?;
        let now = self.now();
        let secret = match self.pending().enrolments.get(&user.id) {
            Some(pending) => TotpSecret::from_bytes(pending.secret.clone()),
            None => return Err(Error::Conflict(Conflict::EnrolmentNotStarted)),
        };
        let Some(step) = secret.matching_step(&code, now) else {
            return Err(Error::invalid("code", Invalid::WrongCode));
        };
        let sealed = self.with_password(user.id, &user.email, &password, now, || {
            seal::seal(self.hasher(), &password, user.id, secret.bytes())
        })?;
        let codes = recovery::generate()?;
        self.write(|conn| {
            if second_factors::exists(conn, user.id)? {
                return Err(Error::Conflict(Conflict::AlreadyEnrolled));
            }
            throttle::clear(conn, &user.email)?;
            second_factors::put(conn, user.id, &sealed.to_row(), now)?;
            second_factors::use_step(conn, user.id, step)?;
            store_codes(conn, user.id, &codes)?;
            let entry = NewEntry::new(AuditEvent::SecondFactorEnrolled)
                .by(user.id, &user.email)
                .on(user.id, &user.email);
            audit::append(conn, &entry, now)
        })?;
        self.pending().enrolments.remove(&user.id);
        log::info!("second factor set up (account {})", user.id.0);
        Ok(shown(codes))
    }

    /// Replaces the signed-in person's recovery codes with ten new ones, after checking
    /// their password. The old ones stop working.
    ///
    /// Errors: `Conflict` (`NotEnrolled`); `InvalidCredentials`, `Locked` and `Busy` as
    /// for a sign-in.
    pub fn regenerate_recovery_codes(
        &self,
        session: &Session,
        password: &SecretString,
    ) -> Result<RecoveryCodes> {
        let password = validate::normalise_password("password", password)?;
        let user = users::require(&self.conn(), session.user_id())?;
        if !second_factors::exists(&self.conn(), user.id)? {
            return Err(Error::Conflict(Conflict::NotEnrolled));
        }
        let now = self.now();
        self.with_password(user.id, &user.email, &password, now, || Ok(()))?;
        let codes = recovery::generate()?;
        self.write(|conn| {
            throttle::clear(conn, &user.email)?;
            store_codes(conn, user.id, &codes)?;
            let entry = NewEntry::new(AuditEvent::RecoveryCodesRegenerated)
                .by(user.id, &user.email)
                .on(user.id, &user.email);
            audit::append(conn, &entry, now)
        })?;
        Ok(shown(codes))
    }

    /// Removes the signed-in person's second factor and recovery codes, after checking
    /// their password.
    ///
    /// Errors: `Conflict` (`SecondFactorRequired` while an admin requires one for them,
    /// `NotEnrolled`); `InvalidCredentials`, `Locked` and `Busy` as for a sign-in.
    pub fn remove_second_factor(&self, session: &Session, password: &SecretString) -> Result<()> {
        let password = validate::normalise_password("password", password)?;
        if self.factor_policy().covers(session.role()) {
            return Err(Error::Conflict(Conflict::SecondFactorRequired));
        }
        let user = users::require(&self.conn(), session.user_id())?;
        if !second_factors::exists(&self.conn(), user.id)? {
            return Err(Error::Conflict(Conflict::NotEnrolled));
        }
        let now = self.now();
        self.with_password(user.id, &user.email, &password, now, || Ok(()))?;
        self.write(|conn| {
            throttle::clear(conn, &user.email)?;
            second_factors::delete(conn, user.id)?;
            let entry = NewEntry::new(AuditEvent::SecondFactorRemoved)
                .by(user.id, &user.email)
                .on(user.id, &user.email);
            audit::append(conn, &entry, now)
        })
    }

    /// An admin removes another person's second factor (a lost phone and lost codes);
    /// they set it up again at their next sign-in if it is required. Needs a recent
    /// password check.
    ///
    /// Errors: `ReauthRequired`; `Conflict` (`OwnAccount`, `NotEnrolled`); `NotFound`.
    pub fn reset_second_factor(&self, admin: &AdminSession<'_>, id: UserId) -> Result<()> {
        let me = admin.session().user_id();
        if id == me {
            return Err(Error::Conflict(Conflict::OwnAccount));
        }
        self.authorize(admin, AdminAction::ResetSecondFactor)?;
        let actor = users::require(&self.conn(), me)?;
        let target = users::get(&self.conn(), id)?.ok_or(Error::NotFound)?;
        let now = self.now();
        self.write(|conn| {
            if !second_factors::delete(conn, id)? {
                return Err(Error::Conflict(Conflict::NotEnrolled));
            }
            let entry = NewEntry::new(AuditEvent::SecondFactorRemoved)
                .by(actor.id, &actor.email)
                .on(target.id, &target.email)
                .detail("reset by an administrator");
            audit::append(conn, &entry, now)
        })
    }

    /// Who must have a second factor.
    pub fn second_factor_policy(&self, _admin: &AdminSession<'_>) -> SecondFactorPolicy {
        self.factor_policy()
    }

    /// Changes who must have a second factor. Needs a recent password check; audited.
    ///
    /// Errors: `ReauthRequired`.
    pub fn set_second_factor_policy(
        &self,
        admin: &AdminSession<'_>,
        policy: SecondFactorPolicy,
    ) -> Result<SecondFactorPolicy> {
        self.authorize(admin, AdminAction::ChangeSettings)?;
        let me = users::require(&self.conn(), admin.session().user_id())?;
        let now = self.now();
        let before = self.factor_policy();
        if before != policy {
            self.write(|conn| {
                settings::set(conn, SECOND_FACTOR_POLICY.key, &policy.stored().to_string())?;
                let detail = format!(
                    "{} {} -> {}",
                    SECOND_FACTOR_POLICY.key,
                    policy_name(before),
                    policy_name(policy)
                );
                let entry = NewEntry::new(AuditEvent::SettingsChanged)
                    .by(me.id, &me.email)
                    .detail(&detail);
                audit::append(conn, &entry, now)
            })?;
            self.second_factor_policy
                .store(policy.stored(), Ordering::SeqCst);
        }
        Ok(policy)
    }

    pub(crate) fn factor_policy(&self) -> SecondFactorPolicy {
        SecondFactorPolicy::from_stored(self.second_factor_policy.load(Ordering::SeqCst))
    }

    /// Whether `user` (of `role`) must set up a second factor before anything else. An
    /// account linked to an organisation's provider has the provider's sign-in (and its
    /// own second factor) instead.
    pub(crate) fn second_factor_due(&self, user: UserId, role: Role) -> Result<bool> {
        let conn = self.conn();
        Ok(self.factor_policy().covers(role)
            && !second_factors::exists(&conn, user)?
            && crate::db::identity::link_of_user(&conn, user)?.is_none())
    }

    /// `user` as the UI receives them, with whether a second factor is due.
    pub(crate) fn with_factor_due(&self, mut user: CurrentUser) -> Result<CurrentUser> {
        user.second_factor_due = self.second_factor_due(user.id, user.role)?;
        Ok(user)
    }

    /// Checks the password of `user` as a sign-in would (reserved first, throttled, a
    /// wrong one counted and audited), running `then` in the same hashing turn when it
    /// is right. The throttle is cleared by the caller's write.
    fn with_password<T>(
        &self,
        user: UserId,
        email: &str,
        password: &SecretString,
        now: Timestamp,
        then: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let phc = users::password_hash(&self.conn(), user)?;
        let reservation = self.reserve_attempt(email)?;
        let outcome = self.unless_busy(&reservation, || {
            match self.hasher().verify(&phc, password)? {
                Verdict::Mismatch => Ok(None),
                Verdict::Match { .. } => then().map(Some),
            }
        })?;
        match outcome {
            Some(value) => Ok(value),
            None => {
                self.record_failed_sign_in(&reservation, Some(user), now)?;
                Err(Error::InvalidCredentials)
            }
        }
    }

    /// Opens `user`'s sealed secret with `password`, if they have a second factor.
    /// `Ok(None)` without one; an error when the sealing does not open (the password
    /// was checked just before, so that is damage, not a wrong password).
    pub(crate) fn open_second_factor(
        &self,
        user: UserId,
        password: &SecretString,
    ) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let Some((row, _)) = second_factors::get(&self.conn(), user)? else {
            return Ok(None);
        };
        let sealed = Sealed::from_row(row)?;
        seal::open(self.hasher(), password, user, &sealed)?
            .map(Some)
            .ok_or_else(|| Error::Internal("the second factor does not open".into()))
    }

    /// Re-seals `user`'s secret, opened with `old`, under `new` (a password change).
    /// `Ok(None)` without a second factor.
    pub(crate) fn reseal_second_factor(
        &self,
        user: UserId,
        old: &SecretString,
        new: &SecretString,
    ) -> Result<Option<second_factors::SealedRow>> {
        let Some(secret) = self.open_second_factor(user, old)? else {
            return Ok(None);
        };
        Ok(Some(
            seal::seal(self.hasher(), new, user, &secret)?.to_row(),
        ))
    }

    /// Checks a current code from the app for `user` (inside a write), and uses up its
    /// step; false for a wrong code or a step used already.
    pub(crate) fn accept_app_code(
        conn: &rusqlite::Connection,
        user: UserId,
        secret: &[u8],
        code: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != totp::DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(false);
        }
        let secret = TotpSecret::from_bytes(Zeroizing::new(secret.to_vec()));
        Ok(match secret.matching_step(&digits, now) {
            Some(step) => second_factors::use_step(conn, user, step)?,
            None => false,
        })
    }

    /// Checks a code typed at the second step of `user`'s sign-in, inside a write: a
    /// current TOTP code whose step was not used yet, or an unused recovery code (used
    /// up here). Returns how it was proved, or `None` for a wrong code.
    pub(crate) fn accept_code(
        conn: &rusqlite::Connection,
        user: UserId,
        secret: &[u8],
        code: &str,
        now: Timestamp,
    ) -> Result<Option<Proof>> {
        let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == totp::DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
            let accepted = Self::accept_app_code(conn, user, secret, &digits, now)?;
            return Ok(accepted.then_some(Proof::Code));
        }
        let Some(canonical) = recovery::normalise(code) else {
            return Ok(None);
        };
        let key = code_key(conn)?;
        let digest = recovery::digest(&key, user, &canonical)?;
        if !second_factors::use_code(conn, user, &digest, now)? {
            return Ok(None);
        }
        Ok(Some(Proof::RecoveryCode {
            left: second_factors::codes_left(conn, user)?,
        }))
    }
}

/// How the second step of a sign-in was proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proof {
    /// A code from the authenticator app.
    Code,
    /// A recovery code; `left` remain.
    RecoveryCode { left: i64 },
}

fn policy_name(policy: SecondFactorPolicy) -> &'static str {
    match policy {
        SecondFactorPolicy::Nobody => "nobody",
        SecondFactorPolicy::Admins => "admins",
        SecondFactorPolicy::Everyone => "everyone",
    }
}

/// `code` without spaces, when it is six digits.
fn six_digits(code: &str) -> Result<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Err(Error::invalid("code", Invalid::Empty));
    }
    if digits.len() != totp::DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("code", Invalid::Malformed));
    }
    Ok(digits)
}

/// The digest key, made on first use (call inside a write).
fn code_key(conn: &rusqlite::Connection) -> Result<Zeroizing<Vec<u8>>> {
    if let Some(hex) = settings::get(conn, CODE_KEY)? {
        return decode_hex(&hex).ok_or_else(|| Error::Internal("recovery code key".into()));
    }
    let key = recovery::new_key()?;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    settings::set(conn, CODE_KEY, &hex)?;
    Ok(Zeroizing::new(key.to_vec()))
}

fn decode_hex(hex: &str) -> Option<Zeroizing<Vec<u8>>> {
    if hex.len() != 64 {
        return None;
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some(Zeroizing::new(bytes))
}

/// Replaces `user`'s recovery codes with the digests of `codes` (inside a write).
fn store_codes(
    conn: &rusqlite::Connection,
    user: UserId,
    codes: &[Zeroizing<String>],
) -> Result<()> {
    let key = code_key(conn)?;
    let digests = codes
        .iter()
        .map(|code| {
            let canonical = recovery::normalise(code)
                .ok_or_else(|| Error::Internal("a generated recovery code".into()))?;
            recovery::digest(&key, user, &canonical)
        })
        .collect::<Result<Vec<_>>>()?;
    second_factors::replace_codes(conn, user, &digests)
}

fn shown(codes: Vec<Zeroizing<String>>) -> RecoveryCodes {
    RecoveryCodes {
        codes: codes.iter().map(|code| code.to_string()).collect(),
    }
}

/// The QR code of `uri`, at medium error correction.
fn qr_modules(uri: &str) -> Result<QrModules> {
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Error::internal("QR code", e))?;
    let modules = code
        .to_colors()
        .iter()
        .map(|color| {
            if *color == qrcode::Color::Dark {
                '1'
            } else {
                '0'
            }
        })
        .collect();
    Ok(QrModules {
        size: code.width(),
        modules,
    })
}
