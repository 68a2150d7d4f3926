"""Reports: on public comments only, weighed by who sends them, rate-limited, mailed once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from comments import moderation
from comments.models import Comment, Report
from tests.factories import ArticleFactory, CommentFactory, UserFactory

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


def report_from(comment, *, ip="127.0.0.1", user=None, follow=False):
    client = Client(REMOTE_ADDR=ip)
    if user is not None:
        client.force_login(user)
    return client.post(f"/comments/{comment.pk}/report/", follow=follow)


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


def test_report_weighs_by_who_sends_it():
    assert moderation.report_weight(None) == 1
    assert moderation.report_weight(AnonymousUser()) == 1
    assert moderation.report_weight(UserFactory()) == 1  # an account whose address is not confirmed
    assert moderation.report_weight(UserFactory(verified=True)) == 2
    assert moderation.report_weight(UserFactory(is_staff=True)) == 3


def test_reports_from_unconfirmed_accounts_count_like_anonymous_ones():
    comment = CommentFactory()
    for n in range(4):  # four accounts without a confirmed address, one address
        report_from(comment, ip="203.0.113.20", user=UserFactory(username=f"unconfirmed{n}"))
    assert status_of(comment) == Comment.Status.APPROVED
    assert sorted(comment.reports.values_list("weight", flat=True)) == [1, 1, 1, 1]
    report_from(comment, ip="203.0.113.21", user=UserFactory(username="unconfirmed9"))
    report_from(comment, ip="203.0.113.22")
    assert status_of(comment) == Comment.Status.PENDING  # three addresses, as anonymous reports need


@pytest.mark.parametrize("weight_to_hide", [3, 1])
def test_anonymous_reports_from_one_address_never_hide_a_comment(settings, mailoutbox, committed, moderator,
                                                                 weight_to_hide):
    settings.COMMENTS_REPORT_WEIGHT_TO_HIDE = weight_to_hide
    comment = CommentFactory(body="Words someone dislikes")
    for _ in range(5):  # five fresh cookie jars, one address
        with committed():
            assert report_from(comment, ip="203.0.113.5").status_code == 302
    assert comment.reports.count() == 5
    assert status_of(comment) == Comment.Status.APPROVED
    assert mailoutbox == []
    assert "Words someone dislikes" in Client().get(comment.article.get_absolute_url()).content.decode()


def test_anonymous_reports_from_three_addresses_hide_the_comment_and_mail_the_moderators_once(mailoutbox, committed,
                                                                                               moderator):
    comment = CommentFactory(body="Hurtful words", article=ArticleFactory(title="On grief"))
    with committed():
        report_from(comment, ip="203.0.113.1")
    with committed():
        report_from(comment, ip="203.0.113.2")
    assert status_of(comment) == Comment.Status.APPROVED
    with committed():
        report_from(comment, ip="203.0.113.3")
    assert status_of(comment) == Comment.Status.PENDING
    assert report_from(comment, ip="203.0.113.4").status_code == 404  # hidden: no longer reportable
    assert [m.subject for m in mailoutbox] == ["Comment hidden after reports: On grief"]
    assert "Readers reported this published comment; it is hidden until a moderator decides." in mailoutbox[0].body
    page = Client().get(comment.article.get_absolute_url()).content.decode()
    assert "Hurtful words" not in page


def test_addresses_of_one_ipv6_network_count_as_one():
    comment = CommentFactory()
    for ip in ("2001:db8:1:1::1", "2001:db8:1:1::2", "2001:db8:1:1:ffff::9"):
        report_from(comment, ip=ip)
    assert status_of(comment) == Comment.Status.APPROVED
    report_from(comment, ip="2001:db8:1:2::1")
    report_from(comment, ip="198.51.100.1")
    assert status_of(comment) == Comment.Status.PENDING


def test_a_verified_reader_counts_more_than_a_cookie():
    comment = CommentFactory()
    report_from(comment, user=UserFactory(verified=True))
    assert status_of(comment) == Comment.Status.APPROVED  # 2 of 3
    report_from(comment, ip="203.0.113.9")
    assert status_of(comment) == Comment.Status.PENDING  # 2 + 1


def test_a_staff_report_hides_at_once():
    comment = CommentFactory()
    report_from(comment, user=UserFactory(is_staff=True))
    assert status_of(comment) == Comment.Status.PENDING


def test_the_reporters_address_and_weight_are_recorded():
    comment = CommentFactory()
    report_from(comment, ip="203.0.113.77")
    report_from(comment, ip="203.0.113.78", user=UserFactory(verified=True))
    assert sorted(comment.reports.values_list("ip_address", "weight")) == [("203.0.113.77", 1), ("203.0.113.78", 2)]


def test_approval_after_review_sets_earlier_reports_aside(moderator):
    comment = CommentFactory()
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        report_from(comment, ip=ip)
    assert status_of(comment) == Comment.Status.PENDING
    moderation.approve(comment=comment, by=moderator)
    report_from(comment, ip="203.0.113.4")
    assert status_of(comment) == Comment.Status.APPROVED
    assert comment.reports.filter(dismissed=False).count() == 1


def test_reports_are_limited_per_address(settings):
    settings.COMMENTS_REPORTS_PER_HOUR_PER_IP = 3
    comments = CommentFactory.create_batch(4)
    for comment in comments[:3]:
        assert report_from(comment, ip="203.0.113.5").status_code == 302
    response = report_from(comments[3], ip="203.0.113.5")
    assert response.status_code == 429
    assert "You have sent several reports in a short time, so this one was not taken." in response.content.decode()
    assert comments[3].reports.count() == 0
    assert report_from(comments[3], ip="203.0.113.6").status_code == 302


def test_reports_are_limited_per_session(settings):
    settings.COMMENTS_REPORTS_PER_HOUR_PER_SESSION = 2
    comments = CommentFactory.create_batch(3)
    reader = Client()
    for n, comment in enumerate(comments):
        reader.defaults["REMOTE_ADDR"] = f"203.0.113.{n + 1}"  # a new address each time, one browser
        response = reader.post(f"/comments/{comment.pk}/report/")
    assert response.status_code == 429
    assert [c.reports.count() for c in comments] == [1, 1, 0]


def test_report_limits_reset_after_an_hour(settings, time_machine):
    time_machine.move_to("2030-03-01 12:00:00+00:00", tick=False)
    settings.COMMENTS_REPORTS_PER_HOUR_PER_IP = 1
    first, second = CommentFactory.create_batch(2)
    report_from(first, ip="203.0.113.5")
    assert report_from(second, ip="203.0.113.5").status_code == 429
    time_machine.shift(3601)
    assert report_from(second, ip="203.0.113.5").status_code == 302


def test_purge_erases_old_reporters_addresses():
    comment = CommentFactory()
    old = Report.objects.create(comment=comment, session_key="a", ip_address="203.0.113.1",
                                created_at=timezone.now() - timedelta(days=91))
    new = Report.objects.create(comment=comment, session_key="b", ip_address="203.0.113.2")
    call_command("purge_comment_ips", stdout=StringIO())
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.ip_address, new.ip_address) == (None, "203.0.113.2")
