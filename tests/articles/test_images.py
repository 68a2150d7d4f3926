"""Lead images and author photos: checks, metadata stripping and renditions, with real Pillow files."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from articles import images
from articles.models import Article
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def jpeg_with_gps(width=1000, height=600, name="holiday.jpg") -> SimpleUploadedFile:
    """Return a JPEG upload carrying a camera make and GPS coordinates, as phones write them."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (40.0, 44.0, 55.0)}
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png_bomb() -> SimpleUploadedFile:
    """Return a tiny PNG whose header claims 30,000 x 30,000 pixels (a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


def stored_image(name: str) -> Image.Image:
    with default_storage.open(name) as f:
        image = Image.open(f)
        image.load()
        return image


@pytest.fixture
def editor_client(client, staff):
    client.force_login(staff("editor", "Editors"))
    return client


def add_article(client, **fields):
    author = AuthorFactory()
    data = form_data(client.get("/admin/articles/article/add/").content)
    data.update({
        "blog": str(ArticleFactory().blog.pk), "title": "With a picture", "slug": "with-a-picture",
        "body": "<p>Text.</p>", "status": "published", "published_at_0": "2024-05-01", "published_at_1": "09:00:00",
        "credits-TOTAL_FORMS": "1", "credits-0-author": str(author.pk), "credits-0-position": "0",
    })
    data.update(fields)
    return client.post("/admin/articles/article/add/", data)


def test_uploaded_lead_image_gets_renditions_and_loses_its_exif(editor_client):
    response = add_article(editor_client, lead_image=jpeg_with_gps(), lead_image_alt="A teal square")
    assert response.status_code == 302
    article = Article.objects.get(slug="with-a-picture")
    assert (article.lead_image_width, article.lead_image_height) == (1000, 600)
    original = stored_image(article.lead_image.name)
    assert not original.getexif() and "exif" not in original.info
    for width in (480, 800, 1000):
        for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            rendition = stored_image(images.rendition_name(article.lead_image.name, width, extension))
            assert rendition.format == image_format
            assert rendition.size == (width, round(600 * width / 1000))
            assert not rendition.getexif()
    assert not default_storage.exists(images.rendition_name(article.lead_image.name, 1200, "jpg"))  # no upscaling


def test_article_page_serves_the_lead_image_with_srcset_and_sizes(editor_client, client):
    add_article(editor_client, lead_image=jpeg_with_gps(), lead_image_alt="A teal square")
    article = Article.objects.get(slug="with-a-picture")
    page = client.get(article.get_absolute_url()).content.decode()
    webp = images.rendition_name(article.lead_image.name, 800, "webp")
    assert f'srcset="/media/{images.rendition_name(article.lead_image.name, 480, "webp")} 480w, /media/{webp} 800w' in page
    assert 'sizes="(min-width: 46rem) 44rem, 100vw"' in page
    assert 'alt="A teal square" width="1000" height="600"' in page
    share = images.rendition_name(article.lead_image.name, 1000, "jpg")
    assert f'<meta property="og:image" content="http://127.0.0.1:8000/media/{share}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_lead_image_without_alt_text_is_refused(editor_client):
    response = add_article(editor_client, lead_image=jpeg_with_gps(), lead_image_alt="")
    assert response.status_code == 200
    assert "Describe the lead image for readers who cannot see it." in response.content.decode()
    assert not Article.objects.filter(slug="with-a-picture").exists()


def test_decompression_bomb_is_refused_with_a_message(editor_client):
    response = add_article(editor_client, lead_image=png_bomb(), lead_image_alt="Huge")
    assert response.status_code == 200
    assert "This image has too many pixels to process safely (the limit is 40 megapixels)." in response.content.decode()
    assert not Article.objects.filter(slug="with-a-picture").exists()


def test_image_over_the_pixel_setting_is_refused(editor_client, settings):
    settings.IMAGES_MAX_PIXELS = 500_000
    response = add_article(editor_client, lead_image=jpeg_with_gps(1000, 600), lead_image_alt="Big")
    assert "This image has too many pixels to process safely" in response.content.decode()


def test_non_image_is_refused_with_a_message(editor_client):
    fake = SimpleUploadedFile("notes.jpg", b"these are not pixels", content_type="image/jpeg")
    response = add_article(editor_client, lead_image=fake, lead_image_alt="Notes")
    assert response.status_code == 200
    assert "This file is not an image. Upload a JPEG, PNG or WebP picture." in response.content.decode()


def test_gif_is_refused_as_unsupported(editor_client):
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(out, "GIF")
    response = add_article(editor_client, lead_image=SimpleUploadedFile("a.gif", out.getvalue()), lead_image_alt="A")
    assert "Upload a JPEG, PNG or WebP image; this file is GIF." in response.content.decode()


def test_changing_the_lead_image_deletes_the_old_renditions():
    article = ArticleFactory(lead_image=jpeg_with_gps(name="first.jpg"), lead_image_alt="First")
    old = article.lead_image.name
    assert default_storage.exists(images.rendition_name(old, 480, "webp"))
    article.lead_image = jpeg_with_gps(900, 900, name="second.jpg")
    article.save()
    assert not default_storage.exists(images.rendition_name(old, 480, "webp"))
    assert not default_storage.exists(images.rendition_name(old, 800, "jpg"))
    assert stored_image(images.rendition_name(article.lead_image.name, 900, "jpg")).size == (900, 900)


def test_clearing_the_lead_image_deletes_its_renditions():
    article = ArticleFactory(lead_image=jpeg_with_gps(), lead_image_alt="First")
    old = article.lead_image.name
    article.lead_image, article.lead_image_alt = None, ""
    article.save()
    assert not default_storage.exists(images.rendition_name(old, 480, "jpg"))


def test_saving_without_a_new_image_keeps_the_renditions():
    article = ArticleFactory(lead_image=jpeg_with_gps(), lead_image_alt="First")
    article.title = "Retitled"
    article.save()
    assert default_storage.exists(images.rendition_name(article.lead_image.name, 480, "jpg"))


def test_camera_orientation_is_applied_before_the_tag_is_dropped():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90 degrees clockwise to display
    out = io.BytesIO()
    Image.new("RGB", (800, 400), "navy").save(out, "JPEG", exif=exif)
    article = ArticleFactory(lead_image=SimpleUploadedFile("turned.jpg", out.getvalue()), lead_image_alt="Portrait")
    assert (article.lead_image_width, article.lead_image_height) == (400, 800)
    assert not stored_image(article.lead_image.name).getexif()
