#!/usr/bin/env bash
# The app-level rows of `make bench`: builds the release app, a minimal Tauri app with the
# same profile and the example host, then measures IPC overhead, start-up time and idle
# memory in real windows under Xvfb (tests/bench/app.bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"

npx tauri build --bundles deb
cargo build --release --locked -p notes-desk --features notes-desk/custom-protocol
(cd bench/minimal-app && CARGO_TARGET_DIR="$PWD/../../target" ../../node_modules/.bin/tauri build --bundles deb)

export NO_AT_BRIDGE=1
xvfb-run -a -s "-screen 0 1280x900x24" scripts/with-keyring.sh node tests/bench/app.bench.mjs
