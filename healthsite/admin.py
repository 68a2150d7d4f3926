"""Admin parts every app uses: scoped admins, the rich-text field, image uploads, "View on site"."""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_prose_editor.fields import ProseEditorFormField
from js_asset import Media

from . import images

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
