from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Length, Lower
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from healthsite import sanitize
from articles.models import Article


def poster_name(name: str, verified: bool) -> str:
    """Return a poster as readers see them: 'Ann', 'Ann (not verified)', 'Anonymous (not verified)'.

    Verified posters are staff and readers with a confirmed email address; everyone else, anonymous
    posters and accounts whose address is not confirmed yet, is "(not verified)".
    """
    if verified:
        return name or "Anonymous"
    return f"{name or 'Anonymous'} (not verified)"


def _confirmed_email(user_ref):
    return Exists(EmailAddress.objects.filter(user_id=user_ref, verified=True))


def verified_user(user_field: str = "user"):
    """Return an expression: True when the row's user is staff or has a confirmed email address."""
    return Case(
        When(**{f"{user_field}__isnull": True}, then=Value(False)),  # anonymous rows look nothing up
        When(**{f"{user_field}__is_staff": True}, then=Value(True)),
        When(_confirmed_email(OuterRef(f"{user_field}_id")), then=Value(True)),
        default=Value(False),
    )


def moderating_user(user_field: str = "user"):
    """Return an expression: True when the row's user is staff who may moderate comments (a "Moderator" badge)."""
    ref = OuterRef(f"{user_field}_id")
    moderates = Permission.objects.filter(codename="moderate_comment", content_type__app_label="comments")
    User = Comment.user.field.related_model
    by_group = User.groups.through.objects.filter(user_id=ref, group__permissions__in=moderates)
    direct = User.user_permissions.through.objects.filter(user_id=ref, permission__in=moderates)
    staff = Q(**{f"{user_field}__is_staff": True, f"{user_field}__is_active": True})
    return Case(
        When(staff & (Q(**{f"{user_field}__is_superuser": True}) | Exists(by_group) | Exists(direct)), then=Value(True)),
        default=Value(False),
    )


def is_verified(user) -> bool:
    """Return True if the user is staff or has confirmed an email address (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return False
    if not hasattr(user, "_comments_verified"):
        user._comments_verified = user.is_staff or EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._comments_verified


def reader_of(user) -> "Reader | None":
    """Return the user's reader profile, or None (staff and accounts made in the admin may have none).

    Kept on the user object for the rest of the request.
    """
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_comments_reader"):
        user._comments_reader = Reader.objects.filter(user=user).first()
    return user._comments_reader


def display_name(user) -> str:
    """Return the name a user's comments and the header show: their reader name, else their full name or username."""
    reader = reader_of(user)
    return (reader.display_name if reader else "") or user.get_full_name() or user.get_username()


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

    def reported(self):
        """Return the published comments with standing reports, with their count, weight and latest report."""
        return self.filter(status=Comment.Status.APPROVED, is_removed=False, reports__dismissed=False).annotate(
            report_count=models.Count("reports"), report_weight=models.Sum("reports__weight"),
            last_report=models.Max("reports__created_at"))

    def urgent_unhandled(self):
        """Return the comments with crisis language that no moderator has handled yet."""
        return self.filter(urgent=True, urgent_handled_at__isnull=True).exclude(
            status__in=[Comment.Status.REJECTED, Comment.Status.SPAM])

    def with_posters(self):
        """Annotate each comment with its poster's current name and whether they are verified (no query per row)."""
        return self.annotate(poster_display=F("user__reader__display_name"), poster_verified=verified_user())


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
    urgent_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
        help_text="The moderator who marked the crisis comment handled.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # The moderation desk: dosing advice, urgent follow-up, moderators' replies.
    dosing = models.BooleanField(
        default=False, db_index=True,
        help_text="Gives medication doses or instructions: held for review, and shown to readers with a note.",
    )
    urgent_handled_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When a moderator handled the crisis language: decided the comment, or marked a published one handled.",
    )
    posted_as_moderator = models.BooleanField(
        default=False, editable=False, help_text="A moderator's reply from the queue: shown with a “Moderator” badge.",
    )

    objects = TreeManager.from_queryset(CommentQuerySet)()

    class Meta:
        ordering = ["tree_id", "lft"]
        indexes = [
            # Recent comments of an article: the duplicate check and the thread pages.
            models.Index(fields=["article", "created_at"], name="comment_article_created"),
            # The poster's history in the moderation queue: the same email or address.
            models.Index(Lower("email"), name="comment_email_lower"),
            models.Index(fields=["ip_address"], name="comment_ip_address"),
            # The moderation queue's order within a status: a page of pending comments is read off the index.
            models.Index(fields=["status", "-urgent", "created_at", "id"], name="comment_queue"),
            # Crisis comments still to handle (the urgent follow-up and the staff banner): a few rows.
            models.Index(fields=["created_at"], condition=models.Q(urgent=True, urgent_handled_at__isnull=True),
                         name="comment_urgent_unhandled"),
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
        """Return the poster as readers see them (one query without `with_posters()`)."""
        if self.user_id is None:
            return poster_name(self.name, False)
        if hasattr(self, "poster_verified"):
            return poster_name(self.poster_display or self.name, self.poster_verified)
        return poster_name(display_name(self.user) if self.user else self.name, is_verified(self.user))

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

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abuse or harassment"
        MEDICAL = "medical", "Harmful medical advice"
        OTHER = "other", "Something else"

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
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.OTHER,
                              help_text="What the reader says is wrong with the comment.")
    details = models.CharField(max_length=500, blank=True, help_text="The reader's own words, if they gave any.")

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


