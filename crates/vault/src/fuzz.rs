//! Entry points for fuzzing the vault's parsers of untrusted input (`fuzz/`, `make fuzz`).
//! `make test` runs the checked-in corpus through the same functions as plain tests
//! (`tests/vault/fuzz_corpus.rs`). Each takes arbitrary bytes and must return without
//! panicking, whatever they are; what the parsers accept is tested elsewhere, so only
//! the invariants that must hold for every input are asserted here.

use crate::accounts::{AccountUpdate, AccountsCsv, ListQuery, Listing, NewAccount, ProfileUpdate};
use crate::error::{Error, Invalid};
use crate::lock::DeskSettingsUpdate;
use crate::model::audit::{AuditAnchor, AuditQuery};
use crate::password::HashParams;
use crate::pin::check_new_pin;
use crate::policy::{self, PasswordContext};
use crate::request::parse_request;
use crate::rules::SignInRules;
use crate::second_factor::{SecondFactorPolicy, recovery};
use crate::secret::SecretString;
use crate::session::SessionToken;
use crate::sign_in::FirstAdmin;
use crate::validate::{self, Email, NAME_MAX_CHARS, PHONE_MAX_CHARS};

/// Text typed by a person or read back from a store: emails, names, phone numbers,
/// passwords and PINs, tokens, recovery codes, stored parameters and anchors.
pub fn untrusted_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // An accounts CSV: every row either passes or is named; the lists stay bounded.
    if let Ok(parsed) = crate::accounts::parse_import(text) {
        assert!(parsed.problems.len() as u64 <= parsed.problem_count);
        assert!(parsed.problems.len() <= 200);
        assert!(parsed.rows.len() <= crate::accounts::IMPORT_MAX_ROWS);
        assert!(parsed.problems.windows(2).all(|w| w[0].line <= w[1].line));
    }
    if let Ok(email) = Email::parse(text) {
        // A parsed email parses again to itself.
        assert_eq!(
            Email::parse(email.as_str())
                .ok()
                .map(|e| e.as_str().to_owned()),
            Some(email.as_str().to_owned())
        );
    }
    if let Ok(name) = validate::text("displayName", text, NAME_MAX_CHARS) {
        assert!(name.chars().count() <= NAME_MAX_CHARS);
    }
    if let Ok(Some(phone)) = validate::optional_phone(Some(text)) {
        assert!(phone.chars().count() <= PHONE_MAX_CHARS);
    }
    let secret = SecretString::from(text);
    let _ = validate::normalise_password("password", &secret);
    let context = PasswordContext {
        email: "person@desk.example",
        display_name: "Person",
        has_second_factor: text.len() % 2 == 0,
        min_chars: 15 + text.len() % 3,
    };
    let _ = policy::estimate(&secret, context);
    if let Ok(new) = policy::new_password("password", &secret, context.required_chars()) {
        // The strength meter and the rule agree on what is acceptable.
        let strength = policy::estimate(&new.0, context);
        assert_eq!(
            policy::check("password", &new.0, context).is_ok(),
            strength.acceptable
        );
    }
    let _ = check_new_pin("pin", &secret);
    if let Some(token) = SessionToken::parse(text) {
        assert_eq!(token.to_stored().expose(), text);
    }
    if let Some(code) = recovery::normalise(text) {
        assert_eq!(
            recovery::normalise(&code).as_deref().map(String::as_str),
            Some(code.as_str())
        );
    }
    let _ = HashParams::from_setting(text);
    let _ = HashParams::from_stored_key_params(text);
    let _ = AuditAnchor::parse(text);
}

/// A command's request as JSON, read as each of the vault's request types through
/// [`parse_request`] (the parser the plugin's command arguments use), and the ones that
/// read checked as the vault checks them. A refusal is always a `Validation` error whose
/// message is made of the field and the reason alone, and the field names a place in
/// the request, not a value typed into it.
pub fn requests(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let keys = keys_of(&value);
    let refused = |result: Result<(), Error>| {
        let Err(error) = result else { return };
        let Error::Validation { field, reason } = &error else {
            panic!("a request was refused with {error:?}");
        };
        assert!(!field.is_empty());
        // The message is made of the field and the reason alone, and the field names a
        // place in the request, never a value typed into it: with no keys to name (a
        // bare value or a list), only the word `request`, indices, and for a missing
        // field the schema's name for it, last.
        let message = error.reply().message;
        let rebuilt = Error::invalid(field.to_string(), *reason).user_message();
        assert_eq!(message, rebuilt);
        if keys.is_empty() {
            let mut parts: Vec<&str> = field
                .split(['.', '[', ']'])
                .filter(|part| !part.is_empty())
                .collect();
            if *reason == Invalid::Missing {
                parts.pop();
            }
            for part in parts {
                assert!(
                    part == "request" || part == "?" || part.bytes().all(|b| b.is_ascii_digit()),
                    "{field:?} is not a place in the request"
                );
            }
        }
    };
    refused(parse_request::<FirstAdmin>(value.clone()).map(drop));
    refused(parse_request::<NewAccount>(value.clone()).map(drop));
    refused(parse_request::<ProfileUpdate>(value.clone()).map(drop));
    refused(parse_request::<AccountUpdate>(value.clone()).map(drop));
    refused(parse_request::<AuditQuery>(value.clone()).map(drop));
    refused(parse_request::<DeskSettingsUpdate>(value.clone()).map(drop));
    refused(parse_request::<SecondFactorPolicy>(value.clone()).map(drop));
    refused(parse_request::<SignInRules>(value.clone()).map(drop));
    refused(parse_request::<AccountsCsv>(value.clone()).map(drop));
    match parse_request::<ListQuery>(value) {
        Ok(query) => {
            let _ = Listing::parse(&query);
        }
        Err(error) => refused(Err(error)),
    }
}

/// Every key of every object in `value`, at any depth.
fn keys_of(value: &serde_json::Value) -> Vec<String> {
    fn walk(value: &serde_json::Value, keys: &mut Vec<String>) {
        match value {
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(item, keys);
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, item) in fields {
                    keys.push(key.clone());
                    walk(item, keys);
                }
            }
            _ => {}
        }
    }
    let mut keys = Vec::new();
    walk(value, &mut keys);
    keys
}
