"""Revisions of articles and bios: every admin save, who and when and the note; history, changes, restore."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.core.files.storage import default_storage
from reversion.models import Version

from healthsite import diff
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory
from tests.healthsite.test_images import jpeg_with_gps

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"


@pytest.fixture
def people(staff):
    michele = AuthorFactory(display_name="Michele Rosenthal", slug="michele", bio="<p>Writes on trauma.</p>")
    olga = AuthorFactory(display_name="Olga Other", slug="olga")
    return {
        "michele": michele, "olga": olga,
        "author": staff("author", "Authors", author=michele),
        "editor": staff("editor", "Editors"),
        "moderator": staff("moderator", "Moderators"),
        "own": ArticleFactory(title="Own piece", body="<p>Take 10 mg at night.</p>", authors=[michele]),
        "other": ArticleFactory(title="Other piece", authors=[olga]),
    }


def edit(client, article, **changes):
    """Post the article's change form as the browser would, with `changes`; return the response."""
    url = f"{ARTICLES}{article.pk}/change/"
    data = form_data(client.get(url).content)
    data.update(changes)
    return client.post(url, data)


def versions(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))


def test_every_admin_save_of_an_article_is_a_revision_with_who_when_and_the_note(client, people):
    client.force_login(people["author"])
    article = people["own"]
    assert edit(client, article, body="<p>Take 5 mg at night.</p>", revision_note="Dose corrected").status_code == 302
    assert edit(client, article, title="Own piece, revised").status_code == 302
    newest, first = versions(article)
    assert (first.revision.user, first.revision.comment) == (people["author"], "Dose corrected")
    assert first.field_dict["body_html"] == "<p>Take 5 mg at night.</p>"
    assert newest.revision.comment == "Changed Title."  # no note: the admin's own message
    assert newest.field_dict["title"] == "Own piece, revised"


def test_a_save_outside_the_admin_makes_no_revision(people):
    article = people["own"]
    article.body = "<p>Saved by an autosave.</p>"
    article.save()
    assert versions(article) == []


def test_every_admin_save_of_an_author_profile_is_a_revision(client, people):
    client.force_login(people["author"])
    michele = people["michele"]
    url = f"/admin/authors/author/{michele.pk}/change/"
    data = form_data(client.get(url).content)
    data.update({"bio": "<p>Writes on trauma and <em>sleep</em>.</p>", "revision_note": "Bio brought up to date"})
    assert client.post(url, data).status_code == 302
    [version] = versions(michele)
    assert (version.revision.user, version.revision.comment) == (people["author"], "Bio brought up to date")
    assert version.field_dict["bio_html"] == "<p>Writes on trauma and <em>sleep</em>.</p>"
    history = client.get(f"{url.removesuffix('change/')}history/").content.decode()
    assert "Bio brought up to date" in history


def test_history_lists_each_revision_with_its_note_changes_and_restore(client, people):
    client.force_login(people["author"])
    article = people["own"]
    edit(client, article, body="<p>Take 5 mg at night.</p>", revision_note="Dose corrected")
    [version] = versions(article)
    page = client.get(f"{ARTICLES}{article.pk}/history/").content.decode()
    assert "Dose corrected" in page
    assert f'href="{ARTICLES}{article.pk}/history/{version.pk}/changes/">Changes</a>' in page
    assert f'href="{ARTICLES}{article.pk}/history/{version.pk}/">Restore</a>' in page
    assert f'<a href="{article.get_absolute_url()}v/1/">Version 1 on the site</a>' in page  # a published save


