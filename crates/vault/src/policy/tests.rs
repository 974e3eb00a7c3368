//! The password policy against the breached list, zxcvbn and personal words.

use super::*;

fn strength(password: &str) -> PasswordStrength {
    estimate(
        &password.into(),
        PasswordContext {
            email: "mina.park@clinic.example",
            display_name: "Mina Park",
            has_second_factor: false,
            ..PasswordContext::default()
        },
    )
}

#[test]
fn the_list_holds_over_a_hundred_thousand_passwords() {
    assert!(breached_list_len() > 100_000, "{}", breached_list_len());
}

#[test]
fn every_password_of_the_source_list_is_found() {
    use std::io::BufRead;
    let file = std::fs::File::open(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/breached-passwords.txt.gz"
    ))
    .unwrap();
    let mut lines = 0;
    for line in std::io::BufReader::new(flate2::read::GzDecoder::new(file)).lines() {
        let line = line.unwrap();
        assert!(is_breached(&line), "{line}");
        lines += 1;
    }
    // A few lines share a fingerprint; the table keeps each fingerprint once.
    assert!(lines - breached_list_len() < 20, "{lines} lines");
    let total = &BREACHED[COUNTS_AT - 4..COUNTS_AT];
    let total = u32::from_le_bytes([total[0], total[1], total[2], total[3]]);
    assert_eq!(total as usize, breached_list_len());
}

#[test]
fn the_count_that_applies_is_the_listed_passwords_of_at_least_the_minimum_length() {
    use std::io::BufRead;
    let file = std::fs::File::open(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/breached-passwords.txt.gz"
    ))
    .unwrap();
    let lengths: Vec<usize> = std::io::BufReader::new(flate2::read::GzDecoder::new(file))
        .lines()
        .map(|line| line.unwrap().chars().count())
        .collect();
    for min in [0, 8, 15, 64, 200] {
        let expected = lengths.iter().filter(|&&n| n >= min.min(64)).count();
        assert_eq!(breached_list_len_at_least(min), expected, "at least {min}");
    }
    let only_factor = breached_list_len_at_least(PasswordPolicy::min_chars(false));
    assert!(only_factor < breached_list_len() / 10, "{only_factor}");
}

#[test]
fn unlisted_passwords_rarely_match_by_chance() {
    // 197,544 fingerprints in 2^32: about one chance match in 21,700 passwords.
    let matches = (0..20_000)
        .filter(|i| is_breached(&format!("unlisted passphrase number {i}")))
        .count();
    assert!(matches <= 5, "{matches} chance matches in 20,000");
}

#[test]
fn common_breached_passwords_are_found_in_any_case() {
    for password in [
        "password123",
        "iloveyou",
        "Qwertyuiop",
        "PASSWORD1",
        "baseball",
    ] {
        assert!(is_breached(password), "{password}");
    }
    assert!(!is_breached("vellum kettle orbit lantern"));
}

#[test]
fn long_breached_passwords_are_refused() {
    // On the list and long enough for the length rule.
    let report = strength("qwertyuiopasdfghjkl");
    assert!(report.long_enough);
    assert!(report.breached, "{report:?}");
    assert!(!report.acceptable);
}

#[test]
fn personal_words_are_refused() {
    assert!(strength("mina.park rides the night bus").contains_personal_info);
    assert!(strength("the latchkey of the front desk").contains_personal_info);
    assert!(strength("MINA PARK loves long walks").contains_personal_info);
    assert!(!strength("orbit vellum kettle lantern").contains_personal_info);
}

#[test]
fn weak_but_long_passwords_are_refused_with_feedback() {
    let report = strength("aaaaaaaaaaaaaaaaaaaa");
    assert!(report.score < MIN_SCORE);
    assert!(report.warning.is_some() || !report.suggestions.is_empty());
    assert!(!report.acceptable);
}

#[test]
fn a_few_unrelated_words_are_accepted() {
    let report = strength("orbit vellum kettle lantern");
    assert!(report.acceptable, "{report:?}");
    assert!(
        check(
            "password",
            &"orbit vellum kettle lantern".into(),
            PasswordContext::default()
        )
        .is_ok()
    );
}

