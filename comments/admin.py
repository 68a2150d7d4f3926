from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html
from mptt.admin import MPTTModelAdmin

from articles import roles
from articles.models import Article

from . import moderation
from .models import Comment, ModerationEvent, ModerationRule, Reader


def _bulk(action, verb, name=None, *, noun="comment", description=None,
          arguments=lambda comment: {"comment": comment}):
    """Return an admin action that calls a moderation function on each selected row (`arguments` None: skipped)."""
    def run(modeladmin, request, queryset):
        done = 0
        for obj in queryset:
            kwargs = arguments(obj)
            if kwargs is not None:
                action(**kwargs, by=request.user)
                done += 1
        modeladmin.message_user(request, f"{done} {noun}(s) {verb}.", messages.SUCCESS)

    run.__name__ = name or f"bulk_{verb.replace(' ', '_')}"
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


def _moderates(request) -> bool:
    return request.user.has_perm("comments.moderate_comment")


class ReadOnlyLog:
    """The moderation log in the admin: moderators read it; nobody adds, changes or deletes an entry."""

    def has_view_permission(self, request, obj=None):
        return _moderates(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ModerationEventInline(ReadOnlyLog, admin.TabularInline):
    """The comment's entries in the moderation log."""

    model = ModerationEvent
    fk_name = "comment"
    fields = ["created_at", "moderator_name", "action", "status_before", "status_after", "note"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]
    extra = 0
    can_delete = False
    verbose_name_plural = "Moderation log"


@admin.register(Comment)
class CommentAdmin(MPTTModelAdmin):
    list_display = ["short_body", "poster_name", "article", "status", "urgent_marker", "dosing", "created_at"]
    list_filter = ["status", "urgent", "dosing", "is_removed", ArticleFilter, "created_at"]
    search_fields = ["name", "email", "body"]
    list_select_related = ["article"]
    # Status, flags and removal change through the actions, which the moderation log records.
    readonly_fields = ["article", "parent", "user", "status", "urgent", "urgent_handled_at", "dosing", "is_removed",
                       "ip_address", "user_agent", "created_at"]
    fields = ["article", "parent", "user", "name", "email", "body", "status", "urgent", "urgent_handled_at", "dosing",
              "is_removed", "created_at", "ip_address", "user_agent"]
    inlines = [ModerationEventInline]
    actions = [
        _bulk(moderation.approve, "approved"),
        _bulk(moderation.reject, "rejected"),
        _bulk(moderation.mark_spam, "as spam"),
        _bulk(moderation.mark_handled, "handled (crisis language)", "bulk_handled",
              description="Mark selected crisis comments handled (they leave the urgent list)"),
        _bulk(moderation.take_down, "removed"),
        _bulk(moderation.restore, "restored"),
        _bulk(moderation.dismiss_reports, "kept (reports dismissed)", "bulk_reports_dismissed"),
    ]
    mptt_level_indent = 24

    def get_queryset(self, request):
        return super().get_queryset(request).with_posters()

    def save_model(self, request, obj, form, change):
        """Save a staff member's edit of the words, name or email, and log it."""
        moderation.staff_edit(comment=obj, by=request.user, changed=form.changed_data)

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
        return _moderates(request)

    def may_view_on_site(self, request, comment) -> bool:
        """Send "View on site" only to a comment whose article the user may see (healthsite.admin.view_on_site)."""
        return comment.article.is_public() or roles.may_change_article(request.user, comment.article)

    def has_add_permission(self, request):
        return False  # comments come from readers, through the article page


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyLog, admin.ModelAdmin):
    """The moderation log, filterable and searchable."""

    list_display = ["created_at", "moderator_name", "action", "comment_pk", "comment_poster", "user_name",
                    "status_before", "status_after", "note"]
    list_filter = ["action", "created_at"]
    search_fields = ["moderator_name", "comment_poster", "user_name", "article_title", "note"]
    actions = None


@admin.register(ModerationRule)
class ModerationRuleAdmin(admin.ModelAdmin):
    """The blocklist and the hold list, kept by the moderators."""

    list_display = ["value", "kind", "effect", "note", "created_by", "created_at"]
    list_filter = ["effect", "kind"]
    search_fields = ["value", "note"]
    fields = ["effect", "kind", "value", "note"]

    def has_view_permission(self, request, obj=None):
        return _moderates(request)

    def has_add_permission(self, request):
        return _moderates(request)

    def has_change_permission(self, request, obj=None):
        return _moderates(request)

    def has_delete_permission(self, request, obj=None):
        return _moderates(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


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
