import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def desk_moderator(db):
    """Return a moderator (in the Moderators group) named Morgan Moderator."""
    user = UserFactory(username="morgan", email="morgan@example.com", is_staff=True, first_name="Morgan",
                       last_name="Moderator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def desk_client(desk_moderator):
    """Return a client logged in as the moderator Morgan Moderator."""
    client = Client()
    client.force_login(desk_moderator)
    return client
