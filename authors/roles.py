"""Who edits which author profiles: those who may create profiles (`authors.add_author`: Editors)
edit any of them; an author edits their own."""

from django.db.models import QuerySet


def works_on_every_author(user) -> bool:
    """Return True if `user` edits every author profile, not only their own."""
    return user.has_perm("authors.add_author")


def authors_for(user, queryset: QuerySet) -> QuerySet:
    """Narrow an author queryset to the profiles `user` edits in the admin."""
    if works_on_every_author(user):
        return queryset
    return queryset.filter(user=user) if user.is_authenticated else queryset.none()
