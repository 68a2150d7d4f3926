from django.conf import settings
from django.db import models
from django.utils import timezone
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from articles import sanitize


class CommentQuerySet(TreeQuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


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
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = TreeManager.from_queryset(CommentQuerySet)()

    class Meta:
        ordering = ["tree_id", "lft"]
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
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def poster_name(self) -> str:
        """Return the poster as readers see them: 'Ann', 'Ann (not verified)', 'Anonymous (not verified)'."""
        if self.user_id:
            return self.name or "Anonymous"
        return f"{self.name or 'Anonymous'} (not verified)"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
