"""Media on object storage: originals, renditions and deletions go through a real S3 API (moto's server)."""

import io
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article
from healthsite import images, sanitize
from healthsite.checks import media_url_matches_the_storage
from tests.comments.test_import_wxr import full_export, media_dir, run  # noqa: F401 (fixtures)
from tests.comments.test_import_wxr import article as imported_article
from tests.factories import ArticleFactory, AuthorFactory
from tests.healthsite.test_images import add_article, editor_client, jpeg_with_gps  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read()


def test_an_upload_through_the_admin_lands_in_the_bucket_with_its_renditions(
        editor_client, client, on_s3, s3_server, settings):
    response = add_article(editor_client, lead_image=jpeg_with_gps(), lead_image_alt="A teal square")
    assert response.status_code == 302
    name = Article.objects.get(slug="with-a-picture").lead_image.name
    stem = name.rsplit(".", 1)[0]
    assert s3_server.keys(on_s3) == sorted([name] + [f"renditions/{stem}-{w}w.{e}" for w in (480, 800, 1000)
                                                     for e in ("jpg", "webp")])
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on the local disk

    page = BeautifulSoup(client.get(Article.objects.get(slug="with-a-picture").get_absolute_url()).content,
                         "html.parser")
    webp = page.find("source", type="image/webp")["srcset"].split(", ")
    assert webp == [f"{s3_server.url}/{on_s3}/renditions/{stem}-{w}w.webp {w}w" for w in (480, 800, 1000)]
    for entry in webp:
        status, content_type, body = fetch(entry.split(" ")[0])
        assert (status, content_type) == (200, "image/webp")
        assert Image.open(io.BytesIO(body)).format == "WEBP"
    status, _, body = fetch(page.find("img", alt="A teal square")["src"])
    assert status == 200 and Image.open(io.BytesIO(body)).size == (800, 480)
    # The original carries no EXIF or GPS data, in the bucket as on disk.
    status, content_type, body = fetch(settings.MEDIA_URL + name)
    assert content_type == "image/jpeg" and not Image.open(io.BytesIO(body)).getexif()


def test_replacing_an_image_deletes_the_old_files_from_the_bucket_once_committed(
        on_s3, s3_server, django_capture_on_commit_callbacks):
    article = ArticleFactory(lead_image=jpeg_with_gps(name="first.jpg"), lead_image_alt="First")
    old = article.lead_image.name
    assert len(s3_server.keys(on_s3)) == 7
    article.lead_image = jpeg_with_gps(900, 900, name="second.jpg")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.save()
    assert old in s3_server.keys(on_s3)  # until the change commits, pages still show the old image
    for callback in callbacks:
        callback()
    new = article.lead_image.name
    assert s3_server.keys(on_s3) == sorted(
        [new] + [f"renditions/{new.rsplit('.', 1)[0]}-{w}w.{e}" for w in (480, 800, 900) for e in ("jpg", "webp")])


def test_an_author_photo_and_a_second_upload_of_the_same_name_keep_apart(on_s3, s3_server):
    first = AuthorFactory(photo=jpeg_with_gps(500, 500, name="me.jpg"))
    second = AuthorFactory(photo=jpeg_with_gps(400, 400, name="me.jpg"))
    assert first.photo.name == "authors/me.jpg"
    assert second.photo.name != first.photo.name and second.photo.name.startswith("authors/me_")
    with default_storage.open(images.rendition_name(second.photo.name, 384, "jpg")) as stored:
        assert Image.open(stored).size == (384, 384)
    assert len(s3_server.keys(on_s3)) == 2 * (1 + 2 * len(images.PHOTO_SIZES))


def test_article_bodies_keep_images_from_the_bucket_and_drop_others(on_s3, settings):
    own = f"{settings.MEDIA_URL}renditions/articles/a-800w.jpg"
    assert sanitize.media_prefixes() == (settings.MEDIA_URL,)
    html = sanitize.article_html(f'<p><img src="{own}" alt="ours"><img src="/media/a.jpg" alt="local">'
                                 f'<img src="https://tracker.example.net/p.gif" alt="pixel"></p>')
    assert html == f'<p><img src="{own}" alt="ours"></p>'


def test_wordpress_images_are_imported_into_the_bucket(run, media_dir, on_s3, s3_server, settings):  # noqa: F811
    run(full_export(), "--media-dir", str(media_dir))
    soup = BeautifulSoup(imported_article(10).body_html, "html.parser")
    folder = "articles/imported/old-example-com/2012/10"
    assert [i["src"] for i in soup.find_all("img")] == [f"{settings.MEDIA_URL}renditions/{folder}/lake-800w.jpg"]
    assert s3_server.keys(on_s3) == sorted([f"{folder}/lake.jpg"] + [
        f"renditions/{folder}/lake-{w}w.{e}" for w in (480, 800, 1000) for e in ("jpg", "webp")])
    status, _, body = fetch(soup.img["src"])
    assert status == 200 and Image.open(io.BytesIO(body)).size == (800, 480)


def test_a_failed_import_deletes_what_it_stored_in_the_bucket(run, media_dir, on_s3, s3_server, monkeypatch):  # noqa: F811
    from articles import wxr

    stored_before_the_failure = []

    def fail(self, *args, **kwargs):
        stored_before_the_failure.extend(s3_server.keys(on_s3))
        raise RuntimeError("the database went away")

    monkeypatch.setattr(wxr.Importer, "finish", fail)  # after every post and image was written
    with pytest.raises(RuntimeError):
        run(full_export(), "--media-dir", str(media_dir))
    assert len(stored_before_the_failure) == 7  # the picture and its six renditions
    assert s3_server.keys(on_s3) == []


def test_the_start_up_check_refuses_a_media_url_the_storage_does_not_serve(on_s3, settings):
    assert media_url_matches_the_storage(None) == []
    settings.MEDIA_URL = "https://cdn.example.org/"
    errors = media_url_matches_the_storage(None)
    assert [e.id for e in errors] == ["healthsite.E001"]
    assert f"/{on_s3}/renditions/probe-480w.jpg, outside MEDIA_URL (https://cdn.example.org/)" in errors[0].msg


def production_settings(**env) -> list[str]:
    """Return MEDIA_URL, the img-src policy and `manage.py check`'s verdict under these environment variables."""
    script = ("import django; django.setup(); from django.conf import settings; from django.core.management import "
              "call_command; print(settings.MEDIA_URL); "
              "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])); call_command('check')")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DJANGO_SETTINGS_MODULE": "healthsite.settings",
             "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "www.example.org", **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("env, media_url", [
    ({}, "/media/"),
    ({"AWS_STORAGE_BUCKET_NAME": "hs-media"}, "https://hs-media.s3.amazonaws.com/"),
    ({"AWS_STORAGE_BUCKET_NAME": "hs-media", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
     "http://127.0.0.1:9000/hs-media/"),
    ({"AWS_STORAGE_BUCKET_NAME": "hs.media", "AWS_S3_REGION_NAME": "eu-west-3"},
     "https://s3.eu-west-3.amazonaws.com/hs.media/"),
    ({"AWS_STORAGE_BUCKET_NAME": "hs-media", "AWS_S3_CUSTOM_DOMAIN": "media.example.org"}, "https://media.example.org/"),
], ids=["local", "aws", "endpoint", "region", "custom-domain"])
def test_the_media_url_and_the_image_policy_follow_the_storage(env, media_url):
    origin = "/".join(media_url.split("/")[:3])
    assert production_settings(**env) == [
        media_url, "'self' data:" if media_url == "/media/" else f"'self' data: {origin}",
        "System check identified no issues (0 silenced)."]
