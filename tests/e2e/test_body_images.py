"""An author uploads an image in the editor, with alt text and a caption, publishes, and the page shows the figure."""

import pytest
from django.core.management import call_command

from articles.models import Article, BodyImage
from tests.e2e.conftest import screenshot, serious_violations
from tests.e2e.editor import EDITOR, open_image_picker, picture, upload_in_picker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server, e2e_settings, role_groups):
    e2e_settings.ROOT_URLCONF = "tests.e2e.media_urls"  # the live server shows the uploaded images
    call_command("loaddemo", "--password", "e2e-pass", stdout=open("/dev/null", "w"))
    return live_server.url


def test_author_uploads_an_image_in_the_editor_and_the_page_serves_the_figure(demo_site, new_page, tmp_path):
    page = new_page(390, 844)  # under the site's CSP: the editor's and the picker's scripts run as served
    page.goto(f"{demo_site}/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "author")
    page.fill("#id_password", "e2e-pass")
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.fill("#id_title", "Walking in the woods")
    page.fill("#id_summary", "What a walk among trees does for anxiety.")
    editor = page.locator(EDITOR)
    editor.click()
    page.keyboard.type("Walking helps me breathe.")
    page.keyboard.press("Enter")

    dialog, picker = open_image_picker(page)
    assert not picker.locator(".media-upload-errors").is_visible()
    screenshot(picker, "admin-image-picker-phone", full_page=False)
    upload_in_picker(picker, picture(tmp_path), "A path through a pine forest in morning light",
                     "The path behind my house.")

    image = BodyImage.objects.get()
    assert dialog.locator("input[name=imageUrl]").input_value() == image.image.url
    assert dialog.locator("input[name=altText]").input_value() == "A path through a pine forest in morning light"
    assert dialog.locator("input[name=caption]").input_value() == "The path behind my house."
    screenshot(page, "admin-editor-figure-dialog-phone", full_page=False)
    dialog.get_by_role("button", name="Insert").click()
    editor.locator("figure img").wait_for()
    editor.locator("figure").scroll_into_view_if_needed()
    screenshot(page, "admin-editor-figure-phone", full_page=False)

    # The same image again, chosen from the library this time.
    editor.locator("p", has_text="Walking helps me breathe.").click()
    page.keyboard.press("End")
    page.click(".field-body .prose-menubar button[title=figure]")
    with page.expect_popup() as opened:
        page.locator("dialog[open]").get_by_role("button", name="Browse...").click()
    library = opened.value
    library.wait_for_load_state()
    with library.expect_event("close"):
        library.get_by_role("button", name="Insert “A path through a pine forest").click()
    assert page.locator("dialog[open] input[name=altText]").input_value() == (
        "A path through a pine forest in morning light")
    page.locator("dialog[open]").get_by_role("button", name="Insert").click()
    assert editor.locator("figure img").count() == 2

    page.select_option("#id_status", "published")
    with page.expect_navigation():
        page.click("input[name=_save]")
    article = Article.objects.get(title="Walking in the woods")
    assert article.status == "published"
    assert list(image.articles.all()) == [article]

    page.goto(demo_site + "/admin/articles/bodyimage/")
    assert page.locator("#result_list td.field-used_in").inner_text() == "Walking in the woods"
    screenshot(page, "admin-media-library-phone", full_page=False)

    page.goto(demo_site + article.get_absolute_url())
    assert page.locator(".article-body figure").count() == 2
    figure = page.locator(".article-body figure").first
    img = figure.locator("img")
    stem = f"/media/renditions/{image.image.name[:-4]}"
    assert img.get_attribute("srcset") == f"{stem}-480w.jpg 480w, {stem}-800w.jpg 800w, {stem}-1200w.jpg 1200w"
    assert img.get_attribute("alt") == "A path through a pine forest in morning light"
    assert (img.get_attribute("width"), img.get_attribute("height")) == ("1200", "800")
    assert figure.locator("figcaption").inner_text() == "The path behind my house."
    figure.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    # At 390 px the browser picks a rendition from the srcset, not the original.
    assert "/renditions/" in img.evaluate("img => img.currentSrc")
    box = img.bounding_box()
    assert box["width"] <= 390 and abs(box["height"] - box["width"] * 800 / 1200) < 2
    figure.screenshot(path=str(screenshot.__globals__["ARTIFACTS"] / "article-figure-phone.png"))

    # axe-core goes in as an inline script, so it checks the picker and the page in a context without the CSP.
    checker = new_page(390, 844, bypass_csp=True)
    checker.context.add_cookies(page.context.cookies())
    checker.goto(demo_site + "/admin/articles/bodyimage/pick/?CKEditorFuncNum=1")
    assert serious_violations(checker) == []
    checker.goto(demo_site + article.get_absolute_url())
    assert serious_violations(checker) == []
