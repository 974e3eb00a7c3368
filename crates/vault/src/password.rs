//! Password hashing with argon2id, stored as PHC strings.
//!
//! The cost parameters travel inside each PHC string, so raising them later needs no
//! migration: a sign-in that verifies against weaker parameters rehashes on the spot.
//! Parameters read from the file are capped, because a crafted row must not make the
//! vault allocate gigabytes. Unknown emails are verified against a dummy hash made with
//! the current parameters, so they cost the same work as a wrong password.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};
use crate::random;
use crate::secret::SecretString;
use crate::slots::HashSlots;

/// The largest memory cost accepted from a stored hash: 1 GiB.
const MAX_MEMORY_KIB: u32 = 1 << 20;
/// The largest time cost accepted from a stored hash.
const MAX_ITERATIONS: u32 = 64;
/// The largest parallelism accepted from a stored hash.
const MAX_LANES: u32 = 16;

/// argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    memory_kib: u32,
    iterations: u32,
    lanes: u32,
}

impl HashParams {
    /// The floor: OWASP's argon2id minimum, m = 19 MiB, t = 2, p = 1.
    pub const MINIMUM: Self = Self {
        memory_kib: 19 * 1024,
        iterations: 2,
        lanes: 1,
    };

    /// Parameters at or above [`HashParams::MINIMUM`] in every dimension; below it, or
    /// above the caps applied to stored hashes, they are refused.
    pub fn new(memory_kib: u32, iterations: u32, lanes: u32) -> Result<Self> {
        let params = Self {
            memory_kib,
            iterations,
            lanes,
        };
        let floor = Self::MINIMUM;
        if memory_kib < floor.memory_kib || iterations < floor.iterations || lanes < floor.lanes {
            return Err(Error::Internal(format!(
                "argon2 parameters below the minimum: {params:?}"
            )));
        }
        if !params.within_caps() {
            return Err(Error::Internal(format!(
                "argon2 parameters above the caps: {params:?}"
            )));
        }
        Ok(params)
    }

    /// Cheap parameters for tests only; they bypass the floor.
    #[cfg(any(test, feature = "test-support"))]
    pub fn insecure_for_tests() -> Self {
        Self {
            memory_kib: 256,
            iterations: 1,
            lanes: 1,
        }
    }

    /// Memory cost in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    /// Number of passes.
    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// Degree of parallelism.
    pub fn lanes(&self) -> u32 {
        self.lanes
    }

    fn within_caps(&self) -> bool {
        self.memory_kib <= MAX_MEMORY_KIB
            && self.iterations <= MAX_ITERATIONS
            && self.lanes <= MAX_LANES
    }

    fn weaker_than(&self, other: &Self) -> bool {
        self.memory_kib < other.memory_kib || self.iterations < other.iterations
    }

    fn argon2(&self) -> Result<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, self.lanes, None)
            .map_err(|e| Error::internal("argon2 parameters", e))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Memory costs tried by calibration, smallest first (KiB): 19, 46, 64 and 128 MiB.
const CALIBRATION_MEMORY_KIB: [u32; 4] = [19 * 1024, 46 * 1024, 64 * 1024, 128 * 1024];
/// The most passes calibration picks.
const CALIBRATION_MAX_ITERATIONS: u32 = 16;

impl HashParams {
    /// Measures this machine and picks parameters that take about `target` per hash:
    /// the largest memory cost whose two-pass hash fits in half the target, then as many
    /// passes as fit in the target. Never below [`HashParams::MINIMUM`].
    pub fn calibrate(target: std::time::Duration) -> Result<Self> {
        let time = |params: Self| -> Result<std::time::Duration> {
            let hasher = Hasher::new(params);
            let start = std::time::Instant::now();
            hasher.hash(&SecretString::from("calibration of this machine"))?;
            Ok(start.elapsed())
        };
        let mut chosen = Self::MINIMUM;
        let mut chosen_time = time(chosen)?;
        for memory_kib in CALIBRATION_MEMORY_KIB.into_iter().skip(1) {
            let candidate = Self {
                memory_kib,
                ..Self::MINIMUM
            };
            let elapsed = time(candidate)?;
            if elapsed > target / 2 {
                break;
            }
            chosen = candidate;
            chosen_time = elapsed;
        }
        let per_pass = chosen_time.as_secs_f64() / f64::from(chosen.iterations);
        let passes = (target.as_secs_f64() / per_pass.max(1e-6)).floor();
        // Both bounds are small integers, so the float fits a u32 exactly.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "clamped to 2..=16 first"
        )]
        let iterations = passes.clamp(2.0, f64::from(CALIBRATION_MAX_ITERATIONS)) as u32;
        Ok(Self {
            iterations,
            ..chosen
        })
    }

    /// The stored form, `m,t,p`.
    pub(crate) fn to_setting(self) -> String {
        format!("{},{},{}", self.memory_kib, self.iterations, self.lanes)
    }

    /// Reads the stored form; anything malformed or below the floor is refused.
    pub(crate) fn from_setting(text: &str) -> Result<Self> {
        let parts: Vec<u32> = text
            .split(',')
            .map(str::parse)
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::internal("stored argon2 parameters", e))?;
        match parts[..] {
            [m, t, p] => Self::new(m, t, p),
            _ => Err(Error::Internal(format!("stored argon2 parameters: {text}"))),
        }
    }

    /// Whether a stored PHC string uses weaker parameters than these.
    pub(crate) fn is_weaker_phc(&self, phc: &str) -> bool {
        PasswordHash::new(phc)
            .ok()
            .and_then(|parsed| Params::try_from(&parsed).ok())
            .is_some_and(|p| p.m_cost() < self.memory_kib || p.t_cost() < self.iterations)
    }
}