def test_changes_show_the_words_deleted_and_inserted_escaped(client, people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False)
    client.force_login(people["author"])
    article = people["own"]
    edit(client, article, body="<p>Take 10 mg at night.</p>")
    edit(client, article, title="Own piece <script>alert(1)</script>", body="<p>Take 5 mg at night.</p>")
    newest = versions(article)[0]
    response = client.get(f"{ARTICLES}{article.pk}/history/{newest.pk}/changes/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Take <del>10</del><ins>5</ins> mg at night." in page
    assert "Own piece<ins> &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page
    assert "<script>alert(1)" not in page
    assert "Summary (unchanged)" in page
    assert "<h1>Changes in the revision of Nov. 2, 2026, 10 a.m.</h1>" in page  # in the site's time zone


def test_restore_saves_an_old_revision_as_a_new_one(client, people):
    client.force_login(people["author"])
    article = people["own"]
    edit(client, article, body="<p>Take 10 mg at night.</p>", revision_note="First")
    edit(client, article, body="<p>Take 5 mg at night.</p>", revision_note="Second")
    first = versions(article)[-1]
    url = f"{ARTICLES}{article.pk}/history/{first.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    article.refresh_from_db()
    assert article.body_html == "<p>Take 5 mg at night.</p>"  # showing the old revision changes nothing
    assert client.post(url, form_data(form.content)).status_code == 302
    article.refresh_from_db()
    assert article.body_html == "<p>Take 10 mg at night.</p>"
    assert [v.revision.comment.split(",")[0] for v in versions(article)] == [
        "Reverted to previous version", "Second", "First"]


def test_restoring_a_revision_whose_image_was_replaced_keeps_the_current_image(
        client, people, django_capture_on_commit_callbacks):
    client.force_login(people["editor"])
    article = people["own"]
    with django_capture_on_commit_callbacks(execute=True):
        assert edit(client, article, lead_image=jpeg_with_gps(name="first.jpg"), lead_image_alt="First light",
                    body="<p>Old words.</p>").status_code == 302
        assert edit(client, article, lead_image=jpeg_with_gps(800, 500, name="second.jpg"),
                    lead_image_alt="Second light", body="<p>New words.</p>").status_code == 302
    article.refresh_from_db()
    current = article.lead_image.name
    first = versions(article)[-1]
    assert not default_storage.exists(str(first.field_dict["lead_image"]))  # deleted when it was replaced

    url = f"{ARTICLES}{article.pk}/history/{first.pk}/"
    form = client.get(url)
    assert "The lead image of this revision has been deleted since: the current one is kept." in form.content.decode()
    assert client.post(url, form_data(form.content)).status_code == 302
    article.refresh_from_db()
    assert article.body_html == "<p>Old words.</p>"
    assert (article.lead_image.name, article.lead_image_alt, article.lead_image_width) == (current, "Second light", 800)
    assert default_storage.exists(current)
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role, whose, expected", [
    ("author", "other", 404), ("moderator", "own", 403), ("editor", "own", 200), ("editor", "other", 200),
])
def test_history_changes_and_restore_are_for_who_may_change_the_article(client, people, role, whose, expected):
    article = people[whose]
    client.force_login(people["editor"])
    edit(client, article, body="<p>Edited by an editor.</p>")
    [version] = versions(article)
    client.force_login(people[role])
    base = f"{ARTICLES}{article.pk}/history/"
    for url in (base, f"{base}{version.pk}/changes/", f"{base}{version.pk}/"):
        assert client.get(url).status_code == expected, url
    response = client.post(f"{base}{version.pk}/", {"title": "Taken over", "body": "<p>x</p>"})
    assert response.status_code in ((expected,) if expected != 200 else (200, 302))
    article.refresh_from_db()
    assert article.title != "Taken over"


def test_a_version_of_another_object_cannot_be_restored_through_this_one(client, people):
    client.force_login(people["editor"])
    olga = people["olga"]
    url = f"/admin/authors/author/{olga.pk}/change/"
    data = form_data(client.get(url).content)
    data["bio"] = "<p>Olga's bio.</p>"
    client.post(url, data)
    [bio_version] = versions(olga)
    client.force_login(people["author"])
    article = people["own"]
    # The same object id as one of the author's own articles would let reversion put Olga's bio back.
    assert client.get(f"{ARTICLES}{article.pk}/history/{bio_version.pk}/").status_code == 404
    assert client.post(f"{ARTICLES}{article.pk}/history/{bio_version.pk}/", {}).status_code == 404


def test_deleted_objects_are_not_recovered_through_reversion(client, people):
    with pytest.raises(NoReverseMatch):
        reverse("admin:articles_article_recoverlist")
    client.force_login(people["editor"])
    assert client.get(f"{ARTICLES}recover/").status_code in (302, 404)  # the change view's "not found"


def test_text_of_stored_html_has_a_line_per_block():
    assert diff.text("<h2>Why</h2><p>One &amp; two</p><ul><li>a</li><li>b</li></ul>") == "Why\nOne & two\na\nb"


def test_words_marks_deletions_and_insertions_and_escapes_the_rest():
    assert diff.words("Take 10 mg <daily>", "Take 5 mg <daily>") == (
        "Take <del>10</del><ins>5</ins> mg &lt;daily&gt;")
    assert diff.words("", "New") == "<ins>New</ins>"
    assert diff.words("same", "same") == "same"

