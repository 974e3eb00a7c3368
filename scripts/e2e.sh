#!/usr/bin/env bash
# The end-to-end suite: builds the app and the example host (examples/notes-desk) with
# their assets compiled in (the custom protocol, as in a release) and drives each in a
# real WebKitGTK window under Xvfb, inside a private
# D-Bus session with a throwaway gnome-keyring, through tauri-driver + WebKitWebDriver.
# Screenshots land in target/e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PWD/.tools/bin:$PATH"
command -v tauri-driver >/dev/null || { echo "tauri-driver is missing: run make deps" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "WebKitWebDriver is missing (Debian: webkit2gtk-driver)" >&2; exit 1; }

npm run --silent build
cargo build --locked -p latchkey -p notes-desk \
  --features latchkey/custom-protocol,notes-desk/custom-protocol
# Plays logind on the private bus the scenario starts in place of the system bus.
cargo build --locked -p tauri-plugin-latchkey --example logind_signal

rm -rf target/e2e/screenshots
export LATCHKEY_E2E_APP="$PWD/target/debug/latchkey"
export NOTES_DESK_E2E_APP="$PWD/target/debug/notes-desk"
export LATCHKEY_E2E_LOGIND="$PWD/target/debug/examples/logind_signal"
# WebKitGTK under Xvfb: no accessibility bus. Compositing stays on: with
# WEBKIT_DISABLE_COMPOSITING_MODE=1, WebKitWebDriver's screenshot never returns once a
# page has re-rendered after a form action.
export NO_AT_BRIDGE=1
# A hard bound (the suites take about three minutes): a window or process that never
# ends fails the run with a message instead of holding it until CI's own limit.
status=0
timeout --kill-after=15s 20m xvfb-run -a -s "-screen 0 1280x900x24" \
  scripts/with-keyring.sh node --test --test-concurrency=1 tests/e2e/ || status=$?
[ "$status" -eq 124 ] && echo "The end-to-end suites did not finish within 20 minutes." >&2
exit "$status"
