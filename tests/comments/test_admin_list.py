"""The comment admin's list: an alert marks urgent comments (crisis language)."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_urgent_comments_carry_an_alert_marker_and_others_none(admin_client):
    urgent = CommentFactory(body="I want to end my life", status=Comment.Status.PENDING, urgent=True)
    calm = CommentFactory(body="Thank you for this.")
    page = BeautifulSoup(admin_client.get("/admin/comments/comment/").content, "html.parser")
    header = page.select_one("#result_list th.column-urgent_marker")
    assert header.get_text(strip=True) == "Urgent"
    cells = {}
    for row in page.select("#result_list tbody tr"):
        pk = int(row.select_one("input[name=_selected_action]")["value"])
        cells[pk] = row.select_one("td.field-urgent_marker")
    marker = cells[urgent.pk].select_one(".urgent-marker")
    assert (marker.get_text(), marker["title"]) == ("Urgent", "Crisis language: read first")
    assert cells[urgent.pk].select("img") == []  # not Django's green tick
    assert cells[calm.pk].select(".urgent-marker, img") == []

