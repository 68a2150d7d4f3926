import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles import pagecache


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Fast password hashing, a private local-memory cache and plain static files in every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()  # rate-limit counters must not leak from one test into the next
    pagecache.forget_local()


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
def role_groups(transactional_db):
    """Make sure the staff groups exist (transactional tests empty every table, post_migrate fills them again)."""
    from django.apps import apps

    from healthsite import groups

    groups.apply(apps=apps)
