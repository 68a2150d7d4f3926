"""A mixed soak at a fixed request rate on PostgreSQL + Redis + Celery, as the Procfile runs the site.

    .venv/bin/python bench/soak.py --minutes 1            # a short run; prints the section
    .venv/bin/python bench/soak.py --minutes 10 --write   # the figure; rewrites its section of BENCHMARKS.md

The Procfile's web (gunicorn, 2 workers), worker and beat lines are started as honcho starts them, on a
PostgreSQL database made afresh (PG_URL/hs_bench_soak, the demo content and thread-1,000), Redis db 12 for
the cache and db 10 for the Celery broker, and a real SMTP server (aiosmtpd, in this process) on SMTP_PORT.
The load is open-loop: every request has its start time fixed in advance, and its latency is counted from
that time, so a slow site cannot slow the load down and hide its own slowness:
  - readers: READS_PER_SECOND GETs of article pages (the demo article, thread-1,000's first and second page);
  - posters: POSTS_PER_MINUTE readers who open an article page, wait the form's minimum fill time and post
    a comment (each its own address in X-Forwarded-For, TRUSTED_PROXY_COUNT=1; a text of its own);
  - a moderator, logged in through the login form: APPROVALS_PER_MINUTE times a minute, opens the queue
    and approves its first pending comment;
  - the Celery worker sends the outbox's mail (moderators are told of each comment) to the SMTP server.
Then it waits for the outbox to empty and checks: no request answered outside 2xx/3xx, every comment posted
is stored, every approval took, every outbox message reached the SMTP server once, no Message-ID twice.
Ports: web WEB_PORT [8210], SMTP SMTP_PORT [8211].
"""

import argparse
import concurrent.futures
import email
import http.client
import json
import logging
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import sections

ROOT = sections.ROOT
VAR = Path(os.environ.get("BENCH_VAR", "/tmp/healthsite-soak"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres:postgres@127.0.0.1:5432")
WEB_PORT = int(os.environ.get("WEB_PORT", "8210"))
SMTP_PORT = int(os.environ.get("SMTP_PORT", "8211"))
READS_PER_SECOND = float(os.environ.get("READS_PER_SECOND", "10"))
POSTS_PER_MINUTE = float(os.environ.get("POSTS_PER_MINUTE", "20"))
APPROVALS_PER_MINUTE = float(os.environ.get("APPROVALS_PER_MINUTE", "20"))
PASSWORD = "soak-password"
MARKER = "<!-- soak: bench/soak.py writes this section -->"
WORDS = ("sleep", "walks", "therapy", "friends", "journaling", "patience", "routine", "music", "support",
         "breathing", "morning", "evening", "group", "kindness", "rest", "progress", "garden", "reading")
ENV = {
    **os.environ,
    "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
    "DATABASE_URL": f"{PG_URL}/hs_bench_soak", "REDIS_URL": "redis://127.0.0.1:6379/12", "CACHE_URL": "",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10", "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "CELERY_BEAT_SCHEDULE_FILENAME": str(VAR / "beat-schedule"), "TRUSTED_PROXY_COUNT": "1",
    "DJANGO_SECRET_KEY": "benchmark-only", "DJANGO_DEBUG": "0", "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": str(VAR / "static"), "WEB_WORKERS": "2",
    "PYTHONDONTWRITEBYTECODE": "1",
}


# --- the SMTP server -------------------------------------------------------------------------------

class MailSink:
    """A real SMTP server that keeps the Message-ID of every message it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
        self.message_ids: list[str] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        self.message_ids.append(message["Message-ID"].strip().strip("<>"))
        return "250 Message accepted for delivery"


# --- the processes ---------------------------------------------------------------------------------

class Procfile:
    """The Procfile's lines, each started as honcho starts it (`sh -c`), in a process group of its own."""

    def __init__(self):
        from honcho.environ import parse_procfile

        self.lines = parse_procfile((ROOT / "Procfile").read_text()).processes
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, **env):
        log = open(VAR / f"{name}.log", "wb")
        self.running[name] = subprocess.Popen(["/bin/sh", "-c", self.lines[name]], cwd=ROOT, env={**ENV, **env},
                                              stdout=log, stderr=log, start_new_session=True)

    def stop(self):
        for process in self.running.values():
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


def manage(*args):
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args], cwd=ROOT, env=ENV, check=True,
                   stdout=subprocess.DEVNULL)


