"""manage.py makethread N [--seed 42]: the standard "thread-N" benchmark workload."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils.html import escape

from articles.models import Article, ArticleAuthor, Blog
from authors.models import Author
from healthsite import pagecache, sanitize
from comments import tree, workload
from comments.models import Comment


def tree_fields(comments: list[dict], first_tree_id: int) -> list[tuple[int, int, int, int]]:
    """Return (tree_id, lft, rght, level) for each workload comment, children in creation order."""
    children: dict[int, list[int]] = {}
    roots = []
    for c in comments:
        (roots if c["parent"] is None else children.setdefault(c["parent"], [])).append(c["index"])
    fields = [None] * len(comments)
    for offset, root in enumerate(roots):
        spans = tree.nested_set(root, lambda index: children.get(index, ()))
        for index, (lft, rght) in spans.items():
            fields[index] = (first_tree_id + offset, lft, rght, comments[index]["depth"])
    return fields


class Command(BaseCommand):
    help = "Create or replace the benchmark article holding the thread-N workload (all comments approved)."

    def add_arguments(self, parser):
        parser.add_argument("n", type=int)
        parser.add_argument("--seed", type=int, default=workload.SEED)

    @transaction.atomic
    def handle(self, n, seed, **options):
        started = time.perf_counter()
        spec = workload.generate_article(seed)
        blog, _ = Blog.objects.get_or_create(slug="bench", defaults={"title": "Benchmark"})
        author, _ = Author.objects.get_or_create(
            slug="bench-author", defaults={"display_name": "Bench Author", "given_names": "Bench",
                                           "family_name": "Author"})
        article = Article.objects.filter(blog=blog, slug=spec["slug"]).first() or Article(blog=blog)
        article.title, article.slug, article.published_at = spec["title"], spec["slug"], spec["publish"]
        article.body = "".join(f"<p>{escape(p)}</p>\n" for p in spec["body"].split("\n\n"))
        article.status = Article.Status.PUBLISHED
        article.save()
        ArticleAuthor.objects.get_or_create(article=article, author=author)
        article.comments.all().delete()

        specs = workload.generate_comments(n, seed)
        first_tree_id = (Comment.objects.aggregate(m=Max("tree_id"))["m"] or 0) + 1
        fields = tree_fields(specs, first_tree_id)
        rows = [
            Comment(article=article, name=c["name"], email=c["email"], body=c["body"],
                    body_html=sanitize.comment_html(c["body"]), status=Comment.Status.APPROVED,
                    created_at=c["created"], tree_id=t, lft=l, rght=r, level=lv)
            for c, (t, l, r, lv) in zip(specs, fields)
        ]
        created = Comment.objects.bulk_create(rows, batch_size=1000)
        # Parents by index, now that every comment has its primary key.
        for c, comment in zip(specs, created):
            comment.parent_id = created[c["parent"]].pk if c["parent"] is not None else None
        Comment.objects.bulk_update([c for c in created if c.parent_id], ["parent"], batch_size=1000)
        if created:  # bulk writes send no signal: replace the article's cached pages here
            pagecache.changed(created[0])
        problems = tree.problems()
        if problems:
            raise RuntimeError(f"makethread built an invalid tree: {problems[:3]}")
        self.stdout.write(f"thread-{n}: {len(created)} comments on {article.get_absolute_url()} "
                          f"in {time.perf_counter() - started:.1f} s")
