"""A published article with a future publication time is invisible everywhere until then."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Topic
from tests.factories import ArticleFactory, AuthorFactory, BlogFactory

pytestmark = pytest.mark.django_db

TITLE = "Tomorrowland of Trauma Recovery"


@pytest.fixture
def scheduled():
    author = AuthorFactory(slug="writer")
    blog = BlogFactory(slug="recovery")
    topic = Topic.objects.create(name="Recovery", slug="recovery")
    article = ArticleFactory(
        blog=blog, authors=[author], title=TITLE, slug="tomorrowland",
        summary="Zyzzogeton scheduled words.", published_at=timezone.now() + timedelta(minutes=1),
    )
    article.topics.add(topic)
    ArticleFactory(blog=blog, authors=[author], title="Already out")  # so every list has something
    return article


def pages(article):
    """Every place a reader or a crawler may find an article."""
    return {
        "home": "/",
        "blog": "/blogs/recovery/",
        "topic": "/topics/recovery/",
        "author": "/authors/writer/",
        "search": "/search/?q=zyzzogeton",
        "feed": "/feed/",
        "blog feed": "/blogs/recovery/feed/",
        "author feed": "/authors/writer/feed/",
        "sitemap": "/sitemap.xml",
    }


def test_scheduled_article_is_invisible_before_its_time(client, scheduled):
    for place, url in pages(scheduled).items():
        response = client.get(url)
        assert response.status_code == 200, place
        content = response.content.decode()
        assert TITLE not in content and scheduled.get_absolute_url() not in content, place
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_scheduled_article_appears_everywhere_once_its_time_comes(client, scheduled):
    later = timezone.now() + timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        for place, url in pages(scheduled).items():
            response = client.get(url)
            assert response.status_code == 200, place
            content = response.content.decode()
            assert scheduled.get_absolute_url() in content, place
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_moving_the_publication_time_into_the_past_publishes_without_a_job(client, scheduled):
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    type(scheduled).objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    scheduled.refresh_from_db()
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert TITLE in client.get("/").content.decode()


def test_draft_is_invisible_everywhere_even_when_due(client, scheduled):
    type(scheduled).objects.filter(pk=scheduled.pk).update(status="draft", published_at=timezone.now() - timedelta(days=1))
    scheduled.refresh_from_db()
    for place, url in pages(scheduled).items():
        assert scheduled.get_absolute_url() not in client.get(url).content.decode(), place
    assert client.get(scheduled.get_absolute_url()).status_code == 404
