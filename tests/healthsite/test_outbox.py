"""The outbox: mail stored with what it tells, sent by a job after the commit, claimed by one sender, never lost."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from healthsite import outbox
from healthsite.models import OutboxMessage
from tests.factories import ArticleFactory, comment_form_data

pytestmark = pytest.mark.django_db
NOON = "2030-03-01 12:00:00+00:00"


def post(client, article, body):
    return client.post(article.get_absolute_url() + "comments/", comment_form_data(body=body))


def test_the_mail_is_stored_with_the_comment_and_sent_only_once_that_commits(
        client, moderator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        assert post(client, ArticleFactory(title="On grief"), "A quiet comment").status_code == 302
    message = OutboxMessage.objects.get()
    assert (message.subject, message.to, message.sent_at) == ("Comment awaiting moderation: On grief",
                                                              ["mod@example.com"], None)
    assert mailoutbox == []  # nothing is sent before the comment is committed
    for callback in after_commit:
        callback()
    assert [m.subject for m in mailoutbox] == ["Comment awaiting moderation: On grief"]
    assert mailoutbox[0].extra_headers["Message-ID"] == message.message_id
    assert message.message_id.endswith("@127.0.0.1>")  # SITE_URL's host
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1


def test_a_comment_that_is_rolled_back_leaves_no_mail(moderator, mailoutbox, committed):
    from comments import moderation

    comment = Comment(article=ArticleFactory(), name="Ann", email="ann@example.com", body="Gone with the rollback")
    with committed(), pytest.raises(RuntimeError):
        with transaction.atomic():
            moderation.submit(comment=comment, user=None)
            assert OutboxMessage.objects.count() == 1
            raise RuntimeError("the request failed after the comment was saved")
    assert OutboxMessage.objects.count() == 0 and not Comment.objects.exists()
    assert mailoutbox == []


def test_a_message_is_sent_once_however_often_it_is_asked(mailoutbox, committed):
    with committed():
        message = outbox.add(subject="Hello", body="Words", to=["ann@example.com"])
    assert len(mailoutbox) == 1
    assert outbox.send(message.pk) is False
    assert outbox.sweep() == 0
    assert len(mailoutbox) == 1


def test_no_recipients_store_nothing():
    assert outbox.add(subject="Hello", body="Words", to=[]) is None
    assert not OutboxMessage.objects.exists()


def test_a_sender_that_died_leaves_the_mail_to_the_sweep_once_its_claim_runs_out(mailoutbox, settings, time_machine):
    time_machine.move_to(NOON, tick=False)
    message = outbox.add(subject="Hello", body="Words", to=["ann@example.com"])  # the job never runs
    claimed = outbox.claim(message.pk)  # a sender took it, then died before marking it sent
    assert claimed.attempts == 1
    assert outbox.send(message.pk) is False  # held: no second sender while the first may be sending
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS - 1), tick=False)
    assert outbox.sweep() == 0
    time_machine.move_to(timezone.now() + timedelta(seconds=2), tick=False)
    assert outbox.sweep() == 1
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [message.message_id]
    message.refresh_from_db()
    assert message.attempts == 2 and message.sent_at == timezone.now()


def test_failed_tries_wait_longer_each_time_and_stop_after_the_last(settings, time_machine, monkeypatch, mailoutbox):
    settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_RETRY_SECONDS = 3, 60
    time_machine.move_to(NOON, tick=False)
    monkeypatch.setattr("django.core.mail.EmailMessage.send", lambda self, fail_silently=False: 1 / 0)
    message = outbox.add(subject="Hello", body="Words", to=["ann@example.com"])
    waits = []
    for _ in range(3):
        assert outbox.sweep() == 0
        message.refresh_from_db()
        waits.append((message.next_attempt_at - timezone.now()).total_seconds())
        time_machine.move_to(message.next_attempt_at, tick=False)
    assert waits == [60, 120, 240]
    assert message.last_error == "ZeroDivisionError: division by zero"
    assert outbox.claim() is None  # given up: it waits for someone to look (see /healthz)
    assert outbox.oldest_unsent_age() == 420
    response = Client().get("/healthz")
    assert response.json()["outbox"] == {"oldest_unsent_seconds": 420}


def test_the_periodic_command_sweeps_the_outbox(mailoutbox, capsys):
    outbox.add(subject="Left behind", body="Words", to=["ann@example.com"])  # no job ran: no commit
    call_command("periodic", "outbox-sweep")
    assert [m.subject for m in mailoutbox] == ["Left behind"]
    assert capsys.readouterr().out == "outbox-sweep: 1\n"


def test_the_periodic_command_lists_the_beat_schedule(capsys):
    call_command("periodic")
    assert capsys.readouterr().out.splitlines() == [
        "outbox-sweep: healthsite.tasks.sweep_outbox, every 60 seconds",
        "articles-going-live: articles.tasks.going_live, every 60 seconds",
        "purge-comment-ips: comments.tasks.purge_comment_ips, on <crontab: 15 3 * * * (m/h/dM/MY/d)>",
        "check-comment-tree: comments.tasks.check_comment_tree, on <crontab: 45 3 * * * (m/h/dM/MY/d)>",
        "follow-up-urgent: comments.tasks.follow_up_urgent, every 60 seconds",
    ]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_message_another_sender_holds_is_skipped_not_waited_for():
    if connection.vendor != "postgresql":
        pytest.skip("SELECT ... FOR UPDATE SKIP LOCKED is PostgreSQL's; SQLite has a single writer")
    # Rows as add() writes them, without the job it queues (outside a transaction, that runs at once).
    first, second = (OutboxMessage.objects.create(message_id=f"<{n}@example.org>", subject=n, body="Words",
                                                  to=["ann@example.com"]) for n in ("first", "second"))
    locked, release, taken = threading.Event(), threading.Event(), []

    def other_sender():  # holds the first message's row lock, as a sender mid-claim does
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_sender)
    thread.start()
    try:
        assert locked.wait(10)
        taken.append(outbox.claim())
        taken.append(outbox.claim())
    finally:
        release.set()
        thread.join()
    assert [m.pk if m else None for m in taken] == [second.pk, None]
