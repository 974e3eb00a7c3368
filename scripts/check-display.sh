#!/usr/bin/env bash
# Stops `make run` early, with advice, on a Linux machine that has no display.
set -euo pipefail
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<'MSG'
Latchkey is a desktop app and this session has no display (neither DISPLAY nor
WAYLAND_DISPLAY is set). Run it on a desktop, or in a virtual display:

    xvfb-run -a make run

(xvfb-run comes with the xvfb package, which `make deps` installs.)
MSG
  exit 1
fi
