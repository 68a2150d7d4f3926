"""On a 390 px phone, a reader lands where the news is: crisis help at their comment, a refusal at the form.

Each test looks at what the viewport shows after the page has settled, and saves a screenshot of it
(test-artifacts/landing-*.png) beside the usual full-page ones.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.e2e.conftest import screenshot, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
AXE = {"bypass_csp": True}  # axe-core goes in as an inline script
CRISIS_WORDS = "Some nights I want to end my life."


@pytest.fixture
def seed(live_server, e2e_settings):
    call_command("loaddemo", stdout=open("/dev/null", "w"))
    return live_server.url, Article.objects.get(slug="baclofen-in-ptsd-treatment")


def in_viewport(page, selector: str) -> dict:
    """Return where the element is against the viewport: its top and bottom, and the viewport's height."""
    return page.eval_on_selector(selector, """element => {
        const box = element.getBoundingClientRect();
        return {top: Math.round(box.top), bottom: Math.round(box.bottom), height: window.innerHeight};
    }""")


def assert_inside(box: dict) -> None:
    assert 0 <= box["top"] and box["bottom"] <= box["height"], box


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def click_and_land(page, selector: str) -> None:
    """Click something that sends the page elsewhere, and wait until the new page has loaded."""
    with page.expect_navigation():
        page.click(selector)


def post_comment(page, *, body: str, email: str = "dana@example.com") -> None:
    page.fill("#id_email", email)
    page.fill("#id_body", body)
    click_and_land(page, "text=Post comment")


def test_crisis_comment_lands_with_the_help_beside_it_until_the_reader_hides_it(seed, new_page):
    base, article = seed
    page = new_page(**PHONE, **AXE)
    page.goto(base + article.get_absolute_url())
    post_comment(page, body=CRISIS_WORDS)
    comment = Comment.objects.get(body=CRISIS_WORDS)
    assert page.url == f"{base}{article.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}"
    help_box = f"#comment-{comment.pk} .crisis"
    assert page.inner_text(f"{help_box} h2") == "You don't have to go through this alone"
    assert page.get_attribute(f"{help_box} [role=alert]", "role") == "alert"
    assert_inside(in_viewport(page, help_box))
    assert_inside(in_viewport(page, f"#comment-{comment.pk} .pending-note"))
    assert focused_id(page) == "crisis-help"  # screen readers read it out
    screenshot(page, "landing-crisis-comment-phone", full_page=False)
    assert serious_violations(page) == []

    page.goto(base + "/")
    page.goto(base + article.get_absolute_url())  # later in the session: still shown, at the comment
    assert page.locator(help_box).count() == 1
    click_and_land(page, f"{help_box} >> text=Hide this message")
    assert page.url == f"{base}{article.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}"
    assert page.locator(".crisis").count() == 0
    page.reload()
    assert page.locator(".crisis").count() == 0


@pytest.fixture
def long_thread(seed):
    """Forty long top-level comments above an older thread five levels deep; return its deepest comment."""
    base, article = seed
    long_body = "I read this twice and it made me think about my own year. " * 12
    start = timezone.now() - timezone.timedelta(days=30)
    parent = Comment.objects.create(article=article, name="Root", email="r@example.com", body=long_body,
                                    status=Comment.Status.APPROVED, created_at=start)
    for level in range(1, 5):
        parent = Comment.objects.create(article=article, parent=parent, name=f"Level {level}", email="l@example.com",
                                        body=long_body, status=Comment.Status.APPROVED,
                                        created_at=start + timezone.timedelta(hours=level))
    for n in range(40):
        Comment.objects.create(article=article, name=f"Reader {n}", email="n@example.com", body=long_body,
                               status=Comment.Status.APPROVED, created_at=start + timezone.timedelta(days=1, hours=n))
    return base, article, parent


