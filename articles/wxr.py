"""Turn a WordPress export's authors, posts, terms and images into Authors, Articles, Topics and redirects.

Each item made here is recorded in `ImportedItem` under the exported site and its WordPress id,
with a fingerprint of what it became: importing the same file again finds it and changes it only
when the export changed (so an editor's later changes stay while the old site's item does not
change). The comments are the comments app's part (comments/wxr.py).
"""

import datetime
import hashlib
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from authors.models import Author
from healthsite import wordpress, wxr

from healthsite import images
from .models import Article, ArticleAuthor, Blog, ImportedItem, Redirect, Topic
from .redirects import old_path

SUMMARY_LENGTH = Article._meta.get_field("summary").max_length
NOT_ARTICLES = {"page": "pages", "attachment": "attachments", "nav_menu_item": "menu items"}


def digest(*values) -> str:
    """Return a short fingerprint of what an item became."""
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def source_key(site: wxr.Site) -> str:
    """Return the exported site as imports are keyed: host and path, e.g. "old.example.com/blog"."""
    parts = urlsplit(site.base_blog_url or site.base_site_url or site.link)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return (host + parts.path.rstrip("/"))[:200] or "unknown"


def site_hosts(site: wxr.Site) -> set[str]:
    hosts = {(urlsplit(u).hostname or "").lower() for u in (site.base_site_url, site.base_blog_url, site.link)}
    hosts.discard("")
    return hosts | {f"www.{h}" for h in hosts} | {h.removeprefix("www.") for h in hosts}


def post_label(post: wxr.Post) -> str:
    """Return how the report names a post: its old id and title."""
    title = wordpress.one_line(post.title)[:80]
    return f"post {post.wp_id} “{title}”" if title else f"post {post.wp_id} (line {post.line})"


def aware(moment: datetime.datetime | None, *, utc: bool) -> datetime.datetime | None:
    """Return a WXR date made aware: UTC for the *_gmt fields, the site's time zone for local ones."""
    if moment is None:
        return None
    return moment.replace(tzinfo=datetime.timezone.utc) if utc else timezone.make_aware(moment)


@dataclass
class Report:
    """What an import did, and everything it left out with the reason."""

    source: str = ""
    version: str = ""
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def text(self) -> str:
        c = self.counts

        def n(key):
            return f"{c[key]:,}"

        posts = c["posts created"] + c["posts updated"] + c["posts unchanged"]
        comments = c["comments created"] + c["comments updated"] + c["comments unchanged"]
        not_articles = ", ".join(f"{label} {c['not ' + kind]:,}" for kind, label in
                                 [*NOT_ARTICLES.items(), ("other", "other types")] if c["not " + kind])
        lines = [
            f"WordPress export of {self.source} (WXR {self.version})",
            f"Posts: {posts:,} (created {n('posts created')}, updated {n('posts updated')}, "
            f"unchanged {n('posts unchanged')}); published {n('published')}, scheduled {n('scheduled')}, "
            f"draft {n('drafts')}",
            f"Authors: created {n('authors created')}, matched to existing authors {n('authors matched')}",
            f"Blogs created: {n('blogs created')}; topics created: {n('topics created')}",
            f"Comments: {comments:,} (created {n('comments created')}, updated {n('comments updated')}, "
            f"unchanged {n('comments unchanged')}); approved {n('approved')}, pending {n('pending')}, "
            f"spam {n('spam')}, removed {n('removed')}",
            f"Pingbacks and trackbacks skipped: {n('pingbacks')}; comments on items not imported: "
            f"{n('comments on items not imported')}",
            f"Images: imported {n('images imported')}, already here {n('images reused')}, "
            f"not found {n('images missing')}, refused {n('images refused')}",
            f"Redirects: created {n('redirects created')}, already here {n('redirects kept')}",
            f"Not articles: {not_articles or 'none'}",
        ]
        for heading, items in (("Notes", self.notes), ("Skipped", self.skipped)):
            if items:
                lines.append(f"{heading} ({len(items):,}):")
                lines.extend(f"  - {item}" for item in items)
        return "\n".join(lines)


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_SIZE = re.compile(r"""\s(?:width|height)\s*=\s*(["'])[^"']*\1""", re.IGNORECASE)
_LINK_HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SIZED_VARIANT = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+\Z)")  # WordPress's "photo-300x200.jpg"


