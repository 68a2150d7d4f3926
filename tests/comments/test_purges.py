"""Every write path that changes a shared page purges it from a CDN or Varnish once it commits: the
moderation desk, the admin's article and author pages, its deletions."""

import pytest
from django.db import transaction
from django.test import Client

from articles.models import Article
from comments.models import Comment
from tests.adminforms import form_data
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def page_keys(article) -> set[str]:
    return set(Client().get(article.get_absolute_url())["Surrogate-Key"].split())


def test_an_approval_at_the_desk_purges_the_articles_page(cdn_purges, desk_client, django_capture_on_commit_callbacks):
    comment = CommentFactory(status=Comment.Status.PENDING)
    keys = page_keys(comment.article)
    with django_capture_on_commit_callbacks(execute=True):
        assert desk_client.post("/moderation/", {"action": f"approve:{comment.pk}"}).status_code == 302
    purged = set().union(*cdn_purges.keys())
    assert {key for key in keys if key.startswith("page-")} | {f"article-{comment.article_id}"} <= purged
    assert "site" not in purged  # a comment changes its own article's page only


def test_the_admins_article_and_author_edits_and_deletions_purge(cdn_purges, admin_client,
                                                                 django_capture_on_commit_callbacks):
    article = ArticleFactory(title="Before")
    [author] = article.credited_authors()
    change = f"/admin/articles/article/{article.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change, {**form_data(admin_client.get(change).content),
                                          "title": "After"}).status_code == 302
    assert {"site", f"article-{article.pk}"} <= set().union(*cdn_purges.keys())

    cdn_purges.requests.clear()
    change = f"/admin/authors/author/{author.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change, {**form_data(admin_client.get(change).content),
                                          "display_name": "Renamed"}).status_code == 302
    assert {"site", f"author-{author.pk}"} <= set().union(*cdn_purges.keys())

    cdn_purges.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}).status_code == 302
    assert {"site", f"article-{article.pk}"} <= set().union(*cdn_purges.keys())


def test_a_deletion_and_its_cascades_are_one_purge(cdn_purges, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    root = CommentFactory(article=article)
    CommentFactory(article=article, parent=root)
    CommentFactory(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            Article.objects.get(pk=article.pk).delete()  # its credits, its comments and their replies go with it
    [purged] = cdn_purges.keys()
    assert {"site", f"article-{article.pk}"} <= purged


@pytest.mark.django_db(transaction=True)
def test_a_transaction_rolled_back_purges_nothing_and_leaves_nothing_to_the_next(cdn_purges):
    kept, dropped = ArticleFactory(), ArticleFactory()
    cdn_purges.requests.clear()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        CommentFactory(article=dropped)
        1 / 0
    assert cdn_purges.requests == []
    with transaction.atomic():
        CommentFactory(article=kept)
        with pytest.raises(ZeroDivisionError), transaction.atomic():  # a savepoint rolled back inside
            CommentFactory(article=dropped)
            1 / 0
    [purged] = cdn_purges.keys()
    assert f"article-{kept.pk}" in purged and f"article-{dropped.pk}" not in purged and "site" not in purged
