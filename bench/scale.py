"""The article page over HTTP on SQLite and on PostgreSQL + Redis, each figure beside its anchor in the same run.

    .venv/bin/python bench/scale.py                 # SQLite, then PostgreSQL + Redis; prints the section
    .venv/bin/python bench/scale.py --write         # and rewrites its section of BENCHMARKS.md
    DATABASES="postgres" ROUNDS=3 .venv/bin/python bench/scale.py

For each database, thread-N (`manage.py makethread`, seed 42) is served by gunicorn with 2 sync workers,
the page cache on Redis (REDIS_URL, db 12 by default, emptied first) and, for PostgreSQL, DATABASE_URL
naming a database made afresh (PG_URL/hs_bench). Measured with wrk (-t2 -c8, --latency):
  - the page uncached (PAGE_CACHE_SECONDS=0), once;
  - the cached page and whitenoise serving the same bytes as a static file (the anchor), alternating
    ROUNDS times in one gunicorn, so a busy moment of a shared machine weighs on both; the ratio is
    taken per round, and its median reported;
  - bytes on the wire for one GET with `Accept-Encoding: br, gzip` (curl, not decoding), beside the
    peer's page (django-comments-xtd, thread-1,000, which compresses nothing: 1,476,763 bytes).
Knobs (environment): N [1000], ROUNDS [5], SECONDS [10], PORT [8200], BENCH_VAR [/tmp/healthsite-scale],
PG_URL [postgres://postgres:postgres@127.0.0.1:5432], REDIS_URL [redis://127.0.0.1:6379/12].
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sections

ROOT = sections.ROOT
PY = str(ROOT / ".venv" / "bin" / "python")
N = int(os.environ.get("N", "1000"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))
SECONDS = int(os.environ.get("SECONDS", "10"))
PORT = int(os.environ.get("PORT", "8200"))
VAR = Path(os.environ.get("BENCH_VAR", "/tmp/healthsite-scale"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres:postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
PEER_BYTES = 1_476_763  # ../shared/bench-peer/RESULTS.md, thread-1,000: the same bytes whatever Accept-Encoding
MARKER = "<!-- scale: bench/scale.py writes this section -->"


def environment(database: str) -> dict:
    url = f"sqlite:///{VAR}/thread-{N}.sqlite3" if database == "sqlite" else f"{PG_URL}/hs_bench"
    return {**os.environ, "DJANGO_SECRET_KEY": "benchmark-only", "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "STATIC_ROOT": str(VAR / "static"), "EMAIL_URL": "dummymail://", "CACHE_URL": "",
            "REDIS_URL": REDIS_URL, "DATABASE_URL": url, "COMMENTS_THREADS_PER_PAGE": "0",
            "PYTHONDONTWRITEBYTECODE": "1"}


def prepare(database: str, env: dict) -> str:
    """Make thread-N afresh on the database; return the article's address."""
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{VAR}/thread-{N}.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS hs_bench WITH (FORCE)")
            admin.execute("CREATE DATABASE hs_bench")
    subprocess.run([PY, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([PY, "manage.py", "makethread", str(N)], env=env, cwd=ROOT, check=True)
    found = subprocess.run([PY, "manage.py", "shell", "-v0", "-c", "from articles.models import Article; "
                            "print(Article.objects.get(slug='benchmark-article').get_absolute_url())"],
                           env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return found.stdout.strip()


class Gunicorn:
    """gunicorn with 2 sync workers on PORT, started and stopped by its own process id."""

    def __init__(self, env: dict, **extra):
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "healthsite.wsgi", "--workers", "2", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning", "--error-logfile", str(VAR / "gunicorn.log")],
            env={**env, **extra}, cwd=ROOT)
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/robots.txt", timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("gunicorn did not start")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def curl(url: str, *headers: str) -> dict:
    """Return the status, the bytes on the wire (not decoded) and the encoding of one GET."""
    args = ["curl", "-s", "-o", "/dev/null", "-D", "-", "-w", r"\n%{http_code} %{size_download}"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    status, size = out.rsplit("\n", 1)[1].split()
    encoding = re.search(r"(?im)^content-encoding:\s*(\S+)", out)
    cache = re.search(r"(?im)^x-page-cache:\s*(\S+)", out)
    return {"status": int(status), "bytes": int(size), "encoding": encoding.group(1) if encoding else "identity",
            "page_cache": cache.group(1) if cache else None}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url: str, seconds: int = SECONDS) -> dict:
    """Return req/s, p50, p99 and the errors of one wrk run (-t2 -c8 --latency)."""
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": _ms(re.search(r"(?m)^\s+50%\s+(\S+)", out).group(1)),
            "p99_ms": _ms(re.search(r"(?m)^\s+99%\s+(\S+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "errors": (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket.groups())) if socket else 0)}


def measure(database: str) -> dict:
    env = environment(database)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    path = prepare(database, env)
    page, static = f"http://127.0.0.1:{PORT}{path}", f"http://127.0.0.1:{PORT}/static/bench-page.html"
    result = {"database": database, "path": path}
    with Gunicorn(env, PAGE_CACHE_SECONDS="0"):
        result["uncached"] = {**curl(page), **wrk(page)}
        with urllib.request.urlopen(page) as response:  # the same bytes as a static file, for whitenoise
            (VAR / "static" / "bench-page.html").write_bytes(response.read())
    with Gunicorn(env, PAGE_CACHE_SECONDS="3600"):
        result["first"] = curl(page)  # stores the page
        result["wire"] = curl(page, "Accept-Encoding: br, gzip")
        result["identity"] = curl(page)
        result["static"] = curl(static)
        assert result["identity"]["page_cache"] == "hit" and result["static"]["status"] == 200, result
        wrk(page, 2), wrk(static, 2)  # warm-up
        result["rounds"] = [{"cached": wrk(page), "whitenoise": wrk(static)} for _ in range(ROUNDS)]
    return result


def section(results: list[dict], record: str) -> str:
    lines = [
        MARKER,
        "## Over HTTP at scale: the cached page beside whitenoise, SQLite and PostgreSQL + Redis",
        "",
        "Produced by `.venv/bin/python bench/scale.py --write`. thread-1,000 (seed 42, whole thread on the",
        "page), gunicorn with 2 sync workers, DEBUG off, the page cache and counters on Redis (db 12), on SQLite",
        "and on PostgreSQL (a database made afresh). `wrk -t2 -c8 --latency`, "
        f"{SECONDS} s a run. The cached page and its anchor,",
        "whitenoise serving the same bytes as a static file from the same gunicorn, alternate "
        f"{ROUNDS} times; the ratio",
        "is taken in each round and the median of the rounds reported. The machine's 2 cores were shared with",
        "other work (wrk, Redis and PostgreSQL run on them too), so req/s move from round to round; the ratio",
        "of the pair is the steadier figure.",
        "",
        "A hit is answered by `healthsite/fastpath.py` before the session, auth and view layers, from the pages",
        "the process keeps in memory, with the page's versions read through Redis's client tracking",
        "(`healthsite/cache.py`: kept in the process until Redis pushes an invalidation, so no round trip)",
        "and django-csp's policy built once per path; the page's bytes are sent as stored, compressed once.",
        "",
        f"```\n{record}\n```",
        "",
    ]
    for result in results:
        rounds = result["rounds"]
        ratios = [r["cached"]["rps"] / r["whitenoise"]["rps"] for r in rounds]
        lines += [
            f"### {'SQLite' if result['database'] == 'sqlite' else 'PostgreSQL + Redis'}",
            "",
            "| run | cached req/s | p50 | p99 | whitenoise req/s | p50 | p99 | cached / whitenoise | errors |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for i, (r, ratio) in enumerate(zip(rounds, ratios), 1):
            c, w = r["cached"], r["whitenoise"]
            lines.append(f"| {i} | {c['rps']:,.1f} | {c['p50_ms']:.2f} ms | {c['p99_ms']:.2f} ms | {w['rps']:,.1f} | "
                         f"{w['p50_ms']:.2f} ms | {w['p99_ms']:.2f} ms | {ratio:.2f} | {c['errors'] + w['errors']} |")
        u = result["uncached"]
        wire = result["wire"]
        lines += [
            "",
            f"Cached page / whitenoise, same bytes: median **{statistics.median(ratios):.2f}** "
            f"(rounds {min(ratios):.2f} to {max(ratios):.2f}; goal ≥ 0.9).  ",
            f"Uncached (`PAGE_CACHE_SECONDS=0`), one run before: {u['rps']:,.1f} req/s, p50 {u['p50_ms']:.2f} ms, "
            f"p99 {u['p99_ms']:.2f} ms, {u['errors']} errors.  ",
            f"Bytes on the wire, one GET with `Accept-Encoding: br, gzip`: {wire['bytes']:,} ({wire['encoding']}; "
            f"{result['identity']['bytes']:,} without it) / the peer's 1,476,763 = "
            f"**{wire['bytes'] / PEER_BYTES:.3f}** (goal ≤ 0.2).",
            "",
        ]
    return "\n".join(lines)


def main():
    (VAR / "static").mkdir(parents=True, exist_ok=True)
    record = sections.record()
    env = environment("sqlite")
    static = VAR / "static"
    shutil.rmtree(static)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    results = []
    for database in os.environ.get("DATABASES", "sqlite postgres").split():
        results.append(measure(database))
        (VAR / f"scale-{database}.json").write_text(json.dumps(results[-1], indent=1))
    text = section(results, record)
    print(text)
    if "--write" in sys.argv:
        sections.write(MARKER, text)


if __name__ == "__main__":
    main()
