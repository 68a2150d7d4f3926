import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "editor", "password": password})


def test_repeated_failed_logins_lock_the_address_out(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory(username="editor", is_staff=True)
    user.set_password("right-password")
    user.save()
    client = Client(REMOTE_ADDR="203.0.113.50")
    for _ in range(3):
        response = login(client, "wrong")
        assert "Please enter the correct username and password" in response.content.decode()
    locked = login(client, "right-password")
    assert locked.status_code == 200
    assert "Too many failed logins from your address. Please wait 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert login(other, "right-password").status_code == 302
