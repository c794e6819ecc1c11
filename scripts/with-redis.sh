#!/usr/bin/env bash
# Run a command beside a throwaway Redis on loopback, then stop it.
#   scripts/with-redis.sh .venv/bin/pytest -q tests/celery
# The command sees KAOHE_REDIS_URL. Redis listens on 127.0.0.1 only, on a free port, keeps
# nothing on disk, and is stopped however the command ends.
set -euo pipefail
if ! command -v redis-server >/dev/null; then
  echo "with-redis: redis-server not found; run make setup" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/kaohe-redis.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
cleanup() {
  # Wait for Redis to be gone before removing its folder: it writes there as it stops.
  if [[ -f "$dir/redis.pid" ]]; then
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$port" ping >/dev/null || { cat "$dir/redis.log" >&2; exit 1; }
echo "with-redis: Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$port"
export KAOHE_REDIS_URL="redis://127.0.0.1:$port/0"
"$@"
