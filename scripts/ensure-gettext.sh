#!/usr/bin/env bash
# Make sure Debian's gettext is installed: only `make messages` (a maintainer extracting the
# interface strings after changing a template) needs it. Running the site and the tests do not:
# the compiled catalogue (rightsdesk/locale/*/LC_MESSAGES/django.mo) is committed.
set -euo pipefail
if command -v xgettext >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 && command -v msgmerge >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "ensure-gettext: gettext missing and this user cannot install it: run 'apt-get install gettext' as root" >&2
    exit 1
fi
echo "ensure-gettext: installing Debian's gettext (once)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends gettext >/dev/null
command -v msgfmt >/dev/null 2>&1 || { echo "ensure-gettext: msgfmt still missing after install" >&2; exit 1; }
