"""Lead images and author photos: checks, metadata stripping and renditions, with real Pillow files."""

import io
import posixpath
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from healthsite import images
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


def test_changing_the_lead_image_deletes_the_old_original_and_renditions(django_capture_on_commit_callbacks):
    article = ArticleFactory(lead_image=jpeg_with_gps(name="first.jpg"), lead_image_alt="First")
    old = article.lead_image.name
    assert default_storage.exists(images.rendition_name(old, 480, "webp"))
    article.lead_image = jpeg_with_gps(900, 900, name="second.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert not default_storage.exists(old)
    assert not default_storage.exists(images.rendition_name(old, 480, "webp"))
    assert not default_storage.exists(images.rendition_name(old, 800, "jpg"))
    assert stored_image(images.rendition_name(article.lead_image.name, 900, "jpg")).size == (900, 900)


def test_clearing_the_lead_image_deletes_it_and_its_renditions(django_capture_on_commit_callbacks):
    article = ArticleFactory(lead_image=jpeg_with_gps(), lead_image_alt="First")
    old = article.lead_image.name
    article.lead_image, article.lead_image_alt = None, ""
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert not default_storage.exists(old)
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


# Extreme shapes: a tiny PNG can be 1 x 20,000 pixels, and no WebP rendition may be taller than 16,383.
def png(width, height, name="tall.png", color=0) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("1", (width, height), color).save(out, "PNG", optimize=True)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def change_lead_image(client, article, upload, alt="Changed"):
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(client.get(url).content)
    data.update({"lead_image": upload, "lead_image_alt": alt})
    return client.post(url, data)


def files_of(name: str) -> set[str]:
    """Return the stored original `name` and its renditions that exist."""
    candidates = {name} | {images.rendition_name(name, w, ext) for w in images.LEAD_WIDTHS + (900, 1000) for ext in ("webp", "jpg")}
    return {f for f in candidates if default_storage.exists(f)}


def test_a_1_by_20000_png_is_161_bytes():
    assert len(png(1, 20_000).read()) < 200  # why the byte limit alone cannot catch it


@pytest.mark.parametrize(
    "size, message",
    [
        ((1, 20_000), "This image is 1 × 20,000 pixels, too tall and narrow to show: its longer side may be at most "
                      "10 times its shorter side. Please crop it."),
        ((2, 17_000), "This image is 2 × 17,000 pixels, too tall and narrow to show"),
        ((5, 70_000), "This image is 5 × 70,000 pixels, too tall and narrow to show"),
        ((20_000, 1), "This image is 20,000 × 1 pixels, too wide and short to show"),
        ((1600, 16_001), "This image is 1,600 × 16,001 pixels, too tall and narrow to show"),
        ((16_384, 2_000), "This image is 16,384 × 2,000 pixels; each side may be at most 16,383 pixels. "
                          "Please upload a smaller version."),
    ],
)
def test_extreme_shapes_are_refused_with_a_message(editor_client, size, message):
    response = add_article(editor_client, lead_image=png(*size), lead_image_alt="A line")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.filter(slug="with-a-picture").exists()


def test_the_tallest_accepted_shape_gets_its_renditions(editor_client, committed):
    with committed():  # 25.6 megapixels: made by a job once the article is saved
        response = add_article(editor_client, lead_image=png(1600, 16_000), lead_image_alt="A tall chart")
    assert response.status_code == 302
    article = Article.objects.get(slug="with-a-picture")
    assert stored_image(images.rendition_name(article.lead_image.name, 1600, "webp")).size == (1600, 16_000)


@pytest.mark.parametrize("size", [(1, 20_000), (2, 17_000), (5, 70_000)])
def test_a_refused_tall_image_keeps_the_old_image_and_its_renditions(editor_client, client, size):
    add_article(editor_client, lead_image=jpeg_with_gps(), lead_image_alt="A teal square")
    article = Article.objects.get(slug="with-a-picture")
    before = files_of(article.lead_image.name)
    assert len(before) == 7  # the original and 3 widths x 2 formats
    response = change_lead_image(editor_client, article, png(*size))
    assert response.status_code == 200
    assert "too tall and narrow to show" in response.content.decode()
    article.refresh_from_db()
    assert files_of(article.lead_image.name) == before
    assert (article.lead_image_width, article.lead_image_height) == (1000, 600)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'/media/{images.rendition_name(article.lead_image.name, 800, "jpg")}"' in page


def test_a_tall_photo_is_refused_for_an_author_too(admin_client):
    author = AuthorFactory()
    url = f"/admin/authors/author/{author.pk}/change/"
    data = form_data(admin_client.get(url).content)
    data["photo"] = png(1, 20_000)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "This image is 1 × 20,000 pixels, too tall and narrow to show" in response.content.decode()


def test_a_tall_image_saved_outside_the_admin_is_refused_before_anything_is_stored():
    from django.core.exceptions import ValidationError

    article = ArticleFactory(lead_image=jpeg_with_gps(), lead_image_alt="First")
    before = files_of(article.lead_image.name)
    article.lead_image = png(1, 20_000)
    with pytest.raises(ValidationError, match="too tall and narrow"):
        article.save()
    assert files_of(Article.objects.get(pk=article.pk).lead_image.name) == before


def test_replacing_the_lead_image_deletes_the_old_original_and_renditions_once_saved(
    editor_client, django_capture_on_commit_callbacks
):
    add_article(editor_client, lead_image=jpeg_with_gps(), lead_image_alt="A teal square")
    article = Article.objects.get(slug="with-a-picture")
    old = article.lead_image.name
    assert len(files_of(old)) == 7
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = change_lead_image(editor_client, article, jpeg_with_gps(900, 900, name="second.jpg"))
        assert response.status_code == 302
        assert len(files_of(old)) == 7  # nothing is deleted until the new image is saved for good
    assert callbacks
    article.refresh_from_db()
    assert files_of(old) == set()
    assert len(files_of(article.lead_image.name)) == 7


def test_a_failure_while_making_renditions_keeps_the_old_image(editor_client, monkeypatch):
    add_article(editor_client, lead_image=jpeg_with_gps(), lead_image_alt="A teal square")
    article = Article.objects.get(slug="with-a-picture")
    before = files_of(article.lead_image.name)
    encode, calls = images._encode, []

    def failing_encode(image, image_format):
        calls.append(image_format)
        if len(calls) == 3:
            raise OSError("No space left on device")
        return encode(image, image_format)

    monkeypatch.setattr(images, "_encode", failing_encode)
    editor_client.raise_request_exception = False
    response = change_lead_image(editor_client, article, jpeg_with_gps(900, 900, name="second.jpg"))
    assert response.status_code == 500
    article.refresh_from_db()
    assert files_of(article.lead_image.name) == before
    folder, filename = posixpath.split(article.lead_image.name)  # nothing of the new image is left behind
    assert default_storage.listdir(folder)[1] == [filename]
    assert sorted(default_storage.listdir(f"renditions/{folder}")[1]) == sorted(
        posixpath.basename(f) for f in before if f.startswith("renditions/"))


def test_a_new_upload_never_shares_its_renditions_with_another_image(editor_client):
    first = ArticleFactory(lead_image=png(900, 600, name="shot.png", color=1), lead_image_alt="White")
    second = ArticleFactory(lead_image=jpeg_with_gps(800, 800, name="shot.jpg"), lead_image_alt="Teal")
    assert first.lead_image.name.rsplit(".", 1)[0] != second.lead_image.name.rsplit(".", 1)[0]
    assert stored_image(images.rendition_name(first.lead_image.name, 800, "jpg")).size == (800, 533)
    assert stored_image(images.rendition_name(second.lead_image.name, 800, "jpg")).size == (800, 800)