class Reader(models.Model):
    """A reader's account as the discussion sees it: the name on their comments, preferences, trust, suspension."""

    class Trust(models.TextChoices):
        EARNED = "earned", "By the rule: earned by approved comments"
        GRANTED = "granted", "Granted by a moderator"
        REVOKED = "revoked", "Revoked by a moderator"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader")
    display_name = models.CharField(
        max_length=50, help_text="Shown with the reader's comments; 2 to 50 characters, never a staff member's name.",
    )
    notify_replies = models.BooleanField(
        default=False, help_text="Email the reader when a reply to one of their comments is published.",
    )
    trust = models.CharField(
        max_length=10, choices=Trust.choices, default=Trust.EARNED,
        help_text="Granted: every comment is published at once (links still wait). Revoked: every comment waits.",
    )
    trust_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
        help_text="The moderator who last granted, revoked or reset trust.",
    )
    trust_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    suspended = models.BooleanField(
        default=False, help_text="A suspended reader can log in but cannot post, reply, edit or report.",
    )
    suspension_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
        help_text="The moderator who last suspended or reinstated the reader.",
    )
    suspension_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["display_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=GreaterThanOrEqual(Length("display_name"), 2),
                                   name="reader_display_name_length"),
        ]

    def __str__(self):
        return self.display_name


# The moderation desk: the audit trail of every moderation act, and the moderators' rules.


class ModerationEventQuerySet(models.QuerySet):
    def by_moderators(self):
        """Return the acts of people, leaving out what the site did by itself (rules, reminders)."""
        return self.filter(moderator_pk__isnull=False)

    def decisions(self):
        """Return the acts that decide a comment: approve, reject, spam."""
        return self.filter(action__in=ModerationEvent.DECISIONS)

    def delete(self):
        raise PermissionDenied("The moderation log cannot be deleted.")

    def update(self, **kwargs):
        # Deleting a comment, moderator or reader sets their foreign key to NULL through
        # QuerySet.update(): that alone may change an entry, and the snapshots stay.
        if set(kwargs) - {"comment", "moderator", "user"} or any(value is not None for value in kwargs.values()):
            raise PermissionDenied("The moderation log cannot be changed.")
        return super().update(**kwargs)


