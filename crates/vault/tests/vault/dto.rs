//! Everything the vault hands out, serialized and searched for secrets.

use serde_json::Value;
use vault::{ListQuery, Role, require_admin};

use crate::{ADMIN_PASSWORD, fixture, settle};

/// Keys that would mean a secret is leaving the vault.
const FORBIDDEN: &[&str] = &["hash", "phc", "token", "secret", "salt", "password"];
/// The one deliberate exception: the one-time temporary password an admin hands over.
const ALLOWED: &[&str] = &["temporaryPassword", "mustChangePassword"];

fn walk(path: &str, value: &Value, leaks: &mut Vec<String>, secrets: &[String]) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let lower = key.to_lowercase();
                if FORBIDDEN.iter().any(|bad| lower.contains(bad))
                    && !ALLOWED.contains(&key.as_str())
                {
                    leaks.push(format!("{path}.{key}"));
                }
                walk(&format!("{path}.{key}"), inner, leaks, secrets);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| walk(&format!("{path}[]"), item, leaks, secrets)),
        Value::String(text)
            if text.contains("$argon2") || secrets.iter().any(|s| text.contains(s.as_str())) =>
        {
            leaks.push(format!("{path} = {text}"));
        }
        _ => {}
    }
}

#[test]
fn no_dto_carries_a_hash_a_token_or_a_secret() {
    let f = fixture();
    let mut dtos: Vec<(&str, Value)> = Vec::new();
    let mut json =
        |name, value: Result<Value, serde_json::Error>| dtos.push((name, value.unwrap()));

    json(
        "BootstrapStatus",
        serde_json::to_value(f.vault.bootstrap_status().unwrap()),
    );
    let f = f.with_admin();
    let token = f.store.load_stored();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let (id, temporary) = f.create("clerk@shop.example", Role::User, Some("tills"));
    json(
        "CurrentUser",
        serde_json::to_value(f.vault.current_user(&session).unwrap()),
    );
    json(
        "UserDto",
        serde_json::to_value(f.vault.get_account(&admin, id).unwrap()),
    );
    json(
        "ProfileDto",
        serde_json::to_value(f.vault.get_profile(&session, id).unwrap()),
    );
    json(
        "Page<UserDto>",
        serde_json::to_value(
            f.vault
                .list_accounts(&admin, &ListQuery::default())
                .unwrap(),
        ),
    );
    json(
        "Page<ProfileDto>",
        serde_json::to_value(
            f.vault
                .team_directory(&session, &ListQuery::default())
                .unwrap(),
        ),
    );
    json(
        "ErrorReply",
        serde_json::to_value(vault::Error::InvalidCredentials.reply()),
    );
    let created = f
        .vault
        .create_account(
            &admin,
            &vault::NewAccount {
                email: "another@shop.example".into(),
                display_name: "Another".into(),
                role: Role::User,
                team: None,
                phone: None,
            },
        )
        .unwrap();
    json("CreatedAccount", serde_json::to_value(&created));
    let clerk = f.other_instance();
    settle(
        &clerk,
        "clerk@shop.example",
        &temporary,
        "till roll and receipts",
    );

    let secrets = vec![
        token.clone(),
        token.split_once('.').unwrap().1.to_owned(),
        ADMIN_PASSWORD.to_owned(),
    ];
    let mut leaks = Vec::new();
    for (name, value) in &dtos {
        walk(name, value, &mut leaks, &secrets);
    }
    assert!(leaks.is_empty(), "secrets in DTOs: {leaks:?}");
    // The deliberate exception is exactly the issued temporary password.
    assert_eq!(
        dtos.last().unwrap().1["temporaryPassword"],
        created.temporary_password.expose()
    );
}

trait StoredToken {
    fn load_stored(&self) -> String;
}

impl StoredToken for vault::MemoryStore {
    fn load_stored(&self) -> String {
        let tokens = self.tokens();
        assert_eq!(tokens.len(), 1);
        tokens[0].to_stored().expose().to_owned()
    }
}
