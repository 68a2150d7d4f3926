"""Malformed requests answer a clear 4xx, never a 500: impossible dates, foreign charsets, NUL characters."""

import pytest
from django.test import Client

from tests.factories import ArticleFactory, AuthorFactory, BlogFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

BAD_REQUEST_PAGE = "This request could not be read"


@pytest.fixture
def article():
    return ArticleFactory(blog=BlogFactory(slug="traumaptsdblog"), slug="baclofen")


# Dates in article addresses: a year the calendar (and every time zone) can hold, a month 01-12.
@pytest.mark.parametrize("date", ["0000/10", "9999/12", "9999/01", "2012/00", "2012/13"])
@pytest.mark.parametrize("suffix, method", [("", "get"), ("cite.bib", "get"), ("comments/", "post")])
def test_article_address_with_an_impossible_date_is_not_found(client, article, date, suffix, method):
    response = getattr(client, method)(f"/blogs/traumaptsdblog/{date}/x/{suffix}")
    assert response.status_code == 404


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo", "Pacific/Kiritimati"])
def test_year_one_is_not_found_in_any_time_zone(client, settings, article, zone):
    settings.TIME_ZONE = zone
    assert client.get("/blogs/traumaptsdblog/0001/01/x/").status_code == 404


def test_article_addresses_of_ordinary_years_still_resolve(client, article):
    assert article.get_absolute_url().startswith("/blogs/traumaptsdblog/")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url() + "cite.bib").status_code == 200


# A form body in another charset than UTF-8: Django refuses it; the refusal must stay a 400.
def csrf_client() -> Client:
    """Return a browser-like client that holds a CSRF cookie, as anyone who loaded a page does."""
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/")
    assert "csrftoken" in client.cookies
    return client


@pytest.mark.parametrize("charset", ["utf-16", "latin-1"])
@pytest.mark.parametrize("target", ["comment", "report", "admin login", "moderation", "unknown address"])
def test_form_posted_in_another_charset_gets_the_400_page(article, charset, target):
    url = {
        "comment": article.get_absolute_url() + "comments/",
        "report": f"/comments/{CommentFactory(article=article).pk}/report/",
        "admin login": "/admin/login/",
        "moderation": "/moderation/",
        "unknown address": "/nowhere/",
    }[target]
    client = csrf_client()
    response = client.post(url, "name=Bob&body=Hello", content_type=f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code == 400
    page = response.content.decode()
    assert BAD_REQUEST_PAGE in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page  # the site's own page, styled


def test_400_page_renders_without_the_database(article, django_assert_num_queries):
    client = csrf_client()
    with django_assert_num_queries(0):
        response = client.post("/admin/login/", "username=a", content_type="application/x-www-form-urlencoded; charset=utf-16")
    assert response.status_code == 400
    assert BAD_REQUEST_PAGE in response.content.decode()


def test_403_and_404_pages_are_the_sites(client, staff):
    client.force_login(staff("moderator", "Moderators"))
    forbidden = client.get("/admin/articles/article/")
    assert forbidden.status_code == 403
    assert "You do not have permission to open this page." in forbidden.content.decode()
    missing = client.get("/nowhere/")
    assert missing.status_code == 404
    assert "We could not find that page." in missing.content.decode()


# NUL characters: no database column holds one (PostgreSQL raises DataError), so they never reach a query.
@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=panic%00attack",
        "/?%00=1",
        "/admin/autocomplete/?app_label=articles&model_name=articleauthor&field_name=author&term=%00",
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=medically_reviewed_by&term=a%00",
        "/admin/articles/article/?q=%00",
        "/admin/authors/author/?q=x%00",
        "/authors/%00/",
    ],
)
def test_nul_in_the_address_gets_400(admin_client, url):
    AuthorFactory(display_name="Olga Other")
    response = admin_client.get(url)
    assert response.status_code == 400
    assert BAD_REQUEST_PAGE in response.content.decode()


def test_nul_in_a_comment_form_gets_400_and_stores_nothing(client, article):
    from comments.models import Comment
    from tests.factories import comment_form_data

    response = client.post(article.get_absolute_url() + "comments/", comment_form_data(name="Bob\x00"))
    assert response.status_code == 400
    assert BAD_REQUEST_PAGE in response.content.decode()
    assert not Comment.objects.exists()


def test_nul_in_the_admin_login_form_gets_400(client):
    UserFactory(username="editor", is_staff=True)
    response = client.post("/admin/login/", {"username": "editor\x00", "password": "x"})
    assert response.status_code == 400


def test_nul_in_a_multipart_admin_form_gets_400(admin_client, article):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("photo.png", b"\x89PNG", content_type="image/png")
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/",
                                 {"title": "New\x00title", "lead_image": upload})
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.title != "New\x00title"


@pytest.mark.parametrize("field", ["published_at", "updated_at"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_admin_refuses_dates_an_address_cannot_hold(admin_client, article, field, day):
    from tests.adminforms import form_data

    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(admin_client.get(url).content)
    data.update({f"{field}_0": day, f"{field}_1": "23:00:00"})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Give a date between the years 2 and 9998." in response.content.decode()
