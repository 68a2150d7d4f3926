"""Who may see and change which articles and author profiles (SPEC "Moderation and roles").

Editors hold `articles.change_any_article` and work on every article; anyone else with article
permissions (the Authors group) works only on the articles that credit their own Author profile.
Likewise only those who may create author profiles (`authors.add_author`: Editors) edit any of them;
an author edits their own. Editors credit any author on an article, an author only themself; "Medically
reviewed by" names only the user's own profile, if it lists credentials (a review is given by the
reviewer, never recorded for them, even by an editor). The admin applies these rules to its querysets,
choices and permission checks; the public article page uses them for staff previews of drafts.
"""

from django.db.models import QuerySet

PUBLISH = "articles.publish_article"
CHANGE_ANY = "articles.change_any_article"


def own_author(user):
    """Return the Author profile linked to `user`, or None."""
    if not user.is_authenticated:
        return None
    from authors.models import Author

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


def reviewers_for(user, queryset: QuerySet) -> QuerySet:
    """Narrow an author queryset to whom `user` may name as medical reviewer: their own profile, with credentials."""
    return queryset.filter(user=user).exclude(credentials="") if user.is_authenticated else queryset.none()


def may_publish(user) -> bool:
    """Return True if `user` may set an article's status to published."""
    return user.has_perm(PUBLISH)


def works_on_every_author(user) -> bool:
    """Return True if `user` edits every author profile, not only their own."""
    return user.has_perm("authors.add_author")


def authors_for(user, queryset: QuerySet) -> QuerySet:
    """Narrow an author queryset to the profiles `user` edits in the admin."""
    if works_on_every_author(user):
        return queryset
    return queryset.filter(user=user) if user.is_authenticated else queryset.none()
