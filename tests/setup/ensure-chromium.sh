#!/usr/bin/env bash
# The browser tests drive Debian's Chromium, never a downloaded one.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found; installing Debian's chromium package…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] && exit 0
fi
cat >&2 <<MSG
No Chromium found at $browser.
Install one (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a
Chromium or Chrome binary, then run npm test again.
MSG
exit 1
