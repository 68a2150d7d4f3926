"""Reader accounts through django-allauth: the adapter, the sign-up and reset forms, their limits, staff 2FA.

allauth does the work (sign-up, email confirmation, login by email or username, password reset,
email management, TOTP); this module fits it to the site. Every login attempt is counted per address
and per account by healthsite/login.py, the same rule as the admin's login, and sign-ups and reset
requests per address and per email address in the shared cache (healthsite/counters.py), before
allauth's own limiter (on the "default" cache, never the pages'). Mail carries the site's name and
links on SITE_URL. Settings name these classes by string (healthsite/settings.py).
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account import views as allauth_views
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.http import urlencode

from healthsite import counters, login

from . import readers
from .models import Reader, display_name

RATE_LIMITED = "rate_limited"


def _over_hourly(kind: str, *, request, email: str, per_ip: int, per_email: int) -> bool:
    """Count one `kind` request from this address for this email address; return True if either is over its limit."""
    by_ip = counters.hit(f"accounts:{kind}:ip:{login.client_address(request)}", window=3600)
    by_email = counters.hit(f"accounts:{kind}:email:{email.strip().casefold()}", window=3600)
    return by_ip > per_ip or by_email > per_email


def _on_site(url: str) -> str:
    """Return the address on SITE_URL: mail links never depend on the Host a request came with."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


LOGIN_MISMATCH = "That email address or username and password do not match. Please try again."


class AccountAdapter(DefaultAccountAdapter):
    # One message whichever name was typed and whether or not an account has it.
    error_messages = {**DefaultAccountAdapter.error_messages,
                      "email_password_mismatch": LOGIN_MISMATCH, "username_password_mismatch": LOGIN_MISMATCH}

    def get_client_ip(self, request) -> str:
        ip = login.client_address(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip

    def authenticate(self, request, **credentials):
        """Check a password, counted per address and per account before it is checked (parallel guesses included).

        Raise ValidationError (code "too_many_failures") when either is over its limit.
        """
        account = login.account_key(credentials.get("email") or credentials.get("username") or "")
        login.begin_attempt(request, account=account)
        user = super().authenticate(request, **credentials)
        if user is not None:
            login.succeeded(request, account=account)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send through Django's mail backend, named for the site, with every link on SITE_URL."""
        site = SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        links = {key: _on_site(value) for key, value in context.items() if key.endswith("_url") and isinstance(value, str)}
        super().send_mail(template_prefix, email, {**context, **links, "current_site": site,
                                                   "SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL})


def _labels_only(form) -> None:
    """Drop allauth's placeholders: every field has a label that stays in sight."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _labels_only(self)
        self.fields["login"].label = "Email or username"
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"


class SignupForm(AllauthSignupForm):
    """Email, password (Django's validators) and the display name shown on the reader's comments."""

    display_name = forms.CharField(
        label="Display name", max_length=readers.NAME_MAX,
        help_text="Shown with your comments, 2 to 50 characters. Your email address is never shown.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    field_order = ["display_name", "email", "password1"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _labels_only(self)

    def clean_display_name(self):
        return readers.clean_display_name(self.cleaned_data["display_name"])

    def clean(self):
        cleaned = super().clean()
        request = allauth_context.request
        if not self.errors and _over_hourly("signup", request=request, email=cleaned.get("email", ""),
                                            per_ip=settings.ACCOUNTS_SIGNUPS_PER_HOUR_PER_IP,
                                            per_email=settings.ACCOUNTS_SIGNUPS_PER_HOUR_PER_EMAIL):
            raise ValidationError("Several accounts were asked for from your address or for this email address "
                                  "in a short time. Please try again in an hour.", code=RATE_LIMITED)
        return cleaned

    def custom_signup(self, request, user):
        super().custom_signup(request, user)
        user._comments_reader = Reader.objects.create(user=user, display_name=self.cleaned_data["display_name"])


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _labels_only(self)

    def clean_email(self):
        email = super().clean_email()
        if _over_hourly("reset", request=allauth_context.request, email=email,
                        per_ip=settings.ACCOUNTS_RESETS_PER_HOUR_PER_IP,
                        per_email=settings.ACCOUNTS_RESETS_PER_HOUR_PER_EMAIL):
            raise ValidationError("Several password resets were asked for from your address or for this email "
                                  "address in a short time. Please try again in an hour.", code=RATE_LIMITED)
        return email


class TooManyAttemptsMixin:
    """Answer 429 (Too Many Requests) when the form was refused by a limit, with its message on the page."""

    codes = {RATE_LIMITED, "too_many_failures"}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        errors = [error for field_errors in form.errors.as_data().values() for error in field_errors]
        if any(error.code in self.codes for error in errors):
            response.status_code = 429
        return response


class LoginView(TooManyAttemptsMixin, allauth_views.LoginView):
    pass


class SignupView(TooManyAttemptsMixin, allauth_views.SignupView):
    pass


class PasswordResetView(TooManyAttemptsMixin, allauth_views.PasswordResetView):
    pass


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    """With STAFF_REQUIRE_2FA on, staff reach the admin and /moderation/ only with two-factor authentication.

    Staff who have not enrolled get a page that sends them to enrol; the admin's own login form
    (which knows nothing of a second factor) hands over to /accounts/login/, which asks for the code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_2FA:
            refused = self.refuse(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def refuse(self, request):
        admin = reverse("admin:index")
        if not request.path.startswith((admin, reverse("comments:moderation"))):
            return None
        if request.path == reverse("admin:login"):
            target = request.GET.get("next") or admin
            return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": target}))
        user = request.user
        if request.path == reverse("admin:logout") or not (user.is_authenticated and user.is_staff):
            return None
        if has_two_factor(user):
            return None
        return render(request, "account/staff_2fa_required.html", {
            "activate_url": reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}),
        }, status=403)


def context(request) -> dict:
    """Give templates the logged-in reader's name for the header (looked up only when a page shows it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"account_name": lazy(display_name, str)(user)}
