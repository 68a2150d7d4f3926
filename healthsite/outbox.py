"""Mail that is never lost: written in the transaction of what it tells, sent by a job, kept until sent.

`add()` stores the message with a Message-ID of its own and queues `send` for after the commit. A sender
claims a message before sending it (one sender at a time: `SELECT ... FOR UPDATE SKIP LOCKED` on
PostgreSQL, the single writer on SQLite) by counting the attempt and holding it for OUTBOX_LEASE_SECONDS,
longer than a mail server may take (EMAIL_TIMEOUT). A sender that dies mid-send leaves the claim to run
out; then `sweep()` (run periodically) sends the message again, with the same Message-ID, so a copy the
mail server took before the sender died is sent at most once more and recipients' mail programs can tell
the two apart. A failure is logged and tried again later, up to OUTBOX_MAX_ATTEMPTS claims.
"""

import logging
from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from . import jobs
from .models import OutboxMessage

logger = logging.getLogger(__name__)


def add(*, subject: str, body: str, to: list[str], headers: dict | None = None) -> OutboxMessage | None:
    """Store a mail in the current transaction and send it once that commits; return it (None without recipients)."""
    if not to:
        return None
    message = OutboxMessage.objects.create(
        message_id=make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost"),
        subject=subject, body=body, to=list(to), headers=headers or {})
    jobs.enqueue("healthsite.tasks.send_mail", message.pk, swept=True)
    return message


def claim(pk: int | None = None) -> OutboxMessage | None:
    """Take the oldest message no sender holds (or message `pk`) for one send; None if there is none to take."""
    now = timezone.now()
    with transaction.atomic():
        waiting = OutboxMessage.objects.filter(
            sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
        if pk is not None:
            waiting = waiting.filter(pk=pk)
        message = waiting.select_for_update(skip_locked=True).order_by("next_attempt_at", "pk").first()
        if message is None:
            return None
        message.attempts += 1
        message.next_attempt_at = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def deliver(message: OutboxMessage) -> bool:
    """Send a claimed message and mark it sent; on failure log it and let it wait. Return True if sent."""
    try:
        EmailMessage(subject=message.subject, body=message.body, to=message.to,
                     headers={**message.headers, "Message-ID": message.message_id}).send()
    except Exception as error:  # any mail server failure: the message stays for a later try
        wait = settings.OUTBOX_RETRY_SECONDS * 2 ** (message.attempts - 1)
        logger.exception("Could not send mail %r to %s (try %s of %s)", message.subject, message.to,
                         message.attempts, settings.OUTBOX_MAX_ATTEMPTS)
        OutboxMessage.objects.filter(pk=message.pk).update(
            last_error=f"{type(error).__name__}: {error}"[:1000], next_attempt_at=timezone.now() + timedelta(seconds=wait))
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="")
    return True


def send(pk: int) -> bool:
    """Send message `pk` unless it is sent or another sender holds it. Return True if this call sent it."""
    message = claim(pk)
    return message is not None and deliver(message)


def sweep(limit: int = 1000) -> int:
    """Send what is waiting (no job took it, a sender died, a try failed); return how many were sent."""
    sent = 0
    for _ in range(limit):  # each message is claimed once per sweep: a claim holds it past the sweep
        message = claim()
        if message is None:
            break
        sent += deliver(message)
    return sent


def oldest_unsent_age() -> float | None:
    """Return how many seconds the oldest unsent message has waited, or None if every message is sent."""
    oldest = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at").values_list(
        "created_at", flat=True).first()
    return None if oldest is None else (timezone.now() - oldest).total_seconds()


def forget(*, addresses, mentions=()) -> int:
    """Delete the unsent mail to any of `addresses`, or naming any of them or of `mentions`; return how many.

    For a person who deletes their account: nothing of theirs may still go out afterwards (mail to
    them, or mail to others that quotes their words or names them). Unsent mail is a short list.
    """
    addresses = {address.casefold() for address in addresses if address}
    needles = addresses | {mention.casefold() for mention in mentions if mention and len(mention.strip()) >= 3}
    doomed = [
        message.pk for message in OutboxMessage.objects.filter(sent_at__isnull=True).only("pk", "to", "subject", "body")
        if addresses & {address.casefold() for address in message.to}
        or any(needle in f"{message.subject}\n{message.body}".casefold() for needle in needles)
    ]
    return OutboxMessage.objects.filter(pk__in=doomed).delete()[0]
