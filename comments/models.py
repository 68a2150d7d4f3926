from django.conf import settings
from django.db import models
from django.utils import timezone
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from articles import sanitize
from articles.models import Article


def poster_name(name: str, user_id: int | None) -> str:
    """Return a poster as readers see them: 'Ann', 'Ann (not verified)', 'Anonymous (not verified)'."""
    if user_id:
        return name or "Anonymous"
    return f"{name or 'Anonymous'} (not verified)"


class CommentQuerySet(TreeQuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def public(self):
        """Return the comments every reader sees: approved, not removed, on a published article."""
        return self.approved().filter(is_removed=False, article__in=Article.objects.published())

    def moderation_queue(self):
        """Return the pending comments, urgent first, then oldest first."""
        return self.pending().order_by("-urgent", "created_at", "pk")


class Comment(MPTTModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comments")
    parent = TreeForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
        help_text="The comment this one replies to.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments",
        help_text="Set when the poster was logged in: their name shows as verified.",
    )
    name = models.CharField(max_length=80, blank=True, help_text="The name the poster gave; may be empty.")
    email = models.EmailField(blank=True, help_text="Never shown publicly.")
    body = models.TextField(help_text="The poster's plain text, exactly as typed.")
    body_html = models.TextField(editable=False, help_text="Safe HTML made from the body on save.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    urgent = models.BooleanField(
        default=False, db_index=True,
        help_text="Set when the comment uses crisis language: it goes first in the moderation queue.",
    )
    is_removed = models.BooleanField(
        default=False, help_text="Removed by its poster. With approved replies it shows as “This comment was removed”.",
    )
    notify_replies = models.BooleanField(default=False, help_text="The poster asked for an email when a reply is published.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = TreeManager.from_queryset(CommentQuerySet)()

    class Meta:
        ordering = ["tree_id", "lft"]
        indexes = [
            # Recent comments of an article: the duplicate check and the thread pages.
            models.Index(fields=["article", "created_at"], name="comment_article_created"),
        ]
        permissions = [
            ("moderate_comment", "Can approve, reject and mark comments as spam"),
            ("post_without_approval", "Can post comments that appear without moderation"),
        ]

    def __str__(self):
        return f"{self.poster_name}: {self.body[:60]}"

    def save(self, *args, **kwargs):
        self.body_html = sanitize.comment_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Return the comment's permalink: the article page that holds its thread."""
        return f"{self.article.get_absolute_url()}?comment={self.pk}#comment-{self.pk}"

    @property
    def poster_name(self) -> str:
        return poster_name(self.name, self.user_id)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_public(self) -> bool:
        """Return True if every reader may see the comment."""
        return self.status == self.Status.APPROVED and not self.is_removed

    @property
    def link_count(self) -> int:
        return sanitize.count_links(self.body_html)


class Report(models.Model):
    """A reader's flag on a comment; enough weight of them sends it back to moderation."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    session_key = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(
        null=True, blank=True, help_text="The reporter's address: anonymous reports from one address count once.",
    )
    weight = models.PositiveSmallIntegerField(
        default=1, help_text="How much the report counts towards hiding the comment, by who sent it.",
    )
    dismissed = models.BooleanField(
        default=False, help_text="A moderator approved the comment after this report, so it no longer counts.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], condition=models.Q(user__isnull=False),
                                    name="report_once_per_user"),
            models.UniqueConstraint(fields=["comment", "session_key"], condition=models.Q(user__isnull=True),
                                    name="report_once_per_session"),
        ]

    def __str__(self):
        return f"Report on comment {self.comment_id}"

    def get_absolute_url(self):
        return self.comment.get_absolute_url()
