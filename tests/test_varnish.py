"""Varnish in front of the site, with deploy/varnish.vcl: anonymous article pages are hits, a reader with a
session passes, and the first request after an approval, an edit or a deletion commits is a miss with the
new page (the site purges by surrogate key through xkey)."""

import datetime
import glob
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from pathlib import Path

import brotli
import pytest
import time_machine
from pytest_django.live_server_helper import LiveServer

from comments import moderation
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory
from tests.test_several_processes import NoRedirect

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.processes
XKEY = glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob("/usr/lib/varnish/vmods/libvmod_xkey.so")


def free_port(ports) -> int:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")


def answers(port) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def site(django_db_blocker):
    """The site in a thread of this process (so it sees the test's database), at a port of its own."""
    with django_db_blocker.unblock():
        server = LiveServer(f"127.0.0.1:{free_port(range(8150, 8200))}")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def varnish(site, tmp_path_factory):
    missing = [what for ok, what in [(shutil.which("varnishd"), "varnishd (apt-get install varnish)"),
                                     (XKEY, "the xkey vmod (apt-get install varnish-modules)")] if not ok]
    if missing:
        if os.environ.get("CI"):
            pytest.fail("cannot run: " + "; ".join(missing))
        pytest.skip("needs " + "; ".join(missing))
    work = tmp_path_factory.mktemp("varnish")
    vcl = work / "site.vcl"
    vcl.write_text(re.sub(r'\.port = "\d+";', f'.port = "{site.thread.port}";',
                          (ROOT / "deploy" / "varnish.vcl").read_text(), count=1))
    port = free_port(range(6081, 6090))
    process = subprocess.Popen(
        ["varnishd", "-F", "-n", str(work / "n"), "-a", f"127.0.0.1:{port}", "-f", str(vcl), "-s", "malloc,32m",
         "-T", "none", "-j", "none"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("varnishd did not start: " + process.stderr.read().decode(errors="replace"))
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def cdn(varnish, transactional_db, settings):
    settings.CDN_PURGE_URL = varnish + "/"
    # The last test's articles went with its database, unseen: every shared page carries the key "site".
    urllib.request.urlopen(urllib.request.Request(varnish + "/", method="PURGE", headers={"xkey": "site"}), timeout=5)
    # Noon in the site's time zone, for the site's thread too: pages are kept 600 seconds, far from midnight.
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))):
        yield varnish


def fetch(url, **headers):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip", **headers})
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    body = response.read()
    encoding = response.headers.get("Content-Encoding")
    text = (body if not body else brotli.decompress(body) if encoding == "br"
            else gzip.decompress(body) if encoding == "gzip" else body).decode()
    return response.status, response.headers, text


def test_anonymous_pages_are_hits_until_a_write_purges_them(cdn):
    article = ArticleFactory(title="Sleep and fear")
    pending = CommentFactory(article=article, body="Words awaiting a moderator", status=Comment.Status.PENDING)
    url = cdn + article.get_absolute_url()

    status, first, html = fetch(url)
    assert (status, first["X-Cache"], first["Cache-Control"]) == (200, "miss", "public, max-age=0, s-maxage=600")
    assert first["Content-Encoding"] == "br" and "Set-Cookie" not in first
    status, second, again = fetch(url, Cookie="csrftoken=abc; _ga=xyz")  # cookies of no consequence
    assert (second["X-Cache"], len(second["X-Varnish"].split())) == ("hit", 2)
    assert again == html and "Words awaiting a moderator" not in html

    # The first request after each commit is a miss with the new page.
    moderation.approve(comment=pending, by=None)
    status, headers, html = fetch(url)
    assert headers["X-Cache"] == "miss" and "Words awaiting a moderator" in html
    assert fetch(url)[1]["X-Cache"] == "hit"

    article.title = "Sleep, fear and healing"
    article.save()
    status, headers, html = fetch(url)
    assert headers["X-Cache"] == "miss" and "Sleep, fear and healing" in html
    assert fetch(url)[1]["X-Cache"] == "hit"

    Comment.objects.filter(pk=pending.pk).delete()
    status, headers, html = fetch(url)
    assert headers["X-Cache"] == "miss" and "Words awaiting a moderator" not in html
    assert fetch(url)[1]["X-Cache"] == "hit"


def test_each_encoding_is_its_own_copy(cdn):
    article = ArticleFactory()
    url = cdn + article.get_absolute_url()
    pages = {}
    for accept, encoding in [("br, gzip", "br"), ("gzip, deflate", "gzip"), ("identity", None)]:
        assert fetch(url, **{"Accept-Encoding": accept})[1]["X-Cache"] == "miss"
        status, headers, html = fetch(url, **{"Accept-Encoding": accept})
        assert (headers["X-Cache"], headers.get("Content-Encoding")) == ("hit", encoding)
        pages[encoding] = html
    assert pages["br"] == pages["gzip"] == pages[None]
    # An encoding refused with q=0 is not sent, and shares the copy of what the reader takes.
    for accept, encoding in [("br;q=0, gzip", "gzip"), ("gzip; q=0.0, br;q=0", None), ("br;q=0.5", "br")]:
        status, headers, html = fetch(url, **{"Accept-Encoding": accept})
        assert (headers["X-Cache"], headers.get("Content-Encoding")) == ("hit", encoding)


def cookie(headers, name) -> str:
    return next(re.match(r"[^=]+=([^;]*)", value).group(1) for value in headers.get_all("Set-Cookie")
                if value.startswith(name + "="))


def test_a_poster_with_a_session_passes_and_sees_their_pending_comment(cdn, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    article = ArticleFactory()
    url = cdn + article.get_absolute_url()
    fetch(url)
    assert fetch(url)[1]["X-Cache"] == "hit"
    for _ in range(2):  # the form's token: the reader's own, never kept
        status, headers, body = fetch(cdn + "/comments/token/")
        assert (status, headers["X-Cache"]) == (200, "pass")
    values, csrf_cookie = json.loads(body), cookie(headers, "csrftoken")
    form = urllib.parse.urlencode({**values, "email": "dana@example.com", "body": "My own words, pending"}).encode()
    posted = urllib.request.Request(url + "comments/", data=form, headers={"Cookie": f"csrftoken={csrf_cookie}"})
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(posted, timeout=10)
    assert redirect.value.code == 302
    session = cookie(redirect.value.headers, "sessionid")

    status, headers, html = fetch(url, Cookie=f"sessionid={session}")
    assert headers["X-Cache"] == "pass" and headers["Cache-Control"] == "private"
    assert "My own words, pending" in html
    status, headers, html = fetch(url)  # everyone else: the shared page (purged by the new comment)
    assert headers["X-Cache"] == "miss" and "My own words, pending" not in html
    assert fetch(url, Cookie="messages=waiting")[1]["X-Cache"] == "pass"


def test_a_conditional_request_is_answered_from_varnish(cdn):
    article = ArticleFactory()
    url = cdn + article.get_absolute_url()
    etag = fetch(url)[1]["ETag"]
    assert etag.endswith('-br"')
    status, headers, _ = fetch(url, **{"If-None-Match": etag})
    assert (status, headers["X-Cache"]) == (304, "hit")


def test_purges_come_only_from_the_purgers(cdn):
    request = urllib.request.Request(cdn + "/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400  # from 127.0.0.1, a purger, but without keys
