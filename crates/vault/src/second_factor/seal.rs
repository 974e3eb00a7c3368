//! The TOTP secret at rest: sealed with XChaCha20-Poly1305 under a key derived from the
//! person's password with argon2id (its own salt, the vault's parameters at sealing
//! time), so a copied vault file without the password does not yield it. A random
//! 24-byte nonce per sealing; the account id and a version are bound in as associated
//! data, so a sealed secret moved to another account's row does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::db::second_factors::SealedRow;
use crate::error::{Error, Result};
use crate::model::UserId;
use crate::password::{HashParams, Hasher};
use crate::random;
use crate::secret::SecretString;

/// A secret as stored: ciphertext with its tag, nonce, key salt and key parameters.
#[derive(Debug, Clone)]
pub(crate) struct Sealed {
    pub(crate) ciphertext: Vec<u8>,
    pub(crate) nonce: [u8; 24],
    pub(crate) salt: [u8; 16],
    pub(crate) params: HashParams,
}

impl Sealed {
    /// The row to store.
    pub(crate) fn to_row(&self) -> SealedRow {
        SealedRow {
            ciphertext: self.ciphertext.clone(),
            nonce: self.nonce.to_vec(),
            salt: self.salt.to_vec(),
            key_params: self.params.to_setting(),
        }
    }

    /// Reads a stored row; a damaged one is an internal error (fails closed).
    pub(crate) fn from_row(row: SealedRow) -> Result<Self> {
        let damaged = || Error::Internal("a stored second factor is damaged".into());
        Ok(Self {
            ciphertext: row.ciphertext,
            nonce: row.nonce.try_into().map_err(|_| damaged())?,
            salt: row.salt.try_into().map_err(|_| damaged())?,
            params: HashParams::from_stored_key_params(&row.key_params)?,
        })
    }
}

fn associated_data(user: UserId) -> Vec<u8> {
    format!("latchkey totp v1 account {}", user.0).into_bytes()
}

/// Seals `secret` for `user` under a key from `password`, at the hasher's parameters.
///
/// Errors: `Busy` when no hashing slot is free.
pub(crate) fn seal(
    hasher: &Hasher,
    password: &SecretString,
    user: UserId,
    secret: &[u8],
) -> Result<Sealed> {
    let mut salt = [0_u8; 16];
    let mut nonce = [0_u8; 24];
    random::fill(&mut salt)?;
    random::fill(&mut nonce)?;
    let params = hasher.params();
    let key = hasher.derive_key(password, &salt, params)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let payload = Payload {
        msg: secret,
        aad: &associated_data(user),
    };
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), payload)
        .map_err(|_| Error::Internal("sealing the second factor failed".into()))?;
    Ok(Sealed {
        ciphertext,
        nonce,
        salt,
        params,
    })
}

/// Opens a sealed secret with `password`; `None` when the password (or the account) is
/// not the one it was sealed for, or the stored bytes were altered.
///
/// Errors: `Busy` when no hashing slot is free.
pub(crate) fn open(
    hasher: &Hasher,
    password: &SecretString,
    user: UserId,
    sealed: &Sealed,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let key = hasher.derive_key(password, &sealed.salt, sealed.params)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let payload = Payload {
        msg: &sealed.ciphertext,
        aad: &associated_data(user),
    };
    Ok(cipher
        .decrypt(XNonce::from_slice(&sealed.nonce), payload)
        .ok()
        .map(Zeroizing::new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_password_and_account() -> Result<()> {
        let hasher = Hasher::new(HashParams::insecure_for_tests());
        let secret = b"twenty bytes secret!";
        let password = SecretString::from("harbour lights at dusk");
        let sealed = seal(&hasher, &password, UserId(7), secret)?;
        assert_ne!(&sealed.ciphertext[..secret.len()], secret.as_slice());
        let opened = open(&hasher, &password, UserId(7), &sealed)?;
        assert_eq!(
            opened.as_deref().map(Vec::as_slice),
            Some(secret.as_slice())
        );
        assert!(
            open(
                &hasher,
                &"harbour lights at dawn".into(),
                UserId(7),
                &sealed
            )?
            .is_none()
        );
        assert!(open(&hasher, &password, UserId(8), &sealed)?.is_none());
        let mut altered = sealed.clone();
        altered.ciphertext[0] ^= 1;
        assert!(open(&hasher, &password, UserId(7), &altered)?.is_none());
        // A new nonce and salt every time.
        let again = seal(&hasher, &password, UserId(7), secret)?;
        assert_ne!(again.nonce, sealed.nonce);
        assert_ne!(again.salt, sealed.salt);
        Ok(())
    }
}
