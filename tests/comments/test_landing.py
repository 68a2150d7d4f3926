"""Where a reader lands after posting, being refused, losing their session, or reporting, and what they see there."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments import section
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, comment_form_data

pytestmark = pytest.mark.django_db

CRISIS = "Some nights I want to end my life."
HELP_HEADING = "You don't have to go through this alone"


def post_url(article):
    return article.get_absolute_url() + "comments/"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def textarea_value(element) -> str:
    """Return a textarea's text as a browser reads it (HTML drops the newline right after the start tag)."""
    text = element.get_text()
    return text[1:] if text.startswith("\n") else text


# Crisis help

def test_crisis_help_is_inside_the_posters_comment_under_the_pending_note(client):
    article = ArticleFactory()
    response = client.post(post_url(article), comment_form_data(body=CRISIS), follow=True)
    comment = Comment.objects.get()
    soup = soup_of(response)
    box = soup.select_one(f"#comment-{comment.pk} .crisis")
    assert box.select_one("h2").get_text() == HELP_HEADING
    assert box.select_one("[role=alert]") is not None
    assert box.has_attr("data-focus-on-load")  # the reader has just landed here: the focus moves to it
    assert [c for c in box.parent.children if getattr(c, "name", None)][1:3] == [
        soup.select_one(f"#comment-{comment.pk} .pending-note"), box]  # header, pending note, help, body
    assert len(soup.select(".crisis")) == 1


