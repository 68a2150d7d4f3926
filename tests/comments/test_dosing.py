"""Dosing advice: found as written, held even from trusted posters, marked for moderators, noted for readers."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client

from comments import demo as seed
from comments import dosing, moderation
from comments.models import Comment, ModerationEvent
from comments.text import fold, fold_with_offsets
from tests.factories import ArticleFactory, CommentFactory, UserFactory, comment_form_data


def marked(text):
    return [text[start:end] for start, end in dosing.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("Taking 10-20 mg 3 times a day was my dose", ["Taking 10-20 mg 3 times a day"]),
    ("I split a pill when it gets bad", ["split a pill"]),
    ("Honestly, just stop taking it.", ["stop taking it"]),
    ("My advice: double the dose", ["double the dose"]),
    ("5mg at night", ["5mg"]),
    ("Take ½ tablet", ["½ tablet"]),
    ("take it twice a day", ["take it twice a day"]),
    ("I take 2.5 MG", ["2.5 MG"]),
    ("10–20 mg", ["10–20 mg"]),  # an en dash
    ("5 to 10 milligrams", ["5 to 10 milligrams"]),
    ("I came off my meds", ["came off my meds"]),
    ("quit your medication now", ["quit your medication"]),
    ("half a pill", ["half a pill"]),
    ("taper off slowly", ["taper off"]),
    ("take one every 6 hours", ["take one every 6 hours"]),
    ("Ta\u200bking 10 mg", ["10 mg"]),  # invisible characters between the words do not hide them
])
def test_dosing_advice_is_found_and_marked_as_written(text, expected):
    assert marked(text) == expected
    assert dosing.gives_doses(text) is True


@pytest.mark.parametrize("text", [
    "I walk 3 times a day",
    "I have 3 tabs open",
    "Please stop taking the bus",
    "I ran 5 km today",
    "My doctor and I talked about my medication",
    "1O mg",  # a letter O is not a digit: digits are matched as written
    "take it\n\nthree times a day",  # not across paragraphs
])
def test_ordinary_sentences_are_not_dosing_advice(text):
    assert dosing.find(text) == []
    assert dosing.gives_doses(text) is False


def test_digit_swaps_of_the_crisis_matcher_are_not_applied():
    # The crisis matcher reads "1" as "l" or "i"; dosing reads digits as digits, so both parts stay found.
    assert marked("I took 10 mg and I want to d1e") == ["10 mg"]


def test_the_patterns_are_data():
    patterns = dosing.load_patterns()
    assert "<number> times daily" in patterns
    assert all(not line.startswith("#") for line in patterns)


def test_marking_escapes_first_then_marks():
    html = dosing.highlighted("<b>Take 10 mg</b> & rest\n\nthen split a pill")
    assert html == ("<p>&lt;b&gt;Take <mark>10 mg</mark>&lt;/b&gt; &amp; rest</p>\n\n"
                    "<p>then <mark>split a pill</mark></p>")


def test_folding_keeps_track_of_where_each_character_came_from():
    folded, offsets = fold_with_offsets("Ｔａｋｅ\u200b ß")
    assert folded == fold("Ｔａｋｅ\u200b ß") == "take ss"
    assert offsets == [0, 1, 2, 3, 5, 6, 6]


@pytest.fixture
def trusted(db):
    user = UserFactory(username="trusted", first_name="Tess", last_name="Trusted")
    user.user_permissions.add(Permission.objects.get(codename="post_without_approval"))
    return user


def submitted(user, body):
    comment = Comment(article=ArticleFactory(), name="Sam", email="sam@example.com", body=body)
    moderation.submit(comment=comment, user=user)
    return comment


def test_a_trusted_posters_dosing_advice_is_flagged_and_held(trusted):
    comment = submitted(trusted, "Try 50 mg twice daily")
    assert (comment.dosing, comment.status) == (True, Comment.Status.PENDING)
    event = ModerationEvent.objects.get()
    assert (event.action, event.status_before, event.note) == ("held", "approved", "Dosing advice")


def test_with_holding_off_it_is_flagged_and_published(trusted, settings):
    settings.COMMENTS_DOSING_HOLD = False
    comment = submitted(trusted, "Try 50 mg twice daily")
    assert (comment.dosing, comment.status) == (True, Comment.Status.APPROVED)
    assert not ModerationEvent.objects.exists()


def test_an_edit_that_adds_a_dose_is_flagged_and_held(trusted):
    comment = submitted(trusted, "It helped me")
    assert (comment.dosing, comment.status) == (False, Comment.Status.APPROVED)
    moderation.edit(comment=comment, user=trusted, body="It helped me at 20 mg")
    comment.refresh_from_db()
    assert (comment.dosing, comment.status) == (True, Comment.Status.PENDING)


def test_moderators_see_the_words_marked_in_the_queue(desk_client):
    CommentFactory(status=Comment.Status.PENDING, dosing=True, body="Take <10 mg> & split a pill")
    page = BeautifulSoup(desk_client.get("/moderation/").content, "html.parser")
    item = page.select_one(".queue-item")
    assert [m.get_text() for m in item.select(".comment-body mark")] == ["10 mg", "split a pill"]
    assert "Take <10 mg> & split a pill" in item.select_one(".comment-body").get_text()
    assert "Dosing advice" in item.select_one(".queue-flags").get_text()


def test_readers_see_the_note_under_approved_dosing_advice(client, desk_moderator, settings):
    settings.COMMENTS_DOSING_NOTE = "Ask your prescriber first."
    comment = CommentFactory(status=Comment.Status.PENDING, dosing=True, body="I take 10 mg")
    plain = CommentFactory(article=comment.article, body="Thanks")
    moderation.approve(comment=comment, by=desk_moderator)
    page = BeautifulSoup(client.get(comment.article.get_absolute_url()).content, "html.parser")
    assert page.select_one(f"#comment-{comment.pk} .dosing-note").get_text() == "Ask your prescriber first."
    assert page.select_one(f"#comment-{plain.pk} .dosing-note") is None


def test_the_default_note():
    from healthsite import settings as project_settings

    assert project_settings.COMMENTS_DOSING_NOTE == "Talk to your doctor before changing any medication."
    assert project_settings.COMMENTS_DOSING_HOLD is True


def test_the_seed_comments_stay_as_the_seed_shows_them(demo):
    assert any(dosing.gives_doses(comment["body"]) for comment in seed.COMMENTS)  # they hold doses ...
    comments = Comment.objects.filter(article=demo)
    assert comments.count() == 5
    assert not comments.filter(dosing=True).exists()  # ... but loaddemo writes them as they were
    page = Client().get(demo.get_absolute_url()).content.decode()
    assert "dosing-note" not in page


def test_a_new_comment_like_the_seeds_is_flagged(client, demo):
    body = "Taking 10-20 mg 3 times a day was my original dosage."
    client.post(demo.get_absolute_url() + "comments/", comment_form_data(body=body))
    assert Comment.objects.get(body=body).dosing is True
