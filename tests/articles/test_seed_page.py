"""The demo article renders the seed page, top to bottom."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

SEED = (Path(__file__).parent.parent / "data" / "baclofen-in-ptsd-treatment.txt").read_text()
SEED_DATES = [
    "January, 16 2019 at 8:52 am",
    "July, 21 2014 at 2:03 am",
    "November, 24 2013 at 7:30 pm",
    "August, 26 2015 at 2:46 am",
    "October, 6 2013 at 8:03 am",
]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(html: str) -> str:
    return squash(BeautifulSoup(html, "html.parser").find("main").get_text(""))


def seed_article_lines() -> list[str]:
    """Every line of the seed from the title to the author's bio paragraph."""
    lines = [squash(line) for line in SEED.split("APA Reference")[0].splitlines()]
    return [line for line in lines if line]


@pytest.fixture
def page(client, demo):
    response = client.get(demo.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_demo_article_has_its_canonical_url(demo):
    assert demo.get_absolute_url() == "/blogs/traumaptsdblog/2012/10/baclofen-in-ptsd-treatment/"


def test_page_holds_every_line_of_the_seed_article_in_order(page):
    text = page_text(page)
    position = 0
    for line in seed_article_lines():
        found = text.find(line, position)
        assert found >= 0, f"missing or out of order: {line[:70]!r}"
        position = found + len(line)
    assert len(seed_article_lines()) == 19


def test_page_sections_follow_the_seed_order(page):
    text = page_text(page)
    marks = ["Baclofen in PTSD Treatment", "October 24, 2012 Michele Rosenthal", "Recently, I received",
             "Michele is the author of", "APA Reference", "Author: Michele Rosenthal", SEED_DATES[0], "Leave a reply"]
    positions = [text.find(mark) for mark in marks]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_blockquote_holds_the_two_quoted_paragraphs(page):
    quote = BeautifulSoup(page, "html.parser").select_one(".article-body blockquote")
    paragraphs = [squash(p.get_text()) for p in quote.find_all("p")]
    assert paragraphs[0].startswith("As one of the primary neurotransmitters")
    assert paragraphs[1].endswith("directly affects overall emotional well-being.")


def test_subheadings_are_headings(page):
    headings = [h.get_text() for h in BeautifulSoup(page, "html.parser").select(".article-body h2")]
    assert headings == ["Why GABA Should Be Important To You", "Safe Ways to Increase GABA In Your Brain"]


def test_apa_reference_is_the_house_format_with_today_and_the_canonical_url(page, settings):
    today = timezone.localdate()
    expected = (
        "Rosenthal, M. (2012, October 24). Baclofen in PTSD Treatment, HealthyPlace. "
        f"Retrieved on {today.year}, {today:%B} {today.day} from "
        "http://127.0.0.1:8000/blogs/traumaptsdblog/2012/10/baclofen-in-ptsd-treatment/"
    )
    reference = BeautifulSoup(page, "html.parser").select_one(".apa-reference p").get_text()
    assert reference == expected


def test_five_comment_dates_appear_exactly_in_the_seed_order(page):
    text = page_text(page)
    positions = [text.find(date) for date in SEED_DATES]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_seed_comments_keep_their_line_breaks(page, demo):
    comment = Comment.objects.get(article=demo, body__startswith="I had no idea")
    assert comment.body_html.count("<br>") == 4
    assert "<p>Hi Estrella,<br>\nBeen a while" in page


def test_reply_is_nested_inside_its_parent_with_the_reply_label(page, demo):
    soup = BeautifulSoup(page, "html.parser")
    reply = Comment.objects.get(article=demo, body__startswith="Hi Estrella")
    parent = reply.parent
    assert parent.body.startswith("I was given baclofen")
    reply_element = soup.select_one(f"#comment-{reply.pk}")
    assert reply_element.find_parent(id=f"comment-{parent.pk}") is not None
    assert reply_element.select_one(".irt").get_text() == "In reply to by Anonymous (not verified)"


def test_anonymous_posters_show_as_not_verified(page):
    names = [n.get_text() for n in BeautifulSoup(page, "html.parser").select("#comments header b")]
    assert names == ["Anonymous (not verified)"] * 5


def test_loaddemo_twice_changes_nothing(demo):
    call_command("loaddemo", stdout=open("/dev/null", "w"))
    assert Article.objects.count() == 1
    assert Comment.objects.count() == 5
    assert Comment.objects.filter(parent__isnull=False).count() == 1
    fields = ["pk", "tree_id", "lft", "rght", "level"]
    before = list(Comment.objects.order_by("pk").values_list(*fields))
    Comment.objects.rebuild()  # a valid tree rebuilds to the same numbers
    assert list(Comment.objects.order_by("pk").values_list(*fields)) == before
    assert sorted(level for *_, level in before) == [0, 0, 0, 0, 1]


def test_loaddemo_without_password_creates_no_account(demo, django_user_model):
    assert django_user_model.objects.count() == 0


def test_loaddemo_with_password_creates_staff_in_their_groups(db, django_user_model, client):
    call_command("loaddemo", "--password", "s3cret-demo", stdout=open("/dev/null", "w"))
    call_command("loaddemo", "--password", "other-pass", stdout=open("/dev/null", "w"))
    users = {u.username: u for u in django_user_model.objects.all()}
    assert set(users) == {"editor", "author", "moderator", "reader", "reviewer"}
    assert [g.name for g in users["editor"].groups.all()] == ["Editors"]
    assert [g.name for g in users["author"].groups.all()] == ["Authors"]
    assert [g.name for g in users["moderator"].groups.all()] == ["Moderators"]
    assert [g.name for g in users["reviewer"].groups.all()] == ["Reviewers"]
    assert users["author"].author_profile.display_name == "Michele Rosenthal"
    reviewer = users["reviewer"].author_profile
    assert (reviewer.display_name, reviewer.credentials) == ("Dana Lee", "MD")
    assert all(u.is_staff and not u.is_superuser for name, u in users.items() if name != "reader")
    assert client.login(username="moderator", password="other-pass")


def test_loaddemo_with_password_creates_the_verified_reader_and_confirms_every_address(db, django_user_model):
    from allauth.account.models import EmailAddress

    from comments.models import Reader, is_verified

    call_command("loaddemo", "--password", "s3cret-demo", stdout=open("/dev/null", "w"))
    call_command("loaddemo", "--password", "s3cret-demo", stdout=open("/dev/null", "w"))
    reader = django_user_model.objects.get(username="reader")
    assert (reader.email, reader.is_staff, reader.check_password("s3cret-demo")) == ("reader@example.com", False, True)
    assert Reader.objects.get(user=reader).display_name == "Jordan R."
    assert is_verified(reader)
    assert sorted(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        (f"{name}@example.com", True, True) for name in ("author", "editor", "moderator", "reader", "reviewer")]
    client = Client()
    response = client.post("/accounts/login/", {"login": "reader@example.com", "password": "s3cret-demo"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(reader.pk)
