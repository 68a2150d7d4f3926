"""Turn a WordPress post's comments into its article's comment tree, written in bulk.

`wp:comment_parent` becomes the parent (a reply whose parent is not imported attaches to the
article), replies deeper than COMMENTS_MAX_DEPTH attach as `moderation.attach_within_depth`
attaches a posted one, and the tree fields (tree_id, lft, rght, level) are computed here and
written with bulk_create, as `makethread` does, rather than one django-mptt insert at a time.
Importing again updates changed comments and adds new ones, recomputing that article's trees.
"""

import ipaddress

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Max

from healthsite import sanitize
from articles.models import ImportedItem
from articles.wxr import Report, aware, digest
from healthsite import wordpress, wxr

from . import crisis, dosing, moderation, tree
from .models import Comment

# comment_approved -> (status, removed). WordPress's trash is a removal: shown as "This comment was
# removed" above replies that stay, as when a poster removes their own comment.
STATUSES = {
    "1": (Comment.Status.APPROVED, False),
    "0": (Comment.Status.PENDING, False),
    "spam": (Comment.Status.SPAM, False),
    "trash": (Comment.Status.APPROVED, True),
}
SKIPPED_TYPES = {"pingback", "trackback"}
NAME_LENGTH = Comment._meta.get_field("name").max_length
_UPDATED_FIELDS = ["name", "email", "body", "body_html", "status", "is_removed", "urgent", "dosing", "ip_address",
                   "created_at"]
_TREE_FIELDS = ["parent", "tree_id", "lft", "rght", "level"]


class TreeIds:
    """Hand out tree ids for new threads (the import holds the tree lock, so no one else does)."""

    def __init__(self):
        self.next = (Comment.objects.aggregate(m=Max("tree_id"))["m"] or 0) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


class _Node:
    """A comment while the tree is laid out: `.level` and `.parent` as attach_within_depth reads them."""

    __slots__ = ("comment", "wanted", "parent", "level", "children", "wp_id", "new", "layout", "digest")

    def __init__(self, comment: Comment, *, wp_id: int = 0, new: bool = False):
        self.comment, self.wp_id, self.new = comment, wp_id, new
        self.wanted = self.parent = None
        self.level, self.children, self.layout, self.digest = 0, [], (), ""

    def order(self):
        return self.comment.created_at, self.comment.pk or 2**63, self.wp_id


def _fields(record: wxr.Comment, fallback_date) -> dict:
    status, removed = STATUSES[record.approved]
    body = wordpress.plain_text(record.content)
    email = record.email[:254]
    try:
        validate_email(email)
    except ValidationError:
        email = ""
    try:
        ip = str(ipaddress.ip_address(record.ip))
    except ValueError:
        ip = None
    return {
        "name": wordpress.one_line(record.author)[:NAME_LENGTH],
        "email": email,
        "body": body,
        "status": status,
        "is_removed": removed,
        "ip_address": ip,
        "created_at": aware(record.date_gmt, utc=True) or aware(record.date, utc=False) or fallback_date,
    }


def _wanted(post: wxr.Post, label: str, report: Report, fallback_date) -> dict[int, tuple[wxr.Comment, dict]]:
    """Return the post's comments that become comments here, with their fields; count or list the others."""
    wanted = {}
    for record in post.comments:
        what = f"comment {record.wp_id} on {label}"
        if record.type in SKIPPED_TYPES:
            report.add("pingbacks")
        elif record.type not in ("", "comment"):
            report.skipped.append(f"{what}: a “{record.type}”, not a reader's comment")
        elif not record.wp_id or record.wp_id in wanted:
            report.skipped.append(f"{what}: {'no id' if not record.wp_id else 'the same id twice in the post'}")
        elif record.approved not in STATUSES:
            report.skipped.append(f"{what}: unknown status “{record.approved}”")
        else:
            values = _fields(record, fallback_date)
            if values["body"]:
                wanted[record.wp_id] = (record, values)
            else:
                report.skipped.append(f"{what}: empty")
    return wanted


def import_comments(*, article, post: wxr.Post, label: str, report: Report, writer: "Writer",
                    new_article: bool) -> None:
    """Lay out the article's comments from the post's (written by `writer`), keeping every thread consistent."""
    wanted = _wanted(post, label, report, article.published_at)
    if not wanted:
        return
    records = [record for record, _ in wanted.values()]
    fields = {wp_id: values for wp_id, (_, values) in wanted.items()}
    items = {} if new_article else {
        int(i.wp_id): i for i in ImportedItem.objects.filter(
            source=writer.source, kind=ImportedItem.Kind.COMMENT, wp_id__in=[str(wp_id) for wp_id in wanted])}
    prints = {r.wp_id: digest(fields[r.wp_id], r.parent_id) for r in records}
    if items and all(r.wp_id in items and items[r.wp_id].digest == prints[r.wp_id] for r in records):
        report.add("comments unchanged", len(records))
        for values in fields.values():
            report.add(_status_key(values))
        return

    existing = {} if new_article else {c.pk: c for c in Comment.objects.filter(article=article)}
    nodes = {pk: _Node(c) for pk, c in existing.items()}
    by_wp_id: dict[int, _Node] = {}
    created, updated = [], []
    for record in records:
        item = items.get(record.wp_id)
        values = fields[record.wp_id]
        if item is None:
            comment = Comment(article=article, **values)
            node = _Node(comment, wp_id=record.wp_id, new=True)
            created.append(node)
        elif item.object_id in nodes:
            node = nodes[item.object_id]
            node.wp_id = record.wp_id
            if item.digest != prints[record.wp_id]:
                for name, value in values.items():
                    setattr(node.comment, name, value)
                updated.append(node)
        else:
            report.skipped.append(f"comment {record.wp_id} on {label}: deleted here since it was imported: "
                                  "not made again")
            continue
        by_wp_id[record.wp_id] = node
        report.add(_status_key(values))

    # The parent each comment asks for: the file's for imported ones, the stored one for the others.
    for node in nodes.values():
        node.wanted = nodes.get(node.comment.parent_id)
    for record in records:
        node = by_wp_id.get(record.wp_id)
        if node is None:
            continue
        node.wanted = by_wp_id.get(record.parent_id) if record.parent_id else None
        if record.parent_id and node.wanted is None:
            report.notes.append(f"comment {record.wp_id} on {label}: replies to comment {record.parent_id}, "
                                "which is not imported: attached to the article")
    _lay_out([*nodes.values(), *created], label=label, report=report, tree_ids=writer.tree_ids)

    for node in created:
        node.digest = prints[node.wp_id]
    changed_items = [items[n.wp_id] for n in updated]
    for item in changed_items:
        item.digest = prints[int(item.wp_id)]
    writer.add(created=created, updated=updated, existing=list(nodes.values()), items=changed_items)
    report.add("comments created", len(created))
    report.add("comments updated", len(updated))
    report.add("comments unchanged", len(by_wp_id) - len(created) - len(updated))


