from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """A mail written in the transaction of what it tells, kept until a job has sent it (healthsite/outbox.py)."""

    message_id = models.CharField(
        max_length=255, unique=True, help_text="The Message-ID header: every try sends the same one.")
    subject = models.CharField(max_length=998, help_text="One line; mail headers allow no more.")
    body = models.TextField()
    to = models.JSONField(help_text="The recipients' addresses.")
    headers = models.JSONField(default=dict, blank=True, help_text="Extra headers, such as List-Unsubscribe.")
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0, help_text="How many times a sender has claimed it.")
    next_attempt_at = models.DateTimeField(
        default=timezone.now, help_text="No sender takes it before: a claim holds it this long, a failure waits.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the mail server accepted it.")
    last_error = models.TextField(blank=True, help_text="Why the last try failed.")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent")]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
