"""The site at scale, as the Procfile runs it: two gunicorn processes, a Celery worker and beat, on PostgreSQL,
a Redis of the test's own (broker and cache), moto's S3 server for media and a real SMTP server for mail."""

import asyncio
import email
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from honcho.environ import parse_procfile
from PIL import Image

from articles.models import Article
from comments.models import Comment
from healthsite.models import OutboxMessage
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory, BlogFactory, UserFactory
from tests.healthsite.test_images import jpeg_with_gps
from tests.s3 import free_port
from tests.test_several_processes import Browser, csrf, form_values

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.processes
PROCFILE = parse_procfile((ROOT / "Procfile").read_text()).processes


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {seconds} seconds")


class MailSink:
    """A real SMTP server (aiosmtpd) that keeps every message it is given, and can hold the next one unanswered."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.holding = threading.Event()  # set: the next message is kept without an answer until release()
        self.held = threading.Event()
        self._release = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.port = self.controller.port

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        if self.holding.is_set():
            self.holding.clear()
            self.held.set()
            while not self._release.is_set():  # the sender waits for the reply to its DATA
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def release(self):
        self._release.set()

    def stop(self):
        self.release()
        self.controller.stop()


class Topology:
    """The Procfile's processes, each started as honcho starts it (`sh -c` with PORT), with its own log."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs = env, logs
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, kind: str, **env):
        log = open(self.logs / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            ["/bin/sh", "-c", PROCFILE[kind]], cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=log,
            start_new_session=True)  # its own process group: a kill reaches the worker's pool too

    def kill(self, name: str):
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self):
        for name in list(self.processes):
            process = self.processes.pop(name)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")


class Redis:
    """A redis-server of the test's own, so an outage can be made without touching anyone else's."""

    def __init__(self):
        self.port = free_port()
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        wait_for(lambda: self._answers(redis), 10, "redis-server answering")

    def _answers(self, redis):
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, s3_server, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the processes share the test database")
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (Debian's redis-server package) for a Redis of the test's own")
    work = tmp_path_factory.mktemp("scale")
    redis, mail, bucket = Redis(), MailSink(), s3_server.bucket()
    db = connection.settings_dict
    env = {
        **os.environ, **s3_server.environment(bucket),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/1", "CACHE_URL": "",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis.port}/0",
        "EMAIL_URL": f"smtp://127.0.0.1:{mail.port}", "EMAIL_TIMEOUT": "3",
        # A dead sender's claim runs out after 5 seconds; beat sweeps every second.
        "OUTBOX_LEASE_SECONDS": "5", "OUTBOX_SWEEP_SECONDS": "1",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(work / "beat-schedule"),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # sessions made here are read there
        "DJANGO_DEBUG": "0", "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(work / "static"), "COMMENTS_MIN_SECONDS": "0", "WEB_WORKERS": "1",
        "WORKER_CONCURRENCY": "1",
    }
    with django_db_blocker.unblock():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)
    topology = Topology(env, work)
    topology.redis, topology.mail, topology.bucket, topology.s3 = redis, mail, bucket, s3_server
    topology.urls, topology.media_roots = [], []
    for n in (1, 2):
        port, media = free_port(), work / f"media-{n}"  # a local media folder of each web process's own
        topology.start(f"web.{n}", "web", PORT=str(port), MEDIA_ROOT=str(media))
        topology.urls.append(f"http://127.0.0.1:{port}")
        topology.media_roots.append(media)
    topology.start("worker", "worker")
    topology.start("beat", "beat")
    try:
        for url in topology.urls:
            wait_for(lambda: answers(url + "/healthz"), 30, f"{url} answering")
        wait_for(lambda: "ready." in topology.log("worker"), 30, "the Celery worker starting")
        yield topology
    finally:
        topology.stop()
        mail.stop()
        redis.stop()


def answers(url) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=2).status == 200
    except OSError:
        return False


@pytest.fixture
def scale(site, transactional_db, role_groups):
    site.mail.messages.clear()
    yield site


def logged_in(user) -> Browser:
    django_client = Client()
    django_client.force_login(user)
    browser = Browser()
    browser.set_cookie("sessionid", django_client.cookies["sessionid"].value)
    return browser


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, upload in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{upload.name}"\r\n'
                  f"Content-Type: {upload.content_type}\r\n\r\n".encode() + upload.read() + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def post_comment(base, article, body) -> int:
    reader = Browser()
    _, _, html = reader.request(base + article.get_absolute_url())
    status, _, _ = reader.request(base + article.get_absolute_url() + "comments/", {
        **form_values(reader, base, html), "name": "Rae", "email": "rae@example.com",
        "body": body})
    return status


