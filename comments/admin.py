from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html
from mptt.admin import MPTTModelAdmin

from articles import roles
from articles.models import Article

from . import moderation
from .models import Comment


def _bulk(action, verb):
    def run(modeladmin, request, queryset):
        for comment in queryset:
            action(comment=comment, by=request.user)
        modeladmin.message_user(request, f"{len(queryset)} comment(s) {verb}.", messages.SUCCESS)

    run.__name__ = f"bulk_{verb.replace(' ', '_')}"
    run.short_description = f"Mark selected comments {verb}"
    run.allowed_permissions = ["moderate"]
    return run


class ArticleFilter(admin.SimpleListFilter):
    """The articles that have comments, of those the user may see on the site: no draft's title for moderators."""

    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        visible = Q(pk__in=Article.objects.published()) | Q(pk__in=roles.articles_for(request.user, Article.objects.all()))
        articles = Article.objects.filter(visible, pk__in=Comment.objects.values("article"))
        return [(article.pk, article.title) for article in articles]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(article_id=value) if value and value.isdecimal() else queryset


@admin.register(Comment)
class CommentAdmin(MPTTModelAdmin):
    list_display = ["short_body", "poster_name", "article", "status", "urgent_marker", "created_at"]
    list_filter = ["status", "urgent", "is_removed", ArticleFilter, "created_at"]
    search_fields = ["name", "email", "body"]
    list_select_related = ["article"]
    readonly_fields = ["article", "parent", "user", "ip_address", "user_agent", "created_at"]
    fields = ["article", "parent", "user", "name", "email", "body", "status", "urgent", "is_removed", "created_at",
              "ip_address", "user_agent"]
    actions = [
        _bulk(moderation.approve, "approved"),
        _bulk(moderation.reject, "rejected"),
        _bulk(moderation.mark_spam, "as spam"),
    ]
    mptt_level_indent = 24

    @admin.display(description="Comment")
    def short_body(self, obj):
        return obj.body[:80]

    @admin.display(description="Urgent")
    def urgent_marker(self, obj):
        """An alert for crisis language: a tick would read as "fine" (static/css/admin.css draws it)."""
        if not obj.urgent:
            return ""
        return format_html('<span class="urgent-marker" title="{}">Urgent</span>', "Crisis language: read first")

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def may_view_on_site(self, request, comment) -> bool:
        """Send "View on site" only to a comment whose article the user may see (healthsite.admin.view_on_site)."""
        return comment.article.is_public() or roles.may_change_article(request.user, comment.article)

    def has_add_permission(self, request):
        return False  # comments come from readers, through the article page
