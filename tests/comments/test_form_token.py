"""The shared page's form gets its token and time from /comments/token/; without a script, the first post
comes back with them, the text kept, to press once more."""

import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client

from comments import antispam
from comments.models import Comment
from comments.views import PRESS_AGAIN
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def post_url(article):
    return article.get_absolute_url() + "comments/"


def shared_form(client, article) -> dict:
    """Return what a browser without a script posts from the shared page: its fields as served, filled in."""
    page = client.get(article.get_absolute_url())
    assert page["X-Page-Cache"] in ("miss", "hit")
    soup = BeautifulSoup(page.content, "html.parser")
    fields = {field["name"]: field.get("value", "") for field in soup.select("#reply form input")}
    return {**fields, "name": "Dana", "email": "dana@example.com", "body": "Written with no script, kept."}


def resubmitted(response) -> dict:
    soup = BeautifulSoup(response.content, "html.parser")
    fields = {field["name"]: field.get("value", "") for field in soup.select("#reply form input")}
    fields["body"] = soup.select_one("#id_body").get_text().lstrip("\n")
    return fields


def test_the_token_endpoint_gives_a_private_token_and_form_time_with_its_cookie():
    response = Client().get("/comments/token/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    values = response.json()
    assert set(values) == {"csrfmiddlewaretoken", "timestamp"}
    assert len(values["csrfmiddlewaretoken"]) == 64
    assert response.cookies["csrftoken"].value
    served = int(signing.loads(values["timestamp"], salt="comments.form-timestamp").split(".")[0])
    assert abs(served - time.time()) < 5
    assert antispam.timestamp_problem(values["timestamp"], now=time.time() + 10) is None
    assert Client().get("/comments/token/").json()["timestamp"] != values["timestamp"]  # one per form
    assert Client().post("/comments/token/").status_code == 405


def test_without_a_script_the_first_post_comes_back_to_press_again_and_the_second_posts():
    article = ArticleFactory()
    reader = Client(enforce_csrf_checks=True)
    form = shared_form(reader, article)
    assert form["csrfmiddlewaretoken"] == "" and form["timestamp"] == ""
    first = reader.post(post_url(article), form)
    assert first.status_code == 403
    soup = BeautifulSoup(first.content, "html.parser")
    assert [li.get_text() for li in soup.select("#form-errors li")] == [PRESS_AGAIN]
    assert soup.select_one("#id_body").get_text().lstrip("\n") == "Written with no script, kept."
    assert soup.select_one("#id_name")["value"] == "Dana"
    assert reader.cookies["csrftoken"].value
    assert not Comment.objects.exists()

    again = resubmitted(first)
    assert again["csrfmiddlewaretoken"] and again["timestamp"]
    second = reader.post(post_url(article), again)  # pressed at once: accepted
    assert second.status_code == 302
    assert Comment.objects.get().body == "Written with no script, kept."


def test_the_second_press_form_is_single_use():
    article = ArticleFactory()
    reader = Client(enforce_csrf_checks=True)
    again = resubmitted(reader.post(post_url(article), shared_form(reader, article)))
    assert reader.post(post_url(article), again).status_code == 302
    replay = reader.post(post_url(article), {**again, "body": "The same form, sent twice."})
    assert replay.status_code == 400
    assert "This form was posted already." in replay.content.decode()
    assert Comment.objects.count() == 1


def test_the_second_press_form_is_only_as_old_as_the_rule_needs():
    article = ArticleFactory()
    reader = Client(enforce_csrf_checks=True)
    again = resubmitted(reader.post(post_url(article), shared_form(reader, article)))
    served = int(signing.loads(again["timestamp"], salt="comments.form-timestamp").split(".")[0])
    assert 3 <= time.time() - served < 6  # COMMENTS_MIN_SECONDS (3) back, no more


def test_the_second_press_still_counts_against_the_rate_limit(settings):
    settings.COMMENTS_RATE_LIMITS = [(60, 1)]
    article = ArticleFactory()
    reader = Client(enforce_csrf_checks=True)
    again = resubmitted(reader.post(post_url(article), shared_form(reader, article)))
    assert reader.post(post_url(article), again).status_code == 302
    again = resubmitted(reader.post(post_url(article), {**shared_form(Client(), article), "body": "Another one."}))
    refused = reader.post(post_url(article), again)
    assert refused.status_code == 429
    assert Comment.objects.count() == 1


def test_a_form_filled_by_the_script_posts_in_one_press():
    article = ArticleFactory()
    reader = Client(enforce_csrf_checks=True)
    form = shared_form(reader, article)
    form.update(reader.get("/comments/token/").json())
    with mock.patch("time.time", return_value=time.time() + 10):
        response = reader.post(post_url(article), form)
    assert response.status_code == 302
    assert Comment.objects.get().body == "Written with no script, kept."