def test_crisis_help_stays_for_the_session_until_the_reader_hides_it(client):
    article = ArticleFactory()
    client.post(post_url(article), comment_form_data(body=CRISIS))
    comment = Comment.objects.get()
    for _ in range(2):  # every later view of the session, without the landing's focus
        soup = soup_of(client.get(article.get_absolute_url()))
        assert soup.select_one(f"#comment-{comment.pk} .crisis h2").get_text() == HELP_HEADING
        assert not soup.select_one(".crisis").has_attr("data-focus-on-load")
    form = soup.select_one(".crisis form")
    assert form["action"] == "/comments/crisis-help/hide/" and form["method"] == "post"
    back = form.select_one("input[name=next]")["value"]
    assert back == f"{article.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}"

    response = client.post(form["action"], {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert soup_of(client.get(article.get_absolute_url())).select(".crisis") == []


def test_hiding_crisis_help_never_sends_the_reader_to_another_site(client):
    client.post(post_url(ArticleFactory()), comment_form_data(body=CRISIS))
    response = client.post("/comments/crisis-help/hide/", {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/"
    assert client.get("/comments/crisis-help/hide/").status_code == 405  # hiding is a POST


def test_crisis_help_shows_above_the_comments_on_another_article_of_the_session(client):
    client.post(post_url(ArticleFactory()), comment_form_data(body=CRISIS))
    other = ArticleFactory()
    soup = soup_of(client.get(other.get_absolute_url()))
    box = soup.select_one(".crisis")
    assert box.find_next_sibling("section")["id"] == "comments"
    assert box.select_one("input[name=next]")["value"] == f"{other.get_absolute_url()}#comments"


def test_refused_crisis_post_shows_the_help_at_the_form_and_keeps_it_for_the_session(client):
    article = ArticleFactory()
    response = client.post(post_url(article), comment_form_data(body=CRISIS, email=""))
    assert response.status_code == 400
    box = soup_of(response).select_one("#reply .crisis")
    assert box.find_previous_sibling("div")["id"] == "form-errors"  # the error summary, then the help
    assert not box.has_attr("data-focus-on-load")  # the error summary takes the focus
    assert client.session[section.moderation.CRISIS_SESSION_KEY] == {"comment": None}
    assert soup_of(client.get(article.get_absolute_url())).select_one(".crisis + #comments") is not None


def test_an_ordinary_comment_brings_no_crisis_help(client):
    article = ArticleFactory()
    assert soup_of(client.post(post_url(article), comment_form_data(), follow=True)).select(".crisis") == []


# Refusals

def test_the_form_posts_to_its_own_fragment_so_a_refusal_lands_at_the_form(client):
    article = ArticleFactory()
    form = soup_of(client.get(article.get_absolute_url())).select_one("#reply form")
    assert form["action"] == f"{article.get_absolute_url()}comments/#reply"


def test_refusal_has_an_error_summary_that_takes_the_focus_and_links_to_the_field(client):
    response = client.post(post_url(ArticleFactory()), comment_form_data(email="", body="Keep me."))
    summary = soup_of(response).select_one("#reply #form-errors")
    assert summary["role"] == "alert" and summary["tabindex"] == "-1" and summary.has_attr("data-focus-on-load")
    assert [a["href"] for a in summary.select("a")] == ["#id_email"]
    assert summary.get_text(" ", strip=True) == "Your comment was not posted yet. Email: This field is required."


def test_rate_limited_post_is_refused_with_that_reason_alone_and_the_text_kept(client, settings):
    settings.COMMENTS_RATE_LIMITS = [(60, 0)]
    response = client.post(post_url(ArticleFactory()), comment_form_data(email="", body="Slow down, kept."))
    assert response.status_code == 429
    summary = soup_of(response).select_one("#form-errors")
    assert [li.get_text() for li in summary.select("li")] == [
        "You have posted several comments in a short time. Please wait a few minutes, then post again: "
        "your text is kept below."]
    assert textarea_value(soup_of(response).select_one("#id_body")) == "Slow down, kept."


def test_closed_comments_refusal_says_so_once_and_keeps_the_text(client):
    article = ArticleFactory(comments_enabled=False)
    response = client.post(post_url(article), comment_form_data(body="Too late, kept."))
    assert response.status_code == 403
    text = soup_of(response).select_one("#reply").get_text(" ", strip=True)
    assert text.count("closed") == 1
    assert text == ("Leave a reply Comments are closed on this article, so your comment was not posted. "
                    "Your text, to copy and keep Too late, kept.")
    assert soup_of(client.get(article.get_absolute_url())).select_one("#reply").get_text(" ", strip=True) == (
        "Leave a reply Comments are closed on this article.")


# An expired session (a failed CSRF check)

def test_expired_session_gets_the_form_again_with_the_text_and_a_fresh_token(db):
    article = ArticleFactory()
    reader = Client(enforce_csrf_checks=True)
    stale = "s" * 64  # the token of a CSRF cookie that has expired since
    response = reader.post(post_url(article), comment_form_data(body="Written over an hour, kept.", name="Dana",
                                                                csrfmiddlewaretoken=stale))
    assert response.status_code == 403
    soup = soup_of(response)
    assert [li.get_text() for li in soup.select("#form-errors li")] == ["Your session had expired; press Post again."]
    assert textarea_value(soup.select_one("#id_body")) == "Written over an hour, kept."
    assert soup.select_one("#id_name")["value"] == "Dana"
    assert "DEBUG" not in response.content.decode()
    assert not Comment.objects.exists()

    token = soup.select_one("#reply input[name=csrfmiddlewaretoken]")["value"]
    assert reader.cookies["csrftoken"].value  # the fresh token's cookie came with the page
    again = {field["name"]: field.get("value", "") for field in soup.select("#reply form input")}
    again.update(body=textarea_value(soup.select_one("#id_body")), csrfmiddlewaretoken=token)
    response = reader.post(post_url(article), again)  # at once: the reader wrote the text before
    assert response.status_code == 302
    assert Comment.objects.get().body == "Written over an hour, kept."


def test_a_foreign_sites_post_gets_the_plain_403_without_the_text(db):
    article = ArticleFactory()
    response = Client(enforce_csrf_checks=True).post(
        post_url(article), comment_form_data(body="Words an attacker chose."), HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Words an attacker chose." not in page
    assert "This form has expired" in page and "DEBUG" not in page


# Reports

def report(client, comment):
    return client.post(f"/comments/{comment.pk}/report/", follow=True)


def test_report_lands_at_the_comment_with_thanks_there_and_reported_for_the_session(client):
    comment = CommentFactory(body="Questionable advice.")
    response = report(client, comment)
    assert response.redirect_chain[-1][0] == comment.get_absolute_url()
    soup = soup_of(response)
    element = soup.select_one(f"#comment-{comment.pk}")
    assert element.select_one(".reported-note").get_text() == "Thank you. A moderator will look at this comment."
    assert element.select_one(".reported-note")["role"] == "status"
    assert element.select_one("footer .reported").get_text() == "Reported"
    assert element.select(f"a[href='/comments/{comment.pk}/report/']") == []
    assert soup.select(".messages") == []  # nothing out of sight at the top of the page

    later = soup_of(client.get(comment.article.get_absolute_url())).select_one(f"#comment-{comment.pk}")
    assert later.select(".reported-note") == []  # thanked once
    assert later.select_one("footer .reported").get_text() == "Reported"
    assert Client().get(comment.article.get_absolute_url()).content.decode().count("Reported") == 0


def test_reporting_again_says_so_at_the_comment(client):
    comment = CommentFactory()
    report(client, comment)
    note = soup_of(report(client, comment)).select_one(f"#comment-{comment.pk} .reported-note")
    assert note.get_text() == "You have reported this comment already. A moderator will look at it."
    assert comment.reports.count() == 1


# The reply form

def test_reply_form_quotes_the_first_line_of_the_parent_and_links_back_to_it(client):
    parent = CommentFactory(body="\n  Baclofen helped me sleep again.\nThe rest is a longer story.", name="")
    article = parent.article
    soup = soup_of(client.get(f"{article.get_absolute_url()}?replyto={parent.pk}"))
    replying = soup.select_one(".replying-to")
    assert replying.select_one("p").get_text() == "Replying to Anonymous (not verified):"
    assert replying.select_one(".reply-excerpt").get_text() == "Baclofen helped me sleep again."
    assert [(a.get_text(), a["href"]) for a in replying.select("a")] == [
        ("Back to the comment", f"{article.get_absolute_url()}?comment={parent.pk}#comment-{parent.pk}"),
        ("Cancel reply", f"{article.get_absolute_url()}#reply"),
    ]


def test_excerpt_is_the_first_line_shortened_to_twenty_words():
    words = " ".join(f"w{n}" for n in range(30))
    assert section.excerpt(Comment(body=f"{words}\nsecond line")) == " ".join(f"w{n}" for n in range(20)) + "…"
    assert section.excerpt(Comment(body="x" * 400)) == "x" * 149 + "…"


def test_email_me_replies_has_no_stray_colon(client):
    label = soup_of(client.get(ArticleFactory().get_absolute_url())).select_one("label[for=id_notify_replies]")
    assert label.get_text() == "Email me replies"
