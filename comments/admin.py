from django.contrib import admin, messages
from django.db.models import Q
from mptt.admin import MPTTModelAdmin

from articles import roles
from articles.models import Article

from . import moderation
from .models import Comment, Reader


def _bulk(action, verb, *, noun="comment", description=None, arguments=lambda comment: {"comment": comment}):
    """Return an admin action that calls a moderation function on each selected row (`arguments` None: skipped)."""
    def run(modeladmin, request, queryset):
        done = 0
        for obj in queryset:
            kwargs = arguments(obj)
            if kwargs is not None:
                action(**kwargs, by=request.user)
                done += 1
        modeladmin.message_user(request, f"{done} {noun}(s) {verb}.", messages.SUCCESS)

    run.__name__ = f"bulk_{verb.replace(' ', '_')}"
    run.short_description = description or f"Mark selected {noun}s {verb}"
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
    list_display = ["short_body", "poster_name", "article", "status", "urgent", "created_at"]
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
        _bulk(moderation.mark_handled, "handled",
              description="Mark selected crisis comments handled (they leave the urgent list)"),
    ]
    mptt_level_indent = 24

    def get_queryset(self, request):
        return super().get_queryset(request).with_posters()

    @admin.display(description="Comment")
    def short_body(self, obj):
        return obj.body[:80]

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_add_permission(self, request):
        return False  # comments come from readers, through the article page


def _reader_act(act, verb):
    # Staff accounts are managed in the admin's user pages, not by trust or suspension.
    return _bulk(act, verb, noun="reader", description=f"{verb.capitalize()}: selected readers",
                 arguments=lambda reader: None if reader.user.is_staff else {"user": reader.user})


@admin.register(Reader)
class ReaderAdmin(admin.ModelAdmin):
    """Readers' accounts as moderators see them: trust and suspension, each change with who and when."""

    list_display = ["display_name", "email", "trust", "suspended", "trust_changed_by", "trust_changed_at",
                    "suspension_changed_by", "suspension_changed_at"]
    list_filter = ["trust", "suspended"]
    search_fields = ["display_name", "user__email", "user__username"]
    list_select_related = ["user", "trust_changed_by", "suspension_changed_by"]
    fields = ["user", "display_name", "notify_replies", "trust", "trust_changed_by", "trust_changed_at", "suspended",
              "suspension_changed_by", "suspension_changed_at", "created_at"]
    # Trust and suspension change only through the actions, which record who and when.
    readonly_fields = ["user", "trust", "trust_changed_by", "trust_changed_at", "suspended", "suspension_changed_by",
                       "suspension_changed_at", "created_at"]
    actions = [
        _reader_act(moderation.grant_trust, "granted trust"),
        _reader_act(moderation.revoke_trust, "trust revoked"),
        _reader_act(moderation.reset_trust, "trusted by the rule again"),
        _reader_act(moderation.suspend, "suspended"),
        _reader_act(moderation.unsuspend, "reinstated"),
    ]

    @admin.display(description="Email", ordering="user__email")
    def email(self, obj):
        return obj.user.email

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_add_permission(self, request):
        return False  # readers sign up at /accounts/signup/
