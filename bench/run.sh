#!/usr/bin/env bash
# The benchmark: our article page against django-comments-xtd (../shared/bench-peer) in one run.
#
#   bash bench/run.sh          # about 10 minutes on 2 cores; writes BENCHMARKS.md
#
# Knobs: SIZES ["100 1000 10000"], HTTP_N [1000], PORT [8766], BENCH_VAR [/tmp/healthsite-bench],
# SKIP_PEER [0] (1 = reuse the peer results already in $BENCH_VAR/results/peer), SKIP_HTTP [0].
# Only loopback traffic; every wrk run is bounded (-d10s, warm-up -d2s).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
VAR="${BENCH_VAR:-/tmp/healthsite-bench}"
RES="$VAR/results"
SIZES="${SIZES:-100 1000 10000}"
HTTP_N="${HTTP_N:-1000}"
PORT="${PORT:-8766}"
mkdir -p "$VAR" "$RES"
log() { printf '\n== %s ==\n' "$*"; }

python3 -c "import dev; dev.ensure_venv('requirements.txt')"
PY="$ROOT/.venv/bin/python"
if [ "${SKIP_HTTP:-0}" != 1 ] && ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

export DJANGO_SECRET_KEY=benchmark-only DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 \
  DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver STATIC_ROOT="$VAR/static" EMAIL_URL=dummymail:// \
  CACHE_URL= REDIS_URL= PYTHONDONTWRITEBYTECODE=1
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host: $(uname -srm); cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo || true)"
  echo "python: $($PY -V 2>&1); sqlite: $($PY -c 'import sqlite3; print(sqlite3.sqlite_version)')"
  echo "wrk: $( (wrk --version 2>&1 || true) | head -1)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
} >"$RES/env.txt"
cat "$RES/env.txt"

"$PY" manage.py collectstatic --noinput --clear -v0
ALL_N="$(echo $SIZES $HTTP_N | tr ' ' '\n' | sort -nu | tr '\n' ' ')"
for N in $ALL_N; do
  export DATABASE_URL="sqlite:///$VAR/thread-$N.sqlite3"
  rm -f "$VAR/thread-$N.sqlite3"
  log "makethread $N"
  "$PY" manage.py migrate -v0
  "$PY" manage.py makethread "$N"
done
for N in $SIZES; do
  export DATABASE_URL="sqlite:///$VAR/thread-$N.sqlite3"
  log "in-process, thread-$N"
  "$PY" bench/inprocess.py "$N" | tee "$RES/ours-whole-$N.json"
  "$PY" bench/inprocess.py "$N" --threads-per-page 50 | tee "$RES/ours-paged-$N.json"
  for VIEWER in reader moderator; do
    "$PY" bench/inprocess.py "$N" --viewer "$VIEWER" | tee "$RES/ours-$VIEWER-$N.json"
  done
done

GPID=""
stop() { if [ -n "$GPID" ]; then kill -TERM "$GPID" 2>/dev/null; wait "$GPID" 2>/dev/null || true; GPID=""; fi; }
trap stop EXIT
serve() {  # serve thread-HTTP_N with gunicorn, 2 sync workers; extra environment in "$@"
  env DATABASE_URL="sqlite:///$VAR/thread-$HTTP_N.sqlite3" COMMENTS_THREADS_PER_PAGE=0 "$@" \
    "$ROOT/.venv/bin/gunicorn" healthsite.wsgi --workers 2 --worker-class sync --bind "127.0.0.1:$PORT" \
    --log-level warning --error-logfile "$VAR/gunicorn.log" &
  GPID=$!
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return; sleep 0.5; done
  echo "gunicorn did not start"; exit 1
}
measure() {  # measure NAME URL
  local check; check="$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$2")"
  echo "$1: $2 -> $check"
  [ "${check%% *}" = 200 ] || { echo "not 200, aborting"; exit 1; }
  wrk -t2 -c8 -d2s "$2" >/dev/null
  { echo "# $2 (status+bytes via curl: $check)"; echo "# wrk -t2 -c8 -d10s --latency $2";
    wrk -t2 -c8 -d10s --latency "$2"; } | tee "$RES/wrk-$1.txt"
}
if [ "${SKIP_HTTP:-0}" != 1 ]; then
  ARTICLE="$(DATABASE_URL="sqlite:///$VAR/thread-$HTTP_N.sqlite3" "$PY" manage.py shell --verbosity 0 -c \
    "from articles.models import Article; print(Article.objects.get(slug='benchmark-article').get_absolute_url())")"
  URL="http://127.0.0.1:$PORT$ARTICLE"
  log "HTTP: uncached article page, thread-$HTTP_N"
  serve PAGE_CACHE_SECONDS=0
  measure "ours-uncached-$HTTP_N" "$URL"
  curl -s "$URL" -o "$VAR/static/bench-page.html"   # the same bytes, as a static file
  stop
  REDIS_ENV=""
  if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then REDIS_ENV="REDIS_URL=redis://127.0.0.1:6379/14"; fi
  echo "${REDIS_ENV:-locmem cache (Redis not running)}" >"$RES/cache-backend.txt"
  log "HTTP: cached article page and whitenoise ceiling (${REDIS_ENV:-locmem})"
  serve PAGE_CACHE_SECONDS=3600 $REDIS_ENV
  measure "ours-cached-$HTTP_N" "$URL"
  measure "ours-whitenoise-same-bytes" "http://127.0.0.1:$PORT/static/bench-page.html"
  stop
fi

if [ "${SKIP_PEER:-0}" != 1 ]; then
  log "peer: django-comments-xtd (../shared/bench-peer/bench.sh)"
  PEER_RESULTS="$RES/peer" SIZES="$SIZES" HTTP_N="$HTTP_N" bash "$ROOT/../shared/bench-peer/bench.sh"
fi

log "report"
# The logged-in reader's, the import and the moderation figures (bench/accounts.sh, bench/wxr.sh and
# bench/moderation.py write them) stay when the page figures are rewritten.
READER_SECTION="$(sed -n '/<!-- logged-in reader: bench/,/<!-- logged-in reader: end/p' "$ROOT/BENCHMARKS.md" 2>/dev/null || true)"
IMPORT_SECTION="$(sed -n '/<!-- \(import_wxr\|moderation\):/,$p' "$ROOT/BENCHMARKS.md" 2>/dev/null || true)"
"$PY" bench/report.py "$RES" >"$ROOT/BENCHMARKS.md"
[ -z "$READER_SECTION" ] || printf '\n%s\n' "$READER_SECTION" >>"$ROOT/BENCHMARKS.md"
[ -z "$IMPORT_SECTION" ] || printf '\n%s\n' "$IMPORT_SECTION" >>"$ROOT/BENCHMARKS.md"
cat "$ROOT/BENCHMARKS.md"
