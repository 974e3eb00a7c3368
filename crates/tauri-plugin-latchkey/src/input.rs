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
    vault::parse_request(value)
}
