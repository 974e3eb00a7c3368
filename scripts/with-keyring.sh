#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throwaway HOME and an unlocked
# gnome-keyring (Secret Service), so tests use a real OS keyring without ever touching
# the developer's own.
#
#   scripts/with-keyring.sh cargo test --workspace
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

home=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-home.XXXXXX")
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/.local/share/keyrings" "$home/.cache" "$home/.config"

# Toolchains keep finding their own homes after HOME changes below.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export npm_config_cache="${npm_config_cache:-$HOME/.npm}"
export LATCHKEY_KEYRING_HOME="$home"
exec dbus-run-session -- bash -c '
  set -euo pipefail
  export HOME="$LATCHKEY_KEYRING_HOME" XDG_DATA_HOME="$LATCHKEY_KEYRING_HOME/.local/share" \
         XDG_CONFIG_HOME="$LATCHKEY_KEYRING_HOME/.config" XDG_CACHE_HOME="$LATCHKEY_KEYRING_HOME/.cache"
  # The daemon prints its environment; the test only needs the session bus it is on.
  printf "throwaway-keyring-password" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  exec "$@"
' latchkey-keyring "$@"
