"""Reports: on public comments only, weighed by who sends them, rate-limited, mailed once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("article", [
    lambda: ArticleFactory(status="draft", title="Secret draft"),
    lambda: ArticleFactory(title="Secret draft", published_at=timezone.now() + timedelta(days=3)),
], ids=["draft", "scheduled"])
def test_report_page_of_a_comment_on_an_unpublished_article_is_not_found(article):
    comment = CommentFactory(article=article(), body="Words under a draft")
    url = f"/comments/{comment.pk}/report/"
    for response in (Client().get(url), Client().post(url)):
        assert response.status_code == 404
        assert "Secret draft" not in response.content.decode()
        assert "Words under a draft" not in response.content.decode()
    assert comment.reports.count() == 0
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
