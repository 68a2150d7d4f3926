#!/usr/bin/env bash
# import_wxr at scale: a generated WordPress export of 5,000 posts and 100,000 comments (threads up
# to 10 deep), imported into an empty database and then again (nothing changed), on SQLite and, when
# PG_URL is set (a server URL; the database hs_wxr_bench is dropped and made), on PostgreSQL too.
# Wall time, CPU time and peak memory from /usr/bin/time -v. Rewrites the "Moving in" section of
# BENCHMARKS.md (bench/run.sh keeps that section when it rewrites the rest).
#
#   bash bench/wxr.sh
#   PG_URL=postgres://postgres:postgres@127.0.0.1:5432 bash bench/wxr.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
VAR="${BENCH_VAR:-/tmp/healthsite-bench-wxr}"
mkdir -p "$VAR"
python3 -c "import dev; dev.ensure_venv('requirements.txt')"
PY="$ROOT/.venv/bin/python"
export DJANGO_SECRET_KEY=benchmark-only DJANGO_DEBUG=0 MEDIA_ROOT="$VAR/media" CACHE_URL= REDIS_URL=

"$PY" bench/wxr.py "$VAR/export.xml" --posts 5000 --comments 100000
run() {  # run NAME DATABASE_URL
  export DATABASE_URL="$2"
  "$PY" manage.py migrate -v0
  for pass in 1 2; do
    /usr/bin/time -v "$PY" manage.py import_wxr "$VAR/export.xml" >"$VAR/$1-$pass.txt" 2>"$VAR/$1-$pass.err"
  done
  "$PY" manage.py check_comment_tree >"$VAR/$1-tree.txt"
}
rm -f "$VAR/db.sqlite3"*
run sqlite "sqlite:///$VAR/db.sqlite3"
if [ -n "${PG_URL:-}" ]; then
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS hs_wxr_bench" -c "CREATE DATABASE hs_wxr_bench"
  run postgresql "$PG_URL/hs_wxr_bench"
fi
"$PY" bench/wxr.py --report "$VAR" >"$VAR/section.md"
"$PY" - "$VAR/section.md" <<'EOF'
import sys
from pathlib import Path

marker = "<!-- import_wxr: bench/wxr.sh writes this section -->"
page, _, rest = Path("BENCHMARKS.md").read_text().partition(marker)
after = rest[rest.index("<!-- "):] if "<!-- " in rest else ""  # the next script's section stays
Path("BENCHMARKS.md").write_text(f"{page.rstrip()}\n\n{marker}\n{Path(sys.argv[1]).read_text()}"
                                 + (f"\n{after}" if after else ""))
EOF
sed -n '/<!-- import_wxr/,$p' BENCHMARKS.md
