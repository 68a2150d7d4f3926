"""The XSS corpus through every other input: search, echoed query parameters, and the admin's fields."""

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from articles.models import Article
from authors.models import Author
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory
from tests.xss import VECTORS, active_content

pytestmark = pytest.mark.django_db


def test_search_queries_render_inert():
    ArticleFactory(title="Sleep and anxiety", body="<p>script alert onerror</p>")
    client = Client()
    for vector in VECTORS:
        response = client.get("/search/", {"q": vector})
        assert response.status_code == 200, vector
        assert active_content(response.content.decode()) == [], vector


@pytest.mark.parametrize("param", ["replyto", "cpage", "comment", "page", "utm_source"])
def test_query_parameters_echoed_on_pages_render_inert(param):
    article = ArticleFactory()
    CommentFactory(article=article)
    client = Client()
    for vector in VECTORS:
        for path in (article.get_absolute_url(), "/", article.blog.get_absolute_url()):
            response = client.get(path, {param: vector})
            assert response.status_code in (200, 404), (path, vector)
            assert active_content(response.content.decode()) == [], (path, param, vector)


def test_article_title_summary_and_body_through_the_admin_render_inert(staff, settings):
    settings.PAGE_CACHE_SECONDS = 0
    editor = staff("ed", "Editors")
    client = Client()
    client.force_login(editor)
    author = AuthorFactory()
    article = ArticleFactory(authors=[author])
    change_url = f"/admin/articles/article/{article.pk}/change/"
    saved = 0
    for vector in VECTORS:
        data = form_data(client.get(change_url).content)
        data.update(title=vector[:200], summary=vector[:300], body=f"<p>Safe words</p>{vector}",
                    revision_note=vector[:300], revision_note_public="on")
        response = client.post(change_url, data)
        assert response.status_code in (200, 302), vector
        saved += response.status_code == 302
        article.refresh_from_db()
        version = f"{article.get_absolute_url()}v/{saved}/"  # this save's version, its update history entry
        for page in (article.get_absolute_url(), version, "/", article.blog.get_absolute_url(),
                     author.get_absolute_url()):
            html = Client().get(page).content.decode()
            assert active_content(html) == [], (page, vector)
        feed = ElementTree.fromstring(Client().get("/feed/").content)  # well-formed: every value escaped
        for item in feed.iter("item"):
            assert active_content(item.findtext("description") or "") == [], ("/feed/", vector)
    assert saved == len(VECTORS)
    assert Article.objects.get(pk=article.pk).body_html.startswith("<p>Safe words</p>")
    # The admin's history and its comparisons show the same text, escaped.
    history = client.get(f"{change_url.removesuffix('change/')}history/").content.decode()
    assert active_content(BeautifulSoup(history, "html.parser").select_one("#change-history").decode()) == []
    for link in BeautifulSoup(history, "html.parser").find_all("a", string="Changes"):
        changes = BeautifulSoup(client.get(link["href"]).content, "html.parser")
        assert active_content("".join(d.decode() for d in changes.select(".revision-diff"))) == [], link["href"]


def test_author_bio_and_name_through_the_admin_render_inert(staff, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    client.force_login(staff("ed", "Editors"))
    author = AuthorFactory()
    article = ArticleFactory(authors=[author])
    change_url = f"/admin/authors/author/{author.pk}/change/"
    for vector in VECTORS:
        data = form_data(client.get(change_url).content)
        data.update(bio=f"<p>Therapist</p>{vector}", credentials=vector[:200], display_name=vector[:120])
        response = client.post(change_url, data)
        assert response.status_code in (200, 302), vector
        for page in (article.get_absolute_url(), Author.objects.get(pk=author.pk).get_absolute_url()):
            assert active_content(Client().get(page).content.decode()) == [], (page, vector)
