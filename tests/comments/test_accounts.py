"""Reader accounts: sign-up with a display name, email confirmation, login, reset, enumeration, limits, mail."""

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from comments.models import Reader
from tests import mailsink
from tests.concurrency import parallel_guesses
from tests.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "calm-harbour-lantern-42"


def sign_up(client, *, display_name="Jordan R.", email="jordan@example.com", password=PASSWORD):
    return client.post("/accounts/signup/", {"display_name": display_name, "email": email, "password1": password})


def errors(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [e.get_text(" ", strip=True) for e in page.select(".form-errors li, .field-error-text")]


def log_in(client, login, password=PASSWORD):
    return client.post("/accounts/login/", {"login": login, "password": password})


def reader(username="jordan", email="jordan@example.com", *, verified=True, name="Jordan R."):
    user = UserFactory(username=username, email=email, verified=verified, display_name=name)
    user.set_password(PASSWORD)
    user.save()
    if not verified:
        EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


# Sign-up and confirmation

def test_sign_up_makes_an_unconfirmed_account_with_its_display_name_and_mails_the_link(client, mailoutbox, settings):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(email="jordan@example.com")
    assert Reader.objects.get(user=user).display_name == "Jordan R."
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("jordan@example.com", False)]
    assert "_auth_user_id" not in client.session  # mandatory confirmation: not logged in yet
    [mail] = mailoutbox
    assert mail.subject == "[HealthyPlace] Confirm your email address"
    assert mail.to == ["jordan@example.com"]
    assert mail.body.startswith("Hello from HealthyPlace,")
    assert "Someone, we hope Jordan R., gave this address for an account on HealthyPlace." in mail.body
    assert f"{settings.SITE_URL}/accounts/confirm-email/" in mail.body
    assert "testserver" not in mail.body  # links come from SITE_URL, never from the request's Host


def test_the_link_in_the_mail_confirms_the_address_with_a_button_and_logs_the_reader_in(client, mailoutbox, settings):
    sign_up(client)
    link = mailsink.link(mailoutbox[0], settings.SITE_URL).removeprefix(settings.SITE_URL)
    page = client.get(link)
    assert page.status_code == 200
    assert "Is jordan@example.com your address?" in BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert not EmailAddress.objects.get(email="jordan@example.com").verified  # a GET confirms nothing
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="jordan@example.com").verified
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(email="jordan@example.com").pk)


def test_an_unconfirmed_account_cannot_log_in_and_gets_the_link_again(client, mailoutbox):
    user = reader(verified=False)
    response = log_in(client, "jordan@example.com")
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert [m.to for m in mailoutbox] == [[user.email]]


@pytest.mark.parametrize("name, message", [
    ("J", "Please choose a name of 2 to 50 characters."),
    ("x" * 51, "Ensure this value has at most 50 characters (it has 51)."),
    ("  ..  ", "Please choose a name with letters or digits in it."),
    ("Moderator", "That name belongs to the site and its moderators. Please choose another."),
    ("the moderator team", "That name belongs to the site and its moderators. Please choose another."),
    ("Healthy Place", "That name belongs to the site and its moderators. Please choose another."),
    ("HEALTHYPLACE fan", "That name belongs to the site and its moderators. Please choose another."),
    ("Michele Rosenthal", "That is the name of one of our authors or staff. Please choose another."),
    ("m i c h e l e  rosenthal", "That is the name of one of our authors or staff. Please choose another."),
    ("Mіchele Rоsenthal", "That is the name of one of our authors or staff. Please choose another."),  # Cyrillic і, о
    ("Morgan Staffer", "That is the name of one of our authors or staff. Please choose another."),
    ("mod_morgan", "That is the name of one of our authors or staff. Please choose another."),
])
def test_sign_up_refuses_names_that_pass_for_staff_or_the_site(client, mailoutbox, name, message):
    AuthorFactory(display_name="Michele Rosenthal")
    UserFactory(username="mod_morgan", first_name="Morgan", last_name="Staffer", is_staff=True)
    response = sign_up(client, display_name=name)
    assert response.status_code == 200
    assert errors(response) == [message]
    assert not get_user_model().objects.filter(email="jordan@example.com").exists()
    assert mailoutbox == []


def test_sign_up_checks_the_password_with_djangos_validators(client):
    response = sign_up(client, password="password")
    assert response.status_code == 200
    assert "This password is too common." in errors(response)


# Login

def test_readers_log_in_by_email_or_username_and_staff_by_username(client):
    jordan = reader()
    assert log_in(client, "JORDAN@example.com")["Location"] == "/accounts/profile/"
    assert client.session["_auth_user_id"] == str(jordan.pk)
    other = Client()
    assert log_in(other, "jordan")["Location"] == "/accounts/profile/"
    staff = UserFactory(username="editor", is_staff=True, verified=True)
    staff.set_password(PASSWORD)
    staff.save()
    third = Client()
    assert log_in(third, "editor").status_code == 302
    assert third.session["_auth_user_id"] == str(staff.pk)


