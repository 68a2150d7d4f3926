"""The media library in the admin: every body image with its alt text, uploader, date and articles."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import BodyImage
from tests.articles.test_body_images import figure
from tests.healthsite.test_images import jpeg_with_gps
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

LIBRARY = "/admin/articles/bodyimage/"


@pytest.fixture
def people(staff):
    michele = AuthorFactory(display_name="Michele Rosenthal", slug="michele")
    olga = AuthorFactory(display_name="Olga Other", slug="olga")
    return {"michele": michele, "olga": olga,
            "author": staff("author", "Authors", author=michele), "editor": staff("editor", "Editors")}


def rows(client):
    response = client.get(LIBRARY)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [[cell.get_text(" ", strip=True) for cell in row.select("td, th")]
            for row in page.select("#result_list tbody tr")]


def test_library_lists_each_image_with_its_uploader_and_articles(client, people):
    image = BodyImage.objects.create(image=jpeg_with_gps(), alt_text="Pines", caption="Morning", uploaded_by=people["editor"])
    ArticleFactory(title="Walking", body=figure(image), authors=[people["michele"]])
    ArticleFactory(title="Olga's draft", status="draft", body=figure(image), authors=[people["olga"]])
    client.force_login(people["editor"])
    assert [row[1:3] + row[5:] for row in rows(client)] == [["Pines", "Morning", "Olga's draft , Walking"]]
    assert rows(client)[0][3] == "Robin Reader"  # the uploader's name


def test_an_author_sees_only_their_own_articles_among_the_uses(client, people):
    image = BodyImage.objects.create(image=jpeg_with_gps(), alt_text="Pines")
    ArticleFactory(title="Walking", body=figure(image), authors=[people["michele"]])
    ArticleFactory(title="Olga's draft", status="draft", body=figure(image), authors=[people["olga"]])
    client.force_login(people["author"])
    assert rows(client)[0][-1] == "Walking"
    assert "Olga" not in client.get(LIBRARY).content.decode()


def test_library_queries_do_not_grow_with_images_or_articles(client, people):
    client.force_login(people["editor"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIBRARY).status_code == 200
        return len(queries)

    image = BodyImage.objects.create(image=jpeg_with_gps(), alt_text="Pines", uploaded_by=people["author"])
    ArticleFactory(body=figure(image), authors=[people["michele"]])
    few = count()
    for n in range(4):
        more = BodyImage.objects.create(image=jpeg_with_gps(name=f"p{n}.jpg"), alt_text=f"Pines {n}", uploaded_by=people["editor"])
        ArticleFactory(body=figure(more) + figure(image), authors=[people["olga"]])
    assert count() == few


def test_the_library_is_closed_to_moderators(client, moderator):
    client.force_login(moderator)
    assert client.get(LIBRARY).status_code == 403


def test_an_author_changes_the_alt_text_of_their_upload_only(client, people):
    own = BodyImage.objects.create(image=jpeg_with_gps(), alt_text="Pines", uploaded_by=people["author"])
    other = BodyImage.objects.create(image=jpeg_with_gps(name="o.jpg"), alt_text="Lake", uploaded_by=people["editor"])
    client.force_login(people["author"])
    response = client.post(f"{LIBRARY}{own.pk}/change/", {"alt_text": "Pines at dawn", "caption": ""})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.alt_text == "Pines at dawn"
    client.post(f"{LIBRARY}{other.pk}/change/", {"alt_text": "Changed", "caption": ""})
    other.refresh_from_db()
    assert other.alt_text == "Lake"


def test_only_an_editor_deletes_and_only_an_unused_image(client, people):
    used = BodyImage.objects.create(image=jpeg_with_gps(), alt_text="Pines")
    ArticleFactory(body=figure(used))
    unused = BodyImage.objects.create(image=jpeg_with_gps(name="u.jpg"), alt_text="Lake", uploaded_by=people["author"])
    client.force_login(people["author"])
    assert client.post(f"{LIBRARY}{unused.pk}/delete/", {"post": "yes"}).status_code == 403
    client.force_login(people["editor"])
    assert client.post(f"{LIBRARY}{used.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{LIBRARY}{unused.pk}/delete/", {"post": "yes"}).status_code == 302
    assert list(BodyImage.objects.all()) == [used]


def test_uploading_through_the_library_form_records_the_uploader(client, people):
    client.force_login(people["author"])
    response = client.post(f"{LIBRARY}add/", {"image": jpeg_with_gps(), "alt_text": "Pines", "caption": ""})
    assert response.status_code == 302
    assert BodyImage.objects.get().uploaded_by == people["author"]
    response = client.post(f"{LIBRARY}add/", {"image": jpeg_with_gps(), "alt_text": "", "caption": "Kept caption"})
    assert response.status_code == 200
    assert "Describe the image for readers who cannot see it (alt text)." in response.content.decode()
    assert "Kept caption" in response.content.decode()
