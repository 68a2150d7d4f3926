from django.urls import path

from articles.urls import ARTICLE

from . import views

app_name = "comments"
urlpatterns = [
    path(ARTICLE + "comments/", views.CommentCreateView.as_view(), name="post"),
]
