"""The site's URLs plus /media/ served from MEDIA_ROOT (read at each request), for browser tests of uploads."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)\Z", media), path("", include("healthsite.urls"))]
