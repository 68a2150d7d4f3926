from django.core.management.base import BaseCommand

from healthsite import sanitize
from articles.models import Article, body_html
from authors.models import Author


class Command(BaseCommand):
    help = (
        "Clean every stored article body and author bio again with the allowlists of healthsite/sanitize.py "
        "(run it after narrowing an allowlist)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would change.")

    def handle(self, *args, dry_run=False, **options):
        articles = self.resanitize(Article, "body", "body_html", body_html, dry_run)
        bios = self.resanitize(Author, "bio", "bio_html", sanitize.bio_html, dry_run)
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"Article bodies: {articles[0]} of {articles[1]} {verb}. Author bios: {bios[0]} of {bios[1]} {verb}.")

    def resanitize(self, model, source, target, clean, dry_run) -> tuple[int, int]:
        changed = total = 0
        for obj in model.objects.order_by("pk").iterator(chunk_size=200):
            total += 1
            html = clean(getattr(obj, source))
            if html != getattr(obj, target):
                changed += 1
                if not dry_run:
                    # save() makes the HTML again from the source (and tells caches); only that column is written.
                    obj.save(update_fields=[target])
        return changed, total
