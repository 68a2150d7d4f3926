from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from healthsite.admin import view_on_site
from healthsite.login import ThrottledAdminLoginForm

from . import health, views

admin.site.login_form = ThrottledAdminLoginForm
admin.site.site_header = "healthsite administration"

urlpatterns = [
    # Before the admin's own "r/" route (Django's shortcut view), which it replaces.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("", include("comments.urls")),  # before allauth: the site's limits on its login, sign-up and reset pages
    path("accounts/", include("allauth.urls")),
    path("", include("articles.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)  # development only: empty unless DEBUG

handler400 = "healthsite.views.bad_request"
handler403 = "healthsite.views.permission_denied"
handler404 = "healthsite.views.page_not_found"
handler500 = "healthsite.views.server_error"
