"""The article form while writing: autosave with "Saved at", the leave warning, the live search preview."""

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleAutosave
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server, e2e_settings, role_groups):
    call_command("loaddemo", "--password", "e2e-pass", stdout=open("/dev/null", "w"))
    return live_server.url


def test_autosave_preview_and_leave_warning(demo_site, new_page):
    article = Article.objects.get(slug="baclofen-in-ptsd-treatment")
    page = new_page(1280, 900)
    page.goto(f"{demo_site}/admin/login/?next=/admin/articles/article/{article.pk}/change/")
    page.fill("#id_username", "author")
    page.fill("#id_password", "e2e-pass")
    with page.expect_navigation():
        page.click("input[type=submit]")

    preview = page.locator(".search-preview")
    assert preview.locator(".search-preview-title").inner_text() == "Baclofen in PTSD Treatment | HealthyPlace"
    page.fill("#id_seo_title", "Baclofen for PTSD")
    page.fill("#id_meta_description", "What one study found.")
    assert preview.locator(".search-preview-title").inner_text() == "Baclofen for PTSD | HealthyPlace"
    assert preview.locator(".search-preview-description").inner_text() == "What one study found."

    page.locator(".field-body .ProseMirror[contenteditable=true] p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Autosaved words.")
    status = page.locator(".autosave-status")
    status.filter(has_text="Saved at").wait_for(timeout=15_000)
    assert "Autosaved words." in ArticleAutosave.objects.get().body
    assert "Autosaved words." not in Article.objects.get(pk=article.pk).body  # the article is untouched
    preview.scroll_into_view_if_needed()
    screenshot(page, "admin-article-search-preview-desktop", full_page=False)

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
