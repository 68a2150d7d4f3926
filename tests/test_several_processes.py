"""Two gunicorn instances on PostgreSQL and Redis share the page cache, its invalidation and the rate limits."""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from honcho.environ import parse_procfile

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.processes
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


class PlainHttpPolicy(http.cookiejar.DefaultCookiePolicy):
    """Send the production settings' Secure cookies back over the test's plain-HTTP loopback."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """A cookie-keeping HTTP client for the real servers (no redirects followed)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar(PlainHttpPolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, url, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            response = self.opener.open(urllib.request.Request(url, data=body), timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, dict(response.headers), response.read().decode()

    def set_cookie(self, name, value):
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def form_values(browser, base, html) -> dict:
    """Return the comment form's token and time: the page's own, or (a shared page) as its script asks for them."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html).group(1)
    stamp = re.search(r'name="timestamp"(?: value="([^"]*)")?', html).group(1)
    if token and stamp:
        return {"csrfmiddlewaretoken": token, "timestamp": stamp}
    status, _, answer = browser.request(base + "/comments/token/")
    assert status == 200
    return json.loads(answer)


@pytest.fixture
def servers(transactional_db, tmp_path):
    if connection.vendor != "postgresql" or not redis_is_up():
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis at 127.0.0.1:6379")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL, "CACHE_URL": "",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the sessions made here must be readable there
        "DJANGO_DEBUG": "0", "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": str(tmp_path / "static"),
        "COMMENTS_MIN_SECONDS": "0", "COMMENTS_RATE_PER_MINUTE": "4", "EMAIL_URL": "dummymail://",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    ports, processes = [free_port(), free_port()], []
    web = parse_procfile((ROOT / "Procfile").read_text()).processes["web"]
    for port in ports:  # each as `honcho start -c web=2` starts the Procfile's web line
        processes.append(subprocess.Popen(["/bin/sh", "-c", web], cwd=ROOT, env={
            **env, "PORT": str(port), "WEB_WORKERS": "1", "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"}))
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "/", timeout=2)
                    break
                except OSError:  # refused, reset or slow to answer while the server starts (URLError is one)
                    time.sleep(0.1)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def test_approval_through_one_instance_is_visible_through_the_other_at_once(servers):
    one, two = servers
    article = ArticleFactory()
    comment = CommentFactory(article=article, body="Shared approval", status=Comment.Status.PENDING)
    page = two + article.get_absolute_url()
    reader = Browser()
    assert reader.request(page)[1]["X-Page-Cache"] == "miss"
    status, headers, html = reader.request(page)
    assert headers["X-Page-Cache"] == "hit" and "Shared approval" not in html

    moderator = UserFactory(username="mod", is_staff=True)
    # Transactional tests flush the groups the data migration made; the permission is what counts.
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    django_client = Client()
    django_client.force_login(moderator)
    staff = Browser()
    staff.set_cookie("sessionid", django_client.cookies["sessionid"].value)
    status, _, queue = staff.request(one + "/moderation/")
    assert status == 200 and "Shared approval" in queue
    status, _, _ = staff.request(one + "/moderation/", {"csrfmiddlewaretoken": csrf(queue),
                                                         "action": f"approve:{comment.pk}"})
    assert status == 302

    status, headers, html = Browser().request(page)
    assert headers["X-Page-Cache"] == "miss"
    assert "Shared approval" in html


def test_rate_limit_is_shared_by_both_instances(servers):
    one, two = servers
    article = ArticleFactory()
    poster = Browser()
    results = []
    for i in range(6):
        base = (one, two)[i % 2]
        _, _, html = poster.request(base + article.get_absolute_url())
        status, _, _ = poster.request(base + article.get_absolute_url() + "comments/", {
            **form_values(poster, base, html), "name": "Rae", "email": "rae@example.com",
            "body": f"Comment {i} through instance {i % 2}"})
        results.append(status)
    assert results == [302, 302, 302, 302, 429, 429]
    assert Comment.objects.filter(article=article).count() == 4
