#!/usr/bin/env bash
# Make sure Debian's chromium (used by the browser tests through Playwright) is installed.
# Never downloads a browser build of its own: only Debian's package.
set -euo pipefail
CHROMIUM="${RIGHTSDESK_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
packages=(chromium fonts-dejavu-core)
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "ensure-chromium: chromium is missing and this user cannot install it: run 'apt-get install ${packages[*]}' as root" >&2
    exit 1
fi
echo "ensure-chromium: installing Debian's ${packages[*]} (once)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
[ -x "$CHROMIUM" ] || { echo "ensure-chromium: $CHROMIUM still missing after install" >&2; exit 1; }
