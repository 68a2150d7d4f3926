"""Values kept in the process and dropped when Redis announces a change (healthsite/cache.py: Tracked).

The page cache reads its versions this way, so a hit costs no round trip to Redis; these tests hold
it to what a round trip would answer: after any other client's write has been answered, the next
read gives the new value.
"""

import os
import uuid
from unittest import mock

import pytest
import redis
from django.test import Client

from comments.models import Comment
from healthsite.cache import ResilientRedisCache, Tracked
from tests.conftest import REDIS_URL, redis_is_up
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.skipif(not redis_is_up(), reason="needs Redis at 127.0.0.1:6379")


@pytest.fixture
def server():
    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def key(server):
    name = f"test-tracked-{uuid.uuid4().hex}"
    yield name
    server.delete(name, name + "-other")


def _sent(tracked: Tracked) -> list:
    """Return the list the commands sent on the tracked connection from now on are put in."""
    sent = []
    connection = tracked._connect()
    original = connection.send_command
    connection.send_command = lambda *args, **kwargs: (sent.append(args[0]), original(*args, **kwargs))[1]
    return sent


def test_a_kept_value_is_read_without_a_round_trip(server, key):
    server.set(key, b"one")
    tracked = Tracked(REDIS_URL, confirm_every=3600)
    assert tracked.get_many([key, key + "-other"]) == {key: b"one"}
    sent = _sent(tracked)
    for _ in range(5):
        assert tracked.get_many([key]) == {key: b"one"}
    assert sent == []


@pytest.mark.parametrize("change", ["set", "delete", "expire", "flushdb"])
def test_the_read_after_another_clients_write_is_answered_gives_the_new_value(server, key, change):
    server.set(key, b"one")
    tracked = Tracked(REDIS_URL, confirm_every=3600)
    assert tracked.get_many([key]) == {key: b"one"}
    expected = {}
    if change == "set":
        server.set(key, b"two")
        expected = {key: b"two"}
    elif change == "delete":
        server.delete(key)
    elif change == "expire":
        server.pexpire(key, 1)
        while server.exists(key):  # Redis expires the key when it looks at it after its millisecond
            pass
    else:
        redis.Redis.from_url(REDIS_URL).flushdb()
    # No waiting: the invalidation was on its way before the writer had its answer.
    assert tracked.get_many([key]) == expected


def test_a_connection_lost_starts_again_with_nothing_kept(server, key):
    server.set(key, b"one")
    tracked = Tracked(REDIS_URL, confirm_every=3600)
    assert tracked.get_many([key]) == {key: b"one"}
    server.client_kill_filter(_id=_client_id(tracked))
    server.set(key, b"two")  # its invalidation went nowhere: the connection that asked for it is gone
    with pytest.raises(redis.ConnectionError):
        tracked.get_many([key])  # the hang-up is seen; the caller reads it as a miss
    assert tracked.get_many([key]) == {key: b"two"}
    server.set(key, b"three")  # the new connection tracks again
    assert tracked.get_many([key]) == {key: b"three"}


def _client_id(tracked: Tracked) -> int:
    connection = tracked._connect()
    connection.send_command("CLIENT", "ID")
    return connection.read_response()


def test_a_silent_connection_is_confirmed_by_a_ping_at_most_every_so_often(server, key):
    server.set(key, b"one")
    tracked = Tracked(REDIS_URL, confirm_every=0)
    tracked.get_many([key])
    sent = _sent(tracked)
    tracked.get_many([key])
    tracked.get_many([key])
    assert sent == ["PING", "PING"]


def test_a_forked_process_opens_its_own_connection(server, key):
    server.set(key, b"one")
    tracked = Tracked(REDIS_URL, confirm_every=3600)
    tracked.get_many([key])
    parent = tracked._connection
    with mock.patch("healthsite.cache.os.getpid", return_value=os.getpid() + 1):
        server.set(key, b"two")
        assert tracked.get_many([key]) == {key: b"two"}
        assert tracked._connection is not parent


@pytest.mark.django_db
def test_the_page_read_after_a_write_is_new_without_reading_versions_from_redis(on_redis):
    """A hit reads no version from Redis; the write's answer comes after the page's versions changed."""
    pages = __import__("django.core.cache", fromlist=["caches"]).caches["pages"]
    assert isinstance(pages, ResilientRedisCache)
    article = ArticleFactory()
    comment = CommentFactory(article=article, body="Waiting words", status=Comment.Status.PENDING)
    url = article.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    with mock.patch.object(ResilientRedisCache, "get_many", side_effect=AssertionError("a round trip")):
        hit = Client().get(url)
    assert hit["X-Page-Cache"] == "hit" and "Waiting words" not in hit.content.decode()
    sent = _sent(pages._tracked)
    Client().get(url)
    assert sent == []  # versions and page both from the process

    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
    comment.refresh_from_db()
    comment.save()  # the approval, through the model as the moderation desk saves it
    after = Client().get(url)
    assert after["X-Page-Cache"] == "miss" and "Waiting words" in after.content.decode()
