"""Read an article's comment tree as nested threads, a page of top-level threads at a time."""

from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Q

from .models import Comment, moderating_user, poster_name, verified_user

SESSION_KEY = "comments_own_pending"


def _own_pending(own_ids, viewer_id) -> Q | None:
    """Return the viewer's own pending comments: posted in this browser session, or under their account."""
    own = Q(pk__in=list(own_ids)) if own_ids else Q()
    if viewer_id is not None:
        own |= Q(user_id=viewer_id)
    return own & Q(status=Comment.Status.PENDING, is_removed=False) if own else None


def _roots(article, own_ids, viewer_id=None, moderating=False):
    """Top-level comments that may show on the page, newest first.

    Approved ones, the viewer's own pending ones (every pending one for a moderator), and any
    with replies (they may stand as a placeholder above approved replies; empty ones are dropped
    when the page is built).
    """
    shown = Q(status=Comment.Status.APPROVED, is_removed=False) | Q(rght__gt=F("lft") + 1)
    if moderating:
        shown |= Q(status=Comment.Status.PENDING, is_removed=False)
    else:
        own = _own_pending(own_ids, viewer_id)
        if own is not None:
            shown |= own
    return Comment.objects.filter(shown, article=article, parent__isnull=True).order_by("-created_at", "-pk")


def page_of(comment: Comment, own_ids=(), viewer_id=None, moderating=False) -> int:
    """Return the number of the comment page that holds the comment's thread."""
    per_page = settings.COMMENTS_THREADS_PER_PAGE
    if not per_page:
        return 1
    root = comment if comment.parent_id is None else Comment.objects.get(tree_id=comment.tree_id, parent=None)
    newer = _roots(comment.article_id, own_ids, viewer_id, moderating).filter(
        Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk)
    )
    return newer.count() // per_page + 1


class Node:
    """A comment as the page shows it: plain values, no model instance (cheap for 10,000 comments)."""

    __slots__ = ("pk", "parent_id", "user_id", "display_name", "badges", "body_html", "pending", "removed",
                 "created_at", "visible", "replies", "reply_to", "mine", "urgent", "dosing", "posted_as_moderator")

    def __init__(self, pk, parent_id, user_id, name, body_html, status, removed, urgent, dosing, posted_as_moderator,
                 reader_name, verified, poster_moderates, created_at, own, viewer_id=None, author_user_ids=frozenset(),
                 moderating=False):
        self.pk, self.parent_id, self.user_id, self.body_html = pk, parent_id, user_id, body_html
        # The poster's current reader name when they have one, else the name given when posting; plain
        # text: render.py escapes what it writes.
        self.display_name = poster_name(reader_name or name, bool(verified))
        self.badges = (("Author",) if user_id is not None and user_id in author_user_ids else ()) + (
            ("Moderator",) if poster_moderates or posted_as_moderator else ())
        self.pending = status == Comment.Status.PENDING
        self.removed = removed
        self.created_at = created_at
        self.mine = pk in own or (viewer_id is not None and user_id == viewer_id)
        # The moderation desk: a moderator sees every pending comment in place, flagged.
        self.urgent, self.dosing, self.posted_as_moderator = urgent, dosing, posted_as_moderator
        self.visible = not removed and (
            status == Comment.Status.APPROVED or (self.pending and (self.mine or moderating)))
        self.replies = []
        self.reply_to = None


