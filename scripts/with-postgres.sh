#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on loopback, then remove it.
#   scripts/with-postgres.sh .venv/bin/pytest -q
# The command sees DATABASE_URL. The cluster lives in a temporary directory, listens on
# 127.0.0.1 only, on a free port, and is stopped and deleted however the command ends.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "with-postgres: PostgreSQL server binaries not found; run make setup" >&2
  exit 1
fi
# PostgreSQL refuses to run as root; run the server as the postgres user when we are root.
as_server=()
if [[ $(id -u) -eq 0 ]]; then
  as_server=(runuser -u postgres --)
fi
dir=$(mktemp -d /tmp/kaohe-pg.XXXXXX)
chmod 755 "$dir"
[[ ${#as_server[@]} -gt 0 ]] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_server[@]}" "$bindir/initdb" -D "$dir/data" -U kaohe --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export DATABASE_URL="postgres://kaohe@127.0.0.1:$port/postgres"
"$@"
