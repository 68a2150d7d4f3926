"""The numbers page: the queue now, comments per day, times to a decision from the log, acts per moderator, the chart."""

from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

from comments import moderation, numbers
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

# Noon in New York on June 10, 2026.
NOW = datetime(2026, 6, 10, 16, 0, tzinfo=UTC)


def test_percentiles_and_durations():
    assert numbers.percentile([], 95) is None
    assert numbers.percentile([5.0], 95) == 5.0
    assert numbers.percentile([float(n) for n in range(1, 101)], 95) == 95.0
    assert numbers.percentile([1.0, 2.0, 3.0, 100.0], 95) == 100.0
    assert numbers.times([60.0, 120.0, 600.0, 3600.0]) == numbers.Times(count=4, median=360.0, p95=3600.0)
    assert [numbers.duration(s) for s in (None, 45, 720, 3600, 11100, 93600, 86400)] == [
        "none yet", "45 s", "12 min", "1 h", "3 h 5 min", "1 d 2 h", "1 d"]


def test_the_chart_is_svg_labelled_for_screen_readers():
    days = [numbers.Day(date(2026, 6, 1) + timedelta(days=n), posted=n, decided=n // 2) for n in range(30)]
    svg = BeautifulSoup(numbers.chart(days), "html.parser").find("svg")
    assert svg["role"] == "img"
    assert svg.find("title").get_text() == "Comments posted and decided per day, June 1, 2026 to June 30, 2026"
    assert svg.find("desc").get_text().startswith("435 comments posted and 210 decided by moderators")
    bars = svg.find_all("rect")[:60]
    assert [bar.find("title").get_text() for bar in bars[58:60]] == ["June 30, 2026: 29 posted",
                                                                      "June 30, 2026: 14 decided"]
    assert [t.get_text() for t in svg.find_all("text")][:3] == ["0", "25", "50"]  # the axis up to a round top
    assert not svg.find("script")


@pytest.fixture
def moderators(db):
    made = []
    for username, first in (("morgan", "Morgan"), ("riley", "Riley")):
        user = UserFactory(username=username, first_name=first, last_name="Moderator", is_staff=True)
        user.groups.add(Group.objects.get(name="Moderators"))
        made.append(user)
    return made


def decided_after(time_machine, minutes, *, by, urgent=False, act=moderation.approve, posted=None):
    posted = posted or NOW - timedelta(days=2)
    time_machine.move_to(posted, tick=False)
    comment = CommentFactory(status=Comment.Status.PENDING, urgent=urgent, created_at=posted)
    time_machine.move_to(posted + timedelta(minutes=minutes), tick=False)
    act(comment=comment, by=by)
    return comment


@pytest.mark.django_db
def test_the_figures_come_from_the_queue_and_the_log(time_machine, moderators):
    morgan, riley = moderators
    for minutes in (4, 10, 30):
        decided_after(time_machine, minutes, by=morgan, urgent=True)
    for minutes in (60, 120, 180, 240):
        decided_after(time_machine, minutes, by=riley, act=moderation.reject)
    decided_after(time_machine, 5, by=morgan, posted=NOW - timedelta(days=40))  # before the 30 days
    again = decided_after(time_machine, 20, by=morgan)
    time_machine.move_to(NOW - timedelta(days=1), tick=False)
    moderation.reject(comment=again, by=riley)  # a second decision does not count as a time to decision
    time_machine.move_to(NOW, tick=False)
    CommentFactory(status=Comment.Status.PENDING, urgent=True)
    CommentFactory(status=Comment.Status.PENDING)
    figures = numbers.summary()
    assert (figures["queue_total"], figures["queue_urgent"]) == (2, 1)
    assert figures["urgent_times"] == numbers.Times(count=3, median=600.0, p95=1800.0)
    assert figures["normal_times"] == numbers.Times(count=5, median=7200.0, p95=14400.0)
    assert [(m.name, m.total, m.by_action) for m in figures["moderators"]] == [
        ("Riley Moderator", 5, {"reject": 5}), ("Morgan Moderator", 4, {"approve": 4})]
    assert figures["first_day"] == date(2026, 5, 12)
    days = {day.day: (day.posted, day.decided) for day in figures["days"]}
    assert len(days) == 30
    assert days[date(2026, 6, 8)] == (8, 8)  # posted and decided two days before, in New York's days
    assert days[date(2026, 6, 9)] == (0, 1)
    assert days[date(2026, 6, 10)] == (2, 0)
    assert figures["posted_total"] == 10


@pytest.mark.django_db
def test_days_are_days_in_the_site_time_zone(time_machine, moderators):
    # 11:30 pm in New York on June 9 is June 10 in UTC.
    time_machine.move_to(datetime(2026, 6, 10, 3, 30, tzinfo=UTC), tick=False)
    CommentFactory()
    time_machine.move_to(NOW, tick=False)
    days = {day.day: day.posted for day in numbers.summary()["days"]}
    assert (days[date(2026, 6, 9)], days[date(2026, 6, 10)]) == (1, 0)


@pytest.mark.django_db
def test_the_page_shows_the_figures_in_a_bounded_number_of_queries(time_machine, moderators, client,
                                                                   django_assert_max_num_queries):
    morgan, riley = moderators
    for minutes in (4, 10, 30):
        decided_after(time_machine, minutes, by=morgan, urgent=True)
    decided_after(time_machine, 90, by=riley, act=moderation.mark_spam)
    time_machine.move_to(NOW, tick=False)
    client.force_login(morgan)
    with django_assert_max_num_queries(14):
        response = client.get("/moderation/numbers/")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find(id="urgent-median").get_text() == "10 min"
    assert "95th percentile 30 min (3 decided)" in page.find(id="urgent-median").find_next("dd").get_text()
    assert page.find(id="normal-median").get_text() == "1 h 30 min"
    rows = [[c.get_text() for c in row.find_all(["th", "td"])] for row in page.select(".moderator-acts tbody tr")]
    assert rows == [["Morgan Moderator", "3", "3", "0", "0", "0"], ["Riley Moderator", "1", "0", "0", "1", "0"]]
    assert page.select_one("figure svg[role=img]") is not None
    assert len(page.select(".chart-table tbody tr")) == 30
    for n in range(200):
        CommentFactory(body=f"More {n}")
    with django_assert_max_num_queries(14):
        client.get("/moderation/numbers/")


@pytest.mark.django_db
def test_an_empty_desk_says_so(time_machine, moderators, client):
    time_machine.move_to(NOW, tick=False)
    client.force_login(moderators[0])
    page = BeautifulSoup(client.get("/moderation/numbers/").content, "html.parser")
    assert page.find(id="queue-total").get_text() == "0"
    assert page.find(id="urgent-median").get_text() == "none yet"
    assert "No moderator has acted in the last 30 days." in page.get_text()
