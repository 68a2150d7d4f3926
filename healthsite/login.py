"""Admin login with a per-address limit on failed attempts, counted in the shared cache."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from . import counters
from .clientip import client_ip


def _key(request) -> str:
    return f"login-failures:{client_ip(request) or ''}"


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    def clean(self):
        # Count the attempt before checking the password, and take it back if it succeeds: parallel
        # guesses each get their own count, so no more than the limit are ever checked.
        key = _key(self.request)
        if counters.hit(key, window=settings.LOGIN_LOCKOUT_SECONDS) > settings.LOGIN_FAILURE_LIMIT:
            minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
            raise ValidationError(
                f"Too many failed logins from your address. Please wait {minutes} minutes, then try again.",
                code="too_many_failures")
        cleaned_data = super().clean()
        counters.undo(key)
        return cleaned_data
