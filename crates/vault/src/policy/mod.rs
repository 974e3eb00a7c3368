//! The password policy: which new passwords are accepted, and the strength estimate the
//! UI shows while one is typed.
//!
//! A new password must have at least [`PasswordPolicy::min_chars`] characters after
//! NFKC (15 while the password is the only factor), at most 256 bytes as typed, must not
//! be on the offline list of breached passwords, must not contain the person's email
//! name, display name or the product's name, and must score at least 3 of 4 on zxcvbn.
//! There are no composition rules and no forced rotation.

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Invalid, Result};
use crate::secret::SecretString;
use crate::validate::{self, PASSWORD_MAX_BYTES};

/// The breached-password list as `build.rs` compiles it from
/// `data/breached-passwords.txt.gz`: 32-bit fingerprints (the first four bytes of
/// SHA-256) in 65,536 buckets by their top 16 bits. The layout is described in `build.rs`.
static BREACHED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/breached.bin"));
const BUCKETS: usize = 1 << 16;
const BUCKETS_PER_BLOCK: usize = 256;
/// Where the bucket counts start: after one u32 per block of buckets and the total.
const COUNTS_AT: usize = (BUCKETS / BUCKETS_PER_BLOCK + 1) * 4;
/// Where the entries (low 16 bits of each fingerprint) start.
const ENTRIES_AT: usize = COUNTS_AT + BUCKETS;

/// The product's own name, which no password may contain.
const PRODUCT_NAME: &str = "latchkey";
/// The lowest zxcvbn score accepted (of 0 to 4).
pub const MIN_SCORE: u8 = 3;
/// zxcvbn looks at this many characters at most: its cost grows quickly with length, and
/// a password whose first 100 characters are weak is not saved by the rest.
const ESTIMATE_MAX_CHARS: usize = 100;

/// The password rules in one place.
#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy;

impl PasswordPolicy {
    /// The minimum length in characters: 15 when the password is the only factor, 8 once
    /// the account has a second factor (NIST SP 800-63B rev 4).
    pub const fn min_chars(has_second_factor: bool) -> usize {
        if has_second_factor { 8 } else { 15 }
    }
}

/// Shortest password, in characters after normalisation, while the password is the only
/// factor (see [`PasswordPolicy::min_chars`]).
pub const PASSWORD_MIN_CHARS: usize = PasswordPolicy::min_chars(false);

/// A password checked against the length rules and NFKC-normalised, ready to hash.
pub(crate) struct NewPassword(pub(crate) SecretString);

/// Checks a password before it is hashed: size first (so a megabyte costs nothing),
/// then NUL bytes, then the minimum length after NFKC (`min` characters, from
/// [`PasswordContext::required_chars`]). No composition rules.
pub(crate) fn new_password(
    field: &'static str,
    raw: &SecretString,
    min: usize,
) -> Result<NewPassword> {
    let normalised = validate::normalise_password(field, raw)?;
    if normalised.expose().chars().count() < min {
        return Err(Error::invalid(field, Invalid::TooShort(min)));
    }
    Ok(NewPassword(normalised))
}

/// How many passwords the breached list holds.
pub fn breached_list_len() -> usize {
    (BREACHED.len() - ENTRIES_AT) / 2
}

// Listed passwords per length in characters, from `build.rs`; the last slot is 64 and up.
include!(concat!(env!("OUT_DIR"), "/breached_lengths.rs"));

/// How many listed passwords have at least `min_chars` characters: the ones the list can
/// still refuse when shorter passwords are refused anyway. Far fewer than
/// [`breached_list_len`] at the 15-character minimum, since most breached passwords are
/// short.
pub fn breached_list_len_at_least(min_chars: usize) -> usize {
    let from = min_chars.min(BREACHED_BY_LENGTH.len() - 1);
    BREACHED_BY_LENGTH[from..]
        .iter()
        .map(|&count| count as usize)
        .sum()
}

/// Whether `password` (in any case) is on the breached-password list.
pub fn is_breached(password: &str) -> bool {
    let folded = validate::fold(password);
    let digest = Sha256::digest(folded.as_bytes());
    let bucket = usize::from(u16::from_be_bytes([digest[0], digest[1]]));
    let wanted = [digest[3], digest[2]];
    let block = bucket / BUCKETS_PER_BLOCK;
    let at = block * 4;
    let block_start = u32::from_le_bytes([
        BREACHED[at],
        BREACHED[at + 1],
        BREACHED[at + 2],
        BREACHED[at + 3],
    ]) as usize;
    let counts = &BREACHED[COUNTS_AT..ENTRIES_AT];
    let start = block_start
        + counts[block * BUCKETS_PER_BLOCK..bucket]
            .iter()
            .map(|&c| usize::from(c))
            .sum::<usize>();
    let end = start + usize::from(counts[bucket]);
    // A bucket holds three entries on average; a scan beats a search.
    BREACHED[ENTRIES_AT + start * 2..ENTRIES_AT + end * 2]
        .chunks_exact(2)
        .any(|entry| entry == wanted)
}

