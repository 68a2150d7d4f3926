"""Posting comments and replies from the article page."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory, comment_form_data

pytestmark = pytest.mark.django_db


def post_url(article):
    return article.get_absolute_url() + "comments/"


def form_data(**overrides):
    return comment_form_data(**overrides)


def test_anonymous_comment_is_pending_and_the_poster_is_told(client):
    article = ArticleFactory()
    response = client.post(post_url(article), form_data(), follow=True)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "Estrella" and comment.user is None
    assert response.redirect_chain[-1][0] == f"{article.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}"
    page = response.content.decode()
    assert "Your comment is awaiting moderation" in page
    assert f'id="comment-{comment.pk}"' in page  # the poster sees it in place


def test_pending_comment_is_invisible_to_others_until_approved(client, admin_client):
    article = ArticleFactory()
    client.post(post_url(article), form_data(body="Waiting for a moderator."))
    comment = Comment.objects.get()
    stranger = Client()
    assert "Waiting for a moderator." not in stranger.get(article.get_absolute_url()).content.decode()

    response = admin_client.post(
        "/admin/comments/comment/", {"action": "bulk_approved", "_selected_action": [comment.pk]}, follow=True
    )
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    page = stranger.get(article.get_absolute_url()).content.decode()
    assert "Waiting for a moderator." in page
    assert "Estrella (not verified)" in page


def test_reply_lands_under_its_parent(client):
    parent = CommentFactory(body="First!")
    article = parent.article
    client.post(post_url(article), form_data(body="A reply.", parent=parent.pk))
    reply = Comment.objects.get(body="A reply.")
    assert reply.parent == parent and reply.level == 1
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    element = page.select_one(f"#comment-{reply.pk}")
    assert element.find_parent(id=f"comment-{parent.pk}") is not None
    assert element.select_one(".irt").get_text() == "In reply to by Sam (not verified)"


@pytest.mark.parametrize(
    "make_parent, message",
    [
        (lambda article: CommentFactory().pk, "The comment you are replying to belongs to another article."),
        (lambda article: CommentFactory(article=article, status=Comment.Status.PENDING).pk,
         "The comment you are replying to is not published, so it cannot take replies."),
        (lambda article: 987654, "The comment you are replying to does not exist."),
    ],
    ids=["other-article", "pending-parent", "missing-parent"],
)
def test_bad_parent_is_refused_with_a_message_and_the_text_kept(client, make_parent, message):
    article = ArticleFactory()
    parent_id = make_parent(article)
    before = Comment.objects.count()
    response = client.post(post_url(article), form_data(body="My words <kept> & safe", parent=parent_id))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "My words &lt;kept&gt; &amp; safe</textarea>" in page
    assert Comment.objects.count() == before


def test_missing_email_from_anonymous_poster_is_refused(client):
    article = ArticleFactory()
    response = client.post(post_url(article), form_data(email="", body="Please keep this."))
    assert response.status_code == 400
    assert "Email: This field is required." in response.content.decode()
    assert "Please keep this.</textarea>" in response.content.decode()
    assert not Comment.objects.exists()


def test_too_long_body_is_refused(client):
    article = ArticleFactory()
    response = client.post(post_url(article), form_data(body="x" * 5001))
    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters (it has 5001)." in response.content.decode()


def test_blank_body_is_refused(client):
    response = client.post(post_url(ArticleFactory()), form_data(body="   "))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_logged_in_reader_is_not_asked_for_name_or_email(client):
    user = UserFactory(first_name="Robin", last_name="Reader")
    client.force_login(user)
    article = ArticleFactory()
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="email"' not in page and 'name="name"' not in page
    client.post(post_url(article), form_data(body="Logged in."))
    comment = Comment.objects.get()
    assert comment.user == user and comment.name == "Robin Reader" and comment.email == user.email
    assert comment.status == Comment.Status.PENDING  # a plain reader has no post-without-approval permission


def test_moderator_comment_is_approved_at_once_and_verified(client, django_user_model):
    from django.contrib.auth.models import Group

    user = UserFactory(username="mod", first_name="Morgan", last_name="Moderator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    article = ArticleFactory()
    client.post(post_url(article), form_data(body="Welcome, everyone."))
    assert Comment.objects.get().status == Comment.Status.APPROVED
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one("#comments header b").get_text() == "Morgan Moderator"
    assert [badge.get_text() for badge in page.select("#comments header .badge")] == ["Moderator"]


def test_comment_body_is_escaped_and_links_get_nofollow(client):
    article = ArticleFactory()
    client.post(post_url(article), form_data(body="<script>alert(1)</script> see https://example.org/x"))
    comment = Comment.objects.get()
    assert comment.body_html == (
        '<p>&lt;script&gt;alert(1)&lt;/script&gt; see '
        '<a href="https://example.org/x" rel="nofollow ugc noopener">https://example.org/x</a></p>'
    )


def test_post_without_csrf_token_is_refused(db):
    article = ArticleFactory()
    response = Client(enforce_csrf_checks=True).post(post_url(article), form_data())
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_get_on_the_comment_endpoint_goes_back_to_the_article_with_its_query(client):
    article = ArticleFactory()
    response = client.get(post_url(article) + "?replyto=7")
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "?replyto=7"


def test_reply_link_prefills_the_parent_without_javascript(client):
    parent = CommentFactory(name="Ann")
    response = client.get(parent.article.get_absolute_url() + f"?replyto={parent.pk}")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one('input[name="parent"]')["value"] == str(parent.pk)
    assert "Replying to Ann (not verified)" in page.get_text()


def test_comments_on_unpublished_article_are_refused(client):
    article = ArticleFactory(status="draft")
    assert client.post(post_url(article), form_data()).status_code == 404
