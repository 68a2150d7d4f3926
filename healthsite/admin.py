"""Admin parts every app uses: scoped admins, revisions, the rich-text field, image uploads, "View on site"."""

from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_prose_editor.fields import ProseEditorFormField
from js_asset import Media
import reversion
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import diff, images

IMAGE_UPLOADS = {models.ImageField: {"form_class": images.ImageFormField}}

# Whom a field that picks a row offers in the admin's autocomplete: (app label, model, field) ->
# a function of (user, queryset). The app that owns the field registers it with `limit_choices`.
_AUTOCOMPLETE_CHOICES = {}


def limit_choices(model, field_name: str, choices) -> None:
    """Let `choices(user, queryset)` narrow what the admin's autocomplete offers for `model.field_name`."""
    _AUTOCOMPLETE_CHOICES[model._meta.app_label, model._meta.model_name, field_name] = choices


def rich_text_field(db_field, *, extensions, sanitizer, **kwargs):
    """Return the admin's rich-text editor for a TextField; what it sends is cleaned by `sanitizer`."""
    return db_field.formfield(
        form_class=ProseEditorFormField, widget=widgets.AdminTextareaWidget,
        config={"extensions": extensions}, sanitize=sanitizer, **kwargs,
    )


class ScopedAdmin(admin.ModelAdmin):
    """An admin that shows each user only their own objects (`scope`); others answer 404.

    Django's default for an object outside the queryset is a redirect home. The autocomplete of a
    field registered with `limit_choices` offers what that field allows instead of the scope.
    """

    def scope(self, user, queryset):
        """Return the objects `user` works on here (all of them unless a subclass narrows it)."""
        return queryset

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # AutocompleteJsonView has checked that these name a field pointing at this model.
            source = tuple(request.GET.get(key, "").lower() for key in ("app_label", "model_name", "field_name"))
            if source in _AUTOCOMPLETE_CHOICES:
                return _AUTOCOMPLETE_CHOICES[source](request.user, queryset)
        return self.scope(request.user, queryset)

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


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" redirect, in place of Django's `shortcut` (which only asks for staff).

    Only for an object the user works on in its admin (and that its admin's `may_view_on_site`,
    where there is one, lets them see), and only to an address on this site.
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
    may_view = getattr(model_admin, "may_view_on_site", None)
    if may_view is not None and not may_view(request, obj):
        raise Http404("No such page.")
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    if not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        raise Http404("No page on this site.")
    return HttpResponseRedirect(url)


class RevisionAdmin(VersionAdmin):
    """An admin whose every add and change is a revision (django-reversion), with the editor's note.

    History lists the revisions (who, when, the note) with a comparison of `compared_fields`
    against the revision before and a restore, which saves the old text as a new revision. Both
    are for the user who may change the object (its admin's `get_object` and change permission),
    and only for that object's own revisions. Deleted objects are not recovered here.
    """

    object_history_template = "admin/revisions/object_history.html"
    change_list_template = None  # the admin's own: no "Recover deleted" link
    history_latest_first = True
    compared_fields: list[tuple[str, str]] = []  # (field name, label), e.g. ("title", "Title")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [path("<path:object_id>/history/<pk:version_id>/changes/",
                    self.admin_site.admin_view(self.changes_view), name="%s_%s_changes" % info)]
        # reversion's recover views take any stored version of any model: left out.
        return own + [url for url in super().get_urls() if not str(url.name or "").endswith(("_recover", "_recoverlist"))]

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404("Deleted objects are not recovered here.")

    def recoverlist_view(self, request, extra_context=None):
        raise Http404("Deleted objects are not recovered here.")

    def public_pages(self, obj) -> dict:
        """Return {revision id: (label, address)} for revisions readers can open (none unless a subclass says)."""
        return {}

    def versions(self, object_id):
        """Return the stored versions of this admin's object `object_id`, newest first."""
        return Version.objects.get_for_object_reference(self.model, object_id).select_related("revision__user")

    def _changeable(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))  # another user's object: 404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self._changeable(request, object_id)
        get_object_or_404(self.versions(obj.pk), pk=version_id)  # a revision of this object, no other
        request.revision_before = obj  # what the save compares with, before the old revision is put back
        return super().revision_view(request, str(obj.pk), version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        before = getattr(request, "revision_before", None)
        if obj is not None and before is not None:
            self._keep_files_that_are_gone(request, obj, before)
        return obj

    def _keep_files_that_are_gone(self, request, restored, before) -> None:
        """Keep the current file where the revision being restored names one deleted since (an image replaced later).

        A replaced image is deleted with its renditions; restoring its name would leave the page a broken
        image. The current file stays, with its size and alt text (`<field>_alt`), and the editor is told.
        """
        for field in restored._meta.concrete_fields:
            name = getattr(restored, field.attname) if isinstance(field, models.FileField) else None
            if not name or name == getattr(before, field.attname) or field.storage.exists(str(name)):
                continue
            kept = [field.attname, getattr(field, "width_field", None), getattr(field, "height_field", None),
                    f"{field.name}_alt"]
            for attname in kept:
                if attname and hasattr(before, attname):
                    setattr(restored, attname, getattr(before, attname))
            if request.method == "GET":
                current = "the current one is kept" if getattr(before, field.attname) else "none is restored"
                messages.warning(request, f"The {field.verbose_name} of this revision has been deleted since: {current}.")

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        may_restore = self.has_change_permission(request, obj)
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        public = self.public_pages(obj)
        action_list = [{
            "revision": version.revision,
            "public": public.get(version.revision_id),
            "changes_url": reverse("%s:%s_%s_changes" % info, args=(quote(obj.pk), version.pk)),
            "url": reverse("%s:%s_%s_revision" % info, args=(quote(obj.pk), version.pk)) if may_restore else "",
        } for version in self.versions(obj.pk)]
        # ModelAdmin's own view (reversion's would list the versions again), with these rows.
        return super(VersionAdmin, self).history_view(
            request, object_id, {"action_list": action_list, **(extra_context or {})})

    def changes_view(self, request, object_id, version_id):
        """Compare one revision's `compared_fields` with the revision before it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self.versions(obj.pk)
        version = get_object_or_404(versions, pk=version_id)
        before = versions.filter(pk__lt=version.pk).first()
        old = before.field_dict if before is not None else {}
        new = version.field_dict
        changes = []
        for name, label in self.compared_fields:
            # Stored HTML (body_html, bio_html) is compared as the text readers see; other fields as typed.
            readable = diff.text if name.endswith("_html") else str
            was, now = readable(str(old.get(name) or "")), readable(str(new.get(name) or ""))
            changes.append({"label": label, "changed": was != now, "words": diff.words(was, now)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "object": obj, "version": version, "before": before, "changes": changes,
            "title": "Changes in the revision of " + formats.date_format(
                timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"),
            "history_url": reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_history",
                                   args=(quote(obj.pk),)),
        }
        return TemplateResponse(request, "admin/revisions/changes.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request.revision_note = (form.cleaned_data.get("revision_note") or "").strip()

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._note(request)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._note(request)
        return entry

    def _note(self, request):
        note = getattr(request, "revision_note", "")
        if note and reversion.is_active():
            reversion.set_comment(note)  # in place of the admin's "Changed title and body."