class Writer:
    """Laid-out comments of many posts, written together: a bulk_create per tree level, not per post."""

    BATCH = 5000

    def __init__(self, source: str):
        self.source, self.tree_ids = source, TreeIds()
        self.created, self.updated, self.existing, self.items = [], [], [], []

    def add(self, *, created, updated, existing, items) -> None:
        self.created += created
        self.updated += updated
        self.existing += existing
        self.items += items
        if len(self.created) + len(self.updated) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        for node in self.created:
            comment = node.comment
            comment.tree_id, comment.lft, comment.rght, comment.level = node.layout
            comment.body_html = sanitize.comment_html(comment.body)
            comment.urgent = comment.status == Comment.Status.PENDING and crisis.is_crisis(comment.body)
            # Dosing advice is flagged (the desk marks it, readers see the note under it); the status stays the
            # export's: a comment published there was public before it came here.
            comment.dosing = dosing.gives_doses(comment.body)
        for level in sorted({n.level for n in self.created}):  # parents first: each reply knows its parent's id
            batch = [n for n in self.created if n.level == level]
            for node in batch:
                node.comment.parent_id = node.parent.comment.pk if node.parent else None
            Comment.objects.bulk_create([n.comment for n in batch], batch_size=1000)
        for node in self.updated:
            node.comment.body_html = sanitize.comment_html(node.comment.body)
            node.comment.urgent = node.comment.urgent or (
                node.comment.status == Comment.Status.PENDING and crisis.is_crisis(node.comment.body))
            node.comment.dosing = dosing.gives_doses(node.comment.body)
        moved = []
        for node in self.existing:
            c, parent_id = node.comment, (node.parent.comment.pk if node.parent else None)
            if (c.parent_id, c.tree_id, c.lft, c.rght, c.level) != (parent_id, *node.layout):
                c.parent_id, (c.tree_id, c.lft, c.rght, c.level) = parent_id, node.layout
                moved.append(node)
        Comment.objects.bulk_update([n.comment for n in self.updated], _UPDATED_FIELDS, batch_size=1000)
        Comment.objects.bulk_update([n.comment for n in moved], _TREE_FIELDS, batch_size=1000)
        ImportedItem.objects.bulk_create([
            ImportedItem(source=self.source, kind=ImportedItem.Kind.COMMENT, wp_id=str(n.wp_id),
                         object_id=n.comment.pk, digest=n.digest) for n in self.created], batch_size=1000)
        ImportedItem.objects.bulk_update(self.items, ["digest"], batch_size=1000)
        self.created, self.updated, self.existing, self.items = [], [], [], []


def _status_key(values: dict) -> str:
    return "removed" if values["is_removed"] else values["status"]


def _lay_out(nodes: list[_Node], *, label: str, report: Report, tree_ids: TreeIds) -> None:
    """Set each node's parent (depth capped), level and (tree_id, lft, rght, level), threads in date order."""
    waiting: dict[int, list[_Node]] = {}
    roots = []
    for node in nodes:
        (roots if node.wanted is None else waiting.setdefault(id(node.wanted), [])).append(node)
    order, placed = [], set()
    queue = list(roots)
    while queue:  # parents before their replies
        node = queue.pop()
        placed.add(id(node))
        order.append(node)
        queue.extend(waiting.get(id(node), ()))
    for node in nodes:
        if id(node) not in placed:  # a loop of replies (a hand-made file): break it at the article
            report.notes.append(f"comment {node.wp_id} on {label}: its replies loop back to it: attached to the article")
            node.wanted = None
            order.append(node)
            queue = [node]
            placed.add(id(node))
            while queue:
                current = queue.pop()
                for reply in waiting.get(id(current), ()):
                    if id(reply) not in placed:
                        placed.add(id(reply))
                        order.append(reply)
                        queue.append(reply)
    for node in order:
        node.parent = moderation.attach_within_depth(node.wanted)
        node.level = node.parent.level + 1 if node.parent else 0
        node.children = []
    threads = []
    for node in order:
        (node.parent.children if node.parent else threads).append(node)
    for thread in threads:
        tree_id = thread.comment.tree_id if not thread.new and thread.comment.parent_id is None \
            and thread.comment.tree_id else tree_ids.take()
        spans = tree.nested_set(thread, lambda node: sorted(node.children, key=_Node.order))
        for node, (lft, rght) in spans.items():
            node.layout = (tree_id, lft, rght, node.level)
