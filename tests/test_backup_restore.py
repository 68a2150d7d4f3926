"""A backup and restore round trip (dumpdata as XML, then loaddata into an emptied database) keeps everything."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleAuthor
from authors.models import Author
from comments import tree
from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

APPS = ["auth.user", "authors", "articles.blog", "articles.topic", "articles.article", "articles.articleauthor",
        "comments.comment", "comments.report"]


def snapshot():
    return {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "title", "slug", "status", "published_at",
                                                                   "body", "body_html", "blog__slug")),
        "authors": list(Author.objects.order_by("pk").values_list("pk", "display_name", "given_names", "family_name",
                                                                 "bio", "bio_html", "user_id")),
        "credits": list(ArticleAuthor.objects.order_by("pk").values_list("article_id", "author_id", "position")),
        "comments": list(Comment.objects.order_by("pk").values_list(
            "pk", "article_id", "parent_id", "name", "email", "body", "body_html", "status", "urgent", "created_at",
            "tree_id", "lft", "rght", "level")),
    }


def test_dumpdata_and_loaddata_round_trip_keeps_every_row_status_and_the_exact_tree(demo, tmp_path):
    extra = CommentFactory(article=demo, status=Comment.Status.PENDING, body="Pending one")
    CommentFactory(article=demo, parent=Comment.objects.get(body__startswith="Hi Estrella"), body="Deep reply")
    CommentFactory(article=demo, status=Comment.Status.SPAM, body="Spam one")
    before = snapshot()
    # XML keeps timestamps to the microsecond (Django's JSON encoder cuts them to milliseconds).
    backup = tmp_path / "backup.xml"
    call_command("dumpdata", *APPS, "--natural-foreign", "--format", "xml", "-o", str(backup), stdout=io.StringIO())

    Comment.objects.all().delete()
    ArticleAuthor.objects.all().delete()
    Article.objects.all().delete()
    Author.objects.all().delete()
    assert Comment.objects.count() == 0

    call_command("loaddata", str(backup), stdout=io.StringIO())
    after = snapshot()
    assert after == before
    assert len(after["comments"]) == 8 and extra.pk in [row[0] for row in after["comments"]]
    assert tree.problems() == []
