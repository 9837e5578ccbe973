#!/usr/bin/env bash
# make load: the site under load on loopback. gunicorn (2 workers) on 127.0.0.1, then wrk for
# DURATION seconds at CONNECTIONS connections over a mix of pages and filter combinations.
# Fails on any socket error, any status other than 200, or any change to the database.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-50}
PORT=${PORT:-8002}

command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

work=$(mktemp -d)
export DEBUG=false SECRET_KEY="load-test-$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
export DATABASE_URL=${LOAD_DATABASE_URL:-sqlite:///$work/load.sqlite3}
PY=.venv/bin/python

$PY manage.py migrate --noinput -v0
$PY manage.py load_dataset -v0
$PY manage.py collectstatic --noinput -v0
fingerprint() { $PY manage.py dumpdata positions auth --indent 0 | sha256sum | cut -d' ' -f1; }
before=$(fingerprint)

.venv/bin/gunicorn project.wsgi --workers 2 --bind 127.0.0.1:$PORT --access-logfile /dev/null --error-logfile "$work/gunicorn.log" &
GPID=$!
trap 'kill $GPID 2>/dev/null || true; wait $GPID 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/about/" && break; sleep 0.2; done

echo "wrk: ${DURATION}s, ${CONNECTIONS} connections, 2 threads, against 127.0.0.1:$PORT"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/load.lua "http://127.0.0.1:$PORT" | tee "$work/wrk.txt"

after=$(fingerprint)
value() { awk -v k="$1" '$1 == k {print $2}' "$work/wrk.txt"; }
status=0
[ "$(value unexpected_status)" = "0" ] || { echo "FAIL: $(value unexpected_status) responses were not 200"; status=1; }
[ "$(value errors)" = "0" ] || { echo "FAIL: $(value errors) socket errors"; status=1; }
[ "$before" = "$after" ] || { echo "FAIL: the database changed under load"; status=1; }
if grep -q "Traceback" "$work/gunicorn.log"; then echo "FAIL: gunicorn logged errors"; cat "$work/gunicorn.log"; status=1; fi
if [ $status = 0 ]; then
  echo "OK: $(value requests) requests, no errors, no unexpected status, database unchanged"
  {
    echo "# Load test"
    echo
    echo "Written by \`make load\` (\`bench/load.sh\`) on $(date -u +%F), $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p'))."
    echo "gunicorn with 2 sync workers on 127.0.0.1, SQLite, DEBUG off; wrk with 2 threads and"
    echo "$CONNECTIONS connections for ${DURATION} s over the mix of pages and filters in \`bench/load.lua\`"
    echo "(wrk and the workers share the machine's cores)."
    echo
    echo "| requests | requests/s | latency p50 | latency p99 | socket errors | status other than 200 | database |"
    echo "|---:|---:|---:|---:|---:|---:|---|"
    echo "| $(value requests) | $(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") | $(value latency_p50_ms) ms | $(value latency_p99_ms) ms | $(value errors) | $(value unexpected_status) | unchanged |"
  } > docs/load.md
fi
exit $status
