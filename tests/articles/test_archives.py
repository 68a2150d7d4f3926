"""Blog, topic and author archives with comment counts; related articles; the article page's extras."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Topic
from tests.factories import ArticleFactory, AuthorFactory, BlogFactory, CommentFactory

pytestmark = pytest.mark.django_db


def topic(name):
    return Topic.objects.get_or_create(name=name, slug=name.lower())[0]


def test_cards_show_the_count_of_approved_comments(client):
    article = ArticleFactory(title="Talked about")
    CommentFactory.create_batch(3, article=article)
    CommentFactory(article=article, status="pending")
    CommentFactory(article=article, status="spam")
    ArticleFactory(title="Quiet")
    page = client.get("/").content.decode()
    assert f'<a href="{article.get_absolute_url()}#comments">3 comments</a>' in page
    assert "0 comments" in page


@pytest.mark.parametrize("archive", ["home", "blog", "topic", "author"])
def test_archive_queries_do_not_grow_with_the_number_of_articles(client, archive):
    blog, author, subject = BlogFactory(slug="b"), AuthorFactory(slug="a"), topic("Sleep")
    url = {"home": "/", "blog": "/blogs/b/", "topic": "/topics/sleep/", "author": "/authors/a/"}[archive]

    def add(n):
        for _ in range(n):
            article = ArticleFactory(blog=blog, authors=[author, AuthorFactory()])
            article.topics.add(subject)
            CommentFactory.create_batch(2, article=article)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(2)
    few = count()
    add(6)
    assert count() == few
    assert "2 comments" in client.get(url).content.decode()


@pytest.mark.parametrize("archive", ["blog", "topic", "author"])
def test_archives_are_paginated(client, archive):
    blog, author, subject = BlogFactory(slug="b"), AuthorFactory(slug="a"), topic("Sleep")
    for _ in range(11):
        ArticleFactory(blog=blog, authors=[author]).topics.add(subject)
    url = {"blog": "/blogs/b/", "topic": "/topics/sleep/", "author": "/authors/a/"}[archive]
    first = client.get(url)
    assert first.context["page_obj"].paginator.num_pages == 2
    assert 'href="?page=2"' in first.content.decode()
    assert len(client.get(url, {"page": 2}).context["object_list"]) == 1
    assert client.get(url, {"page": 3}).status_code == 404


def test_unknown_archives_are_404(client):
    for url in ("/blogs/nope/", "/topics/nope/", "/authors/nope/"):
        assert client.get(url).status_code == 404


def test_related_articles_share_topics_most_shared_first(client):
    ptsd, sleep, diet = topic("PTSD"), topic("Sleep"), topic("Diet")
    article = ArticleFactory(title="Main")
    article.topics.add(ptsd, sleep)
    both = ArticleFactory(title="Shares two", published_at=timezone.now() - timedelta(days=9))
    both.topics.add(ptsd, sleep)
    one = ArticleFactory(title="Shares one")
    one.topics.add(sleep, diet)
    ArticleFactory(title="Shares none").topics.add(diet)
    ArticleFactory(title="Draft shares", status="draft").topics.add(ptsd)
    page = client.get(article.get_absolute_url()).content.decode()
    related = page.split('id="related-heading"')[1]
    assert related.index("Shares two") < related.index("Shares one")
    assert "Shares none" not in related and "Draft shares" not in related and ">Main<" not in related


def test_article_without_shared_topics_has_no_related_section(client):
    assert "Related articles" not in client.get(ArticleFactory().get_absolute_url()).content.decode()


def test_updated_date_is_shown_when_it_differs_from_publication(client):
    eastern = timezone.get_current_timezone()
    article = ArticleFactory(published_at=datetime.datetime(2024, 3, 1, 9, tzinfo=eastern),
                             updated_at=datetime.datetime(2024, 6, 2, 9, tzinfo=eastern))
    assert "Updated <time datetime=\"2024-06-02T09:00:00-04:00\">June 2, 2024</time>" in client.get(
        article.get_absolute_url()).content.decode()
    same_day = ArticleFactory(published_at=datetime.datetime(2024, 3, 1, 9, tzinfo=eastern),
                              updated_at=datetime.datetime(2024, 3, 1, 17, tzinfo=eastern))
    assert "Updated" not in client.get(same_day.get_absolute_url()).content.decode()


def test_medical_review_line_names_the_reviewer_with_credentials_and_date(client):
    reviewer = AuthorFactory(display_name="Dana Lee", credentials="MD, PhD", slug="dana")
    article = ArticleFactory(medically_reviewed_by=reviewer, reviewed_on=datetime.date(2024, 5, 3))
    page = client.get(article.get_absolute_url()).content.decode()
    assert ('Medically reviewed by <a href="/authors/dana/">Dana Lee, MD, PhD</a> on '
            '<time datetime="2024-05-03">May 3, 2024</time>') in page


def test_medical_reviewer_needs_credentials_and_the_admin_form_never_sets_one(client, staff):
    from django.core.exceptions import ValidationError

    from tests.adminforms import form_data

    dana = AuthorFactory(credentials="MD")
    client.force_login(staff("dana", "Editors", author=dana))  # "reviewed by" comes only from a sign-off
    article = ArticleFactory()
    data = form_data(client.get(f"/admin/articles/article/{article.pk}/change/").content)
    data.update({"medically_reviewed_by": str(dana.pk), "reviewed_on": "2024-05-03"})
    assert client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    article.refresh_from_db()
    assert (article.medically_reviewed_by, article.reviewed_on) == (None, None)
    unqualified = ArticleFactory.build(medically_reviewed_by=AuthorFactory(credentials=""), reviewed_on=datetime.date(2024, 5, 3))
    with pytest.raises(ValidationError, match="Choose a reviewer whose author profile lists credentials."):
        unqualified.clean()
