"""Author pages and profiles: photo renditions, credentials, bio, links, feed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from healthsite import images
from tests.adminforms import form_data
from tests.healthsite.test_images import png_bomb, stored_image
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def test_author_page_shows_credentials_bio_links_and_feed(client):
    author = AuthorFactory(display_name="Dr Kim", credentials="PsyD", slug="kim", bio="<p>Treats trauma.</p>")
    author.social_links.create(label="Website", url="https://kim.example/")
    ArticleFactory(authors=[author], title="By Kim")
    page = client.get("/authors/kim/").content.decode()
    for text in ("Dr Kim, PsyD", "Treats trauma.", 'href="https://kim.example/"', "By Kim", 'href="/authors/kim/feed/"'):
        assert text in page


def test_author_photo_gets_square_renditions(client, staff):
    profile = AuthorFactory(display_name="Dr Square")
    staff("author", "Authors", author=profile)
    client.force_login(profile.user)
    data = form_data(client.get(f"/admin/authors/author/{profile.pk}/change/").content)
    out = io.BytesIO()
    Image.new("RGBA", (500, 300), (200, 10, 10, 128)).save(out, "PNG")
    data["photo"] = SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")
    assert client.post(f"/admin/authors/author/{profile.pk}/change/", data).status_code == 302
    profile.refresh_from_db()
    for size in images.PHOTO_SIZES:
        assert stored_image(images.rendition_name(profile.photo.name, size, "webp")).size == (size, size)
        assert stored_image(images.rendition_name(profile.photo.name, size, "jpg")).mode == "RGB"
    page = client.get(profile.get_absolute_url()).content.decode()
    assert f'/media/{images.rendition_name(profile.photo.name, 192, "webp")} 192w' in page


def test_author_photo_bomb_is_refused_with_a_message(admin_client):
    profile = AuthorFactory()
    data = form_data(admin_client.get(f"/admin/authors/author/{profile.pk}/change/").content)
    data["photo"] = png_bomb()
    response = admin_client.post(f"/admin/authors/author/{profile.pk}/change/", data)
    assert response.status_code == 200
    assert "This image has too many pixels to process safely" in response.content.decode()
