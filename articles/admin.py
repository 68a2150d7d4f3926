from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html

from healthsite import ids, sanitize
from healthsite.admin import IMAGE_UPLOADS, RevisionAdmin, ScopedAdmin, limit_choices, rich_text_field

from . import admin_media, review, revisions, roles  # noqa: F401 (admin_media registers the media library)
from .admin_list import ArticleListAdmin, AuthorFilter, StateFilter
from .admin_writing import ArticleWritingAdmin
from .models import Article, ArticleAuthor, Blog, ReviewRequest, Topic
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

    # This save's revision (articles/revisions.py) and its effect on the medical review (articles/review.py).
    revision_note = forms.CharField(
        required=False, max_length=300, label="What changed",
        help_text="A short note for the article's history, e.g. “Dosage information corrected”.")
    revision_note_public = forms.BooleanField(
        required=False, label="Show this note to readers",
        help_text="Listed under the published article with the day, e.g. “Updated December 1, 2026: Dosage "
                  "information corrected”.")
    minor_change = forms.BooleanField(
        required=False, label="Minor change: keep the medical review",
        help_text="Editors only. Otherwise a change of the body clears the review until the reviewer signs off again.")

    class Meta:
        model = Article
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("revision_note_public") and not (cleaned.get("revision_note") or "").strip():
            self.add_error("revision_note", ValidationError(
                "Write the note readers should see, or untick “Show this note to readers”.", code="note_required"))
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


class MedicalReviewFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Review due"), ("pending", "Review pending"), ("reviewed", "Reviewed"),
                ("never", "Not reviewed")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return review.due(queryset)
        if self.value() == "pending":
            return queryset.filter(review.pending())
        if self.value() == "reviewed":
            return queryset.filter(medically_reviewed_by__isnull=False)
        if self.value() == "never":
            return queryset.filter(medically_reviewed_by__isnull=True, review_requests__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(ArticleListAdmin, ArticleWritingAdmin, RevisionAdmin, ScopedAdmin):
    form = ArticleAdminForm
    list_display = ["title", "credited", "blog", "state", "published_at", "comments_enabled"]
    list_filter = [StateFilter, AuthorFilter, "blog", "topics", "comments_enabled", MedicalReviewFilter]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
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
        ("Medical review", {
            "fields": ["medically_reviewed_by", "reviewed_on"],
            "description": "Set only by the reviewer's sign-off: ask for a review under Review requests.",
        }),
        ("Search engines and social", {
            "fields": ["seo_title", "meta_description", "search_preview", "social_image", "social_image_alt"],
            "description": "Optional: empty fields fall back to the title, the summary and the lead image.",
        }),
        ("This revision", {"fields": ["revision_note", "revision_note_public"]}),
    ]
    readonly_fields = ["search_preview", "medically_reviewed_by", "reviewed_on"]
    compared_fields = [("title", "Title"), ("summary", "Summary"), ("body_html", "Body")]

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

    def public_pages(self, obj):
        return {version.revision_id: (f"Version {version.number} on the site", version.get_absolute_url())
                for version in revisions.public_versions(obj) if version.revision_id}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not roles.works_on_every_article(request.user):
            return fieldsets
        # An editor may keep the review through a minor change.
        return [(name, {**options, "fields": [*options["fields"], "minor_change"]}) if name == "This revision"
                else (name, options) for name, options in fieldsets]

    def save_model(self, request, obj, form, change):
        # The form refuses this with a message; this guards any other way in.
        if not roles.may_save_with_status(request.user, obj.status, was_published=form.was_published()):
            raise PermissionDenied("You may not publish articles.")
        if change:
            revisions.lock(obj)
            before = getattr(request, "revision_before", None) or Article.objects.get(pk=obj.pk)
            if sanitize.article_html(obj.body) != before.body_html:
                review.body_changed(article=obj, by=request.user, minor=form.cleaned_data.get("minor_change", False))
        obj.medically_reviewed_by, obj.reviewed_on = review.current(obj) if change else (None, None)
        super().save_model(request, obj, form, change)
        revisions.add_published_version(article=obj, note=form.cleaned_data.get("revision_note", ""),
                                        public=form.cleaned_data.get("revision_note_public", False))

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
# Nobody picks the medical reviewer: it comes from their sign-off (articles/review.py).
limit_choices(Article, "medically_reviewed_by", lambda user, queryset: queryset.none())


# Medical review: requests, and the named reviewer's sign-off (articles/review.py holds the rules).


class ReviewRequestForm(forms.ModelForm):
    user = AnonymousUser()  # set for the user of each request by ReviewRequestAdmin.get_form

    class Meta:
        model = ReviewRequest
        fields = ["article", "reviewer"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("article") and cleaned.get("reviewer"):
            try:
                review.check_ask(article=cleaned["article"], reviewer=cleaned["reviewer"], by=self.user)
            except ValidationError as error:
                self.add_error("reviewer", error)
        return cleaned


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ScopedAdmin):
    """Editors and authors ask for reviews here; a reviewer sees the requests naming them and signs off."""

    form = ReviewRequestForm
    list_display = ["article", "reviewer", "requested_by", "requested_at", "is_open"]
    list_filter = ["is_open"]
    list_select_related = ["article", "reviewer", "requested_by"]
    search_fields = ["article__title", "reviewer__display_name"]

    def scope(self, user, queryset):
        return review.requests_for(user, queryset)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ["article", "reviewer", "requested_by", "requested_at", "is_open"] if obj else []

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request)  # a request is not edited

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "article":
            field.queryset = roles.articles_for(request.user, field.queryset)
        elif db_field.name == "reviewer":
            field.queryset = review.reviewers(field.queryset)
        return field

    def save_model(self, request, obj, form, change):
        review.ask(review_request=obj, by=request.user)

    def get_list_display(self, request):
        @admin.display(description="Sign off")
        def sign_off(obj):
            if not obj.is_open:
                return "Signed off"
            if not review.may_sign_off(request.user, obj):
                return "Waiting for the reviewer"
            return format_html('<a href="{}">Read and sign off</a>',
                               reverse("admin:articles_reviewrequest_sign_off", args=[obj.pk]))

        return [*super().get_list_display(request), sign_off]

    def get_urls(self):
        return [path("<pk:object_id>/sign-off/", self.admin_site.admin_view(self.sign_off_view),
                     name="articles_reviewrequest_sign_off")] + super().get_urls()

    def sign_off_view(self, request, object_id):
        """Show the article's newest revision to the reviewer named in the request; POST signs it off."""
        review_request = self.get_object(request, str(object_id))  # not theirs to see: 404
        if not review.may_sign_off(request.user, review_request):
            raise PermissionDenied
        article = review_request.article
        if request.method == "POST":
            try:
                review.sign_off(request=review_request, revision_id=ids.parse(request.POST.get("revision")) or 0,
                                by=request.user)
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(request, f"You signed off the medical review of “{article}”.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_reviewrequest_changelist"))
        version = revisions.latest_version(article)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": f"Review “{article}”",
            "review_request": review_request, "revision": version.revision, "text": version.field_dict,
        }
        return TemplateResponse(request, "admin/articles/reviewrequest/sign_off.html", context)