def test_header_shows_log_in_or_the_readers_name_and_a_log_out_form(client):
    article = "/"
    page = BeautifulSoup(client.get(article).content, "html.parser")
    assert page.select_one(".site-header .login-link").get_text() == "Log in"
    assert page.select_one(".site-header .login-link")["href"] == "/accounts/login/?next=/"
    client.force_login(reader())
    page = BeautifulSoup(client.get(article).content, "html.parser")
    assert page.select_one(".site-header .account-name").get_text() == "Jordan R."
    form = page.select_one(".site-header form.logout-form")
    assert form["method"] == "post" and form["action"] == "/accounts/logout/"
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert form.button.get_text() == "Log out"


def test_log_out_takes_a_post_not_a_link(client):
    client.force_login(reader())
    assert client.get("/accounts/logout/").status_code == 200  # a page with a button
    assert "_auth_user_id" in client.session
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(get_user_model().objects.get(username="jordan"))
    assert strict.post("/accounts/logout/").status_code == 403  # no CSRF token: refused
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


# Enumeration: the answers do not tell which accounts exist

def test_sign_up_with_an_address_in_use_answers_as_any_sign_up_and_mails_the_owner(client, mailoutbox):
    reader()
    response = sign_up(Client(), display_name="Someone Else")
    fresh = sign_up(Client(), display_name="New Reader", email="new@example.com")
    assert response.status_code == fresh.status_code == 302
    assert response["Location"] == fresh["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.filter(email="jordan@example.com").count() == 1
    taken = next(m for m in mailoutbox if m.to == ["jordan@example.com"])
    assert "an account uses it already" in taken.body


def test_login_failures_read_the_same_for_a_wrong_password_and_an_unknown_account(client):
    reader()
    answers = [log_in(Client(), login, "not-the-password")
               for login in ("jordan@example.com", "nobody@example.com", "jordan", "nobody")]
    assert [a.status_code for a in answers] == [200] * 4
    assert [errors(a) for a in answers] == 4 * [[
        "That email address or username and password do not match. Please try again."]]


def test_password_reset_answers_the_same_for_any_address_and_mails_only_the_address(client, mailoutbox, settings):
    reader()
    known = client.post("/accounts/password/reset/", {"email": "jordan@example.com"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    reset, nobody = mailoutbox
    assert reset.to == ["jordan@example.com"] and reset.subject == "[HealthyPlace] Reset your password"
    assert mailsink.link(reset, settings.SITE_URL).startswith(f"{settings.SITE_URL}/accounts/password/reset/key/")
    assert nobody.to == ["nobody@example.com"] and "no account uses it" in nobody.body


def test_password_reset_from_the_mail_sets_a_new_password(client, mailoutbox, settings):
    user = reader()
    client.post("/accounts/password/reset/", {"email": "jordan@example.com"})
    link = mailsink.link(mailoutbox[0], settings.SITE_URL).removeprefix(settings.SITE_URL)
    form_page = client.get(link, follow=True)
    action = BeautifulSoup(form_page.content, "html.parser").select_one("form.account-form")["action"]
    response = client.post(action, {"password1": "new-quiet-meadow-77", "password2": "new-quiet-meadow-77"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password("new-quiet-meadow-77")
    assert client.get(link, follow=True).context["token_fail"]  # the link works once


# Limits: per address and per account, in the shared cache, counted before the password is checked

def test_failed_logins_lock_the_address_out_with_429(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    reader()
    client = Client(REMOTE_ADDR="203.0.113.60")
    for _ in range(3):
        assert log_in(client, "jordan", "wrong").status_code == 200
    locked = log_in(client, "jordan")  # the right password, too late
    assert locked.status_code == 429
    assert errors(locked) == ["Too many failed logins from your address. Please wait 15 minutes, then try again."]
    assert "_auth_user_id" not in client.session
    assert log_in(Client(REMOTE_ADDR="198.51.100.60"), "jordan").status_code == 302


def test_failed_logins_lock_the_account_out_from_any_address_by_either_name(settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 4
    reader()
    for n, login in enumerate(["jordan", "JORDAN@example.com", "jordan@example.com", "Jordan"]):
        assert log_in(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), login, "wrong").status_code == 200
    locked = log_in(Client(REMOTE_ADDR="198.51.100.7"), "jordan@example.com")
    assert locked.status_code == 429
    assert errors(locked) == ["Too many failed logins for this account. Please wait 15 minutes, then try again, "
                              "or reset your password."]


def test_an_added_address_counts_with_the_accounts_other_names(settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 3
    user = reader()
    EmailAddress.objects.create(user=user, email="jordan.r@example.org", verified=True, primary=False)
    assert log_in(Client(REMOTE_ADDR="203.0.113.30"), "JORDAN.R@example.org").status_code == 302  # a name of the account
    for n, login in enumerate(["jordan.r@example.org", "jordan", "jordan@example.com"]):
        assert log_in(Client(REMOTE_ADDR=f"203.0.113.{n + 31}"), login, "wrong").status_code == 200
    assert log_in(Client(REMOTE_ADDR="198.51.100.30"), "jordan.r@example.org").status_code == 429


def test_an_unknown_account_locks_out_like_a_known_one(settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 2
    reader()
    answers = {}
    for login in ("jordan", "nobody"):
        for n in range(3):
            answers.setdefault(login, []).append(log_in(Client(REMOTE_ADDR=f"203.0.113.{n + 10}"), login, "wrong"))
    assert [r.status_code for r in answers["jordan"]] == [r.status_code for r in answers["nobody"]] == [200, 200, 429]
    assert errors(answers["jordan"][2]) == errors(answers["nobody"][2])


def test_a_successful_login_takes_its_attempt_back(settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    reader()
    client = Client(REMOTE_ADDR="203.0.113.61")
    for _ in range(5):
        assert log_in(client, "jordan").status_code == 302
        client.post("/accounts/logout/")
    assert log_in(client, "jordan", "wrong").status_code == 200
    assert log_in(client, "jordan").status_code == 302


@pytest.mark.django_db(transaction=True)  # the threads read the account from their own connections
def test_parallel_wrong_passwords_get_at_most_the_limit_checked(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    reader()
    statuses = []

    def guess(barrier):
        client = Client(REMOTE_ADDR="203.0.113.62")
        client.get("/accounts/login/")
        barrier.wait()
        statuses.append(log_in(client, "jordan", "guess").status_code)

    checked = parallel_guesses(20, guess, authenticate="allauth.account.adapter.authenticate")
    assert len(checked) == 5
    assert sorted(statuses) == [200] * 5 + [429] * 15


def test_sign_ups_are_limited_per_address_and_per_email(settings, mailoutbox):
    settings.ACCOUNTS_SIGNUPS_PER_HOUR_PER_IP = 2
    settings.ACCOUNTS_SIGNUPS_PER_HOUR_PER_EMAIL = 1
    client = Client(REMOTE_ADDR="203.0.113.70")
    assert sign_up(client, display_name="One", email="one@example.com").status_code == 302
    assert sign_up(Client(REMOTE_ADDR="203.0.113.70"), display_name="Two", email="two@example.com").status_code == 302
    third = sign_up(Client(REMOTE_ADDR="203.0.113.70"), display_name="Three", email="three@example.com")
    assert third.status_code == 429
    assert errors(third) == ["Several accounts were asked for from your address or for this email address in a "
                             "short time. Please try again in an hour."]
    again = sign_up(Client(REMOTE_ADDR="198.51.100.70"), display_name="One Again", email="ONE@example.com")
    assert again.status_code == 429  # one sign-up an hour for one address, whichever address asks
    assert get_user_model().objects.filter(email__in=["three@example.com"]).count() == 0
    assert len(mailoutbox) == 2


def test_password_resets_are_limited_per_email_whether_or_not_it_has_an_account(settings, mailoutbox):
    settings.ACCOUNTS_RESETS_PER_HOUR_PER_EMAIL = 2
    reader()
    for email in ("jordan@example.com", "nobody@example.com"):
        codes = [Client(REMOTE_ADDR=f"203.0.113.{80 + n}").post("/accounts/password/reset/", {"email": email}).status_code
                 for n in range(3)]
        assert codes == [302, 302, 429]
    assert len(mailoutbox) == 4


def test_password_resets_are_limited_per_address(settings):
    settings.ACCOUNTS_RESETS_PER_HOUR_PER_IP = 2
    client = Client(REMOTE_ADDR="203.0.113.90")
    codes = [client.post("/accounts/password/reset/", {"email": f"r{n}@example.com"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]


def test_allauth_counts_in_the_default_cache_and_pages_keep_their_own(settings):
    from django.core.cache import caches

    assert settings.CACHES["pages"]["LOCATION"] != settings.CACHES["default"]["LOCATION"]
    reader()
    log_in(Client(REMOTE_ADDR="203.0.113.91"), "jordan", "wrong")
    assert caches["default"].get("login-failures:203.0.113.91") == 1
    assert caches["pages"].get("login-failures:203.0.113.91") is None


# Mail through a real SMTP server (EMAIL_URL=smtp://127.0.0.1:PORT)

def test_confirmation_and_reset_mail_go_through_smtp(client, smtp_sink, settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    sign_up(client)
    [confirmation] = smtp_sink.wait_for(1)
    assert confirmation["To"] == "jordan@example.com"
    assert confirmation["Subject"] == "[HealthyPlace] Confirm your email address"
    assert confirmation["From"] == settings.DEFAULT_FROM_EMAIL
    link = mailsink.link(confirmation, settings.SITE_URL)
    assert client.post(link.removeprefix(settings.SITE_URL)).status_code == 302
    Client().post("/accounts/password/reset/", {"email": "jordan@example.com"})
    reset = smtp_sink.wait_for(2)[1]
    assert reset["Subject"] == "[HealthyPlace] Reset your password"
    assert mailsink.link(reset, settings.SITE_URL).startswith(f"{settings.SITE_URL}/accounts/password/reset/key/")
