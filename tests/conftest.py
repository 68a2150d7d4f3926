import os
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command

from healthsite import pagecache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Fast password hashing, a private local-memory cache and plain static files in every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages",
                  "OPTIONS": {"MAX_ENTRIES": settings.PAGE_CACHE_MAX_ENTRIES}},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    for cache in caches.all():
        cache.clear()  # counters and pages must not leak from one test into the next
    pagecache.forget_local()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block's transactions left for after their commit, as a commit would.

    Tests run inside a transaction that never commits; jobs (the outbox's mail) wait for a commit.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def demo(db):
    """Load the seed page as `loaddemo` does and return its article."""
    from articles.models import Article

    call_command("loaddemo", stdout=open("/dev/null", "w"))
    return Article.objects.get(slug="baclofen-in-ptsd-treatment")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images go to a fresh folder in every test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(db):
    """Return a maker of staff users: staff("ann", "Authors", author=profile) logs in to the admin."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    def make(username, group=None, *, author=None, without=()):
        user = UserFactory(username=username, is_staff=True)
        if group and without:  # the group's rights, less some
            user.user_permissions.set(Group.objects.get(name=group).permissions.exclude(codename__in=without))
        elif group:
            user.groups.add(Group.objects.get(name=group))
        if author is not None:
            author.user = user
            author.save()
        return user

    return make


@pytest.fixture
def moderator(db):
    """Return a member of the Moderators group, with an email address for the moderators' mail."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(username="mod", email="mod@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def role_groups(transactional_db):
    """Make sure the staff groups exist (transactional tests empty every table, post_migrate fills them again)."""
    from django.apps import apps

    from healthsite import groups

    groups.apply(apps=apps)


def redis_is_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def on_redis(settings):
    """Put both caches on the test Redis, each under a fresh prefix, and return the default one.

    Nothing is counted or cached there before, and no other test's keys are touched.
    """
    if not redis_is_up():
        pytest.skip("needs Redis at 127.0.0.1:6379")
    run = uuid.uuid4().hex
    settings.CACHES = {alias: {"BACKEND": "healthsite.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                               "KEY_PREFIX": f"test-{run}-{alias}"} for alias in ("default", "pages")}
    return caches["default"]


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, started once for the tests that need object storage."""
    from tests.s3 import S3Server

    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def on_s3(settings, s3_server):
    """Put the default storage on a fresh bucket of the S3 server, as AWS_STORAGE_BUCKET_NAME would; return its name."""
    bucket = s3_server.bucket()
    storage, settings.MEDIA_URL = s3_server.settings(bucket)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return bucket


@pytest.fixture
def smtp_sink(settings):
    """Start a real SMTP server and send the site's mail to it as EMAIL_URL=smtp://127.0.0.1:PORT would.

    Returns the sink: `.messages` (parsed) and `.wait_for(n)`.
    """
    import environ

    from tests import mailsink

    controller, sink, port = mailsink.start()
    for name, value in environ.Env.email_url_config(f"smtp://127.0.0.1:{port}").items():
        setattr(settings, name, value)
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def cdn_purges(settings):
    """Return a purge endpoint that CDN_PURGE_URL points at, keeping every purge it is sent."""
    from tests.purgesink import PurgeSink

    sink = PurgeSink()
    settings.CDN_PURGE_URL = sink.url
    yield sink
    sink.server.shutdown()
