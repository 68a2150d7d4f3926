"""The moderators' queue at /moderation/ and the Comment admin."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client():
    user = UserFactory(username="moderator", is_staff=True, email="mod@example.com")
    user.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(user)
    return client


def pending(**kwargs):
    return CommentFactory(status=Comment.Status.PENDING, **kwargs)


def test_queue_needs_the_moderation_permission(client):
    assert client.get("/moderation/").status_code == 302  # to the login page
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/moderation/").status_code == 403
    comment = pending()
    assert client.post("/moderation/", {"action": f"approve:{comment.pk}"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_queue_lists_urgent_first_then_oldest_with_details(moderator_client):
    now = timezone.now()
    article = ArticleFactory(title="On sleep")
    parent = CommentFactory(article=article, name="Ann", body="Parent words")
    old = pending(article=article, parent=parent, name="Bo", email="bo@example.com", ip_address="203.0.113.5",
                  body="See https://example.com/a and https://example.com/b", created_at=now - timedelta(hours=3))
    new = pending(article=article, created_at=now - timedelta(hours=1))
    urgent = pending(article=article, urgent=True, created_at=now)
    CommentFactory(article=article, body="Approved: not in the queue")
    soup = BeautifulSoup(moderator_client.get("/moderation/").content, "html.parser")
    items = soup.select(".queue-item")
    assert [i["id"] for i in items] == [f"pending-{c.pk}" for c in (urgent, old, new)]
    detail = items[1].get_text(" ", strip=True)
    for expected in ["On sleep", "In reply to Ann (not verified): Parent words", "Bo (not verified)", "bo@example.com",
                     "203.0.113.5", "Links 2"]:
        assert expected in detail
    assert "Urgent: crisis language" in items[0].get_text()


def test_approve_from_the_queue_stays_in_the_queue_and_shows_the_comment(moderator_client, client):
    comment = pending(body="Please approve me")
    response = moderator_client.post("/moderation/", {"action": f"approve:{comment.pk}"})
    assert response.status_code == 302 and response["Location"].startswith("/moderation/")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Please approve me" in client.get(comment.article.get_absolute_url()).content.decode()


def test_bulk_reject_and_spam(moderator_client):
    a, b, c = pending(), pending(), pending()
    moderator_client.post("/moderation/", {"action": "reject", "ids": [a.pk, b.pk]})
    moderator_client.post("/moderation/", {"action": "spam", "ids": [c.pk]})
    assert {x.status for x in Comment.objects.filter(pk__in=[a.pk, b.pk])} == {Comment.Status.REJECTED}
    assert Comment.objects.get(pk=c.pk).status == Comment.Status.SPAM


def test_queue_action_needs_csrf(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    comment = pending()
    assert client.post("/moderation/", {"action": f"approve:{comment.pk}"}).status_code == 403


def test_unknown_action_is_refused_with_a_message(moderator_client):
    comment = pending()
    response = moderator_client.post("/moderation/", {"action": "delete", "ids": [comment.pk]}, follow=True)
    assert "Choose one or more comments and an action." in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_admin_index_shows_the_pending_count(moderator_client):
    pending(), pending()
    page = moderator_client.get("/admin/").content.decode()
    assert "2 comments awaiting moderation" in page


def test_admin_filters_and_search(moderator_client):
    article = ArticleFactory()
    CommentFactory(article=article, body="needle in the haystack", name="Finder")
    CommentFactory(article=article, body="other words")
    changelist = moderator_client.get("/admin/comments/comment/", {"q": "needle"})
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1
    urgent_only = moderator_client.get("/admin/comments/comment/", {"urgent__exact": "1"})
    assert urgent_only.context["cl"].result_count == 0


def test_admin_bulk_spam_action(moderator_client):
    comment = pending()
    moderator_client.post("/admin/comments/comment/", {"action": "bulk_as_spam", "_selected_action": [comment.pk]})
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.SPAM


def test_moderators_cannot_reach_the_article_admin(moderator_client):
    assert moderator_client.get("/admin/articles/article/").status_code == 403
