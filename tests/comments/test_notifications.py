"""Mail about comments: moderators, reply subscribers, authors; failures never lose a comment."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from comments import moderation, notifications
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, UserFactory, comment_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = UserFactory(username="mod", email="mod@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def post(client, article, **fields):
    return client.post(article.get_absolute_url() + "comments/", comment_form_data(**fields))


def test_moderators_get_mail_for_each_pending_comment(client, moderator, mailoutbox):
    article = ArticleFactory(title="On grief")
    post(client, article, body="A quiet comment")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["mod@example.com"]
    assert mailoutbox[0].subject == "Comment awaiting moderation: On grief"
    assert "A quiet comment" in mailoutbox[0].body


def test_urgent_comment_mail_says_urgent(client, moderator, mailoutbox):
    post(client, ArticleFactory(title="On grief"), body="I want to kill myself")
    assert mailoutbox[0].subject == "[URGENT: crisis language] Comment awaiting moderation: On grief"


def test_reply_approval_mails_the_parent_poster_who_opted_in(client, moderator, mailoutbox):
    parent = CommentFactory(email="ann@example.com", notify_replies=True)
    post(client, parent.article, body="Hello Ann", parent=parent.pk)
    reply = Comment.objects.get(body="Hello Ann")
    mailoutbox.clear()
    moderation.approve(comment=reply, by=moderator)
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]
    message = mailoutbox[0]
    assert "Hello Ann" in message.body
    link = re.search(r"https?://\S+/comments/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"


def test_no_reply_mail_without_opt_in(client, moderator, mailoutbox):
    parent = CommentFactory(email="ann@example.com", notify_replies=False)
    post(client, parent.article, body="Hello Ann", parent=parent.pk)
    mailoutbox.clear()
    moderation.approve(comment=Comment.objects.get(body="Hello Ann"), by=moderator)
    assert mailoutbox == []


def test_opt_in_checkbox_is_stored(client):
    post(client, ArticleFactory(), body="Tell me", notify_replies="on")
    assert Comment.objects.get().notify_replies is True


def test_unsubscribe_link_works_in_one_click_and_is_tamper_proof(client):
    parent = CommentFactory(email="ann@example.com", notify_replies=True)
    other = CommentFactory(email="bob@example.com", notify_replies=True)
    token = notifications.unsubscribe_token("ann@example.com")
    assert "Stop emails about replies" in client.get(f"/comments/unsubscribe/{token}/").content.decode()
    response = Client(enforce_csrf_checks=True).post(f"/comments/unsubscribe/{token}/")
    assert response.status_code == 200 and "will get no more emails" in response.content.decode()
    parent.refresh_from_db()
    other.refresh_from_db()
    assert parent.notify_replies is False and other.notify_replies is True

    forged = token.replace("ann", "bob")
    bad = client.post(f"/comments/unsubscribe/{forged[:-2]}xx/")
    assert bad.status_code == 400
    assert notifications.email_from_token(forged[:-2] + "xx") is None
    other.refresh_from_db()
    assert other.notify_replies is True


def test_author_who_opted_in_hears_of_approved_comments(client, moderator, mailoutbox):
    user = UserFactory(email="writer@example.com")
    author = AuthorFactory(user=user, notify_on_comments=True)
    article = ArticleFactory(authors=[author])
    post(client, article, body="Great article")
    mailoutbox.clear()
    moderation.approve(comment=Comment.objects.get(), by=moderator)
    assert [m.to for m in mailoutbox] == [["writer@example.com"]]
    assert mailoutbox[0].subject == f"New comment on “{article.title}”"


def test_author_who_did_not_opt_in_gets_nothing(client, moderator, mailoutbox):
    author = AuthorFactory(user=UserFactory(email="writer@example.com"))
    post(client, ArticleFactory(authors=[author]), body="Great article")
    mailoutbox.clear()
    moderation.approve(comment=Comment.objects.get(), by=moderator)
    assert mailoutbox == []


def test_mail_failure_is_logged_and_the_comment_kept(client, moderator, settings, caplog, monkeypatch):
    def broken_send(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    response = post(client, ArticleFactory(), body="Kept despite the mail server")
    assert response.status_code == 302
    assert Comment.objects.filter(body="Kept despite the mail server").exists()
    assert "Could not send mail" in caplog.text
