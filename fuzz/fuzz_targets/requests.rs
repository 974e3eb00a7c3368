//! Command requests as arbitrary JSON, read as each of the vault's request types.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vault::fuzz::requests(data));
