"""The editors' article list: author, state and blog columns and filters; bulk publish, unpublish, schedule."""

import datetime

import pytest
import time_machine
from reversion.models import Version
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, BlogFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/articles/article/"
NOW = datetime.datetime(2026, 6, 1, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(staff):
    michele = AuthorFactory(display_name="Michele Rosenthal", slug="michele")
    olga = AuthorFactory(display_name="Olga Other", slug="olga")
    casey = AuthorFactory(display_name="Casey Contributor", slug="casey")
    blog = BlogFactory(title="Trauma blog")
    past = NOW - datetime.timedelta(days=3)
    return {
        "michele": michele, "olga": olga, "blog": blog,
        "own_draft": ArticleFactory(blog=blog, title="Own draft", status="draft", published_at=past,
                                    authors=[michele]),
        "own_live": ArticleFactory(blog=blog, title="Own live", published_at=past, authors=[michele]),
        "other_draft": ArticleFactory(blog=blog, title="Other draft", status="draft", published_at=past,
                                      authors=[olga]),
        "casey_draft": ArticleFactory(blog=blog, title="Casey draft", status="draft", published_at=past,
                                      authors=[casey]),
        "author": staff("author", "Authors", author=michele),
        "contributor": staff("contributor", "Authors", author=casey, without=["publish_article"]),
        "editor": staff("editor", "Editors"),
    }


def act(client, action, *articles, **extra):
    return client.post(LIST, {"action": action, "_selected_action": [a.pk for a in articles], **extra})


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def states():
    return {a.title: (a.status, a.published_at) for a in Article.objects.all()}


def test_changelist_shows_authors_blog_and_state_columns(client, world):
    ArticleFactory(blog=world["blog"], title="Co-written", authors=[world["michele"], world["olga"]],
                   published_at=NOW + datetime.timedelta(days=1))
    client.force_login(world["editor"])
    page = BeautifulSoup(client.get(LIST + "?o=1").content, "html.parser")
    rows = {row.select_one("th").text: [td.text for td in row.select("td")[1:4]]
            for row in page.select("#result_list tbody tr")}
    assert rows["Co-written"] == ["Michele Rosenthal, Olga Other", "Trauma blog", "Scheduled"]
    assert rows["Own draft"] == ["Michele Rosenthal", "Trauma blog", "Draft"]
    assert rows["Own live"] == ["Michele Rosenthal", "Trauma blog", "Published"]


@pytest.mark.parametrize("query, titles", [
    ("state=draft", {"Own draft", "Other draft", "Casey draft"}),
    ("state=published", {"Own live"}),
    ("state=scheduled", set()),
    ("author={olga}", {"Other draft"}),
])
def test_changelist_filters_by_state_and_author(client, world, query, titles):
    client.force_login(world["editor"])
    page = BeautifulSoup(client.get(LIST + "?" + query.format(olga=world["olga"].pk)).content, "html.parser")
    assert {th.text for th in page.select("#result_list tbody th")} == titles


def test_an_authors_author_filter_names_only_their_articles_authors(client, world):
    client.force_login(world["author"])
    page = client.get(LIST).content.decode()
    assert "?author=" + str(world["michele"].pk) in page
    assert "Olga Other" not in page


def test_changelist_queries_do_not_grow_with_articles(client, world):
    client.force_login(world["editor"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        ArticleFactory(blog=BlogFactory(), authors=[AuthorFactory(), world["olga"]])
    assert count() == few


def test_editor_publishes_drafts_now_and_is_told_what_was_already_published(client, world):
    client.force_login(world["editor"])
    response = act(client, "publish_selected", world["own_draft"], world["other_draft"], world["own_live"])
    assert response.status_code == 302
    assert said(response) == ["2 articles published.", "Not published: “Own live”: already published."]
    assert states()["Own draft"] == ("published", NOW)
    assert states()["Other draft"] == ("published", NOW)


def test_each_bulk_change_is_a_revision_and_a_publication_is_a_citable_version(client, world):
    client.force_login(world["editor"])
    act(client, "publish_selected", world["own_draft"])
    act(client, "unpublish_selected", world["own_live"])
    draft = world["own_draft"]
    [version] = draft.published_versions.all()
    assert (version.number, version.published_at, version.title) == (1, NOW, "Own draft")
    assert version.revision.comment == "Published from the article list."
    assert version.revision.user == world["editor"]
    [unpublished] = Version.objects.get_for_object(world["own_live"])
    assert unpublished.revision.comment == "Unpublished from the article list."
    assert world["own_live"].published_versions.count() == 0  # a draft is not a version readers can cite
    draft.refresh_from_db()
    assert client.get(draft.get_absolute_url() + "v/1/").status_code == 200


def test_an_author_publishes_only_their_own_articles(client, world):
    client.force_login(world["author"])
    # Another author's article is not in the author's list at all: the admin ignores its id.
    response = act(client, "publish_selected", world["own_draft"], world["other_draft"])
    assert said(response) == ["1 article published."]
    assert states()["Own draft"][0] == "published"
    assert states()["Other draft"][0] == "draft"


def test_an_author_who_may_not_publish_is_refused_with_the_reason(client, world):
    client.force_login(world["contributor"])
    response = act(client, "publish_selected", world["casey_draft"])
    assert said(response) == [
        "Not published: “Casey draft”: you may save it as a draft; an editor publishes it."]
    assert states()["Casey draft"][0] == "draft"


def test_unpublish_takes_articles_back_to_drafts(client, world):
    client.force_login(world["author"])
    response = act(client, "unpublish_selected", world["own_live"], world["own_draft"])
    assert said(response) == ["1 article unpublished.", "Not unpublished: “Own draft”: already a draft."]
    assert states()["Own live"][0] == "draft"


def test_schedule_asks_for_a_time_then_schedules(client, world):
    client.force_login(world["editor"])
    ask = act(client, "schedule_selected", world["own_draft"], world["other_draft"])
    assert ask.status_code == 200
    page = BeautifulSoup(ask.content, "html.parser")
    assert sorted(li.text for li in page.select("#content ul li")) == ["Other draft", "Own draft"]
    assert page.select_one("input[name=publish_at]")["type"] == "datetime-local"
    response = act(client, "schedule_selected", world["own_draft"], world["other_draft"],
                   apply="Schedule", publish_at="2026-06-03T09:30")
    assert response.status_code == 302
    assert said(response) == ["2 articles scheduled."]
    at = datetime.datetime(2026, 6, 3, 13, 30, tzinfo=datetime.UTC)  # 9:30 in New York
    assert states()["Own draft"] == ("published", at)
    assert Article.objects.get(title="Own draft").is_scheduled()


@pytest.mark.parametrize("value, message", [
    ("2026-05-31T09:30", "Give a time in the future; to publish now, use “Publish”."),
    ("next tuesday", "Enter a valid date/time."),
])
def test_schedule_refuses_a_past_or_bad_time_with_the_input_kept(client, world, value, message):
    client.force_login(world["editor"])
    response = act(client, "schedule_selected", world["own_draft"], apply="Schedule", publish_at=value)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".errornote").text == message
    assert page.select_one("input[name=publish_at]")["value"] == value
    assert states()["Own draft"][0] == "draft"


def test_scheduling_is_refused_to_who_may_not_publish(client, world):
    client.force_login(world["contributor"])
    response = act(client, "schedule_selected", world["casey_draft"], apply="Schedule", publish_at="2026-06-03T09:30")
    assert said(response) == [
        "Not scheduled: “Casey draft”: you may save it as a draft; an editor publishes it."]
    assert states()["Casey draft"][0] == "draft"


def test_bulk_functions_check_each_article_whatever_the_caller(world):
    from articles import bulk

    outcome = bulk.publish(articles=Article.objects.filter(title__in=["Own draft", "Other draft"]).order_by("title"),
                           by=world["author"])
    assert [a.title for a in outcome.changed] == ["Own draft"]
    assert [(a.title, why) for a, why in outcome.refused] == [("Other draft", "not yours to change")]
