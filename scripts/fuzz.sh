#!/usr/bin/env bash
# Fuzzes the vault's parsers of untrusted input with cargo-fuzz (libFuzzer, address
# sanitizer) on the nightly toolchain, for the given number of seconds per target.
# Inputs that grow coverage are added to fuzz/corpus/<target>, which is checked in and
# which `make test` replays as plain tests; a crash stops the run and leaves its input
# in fuzz/artifacts/<target>.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzzing needs a nightly toolchain: rustup toolchain install nightly" >&2
  exit 1
fi
if [ ! -x .tools/bin/cargo-fuzz ]; then
  echo "Installing cargo-fuzz into .tools/"
  cargo install cargo-fuzz --version 0.13.1 --locked --root "$PWD/.tools"
fi
export PATH="$PWD/.tools/bin:$PATH"

for target in untrusted_text requests; do
  echo "== $target, $seconds s"
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=1024 -print_final_stats=1
done
