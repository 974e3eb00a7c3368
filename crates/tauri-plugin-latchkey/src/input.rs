//! Command arguments that never fail to deserialize: a bad request becomes a typed
//! `Validation` error naming the field, returned by the command like any other error,
//! instead of Tauri's own untyped message.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, de};
use vault::{Error, Invalid};

/// The `request` argument of a command: the parsed value, or why it could not be parsed.
pub struct Input<T>(Result<T, Error>);

impl<T> Input<T> {
    /// The request, or the `Validation` error that describes what was wrong with it.
    pub fn parse(self) -> Result<T, Error> {
        self.0
    }
}

impl<T> fmt::Debug for Input<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Requests carry passwords: never print their contents.
        f.write_str(if self.0.is_ok() {
            "Input(<parsed>)"
        } else {
            "Input(<invalid>)"
        })
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Input<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `deserialize_option` lets a missing `request` key reach us as `None`.
        deserializer.deserialize_option(InputVisitor(PhantomData))
    }
}

struct InputVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for InputVisitor<T> {
    type Value = Input<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a request object")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Input(Err(Error::invalid("request", Invalid::Missing))))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Input(parse(value)))
    }
}

/// Parses `value` as `T`, naming the offending field when it does not fit.
pub fn parse<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
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
        match parse::<Sample>(value) {
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
