"""Shared pages tell a CDN or Varnish how long to keep them (never past midnight), how to revalidate them
(ETag, Last-Modified, 304) and which keys purge them; every write purges them once it commits."""

import datetime
import logging
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.utils.http import http_date

from articles.models import Article
from comments import moderation
from comments.models import Comment
from healthsite import cdn
from tests.factories import ArticleFactory, CommentFactory
from tests.s3 import free_port

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NEW_YORK)


def old_article():
    return ArticleFactory(published_at=at(2024, 5, 1, 9, 0))


def get(article, **headers):
    return Client().get(article.get_absolute_url(), headers=headers)


@pytest.mark.parametrize("now, seconds", [
    (at(2026, 6, 1, 12, 0), 600),  # CDN_MAX_AGE
    (at(2026, 6, 1, 23, 55), 300),  # five minutes to the APA retrieval date's change
    (at(2026, 6, 1, 23, 59, 59), 1),
])
def test_shared_pages_may_be_kept_until_midnight_at_most(now, seconds):
    article = old_article()
    with time_machine.travel(now, tick=False):
        for response in (get(article), get(article)):  # rendered, then from the page cache
            assert response["Cache-Control"] == f"public, max-age=0, s-maxage={seconds}"


def test_midnight_is_the_site_times_on_a_daylight_saving_day(settings):
    settings.CDN_MAX_AGE = 2 * 86400
    # 8 March 2026 has 23 hours in New York.
    assert cdn.shared_seconds(at(2026, 3, 8, 0, 0).timestamp()) == 23 * 3600
    assert cdn.shared_seconds(at(2026, 11, 1, 0, 0).timestamp()) == 25 * 3600
    settings.TIME_ZONE = "Asia/Tokyo"
    assert cdn.shared_seconds(at(2026, 6, 1, 10, 30).timestamp()) == 1800  # 23:30 in Tokyo


def test_the_setting_caps_how_long(settings):
    settings.CDN_MAX_AGE = 30
    with time_machine.travel(at(2026, 6, 1, 12, 0), tick=False):
        assert get(old_article())["Cache-Control"] == "public, max-age=0, s-maxage=30"


def test_surrogate_keys_name_the_site_the_page_the_article_and_its_authors():
    article = ArticleFactory()
    response = get(article)
    keys = response["Surrogate-Key"].split()
    [author] = article.credited_authors()
    assert keys[0] == "site" and keys[1].startswith("page-")
    assert keys[2:] == [f"article-{article.pk}", f"author-{author.pk}"]
    assert response["xkey"] == response["Surrogate-Key"]
    assert get(article)["Surrogate-Key"] == response["Surrogate-Key"]


def test_revalidation_answers_304_until_the_page_changes():
    article = old_article()
    comment = CommentFactory(article=article, status=Comment.Status.PENDING, body="Held words")
    with time_machine.travel(at(2026, 6, 1, 12, 0), tick=False):
        first = get(article)
        etag, modified = first["ETag"], first["Last-Modified"]
        assert modified == http_date(at(2026, 6, 1, 12, 0).timestamp())
        assert get(article)["ETag"] == etag  # the cached copy: the same
        unchanged = get(article, if_none_match=etag)
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged["ETag"] == etag and unchanged["Cache-Control"].startswith("public, max-age=0")
        assert get(article, if_modified_since=modified).status_code == 304
        assert get(article, if_none_match='"other"').status_code == 200
    with time_machine.travel(at(2026, 6, 1, 12, 5), tick=False):
        moderation.approve(comment=comment, by=None)
        changed = get(article, if_none_match=etag, if_modified_since=modified)
        assert changed.status_code == 200 and "Held words" in changed.content.decode()
        assert changed["ETag"] != etag


def test_the_next_day_a_revalidation_gets_the_new_retrieval_date():
    article = old_article()
    with time_machine.travel(at(2026, 6, 1, 23, 0), tick=False):
        etag = get(article)["ETag"]
    with time_machine.travel(at(2026, 6, 2, 0, 1), tick=False):
        response = get(article, if_none_match=etag)
    assert response.status_code == 200
    assert "Retrieved on 2026, June 2 from" in response.content.decode()


def test_private_pages_have_no_validators_or_keys():
    article = ArticleFactory()
    response = Client().get(article.get_absolute_url() + "?utm_source=mail")
    assert response["Cache-Control"] == "private"
    assert "ETag" not in response and "Surrogate-Key" not in response and "xkey" not in response


def test_an_approval_purges_its_article_once_committed(cdn_purges, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    page_key = get(article)["Surrogate-Key"].split()[1]
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(comment=comment, by=None)
        assert cdn_purges.requests == []  # not before the commit: a miss then would fetch the old rows
    assert cdn_purges.requests[0][:2] == ("PURGE", "/purge")
    assert {page_key, f"article-{article.pk}"} <= cdn_purges.keys()[0]
    assert cdn_purges.requests[0][2] == cdn_purges.requests[0][3]


def test_article_edits_author_edits_and_deletions_purge_the_site(cdn_purges, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    [author] = article.credited_authors()
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).first().save()
    with django_capture_on_commit_callbacks(execute=True):
        author.display_name = "Renamed"
        author.save()
    assert {"site", f"article-{article.pk}"} <= cdn_purges.keys()[0]
    assert {"site", f"author-{author.pk}"} <= cdn_purges.keys()[1]
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).delete()
    assert {"site", f"article-{article.pk}"} <= set().union(*cdn_purges.keys()[2:])


def test_no_purge_without_the_setting(cdn_purges, settings, django_capture_on_commit_callbacks):
    settings.CDN_PURGE_URL = ""  # the endpoint listens, but the site is not told of it
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.save()
    assert cdn_purges.requests == [] and len(callbacks) == 1  # the page cache's own versions only


def test_a_failed_purge_is_logged_and_the_write_stands(settings, caplog, django_capture_on_commit_callbacks):
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{free_port()}/purge"  # nobody listens
    article = ArticleFactory()
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    with caplog.at_level(logging.ERROR, logger="healthsite.cdn"), django_capture_on_commit_callbacks(execute=True):
        moderation.approve(comment=comment, by=None)
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
    assert "Could not purge" in caplog.text and f"article-{article.pk}" in caplog.text
