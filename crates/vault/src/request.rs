//! Requests from the UI, parsed field by field: a value that does not fit its type
//! becomes a typed `Validation` error that names the field (`email`, `limit`,
//! `request` for the whole), never serde's message, which can quote the input.
//!
//! The plugin's command arguments parse through [`parse_request`], and so does the
//! fuzzing target that feeds every request type arbitrary JSON.

use serde::de::DeserializeOwned;

use crate::error::{Error, Invalid};

/// Parses `value` as `T`, naming the offending field when it does not fit.
pub fn parse_request<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = inner.to_string();
        let (field, reason) = if let Some(name) = quoted_after(&message, "missing field ") {
            (join(&path, &name), Invalid::Missing)
        } else if quoted_after(&message, "unknown field ").is_some() {
            // For an unknown field the path already ends at the field itself.
            (field_or_request(&path), Invalid::Unexpected)
        } else if message.starts_with("invalid type") {
            (field_or_request(&path), Invalid::WrongType)
        } else {
            (field_or_request(&path), Invalid::Malformed)
        };
        Error::invalid(field, reason)
    })
}

/// The name between backticks after `prefix` in a serde message ("missing field `email`").
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name.to_owned())
}

fn join(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn field_or_request(path: &str) -> String {
    if path == "." || path.is_empty() {
        "request".to_owned()
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code, reason = "only deserialized")]
    struct Sample {
        email: String,
        display_name: String,
        limit: Option<u32>,
    }

    fn error_of(value: serde_json::Value) -> (String, Invalid) {
        match parse_request::<Sample>(value) {
            Err(Error::Validation { field, reason }) => (field.into_owned(), reason),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn each_kind_of_bad_request_names_its_field() {
        assert_eq!(
            error_of(json!({"displayName": "A"})),
            ("email".into(), Invalid::Missing)
        );
        assert_eq!(
            error_of(json!({"email": 5, "displayName": "A"})),
            ("email".into(), Invalid::WrongType)
        );
        assert_eq!(
            error_of(json!({"email": "a", "displayName": ["A"]})),
            ("displayName".into(), Invalid::WrongType)
        );
        assert_eq!(
            error_of(json!({"email": "a", "displayName": "A", "limit": -1})),
            ("limit".into(), Invalid::Malformed)
        );
        assert_eq!(
            error_of(json!({"email": "a", "displayName": "A", "role": "admin"})),
            ("role".into(), Invalid::Unexpected)
        );
        assert_eq!(
            error_of(json!("just text")),
            ("request".into(), Invalid::WrongType)
        );
        assert_eq!(
            error_of(json!(null)),
            ("request".into(), Invalid::WrongType)
        );
    }
}
