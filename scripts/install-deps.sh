#!/usr/bin/env bash
# Installs what building and testing Latchkey needs and is missing: Debian packages on
# Debian/Ubuntu (through apt-get), and the npm packages from package-lock.json.
# On macOS and Windows it checks the prerequisites the README lists and says what is
# missing. Safe to run again: it does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build: WebKitGTK, GTK and friends for Tauri, D-Bus for the Secret Service client,
# SQLite (Linux builds link the system library).
# Test: Xvfb for a real window without a display, D-Bus, gnome-keyring and secret-tool
# for a real Secret Service, WebKitWebDriver for the end-to-end suite, and a Korean
# font so the Korean screens render (and their screenshots read) as people see them.
# Packages: lintian and rpm check the installers that `make dist` builds.
APT_PACKAGES=(
  build-essential pkg-config file
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libssl-dev libxdo-dev libdbus-1-dev libsqlite3-dev
  python3-venv lintian rpm
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools sqlite3 webkit2gtk-driver fonts-nanum
  xdotool
)

install_apt_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

require() {
  command -v "$1" >/dev/null 2>&1 || { echo "Missing prerequisite: $1 ($2)" >&2; exit 1; }
}

case "$(uname -s)" in
  Linux)
    if command -v apt-get >/dev/null 2>&1; then
      install_apt_packages
    else
      echo "Not a Debian/Ubuntu system: install the equivalents of ${APT_PACKAGES[*]} yourself." >&2
    fi
    ;;
  *) ;; # macOS and Windows: the system WebView and keyring are built in.
esac

require cargo "Rust 1.95 from https://rustup.rs"
require node "Node.js 20 or newer"
require npm "comes with Node.js"

# tauri-driver (the WebDriver bridge of the end-to-end suite), from crates.io, kept in
# .tools/ so it never touches the developer's own cargo bin directory.
if [ "$(uname -s)" = Linux ] && [ ! -x .tools/bin/tauri-driver ]; then
  echo "Installing tauri-driver into .tools/"
  cargo install tauri-driver --version 2.1.0 --locked --root "$PWD/.tools"
fi

# cargo-deny (licences, bans and sources of the dependency tree; deny.toml), from
# crates.io, into .tools/ as well. About four minutes to build, once per machine.
if [ ! -x .tools/bin/cargo-deny ]; then
  echo "Installing cargo-deny into .tools/"
  cargo install cargo-deny --version 0.20.2 --locked --no-default-features --root "$PWD/.tools"
fi

# check-jsonschema (with its bundled copy of the GitHub workflow schema) lints the
# workflows offline; it lives in a virtualenv in .tools/.
if [ ! -x .tools/venv/bin/check-jsonschema ]; then
  echo "Installing check-jsonschema into .tools/venv"
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "check-jsonschema==0.39.0"
fi

# npm packages: reinstall only when package-lock.json changed since the last install.
stamp=node_modules/.latchkey-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "Installing npm packages"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
