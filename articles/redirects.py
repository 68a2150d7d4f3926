"""Old addresses of articles that moved here: a 301 to the article, where the site would answer 404.

Django's redirects app acts only on 404s too, but knows nothing of articles; and the old site's
`/?p=<id>` address is this site's home page, so the home page view asks `target` itself.
"""

from django.http import HttpResponsePermanentRedirect

from .models import Article, Redirect


def old_path(path: str, query: str = "") -> str:
    """Return how a redirect stores an address: the path, and its query if it has one."""
    return f"{path}?{query}" if query else path


def target(path: str, query: str = "") -> str | None:
    """Return the address of the public article an old path now leads to, or None."""
    with_slash = path if path.endswith("/") else path + "/"
    candidates = {old_path(p, query) for p in (path, with_slash, path.rstrip("/") or "/")}
    found = (
        Redirect.objects.filter(old_path__in=candidates, article__in=Article.objects.published())
        .select_related("article__blog").order_by("old_path").first()
    )
    return found.article.get_absolute_url() if found else None


class RedirectFallbackMiddleware:
    """Answer a 404 with a 301 when the address is an imported article's old one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        url = target(request.path, request.META.get("QUERY_STRING", ""))
        return HttpResponsePermanentRedirect(url) if url else response
