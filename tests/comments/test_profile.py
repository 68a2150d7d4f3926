"""The reader's profile: name and reply mail, their comments, their data, claiming earlier comments, deletion."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from comments import moderation
from comments.models import Comment, Reader, Report
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "calm-harbour-lantern-42"
NOW = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def jordan():
    user = UserFactory(username="jordan", email="jordan@example.com", verified=True, display_name="Jordan R.")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def logged_in(client, jordan):
    client.force_login(jordan)
    return client


def profile(client) -> BeautifulSoup:
    return BeautifulSoup(client.get("/accounts/profile/").content, "html.parser")


def test_the_profile_asks_to_log_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_changing_the_display_name_checks_it_as_sign_up_does_and_renames_every_comment(logged_in, jordan):
    article = ArticleFactory()
    comment = CommentFactory(article=article, user=jordan, name="Jordan R.")
    AuthorFactory(display_name="Michele Rosenthal")
    refused = logged_in.post("/accounts/profile/", {"display_name": "Michele  ROSENTHAL"})
    assert refused.status_code == 400
    assert [e.get_text() for e in BeautifulSoup(refused.content, "html.parser").select(".field-error-text")] == [
        "That is the name of one of our authors or staff. Please choose another."]
    assert Reader.objects.get(user=jordan).display_name == "Jordan R."
    response = logged_in.post("/accounts/profile/", {"display_name": "  Jordan   Rivers "})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert Reader.objects.get(user=jordan).display_name == "Jordan Rivers"
    page = BeautifulSoup(Client().get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one(f"#comment-{comment.pk} header b").get_text() == "Jordan Rivers"
    assert profile(logged_in).select_one(".site-header .account-name").get_text() == "Jordan Rivers"


def test_the_reply_mail_preference_applies_to_every_comment_of_the_reader(logged_in, jordan):
    mine = [CommentFactory(user=jordan, notify_replies=flag) for flag in (True, False)]
    someone_elses = CommentFactory(email=jordan.email, notify_replies=True)
    logged_in.post("/accounts/profile/", {"display_name": "Jordan R.", "notify_replies": "on"})
    assert [c.notify_replies for c in Comment.objects.filter(pk__in=[m.pk for m in mine])] == [True, True]
    logged_in.post("/accounts/profile/", {"display_name": "Jordan R."})
    assert [c.notify_replies for c in Comment.objects.filter(pk__in=[m.pk for m in mine])] == [False, False]
    assert Comment.objects.get(pk=someone_elses.pk).notify_replies  # not the account's: untouched
    assert Reader.objects.get(user=jordan).notify_replies is False
    form = BeautifulSoup(logged_in.get(mine[0].article.get_absolute_url()).content, "html.parser")
    assert not form.select_one("#id_notify_replies").has_attr("checked")


def test_my_comments_lists_each_with_its_status_and_a_link_to_it(logged_in, jordan, time_machine):
    time_machine.move_to(NOW, tick=False)
    article = ArticleFactory(title="On sleep")
    made = {}
    for n, status in enumerate(["approved", "pending", "rejected", "spam"]):
        made[status] = CommentFactory(article=article, user=jordan, body=f"My {status} words", status=status,
                                      created_at=NOW - datetime.timedelta(hours=n))
    made["removed"] = CommentFactory(article=article, user=jordan, body="My removed words", is_removed=True,
                                     created_at=NOW - datetime.timedelta(hours=9))
    CommentFactory(article=article, body="Someone else's words")
    items = profile(logged_in).select(".my-comment")
    assert [(i.select_one(".status").get_text(), i.select_one(".my-comment-body").get_text()) for i in items] == [
        ("Published", "My approved words"), ("Awaiting moderation", "My pending words"),
        ("Rejected", "My rejected words"), ("Rejected", "My spam words"), ("Removed", "My removed words")]
    links = [i.select_one(".my-comment-meta a") for i in items]
    assert [link["href"] if link else None for link in links] == [
        made["approved"].get_absolute_url(), made["pending"].get_absolute_url(), None, None, None]
    # The link to a pending comment shows it to its poster in place.
    page = BeautifulSoup(logged_in.get(made["pending"].get_absolute_url()).content, "html.parser")
    assert page.select_one(f"#comment-{made['pending'].pk} .pending-note") is not None


def test_my_comments_are_paginated(logged_in, jordan):
    for n in range(23):
        CommentFactory(user=jordan, body=f"Words {n}")
    assert len(profile(logged_in).select(".my-comment")) == 20
    page_two = BeautifulSoup(logged_in.get("/accounts/profile/?page=2").content, "html.parser")
    assert len(page_two.select(".my-comment")) == 3


def test_download_my_data_is_a_json_file_of_the_account_and_every_comment(logged_in, jordan, settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    EmailAddress.objects.create(user=jordan, email="second@example.com", verified=False)
    article = ArticleFactory(title="On sleep")
    parent = CommentFactory(article=article, body="Root")
    reply = CommentFactory(article=article, parent=parent, user=jordan, name="Jordan R.", body="Mine\nTwo lines",
                           status="pending", ip_address="203.0.113.5", user_agent="Firefox", created_at=NOW)
    removed = CommentFactory(article=article, user=jordan, body="Gone", is_removed=True, created_at=NOW)
    Report.objects.create(comment=parent, user=jordan, weight=2, created_at=NOW)
    response = logged_in.get("/accounts/profile/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="HealthyPlace-jordan-data.json"'
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["account"] == {
        "username": "jordan", "display_name": "Jordan R.", "date_joined": jordan.date_joined.isoformat(),
        "last_login": jordan.last_login.isoformat() if jordan.last_login else None,
        "emails": [{"email": "jordan@example.com", "verified": True, "primary": True},
                   {"email": "second@example.com", "verified": False, "primary": False}],
        "reply_emails": False, "trust": "earned", "suspended": False,
    }
    assert data["comments"] == [
        {"id": reply.pk, "article": "On sleep", "url": settings.SITE_URL + reply.get_absolute_url(),
         "in_reply_to": parent.pk, "status": "pending", "body": "Mine\nTwo lines", "name": "Jordan R.",
         "email": "sam@example.com", "email_me_replies": False, "created_at": "2026-11-24T15:00:00+00:00",
         "edited_at": None, "ip_address": "203.0.113.5", "user_agent": "Firefox"},
        {"id": removed.pk, "article": "On sleep", "url": settings.SITE_URL + removed.get_absolute_url(),
         "in_reply_to": None, "status": "removed", "body": "Gone", "name": "Sam", "email": "sam@example.com",
         "email_me_replies": False, "created_at": "2026-11-24T15:00:00+00:00", "edited_at": None,
         "ip_address": None, "user_agent": ""},
    ]
    assert data["reports"] == [{"comment": parent.pk, "created_at": "2026-11-24T15:00:00+00:00"}]
    assert (data["site"], data["site_url"], data["exported_at"]) == (
        "HealthyPlace", settings.SITE_URL, "2026-11-24T15:00:00+00:00")


def test_earlier_anonymous_comments_with_a_confirmed_address_can_be_claimed(logged_in, jordan):
    article = ArticleFactory()
    earlier = CommentFactory(article=article, name="J", email="JORDAN@example.com", body="Before I signed up")
    EmailAddress.objects.create(user=jordan, email="old@example.com", verified=False)
    unconfirmed = CommentFactory(article=article, email="old@example.com", body="From an unconfirmed address")
    stranger = CommentFactory(article=article, email="other@example.com")
    form = profile(logged_in).select_one(".claim-form")
    assert form.p.get_text() == "1 earlier comment was posted without an account with one of your confirmed email addresses."
    response = logged_in.post("/accounts/profile/claim/")
    assert response.status_code == 302
    assert [(c.pk, c.user_id) for c in Comment.objects.order_by("pk")] == [
        (earlier.pk, jordan.pk), (unconfirmed.pk, None), (stranger.pk, None)]
    page = BeautifulSoup(Client().get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one(f"#comment-{earlier.pk} header b").get_text() == "Jordan R."
    assert profile(logged_in).select(".claim-form") == []
    assert Client().post("/accounts/profile/claim/").status_code == 302  # to the login page: nothing claimed
    assert Comment.objects.filter(user__isnull=False).count() == 1


def test_deleting_the_account_asks_for_the_password(logged_in, jordan):
    response = logged_in.post("/accounts/profile/delete/", {"password": "not-it"})
    assert response.status_code == 400
    assert "That is not your password. Your account is kept." in response.content.decode()
    assert get_user_model().objects.filter(pk=jordan.pk).exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(jordan)
    assert strict.post("/accounts/profile/delete/", {"password": PASSWORD}).status_code == 403
    assert get_user_model().objects.filter(pk=jordan.pk).exists()


def test_wrong_passwords_on_the_delete_form_count_as_failed_logins(logged_in, jordan, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 2
    for _ in range(2):
        assert logged_in.post("/accounts/profile/delete/", {"password": "guess"}).status_code == 400
    locked = logged_in.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert locked.status_code == 429
    assert get_user_model().objects.filter(pk=jordan.pk).exists()


def test_deleting_the_account_leaves_placeholders_above_replies_and_nothing_of_the_reader(logged_in, jordan,
                                                                                          mailoutbox):
    article = ArticleFactory()
    with_reply = CommentFactory(article=article, user=jordan, name="Jordan R.", email=jordan.email, body="Answered",
                                notify_replies=True, ip_address="203.0.113.5", user_agent="Firefox")
    reply = CommentFactory(article=article, parent=with_reply, name="Dana", body="Dana's answer")
    leaf = CommentFactory(article=article, user=jordan, body="Alone")
    nested_mine = CommentFactory(article=article, parent=reply, user=jordan, body="My answer to Dana")
    earlier = CommentFactory(article=article, email="Jordan@example.com", name="J", body="Anonymous words",
                             notify_replies=True)
    Report.objects.create(comment=reply, user=jordan, weight=2)
    response = logged_in.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=jordan.pk).exists()
    assert not Reader.objects.exists() and not EmailAddress.objects.exists() and not Report.objects.exists()
    assert "_auth_user_id" not in logged_in.session
    assert not Comment.objects.filter(pk__in=[leaf.pk, nested_mine.pk]).exists()
    placeholder = Comment.objects.get(pk=with_reply.pk)
    assert (placeholder.user, placeholder.name, placeholder.email, placeholder.body, placeholder.body_html,
            placeholder.is_removed, placeholder.notify_replies, placeholder.ip_address, placeholder.user_agent) == (
        None, "", "", "", "", True, False, None, "")
    assert Comment.objects.filter(email__iexact="jordan@example.com").count() == 0
    earlier.refresh_from_db()
    assert (earlier.email, earlier.notify_replies, earlier.body) == ("", False, "Anonymous words")
    page = BeautifulSoup(Client().get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one(f"#comment-{with_reply.pk} > .removed").get_text() == "This comment was removed."
    assert page.select_one(f"#comment-{with_reply.pk} #comment-{reply.pk} header b").get_text() == "Dana (not verified)"
    assert "Answered" not in page.get_text() and "Alone" not in page.get_text()
    from comments import tree

    assert tree.problems() == []
    # A reply to the placeholder mails nobody: the reader's address is gone.
    moderation.approve(comment=CommentFactory(article=article, parent=reply, status="pending", name="Eli"), by=None)
    assert all("jordan@example.com" not in m.to for m in mailoutbox)


def test_staff_close_accounts_in_the_admin_not_from_the_profile(client):
    staff = UserFactory(username="editor", is_staff=True)
    client.force_login(staff)
    response = client.post("/accounts/profile/delete/", {"password": "anything"})
    assert response.status_code == 403
    assert "Staff accounts are closed by an administrator" in response.content.decode()
    assert get_user_model().objects.filter(pk=staff.pk).exists()


def test_deleting_the_account_takes_its_unsent_mail_out_of_the_outbox(logged_in, jordan):
    from healthsite import outbox
    from healthsite.models import OutboxMessage

    article = ArticleFactory(title="Sleep")
    mine = CommentFactory(article=article, user=jordan, name="Jordan R.", email="jordan@example.com",
                          body="My own words about the night terrors.", status=Comment.Status.PENDING)
    # Unsent (no commit in a test): to the reader, to moderators quoting them, and one about nobody of theirs.
    outbox.add(subject="New reply to your comment", body="Someone replied.", to=["Jordan@Example.com"])
    outbox.add(subject="Comment awaiting moderation: Sleep",
               body=f"From: Jordan R.\n\n> {mine.body}\n", to=["moderator@example.com"])
    outbox.add(subject="Comment awaiting moderation: Sleep", body="From: Sam\n\n> Other words.\n",
               to=["moderator@example.com"])
    response = logged_in.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert list(OutboxMessage.objects.values_list("body", flat=True)) == ["From: Sam\n\n> Other words.\n"]
