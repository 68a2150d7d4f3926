"""Outages: the database down answers 503 with a friendly page; Redis down degrades to no cache."""

import logging

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client

from comments.models import Comment
from healthsite.cache import ResilientRedisCache
from tests.factories import ArticleFactory, CommentFactory, comment_form_data

pytestmark = pytest.mark.django_db

DEAD_REDIS = {alias: {"BACKEND": "healthsite.cache.ResilientRedisCache",
                      "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
                      "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}} for alias in ("default", "pages")}


def test_database_outage_answers_503_with_a_friendly_page_and_no_traceback(monkeypatch):
    article = ArticleFactory()

    def unreachable(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr("articles.views.ArticleDetailView.get_object", unreachable)
    client = Client(raise_request_exception=False)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    page = response.content.decode()
    assert "Back in a moment" in page and "Traceback" not in page and "5432" not in page
    assert response["Retry-After"] == "60"


def test_other_errors_still_answer_500(monkeypatch):
    article = ArticleFactory()
    monkeypatch.setattr("articles.views.ArticleDetailView.get_object", lambda *a, **k: 1 / 0)
    response = Client(raise_request_exception=False).get(article.get_absolute_url())
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_redis_down_pages_keep_serving_and_posting_works(settings, caplog):
    settings.CACHES = DEAD_REDIS
    ResilientRedisCache._last_warning = 0.0  # log this outage even if another was logged a moment ago
    article = ArticleFactory()
    CommentFactory(article=article, body="Still readable")
    with caplog.at_level(logging.WARNING, logger="healthsite.cache"):
        response = Client().get(article.get_absolute_url())
        assert response.status_code == 200 and "Still readable" in response.content.decode()
        posted = Client().post(article.get_absolute_url() + "comments/", comment_form_data(body="Posted anyway"))
    assert posted.status_code == 302
    assert Comment.objects.filter(body="Posted anyway").exists()
    assert "Cache unavailable" in caplog.text
    assert caches["default"].get("anything", "fallback") == "fallback"
