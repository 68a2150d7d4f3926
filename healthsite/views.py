import sys

from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError
from django.http import (
    HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotFound, HttpResponseRedirect,
    HttpResponseServerError, UnreadablePostError,
)
from django.middleware import csrf
from django.template import loader
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import cache_control

# Django's own error views are wrapped in `requires_csrf_token`, which reads the form again for the CSRF
# token: when the form was what could not be read (a body in another charset than UTF-8), that raises once
# more and the 400, 403 or 404 becomes a 500. These views never read the form.


def bad_request(request, exception):
    """400 page. Renders without the database, the session or the request's form, any of which may be at fault."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
    return HttpResponseBadRequest(loader.render_to_string("400.html", context))


def _in_admin(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _forbidden(request, *, expired: bool) -> HttpResponseForbidden:
    """Return a 403 page in the admin's own look under /admin/, in the site's everywhere else.

    `expired` says a form's CSRF check failed, rather than the user's permissions.
    """
    if _in_admin(request):
        context = {**admin.site.each_context(request), "expired": expired,
                   "title": "This form has expired" if expired else "Not allowed"}
        return HttpResponseForbidden(loader.render_to_string("admin/403.html", context, request=request))
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html" if expired else "403.html", request=request))


def permission_denied(request, exception):
    """403 page."""
    return _forbidden(request, expired=False)


# Why a check fails when the reader's CSRF cookie expired, was cleared or was replaced since the form was
# served; the other reasons (a foreign Origin or Referer) are never a reader's own form, and never answered
# with the text they sent.
_EXPIRED = (csrf.REASON_NO_CSRF_COOKIE, csrf.REASON_CSRF_TOKEN_MISSING)


def csrf_failure(request, reason=""):
    """403 for a failed CSRF check (settings.CSRF_FAILURE_VIEW), in the site's own words; never a debug page.

    A view may answer its own form's expired session better (the comment form does: the form again,
    the text kept, a fresh token): it names a `csrf_failure(request, *args, **kwargs)` attribute,
    found here through the URL conf, so this bottom layer needs to import no app.
    """
    if reason in _EXPIRED or reason.startswith(("CSRF token from", "CSRF cookie")):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        owner = getattr(match.func, "view_class", match.func) if match else None
        answer = getattr(owner, "csrf_failure", None)
        if answer is not None:
            try:
                return answer(request, *match.args, **match.kwargs)
            except UnreadablePostError:  # the connection broke mid-form: nobody is waiting for the page
                pass
    return _forbidden(request, expired=True)


def page_not_found(request, exception):
    """404 page."""
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request):
    """500 page; a database outage gets 503 "back soon" instead. Renders without the database."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Send browsers and feed readers that ask for /favicon.ico to the site's icon among its static files."""
    return HttpResponseRedirect(static("favicon.ico"))
