"""Anonymous article pages come from the cache, and never outlive what they show."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from comments import moderation
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory, comment_form_data

pytestmark = pytest.mark.django_db


def get(client, article, query=""):
    return client.get(article.get_absolute_url() + query)


def test_second_anonymous_view_is_served_from_the_cache_without_queries(django_assert_num_queries):
    article = ArticleFactory()
    CommentFactory(article=article, body="Cached words")
    assert get(Client(), article)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = get(Client(), article)
    assert response["X-Page-Cache"] == "hit"
    assert "Cached words" in response.content.decode()


def test_the_cached_page_is_the_same_bytes_for_every_reader_and_sets_no_cookie():
    article = ArticleFactory()
    pages = [get(Client(), article), get(Client(), article)]
    assert [page["X-Page-Cache"] for page in pages] == ["miss", "hit"]
    assert pages[0].content == pages[1].content
    for page in pages:
        assert not page.cookies
        assert page["Vary"] == "Accept-Encoding"  # not Cookie: the page is the same whatever cookie comes
        soup = BeautifulSoup(page.content, "html.parser")
        assert soup.select_one('#reply input[name="csrfmiddlewaretoken"]')["value"] == ""
        assert soup.select_one('#reply input[name="timestamp"]').get("value", "") == ""
        assert soup.select_one("#reply form")["data-form-token"] == "/comments/token/"


def test_a_reader_of_the_cached_page_posts_with_the_token_the_form_asks_for():
    article = ArticleFactory()
    get(Client(), article)
    reader = Client(enforce_csrf_checks=True)
    assert get(reader, article)["X-Page-Cache"] == "hit"
    values = reader.get("/comments/token/").json()
    data = comment_form_data(body="Posted from a cached page", **values)
    with mock.patch("time.time", return_value=__import__("time").time() + 10):
        posted = reader.post(article.get_absolute_url() + "comments/", data)
    assert posted.status_code == 302
    assert Comment.objects.filter(body="Posted from a cached page").exists()


def test_approval_replaces_the_cached_page():
    article = ArticleFactory()
    comment = CommentFactory(article=article, body="Waiting words", status=Comment.Status.PENDING)
    assert "Waiting words" not in get(Client(), article).content.decode()
    moderation.approve(comment=comment, by=None)
    response = get(Client(), article)
    assert response["X-Page-Cache"] == "miss" and "Waiting words" in response.content.decode()


@pytest.mark.parametrize("change", ["reject", "spam", "remove", "edit"])
def test_removal_and_edits_replace_the_cached_page(change):
    article = ArticleFactory()
    owner = UserFactory()
    comment = CommentFactory(article=article, body="Original words", user=owner)
    assert "Original words" in get(Client(), article).content.decode()
    if change == "reject":
        moderation.reject(comment=comment, by=None)
    elif change == "spam":
        moderation.mark_spam(comment=comment, by=None)
    elif change == "remove":
        moderation.remove(comment=comment, user=owner)
    else:
        moderation.edit(comment=comment, user=owner, body="Second thoughts")
    assert "Original words" not in get(Client(), article).content.decode()


def test_article_and_author_edits_replace_the_cached_page():
    article = ArticleFactory(title="First title")
    assert "First title" in get(Client(), article).content.decode()
    article.title = "Better title"
    article.save()
    assert "Better title" in get(Client(), article).content.decode()
    author = article.credited_authors()[0]
    author.display_name = "Renamed Author"
    author.save()
    assert "Renamed Author" in get(Client(), article).content.decode()


def test_the_date_rolling_over_replaces_the_cached_page(time_machine):
    zone = timezone.get_current_timezone()
    time_machine.move_to(datetime.datetime(2026, 3, 7, 23, 59, 59, tzinfo=zone), tick=False)
    article = ArticleFactory()
    get(Client(), article)
    assert get(Client(), article)["X-Page-Cache"] == "hit"
    time_machine.move_to(datetime.datetime(2026, 3, 8, 0, 0, 0, tzinfo=zone), tick=False)  # midnight in TIME_ZONE
    response = get(Client(), article)
    assert response["X-Page-Cache"] == "miss"
    assert "Retrieved on 2026, March 8 from" in response.content.decode()
    assert get(Client(), article)["X-Page-Cache"] == "hit"


def test_poster_with_a_pending_comment_bypasses_the_cache_and_never_fills_it():
    article = ArticleFactory()
    get(Client(), article)
    poster = Client()
    poster.post(article.get_absolute_url() + "comments/", comment_form_data(body="My pending words"))
    mine = get(poster, article)
    assert "X-Page-Cache" not in mine and "My pending words" in mine.content.decode()
    other = get(Client(), article)  # a new comment, even pending, replaces the page: the cache never judges a write
    assert other["X-Page-Cache"] == "miss" and "My pending words" not in other.content.decode()
    again = get(Client(), article)
    assert again["X-Page-Cache"] == "hit" and "My pending words" not in again.content.decode()


def test_logged_in_users_never_get_the_cached_page():
    article = ArticleFactory()
    get(Client(), article)
    user = UserFactory(first_name="Logged", last_name="Reader")
    client = Client()
    client.force_login(user)
    response = get(client, article)
    assert "X-Page-Cache" not in response
    assert "Posting as <strong>Logged Reader</strong>" in response.content.decode()


def test_unknown_query_parameters_are_not_cached():
    article = ArticleFactory()
    assert "X-Page-Cache" not in get(Client(), article, "?utm_source=x")
    assert get(Client(), article, "?cpage=1")["X-Page-Cache"] == "miss"


def test_lost_versions_never_revive_an_old_page():
    article = ArticleFactory()
    comment = CommentFactory(article=article, body="Before the restart")
    get(Client(), article)
    caches["pages"].clear()  # Redis restarted: versions and pages gone, this process still holds its copy
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>Changed while the cache was down</p>")
    response = get(Client(), article)
    assert response["X-Page-Cache"] == "miss"
    assert "Changed while the cache was down" in response.content.decode()


def test_with_the_shared_cache_down_pages_are_not_cached(settings):
    from tests.test_outages import DEAD_REDIS

    settings.CACHES = DEAD_REDIS
    article = ArticleFactory()
    assert "X-Page-Cache" not in get(Client(), article)
    assert "X-Page-Cache" not in get(Client(), article)


def test_pages_rendered_for_one_reader_are_private_and_carry_their_token():
    article = ArticleFactory()
    poster = Client()
    poster.post(article.get_absolute_url() + "comments/", comment_form_data(body="My pending words"))
    mine = get(poster, article)
    assert mine["Cache-Control"] == "private" and "public" not in mine["Cache-Control"]
    soup = BeautifulSoup(mine.content, "html.parser")
    assert len(soup.select_one('#reply input[name="csrfmiddlewaretoken"]')["value"]) == 64
    assert soup.select_one('#reply input[name="timestamp"]')["value"] != ""
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert get(client, article)["Cache-Control"] == "private"


def test_a_page_is_kept_only_at_the_address_its_changes_replace(monkeypatch):
    article = ArticleFactory()
    url = article.get_absolute_url()
    # Were an article reachable at an address other than its own, changes would replace only its own.
    monkeypatch.setattr(type(article), "get_absolute_url", lambda self: "/elsewhere/")
    for _ in range(2):
        response = Client().get(url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
