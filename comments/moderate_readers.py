"""Moderators' acts from the queue on readers' accounts: trust and suspension."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from . import moderation

READER_ACTIONS = {
    "grant": (moderation.grant_trust, "{name}'s comments now appear at once."),
    "revoke": (moderation.revoke_trust, "{name}'s comments now wait for a moderator."),
    "reset": (moderation.reset_trust, "{name}'s trust follows the rule again."),
    "suspend": (moderation.suspend, "{name} is suspended: they cannot post until reinstated."),
    "unsuspend": (moderation.unsuspend, "{name} may post again."),
}


class ModeratorOnlyMixin(PermissionRequiredMixin):
    permission_required = "comments.moderate_comment"

    def back(self, request):
        """Return to the page the moderator acted from (a page of this site), else the queue."""
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = reverse("comments:moderation")
        return redirect(target)


class ReaderActionView(ModeratorOnlyMixin, View):
    """Grant, revoke or reset a reader's trust, or suspend or reinstate them (POST, CSRF)."""

    def post(self, request, pk):
        user = get_object_or_404(get_user_model(), pk=pk)
        action = READER_ACTIONS.get(request.POST.get("reader_action", ""))
        if action is None:
            messages.error(request, "Choose what to do with this reader.")
            return self.back(request)
        act, done = action
        try:
            reader = act(user=user, by=request.user)
        except ValidationError as refusal:
            messages.error(request, refusal.message)
            return self.back(request)
        messages.success(request, done.format(name=reader.display_name))
        return self.back(request)
