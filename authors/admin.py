from django.contrib import admin

from .models import Author, SocialLink


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    extra = 0


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
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
