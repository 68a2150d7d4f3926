"""A reader's profile at /accounts/profile/: name and reply mail, their comments, their data, claiming, deletion."""

import json

from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View

from . import privacy, readers
from .models import Comment, display_name, is_verified, reader_of

# What the reader sees of each of their comments' status.
STATUS_LABELS = {
    "pending": "Awaiting moderation",
    "approved": "Published",
    "rejected": "Rejected",
    "spam": "Rejected",
    "removed": "Removed",
}


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name", max_length=readers.NAME_MAX,
        help_text="Shown with your comments, 2 to 50 characters.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    notify_replies = forms.BooleanField(
        required=False, label="Email me when someone replies to one of my comments",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_display_name(self):
        return readers.clean_display_name(self.cleaned_data["display_name"], user=self.user)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProfileView(LoginRequiredMixin, View):
    template_name = "comments/profile.html"
    comments_per_page = 20

    def render_page(self, request, form, status=200):
        user = request.user
        mine = Comment.objects.filter(user=user).select_related("article__blog").order_by("-created_at", "-pk")
        page = Paginator(mine, self.comments_per_page).get_page(request.GET.get("page"))
        for comment in page.object_list:
            comment.shown_status = privacy.status_of(comment)
            comment.status_label = STATUS_LABELS[comment.shown_status]
        reader = reader_of(user)
        return render(request, self.template_name, {
            "form": form,
            "comment_page": page,
            "claimable_count": privacy.claimable(user=user).count(),
            "verified": is_verified(user),
            "reader": reader,
            "suspended": readers.is_suspended(user),
        }, status=status)

    def get(self, request):
        reader = reader_of(request.user)
        form = ProfileForm(user=request.user, initial={
            "display_name": display_name(request.user),
            "notify_replies": reader.notify_replies if reader else False,
        })
        return self.render_page(request, form)

    def post(self, request):
        form = ProfileForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        readers.update_profile(user=request.user, display_name=form.cleaned_data["display_name"],
                               notify_replies=form.cleaned_data["notify_replies"])
        messages.success(request, "Your profile is saved.")
        return redirect("comments:profile")


class DataDownloadView(LoginRequiredMixin, View):
    """Everything the site keeps about the account, as a JSON file."""

    def get(self, request):
        data = privacy.export_data(user=request.user)
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False),
                                content_type="application/json; charset=utf-8")
        name = f"{settings.SITE_NAME}-{request.user.get_username()}-data.json".replace(" ", "-")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        response["Cache-Control"] = "private, no-store"
        return response


class ClaimCommentsView(LoginRequiredMixin, View):
    """Add earlier anonymous comments made with one of the account's confirmed addresses to the account."""

    def post(self, request):
        claimed = privacy.claim_comments(user=request.user)
        if claimed:
            messages.success(request, f"{claimed} earlier comment{'s' if claimed != 1 else ''} added to your account.")
        else:
            messages.info(request, "There were no earlier comments with your confirmed email addresses.")
        return redirect("comments:profile")


class DeleteAccountView(LoginRequiredMixin, View):
    """Delete the account, after the reader types their password."""

    template_name = "comments/profile_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_staff:
            return render(request, self.template_name, {"staff": True}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": DeleteAccountForm()})

    def post(self, request):
        form = DeleteAccountForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            right = get_adapter(request).reauthenticate(request.user, form.cleaned_data["password"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return render(request, self.template_name, {"form": form}, status=429)
        if not right:
            form.add_error("password", "That is not your password. Your account is kept.")
            return render(request, self.template_name, {"form": form}, status=400)
        user = request.user
        get_adapter(request).logout(request)
        privacy.delete_account(user=user)
        messages.success(request, "Your account is deleted, and your comments with it.")
        return redirect(reverse("articles:home"))
