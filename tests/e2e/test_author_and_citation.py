"""An author writes and publishes with the rich-text editor; the citation copy button fills the clipboard."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server, e2e_settings, role_groups):
    call_command("loaddemo", "--password", "e2e-pass", stdout=open("/dev/null", "w"))
    return live_server.url


def test_author_writes_and_publishes_with_the_rich_text_editor(demo_site, new_page):
    page = new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(demo_site + "/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "author")
    page.fill("#id_password", "e2e-pass")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/articles/article/add/")
    page.select_option("#id_blog", label="Trauma! A PTSD Blog")
    page.fill("#id_title", "Sleep After Trauma")
    editor = page.locator(".field-body [contenteditable=true].ProseMirror")
    editor.click()
    page.keyboard.type("## Why sleep matters")
    page.keyboard.press("Enter")
    page.keyboard.type("Read https://www.example.org/sleep for more. ")
    page.select_option("#id_status", "published")
    now = timezone.localtime()
    page.fill("#id_published_at_0", now.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", (now - timezone.timedelta(minutes=1)).strftime("%H:%M:%S"))
    screenshot(page, "author-editor-desktop")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    article = Article.objects.get(title="Sleep After Trauma")
    assert article.status == Article.Status.PUBLISHED
    assert "<h2>Why sleep matters</h2>" in article.body_html
    assert 'href="https://www.example.org/sleep"' in article.body_html
    assert [a.display_name for a in article.credited_authors()] == ["Michele Rosenthal"]
    assert [e for e in errors if "Content Security Policy" in e] == []

    reader = new_page()
    reader.goto(demo_site + article.get_absolute_url())
    assert reader.inner_text(".article-body h2") == "Why sleep matters"
    assert reader.locator('.article-body a[href="https://www.example.org/sleep"]').count() == 1


def test_copy_button_puts_the_apa_reference_on_the_clipboard(demo_site, new_page):
    article = Article.objects.get(slug="baclofen-in-ptsd-treatment")
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(demo_site + article.get_absolute_url())
    button = page.locator('button[data-copy="cite-apa"]')
    assert button.is_visible()
    button.click()
    page.wait_for_selector(".cite-status:not(:empty)")  # a selector, not a script: the page's CSP forbids eval
    assert page.inner_text(".cite-status") == "APA 7 reference copied."
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        "Rosenthal, M. (2012, October 24). Baclofen in PTSD Treatment. Trauma! A PTSD Blog. "
        f"http://127.0.0.1:8000{article.get_absolute_url()}"
    )
