#!/usr/bin/env bash
# The article page for a logged-in verified reader (who always skips the page cache) beside the
# anonymous uncached page, at thread-100/1,000/10,000 on SQLite: queries and render times from
# bench/inprocess.py (--viewer verified: a confirmed address, a display name and 3 pending comments
# of their own on the page). Rewrites the "logged-in reader" section of BENCHMARKS.md (bench/run.sh
# keeps it); the peer is not measured again.
#
#   bash bench/accounts.sh            # about 15 minutes on 2 cores
#
# Each pair of runs (anonymous, then verified) is repeated REPEAT [3] times, interleaved, and the
# run with the lowest median kept for each, so that a busy moment of a shared machine weighs on both.
# REPORT_ONLY=1 writes the section again from the results of the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
VAR="${BENCH_VAR:-/tmp/healthsite-bench}"
RES="$VAR/results-accounts"
SIZES="${SIZES:-100 1000 10000}"
REPEAT="${REPEAT:-3}"
mkdir -p "$VAR" "$RES"
python3 -c "import dev; dev.ensure_venv('requirements.txt')"
PY="$ROOT/.venv/bin/python"
export DJANGO_SECRET_KEY=benchmark-only DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 \
  DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver STATIC_ROOT="$VAR/static" EMAIL_URL=dummymail:// \
  CACHE_URL= REDIS_URL= PYTHONDONTWRITEBYTECODE=1
if [ "${REPORT_ONLY:-0}" != 1 ]; then
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host: $(uname -srm); cores: $(nproc)"
  echo "python: $($PY -V 2>&1); sqlite: $($PY -c 'import sqlite3; print(sqlite3.sqlite_version)')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 minutes)"
} >"$RES/env.txt"
"$PY" manage.py collectstatic --noinput -v0
for N in $SIZES; do
  export DATABASE_URL="sqlite:///$VAR/thread-$N.sqlite3"
  "$PY" manage.py migrate -v0
  "$PY" manage.py makethread "$N" >/dev/null
  for PER_PAGE in 0 50; do
    for RUN in $(seq 1 "$REPEAT"); do
      for VIEWER in anonymous verified; do
        echo "thread-$N, $VIEWER, threads per page $PER_PAGE, run $RUN"
        "$PY" bench/inprocess.py "$N" --viewer "$VIEWER" --threads-per-page "$PER_PAGE" \
          | tee "$RES/$VIEWER-$PER_PAGE-$N-$RUN.json"
      done
    done
  done
done
fi
"$PY" - "$RES" $SIZES <<'PYTHON'
import json
import sys
from pathlib import Path

res, sizes = Path(sys.argv[1]), [int(n) for n in sys.argv[2:]]
repeat = len(list(res.glob(f"anonymous-0-{sizes[0]}-*.json")))
begin, end = "<!-- logged-in reader: bench/accounts.sh writes this section -->", "<!-- logged-in reader: end -->"


def run(viewer, per_page, n):
    """Return the run with the lowest median of this viewer, page size and N."""
    runs = [json.loads(path.read_text()) for path in res.glob(f"{viewer}-{per_page}-{n}-*.json")]
    return min(runs, key=lambda r: r["render_median_ms"])


lines = [begin, "## A logged-in verified reader (no page cache)", "",
         f"Produced by `REPEAT={repeat} bash bench/accounts.sh` (the peer is not measured again). The same \"thread-N\" workload",
         "and in-process method as above: `django.test.Client` GETs, 3 warm-ups then median and p90 of 30, SQLite,",
         f"DEBUG off; each figure is the lowest median of {repeat} runs, anonymous and verified interleaved. The reader has",
         "a confirmed address, a display name and 3 pending comments of their own on the page, which they see in",
         "place; logged-in readers never get the page cache, so the anonymous figure beside it is the uncached one,",
         "measured in the same run. Names, \"(not verified)\" and the Author and Moderator badges come from joins in",
         "the thread's one query, so the query count does not depend on N; the 3 queries more than an anonymous",
         "reader's are the session, the user and their reader profile (read once for the header, \"Posting as\"",
         "and the suspension check). On a machine shared with other work the medians move by a third from run to",
         "run; the two viewers' times are within that of each other at every N.", "",
         "```", (res / "env.txt").read_text().strip(), "```", ""]
for per_page, title in [(0, "Whole thread on one page"), (50, "Default pagination (50 threads a page)")]:
    lines += [f"### {title}", "",
              "| N | queries verified / anonymous | render median verified / anonymous | ratio | p90 verified | bytes verified |",
              "|---|---|---|---|---|---|"]
    for n in sizes:
        v, a = run("verified", per_page, n), run("anonymous", per_page, n)
        lines.append(f"| {n:,} | {v['queries']} / {a['queries']} | {v['render_median_ms']} ms / {a['render_median_ms']} ms "
                     f"| {v['render_median_ms'] / a['render_median_ms']:.2f} | {v['render_p90_ms']} ms | {v['bytes']:,} |")
    lines.append("")
lines.append(end)
section = "\n".join(lines)

path = Path("BENCHMARKS.md")
page = path.read_text()
if begin in page:
    before, rest = page.split(begin, 1)
    page = before.rstrip() + "\n\n" + rest.split(end, 1)[1].lstrip()
marker = "<!-- import_wxr"
if marker in page:
    before, after = page.split(marker, 1)
    page = f"{before.rstrip()}\n\n{section}\n\n{marker}{after}"
else:
    page = f"{page.rstrip()}\n\n{section}\n"
path.write_text(page)
print(section)
PYTHON