/// Who the password is for (words it must not contain) and how long it must be.
#[derive(Debug, Clone, Copy)]
pub struct PasswordContext<'a> {
    /// The account's email.
    pub email: &'a str,
    /// The account's display name.
    pub display_name: &'a str,
    /// Whether the account has a second factor, which allows a shorter password
    /// ([`PasswordPolicy::min_chars`]).
    pub has_second_factor: bool,
    /// The shortest password while it is the only factor: 15 unless an admin chose
    /// more ([`crate::SignInRules`]).
    pub min_chars: usize,
}

impl Default for PasswordContext<'_> {
    fn default() -> Self {
        Self {
            email: "",
            display_name: "",
            has_second_factor: false,
            min_chars: PASSWORD_MIN_CHARS,
        }
    }
}

impl PasswordContext<'_> {
    /// The shortest password this account may choose: 8 with a second factor, the
    /// minimum in force without one.
    pub fn required_chars(&self) -> usize {
        if self.has_second_factor {
            PasswordPolicy::min_chars(true)
        } else {
            self.min_chars.max(PASSWORD_MIN_CHARS)
        }
    }

    /// The folded words a password must not contain: the email's local part, the display
    /// name and its longer words, and the product name.
    fn words(&self) -> Vec<String> {
        let mut words = vec![PRODUCT_NAME.to_owned()];
        let email = validate::fold(self.email.trim());
        if let Some(local) = email
            .split('@')
            .next()
            .filter(|local| local.chars().count() >= 3)
        {
            words.push(local.to_owned());
        }
        let name = validate::fold(self.display_name.trim());
        if name.chars().count() >= 3 {
            words.push(name.clone());
        }
        words.extend(
            name.split_whitespace()
                .filter(|word| word.chars().count() >= 4)
                .map(str::to_owned),
        );
        words.sort();
        words.dedup();
        words
    }
}

/// What the strength meter shows for a password being typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PasswordStrength {
    /// zxcvbn's score, 0 (too guessable) to 4 (very unguessable).
    pub score: u8,
    /// The shortest password the rules allow here, in characters.
    pub min_chars: usize,
    /// Long enough for the current rule.
    pub long_enough: bool,
    /// Within the byte limit.
    pub short_enough: bool,
    /// On the breached-password list.
    pub breached: bool,
    /// Contains the email name, the display name or the product name.
    pub contains_personal_info: bool,
    /// zxcvbn's warning, as a key the UI translates (for example `AWordByItselfIsEasyToGuess`).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// zxcvbn's suggestions, as keys the UI translates.
    pub suggestions: Vec<String>,
    /// Every rule is met: the password would be accepted.
    pub acceptable: bool,
}

/// Estimates `password` against every rule, for the meter; never fails.
pub fn estimate(password: &SecretString, context: PasswordContext<'_>) -> PasswordStrength {
    let typed = password.expose();
    let short_enough = typed.len() <= PASSWORD_MAX_BYTES;
    if !short_enough {
        // Refused whatever else is true: do no normalisation or estimation work on a
        // possibly huge input (this runs on every keystroke, signed in or not).
        return PasswordStrength {
            score: 0,
            min_chars: context.required_chars(),
            long_enough: true,
            short_enough,
            breached: false,
            contains_personal_info: false,
            warning: None,
            suggestions: Vec::new(),
            acceptable: false,
        };
    }
    let normalised = validate::nfkc(typed);
    let chars = normalised.chars().count();
    let long_enough = chars >= context.required_chars();
    let breached = is_breached(&normalised);
    let folded = validate::fold(&normalised);
    let contains_personal_info = context
        .words()
        .iter()
        .any(|word| folded.contains(word.as_str()));
    let head: String = normalised.chars().take(ESTIMATE_MAX_CHARS).collect();
    let words = context.words();
    let inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    let entropy = zxcvbn::zxcvbn(&head, &inputs);
    let score = u8::from(entropy.score());
    let (warning, suggestions) = match entropy.feedback() {
        Some(feedback) => (
            feedback.warning().map(|w| format!("{w:?}")),
            feedback
                .suggestions()
                .iter()
                .map(|s| format!("{s:?}"))
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    let acceptable =
        long_enough && short_enough && !breached && !contains_personal_info && score >= MIN_SCORE;
    PasswordStrength {
        score,
        min_chars: context.required_chars(),
        long_enough,
        short_enough,
        breached,
        contains_personal_info,
        warning,
        suggestions,
        acceptable,
    }
}

/// Checks a new password against every rule; `field` names it in the error.
pub(crate) fn check(
    field: &'static str,
    password: &SecretString,
    context: PasswordContext<'_>,
) -> Result<()> {
    let strength = estimate(password, context);
    let reason = if !strength.short_enough {
        Invalid::TooLong(PASSWORD_MAX_BYTES)
    } else if !strength.long_enough {
        Invalid::TooShort(context.required_chars())
    } else if strength.breached {
        Invalid::Breached
    } else if strength.contains_personal_info {
        Invalid::PersonalInfo
    } else if strength.score < MIN_SCORE {
        Invalid::TooWeak
    } else {
        return Ok(());
    };
    Err(Error::invalid(field, reason))
}

#[cfg(test)]
mod tests;
