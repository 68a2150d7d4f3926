"""Property-based tests of the comment endpoint: whatever arrives, never a 500, never a broken page."""

import time

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from django.test import Client

from comments import antispam, tree
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

FIELDS = ["name", "email", "body", "parent", "timestamp", "website", "notify_replies", "csrfmiddlewaretoken"]
any_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)  # lone surrogates: see below
field_value = st.one_of(
    any_text,
    st.text(alphabet=st.sampled_from("\x00\x01\x07\x1b\x7f\u200b\u202e\ufeff\n\r\t<>&\"'"), max_size=50),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", " ", "null", "[]", "{}", "1.5", "-1", "0", "1e9", "<script>alert(1)</script>",
                     "javascript:alert(1)", "x" * 6000, "http://example.com/" + "a" * 3000]),
)
form = st.dictionaries(st.sampled_from(FIELDS), st.one_of(field_value, st.lists(field_value, max_size=3)), max_size=8)

@pytest.fixture
def target(settings):
    settings.COMMENTS_RATE_LIMITS = [(60, 10**9)]
    settings.COMMENTS_MIN_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    other = CommentFactory()  # a parent on another article, for forged ids
    CommentFactory(article=article, body="A parent")
    return article, other


def check(client, article, response):
    assert response.status_code in (302, 400, 403, 429), response.status_code
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=form, with_timestamp=st.booleans())
def test_arbitrary_form_posts_never_break_the_endpoint_or_the_page(target, data, with_timestamp):
    article, _ = target
    if with_timestamp:
        data = {**data, "timestamp": antispam.form_timestamp(time.time() - 10)}
    client = Client()
    check(client, article, client.post(article.get_absolute_url() + "comments/", data))
    assert tree.problems() == []


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parent=st.one_of(st.integers(min_value=-(10**25), max_value=10**25), st.just("other"), st.just("pending")),
       body=any_text.filter(lambda t: t.strip()))
def test_forged_parent_ids_are_refused_without_error(target, parent, body):
    article, other = target
    if parent == "other":
        parent = other.pk
    elif parent == "pending":
        parent = CommentFactory(article=article, status=Comment.Status.PENDING).pk
    client = Client()
    data = {"name": "F", "email": "f@example.com", "body": body, "parent": str(parent),
            "timestamp": antispam.form_timestamp(time.time() - 10)}
    response = client.post(article.get_absolute_url() + "comments/", data)
    check(client, article, response)
    if response.status_code == 302:  # only a real, approved parent of this article is accepted
        comment = Comment.objects.latest("pk")
        assert comment.parent is None or comment.parent.article_id == article.pk


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400))
def test_raw_bytes_invalid_utf8_and_lone_surrogates_never_break(target, raw):
    article, _ = target
    client = Client()
    # Lone surrogates cannot be sent as text; their UTF-8-style bytes and other invalid sequences can.
    body = b"email=a%40b.co&body=" + raw + b"\xed\xa0\x80&name=" + raw
    response = client.generic("POST", article.get_absolute_url() + "comments/", body,
                              content_type="application/x-www-form-urlencoded")
    check(client, article, response)


@pytest.mark.parametrize("query, status", [
    ("?replyto=99999999999999999999999", 200), ("?comment=1e9999", 200), ("?cpage=-1", 200),
    ("?cpage=999999999999", 200), ("?replyto=%00", 400), ("?comment=%E2%80%AE", 200),
])
def test_hostile_query_parameters_never_break_the_page(client, target, query, status):
    article, _ = target
    assert client.get(article.get_absolute_url() + query).status_code == status  # a NUL anywhere: 400


def test_huge_ids_in_comment_urls_are_404_not_500(client, db):
    assert client.get("/comments/99999999999999999999999/report/").status_code == 404
    assert client.post("/comments/99999999999999999999999/delete/").status_code == 404
