"""manage.py import_wxr PATH [--blog SLUG] [--media-dir DIR] [--dry-run]: move a WordPress site in."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import wxr as articles_wxr
from comments import moderation, wxr as comments_wxr
from comments.models import Comment
from healthsite import pagecache, wxr


class Progress:
    """A progress bar on a terminal; elsewhere (a log, a pipe) a line at every tenth."""

    WIDTH = 30

    def __init__(self, stream, total: int):
        self.stream, self.total, self.done = stream, max(total, 1), 0
        self.tty = stream.isatty()
        self.shown = -1

    def step(self) -> None:
        self.done += 1
        if self.tty:
            tenths = self.done * 1000 // self.total
            if tenths != self.shown or self.done == self.total:
                self.shown = tenths
                filled = self.WIDTH * self.done // self.total
                self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done:,}/{self.total:,} items",
                                  ending="")
                self.stream.flush()
        else:
            tenth = self.done * 10 // self.total
            if tenth != self.shown and (tenth > 0 or self.done == self.total):
                self.shown = tenth
                self.stream.write(f"Imported {self.done:,} of {self.total:,} items ({tenth * 10}%)")

    def close(self) -> None:
        if self.tty:
            self.stream.write("")


class Command(BaseCommand):
    help = ("Import a WordPress export (WXR 1.0-1.2): authors, posts, topics, threaded comments, images from "
            "the old uploads folder and 301 redirects from the old addresses. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The export file (Tools > Export in WordPress).")
        parser.add_argument("--blog", metavar="SLUG", help="Put every post in this blog (made if missing) "
                                                           "instead of the blog named by its first category.")
        parser.add_argument("--media-dir", type=Path, metavar="DIR",
                            help="The old site's wp-content/uploads folder, where the posts' images are.")
        parser.add_argument("--dry-run", action="store_true", help="Print the report and write nothing.")

    def handle(self, *args, path: Path, blog=None, media_dir=None, dry_run=False, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir}: no such folder.")
        started = time.perf_counter()
        try:
            summary = wxr.scan(path)  # the whole file is checked before anything is written
        except wxr.WXRError as error:
            raise CommandError(f"{path}: {error}. Nothing was imported.") from None
        report = articles_wxr.Report()
        importer = articles_wxr.Importer(site=summary.site, report=report, blog_slug=blog, media_dir=media_dir,
                                         dry_run=dry_run)
        progress = Progress(self.stderr, summary.items)
        try:
            with transaction.atomic():
                moderation._lock_tree()  # the import lays out comment trees itself: no post may interleave
                self._import(path, importer, progress)
                if dry_run:
                    transaction.set_rollback(True)
        except wxr.WXRError as error:  # the file changed since it was checked
            importer.images.delete_written()
            raise CommandError(f"{path}: {error}. Nothing was imported.") from None
        except BaseException:
            importer.images.delete_written()
            raise
        finally:
            progress.close()
        if not dry_run:
            pagecache.changed(Comment)  # comments were written in bulk, past the per-comment receivers
        if dry_run:
            self.stdout.write("Dry run: nothing was written. This is what the import would do:")
        self.stdout.write(report.text())
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")

    def _import(self, path: Path, importer: articles_wxr.Importer, progress: Progress) -> None:
        writer = comments_wxr.Writer(importer.source)
        report = importer.report
        for record in wxr.read(path):
            if isinstance(record, wxr.Author):
                importer.author(record)
            elif isinstance(record, wxr.Term):
                importer.term(record)
            else:
                created_before = report.counts["posts created"]
                article = importer.post(record)
                if article is None:
                    if record.comments:
                        report.add("comments on items not imported", len(record.comments))
                else:
                    label = articles_wxr.post_label(record)
                    comments_wxr.import_comments(
                        article=article, post=record, label=label, report=report, writer=writer,
                        new_article=report.counts["posts created"] > created_before)
                progress.step()
        writer.flush()
        importer.finish()
