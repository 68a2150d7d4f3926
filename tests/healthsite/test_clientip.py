"""The client's address behind proxies: X-Forwarded-For is read only as far as TRUSTED_PROXY_COUNT says."""

import pytest
from allauth.core.internal.ratelimit import get_ip
from django.test import Client, RequestFactory

from comments.models import Comment, ModerationRule, Report
from healthsite.clientip import client_ip
from tests.factories import ArticleFactory, CommentFactory, UserFactory, comment_form_data

PROXY = "10.0.0.5"


def address(forwarded=None, remote=PROXY):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address("198.51.100.7") == PROXY
    assert address(None, remote="203.0.113.9") == "203.0.113.9"


def test_one_trusted_proxy_gives_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address("198.51.100.7") == "198.51.100.7"
    # What the client sent itself stands left of the proxy's entry and is never read.
    assert address("1.1.1.1, 198.51.100.7") == "198.51.100.7"
    assert address("8.8.8.8,198.51.100.7") == "198.51.100.7"


def test_two_trusted_proxies_read_two_entries_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # client (spoofing 6.6.6.6) -> CDN (appends the client) -> load balancer (appends the CDN) -> site
    assert address("6.6.6.6, 198.51.100.7, 192.0.2.10") == "198.51.100.7"
    assert address("198.51.100.7, 192.0.2.10") == "198.51.100.7"
    # Through the inner proxy only: its one entry is the client it saw.
    assert address("192.0.2.44") == "192.0.2.44"


def test_a_request_without_the_header_is_the_peer_itself(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address(None, remote="203.0.113.9") == "203.0.113.9"
    assert address("", remote="203.0.113.9") == "203.0.113.9"


def test_an_unreadable_entry_counts_as_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address("unknown") == PROXY
    assert address("198.51.100.7:443") == PROXY
    assert address("2001:db8::1") == "2001:db8::1"
    assert address("2001:DB8:0:0::1") == "2001:db8::1"


@pytest.mark.django_db
def test_posting_limits_count_each_reader_behind_the_proxy_apart(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    article = ArticleFactory()
    url = article.get_absolute_url() + "comments/"
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    for i in range(5):
        assert first.post(url, comment_form_data(body=f"Comment {i}")).status_code == 302
    # Rotating a made-up address in front of the proxy's entry changes nothing.
    spoofing = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert spoofing.post(url, comment_form_data(body="Comment 6")).status_code == 429
    other = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.post(url, comment_form_data(body="From another reader")).status_code == 302
    assert list(Comment.objects.order_by("pk").values_list("ip_address", flat=True)) == ["198.51.100.7"] * 5 + ["198.51.100.8"]


@pytest.mark.django_db
def test_reports_record_the_reader_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    comment = CommentFactory(article=ArticleFactory())
    reader = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert reader.post(f"/comments/{comment.pk}/report/").status_code == 302
    assert list(Report.objects.values_list("ip_address", flat=True)) == ["203.0.113.77"]


@pytest.mark.django_db
def test_login_lockout_is_per_reader_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_FAILURE_LIMIT = 2
    user = UserFactory(username="editor", is_staff=True)
    user.set_password("right-password")
    user.save()

    def login(forwarded, password):
        return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).post(
            "/admin/login/?next=/admin/", {"username": "editor", "password": password})

    for _ in range(2):
        assert login("203.0.113.50", "wrong").status_code == 200
    locked = login("9.9.9.9, 203.0.113.50", "right-password")
    assert "Too many failed logins from your address." in locked.content.decode()
    assert login("198.51.100.9", "right-password").status_code == 302  # the proxy itself is not locked out


@pytest.mark.django_db
def test_the_blocklist_matches_the_reader_behind_the_proxy_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    ModerationRule.objects.create(effect=ModerationRule.Effect.SPAM, kind=ModerationRule.Kind.IP, value="203.0.113.0/24")
    article = ArticleFactory()
    url = article.get_absolute_url() + "comments/"
    for forwarded, body in [("203.0.113.9", "From the blocked network"), ("198.51.100.3", "From elsewhere")]:
        assert Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).post(
            url, comment_form_data(body=body)).status_code == 302
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {"From the blocked network": Comment.Status.SPAM, "From elsewhere": Comment.Status.PENDING}


def test_allauths_own_limits_count_the_reader_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post("/accounts/signup/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.50")
    assert get_ip(request) == "203.0.113.50"
