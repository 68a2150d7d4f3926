"""Cite this version: each published revision at `<article>v/<n>/`, its banner, citations and the update history."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, PublishedVersion
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

SEED_PATH = "/blogs/traumaptsdblog/2012/10/baclofen-in-ptsd-treatment/"
SEED_URL = "http://127.0.0.1:8000" + SEED_PATH
DEC_1 = datetime.datetime(2026, 12, 1, 15, 0, tzinfo=datetime.UTC)


def edit(client, article, **changes):
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(client.get(url).content)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return response


@pytest.fixture
def editor(client, staff):
    client.force_login(staff("editor", "Editors"))
    return client


@pytest.fixture
def article(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 14, 0, tzinfo=datetime.UTC), tick=False)
    author = AuthorFactory(display_name="Michele Rosenthal", given_names="Michele", family_name="Rosenthal")
    return ArticleFactory(
        title="Sleep After Trauma", slug="sleep", body="<p>Take 10 mg at night.</p>", authors=[author],
        published_at=datetime.datetime(2026, 11, 1, 14, 0, tzinfo=datetime.UTC))


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_loaddemo_records_the_seed_as_its_version_1_once(demo):
    call_command("loaddemo", stdout=open("/dev/null", "w"))
    [version] = PublishedVersion.objects.filter(article=demo)
    assert (version.number, version.published_at, version.title) == (1, demo.published_at, "Baclofen in PTSD Treatment")
    assert version.body_html == demo.body_html
    assert version.get_absolute_url() == SEED_PATH + "v/1/"


def test_the_seed_version_page_shows_the_seed_under_the_banner_noindexed_and_canonical_to_the_page(client, demo):
    response = client.get(SEED_PATH + "v/1/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "X-Page-Cache" not in response
    soup = soup_of(response)
    assert soup.head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert [link["href"] for link in soup.head.find_all("link", rel="canonical")] == [SEED_URL]
    banner = soup.select_one(".version-banner")
    assert " ".join(banner.get_text().split()) == (
        "You are reading the version of October 24, 2012 (version 1); read the current version.")
    assert banner.find("a", string="read the current version")["href"] == SEED_PATH
    assert soup.select_one("h1").get_text() == "Baclofen in PTSD Treatment"
    assert str(soup.select_one(".article-body")) == f'<div class="article-body">{demo.body_html}</div>'


def test_the_seed_page_has_no_update_history(client, demo):
    page = client.get(SEED_PATH).content.decode()
    assert "update-history" not in page and "Update history" not in page


def test_each_published_save_in_the_admin_is_the_next_version_and_drafts_are_none(editor, article, time_machine):
    edit(editor, article, body="<p>Take 5 mg at night.</p>")
    time_machine.move_to(DEC_1, tick=False)
    edit(editor, article, body="<p>Take 2 mg at night.</p>", revision_note="Dosage information corrected",
         revision_note_public="on")
    edit(editor, article, status="draft", title="Sleep, unpublished")
    assert list(article.published_versions.values_list("number", "title", "body_html", "public_note")) == [
        (1, "Sleep After Trauma", "<p>Take 5 mg at night.</p>", ""),
        (2, "Sleep After Trauma", "<p>Take 2 mg at night.</p>", "Dosage information corrected"),
    ]


def test_a_version_page_shows_that_text_while_the_article_page_shows_the_current_one(client, editor, article,
                                                                                      time_machine):
    edit(editor, article, body="<p>Take 5 mg at night.</p>")
    time_machine.move_to(DEC_1, tick=False)
    edit(editor, article, body="<p>Take 2 mg at night.</p>")
    client.logout()
    base = article.get_absolute_url()
    assert soup_of(client.get(base)).select_one(".article-body").get_text() == "Take 2 mg at night."
    first = soup_of(client.get(base + "v/1/"))
    assert first.select_one(".article-body").get_text() == "Take 5 mg at night."
    assert "You are reading the version of November 2, 2026" in first.select_one(".version-banner").get_text()
    assert soup_of(client.get(base + "v/2/")).select_one(".article-body").get_text() == "Take 2 mg at night."


@pytest.mark.parametrize("tail", [
    "v/3/", "v/0/", "v/999999999999999999/", "v/99999999999999999999/", "v/x/", "v/1/cite.doc",
    "v/999999999999999999/cite.bib"])
def test_unknown_versions_answer_404(client, editor, article, tail):
    edit(editor, article, title="Sleep After Trauma")
    assert client.get(article.get_absolute_url() + "v/1/").status_code == 200
    assert client.get(article.get_absolute_url() + tail).status_code == 404


def test_versions_of_an_unpublished_or_scheduled_article_answer_404(client, editor, article, time_machine):
    edit(editor, article, title="Sleep After Trauma")
    url = article.get_absolute_url() + "v/1/"
    Article.objects.filter(pk=article.pk).update(status="draft")
    assert client.get(url).status_code == 404
    assert client.get(url + "cite.bib").status_code == 404
    later = datetime.datetime(2026, 12, 24, 14, 0, tzinfo=datetime.UTC)  # scheduled: its version waits too
    edit(editor, article, status="published", published_at_0="2026-12-24", published_at_1="09:00:00")
    assert article.published_at == later
    assert client.get(article.get_absolute_url() + "v/2/").status_code == 404
    time_machine.move_to(later + datetime.timedelta(minutes=1), tick=False)
    assert client.get(article.get_absolute_url() + "v/2/").status_code == 200


def test_the_update_history_lists_the_public_notes_newest_first(client, editor, article, time_machine):
    time_machine.move_to(DEC_1, tick=False)
    edit(editor, article, body="<p>Take 2 mg.</p>", revision_note="Dosage information corrected",
         revision_note_public="on")
    edit(editor, article, title="Sleep After Trauma", revision_note="Typo in a heading")  # not public
    time_machine.move_to(DEC_1 + datetime.timedelta(days=3), tick=False)
    edit(editor, article, body="<p>Take 2 mg; see your doctor.</p>", revision_note="Advice added",
         revision_note_public="on")
    client.logout()
    items = soup_of(client.get(article.get_absolute_url())).select(".update-history li")
    assert [" ".join(li.get_text().split()) for li in items] == [
        "Updated December 4, 2026: Advice added", "Updated December 1, 2026: Dosage information corrected"]
    assert [li.a["href"] for li in items] == [article.get_absolute_url() + "v/3/", article.get_absolute_url() + "v/1/"]


def test_a_public_note_needs_its_text(editor, article):
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor.get(url).content)
    data.update({"revision_note_public": "on", "revision_note": " "})
    page = editor.post(url, data).content.decode()
    assert "Write the note readers should see, or untick “Show this note to readers”." in page
    assert not article.published_versions.exists()


def test_the_cite_box_cites_this_version_with_its_address_and_date(client, editor, article, time_machine):
    edit(editor, article, body="<p>Take 5 mg at night.</p>")
    time_machine.move_to(DEC_1, tick=False)
    edit(editor, article, body="<p>Take 2 mg at night.</p>")
    client.logout()
    base, blog = article.canonical_url(), article.blog.title
    current = soup_of(client.get(article.get_absolute_url()))
    assert current.select_one("#cite-apa").get_text() == f"Rosenthal, M. (2026, November 1). Sleep After Trauma. {blog}. {base}"
    assert current.select_one("#cite-version-apa").get_text() == (
        f"Rosenthal, M. (2026, December 1). Sleep After Trauma. {blog}. {base}v/2/")
    assert [a.get_text() for a in current.select(".cite-versions a")] == [
        "version 1, November 2, 2026", "version 2, December 1, 2026"]
    first = soup_of(client.get(article.get_absolute_url() + "v/1/"))
    assert first.select_one("#cite-version-apa").get_text() == (
        f"Rosenthal, M. (2026, November 2). Sleep After Trauma. {blog}. {base}v/1/")
    assert first.select_one("#cite-version-mla").get_text() == (
        f"Rosenthal, Michele. “Sleep After Trauma.” {blog}, 2 Nov. 2026, {base}v/1/.")
    bib = client.get(article.get_absolute_url() + "v/1/cite.bib")
    assert bib["Content-Disposition"] == 'attachment; filename="sleep-v1.bib"'
    assert f"url = {{{base}v/1/}}" in bib.content.decode()
    ris = client.get(article.get_absolute_url() + "v/1/cite.ris").content.decode()
    assert f"UR  - {base}v/1/" in ris and "PY  - 2026" in ris


def test_a_version_page_is_never_cached_for_the_current_page(client, editor, article):
    edit(editor, article, body="<p>Take 5 mg at night.</p>")
    client.logout()
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    version = client.get(url + "v/1/")
    assert "X-Page-Cache" not in version
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "You are reading the version of" not in cached.content.decode()
    assert "X-Page-Cache" not in client.get(url + "v/1/")


def test_a_new_version_replaces_the_cached_current_page(client, staff, article):
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    editor = type(client)()
    editor.force_login(staff("editor", "Editors"))
    edit(editor, article, body="<p>Take 5 mg at night.</p>", revision_note="Dose halved", revision_note_public="on")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    page = soup_of(response)
    assert page.select_one(".article-body").get_text() == "Take 5 mg at night."
    assert "Dose halved" in page.select_one(".update-history").get_text()


def test_the_article_page_reads_its_versions_in_one_query(client, article, settings):
    settings.PAGE_CACHE_SECONDS = 0

    def queries():
        client.get(article.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    def add_versions(count):
        last = article.published_versions.count()
        PublishedVersion.objects.bulk_create(PublishedVersion(
            article=article, number=last + n, published_at=article.published_at, title=article.title,
            body_html=article.body_html, public_note=f"Note {last + n}") for n in range(1, count + 1))

    add_versions(1)
    one = queries()
    add_versions(30)
    assert queries() == one
    assert client.get(article.get_absolute_url()).content.decode().count("Note ") == 31
