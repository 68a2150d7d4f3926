"""The admin at 1280 px: the comment list with urgent comments, the article form's editor, the 403 page."""

import pytest
from django.core.management import call_command

from articles.models import Article, Blog
from comments.models import Comment
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server, e2e_settings, role_groups):
    call_command("loaddemo", "--password", "e2e-pass", stdout=open("/dev/null", "w"))
    return live_server.url


def log_in(page, base, username, next_url):
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "e2e-pass")
    with page.expect_navigation():
        page.click("input[type=submit]")


def test_comment_list_marks_urgent_comments_with_an_alert_and_fits_1280_px(demo_site, new_page):
    article = Article.objects.get(slug="baclofen-in-ptsd-treatment")
    urgent = Comment.objects.create(article=article, name="Someone with a rather long name indeed", email="s@example.com",
                                    body="I want to end my life " + "and I have thought about it for weeks " * 4,
                                    status=Comment.Status.PENDING, urgent=True)
    page = new_page(1280, 800)
    log_in(page, demo_site, "moderator", "/admin/comments/comment/")
    row = page.locator(f"#result_list tr:has(a[href*='/comment/{urgent.pk}/'])")
    assert row.locator("td.field-urgent_marker").inner_text() == "Urgent"
    assert row.locator("td.field-urgent_marker img").count() == 0  # no green tick
    assert page.eval_on_selector("#result_list th.column-urgent_marker", "e => e.textContent.trim()") == "Urgent"
    screenshot(page, "admin-comment-list-desktop", full_page=False)
    fits = page.evaluate("""() => ({
        page: document.documentElement.scrollWidth,
        table: Math.round(document.querySelector('#result_list').getBoundingClientRect().right),
        holder: Math.round(document.querySelector('#changelist .results').getBoundingClientRect().right),
    })""")
    assert fits["page"] <= 1280 and fits["table"] <= fits["holder"], fits


def test_article_form_defaults_to_the_only_blog_and_its_editor_starts_tall_with_a_drawn_arrow(demo_site, new_page):
    page = new_page(1280, 900)
    log_in(page, demo_site, "editor", "/admin/articles/article/add/")
    assert page.input_value("#id_blog") == str(Blog.objects.get().pk)
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.wait_for()
    screenshot(page, "admin-article-form-desktop", full_page=False)
    assert editor.bounding_box()["height"] >= 384  # 24rem
    arrow = page.eval_on_selector(".field-body .prose-menubar__selected",
                                  "e => getComputedStyle(e, '::after').content")
    assert arrow == '""'  # drawn with borders, not the "⏷" glyph most fonts lack


def test_admin_403_is_in_the_admins_own_look(demo_site, new_page):
    page = new_page(1280, 800)
    log_in(page, demo_site, "moderator", "/admin/")
    response = page.goto(demo_site + "/admin/articles/article/")
    assert response.status == 403
    assert page.inner_text("#site-name") == "healthsite administration"
    assert page.inner_text("#content h1") == "Not allowed"
    assert "You do not have permission to open this page." in page.inner_text("#content")
    screenshot(page, "admin-403-desktop", full_page=False)