impl Default for HashParams {
    fn default() -> Self {
        Self::MINIMUM
    }
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The password matches; `rehash` says the stored parameters are weaker than current.
    Match { rehash: bool },
    /// It does not.
    Mismatch,
}

/// Hashes and verifies passwords at one set of current parameters. Every computation
/// takes one of a few slots first, so a burst of attempts holds a bounded amount of
/// memory (see [`HashSlots`]).
#[derive(Debug)]
pub(crate) struct Hasher {
    params: HashParams,
    dummy: OnceLock<String>,
    calls: AtomicU64,
    slots: HashSlots,
}

impl Hasher {
    pub(crate) fn new(params: HashParams) -> Self {
        Self::with_slots(params, HashSlots::for_machine(params.memory_kib))
    }

    pub(crate) fn with_slots(params: HashParams, slots: HashSlots) -> Self {
        Self {
            params,
            dummy: OnceLock::new(),
            calls: AtomicU64::new(0),
            slots,
        }
    }

    /// The slots every computation takes.
    pub(crate) fn slots(&self) -> &HashSlots {
        &self.slots
    }

    pub(crate) fn params(&self) -> HashParams {
        self.params
    }

    /// How many argon2 computations (hashes and verifications) this hasher has run.
    #[cfg(any(test, feature = "test-support"))]
    pub(crate) fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// A PHC string for `password`, with a fresh 128-bit salt.
    ///
    /// Errors: `Busy` when every hashing slot is taken and the queue is full.
    pub(crate) fn hash(&self, password: &SecretString) -> Result<String> {
        let mut salt = [0_u8; 16];
        random::fill(&mut salt)?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| Error::internal("salt", e))?;
        let _slot = self.slots.acquire()?;
        self.calls.fetch_add(1, Ordering::Relaxed);
        let phc = self
            .params
            .argon2()?
            .hash_password(password.expose().as_bytes(), &salt)
            .map_err(|e| Error::internal("argon2 hash", e))?;
        Ok(phc.to_string())
    }

    /// Checks `password` against a stored PHC string. A string that is not argon2id, or
    /// whose parameters exceed the caps, is an internal error: it fails closed. `Busy`
    /// as for [`Self::hash`].
    pub(crate) fn verify(&self, phc: &str, password: &SecretString) -> Result<Verdict> {
        let parsed = PasswordHash::new(phc).map_err(|e| Error::internal("stored hash", e))?;
        if parsed.algorithm != Algorithm::Argon2id.ident() {
            return Err(Error::Internal(format!(
                "stored hash uses {}",
                parsed.algorithm
            )));
        }
        let stored = Params::try_from(&parsed).map_err(|e| Error::internal("stored hash", e))?;
        let stored = HashParams {
            memory_kib: stored.m_cost(),
            iterations: stored.t_cost(),
            lanes: stored.p_cost(),
        };
        if !stored.within_caps() {
            return Err(Error::Internal(format!(
                "stored hash parameters above caps: {stored:?}"
            )));
        }
        let version = parsed.version.map_or(Ok(Version::V0x13), Version::try_from);
        let rehash = stored.weaker_than(&self.params) || version != Ok(Version::V0x13);
        let _slot = self.slots.acquire()?;
        self.calls.fetch_add(1, Ordering::Relaxed);
        match stored
            .argon2()?
            .verify_password(password.expose().as_bytes(), &parsed)
        {
            Ok(()) => Ok(Verdict::Match { rehash }),
            Err(argon2::password_hash::Error::Password) => Ok(Verdict::Mismatch),
            Err(e) => Err(Error::internal("argon2 verify", e)),
        }
    }

    /// Does the work of a verification that cannot succeed: the unknown-email path.
    pub(crate) fn verify_dummy(&self, password: &SecretString) -> Result<()> {
        let dummy = self.dummy_hash()?;
        self.verify(dummy, password).map(drop)
    }

    /// Makes the dummy hash now if it does not exist yet. Every sign-in calls this before
    /// looking the email up, so the one-off cost falls on known and unknown emails alike.
    pub(crate) fn dummy_hash(&self) -> Result<&str> {
        if let Some(dummy) = self.dummy.get() {
            return Ok(dummy);
        }
        let mut noise = [0_u8; 32];
        random::fill(&mut noise)?;
        let phc = self.hash(&SecretString::new(random::encode(&noise)))?;
        Ok(self.dummy.get_or_init(|| phc))
    }
}

