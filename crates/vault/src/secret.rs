//! Types for secrets: they print as `<redacted>`, are wiped from memory on drop, and
//! cannot be serialized.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// A password or other secret text, as typed. Wiped on drop; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps `text`, taking ownership so no unwiped copy is left behind by this call.
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The secret text. Keep the borrow short and never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for SecretString {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_is_redacted() {
        let secret = SecretString::from("correct horse battery staple");
        assert_eq!(format!("{secret:?}"), "<redacted>");
    }
}
