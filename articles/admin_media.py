"""The media library: images uploaded for article bodies, the editor's upload endpoint and its picker.

The editor's Figure button opens the picker (`pickerUrl`), a page of the library with an upload form;
choosing or uploading an image hands its address, alt text and caption back to the editor's dialog.
Everyone who may change articles uses the library; the articles an image appears in are listed only
among those the user works on.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from healthsite import images
from healthsite.admin import IMAGE_UPLOADS

from . import roles
from .models import Article, BodyImage

PICKER_PAGE_SIZE = 60


class BodyImageForm(forms.ModelForm):
    class Meta:
        model = BodyImage
        fields = ["image", "alt_text", "caption"]
        field_classes = {"image": images.ImageFormField}
        error_messages = {
            "image": {"required": "Choose an image file to upload."},
            "alt_text": {"required": "Describe the image for readers who cannot see it (alt text)."},
        }


def thumbnail_url(image: BodyImage) -> str:
    return default_storage.url(images.rendition_name(image.image.name, image.widths()[0], "jpg"))


def as_json(image: BodyImage) -> dict:
    return {"id": image.pk, "url": image.image.url, "alt": image.alt_text, "caption": image.caption,
            "width": image.width, "height": image.height, "thumbnail": thumbnail_url(image)}


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    form = BodyImageForm
    list_display = ["thumbnail", "alt_text", "caption", "uploader", "uploaded_at", "used_in"]
    search_fields = ["alt_text", "caption"]
    date_hierarchy = "uploaded_at"
    formfield_overrides = IMAGE_UPLOADS
    actions = None

    # Who may use the library: whoever may change articles (Authors and Editors).
    def may_use(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perm("articles.change_article")

    def has_module_permission(self, request):
        return self.may_use(request)

    def has_view_permission(self, request, obj=None):
        return self.may_use(request)

    def has_add_permission(self, request):
        return self.may_use(request)

    def has_change_permission(self, request, obj=None):
        # Alt text and caption: the uploader's or an editor's to change.
        return self.may_use(request) and (obj is None or obj.uploaded_by_id == request.user.pk
                                          or roles.works_on_every_article(request.user))

    def has_delete_permission(self, request, obj=None):
        # Only an editor deletes, and only an image no article shows.
        return (self.may_use(request) and roles.works_on_every_article(request.user)
                and (obj is None or not obj.articles.exists()))

    def get_readonly_fields(self, request, obj=None):
        return ["image"] if obj is not None else []

    def get_queryset(self, request):
        mine = roles.articles_for(request.user, Article.objects.all()).distinct().order_by("title")
        return (super().get_queryset(request).select_related("uploaded_by")
                .prefetch_related(Prefetch("articles", queryset=mine, to_attr="articles_shown")))

    @admin.display(description="Image")
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" width="96" class="media-thumbnail">', thumbnail_url(image))

    @admin.display(description="Uploaded by", ordering="uploaded_by__username")
    def uploader(self, image):
        user = image.uploaded_by
        return (user.get_full_name() or user.get_username()) if user else "—"

    @admin.display(description="Used in")
    def used_in(self, image):
        return format_html_join(", ", '<a href="{}">{}</a>', (
            (reverse("admin:articles_article_change", args=[a.pk]), a.title) for a in image.articles_shown)) or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        name = obj.image.name
        super().delete_model(request, obj)
        transaction.on_commit(lambda: images.discard(name), robust=True)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(require_POST(self.upload_view)), name="articles_bodyimage_upload"),
            path("pick/", view(self.picker_view), name="articles_bodyimage_pick"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Take an image from the editor's picker: JSON with its address and alt text, or the refusals.

        A browser without the picker's script posts the form itself: it gets the picker page back with the
        refusals, or the library with the new image.
        """
        wants_json = "application/json" in request.headers.get("Accept", "")
        if not self.may_use(request):
            return JsonResponse({"error": "You may not upload images."}, status=403)
        form = BodyImageForm(request.POST, request.FILES)
        if not form.is_valid():
            if not wants_json:
                return self.picker_view(request, form=form)
            errors = {name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()}
            return JsonResponse({"error": " ".join(m for ms in errors.values() for m in ms), "errors": errors},
                                status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        if not wants_json:
            self.message_user(request, f"Uploaded “{image.alt_text}”.")
            return redirect("admin:articles_bodyimage_changelist")
        return JsonResponse(as_json(image), status=201)

    def picker_view(self, request, form=None):
        """The editor's image picker: upload a new image or choose one from the library."""
        if not self.may_use(request):
            return redirect("admin:index")
        query = request.GET.get("q", "")[:100]
        found = BodyImage.objects.order_by("-uploaded_at", "-id")
        if query:
            found = found.filter(alt_text__icontains=query) | found.filter(caption__icontains=query)
        return TemplateResponse(request, "admin/articles/bodyimage/pick.html", {
            **self.admin_site.each_context(request),
            "title": "Insert an image", "opts": self.model._meta, "form": form or BodyImageForm(), "query": query,
            "images": [(image, thumbnail_url(image)) for image in found[:PICKER_PAGE_SIZE]],
            "max_megabytes": settings.IMAGES_MAX_BYTES // 1_000_000, "is_popup": True,
        }, status=400 if form is not None else 200)
