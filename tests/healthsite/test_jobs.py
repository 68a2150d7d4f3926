"""Jobs: in this process after the commit without a broker; queued on Redis with one; never lost when it is down."""

import logging
import time
from datetime import timedelta
from io import StringIO

import pytest
import redis
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import Topic
from comments.models import Comment
from healthsite import images
from healthsite.celery import app
from healthsite.models import OutboxMessage
from tests.conftest import REDIS_URL, redis_is_up
from tests.factories import ArticleFactory, CommentFactory, comment_form_data
from tests.healthsite.test_images import jpeg_with_gps
from tests.s3 import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """Return a function that points the jobs at a broker, as CELERY_BROKER_URL does (undone after the test)."""
    before = app.conf.broker_url

    def use(url):
        settings.CELERY_BROKER_URL = app.conf.broker_url = url
        app._pool = None  # connections to the former broker, made on first use
        app.amqp._producer_pool = None

    yield use
    use(before)


@pytest.fixture
def broker_down(broker):
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there: Redis is down
    broker(url)
    return url


def post(client, article, body):
    return client.post(article.get_absolute_url() + "comments/", comment_form_data(body=body))


def test_a_comment_posted_while_redis_is_down_is_kept_and_its_mail_left_to_the_sweep(
        client, moderator, broker_down, committed, mailoutbox, caplog):
    started = time.monotonic()
    with committed():
        response = post(client, ArticleFactory(title="On grief"), "Posted during the outage")
    assert response.status_code == 302
    assert time.monotonic() - started < 5  # the reader is not kept waiting for the broker
    assert Comment.objects.get().body == "Posted during the outage"
    message = OutboxMessage.objects.get()
    assert "Could not queue healthsite.tasks.send_mail(" in caplog.text and "the periodic sweep will do it" in caplog.text
    assert (mailoutbox, message.attempts) == ([], 0)
    call_command("periodic", "outbox-sweep", stdout=StringIO())  # what beat runs every OUTBOX_SWEEP_SECONDS
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [message.message_id]


def test_with_a_broker_the_mail_is_queued_for_a_worker_not_sent_here(client, moderator, broker, committed, mailoutbox):
    if not redis_is_up():
        pytest.skip("needs Redis at 127.0.0.1:6379")
    broker(REDIS_URL)
    queue = redis.Redis.from_url(REDIS_URL)
    queue.delete("celery")
    try:
        with committed():
            post(client, ArticleFactory(), "Queued for the worker")
        assert mailoutbox == []
        assert queue.llen("celery") == 1
        assert b'"healthsite.tasks.send_mail"' in queue.lindex("celery", 0)
    finally:
        queue.delete("celery")


def test_healthz_reports_the_broker(client, broker, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error: OperationalError"
    if not redis_is_up():
        pytest.skip("needs Redis at 127.0.0.1:6379")
    broker(REDIS_URL)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["broker"] == "ok"


def test_a_large_image_gets_its_renditions_from_a_job_once_saved(settings, committed, django_capture_on_commit_callbacks):
    settings.IMAGES_JOB_PIXELS = 500_000
    article = ArticleFactory(lead_image=jpeg_with_gps(600, 600, name="small.jpg"), lead_image_alt="Small")
    old = article.lead_image.name
    assert default_storage.exists(images.rendition_name(old, 480, "jpg"))  # made in the request: 0.36 megapixels
    article.lead_image = jpeg_with_gps(1000, 600, name="large.jpg")
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        article.save()
    new = article.lead_image.name
    assert not default_storage.exists(images.rendition_name(new, 480, "jpg"))  # 0.6 megapixels: left to the job
    assert default_storage.exists(old)
    for callback in after_commit:
        callback()
    assert [default_storage.exists(images.rendition_name(new, w, "webp")) for w in (480, 800, 1000)] == [True] * 3
    assert not default_storage.exists(old) and not default_storage.exists(images.rendition_name(old, 480, "jpg"))


def test_a_large_image_saved_while_redis_is_down_gets_its_renditions_here(settings, broker_down, committed, caplog):
    settings.IMAGES_JOB_PIXELS = 500_000
    with committed():
        article = ArticleFactory(lead_image=jpeg_with_gps(1000, 600, name="large.jpg"), lead_image_alt="Large")
    assert "Could not queue healthsite.tasks.make_renditions(" in caplog.text and "running it in this process" in caplog.text
    assert default_storage.exists(images.rendition_name(article.lead_image.name, 1000, "jpg"))


def test_pages_cached_before_a_scheduled_article_goes_live_are_replaced_by_the_periodic_job(time_machine):
    time_machine.move_to("2030-03-01 12:00:00+00:00", tick=False)
    topic = Topic.objects.create(name="Sleep", slug="sleep")
    shown = ArticleFactory(title="Sleep after trauma", published_at=timezone.now() - timedelta(days=1))
    later = ArticleFactory(title="Dreams come back", published_at=timezone.now() + timedelta(minutes=1))
    shown.topics.add(topic)
    later.topics.add(topic)
    assert call_command("periodic", "articles-going-live", stdout=StringIO()) is None  # the first check
    page = shown.get_absolute_url()
    assert Client().get(page)["X-Page-Cache"] == "miss"
    time_machine.move_to(timezone.now() + timedelta(minutes=2), tick=False)
    stale = Client().get(page)
    assert stale["X-Page-Cache"] == "hit" and "Dreams come back" not in stale.content.decode()
    out = StringIO()
    call_command("periodic", "articles-going-live", stdout=out)
    assert out.getvalue() == "articles-going-live: 1\n"
    fresh = Client().get(page)
    assert fresh["X-Page-Cache"] == "miss"
    assert f'<a href="{later.get_absolute_url()}">Dreams come back</a>' in fresh.content.decode()
    out = StringIO()
    call_command("periodic", "articles-going-live", stdout=out)  # nothing new: the pages stay
    assert out.getvalue() == "articles-going-live: 0\n" and Client().get(page)["X-Page-Cache"] == "hit"


def test_the_periodic_comment_jobs_purge_addresses_and_check_the_tree(caplog):
    old = CommentFactory(ip_address="203.0.113.1", created_at=timezone.now() - timedelta(days=91))
    call_command("periodic", "purge-comment-ips", stdout=StringIO())
    old.refresh_from_db()
    assert old.ip_address is None
    out = StringIO()
    call_command("periodic", "check-comment-tree", stdout=out)
    assert out.getvalue() == "check-comment-tree: True\n"
    Comment.objects.filter(pk=old.pk).update(lft=99, rght=98)
    with caplog.at_level(logging.ERROR):
        call_command("periodic", "check-comment-tree", stdout=out)
    assert "check-comment-tree: False" in out.getvalue()
    assert "The comment tree needs repair (manage.py check_comment_tree --repair)" in caplog.text