def moderator() -> None:
    user = UserFactory(username="mod", email="mod@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))


def test_an_image_uploaded_through_one_web_process_is_served_through_the_other_from_s3(scale):
    one, two = scale.urls
    from django.contrib.auth.models import Group

    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    author, blog = AuthorFactory(), BlogFactory()
    browser = logged_in(editor)
    _, _, form = browser.request(one + "/admin/articles/article/add/")
    fields = {**form_data(form), "csrfmiddlewaretoken": csrf(form), "blog": str(blog.pk), "title": "Shared picture",
              "slug": "shared-picture", "body": "<p>Text.</p>", "status": "published",
              "published_at_0": "2024-05-01", "published_at_1": "09:00:00", "lead_image_alt": "A teal square",
              "credits-TOTAL_FORMS": "1", "credits-0-author": str(author.pk), "credits-0-position": "0"}
    body, content_type = multipart(fields, {"lead_image": jpeg_with_gps(1000, 600)})
    request = urllib.request.Request(one + "/admin/articles/article/add/", data=body,
                                     headers={"Content-Type": content_type})
    try:
        response = browser.opener.open(request, timeout=30)
        status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 302
    article = Article.objects.get(slug="shared-picture")

    status, _, html = Browser().request(two + article.get_absolute_url())
    assert status == 200
    page = BeautifulSoup(html, "html.parser")
    stem = article.lead_image.name.rsplit(".", 1)[0]
    webp = [entry.split(" ")[0] for entry in page.find("source", type="image/webp")["srcset"].split(", ")]
    assert webp == [f"{scale.s3.url}/{scale.bucket}/renditions/{stem}-{w}w.webp" for w in (480, 800, 1000)]
    for url in webp + [page.find("img", alt="A teal square")["src"]]:
        with urllib.request.urlopen(url, timeout=10) as image:
            assert image.status == 200
            assert Image.open(io.BytesIO(image.read())).width in (480, 800, 1000)
    assert [root.exists() for root in scale.media_roots] == [False, False]  # no local copy anywhere


def test_a_comments_mail_goes_out_from_the_worker_with_the_outboxs_message_id(scale):
    moderator()
    article = ArticleFactory(title="On grief")
    assert post_comment(scale.urls[1], article, "Sent by the worker") == 302
    wait_for(lambda: scale.mail.messages, 20, "the moderators' mail arriving")
    message = OutboxMessage.objects.get()
    wait_for(lambda: OutboxMessage.objects.get().sent_at is not None, 10, "the mail marked sent")
    [mail] = scale.mail.messages
    assert (mail["Subject"], mail["To"], mail["Message-ID"]) == (
        "Comment awaiting moderation: On grief", "mod@example.com", message.message_id)
    assert "Sent by the worker" in mail.get_payload(decode=True).decode()
    assert "healthsite.tasks.send_mail" in scale.log("worker")


def test_a_worker_killed_mid_send_leaves_the_mail_to_be_sent_once_more_with_the_same_message_id(scale):
    moderator()
    scale.mail.holding.set()  # the mail server takes the next message and does not answer
    assert post_comment(scale.urls[0], ArticleFactory(title="On grief"), "Sent twice at most") == 302
    assert scale.mail.held.wait(20), "the worker never reached the mail server"
    scale.kill("worker")  # mid-send: the server has the message, the worker never heard back
    scale.mail.release()
    scale.mail.held.clear()
    message = OutboxMessage.objects.get()
    assert (message.sent_at, message.attempts) == (None, 1)
    scale.start("worker", "worker")
    wait_for(lambda: len(scale.mail.messages) == 2, 40, "the mail sent again after the claim ran out")
    wait_for(lambda: OutboxMessage.objects.get().sent_at is not None, 10, "the mail marked sent")
    time.sleep(7)  # a claim and several sweeps later, nothing more is sent
    assert [m["Message-ID"] for m in scale.mail.messages] == [message.message_id] * 2
    assert OutboxMessage.objects.get().attempts == 2


def test_a_redis_outage_at_posting_time_loses_no_mail(scale):
    moderator()
    article = ArticleFactory(title="On grief")
    scale.redis.stop()  # broker and cache gone; nothing of Redis's survives (no persistence)
    try:
        assert post_comment(scale.urls[0], article, "Posted while Redis was down") == 302
        assert Comment.objects.get().body == "Posted while Redis was down"
        message = OutboxMessage.objects.get()
        assert message.sent_at is None and scale.mail.messages == []
    finally:
        scale.redis.start()
    # The worker and beat reconnect; beat's sweep sends what no job took.
    wait_for(lambda: scale.mail.messages, 60, "the sweep sending the mail after the outage")
    time.sleep(3)
    assert [m["Message-ID"] for m in scale.mail.messages] == [message.message_id]
    assert OutboxMessage.objects.get().sent_at is not None


def test_honcho_runs_the_procfile_two_web_processes_a_worker_and_beat(scale, tmp_path):
    """The README's command: `honcho start -c web=2` (on a broker and cache of its own here)."""
    moderator()
    base = free_port()
    env = {**scale.env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{scale.redis.port}/2",
           "REDIS_URL": f"redis://127.0.0.1:{scale.redis.port}/3", "MEDIA_ROOT": str(tmp_path / "media"),
           "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule")}
    (tmp_path / "empty.env").write_text("")
    log = open(tmp_path / "honcho.log", "wb")
    honcho = subprocess.Popen(
        [str(Path(sys.executable).parent / "honcho"), "start", "-c", "web=2", "-p", str(base), "-e",
         str(tmp_path / "empty.env")], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        urls = [f"http://127.0.0.1:{base}", f"http://127.0.0.1:{base + 1}"]
        for url in urls:
            wait_for(lambda: answers(url + "/healthz"), 30, f"{url} answering")
        with urllib.request.urlopen(urls[1] + "/healthz", timeout=5) as response:
            assert b'"broker": "ok"' in response.read()
        assert post_comment(urls[1], ArticleFactory(title="On grief"), "Through honcho's web.2") == 302
        wait_for(lambda: scale.mail.messages, 30, "the mail from honcho's worker")

        def said(pattern):  # honcho's output lags behind what its processes do
            return lambda: re.search(pattern, (tmp_path / "honcho.log").read_text(errors="replace"))

        wait_for(said(r"worker\.1 .*healthsite\.tasks\.send_mail\[.*\] succeeded"), 10, "honcho showing the send")
        wait_for(said(r"beat\.1 .*beat: Starting"), 10, "honcho showing beat")
        assert [m["Subject"] for m in scale.mail.messages] == ["Comment awaiting moderation: On grief"]
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        honcho.wait(timeout=20)
