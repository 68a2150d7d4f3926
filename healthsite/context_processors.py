from django.conf import settings


def site(request):
    """Expose the site's name and absolute address, and the page's canonical URL, to every template."""
    canonical = settings.SITE_URL + request.path
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        canonical += f"?page={page}"
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, "canonical_url": canonical}
