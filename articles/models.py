import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
import reversion

from healthsite import images, sanitize
from . import citations


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

    def with_comment_counts(self):
        """Annotate each article with `comment_count`, its approved comments, in the same query."""
        counted = self.annotate(comment_count=Count("comments", filter=Q(comments__status="approved"), distinct=True))
        return counted.order_by(*self.query.order_by or Article._meta.ordering)  # GROUP BY drops Meta.ordering

    def related_to(self, article, limit: int = 3):
        """Return other articles sharing topics with `article`, those sharing the most first."""
        topic_ids = [topic.pk for topic in article.topics.all()]
        # The filter comes first, so Count("topics") counts only the shared topics.
        return (
            self.filter(topics__in=topic_ids).exclude(pk=article.pk)
            .annotate(shared_topics=Count("topics"))
            .order_by("-shared_topics", "-published_at")[:limit]
        )


def published_count(relation: str = "articles") -> Count:
    """Return an annotation counting the published articles behind `relation` (a blog's, topic's or author's)."""
    return Count(relation, filter=Q(**{f"{relation}__in": Article.objects.published()}), distinct=True)


META_DESCRIPTION_MAX = 160  # what search engines show of a description before they cut it


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
    lead_image = models.ImageField(
        upload_to="articles/%Y/", blank=True, width_field="lead_image_width", height_field="lead_image_height",
        help_text="Shown above the article and when it is shared. JPEG, PNG or WebP, at least 1200 pixels wide "
                  "looks best; location and camera data are removed.",
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_alt = models.CharField(
        max_length=250, blank=True,
        help_text="Required with a lead image: what the picture shows, for readers who cannot see it.",
    )
    medically_reviewed_by = models.ForeignKey(
        "authors.Author", null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_articles",
        help_text="A clinician (an author whose profile lists credentials) who checked the article.",
    )
    reviewed_on = models.DateField(null=True, blank=True, help_text="The day of the medical review.")
    # Search engines and social (each optional: the page falls back to the title, summary and lead image).
    seo_title = models.CharField(
        "SEO title", max_length=70, blank=True,
        help_text="The title search results show, followed by the site's name; 70 characters at most. "
                  "Empty: the article's title.",
    )
    meta_description = models.CharField(
        max_length=META_DESCRIPTION_MAX, blank=True,
        help_text="Shown under the title in search results; 160 characters at most. Empty: the summary.",
    )
    social_image = models.ImageField(
        upload_to="articles/social/%Y/", blank=True, width_field="social_image_width",
        height_field="social_image_height",
        help_text="Shown when the article is shared (1200 × 630 pixels looks best). Empty: the lead image.",
    )
    social_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    social_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    social_image_alt = models.CharField(
        max_length=250, blank=True, help_text="Required with a social image: what the picture shows.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish articles"),
            ("change_any_article", "Can see and change every article, not only their own"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["blog", "slug"], name="article_slug_unique_in_blog"),
            models.CheckConstraint(condition=Q(lead_image="") | ~Q(lead_image_alt=""), name="lead_image_has_alt_text"),
            models.CheckConstraint(condition=Q(social_image="") | ~Q(social_image_alt=""),
                                   name="social_image_has_alt_text"),
            models.CheckConstraint(
                condition=Q(medically_reviewed_by__isnull=True, reviewed_on__isnull=True)
                | Q(medically_reviewed_by__isnull=False, reviewed_on__isnull=False),
                name="medical_review_has_reviewer_and_date",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.lead_image and not self.lead_image_alt.strip():
            errors["lead_image_alt"] = ValidationError(
                "Describe the lead image for readers who cannot see it.", code="alt_required")
        if self.social_image and not self.social_image_alt.strip():
            errors["social_image_alt"] = ValidationError(
                "Describe the social image for readers who cannot see it.", code="alt_required")
        if self.medically_reviewed_by_id and not self.reviewed_on:
            errors["reviewed_on"] = ValidationError("Give the day of the medical review.", code="review_date_required")
        if self.reviewed_on and not self.medically_reviewed_by_id:
            errors["medically_reviewed_by"] = ValidationError("Name who reviewed the article.", code="reviewer_required")
        if self.medically_reviewed_by_id and not self.medically_reviewed_by.credentials:
            errors["medically_reviewed_by"] = ValidationError(
                "Choose a reviewer whose author profile lists credentials.", code="reviewer_without_credentials")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.body_html = body_html(self.body)
        replaced = {name: images.prepare_upload(self, name) for name in ("lead_image", "social_image")}
        super().save(*args, **kwargs)
        for name, old in replaced.items():
            if old is not None:
                new = getattr(self, name)
                images.replace_renditions(
                    old=old, new=new.name, widths=images.lead_widths(getattr(self, f"{name}_width")))
        BodyImage.record_use(self)

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

    def is_scheduled(self) -> bool:
        """Return True if the article is published for a time still to come."""
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    def was_updated(self) -> bool:
        """Return True if the article was revised on a later day than it was published."""
        return bool(self.updated_at) and timezone.localdate(self.updated_at) != timezone.localdate(self.published_at)

    def lead_image_sources(self) -> images.Sources | None:
        """Return the lead image's renditions for `srcset`, or None without a lead image."""
        if not self.lead_image:
            return None
        return images.sources(
            self.lead_image.name, images.lead_widths(self.lead_image_width),
            width=self.lead_image_width, height=self.lead_image_height,
        )

    def page_title(self) -> str:
        """Return the title search engines and shares show (before the site's name)."""
        return self.seo_title or self.title

    def page_description(self) -> str:
        """Return the description search engines and shares show."""
        return self.meta_description or self.summary or self.title

    def share_image(self) -> tuple[str, str]:
        """Return the absolute address and alt text of the image shares show (social image, else lead), or ("", "")."""
        for name in ("social_image", "lead_image"):
            if getattr(self, name):
                widths = images.lead_widths(getattr(self, f"{name}_width"))
                return images.share_url(getattr(self, name).name, widths), getattr(self, f"{name}_alt")
        return "", ""

    def related(self):
        """Return up to three published articles that share the most topics with this one."""
        return Article.objects.published().select_related("blog").related_to(self)

    def credited_authors(self):
        """Return the authors in credit order (uses a prefetch when there is one)."""
        return [credit.author for credit in self.credits.all()]

    def csl_item(self, accessed: datetime.date | None = None, version: "PublishedVersion | None" = None) -> dict:
        """Return the article (or one `version` of it) as CSL-JSON, accessed today in the site's time zone unless told."""
        names = [a.citation_name() for a in self.credited_authors()]
        moment = version.published_at if version else self.published_at
        published = timezone.localdate(moment) if moment else None
        title = version.title if version else self.title
        return citations.csl_item(
            key=citations.citation_key(names=names, published=published, title=title),
            names=names,
            title=title,
            container_title=self.blog.title,
            publisher=settings.SITE_NAME,
            url=version.canonical_url() if version else self.canonical_url(),
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


# Every admin save of an article is a revision of it with its credits; restoring one restores them.
reversion.register(ArticleAuthor)
reversion.register(Article, follow=["credits"])


class ImportedItem(models.Model):
    """What an import made of one item of another site's export, so importing it again changes it, not copies it."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        POST = "post", "Post"
        COMMENT = "comment", "Comment"

    source = models.CharField(max_length=200, help_text="The exported site, e.g. “old.example.com/blog”.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    wp_id = models.CharField(max_length=100, help_text="The item's id on the old site (an author's login).")
    object_id = models.PositiveBigIntegerField(help_text="The id of the author, article or comment it became here.")
    digest = models.CharField(
        max_length=32, blank=True,
        help_text="A fingerprint of the item as last imported: an item unchanged in the export is left alone.",
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source", "kind", "wp_id"]
        constraints = [models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="imported_item_once")]

    def __str__(self):
        return f"{self.source} {self.kind} {self.wp_id}"


class Redirect(models.Model):
    """An article's old address on the site it moved from: answered with a 301 to its page here."""

    old_path = models.CharField(
        max_length=500, unique=True,
        help_text="The old path on this host, with its query if it had one, e.g. “/2012/10/baclofen/” or “/?p=12”.",
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()


# Images in article bodies (the media library) and autosaved drafts of the admin's article form.

FIGURE_SIZES = "(min-width: 46rem) 44rem, 100vw"  # the body's column, as the lead image


def body_html(body: str) -> str:
    """Return the body as served: sanitized, each library image with its renditions' srcset and its size."""
    clean = sanitize.article_html(body)
    names = {media_name(src): src for src in sanitize.image_sources(clean)}
    figures = {
        names[image.image.name]: image.figure_attributes()
        for image in BodyImage.objects.filter(image__in=[n for n in names if n])
    }
    return sanitize.article_html(body, figures) if figures else clean


def media_name(url: str) -> str:
    """Return the stored name of a file at `url` under MEDIA_URL, or "" for any other address."""
    for prefix in sanitize.media_prefixes():
        if url.startswith(prefix):
            return url[len(prefix):]
    return ""


class BodyImage(models.Model):
    """An image uploaded for article bodies: checked, stripped of metadata and resized as lead images are."""

    image = models.ImageField(upload_to="articles/body/%Y/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(
        max_length=250, help_text="What the picture shows, for readers who cannot see it. Required.")
    caption = models.CharField(max_length=500, blank=True, help_text="Shown under the picture; optional.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    articles = models.ManyToManyField(Article, blank=True, related_name="body_images", editable=False,
                                      help_text="The articles whose body shows this image.")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "body image"
        constraints = [models.CheckConstraint(condition=~Q(alt_text=""), name="body_image_has_alt_text")]

    def __str__(self):
        return self.alt_text

    def get_absolute_url(self):
        return self.image.url

    def save(self, *args, **kwargs):
        replaced = images.prepare_upload(self, "image")
        super().save(*args, **kwargs)
        if replaced is not None:
            images.replace_renditions(old=replaced, new=self.image.name, widths=self.widths())

    def widths(self) -> list[int]:
        return images.lead_widths(self.width)

    def figure_attributes(self) -> dict:
        """Return what the body's <img> of this image carries beside src and alt."""
        return {"srcset": images.sources(self.image.name, self.widths()).jpeg, "sizes": FIGURE_SIZES,
                "width": self.width, "height": self.height}

    @classmethod
    def record_use(cls, article) -> None:
        """Record which library images `article`'s body shows (after it is saved)."""
        names = [media_name(src) for src in sanitize.image_sources(article.body_html)]
        article.body_images.set(cls.objects.filter(image__in=[n for n in names if n]))


class ArticleAutosave(models.Model):
    """What a user last typed in an article's form, saved while they write: never the article itself.

    An autosave changes no public page and makes no revision; the form offers it back when it is newer than
    the article.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Sanitized as the article's body is.")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["-saved_at"]
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="one_autosave_per_writer")]

    def __str__(self):
        return f"{self.article} ({self.saved_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("admin:articles_article_change", args=[self.article_id])

# Revisions, cited versions and medical review (articles/revisions.py, articles/review.py).


class PublishedVersion(models.Model):
    """A published revision of an article as readers saw it, at its own address `<article>v/<number>/`.

    The text is kept here, not only in the admin's revision history, so a cited address keeps
    showing what was cited even if old revisions are pruned.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="published_versions")
    number = models.PositiveIntegerField(help_text="Counts the article's published revisions from 1.")
    revision = models.ForeignKey(
        "reversion.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="published_versions")
    published_at = models.DateTimeField(help_text="When readers first saw this version.")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body_html = models.TextField()
    public_note = models.CharField(
        max_length=300, blank=True, help_text="What changed, as the update history shows it (empty: not listed).")

    class Meta:
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="version_number_once")]

    def __str__(self):
        return f"{self.article} v{self.number}"

    def get_absolute_url(self):
        return reverse("articles:version", kwargs={**self.article.url_kwargs(), "number": self.number})

    def canonical_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()


class ReviewRequest(models.Model):
    """An editor or author asks a clinician to review an article; open until they sign off."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_requests")
    reviewer = models.ForeignKey(
        "authors.Author", on_delete=models.PROTECT, related_name="review_requests",
        help_text="A member of the Reviewers group whose author profile lists credentials.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    is_open = models.BooleanField(
        default=True, help_text="Open until the reviewer signs off; opened again when the body changes after.")

    class Meta:
        ordering = ["-is_open", "-requested_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["article", "reviewer"], condition=Q(is_open=True), name="one_open_review_request")]

    def __str__(self):
        return f"{self.article} — {self.reviewer}"


class ReviewSignoff(models.Model):
    """A reviewer's sign-off on one revision of an article: the only source of "Medically reviewed by"."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="signoffs")
    reviewer = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="signoffs")
    request = models.ForeignKey(ReviewRequest, null=True, on_delete=models.SET_NULL, related_name="signoffs")
    revision = models.ForeignKey("reversion.Revision", on_delete=models.PROTECT, related_name="signoffs")
    signed_at = models.DateTimeField()
    cleared_at = models.DateTimeField(
        null=True, blank=True, help_text="When the body changed after the sign-off (no longer shown).")

    class Meta:
        ordering = ["-signed_at", "-id"]

    def __str__(self):
        return f"{self.reviewer} on {self.article}"
