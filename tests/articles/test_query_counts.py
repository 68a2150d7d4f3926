"""The article page's query count does not grow with its comments, whoever looks."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments import section, tree
from comments.models import Comment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def viewer_client(kind, article):
    client = Client()
    if kind == "anonymous":
        return client
    user = UserFactory(username=f"{kind}-viewer", verified=kind == "verified reader", display_name="Jordan R.")
    if kind == "moderator":
        user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    if kind == "verified reader":  # whose comments, published and pending, show under their name
        for i, status in enumerate(["approved", "approved", "pending"]):
            Comment.objects.create(article=article, user=user, name="Jordan R.", body=f"Mine {i}", status=status)
    if kind == "reader":  # with pending comments of their own on the page
        mine = [Comment.objects.create(article=article, user=user, body=f"Mine {i}", status="pending").pk
                for i in range(2)]
        session = client.session
        session[tree.SESSION_KEY] = mine
        session.save()
    return client


def crisis_client(article):
    """An anonymous poster shown crisis help at their pending comment, who has reported two comments."""
    client = Client()
    mine = Comment.objects.create(article=article, body="I want to end my life", status="pending", urgent=True)
    session = client.session
    session[tree.SESSION_KEY] = [mine.pk]
    section.remember_crisis(session, mine)
    for other in Comment.objects.filter(article=article, status="approved")[:2]:
        section.remember_reported(session, other)
    session.save()
    return client


def queries_for(n, kind, settings):
    call_command("makethread", str(n), stdout=open("/dev/null", "w"))
    article = Article.objects.get(slug="benchmark-article")
    client = crisis_client(article) if kind == "crisis" else viewer_client(kind, article)
    client.get(article.get_absolute_url())  # warm: sessions, content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", ["anonymous", "reader", "verified reader", "moderator", "crisis"])
@pytest.mark.parametrize("threads_per_page", [50, 0])
def test_query_count_is_the_same_at_10_100_and_1000_comments(settings, kind, threads_per_page):
    settings.PAGE_CACHE_SECONDS = 0
    settings.COMMENTS_THREADS_PER_PAGE = threads_per_page
    counts = [queries_for(n, kind, settings) for n in (10, 100, 1000)]
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 11, counts  # 10, and the article's published versions (the cite box, the update history)
