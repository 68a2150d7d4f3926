from django.contrib import admin
from django.urls import include, path

from healthsite.login import ThrottledAdminLoginForm

admin.site.login_form = ThrottledAdminLoginForm
admin.site.site_header = "healthsite administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("authors/", include("authors.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

handler500 = "healthsite.views.server_error"
