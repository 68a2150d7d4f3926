"""Refuse requests that carry a NUL character before any view or query sees them."""

from django.core.exceptions import BadRequest
from django.http import UnreadablePostError

NUL = "\x00"


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


def refuse_nul_characters(get_response):
    """Answer 400 when the path, the query string or a form field (name or value) holds a NUL.

    No text column stores one (PostgreSQL raises DataError) and no reader types one, so such a request is
    refused whole rather than left to fail deep inside a view. (Django drops it from uploaded files' names.)
    """

    def middleware(request):
        if NUL in request.path or _has_nul(request.GET) or (request.method == "POST" and _posted_nul(request)):
            raise BadRequest("The request contains a NUL character.")
        return get_response(request)

    return middleware


def _posted_nul(request) -> bool:
    try:
        return _has_nul(request.POST)  # a body Django cannot read raises BadRequest itself: 400
    except UnreadablePostError:
        return False  # the client went away; the view meets the same error and Django answers it