def _fetch(queryset):
    """Yield the rows of a values_list query without Django's per-value converters.

    On SQLite, Django parses every datetime again with a regular expression (a third of the page
    time at 10,000 comments); the driver's own value, made aware as UTC, is enough.
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. a page with no threads
        return
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            created = row[-1]
            if isinstance(created, str):
                created = datetime.fromisoformat(created)
            if created.tzinfo is None:  # SQLite stores UTC without an offset
                created = created.replace(tzinfo=dt_timezone.utc)
            yield row[:-1] + (created,)


NODE_FIELDS = ["id", "parent_id", "user_id", "name", "body_html", "status", "is_removed", "urgent", "dosing",
               "posted_as_moderator", "reader_name", "verified", "poster_moderates", "created_at"]


def _rows(rows):
    """Return the comments' values as a Node takes them, the poster's name and standing joined in (one query)."""
    return rows.order_by("tree_id", "lft").annotate(
        reader_name=F("user__reader__display_name"), verified=verified_user(), poster_moderates=moderating_user(),
    ).values_list(*NODE_FIELDS)


def visible_threads(*, article, own_pending_ids=(), page=1, viewer_id=None, author_user_ids=(), moderating=False):
    """Return (threads, page_obj): top-level comments newest first, each with `.replies` nested, oldest first.

    Approved comments show, and the viewer's own pending ones (posted in this session, or under
    `viewer_id`'s account; every pending one to a moderator, `moderating`). A hidden comment
    (pending for someone else, rejected, spam or removed) that has shown replies stands as a
    placeholder (`.visible` is False), so no reply floats up as a top-level comment; otherwise it is
    left out. Comments by `author_user_ids` (the article's credited authors' accounts) carry an
    "Author" badge, by staff who moderate (or a moderator's reply from the queue) a "Moderator" badge.
    page_obj is None when the threads are not paginated (COMMENTS_THREADS_PER_PAGE = 0).
    """
    own = set(own_pending_ids)
    authors = frozenset(author_user_ids)
    rows = Comment.objects.filter(article=article)
    page_obj = None
    if settings.COMMENTS_THREADS_PER_PAGE:
        paginator = Paginator(_roots(article, own, viewer_id, moderating).values_list("tree_id", flat=True),
                              settings.COMMENTS_THREADS_PER_PAGE)
        page_obj = paginator.get_page(page)
        rows = rows.filter(tree_id__in=list(page_obj.object_list))
    nodes = [Node(*row, own, viewer_id, authors, moderating) for row in _fetch(_rows(rows))]

    keep, has_kept_reply = set(), set()
    for node in reversed(nodes):  # replies before their ancestors
        if node.visible or node.pk in has_kept_reply:
            keep.add(node.pk)
            if node.parent_id:
                has_kept_reply.add(node.parent_id)

    by_id, roots = {}, []
    for node in nodes:  # tree order: a parent always comes before its replies
        if node.pk not in keep:
            continue
        by_id[node.pk] = node
        if node.parent_id is None:
            roots.append(node)
        else:
            node.reply_to = by_id[node.parent_id]
            node.reply_to.replies.append(node)
    roots.sort(key=lambda n: (n.created_at, n.pk), reverse=True)
    return roots, page_obj


def find(threads, pk: int) -> Node | None:
    """Return the shown comment `pk` among the threads of a page (a placeholder is not shown), else None."""
    stack = list(threads)
    while stack:
        node = stack.pop()
        if node.pk == pk:
            return node if node.visible else None
        stack.extend(node.replies)
    return None


def own_pending_ids(session) -> list[int]:
    """Return the ids of the pending comments this browser session posted."""
    return session.get(SESSION_KEY, [])


def remember_own_pending(session, comment: Comment) -> None:
    """Let this browser session see its own comment while it awaits moderation."""
    session[SESSION_KEY] = (own_pending_ids(session) + [comment.pk])[-50:]


def problems() -> list[str]:
    """Return what is wrong with the stored comment tree: nesting, levels, tree ids (empty if valid)."""
    nodes = {c.pk: c for c in Comment.objects.only("id", "parent_id", "tree_id", "lft", "rght", "level")}
    found = []
    trees: dict[int, list[Comment]] = {}
    for node in nodes.values():
        trees.setdefault(node.tree_id, []).append(node)
        if node.lft >= node.rght:
            found.append(f"comment {node.pk}: lft {node.lft} is not below rght {node.rght}")
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if node.parent_id is None:
            if node.level != 0:
                found.append(f"comment {node.pk}: top-level at level {node.level}")
        elif parent is None:
            found.append(f"comment {node.pk}: parent {node.parent_id} is missing")
        else:
            if parent.tree_id != node.tree_id:
                found.append(f"comment {node.pk}: tree {node.tree_id}, its parent's is {parent.tree_id}")
            if node.level != parent.level + 1:
                found.append(f"comment {node.pk}: level {node.level} under a parent at level {parent.level}")
            if not parent.lft < node.lft < node.rght < parent.rght:
                found.append(f"comment {node.pk}: not nested inside its parent {parent.pk}")
    for tree_id, members in trees.items():
        roots = [m.pk for m in members if m.parent_id is None]
        if len(roots) != 1:
            found.append(f"tree {tree_id}: {len(roots)} top-level comments {sorted(roots)}")
        edges = sorted(v for m in members for v in (m.lft, m.rght))
        if edges != list(range(1, 2 * len(members) + 1)):
            found.append(f"tree {tree_id}: lft/rght values are not 1..{2 * len(members)}")
    return found


def nested_set(root, children) -> dict:
    """Return {node: (lft, rght)} numbering the thread under `root` depth-first, replies as `children(node)` orders them.

    For code that lays out whole threads itself and writes them in bulk (makethread, import_wxr).
    """
    spans, lft, counter = {}, {}, 0
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        counter += 1
        if done:
            spans[node] = (lft.pop(node), counter)
            continue
        lft[node] = counter
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children(node)))
    return spans