@dataclass
class StoredImage:
    name: str  # in default storage
    src: str  # the rendition a post's <img> shows
    width: int
    height: int


class Images:
    """Old uploads found in the media folder, stored through the lead images' checks and renditions."""

    def __init__(self, *, media_dir: Path | None, hosts: set[str], folder: str, dry_run: bool, report: Report):
        self.media_dir = media_dir.resolve() if media_dir else None
        self.hosts, self.folder, self.dry_run, self.report = hosts, folder, dry_run, report
        self.found: dict[str, StoredImage | None] = {}
        self.written: list[str] = []  # files to delete if the import is rolled back

    def rewrite(self, html: str, label: str) -> str:
        """Return the post's HTML with its old uploads' <img> pointing at the stored copies."""
        def image(match):
            tag = match.group(0)
            src = _SRC.search(tag)
            if src is None:
                return tag
            relative = wordpress.upload_path(src.group(2), self.hosts)
            if relative is None:
                self.report.skipped.append(f"image {src.group(2)} in {label}: on another site, not imported")
                return tag  # the allowlist drops it
            stored = self.get(relative, src.group(2), label)
            if stored is None:
                return tag
            tag = _SIZE.sub("", tag)
            return _SRC.sub(f'src="{stored.src}" width="{stored.width}" height="{stored.height}"', tag, count=1)

        def link(match):  # a link to the full-size upload leads to the stored copy
            relative = wordpress.upload_path(match.group(3), self.hosts)
            stored = self.found.get(relative) if relative else None
            return f"{match.group(1)}{match.group(2)}{default_storage.url(stored.name)}{match.group(2)}" if stored \
                else match.group(0)

        return _LINK_HREF.sub(link, _IMG.sub(image, html))

    def _locate(self, relative: str) -> Path | None:
        for candidate in (relative, _SIZED_VARIANT.sub("", relative)):
            path = (self.media_dir / candidate).resolve()
            if path.is_relative_to(self.media_dir) and path.is_file():
                return path
        return None

    def get(self, relative: str, url: str, label: str) -> StoredImage | None:
        if relative in self.found:
            return self.found[relative]
        self.found[relative] = None
        path = self._locate(relative) if self.media_dir else None
        if path is None:
            self.report.add("images missing")
            where = "no --media-dir given" if self.media_dir is None else f"not in {self.media_dir}"
            self.report.skipped.append(f"image {url} in {label}: {where}")
            return None
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                images.check(upload)
            except ValidationError as error:
                self.report.add("images refused")
                self.report.skipped.append(f"image {url} in {label}: {' '.join(error.messages)}")
                return None
            with Image.open(upload) as picture:
                extension = images.FORMATS[picture.format]
            stem = posixpath.splitext(path.name)[0]
            name = posixpath.join(self.folder, posixpath.dirname(relative), f"{stem}.{extension}")
            if default_storage.exists(name):
                self.report.add("images reused")
            else:
                self.report.add("images imported")
                if not self.dry_run:
                    name = self._store(name, images.without_metadata(upload))
        self.found[relative] = self._stored(name, path)
        return self.found[relative]

    def _store(self, name: str, content) -> str:
        saved = default_storage.save(name, content)
        self.written.append(saved)
        with default_storage.open(saved) as stored, Image.open(stored) as picture:
            width = picture.width
        self.written.extend(images.make_renditions(saved, images.lead_widths(width)))
        return saved

    def _stored(self, name: str, original: Path) -> StoredImage:
        source = default_storage.open(name) if default_storage.exists(name) else original.open("rb")
        with source, Image.open(source) as picture:
            width, height = picture.size
        widths = images.lead_widths(width)
        shown = max((w for w in widths if w <= 800), default=min(widths))  # as images.sources picks its src
        return StoredImage(name=name, src=images.sources(name, widths).src, width=shown,
                           height=max(1, round(height * shown / width)))

    def delete_written(self) -> None:
        for name in self.written:
            default_storage.delete(name)
        self.written.clear()


