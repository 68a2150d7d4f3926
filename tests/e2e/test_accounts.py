"""Reader accounts in Chromium, with the mail going through a real SMTP server (aiosmtpd).

Sign up, confirm from the mail, comment, earn trust; reset a password from the mail; change the
name, download the data, delete the account; be suspended; meet the login limits; enrol staff 2FA.
"""

import datetime
import json

import pyotp
import pytest
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment, Reader
from tests import mailsink
from tests.e2e.conftest import screenshot, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "e2e-pass-lantern-42"


@pytest.fixture
def site(live_server, e2e_settings, role_groups, smtp_sink):
    """The demo site with its users (every address confirmed), mail to the SMTP sink, links on the live server."""
    e2e_settings.SITE_URL = live_server.url
    call_command("loaddemo", "--password", PASSWORD, stdout=open("/dev/null", "w"))
    article = Article.objects.get(slug="baclofen-in-ptsd-treatment")
    return live_server.url, article, smtp_sink


def log_in(page, base, login, password=PASSWORD, then=""):
    page.goto(f"{base}/accounts/login/" + (f"?next={then}" if then else ""))
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    page.click("form.account-form button[type=submit]")


def post_comment(page, body):
    page.fill("#id_body", body)
    page.click("text=Post comment")


def test_sign_up_confirm_comment_and_the_fourth_appears_at_once(site, new_page):
    base, article, sink = site
    reader = new_page(390, 844)
    reader.goto(base + article.get_absolute_url())
    reader.click("#reply .note >> text=sign up")
    reader.fill("#id_display_name", "Dana K.")
    reader.fill("#id_email", "dana@example.com")
    reader.fill("#id_password1", "quiet-river-stones-8")
    screenshot(reader, "signup-phone")
    reader.click("form.account-form button[type=submit]")
    assert reader.inner_text("h1") == "Confirm your email address"

    [mail] = sink.wait_for(1)
    assert mail["To"] == "dana@example.com" and mail["Subject"] == "[HealthyPlace] Confirm your email address"
    reader.goto(mailsink.link(mail, base))
    reader.click("form.account-form button[type=submit]")
    assert reader.inner_text(".site-header .account-name") == "Dana K."

    reader.goto(base + article.get_absolute_url())
    assert reader.inner_text(".posting-as") == "Posting as Dana K."
    assert reader.locator("#id_email").count() == 0 and reader.locator("#id_name").count() == 0
    first = "Thank you for writing this. GABA makes sense of my evenings."
    post_comment(reader, first)
    mine = Comment.objects.get(body=first)
    assert reader.inner_text(f"#comment-{mine.pk} .pending-note") == "Your comment is awaiting moderation"
    assert reader.inner_text(f"#comment-{mine.pk} header b") == "Dana K."
    for n in (2, 3):
        reader.goto(base + article.get_absolute_url())
        post_comment(reader, f"Comment number {n} from Dana.")
    assert Comment.objects.filter(user__email="dana@example.com", status="pending").count() == 3

    moderator = new_page()
    log_in(moderator, base, "moderator", then="/moderation/")
    moderator.wait_for_url("**/moderation/")
    for comment in Comment.objects.filter(user__email="dana@example.com"):
        moderator.check(f"#select-{comment.pk}")
    moderator.click(".bulk-actions >> text=Approve")
    moderator.wait_for_function(
        "() => document.getElementById('desk-status').textContent.includes('3 comments approved.')")

    reader.goto(base + article.get_absolute_url())
    fourth = "And a fourth, now that I am known here."
    post_comment(reader, fourth)
    assert "Thank you. Your comment is published." in reader.inner_text(".messages")
    published = Comment.objects.get(body=fourth)
    assert published.status == Comment.Status.APPROVED
    stranger = new_page()
    stranger.goto(base + article.get_absolute_url())
    assert stranger.inner_text(f"#comment-{published.pk} header b") == "Dana K."
    assert "(not verified)" not in stranger.inner_text(f"#comment-{published.pk} header")
    screenshot(reader, "verified-comment-phone")