def test_crisis_reply_deep_in_a_long_thread_lands_with_the_help_in_view(long_thread, new_page):
    base, article, deepest = long_thread
    page = new_page(**PHONE)
    page.goto(f"{base}{article.get_absolute_url()}?replyto={deepest.pk}#reply")
    assert page.inner_text(".reply-excerpt") == (
        "I read this twice and it made me think about my own year. I read this twice and it made…")
    post_comment(page, body=CRISIS_WORDS)
    reply = Comment.objects.get(body=CRISIS_WORDS)
    assert reply.level == 4 and reply.urgent  # past the deepest level, it attaches to the deepest allowed ancestor
    help_box = f"#comment-{reply.pk} .crisis"
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 10000  # far down the page: the help came with the reader
    assert_inside(in_viewport(page, help_box))
    assert_inside(in_viewport(page, f"#comment-{reply.pk} .pending-note"))
    assert focused_id(page) == "crisis-help"
    screenshot(page, "landing-crisis-reply-deep-phone", full_page=False)


def test_refused_comment_lands_at_the_form_with_its_errors_in_view_and_the_text_kept(seed, new_page):
    base, article = seed
    page = new_page(**PHONE, **AXE)
    page.goto(base + article.get_absolute_url())
    post_comment(page, body="My words, kept.", email="")
    assert page.url == f"{base}{article.get_absolute_url()}comments/#reply"
    assert_inside(in_viewport(page, "#form-errors"))
    assert page.get_attribute("#form-errors", "role") == "alert"
    assert focused_id(page) == "form-errors"
    assert page.inner_text("#form-errors li") == "Email: This field is required."
    assert page.input_value("#id_body") == "My words, kept."
    screenshot(page, "landing-refused-comment-phone", full_page=False)
    assert serious_violations(page) == []

    page.click("#form-errors a")  # the summary's link goes to the field
    assert focused_id(page) == "id_email"


def test_refused_comment_lands_at_the_form_without_javascript(seed, new_page):
    base, article = seed
    page = new_page(**PHONE, java_script_enabled=False)
    page.goto(base + article.get_absolute_url())
    post_comment(page, body="No script here.", email="")
    assert page.url.endswith("comments/#reply")
    assert_inside(in_viewport(page, "#form-errors"))


def test_refused_crisis_comment_shows_the_help_at_the_form(seed, new_page):
    base, article = seed
    page = new_page(**PHONE)
    page.goto(base + article.get_absolute_url())
    post_comment(page, body=CRISIS_WORDS, email="")
    assert_inside(in_viewport(page, "#reply .crisis"))
    assert_inside(in_viewport(page, "#form-errors"))
    screenshot(page, "landing-refused-crisis-comment-phone", full_page=False)


def test_expired_session_keeps_the_comment_and_posts_on_the_second_press(seed, new_page):
    base, article = seed
    page = new_page(**PHONE)
    page.goto(base + article.get_absolute_url())
    page.fill("#id_email", "dana@example.com")
    page.fill("#id_body", "Written slowly, over a long evening.")
    # The form's script has its token (asked for as the reader began writing) before the cookies go.
    expect(page.locator("#reply input[name=timestamp]")).not_to_have_value("")
    page.context.clear_cookies()  # the session and CSRF cookies expired meanwhile
    click_and_land(page, "text=Post comment")
    assert "DEBUG" not in page.content()
    assert page.inner_text("#form-errors li") == "Your session had expired; press Post again."
    assert_inside(in_viewport(page, "#form-errors"))
    assert page.input_value("#id_body") == "Written slowly, over a long evening."
    screenshot(page, "landing-expired-session-phone", full_page=False)
    assert not Comment.objects.filter(body__startswith="Written slowly").exists()

    click_and_land(page, "text=Post comment")
    comment = Comment.objects.get(body="Written slowly, over a long evening.")
    assert page.url.endswith(f"#comment-{comment.pk}")
    assert page.inner_text(f"#comment-{comment.pk} .pending-note") == "Your comment is awaiting moderation"


def test_report_thanks_the_reader_at_the_comment(seed, new_page):
    base, article = seed
    seed_comment = Comment.objects.get(article=article, body__startswith="I was given baclofen")
    page = new_page(**PHONE)
    page.goto(base + article.get_absolute_url())
    click_and_land(page, f"#comment-{seed_comment.pk} >> text=Report")
    click_and_land(page, "button:has-text('Report to the moderators')")
    assert_inside(in_viewport(page, f"#comment-{seed_comment.pk} .reported-note"))
    assert page.inner_text(f"#comment-{seed_comment.pk} footer .reported") == "Reported"
    screenshot(page, "landing-report-phone", full_page=False)
