"""Every way of writing what an article page shows replaces its cached copy at once."""

import pytest
from django.db import transaction
from django.test import Client

from articles.models import ArticleAuthor, Topic
from authors.models import SocialLink
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from comments import moderation, privacy, readers
from comments.models import Comment, Reader
from tests.factories import ArticleFactory, AuthorFactory, BlogFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """An article with two authors, a topic, a social link, a thread with a reply, and a pending comment.

    Also an author and a topic the article does not show yet.
    """
    ann = AuthorFactory(display_name="Ann Writer")
    SocialLink.objects.create(author=ann, label="Ann on Mastodon", url="https://ann.example/")
    bo = AuthorFactory(display_name="Bodhi Coauthor")
    article = ArticleFactory(title="Breathe slowly", blog=BlogFactory(title="Calm Blog"), authors=[ann, bo])
    topic = Topic.objects.create(name="Grounding", slug="grounding")
    article.topics.add(topic)
    cleo, sleep = AuthorFactory(display_name="Cleo Third"), Topic.objects.create(name="Sleep", slug="sleep")
    uma = UserFactory(username="uma", verified=True)
    root = CommentFactory(article=article, name="Uma", user=uma, body="Root words")
    reply = CommentFactory(article=article, parent=root, body="Reply words")
    other = CommentFactory(article=article, body="Other words")
    pending = CommentFactory(article=article, body="Pending words", status=Comment.Status.PENDING)
    vic = UserFactory(username="vic")  # has not confirmed an address: "Vic (not verified)"
    CommentFactory(article=article, name="Vic", user=vic, body="Vic words")
    CommentFactory(article=article, name="Earlier Uma", email=uma.email, body="Anonymous words of Uma's")
    return {"article": article, "ann": ann, "bo": bo, "cleo": cleo, "topic": topic, "sleep": sleep, "uma": uma, "root": root, "reply": reply,
            "other": other, "pending": pending, "vic": vic, "url": article.get_absolute_url()}


def admin_post(admin_client, path, data):
    response = admin_client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def bulk_delete(admin_client, changelist, pk):
    admin_post(admin_client, changelist, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})


def shows(text):
    return lambda response: response.status_code == 200 and text in response.content.decode()


def hides(text):
    return lambda response: response.status_code == 200 and text not in response.content.decode()


def gone(response):
    return response.status_code == 404