def test_password_reset_from_the_mail(site, new_page):
    base, _, sink = site
    page = new_page(390, 844)
    page.goto(base + "/accounts/login/")
    page.click("text=Forgot your password?")
    page.fill("#id_email", "reader@example.com")
    page.click("text=Send me the link")
    assert page.inner_text("h1") == "Check your mail"
    [mail] = sink.wait_for(1)
    assert mail["Subject"] == "[HealthyPlace] Reset your password"
    page.goto(mailsink.link(mail, base))
    page.fill("#id_password1", "new-harbour-lights-5")
    page.fill("#id_password2", "new-harbour-lights-5")
    page.click("text=Save my new password")
    assert page.inner_text("h1") == "Password changed"
    log_in(page, base, "reader@example.com", "new-harbour-lights-5")
    page.wait_for_url("**/accounts/profile/")
    assert page.inner_text(".site-header .account-name") == "Jordan R."


def test_profile_name_data_download_and_account_deletion(site, new_page):
    base, article, _ = site
    seed = Comment.objects.get(article=article, body__startswith="I was given baclofen")
    page = new_page(390, 844)
    log_in(page, base, "reader")
    page.wait_for_url("**/accounts/profile/")
    page.goto(f"{base}{article.get_absolute_url()}?replyto={seed.pk}#reply")
    post_comment(page, "A reply of mine that someone will answer.")
    answered = Comment.objects.get(body="A reply of mine that someone will answer.")
    answered.status = Comment.Status.APPROVED
    answered.save()
    answer = Comment(article=article, parent=answered, name="Eli", email="eli@example.com", body="Answering Jordan.",
                     status=Comment.Status.APPROVED)
    answer.save()
    page.goto(base + article.get_absolute_url())
    post_comment(page, "A comment nobody answers.")

    page.goto(base + "/accounts/profile/")
    page.fill("#id_display_name", "Jordan Rivers")
    page.check("#id_notify_replies")
    page.click("text=Save")
    assert page.inner_text(".messages") == "Your profile is saved."
    assert page.inner_text(".site-header .account-name") == "Jordan Rivers"
    statuses = page.locator(".my-comment .status").all_inner_texts()
    assert statuses == ["Awaiting moderation", "Published"]
    screenshot(page, "profile-phone")

    with page.expect_download() as download:
        page.click("text=Download your data")
    data = json.loads(open(download.value.path()).read())
    assert download.value.suggested_filename == "HealthyPlace-reader-data.json"
    assert data["account"]["display_name"] == "Jordan Rivers" and data["account"]["reply_emails"] is True
    assert data["account"]["emails"] == [{"email": "reader@example.com", "verified": True, "primary": True}]
    assert [(c["body"], c["status"], c["in_reply_to"]) for c in data["comments"]] == [
        ("A reply of mine that someone will answer.", "approved", seed.pk),
        ("A comment nobody answers.", "pending", None)]

    page.click("text=Delete your account")
    page.fill("#id_password", "not-my-password")
    page.click("button.danger")
    assert "That is not your password. Your account is kept." in page.inner_text(".field-error-text")
    page.fill("#id_password", PASSWORD)
    page.click("button.danger")
    assert page.inner_text(".messages") == "Your account is deleted, and your comments with it."
    assert page.locator(".site-header .login-link").count() == 1

    page.goto(base + article.get_absolute_url())
    assert page.inner_text(f"#comment-{answered.pk} > .removed") == "This comment was removed."
    assert page.inner_text(f"#comment-{answered.pk} #comment-{answer.pk} .irt") == "In reply to a hidden comment"
    assert "A comment nobody answers." not in page.content()
    assert not Comment.objects.filter(body="A comment nobody answers.").exists()
    assert not Reader.objects.filter(display_name="Jordan Rivers").exists()


