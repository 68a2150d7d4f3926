"""Start-up checks of the settings (`manage.py check`)."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.files.storage import default_storage


@register()
def media_url_matches_the_storage(app_configs, **kwargs):
    """Pages, the article allowlist and the Content-Security-Policy trust MEDIA_URL: the storage must serve there."""
    probe = "renditions/probe-480w.jpg"
    url = default_storage.url(probe)
    if url.startswith(settings.MEDIA_URL) or url.startswith("/" + settings.MEDIA_URL.lstrip("/")):
        return []
    return [Error(f"The media storage serves {probe} at {url}, outside MEDIA_URL ({settings.MEDIA_URL}).",
                  hint="Set AWS_S3_ADDRESSING_STYLE or AWS_S3_CUSTOM_DOMAIN to match the storage's addresses.",
                  id="healthsite.E001")]
