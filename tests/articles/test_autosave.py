"""Autosave while writing: stored apart from the article, offered back, never a public change."""

import datetime

import pytest
import time_machine
from reversion.models import Version
from bs4 import BeautifulSoup
from django.test import Client

from articles.models import Article, ArticleAutosave
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 1, 16, 0, tzinfo=datetime.UTC)  # 12:00 in New York


@pytest.fixture
def people(staff):
    michele = AuthorFactory(display_name="Michele Rosenthal", slug="michele")
    olga = AuthorFactory(display_name="Olga Other", slug="olga")
    return {"michele": michele, "olga": olga, "author": staff("author", "Authors", author=michele),
            "editor": staff("editor", "Editors")}


def autosave(client, article, **fields):
    data = {"title": "New title", "summary": "New summary", "body": "<p>New words</p><script>x()</script>", **fields}
    return client.post(f"/admin/articles/article/{article.pk}/autosave/", data)


def test_autosave_stores_the_text_apart_and_leaves_the_published_article_alone(client, people):
    with time_machine.travel(NOON - datetime.timedelta(days=1), tick=False):
        article = ArticleFactory(title="Old title", authors=[people["michele"]])
    client.force_login(people["author"])
    with time_machine.travel(NOON + datetime.timedelta(minutes=32), tick=False):
        response = autosave(client, article)
    assert response.status_code == 200
    assert response.json() == {"saved_at": "12:32", "saved": "2026-06-01T16:32:00+00:00"}
    saved = ArticleAutosave.objects.get()
    assert (saved.user, saved.title, saved.body) == (people["author"], "New title", "<p>New words</p>")
    article.refresh_from_db()
    assert (article.title, article.body) == ("Old title", "<p>Body text.</p>")
    assert "New words" not in Client().get(article.get_absolute_url()).content.decode()


def test_a_second_autosave_replaces_the_first(client, people):
    article = ArticleFactory(status="draft", authors=[people["michele"]])
    client.force_login(people["author"])
    autosave(client, article, title="First")
    autosave(client, article, title="Second")
    assert list(ArticleAutosave.objects.values_list("title", flat=True)) == ["Second"]


def test_autosave_does_not_write_the_article(client, people):
    article = ArticleFactory(status="draft", authors=[people["michele"]])
    modified = article.modified_at
    client.force_login(people["author"])
    autosave(client, article)
    article.refresh_from_db()
    assert article.modified_at == modified  # the article row was not written


def test_autosave_makes_no_revision_and_no_version(client, people):
    article = ArticleFactory(authors=[people["michele"]])
    client.force_login(people["author"])
    assert autosave(client, article).status_code == 200
    assert (Version.objects.get_for_object(article).count(), article.published_versions.count()) == (0, 0)


def test_autosave_of_another_authors_article_is_refused(client, people):
    article = ArticleFactory(status="draft", authors=[people["olga"]])
    client.force_login(people["author"])
    assert autosave(client, article).status_code == 404
    assert not ArticleAutosave.objects.exists()


def test_autosave_is_closed_to_moderators_and_needs_post_and_csrf(client, people, moderator):
    article = ArticleFactory(status="draft", authors=[people["michele"]])
    client.force_login(moderator)
    assert autosave(client, article).status_code == 403
    client.force_login(people["author"])
    assert client.get(f"/admin/articles/article/{article.pk}/autosave/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["author"])
    assert autosave(strict, article).status_code == 403
    assert not ArticleAutosave.objects.exists()


def test_bad_autosave_is_refused_with_a_message(client, people):
    article = ArticleFactory(status="draft", authors=[people["michele"]])
    client.force_login(people["author"])
    response = autosave(client, article, title="x" * 201)
    assert response.status_code == 400
    assert response.json()["error"] == "Not saved: Ensure this value has at most 200 characters (it has 201)."


def test_the_form_offers_a_newer_autosave_and_restores_it(client, people):
    with time_machine.travel(NOON, tick=False):
        article = ArticleFactory(status="draft", title="Saved title", authors=[people["michele"]])
    client.force_login(people["author"])
    with time_machine.travel(NOON + datetime.timedelta(minutes=5), tick=False):
        autosave(client, article, title="Typed title")
    url = f"/admin/articles/article/{article.pk}/change/"
    page = client.get(url).content.decode()
    assert "You have unsaved work on this article, autosaved at 12:05." in page
    assert BeautifulSoup(page, "html.parser").select_one("#id_title")["value"] == "Saved title"
    restored = BeautifulSoup(client.get(url + "?restore=autosave").content, "html.parser")
    assert restored.select_one("#id_title")["value"] == "Typed title"
    assert restored.select_one("#id_body").text.strip() == "<p>New words</p>"
    # Once the article is saved, the older autosave is no longer offered.
    data = form_data(client.get(url + "?restore=autosave").content)
    with time_machine.travel(NOON + datetime.timedelta(minutes=6), tick=False):
        assert client.post(url, data).status_code == 302
    assert Article.objects.get().title == "Typed title"
    assert "autosaved at" not in client.get(url).content.decode()


def test_the_form_carries_the_autosave_status_and_save_and_preview(client, people):
    article = ArticleFactory(status="draft", authors=[people["michele"]])
    client.force_login(people["author"])
    page = BeautifulSoup(client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser")
    assert page.select_one(".autosave-status")["data-autosave-url"] == f"/admin/articles/article/{article.pk}/autosave/"
    assert page.select_one("input[name=_preview]")["value"] == "Save and preview"
    assert page.select_one('script[src$="js/article_editor.js"]') is not None


def test_save_and_preview_saves_and_opens_the_draft_preview(client, people):
    article = ArticleFactory(status="draft", title="Draft", authors=[people["michele"]])
    client.force_login(people["author"])
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(client.get(url).content)
    data.update({"title": "Draft, revised", "_preview": "Save and preview"})
    response = client.post(url, data)
    article.refresh_from_db()
    assert article.title == "Draft, revised"
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Draft preview" in preview.content.decode()


def test_a_new_article_saved_with_save_and_preview_opens_its_draft_preview(client, people):
    from tests.factories import BlogFactory

    blog = BlogFactory()
    client.force_login(people["author"])
    page = BeautifulSoup(client.get("/admin/articles/article/add/").content, "html.parser")
    assert page.select_one(".autosave-status") is None  # a new article autosaves from its first save on
    assert page.select_one(".search-preview-title").text == ""
    data = form_data(str(page))
    data.update({"blog": str(blog.pk), "title": "Fresh piece", "slug": "fresh-piece", "body": "<p>New.</p>",
                 "status": "draft", "published_at_0": "2026-06-01", "published_at_1": "09:00:00",
                 "_preview": "Save and preview"})
    response = client.post("/admin/articles/article/add/", data)
    article = Article.objects.get(slug="fresh-piece")
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert "Draft preview" in client.get(response["Location"]).content.decode()
