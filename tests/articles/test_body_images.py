"""Images in article bodies: uploaded from the editor's picker, served as figures with srcset."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article, BodyImage
from healthsite import sanitize
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.healthsite.test_images import jpeg_with_gps

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/articles/bodyimage/upload/"
PICK = "/admin/articles/bodyimage/pick/"


@pytest.fixture
def michele():
    return AuthorFactory(display_name="Michele Rosenthal", slug="michele")


@pytest.fixture
def author(client, staff, michele):
    user = staff("author", "Authors", author=michele)
    client.force_login(user)
    return user


def upload(client, **fields):
    data = {"image": jpeg_with_gps(), "alt_text": "A path through a pine forest", "caption": "Walking helps.", **fields}
    return client.post(UPLOAD, {k: v for k, v in data.items() if v is not None}, HTTP_ACCEPT="application/json")


def test_an_author_uploads_an_image_stripped_of_exif_with_renditions(client, author):
    response = upload(client)
    assert response.status_code == 201
    data = response.json()
    image = BodyImage.objects.get()
    assert data == {"id": image.pk, "url": image.image.url, "alt": "A path through a pine forest",
                    "caption": "Walking helps.", "width": 1000, "height": 600,
                    "thumbnail": f"/media/renditions/{image.image.name[:-4]}-480w.jpg"}
    assert image.uploaded_by == author
    with default_storage.open(image.image.name) as stored:
        assert not Image.open(stored).getexif()
    for width in (480, 800, 1000):
        for extension in ("webp", "jpg"):
            assert default_storage.exists(f"renditions/{image.image.name[:-4]}-{width}w.{extension}")


def test_upload_without_alt_text_is_refused_with_a_json_message(client, author):
    response = upload(client, alt_text="  ")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "alt_text": ["Describe the image for readers who cannot see it (alt text)."]}
    assert not BodyImage.objects.exists()


@pytest.mark.parametrize("file, message", [
    (SimpleUploadedFile("notes.jpg", b"not a picture", content_type="image/jpeg"),
     "This file is not an image. Upload a JPEG, PNG or WebP picture."),
    (None, "Choose an image file to upload."),
])
def test_upload_of_a_non_image_or_nothing_is_refused(client, author, file, message):
    response = upload(client, image=file)
    assert response.status_code == 400
    assert response.json()["errors"]["image"] == [message]


def test_upload_over_the_size_limit_is_refused(client, author, settings):
    settings.IMAGES_MAX_BYTES = 1_000
    response = upload(client)
    assert response.status_code == 400
    assert response.json()["errors"]["image"][0].startswith("This file is ")
    assert "images up to 0 MB are accepted" in response.json()["error"]


def test_gif_is_refused_as_unsupported(client, author):
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, "GIF")
    response = upload(client, image=SimpleUploadedFile("a.gif", out.getvalue(), content_type="image/gif"))
    assert response.json()["errors"]["image"] == ["Upload a JPEG, PNG or WebP image; this file is GIF."]


def test_upload_is_refused_to_staff_without_article_change_permission(client, moderator):
    client.force_login(moderator)
    response = upload(client)
    assert response.status_code == 403
    assert response.json() == {"error": "You may not upload images."}
    assert not BodyImage.objects.exists()


def test_upload_is_refused_to_readers_and_needs_a_post(client, author):
    assert client.get(UPLOAD).status_code == 405
    client.force_login(UserFactory(username="reader"))
    assert upload(client).status_code == 302  # the admin's login page
    assert not BodyImage.objects.exists()


def test_upload_needs_the_csrf_token(author):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    assert upload(strict).status_code == 403
    assert not BodyImage.objects.exists()


def article_data(client, article, body):
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(client.get(url).content)
    data["body"] = body
    return url, data


def figure(image, alt="A path through a pine forest", caption="Walking helps."):
    return (f'<figure><img src="{image.image.url}" alt="{alt}">'
            f"{f'<figcaption>{caption}</figcaption>' if caption else ''}</figure>")


def test_the_page_serves_the_figure_with_the_renditions_srcset(client, author, michele):
    upload(client)
    image = BodyImage.objects.get()
    article = ArticleFactory(title="Walking", authors=[michele])
    url, data = article_data(client, article, "<p>Text.</p>" + figure(image))
    assert client.post(url, data).status_code == 302

    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    img = page.select_one(".article-body figure img")
    stem = f"/media/renditions/{image.image.name[:-4]}"
    assert img.attrs == {
        "src": image.image.url, "alt": "A path through a pine forest",
        "srcset": f"{stem}-480w.jpg 480w, {stem}-800w.jpg 800w, {stem}-1000w.jpg 1000w",
        "sizes": "(min-width: 46rem) 44rem, 100vw", "width": "1000", "height": "600",
    }
    assert page.select_one(".article-body figure figcaption").text == "Walking helps."
    assert list(image.articles.all()) == [article]


def test_a_figure_without_alt_text_is_refused_with_the_body_kept(client, author, michele):
    upload(client)
    article = ArticleFactory(authors=[michele])
    url, data = article_data(client, article, "<p>Kept words.</p>" + figure(BodyImage.objects.get(), alt=""))
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Give every image alt text: describe it for readers who cannot see it." in response.content.decode()
    assert "Kept words." in response.content.decode()
    article.refresh_from_db()
    assert article.body == "<p>Body text.</p>"


def test_removing_the_figure_forgets_the_use():
    image = BodyImage.objects.create(image=jpeg_with_gps(), alt_text="Pines")
    article = ArticleFactory(body=figure(image))
    assert list(image.articles.all()) == [article]
    article.body = "<p>No picture now.</p>"
    article.save()
    assert list(image.articles.all()) == []


def test_sanitizer_keeps_only_srcsets_of_our_media():
    prefixes = sanitize.media_prefixes()
    assert sanitize.own_srcset("/media/renditions/a-480w.jpg 480w, /media/renditions/a-800w.jpg 800w", prefixes)
    for bad in ["https://evil.example/a.jpg 480w", "/media/a.jpg 480w, //evil.example/b.jpg 800w",
                "/media/../secret.jpg 480w", "/media/a.jpg", "/media/a.jpg 2x", "javascript:alert(1) 1w", ""]:
        assert not sanitize.own_srcset(bad, prefixes), bad
    html = sanitize.article_html(
        '<figure class="figure"><img src="/media/a.jpg" alt="A" srcset="https://evil.example/t.gif 1w" '
        'sizes="100vw" data-file="3" onerror="alert(1)" style="x" loading="lazy"><figcaption>C</figcaption></figure>')
    assert html == '<figure><img src="/media/a.jpg" alt="A"><figcaption>C</figcaption></figure>'


def test_stored_srcset_is_made_again_from_the_library_whatever_was_typed():
    image = BodyImage.objects.create(image=jpeg_with_gps(width=600, height=400), alt_text="Pines")
    article = ArticleFactory(
        body=f'<figure><img src="{image.image.url}" alt="Pines" srcset="/media/old-1w.jpg 1w" width="9"></figure>')
    stem = f"/media/renditions/{image.image.name[:-4]}"
    assert article.body_html == (
        f'<figure><img src="{image.image.url}" alt="Pines" srcset="{stem}-480w.jpg 480w, {stem}-600w.jpg 600w" '
        f'width="600" sizes="(min-width: 46rem) 44rem, 100vw" height="400"></figure>')


def test_editor_figure_button_opens_the_picker(client, author, michele):
    article = ArticleFactory(authors=[michele])
    page = BeautifulSoup(client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser")
    config = json.loads(page.select_one("#id_body")["data-django-prose-editor-configurable"])
    assert config["extensions"]["Figure"] == {"pickerUrl": PICK}


def test_the_picker_offers_upload_and_the_library(client, author):
    BodyImage.objects.create(image=jpeg_with_gps(), alt_text="Pines at dawn", caption="Morning")
    BodyImage.objects.create(image=jpeg_with_gps(name="b.jpg"), alt_text="A quiet lake")
    page = BeautifulSoup(client.get(PICK + "?CKEditorFuncNum=-1&q=pines").content, "html.parser")
    assert page.select_one("form.media-upload")["action"] == UPLOAD
    buttons = page.select(".media-choose")
    assert [(b["data-alt"], b["data-caption"]) for b in buttons] == [("Pines at dawn", "Morning")]


def test_the_picker_is_closed_to_moderators(client, moderator):
    client.force_login(moderator)
    response = client.get(PICK)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_without_the_pickers_script_the_form_posts_and_lands_back_with_the_refusal_and_text(client, author):
    response = client.post(UPLOAD, {"image": jpeg_with_gps(), "alt_text": "", "caption": "My caption"})
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".media-upload-errors").text.strip() == (
        "Describe the image for readers who cannot see it (alt text).")
    assert page.select_one("#id_caption")["value"] == "My caption"
    response = client.post(UPLOAD, {"image": jpeg_with_gps(), "alt_text": "Pines", "caption": ""})
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/bodyimage/"
    assert BodyImage.objects.get().alt_text == "Pines"


def test_on_object_storage_the_upload_and_the_srcset_are_the_buckets(client, author, michele, on_s3, s3_server):
    response = upload(client)
    assert response.status_code == 201
    image = BodyImage.objects.get()
    stem = image.image.name[:-4]
    assert s3_server.keys(on_s3) == sorted([image.image.name] + [
        f"renditions/{stem}-{w}w.{e}" for w in (480, 800, 1000) for e in ("jpg", "webp")])
    assert response.json()["url"] == f"{s3_server.url}/{on_s3}/{image.image.name}"
    article = ArticleFactory(body=figure(image), authors=[michele])
    img = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser").select_one(".article-body img")
    assert img["srcset"] == ", ".join(f"{s3_server.url}/{on_s3}/renditions/{stem}-{w}w.jpg {w}w" for w in (480, 800, 1000))
    assert list(image.articles.all()) == [article]


def test_resanitize_keeps_the_figures_srcset_and_finds_nothing_to_change():
    from django.core.management import call_command

    image = BodyImage.objects.create(image=jpeg_with_gps(), alt_text="Pines")
    article = ArticleFactory(body=figure(image))
    served = article.body_html
    out = io.StringIO()
    call_command("resanitize", stdout=out)
    assert out.getvalue().startswith("Article bodies: 0 of 1 changed.")
    article.refresh_from_db()
    assert article.body_html == served and "srcset=" in served
