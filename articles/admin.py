from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.urls import reverse_lazy

from authors.models import Author
from healthsite import sanitize
from healthsite.admin import IMAGE_UPLOADS, ScopedAdmin, limit_choices, rich_text_field

from . import admin_media, roles  # noqa: F401 (admin_media registers the media library)
from .admin_list import ArticleListAdmin, AuthorFilter, StateFilter
from .admin_writing import ArticleWritingAdmin
from .models import Article, ArticleAuthor, Blog, Topic
from .urls import YEARS

# What the rich-text editor offers: exactly what sanitize.ARTICLE_TAGS keeps (the server sanitizes anyway).
ARTICLE_EDITOR = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True, "Italic": True, "Strike": True, "Subscript": True, "Superscript": True,
    "BulletList": True, "OrderedList": True, "ListItem": True, "Blockquote": True,
    "HardBreak": True, "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": sorted(sanitize.PROTOCOLS)},
    # The Figure dialog's "Browse..." opens the media library's picker (upload, or choose an image).
    "Figure": {"pickerUrl": reverse_lazy("admin:articles_bodyimage_pick")}, "Caption": True, "Image": True,
}


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
    user = AnonymousUser()  # set for the user of each request by ArticleAdmin.get_form

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

    def clean_body(self):
        body = self.cleaned_data["body"]
        if sanitize.images_without_alt(body):
            raise ValidationError("Give every image alt text: describe it for readers who cannot see it.",
                                  code="image_alt_required")
        return body

    def was_published(self) -> bool:
        """Return True if the article was published before this change."""
        return bool(self.instance.pk) and self.initial.get("status") == Article.Status.PUBLISHED

    def clean_status(self):
        status = self.cleaned_data["status"]
        if not roles.may_save_with_status(self.user, status, was_published=self.was_published()):
            raise ValidationError(
                "You can save this article as a draft; an editor publishes it.", code="publish_not_allowed")
        return status


@admin.register(Article)
class ArticleAdmin(ArticleListAdmin, ArticleWritingAdmin, ScopedAdmin):
    form = ArticleAdminForm
    list_display = ["title", "credited", "blog", "state", "published_at", "comments_enabled"]
    list_filter = [StateFilter, AuthorFilter, "blog", "topics", "comments_enabled"]
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
        ("Search engines and social", {
            "fields": ["seo_title", "meta_description", "search_preview", "social_image", "social_image_alt"],
            "description": "Optional: empty fields fall back to the title, the summary and the lead image.",
        }),
    ]
    readonly_fields = ["search_preview"]

    class Media:
        js = ["js/article_editor.js"]

    @admin.display(description="State", ordering="status")
    def state(self, article):
        return "Scheduled" if article.is_scheduled() else article.get_status_display()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        blogs = list(Blog.objects.values_list("pk", flat=True)[:2])
        if len(blogs) == 1 and "blog" not in initial:
            initial["blog"] = blogs[0]  # the only blog: nothing to choose
        return initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            return rich_text_field(db_field, extensions=ARTICLE_EDITOR, sanitizer=sanitize.article_html, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def scope(self, user, queryset):
        return roles.articles_for(user, queryset)

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
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        # The form refuses this with a message; this guards any other way in.
        if not roles.may_save_with_status(request.user, obj.status, was_published=form.was_published()):
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


# The author autocomplete of a credit or a review offers only whom the user may name there.
limit_choices(ArticleAuthor, "author", roles.creditable_authors)
limit_choices(Article, "medically_reviewed_by", roles.reviewers_for)
