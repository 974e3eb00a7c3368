//! The [`Hasher`]: hashing and verifying at the current parameters, the dummy hash for
//! unknown emails, and the slots that bound how many computations run at once.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Params, Version};

use crate::error::{Error, Result};
use crate::random;
use crate::secret::SecretString;
use crate::slots::HashSlots;

use super::HashParams;

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
        self.hash_at(password, self.params)
    }

    /// A PHC string for a random temporary password issued in bulk: at the floor
    /// ([`HashParams::MINIMUM`]) rather than the calibrated cost, or at the current
    /// parameters when they are cheaper (tests). A ~99-bit random secret needs no
    /// more to resist guessing, and its person replaces it at first sign-in, when the
    /// new password gets the full cost. `Busy` as for [`Self::hash`].
    pub(crate) fn hash_temporary(&self, password: &SecretString) -> Result<String> {
        let floor = HashParams::MINIMUM;
        let params = if self.params.weaker_than(&floor) {
            self.params
        } else {
            floor
        };
        self.hash_at(password, params)
    }

    fn hash_at(&self, password: &SecretString, params: HashParams) -> Result<String> {
        let mut salt = [0_u8; 16];
        random::fill(&mut salt)?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| Error::internal("salt", e))?;
        let _slot = self.slots.acquire()?;
        self.calls.fetch_add(1, Ordering::Relaxed);
        let phc = params
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

    /// A 256-bit key derived from `password` with argon2id at `params` and `salt`, for
    /// sealing a secret that only the password should open. It takes a hashing slot like
    /// any other computation. Errors: `Busy` as for [`Self::hash`].
    pub(crate) fn derive_key(
        &self,
        password: &SecretString,
        salt: &[u8],
        params: HashParams,
    ) -> Result<zeroize::Zeroizing<[u8; 32]>> {
        if !params.within_caps() {
            return Err(Error::Internal(format!(
                "key parameters above caps: {params:?}"
            )));
        }
        let mut key = zeroize::Zeroizing::new([0_u8; 32]);
        let _slot = self.slots.acquire()?;
        self.calls.fetch_add(1, Ordering::Relaxed);
        params
            .argon2()?
            .hash_password_into(password.expose().as_bytes(), salt, key.as_mut())
            .map_err(|e| Error::internal("argon2 key", e))?;
        Ok(key)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> Hasher {
        Hasher::new(HashParams::insecure_for_tests())
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
}
