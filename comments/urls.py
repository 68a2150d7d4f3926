from django.urls import path

from articles.urls import ARTICLE

from . import views

app_name = "comments"
urlpatterns = [
    path(ARTICLE + "comments/", views.CommentCreateView.as_view(), name="post"),
    path("comments/<pk:pk>/report/", views.ReportView.as_view(), name="report"),
    path("comments/<pk:pk>/edit/", views.CommentEditView.as_view(), name="edit"),
    path("comments/<pk:pk>/delete/", views.CommentDeleteView.as_view(), name="delete"),
    path("comments/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("comments/crisis-help/hide/", views.CrisisHelpHideView.as_view(), name="hide_crisis_help"),
    path("moderation/", views.ModerationQueueView.as_view(), name="moderation"),
    path("moderation/reported/", views.ReportedView.as_view(), name="reported"),
    path("moderation/log/", views.ModerationLogView.as_view(), name="log"),
    path("moderation/numbers/", views.ModerationNumbersView.as_view(), name="numbers"),
]
