//! Compiles the breached-password list (`data/breached-passwords.txt.gz`) into a compact
//! table of 32-bit fingerprints, so the app ships it inside the binary and looks a
//! password up with nothing to load at run time.
//!
//! The fingerprint is the first four bytes of SHA-256, big-endian. Its top 16 bits pick
//! one of 65,536 buckets and only the low 16 bits are stored, which halves the table
//! (about 460 KB for 197,544 fingerprints, against 790 KB for the plain sorted list)
//! while keeping the same 1-in-21,700 chance match. The file `breached.bin` holds:
//!
//! 1. `BLOCKS + 1` little-endian u32: the index of the first entry of every 256th bucket,
//!    then the entry count;
//! 2. `BUCKETS` u8: how many entries each bucket holds;
//! 3. one little-endian u16 per entry: the low 16 bits, sorted within each bucket.
//!
//! `src/policy.rs` reads the same layout; keep the two in step.
//!
//! Beside it, `breached_lengths.rs` counts the listed passwords by length in characters
//! (the last slot holds 64 and longer), so the app can say how many of them a password
//! of the minimum length could still be.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use sha2::{Digest, Sha256};

const BUCKETS: usize = 1 << 16;
const BUCKETS_PER_BLOCK: usize = 256;
/// Lengths 0 to 63 counted one by one; the last slot counts 64 characters and more.
const LENGTH_SLOTS: usize = 65;

fn main() -> std::io::Result<()> {
    let source = PathBuf::from("data/breached-passwords.txt.gz");
    println!("cargo::rerun-if-changed={}", source.display());
    let reader = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&source)?));
    let mut fingerprints = Vec::new();
    let mut by_length = [0u32; LENGTH_SLOTS];
    for line in reader.lines() {
        let line = line?;
        by_length[line.chars().count().min(LENGTH_SLOTS - 1)] += 1;
        let digest = Sha256::digest(line.as_bytes());
        fingerprints.push(u32::from_be_bytes([
            digest[0], digest[1], digest[2], digest[3],
        ]));
    }
    fingerprints.sort_unstable();
    fingerprints.dedup();

    let mut counts = vec![0u8; BUCKETS];
    for fingerprint in &fingerprints {
        let count = &mut counts[(fingerprint >> 16) as usize];
        *count = count.checked_add(1).ok_or_else(|| {
            std::io::Error::other("a breached-list bucket holds over 255 entries")
        })?;
    }
    let mut starts = Vec::with_capacity(BUCKETS / BUCKETS_PER_BLOCK + 1);
    let mut seen = 0u32;
    for block in counts.chunks(BUCKETS_PER_BLOCK) {
        starts.push(seen);
        seen += block.iter().map(|&c| u32::from(c)).sum::<u32>();
    }
    starts.push(seen);

    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or(std::io::ErrorKind::NotFound)?);
    std::fs::write(
        out.join("breached_lengths.rs"),
        format!("const BREACHED_BY_LENGTH: [u32; {LENGTH_SLOTS}] = {by_length:?};\n"),
    )?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(out.join("breached.bin"))?);
    for start in starts {
        file.write_all(&start.to_le_bytes())?;
    }
    file.write_all(&counts)?;
    for fingerprint in fingerprints {
        // Truncation is the point: the bucket holds the top 16 bits.
        file.write_all(&((fingerprint & 0xffff) as u16).to_le_bytes())?;
    }
    file.flush()
}
