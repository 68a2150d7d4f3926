"""Security headers and cookie flags of the production settings."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_article_page_sends_the_security_headers():
    article = ArticleFactory()
    response = Client().get(article.get_absolute_url(), secure=True)
    csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert csp["script-src"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_admin_editor_page_allows_only_its_nonce_for_inline_script(admin_client):
    response = admin_client.get("/admin/articles/article/add/", secure=True)
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    nonce = script_src.split("'nonce-")[1].split("'")[0]
    assert "'unsafe-inline'" not in script_src
    assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()


def test_cookies_are_secure_and_http_only_in_production():
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    response = Client().get("/comments/token/", secure=True)  # the article page itself sets no cookie
    assert response.cookies["csrftoken"]["secure"] is True
    assert response.cookies["csrftoken"]["httponly"] is True
