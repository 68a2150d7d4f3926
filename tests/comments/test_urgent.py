"""Crisis comments left unhandled: moderators are alerted again, every alert is logged, staff see a banner."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from comments import moderation, urgent
from comments.models import Comment, ModerationEvent
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db
POSTED = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(POSTED, tick=False)

    def at(minutes):
        time_machine.move_to(POSTED + timedelta(minutes=minutes), tick=False)

    return at


@pytest.fixture
def follow_up(committed):
    """Run the follow-up as the job does, and let its mail out as its commit would."""
    def run():
        with committed():
            return urgent.follow_up()

    return run


def crisis(status=Comment.Status.PENDING, **kwargs):
    return CommentFactory(status=status, urgent=True, created_at=POSTED, name="Robin", body="I want to end it all",
                          **kwargs)


def alerts():
    return list(ModerationEvent.objects.filter(action=ModerationEvent.Action.URGENT_ALERT)
                .order_by("pk").values_list("comment_pk", "moderator_name", "note"))


def test_nothing_happens_before_the_limit(clock, desk_moderator, mailoutbox, follow_up):
    crisis()
    clock(14)
    assert follow_up() == []
    assert mailoutbox == [] and alerts() == []


def test_an_unhandled_crisis_comment_alerts_every_moderator_again_and_is_logged(clock, desk_moderator, mailoutbox, follow_up):
    other = UserFactory(username="riley", email="riley@example.com", is_staff=True)
    other.groups.add(Group.objects.get(name="Moderators"))
    UserFactory(username="reader", email="reader@example.com")
    comment = crisis()
    clock(16)
    assert follow_up() == [comment]
    [mail] = mailoutbox
    assert mail.to == ["morgan@example.com", "riley@example.com"]
    assert mail.subject == f"[URGENT: still waiting, 16 min] Crisis language: {comment.article.title}"
    assert "has waited 16 minutes for a moderator. Nobody has decided it yet." in mail.body
    assert "> I want to end it all" in mail.body
    assert alerts() == [(comment.pk, "", "Not handled after 16 minutes (limit 15): every moderator mailed again.")]
    assert ModerationEvent.objects.get().created_at == POSTED + timedelta(minutes=16)


def test_the_alert_repeats_every_period_until_a_decision(clock, desk_moderator, mailoutbox, follow_up):
    comment = crisis()
    clock(16)
    follow_up()
    clock(25)
    assert follow_up() == []  # alerted 9 minutes ago
    clock(31)
    assert follow_up() == [comment]
    assert [len(mailoutbox), len(alerts())] == [2, 2]
    moderation.reject(comment=comment, by=desk_moderator)
    comment.refresh_from_db()
    assert comment.urgent_handled_at == POSTED + timedelta(minutes=31)
    clock(90)
    assert follow_up() == []
    assert [len(mailoutbox), len(alerts())] == [2, 2]


def test_a_published_crisis_comment_alerts_until_marked_handled(clock, desk_moderator, mailoutbox, follow_up):
    comment = crisis(status=Comment.Status.APPROVED)
    clock(20)
    assert follow_up() == [comment]
    assert "It is published and nobody has marked it handled." in mailoutbox[0].body
    moderation.mark_handled(comment=comment, by=desk_moderator)
    clock(60)
    assert follow_up() == []
    assert len(alerts()) == 1


def test_the_limit_is_a_setting(clock, settings, desk_moderator, follow_up):
    settings.COMMENTS_URGENT_MINUTES = 5
    comment = crisis()
    clock(6)
    assert follow_up() == [comment]
    assert alerts()[0][2] == "Not handled after 6 minutes (limit 5): every moderator mailed again."


def test_ordinary_and_decided_comments_never_alert(clock, desk_moderator, follow_up):
    CommentFactory(status=Comment.Status.PENDING, created_at=POSTED)
    crisis(status=Comment.Status.SPAM)
    crisis(status=Comment.Status.REJECTED)
    clock(120)
    assert follow_up() == []


def test_the_command_a_scheduler_runs(clock, desk_moderator, mailoutbox, committed):
    crisis()
    crisis()
    clock(16)
    out = StringIO()
    with committed():
        call_command("follow_up_urgent", stdout=out)
    assert out.getvalue() == "2 urgent comments followed up.\n"
    assert len(mailoutbox) == 2
    call_command("follow_up_urgent", stdout=out)
    assert out.getvalue().endswith("0 urgent comments followed up.\n")


def banner(client, url):
    found = BeautifulSoup(client.get(url).content, "html.parser").find(id="urgent-banner")
    return found.get_text(" ", strip=True) if found else None


def test_every_staff_member_sees_the_banner_in_the_admin_and_the_queue_until_handled(clock, desk_client,
                                                                                   desk_moderator):
    comment = crisis()
    author = UserFactory(username="writer", is_staff=True)
    author.groups.add(Group.objects.get(name="Authors"))
    writer = Client()
    writer.force_login(author)
    reader = Client()
    reader.force_login(UserFactory(username="reader"))
    clock(10)
    assert banner(desk_client, "/moderation/") is None  # not overdue yet
    clock(16)
    expected = "1 comment with crisis language has waited more than 15 minutes for a moderator."
    assert banner(desk_client, "/moderation/") == f"{expected} Handle it now"
    assert banner(desk_client, "/admin/") == f"{expected} Handle it now"
    assert banner(desk_client, "/admin/comments/comment/") == f"{expected} Handle it now"
    assert banner(writer, "/admin/") == f"{expected} The moderators are being alerted again."
    assert banner(reader, comment.article.get_absolute_url()) is None
    moderation.approve(comment=comment, by=desk_moderator)
    assert banner(desk_client, "/moderation/") is None
    assert banner(desk_client, "/admin/") is None


def test_published_crisis_comments_are_listed_in_the_queue_to_mark_handled(clock, desk_client, desk_moderator):
    comment = crisis(status=Comment.Status.APPROVED)
    page = BeautifulSoup(desk_client.get("/moderation/").content, "html.parser")
    section = page.find(id="urgent")
    assert [item["id"] for item in section.select(".queue-item")] == [f"urgent-{comment.pk}"]
    assert section.find("button", attrs={"value": f"handled:{comment.pk}"}).get_text() == "Mark handled"
    response = desk_client.post("/moderation/", {"action": f"handled:{comment.pk}"}, follow=True)
    assert "The comment by Robin (not verified) was marked handled." in response.content.decode()
    assert BeautifulSoup(response.content, "html.parser").find(id="urgent") is None
    assert ModerationEvent.objects.get().action == ModerationEvent.Action.URGENT_HANDLED


def test_a_second_run_sees_the_first_runs_alerts(clock, desk_moderator, mailoutbox, follow_up):
    crisis()
    clock(16)
    follow_up()
    follow_up()
    assert len(mailoutbox) == 1 and len(alerts()) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_alert_once(role_groups, time_machine, monkeypatch):
    import threading

    from django.db import connection

    from comments import audit

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers itself (immediate transactions); SKIP LOCKED is PostgreSQL's")
    moderator = UserFactory(username="morgan", email="morgan@example.com", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    crisis()
    time_machine.move_to(POSTED + timedelta(minutes=16), tick=False)
    first_is_logging, go_on = threading.Event(), threading.Event()
    record = audit.record

    def slow_record(**kwargs):  # the first run holds its claim on the comment while the second starts
        first_is_logging.set()
        go_on.wait(5)
        return record(**kwargs)

    results = {}

    def run(name):
        try:
            results[name] = [c.pk for c in urgent.follow_up()]
        finally:
            connection.close()

    monkeypatch.setattr(audit, "record", slow_record)
    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert first_is_logging.wait(5)
    monkeypatch.setattr(audit, "record", record)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(5)
    assert not second.is_alive()  # it skipped the row the first run holds, without waiting for it
    go_on.set()
    first.join(10)
    second.join(10)
    assert (len(results["first"]), results["second"]) == (1, [])
    assert len(alerts()) == 1


def test_beat_runs_the_follow_up_every_minute(clock, desk_moderator, mailoutbox, settings, committed):
    assert settings.CELERY_BEAT_SCHEDULE["follow-up-urgent"] == {
        "task": "comments.tasks.follow_up_urgent", "schedule": 60}
    crisis()
    clock(16)
    with committed():
        call_command("periodic", "follow-up-urgent", stdout=StringIO())
    assert [m.subject.split("]")[0] for m in mailoutbox] == ["[URGENT: still waiting, 16 min"]
    assert len(alerts()) == 1
