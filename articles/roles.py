"""Who may see and change which articles (SPEC "Moderation and roles"); author profiles: authors/roles.py.

Editors hold `articles.change_any_article` and work on every article; anyone else with article
permissions (the Authors group) works only on the articles that credit their own Author profile.
Editors credit any author on an article, an author only themself; "Medically
reviewed by" comes only from the reviewer's own sign-off (articles/review.py), never from a form. The admin applies these rules to its querysets,
choices and permission checks; the public article page uses them for staff previews of drafts.
"""

from django.db.models import QuerySet

from authors.models import Author

PUBLISH = "articles.publish_article"
CHANGE_ANY = "articles.change_any_article"


def own_author(user):
    """Return the Author profile linked to `user`, or None."""
    if not user.is_authenticated:
        return None
    return Author.objects.filter(user=user).first()


def works_on_every_article(user) -> bool:
    """Return True if `user` sees and changes every article, not only their own."""
    return user.has_perm(CHANGE_ANY)


def articles_for(user, queryset: QuerySet) -> QuerySet:
    """Narrow an article queryset to the articles `user` works on in the admin."""
    if works_on_every_article(user):
        return queryset
    return queryset.filter(credits__author__user=user) if user.is_authenticated else queryset.none()


def may_change_article(user, article) -> bool:
    """Return True if `user` may change (and so preview) `article`."""
    if not user.is_authenticated or not user.has_perm("articles.change_article"):
        return False
    return works_on_every_article(user) or article.credits.filter(author__user=user).exists()


def creditable_authors(user, queryset: QuerySet) -> QuerySet:
    """Narrow an author queryset to those `user` may credit on an article: anyone for editors, else themself."""
    if works_on_every_article(user):
        return queryset
    return queryset.filter(user=user) if user.is_authenticated else queryset.none()


def may_save_with_status(user, status: str, *, was_published: bool) -> bool:
    """Return True if `user` may save an article with `status`.

    Publishing takes `articles.publish_article`; a draft, or an article that was published
    already (an author correcting it), does not.
    """
    return status != "published" or was_published or user.has_perm(PUBLISH)
