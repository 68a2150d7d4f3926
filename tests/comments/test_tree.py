"""The comment tree stays valid, whoever writes it and however many at once."""

import threading

import pytest
from django.db import connection

from comments import moderation, tree
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory


@pytest.mark.django_db
def test_consistency_check_passes_on_a_valid_tree_and_reports_damage():
    root = CommentFactory()
    reply = CommentFactory(article=root.article, parent=root)
    CommentFactory(article=root.article, parent=reply)
    assert tree.problems() == []
    Comment.objects.filter(pk=reply.pk).update(tree_id=root.tree_id + 50)
    found = tree.problems()
    assert f"comment {reply.pk}: tree {root.tree_id + 50}, its parent's is {root.tree_id}" in found


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_leave_a_valid_tree():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers itself; the advisory lock is PostgreSQL's")
    articles = [ArticleFactory(), ArticleFactory()]
    thread_root = CommentFactory(article=articles[0], body="Thread start")
    errors, threads_count, per_thread = [], 8, 25
    barrier = threading.Barrier(threads_count)

    def worker(index):
        try:
            barrier.wait()
            for n in range(per_thread):
                if index % 2:  # new top-level comments on the two articles
                    comment = Comment(article=articles[n % 2], name=f"w{index}", body=f"top {index}-{n}")
                else:  # replies into one thread, at any depth
                    parents = list(Comment.objects.filter(article=articles[0], tree_id=thread_root.tree_id,
                                                          status=Comment.Status.APPROVED).values_list("pk", flat=True))
                    comment = Comment(article=articles[0], parent_id=parents[(index * 31 + n) % len(parents)],
                                      name=f"w{index}", body=f"reply {index}-{n}")
                moderation.submit(comment=comment, user=None)
                Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
        except Exception as error:  # reported below
            errors.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads_count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert Comment.objects.count() == 1 + threads_count * per_thread
    assert tree.problems() == []
    roots = Comment.objects.filter(parent__isnull=True)
    assert roots.count() == 1 + (threads_count // 2) * per_thread
    assert roots.values("tree_id").distinct().count() == roots.count()


@pytest.mark.django_db(transaction=True)
def test_locked_database_becomes_a_retry_not_a_lost_comment(monkeypatch):
    from django.db import OperationalError

    article = ArticleFactory()
    original_save = Comment.save
    calls = []

    def flaky_save(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Comment, "save", flaky_save)
    comment = moderation.submit(comment=Comment(article=article, body="Persistent"), user=None)
    assert len(calls) == 2
    assert Comment.objects.get(pk=comment.pk).body == "Persistent"
    assert tree.problems() == []
