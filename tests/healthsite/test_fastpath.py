"""A cached page served before the session, auth and view layers is the page and headers the whole stack gives."""

from unittest import mock

import pytest
from django.test import Client

from articles.views import ArticleDetailView
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

FASTPATH = "healthsite.fastpath.PageCacheFastPathMiddleware"


def _headers(response) -> dict:
    """Return the headers that must match from one reader to the next: no per-reader cookie value, no cache marker."""
    headers = {name: value for name, value in response.headers.items() if name not in ("X-Page-Cache", "Set-Cookie")}
    headers["Content-Security-Policy"] = sorted(headers["Content-Security-Policy"].split("; "))
    for name, cookie in response.cookies.items():
        headers[f"cookie {name}"] = {key: cookie[key] for key in ("path", "max-age", "secure", "httponly", "samesite")}
    return headers


def test_hit_before_the_view_has_the_headers_of_a_miss_and_of_a_hit_through_the_whole_stack(settings):
    article = ArticleFactory()
    CommentFactory(article=article, body="Words kept in the cache")
    miss = Client().get(article.get_absolute_url())
    with mock.patch.object(ArticleDetailView, "get", side_effect=AssertionError("the view ran")):
        hit = Client().get(article.get_absolute_url())
    settings.MIDDLEWARE = [path for path in settings.MIDDLEWARE if path != FASTPATH]
    whole_stack_hit = Client().get(article.get_absolute_url())
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"], whole_stack_hit["X-Page-Cache"]) == ("miss", "hit", "hit")
    assert _headers(hit) == _headers(miss) == _headers(whole_stack_hit)
    assert {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
            "Cross-Origin-Opener-Policy", "Content-Length"} <= set(hit.headers)
    assert hit["Vary"] == "Accept-Encoding" and hit["Content-Length"] == str(len(hit.content))
    assert "Words kept in the cache" in hit.content.decode()


def test_readers_with_a_session_a_message_or_a_query_get_the_whole_stack():
    article = ArticleFactory()
    Client().get(article.get_absolute_url())  # the page is in the cache
    reader = Client()
    reader.force_login(UserFactory())
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    for client, query in ((reader, ""), (with_message, ""), (Client(), "?page=1")):
        with mock.patch.object(ArticleDetailView, "get", autospec=True, side_effect=ArticleDetailView.get) as view:
            response = client.get(article.get_absolute_url() + query)
        assert response.status_code == 200 and view.call_count == 1
    assert "X-Page-Cache" not in reader.get(article.get_absolute_url())  # a logged-in reader's page is their own


def test_hit_before_the_view_refuses_a_host_not_allowed():
    article = ArticleFactory()
    Client().get(article.get_absolute_url())
    assert Client(HTTP_HOST="elsewhere.example").get(article.get_absolute_url()).status_code == 400


def test_a_hit_builds_the_policy_once_per_path_and_again_when_the_policy_changes(settings):
    article = ArticleFactory()
    client = Client()
    client.get(article.get_absolute_url())  # the miss stores the page
    with mock.patch("csp.middleware.build_policy", wraps=__import__("csp.utils").utils.build_policy) as build:
        policies = {client.get(article.get_absolute_url())["Content-Security-Policy"] for _ in range(5)}
    assert len(policies) == 1 and "frame-ancestors 'none'" in policies.pop()
    assert build.call_count <= 2  # the policy and the report-only policy, for the first hit only

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "frame-ancestors": ["'self'"]}}
    hit = client.get(article.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert sorted(hit["Content-Security-Policy"].split("; ")) == ["default-src 'self'", "frame-ancestors 'self'"]
