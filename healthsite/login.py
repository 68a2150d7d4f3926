"""Admin login with a per-address limit on failed attempts, counted in the shared cache."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError


def _key(request) -> str:
    return f"login-failures:{request.META.get('REMOTE_ADDR', '')}"


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    def clean(self):
        key = _key(self.request)
        if (cache.get(key) or 0) >= settings.LOGIN_FAILURE_LIMIT:
            minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
            raise ValidationError(
                f"Too many failed logins from your address. Please wait {minutes} minutes, then try again.",
                code="too_many_failures")
        try:
            return super().clean()
        except ValidationError:
            cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
            raise
