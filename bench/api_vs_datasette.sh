#!/usr/bin/env bash
# make bench-api: Parley's read API against Datasette's JSON of the same table, side by side, in
# one run, on one machine: the curated dataset in one SQLite file, served by gunicorn (1 worker)
# and by Datasette (immutable), each driven by wrk for DURATION seconds at CONNECTIONS
# connections. Figures, not assertions; writes docs/api-vs-datasette.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
PARLEY=${PARLEY_PORT:-8003}
DATASETTE=${DATASETTE_PORT:-8004}
FRESH=${FRESH_PORT:-8005}  # Parley again, keeping nothing: each response made whole
OUT=${OUT:-docs/api-vs-datasette.md}

command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

work=$(mktemp -d)
python3 -m venv "$work/ds"  # Datasette in a virtualenv of its own: a benchmark's tool only
"$work/ds/bin/pip" install --quiet datasette

export DEBUG=false SECRET_KEY="bench-$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
export API_THROTTLE_RATE=100000000/min  # the throttle is not what is measured
export DATABASE_URL=sqlite:///$work/parley.sqlite3
PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py load_dataset -v0
$PY manage.py collectstatic --noinput -v0
issue_id=$($PY manage.py shell -c "from positions.models import Issue; print(Issue.objects.get(slug='nato-enlargement').pk)" 2>/dev/null | tail -1)

.venv/bin/gunicorn project.wsgi --workers 1 --bind 127.0.0.1:$PARLEY --access-logfile /dev/null --error-logfile "$work/gunicorn.log" &
GPID=$!
RESPONSE_CACHE_SECONDS=0 .venv/bin/gunicorn project.wsgi --workers 1 --bind 127.0.0.1:$FRESH --access-logfile /dev/null --error-logfile "$work/gunicorn-fresh.log" &
FPID=$!
"$work/ds/bin/datasette" serve -i "$work/parley.sqlite3" --host 127.0.0.1 --port $DATASETTE --setting default_page_size 100 >"$work/datasette.log" 2>&1 &
DPID=$!
trap 'kill $GPID $FPID $DPID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$PARLEY/api/v1/" && curl -sf -o /dev/null "http://127.0.0.1:$FRESH/api/v1/" && curl -sf -o /dev/null "http://127.0.0.1:$DATASETTE/" && break
  sleep 0.2
done

rate() {  # requests per second and p99 latency of one URL under wrk
  local out
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(grep -c "Non-2xx\|Socket errors" <<<"$out" || true)
  echo "$rps|$p99|$errors"
}

declare -a rows
add() {  # name, Parley URL, Datasette URL[, the Parley port]
  local p d
  p=$(rate "http://127.0.0.1:${4:-$PARLEY}$2")
  d=$(rate "http://127.0.0.1:$DATASETTE$3")
  local pr=${p%%|*} dr=${d%%|*}
  local ratio
  ratio=$(awk -v a="$pr" -v b="$dr" 'BEGIN { printf "%.2f", a / b }')
  rows+=("| $1 | \`$2\` | ${pr} (p99 $(cut -d'|' -f2 <<<"$p")) | \`$3\` | ${dr} (p99 $(cut -d'|' -f2 <<<"$d")) | ${ratio}x |")
  echo "$1: Parley $pr/s, Datasette $dr/s (${ratio}x)"
}

TABLE="/parley/positions_stance.json?_shape=array&_size=100"
ISSUE="/parley/positions_stance?issue_id=$issue_id"
add "stances, 100 rows, nested (links, quotes)" "/api/v1/stances/" "$TABLE"
add "stances, 100 flat rows" "/api/v1/stance-rows/" "$TABLE"
add "one issue's stances (the issue page)" "/issues/nato-enlargement/" "$ISSUE"
add "stances, nested, made each time" "/api/v1/stances/" "$TABLE" "$FRESH"
add "stances, flat, made each time" "/api/v1/stance-rows/" "$TABLE" "$FRESH"
add "the issue page, made each time" "/issues/nato-enlargement/" "$ISSUE" "$FRESH"

{
  echo "# The read API against Datasette"
  echo
  echo "Written by \`make bench-api\` (\`bench/api_vs_datasette.sh\`) on $(date -u +%Y-%m-%d)."
  echo
  echo "- Machine: $(nproc) cores, $(uname -sr); Python $($PY -c 'import platform; print(platform.python_version())'), Datasette $("$work/ds/bin/datasette" --version | awk '{print $NF}')."
  echo "- The curated dataset in one SQLite file, served on 127.0.0.1 by Parley (gunicorn, 1 sync worker, DEBUG off, the API throttle lifted) and by Datasette (\`-i\`, immutable), one after the other, in one run."
  echo "- wrk, 1 thread, $CONNECTIONS connections, ${DURATION} s each; no conditional or compressed requests (no 304: each response is sent whole). Requests per second, higher is better; the ratio is Parley's over Datasette's."
  echo '- Parley keeps each public response it makes once per dataset version (`RESPONSE_CACHE_SECONDS`, positions/site/http_cache.py): the first three rows are what a reader gets while the data does not change (one query a request, for the version). The rows *made each time* are a second Parley with `RESPONSE_CACHE_SECONDS=0`: every request runs the queries and writes the JSON or HTML anew, what the first request after a change costs.'
  echo "- On a shared 2-core machine one run's figures move by up to a fifth from the next run's: read the ratios within a run."
  echo "- Datasette's JSON is its raw table rows (ids, no labels or meanings); Parley's \`stances/\` adds each stance's links, names and quotes, \`stance-rows/\` the slugs and meanings of the package's stances.csv."
  echo
  echo "| what | Parley | requests/s | Datasette | requests/s | ratio |"
  echo "|---|---|---:|---|---:|---:|"
  printf '%s\n' "${rows[@]}"
} >"$OUT"
echo "Wrote $OUT"
