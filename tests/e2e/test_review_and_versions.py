"""The newsroom journey in Chromium: an author writes an article with an image uploaded from the editor,
publishes it and asks for a medical review, the reviewer signs off, the author changes the body ("Review
pending"), and a reader cites the earlier version from the cite box and finds it, image and all, at its address.

The journey is a list of steps sharing one `Journey`; a step is one function.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, BodyImage
from tests.e2e.conftest import screenshot, serious_violations
from tests.e2e.editor import EDITOR, open_image_picker, picture, upload_in_picker

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "e2e-pass"
TITLE = "Sleep After Trauma"


@dataclass
class Journey:
    site: str
    new_page: object
    folder: Path
    pages: dict = field(default_factory=dict)

    def as_(self, username: str):
        """Return the browser page of `username`, logged in to the admin on first use."""
        if username not in self.pages:
            page = self.new_page(bypass_csp=True)  # axe-core goes in as an inline script
            page.goto(self.site + "/admin/login/?next=/admin/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
            self.pages[username] = page
        return self.pages[username]

    def article(self) -> Article:
        return Article.objects.get(title=TITLE)

    def reader_page(self):
        page = self.new_page(bypass_csp=True)
        page.goto(self.site + self.article().get_absolute_url())
        return page


def author_writes_and_publishes(journey: Journey):
    page = journey.as_("author")
    page.goto(journey.site + "/admin/articles/article/add/")
    page.select_option("#id_blog", label="Trauma! A PTSD Blog")
    page.fill("#id_title", TITLE)
    page.locator(EDITOR).click()
    page.keyboard.type("Take 10 mg at night.")
    page.keyboard.press("Enter")
    dialog, picker = open_image_picker(page)
    upload_in_picker(picker, picture(journey.folder), "A bedroom with the lamp off", "Where I sleep now.")
    dialog.get_by_role("button", name="Insert").click()
    page.locator(EDITOR).locator("figure img").wait_for()
    page.select_option("#id_status", "published")
    now = timezone.localtime()
    page.fill("#id_published_at_0", now.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", (now - timezone.timedelta(minutes=1)).strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    article = journey.article()
    assert article.body_html.startswith("<p>Take 10 mg at night.</p><figure>")
    assert "<figcaption>Where I sleep now.</figcaption></figure>" in article.body_html
    assert list(BodyImage.objects.get().articles.all()) == [article]


def author_asks_for_a_review(journey: Journey):
    page = journey.as_("author")
    page.goto(journey.site + "/admin/articles/reviewrequest/add/")
    page.select_option("#id_article", label=TITLE)
    page.select_option("#id_reviewer", label="Dana Lee")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/reviewrequest/")
    assert page.inner_text("#result_list td.field-sign_off") == "Waiting for the reviewer"
    assert "Review pending" in journey.reader_page().inner_text(".medical-review")


def reviewer_signs_off(journey: Journey):
    page = journey.as_("reviewer")
    page.goto(journey.site + "/admin/articles/reviewrequest/")
    page.get_by_role("link", name="Read and sign off").click()
    assert page.inner_text(".review-body p") == "Take 10 mg at night."
    assert page.inner_text(".review-body figcaption") == "Where I sleep now."
    screenshot(page, "review-sign-off-desktop")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Sign off this revision").click()
    page.wait_for_url("**/admin/articles/reviewrequest/")
    assert "You signed off the medical review of “Sleep After Trauma”." in page.inner_text(".messagelist")
    today = timezone.localdate()
    assert journey.reader_page().inner_text(".medical-review") == (
        f"Medically reviewed by Dana Lee, MD on {today:%B} {today.day}, {today.year}")


def author_changes_the_body(journey: Journey):
    page = journey.as_("author")
    page.goto(journey.site + f"/admin/articles/article/{journey.article().pk}/change/")
    page.locator(EDITOR).locator("p", has_text="Take 10 mg at night.").click()
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type("Take 5 mg at night.")
    page.fill("#id_revision_note", "Dosage information corrected")
    page.check("#id_revision_note_public")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    reader = journey.reader_page()
    assert reader.inner_text(".medical-review") == "Review pending"
    assert reader.inner_text(".article-body p") == "Take 5 mg at night."
    assert reader.inner_text(".article-body figcaption") == "Where I sleep now."
    today = timezone.localdate()
    assert reader.inner_text(".update-history li") == (
        f"Updated {today:%B} {today.day}, {today.year}: Dosage information corrected")


def author_compares_the_revisions(journey: Journey):
    page = journey.as_("author")
    page.goto(journey.site + f"/admin/articles/article/{journey.article().pk}/history/")
    assert "Dosage information corrected" in page.inner_text("#change-history")
    page.get_by_role("link", name="Changes").first.click()
    body = page.locator("section", has=page.get_by_role("heading", name="Body")).locator(".revision-diff")
    assert body.inner_html().startswith("Take <del>10</del><ins>5</ins> mg at night.")
    screenshot(page, "revision-changes-desktop")


def reader_cites_the_earlier_version(journey: Journey):
    page = journey.reader_page()
    box = page.locator(".cite-box")
    box.scroll_into_view_if_needed()
    article = journey.article()
    assert page.inner_text("#cite-version-apa").endswith(article.canonical_url() + "v/2/")
    box.get_by_role("link", name="version 1,").click()
    page.wait_for_url("**/v/1/")
    assert page.url == journey.site + article.get_absolute_url() + "v/1/"
    assert page.inner_text(".version-banner").startswith("You are reading the version of")
    assert page.inner_text(".article-body p") == "Take 10 mg at night."
    image = BodyImage.objects.get()
    assert page.locator(".article-body figure img").get_attribute("src") == image.image.url
    assert page.inner_text(".article-body figcaption") == "Where I sleep now."
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    assert page.inner_text("#cite-version-apa").endswith(article.canonical_url() + "v/1/")
    screenshot(page, "version-page-desktop")
    assert serious_violations(page) == []
    page.get_by_role("link", name="read the current version").click()
    page.wait_for_url("**" + article.get_absolute_url())
    assert page.inner_text(".article-body p") == "Take 5 mg at night."


STEPS = [
    author_writes_and_publishes,
    author_asks_for_a_review,
    reviewer_signs_off,
    author_changes_the_body,
    author_compares_the_revisions,
    reader_cites_the_earlier_version,
]


@pytest.fixture
def demo_site(live_server, e2e_settings, role_groups):
    e2e_settings.ROOT_URLCONF = "tests.e2e.media_urls"  # the live server shows the uploaded image
    call_command("loaddemo", "--password", PASSWORD, stdout=open("/dev/null", "w"))
    return live_server.url


def test_image_upload_review_sign_off_review_pending_and_cite_this_version(demo_site, new_page, tmp_path):
    journey = Journey(demo_site, new_page, tmp_path)
    for step in STEPS:
        step(journey)
