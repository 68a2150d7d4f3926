from django import forms
from django.contrib import admin
from django.db import models

from healthsite import sanitize
from healthsite.admin import IMAGE_UPLOADS, RevisionAdmin, ScopedAdmin, rich_text_field

from . import roles
from .models import Author, SocialLink

# What the bio's rich-text editor offers: exactly what sanitize.BIO_TAGS keeps (the server sanitizes anyway).
BIO_EDITOR = {
    "Bold": True, "Italic": True, "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(sanitize.PROTOCOLS)},
}


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    extra = 0
    view_on_site = False  # a link's "page" is another site
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class AuthorAdminForm(forms.ModelForm):
    revision_note = forms.CharField(
        required=False, max_length=300, label="What changed", help_text="A short note for the profile's history.")

    class Meta:
        model = Author
        fields = "__all__"


@admin.register(Author)
class AuthorAdmin(RevisionAdmin, ScopedAdmin):
    form = AuthorAdminForm
    list_display = ["display_name", "family_name", "given_names", "credentials", "user"]
    list_filter = ["is_organization"]
    search_fields = ["display_name", "family_name", "given_names", "credentials"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]
    inlines = [SocialLinkInline]
    fieldsets = [
        (None, {"fields": ["display_name", "slug", "credentials", "bio", "photo", "user", "notify_on_comments"]}),
        ("Name in citations", {"fields": ["given_names", "family_name", "name_suffix", "is_organization"]}),
        ("This revision", {"fields": ["revision_note"]}),
    ]
    compared_fields = [("display_name", "Name"), ("credentials", "Credentials"), ("bio_html", "Bio")]
    formfield_overrides = IMAGE_UPLOADS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "bio":
            return rich_text_field(db_field, extensions=BIO_EDITOR, sanitizer=sanitize.bio_html, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def scope(self, user, queryset):
        return roles.authors_for(user, queryset)

    def get_readonly_fields(self, request, obj=None):
        # An author may not move their profile to another login account.
        return [] if roles.works_on_every_author(request.user) else ["user"]
