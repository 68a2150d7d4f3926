import sys

from django.conf import settings
from django.db import DatabaseError
from django.http import (
    HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError,
)
from django.template import loader

# Django's own error views are wrapped in `requires_csrf_token`, which reads the form again for the CSRF
# token: when the form was what could not be read (a body in another charset than UTF-8), that raises once
# more and the 400, 403 or 404 becomes a 500. These views never read the form.


def bad_request(request, exception):
    """400 page. Renders without the database, the session or the request's form, any of which may be at fault."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
    return HttpResponseBadRequest(loader.render_to_string("400.html", context))


def permission_denied(request, exception):
    """403 page."""
    return HttpResponseForbidden(loader.render_to_string("403.html", request=request))


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
