#!/usr/bin/env bash
# Install exactly what a lock file lists into .venv, without resolving anything again.
#
#   scripts/install-lock.sh requirements.lock        # runtime (make demo)
#   scripts/install-lock.sh requirements-dev.lock    # runtime + tests (make test)
#
# Why this way: a lock only protects a set-up if the installer reads it and nothing else. pip, asked
# to install a lock, still resolves each package's own requirements against the index (an extra
# such as justext's `lxml[html_clean]` brought in a newer lxml the day one was released, and the
# hash check refused it). Here:
#   1. uv itself comes from the lock, pinned and hash-checked, installed by the venv's own pip with
#      --no-deps (uv has no dependencies);
#   2. uv installs every pinned package with --no-deps --require-hashes: the lock already lists
#      every package, so nothing is looked up but the pinned files, and a file whose hash differs
#      is refused;
#   3. `uv pip check` proves the set is complete and consistent (a lock missing a dependency fails
#      here, at set-up, not at a user's first import);
#   4. rightsdesk itself is installed editable with the lock's setuptools (no build isolation, so
#      no unpinned build backend is fetched).
# uv installs the ~90 packages in parallel from its cache (~/.cache/uv), which makes a second venv
# on the same machine take seconds.
set -euo pipefail
LOCK="${1:?usage: scripts/install-lock.sh LOCKFILE}"
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
log() { echo "install-lock: $*" >&2; }

[ -f "$LOCK" ] || { log "$LOCK not found: run this from the repository's root"; exit 2; }
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "rightsdesk needs Python 3.11; set PYTHON=/path/to/python3.11")'
    "$PYTHON" -m venv "$VENV"
fi

# The pinned uv and its hashes, cut out of the lock (one requirement spans several lines).
uv_pin="$(awk '/^uv==/{on=1} on{print} on && !/\\$/{exit}' "$LOCK")"
[ -n "$uv_pin" ] || { log "$LOCK has no uv pin: regenerate it with 'make lock'"; exit 2; }
want="$(echo "$uv_pin" | head -1 | sed -E 's/^uv==([^ ]+).*/\1/')"
if [ "$("$VENV/bin/uv" --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT
    echo "$uv_pin" > "$tmp"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --quiet --no-deps --require-hashes -r "$tmp"
fi

UV=("$VENV/bin/uv" pip)
export UV_PYTHON="$VENV/bin/python"
"${UV[@]}" install --quiet --no-deps --require-hashes -r "$LOCK"
"${UV[@]}" check --quiet || { log "the packages in $LOCK do not fit together: regenerate it with 'make lock'"; exit 1; }
"${UV[@]}" install --quiet --no-deps --no-build-isolation -e .
