"""Serve a cached page to an anonymous reader before the rest of the middleware runs.

A reader with no session cookie and no messages cookie has no session, no user and no queued
messages, so the session, authentication, messages and account middleware would find nothing
to do, and the view would answer from the page cache (healthsite/pagecache.py) anyway. Here the
same `pagecache.lookup()` answers first, and the page answers as the view has it answer (its
encoding, its ETag or a 304); what the skipped middleware would add to the response (Content-Length,
X-Frame-Options, the Content-Security-Policy) is added by those same middleware classes, and the
middleware above this one (compression, security headers) runs as for any response. The policy of a
page served from the cache takes nothing from the request but its path (no nonce: nothing was
rendered), so django-csp builds it once per path and process (`_BuiltOnce`). Anything else
(a query string, a cookie of the reader's own, a miss, the page cache down) goes down the whole
stack as before.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpResponse
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


class _BuiltOnce:
    """django-csp's middleware for a page served from the cache, building the policy once per path.

    A cached page's response carries no per-view policy, and the request no nonce, so the policy
    depends only on the settings and the path (the prefixes excluded from it): the real middleware
    sets it on an empty response of the same status once, and each hit copies the headers it set.
    """

    MAX_PATHS = 10_000  # the headers of this many paths at most, then start again

    def __init__(self, middleware: CSPMiddleware):
        self.middleware = middleware
        self.built: dict[tuple, list] = {}
        setting_changed.connect(self._forget)

    def _forget(self, **kwargs):
        self.built = {}

    def process_response(self, request, response):
        key = (request.path_info, response.status_code)
        headers = self.built.get(key)
        if headers is None:
            probe = self.middleware.process_response(request, HttpResponse(status=response.status_code))
            headers = [(name, value) for name, value in probe.items() if name.startswith("Content-Security-Policy")]
            if len(self.built) >= self.MAX_PATHS:
                self.built = {}
            self.built[key] = headers
        for name, value in headers:
            if name not in response:
                response[name] = value
        return response


class PageCacheFastPathMiddleware:
    """Answer an anonymous reader's request for a cached page without the session, auth and view layers."""

    def __init__(self, get_response):
        self.get_response = get_response
        below = settings.MIDDLEWARE[settings.MIDDLEWARE.index(f"{__name__}.{type(self).__name__}") + 1:]
        self.acting = [import_string(path)(get_response) for path in below if path in ACTING]
        self.acting = [_BuiltOnce(m) if isinstance(m, CSPMiddleware) else m for m in self.acting]

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
