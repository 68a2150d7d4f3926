from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, BlogFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_newest_first(client):
    old = ArticleFactory(title="Older", published_at=timezone.now() - timedelta(days=3))
    new = ArticleFactory(title="Newer", published_at=timezone.now() - timedelta(days=1))
    ArticleFactory(title="A draft", status="draft")
    ArticleFactory(title="Scheduled", published_at=timezone.now() + timedelta(days=1))
    page = client.get("/").content.decode()
    assert page.index(new.title) < page.index(old.title)
    assert "A draft" not in page and "Scheduled" not in page


def test_home_is_paginated(client):
    for _ in range(11):
        ArticleFactory()
    assert client.get("/").context["page_obj"].paginator.num_pages == 2
    assert client.get("/?page=2").status_code == 200
    assert client.get("/?page=9").status_code == 404


def test_blog_page_lists_only_its_articles(client):
    blog = BlogFactory(title="Anxiety Blog")
    ArticleFactory(blog=blog, title="In the blog")
    ArticleFactory(title="Elsewhere")
    response = client.get(blog.get_absolute_url())
    page = response.content.decode()
    assert "Anxiety Blog" in page and "In the blog" in page and "Elsewhere" not in page


def test_author_page_shows_bio_and_articles(client):
    author = AuthorFactory(display_name="Dr Kim", bio="<p>Psychiatrist <script>x()</script></p>")
    ArticleFactory(title="By Kim", authors=[author])
    page = client.get(author.get_absolute_url()).content.decode()
    assert "By Kim" in page and "Psychiatrist" in page and "<script>" not in page


def test_article_page_404s_for_drafts_wrong_month_and_unknown_blog(client):
    draft = ArticleFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    article = ArticleFactory(published_at=timezone.datetime(2020, 5, 10, 12, tzinfo=timezone.get_current_timezone()))
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url().replace("/05/", "/06/")).status_code == 404
    assert client.get(article.get_absolute_url().replace(article.blog.slug, "nope")).status_code == 404


def test_article_body_is_sanitized_on_save():
    article = ArticleFactory(body='<h2>Ok</h2><script>alert(1)</script><p onclick="x()">Hi <a href="javascript:x()">l</a></p>')
    assert article.body_html == "<h2>Ok</h2><p>Hi <a>l</a></p>"


def test_several_authors_are_credited_in_order(client):
    first, second = AuthorFactory(display_name="Ann Zed"), AuthorFactory(display_name="Bob Alpha")
    article = ArticleFactory(authors=[first, second])
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index("Ann Zed") < page.index("Bob Alpha")
    assert "Authors: " in page
