//! The session token: `id.secret`, generated, parsed, and compared in constant time.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::Result;
use crate::random;
use crate::secret::SecretString;

/// The bearer token of one session, `id.secret`. Prints as `<redacted>`; wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken {
    id: String,
    secret: SecretString,
}

impl SessionToken {
    pub(crate) fn generate() -> Result<Self> {
        let mut id = [0_u8; 16];
        let mut secret = [0_u8; 16];
        random::fill(&mut id)?;
        random::fill(&mut secret)?;
        let token = Self {
            id: random::encode(&id),
            secret: SecretString::new(random::encode(&secret)),
        };
        zeroize::Zeroize::zeroize(&mut secret);
        Ok(token)
    }

    /// Reads a token in its stored form. Anything else (wrong shape, wrong length,
    /// characters outside URL-safe base64) is `None`: a damaged keyring entry is treated
    /// as no session.
    pub fn parse(text: &str) -> Option<Self> {
        let (id, secret) = text.split_once('.')?;
        let part_ok = |part: &str| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        (part_ok(id) && part_ok(secret)).then(|| Self {
            id: id.to_owned(),
            secret: SecretString::from(secret),
        })
    }

    /// The token in its stored form, for a [`SessionStore`] only.
    pub fn to_stored(&self) -> SecretString {
        SecretString::new(format!("{}.{}", self.id, self.secret.expose()))
    }

    /// The public half: the session's row id, and the name of its entry in a store.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn secret_hash(&self) -> [u8; 32] {
        Sha256::digest(self.secret.expose().as_bytes()).into()
    }

    /// Constant-time comparison of this token's secret with a stored hash.
    pub(crate) fn matches(&self, stored_hash: &[u8]) -> bool {
        bool::from(self.secret_hash().as_slice().ct_eq(stored_hash))
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_round_trip_through_their_stored_form() -> Result<()> {
        let token = SessionToken::generate()?;
        let stored = token.to_stored();
        assert_eq!(stored.expose().len(), 45);
        assert_eq!(SessionToken::parse(stored.expose()), Some(token.clone()));
        assert_ne!(SessionToken::generate()?, token);
        Ok(())
    }

    #[test]
    fn damaged_tokens_parse_as_none() {
        for text in [
            "",
            ".",
            "abc",
            "a.b",
            &format!("{}.{}", "a".repeat(22), "b".repeat(21)),
            &format!("{}.{}", "a".repeat(22), "b/".repeat(11)),
        ] {
            assert!(SessionToken::parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn token_debug_output_is_redacted() -> Result<()> {
        let token = SessionToken::generate()?;
        let printed = format!("{token:?}");
        assert!(!printed.contains(token.id()));
        Ok(())
    }

    #[test]
    fn secret_comparison_needs_the_exact_secret() -> Result<()> {
        let token = SessionToken::generate()?;
        let other = SessionToken::generate()?;
        assert!(token.matches(&token.secret_hash()));
        assert!(!token.matches(&other.secret_hash()));
        assert!(!token.matches(&[]));
        Ok(())
    }
}