/// Makes a one-time temporary password: 20 characters from an alphabet without
/// look-alikes (about 99 bits), grouped in fives for reading aloud.
pub(crate) fn temporary_password() -> Result<SecretString> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut out = String::with_capacity(23);
    let mut chosen = 0;
    while chosen < 20 {
        let mut bytes = [0_u8; 32];
        random::fill(&mut bytes)?;
        // Rejection sampling keeps every symbol equally likely.
        for byte in bytes
            .iter()
            .filter(|b| usize::from(**b) < ALPHABET.len() * 8)
        {
            if chosen == 20 {
                break;
            }
            if chosen > 0 && chosen % 5 == 0 {
                out.push('-');
            }
            out.push(char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]));
            chosen += 1;
        }
    }
    Ok(SecretString::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> Hasher {
        Hasher::new(HashParams::insecure_for_tests())
    }

    #[test]
    fn parameters_below_the_floor_are_refused() {
        assert!(HashParams::new(19 * 1024, 2, 1).is_ok());
        assert!(HashParams::new(19 * 1024 - 1, 2, 1).is_err());
        assert!(HashParams::new(19 * 1024, 1, 1).is_err());
        assert!(HashParams::new(19 * 1024, 2, 0).is_err());
        assert!(HashParams::new(4 << 20, 2, 1).is_err());
    }

    #[test]
    fn a_hash_verifies_its_own_password_only() -> Result<()> {
        let hasher = hasher();
        let phc = hasher.hash(&"a long enough passphrase".into())?;
        assert!(phc.starts_with("$argon2id$v=19$m=256,t=1,p=1$"));
        assert_eq!(
            hasher.verify(&phc, &"a long enough passphrase".into())?,
            Verdict::Match { rehash: false }
        );
        assert_eq!(
            hasher.verify(&phc, &"a long enough passphrasE".into())?,
            Verdict::Mismatch
        );
        Ok(())
    }

    #[test]
    fn weaker_stored_parameters_ask_for_a_rehash() -> Result<()> {
        let phc = hasher().hash(&"a long enough passphrase".into())?;
        let stronger = Hasher::new(HashParams {
            memory_kib: 512,
            iterations: 1,
            lanes: 1,
        });
        assert_eq!(
            stronger.verify(&phc, &"a long enough passphrase".into())?,
            Verdict::Match { rehash: true }
        );
        Ok(())
    }

    #[test]
    fn absurd_stored_costs_are_refused_without_allocating() {
        let crafted = "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";
        assert!(matches!(
            hasher().verify(crafted, &"whatever".into()),
            Err(Error::Internal(_))
        ));
        assert_eq!(hasher().calls(), 0);
    }

    #[test]
    fn other_algorithms_fail_closed() {
        let argon2i =
            "$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";
        assert!(matches!(
            hasher().verify(argon2i, &"whatever".into()),
            Err(Error::Internal(_))
        ));
    }

    #[test]
    fn the_dummy_path_runs_one_real_verification() -> Result<()> {
        let hasher = hasher();
        hasher.dummy_hash()?;
        let before = hasher.calls();
        hasher.verify_dummy(&"anything at all".into())?;
        assert_eq!(hasher.calls() - before, 1);
        Ok(())
    }

    #[test]
    fn settings_round_trip_and_refuse_weak_values() -> Result<()> {
        let params = HashParams::new(64 * 1024, 3, 1)?;
        assert_eq!(HashParams::from_setting(&params.to_setting())?, params);
        assert!(HashParams::from_setting("1024,1,1").is_err());
        assert!(HashParams::from_setting("junk").is_err());
        Ok(())
    }

    #[test]
    fn temporary_passwords_are_long_and_distinct() -> Result<()> {
        let a = temporary_password()?;
        let b = temporary_password()?;
        assert_eq!(a.expose().len(), 23);
        assert_eq!(a.expose().matches('-').count(), 3);
        assert_ne!(a, b);
        Ok(())
    }
}
