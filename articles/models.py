import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import citations, sanitize


class Blog(models.Model):
    title = models.CharField(max_length=200, help_text="Shown at the top of the blog's pages, e.g. “Trauma! A PTSD Blog”.")
    slug = models.SlugField(max_length=100, unique=True, help_text="The blog's part of every article address.")
    description = models.TextField(blank=True, help_text="One or two sentences shown on the blog's page.")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:blog", kwargs={"blog": self.slug})


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text="A subject readers browse by, e.g. “PTSD”.")
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the articles readers may see: published, and due."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    blog = models.ForeignKey(Blog, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, help_text="The last part of the article's address; unique within its blog.")
    authors = models.ManyToManyField(
        "authors.Author", through="ArticleAuthor", related_name="articles",
        help_text="In the order they are credited.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        default=timezone.now, db_index=True,
        help_text="When readers first see the article; a time in the future schedules it.",
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when you revise the article substantively; shown as “Updated”."
    )
    modified_at = models.DateTimeField(auto_now=True)
    summary = models.TextField(blank=True, help_text="Shown in lists and search results; 300 characters at most.",
                               max_length=300)
    body = models.TextField(help_text="The article. Markup outside the editorial allowlist is removed on save.")
    body_html = models.TextField(blank=True, editable=False)
    comments_enabled = models.BooleanField(default=True, help_text="Untick to close this article's comments.")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "Can publish articles")]
        constraints = [models.UniqueConstraint(fields=["blog", "slug"], name="article_slug_unique_in_blog")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = sanitize.article_html(self.body)
        super().save(*args, **kwargs)

    def url_kwargs(self) -> dict:
        local = timezone.localtime(self.published_at)
        return {"blog": self.blog.slug, "year": local.year, "month": local.month, "slug": self.slug}

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs=self.url_kwargs())

    def canonical_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    def is_public(self) -> bool:
        """Return True if readers may see the article."""
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def credited_authors(self):
        """Return the authors in credit order (uses a prefetch when there is one)."""
        return [credit.author for credit in self.credits.all()]

    def csl_item(self, accessed: datetime.date | None = None) -> dict:
        """Return the article as CSL-JSON, accessed today in the site's time zone unless told."""
        names = [a.citation_name() for a in self.credited_authors()]
        published = timezone.localdate(self.published_at) if self.published_at else None
        return citations.csl_item(
            key=citations.citation_key(names=names, published=published, title=self.title),
            names=names,
            title=self.title,
            container_title=self.blog.title,
            publisher=settings.SITE_NAME,
            url=self.canonical_url(),
            published=published,
            accessed=accessed or timezone.localdate(),
        )

    def house_apa(self, retrieved: datetime.date | None = None) -> str:
        """Return the house APA Reference, retrieved today in the site's time zone unless told."""
        return citations.house_apa(
            names=[a.citation_name() for a in self.credited_authors()],
            published=timezone.localdate(self.published_at) if self.published_at else None,
            title=self.title,
            site_name=settings.SITE_NAME,
            url=self.canonical_url(),
            retrieved=retrieved or timezone.localdate(),
        )


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="credits")
    position = models.PositiveSmallIntegerField(default=0, help_text="Credit order, lowest first.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="author_credited_once")]
        verbose_name = "author credit"

    def __str__(self):
        return f"{self.author} on {self.article}"
