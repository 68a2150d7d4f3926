"""The moderation queue at scale: /moderation/ with 100, 1,000 and 10,000 pending comments.

    .venv/bin/python bench/moderation.py   # SQLite (a fresh file under /tmp); prints the figures
    PG_URL=postgres://postgres:postgres@127.0.0.1:5432 .venv/bin/python bench/moderation.py --write
                                          # SQLite and PostgreSQL (database hs_moderation_bench, made
                                          # afresh); rewrites the section of BENCHMARKS.md

Each database gets the demo content, a moderator, 5,000 decided comments (the posters' history)
and then pending comments up to 100, 1,000 and 10,000: anonymous posters from a few thousand
addresses, one in fifty a reply, one in a hundred urgent, one in ten held as dosing advice with its
log entry, one in twenty reported. At each size it counts the queries of the first and the last page
(django.test.Client, logged in, DEBUG off) and times 20 GETs of each after 3 warm-ups.
"""

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sections

ROOT = Path(__file__).resolve().parent.parent
SIZES = [100, 1_000, 10_000]
WARMUPS, REPS = 3, 20
MARKER = "<!-- moderation: bench/moderation.py writes this section -->"


def measure() -> dict:
    """Fill the database named by DATABASE_URL and measure the queue; return the figures."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthsite.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from articles.models import Article
    from comments.models import Comment, ModerationEvent, Report
    from healthsite import sanitize

    call_command("migrate", verbosity=0)
    call_command("loaddemo", stdout=open(os.devnull, "w"))
    article = Article.objects.get(slug="baclofen-in-ptsd-treatment")
    moderator = get_user_model().objects.create_user("bench-moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    parents = list(Comment.objects.filter(article=article, status="approved"))
    now = timezone.now()

    def poster(i):
        return {"name": f"Poster {i % 3000}", "email": f"poster{i % 3000}@example.com",
                "ip_address": f"10.{i % 7}.{(i // 7) % 250}.{i % 250}"}

    def bulk(first, count, status):
        top = (Comment.objects.order_by("-tree_id").values_list("tree_id", flat=True).first() or 0) + 1
        rows = []
        for n in range(count):
            i = first + n
            body = f"Comment {i}: " + "I have been reading about this and wanted to share. " * 4
            if status == "pending" and i % 10 == 0:
                body += "I take 20 mg twice daily."
            rows.append(Comment(article=article, body=body, body_html=sanitize.comment_html(body), status=status,
                                created_at=now - timezone.timedelta(minutes=count - n), urgent=status == "pending" and i % 100 == 0,
                                dosing=status == "pending" and i % 10 == 0, tree_id=top + n, lft=1, rght=2,
                                level=0, **poster(i)))
        made = Comment.objects.bulk_create(rows, batch_size=500)
        if status != "pending":
            return
        Report.objects.bulk_create([Report(comment=c, session_key=f"s{c.pk}", reason="medical") for c in made
                                    if c.pk % 20 == 0], batch_size=500)
        ModerationEvent.objects.bulk_create([
            ModerationEvent(action="held", comment=c, comment_pk=c.pk, comment_poster=c.poster_name,
                            comment_posted_at=c.created_at, article_title=article.title, note="Dosing advice")
            for c in made if c.dosing], batch_size=500)

    for status in ("approved", "rejected", "spam"):
        bulk(0, {"approved": 3000, "rejected": 1500, "spam": 500}[status], status)
    client = Client()
    client.force_login(moderator)
    figures, have = [], 0
    from django.conf import settings

    plain_static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", STORAGES=plain_static):
        for size in SIZES:
            replies = [Comment(article=article, parent=parents[i % len(parents)], status="pending",
                               body=f"A reply {i}", **poster(i)) for i in range(have, size, 50)]
            for reply in replies:
                reply.save()
            bulk(have + len(replies), size - have - len(replies), "pending")
            have = size
            last = math.ceil(size / 50)
            for page in (1, last):
                url = f"/moderation/?page={page}"
                for _ in range(WARMUPS):
                    response = client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                count = len(queries)  # now: the next request empties the log it reads
                assert response.status_code == 200, response.status_code
                assert response.content.count(b"data-item=") == min(50, size - 50 * (page - 1))
                times, cpu = [], []
                for _ in range(REPS):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
                figures.append({"pending": size, "page": page, "queries": count,
                                "median_ms": round(statistics.median(times), 1),
                                "p90_ms": round(sorted(times)[math.ceil(0.9 * len(times)) - 1], 1),
                                "cpu_median_ms": round(statistics.median(cpu), 1), "bytes": len(response.content)})
    return {"database": connection.vendor, "figures": figures}


def run(database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": "benchmark-only", "DJANGO_DEBUG": "0",
           "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_ALLOWED_HOSTS": "testserver", "CACHE_URL": "",
           "REDIS_URL": "", "PAGE_CACHE_SECONDS": "0"}
    out = subprocess.run([sys.executable, __file__, "--measure"], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def section(results: list[dict]) -> str:
    lines = [
        MARKER,
        "## Moderation queue at scale: `/moderation/` with 10,000 pending comments",
        "",
        "Produced by `.venv/bin/python bench/moderation.py --write` (with `PG_URL` set, PostgreSQL too). Pending",
        "comments from anonymous posters on the demo article (one in fifty a reply, one in a hundred",
        "urgent, one in ten dosing advice with its log entry, one in twenty reported) beside 5,000 decided",
        "ones; 50 a page. Queries of one GET of the page, and the median and 90th percentile of 20 GETs after",
        "3 warm-ups (`django.test.Client`, logged in as a moderator, DEBUG off, same machine), wall time and",
        "the process's CPU time (the page's own work in Python; on PostgreSQL the server's time is outside",
        "it). Wall time above CPU time is waiting: for the database, or for the cores when the machine is busy.",
        "",
        f"```\ndate: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}\n"
        f"host: {os.uname().sysname} {os.uname().release} {os.uname().machine}; cores: {os.cpu_count()}\n"
        f"commit: {sections.commit()}\n```",
        "",
        "| database | pending | page | queries | median | p90 | CPU median | bytes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for row in result["figures"]:
            lines.append(f"| {result['database']} | {row['pending']:,} | {row['page']:,} | {row['queries']} | "
                         f"{row['median_ms']} ms | {row['p90_ms']} ms | {row['cpu_median_ms']} ms | {row['bytes']:,} |")
    counts = {row["queries"] for result in results for row in result["figures"]}
    lines += ["", f"Queries per page: {', '.join(map(str, sorted(counts)))} at every size and page "
                  "(constant in the number of pending comments)."]
    return "\n".join(lines) + "\n"


def main():
    if "--measure" in sys.argv:
        print(json.dumps(measure()))
        return
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(run(f"sqlite:///{folder}/bench.sqlite3"))
    pg = os.environ.get("PG_URL")
    if pg:
        import psycopg

        with psycopg.connect(f"{pg}/postgres", autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS hs_moderation_bench")
            admin.execute("CREATE DATABASE hs_moderation_bench")
        results.append(run(f"{pg}/hs_moderation_bench"))
    text = section(results)
    print(text)
    if "--write" in sys.argv:
        sections.write(MARKER, text)


if __name__ == "__main__":
    main()
