"""Site-wide pages and tags: /healthz, canonical links and OpenGraph/Twitter meta on every page."""

from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError

from tests.factories import ArticleFactory, AuthorFactory, BlogFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_database_and_caches_work(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "page_cache": "ok",
                               "outbox": {"oldest_unsent_seconds": None}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("alias, check", [("default", "cache"), ("pages", "page_cache")])
def test_healthz_answers_503_when_a_cache_loses_what_it_was_given(client, settings, alias, check):
    settings.CACHES = {**settings.CACHES, alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "ok", "page_cache": "ok",
                               check: "error: wrong answer", "outbox": {"oldest_unsent_seconds": None}}


def test_healthz_answers_503_when_the_database_fails(client):
    with mock.patch("healthsite.health._database", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error: OperationalError", "cache": "ok",
                               "page_cache": "ok", "outbox": {"oldest_unsent_seconds": None}}


@pytest.fixture
def everything(settings):
    settings.SITE_URL = "https://www.example.org"
    author = AuthorFactory(slug="ann", display_name="Ann Author")
    article = ArticleFactory(blog=BlogFactory(slug="calm", title="Calm"), authors=[author], title="Breathe",
                             summary="How to breathe.")
    article.topics.create(name="Anxiety", slug="anxiety")
    return article


@pytest.mark.parametrize(
    "url, canonical, og_title",
    [
        ("/", "https://www.example.org/", "HealthyPlace"),
        ("/?page=1", "https://www.example.org/", "HealthyPlace"),
        ("/blogs/calm/", "https://www.example.org/blogs/calm/", "Calm"),
        ("/topics/anxiety/", "https://www.example.org/topics/anxiety/", "Articles on Anxiety"),
        ("/authors/ann/", "https://www.example.org/authors/ann/", "Ann Author"),
        ("/search/?q=breathe", "https://www.example.org/search/", "Search HealthyPlace"),
        ("ARTICLE", "ARTICLE", "Breathe"),
    ],
)
def test_every_page_has_one_canonical_link_and_opengraph_tags(client, everything, url, canonical, og_title):
    if url == "ARTICLE":
        url = everything.get_absolute_url()
        canonical = everything.canonical_url()
    head = BeautifulSoup(client.get(url).content, "html.parser").head
    links = head.find_all("link", rel="canonical")
    assert [link["href"] for link in links] == [canonical]
    meta = {m.get("property") or m.get("name"): m["content"] for m in head.find_all("meta") if m.get("content")}
    assert meta["og:title"] == og_title
    assert meta["og:url"] == canonical
    assert meta["og:site_name"] == "HealthyPlace"
    assert meta["twitter:card"] in ("summary", "summary_large_image")
    assert meta["og:description"]


def test_article_opengraph_describes_the_article(client, everything):
    head = BeautifulSoup(client.get(everything.get_absolute_url()).content, "html.parser").head
    meta = {m.get("property") or m.get("name"): m["content"] for m in head.find_all("meta") if m.get("content")}
    assert meta["og:type"] == "article"
    assert meta["og:description"] == "How to breathe."
    assert meta["article:tag"] == "Anxiety"
    assert meta["article:published_time"] == everything.published_at.astimezone(
        meta_tz()).isoformat()


def meta_tz():
    from django.utils import timezone

    return timezone.get_current_timezone()


def test_second_page_of_a_list_is_its_own_canonical(client, everything):
    for _ in range(10):
        ArticleFactory()
    head = BeautifulSoup(client.get("/?page=2").content, "html.parser").head
    assert head.find("link", rel="canonical")["href"] == "https://www.example.org/?page=2"


def test_pages_advertise_their_feeds(client, everything):
    page = client.get("/blogs/calm/").content.decode()
    assert 'href="/feed/"' in page and 'href="/blogs/calm/feed/"' in page
