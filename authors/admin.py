from django.contrib import admin
from django.db import models

from articles import roles, sanitize
from articles.admin import BIO_EDITOR, IMAGE_UPLOADS, ScopedAdmin, rich_text_field

from .models import Author, SocialLink


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    extra = 0
    view_on_site = False  # a link's "page" is another site
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


# Whom each field that picks an author offers in the admin's autocomplete (app label, model, field).
AUTOCOMPLETE_CHOICES = {
    ("articles", "articleauthor", "author"): roles.creditable_authors,
    ("articles", "article", "medically_reviewed_by"): roles.reviewers_for,
}


@admin.register(Author)
class AuthorAdmin(ScopedAdmin):
    list_display = ["display_name", "family_name", "given_names", "credentials", "user"]
    list_filter = ["is_organization"]
    search_fields = ["display_name", "family_name", "given_names", "credentials"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]
    inlines = [SocialLinkInline]
    fieldsets = [
        (None, {"fields": ["display_name", "slug", "credentials", "bio", "photo", "user", "notify_on_comments"]}),
        ("Name in citations", {"fields": ["given_names", "family_name", "name_suffix", "is_organization"]}),
    ]
    formfield_overrides = IMAGE_UPLOADS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "bio":
            return rich_text_field(db_field, extensions=BIO_EDITOR, sanitizer=sanitize.bio_html, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # AutocompleteJsonView has checked that these name a field pointing at Author before asking.
            source = tuple(request.GET.get(key, "").lower() for key in ("app_label", "model_name", "field_name"))
            return AUTOCOMPLETE_CHOICES.get(source, roles.authors_for)(request.user, queryset)
        return roles.authors_for(request.user, queryset)

    def get_readonly_fields(self, request, obj=None):
        # An author may not move their profile to another login account.
        return [] if roles.works_on_every_author(request.user) else ["user"]
