#!/usr/bin/env bash
# Make sure Debian's nginx (the tests and bench/serve_speed.py serve baked folders with the
# configurations of deploy/) and wrk (the HTTP benchmark of bench/serve_speed.py) are installed.
# Only Debian's packages. The tests run their own nginx on a free port of 127.0.0.1
# (tests/mirror_nginx.py), never the system service that Debian may start on port 80.
set -euo pipefail
NGINX="${RIGHTSDESK_NGINX:-/usr/sbin/nginx}"
WRK="${RIGHTSDESK_WRK:-/usr/bin/wrk}"
packages=()
[ -x "$NGINX" ] || packages+=(nginx-light)
[ -x "$WRK" ] || packages+=(wrk)
if [ "${#packages[@]}" = 0 ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "ensure-nginx: ${packages[*]} missing and this user cannot install it: run 'apt-get install ${packages[*]}' as root" >&2
    exit 1
fi
echo "ensure-nginx: installing Debian's ${packages[*]} (once)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if ! $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1; then
    # Releases without the nginx-light package: the plain one.
    $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]/nginx-light/nginx}" >/dev/null
fi
[ -x "$NGINX" ] || { echo "ensure-nginx: $NGINX still missing after install" >&2; exit 1; }
[ -x "$WRK" ] || { echo "ensure-nginx: $WRK still missing after install" >&2; exit 1; }
