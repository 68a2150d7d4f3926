from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Max
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_prose_editor.fields import ProseEditorFormField
from js_asset import Media

from authors.models import Author

from . import images, roles, sanitize
from .models import Article, ArticleAuthor, Blog, Topic
from .urls import YEARS

# What the rich-text editor offers: exactly what sanitize.ARTICLE_TAGS keeps (the server sanitizes anyway).
ARTICLE_EDITOR = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True, "Italic": True, "Strike": True, "Subscript": True, "Superscript": True,
    "BulletList": True, "OrderedList": True, "ListItem": True, "Blockquote": True,
    "HardBreak": True, "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": sorted(sanitize.PROTOCOLS)},
    "Figure": True, "Caption": True, "Image": True,
}
BIO_EDITOR = {
    "Bold": True, "Italic": True, "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(sanitize.PROTOCOLS)},
}
IMAGE_UPLOADS = {models.ImageField: {"form_class": images.ImageFormField}}


def rich_text_field(db_field, *, extensions, sanitizer, **kwargs):
    """Return the admin's rich-text editor for a TextField; what it sends is cleaned by `sanitizer`."""
    return db_field.formfield(
        form_class=ProseEditorFormField, widget=widgets.AdminTextareaWidget,
        config={"extensions": extensions}, sanitize=sanitizer, **kwargs,
    )


class ScopedAdmin(admin.ModelAdmin):
    """An admin whose objects outside the user's queryset answer 404 (Django's default is a redirect home)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied  # no right to any of them: 403, as elsewhere in the admin
            raise Http404(f"No {self.opts.verbose_name} with this ID is yours to see.")
        return obj

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline <script>: it runs under the CSP only with the nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)


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


NOT_YOURS_TO_CREDIT = "You can credit only yourself as an author; an editor adds co-authors."
NOT_YOUR_REVIEW = ("Only the reviewer can name themself here: choose your own author profile (it must list "
                   "credentials), or leave this empty.")


class CreditForm(forms.ModelForm):
    user = AnonymousUser()  # set for the user of each request by ArticleAuthorInline.get_formset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["author"]
        # A credit already on the article stays a valid choice, so an author can save a co-written article.
        field.queryset = (roles.creditable_authors(self.user, field.queryset)
                          | field.queryset.filter(pk=self.instance.author_id))
        field.error_messages["invalid_choice"] = NOT_YOURS_TO_CREDIT


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    form = CreditForm
    extra = 0
    autocomplete_fields = ["author"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset

    def get_min_num(self, request, obj=None, **kwargs):
        # An author's own credit is added on save (ArticleAdmin.save_related); an editor names the authors.
        return 1 if roles.works_on_every_article(request.user) else 0


class ArticleAdminForm(forms.ModelForm):
    may_publish = True  # set for the user of each request by ArticleAdmin.get_form
    user = AnonymousUser()  # likewise

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("medically_reviewed_by")
        if field is not None:
            # Whoever gave the review already stays a valid choice, so the article can be saved unchanged.
            field.queryset = (roles.reviewers_for(self.user, field.queryset)
                              | field.queryset.filter(pk=self.instance.medically_reviewed_by_id))
            field.error_messages["invalid_choice"] = NOT_YOUR_REVIEW

    def clean(self):
        cleaned = super().clean()
        reviewer = cleaned.get("medically_reviewed_by")
        if ("reviewed_on" in self.changed_data and reviewer is not None
                and not roles.reviewers_for(self.user, Author.objects.filter(pk=reviewer.pk)).exists()):
            self.add_error("reviewed_on", ValidationError(
                "Only %(reviewer)s can change the date of their review.", code="not_your_review",
                params={"reviewer": reviewer}))
        for name in ("published_at", "updated_at"):
            moment = cleaned.get(name)
            if moment is not None and moment.year not in YEARS:  # in the site's time zone, as the form read it
                self.add_error(name, ValidationError(
                    "Give a date between the years %(first)s and %(last)s.", code="year_out_of_range",
                    params={"first": YEARS[0], "last": YEARS[-1]}))
        return cleaned

    def clean_status(self):
        status = self.cleaned_data["status"]
        was_published = self.instance.pk and self.initial.get("status") == Article.Status.PUBLISHED
        if status == Article.Status.PUBLISHED and not self.may_publish and not was_published:
            raise ValidationError(
                "You can save this article as a draft; an editor publishes it.", code="publish_not_allowed")
        return status


@admin.register(Article)
class ArticleAdmin(ScopedAdmin):
    form = ArticleAdminForm
    list_display = ["title", "blog", "state", "published_at", "comments_enabled"]
    list_filter = ["status", "blog", "topics", "comments_enabled"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    autocomplete_fields = ["medically_reviewed_by"]
    inlines = [ArticleAuthorInline]
    list_select_related = ["blog"]
    formfield_overrides = IMAGE_UPLOADS
    fieldsets = [
        (None, {"fields": ["blog", "title", "slug", "summary", "body", "topics"]}),
        ("Lead image", {"fields": ["lead_image", "lead_image_alt"]}),
        ("Publishing", {
            "fields": ["status", "published_at", "updated_at", "comments_enabled"],
            "description": "A published article with a publication time in the future is scheduled: "
                           "readers see it from that time on. “View on site” previews a draft.",
        }),
        ("Medical review", {"fields": ["medically_reviewed_by", "reviewed_on"]}),
    ]

    @admin.display(description="State", ordering="status")
    def state(self, article):
        return "Scheduled" if article.is_scheduled() else article.get_status_display()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            return rich_text_field(db_field, extensions=ARTICLE_EDITOR, sanitizer=sanitize.article_html, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return roles.articles_for(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        # Someone who works only on their own articles needs an author profile to be credited with.
        return super().has_add_permission(request) and (
            roles.works_on_every_article(request.user) or roles.own_author(request.user) is not None
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.may_change_article(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.may_change_article(request.user, obj))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.may_publish = roles.may_publish(request.user)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        # The form refuses this with a message; this guards any other way in.
        was_published = change and form.initial.get("status") == Article.Status.PUBLISHED
        if obj.status == Article.Status.PUBLISHED and not roles.may_publish(request.user) and not was_published:
            raise PermissionDenied("You may not publish articles.")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if roles.works_on_every_article(request.user):
            return
        # An author's article always credits them, so it stays theirs to edit.
        author = roles.own_author(request.user)
        article = form.instance
        if author is not None and not article.credits.filter(author=author).exists():
            last = article.credits.aggregate(last=Max("position"))["last"]
            ArticleAuthor.objects.create(article=article, author=author, position=0 if last is None else last + 1)


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" redirect, in place of Django's `shortcut` (which only asks for staff).

    Only for an object the user works on in its admin, never to the page of an article they may not
    preview (a comment's article included), and only to an address on this site.
    """
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        model_admin = admin.site.get_model_admin(model)
    except (ValueError, ContentType.DoesNotExist, NotRegistered):
        raise Http404("No such page.") from None
    if not model_admin.has_view_or_change_permission(request):
        raise Http404("No such page.")
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404("No such page.")
    article = obj if isinstance(obj, Article) else getattr(obj, "article", None)
    if isinstance(article, Article) and not (article.is_public() or roles.may_change_article(request.user, article)):
        raise Http404("No such page.")
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    if not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        raise Http404("No page on this site.")
    return HttpResponseRedirect(url)
