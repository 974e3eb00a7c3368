//! Password hashing with argon2id, stored as PHC strings.
//!
//! The cost parameters travel inside each PHC string, so raising them later needs no
//! migration: a sign-in that verifies against weaker parameters rehashes on the spot.
//! Parameters read from the file are capped, because a crafted row must not make the
//! vault allocate gigabytes. Unknown emails are verified against a dummy hash made with
//! the current parameters, so they cost the same work as a wrong password.

use argon2::password_hash::PasswordHash;
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};
use crate::random;
use crate::secret::SecretString;

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
    #[allow(
        clippy::disallowed_methods,
        reason = "a stopwatch for the machine's speed, not a deadline of any rule"
    )]
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

    /// Reads parameters stored beside a sealed secret: within the caps, but not held to
    /// the floor, since they are whatever the vault used when it sealed (tests seal with
    /// cheap ones). A crafted value can only fail to open the secret.
    pub(crate) fn from_stored_key_params(text: &str) -> Result<Self> {
        let parts: Vec<u32> = text
            .split(',')
            .map(str::parse)
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::internal("stored key parameters", e))?;
        let params = match parts[..] {
            [memory_kib, iterations, lanes] if memory_kib > 0 && iterations > 0 && lanes > 0 => {
                Self {
                    memory_kib,
                    iterations,
                    lanes,
                }
            }
            _ => return Err(Error::Internal(format!("stored key parameters: {text}"))),
        };
        if !params.within_caps() {
            return Err(Error::Internal(format!("stored key parameters: {text}")));
        }
        Ok(params)
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

mod hasher;

pub(crate) use hasher::{Hasher, Verdict};

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

    #[test]
    fn parameters_below_the_floor_are_refused() {
        assert!(HashParams::new(19 * 1024, 2, 1).is_ok());
        assert!(HashParams::new(19 * 1024 - 1, 2, 1).is_err());
        assert!(HashParams::new(19 * 1024, 1, 1).is_err());
        assert!(HashParams::new(19 * 1024, 2, 0).is_err());
        assert!(HashParams::new(4 << 20, 2, 1).is_err());
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