def test_a_suspended_reader_is_told_so(site, new_page):
    base, article, _ = site
    reader = new_page(390, 844)
    log_in(reader, base, "reader")
    reader.wait_for_url("**/accounts/profile/")
    reader.goto(base + article.get_absolute_url())
    post_comment(reader, "Something a moderator will not like.")
    comment = Comment.objects.get(body="Something a moderator will not like.")

    moderator = new_page()
    log_in(moderator, base, "moderator", then="/moderation/")
    moderator.wait_for_url("**/moderation/")
    moderator.click(f"#pending-{comment.pk} .reader-actions >> text=Suspend")
    assert moderator.inner_text(".messages") == "Jordan R. is suspended: they cannot post until reinstated."
    assert "suspended" in moderator.inner_text(f"#pending-{comment.pk} .reader-actions")

    reader.goto(base + article.get_absolute_url())
    assert reader.inner_text(".account-prompt") == (
        "Your account is suspended, so you cannot post comments. You can still read every article and comment.")
    assert reader.locator("#reply form").count() == 0
    reader.goto(base + "/accounts/profile/")
    assert "Your account is suspended by the moderators" in reader.inner_text("[role=alert]")


def test_login_failures_read_alike_and_lock_out_with_a_message(site, new_page, e2e_settings):
    e2e_settings.LOGIN_FAILURE_LIMIT = 3
    base, _, _ = site
    page = new_page(390, 844)
    answers = []
    for login in ("reader@example.com", "nobody@example.com", "reader"):
        log_in(page, base, login, "wrong-password")
        answers.append(page.inner_text(".form-errors"))
    assert answers == ["That email address or username and password do not match. Please try again."] * 3
    log_in(page, base, "reader")
    assert page.inner_text(".form-errors") == (
        "Too many failed logins from your address. Please wait 15 minutes, then try again.")
    screenshot(page, "login-locked-phone")


def test_staff_enrol_two_factor_authentication_with_a_code(site, new_page, e2e_settings, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC), tick=True)
    e2e_settings.STAFF_REQUIRE_2FA = True
    base, _, _ = site
    page = new_page(390, 844)
    page.goto(base + "/admin/")
    page.wait_for_url("**/accounts/login/**")
    log_in(page, base, "moderator", then="/moderation/")
    page.wait_for_url("**/moderation/")
    assert page.inner_text("h1") == "Set up two-factor authentication"
    page.click("text=Set up an authenticator app")
    page.fill("#id_password", PASSWORD)  # allauth asks for the password again before adding an authenticator
    page.click("form.account-form button[type=submit]")
    secret = page.input_value("#authenticator_secret")
    screenshot(page, "totp-activate-phone")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("form.account-form button[type=submit]")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    page.goto(base + "/moderation/")
    assert page.inner_text("h1") == "Moderation queue"

    time_machine.shift(datetime.timedelta(seconds=60))  # a fresh code: each one works once
    later = new_page()
    log_in(later, base, "moderator", then="/moderation/")
    later.wait_for_url("**/accounts/2fa/authenticate/**")
    later.fill("#id_code", pyotp.TOTP(secret).now())
    later.click("form.account-form button[type=submit]")
    later.wait_for_url("**/moderation/")
    assert later.inner_text("h1") == "Moderation queue"


@pytest.mark.parametrize("width, label", [(390, "phone"), (1280, "desktop")])
def test_account_pages_are_accessible(site, new_page, width, label):
    base, _, _ = site
    page = new_page(width, 900, bypass_csp=True)  # axe-core is injected as an inline script
    problems = {}
    for name, path in [("login", "/accounts/login/"), ("signup", "/accounts/signup/"),
                       ("password-reset", "/accounts/password/reset/")]:
        page.goto(base + path)
        screenshot(page, f"{name}-{label}")
        problems[name] = serious_violations(page)
    log_in(page, base, "reader")
    page.wait_for_url("**/accounts/profile/")
    for name, path in [("profile", "/accounts/profile/"), ("emails", "/accounts/email/"),
                       ("delete-account", "/accounts/profile/delete/")]:
        page.goto(base + path)
        screenshot(page, f"{name}-{label}")
        problems[name] = serious_violations(page)
    assert problems == {name: [] for name in problems}
    # Nothing overflows a phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
