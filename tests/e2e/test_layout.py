"""Layout on a 390 px phone and a 1280 px screen: the header's menu, tap targets, room above the footer.

Tap targets are measured in the browser: every link, button, summary and field outside running text
is at least 24 x 24 CSS px (WCAG 2.2, 2.5.8), and the comment and citation buttons 44 px tall. axe-core
checks the same with its target-size rule switched on.
"""

import pytest
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment
from tests.e2e.conftest import screenshot, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# Links inside running text are exempt from the size rule (2.5.8's "inline" exception).
RUNNING_TEXT = ", ".join([
    ".article-body a", ".author-bio p:not(.author-name) a", "#comments article > p a", ".search-help a",
    ".disclaimer a", "main > p:not([class]) a", ".quoted-comment a", ".reply-form .note a", ".account-prompt a",
])
MEASURE = """exempt => {
    const small = [];
    let measured = 0;
    for (const element of document.querySelectorAll("a[href], button, summary, input:not([type=hidden]), select, textarea")) {
        if (element.closest(".hp, .skip-link") || element.matches(exempt)) continue;  // the honeypot; off screen
        const box = element.getBoundingClientRect();
        if (!box.width && !box.height) continue;  // not drawn: a closed menu's links
        measured += 1;
        if (box.width < 24 || box.height < 24) {
            small.push(`${element.tagName.toLowerCase()} "${(element.textContent || element.name).trim().slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    return {measured, small};
}"""


@pytest.fixture
def seed(live_server, e2e_settings, role_groups):
    call_command("loaddemo", "--password", "e2e-pass", stdout=open("/dev/null", "w"))
    return live_server.url, Article.objects.get(slug="baclofen-in-ptsd-treatment")


def small_targets(page) -> list[str]:
    """Return the tap targets smaller than 24 x 24 CSS px, having checked that there were targets to measure."""
    result = page.evaluate(MEASURE, RUNNING_TEXT)
    assert result["measured"] >= 5, result
    return result["small"]


def heights(page, selector: str) -> list[int]:
    return page.eval_on_selector_all(selector, "elements => elements.map(e => Math.round(e.getBoundingClientRect().height))")


def log_in(page, base, username="editor"):
    page.goto(base + "/admin/login/?next=/")
    page.fill("#id_username", username)
    page.fill("#id_password", "e2e-pass")
    with page.expect_navigation():
        page.click("input[type=submit]")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_staff_header_is_one_line_on_a_phone_and_its_menu_opens(seed, new_page, javascript):
    base, article = seed
    page = new_page(**PHONE, java_script_enabled=javascript)
    log_in(page, base)
    page.goto(base + article.get_absolute_url())
    assert page.eval_on_selector(".site-header", "e => e.getBoundingClientRect().height") == 61  # 3.75rem and its rule
    assert not page.is_visible("text=Admin") and not page.is_visible("text=Topics")
    if javascript:
        screenshot(page, "header-staff-phone", full_page=False)
    page.click(".site-menu summary")
    for link in ("Latest", "Search", "Admin", "Topics", "Blogs", "Authors", "RSS feed"):
        assert page.is_visible(f".site-header a:text-is('{link}')"), link
    assert small_targets(page) == []
    if javascript:
        screenshot(page, "header-staff-menu-open-phone", full_page=False)
    with page.expect_navigation():
        page.click(".site-header a:text-is('Topics')")
    assert page.url == base + "/topics/"
    assert [line for line in page.inner_text("main .index-list").splitlines() if line][:2] == ["PTSD", "1 article"]


def test_header_menu_on_a_wide_screen_drops_down_beside_the_main_links(seed, new_page):
    base, article = seed
    page = new_page(1280, 800)
    page.goto(base + "/")
    assert page.is_visible(".site-header a:text-is('Latest')") and page.is_visible(".site-header a:text-is('Search')")
    assert not page.is_visible(".site-header a:text-is('Topics')")
    page.click(".site-menu summary")
    assert page.is_visible(".site-header a:text-is('Topics')")
    screenshot(page, "header-menu-open-desktop", full_page=False)


def test_every_tap_target_is_at_least_24_px_on_a_phone(seed, new_page):
    base, article = seed
    seed_comment = Comment.objects.get(article=article, body__startswith="I was given baclofen")
    page = new_page(**PHONE, bypass_csp=True)  # axe-core goes in as an inline script
    found, problems = {}, {}
    pages = {
        "home": "/", "article-replying": f"{article.get_absolute_url()}?replyto={seed_comment.pk}#reply",
        "author": "/authors/michele-rosenthal/", "topics": "/topics/", "blogs": "/blogs/", "authors": "/authors/",
        "topic": "/topics/ptsd/", "search": "/search/?q=baclofen", "report": f"/comments/{seed_comment.pk}/report/",
    }
    for name, path in pages.items():
        page.goto(base + path)
        found[name] = small_targets(page)
        problems[name] = serious_violations(page, target_size=True)
        screenshot(page, f"{name}-phone")
    assert found == {name: [] for name in pages}
    assert problems == {name: [] for name in pages}

    page.goto(base + article.get_absolute_url())
    assert set(heights(page, "#comments footer a")) == {44}  # Reply and Report
    assert set(heights(page, ".cite-copy")) == {44}
    assert set(heights(page, ".article-topics a")) == {44}


@pytest.mark.parametrize("path", ["/", "/authors/michele-rosenthal/", "report"])
def test_last_card_or_form_has_room_above_the_footer(seed, new_page, path):
    base, article = seed
    if path == "report":
        path = f"/comments/{Comment.objects.filter(article=article).first().pk}/report/"
    page = new_page(**PHONE)
    page.goto(base + path)
    gap = page.evaluate("""() => {
        const main = document.querySelector("main");
        const last = [...main.querySelectorAll(".card, form, p")].pop();
        return Math.round(document.querySelector(".site-footer").getBoundingClientRect().top - last.getBoundingClientRect().bottom);
    }""")
    assert gap >= 40, gap
