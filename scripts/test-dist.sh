#!/usr/bin/env bash
# The package test: lintian on the .deb, then install it with apt (which proves its
# declared dependencies exist), start the installed binary in a real window and create
# the first admin, upgrade to a newer build over it and check that every account,
# session and audit row is still there and that migrations did not run again, and
# finally remove it and check the vault is left in the data directory.
#
# Needs root (or sudo) for apt; run `make dist` first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"

sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)

deb=$(ls target/release/bundle/deb/Latchkey_*.deb | head -n 1)
rpm=$(ls target/release/bundle/rpm/Latchkey-*.rpm | head -n 1)
echo "Packages: $deb ($(du -h "$deb" | cut -f1)), $rpm ($(du -h "$rpm" | cut -f1))"

echo "--- declared dependencies cover what the binary links against"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
mkdir -p "$work/shlibs/debian"
printf 'Source: latchkey\n\nPackage: latchkey\nArchitecture: any\n' > "$work/shlibs/debian/control"
needed=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e "$work/root/usr/bin/latchkey" 2>/dev/null \
  | sed 's/^shlibs:Depends=//' | tr ',' '\n' | sed 's/(.*//; s/ //g')
declared=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/ //g')
for package in $needed; do
  grep -qx "$package" <<< "$declared" || { echo "the .deb does not declare $package" >&2; exit 1; }
done
echo "Depends: $(dpkg-deb -f "$deb" Depends)"

echo "--- lintian"
lintian --fail-on error,warning --info "$deb"

echo "--- the rpm's metadata"
rpm -qip "$rpm"

data="$work/data"
mkdir -p "$data"

# A newer build of the same package: the version bumped, as the next release would be.
newer="$work/upgrade.deb"
dpkg-deb -R "$deb" "$work/unpacked"
version=$(dpkg-deb -f "$deb" Version)
sed -i "s/^Version: .*/Version: ${version}+upgrade1/" "$work/unpacked/DEBIAN/control"
dpkg-deb --root-owner-group -b "$work/unpacked" "$newer" >/dev/null

package=$(dpkg-deb -f "$deb" Package)
"${sudo[@]}" apt-get remove -y -qq "$package" >/dev/null 2>&1 || true

echo "--- install $package $version"
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "./$deb"
test "$(command -v latchkey)" = /usr/bin/latchkey
latchkey --version
test -f /usr/share/applications/*atchkey*.desktop

export LATCHKEY_DATA_DIR="$data" NO_AT_BRIDGE=1
# Each phase takes seconds; five minutes is the bound past which it is stuck, not slow.
run_phase() {
  local status=0
  PHASE="$1" timeout --kill-after=15s 5m \
    xvfb-run -a -s "-screen 0 1280x900x24" node --test --test-concurrency=1 tests/package/ || status=$?
  [ "$status" -eq 124 ] && echo "The $1 phase did not finish within 5 minutes." >&2
  return "$status"
}
export -f run_phase

scripts/with-keyring.sh bash -c '
  set -euo pipefail
  vault="$LATCHKEY_DATA_DIR/vault.sqlite"
  run_phase install
  before=$(sqlite3 "$vault" "SELECT (SELECT count(*) FROM users) || \" accounts, \" || (SELECT count(*) FROM sessions) || \" sessions, \" || (SELECT count(*) FROM audit_log) || \" audit rows, schema \" || (SELECT user_version FROM pragma_user_version)")
  echo "before the upgrade: $before"
  echo "--- upgrade to '"${version}"'+upgrade1"
  '"${sudo[*]}"' apt-get install -y -qq "'"$newer"'"
  after=$(sqlite3 "$vault" "SELECT (SELECT count(*) FROM users) || \" accounts, \" || (SELECT count(*) FROM sessions) || \" sessions, \" || (SELECT count(*) FROM audit_log) || \" audit rows, schema \" || (SELECT user_version FROM pragma_user_version)")
  echo "after the upgrade:  $after"
  test "$before" = "$after"
  run_phase upgrade
  sqlite3 "$vault" "PRAGMA integrity_check" | grep -qx ok
'

echo "--- remove"
"${sudo[@]}" apt-get remove -y -qq "$package"
test ! -e /usr/bin/latchkey
test -f "$data/vault.sqlite"
echo "The vault is still at $data/vault.sqlite after removal."
echo "Package test passed."
