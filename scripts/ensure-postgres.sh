#!/usr/bin/env bash
# Make sure a PostgreSQL 15 server runs on 127.0.0.1 with a role and database for the tests, and
# print `export DATABASE_URL=...` for the caller to source. Installs Debian's postgresql-15 when
# missing. The role's password is random for each run: there is no default password.
set -euo pipefail
PGPORT="${RIGHTSDESK_PGPORT:-5432}"
DB="${RIGHTSDESK_PGDATABASE:-rightsdesk}"
ROLE="${RIGHTSDESK_PGUSER:-rightsdesk}"
log() { echo "ensure-postgres: $*" >&2; }

if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
as_postgres() { if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else sudo -u postgres bash -c "$*"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
    log "installing Debian's postgresql-15 (once)..."
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15 >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p "$PGPORT"; then
    if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^15 main$"; then
        log "creating cluster 15/main..."
        $SUDO pg_createcluster 15 main --port "$PGPORT" >&2
    fi
    log "starting PostgreSQL 15 on 127.0.0.1:$PGPORT..."
    $SUDO pg_ctlcluster 15 main start >&2 || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p "$PGPORT" || { log "PostgreSQL did not start; see /var/log/postgresql/"; exit 1; }
fi

PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
as_postgres "psql -q -p $PGPORT -v ON_ERROR_STOP=1" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB;
  END IF;
END \$\$;
ALTER ROLE $ROLE WITH LOGIN CREATEDB PASSWORD '$PASSWORD';
SQL
if ! as_postgres "psql -tA -p $PGPORT -c \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"" | grep -q 1; then
    as_postgres "createdb -p $PGPORT -O $ROLE $DB" >&2
fi
echo "export DATABASE_URL=postgres://$ROLE:$PASSWORD@127.0.0.1:$PGPORT/$DB"
