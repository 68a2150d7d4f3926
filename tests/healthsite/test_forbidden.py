"""403 pages: a failed CSRF check and a missing permission, in the site's words or the admin's look, never DEBUG's."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from healthsite import views
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("debug", [False, True])
def test_failed_csrf_check_on_a_site_form_gets_the_sites_403(settings, debug):
    settings.DEBUG = debug
    comment = CommentFactory()
    response = Client(enforce_csrf_checks=True).post(f"/comments/{comment.pk}/report/")
    assert response.status_code == 403
    page = page_of(response)
    assert page.select_one("h1").get_text() == "This form has expired"
    assert page.select_one('link[rel="stylesheet"]')["href"] == "/static/css/site.css"
    assert "DEBUG" not in response.content.decode() and "CSRF" not in response.content.decode()
    assert comment.reports.count() == 0


def test_failed_csrf_check_in_the_admin_gets_the_admins_403(db):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = page_of(response)
    assert page.select_one("#site-name").get_text(strip=True) == "healthsite administration"
    assert page.select_one("#content h1").get_text() == "This form has expired"
    assert "DEBUG" not in response.content.decode()


def test_missing_permission_in_the_admin_gets_the_admins_403(client, staff):
    client.force_login(staff("moderator", "Moderators"))
    response = client.get("/admin/articles/article/")
    assert response.status_code == 403
    page = page_of(response)
    assert page.select_one("#content h1").get_text() == "Not allowed"
    assert "/static/css/admin.css" in [link["href"] for link in page.select('link[rel="stylesheet"]')]
    assert page.select_one("#nav-sidebar") is not None  # the moderator's own apps, as on every admin page


def test_a_view_answers_its_own_expired_session_only_for_an_expired_token(rf):
    calls = []

    def answer(request, *args, **kwargs):
        calls.append(kwargs)
        return "answered"

    from comments.views import CommentCreateView

    request = rf.post("/blogs/b/2024/05/a-post/comments/")
    original = CommentCreateView.csrf_failure
    CommentCreateView.csrf_failure = answer
    try:
        assert views.csrf_failure(request, reason="CSRF cookie not set.") == "answered"
        assert views.csrf_failure(request, reason="CSRF token from POST incorrect.") == "answered"
        foreign = views.csrf_failure(request, reason="Origin checking failed - https://x.example does not match any "
                                                     "trusted origins.")
    finally:
        CommentCreateView.csrf_failure = original
    assert calls == [{"blog": "b", "year": 2024, "month": 5, "slug": "a-post"}] * 2
    assert foreign.status_code == 403


def test_an_address_without_its_own_answer_gets_the_403_page(rf):
    request = rf.post("/nowhere/at/all/")
    request.user = None
    response = views.csrf_failure(request, reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
