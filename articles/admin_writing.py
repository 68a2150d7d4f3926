"""The article form's aids to writing: autosave, "Save and preview", and the search-result preview.

Autosave posts what the writer typed to its own endpoint, which stores it apart from the article
(ArticleAutosave, one per article and writer): it never changes the article, so no public page and
no revision comes from it, whether the article is a draft or published. The form offers an autosave
back when it is newer than the article.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from healthsite import sanitize

from .models import META_DESCRIPTION_MAX, ArticleAutosave


class AutosaveForm(forms.ModelForm):
    class Meta:
        model = ArticleAutosave
        fields = ["title", "summary", "body"]

    def clean_body(self):
        return sanitize.article_html(self.cleaned_data["body"])


def saved_at(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


class ArticleWritingAdmin:
    """ArticleAdmin's autosave endpoint, restore offer, "Save and preview" and search-result preview."""

    def get_urls(self):
        autosave = self.admin_site.admin_view(require_POST(self.autosave_view))
        return [path("<path:object_id>/autosave/", autosave, name="articles_article_autosave"), *super().get_urls()]

    def autosave_view(self, request, object_id):
        """Store what the writer typed (JSON for the form's script); the article itself is untouched."""
        article = self.get_object(request, object_id)
        if not self.has_change_permission(request, article):
            return JsonResponse({"error": "You may not change this article."}, status=403)
        form = AutosaveForm(request.POST, instance=ArticleAutosave.objects.filter(
            article=article, user=request.user).first() or ArticleAutosave(article=article, user=request.user))
        if not form.is_valid():
            errors = {name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()}
            return JsonResponse({"error": "Not saved: " + " ".join(m for ms in errors.values() for m in ms),
                                 "errors": errors}, status=400)
        autosave = form.save(commit=False)
        autosave.saved_at = timezone.now()
        autosave.save()
        return JsonResponse({"saved_at": saved_at(autosave.saved_at), "saved": autosave.saved_at.isoformat()})

    def newer_autosave(self, request, article):
        """Return the user's autosave of `article` if it is newer than the article's last save, else None."""
        autosave = ArticleAutosave.objects.filter(article=article, user=request.user).first()
        return autosave if autosave and autosave.saved_at > article.modified_at else None

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if request.method == "GET" and request.GET.get("restore") == "autosave":
            autosave = self.newer_autosave(request, article)
            if autosave is not None:  # the form opens with the autosaved text; saving it is the writer's choice
                article.title, article.summary, article.body = autosave.title, autosave.summary, autosave.body
        return article

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and request.GET.get("restore") != "autosave":
            article = self.get_object(request, object_id)
            autosave = self.newer_autosave(request, article)
            if autosave is not None:
                messages.info(request, format_html(
                    "You have unsaved work on this article, autosaved at {}. "
                    '<a href="?restore=autosave">Restore it into the form</a> (then save to keep it).',
                    saved_at(autosave.saved_at)))
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["autosave_url"] = reverse("admin:articles_article_autosave", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return redirect(obj.get_absolute_url())  # the draft preview (or the page, once public)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return redirect(obj.get_absolute_url())
        return super().response_change(request, obj)

    @admin.display(description="Search result preview")
    def search_preview(self, article):
        """The article as a search engine lists it, from the saved values; the form's script follows the typing."""
        url = settings.SITE_URL + article.get_absolute_url() if article and article.pk else settings.SITE_URL + "/…"
        title = f"{article.page_title()} | {settings.SITE_NAME}" if article and article.pk else ""
        description = Truncator(article.page_description()).chars(META_DESCRIPTION_MAX) if article and article.pk else ""
        return format_html(
            '<div class="search-preview" data-site-name="{}" aria-live="polite">'
            '<p class="search-preview-url">{}</p><p class="search-preview-title">{}</p>'
            '<p class="search-preview-description">{}</p></div>',
            settings.SITE_NAME, url, title, description)
