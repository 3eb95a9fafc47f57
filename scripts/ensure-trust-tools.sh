#!/usr/bin/env bash
# Make sure the tools the evidence desk's trust tests run are installed: openssl (the tests' own
# RFC 3161 timestamp authority, `openssl ts`), jq (the export README's own check) and npm (to
# install ReplayWeb.page). Only Debian's packages.
set -euo pipefail
missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "ensure-trust-tools: ${missing[*]} missing and this user cannot install them: run 'apt-get install ${missing[*]}' as root" >&2
    exit 1
fi
echo "ensure-trust-tools: installing Debian's ${missing[*]} (once)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
