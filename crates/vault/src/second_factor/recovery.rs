//! Recovery codes: ten single-use codes of 16 characters from Crockford's base32 alphabet
//! (no I, L, O or U), shown as `XXXX-XXXX-XXXX-XXXX`: 80 random bits each.
//!
//! They are stored as HMAC-SHA-256 under a random key kept in the vault's settings, with
//! the account id mixed in. Why not argon2id, as for passwords: a password is chosen by
//! a person and guessable, so each guess must be expensive; a recovery code is 80 random
//! bits, so even a fast hash leaves 2^79 guesses on average to someone holding a copy of
//! the file. A slow hash would only make each sign-in with a code check up to ten argon2
//! hashes. The key (and the account id) make a stored digest useless in another vault or
//! for another account.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::model::UserId;
use crate::random;

/// Codes issued at a time.
pub(crate) const CODES: usize = 10;
/// Characters per code.
const CODE_CHARS: usize = 16;
/// Crockford's base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Ten new codes, formatted for people.
pub(crate) fn generate() -> Result<Vec<Zeroizing<String>>> {
    (0..CODES).map(|_| one()).collect()
}

fn one() -> Result<Zeroizing<String>> {
    // 16 characters × 5 bits = 80 bits, from 10 random bytes.
    let mut bytes = Zeroizing::new([0_u8; 10]);
    random::fill(bytes.as_mut())?;
    let mut bits: u128 = 0;
    for byte in bytes.iter() {
        bits = (bits << 8) | u128::from(*byte);
    }
    let mut code = Zeroizing::new(String::with_capacity(CODE_CHARS + 3));
    for index in 0..CODE_CHARS {
        if index > 0 && index % 4 == 0 {
            code.push('-');
        }
        let shift = 5 * (CODE_CHARS - 1 - index);
        let digit = usize::try_from((bits >> shift) & 31).unwrap_or(0);
        code.push(char::from(ALPHABET[digit]));
    }
    Ok(code)
}

/// The code as typed, in its canonical form: upper case, without dashes or spaces, with
/// the letters Crockford reads as digits (O as 0, I and L as 1). `None` unless it is 16
/// characters of the alphabet.
pub(crate) fn normalise(typed: &str) -> Option<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(CODE_CHARS));
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// The stored digest of a canonical code for `user` under the vault's `key`.
pub(crate) fn digest(key: &[u8], user: UserId, canonical: &str) -> Result<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|_| Error::Internal("recovery code key".into()))?;
    mac.update(&user.0.to_be_bytes());
    mac.update(canonical.as_bytes());
    Ok(mac.finalize().into_bytes().into())
}

/// A new random key for the digests.
pub(crate) fn new_key() -> Result<Zeroizing<[u8; 32]>> {
    let mut key = Zeroizing::new([0_u8; 32]);
    random::fill(key.as_mut())?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ten_distinct_groups_of_four_that_read_back() -> Result<()> {
        let codes = generate()?;
        assert_eq!(codes.len(), CODES);
        for code in &codes {
            assert_eq!(code.len(), 19);
            assert_eq!(code.matches('-').count(), 3);
            let canonical = normalise(code).expect("a generated code reads back");
            assert_eq!(canonical.len(), 16);
            assert_eq!(normalise(&code.to_lowercase()), Some(canonical.clone()));
            assert_eq!(normalise(&code.replace('-', " ")), Some(canonical));
        }
        let mut unique: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), CODES);
        Ok(())
    }

    #[test]
    fn look_alike_letters_are_read_as_digits_and_others_refused() {
        assert_eq!(
            normalise("oil0-1111-2222-3333")
                .as_deref()
                .map(String::as_str),
            Some("0110111122223333")
        );
        assert_eq!(normalise("UUUU-1111-2222-3333"), None);
        assert_eq!(normalise("1111-2222-3333"), None);
        assert_eq!(normalise("123456"), None);
    }

    #[test]
    fn a_digest_depends_on_the_key_and_the_account() -> Result<()> {
        let code = "0123456789ABCDEF";
        let a = digest(&[1; 32], UserId(1), code)?;
        assert_ne!(a, digest(&[2; 32], UserId(1), code)?);
        assert_ne!(a, digest(&[1; 32], UserId(2), code)?);
        assert_eq!(a, digest(&[1; 32], UserId(1), code)?);
        Ok(())
    }
}
