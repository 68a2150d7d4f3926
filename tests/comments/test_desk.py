"""The moderation desk's pages: the queue with its context, replies from the queue, the reported list, moderating in place."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client

from comments import moderation
from comments.models import Comment, ModerationEvent, Report
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def pending(**kwargs):
    return CommentFactory(status=Comment.Status.PENDING, **kwargs)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def item(page, comment, prefix="pending"):
    return page.find(id=f"{prefix}-{comment.pk}")


DESK_PAGES = ["/moderation/", "/moderation/reported/", "/moderation/log/", "/moderation/numbers/"]


@pytest.mark.parametrize("url", DESK_PAGES)
def test_every_desk_page_is_for_moderators_only(url, desk_client):
    assert Client().get(url).status_code == 302  # to the login page
    staff = Client()
    staff.force_login(UserFactory(username="staffer", is_staff=True))
    assert staff.get(url).status_code == 403
    assert desk_client.get(url).status_code == 200


@pytest.mark.parametrize("action", ["approve", "reject", "spam", "handled", "dismiss", "remove", "reply"])
def test_every_act_is_refused_without_the_permission(action):
    comment = pending(urgent=True)
    staff = Client()
    staff.force_login(UserFactory(username="staffer", is_staff=True))
    data = {"action": f"{action}:{comment.pk}", f"reply-{comment.pk}": "Hello"}
    assert Client().post("/moderation/", data).status_code == 302
    assert staff.post("/moderation/", data).status_code == 403
    comment.refresh_from_db()
    assert (comment.status, comment.is_removed, comment.urgent_handled_at) == (Comment.Status.PENDING, False, None)
    assert Comment.objects.count() == 1 and not ModerationEvent.objects.exists()


def test_the_queue_shows_the_parent_in_full_and_a_link_into_the_thread(desk_client):
    long_words = "I have been thinking about this for a long time. " * 8
    parent = CommentFactory(name="Ann", body=long_words.strip() + "\n\nSecond paragraph.")
    reply = pending(article=parent.article, parent=parent, name="Bo")
    page = soup(desk_client.get("/moderation/"))
    quoted = item(page, reply).select_one(".queue-parent blockquote")
    assert [p.get_text() for p in quoted.find_all("p")] == [long_words.strip(), "Second paragraph."]
    link = item(page, reply).find("a", string="View in thread")
    assert link["href"] == f"{reply.article.get_absolute_url()}?comment={reply.pk}#comment-{reply.pk}"


def test_the_posters_history_counts_the_same_account_email_or_address_once_each(desk_client):
    poster = UserFactory(username="poster")
    article = ArticleFactory()
    CommentFactory(article=article, user=poster, email="x@example.com", ip_address="192.0.2.1")
    CommentFactory(article=article, email="DANA@example.com", ip_address="192.0.2.9",
                   status=Comment.Status.REJECTED)
    CommentFactory(article=article, email="other@example.com", ip_address="192.0.2.9", status=Comment.Status.SPAM)
    # Matches on email and address both: counted once.
    CommentFactory(article=article, email="dana@example.com", ip_address="192.0.2.9")
    CommentFactory(article=article, email="stranger@example.com", ip_address="198.51.100.1")
    pending(article=article, email="dana@example.com", ip_address="192.0.2.99")  # pending: not history
    comment = pending(article=article, user=poster, email="dana@example.com", ip_address="192.0.2.9")
    fresh = pending(article=article, email="new@example.com", ip_address="203.0.113.50")
    page = soup(desk_client.get("/moderation/"))
    assert item(page, comment).select_one(".queue-history").get_text(" ", strip=True) == (
        "2 approved, 1 rejected, 1 spam (same account, email or IP)")
    assert item(page, fresh).select_one(".queue-history").get_text(" ", strip=True) == (
        "nothing decided before (same account, email or IP)")


def test_the_queue_shows_reports_with_their_reasons_and_the_comments_log(desk_client, desk_moderator):
    comment = CommentFactory(name="Cy")
    Report.objects.create(comment=comment, session_key="a", reason=Report.Reason.MEDICAL,
                          details="Says to stop the meds")
    Report.objects.create(comment=comment, session_key="b", reason=Report.Reason.ABUSE)
    Report.objects.create(comment=comment, session_key="c", reason=Report.Reason.SPAM, dismissed=True)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)  # hidden by the reports
    page = soup(desk_client.get("/moderation/"))
    reports = [li.get_text(" ", strip=True).split(" (")[0] for li in item(page, comment).select(".queue-reports li")]
    assert reports == ["Harmful medical advice: “Says to stop the meds”", "Abuse or harassment"]
    assert "Reported 2 times" in item(page, comment).select_one(".queue-flags").get_text()


def test_the_queue_stays_at_a_constant_number_of_queries(desk_client, django_assert_max_num_queries, settings):
    settings.COMMENTS_QUEUE_PER_PAGE = 50

    def fill(n):
        for i in range(n):
            parent = CommentFactory(name=f"P{i}")
            comment = pending(article=parent.article, parent=parent, email=f"p{i}@example.com",
                              ip_address=f"192.0.2.{i % 250}", urgent=i % 3 == 0)
            Report.objects.create(comment=comment, session_key=f"s{i}", reason=Report.Reason.OTHER)
            ModerationEvent.objects.create(action="held", comment=comment, comment_pk=comment.pk, note="Hold list")

    fill(3)
    with django_assert_max_num_queries(20) as few:
        desk_client.get("/moderation/")
    fill(60)
    with django_assert_max_num_queries(len(few)) as many:
        response = desk_client.get("/moderation/")
    assert len(many) == len(few)
    assert len(soup(response).select("[data-item]")) == 50


def test_select_all_works_without_a_script(desk_client):
    a, b = pending(), pending()
    page = soup(desk_client.get("/moderation/", {"select": "all"}))
    assert [box.has_attr("checked") for box in page.select('input[name="ids"]')] == [True, True]
    assert page.find("a", attrs={"data-select-all": True}).get_text() == "Select none"
    assert not soup(desk_client.get("/moderation/")).select('input[name="ids"][checked]')
    desk_client.post("/moderation/", {"action": "approve", "ids": [a.pk, b.pk]})
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}


def test_the_keyboard_help_and_the_script_are_on_the_page(desk_client):
    pending()
    page = soup(desk_client.get("/moderation/"))
    help_box = page.find(id="shortcuts")
    assert help_box.has_attr("hidden")  # shown by the script, which makes the keys work
    assert "j / k next / previous comment" in help_box.get_text(" ", strip=True)
    assert page.find(id="desk-status")["role"] == "status"
    assert page.find("script", src="/static/js/moderation.js") is not None
    assert [b["data-key"] for b in page.select(".queue-buttons button")] == ["a", "r", "s"]


def test_a_moderator_replies_from_the_queue(desk_client, desk_moderator, client, mailoutbox, committed):
    article = ArticleFactory()
    parent = pending(article=article, name="Dana", email="dana@example.com", notify_replies=True, urgent=True)
    with committed():
        response = desk_client.post("/moderation/", {"action": f"reply:{parent.pk}",
                                                     f"reply-{parent.pk}": "Thank you for writing. You are not alone."})
    assert response.status_code == 302
    parent.refresh_from_db()
    reply = Comment.objects.get(parent=parent)
    assert (parent.status, reply.status, reply.posted_as_moderator) == ("approved", "approved", True)
    assert (reply.user, reply.name) == (desk_moderator, "Morgan Moderator")
    assert parent.urgent_handled_at is not None
    assert [(e.action, e.comment_pk, e.note) for e in ModerationEvent.objects.order_by("pk")] == [
        ("approve", parent.pk, "Approved with a moderator's reply"),
        ("reply", reply.pk, f"In reply to comment {parent.pk}"),
    ]
    page = soup(client.get(article.get_absolute_url()))
    header = page.select_one(f"#comment-{parent.pk} #comment-{reply.pk} header")
    assert header.get_text(" ", strip=True).startswith("Morgan Moderator Moderator")
    assert header.select_one(".badge").get_text() == "Moderator"
    assert [m.to for m in mailoutbox] == [["dana@example.com"]]  # the parent's poster asked for replies


def test_a_refused_reply_keeps_the_text(desk_client):
    parent = pending()
    too_long = "x" * 5001
    response = desk_client.post("/moderation/", {"action": f"reply:{parent.pk}", f"reply-{parent.pk}": too_long})
    assert response.status_code == 400
    box = item(soup(response), parent)
    assert box.find("textarea").get_text().strip() == too_long
    assert box.select_one(".queue-reply .form-errors").get_text().startswith("Your reply was not published:")
    assert Comment.objects.count() == 1 and Comment.objects.get().status == Comment.Status.PENDING


def test_a_reply_to_a_rejected_comment_is_refused(desk_client):
    parent = CommentFactory(status=Comment.Status.REJECTED)
    response = desk_client.post("/moderation/", {"action": f"reply:{parent.pk}", f"reply-{parent.pk}": "Hello"},
                                HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["message"] == (
        "Your reply was not published: This comment was rejected, marked as spam or removed, "
        "so it cannot take a reply.")


def test_the_script_gets_json_answers(desk_client):
    a, b = pending(name="Ann"), pending(name="Bo")
    one = desk_client.post("/moderation/", {"action": f"approve:{a.pk}"}, HTTP_ACCEPT="application/json")
    assert json.loads(one.content) == {"message": "The comment by Ann (not verified) was approved.", "done": [a.pk]}
    bulk = desk_client.post("/moderation/", {"action": "spam", "ids": [b.pk]}, HTTP_ACCEPT="application/json")
    assert json.loads(bulk.content) == {"message": "1 comment marked as spam.", "done": [b.pk]}
    bad = desk_client.post("/moderation/", {"action": "delete", "ids": [a.pk]}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert json.loads(bad.content)["message"] == "Choose one or more comments and an action."


@pytest.mark.parametrize("target, lands", [
    ("/blogs/x/2026/01/y/?comment=5#comment-5", "/blogs/x/2026/01/y/?comment=5#comment-5"),
    ("https://evil.example/", "/moderation/?page=1"),
    ("//evil.example/", "/moderation/?page=1"),
    ("javascript:alert(1)", "/moderation/?page=1"),
])
def test_acts_go_back_only_to_a_page_of_this_site(desk_client, target, lands):
    comment = pending()
    response = desk_client.post("/moderation/", {"action": f"reject:{comment.pk}", "next": target})
    assert response["Location"] == lands


def test_moderators_see_pending_comments_in_place_with_their_buttons(desk_client, client, settings):
    article = ArticleFactory()
    shown = CommentFactory(article=article, body="Already public")
    waiting = pending(article=article, parent=shown, body="Waiting words", urgent=True, dosing=True)
    page = soup(desk_client.get(article.get_absolute_url()))
    marked = page.select_one(f"#comment-{shown.pk} #comment-{waiting.pk}")
    assert "awaiting" in marked["class"]
    assert marked.select_one(".pending-note").get_text() == (
        "Awaiting moderation · Urgent: crisis language · Dosing advice")
    form = marked.select_one("form.moderate-here")
    assert form["action"] == "/moderation/"
    assert [b["value"] for b in form.find_all("button")] == [f"approve:{waiting.pk}", f"reject:{waiting.pk}",
                                                             f"spam:{waiting.pk}"]
    back = form.find("input", attrs={"name": "next"})["value"]
    assert back == f"{article.get_absolute_url()}?comment={waiting.pk}#comment-{waiting.pk}"
    response = desk_client.post("/moderation/", {"action": f"approve:{waiting.pk}", "next": back})
    assert response["Location"] == back
    assert "Waiting words" in client.get(article.get_absolute_url()).content.decode()


def test_readers_and_the_cached_page_never_show_others_pending_comments(desk_client, client):
    article = ArticleFactory()
    CommentFactory(article=article, body="Public words")
    waiting = pending(article=article, body="Waiting words")
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    moderator_page = desk_client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in moderator_page
    assert "Waiting words" in moderator_page.content.decode()
    again = client.get(article.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert "Waiting words" not in again.content.decode() and "moderate-here" not in again.content.decode()
    reader = Client()
    reader.force_login(UserFactory(username="reader"))
    assert "Waiting words" not in reader.get(article.get_absolute_url()).content.decode()
    assert waiting.status == Comment.Status.PENDING


def test_a_permalink_to_a_pending_comment_finds_its_page_for_a_moderator(desk_client, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    article = ArticleFactory()
    waiting = pending(article=article, body="Oldest, waiting")
    for i in range(4):
        CommentFactory(article=article, body=f"Newer {i}")
    response = desk_client.get(waiting.get_absolute_url())
    assert "Oldest, waiting" in response.content.decode()
    assert "Comments page 3 of 3" in soup(response).get_text()


def test_the_moderators_article_page_stays_at_a_constant_number_of_queries(desk_client, django_assert_max_num_queries):
    article = ArticleFactory()

    def fill(n):
        for i in range(n):
            root = CommentFactory(article=article, body=f"Root {i}")
            pending(article=article, parent=root, body=f"Waiting {i}")

    fill(2)
    desk_client.get(article.get_absolute_url())
    with django_assert_max_num_queries(30) as few:
        desk_client.get(article.get_absolute_url())
    fill(40)
    with django_assert_max_num_queries(len(few)):
        response = desk_client.get(article.get_absolute_url())
    assert len(soup(response).select("form.moderate-here")) == 42


def report(comment, key, reason, weight=1, details=""):
    return Report.objects.create(comment=comment, session_key=key, reason=reason, weight=weight, details=details)


def test_the_reported_list_shows_counts_and_reasons_before_any_threshold(desk_client, settings):
    settings.COMMENTS_REPORT_WEIGHT_TO_HIDE = 10
    light = CommentFactory(name="Ann")
    heavy = CommentFactory(name="Bo")
    report(light, "a", Report.Reason.SPAM)
    report(heavy, "b", Report.Reason.MEDICAL, weight=2, details="Dose advice")
    report(heavy, "c", Report.Reason.MEDICAL, weight=2)
    report(heavy, "d", Report.Reason.ABUSE)
    Report.objects.create(comment=CommentFactory(), session_key="e", reason=Report.Reason.SPAM, dismissed=True)
    CommentFactory(name="Unreported")
    page = soup(desk_client.get("/moderation/reported/"))
    items = page.select("[data-item]")
    assert [i["id"] for i in items] == [f"reported-{heavy.pk}", f"reported-{light.pk}"]
    assert items[0].select_one(".queue-report-summary").get_text(" ", strip=True) == (
        "3 reports, weight 5 of 10: Harmful medical advice (2), Abuse or harassment (1)")
    nav = page.select_one(".desk-nav").get_text(" ", strip=True)
    assert "Reported (2)" in nav and "Pending (0)" in nav


def test_dismissing_reports_keeps_the_comment_and_logs_it(desk_client, desk_moderator):
    comment = CommentFactory(name="Ann")
    report(comment, "a", Report.Reason.ABUSE)
    report(comment, "b", Report.Reason.OTHER)
    response = desk_client.post("/moderation/", {"action": f"dismiss:{comment.pk}",
                                                 "next": "/moderation/reported/?page=1"}, follow=True)
    assert "The comment by Ann (not verified) was kept: reports dismissed." in response.content.decode()
    assert not soup(response).select("[data-item]")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    event = ModerationEvent.objects.get()
    assert (event.action, event.moderator_name, event.note) == ("reports_dismissed", "Morgan Moderator", "2 reports")


def test_removing_a_reported_comment_leaves_a_placeholder_above_its_replies(desk_client, client):
    comment = CommentFactory(name="Ann", body="Hurtful words")
    reply = CommentFactory(article=comment.article, parent=comment, body="A kind reply")
    report(comment, "a", Report.Reason.ABUSE)
    desk_client.post("/moderation/", {"action": f"remove:{comment.pk}"})
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert "Hurtful words" not in page and "This comment was removed." in page and "A kind reply" in page
    assert ModerationEvent.objects.get().action == "remove"
    assert reply.status == Comment.Status.APPROVED


def test_the_report_form_asks_why(client):
    comment = CommentFactory()
    page = soup(client.get(f"/comments/{comment.pk}/report/"))
    assert [r["value"] for r in page.select('input[name="reason"]')] == ["spam", "abuse", "medical", "other"]
    assert page.find("legend").get_text() == "What is wrong with this comment?"
    client.post(f"/comments/{comment.pk}/report/", {"reason": "medical", "details": "Tells people\nto stop"})
    saved = Report.objects.get()
    assert (saved.reason, saved.details) == ("medical", "Tells people to stop")


def test_a_report_without_a_reason_is_something_else_and_a_wrong_one_is_refused(client):
    comment = CommentFactory()
    client.post(f"/comments/{comment.pk}/report/")
    assert Report.objects.get().reason == Report.Reason.OTHER
    other = Client()
    response = other.post(f"/comments/{comment.pk}/report/", {"reason": "boring"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert Report.objects.count() == 1



def test_the_admins_moderation_actions_need_the_moderation_permission(db):
    from django.contrib.auth.models import Permission

    helper = UserFactory(username="helper", is_staff=True)
    helper.user_permissions.add(*Permission.objects.filter(codename__in=["view_comment", "change_comment"]))
    client = Client()
    client.force_login(helper)
    comment = pending(urgent=True)
    listing = client.get("/admin/comments/comment/")
    assert listing.status_code == 200
    assert b'value="bulk_removed"' not in listing.content and b'value="bulk_approved"' not in listing.content
    for action in ["bulk_approved", "bulk_rejected", "bulk_as_spam", "bulk_handled", "bulk_removed", "bulk_restored",
                   "bulk_reports_dismissed"]:
        client.post("/admin/comments/comment/", {"action": action, "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert (comment.status, comment.is_removed, comment.urgent_handled_at) == ("pending", False, None)
    assert not ModerationEvent.objects.exists()
