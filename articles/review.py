"""Medical review: asked for by an editor or an author, signed off by the named reviewer.

"Medically reviewed by" (Article.medically_reviewed_by and reviewed_on) is derived from the
newest standing sign-off, and only these functions write it: a sign-off sets it; a change of the
body clears it and opens the request again ("Review pending"), unless an editor marks the change
minor. The rules of who may ask and who may sign are here, and the admin calls them.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from authors.models import Author
from healthsite import pagecache

from . import revisions, roles
from .models import Article, ReviewRequest, ReviewSignoff

REVIEWERS_GROUP = "Reviewers"
SIGN_OFF = "articles.add_reviewsignoff"


def reviewers(queryset: QuerySet | None = None) -> QuerySet:
    """Return the authors who may be asked for a review: Reviewers with a login and credentials."""
    queryset = Author.objects.all() if queryset is None else queryset
    return queryset.filter(user__groups__name=REVIEWERS_GROUP, user__is_active=True).exclude(credentials="").distinct()


def may_ask(user, article: Article) -> bool:
    """Return True if `user` may ask for a review of `article`: an editor, or an author of it."""
    return user.has_perm("articles.add_reviewrequest") and roles.may_change_article(user, article)


def may_sign_off(user, request: ReviewRequest) -> bool:
    """Return True if `user` may sign off this request: a Reviewer, named in it, with credentials."""
    return (
        user.is_authenticated and user.has_perm(SIGN_OFF) and request.is_open
        and request.reviewer.user_id == user.pk and bool(request.reviewer.credentials)
    )


def requests_for(user, queryset: QuerySet) -> QuerySet:
    """Narrow review requests to those `user` sees: editors all, others those naming them or on their articles."""
    if roles.works_on_every_article(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q(reviewer__user=user) | Q(article__in=roles.articles_for(user, Article.objects.all())))


def check_ask(*, article: Article, reviewer: Author, by) -> None:
    """Raise PermissionDenied or ValidationError (with its message) unless `by` may ask `reviewer` to review."""
    if not may_ask(by, article):
        raise PermissionDenied("You may not ask for a review of this article.")
    if not reviewers(Author.objects.filter(pk=reviewer.pk)).exists():
        raise ValidationError("Ask a member of the Reviewers group whose profile lists credentials.",
                              code="not_a_reviewer")
    if article.review_requests.filter(reviewer=reviewer, is_open=True).exists():
        raise ValidationError("%(reviewer)s has been asked already.", code="already_asked",
                              params={"reviewer": reviewer})


def ask(*, review_request: ReviewRequest, by) -> ReviewRequest:
    """Save a request (its article and reviewer set) from `by`; the article's current text gets a revision."""
    check_ask(article=review_request.article, reviewer=review_request.reviewer, by=by)
    revisions.latest_version(review_request.article)
    review_request.requested_by = by
    review_request.is_open = True
    review_request.save()
    return review_request


@transaction.atomic
def sign_off(*, request: ReviewRequest, revision_id: int, by) -> ReviewSignoff:
    """Sign off the article's revision `revision_id` as `by`, the reviewer named in `request`.

    Refused unless `revision_id` is still the newest revision: what was read is what is signed.
    """
    revisions.lock(request.article)  # first, as an admin save does: the two never wait on each other
    request = ReviewRequest.objects.select_for_update().select_related("reviewer", "article").get(pk=request.pk)
    if not may_sign_off(by, request):
        raise PermissionDenied("Only the reviewer named in an open request signs it off.")
    article = request.article
    if revisions.latest_version(article).revision_id != revision_id:
        raise ValidationError("The article changed since you opened it: read the new text and sign off again.",
                              code="stale_revision")
    now = timezone.now()
    signoff = ReviewSignoff.objects.create(
        article=article, reviewer=request.reviewer, request=request, revision_id=revision_id, signed_at=now)
    request.is_open = False
    request.save(update_fields=["is_open"])
    _show(article, reviewer=request.reviewer, on=timezone.localdate(now))
    return signoff


def body_changed(*, article: Article, by, minor: bool) -> None:
    """Clear the standing sign-offs of `article` after a change of its body, unless an editor calls it minor.

    The requests behind them open again, so their reviewers see them and the page says "Review pending".
    """
    if minor and roles.works_on_every_article(by):
        return
    standing = list(article.signoffs.filter(cleared_at__isnull=True).select_related("request"))
    if not standing:
        return
    ReviewSignoff.objects.filter(pk__in=[s.pk for s in standing]).update(cleared_at=timezone.now())
    for signoff in standing:
        request = signoff.request
        if request is not None and not article.review_requests.filter(reviewer=request.reviewer_id,
                                                                      is_open=True).exists():
            request.is_open = True
            request.save(update_fields=["is_open"])


def current(article: Article) -> tuple[Author | None, datetime.date | None]:
    """Return the reviewer and day of the newest standing sign-off, or (None, None)."""
    signoff = article.signoffs.filter(cleared_at__isnull=True).select_related("reviewer").first()
    return (signoff.reviewer, timezone.localdate(signoff.signed_at)) if signoff else (None, None)


def _show(article: Article, *, reviewer: Author | None, on: datetime.date | None) -> None:
    Article.objects.filter(pk=article.pk).update(medically_reviewed_by=reviewer, reviewed_on=on)
    article.medically_reviewed_by, article.reviewed_on = reviewer, on
    pagecache.changed(article)


def pending() -> Exists:
    """Return an annotation: True for an article whose review was asked for and not signed off (or cleared since)."""
    return Exists(ReviewRequest.objects.filter(article=OuterRef("pk"), is_open=True))


def due(queryset: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Narrow articles to those whose review is older than REVIEW_DUE_MONTHS."""
    today = today or timezone.localdate()
    return queryset.filter(reviewed_on__lte=months_before(today, settings.REVIEW_DUE_MONTHS))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """Return the same day `months` earlier (the month's last day where it is shorter: May 31 -> Feb 28)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