#[test]
fn the_refusal_names_the_first_rule_broken() {
    let reason = |p: &str| match check(
        "password",
        &p.into(),
        PasswordContext {
            email: "mina@x.example",
            display_name: "Mina",
            has_second_factor: false,
            ..PasswordContext::default()
        },
    ) {
        Err(Error::Validation { reason, .. }) => Some(reason),
        _ => None,
    };
    assert_eq!(reason("short"), Some(crate::error::Invalid::TooShort(15)));
    assert_eq!(
        reason("qwertyuiopasdfghjkl"),
        Some(crate::error::Invalid::Breached)
    );
    assert_eq!(
        reason("latchkey for the front desk"),
        Some(crate::error::Invalid::PersonalInfo)
    );
    assert_eq!(
        reason("abcabcabcabcabcabc"),
        Some(crate::error::Invalid::TooWeak)
    );
    assert_eq!(
        reason(&"x".repeat(300)),
        Some(crate::error::Invalid::TooLong(256))
    );
}

#[test]
fn the_minimum_length_drops_to_eight_with_a_second_factor() {
    assert_eq!(PasswordPolicy::min_chars(false), 15);
    assert_eq!(PasswordPolicy::min_chars(true), 8);
}

fn reason(result: Result<impl Sized>) -> Option<crate::error::Invalid> {
    match result {
        Err(crate::error::Error::Validation { reason, .. }) => Some(reason),
        _ => None,
    }
}

#[test]
fn password_rules_check_size_before_anything_else() {
    let huge = SecretString::new("x".repeat(1 << 20));
    assert_eq!(
        reason(new_password("password", &huge, 15)),
        Some(crate::error::Invalid::TooLong(256))
    );
    let short = SecretString::from("fourteen chars");
    assert_eq!(
        reason(new_password("password", &short, 15)),
        Some(crate::error::Invalid::TooShort(15))
    );
    let nul = SecretString::from("a perfectly long\0password");
    assert_eq!(
        reason(new_password("password", &nul, 15)),
        Some(crate::error::Invalid::ControlCharacter)
    );
    assert!(new_password("password", &SecretString::from("fifteen chars!!"), 15).is_ok());
    // Spaces count and are kept; 257 bytes is one too many.
    assert!(new_password("password", &SecretString::new(" ".repeat(256)), 15).is_ok());
    let over = SecretString::new("é".repeat(128) + "a");
    assert_eq!(
        reason(new_password("password", &over, 15)),
        Some(crate::error::Invalid::TooLong(256))
    );
}

#[test]
fn a_second_factor_allows_eight_characters_and_no_fewer() {
    let context = |has_second_factor| PasswordContext {
        email: "mina@x.example",
        display_name: "Mina",
        has_second_factor,
        ..PasswordContext::default()
    };
    let eight = SecretString::from("qv7#Lz2!");
    assert_eq!(
        reason(new_password("password", &eight, 15)),
        Some(crate::error::Invalid::TooShort(15))
    );
    assert!(new_password("password", &eight, 8).is_ok());
    assert_eq!(
        reason(new_password("password", &"qv7#Lz2".into(), 8)),
        Some(crate::error::Invalid::TooShort(8))
    );
    assert!(!estimate(&eight, context(false)).long_enough);
    assert!(estimate(&eight, context(true)).long_enough);
    // The other rules still apply at the shorter length.
    assert!(matches!(
        check("password", &"password".into(), context(true)),
        Err(Error::Validation {
            reason: crate::error::Invalid::Breached,
            ..
        })
    ));
}

#[test]
fn an_admin_minimum_lengthens_the_rule_for_passwords_alone() {
    let context = |has_second_factor| PasswordContext {
        email: "mina@x.example",
        display_name: "Mina",
        has_second_factor,
        min_chars: 20,
    };
    let seventeen = SecretString::from("orbit vellum keel");
    let alone = estimate(&seventeen, context(false));
    assert_eq!((alone.min_chars, alone.long_enough), (20, false));
    assert!(matches!(
        check("password", &seventeen, context(false)),
        Err(Error::Validation {
            reason: crate::error::Invalid::TooShort(20),
            ..
        })
    ));
    // A second factor keeps the eight-character rule.
    let with_factor = estimate(&seventeen, context(true));
    assert_eq!((with_factor.min_chars, with_factor.long_enough), (8, true));
    // A context asking for less than 15 still gets 15.
    let lax = PasswordContext {
        min_chars: 4,
        ..PasswordContext::default()
    };
    assert_eq!(lax.required_chars(), 15);
}
