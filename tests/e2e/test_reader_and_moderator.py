"""A reader comments and replies; a moderator approves both; they appear nested. Screenshots and axe."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment
from tests.e2e.conftest import screenshot, serious_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, e2e_settings):
    call_command("loaddemo", stdout=open("/dev/null", "w"))
    moderator = UserFactory(username="moderator", is_staff=True, first_name="Morgan", last_name="Moderator")
    moderator.set_password("moderator-pass")
    moderator.save()
    moderator.user_permissions.add(*Permission.objects.filter(
        codename__in=["moderate_comment", "view_comment", "change_comment"]))
    article = Article.objects.get(slug="baclofen-in-ptsd-treatment")
    return live_server.url, article


def log_in_as_moderator(page, base):
    page.goto(base + "/admin/login/?next=/moderation/")
    page.fill("#id_username", "moderator")
    page.fill("#id_password", "moderator-pass")
    page.click("input[type=submit]")
    page.wait_for_url("**/moderation/")


def test_comment_reply_moderation_and_nesting(site, new_page):
    base, article = site
    reader = new_page(390, 844)
    reader.goto(base + article.get_absolute_url())
    reader.fill("#id_name", "Dana")
    reader.fill("#id_email", "dana@example.com")
    reader.fill("#id_body", "Thank you for writing this.\n\nIt helped me understand GABA.")
    reader.click("text=Post comment")
    assert "Your comment is awaiting moderation" in reader.content()
    mine = Comment.objects.get(name="Dana")

    seed = Comment.objects.get(article=article, body__startswith="I was given baclofen")
    reader.click(f"#comment-{seed.pk} >> text=Reply")
    assert "Replying to Anonymous (not verified)" in reader.inner_text(".replying-to")
    reader.fill("#id_email", "dana@example.com")
    reader.fill("#id_body", "Did it help with sleep too?")
    reader.click("text=Post comment")
    reply = Comment.objects.get(body="Did it help with sleep too?")
    assert reply.parent_id == seed.pk and reply.status == Comment.Status.PENDING

    stranger = new_page()
    stranger.goto(base + article.get_absolute_url())
    assert "Did it help with sleep too?" not in stranger.content()

    moderator = new_page()
    log_in_as_moderator(moderator, base)
    assert moderator.locator(".queue-item").count() == 2
    screenshot(moderator, "moderation-queue-desktop")
    moderator.check(f"#select-{mine.pk}")
    moderator.check(f"#select-{reply.pk}")
    moderator.click(".bulk-actions >> text=Approve")
    # The queue's script sends the act without reloading and reads the result out from its status region.
    moderator.wait_for_function("() => document.getElementById('desk-status').textContent === '2 comments approved.'")
    assert moderator.locator(".queue-item").count() == 0

    stranger.goto(base + article.get_absolute_url())
    nested = stranger.locator(f"#comment-{seed.pk} #comment-{reply.pk}")
    assert nested.count() == 1
    assert nested.locator(".irt").inner_text() == "In reply to by Anonymous (not verified)"
    assert stranger.locator(f"#comment-{mine.pk} header b").inner_text() == "Dana (not verified)"


@pytest.mark.parametrize("width, label", [(390, "phone"), (1280, "desktop")])
def test_screenshots_and_accessibility(site, new_page, width, label):
    base, article = site
    page = new_page(width, 900, bypass_csp=True)  # axe-core is injected as an inline script
    problems = {}
    for name, path in [("home", "/"), ("seed-article", article.get_absolute_url()),
                       ("author", "/authors/michele-rosenthal/")]:
        page.goto(base + path)
        screenshot(page, f"{name}-{label}")
        problems[name] = serious_violations(page)
    log_in_as_moderator(page, base)
    screenshot(page, f"moderation-queue-{label}")
    problems["moderation"] = serious_violations(page)
    assert problems == {"home": [], "seed-article": [], "author": [], "moderation": []}
