"""Serve a cached page to an anonymous reader before the rest of the middleware runs.

A reader with no session cookie and no messages cookie has no session, no user and no queued
messages, so the session, authentication, messages and account middleware would find nothing
to do, and the view would answer from the page cache (healthsite/pagecache.py) anyway. Here the
same `pagecache.lookup()` answers first, and the page answers as the view has it answer (its
encoding, its ETag or a 304); what the skipped middleware would add to the response (Content-Length,
X-Frame-Options, the Content-Security-Policy) is added by those same middleware classes, and the
middleware above this one (compression, security headers) runs as for any response. Anything else
(a query string, a cookie of the reader's own, a miss, the page cache down) goes down the whole
stack as before.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from . import pagecache

# Middleware below this one that acts on an anonymous reader's cached page, run here in MIDDLEWARE's order.
ACTING = (
    "django.middleware.common.CommonMiddleware",  # refuses a Host not allowed; Content-Length
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
)


def _may_share(request) -> bool:
    """Return True if the request asks for the page every anonymous reader shares, and may get it."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and settings.PAGE_CACHE_SECONDS > 0
    )


class PageCacheFastPathMiddleware:
    """Answer an anonymous reader's request for a cached page without the session, auth and view layers."""

    def __init__(self, get_response):
        self.get_response = get_response
        below = settings.MIDDLEWARE[settings.MIDDLEWARE.index(f"{__name__}.{type(self).__name__}") + 1:]
        self.acting = [import_string(path)(get_response) for path in below if path in ACTING]

    def __call__(self, request):
        if _may_share(request):
            response = self.hit(request)
            if response is not None:
                return response
        return self.get_response(request)

    def hit(self, request):
        """Return the cached page with the headers the whole stack gives it, or None to take the whole stack."""
        for middleware in self.acting:
            if hasattr(middleware, "process_request") and middleware.process_request(request) is not None:
                return None  # e.g. a redirect: the whole stack answers it
        page, _ = pagecache.lookup(request, variant="")
        if page is None:
            return None
        response = page.respond(request, hit=True)
        for middleware in reversed(self.acting):
            response = middleware.process_response(request, response)
        return response
