"""Limits on failed logins, per address and per account, counted in the shared cache.

One rule for every login page (the admin's and the readers' at /accounts/login/): each attempt is
counted before its password is checked and taken back when it succeeds, so parallel guesses get no
more checks than the limit. An account that does not exist is counted like one that does, so a
lockout tells nothing about which accounts exist.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from . import counters
from .clientip import client_ip


def client_address(request) -> str:
    """Return the address a request comes from, as the limits count it (behind trusted proxies, the client's)."""
    return client_ip(request) or ""


def account_key(login: str) -> str:
    """Return the key failures on `login` (a username or an email address) count under.

    Every name of one account counts together (its username, its email, and with allauth any other
    address it has added); a name no account has counts as itself.
    """
    login = (login or "").strip()
    User = get_user_model()
    names = Q(username__iexact=login) | Q(email__iexact=login)
    if apps.is_installed("allauth.account"):  # readers' other addresses log in too
        names |= Q(emailaddress__email__iexact=login)
    pk = (User.objects.filter(names).order_by("pk").values_list("pk", flat=True).first()) if login else None
    return f"user:{pk}" if pk is not None else f"login:{login.casefold()}"


def _keys(request, account: str) -> dict[str, tuple[str, int]]:
    return {"address": (f"login-failures:{client_address(request)}", settings.LOGIN_FAILURE_LIMIT),
            "account": (f"login-failures:account:{account}", settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT)}


def begin_attempt(request, *, account: str) -> None:
    """Count a login attempt from this address on this account; raise ValidationError if either is over its limit.

    `account` is `account_key(login)`. Call `succeeded()` when the password turns out right.
    """
    minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
    messages = {
        "address": f"Too many failed logins from your address. Please wait {minutes} minutes, then try again.",
        "account": f"Too many failed logins for this account. Please wait {minutes} minutes, then try again, "
                   "or reset your password.",
    }
    # The account is counted only once the address is within its limit, so that of parallel guesses
    # from one address exactly the address's limit reach the password check.
    for name, (key, limit) in _keys(request, account).items():
        if counters.hit(key, window=settings.LOGIN_LOCKOUT_SECONDS) > limit:
            raise ValidationError(messages[name], code="too_many_failures")


def succeeded(request, *, account: str) -> None:
    """Take back the attempt counted by `begin_attempt()`: the password was right."""
    for key, _ in _keys(request, account).values():
        counters.undo(key)


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    def clean(self):
        account = account_key(self.data.get("username", ""))
        begin_attempt(self.request, account=account)
        cleaned_data = super().clean()
        succeeded(self.request, account=account)
        return cleaned_data