# Each path: (what it does, given the world and an admin client; what the next anonymous reader must get).
PATHS = {
    "article saved": (lambda w, a: (setattr(w["article"], "title", "Breathe deeply"), w["article"].save()),
                      shows("Breathe deeply")),
    "article deleted": (lambda w, a: w["article"].delete(), gone),
    "articles bulk-deleted in the admin": (
        lambda w, a: bulk_delete(a, "/admin/articles/article/", w["article"].pk), gone),
    "article deleted from its admin page": (
        lambda w, a: admin_post(a, f"/admin/articles/article/{w['article'].pk}/delete/", {"post": "yes"}), gone),
    "articles deleted through a queryset": (
        lambda w, a: type(w["article"]).objects.filter(pk=w["article"].pk).delete(), gone),
    "blog saved": (lambda w, a: (setattr(w["article"].blog, "title", "Quiet Blog"), w["article"].blog.save()),
                   shows("Quiet Blog")),
    "author saved": (lambda w, a: (setattr(w["ann"], "display_name", "Ann Renamed"), w["ann"].save()),
                     shows("Ann Renamed")),
    "social link deleted": (lambda w, a: SocialLink.objects.filter(author=w["ann"]).delete(), hides("Ann on Mastodon")),
    "credit deleted": (lambda w, a: ArticleAuthor.objects.filter(author=w["bo"]).delete(), hides("Bodhi Coauthor")),
    "author credited through the many-to-many manager": (
        lambda w, a: w["article"].authors.add(w["cleo"], through_defaults={"position": 9}),
        shows("Cleo Third")),
    "author uncredited through the many-to-many manager": (
        lambda w, a: w["article"].authors.remove(w["bo"]), hides("Bodhi Coauthor")),
    "topic saved": (lambda w, a: (setattr(w["topic"], "name", "Breathing"), w["topic"].save()),
                    shows('content="Breathing"')),
    "topic removed from the article": (lambda w, a: w["article"].topics.remove(w["topic"]), hides('content="Grounding"')),
    "topics cleared": (lambda w, a: w["article"].topics.clear(), hides('content="Grounding"')),
    "topic added from the topic's side": (
        lambda w, a: w["sleep"].articles.add(w["article"]), shows('content="Sleep"')),
    "comment saved": (lambda w, a: (setattr(w["other"], "body", "Edited words"), w["other"].save()),
                      shows("Edited words")),
    "comment approved (a queryset update)": (
        lambda w, a: moderation.approve(comment=w["pending"], by=None), shows("Pending words")),
    "comment rejected (a queryset update)": (
        lambda w, a: moderation.reject(comment=w["other"], by=None), hides("Other words")),
    "comment deleted from its admin page": (
        lambda w, a: admin_post(a, f"/admin/comments/comment/{w['other'].pk}/delete/", {"post": "yes"}),
        hides("Other words")),
    "comments bulk-deleted in the admin": (
        lambda w, a: bulk_delete(a, "/admin/comments/comment/", w["other"].pk), hides("Other words")),
    "comments deleted through a queryset": (
        lambda w, a: Comment.objects.filter(pk=w["other"].pk).delete(), hides("Other words")),
    "comment deleted with its replies": (lambda w, a: w["root"].delete(), hides("Reply words")),
    "user deleted (their comments keep no user)": (lambda w, a: w["uma"].delete(), shows("<b>Uma (not verified)</b>")),
    # What a poster's name and badges come from, saved anywhere.
    "reader renamed on their profile": (
        lambda w, a: readers.update_profile(user=w["uma"], display_name="Uma Renamed", notify_replies=False),
        shows("<b>Uma Renamed</b>")),
    "reader profile saved in the admin": (
        lambda w, a: Reader.objects.create(user=w["uma"], display_name="Uma Admin"), shows("<b>Uma Admin</b>")),
    "email address confirmed": (
        lambda w, a: EmailAddress.objects.create(user=w["vic"], email="vic@example.com", verified=True, primary=True),
        shows("<b>Vic</b>")),
    "user made staff": (lambda w, a: (setattr(w["vic"], "is_staff", True), w["vic"].save()), shows("<b>Vic</b>")),
    "user added to the Moderators group": (
        # made staff without a signal first, so that only the group's change can replace the page
        lambda w, a: (type(w["vic"]).objects.filter(pk=w["vic"].pk).update(is_staff=True),
                      w["vic"].groups.add(Group.objects.get(name="Moderators"))),
        shows('<span class="badge">Moderator</span>')),
    "earlier comments claimed (a queryset update)": (
        lambda w, a: privacy.claim_comments(user=w["uma"]), shows("<b>Earlier Uma</b>")),
    "account deleted by its reader": (lambda w, a: privacy.delete_account(user=w["uma"]), hides("Root words")),
}


@pytest.mark.parametrize("path", PATHS)
def test_every_write_replaces_the_cached_page(world, admin_client, path):
    act, expected = PATHS[path]
    reader = Client()
    assert reader.get(world["url"])["X-Page-Cache"] == "miss"
    before = reader.get(world["url"])
    assert before["X-Page-Cache"] == "hit"
    assert not expected(before), "the check must tell the old page from the new"
    act(world, admin_client)
    after = Client().get(world["url"])
    assert expected(after), after.content.decode()[:500]


def test_a_page_stored_before_the_write_commits_is_not_served_after(world, django_capture_on_commit_callbacks):
    url = world["url"]
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            moderation.reject(comment=world["other"], by=None)
            # Another reader renders now: in production they still see the old rows, and store that page.
            assert Client().get(url)["X-Page-Cache"] == "miss"
            assert Client().get(url)["X-Page-Cache"] == "hit"
    assert Client().get(url)["X-Page-Cache"] == "miss"  # replaced again at the commit


def test_deleting_a_long_thread_looks_its_article_up_once(world, django_assert_max_num_queries):
    for i in range(30):
        CommentFactory(article=world["article"], parent=world["root"], body=f"More {i}")
    root = Comment.objects.get(pk=world["root"].pk)  # no article loaded
    Client().get(world["url"])
    # The deletion's own 8 queries (mptt's gap, the cascade, reports, the moderation log's links), then the
    # article and its blog once, not 32 times.
    with django_assert_max_num_queries(10):
        root.delete()
    assert "Root words" not in Client().get(world["url"]).content.decode()
