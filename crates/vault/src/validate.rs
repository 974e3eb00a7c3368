//! Input rules for the fields people type: normalisation and limits, checked before any
//! work is done, so bad input is refused with a [`Error::Validation`] and changes nothing.

use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Invalid, Result};
use crate::secret::SecretString;

/// Longest email accepted, in bytes (RFC 5321's path limit).
pub const EMAIL_MAX_BYTES: usize = 254;
/// Longest display name, in characters.
pub const NAME_MAX_CHARS: usize = 200;
/// Longest team name, in characters.
pub const TEAM_MAX_CHARS: usize = 100;
/// Longest phone number, in characters.
pub const PHONE_MAX_CHARS: usize = 32;
/// Longest password, in bytes as typed; refused before any hashing.
pub const PASSWORD_MAX_BYTES: usize = 256;

/// NFKC only.
pub(crate) fn nfkc(text: &str) -> String {
    text.nfkc().collect()
}

/// NFKC, then lower case: the form used for comparing emails and names.
pub(crate) fn fold(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase()
}

/// A normalised email address; the key that makes `Alice@Example.com` and its
/// look-alikes one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Email(String);

impl Email {
    pub(crate) fn parse(raw: &str) -> Result<Self> {
        const FIELD: &str = "email";
        if raw.len() > EMAIL_MAX_BYTES {
            return Err(Error::invalid(FIELD, Invalid::TooLong(EMAIL_MAX_BYTES)));
        }
        let folded = fold(raw.trim());
        if folded.is_empty() {
            return Err(Error::invalid(FIELD, Invalid::Empty));
        }
        if folded.len() > EMAIL_MAX_BYTES {
            return Err(Error::invalid(FIELD, Invalid::TooLong(EMAIL_MAX_BYTES)));
        }
        if folded.chars().any(is_forbidden_in_text) {
            return Err(Error::invalid(FIELD, Invalid::ControlCharacter));
        }
        let well_formed = match folded.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !folded.chars().any(char::is_whitespace)
            }
            None => false,
        };
        if !well_formed {
            return Err(Error::invalid(FIELD, Invalid::Malformed));
        }
        Ok(Self(folded))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// A required single-line text field: trimmed, NFKC, no control characters.
/// `raw` as the vault keeps an email (see [`Email::parse`]), for hosts that check one.
///
/// Errors: `Validation` on `email`.
pub fn normalise_email(raw: &str) -> Result<String> {
    Email::parse(raw).map(|email| email.as_str().to_owned())
}

pub(crate) fn text(field: &'static str, raw: &str, max_chars: usize) -> Result<String> {
    if raw.len() > max_chars * 4 {
        return Err(Error::invalid(field, Invalid::TooLong(max_chars)));
    }
    let value: String = raw.trim().nfkc().collect();
    if value.is_empty() {
        return Err(Error::invalid(field, Invalid::Empty));
    }
    if value.chars().count() > max_chars {
        return Err(Error::invalid(field, Invalid::TooLong(max_chars)));
    }
    if value.chars().any(is_forbidden_in_text) {
        return Err(Error::invalid(field, Invalid::ControlCharacter));
    }
    Ok(value)
}

/// An optional text field: `None`, empty or blank all mean "not set".
pub(crate) fn optional_text(
    field: &'static str,
    raw: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>> {
    match raw {
        Some(raw) if !raw.trim().is_empty() => text(field, raw, max_chars).map(Some),
        _ => Ok(None),
    }
}

/// An optional phone number: digits with the usual separators and a leading `+`.
pub(crate) fn optional_phone(raw: Option<&str>) -> Result<Option<String>> {
    let Some(phone) = optional_text("phone", raw, PHONE_MAX_CHARS)? else {
        return Ok(None);
    };
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.');
    let body = phone.strip_prefix('+').unwrap_or(&phone);
    if body.is_empty() || !body.chars().all(allowed) || !body.chars().any(|c| c.is_ascii_digit()) {
        return Err(Error::invalid("phone", Invalid::Malformed));
    }
    Ok(Some(phone))
}

/// Control characters, and the invisible format characters (bidi overrides, zero-width
/// joiners at the edges) that make one name look like another.
fn is_forbidden_in_text(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{FEFF}')
}

/// The form of a password that is hashed and verified: NFKC, size-checked, no NUL.
pub(crate) fn normalise_password(field: &'static str, raw: &SecretString) -> Result<SecretString> {
    let typed = raw.expose();
    if typed.len() > PASSWORD_MAX_BYTES {
        return Err(Error::invalid(field, Invalid::TooLong(PASSWORD_MAX_BYTES)));
    }
    if typed.is_empty() {
        return Err(Error::invalid(field, Invalid::Empty));
    }
    if typed.contains('\0') {
        return Err(Error::invalid(field, Invalid::ControlCharacter));
    }
    Ok(SecretString::new(typed.nfkc().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(result: Result<impl Sized>) -> Option<Invalid> {
        match result {
            Err(Error::Validation { reason, .. }) => Some(reason),
            _ => None,
        }
    }

    #[test]
    fn email_case_and_compatibility_forms_fold_to_one_key() {
        let plain = Email::parse("alice@example.com").ok();
        assert_eq!(Email::parse("Alice@Example.COM").ok(), plain);
        // Fullwidth letters are NFKC look-alikes of ASCII ones.
        assert_eq!(Email::parse("ａｌｉｃｅ@example.com").ok(), plain);
        assert_eq!(Email::parse("  alice@example.com ").ok(), plain);
    }

    #[test]
    fn malformed_emails_are_refused() {
        for raw in [
            "alice",
            "@example.com",
            "alice@",
            "a@b@c",
            "al ice@example.com",
            "a@.com",
        ] {
            assert_eq!(reason(Email::parse(raw)), Some(Invalid::Malformed), "{raw}");
        }
        assert_eq!(reason(Email::parse("   ")), Some(Invalid::Empty));
        assert_eq!(
            reason(Email::parse("a\0b@example.com")),
            Some(Invalid::ControlCharacter)
        );
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            reason(Email::parse(&long)),
            Some(Invalid::TooLong(EMAIL_MAX_BYTES))
        );
    }

    #[test]
    fn names_are_trimmed_and_limited() {
        assert_eq!(
            text("display_name", "  Ada  ", 200).ok().as_deref(),
            Some("Ada")
        );
        assert_eq!(reason(text("display_name", "", 200)), Some(Invalid::Empty));
        let long = "가".repeat(201);
        assert_eq!(
            reason(text("display_name", &long, 200)),
            Some(Invalid::TooLong(200))
        );
        assert!(text("display_name", &"가".repeat(200), 200).is_ok());
        assert_eq!(
            reason(text("display_name", "Ada\u{202E}", 200)),
            Some(Invalid::ControlCharacter)
        );
        let huge = "x".repeat(5_000_000);
        assert_eq!(
            reason(text("display_name", &huge, 200)),
            Some(Invalid::TooLong(200))
        );
    }

    #[test]
    fn phone_numbers_keep_their_separators() {
        assert_eq!(
            optional_phone(Some("+82 10-1234-5678"))
                .ok()
                .flatten()
                .as_deref(),
            Some("+82 10-1234-5678")
        );
        assert_eq!(optional_phone(Some("  ")).ok(), Some(None));
        assert_eq!(
            reason(optional_phone(Some("call me"))),
            Some(Invalid::Malformed)
        );
    }

    #[test]
    fn passwords_are_nfkc_normalised() {
        let composed = normalise_password("password", &SecretString::from("ﬁ")).ok();
        assert_eq!(composed.as_ref().map(SecretString::expose), Some("fi"));
    }
}
