#!/usr/bin/env bash
# Make sure a Redis server (Debian's redis-server) runs on 127.0.0.1 for the tests, and print
# `export REDIS_URL=...` for the caller to source. Installs redis-server when missing. The server
# is the tests' own (its port: RIGHTSDESK_REDIS_PORT, default 6390), listens on loopback only,
# keeps nothing on disk, and has a random password made when it starts (no default password).
set -euo pipefail
PORT="${RIGHTSDESK_REDIS_PORT:-6390}"
DIR="${TMPDIR:-/tmp}/rightsdesk-redis-$PORT"
log() { echo "ensure-redis: $*" >&2; }

if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi

if ! command -v redis-server >/dev/null 2>&1; then
    log "installing Debian's redis-server (once)..."
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
fi

mkdir -p "$DIR"
chmod 700 "$DIR"
if [ -s "$DIR/password" ] && redis-cli -h 127.0.0.1 -p "$PORT" -a "$(cat "$DIR/password")" --no-auth-warning ping 2>/dev/null | grep -q PONG; then
    : # ours, running
else
    if redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1; then
        log "port $PORT is taken by another server: set RIGHTSDESK_REDIS_PORT to a free port"
        exit 1
    fi
    python3 -c 'import secrets; print(secrets.token_hex(16))' > "$DIR/password"
    chmod 600 "$DIR/password"
    log "starting redis-server on 127.0.0.1:$PORT..."
    redis-server --bind 127.0.0.1 --port "$PORT" --requirepass "$(cat "$DIR/password")" \
        --save "" --appendonly no --dir "$DIR" --daemonize yes --pidfile "$DIR/redis.pid" \
        --logfile "$DIR/redis.log" >&2
    for _ in $(seq 1 50); do
        redis-cli -h 127.0.0.1 -p "$PORT" -a "$(cat "$DIR/password")" --no-auth-warning ping 2>/dev/null | grep -q PONG && break
        sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$PORT" -a "$(cat "$DIR/password")" --no-auth-warning ping 2>/dev/null | grep -q PONG \
        || { log "redis-server did not start; see $DIR/redis.log"; exit 1; }
fi
echo "export REDIS_URL=redis://:$(cat "$DIR/password")@127.0.0.1:$PORT/0"
