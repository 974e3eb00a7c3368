//! Time-based one-time codes (RFC 6238) as every authenticator app reads them: HMAC-SHA-1,
//! 6 digits, a 30-second step, a 160-bit secret. A code is accepted for the current step
//! and one step either side, and the caller learns which step matched, so that a step
//! once used can be refused (replay).

use totp_rs::{Algorithm, TOTP};
use zeroize::Zeroizing;

use crate::clock::Timestamp;
use crate::error::Result;
use crate::random;

/// Seconds per time step.
pub(crate) const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub(crate) const DIGITS: usize = 6;
/// Bytes of secret: 160 bits, as RFC 4226 recommends.
pub(crate) const SECRET_BYTES: usize = 20;
/// The name authenticator apps show beside the account.
const ISSUER: &str = "Latchkey";

/// A TOTP secret, wiped on drop.
pub(crate) struct TotpSecret(Zeroizing<Vec<u8>>);

impl TotpSecret {
    /// A new random secret.
    pub(crate) fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new(vec![0_u8; SECRET_BYTES]);
        random::fill(&mut bytes)?;
        Ok(Self(bytes))
    }

    pub(crate) fn from_bytes(bytes: Zeroizing<Vec<u8>>) -> Self {
        Self(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn totp(&self) -> TOTP {
        TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, 30, self.0.to_vec())
    }

    /// The secret as people type it into an app: base32 (RFC 4648) without padding.
    pub(crate) fn base32(&self) -> Zeroizing<String> {
        Zeroizing::new(self.totp().get_secret_base32())
    }

    /// The `otpauth://` URI that a QR code carries.
    pub(crate) fn uri(&self, email: &str) -> Zeroizing<String> {
        let label = format!("{ISSUER}:{email}");
        Zeroizing::new(format!(
            "otpauth://totp/{}?secret={}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            percent_encode(&label),
            self.base32().as_str(),
        ))
    }

    /// The code for the step that holds `at`.
    #[cfg(test)]
    pub(crate) fn code_at(&self, at: Timestamp) -> String {
        self.totp().generate(u64::try_from(at).unwrap_or(0))
    }

    /// The step (time ÷ 30 s) whose code `code` is, if it is the code of the step that
    /// holds `now` or of the step before or after. Compared in constant time.
    pub(crate) fn matching_step(&self, code: &str, now: Timestamp) -> Option<i64> {
        let totp = self.totp();
        let current = now.div_euclid(STEP_SECONDS);
        let mut found = None;
        // All three are computed whatever matches, so the time taken says nothing.
        for step in [current - 1, current, current + 1] {
            let at = u64::try_from(step * STEP_SECONDS).ok()?;
            if totp.check(code, at) && found.is_none() {
                found = Some(step);
            }
        }
        found
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for the URI's label.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B: the SHA-1 secret is the ASCII of "12345678901234567890", and
    /// the listed values are 8 digits; the 6-digit codes are their last six.
    #[test]
    fn the_rfc_6238_test_vectors_hold() {
        let secret = TotpSecret::from_bytes(Zeroizing::new(b"12345678901234567890".to_vec()));
        let eight = |at: u64| {
            TOTP::new_unchecked(Algorithm::SHA1, 8, 0, 30, secret.0.to_vec()).generate(at)
        };
        for (at, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(eight(at), expected, "at {at}");
            let six = &expected[2..];
            let at = i64::try_from(at).unwrap_or(i64::MAX);
            assert_eq!(secret.code_at(at), six);
            assert_eq!(secret.matching_step(six, at), Some(at / 30));
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = TotpSecret::from_bytes(Zeroizing::new(b"12345678901234567890".to_vec()));
        let now = 1_795_737_600;
        let code = secret.code_at(now);
        assert_eq!(secret.matching_step(&code, now), Some(now / 30));
        assert_eq!(secret.matching_step(&code, now + 30), Some(now / 30));
        assert_eq!(secret.matching_step(&code, now - 30), Some(now / 30));
        assert_eq!(secret.matching_step(&code, now + 60), None);
        assert_eq!(secret.matching_step(&code, now - 60), None);
        assert_eq!(secret.matching_step("000000", now), None);
        assert_eq!(secret.matching_step("", now), None);
    }

    #[test]
    fn the_uri_names_the_issuer_and_the_account() {
        let secret = TotpSecret::from_bytes(Zeroizing::new(vec![0xAB; SECRET_BYTES]));
        let uri = secret.uri("mina+desk@clinic.example");
        assert_eq!(
            uri.as_str(),
            format!(
                "otpauth://totp/Latchkey%3Amina%2Bdesk%40clinic.example?secret={}&issuer=Latchkey&algorithm=SHA1&digits=6&period=30",
                secret.base32().as_str()
            )
        );
        assert_eq!(secret.base32().len(), 32);
    }
}
