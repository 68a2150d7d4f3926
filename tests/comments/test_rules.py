"""SPEC "Comment rules": every refusal is a 4xx with its reason shown and the reader's text kept."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from comments import crisis, moderation
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory, comment_form_data

pytestmark = pytest.mark.django_db


def post(client, article, **fields):
    return client.post(article.get_absolute_url() + "comments/", comment_form_data(**fields))


def trusted_user(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def assert_refused(response, status, message, text):
    assert response.status_code == status
    page = response.content.decode()
    assert message in page
    assert text in page


# Posting rules

def test_trusted_poster_with_three_links_waits_for_moderation(client):
    client.force_login(trusted_user())
    article = ArticleFactory()
    post(client, article, body="See https://a.example.com https://b.example.com https://c.example.com")
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_trusted_poster_with_two_links_is_approved(client):
    client.force_login(trusted_user())
    article = ArticleFactory()
    post(client, article, body="See https://a.example.com and https://b.example.com")
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_reply_past_the_maximum_depth_attaches_to_the_deepest_allowed_ancestor(client, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    article = ArticleFactory()
    top = CommentFactory(article=article)
    second = CommentFactory(article=article, parent=top)
    third = CommentFactory(article=article, parent=second)  # level 2: the deepest allowed
    post(client, article, body="Deeper still.", parent=third.pk)
    reply = Comment.objects.get(body="Deeper still.")
    assert reply.parent == second
    assert reply.level == 2


def test_reply_to_a_removed_comment_is_refused(client):
    parent = CommentFactory(is_removed=True)
    response = post(client, parent.article, body="Still here?", parent=parent.pk)
    assert_refused(response, 400, "is not published, so it cannot take replies", "Still here?</textarea>")


# Visibility

def test_rejected_and_spam_comments_are_never_shown(client):
    article = ArticleFactory()
    CommentFactory(article=article, body="Rejected words", status=Comment.Status.REJECTED)
    CommentFactory(article=article, body="Spammy words", status=Comment.Status.SPAM)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Rejected words" not in page and "Spammy words" not in page


def test_removed_comment_with_approved_reply_shows_placeholder_and_keeps_the_reply_nested(client):
    article = ArticleFactory()
    parent = CommentFactory(article=article, body="Original words")
    reply = CommentFactory(article=article, parent=parent, body="The answer")
    moderation.reject(comment=parent, by=None)
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    placeholder = soup.select_one(f"#comment-{parent.pk}")
    assert placeholder.select_one(".removed").get_text() == "This comment was removed."
    assert "Original words" not in soup.get_text()
    assert soup.select_one(f"#comment-{reply.pk}").find_parent(id=f"comment-{parent.pk}") is not None
    assert [a["id"] for a in soup.select("#comments > article")] == [f"comment-{parent.pk}"]


def test_pending_parent_with_approved_reply_is_a_placeholder_not_a_floating_reply(client):
    article = ArticleFactory()
    parent = CommentFactory(article=article, body="Reported words")
    reply = CommentFactory(article=article, parent=parent, body="A reply")
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.PENDING)
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert [a["id"] for a in soup.select("#comments > article")] == [f"comment-{parent.pk}"]
    assert "hidden while a moderator reviews it" in soup.select_one(f"#comment-{parent.pk}").get_text()
    assert soup.select_one(f"#comment-{reply.pk} .irt").get_text() == "In reply to a hidden comment"


def test_removed_comment_without_replies_disappears(client):
    comment = CommentFactory(body="Gone", is_removed=True)
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert f"comment-{comment.pk}" not in page


def test_own_pending_comment_is_shown_to_the_poster_only(client):
    article = ArticleFactory()
    post(client, article, body="Mine, pending")
    assert "Your comment is awaiting moderation" in client.get(article.get_absolute_url()).content.decode()
    other = Client().get(article.get_absolute_url()).content.decode()
    assert "Mine, pending" not in other and "awaiting moderation" not in other


def test_email_and_ip_are_never_rendered(client):
    comment = CommentFactory(email="secret@example.com", ip_address="203.0.113.9")
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert "secret@example.com" not in page and "203.0.113.9" not in page


# Anti-spam

def test_honeypot_is_refused(client):
    response = post(client, ArticleFactory(), body="Buy now", website="http://spam.example")
    assert_refused(response, 400, "Your comment looks automated", "Buy now</textarea>")
    assert not Comment.objects.exists()


def test_post_within_three_seconds_of_the_form_is_refused_then_accepted_later(client):
    article = ArticleFactory()
    response = post(client, article, body="Too quick", served_seconds_ago=1)
    assert_refused(response, 400, "That was very quick", "Too quick</textarea>")
    fresh = BeautifulSoup(response.content, "html.parser").select_one('input[name="timestamp"]')["value"]
    assert fresh  # the re-rendered form carries a new signed time
    assert not Comment.objects.exists()


def test_post_more_than_two_days_after_the_form_is_refused(client):
    response = post(client, ArticleFactory(), body="Old form", served_seconds_ago=2 * 24 * 3600 + 60)
    assert_refused(response, 400, "This form was open for too long", "Old form</textarea>")


def test_forged_timestamp_is_refused(client):
    response = post(client, ArticleFactory(), body="Forged", timestamp="12345:forged")
    assert_refused(response, 400, "This form could not be checked", "Forged</textarea>")


def test_rate_limit_answers_429_with_the_text_kept(client):
    article = ArticleFactory()
    for i in range(5):
        assert post(client, article, body=f"Comment number {i}").status_code == 302
    response = post(client, article, body="The sixth one")
    assert_refused(response, 429, "You have posted several comments in a short time", "The sixth one</textarea>")
    assert Comment.objects.count() == 5


def test_rate_limit_is_per_address(client):
    article = ArticleFactory()
    for i in range(5):
        post(client, article, body=f"Comment number {i}")
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert post(other, article, body="From elsewhere").status_code == 302


def test_hourly_rate_limit(client, settings):
    settings.COMMENTS_RATE_LIMITS = [(60, 100), (3600, 3)]
    article = ArticleFactory()
    for i in range(3):
        post(client, article, body=f"Comment number {i}")
    assert post(client, article, body="Fourth").status_code == 429


def test_same_body_on_the_same_article_within_ten_minutes_is_refused(client):
    article = ArticleFactory()
    CommentFactory(article=article, body="Same words")
    response = Client(REMOTE_ADDR="198.51.100.8").post(
        article.get_absolute_url() + "comments/", comment_form_data(body="Same words"))
    assert_refused(response, 400, "has just been posted on this article already", "Same words</textarea>")


def test_same_body_after_ten_minutes_is_accepted(client):
    article = ArticleFactory()
    CommentFactory(article=article, body="Same words", created_at=timezone.now() - timedelta(minutes=11))
    assert post(client, article, body="Same words").status_code == 302


# Closing

def test_closed_article_shows_a_line_instead_of_the_form_and_refuses_posts(client):
    article = ArticleFactory(comments_enabled=False)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed on this article." in page and 'name="body"' not in page
    response = post(client, article, body="Too late for this")
    assert_refused(response, 403, "Comments are closed on this article, so your comment was not posted.",
                   "Too late for this</textarea>")
    assert not Comment.objects.exists()


def test_comments_close_by_themselves_after_the_set_number_of_days(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=31))
    recent = ArticleFactory(published_at=timezone.now() - timedelta(days=29))
    assert post(client, old, body="On the old one").status_code == 403
    assert post(client, recent, body="On the recent one").status_code == 302


def test_zero_days_never_closes(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=4000))
    assert post(client, article, body="Years later").status_code == 302


# Crisis language

@pytest.mark.parametrize("text, expected", [
    ("Some days I want to die.", "want to die"),
    ("I have thought about SUICIDE a lot", "suicide"),
    ("I can\u2019t go on like this", "can't go on"),
    ("I started self-harm again", "self-harm"),
    ("Thinking of self  harm", "self  harm"),
    ("The Suicide Squad film was fun", "suicide"),
    ("A suicidesquad fan", None),
    ("I'm feeling better, thank you", None),
])
def test_crisis_phrases_match_whole_words_ignoring_case(text, expected):
    assert crisis.find(text) == expected


def test_crisis_comment_is_urgent_first_in_queue_and_the_poster_sees_resources(client):
    article = ArticleFactory()
    CommentFactory(article=article, status=Comment.Status.PENDING, body="An older ordinary one",
                   created_at=timezone.now() - timedelta(hours=2))
    response = client.post(article.get_absolute_url() + "comments/",
                           comment_form_data(body="I don't want to live anymore"), follow=True)
    comment = Comment.objects.get(body="I don't want to live anymore")
    assert comment.urgent and comment.status == Comment.Status.PENDING
    assert "988 Suicide &amp; Crisis Lifeline" in response.content.decode()
    assert list(Comment.objects.moderation_queue())[0] == comment
    # Kept on later page views, until the reader hides it (tests/comments/test_landing.py).
    assert "988 Suicide &amp; Crisis Lifeline: call or text" in client.get(article.get_absolute_url()).content.decode()


def test_crisis_resources_show_even_when_the_post_is_refused(client):
    response = post(client, ArticleFactory(), body="I want to end my life", email="")
    assert response.status_code == 400
    assert "988 Suicide &amp; Crisis Lifeline: call or text 988" in response.content.decode()


def test_trusted_poster_crisis_comment_is_approved_and_still_urgent_with_resources(client):
    client.force_login(trusted_user())
    article = ArticleFactory()
    response = client.post(article.get_absolute_url() + "comments/",
                           comment_form_data(body="Some nights I feel suicidal"), follow=True)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED and comment.urgent
    assert "988 Suicide &amp; Crisis Lifeline" in response.content.decode()


# Reports

def test_report_link_asks_first_and_the_report_needs_csrf(db):
    comment = CommentFactory(body="Questionable")
    url = f"/comments/{comment.pk}/report/"
    page = Client().get(url)
    assert page.status_code == 200
    assert "Report this comment to the moderators?" in page.content.decode()
    assert Client(enforce_csrf_checks=True).post(url).status_code == 403
    assert comment.reports.count() == 0


def test_logged_in_reader_reports_once():
    comment = CommentFactory()
    user = UserFactory()
    for _ in range(2):
        c = Client()
        c.force_login(user)
        response = c.post(f"/comments/{comment.pk}/report/", follow=True)
    assert comment.reports.count() == 1
    assert "You have reported this comment already." in response.content.decode()


# Threads pages

def test_threads_are_paginated_and_replies_stay_on_their_threads_page(client, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    article = ArticleFactory()
    start = timezone.now() - timedelta(days=1)
    roots = [CommentFactory(article=article, body=f"Root {i}", created_at=start + timedelta(minutes=i))
             for i in range(5)]
    reply = CommentFactory(article=article, parent=roots[0], body="Reply to the oldest",
                           created_at=start + timedelta(minutes=30))
    first = client.get(article.get_absolute_url()).content.decode()
    assert "Root 4" in first and "Root 3" in first and "Root 2" not in first
    last = client.get(article.get_absolute_url() + "?cpage=3").content.decode()
    assert "Root 0" in last and "Reply to the oldest" in last and "Root 1" not in last
    permalink = client.get(reply.get_absolute_url()).content.decode()
    assert "Reply to the oldest" in permalink
    assert "Comments page 3 of 3" in permalink


def test_zero_threads_per_page_shows_everything(client, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 0
    article = ArticleFactory()
    for i in range(60):
        CommentFactory(article=article, body=f"Comment {i}")
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count('<article id="comment-') == 60
    assert "Comments page" not in page


def test_default_is_fifty_threads_a_page(client):
    article = ArticleFactory()
    for i in range(51):
        CommentFactory(article=article, body=f"Comment {i}")
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count('<article id="comment-') == 50
    assert "Comments page 1 of 2" in page


# Own comments

def own_comment(client, **kwargs):
    user = UserFactory()
    client.force_login(user)
    return CommentFactory(user=user, name="Robin Reader", **kwargs), user


def test_poster_edits_within_fifteen_minutes_and_a_plain_reader_goes_back_to_pending(client):
    comment, _ = own_comment(client)
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Edited words"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Edited words" and comment.status == Comment.Status.PENDING
    assert comment.edited_at is not None


def test_trusted_poster_edit_stays_approved(client):
    user = trusted_user()
    client.force_login(user)
    comment = CommentFactory(user=user)
    client.post(f"/comments/{comment.pk}/edit/", {"body": "Fixed a typo"})
    comment.refresh_from_db()
    assert comment.body_html == "<p>Fixed a typo</p>" and comment.status == Comment.Status.APPROVED


def test_edit_after_fifteen_minutes_is_refused(client):
    comment, _ = own_comment(client, created_at=timezone.now() - timedelta(minutes=16))
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Too late"})
    assert response.status_code == 403
    assert "can no longer be edited" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "A kind word."


def test_edit_of_a_comment_with_replies_is_refused(client):
    comment, _ = own_comment(client)
    CommentFactory(article=comment.article, parent=comment)
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Changed"}).status_code == 403


def test_someone_elses_comment_cannot_be_edited_or_deleted(client):
    comment = CommentFactory()
    client.force_login(UserFactory())
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Hijack"}).status_code == 404
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 404
    comment.refresh_from_db()
    assert comment.body == "A kind word." and not comment.is_removed


def test_delete_with_replies_leaves_a_placeholder(client):
    comment, _ = own_comment(client, body="Regretted words")
    assert "Delete this comment?" in client.get(f"/comments/{comment.pk}/delete/").content.decode()
    reply = CommentFactory(article=comment.article, parent=comment, body="Kept reply")
    client.post(f"/comments/{comment.pk}/delete/")
    page = Client().get(comment.article.get_absolute_url()).content.decode()
    assert "Regretted words" not in page and "This comment was removed." in page and "Kept reply" in page
    assert Comment.objects.filter(pk=comment.pk, is_removed=True).exists() and reply.pk


def test_edit_with_empty_body_is_refused_and_kept(client):
    comment, _ = own_comment(client)
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "  "})
    assert response.status_code == 400
    assert "Please write something before posting." in response.content.decode()


# Privacy

def test_purge_erases_old_ip_addresses_and_user_agents():
    old = CommentFactory(ip_address="203.0.113.1", user_agent="Old browser",
                         created_at=timezone.now() - timedelta(days=91))
    new = CommentFactory(ip_address="203.0.113.2", user_agent="New browser")
    call_command("purge_comment_ips", stdout=open("/dev/null", "w"))
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (new.ip_address, new.user_agent) == ("203.0.113.2", "New browser")
