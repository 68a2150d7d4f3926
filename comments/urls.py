from django.urls import path

from articles.urls import ARTICLE

from . import accounts, moderate_readers, profile, views

app_name = "comments"
urlpatterns = [
    path(ARTICLE + "comments/", views.CommentCreateView.as_view(), name="post"),
    path("comments/token/", views.FormTokenView.as_view(), name="form_token"),
    path("comments/<pk:pk>/report/", views.ReportView.as_view(), name="report"),
    path("comments/<pk:pk>/edit/", views.CommentEditView.as_view(), name="edit"),
    path("comments/<pk:pk>/delete/", views.CommentDeleteView.as_view(), name="delete"),
    path("comments/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("comments/crisis-help/hide/", views.CrisisHelpHideView.as_view(), name="hide_crisis_help"),
    path("moderation/", views.ModerationQueueView.as_view(), name="moderation"),
    path("moderation/reported/", views.ReportedView.as_view(), name="reported"),
    path("moderation/log/", views.ModerationLogView.as_view(), name="log"),
    path("moderation/numbers/", views.ModerationNumbersView.as_view(), name="numbers"),
    path("moderation/readers/<pk:pk>/", moderate_readers.ReaderActionView.as_view(), name="reader_action"),
    # Reader accounts: allauth's own pages (healthsite/urls.py) with the site's limits in front of three,
    # and the reader's profile.
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/signup/", accounts.SignupView.as_view(), name="signup"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/profile/", profile.ProfileView.as_view(), name="profile"),
    path("accounts/profile/data.json", profile.DataDownloadView.as_view(), name="profile_data"),
    path("accounts/profile/claim/", profile.ClaimCommentsView.as_view(), name="profile_claim"),
    path("accounts/profile/delete/", profile.DeleteAccountView.as_view(), name="profile_delete"),
]