class ModerationEvent(models.Model):
    """One moderation act as it happened. Written only by comments.audit.record; never changed or deleted.

    The moderator, the comment and the reader it concerns are kept as names and ids as well as
    links, so an entry outlives the deletion of any of them.
    """

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        SPAM = "spam", "Marked as spam"
        REMOVE = "remove", "Removed"
        RESTORE = "restore", "Restored"
        EDIT = "edit", "Edited by staff"
        REPLY = "reply", "Replied as moderator"
        REPORTS_DISMISSED = "reports_dismissed", "Reports dismissed"
        URGENT_HANDLED = "urgent_handled", "Urgent comment handled"
        URGENT_ALERT = "urgent_alert", "Moderators alerted again"
        BLOCKED = "blocked", "Sent to spam by the blocklist"
        HELD = "held", "Held for review"
        TRUST_GRANTED = "trust_granted", "Trust granted"
        TRUST_REVOKED = "trust_revoked", "Trust revoked"
        TRUST_RESET = "trust_reset", "Trust back to the rule"
        READER_SUSPENDED = "reader_suspended", "Reader suspended"
        READER_REINSTATED = "reader_reinstated", "Reader's suspension lifted"

    DECISIONS = [Action.APPROVE, Action.REJECT, Action.SPAM]

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_acts",
        help_text="Who acted; empty when the site acted by itself (a rule, the urgent follow-up).",
    )
    moderator_pk = models.PositiveBigIntegerField(null=True, blank=True, help_text="The moderator's user id, kept after the account is gone.")
    moderator_name = models.CharField(max_length=150, blank=True, help_text="The moderator's name when they acted.")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_events",
        help_text="The comment acted on, while it exists.",
    )
    comment_pk = models.PositiveBigIntegerField(null=True, blank=True, help_text="The comment's id, kept after it is deleted.")
    comment_poster = models.CharField(max_length=100, blank=True, help_text="The comment's poster as readers saw them.")
    comment_posted_at = models.DateTimeField(null=True, blank=True, help_text="When the comment was posted.")
    comment_urgent = models.BooleanField(default=False, help_text="The comment used crisis language.")
    article_title = models.CharField(max_length=200, blank=True, help_text="The title of the comment's article.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_events",
        help_text="The reader the act concerns (trust, suspension), while the account exists.",
    )
    user_pk = models.PositiveBigIntegerField(null=True, blank=True, help_text="The reader's user id, kept after the account is gone.")
    user_name = models.CharField(max_length=150, blank=True, help_text="The reader's name when the act was done.")
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True, help_text="Why, in the moderator's or the site's words.")

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["action", "created_at"], name="modevent_action_created"),
            models.Index(fields=["moderator_pk", "created_at"], name="modevent_moderator_created"),
            models.Index(fields=["comment_pk"], name="modevent_comment"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(comment_pk__isnull=False) | models.Q(user_pk__isnull=False),
                                   name="modevent_names_a_comment_or_a_user"),
        ]

    def __str__(self):
        who = self.moderator_name or "the site"
        what = f"comment {self.comment_pk}" if self.comment_pk else f"reader {self.user_name or self.user_pk}"
        return f"{self.get_action_display()} by {who}: {what}"

    def get_absolute_url(self):
        return self.comment.get_absolute_url() if self.comment_id else reverse("comments:log")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("The moderation log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The moderation log cannot be deleted.")


class ModerationRule(models.Model):
    """A blocklist or hold-list entry, applied to every new or edited comment (comments/rules.py)."""

    class Effect(models.TextChoices):
        SPAM = "spam", "Blocklist: send to spam"
        HOLD = "hold", "Hold list: keep for review"

    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase"
        EMAIL = "email", "Email address or domain"
        IP = "ip", "IP address or network"
        LINK = "link", "Link domain"

    effect = models.CharField(max_length=4, choices=Effect.choices,
                              help_text="Spam: the comment never reaches the queue. Hold: it waits for a moderator, "
                                        "even from a trusted poster.")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(
        max_length=254,
        help_text="A word or phrase (whole words, in the comment or the poster's name); an email address or a "
                  "domain (“@example.com” or “example.com”, its subdomains too); an IP address or network "
                  "(203.0.113.0/24, 2001:db8::/32); a link domain (example.com, its subdomains too). Case, "
                  "accents, invisible characters and look-alike letters of other scripts are ignored.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why, for the other moderators.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["effect", "kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["effect", "kind", "value"], name="modrule_once"),
        ]

    def __str__(self):
        return f"{self.get_effect_display()}: {self.get_kind_display().lower()} “{self.value}”"

    def get_absolute_url(self):
        return reverse("admin:comments_moderationrule_change", args=[self.pk])

    def clean(self):
        from . import rules  # the matching rules, which need the model

        try:
            self.value = rules.clean_value(self.kind, self.value)
        except ValueError as problem:
            raise ValidationError({"value": str(problem)}, code="invalid_rule") from problem
