//! Randomness from the operating system's CSPRNG, and the URL-safe encoding used for
//! tokens.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{Error, Result};

/// Fills `buf` from the OS CSPRNG. Failure is an internal error, never a weaker source.
pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::internal("os randomness", e))
}

/// URL-safe base64 without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}
