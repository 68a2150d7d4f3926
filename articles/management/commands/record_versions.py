from django.core.management.base import BaseCommand
from django.db import transaction

from articles import revisions
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Record version 1 (<article>v/1/, dated at its publication) of every published article that has no "
        "published version yet: articles from before versions were recorded, and imported ones."
    )

    def handle(self, *args, **options):
        recorded = 0
        waiting = Article.objects.filter(status=Article.Status.PUBLISHED, published_versions__isnull=True)
        for pk in waiting.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=500):
            with transaction.atomic():
                article = Article.objects.select_for_update().filter(pk=pk, status=Article.Status.PUBLISHED).first()
                if article is None or article.published_versions.exists():  # saved in the admin meanwhile
                    continue
                revisions.record_seed(article)
                recorded += 1
        self.stdout.write(f"Recorded version 1 of {recorded} published article{'' if recorded == 1 else 's'}.")
