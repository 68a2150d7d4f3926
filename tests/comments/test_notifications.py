"""Mail about comments: moderators, reply subscribers, authors; failures never lose a comment."""

import re

import pytest
from django.core.mail import EmailMessage
from django.test import Client

from comments import moderation, notifications
from comments.models import Comment
from healthsite import outbox
from healthsite.models import OutboxMessage
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, UserFactory, comment_form_data

pytestmark = pytest.mark.django_db


def post(client, article, **fields):
    return client.post(article.get_absolute_url() + "comments/", comment_form_data(**fields))


def test_moderators_get_mail_for_each_pending_comment(client, moderator, mailoutbox, committed):
    article = ArticleFactory(title="On grief")
    with committed():
        post(client, article, body="A quiet comment")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["mod@example.com"]
    assert mailoutbox[0].subject == "Comment awaiting moderation: On grief"
    assert "A quiet comment" in mailoutbox[0].body


def test_urgent_comment_mail_says_urgent(client, moderator, mailoutbox, committed):
    with committed():
        post(client, ArticleFactory(title="On grief"), body="I want to kill myself")
    assert mailoutbox[0].subject == "[URGENT: crisis language] Comment awaiting moderation: On grief"


def test_reply_approval_mails_the_parent_poster_who_opted_in(client, moderator, mailoutbox, committed):
    parent = CommentFactory(email="ann@example.com", notify_replies=True)
    with committed():
        post(client, parent.article, body="Hello Ann", parent=parent.pk)
    reply = Comment.objects.get(body="Hello Ann")
    mailoutbox.clear()
    with committed():
        moderation.approve(comment=reply, by=moderator)
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]
    message = mailoutbox[0]
    assert "Hello Ann" in message.body
    link = re.search(r"https?://\S+/comments/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"


def test_no_reply_mail_without_opt_in(client, moderator, mailoutbox, committed):
    parent = CommentFactory(email="ann@example.com", notify_replies=False)
    with committed():
        post(client, parent.article, body="Hello Ann", parent=parent.pk)
    mailoutbox.clear()
    with committed():
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


def test_author_who_opted_in_hears_of_approved_comments(client, moderator, mailoutbox, committed):
    user = UserFactory(email="writer@example.com")
    author = AuthorFactory(user=user, notify_on_comments=True)
    article = ArticleFactory(authors=[author])
    with committed():
        post(client, article, body="Great article")
    mailoutbox.clear()
    with committed():
        moderation.approve(comment=Comment.objects.get(), by=moderator)
    assert [m.to for m in mailoutbox] == [["writer@example.com"]]
    assert mailoutbox[0].subject == f"New comment on “{article.title}”"


def test_author_who_did_not_opt_in_gets_nothing(client, moderator, mailoutbox, committed):
    author = AuthorFactory(user=UserFactory(email="writer@example.com"))
    with committed():
        post(client, ArticleFactory(authors=[author]), body="Great article")
    mailoutbox.clear()
    with committed():
        moderation.approve(comment=Comment.objects.get(), by=moderator)
    assert mailoutbox == []


def test_mail_failure_is_logged_and_the_mail_kept_for_a_later_try(client, moderator, caplog, monkeypatch,
                                                                   mailoutbox, committed, time_machine):
    time_machine.move_to("2030-03-01 12:00:00+00:00", tick=False)
    send = EmailMessage.send

    def broken_send(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken_send)
    with committed():
        response = post(client, ArticleFactory(), body="Kept despite the mail server")
    assert response.status_code == 302
    assert Comment.objects.filter(body="Kept despite the mail server").exists()
    assert "Could not send mail 'Comment awaiting moderation: " in caplog.text
    waiting = OutboxMessage.objects.get()
    assert (waiting.sent_at, waiting.attempts, waiting.last_error) == (
        None, 1, "ConnectionRefusedError: mail server down")

    monkeypatch.setattr(EmailMessage, "send", send)  # the mail server is back
    assert outbox.sweep() == 0  # the failed try waits a minute first
    time_machine.move_to("2030-03-01 12:01:01+00:00", tick=False)
    assert outbox.sweep() == 1
    assert [m.subject for m in mailoutbox] == [waiting.subject]
    assert mailoutbox[0].extra_headers["Message-ID"] == waiting.message_id
    assert "Kept despite the mail server" in mailoutbox[0].body


# Header injection and one-line subjects

def test_name_with_line_breaks_never_makes_header_looking_lines_in_the_mail(client, moderator, mailoutbox,
                                                                           committed):
    with committed():
        post(client, ArticleFactory(title="On grief"), name="Bob\r\nSubject: hacked\r\nBcc: x@example.com",
             body="Hello\nSubject: also hacked")
    comment = Comment.objects.get()
    assert comment.name == "Bob Subject: hacked Bcc: x@example.com"
    body = mailoutbox[0].body
    assert "From: “Bob Subject: hacked Bcc: x@example.com (not verified)” <estrella@example.com>" in body
    assert "> Hello\n> Subject: also hacked\n" in body
    assert [line for line in body.splitlines() if line.startswith(("Subject:", "Bcc:"))] == []


def test_control_characters_are_cleaned_out_of_names_at_input(client):
    post(client, ArticleFactory(), name="Ann\u2028\x0bMarie\u202e  Lee\t")
    assert Comment.objects.get().name == "Ann Marie Lee"


@pytest.mark.parametrize("body, subject", [
    ("A quiet comment", "Comment awaiting moderation: On grief Bcc: x@example.com"),
    ("I want to kill myself", "[URGENT: crisis language] Comment awaiting moderation: On grief Bcc: x@example.com"),
])
def test_title_with_line_breaks_still_mails_the_moderators_on_one_subject_line(client, moderator, mailoutbox,
                                                                               committed,
                                                                               body, subject):
    with committed():
        post(client, ArticleFactory(title="On grief\r\nBcc: x@example.com"), body=body)
    assert [m.subject for m in mailoutbox] == [subject]
    assert mailoutbox[0].to == ["mod@example.com"]
    assert "A comment on “On grief Bcc: x@example.com” is waiting for moderation." in mailoutbox[0].body


def test_title_with_line_breaks_still_mails_reply_subscribers_and_authors(client, moderator, mailoutbox, committed):
    author = AuthorFactory(user=UserFactory(email="writer@example.com"), notify_on_comments=True)
    article = ArticleFactory(title="On grief\nBcc: x@example.com", authors=[author])
    parent = CommentFactory(article=article, email="ann@example.com", notify_replies=True)
    with committed():
        post(client, article, body="Hello Ann", parent=parent.pk)
    mailoutbox.clear()
    with committed():
        moderation.approve(comment=Comment.objects.get(body="Hello Ann"), by=moderator)
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("ann@example.com", "New reply to your comment on “On grief Bcc: x@example.com”"),
        ("writer@example.com", "New comment on “On grief Bcc: x@example.com”"),
    ]
    assert all("> Hello Ann\n" in m.body for m in mailoutbox)


# Unsubscribe links expire

def test_unsubscribe_link_expires_after_sixty_days_with_a_clear_page(client, time_machine):
    time_machine.move_to("2030-03-01 12:00:00+00:00", tick=False)
    subscriber = CommentFactory(email="ann@example.com", notify_replies=True)
    url = f"/comments/unsubscribe/{notifications.unsubscribe_token('ann@example.com')}/"
    time_machine.move_to("2030-04-29 12:00:00+00:00", tick=False)  # 59 days on: still good
    assert "Stop emails about replies" in client.get(url).content.decode()
    time_machine.move_to("2030-05-01 12:00:00+00:00", tick=False)  # 61 days on
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        page = response.content.decode()
        assert "This unsubscribe link has expired: links in our emails work for 60 days." in page
        assert "ann@example.com" not in page
    subscriber.refresh_from_db()
    assert subscriber.notify_replies is True
