from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from authors.models import Author

from .models import Article, Blog, Topic


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL, whatever host the request came to."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteSitemap):
    def items(self):
        return Article.objects.published().select_related("blog").order_by("-published_at", "-id")

    def lastmod(self, article):
        # A scheduled article was last saved before it went live.
        return max(article.published_at, article.modified_at)


class ArchiveSitemap(SiteSitemap):
    """Blogs, topics or authors with at least one published article, dated by their latest."""

    def __init__(self, model, articles):
        self.model, self.articles = model, articles

    def items(self):
        published = Q(**{f"{self.articles}__status": Article.Status.PUBLISHED,
                         f"{self.articles}__published_at__lte": timezone.now()})
        latest = Max(f"{self.articles}__published_at", filter=published)
        return self.model.objects.annotate(latest=latest).filter(latest__isnull=False).order_by("pk")

    def lastmod(self, obj):
        return obj.latest


class IndexSitemap(SiteSitemap):
    """The indexes of topics, blogs and authors."""

    def items(self):
        return ["articles:topics", "articles:blogs", "articles:authors"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "articles": ArticleSitemap,
    "blogs": ArchiveSitemap(Blog, "articles"),
    "topics": ArchiveSitemap(Topic, "articles"),
    "authors": ArchiveSitemap(Author, "articles"),
    "indexes": IndexSitemap,
}
