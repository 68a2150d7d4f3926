"""Verified readers on the page, badges, earned trust, moderators' grants and suspensions, anonymous commenting off."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client

from comments import moderation
from comments.models import Comment, Reader
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, UserFactory, comment_form_data

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)


def post(client, article, **fields):
    fields.setdefault("body", "Thank you for this.")
    return client.post(article.get_absolute_url() + "comments/", comment_form_data(**fields))


def page_of(client, article) -> BeautifulSoup:
    return BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")


def headers(page) -> list[str]:
    """Return each comment's header as read: name, badges."""
    return [" ".join(h.stripped_strings).rsplit(" ", 6)[0] if h.a else "" for h in page.select("#comments header")]


def poster(page, comment) -> str:
    return page.select_one(f"#comment-{comment.pk} > header b").get_text()


def badges(page, comment) -> list[str]:
    return [b.get_text() for b in page.select(f"#comment-{comment.pk} > header .badge")]


def verified_reader(username="jordan", name="Jordan R."):
    return UserFactory(username=username, verified=True, display_name=name)


def moderator_user(username="mod"):
    user = UserFactory(username=username, is_staff=True, first_name="Morgan", last_name="Moderator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


# Names, "(not verified)" and badges

def test_verified_reader_shows_their_display_name_and_others_are_not_verified(client):
    article = ArticleFactory()
    jordan = verified_reader()
    unconfirmed = UserFactory(username="sam", display_name="Sam K.")
    shown = {
        "jordan": CommentFactory(article=article, user=jordan, name="Jordan R."),
        "sam": CommentFactory(article=article, user=unconfirmed, name="Sam K."),
        "anonymous": CommentFactory(article=article, name="Estrella"),
        "nameless": CommentFactory(article=article, name=""),
    }
    page = page_of(client, article)
    assert {who: poster(page, c) for who, c in shown.items()} == {
        "jordan": "Jordan R.", "sam": "Sam K. (not verified)", "anonymous": "Estrella (not verified)",
        "nameless": "Anonymous (not verified)"}


def test_a_new_display_name_shows_on_earlier_comments_and_in_reply_lines(client):
    article = ArticleFactory()
    jordan = verified_reader()
    root = CommentFactory(article=article, user=jordan, name="Jordan R.")
    reply = CommentFactory(article=article, parent=root, name="Dana")
    Reader.objects.filter(user=jordan).update(display_name="Jordan Rivers")
    page = page_of(client, article)
    assert poster(page, root) == "Jordan Rivers"
    assert page.select_one(f"#comment-{reply.pk} .irt").get_text() == "In reply to by Jordan Rivers"


def test_authors_of_the_article_and_moderators_carry_badges(client):
    writer = UserFactory(username="michele", is_staff=True)
    michele = AuthorFactory(display_name="Michele Rosenthal", user=writer)
    article = ArticleFactory(authors=[michele])
    elsewhere = ArticleFactory()
    mod = moderator_user()
    by_author = CommentFactory(article=article, user=writer, name="Michele Rosenthal")
    by_moderator = CommentFactory(article=article, user=mod, name="Morgan Moderator", parent=by_author)
    by_reader = CommentFactory(article=article, user=verified_reader(), name="Jordan R.", parent=by_moderator)
    staff_not_moderating = CommentFactory(article=article, user=UserFactory(username="ed", is_staff=True), name="Ed")
    page = page_of(client, article)
    assert badges(page, by_author) == ["Author"]
    assert badges(page, by_moderator) == ["Moderator"]
    assert badges(page, by_reader) == [] and badges(page, staff_not_moderating) == []
    assert poster(page, by_author) == "Michele Rosenthal"  # staff are verified
    assert page.select_one(f"#comment-{by_reader.pk} .irt").get_text() == "In reply to by Morgan Moderator"
    # The same author elsewhere is a poster like any other: no badge on an article they did not write.
    other = CommentFactory(article=elsewhere, user=writer, name="Michele Rosenthal")
    assert badges(page_of(client, elsewhere), other) == []


def test_the_article_page_query_count_does_not_grow_with_posters(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    CommentFactory(article=article, name="Estrella")
    client.get(article.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(article.get_absolute_url() + "?cpage=1")
    for n in range(12):
        user = verified_reader(f"reader{n}", f"Reader {n}") if n % 3 else moderator_user(f"mod{n}")
        CommentFactory(article=article, user=user, name=f"Reader {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(article.get_absolute_url() + "?cpage=1")
    assert len(many) == len(few)


def test_logged_in_reader_posts_under_their_display_name_without_name_or_email_fields(client):
    jordan = verified_reader()
    client.force_login(jordan)
    article = ArticleFactory()
    page = page_of(client, article)
    assert page.select("#reply input[name=name], #reply input[name=email]") == []
    assert page.select_one(".posting-as").get_text(" ", strip=True) == "Posting as Jordan R."
    post(client, article, body="From my account.")
    comment = Comment.objects.get()
    assert (comment.user, comment.name, comment.email) == (jordan, "Jordan R.", jordan.email)


def test_an_unconfirmed_account_comments_like_an_anonymous_poster(client):
    sam = UserFactory(username="sam", display_name="Sam K.")
    client.force_login(sam)
    article = ArticleFactory()
    post(client, article)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    page = page_of(client, article)
    assert poster(page, comment) == "Sam K. (not verified)"
    assert page.select_one(f"#comment-{comment.pk} .pending-note").get_text() == "Your comment is awaiting moderation"
    assert f'id="comment-{comment.pk}"' not in Client().get(article.get_absolute_url()).content.decode()


# Earned trust

def approved_history(user, article, count, *, days_ago=1, status=Comment.Status.APPROVED):
    for n in range(count):
        CommentFactory(article=article, user=user, body=f"Earlier {status} {n}", status=status,
                       created_at=NOW - datetime.timedelta(days=days_ago, minutes=n))


@pytest.fixture
def at_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_three_approved_comments_earn_trust_and_the_fourth_is_published_at_once(client, at_now):
    jordan = verified_reader()
    client.force_login(jordan)
    article = ArticleFactory()
    approved_history(jordan, article, 2)
    post(client, article, body="Third, still waiting.")
    assert Comment.objects.get(body="Third, still waiting.").status == Comment.Status.PENDING
    moderation.approve(comment=Comment.objects.get(body="Third, still waiting."), by=moderator_user())
    response = post(client, article, body="Fourth, at once.")
    fourth = Comment.objects.get(body="Fourth, at once.")
    assert fourth.status == Comment.Status.APPROVED
    assert response["Location"] == fourth.get_absolute_url()
    page = page_of(Client(), article)
    assert poster(page, fourth) == "Jordan R."


def test_trust_counts_only_approvals_within_the_window(client, settings, at_now):
    settings.COMMENTS_TRUST_WINDOW_DAYS = 90
    jordan = verified_reader()
    client.force_login(jordan)
    article = ArticleFactory()
    approved_history(jordan, article, 3, days_ago=91)
    post(client, article, body="Long ago does not count.")
    assert Comment.objects.get(body="Long ago does not count.").status == Comment.Status.PENDING
    approved_history(jordan, article, 3, days_ago=89)
    post(client, article, body="Recent approvals count.")
    assert Comment.objects.get(body="Recent approvals count.").status == Comment.Status.APPROVED


def test_a_rejected_comment_in_the_window_withholds_trust_until_it_leaves_it(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    jordan = verified_reader()
    client.force_login(jordan)
    article = ArticleFactory()
    approved_history(jordan, article, 5)
    approved_history(jordan, article, 1, days_ago=10, status=Comment.Status.REJECTED)
    post(client, article, body="Held after a rejection.")
    assert Comment.objects.get(body="Held after a rejection.").status == Comment.Status.PENDING
    time_machine.move_to(NOW + datetime.timedelta(days=81), tick=False)
    client.force_login(jordan)  # the session of 81 days ago has expired
    post(client, article, body="The rejection is 91 days old.")
    assert Comment.objects.get(body="The rejection is 91 days old.").status == Comment.Status.APPROVED


def test_one_spam_mark_removes_trust_even_a_moderators_grant(client, at_now):
    jordan = verified_reader()
    mod = moderator_user()
    client.force_login(jordan)
    article = ArticleFactory()
    approved_history(jordan, article, 10, days_ago=200)
    approved_history(jordan, article, 4)
    moderation.grant_trust(user=jordan, by=mod)
    spam = CommentFactory(article=article, user=jordan, body="Buy now", created_at=NOW - datetime.timedelta(days=300))
    moderation.mark_spam(comment=spam, by=mod)
    reader = Reader.objects.get(user=jordan)
    assert (reader.trust, reader.trust_changed_by, reader.trust_changed_at) == (Reader.Trust.EARNED, mod, NOW)
    post(client, article, body="After the spam mark.")
    assert Comment.objects.get(body="After the spam mark.").status == Comment.Status.PENDING


def test_a_moderators_grant_and_revoke_override_the_rule(client, at_now):
    jordan = verified_reader()
    mod = moderator_user()
    client.force_login(jordan)
    article = ArticleFactory()
    moderation.grant_trust(user=jordan, by=mod)
    post(client, article, body="Granted: at once.")
    assert Comment.objects.get(body="Granted: at once.").status == Comment.Status.APPROVED
    approved_history(jordan, article, 5)
    moderation.revoke_trust(user=jordan, by=mod)
    post(client, article, body="Revoked: waits.")
    assert Comment.objects.get(body="Revoked: waits.").status == Comment.Status.PENDING
    moderation.reset_trust(user=jordan, by=mod)
    post(client, article, body="By the rule again: at once.")
    assert Comment.objects.get(body="By the rule again: at once.").status == Comment.Status.APPROVED


def test_a_grant_does_not_trust_an_unconfirmed_account(client, at_now):
    sam = UserFactory(username="sam")
    moderation.grant_trust(user=sam, by=moderator_user())
    client.force_login(sam)
    post(client, ArticleFactory())
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_trusted_readers_comment_with_three_links_waits(client, at_now):
    jordan = verified_reader()
    moderation.grant_trust(user=jordan, by=moderator_user())
    client.force_login(jordan)
    post(client, ArticleFactory(), body="See https://a.example.com https://b.example.com https://c.example.com")
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_crisis_from_a_trusted_reader_publishes_and_stays_urgent_until_handled(client, at_now):
    jordan = verified_reader()
    mod = moderator_user()
    moderation.grant_trust(user=jordan, by=mod)
    client.force_login(jordan)
    article = ArticleFactory()
    post(client, article, body="Some nights I want to kill myself.")
    comment = Comment.objects.get()
    assert (comment.status, comment.urgent) == (Comment.Status.APPROVED, True)
    assert list(Comment.objects.urgent_unhandled()) == [comment]
    queue = Client()
    queue.force_login(mod)
    page = BeautifulSoup(queue.get("/moderation/").content, "html.parser")
    assert page.select_one(f"#urgent-{comment.pk}") is not None
    assert page.find("button", attrs={"value": f"handled:{comment.pk}"}).get_text() == "Mark handled"
    response = queue.post("/moderation/", {"action": f"handled:{comment.pk}"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.urgent, comment.urgent_handled_by, comment.urgent_handled_at) == (True, mod, NOW)
    assert list(Comment.objects.urgent_unhandled()) == []
    assert BeautifulSoup(queue.get("/moderation/").content, "html.parser").select(".urgent-published") == []


def test_deciding_a_pending_crisis_comment_handles_it():
    mod = moderator_user()
    comment = CommentFactory(status=Comment.Status.PENDING, urgent=True)
    moderation.approve(comment=comment, by=mod)
    comment.refresh_from_db()
    assert comment.urgent_handled_by == mod
    assert list(Comment.objects.urgent_unhandled()) == []


# Suspension, and trust from the queue and the admin

def queue_item(client):
    return BeautifulSoup(client.get("/moderation/").content, "html.parser")


def test_moderators_suspend_and_trust_readers_from_the_queue_recording_who_and_when(client, at_now):
    jordan = verified_reader()
    comment = CommentFactory(user=jordan, name="Jordan R.", status=Comment.Status.PENDING)
    mod = moderator_user()
    client.force_login(mod)
    page = queue_item(client)
    buttons = {b["value"]: b["formaction"] for b in page.select(f"#pending-{comment.pk} .reader-actions button")}
    assert buttons == {"grant": f"/moderation/readers/{jordan.pk}/", "revoke": f"/moderation/readers/{jordan.pk}/",
                       "suspend": f"/moderation/readers/{jordan.pk}/"}
    response = client.post(f"/moderation/readers/{jordan.pk}/", {"reader_action": "suspend", "next": "/moderation/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/moderation/?page=1"
    reader = Reader.objects.get(user=jordan)
    assert (reader.suspended, reader.suspension_changed_by, reader.suspension_changed_at) == (True, mod, NOW)
    client.post(f"/moderation/readers/{jordan.pk}/", {"reader_action": "grant"})
    reader.refresh_from_db()
    assert (reader.trust, reader.trust_changed_by, reader.trust_changed_at) == (Reader.Trust.GRANTED, mod, NOW)
    messages = [m.get_text() for m in queue_item(client).select(".messages li")]
    assert messages == ["Jordan R. is suspended: they cannot post until reinstated.",
                        "Jordan R.'s comments now appear at once."]


def test_reader_actions_need_the_moderation_permission_and_csrf(client):
    jordan = verified_reader()
    client.force_login(UserFactory(username="plain", verified=True))
    assert client.post(f"/moderation/readers/{jordan.pk}/", {"reader_action": "suspend"}).status_code == 403
    assert Client().post(f"/moderation/readers/{jordan.pk}/", {"reader_action": "suspend"})["Location"].startswith(
        "/accounts/login/")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator_user())
    assert strict.post(f"/moderation/readers/{jordan.pk}/", {"reader_action": "suspend"}).status_code == 403
    assert not Reader.objects.get(user=jordan).suspended


def test_staff_accounts_are_not_suspended_from_the_queue(client):
    other = moderator_user("other-mod")
    client.force_login(moderator_user())
    client.post(f"/moderation/readers/{other.pk}/", {"reader_action": "suspend"})
    assert not Reader.objects.filter(user=other).exists()
    assert [m.message for m in client.get("/moderation/").context["messages"]] == [
        "Staff accounts are managed in the admin, not by trust or suspension."]


def test_the_reader_admin_suspends_and_grants_with_actions(client, at_now):
    jordan = verified_reader()
    mod = moderator_user()
    client.force_login(mod)
    reader = Reader.objects.get(user=jordan)
    for action in ("bulk_suspended", "bulk_granted_trust"):
        response = client.post("/admin/comments/reader/", {"action": action, "_selected_action": [reader.pk]})
        assert response.status_code == 302
    reader.refresh_from_db()
    assert (reader.suspended, reader.suspension_changed_by, reader.trust, reader.trust_changed_by) == (
        True, mod, Reader.Trust.GRANTED, mod)
    changelist = client.get("/admin/comments/reader/?q=jordan").content.decode()
    assert "Jordan R." in changelist


def test_a_suspended_reader_can_log_in_and_read_but_not_post_reply_edit_or_report(client):
    jordan = verified_reader()
    article = ArticleFactory()
    own = CommentFactory(article=article, user=jordan, name="Jordan R.")
    other = CommentFactory(article=article, name="Dana")
    moderation.suspend(user=jordan, by=moderator_user())
    client.force_login(jordan)
    page = page_of(client, article)
    assert page.select_one(".account-prompt").get_text(" ", strip=True) == (
        "Your account is suspended, so you cannot post comments. You can still read every article and comment.")
    assert page.select("#reply form") == []
    response = post(client, article, body="Let me back in.", parent=str(other.pk))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Your account is suspended, so you cannot post comments. Your text is kept below." in text
    assert "Let me back in." in text
    assert client.post(f"/comments/{own.pk}/edit/", {"body": "Changed"}).status_code == 403
    assert client.post(f"/comments/{other.pk}/report/").status_code == 403
    assert Comment.objects.count() == 2 and other.reports.count() == 0
    moderation.unsuspend(user=jordan, by=moderator_user("mod2"))
    assert post(client, article, body="Back again.").status_code == 302


# Anonymous commenting off

def test_with_anonymous_comments_off_readers_without_an_account_are_asked_to_log_in(client, settings):
    settings.COMMENTS_ALLOW_ANONYMOUS = False
    article = ArticleFactory()
    page = page_of(client, article)
    prompt = page.select_one(".account-prompt")
    assert prompt.get_text(" ", strip=True).startswith("Log in or sign up to join the discussion.")
    url = article.get_absolute_url()
    assert [a["href"] for a in prompt.select("a")] == [f"/accounts/login/?next={url}%23reply",
                                                       f"/accounts/signup/?next={url}%23reply"]
    assert page.select("#reply form") == []
    response = post(client, article, body="Can I still say this?")
    assert response.status_code == 403
    assert "Please log in or sign up to comment: comments from readers without an account are turned off." in (
        response.content.decode())
    assert "Can I still say this?" in response.content.decode()
    assert not Comment.objects.exists()


def test_with_anonymous_comments_off_an_unconfirmed_account_must_confirm_first(client, settings):
    settings.COMMENTS_ALLOW_ANONYMOUS = False
    client.force_login(UserFactory(username="sam"))
    response = post(client, ArticleFactory(), body="Pending my mail.")
    assert response.status_code == 403
    assert "Please confirm your email address (see the mail we sent you) before commenting." in (
        response.content.decode())
    client.force_login(verified_reader())
    assert post(client, ArticleFactory(), body="Confirmed.").status_code == 302


def test_the_form_note_links_to_log_in_and_sign_up(client):
    article = ArticleFactory()
    note = page_of(client, article).select_one("#reply .note")
    url = article.get_absolute_url()
    assert [a.get_text() for a in note.select("a")] == ["Log in", "sign up"]
    assert note.select_one("a")["href"] == f"/accounts/login/?next={url}%23reply"
