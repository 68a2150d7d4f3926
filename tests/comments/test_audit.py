"""The moderation log: every act is recorded once, with snapshots that outlive what they name, and nobody edits it."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client

from comments import audit, moderation
from comments.models import Comment, ModerationEvent, Report
from tests.adminforms import form_data
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db
Action = ModerationEvent.Action


def pending(**kwargs):
    return CommentFactory(status=Comment.Status.PENDING, **kwargs)


def entries(comment=None):
    events = ModerationEvent.objects.order_by("created_at", "pk")
    if comment is not None:
        events = events.filter(comment_pk=comment.pk)
    return [(e.action, e.moderator_name, e.status_before, e.status_after) for e in events]


@pytest.mark.parametrize("act, action, after", [
    (moderation.approve, Action.APPROVE, "approved"),
    (moderation.reject, Action.REJECT, "rejected"),
    (moderation.mark_spam, Action.SPAM, "spam"),
])
def test_each_decision_is_logged_once_with_who_before_and_after(desk_moderator, act, action, after):
    comment = pending(name="Dana")
    act(comment=comment, by=desk_moderator)
    act(comment=comment, by=desk_moderator)  # deciding it again changes nothing and logs nothing
    assert entries(comment) == [(action, "Morgan Moderator", "pending", after)]
    event = ModerationEvent.objects.get()
    assert (event.moderator_id, event.moderator_pk, event.comment_id) == (desk_moderator.pk, desk_moderator.pk, comment.pk)
    assert event.comment_poster == "Dana (not verified)"
    assert event.article_title == comment.article.title
    assert event.comment_posted_at == comment.created_at


def test_remove_restore_handled_and_dismissed_reports_are_logged(desk_moderator):
    comment = CommentFactory(urgent=True)
    Report.objects.create(comment=comment, session_key="a", reason=Report.Reason.ABUSE)
    assert moderation.dismiss_reports(comment=comment, by=desk_moderator) == 1
    assert moderation.mark_handled(comment=comment, by=desk_moderator) is True
    assert moderation.mark_handled(comment=comment, by=desk_moderator) is False
    assert moderation.take_down(comment=comment, by=desk_moderator, note="Names a person") is True
    assert moderation.restore(comment=comment, by=desk_moderator) is True
    assert entries(comment) == [
        (Action.REPORTS_DISMISSED, "Morgan Moderator", "approved", "approved"),
        (Action.URGENT_HANDLED, "Morgan Moderator", "approved", "approved"),
        (Action.REMOVE, "Morgan Moderator", "approved", "removed"),
        (Action.RESTORE, "Morgan Moderator", "removed", "approved"),
    ]
    assert ModerationEvent.objects.get(action=Action.REMOVE).note == "Names a person"
    assert ModerationEvent.objects.get(action=Action.REPORTS_DISMISSED).note == "1 report"


def test_a_staff_edit_in_the_admin_is_logged_with_the_fields_it_changed(desk_client, desk_moderator):
    comment = CommentFactory(body="Call me at 555 0100", name="Ann")
    url = f"/admin/comments/comment/{comment.pk}/change/"
    data = form_data(desk_client.get(url).content)
    data["body"] = "Call me at [number removed]"
    response = desk_client.post(url, data)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Call me at [number removed]"
    assert entries(comment) == [(Action.EDIT, "Morgan Moderator", "approved", "approved")]
    assert ModerationEvent.objects.get().note == "Changed: body"


def test_the_admin_form_cannot_change_a_status_unlogged(desk_client):
    comment = pending()
    url = f"/admin/comments/comment/{comment.pk}/change/"
    data = form_data(desk_client.get(url).content)
    assert "status" not in data and "is_removed" not in data and "urgent" not in data
    desk_client.post(url, {**data, "status": "approved"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize("action, verb", [("bulk_approved", Action.APPROVE), ("bulk_removed", Action.REMOVE),
                                          ("bulk_handled", Action.URGENT_HANDLED)])
def test_admin_actions_log_the_moderator(desk_client, desk_moderator, action, verb):
    comment = pending(urgent=True) if action != "bulk_handled" else CommentFactory(urgent=True)
    desk_client.post("/admin/comments/comment/", {"action": action, "_selected_action": [comment.pk]})
    assert ModerationEvent.objects.filter(action=verb, moderator=desk_moderator, comment=comment).count() == 1


def test_an_act_on_a_reader_is_one_call_naming_the_user(desk_moderator):
    reader = UserFactory(username="jordan", first_name="Jordan", last_name="R.")
    event = audit.record(action=Action.TRUST_GRANTED, by=desk_moderator, user=reader, before="untrusted",
                         after="trusted", note="Known to us")
    assert (event.user_pk, event.user_name, event.comment_pk) == (reader.pk, "Jordan R.", None)
    assert str(event) == "Trust granted by Morgan Moderator: reader Jordan R."
    for action in (Action.TRUST_REVOKED, Action.READER_SUSPENDED, Action.READER_REINSTATED):
        audit.record(action=action, by=desk_moderator, user=reader)
    assert ModerationEvent.objects.filter(user=reader).count() == 4


def test_an_entry_must_name_a_comment_or_a_reader(desk_moderator):
    with pytest.raises(ValueError):
        audit.record(action=Action.APPROVE, by=desk_moderator)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationEvent.objects.create(action=Action.APPROVE, moderator_name="Someone")


def test_entries_outlive_the_comment_and_the_moderator(desk_moderator):
    comment = pending(name="Dana", body="Soon gone")
    comment_pk, moderator_pk = comment.pk, desk_moderator.pk
    moderation.approve(comment=comment, by=desk_moderator)
    comment.delete()
    desk_moderator.delete()
    event = ModerationEvent.objects.get()
    assert (event.comment_id, event.moderator_id) == (None, None)
    assert (event.comment_pk, event.comment_poster, event.moderator_pk, event.moderator_name) == (
        comment_pk, "Dana (not verified)", moderator_pk, "Morgan Moderator")


def test_entries_outlive_the_whole_article_and_the_reader(desk_moderator):
    article = ArticleFactory(title="On grief")
    comment = pending(article=article)
    reader = UserFactory(username="gone", first_name="Gone", last_name="Reader")
    moderation.reject(comment=comment, by=desk_moderator)
    audit.record(action=Action.READER_SUSPENDED, by=desk_moderator, user=reader)
    article.delete()
    reader.delete()
    assert set(ModerationEvent.objects.values_list("article_title", "user_name")) == {("On grief", ""), ("", "Gone Reader")}


def test_the_log_cannot_be_changed_or_deleted_by_code(desk_moderator):
    event = audit.record(action=Action.APPROVE, by=desk_moderator, comment=CommentFactory())
    event.note = "rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        ModerationEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        ModerationEvent.objects.update(note="rewritten")
    assert ModerationEvent.objects.get().note == ""


def test_the_admin_shows_the_log_read_only(desk_client, desk_moderator):
    comment = pending()
    moderation.approve(comment=comment, by=desk_moderator)
    event = ModerationEvent.objects.get()
    assert desk_client.get("/admin/comments/moderationevent/").status_code == 200
    detail = desk_client.get(f"/admin/comments/moderationevent/{event.pk}/change/")
    assert detail.status_code == 200 and "Morgan Moderator" in detail.content.decode()
    assert b'name="note"' not in detail.content  # no editable field
    assert desk_client.get("/admin/comments/moderationevent/add/").status_code == 403
    assert desk_client.post(f"/admin/comments/moderationevent/{event.pk}/change/", {"note": "x"}).status_code == 403
    assert desk_client.post(f"/admin/comments/moderationevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = desk_client.post("/admin/comments/moderationevent/", {"action": "delete_selected",
                                                                      "_selected_action": [event.pk], "post": "yes"})
    assert listing.status_code == 200  # no such action: the list again
    assert ModerationEvent.objects.get().note == ""
    # On the comment's own admin page, as a read-only inline.
    page = BeautifulSoup(desk_client.get(f"/admin/comments/comment/{comment.pk}/change/").content, "html.parser")
    log = page.find(id="moderation_events-group")
    assert "Approved" in log.get_text() and "Morgan Moderator" in log.get_text()
    assert not log.find("input", attrs={"name": lambda n: n and n.endswith("-note")})


def test_staff_without_the_moderation_permission_cannot_read_the_log(db):
    editor = UserFactory(username="ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/comments/moderationevent/").status_code == 403
    assert client.get("/moderation/log/").status_code == 403
    assert Client().get("/moderation/log/").status_code == 302


def test_the_log_page_lists_every_act_with_the_moderator_and_filters(desk_client, desk_moderator, time_machine):
    other = UserFactory(username="riley", first_name="Riley", last_name="Reviewer", is_staff=True)
    other.groups.add(Group.objects.get(name="Moderators"))
    time_machine.move_to(datetime(2026, 3, 2, 15, 0, tzinfo=UTC), tick=False)
    first, second, third = pending(name="Ann"), pending(name="Bo"), pending(name="Cy")
    moderation.approve(comment=first, by=desk_moderator)
    time_machine.move_to(datetime(2026, 3, 4, 15, 0, tzinfo=UTC), tick=False)
    moderation.reject(comment=second, by=other)
    moderation.mark_spam(comment=third, by=desk_moderator)

    def rows(**query):
        page = BeautifulSoup(desk_client.get("/moderation/log/", query).content, "html.parser")
        return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")[1:4]]
                for row in page.select(".log-table tbody tr")]

    assert rows() == [
        ["Morgan Moderator", "Marked as spam", f"Comment {third.pk} by Cy (not verified) on “{third.article.title}”"],
        ["Riley Reviewer", "Rejected", f"Comment {second.pk} by Bo (not verified) on “{second.article.title}”"],
        ["Morgan Moderator", "Approved", f"Comment {first.pk} by Ann (not verified) on “{first.article.title}”"],
    ]
    assert [r[1] for r in rows(moderator=desk_moderator.pk)] == ["Marked as spam", "Approved"]
    assert [r[0] for r in rows(action="reject")] == ["Riley Reviewer"]
    assert [r[1] for r in rows(since="2026-03-03")] == ["Marked as spam", "Rejected"]
    assert [r[1] for r in rows(until="2026-03-02")] == ["Approved"]
    assert [r[1] for r in rows(since="2026-03-02", until="2026-03-02", moderator=desk_moderator.pk)] == ["Approved"]


def test_the_log_names_what_the_site_did_and_deleted_comments(desk_client, desk_moderator):
    comment = pending(name="Ann")
    audit.record(action=Action.HELD, comment=comment, before="approved", after="pending", note="Dosing advice")
    moderation.approve(comment=comment, by=desk_moderator)
    pk = comment.pk
    comment.delete()
    page = desk_client.get("/moderation/log/", {"moderator": "site"}).content.decode()
    soup = BeautifulSoup(page, "html.parser")
    cells = [c.get_text(" ", strip=True) for c in soup.select(".log-table tbody td")]
    assert cells[1:4] == ["the site", "Held for review", f"Comment {pk} (deleted) by Ann (not verified) on “{comment.article.title}”"]
    assert cells[5] == "Dosing advice"


def test_the_log_is_paginated_in_a_constant_number_of_queries(desk_client, desk_moderator, settings,
                                                             django_assert_max_num_queries):
    settings.COMMENTS_QUEUE_PER_PAGE = 10
    for _ in range(25):
        moderation.approve(comment=pending(), by=desk_moderator)
    with django_assert_max_num_queries(12):
        first = desk_client.get("/moderation/log/")
    assert len(BeautifulSoup(first.content, "html.parser").select(".log-table tbody tr")) == 10
    last = BeautifulSoup(desk_client.get("/moderation/log/", {"page": 3}).content, "html.parser")
    assert len(last.select(".log-table tbody tr")) == 5
    assert "Page 3 of 3" in last.get_text()


def test_a_bad_filter_is_said_and_left_out(desk_client, desk_moderator):
    moderation.approve(comment=pending(), by=desk_moderator)
    page = desk_client.get("/moderation/log/", {"since": "2026-13-45"})
    assert page.status_code == 200
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert "From: Enter a valid date." in text
    assert "1 entry." in text


def test_an_entry_on_a_comment_links_to_its_thread_and_a_reader_entry_to_the_log(desk_moderator):
    comment = pending()
    event = audit.record(action=Action.APPROVE, by=desk_moderator, comment=comment)
    assert event.get_absolute_url() == comment.get_absolute_url()
    reader = audit.record(action=Action.TRUST_REVOKED, by=desk_moderator, user=UserFactory())
    assert reader.get_absolute_url() == "/moderation/log/"


def test_an_entry_keeps_the_moment_it_was_given(desk_moderator):
    moment = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    event = audit.record(action=Action.URGENT_ALERT, comment=CommentFactory(), at=moment)
    assert event.created_at == moment and event.moderator_name == "" and event.moderator_pk is None
    assert str(event).startswith("Moderators alerted again by the site: comment ")
    assert ModerationEvent.objects.get().created_at - moment == timedelta(0)


def test_trust_and_suspension_of_a_reader_are_logged_with_who_before_and_after(desk_moderator):
    jordan = UserFactory(username="jordan", email="jordan@example.com", verified=True, display_name="Jordan R.")
    moderation.grant_trust(user=jordan, by=desk_moderator)
    moderation.suspend(user=jordan, by=desk_moderator, note="Insults in three threads")
    moderation.unsuspend(user=jordan, by=desk_moderator)
    comment = CommentFactory(user=jordan, status=Comment.Status.APPROVED)
    moderation.mark_spam(comment=comment, by=desk_moderator)  # one spam mark takes a moderator's grant back
    logged = [(e.action, e.user_pk, e.user_name, e.status_before, e.status_after, e.moderator_pk)
              for e in ModerationEvent.objects.filter(user_pk=jordan.pk).order_by("pk")]
    assert logged == [
        ("trust_granted", jordan.pk, "Jordan R.", "earned", "granted", desk_moderator.pk),
        ("reader_suspended", jordan.pk, "Jordan R.", "active", "suspended", desk_moderator.pk),
        ("reader_reinstated", jordan.pk, "Jordan R.", "suspended", "active", desk_moderator.pk),
        ("trust_reset", jordan.pk, "Jordan R.", "granted", "earned", desk_moderator.pk),
    ]
    assert ModerationEvent.objects.get(action="reader_suspended").note == "Insults in three threads"
