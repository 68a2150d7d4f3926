"""Every XSS vector, as a comment's name and body, renders inert once approved."""

import time

import pytest
from django.test import Client

from comments import antispam
from comments.models import Comment
from tests.factories import ArticleFactory
from tests.xss import VECTORS, active_content

pytestmark = pytest.mark.django_db


def test_corpus_is_large_enough():
    assert len(VECTORS) >= 100


def test_every_vector_as_comment_name_and_body_renders_inert(settings):
    settings.COMMENTS_RATE_LIMITS = [(60, 10**9)]
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    client = Client()
    url = article.get_absolute_url() + "comments/"
    for i, vector in enumerate(VECTORS):
        response = client.post(url, {"name": vector[:80], "email": "x@example.com", "body": f"{vector} #{i}",
                                     "timestamp": antispam.form_timestamp(time.time() - 10)})
        assert response.status_code in (302, 400), (vector, response.status_code)
    stored = Comment.objects.filter(article=article)
    assert stored.count() >= len(VECTORS) - 5  # a few are refused as blank or duplicate
    stored.update(status=Comment.Status.APPROVED)
    page = Client().get(article.get_absolute_url()).content.decode()
    assert active_content(page) == []
    for comment in stored:
        assert comment.body_html.count("<") == comment.body_html.count("<p>") + comment.body_html.count("<br>") \
            + comment.body_html.count("</p>") + comment.body_html.count("<a ") + comment.body_html.count("</a>")


def test_refused_post_rerenders_every_vector_inert(settings):
    settings.COMMENTS_RATE_LIMITS = [(60, 10**9)]
    article = ArticleFactory()
    client = Client()
    for vector in VECTORS:
        response = client.post(article.get_absolute_url() + "comments/", {"name": vector[:80], "body": vector})
        assert response.status_code == 400  # no email: the form comes back with the text kept
        assert active_content(response.content.decode()) == [], vector
