#!/usr/bin/env bash
# Production smoke run (CI): install with the [prod] extra, collect static files, migrate a fresh SQLite
# database, load the demo and serve it with gunicorn and DEBUG=0, then walk it over HTTP with
# scripts/smoke_prod.py. Repeated with REDIS_URL when Redis answers. Any failure exits non-zero.
#   SMOKE_PORT (default 8150)   SMOKE_REDIS_URL (default redis://127.0.0.1:6379/1)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${SMOKE_PORT:-8150}
REDIS=${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/1}

work=$(mktemp -d)
server=""
stop_server() {
  for pid in $server $worker; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  server=""; worker=""
}
worker=""
trap 'stop_server; rm -rf "$work"' EXIT

[ -x "$BIN/python" ] || make install
if ! "$BIN/python" -m pip install --quiet -e '.[prod]' >"$work/pip.log" 2>&1; then
  cat "$work/pip.log"; echo "!! installing the [prod] extra failed"; exit 1
fi

# Production settings, except plain HTTP on the loopback (PEIYU_INSECURE_HTTP, see the README).
unset DATABASE_URL REDIS_URL
export DEBUG=0 PEIYU_INSECURE_HTTP=1 PEIYU_VAR_DIR="$work/var" ALLOWED_HOSTS=127.0.0.1,localhost
export SECRET_KEY="smoke-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"

# Only errors fail here: the HTTPS warnings are expected with PEIYU_INSECURE_HTTP.
"$BIN/peiyu" check --deploy --fail-level ERROR
"$BIN/peiyu" collectstatic --no-input -v 0
"$BIN/peiyu" migrate --no-input -v 0
"$BIN/peiyu" demo --if-empty

# Newer gunicorn opens a control socket under ~/.gunicorn; keep ours private to this run.
control=()
if "$BIN/gunicorn" --help | grep -q -- --control-socket; then control=(--control-socket "$work/gunicorn.ctl"); fi

serve_and_walk() {
  local label=$1
  echo "== smoke: $label =="
  "$BIN/gunicorn" peiyu.wsgi -w 2 -b "127.0.0.1:$PORT" --timeout 120 "${control[@]}" --access-logfile - \
    --error-logfile "$work/gunicorn.log" >"$work/access.log" &
  server=$!
  "$BIN/peiyu" worker >"$work/worker.log" 2>&1 &
  worker=$!
  if ! "$BIN/python" scripts/smoke_prod.py "http://127.0.0.1:$PORT" --wait 90; then
    echo "-- gunicorn errors --"; tail -n 60 "$work/gunicorn.log"; echo "-- worker --"; tail -n 30 "$work/worker.log"; exit 1
  fi
  stop_server
}

serve_and_walk "gunicorn, DEBUG=0, file cache"
if "$BIN/python" -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()" "$REDIS" 2>/dev/null; then
  export REDIS_URL=$REDIS
  serve_and_walk "gunicorn, DEBUG=0, REDIS_URL=$REDIS"
else
  echo "== Redis not reachable at $REDIS; the Redis smoke run is skipped =="
fi
