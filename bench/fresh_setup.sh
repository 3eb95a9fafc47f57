#!/usr/bin/env bash
# Fresh clone to a serving demo, timed: clones this repository's HEAD into a temporary folder,
# runs `make demo` there and times each step until `/` answers 200, then stops the demo.
#   bash bench/fresh_setup.sh            # uv's and pip's download caches as they are (warm)
#   bash bench/fresh_setup.sh --cold     # empty download caches: every package fetched again
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rightsdesk-setup.XXXXXX")"
if [ "${1:-}" = "--cold" ]; then
    export UV_CACHE_DIR="$WORK/uv-cache" PIP_NO_CACHE_DIR=1
    echo "cold: empty uv cache, no pip cache"
fi
git clone -q --no-local "$SRC" "$WORK/rightsdesk"
cd "$WORK/rightsdesk"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
t0=$(date +%s.%N)
setsid make demo PORT="$PORT" </dev/null >"$WORK/demo.log" 2>&1 &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true' EXIT
stamp() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):6.1f} s  {sys.argv[3]}')" "$t0" "$(date +%s.%N)" "$1"; }
seen_install=""; seen_loaded=""
for _ in $(seq 1 3000); do
    kill -0 "$pid" 2>/dev/null || { echo "make demo stopped:"; tail -20 "$WORK/demo.log"; exit 1; }
    if [ -z "$seen_install" ] && [ -f .venv/.runtime ]; then stamp "installed from the lock"; seen_install=1; fi
    if [ -z "$seen_loaded" ] && grep -q "^Demo content:" "$WORK/demo.log"; then stamp "migrated and demo content loaded"; seen_loaded=1; fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" = "200" ]; then stamp "serving: / answers 200"; break; fi
    sleep 0.2
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK"
