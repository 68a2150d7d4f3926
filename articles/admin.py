from django.contrib import admin

from .models import Article, ArticleAuthor, Blog, Topic


@admin.register(Blog)
class BlogAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    min_num = 1
    autocomplete_fields = ["author"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "blog", "status", "published_at", "comments_enabled"]
    list_filter = ["status", "blog", "topics", "comments_enabled"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    inlines = [ArticleAuthorInline]
    list_select_related = ["blog"]
    fieldsets = [
        (None, {"fields": ["blog", "title", "slug", "summary", "body", "topics"]}),
        ("Publishing", {"fields": ["status", "published_at", "updated_at", "comments_enabled"]}),
    ]
