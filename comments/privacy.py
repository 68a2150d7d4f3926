"""A reader's own data: what the account holds (download), earlier comments it may claim, and its deletion."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from healthsite import outbox, pagecache

from . import moderation
from .models import Comment, Report, display_name, reader_of


def status_of(comment: Comment) -> str:
    """Return the status a reader sees: "removed" for a comment they removed, else its moderation status."""
    return "removed" if comment.is_removed else comment.status


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_data(*, user) -> dict:
    """Return everything the site keeps about the account: the account, its addresses, every comment and report."""
    reader = reader_of(user)
    comments = Comment.objects.filter(user=user).select_related("article__blog").order_by("created_at", "pk")
    return {
        "site": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "display_name": display_name(user),
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "emails": [{"email": address.email, "verified": address.verified, "primary": address.primary}
                       for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")],
            "reply_emails": reader.notify_replies if reader else False,
            "trust": reader.trust if reader else "earned",
            "suspended": reader.suspended if reader else False,
        },
        "comments": [{
            "id": comment.pk,
            "article": comment.article.title,
            "url": settings.SITE_URL + comment.get_absolute_url(),
            "in_reply_to": comment.parent_id,
            "status": status_of(comment),
            "body": comment.body,
            "name": comment.name,
            "email": comment.email,
            "email_me_replies": comment.notify_replies,
            "created_at": _when(comment.created_at),
            "edited_at": _when(comment.edited_at),
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
        } for comment in comments],
        "reports": [{"comment": report.comment_id, "created_at": _when(report.created_at)}
                    for report in Report.objects.filter(user=user).order_by("created_at", "pk")],
    }


def _confirmed_addresses(user) -> list[str]:
    return list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))


def _with_addresses(addresses: list[str]) -> Q:
    found = Q(pk__in=[])
    for address in addresses:
        found |= Q(email__iexact=address)
    return found


def claimable(*, user):
    """Return the anonymous comments made with one of the account's confirmed addresses (the confirmation proves it)."""
    return Comment.objects.filter(_with_addresses(_confirmed_addresses(user)), user__isnull=True, is_removed=False)


def _changed_pages(comments) -> None:
    """Replace the cached pages of these comments' articles (after a queryset update())."""
    for comment in {c.article_id: c for c in comments}.values():
        pagecache.changed(comment)


def claim_comments(*, user) -> int:
    """Add the claimable comments to the account: they show under the reader's name, verified. Return how many."""
    comments = list(claimable(user=user).select_related("article__blog"))
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(user=user)
    _changed_pages(comments)
    return len(comments)


def delete_account(*, user) -> None:
    """Delete the account and take everything of it out of the discussion.

    A comment with replies stays as a "This comment was removed" placeholder, with nothing of the
    poster (no name, email, text, address or reply mail); every other comment of the account is
    deleted, replies first. Anonymous comments made with one of its confirmed addresses lose the
    address and their reply mail, its reports go, and then the account (its reader profile, email
    addresses and authenticators with it).
    """
    addresses = _confirmed_addresses(user)
    with transaction.atomic():
        # Mail not sent yet that would carry anything of the account: to it, or quoting or naming it.
        words = [line for body in Comment.objects.filter(user=user).values_list("body", flat=True)
                 for line in body.splitlines() if line.strip()]
        outbox.forget(addresses=[*addresses, user.email], mentions=[display_name(user), *words])
        moderation._lock_tree()  # the tree's numbers change as comments go
        placeholders = []
        for pk in Comment.objects.filter(user=user).order_by("tree_id", "-lft").values_list("pk", flat=True):
            comment = Comment.objects.select_related("article__blog").get(pk=pk)  # numbers as they are now
            if comment.is_leaf_node():
                comment.delete()
            else:
                placeholders.append(comment)
        Comment.objects.filter(pk__in=[c.pk for c in placeholders]).update(
            user=None, name="", email="", body="", body_html="", is_removed=True, notify_replies=False,
            ip_address=None, user_agent="", edited_at=None)
        anonymous = list(Comment.objects.filter(_with_addresses(addresses), user__isnull=True)
                         .select_related("article__blog"))
        Comment.objects.filter(pk__in=[c.pk for c in anonymous]).update(email="", notify_replies=False)
        _changed_pages(placeholders + anonymous)
        Report.objects.filter(user=user).delete()
        user.delete()