def _slug(text: str, limit: int) -> str:
    return slugify(unquote(text))[:limit].strip("-")


def _unique_slug(model, wanted: str, limit: int, *, exclude_pk=None, **scope) -> str:
    candidate, n = wanted, 1
    while model.objects.filter(slug=candidate, **scope).exclude(pk=exclude_pk).exists():
        n += 1
        suffix = f"-{n}"
        candidate = wanted[: limit - len(suffix)] + suffix
    return candidate


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


class Importer:
    """Authors, blogs, topics, articles, images and redirects from one export, in file order."""

    def __init__(self, *, site: wxr.Site, report: Report, blog_slug: str | None = None,
                 media_dir: Path | None = None, dry_run: bool = False):
        self.site, self.report, self.blog_slug = site, report, blog_slug
        self.source = source_key(site)
        report.source, report.version = self.source, site.wxr_version
        folder = "articles/imported/" + slugify(re.sub(r"[./]", "-", self.source))  # "old-example-com"
        self.images = Images(media_dir=media_dir, hosts=site_hosts(site), folder=folder, dry_run=dry_run, report=report)
        self.wp_authors: dict[str, wxr.Author] = {}
        self.authors: dict[str, Author] = {}
        self.terms: dict[tuple[str, str], wxr.Term] = {}
        self.blogs: dict[str, Blog] = {}
        self.topics: dict[str, Topic] = {}
        self.redirects: dict[str, int] = {}
        self.seen: set[int] = set()
        self.blog_path = urlsplit(site.base_blog_url or site.base_site_url or site.link).path.rstrip("/")

    # Authors ------------------------------------------------------------------------------------

    def author(self, record: wxr.Author) -> None:
        if record.login:
            self.wp_authors[record.login] = record

    def author_for(self, login: str) -> Author:
        """Return the Author of a post's dc:creator: imported before, matched by name or login, or made."""
        login = login or self.site.title or self.source
        if login in self.authors:
            return self.authors[login]
        record = self.wp_authors.get(login) or wxr.Author(login=login)
        display = wordpress.one_line(record.display_name or login)[:120]
        item = ImportedItem.objects.filter(source=self.source, kind=ImportedItem.Kind.AUTHOR, wp_id=login[:100]).first()
        author = Author.objects.filter(pk=item.object_id).first() if item else None
        if author is None:
            author = (Author.objects.filter(display_name__iexact=display).order_by("pk").first()
                      or Author.objects.filter(user__username=login).first())
            if author is not None:
                self.report.add("authors matched")
            else:
                author = self._new_author(record, display)
            ImportedItem.objects.update_or_create(
                source=self.source, kind=ImportedItem.Kind.AUTHOR, wp_id=login[:100], defaults={"object_id": author.pk})
        self.authors[login] = author
        return author

    def _new_author(self, record: wxr.Author, display: str) -> Author:
        given, family = wordpress.one_line(record.first_name)[:120], wordpress.one_line(record.last_name)[:120]
        author = Author(display_name=display, given_names=given, family_name=family,
                        slug=_unique_slug(Author, _slug(display, 110) or "author", 120))
        author.save()
        self.report.add("authors created")
        if not family:
            self.report.notes.append(f"author “{display}”: no last name in the export, so citations print the "
                                     "display name whole; add the names on the author's profile")
        return author

    # Blogs and topics -------------------------------------------------------------------------------

    def term(self, record: wxr.Term) -> None:
        self.terms[(record.taxonomy, record.slug)] = record

    def blog_for(self, category: wxr.Category | None) -> Blog:
        if self.blog_slug:
            slug, title, description = self.blog_slug, self.site.title or self.blog_slug, ""
        elif category is None:
            slug, title, description = "uncategorized", "Uncategorized", ""
        else:
            slug = _slug(category.slug, 100) or _slug(category.name, 100) or "uncategorized"
            title = wordpress.one_line(category.name)[:200] or slug
            term = self.terms.get(("category", category.slug))
            description = wordpress.plain_text(term.description) if term else ""
        if slug not in self.blogs:
            blog = Blog.objects.filter(slug=slug).first()
            if blog is None:
                blog = Blog.objects.create(slug=slug, title=wordpress.one_line(title)[:200], description=description)
                self.report.add("blogs created")
            self.blogs[slug] = blog
        return self.blogs[slug]

    def topic_for(self, category: wxr.Category) -> Topic | None:
        name = wordpress.one_line(category.name)[:100]
        slug = _slug(category.slug, 100) or _slug(name, 100)
        if not slug:
            return None
        if slug not in self.topics:
            topic = Topic.objects.filter(slug=slug).first() or Topic.objects.filter(name__iexact=name).first()
            if topic is None:
                topic = Topic.objects.create(name=name or slug, slug=slug)
                self.report.add("topics created")
            self.topics[slug] = topic
        return self.topics[slug]

    def _terms(self, post: wxr.Post) -> tuple[wxr.Category | None, list[wxr.Category]]:
        """Return the post's first category and the terms that become topics (other categories, tags)."""
        named = [c for c in post.categories if c.slug] or [
            wxr.Category(domain=c.domain or "category", slug=slugify(c.name), name=c.name) for c in post.categories]
        categories, tags, seen = [], [], set()
        for term in named:
            domain = {"tag": "post_tag"}.get(term.domain, term.domain or "category")
            if (domain, term.slug) in seen:
                continue
            seen.add((domain, term.slug))
            if domain == "category":
                categories.append(term)
            elif domain == "post_tag":
                tags.append(term)
        if self.blog_slug:
            return None, categories + tags
        return (categories[0] if categories else None), categories[1:] + tags

    # Posts --------------------------------------------------------------------------------------------

    def _status(self, post: wxr.Post, label: str) -> str:
        status = post.status or "draft"
        if post.password:
            self.report.notes.append(f"{label}: password-protected on the old site: imported as a draft")
            return Article.Status.DRAFT
        if status in ("publish", "future"):
            return Article.Status.PUBLISHED
        if status == "private":
            self.report.notes.append(f"{label}: private on the old site: imported as a draft")
        elif status not in ("draft", "pending"):
            self.report.notes.append(f"{label}: status “{status}” on the old site: imported as a draft")
        return Article.Status.DRAFT

    def _published_at(self, post: wxr.Post, label: str, article: Article | None) -> tuple[datetime.datetime, str]:
        """Return the publication time and how the fingerprint records it (a guessed time is not a change)."""
        moment = aware(post.date_gmt, utc=True) or aware(post.date, utc=False)
        if moment is not None:
            return moment, moment.isoformat()
        if article is not None:
            return article.published_at, "no date"
        try:
            moment = parsedate_to_datetime(self.site.exported)
        except (TypeError, ValueError):
            moment = timezone.now()
        self.report.notes.append(f"{label}: no date in the export: dated {moment:%Y-%m-%d}, the export's date")
        return moment, "no date"

    def post(self, post: wxr.Post) -> Article | None:
        """Create or update the article a post became; None if it is not an article (counted or listed)."""
        kind = post.type or "post"
        if kind != "post":
            self.report.add("not " + (kind if kind in NOT_ARTICLES else "other"))
            return None
        title = wordpress.one_line(post.title)[:200]
        label = post_label(post)
        reason = None
        if not post.wp_id:
            reason = "no wp:post_id"
        elif post.wp_id in self.seen:
            reason = "the same post id twice in the export: imported once"
        elif post.status == "trash":
            reason = "in the trash on the old site"
        elif post.status == "auto-draft":
            reason = "an automatic draft WordPress made"
        elif not title and not post.content.strip():
            reason = "empty: no title and no text"
        item = None
        if reason is None:
            item = ImportedItem.objects.filter(source=self.source, kind=ImportedItem.Kind.POST,
                                               wp_id=str(post.wp_id)).first()
            if item is not None and not Article.objects.filter(pk=item.object_id).exists():
                reason = "deleted here since it was imported: not made again"
        if reason is not None:
            self.report.skipped.append(f"{label}: {reason}")
            return None
        self.seen.add(post.wp_id)
        if not title:
            title = "Untitled"
            self.report.notes.append(f"{label}: no title: imported as “Untitled”")

        body, removed = wordpress.post_html(post.content)
        body = self.images.rewrite(body, label)
        if removed:
            self.report.notes.append(f"{label}: shortcodes this site cannot show removed: {', '.join(removed)}")
        category, topic_terms = self._terms(post)
        blog = self.blog_for(category)
        topics = sorted({t.pk: t for t in filter(None, map(self.topic_for, topic_terms))}.values(), key=lambda t: t.pk)
        author = self.author_for(post.creator)
        status = self._status(post, label)
        existing = Article.objects.select_related("blog").get(pk=item.object_id) if item else None
        published_at, when = self._published_at(post, label, existing)
        summary = wordpress.one_line(post.excerpt)
        if len(summary) > SUMMARY_LENGTH:
            summary = _shorten(summary, SUMMARY_LENGTH)
            self.report.notes.append(f"{label}: excerpt shortened to {SUMMARY_LENGTH} characters for the summary")
        wanted_slug = _slug(post.name, 200) or _slug(title, 200) or f"post-{post.wp_id}"
        fingerprint = digest(title, body, summary, status, when, blog.pk, wanted_slug,
                             [t.pk for t in topics], author.pk, post.comment_status)

        if item is not None and item.digest == fingerprint:
            article = existing
            self.report.add("posts unchanged")
        else:
            article = existing or Article()
            article.blog, article.title, article.body, article.summary = blog, title, body, summary
            article.status, article.published_at = status, published_at
            article.comments_enabled = post.comment_status != "closed"
            kept = item is not None and re.fullmatch(rf"{re.escape(wanted_slug)}(?:-\d+)?", article.slug)
            article.slug = _unique_slug(Article, article.slug if kept else wanted_slug, 200, exclude_pk=article.pk,
                                        blog=blog)
            article.save()
            if item is None:
                ArticleAuthor.objects.create(article=article, author=author, position=0)
                article.topics.add(*topics)
                ImportedItem.objects.create(source=self.source, kind=ImportedItem.Kind.POST, wp_id=str(post.wp_id),
                                            object_id=article.pk, digest=fingerprint)
            else:
                if [c.author_id for c in article.credits.all()] != [author.pk]:
                    article.credits.all().delete()
                    ArticleAuthor.objects.create(article=article, author=author, position=0)
                article.topics.set(topics)
                item.object_id, item.digest = article.pk, fingerprint
                item.save()
            self.report.add("posts updated" if item else "posts created")
        self.report.add("scheduled" if article.is_scheduled() else "published" if article.is_public() else "drafts")
        self._remember_redirects(post, article)
        return article

    # Redirects -----------------------------------------------------------------------------------

    def _remember_redirects(self, post: wxr.Post, article: Article) -> None:
        paths = {old_path(f"{self.blog_path}/", f"p={post.wp_id}")}
        if post.link:
            parts = urlsplit(post.link)
            paths.add(old_path(unquote(parts.path) or "/", parts.query))
        for path in paths:
            if len(path) > Redirect._meta.get_field("old_path").max_length:
                self.report.skipped.append(f"redirect from {path[:80]}… for {article}: address too long")
            elif path != article.get_absolute_url():
                self.redirects[path] = article.pk

    def finish(self) -> None:
        """Write the redirects gathered from the posts (in batches: a large export has thousands)."""
        pending = list(self.redirects.items())
        for start in range(0, len(pending), 500):
            batch = dict(pending[start:start + 500])
            existing = dict(Redirect.objects.filter(old_path__in=batch).values_list("old_path", "article_id"))
            for path, article_id in existing.items():
                self.report.add("redirects kept")
                if article_id != batch[path]:
                    self.report.notes.append(f"redirect from {path}: already leads to another article, kept")
            Redirect.objects.bulk_create(
                [Redirect(old_path=path, article_id=article_id) for path, article_id in batch.items()
                 if path not in existing])
            self.report.add("redirects created", len(batch) - len(existing))
