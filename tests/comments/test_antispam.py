"""Anti-spam: a signed form time is used once; the duplicate check sees through case, spacing and
invisible characters, and holds under parallel posts."""

import threading
import time

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.test import Client

from comments import antispam
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, comment_form_data


def url(article):
    return article.get_absolute_url() + "comments/"


def assert_duplicate_refused(response, text):
    assert response.status_code == 400
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "duplicate")
    page = response.content.decode()
    assert "This comment has just been posted on this article already." in page
    assert f"{text}</textarea>" in page


@pytest.mark.django_db
def test_a_form_time_is_accepted_once_then_refused_with_the_text_kept(client):
    article = ArticleFactory()
    data = comment_form_data(body="First words")
    assert client.post(url(article), data).status_code == 302
    for poster in (client, Client()):  # the same reader, or another cookie jar with the same token
        response = poster.post(url(article), {**data, "body": "Second words"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "This form was posted already. Your text is kept below: please post it again." in page
        assert "Second words</textarea>" in page
        assert response.context["form"].has_error(NON_FIELD_ERRORS, "timestamp_reused")
    assert list(Comment.objects.values_list("body", flat=True)) == ["First words"]


@pytest.mark.django_db
def test_a_form_time_used_on_one_article_is_still_good_on_another(client):
    data = comment_form_data(body="Words")
    assert client.post(url(ArticleFactory()), data).status_code == 302
    assert client.post(url(ArticleFactory()), data).status_code == 302


@pytest.mark.django_db
def test_the_refused_form_carries_a_fresh_time_that_is_accepted(client):
    article = ArticleFactory()
    data = comment_form_data(body="First words")
    client.post(url(article), data)
    refused = client.post(url(article), {**data, "body": "Second words"})
    fresh = refused.context["form"]["timestamp"].value()
    assert fresh != data["timestamp"]
    served = antispam.timestamp_problem(fresh, now=time.time() + 10)
    assert served is None


def test_two_forms_served_in_the_same_second_carry_different_tokens():
    assert antispam.form_timestamp(1_900_000_000) != antispam.form_timestamp(1_900_000_000)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", [
    "same WORDS here",
    "Same words\u200b here",
    "  Same\n\nwords \t here  ",
    "S\u200came wor\ufeffds here",
    "Same\u00a0words here",
])
def test_duplicate_check_ignores_case_spacing_and_invisible_characters(typed):
    article = ArticleFactory()
    CommentFactory(article=article, body="Same words here")
    response = Client(REMOTE_ADDR="198.51.100.8").post(url(article), comment_form_data(body=typed))
    assert_duplicate_refused(response, typed)
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_different_words_are_not_duplicates(client):
    article = ArticleFactory()
    CommentFactory(article=article, body="Same words here")
    assert client.post(url(article), comment_form_data(body="Same words there")).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_eight_parallel_identical_posts_put_exactly_one_in(settings):
    # Sessions in cookies: the test database's sessions table is not what this test is about.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    article = ArticleFactory()
    posters, statuses, errors = 8, [], []
    barrier = threading.Barrier(posters)
    forms = [comment_form_data(body="Posted eight times at once") for _ in range(posters)]

    def post(index):
        try:
            poster = Client(REMOTE_ADDR=f"198.51.100.{index + 1}")
            barrier.wait()
            response = poster.post(url(article), forms[index])
            statuses.append(response.status_code)
            if response.status_code == 400:
                assert response.context["form"].has_error(NON_FIELD_ERRORS, "duplicate")
        except Exception as error:  # reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(posters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [302] + [400] * (posters - 1)
    assert Comment.objects.filter(body="Posted eight times at once").count() == 1
