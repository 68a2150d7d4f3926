from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("authors/", include("authors.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

handler500 = "healthsite.views.server_error"
