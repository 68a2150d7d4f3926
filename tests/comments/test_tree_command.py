import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from comments import tree
from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_check_reports_a_consistent_tree():
    root = CommentFactory()
    CommentFactory(article=root.article, parent=root)
    out = io.StringIO()
    call_command("check_comment_tree", stdout=out)
    assert out.getvalue().strip() == "The comment tree is consistent (2 comments)."


def test_check_finds_damage_and_repair_restores_the_tree_and_its_order():
    root = CommentFactory(body="root")
    first = CommentFactory(article=root.article, parent=root, body="first")
    second = CommentFactory(article=root.article, parent=root, body="second")
    Comment.objects.filter(pk=second.pk).update(lft=99, rght=98, level=7)
    with pytest.raises(CommandError, match="problem"):
        call_command("check_comment_tree", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_comment_tree", "--repair", stdout=out)
    assert "Repaired" in out.getvalue()
    assert tree.problems() == []
    assert [c.body for c in Comment.objects.get(pk=root.pk).get_children()] == ["first", "second"]
    assert Comment.objects.get(pk=first.pk).level == 1


def test_repair_replaces_the_cached_pages():
    root = CommentFactory(body="Root words")
    reply = CommentFactory(article=root.article, parent=root, body="Reply words")
    Comment.objects.filter(pk=reply.pk).update(tree_id=root.tree_id + 50)  # damaged: lost from its thread
    url = root.article.get_absolute_url()
    assert "Reply words" not in Client().get(url).content.decode()
    call_command("check_comment_tree", "--repair", stdout=io.StringIO())
    assert "Reply words" in Client().get(url).content.decode()
