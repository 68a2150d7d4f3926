"""Staff two-factor authentication (allauth MFA: TOTP and recovery codes) behind STAFF_REQUIRE_2FA."""

import datetime

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "calm-harbour-lantern-42"
NOW = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def moderator():
    user = UserFactory(username="moderator", is_staff=True, verified=True)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def log_in(client, login="moderator", password=PASSWORD, **query):
    path = "/accounts/login/" + (f"?next={query['next']}" if query else "")
    return client.post(path, {"login": login, "password": password})


def start_enrolment(client):
    """Open the authenticator page, typing the password again first as allauth asks; return the secret."""
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    back = client.post(asked["Location"], {"password": PASSWORD})
    assert back["Location"] == "/accounts/2fa/totp/activate/"
    return client.get(back["Location"])


def test_with_the_setting_off_staff_use_the_admin_and_the_queue_without_a_second_factor(client, moderator, settings):
    settings.STAFF_REQUIRE_2FA = False
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/moderation/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/comments/comment/", "/moderation/"])
def test_with_the_setting_on_staff_must_enrol_before_the_admin_or_the_queue(client, moderator, settings, path):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(moderator)
    response = client.get(path)
    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Set up two-factor authentication"
    assert page.select_one("a.button-link")["href"] == f"/accounts/2fa/totp/activate/?next={path.replace('/', '%2F')}"


def test_with_the_setting_on_the_admin_login_hands_over_to_the_login_that_asks_for_the_code(client, settings):
    settings.STAFF_REQUIRE_2FA = True
    response = client.get("/admin/login/?next=/admin/articles/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Farticles%2F"
    assert client.post("/admin/login/", {"username": "moderator", "password": PASSWORD}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_readers_are_not_asked_for_a_second_factor(client, settings):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(UserFactory(username="jordan", verified=True))
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/moderation/").status_code == 403  # not a moderator: Django's own refusal
    assert "Set up two-factor authentication" not in client.get("/moderation/").content.decode()


def test_staff_enrol_with_an_authenticator_code_then_log_in_with_one(client, moderator, settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.STAFF_REQUIRE_2FA = True
    assert log_in(client, next="/moderation/")["Location"] == "/moderation/"
    assert client.get("/moderation/").status_code == 403
    activate = start_enrolment(client)
    assert activate.status_code == 200
    secret = activate.context["form"].secret
    page = BeautifulSoup(activate.content, "html.parser")
    assert page.select_one("img")["src"].startswith("data:image/svg+xml;base64,")  # the QR code, no script
    assert page.select_one("#authenticator_secret")["value"] == secret  # to type in by hand
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.exists()
    done = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and done["Location"] == "/accounts/2fa/recovery-codes/"
    assert sorted(Authenticator.objects.filter(user=moderator).values_list("type", flat=True)) == [
        "recovery_codes", "totp"]
    assert client.get("/moderation/").status_code == 200
    assert client.get("/admin/").status_code == 200

    # Next time, the password alone is not enough.
    time_machine.move_to(NOW + datetime.timedelta(minutes=5), tick=False)
    later = Client()
    response = log_in(later, next="/admin/")
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in later.session
    assert later.get("/admin/", follow=True).redirect_chain[-1][0] == "/accounts/2fa/authenticate/"
    assert later.post("/accounts/2fa/authenticate/", {"code": "123456"}).status_code == 200
    assert "_auth_user_id" not in later.session
    finished = later.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert finished.status_code == 302 and finished["Location"] == "/admin/"
    assert later.get("/admin/").status_code == 200


def test_a_recovery_code_stands_in_for_the_authenticator(client, moderator, settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.STAFF_REQUIRE_2FA = True
    log_in(client)
    secret = start_enrolment(client).context["form"].secret
    client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    codes = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"]
    assert len(codes) == 10
    other = Client()
    log_in(other)
    assert other.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert other.get("/moderation/").status_code == 200
