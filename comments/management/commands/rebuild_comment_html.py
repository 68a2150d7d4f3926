from articles import pagecache, sanitize
from articles.management.commands import resanitize
from comments.models import Comment


class Command(resanitize.Command):
    help = (
        "Make every stored comment's HTML again from its plain text with articles/sanitize.py "
        "(run it after the comment sanitizer changes)."
    )

    def handle(self, *args, dry_run=False, **options):
        changed, total = self.resanitize(Comment, "body", "body_html", sanitize.comment_html, dry_run)
        if changed and not dry_run:
            pagecache.site_changed()  # a rare maintenance run: every cached page goes at once
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"Comment bodies: {changed} of {total} {verb}.")
