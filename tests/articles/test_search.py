"""Search at /search/?q=: full-text on PostgreSQL, a word match on SQLite; highlights; no junk errors."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import search
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return {
        "title": ArticleFactory(title="Baclofen and sleep", body="<p>Nothing else here.</p>"),
        "summary": ArticleFactory(title="A quiet piece", summary="Why baclofen matters.", body="<p>Other words.</p>"),
        "body": ArticleFactory(title="Long read", body="<h2>Part one</h2><p>Researchers gave baclofen to fourteen "
                                                       "survivors &amp; measured <em>calm</em>.</p>"),
        "neither": ArticleFactory(title="Gardening", body="<p>Tomatoes.</p>"),
        "draft": ArticleFactory(title="Baclofen draft", status="draft"),
        "scheduled": ArticleFactory(title="Baclofen later", published_at=timezone.now() + timedelta(days=1)),
    }


def found(client, q) -> list[str]:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return [a.title for a in response.context["object_list"]]


def test_search_finds_words_in_title_summary_and_body_of_published_articles_only(client, articles):
    assert sorted(found(client, "baclofen")) == ["A quiet piece", "Baclofen and sleep", "Long read"]


def test_every_word_must_match(client, articles):
    assert found(client, "baclofen fourteen") == ["Long read"]
    assert found(client, "baclofen tomatoes") == []


def test_title_matches_rank_first_on_postgresql(client, articles):
    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL full-text search's")
    assert found(client, "baclofen")[0] == "Baclofen and sleep"
    assert found(client, "survivor") == ["Long read"]  # stemmed: "survivors" matches


def test_results_highlight_the_words(client, articles):
    page = client.get("/search/", {"q": "Baclofen"}).content.decode()
    assert "<mark>Baclofen</mark> and sleep" in page
    assert "gave <mark>baclofen</mark> to fourteen" in page
    assert "survivors &amp; measured calm" in page  # text of the body, its markup gone


def test_highlights_escape_what_articles_contain(client):
    ArticleFactory(title="Using <b> tags & baclofen", body="<p>x &lt;script&gt; baclofen</p>")
    page = client.get("/search/", {"q": "baclofen"}).content.decode()
    assert "Using &lt;b&gt; tags &amp; <mark>baclofen</mark>" in page
    assert "<script>" not in page.split("<main")[1]


@pytest.mark.parametrize(
    "q, message",
    [
        ("", "Type a word or two to search"),
        ("    ", "Type a word or two to search"),
        ("!!! ??? ***", "We search for words."),
        ("%_%", "We search for words."),
        ("x", "We search for words."),
        ("\x01\x02", "We search for words."),  # a NUL is refused before the search (tests/test_bad_requests.py)
        ("zebra", "No articles match “zebra”."),
        ("<script>alert(1)</script>", "No articles match “&lt;script&gt;alert(1)&lt;/script&gt;”."),
        ("baclofen & | ! ( ) :* ' \" \\", "3 articles match"),
        ("the", ""),
        ("a" * 5000, "No articles match"),
        ("baclofen " * 40, "3 articles match"),
    ],
)
def test_empty_and_junk_queries_get_a_helpful_page(client, articles, q, message):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_search_results_are_paginated_keeping_the_query(client):
    for n in range(12):
        ArticleFactory(title=f"Anxiety note {n}")
    page = client.get("/search/", {"q": "anxiety"}).content.decode()
    assert "12 articles match" in page
    assert 'href="?q=anxiety&amp;page=2"' in page
    assert len(client.get("/search/", {"q": "anxiety", "page": 2}).context["object_list"]) == 2


def test_terms_keep_words_only():
    assert search.terms("PTSD & sleep -- sleep? a x2") == ["ptsd", "sleep", "x2"]
    assert search.terms("\x00<>%_") == []
    assert search.terms("sleep " * 33 + "anxiety") == ["sleep"]  # cut at 200 characters, not inside a word
    assert len(search.terms(" ".join(f"w{i}" for i in range(30)))) == search.MAX_TERMS
