//! Emails, names, phone numbers, passwords, PINs, tokens, recovery codes and stored
//! parameters, as arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vault::fuzz::untrusted_text(data));
