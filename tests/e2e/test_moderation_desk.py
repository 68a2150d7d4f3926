"""A moderator works through the queue with the keyboard, replies from it, and reads every act in the log.

Three comments come in as a new reader would post them (crisis language, a dose, a blocklisted
word) and two ordinary ones; screenshots at 390 and 1280 pixels; axe-core on the desk's pages.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment, ModerationRule
from tests.e2e.conftest import screenshot, serious_violations
from tests.e2e.test_reader_and_moderator import log_in_as_moderator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

POSTS = [
    ("Robin", "I can't do this anymore. I want to end it all."),
    ("Sam", "What worked for me: 20 mg twice daily, and I split a pill on bad days."),
    ("Lucky", "Win big at the CASINO tonight"),
    ("Dana", "Has anyone tried breathing exercises for the night terrors?"),
    ("Max", "Buy followers cheap, message me"),
]


@pytest.fixture
def desk(live_server, e2e_settings):
    e2e_settings.COMMENTS_RATE_LIMITS = [(60, 50), (3600, 500)]
    e2e_settings.COMMENTS_URGENT_MINUTES = 0  # the crisis comment is overdue at once: the banner shows
    call_command("loaddemo", stdout=open("/dev/null", "w"))
    moderator = UserFactory(username="moderator", is_staff=True, first_name="Morgan", last_name="Moderator",
                            email="moderator@example.com")
    moderator.set_password("moderator-pass")
    moderator.save()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    ModerationRule.objects.create(effect="spam", kind="word", value="casino", note="Gambling spam")
    return live_server.url, Article.objects.get(slug="baclofen-in-ptsd-treatment")


def post_as_a_reader(page, base, article):
    for name, body in POSTS:
        page.goto(base + article.get_absolute_url())
        page.fill("#id_name", name)
        page.fill("#id_email", f"{name.lower()}@example.com")
        page.fill("#id_body", body)
        page.click("text=Post comment")
        assert "Your comment is awaiting moderation" in page.content()
        # Whatever happens to the comment, a poster in crisis is shown where to find help, and it stays
        # for the session (Robin posts first) until the reader hides it.
        assert page.locator(".crisis").count() == 1
    return {name: Comment.objects.get(name=name) for name, _ in POSTS}


def status_says(page, words):
    page.wait_for_function("words => document.getElementById('desk-status').textContent.includes(words)", arg=words)
    return page.inner_text("#desk-status")


def focused_id(page):
    return page.evaluate("document.activeElement.id")


def test_a_moderator_works_through_the_queue_with_the_keyboard(desk, new_page):
    base, article = desk
    reader = new_page(390, 844)
    posted = post_as_a_reader(reader, base, article)
    robin, sam, lucky, dana, max_ = (posted[n] for n in ("Robin", "Sam", "Lucky", "Dana", "Max"))
    assert lucky.status == Comment.Status.SPAM
    assert (robin.urgent, sam.dosing) == (True, True)

    page = new_page(1280, 900)
    log_in_as_moderator(page, base)
    assert "waited more than 0 minutes for a moderator" in page.inner_text("#urgent-banner")
    assert page.locator("[data-item]").evaluate_all("items => items.map(i => i.id)") == [
        f"pending-{p.pk}" for p in (robin, sam, dana, max_)]
    assert page.locator(f"#pending-{sam.pk} .comment-body mark").all_inner_texts() == [
        "20 mg twice daily", "split a pill"]
    assert page.locator("#shortcuts").is_visible()
    screenshot(page, "moderation-desk-queue-desktop")

    page.keyboard.press("j")
    assert focused_id(page) == f"pending-{robin.pk}"
    page.keyboard.press("?")
    assert not page.locator("#shortcuts").is_visible()
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible() and focused_id(page) == "shortcuts"
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert focused_id(page) == f"pending-{robin.pk}"
    page.keyboard.press("a")
    assert status_says(page, "approved") == "The comment by Robin (not verified) was approved."
    page.wait_for_selector(f"#pending-{robin.pk}", state="detached")
    assert focused_id(page) == f"pending-{sam.pk}"  # the focus moves on to the next comment
    page.keyboard.press("a")
    status_says(page, "Sam (not verified) was approved")
    assert focused_id(page) == f"pending-{dana.pk}"

    page.click(f"#pending-{dana.pk} summary")
    page.fill(f"#reply-{dana.pk}", "Yes: box breathing helps many readers. You are not alone.")
    page.keyboard.press("j")  # typing in the box: no shortcut fires
    assert page.input_value(f"#reply-{dana.pk}").endswith("not alone.j")
    page.fill(f"#reply-{dana.pk}", "Yes: box breathing helps many readers. You are not alone.")
    page.click(f"#pending-{dana.pk} >> text=Approve and reply")
    assert status_says(page, "published") == (
        "Your reply to Dana (not verified) is published, and their comment approved.")
    assert focused_id(page) == f"pending-{max_.pk}"
    page.keyboard.press("s")
    status_says(page, "Max (not verified) was marked as spam")
    assert page.locator("[data-item]").count() == 0
    screenshot(page, "moderation-desk-queue-done-desktop")

    assert [c.status for c in Comment.objects.filter(pk__in=[robin.pk, sam.pk, dana.pk, max_.pk]).order_by("pk")] == [
        "approved", "approved", "approved", "spam"]
    reply = Comment.objects.get(parent=dana)
    assert (reply.status, reply.posted_as_moderator) == ("approved", True)

    page.goto(base + "/moderation/log/")
    rows = page.locator(".log-table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).slice(1, 3).map(c => c.innerText.trim()))")
    assert rows == [
        ["Morgan Moderator", "Marked as spam"],
        ["Morgan Moderator", "Replied as moderator"],
        ["Morgan Moderator", "Approved"],
        ["Morgan Moderator", "Approved"],
        ["Morgan Moderator", "Approved"],
        ["the site", "Sent to spam by the blocklist"],
        ["the site", "Held for review"],
    ]
    screenshot(page, "moderation-desk-log-desktop")

    stranger = new_page(390, 844)
    stranger.goto(base + article.get_absolute_url())
    assert stranger.inner_text(f"#comment-{dana.pk} #comment-{reply.pk} .badge") == "Moderator"
    assert stranger.inner_text(f"#comment-{sam.pk} .dosing-note") == (
        "Talk to your doctor before changing any medication.")
    assert "CASINO" not in stranger.content() and "Buy followers" not in stranger.content()


def test_a_moderator_decides_in_place_on_the_article(desk, new_page):
    base, article = desk
    posted = post_as_a_reader(new_page(1280, 900), base, article)
    page = new_page(390, 844)
    log_in_as_moderator(page, base)
    dana = posted["Dana"]
    page.goto(base + dana.get_absolute_url())
    assert "Awaiting moderation" in page.inner_text(f"#comment-{dana.pk} .pending-note")
    screenshot(page, "moderation-in-place-phone")
    page.click(f"#comment-{dana.pk} >> button:has-text('Approve')")
    page.wait_for_url(f"**{article.get_absolute_url()}?comment={dana.pk}*")
    assert "The comment by Dana (not verified) was approved." in page.inner_text(".messages")
    assert page.locator(f"#comment-{dana.pk} .pending-note").count() == 0


@pytest.mark.parametrize("width, label", [(390, "phone"), (1280, "desktop")])
def test_the_desk_pages_pass_axe_and_are_photographed(desk, new_page, width, label):
    base, article = desk
    posted = post_as_a_reader(new_page(1280, 900), base, article)
    from comments.models import Report

    Report.objects.create(comment=Comment.objects.filter(article=article, status="approved").first(),
                          session_key="x", reason=Report.Reason.MEDICAL, details="Gives a dose")
    page = new_page(width, 900, bypass_csp=True)  # axe-core is injected as an inline script
    log_in_as_moderator(page, base)
    page.click(f"#pending-{posted['Dana'].pk} summary")
    problems = {}
    for name, path in [("queue", "/moderation/"), ("reported", "/moderation/reported/"),
                       ("log", "/moderation/log/"), ("numbers", "/moderation/numbers/")]:
        page.goto(base + path)
        screenshot(page, f"moderation-desk-{name}-{label}")
        problems[name] = serious_violations(page)
    assert problems == {"queue": [], "reported": [], "log": [], "numbers": []}