def prepare() -> None:
    import psycopg
    import redis

    VAR.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS hs_bench_soak WITH (FORCE)")
        admin.execute("CREATE DATABASE hs_bench_soak")
    for db in (12, 10):
        redis.Redis(db=db).flushdb()
    (VAR / "beat-schedule").unlink(missing_ok=True)
    manage("migrate", "-v0")
    manage("loaddemo", "--password", PASSWORD)
    manage("makethread", "1000")
    manage("collectstatic", "--noinput", "-v0")


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: not within {seconds} s")
        time.sleep(0.2)


# --- HTTP --------------------------------------------------------------------------------------------

class Visitor:
    """One browser: its cookies, its address (sent in X-Forwarded-For, as a proxy would)."""

    def __init__(self, address: str):
        self.address, self.cookies = address, {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=60)
        headers = {"X-Forwarded-For": self.address, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{WEB_PORT}{path}"
        try:
            connection.request("POST" if data is not None else "GET", path, body, headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or ():
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()


def field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


class Recorder:
    """Latency from each request's scheduled start, its status, per kind of request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.errors = defaultdict(int)
        self.notes = defaultdict(int)

    def timed(self, kind: str, scheduled: float, call):
        try:
            status, text = call()
        except Exception as error:  # noqa: BLE001 (a refused or broken connection is an error like a 500)
            status, text = f"{type(error).__name__}", ""
        with self.lock:
            self.latencies[kind].append((time.monotonic() - scheduled) * 1000)
            self.statuses[kind][status] += 1
            if not (isinstance(status, int) and 200 <= status < 400):
                self.errors[kind] += 1
        return status, text


# --- the load ----------------------------------------------------------------------------------------

class Soak:
    def __init__(self, run: str, seconds: float):
        from articles.models import Article

        self.run, self.seconds = run, seconds
        self.demo = Article.objects.get(slug="baclofen-in-ptsd-treatment").get_absolute_url()
        self.thread = Article.objects.get(slug="benchmark-article").get_absolute_url()
        self.reads = [self.demo, self.thread, self.thread + "?page=2"]
        self.record = Recorder()
        self.posted: list[str] = []
        self.approved: list[int] = []
        self.lock = threading.Lock()
        self.moderator = Visitor("10.255.0.1")

    def log_in(self) -> None:
        status, html = self.moderator.request("/accounts/login/")
        status, _ = self.moderator.request("/accounts/login/", {
            "csrfmiddlewaretoken": field(html, "csrfmiddlewaretoken"), "login": "moderator", "password": PASSWORD})
        if status != 302 or "sessionid" not in self.moderator.cookies:
            raise SystemExit(f"the moderator could not log in ({status})")

    def read(self, scheduled: float, n: int) -> None:
        visitor = Visitor(f"10.1.{n // 250 % 250}.{n % 250 + 1}")
        self.record.timed("reader: article page GET", scheduled, lambda: visitor.request(self.reads[n % 3]))

    def post(self, scheduled: float, n: int) -> None:
        visitor = Visitor(f"10.2.{n // 250 % 250}.{n % 250 + 1}")  # a poster's own address
        article = (self.demo, self.thread)[n % 2]
        status, html = self.record.timed("poster: article page GET", scheduled, lambda: visitor.request(article))
        if not (isinstance(status, int) and status == 200):
            return
        # The shared page carries no token: the form's script asks for one when the reader starts writing.
        status, token = self.record.timed("poster: form token GET", time.monotonic(),
                                          lambda: visitor.request("/comments/token/"))
        if status != 200:
            return
        due = time.monotonic() + 3.5  # the form's minimum fill time (COMMENTS_MIN_SECONDS = 3), and a little
        time.sleep(max(0.0, due - time.monotonic()))
        words = random.Random(n).sample(WORDS, 6)
        body = f"Soak {self.run}, comment {n}: what helps me is {', '.join(words)}."
        data = {**json.loads(token), "name": f"Poster {n}", "email": f"poster{n}@example.com", "body": body}
        status, _ = self.record.timed("poster: comment POST", due, lambda: visitor.request(article + "comments/", data))
        if status == 302:
            with self.lock:
                self.posted.append(body)
        else:
            self.record.notes[f"comment POST answered {status}"] += 1

    def moderate(self, scheduled: float, n: int) -> None:
        status, html = self.record.timed("moderator: queue GET", scheduled, lambda: self.moderator.request("/moderation/"))
        found = re.search(r'value="approve:(\d+)"', html)
        if status != 200 or found is None:
            self.record.notes["queue empty or unread"] += 1
            return
        data = {"csrfmiddlewaretoken": field(html, "csrfmiddlewaretoken"), "action": f"approve:{found.group(1)}"}
        status, _ = self.record.timed("moderator: approve POST", time.monotonic(),
                                      lambda: self.moderator.request("/moderation/", data))
        if status == 302:
            with self.lock:
                self.approved.append(int(found.group(1)))

    def schedule(self) -> list[tuple[float, object, int]]:
        events = []
        for every, task in ((1 / READS_PER_SECOND, self.read), (60 / POSTS_PER_MINUTE, self.post),
                            (60 / APPROVALS_PER_MINUTE, self.moderate)):
            offset = random.Random(str(task)).random() * every  # the three kinds do not start in step
            events += [(offset + i * every, task, i) for i in range(int((self.seconds - offset) / every) + 1)
                       if offset + i * every < self.seconds]
        return sorted(events, key=lambda event: event[0])

    def go(self) -> float:
        start = time.monotonic() + 1
        with concurrent.futures.ThreadPoolExecutor(max_workers=128) as pool:
            futures = []
            for at, task, n in self.schedule():
                time.sleep(max(0.0, start + at - time.monotonic()))
                futures.append(pool.submit(task, start + at, n))
            for future in futures:
                future.result()
        return time.monotonic() - start


# --- checking and reporting ------------------------------------------------------------------------

def check(soak: Soak, sink: MailSink) -> dict:
    from comments.models import Comment
    from healthsite.models import OutboxMessage

    stored = set(Comment.objects.filter(body__startswith=f"Soak {soak.run},").values_list("body", flat=True))
    approved = Comment.objects.filter(pk__in=soak.approved, status=Comment.Status.APPROVED).count()
    wait_until(lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(), 300, "the outbox emptying")
    outbox = list(OutboxMessage.objects.values_list("message_id", flat=True))
    wait_until(lambda: len(sink.message_ids) >= len(outbox), 30, "the SMTP server receiving every message")
    time.sleep(5)  # a second sending of any message would arrive now
    received = sink.message_ids
    outbox_ids = {message_id.strip().strip("<>") for message_id in outbox}
    return {
        "posted": len(soak.posted), "stored": len(stored & set(soak.posted)), "stored_in_all": len(stored),
        "approvals": len(soak.approved), "approved_in_db": approved,
        "outbox": len(outbox), "received": len(received), "distinct_received": len(set(received)),
        "received_not_in_outbox": len(set(received) - outbox_ids), "outbox_not_received": len(outbox_ids - set(received)),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def section(soak: Soak, result: dict, record: str, minutes: float, elapsed: float) -> str:
    kinds = ["reader: article page GET", "poster: article page GET", "poster: form token GET", "poster: comment POST",
             "moderator: queue GET", "moderator: approve POST"]
    lines = [
        MARKER,
        f"## A {minutes:g}-minute mixed soak at a fixed rate: PostgreSQL + Redis + Celery + SMTP",
        "",
        f"Produced by `.venv/bin/python bench/soak.py --minutes {minutes:g} --write`. The Procfile's web (gunicorn, 2 sync",
        "workers), worker and beat, started as honcho starts them, on PostgreSQL (a database made afresh: the demo",
        "content and thread-1,000, 50 threads a page), Redis (cache db 12, Celery broker db 10) and a real SMTP",
        "server (aiosmtpd). The load is open-loop: each request's start is fixed in advance and its latency",
        "counted from then, whatever the site's answers before it (a poster's token GET is due when its page",
        "came, its POST 3.5 s after the token came, an approval's POST when its queue page came). Per second "
        f"{READS_PER_SECOND:g}",
        "reader GETs (the demo article, thread-1,000's pages 1 and 2, in turn); per minute "
        f"{POSTS_PER_MINUTE:g} posters (each opens an",
        "article page, asks `/comments/token/` for the form's token and time as the form's script does, waits the",
        "3-second minimum fill time and posts, from an address of its own in X-Forwarded-For with",
        f"TRUSTED_PROXY_COUNT=1, a text of its own) and {APPROVALS_PER_MINUTE:g} times a moderator, logged in "
        "through the login form, opens",
        "the queue and approves its first",
        "pending comment; every post writes the moderators' mail to the outbox, sent by the Celery worker. An error is",
        "any answer outside 2xx/3xx or a failed connection. The machine's 2 cores were shared with other work.",
        "",
        f"```\n{record}\nload ran: {elapsed:.0f} s\n```",
        "",
        "| request | count | p50 | p99 | max | errors | statuses |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in kinds:
        values = soak.record.latencies.get(kind, [])
        if not values:
            lines.append(f"| {kind} | 0 | | | | 0 | |")
            continue
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(soak.record.statuses[kind].items(), key=str))
        lines.append(f"| {kind} | {len(values):,} | {statistics.median(values):.1f} ms | {percentile(values, 99):.1f} ms | "
                     f"{max(values):.1f} ms | {soak.record.errors[kind]} | {statuses} |")
    errors = sum(soak.record.errors.values())
    r = result
    lines += [
        "",
        f"- Errors: **{errors}** of {sum(map(len, soak.record.latencies.values())):,} requests.",
        f"- Comments: {r['posted']} posted (answered 302), **{r['stored']}** of them stored "
        f"({r['stored_in_all']} soak comments in the database).",
        f"- Approvals: {r['approvals']} answered 302, {r['approved_in_db']} of those comments approved in the database.",
        f"- Mail: {r['outbox']} outbox messages, all sent; the SMTP server received **{r['received']}** messages, "
        f"{r['distinct_received']} distinct Message-IDs ({r['received_not_in_outbox']} not from the outbox, "
        f"{r['outbox_not_received']} outbox messages never received).",
    ]
    if soak.record.notes:
        lines.append("- Notes: " + "; ".join(f"{note}: {count}" for note, count in sorted(soak.record.notes.items())) + ".")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    record = sections.record()
    prepare()
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthsite.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    sink = MailSink()
    processes = Procfile()
    try:
        processes.start("web", PORT=str(WEB_PORT))
        processes.start("worker")
        processes.start("beat")
        wait_until(lambda: _answers("/healthz"), 60, "gunicorn answering")
        wait_until(lambda: "ready." in (VAR / "worker.log").read_text(errors="replace"), 60, "the worker starting")
        soak = Soak(time.strftime("%H%M%S"), args.minutes * 60)
        soak.log_in()
        elapsed = soak.go()
        result = check(soak, sink)
    finally:
        processes.stop()
        sink.controller.stop()
    text = section(soak, result, record, args.minutes, elapsed)
    print(text)
    if args.write:
        sections.write(MARKER, text)


def _answers(path: str) -> bool:
    try:
        return Visitor("127.0.0.1").request(path)[0] == 200
    except OSError:
        return False


if __name__ == "__main__":
    main()
