"""Page churn cannot reset the limits: pages have a cache of their own, hold only canonical pages, and are bounded."""

import datetime
import json

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from comments.models import Comment
from healthsite.login import ThrottledAdminLoginForm
from tests.factories import ArticleFactory, CommentFactory, UserFactory, comment_form_data
from tests.concurrency import parallel_guesses
from tests.conftest import REDIS_URL
from tests.test_deploy import manage

pytestmark = pytest.mark.django_db


def login(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "editor", "password": password})


def test_fresh_page_addresses_evict_neither_the_login_lockout_nor_the_rate_limit(settings, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 12, 0, 10, tzinfo=datetime.UTC), tick=False)
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.COMMENTS_RATE_LIMITS = [(60, 2), (3600, 30)]
    editor = UserFactory(username="editor", is_staff=True)
    editor.set_password("right-password")
    editor.save()
    guesser = Client(REMOTE_ADDR="203.0.113.50")
    for _ in range(3):
        login(guesser, "wrong")
    assert "Too many failed logins" in login(guesser, "right-password").content.decode()
    article = ArticleFactory()
    comment = CommentFactory(article=article)
    url = article.get_absolute_url()
    poster = Client(REMOTE_ADDR="203.0.113.60")
    posted = [poster.post(url + "comments/", comment_form_data(body=f"Comment {i}")).status_code for i in range(3)]
    assert posted == [302, 302, 429]

    flooder = Client(REMOTE_ADDR="198.51.100.7")
    for i in range(400):  # every address a fresh one
        assert flooder.get(url + f"?replyto={comment.pk + i}").status_code == 200

    locked = login(guesser, "right-password")
    assert "Too many failed logins" in locked.content.decode() and "_auth_user_id" not in guesser.session
    assert poster.post(url + "comments/", comment_form_data(body="Comment 4")).status_code == 429
    assert Comment.objects.filter(body__startswith="Comment").count() == 2


def page_entries() -> int:
    return sum("pagecache:page:" in key for key in caches["pages"]._cache)


def test_only_the_articles_own_comment_pages_are_kept(settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    article = ArticleFactory()
    first, second = CommentFactory(article=article, body="Older thread"), CommentFactory(article=article)
    url = article.get_absolute_url()

    def cache_header(query):
        return Client().get(url + query).get("X-Page-Cache")

    assert [cache_header(""), cache_header("?cpage=1"), cache_header("?cpage=2"), cache_header("?cpage=2")] == [
        "miss", "hit", "miss", "hit"]  # ?cpage=1 is the article's own page
    past_the_end = Client().get(url + "?cpage=3")
    assert "Older thread" in past_the_end.content.decode()  # shown, as the last page
    for query in ("?cpage=3", "?cpage=0", "?cpage=x", "?cpage=2&cpage=2", f"?replyto={second.pk}",
                  f"?comment={first.pk}", "?cpage=2&utm_source=x"):
        assert cache_header(query) is None, query
        assert cache_header(query) is None, query
    assert page_entries() == 2


def test_a_reply_page_names_its_parent_but_is_never_kept():
    article = ArticleFactory()
    parent = CommentFactory(article=article, name="Noor")
    response = Client().get(article.get_absolute_url() + f"?replyto={parent.pk}")
    assert "Replying to Noor (not verified)" in response.content.decode()
    assert "X-Page-Cache" not in response and page_entries() == 0


def cache_settings(**env) -> dict:
    result = manage("shell", "-v", "0", "-c",
                    "from django.conf import settings; import json; print(json.dumps(settings.CACHES))",
                    DJANGO_SECRET_KEY="cache-settings-test-key", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_pages_have_a_bounded_local_cache_of_their_own_without_redis():
    caches_ = cache_settings(PAGE_CACHE_MAX_ENTRIES="200")
    assert caches_["pages"]["BACKEND"] == caches_["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert caches_["pages"]["LOCATION"] == "pages" and caches_["default"].get("LOCATION", "") == ""
    assert caches_["pages"]["OPTIONS"] == {"MAX_ENTRIES": 200}


def test_pages_share_redis_under_their_own_prefix_or_go_where_page_cache_url_says():
    shared = cache_settings(REDIS_URL="redis://cache.internal:6379/0")
    assert shared["pages"]["LOCATION"] == shared["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert shared["pages"]["KEY_PREFIX"] == "pages" and shared["default"].get("KEY_PREFIX", "") == ""
    apart = cache_settings(REDIS_URL="redis://cache.internal:6379/0", PAGE_CACHE_URL="redis://pages.internal:6379/0")
    assert apart["pages"]["LOCATION"] == "redis://pages.internal:6379/0"
    assert apart["default"]["LOCATION"] == "redis://cache.internal:6379/0"


def test_pages_on_redis_expire_with_page_cache_seconds(on_redis, settings):
    import redis

    settings.PAGE_CACHE_SECONDS = 120
    article = ArticleFactory()
    assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    server = redis.Redis.from_url(REDIS_URL)
    pages = server.keys(f"{settings.CACHES['pages']['KEY_PREFIX']}:*pagecache:page:*")
    assert len(pages) == 1 and 0 < server.ttl(pages[0]) <= 120
    assert server.keys(f"{settings.CACHES['default']['KEY_PREFIX']}:*pagecache*") == []


@pytest.fixture(params=["locmem", "redis"])
def counting_cache(request):
    if request.param == "redis":
        request.getfixturevalue("on_redis")


def test_parallel_wrong_passwords_get_at_most_the_limit_checked(settings, counting_cache):
    settings.LOGIN_FAILURE_LIMIT = 5
    valid = []

    def guess(barrier):
        request = RequestFactory().post("/admin/login/", REMOTE_ADDR="203.0.113.77")
        form = ThrottledAdminLoginForm(request, data={"username": "editor", "password": "guess"})
        barrier.wait()
        valid.append(form.is_valid())

    checked = parallel_guesses(40, guess, authenticate="django.contrib.auth.forms.authenticate")
    assert len(checked) == 5
    assert valid == [False] * 40
