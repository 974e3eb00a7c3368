//! Compiles the breached-password list (`data/breached-passwords.txt.gz`) into a sorted
//! table of 32-bit fingerprints, so the app ships it inside the binary and looks a
//! password up with a binary search, with nothing to load at run time.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use sha2::{Digest, Sha256};

fn main() -> std::io::Result<()> {
    let source = PathBuf::from("data/breached-passwords.txt.gz");
    println!("cargo::rerun-if-changed={}", source.display());
    let reader = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&source)?));
    let mut fingerprints = Vec::new();
    for line in reader.lines() {
        let line = line?;
        let digest = Sha256::digest(line.as_bytes());
        fingerprints.push(u32::from_be_bytes([
            digest[0], digest[1], digest[2], digest[3],
        ]));
    }
    fingerprints.sort_unstable();
    fingerprints.dedup();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or(std::io::ErrorKind::NotFound)?);
    let mut file = std::io::BufWriter::new(std::fs::File::create(out.join("breached.bin"))?);
    for fingerprint in fingerprints {
        file.write_all(&fingerprint.to_le_bytes())?;
    }
    file.flush()
}
